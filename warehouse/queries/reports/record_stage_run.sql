INSERT INTO ops.stage_runs (batch_id, seq, stage, seconds, rows_out) VALUES ($batch_id, $seq, $stage, $seconds, $rows_out)
