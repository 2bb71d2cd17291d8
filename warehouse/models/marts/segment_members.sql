-- Who is in which audience: every customer is in one RFM segment and one lifecycle stage. A campaign's
-- `segments` may name either; 'prospects' and 'new' mean the same in both, so they appear once.
SELECT customer_id, segment FROM marts.dim_customer
UNION ALL
SELECT customer_id, lifecycle FROM marts.dim_customer WHERE lifecycle IS DISTINCT FROM segment
