-- Every banner of one batch ($1), with its layout record.
SELECT item_id, path, size, layout FROM content.banners WHERE batch_id = $1 ORDER BY item_id;
