import { z } from 'zod';

/** A ProseMirror JSON node as it may appear in a template (checked again against the editor schema). */
export interface TemplateNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TemplateNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export const templateNodeSchema: z.ZodType<TemplateNode> = z.lazy(() =>
  z.strictObject({
    type: z.string().min(1),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(templateNodeSchema).optional(),
    text: z.string().optional(),
    marks: z.array(z.strictObject({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() })).optional(),
  }),
);

export const templateSectionSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  title: z.string().min(1).max(200),
  /** A line or two for the working group: what this section is for. */
  guidance: z.string().min(1).max(1000),
  /** Starting text, as a ProseMirror `doc`. */
  content: templateNodeSchema.refine((n) => n.type === 'doc', 'Section content must be a doc node.'),
});

export const templateSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(1).max(200),
    description: z.string().min(1).max(2000),
    sections: z.array(templateSectionSchema).min(1),
  })
  .refine((t) => new Set(t.sections.map((s) => s.key)).size === t.sections.length, 'Section keys must be unique.');

export type Template = z.infer<typeof templateSchema>;
export type TemplateSection = z.infer<typeof templateSectionSchema>;

/** What `GET /api/templates` shows of a template. */
export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  sections: { key: string; title: string; guidance: string }[];
}
