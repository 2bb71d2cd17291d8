-- Lines published in the last $days days by batches other than $batch_id, newest first: new copy must not
-- repeat them (the near_duplicate check), and the newest $max_lines are enough to catch a repeat.
SELECT c.text
FROM content.publications AS p
JOIN content.copy_items AS c USING (item_id)
WHERE p.batch_id <> $batch_id AND p.published_at >= now() - to_days(CAST($days AS INTEGER))
GROUP BY c.text
ORDER BY max(p.published_at) DESC
LIMIT $max_lines
