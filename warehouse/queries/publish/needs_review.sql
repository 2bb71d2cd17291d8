-- Items of one batch that wait for a person.
SELECT count(*) FROM content.decisions WHERE batch_id = $batch_id AND decision = 'needs_review';
