-- What ended a batch's wait: a reviewer's decision ('reviewed'), or the timeout and its policy ('timed_out').
UPDATE content.review_gates
SET status = $status, decision = $decision, reviewer = $reviewer, closed_at = now()
WHERE batch_id = $batch_id;
