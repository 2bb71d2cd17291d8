-- Make $model_version the champion of its kind and retire the one it replaces, in one statement.
UPDATE ops.model_registry
SET status = CASE WHEN model_version = $model_version THEN 'champion' ELSE 'retired' END,
    promoted_at = CASE WHEN model_version = $model_version THEN now() ELSE promoted_at END
WHERE kind = $kind AND (model_version = $model_version OR status = 'champion');
