-- Every copy item of one batch ($batch_id), with its brief, product facts, the campaign's link template, and
-- whether the template wrote it from product facts alone (adcraft/generation/plan.py FACTS_MODEL).
SELECT c.item_id, c.brief_id, c.content_type, c.field, c.variant, c.text, b.product, b.sku,
       json_extract_string(bt.campaign_config, '$.link') AS link_template, c.model_version = 'facts' AS from_facts
FROM content.copy_items AS c
JOIN marts.briefs AS b USING (batch_id, brief_id)
LEFT JOIN content.batches AS bt USING (batch_id)
WHERE c.batch_id = $batch_id
ORDER BY c.item_id;
