-- One load's customers that passed validation (or were released), typed. Incremental (warehouse/models.yaml):
-- each load upserts by customer_id, and within a load the file's last row wins (_row_number). name, email and
-- phone are PII: they stay in staging and never reach a mart, a prompt or an output.
SELECT
    trim(c.customer_id)              AS customer_id,
    trim(c.name)                     AS name,
    lower(trim(c.email))             AS email,
    trim(c.phone)                    AS phone,
    trim(c.city)                     AS city,
    upper(trim(c.country))           AS country,
    TRY_CAST(c.signup_date AS DATE)  AS signup_date,
    c._load_id                       AS load_id,
    c._row_number
FROM raw.customers AS c
WHERE c._load_id = $load_id
  AND c._row_number NOT IN (
      SELECT q._row_number FROM quarantine.held AS q
      WHERE q.entity = 'customers' AND q._load_id = $load_id)
