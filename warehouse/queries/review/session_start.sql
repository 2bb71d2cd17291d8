-- SQLite (session store): a new session for $username, opened at $now, ending at $expires_at.
INSERT INTO sessions (session_hash, username, password_stamp, address, created_at, expires_at)
VALUES ($session_hash, $username, $password_stamp, $address, $now, $expires_at);
