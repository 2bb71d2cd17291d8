-- The copy lines of the brief that line $item_id (of $batch_id) belongs to, with what the checks need, as
-- content/copy_to_score.sql gives them to the score stage, and the batch's brand.
SELECT c.item_id, c.brief_id, c.content_type, c.field, c.variant, c.text, b.product, b.sku,
       json_extract_string(bt.campaign_config, '$.link') AS link_template, bt.brand
FROM content.copy_items AS c
JOIN marts.briefs AS b USING (batch_id, brief_id)
JOIN content.batches AS bt USING (batch_id)
WHERE c.batch_id = $batch_id
  AND c.brief_id = (SELECT brief_id FROM content.copy_items WHERE item_id = $item_id)
ORDER BY c.variant, c.item_id;
