-- Copy of one batch to publish, with what an export needs about its brief. $scope 'approved' takes every
-- approved line, whether the policy or a person approved it; 'auto_approved' only the policy's approvals
-- (a review gate that timed out under on_timeout: publish_auto_approved).
SELECT
    c.item_id, c.brief_id, c.content_type, b.channel, c.field, c.variant, c.text,
    b.sku, b.segment, json_extract_string(b.product, '$.name') AS product_name,
    d.quality, c.model_version, c.template_version, c.seed
FROM content.copy_items AS c
JOIN content.decisions AS d USING (item_id)
JOIN marts.briefs AS b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
WHERE c.batch_id = $batch_id AND d.decision = 'approved'
  AND ($scope = 'approved' OR d.decided_by LIKE 'policy:%')
ORDER BY b.sku, b.segment, c.content_type, c.field, c.variant;
