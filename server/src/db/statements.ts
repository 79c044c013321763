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
      search: all<OrganisationRow>(
        "SELECT * FROM organisations WHERE name_key LIKE ? ESCAPE '\\' OR lower(acronym) LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",
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
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
