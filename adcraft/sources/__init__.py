"""Getting a shop's data in: source YAML, landing exports in the raw tables, validation rules (Great
Expectations and the same rules in SQL), quarantine, `adcraft sources check`, and the demo shop."""
