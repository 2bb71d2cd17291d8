-- One batch's review gate, and how many of its items still wait for a person.
SELECT
    g.batch_id, g.flow_run_id, g.status, g.deadline, g.on_timeout, g.decision, g.reviewer,
    (SELECT count(*) FROM content.decisions AS d WHERE d.batch_id = g.batch_id AND d.decision = 'needs_review')
        AS needs_review
FROM content.review_gates AS g
WHERE g.batch_id = $batch_id;
