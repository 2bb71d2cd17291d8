-- For `adcraft sources check`: the rows of one load, and those a join found nothing for ($text is what their
-- _unmatched says of that join).
SELECT count(*), count(*) FILTER (WHERE contains(_unmatched, $text)) FROM raw.{{ entity }} WHERE _load_id = $load_id
