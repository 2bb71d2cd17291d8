"""Copy generation throughput on CPU: variants per second, one `generate` per batch of 16 against one
`generate` per variant, on the same 16 variants. Twice: for 16 different prompts, and for best-of-N as the
demo campaign runs it (8 prompts, 2 candidates each). Run `python -m bench.generation`; it prints the
figures and writes bench/results/generation.json."""

import os
import time

import torch

from adcraft.channels import CONTENT_TYPES
from adcraft.config import load_brand, load_campaign
from adcraft.prompts import FieldPrompt
from adcraft.settings import PROJECT_DIR, get_settings
from models.text_generator import load_text_generator

BATCH = 16
CONTENT_TYPE = "meta_feed"
TARGET_SPEEDUP = 6.0
PRODUCTS = [
    ("Linen Shirt", "Shirts", "linen", ["navy"], 39.0),
    ("Trail Runner Sneaker", "Shoes", "mesh", ["black", "orange"], 89.0),
    ("Organic Cotton Crew Tee", "T-Shirts", "organic cotton", ["pink", "white"], 19.5),
    ("Wool Blend Overcoat", "Coats", "wool", ["camel"], 189.0),
]
SEGMENTS = [
    {"segment": "champions", "top_categories": ["Shirts", "Coats"]},
    {"segment": "loyal", "top_categories": ["Shoes"]},
    {"segment": "new", "top_categories": []},
    {"segment": "at_risk", "top_categories": ["T-Shirts"]},
]


def _conversations(brand) -> list[list[dict]]:
    spec = CONTENT_TYPES[CONTENT_TYPE].fields[0]
    return [
        FieldPrompt(
            CONTENT_TYPE, spec,
            {"name": name, "category": category, "material": material, "colours": colours, "price": price,
             "currency": "EUR"},
            segment, brand, "https://example.com/p/{sku}",
        ).conversation(0, 0, {})
        for name, category, material, colours, price in PRODUCTS
        for segment in SEGMENTS
    ][:BATCH]


def _timed(generator, conversations: list, max_new_tokens: int) -> tuple[float, float]:
    """Seconds for one generate over the list, and for one generate per conversation."""
    start = time.perf_counter()
    generator.generate(conversations, max_new_tokens, seed=1)
    batched_s = time.perf_counter() - start
    start = time.perf_counter()
    for i, conversation in enumerate(conversations):
        generator.generate([conversation], max_new_tokens, seed=1 + i)
    return batched_s, time.perf_counter() - start


def main() -> dict:
    settings = get_settings()
    generator = load_text_generator(settings.models_dir, settings.text_model, "cpu")
    conversations = _conversations(load_brand("demo"))
    max_new_tokens = CONTENT_TYPES[CONTENT_TYPE].fields[0].max_new_tokens
    generator.generate(conversations[:2], max_new_tokens, seed=0)  # warm up kernels and caches

    batched_s, single_s = _timed(generator, conversations, max_new_tokens)
    candidates = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").candidates
    best_of_n = [c for c in conversations[:BATCH // candidates] for _ in range(candidates)]
    best_of_n_batched_s, best_of_n_single_s = _timed(generator, best_of_n, max_new_tokens)

    prompt_tokens = [
        len(generator.tokenizer(generator.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True))
            ["input_ids"])
        for c in conversations
    ]
    figures = {
        "device": "cpu",
        "model_version": generator.version,
        "content_type": CONTENT_TYPE,
        "variants": len(conversations),
        "max_new_tokens": max_new_tokens,
        # The few-shot prompt is long, so on CPU the prompt pass (the same work batched or not) dominates.
        "prompt_tokens_mean": round(sum(prompt_tokens) / len(prompt_tokens), 1),
        "batched_seconds": round(batched_s, 2),
        "one_at_a_time_seconds": round(single_s, 2),
        "batched_variants_per_s": round(BATCH / batched_s, 2),
        "one_at_a_time_variants_per_s": round(BATCH / single_s, 2),
        "speedup": round(single_s / batched_s, 2),
        "best_of_n_candidates": candidates,
        "best_of_n_batched_variants_per_s": round(BATCH / best_of_n_batched_s, 2),
        "best_of_n_one_at_a_time_variants_per_s": round(BATCH / best_of_n_single_s, 2),
        "best_of_n_speedup": round(best_of_n_single_s / best_of_n_batched_s, 2),
        "target_speedup": TARGET_SPEEDUP,
        "torch_threads": torch.get_num_threads(),
        # Other work on the machine slows the wall clock; the load average says how busy it was.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(f"generation ({CONTENT_TYPE}, {len(conversations)} variants, CPU): batched "
          f"{figures['batched_variants_per_s']} variants/s, one at a time {figures['one_at_a_time_variants_per_s']} "
          f"variants/s: {figures['speedup']}x; best-of-{candidates}: {figures['best_of_n_speedup']}x "
          f"(target {TARGET_SPEEDUP:.0f}x; load average {figures['load_average_1m']})")
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    write_results("generation", main())
