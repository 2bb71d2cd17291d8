-- Decisions of one batch by the policy (decided_by = $decided_by), per decision, and those people made.
SELECT decision, count(*) FILTER (WHERE decided_by = $decided_by) AS by_policy,
       count(*) FILTER (WHERE decided_by NOT LIKE 'policy:%') AS by_people
FROM content.decisions
WHERE batch_id = $batch_id
GROUP BY decision
