/**
 * Versioned schema migrations, applied in order at start. `PRAGMA user_version` records the last
 * one applied; each runs in its own transaction. Never edit a migration that has shipped: add one.
 */
export const migrations: readonly string[] = [
  // 1: accounts, organisations, charters, sections, membership, invitations, audit, section documents
  `
  CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    acronym TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    website TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (name_key, country)
  );

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    created_at TEXT NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE charters (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('drafting', 'finalised')),
    template_id TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE sections (
    id TEXT PRIMARY KEY,
    charter_id TEXT NOT NULL REFERENCES charters(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (charter_id, key)
  );
  CREATE INDEX sections_charter ON sections(charter_id, position);

  CREATE TABLE members (
    charter_id TEXT NOT NULL REFERENCES charters(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('secretariat', 'drafter', 'observer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (charter_id, user_id)
  );
  CREATE INDEX members_user ON members(user_id);

  CREATE TABLE member_sections (
    charter_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    PRIMARY KEY (charter_id, user_id, section_id),
    FOREIGN KEY (charter_id, user_id) REFERENCES members(charter_id, user_id) ON DELETE CASCADE
  );

  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    charter_id TEXT NOT NULL REFERENCES charters(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('secretariat', 'drafter', 'observer')),
    section_ids TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT REFERENCES users(id),
    revoked_at TEXT
  );
  CREATE INDEX invitations_charter ON invitations(charter_id);

  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    charter_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_charter ON audit_events(charter_id, id);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

  -- Each section is one Yjs document: a compacted state plus the updates appended since.
  CREATE TABLE section_docs (
    section_id TEXT PRIMARY KEY REFERENCES sections(id) ON DELETE CASCADE,
    state BLOB NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE section_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id TEXT NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    data BLOB NOT NULL
  );
  CREATE INDEX section_updates_section ON section_updates(section_id, id);
  `,
];
