import type { Store } from '../db/index.js';
import { sha256Hex } from '../ids.js';
import { verifyVersion } from './versions.js';

/** One stored item whose content no longer matches the hash recorded when it was made. */
export interface IntegrityMismatch {
  kind: 'version' | 'submission';
  id: string;
  charterId: string;
  /** What is wrong, in a sentence. */
  problem: string;
  recorded: string;
  /** The hash recomputed now (empty when the stored content could not be read at all). */
  computed: string;
}

export interface IntegrityReport {
  versions: number;
  submissions: number;
  mismatches: IntegrityMismatch[];
}

/**
 * Recomputes every version's content hash from its stored rows and every submission's DOCX hash
 * from its stored bytes, and lists each one that differs from what was recorded. Reads only.
 */
export function verifyStoredContent(store: Store): IntegrityReport {
  const mismatches: IntegrityMismatch[] = [];
  const versions = store.q.versions.all();
  for (const row of versions) {
    const base = { kind: 'version' as const, id: row.id, charterId: row.charter_id, recorded: row.sha256 };
    try {
      const { ok, sha256 } = verifyVersion({ store }, row);
      if (!ok) mismatches.push({ ...base, problem: `version ${row.number}: its content hash differs from the one recorded`, computed: sha256 });
    } catch (err) {
      mismatches.push({ ...base, problem: `version ${row.number}: its stored content cannot be read (${(err as Error).message})`, computed: '' });
    }
  }
  const submissions = store.q.submissions.allIds();
  for (const sub of submissions) {
    const base = { kind: 'submission' as const, id: sub.id, charterId: sub.charter_id, recorded: sub.docx_sha256 };
    const stored = store.q.submissions.document(sub.id);
    const computed = stored ? sha256Hex(stored.docx) : '';
    if (!stored) mismatches.push({ ...base, problem: 'its document is missing', computed });
    else if (computed !== sub.docx_sha256) mismatches.push({ ...base, problem: 'its stored DOCX bytes differ from the recorded hash', computed });
    else if (stored.docx.byteLength !== sub.docx_bytes) {
      mismatches.push({ ...base, problem: `its stored DOCX is ${stored.docx.byteLength} bytes, ${sub.docx_bytes} were recorded`, computed });
    }
  }
  return { versions: versions.length, submissions: submissions.length, mismatches };
}
