-- Attempts spent on one delivery, and its last error (NULL once it got through).
UPDATE content.publication_intents
SET attempts = attempts + $attempts, last_error = $error
WHERE item_id = $item_id AND destination = $destination;
