-- One batch ($batch_id): its campaign's approval bars, and the batch before it of the same campaign (for
-- the diff).
SELECT
    b.batch_id, b.campaign, b.run_date, b.brand,
    CAST(json_extract(b.campaign_config, '$.policy.approve_at') AS DOUBLE) AS approve_at,
    CAST(json_extract(b.campaign_config, '$.policy.review_at') AS DOUBLE) AS review_at,
    (SELECT p.batch_id FROM content.batches AS p
     WHERE p.campaign = b.campaign AND p.run_date < b.run_date
     ORDER BY p.run_date DESC LIMIT 1) AS previous_batch_id
FROM content.batches AS b
WHERE b.batch_id = $batch_id;
