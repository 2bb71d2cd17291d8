-- Customers that passed validation (or were released), newest version per id: the newest load's row wins, and
-- within a load the file's last. name, email and phone are PII: they stay in staging and never reach a mart,
-- a prompt or an output. tasks/transform.py runs this for one load at a time, in getvariable('load_id'),
-- oldest load first, for every load not staged yet (all of them, on an emptied table, when quarantine or raw
-- changed under loads already staged), so it upserts by key: the load's rows replace those with their ids.
CREATE TABLE IF NOT EXISTS staging.stg_customers (
    customer_id VARCHAR, name VARCHAR, email VARCHAR, phone VARCHAR, city VARCHAR, country VARCHAR,
    signup_date DATE, load_id VARCHAR
);

CREATE OR REPLACE TEMP VIEW stg_customers_admitted AS
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
WHERE c._load_id = getvariable('load_id')
  AND c._row_number NOT IN (
      SELECT q._row_number FROM quarantine.held AS q
      WHERE q.entity = 'customers' AND q._load_id = getvariable('load_id'));

-- Ids the load has more than once (released duplicates), found by hash; a collision only sends a few more
-- rows through the exact window below.
CREATE OR REPLACE TEMP TABLE stg_customers_repeated AS
SELECT hash(customer_id) AS key_hash
FROM stg_customers_admitted
GROUP BY ALL
HAVING count(*) > 1;

DELETE FROM staging.stg_customers AS s
WHERE EXISTS (SELECT 1 FROM stg_customers_admitted AS n WHERE n.customer_id IS NOT DISTINCT FROM s.customer_id);

INSERT INTO staging.stg_customers
SELECT * EXCLUDE (_row_number)
FROM stg_customers_admitted
WHERE hash(customer_id) NOT IN (SELECT key_hash FROM stg_customers_repeated)
UNION ALL
(SELECT * EXCLUDE (_row_number)
 FROM stg_customers_admitted
 WHERE hash(customer_id) IN (SELECT key_hash FROM stg_customers_repeated)
 QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY _row_number DESC) = 1);
