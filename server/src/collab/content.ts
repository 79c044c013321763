import * as Y from 'yjs';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '@charter/shared/collab';
import { docToText, editorSchema, type JSONContent } from '@charter/shared/editor';
import type { Store } from '../db/index.js';
import { loadSectionYDoc } from './persistence.js';

/**
 * The Yjs update that creates a section document holding `content` (ProseMirror JSON). The
 * content is checked against the shared editor schema first, so a template can never seed
 * something the editor would refuse.
 */
export function initialDocState(content: JSONContent): Uint8Array {
  const schema = editorSchema();
  schema.nodeFromJSON(content).check();
  const ydoc = prosemirrorJSONToYDoc(schema, content, CONTENT_FIELD);
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}

/** A section's content as ProseMirror JSON (through the shared schema) and as plain text. */
export function readSectionContent(ydoc: Y.Doc): { doc: JSONContent; text: string } {
  const node = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(CONTENT_FIELD), editorSchema());
  const doc = node.toJSON() as JSONContent;
  return { doc, text: docToText(doc) };
}

/**
 * A section's stored content (state plus log, which holds every relayed update), read without
 * touching any live document.
 */
export function readStoredSectionContent(store: Store, sectionId: string): { doc: JSONContent; text: string } {
  const { doc } = loadSectionYDoc(store, sectionId);
  try {
    return readSectionContent(doc);
  } finally {
    doc.destroy();
  }
}
