-- SQLite, not DuckDB: the review app's session store (adcraft/review/sessions.py), a small file beside the
-- warehouse. A session is its token's SHA-256 (the token itself is only in the browser's signed cookie),
-- the user, a stamp of the password it was opened with, and when it ends; ended_at is set by a logout.
-- Login attempts, failed and not, are kept for the login limits (a day's worth; older ones are dropped).
CREATE TABLE IF NOT EXISTS sessions (
    session_hash   TEXT PRIMARY KEY,
    username       TEXT NOT NULL,
    password_stamp TEXT NOT NULL,
    address        TEXT,
    created_at     REAL NOT NULL,
    expires_at     REAL NOT NULL,
    ended_at       REAL,
    ended_why      TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
CREATE TABLE IF NOT EXISTS login_attempts (
    attempted_at REAL NOT NULL,
    username     TEXT NOT NULL,
    address      TEXT NOT NULL,
    ok           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_by_time ON login_attempts (attempted_at);
