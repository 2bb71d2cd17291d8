-- SQLite (session store): end one session ($session_hash), or every open session of $username.
UPDATE sessions SET ended_at = $now, ended_why = $why
WHERE ended_at IS NULL AND (session_hash = $session_hash OR username = $username);
