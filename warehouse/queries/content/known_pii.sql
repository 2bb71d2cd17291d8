-- Customers' full names and emails, lowercased: the pii check looks for them in copy.
SELECT coalesce(list(DISTINCT lower(trim(name))) FILTER (WHERE trim(name) <> ''), []),
       coalesce(list(DISTINCT lower(trim(email))) FILTER (WHERE trim(email) <> ''), [])
FROM raw.customers
