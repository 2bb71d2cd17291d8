-- 006: what the model wrote for each copy line. A line can be more than one generation: the template
-- slots facts around the model's words (an SMS's price and link) or joins several short generations (a
-- product description's sentences), and some lines are written from product facts alone (its bullets).
-- parts: one {"prompt": [chat messages], "raw": model output, "text": cleaned} per generation, in order;
-- [] for a line the template wrote from facts. A (prompt, text) part is what the model was asked and
-- answered, so it is what fine-tuning and few-shot examples should learn from. For lines of several
-- generations, `prompt` keeps the first one's conversation and `raw_output` all raw outputs.
ALTER TABLE content.copy_items ADD COLUMN parts JSON DEFAULT '[]';
