-- 009: a model behind a score (the editor judge's version) is stored with it, and with every decision made
-- from it.
ALTER TABLE content.scores ADD COLUMN model_version VARCHAR;
ALTER TABLE content.decisions ADD COLUMN judge_version VARCHAR;
