-- SQLite (session store): login attempts older than a day ($before) go.
DELETE FROM login_attempts WHERE attempted_at < $before;
