-- The edited text becomes the line's text: the one scored, decided and published.
UPDATE content.copy_items SET text = $text WHERE item_id = $item_id AND batch_id = $batch_id;
