-- Every copy item of one batch ($batch_id) with its brief, decision and failed checks.
SELECT
    c.item_id, b.sku, json_extract_string(b.product, '$.name') AS product_name, b.segment, b.channel,
    c.content_type, c.variant, c.text, d.decision, d.quality, d.reasons,
    c.model_version, c.template_version, c.seed,
    coalesce(list(s.check_name || ': ' || s.reason ORDER BY s.check_name) FILTER (WHERE NOT s.passed), []) AS failed_checks
FROM content.copy_items AS c
JOIN marts.briefs AS b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
LEFT JOIN content.decisions AS d USING (item_id)
LEFT JOIN content.scores AS s USING (item_id)
WHERE c.batch_id = $batch_id
GROUP BY ALL
ORDER BY b.sku, b.segment, c.content_type, c.variant;
