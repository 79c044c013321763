import * as Y from 'yjs';
import type { DocNode } from '../api/types';

/**
 * Reads a section's `Y.XmlFragment` as ProseMirror JSON, the way y-prosemirror stores it:
 * elements carry the node type and attributes, text carries marks as formatting attributes.
 * Lets the plenary view render live text without loading the editor.
 */
export function fragmentToDoc(fragment: Y.XmlFragment): DocNode {
  return { type: 'doc', content: fragment.toArray().flatMap(toNodes) };
}

function toNodes(item: Y.XmlElement | Y.XmlText | Y.XmlHook): DocNode[] {
  if (item instanceof Y.XmlElement) {
    const attrs = item.getAttributes() as Record<string, unknown>;
    const node: DocNode = { type: item.nodeName };
    if (Object.keys(attrs).length) node.attrs = attrs;
    const content = item.toArray().flatMap(toNodes);
    if (content.length) node.content = content;
    return [node];
  }
  if (item instanceof Y.XmlText) {
    const delta = item.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[];
    return delta
      .filter((d) => typeof d.insert === 'string' && d.insert !== '')
      .map((d) => {
        const node: DocNode = { type: 'text', text: d.insert as string };
        const marks = Object.entries(d.attributes ?? {}).map(([name, value]) => ({
          // y-prosemirror suffixes marks that may overlap with `--hash`.
          type: name.split('--')[0]!,
          ...(value && typeof value === 'object' ? { attrs: value as Record<string, unknown> } : {}),
        }));
        if (marks.length) node.marks = marks;
        return node;
      });
  }
  return [];
}
