import type { Charter, Section } from '@charter/shared';
import type { z } from 'zod';
import type { createCharterBody, createSectionBody, updateCharterBody, updateSectionBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { CharterRow, SectionRow, UserRow } from '../db/statements.js';
import { conflict, validationError } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { initialDocState } from '../collab/content.js';
import type { Membership } from './access.js';
import { recordAudit } from './audit.js';

const EMPTY_DOC = { type: 'doc', content: [{ type: 'paragraph' }] };

export function presentSection(row: SectionRow): Section {
  return { id: row.id, key: row.key, title: row.title, position: row.position, guidance: row.guidance };
}

export function presentCharter(ctx: AppContext, row: CharterRow, membership: Membership): Charter {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    templateId: row.template_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    role: membership.role,
    assignedSectionIds: membership.sectionIds,
    sections: ctx.store.q.sections.forCharter(row.id).map(presentSection),
  };
}

/** A section key from a title: "Access to justice" → "access-to-justice". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug || 'section';
}

function insertSection(
  ctx: AppContext,
  charterId: string,
  section: { key: string; title: string; guidance: string; position: number; content: unknown },
): SectionRow {
  const row: SectionRow = {
    id: newId(),
    charter_id: charterId,
    key: section.key,
    title: section.title,
    guidance: section.guidance,
    position: section.position,
    created_at: nowIso(),
  };
  ctx.store.q.sections.insert(row);
  // Every section starts with a stored document, so a missing one later means a fault, never "empty".
  ctx.store.q.docs.upsertState(row.id, initialDocState(section.content as typeof EMPTY_DOC), row.created_at);
  return row;
}

/** Creates a charter (from a template when given) with its creator as first secretariat. */
export function createCharter(ctx: AppContext, user: UserRow, body: z.output<typeof createCharterBody>) {
  const template = body.templateId ? ctx.templates.get(body.templateId) : undefined;
  if (body.templateId && !template) {
    throw validationError('There is no template with this id.', { fields: { templateId: 'Unknown template.' } });
  }
  const now = nowIso();
  const row: CharterRow = {
    id: newId(),
    title: body.title,
    description: body.description || template?.description || '',
    status: 'drafting',
    template_id: template?.id ?? null,
    created_by: user.id,
    created_at: now,
    updated_at: now,
  };
  ctx.store.tx(() => {
    ctx.store.q.charters.insert(row);
    ctx.store.q.members.insert(row.id, user.id, 'secretariat', now);
    template?.sections.forEach((s, position) =>
      insertSection(ctx, row.id, { key: s.key, title: s.title, guidance: s.guidance, position, content: s.content }),
    );
    recordAudit(ctx.store, row.id, user, 'charter.created', row.title, { templateId: row.template_id });
  });
  return presentCharter(ctx, row, { role: 'secretariat', sectionIds: [] });
}

export function updateCharter(ctx: AppContext, user: UserRow, charter: CharterRow, body: z.output<typeof updateCharterBody>) {
  const next = {
    id: charter.id,
    title: body.title ?? charter.title,
    description: body.description ?? charter.description,
    updated_at: nowIso(),
  };
  ctx.store.tx(() => {
    ctx.store.q.charters.update(next);
    recordAudit(ctx.store, charter.id, user, 'charter.updated', next.title, {
      ...(body.title !== undefined ? { title: next.title } : {}),
      ...(body.description !== undefined ? { description: true } : {}),
    });
  });
  return { ...charter, ...next };
}

/** Adds a section at the end; a key taken already is a 409, a derived key gets a suffix instead. */
export function addSection(ctx: AppContext, user: UserRow, charterId: string, body: z.output<typeof createSectionBody>) {
  const { q } = ctx.store;
  return ctx.store.tx(() => {
    const existing = q.sections.forCharter(charterId);
    let key = body.key ?? slugify(body.title);
    if (q.sections.byKey(charterId, key)) {
      if (body.key) {
        throw conflict('section_key_taken', `This charter already has a section with the key "${key}".`, {
          fields: { key: 'Already used in this charter.' },
        });
      }
      const base = key.slice(0, 55);
      for (let n = 2; q.sections.byKey(charterId, key); n++) key = `${base}-${n}`;
    }
    const position = existing.reduce((max, s) => Math.max(max, s.position + 1), 0);
    const row = insertSection(ctx, charterId, { key, title: body.title, guidance: '', position, content: EMPTY_DOC });
    recordAudit(ctx.store, charterId, user, 'section.added', row.title, { sectionId: row.id, key });
    return presentSection(row);
  });
}

/** Renames a section and/or moves it to `position` (0-based), renumbering the others. */
export function updateSection(
  ctx: AppContext,
  user: UserRow,
  charterId: string,
  section: SectionRow,
  body: z.output<typeof updateSectionBody>,
) {
  const { q } = ctx.store;
  return ctx.store.tx(() => {
    if (body.title !== undefined && body.title !== section.title) {
      q.sections.setTitle(body.title, section.id);
      recordAudit(ctx.store, charterId, user, 'section.renamed', body.title, { sectionId: section.id, from: section.title });
    }
    if (body.position !== undefined) {
      const others = q.sections.forCharter(charterId).filter((s) => s.id !== section.id);
      const target = Math.min(body.position, others.length);
      others.splice(target, 0, section);
      others.forEach((s, i) => {
        if (s.position !== i || s.id === section.id) q.sections.setPosition(i, s.id);
      });
      if (section.position !== target) {
        recordAudit(ctx.store, charterId, user, 'section.moved', section.title, { sectionId: section.id, position: target });
      }
    }
    return presentSection(q.sections.byId(section.id)!);
  });
}
