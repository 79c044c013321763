import type Database from 'better-sqlite3';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  organisation_id: string | null;
  created_at: string;
}
export interface OrganisationRow {
  id: string;
  name: string;
  name_key: string;
  acronym: string;
  country: string;
  website: string;
  created_at: string;
}
export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}
export interface CharterRow {
  id: string;
  title: string;
  description: string;
  status: 'drafting' | 'finalised';
  template_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export interface CharterWithRoleRow extends CharterRow {
  role: 'secretariat' | 'drafter' | 'observer';
}
export interface SectionRow {
  id: string;
  charter_id: string;
  key: string;
  title: string;
  guidance: string;
  position: number;
  created_at: string;
}
export interface MemberRow {
  charter_id: string;
  user_id: string;
  role: 'secretariat' | 'drafter' | 'observer';
  created_at: string;
  email: string;
  name: string;
  organisation_id: string | null;
}
export interface InvitationRow {
  id: string;
  token_hash: string;
  charter_id: string;
  email: string;
  role: 'secretariat' | 'drafter' | 'observer';
  section_ids: string;
  created_by: string;
  created_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  revoked_at: string | null;
}
export interface AuditRow {
  id: number;
  charter_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  subject: string;
  details: string;
}

export interface VersionRow {
  id: string;
  charter_id: string;
  number: number;
  label: string | null;
  title: string;
  sha256: string;
  created_by: string | null;
  created_at: string;
}
export interface VersionSectionRow {
  version_id: string;
  position: number;
  section_id: string;
  key: string;
  title: string;
  doc: string;
  text: string;
}
export interface SignonRow {
  id: string;
  version_id: string;
  charter_id: string;
  version_sha256: string;
  organisation_id: string;
  org_name: string;
  org_name_key: string;
  org_acronym: string;
  org_website: string;
  country: string;
  signatory_name: string;
  signatory_title: string;
  signatory_email: string;
  public_listing: 0 | 1;
  account_id: string;
  signed_at: string;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}
export interface SubmissionRow {
  id: string;
  version_id: string;
  charter_id: string;
  recipient: string;
  reference: string | null;
  status: 'submitted' | 'acknowledged' | 'adopted' | 'returned';
  submitted_at: string;
  notes: string;
  docx_sha256: string;
  docx_bytes: number;
  signon_count: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Joined: the version's number and the creator's name. */
  version_number: number;
  created_by_name: string | null;
}
export interface SubmissionEventRow {
  id: number;
  submission_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  from_status: SubmissionRow['status'] | null;
  to_status: SubmissionRow['status'];
  notes_changed: 0 | 1;
}

/** Every statement the server runs, prepared once when the database opens. */
export function prepareStatements(db: Database.Database) {
  const one = <Row>(sql: string) => {
    const s = db.prepare(sql);
    return (...params: unknown[]) => s.get(...params) as Row | undefined;
  };
  const all = <Row>(sql: string) => {
    const s = db.prepare(sql);
    return (...params: unknown[]) => s.all(...params) as Row[];
  };
  const run = (sql: string) => {
    const s = db.prepare(sql);
    return (...params: unknown[]) => s.run(...params);
  };

  return {
    users: {
      byId: one<UserRow>('SELECT * FROM users WHERE id = ?'),
      byEmail: one<UserRow>('SELECT * FROM users WHERE email = ?'),
      insert: run(
        'INSERT INTO users (id, email, name, password_hash, organisation_id, created_at) VALUES (@id, @email, @name, @password_hash, @organisation_id, @created_at)',
      ),
      count: one<{ n: number }>('SELECT COUNT(*) AS n FROM users'),
      setPassword: run('UPDATE users SET password_hash = ? WHERE id = ?'),
    },
    organisations: {
      byId: one<OrganisationRow>('SELECT * FROM organisations WHERE id = ?'),
      byKey: one<OrganisationRow>('SELECT * FROM organisations WHERE name_key = ? AND country = ?'),
      insert: run(
        'INSERT INTO organisations (id, name, name_key, acronym, country, website, created_at) VALUES (@id, @name, @name_key, @acronym, @country, @website, @created_at)',
      ),
      /** Organisations with a publicly listed, standing sign-on whose name or acronym contains the pattern. */
      searchListed: all<Pick<OrganisationRow, 'name' | 'acronym' | 'country'>>(
        `SELECT s.org_name AS name, s.org_acronym AS acronym, s.country FROM signons s
          WHERE s.public_listing = 1 AND s.withdrawn_at IS NULL
            AND (s.org_name_key LIKE @pattern ESCAPE '\\' OR lower(s.org_acronym) LIKE @pattern ESCAPE '\\')
          GROUP BY s.org_name_key, s.country ORDER BY MAX(s.signed_at) DESC LIMIT @limit`,
      ),
    },
    sessions: {
      byHash: one<SessionRow>('SELECT * FROM sessions WHERE token_hash = ?'),
      insert: run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      delete: run('DELETE FROM sessions WHERE token_hash = ?'),
      deleteExpired: run('DELETE FROM sessions WHERE expires_at < ?'),
    },
    charters: {
      byId: one<CharterRow>('SELECT * FROM charters WHERE id = ?'),
      forUser: all<CharterWithRoleRow>(
        'SELECT c.*, m.role FROM charters c JOIN members m ON m.charter_id = c.id WHERE m.user_id = ? ORDER BY c.created_at DESC, c.id',
      ),
      insert: run(
        'INSERT INTO charters (id, title, description, status, template_id, created_by, created_at, updated_at) VALUES (@id, @title, @description, @status, @template_id, @created_by, @created_at, @updated_at)',
      ),
      update: run('UPDATE charters SET title = @title, description = @description, updated_at = @updated_at WHERE id = @id'),
      setStatus: run('UPDATE charters SET status = ?, updated_at = ? WHERE id = ?'),
    },
    sections: {
      byId: one<SectionRow>('SELECT * FROM sections WHERE id = ?'),
      forCharter: all<SectionRow>('SELECT * FROM sections WHERE charter_id = ? ORDER BY position, created_at, id'),
      byKey: one<SectionRow>('SELECT * FROM sections WHERE charter_id = ? AND key = ?'),
      insert: run(
        'INSERT INTO sections (id, charter_id, key, title, guidance, position, created_at) VALUES (@id, @charter_id, @key, @title, @guidance, @position, @created_at)',
      ),
      setTitle: run('UPDATE sections SET title = ? WHERE id = ?'),
      setPosition: run('UPDATE sections SET position = ? WHERE id = ?'),
    },
    members: {
      get: one<MemberRow>(
        'SELECT m.*, u.email, u.name, u.organisation_id FROM members m JOIN users u ON u.id = m.user_id WHERE m.charter_id = ? AND m.user_id = ?',
      ),
      forCharter: all<MemberRow>(
        'SELECT m.*, u.email, u.name, u.organisation_id FROM members m JOIN users u ON u.id = m.user_id WHERE m.charter_id = ? ORDER BY m.created_at, u.name',
      ),
      insert: run('INSERT INTO members (charter_id, user_id, role, created_at) VALUES (?, ?, ?, ?)'),
      setRole: run('UPDATE members SET role = ? WHERE charter_id = ? AND user_id = ?'),
      delete: run('DELETE FROM members WHERE charter_id = ? AND user_id = ?'),
      countRole: one<{ n: number }>('SELECT COUNT(*) AS n FROM members WHERE charter_id = ? AND role = ?'),
      sections: all<{ section_id: string }>(
        'SELECT ms.section_id FROM member_sections ms JOIN sections s ON s.id = ms.section_id WHERE ms.charter_id = ? AND ms.user_id = ? ORDER BY s.position',
      ),
      sectionsForCharter: all<{ user_id: string; section_id: string }>(
        'SELECT ms.user_id, ms.section_id FROM member_sections ms JOIN sections s ON s.id = ms.section_id WHERE ms.charter_id = ? ORDER BY s.position',
      ),
      addSection: run('INSERT OR IGNORE INTO member_sections (charter_id, user_id, section_id) VALUES (?, ?, ?)'),
      clearSections: run('DELETE FROM member_sections WHERE charter_id = ? AND user_id = ?'),
    },
    invitations: {
      byTokenHash: one<InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?'),
      byId: one<InvitationRow>('SELECT * FROM invitations WHERE id = ?'),
      pendingForCharter: all<InvitationRow>(
        'SELECT * FROM invitations WHERE charter_id = ? AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at',
      ),
      insert: run(
        'INSERT INTO invitations (id, token_hash, charter_id, email, role, section_ids, created_by, created_at) VALUES (@id, @token_hash, @charter_id, @email, @role, @section_ids, @created_by, @created_at)',
      ),
      accept: run('UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL'),
      revoke: run('UPDATE invitations SET revoked_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL'),
    },
    audit: {
      insert: run(
        'INSERT INTO audit_events (charter_id, at, actor_id, actor_name, action, subject, details) VALUES (@charter_id, @at, @actor_id, @actor_name, @action, @subject, @details)',
      ),
      forCharter: all<AuditRow>('SELECT * FROM audit_events WHERE charter_id = ? ORDER BY id'),
    },
    docs: {
      state: one<{ state: Buffer }>('SELECT state FROM section_docs WHERE section_id = ?'),
      updates: all<{ id: number; data: Buffer }>('SELECT id, data FROM section_updates WHERE section_id = ? ORDER BY id'),
      upsertState: run(
        'INSERT INTO section_docs (section_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (section_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      ),
      appendUpdate: run('INSERT INTO section_updates (section_id, data) VALUES (?, ?)'),
      deleteUpdatesUpTo: run('DELETE FROM section_updates WHERE section_id = ? AND id <= ?'),
      updateStats: one<{ n: number; bytes: number | null }>(
        'SELECT COUNT(*) AS n, SUM(length(data)) AS bytes FROM section_updates WHERE section_id = ?',
      ),
    },
    versions: {
      byId: one<VersionRow>('SELECT * FROM versions WHERE id = ?'),
      all: all<VersionRow>('SELECT * FROM versions ORDER BY created_at, id'),
      forCharter: all<VersionRow>('SELECT * FROM versions WHERE charter_id = ? ORDER BY number'),
      latestNumber: one<{ n: number | null }>('SELECT MAX(number) AS n FROM versions WHERE charter_id = ?'),
      insert: run(
        'INSERT INTO versions (id, charter_id, number, label, title, sha256, created_by, created_at) VALUES (@id, @charter_id, @number, @label, @title, @sha256, @created_by, @created_at)',
      ),
      sections: all<VersionSectionRow>('SELECT * FROM version_sections WHERE version_id = ? ORDER BY position'),
      insertSection: run(
        'INSERT INTO version_sections (version_id, position, section_id, key, title, doc, text) VALUES (@version_id, @position, @section_id, @key, @title, @doc, @text)',
      ),
    },
    signons: {
      byId: one<SignonRow>('SELECT * FROM signons WHERE id = ?'),
      liveForVersion: all<SignonRow>('SELECT * FROM signons WHERE version_id = ? AND withdrawn_at IS NULL ORDER BY signed_at, id'),
      liveCount: one<{ n: number }>('SELECT COUNT(*) AS n FROM signons WHERE version_id = ? AND withdrawn_at IS NULL'),
      liveByKey: one<SignonRow>(
        'SELECT * FROM signons WHERE version_id = ? AND org_name_key = ? AND country = ? AND withdrawn_at IS NULL',
      ),
      insert: run(
        `INSERT INTO signons (id, version_id, charter_id, version_sha256, organisation_id, org_name, org_name_key, org_acronym,
          org_website, country, signatory_name, signatory_title, signatory_email, public_listing, account_id, signed_at)
         VALUES (@id, @version_id, @charter_id, @version_sha256, @organisation_id, @org_name, @org_name_key, @org_acronym,
          @org_website, @country, @signatory_name, @signatory_title, @signatory_email, @public_listing, @account_id, @signed_at)`,
      ),
      withdraw: run('UPDATE signons SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL'),
      liveForAccount: all<SignonRow>(
        'SELECT * FROM signons WHERE version_id = ? AND account_id = ? AND withdrawn_at IS NULL ORDER BY signed_at, id',
      ),
    },
    submissions: {
      byId: one<SubmissionRow>(
        `SELECT s.id, s.version_id, s.charter_id, s.recipient, s.reference, s.status, s.submitted_at, s.notes, s.docx_sha256,
          s.docx_bytes, s.signon_count, s.created_by, s.created_at, s.updated_at, v.number AS version_number, u.name AS created_by_name
         FROM submissions s JOIN versions v ON v.id = s.version_id LEFT JOIN users u ON u.id = s.created_by WHERE s.id = ?`,
      ),
      forCharter: all<SubmissionRow>(
        `SELECT s.id, s.version_id, s.charter_id, s.recipient, s.reference, s.status, s.submitted_at, s.notes, s.docx_sha256,
          s.docx_bytes, s.signon_count, s.created_by, s.created_at, s.updated_at, v.number AS version_number, u.name AS created_by_name
         FROM submissions s JOIN versions v ON v.id = s.version_id LEFT JOIN users u ON u.id = s.created_by
         WHERE s.charter_id = ? ORDER BY s.created_at DESC, s.id`,
      ),
      document: one<{ docx: Buffer; docx_sha256: string }>('SELECT docx, docx_sha256 FROM submissions WHERE id = ?'),
      allIds: all<{ id: string; version_id: string; charter_id: string; docx_sha256: string; docx_bytes: number }>(
        'SELECT id, version_id, charter_id, docx_sha256, docx_bytes FROM submissions ORDER BY created_at, id',
      ),
      insert: run(
        `INSERT INTO submissions (id, version_id, charter_id, recipient, reference, status, submitted_at, notes, docx, docx_sha256,
          docx_bytes, signon_count, created_by, created_at, updated_at)
         VALUES (@id, @version_id, @charter_id, @recipient, @reference, @status, @submitted_at, @notes, @docx, @docx_sha256,
          @docx_bytes, @signon_count, @created_by, @created_at, @updated_at)`,
      ),
      update: run('UPDATE submissions SET status = @status, notes = @notes, updated_at = @updated_at WHERE id = @id'),
      events: all<SubmissionEventRow>('SELECT * FROM submission_events WHERE submission_id = ? ORDER BY id'),
      insertEvent: run(
        'INSERT INTO submission_events (submission_id, at, actor_id, actor_name, from_status, to_status, notes_changed) VALUES (@submission_id, @at, @actor_id, @actor_name, @from_status, @to_status, @notes_changed)',
      ),
    },
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
