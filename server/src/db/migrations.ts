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
  // 2: versions (immutable), sign-ons, submissions with their exact documents
  `
  CREATE TABLE versions (
    id TEXT PRIMARY KEY,
    charter_id TEXT NOT NULL REFERENCES charters(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    label TEXT,
    -- The charter's title when it was finalised: part of the hashed content.
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (charter_id, number)
  );
  CREATE TABLE version_sections (
    version_id TEXT NOT NULL REFERENCES versions(id),
    position INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    doc TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
  );
  CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
    BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
  CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
    BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
  CREATE TRIGGER version_sections_no_update BEFORE UPDATE ON version_sections
    BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
  CREATE TRIGGER version_sections_no_delete BEFORE DELETE ON version_sections
    BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;

  CREATE TABLE signons (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id),
    charter_id TEXT NOT NULL REFERENCES charters(id),
    -- The hash of the exact text signed.
    version_sha256 TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    -- The organisation as the signer wrote it, and the key that makes it unique per version.
    org_name TEXT NOT NULL,
    org_name_key TEXT NOT NULL,
    org_acronym TEXT NOT NULL DEFAULT '',
    org_website TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    signatory_name TEXT NOT NULL,
    signatory_title TEXT NOT NULL,
    signatory_email TEXT NOT NULL,
    public_listing INTEGER NOT NULL CHECK (public_listing IN (0, 1)),
    account_id TEXT NOT NULL REFERENCES users(id),
    signed_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT REFERENCES users(id)
  );
  -- One live sign-on per organisation and version, whatever arrives at once.
  CREATE UNIQUE INDEX signons_live_organisation ON signons(version_id, org_name_key, country) WHERE withdrawn_at IS NULL;
  CREATE INDEX signons_version ON signons(version_id, signed_at);
  CREATE TRIGGER signons_no_delete BEFORE DELETE ON signons
    BEGIN SELECT RAISE(ABORT, 'sign-ons are withdrawn, never deleted'); END;
  -- The only change a sign-on accepts is being withdrawn, once.
  CREATE TRIGGER signons_withdraw_once BEFORE UPDATE ON signons WHEN OLD.withdrawn_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'this sign-on is already withdrawn'); END;
  CREATE TRIGGER signons_fixed_fields BEFORE UPDATE OF id, version_id, charter_id, version_sha256, organisation_id, org_name,
    org_name_key, org_acronym, org_website, country, signatory_name, signatory_title, signatory_email, public_listing,
    account_id, signed_at ON signons
    BEGIN SELECT RAISE(ABORT, 'a sign-on can only be withdrawn'); END;

  CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES versions(id),
    charter_id TEXT NOT NULL REFERENCES charters(id),
    recipient TEXT NOT NULL,
    reference TEXT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'acknowledged', 'adopted', 'returned')),
    submitted_at TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    -- Exactly what was sent.
    docx BLOB NOT NULL,
    docx_sha256 TEXT NOT NULL,
    docx_bytes INTEGER NOT NULL,
    signon_count INTEGER NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX submissions_charter ON submissions(charter_id, created_at);
  CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
    BEGIN SELECT RAISE(ABORT, 'submissions are kept'); END;
  CREATE TRIGGER submissions_fixed_fields BEFORE UPDATE OF id, version_id, charter_id, recipient, reference, submitted_at,
    docx, docx_sha256, docx_bytes, signon_count, created_by, created_at ON submissions
    BEGIN SELECT RAISE(ABORT, 'only the status and notes of a submission change'); END;

  CREATE TABLE submission_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL REFERENCES submissions(id),
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL DEFAULT '',
    from_status TEXT,
    to_status TEXT NOT NULL,
    notes_changed INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX submission_events_submission ON submission_events(submission_id, id);
  CREATE TRIGGER submission_events_no_update BEFORE UPDATE ON submission_events
    BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;
  CREATE TRIGGER submission_events_no_delete BEFORE DELETE ON submission_events
    BEGIN SELECT RAISE(ABORT, 'submission_events is append-only'); END;
  `,
];
