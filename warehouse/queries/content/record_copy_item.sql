INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, raw_output, prompt,
                                seed, model_version, template_version, parts)
VALUES ($item_id, $batch_id, $brief_id, $content_type, $field, $variant, $text, $raw_output, $prompt, $seed,
        $model_version, $template_version, $parts)
