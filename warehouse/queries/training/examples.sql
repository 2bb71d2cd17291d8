-- What to learn from: every generation the model made for an approved line (copy_items.parts: the prompt
-- conversation it was asked and the cleaned text it answered), so the model learns its own part of the
-- line and not the facts the template slots around it. People's approvals come first, then the policy's
-- best ($min_quality and up). A part a person edited away (its text no longer in the line) is skipped, as
-- are lines the template wrote from facts (no parts). Products in the held-out split ($held_out_pct of 100
-- buckets by md5 of the sku) are left out: held_out.sql evaluates on them. Each prompt and answer once.
WITH approved AS (
    SELECT c.item_id, c.text, c.parts, d.decided_by NOT LIKE 'policy:%' AS by_person, d.quality
    FROM content.decisions AS d
    JOIN content.copy_items AS c USING (item_id)
    JOIN marts.briefs AS br ON br.batch_id = c.batch_id AND br.brief_id = c.brief_id
    WHERE d.decision = 'approved'
      AND d.item_kind = 'copy'
      AND (d.decided_by NOT LIKE 'policy:%' OR d.quality >= $min_quality)
      AND md5_number(br.sku) % 100 >= $held_out_pct
),
parts AS (
    SELECT item_id, text, by_person, quality, unnest(CAST(parts AS JSON[])) AS part FROM approved
)
SELECT item_id, CAST(part -> '$.prompt' AS VARCHAR) AS prompt, part ->> '$.text' AS answer, by_person, quality
FROM parts
WHERE answer <> '' AND contains(text, answer)
QUALIFY row_number() OVER (PARTITION BY prompt, answer ORDER BY by_person DESC, quality DESC, item_id) = 1
ORDER BY by_person DESC, quality DESC, item_id, prompt
LIMIT $max_examples;
