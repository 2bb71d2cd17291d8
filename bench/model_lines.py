"""Lines a text model writes for given products, for people to read and label (the editor judge's training
data, corpus/judge/, and the held-out editor set, tests/data/). Not a benchmark: a tool for making labelled
sets, kept so that the sets can be explained and made again.

    python -m bench.model_lines PRODUCTS.jsonl OUT.jsonl [--per-product N] [--seed 7]

PRODUCTS.jsonl holds one {"sku", "voice", "category", "product": {...facts}} per line. Each product gets one
line for each model-written field, written as the nightly flow writes it (the field's request at an angle,
worked examples from the corpus for a model not trained on it, cleaned and composed), with the configured text
model. OUT gets one JSON line per written line.

corpus/judge/labelled_outputs.jsonl was made with this tool at commit 265aad2, before the copy model and its
short requests: SmolLM2-135M-Instruct with the few-shot prompts of that time, on 96 corpus products.
"""

import argparse
import json
from pathlib import Path

from adcraft.generation.plan import TextModel, plan_chunks, plan_jobs, plan_slots, read_outputs
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand
from adcraft.kernel.settings import get_settings

LINK = "https://shop.example.com/p/{sku}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("products", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    settings = get_settings()
    model = TextModel.configured(settings)
    generator = model.load(settings)
    products = [json.loads(line) for line in args.products.read_text().splitlines() if line.strip()]
    with args.out.open("w") as out:
        for record in products:
            brand = load_brand(record["voice"])
            facts = json.dumps({"sku": record["sku"], **record["product"]})
            briefs = [(f"{record['sku']}-{ct}", record["sku"], ct, facts, "{}") for ct in CONTENT_TYPES]
            jobs = plan_jobs(briefs, brand, 1, LINK, None)
            jobs = [job for job in jobs if job.candidates]
            slots = plan_slots(jobs, model.examples, record["voice"])
            batches, chunks = plan_chunks(jobs, slots, record["sku"], settings.generation_batch_size, args.seed)
            outputs = [generator.generate(c.conversations, c.max_new_tokens, c.seed) for c in chunks]
            generations = read_outputs(jobs, batches, chunks, outputs)
            for (j, _), g in sorted(generations.items()):
                job = jobs[j]
                out.write(json.dumps({"sku": record["sku"], "category": record["category"], "voice": record["voice"],
                                      "content_type": job.content_type, "field": job.spec.name,
                                      "product": record["product"], "text": job.prompt.compose(g.text),
                                      "model_version": generator.version}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
