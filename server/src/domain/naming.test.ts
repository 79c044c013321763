import { describe, expect, it } from 'vitest';
import { organisationKey } from './organisations.js';
import { slugify } from './charters.js';
import { docToText } from '@charter/shared/editor';

describe('names and keys', () => {
  it('compares organisation names ignoring case and surrounding or repeated spaces', () => {
    expect(organisationKey('  Awareness   Against Human\tTrafficking ')).toBe(organisationKey('awareness against human trafficking'));
    expect(organisationKey('MAP Foundation')).not.toBe(organisationKey('MAP Foundations'));
  });

  it('derives section keys from titles', () => {
    expect(slugify('Access to justice')).toBe('access-to-justice');
    expect(slugify('Protección de víctimas')).toBe('proteccion-de-victimas');
    expect(slugify('???')).toBe('section');
  });

  it('turns ProseMirror JSON into readable plain text', () => {
    const text = docToText({
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Shelters' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Admission is ' }, { type: 'text', text: 'voluntary', marks: [{ type: 'bold' }] }] },
        { type: 'orderedList', attrs: { start: 3 }, content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'One' }] }] },
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Two' }] }, { type: 'bulletList', content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Nested' }] }] },
          ] }] },
        ] },
      ],
    });
    expect(text).toBe('Shelters\nAdmission is voluntary\n3. One\n4. Two\n   - Nested');
  });
});
