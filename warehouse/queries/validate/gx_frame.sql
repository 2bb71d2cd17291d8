-- The rows of one load that Great Expectations validates: the raw text is sampled first (<vectors>: whole
-- vectors of rows, <sample>: a reservoir of them, both seeded), then the numbers and dates are derived from
-- the sample only. The column lists come from the entity's rules (adcraft/sources/rules.py).
-- Rows a join found nothing for (_unmatched) are left out: landing quarantined them under `joined`.
SELECT {{ frame_columns }}
FROM (SELECT {{ checked_columns }} FROM raw.{{ entity }}{{ vectors }} WHERE _load_id = $load_id AND _unmatched IS NULL){{ sample }}
ORDER BY _row_number
