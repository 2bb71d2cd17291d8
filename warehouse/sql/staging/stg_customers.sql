-- Customers that passed validation (or were released), newest version per id. name, email and phone are
-- PII: they stay in staging and never reach a mart, a prompt or an output.
CREATE OR REPLACE TABLE staging.stg_customers AS
SELECT
    trim(c.customer_id)              AS customer_id,
    trim(c.name)                     AS name,
    lower(trim(c.email))             AS email,
    trim(c.phone)                    AS phone,
    trim(c.city)                     AS city,
    upper(trim(c.country))           AS country,
    TRY_CAST(c.signup_date AS DATE)  AS signup_date,
    c._load_id                       AS load_id
FROM raw.customers AS c
JOIN ops.loads AS l ON l.load_id = c._load_id
WHERE NOT EXISTS (
    SELECT 1 FROM quarantine.held AS q
    WHERE q.entity = 'customers' AND q._load_id = c._load_id AND q._row_number = c._row_number
)
QUALIFY row_number() OVER (PARTITION BY trim(c.customer_id) ORDER BY l.loaded_at DESC, c._load_id DESC, c._row_number DESC) = 1;
