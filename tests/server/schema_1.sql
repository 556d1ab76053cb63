-- The server database's schema 1 (mutolaa-server before the quota), for the migration test.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    koreader_hash TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    last_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX login_failures_name ON login_failures(name_key, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE TABLE objects (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, object_id)
);
CREATE UNIQUE INDEX objects_version ON objects(user_id, version);
CREATE INDEX objects_live ON objects(user_id, kind, deleted);
CREATE TABLE history (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT NOT NULL,
    device TEXT NOT NULL,
    op_id TEXT NOT NULL,
    PRIMARY KEY (user_id, version)
);
CREATE TABLE operations (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    op_id TEXT NOT NULL,
    results TEXT NOT NULL,
    PRIMARY KEY (user_id, op_id)
);
CREATE TABLE koreader_progress (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    document TEXT NOT NULL,
    progress TEXT NOT NULL,
    percentage REAL NOT NULL,
    device TEXT NOT NULL,
    device_id TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (user_id, document)
);
PRAGMA user_version = 1;
