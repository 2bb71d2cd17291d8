-- SQLite (session store): one login attempt, failed or not ($ok).
INSERT INTO login_attempts (attempted_at, username, address, ok) VALUES ($now, $username, $address, $ok);
