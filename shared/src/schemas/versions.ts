import { z } from 'zod';
import type { JSONContent } from '../editor/index.js';
import { optionalText } from './common.js';

/** `POST /api/charters/:charterId/finalise` */
export const finaliseBody = z.object({
  /** A short name for the version, such as "Adopted at the Nairobi forum". */
  label: optionalText(200),
});
export type FinaliseBody = z.infer<typeof finaliseBody>;

/** An immutable, numbered snapshot of a charter's text. */
export interface Version {
  id: string;
  charterId: string;
  /** 1, 2, … per charter. */
  number: number;
  label: string | null;
  /** Hex SHA-256 of the canonical content (see `versionContentHash` on the server). */
  sha256: string;
  createdAt: string;
}

export interface VersionSection {
  key: string;
  title: string;
  position: number;
  /** ProseMirror JSON through the shared editor schema. */
  doc: JSONContent;
  /** Plain text of `doc` (docToText). */
  text: string;
}

/** `GET /api/versions/:versionId` */
export interface VersionDetail {
  version: Version;
  charter: { id: string; title: string };
  sections: VersionSection[];
}

/** One piece of a text comparison: unchanged, inserted or deleted text, in order. */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export const SECTION_CHANGES = ['added', 'removed', 'changed', 'unchanged'] as const;
export type SectionChange = (typeof SECTION_CHANGES)[number];

/** `GET /api/versions/:versionId/compare/:otherVersionId`: what changed from the first to the second. */
export interface VersionComparison {
  from: Version;
  to: Version;
  summary: Record<SectionChange, number>;
  sections: {
    key: string;
    change: SectionChange;
    title: { from: string | null; to: string | null };
    /** True when only formatting (bold, links, list kinds…) changed, not the words. */
    formattingOnly: boolean;
    /** Word-level differences of the plain text (empty when unchanged). */
    diff: DiffPart[];
  }[];
}
