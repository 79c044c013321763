import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateSchema, type Template, type TemplateSummary } from '@charter/shared';
import { editorSchema } from '@charter/shared/editor';

export interface TemplateRegistry {
  list(): TemplateSummary[];
  get(id: string): Template | undefined;
}

const NOT_TEMPLATES = new Set(['package.json', 'tsconfig.json']);
const here = dirname(fileURLToPath(import.meta.url));

/**
 * Loads every `*.json` template in `dir`, checking each against the shared template schema and
 * each section's starting text against the editor schema. A bad template stops the start with
 * the file and field named, rather than failing later in front of a user.
 */
export function loadTemplates(dir: string = here): TemplateRegistry {
  const templates = new Map<string, Template>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !NOT_TEMPLATES.has(f)).sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`Template ${file} is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = templateSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Template ${file} is not valid: ${problems}`);
    }
    const template = parsed.data;
    for (const section of template.sections) {
      try {
        editorSchema().nodeFromJSON(section.content).check();
      } catch (err) {
        throw new Error(`Template ${file}, section ${section.key}: content does not fit the editor schema: ${(err as Error).message}`);
      }
    }
    if (templates.has(template.id)) throw new Error(`Template id ${template.id} is used twice (${file}).`);
    templates.set(template.id, template);
  }
  const summaries: TemplateSummary[] = [...templates.values()].map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    sections: t.sections.map((s) => ({ key: s.key, title: s.title, guidance: s.guidance })),
  }));
  return { list: () => summaries, get: (id) => templates.get(id) };
}
