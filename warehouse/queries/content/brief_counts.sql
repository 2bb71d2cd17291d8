SELECT count(*) AS briefs, count(DISTINCT sku) AS products, count(DISTINCT segment) AS segments
FROM marts.briefs WHERE batch_id = $batch_id
