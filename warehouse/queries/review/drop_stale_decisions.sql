-- A person's decision holds only for the content it was made on. For the decide stage, before the policy
-- decides batch $batch_id: drop people's decisions whose item has changed since (a re-generated text, a
-- re-drawn banner) or is gone, so the new content is decided afresh. Decisions from before the review app
-- (no fingerprint) are dropped too.
DELETE FROM content.decisions AS d
WHERE d.batch_id = $batch_id
  AND d.decided_by NOT LIKE 'policy:%'
  AND d.content_sha256 IS DISTINCT FROM (
      SELECT f.content_sha256 FROM content.item_fingerprints($batch_id) AS f WHERE f.item_id = d.item_id);
