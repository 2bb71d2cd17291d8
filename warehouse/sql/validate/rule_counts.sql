-- For one rule on one load: the rows it checks and the rows GX counts as failing, so the SQL side makes the
-- same `mostly` decision as GX. tasks/validate.py fills in {entity}, {derived}, {checked} and {failing}.
SELECT {checked}, count(*) FILTER (WHERE {failing})
FROM (SELECT *{derived} FROM raw.{entity} WHERE _load_id = $load_id)
