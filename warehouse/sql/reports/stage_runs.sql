-- Wall time and output rows per stage for one batch ($1), in pipeline order.
SELECT stage, seconds, rows_out
FROM ops.stage_runs
WHERE batch_id = $1
ORDER BY seq;
