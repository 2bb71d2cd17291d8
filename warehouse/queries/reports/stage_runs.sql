-- Wall time and output rows per stage for one batch ($batch_id), in pipeline order.
SELECT stage, seconds, rows_out
FROM ops.stage_runs
WHERE batch_id = $batch_id
ORDER BY seq;
