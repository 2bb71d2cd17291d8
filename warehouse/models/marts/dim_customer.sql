-- Customers with RFM scores, an RFM segment and a lifecycle stage. No PII: name, email and phone stay in
-- staging. The two share 'prospects' (no order yet) and 'new' (first order within 90 days), defined alike.
WITH customer_orders AS (  -- orders first, so counting them needs no DISTINCT over every line
    SELECT customer_id, order_id, min(ordered_at) AS first_at, max(ordered_at) AS last_at, sum(line_amount) AS amount
    FROM marts.fct_order_lines
    GROUP BY ALL
),
activity AS (
    SELECT
        customer_id,
        min(first_at)              AS first_order_at,
        max(last_at)               AS last_order_at,
        count(order_id)            AS orders,
        sum(amount)                AS revenue
    FROM customer_orders
    GROUP BY customer_id
),
scored AS (
    SELECT
        c.customer_id, c.city, c.country, c.signup_date,
        a.first_order_at, a.last_order_at,
        coalesce(a.orders, 0)  AS orders,
        coalesce(a.revenue, 0) AS revenue,
        date_diff('day', CAST(a.last_order_at AS DATE), $as_of) AS recency_days,
        date_diff('day', CAST(a.first_order_at AS DATE), $as_of) AS tenure_days,
        -- 5 is best: recent, frequent, high spend. Customers with no orders get no scores. Ties are broken by
        -- customer_id, so a customer at a quintile's edge lands in the same one on every run.
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.last_order_at, c.customer_id) END AS r_score,
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.orders, a.revenue, c.customer_id) END AS f_score,
        CASE WHEN a.orders IS NOT NULL THEN ntile(5) OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.revenue, c.customer_id) END AS m_score,
        CASE WHEN a.orders IS NOT NULL THEN percent_rank() OVER (PARTITION BY a.orders IS NOT NULL ORDER BY a.revenue) END AS revenue_rank
    FROM staging.stg_customers AS c
    LEFT JOIN activity AS a USING (customer_id)
)
SELECT
    * EXCLUDE (revenue_rank),
    CASE
        WHEN orders = 0 THEN 'prospects'
        WHEN tenure_days <= 90 THEN 'new'
        WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'champions'
        WHEN r_score >= 3 AND f_score >= 3 THEN 'loyal'
        WHEN r_score <= 2 AND f_score >= 3 THEN 'at_risk'
        WHEN r_score <= 2 THEN 'hibernating'
        ELSE 'promising'
    END AS segment,
    -- Lifecycle by recency, with the top 5% by revenue who bought in the last half year as VIPs.
    CASE
        WHEN orders = 0 THEN 'prospects'
        WHEN tenure_days <= 90 THEN 'new'
        WHEN revenue_rank >= 0.95 AND recency_days <= 180 THEN 'vip'
        WHEN recency_days <= 90 THEN 'active'
        WHEN recency_days <= 240 THEN 'lapsing'
        ELSE 'lost'
    END AS lifecycle
FROM scored
