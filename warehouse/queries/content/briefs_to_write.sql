SELECT brief_id, sku, content_type, product, segment_profile
FROM marts.briefs
WHERE batch_id = $batch_id
ORDER BY content_type, brief_id
