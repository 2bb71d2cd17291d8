-- SQLite (session store): the times of failed logins since $since, for the user name $username (only since
-- its last successful login) and for the address $address; kind says which.
SELECT 'user' AS kind, attempted_at
FROM login_attempts
WHERE username = $username AND NOT ok AND attempted_at > $since
  AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts WHERE username = $username AND ok), 0)
UNION ALL
SELECT 'address', attempted_at
FROM login_attempts
WHERE address = $address AND NOT ok AND attempted_at > $since
ORDER BY attempted_at DESC;
