-- Customers with RFM scores and a segment. No PII: name, email and phone stay in staging.
CREATE OR REPLACE TABLE marts.dim_customer AS
WITH activity AS (
    SELECT
        customer_id,
        min(ordered_at)            AS first_order_at,
        max(ordered_at)            AS last_order_at,
        count(DISTINCT order_id)   AS orders,
        sum(line_amount)           AS revenue
    FROM marts.fct_order_lines
    GROUP BY customer_id
),
scored AS (
    SELECT
        c.customer_id, c.city, c.country, c.signup_date,
        a.first_order_at, a.last_order_at,
        coalesce(a.orders, 0)  AS orders,
        coalesce(a.revenue, 0) AS revenue,
        date_diff('day', CAST(a.last_order_at AS DATE), getvariable('as_of')) AS recency_days,
        date_diff('day', CAST(a.first_order_at AS DATE), getvariable('as_of')) AS tenure_days,
        -- 5 is best: recent, frequent, high spend. Customers with no orders get no scores.
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.last_order_at) END AS r_score,
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.orders, a.revenue) END AS f_score,
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.revenue) END AS m_score
    FROM staging.stg_customers AS c
    LEFT JOIN activity AS a USING (customer_id)
)
SELECT
    *,
    CASE
        WHEN orders = 0 THEN 'prospects'
        WHEN tenure_days <= 90 THEN 'new'
        WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'champions'
        WHEN r_score >= 3 AND f_score >= 3 THEN 'loyal'
        WHEN r_score <= 2 AND f_score >= 3 THEN 'at_risk'
        WHEN r_score <= 2 THEN 'hibernating'
        ELSE 'promising'
    END AS segment
FROM scored;
