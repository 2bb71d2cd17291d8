INSERT INTO content.banners (item_id, batch_id, sku, segment, size, path, bytes, headline, layout, template_version)
VALUES ($item_id, $batch_id, $sku, $segment, $size, $path, $bytes, $headline, $layout, $template_version)
