-- The loads of one entity that an incremental model holds, as each was when staged.
SELECT load_id, raw_rows, held_rows, held_hash FROM ops.staged_loads WHERE entity = $entity
