-- Banners of one batch to publish ($scope as in publishable_copy.sql), with the illustration's record:
-- its source, and for an OpenMoji picture the attribution its licence asks for.
SELECT
    n.item_id, n.sku, n.segment, n.size, n.path, n.headline, d.quality,
    json_extract(n.layout, '$.illustration') AS illustration
FROM content.banners AS n
JOIN content.decisions AS d USING (item_id)
WHERE n.batch_id = $batch_id AND d.decision = 'approved'
  AND ($scope = 'approved' OR d.decided_by LIKE 'policy:%')
ORDER BY n.sku, n.segment, n.size;
