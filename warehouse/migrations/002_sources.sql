-- 002: sources declared in YAML, an optional product flag, and quarantine releases.
-- Which source (sources/<name>.yaml) each load came from.
ALTER TABLE ops.loads ADD COLUMN source VARCHAR;
-- '0'/'1', yes/no and the like are mapped to true/false by the source; inactive products get no briefs.
ALTER TABLE raw.products ADD COLUMN active VARCHAR;
-- The row's key (e.g. the sku) and the rule's kind, so marts can tell which products are held back.
ALTER TABLE quarantine.rows ADD COLUMN record_key VARCHAR;
ALTER TABLE quarantine.rows ADD COLUMN rule_kind VARCHAR;

-- Set when an engineer re-admits a row (`adcraft quarantine release`): staging reads it again.
ALTER TABLE quarantine.rows ADD COLUMN released_at TIMESTAMP;
ALTER TABLE quarantine.rows ADD COLUMN released_by VARCHAR;
ALTER TABLE quarantine.rows ADD COLUMN release_note VARCHAR;

-- The newest load of each file (or table): what validation blocks on and the report shows.
CREATE VIEW ops.newest_loads AS
SELECT * FROM ops.loads
QUALIFY row_number() OVER (PARTITION BY entity, source_file ORDER BY loaded_at DESC, load_id DESC) = 1;

-- Quarantined rows still held back: staging skips these and only these.
CREATE VIEW quarantine.held AS
SELECT * FROM quarantine.rows WHERE released_at IS NULL;
