-- Every batch ($batch_id NULL) or one, newest first, with its items per decision and the share of its
-- copy lines approved.
SELECT
    b.batch_id, b.campaign, b.run_date, b.brand,
    count(d.item_id) AS item_count,
    count(d.item_id) FILTER (WHERE d.decision = 'approved') AS approved,
    count(d.item_id) FILTER (WHERE d.decision = 'needs_review') AS needs_review,
    count(d.item_id) FILTER (WHERE d.decision = 'rejected') AS rejected,
    count(d.item_id) FILTER (WHERE d.item_kind = 'copy' AND d.decision = 'approved')
        / nullif(count(d.item_id) FILTER (WHERE d.item_kind = 'copy'), 0) AS approval_rate
FROM content.batches AS b
LEFT JOIN content.decisions AS d USING (batch_id)
WHERE $batch_id IS NULL OR b.batch_id = $batch_id
GROUP BY ALL
ORDER BY b.run_date DESC, b.batch_id;
