-- SQLite (session store): the session with this token hash, if it has not ended or expired by $now.
SELECT username, password_stamp, created_at, expires_at
FROM sessions
WHERE session_hash = $session_hash AND ended_at IS NULL AND expires_at > $now;
