INSERT INTO ops.staged_loads (entity, load_id, raw_rows, held_rows, held_hash)
VALUES ($entity, $load_id, $raw_rows, $held_rows, $held_hash)
