-- Every banner of one batch ($batch_id), with its layout record.
SELECT item_id, path, size, layout FROM content.banners WHERE batch_id = $batch_id ORDER BY item_id;
