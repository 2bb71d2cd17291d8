-- 011: exports joined to other files, and the currencies a source declares.
-- Why a row's join found no row in the other file (or the entity's query did not return it): landing
-- quarantines such rows under the rule `joined`. NULL for every other row.
ALTER TABLE raw.products ADD COLUMN _unmatched VARCHAR;
ALTER TABLE raw.customers ADD COLUMN _unmatched VARCHAR;
ALTER TABLE raw.order_lines ADD COLUMN _unmatched VARCHAR;
-- The currencies the load's source declared (`currencies:` in its YAML), which validation checks prices against.
ALTER TABLE ops.loads ADD COLUMN currencies VARCHAR[];
-- The view lists ops.loads' columns as they were when it was made.
CREATE OR REPLACE VIEW ops.newest_loads AS
SELECT * FROM ops.loads
QUALIFY row_number() OVER (PARTITION BY entity, source_file ORDER BY loaded_at DESC, load_id DESC) = 1;
