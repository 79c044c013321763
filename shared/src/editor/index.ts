import { getSchema, type AnyExtension, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import type { Schema } from '@tiptap/pm/model';

/**
 * The one list of TipTap extensions that defines a charter section's content. The client edits
 * with it (adding Collaboration and carets) and the server reads Yjs content through the schema
 * it yields, so both sides always agree on what a document may contain.
 *
 * Nodes: doc, paragraph, heading (levels 1-3), bulletList, orderedList, listItem, blockquote,
 * hardBreak, text. Marks: bold, italic, link.
 */
export function editorExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [1, 2, 3] },
      code: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      // Yjs carries undo/redo (per user) in collaborative editing.
      undoRedo: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['http', 'https', 'mailto'],
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
  ];
}

let cachedSchema: Schema | undefined;

/** The ProseMirror schema of charter content, built once from {@link editorExtensions}. */
export function editorSchema(): Schema {
  cachedSchema ??= getSchema(editorExtensions());
  return cachedSchema;
}

export type { JSONContent };

/** Plain text of a ProseMirror JSON document: one line per block, list items marked `- ` or `1. `. */
export function docToText(doc: JSONContent): string {
  const blocks: string[] = [];
  const inline = (node: JSONContent): string => {
    if (node.type === 'text') return node.text ?? '';
    if (node.type === 'hardBreak') return '\n';
    return (node.content ?? []).map(inline).join('');
  };
  const walk = (node: JSONContent, prefix: string): void => {
    switch (node.type) {
      case 'doc':
      case 'blockquote':
        for (const child of node.content ?? []) walk(child, prefix);
        return;
      case 'bulletList':
      case 'orderedList': {
        let n = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
        for (const item of node.content ?? []) {
          const marker = node.type === 'bulletList' ? '- ' : `${n++}. `;
          const children = item.content ?? [];
          children.forEach((child, i) => {
            if (child.type === 'paragraph' || child.type === 'heading') {
              blocks.push(prefix + (i === 0 ? marker : '   ') + inline(child));
            } else {
              walk(child, prefix + '   ');
            }
          });
        }
        return;
      }
      default:
        blocks.push(prefix + inline(node));
    }
  };
  walk(doc, '');
  return blocks.filter((b, i) => b.trim() !== '' || i > 0).join('\n').trim();
}
