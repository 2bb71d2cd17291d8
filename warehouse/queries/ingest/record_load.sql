INSERT INTO ops.loads (load_id, entity, source_file, checksum, row_count, source, currencies)
VALUES ($load_id, $entity, $source_file, $checksum, $row_count, $source, $currencies)
