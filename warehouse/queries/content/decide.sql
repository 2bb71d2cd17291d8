-- Policy decisions for one batch, from its rows in content.scores.
-- Any failed hard check rejects; otherwise the weakest soft score decides (and is named), so one strong
-- score cannot hide a weak one (an off-topic line with perfect grammar):
-- >= $approve_at approved, >= $review_at needs_review, else rejected. Items with no soft score go to
-- review rather than being approved blind. Items a person has decided are left alone. The editor judge's
-- version is stored with each decision.
-- The caller first deletes the batch's 'policy:%' rows (DuckDB takes parameters in one statement only).
INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, policy_version, decided_by,
                               judge_version)
WITH items AS (
    SELECT
        item_id,
        any_value(batch_id) AS batch_id,
        bool_or(hard AND NOT passed) AS hard_failed,
        min(score) FILTER (WHERE NOT hard) AS quality,
        arg_min(check_name, score) FILTER (WHERE NOT hard) AS weakest,
        coalesce(list(check_name || ': ' || coalesce(reason, 'failed') ORDER BY check_name)
                 FILTER (WHERE hard AND NOT passed), []) AS hard_reasons,
        coalesce(list(check_name || ': ' || reason ORDER BY check_name)
                 FILTER (WHERE NOT hard AND reason IS NOT NULL), []) AS soft_notes,
        any_value(model_version) FILTER (WHERE check_name = 'editor') AS judge_version
    FROM content.scores
    WHERE batch_id = $batch_id
    GROUP BY item_id
),
decided AS (
    SELECT
        *,
        CASE
            WHEN hard_failed THEN 'rejected'
            WHEN quality IS NULL THEN 'needs_review'
            WHEN quality >= $approve_at THEN 'approved'
            WHEN quality >= $review_at THEN 'needs_review'
            ELSE 'rejected'
        END AS decision
    FROM items
)
SELECT
    d.item_id,
    d.batch_id,
    CASE WHEN b.item_id IS NOT NULL OR d.item_id LIKE 'ban\_%' ESCAPE '\' THEN 'banner' ELSE 'copy' END,
    d.decision,
    coalesce(d.quality, 0),
    CASE
        WHEN d.hard_failed THEN d.hard_reasons
        WHEN d.quality IS NULL THEN ['no soft check scored this item']
        WHEN d.decision = 'approved' THEN []
        ELSE list_prepend(
            CASE WHEN d.decision = 'rejected'
                 THEN printf('lowest soft score %s %.2f is below the %.2f review bar', d.weakest, d.quality, $review_at)
                 ELSE printf('lowest soft score %s %.2f is below the %.2f approval bar', d.weakest, d.quality, $approve_at)
            END,
            d.soft_notes)
    END,
    $policy_version,
    'policy:' || $policy_version,
    d.judge_version
FROM decided d
LEFT JOIN content.banners b ON b.item_id = d.item_id
WHERE NOT EXISTS (
    SELECT 1 FROM content.decisions h WHERE h.item_id = d.item_id AND h.decided_by NOT LIKE 'policy:%'
)
