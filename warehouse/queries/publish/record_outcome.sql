-- A delivery the destination confirmed. A file whose content changed since (more items approved) is
-- recorded with its new checksum; the row stays one per (item or file, destination).
INSERT INTO content.publications (batch_id, item_id, destination, location, checksum)
VALUES ($batch_id, $item_id, $destination, $location, $checksum)
ON CONFLICT (item_id, destination) DO UPDATE
SET location = excluded.location, checksum = excluded.checksum, published_at = now();
