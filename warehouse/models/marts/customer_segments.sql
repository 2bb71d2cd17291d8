-- Segments and lifecycle stages described by aggregates only: this is what prompts may see about an audience.
WITH members AS (
    SELECT m.segment, d.* EXCLUDE (segment)
    FROM marts.segment_members AS m
    JOIN marts.dim_customer AS d USING (customer_id)
),
-- Revenue per category for each pair of RFM segment and lifecycle stage (one join row per order line, not one
-- per line and audience), then per audience: a customer counts in the segment and in the stage, once where the
-- two are the same ('prospects', 'new'), as in segment_members.
pair_categories AS (
    SELECT d.segment, d.lifecycle, f.category, sum(f.line_amount) AS revenue
    FROM marts.fct_order_lines AS f
    JOIN marts.dim_customer AS d USING (customer_id)
    WHERE f.category IS NOT NULL
    GROUP BY ALL
),
segment_categories AS (
    SELECT a.segment, p.category, sum(p.revenue) AS revenue
    FROM (SELECT DISTINCT segment FROM marts.segment_members) AS a
    JOIN pair_categories AS p ON a.segment = p.segment OR a.segment = p.lifecycle
    GROUP BY ALL
),
top_categories AS (
    SELECT segment, list(category ORDER BY revenue DESC)[1:3] AS top_categories
    FROM segment_categories
    GROUP BY segment
),
stats AS (
    SELECT
        segment,
        count(*)                                  AS customers,
        round(count(*) / (SELECT count(*) FROM marts.dim_customer), 4) AS share,
        round(avg(orders), 2)                     AS avg_orders,
        round(avg(revenue), 2)                    AS avg_revenue,
        round(avg(recency_days), 1)               AS avg_recency_days
    FROM members
    GROUP BY segment
)
SELECT
    s.*,
    coalesce(t.top_categories, []) AS top_categories,
    format(
        '{} customers ({}% of all); {} orders each on average, last order about {} days ago; they buy mostly {}.',
        s.segment, round(100 * s.share, 1), s.avg_orders, coalesce(CAST(round(s.avg_recency_days) AS INTEGER), 0),
        coalesce(array_to_string(t.top_categories, ', '), 'nothing yet')
    ) AS description
FROM stats AS s
LEFT JOIN top_categories AS t USING (segment)
