-- What one destination has confirmed of one batch: items and export files, with the checksum delivered.
SELECT item_id, checksum FROM content.publications WHERE batch_id = $batch_id AND destination = $destination;
