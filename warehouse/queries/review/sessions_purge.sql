-- SQLite (session store): sessions that ended or expired over a day ago ($before) go.
DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < $before;
