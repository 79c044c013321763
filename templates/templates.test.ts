import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from './index.js';

describe('template loader', () => {
  it('loads the three shipped templates, each section with guidance and starting text', () => {
    const registry = loadTemplates();
    expect(registry.list().map((t) => t.id).sort()).toEqual(['joint-recommendations', 'principles-of-practice', 'sign-on-letter']);
    const pop = registry.get('principles-of-practice')!;
    expect(pop.sections.map((s) => s.key)).toEqual(
      expect.arrayContaining(['guiding-principles', 'case-management', 'shelters', 'access-to-justice', 'implementation-and-monitoring']),
    );
    for (const s of pop.sections) {
      expect(s.guidance.length).toBeGreaterThan(20);
      expect(JSON.stringify(s.content)).toContain('"text"');
    }
  });

  it('refuses a template whose content does not fit the editor schema, naming file and section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-templates-'));
    const good = JSON.parse(readFileSync(new URL('./sign-on-letter.json', import.meta.url), 'utf8'));
    good.sections[0].content = { type: 'doc', content: [{ type: 'table' }] };
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(good));
    expect(() => loadTemplates(dir)).toThrow(/broken\.json, section letter/);
  });

  it('refuses a template missing required fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-templates-'));
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ id: 'empty', title: 'Empty', sections: [] }));
    expect(() => loadTemplates(dir)).toThrow(/empty\.json is not valid: .*description/);
  });
});
