-- A batch reaches its review gate: 'waiting' until $timeout_s from now, or 'not_required' (closed at once).
INSERT OR REPLACE INTO content.review_gates
    (batch_id, flow_run_id, status, deadline, on_timeout, decision, reviewer, opened_at, closed_at)
VALUES (
    $batch_id, $flow_run_id, $status, now() + to_seconds(CAST($timeout_s AS DOUBLE)), $on_timeout, NULL, NULL, now(),
    CASE WHEN $status = 'waiting' THEN NULL ELSE now() END
);
