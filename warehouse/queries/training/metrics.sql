-- A version's held-out evaluation (and the champion's on the same briefs, for comparison).
UPDATE ops.model_registry SET metrics = $metrics WHERE model_version = $model_version;
