-- One batch ($batch_id): its campaign's approval bars, the batch before it of the same campaign (for the
-- diff), its product link (for ad previews), and its review gate: 'waiting' while a nightly run is paused
-- for this review.
SELECT
    b.batch_id, b.campaign, b.run_date, b.brand,
    json_extract_string(b.campaign_config, '$.link') AS link,
    CAST(json_extract(b.campaign_config, '$.policy.approve_at') AS DOUBLE) AS approve_at,
    CAST(json_extract(b.campaign_config, '$.policy.review_at') AS DOUBLE) AS review_at,
    (SELECT p.batch_id FROM content.batches AS p
     WHERE p.campaign = b.campaign AND p.run_date < b.run_date
     ORDER BY p.run_date DESC LIMIT 1) AS previous_batch_id,
    g.status AS gate_status, g.deadline AS gate_deadline, g.on_timeout AS gate_on_timeout
FROM content.batches AS b
LEFT JOIN content.review_gates AS g ON g.batch_id = b.batch_id
WHERE b.batch_id = $batch_id;
