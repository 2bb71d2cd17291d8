-- The values each filter of one batch's page ($batch_id) can take.
SELECT 'channel' AS filter, channel AS value FROM marts.briefs WHERE batch_id = $batch_id
UNION SELECT 'channel', 'banners' FROM content.banners WHERE batch_id = $batch_id
UNION SELECT 'segment', segment FROM marts.briefs WHERE batch_id = $batch_id
UNION SELECT 'check', check_name FROM content.scores WHERE batch_id = $batch_id AND NOT passed
ORDER BY filter, value;
