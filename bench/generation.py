"""Copy generation throughput on CPU: variants per second of the copy model with its short requests, against
what generation did before the copy corpus (SmolLM2-135M-Instruct with a worked example in every prompt,
bench/data/previous_prompts.json), in the same run, on the same 16 products. Then one batched `generate` of
ADCRAFT_GENERATION_BATCH_SIZE variants (64 by default) against one `generate` per variant, on the same
variants, for different prompts and for best-of-N as the demo campaign runs it (half as many prompts, 2
candidates each). Then tokens per second of a batched `generate`: on the CPU, and on CUDA (bfloat16) when a
GPU is there (null without one). Then the same model on the same requests through llama.cpp's OpenAI-compatible
server (ADCRAFT_TEXT_ENDPOINT's client) against in-process, in the same run. Run `python -m bench.generation`; it
prints the figures and writes bench/results/generation.json."""

import json
import os
import time

import torch

from adcraft.copy.prompts import FieldPrompt
from adcraft.generation.plan import TextModel
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand, load_campaign
from adcraft.kernel.settings import PROJECT_DIR, get_settings
from models.text_generator import TextGenerator, default_model_dir

PREVIOUS = PROJECT_DIR / "bench" / "data" / "previous_prompts.json"
TARGET_VS_PREVIOUS = 1.5

CONTENT_TYPE = "meta_feed"
TARGET_SPEEDUP = 6.0
PRODUCTS = [
    ("Linen Shirt", "Shirts", "linen", ["navy"], 39.0),
    ("Trail Runner Sneaker", "Shoes", "mesh", ["black", "orange"], 89.0),
    ("Organic Cotton Crew Tee", "T-Shirts", "organic cotton", ["pink", "white"], 19.5),
    ("Wool Blend Overcoat", "Coats", "wool", ["camel"], 189.0),
    ("Canvas Tote", "Bags", "canvas", ["olive"], 29.0),
    ("Merino Beanie", "Hats", "merino wool", ["grey"], 24.0),
    ("Denim Jacket", "Jackets", "denim", ["indigo"], 79.0),
    ("Leather Belt", "Accessories", "leather", ["brown"], 35.0),
    ("Silk Scarf", "Accessories", "silk", ["red", "gold"], 49.0),
    ("Rain Shell", "Jackets", "recycled polyester", ["yellow"], 119.0),
    ("Chino Trousers", "Trousers", "cotton twill", ["beige"], 59.0),
    ("Cashmere Jumper", "Knitwear", "cashmere", ["cream"], 149.0),
    ("Suede Loafer", "Shoes", "suede", ["tan"], 99.0),
    ("Cork Yoga Mat", "Sports", "cork", ["natural"], 45.0),
    ("Ceramic Mug", "Home", "stoneware", ["white"], 14.0),
    ("Bamboo Socks", "Socks", "bamboo", ["black"], 9.5),
]
ANGLES = ["benefit", "sensory", "occasion", "detail"]  # four requests per product, as four segments were


def _conversations(brand) -> list[list[dict]]:
    spec = CONTENT_TYPES[CONTENT_TYPE].fields[0]
    return [
        FieldPrompt(
            CONTENT_TYPE, spec,
            {"name": name, "category": category, "material": material, "colours": colours, "sizes": [],
             "price": price, "currency": "EUR"},
            brand, "https://example.com/p/x",
        ).conversation(angle)
        for name, category, material, colours, price in PRODUCTS
        for angle in ANGLES
    ]


def _rate(generator, conversations: list, max_new_tokens: int) -> float:
    """Variants per second of one batched generate, after a warm-up batch."""
    generator.generate(conversations, max_new_tokens, seed=0)
    start = time.perf_counter()
    generator.generate(conversations, max_new_tokens, seed=1)
    return round(len(conversations) / (time.perf_counter() - start), 2)


def _timed(generator, conversations: list, max_new_tokens: int) -> tuple[float, float]:
    """Seconds for one generate over the list, and for one generate per conversation."""
    start = time.perf_counter()
    generator.generate(conversations, max_new_tokens, seed=1)
    batched_s = time.perf_counter() - start
    start = time.perf_counter()
    for i, conversation in enumerate(conversations):
        generator.generate([conversation], max_new_tokens, seed=1 + i)
    return batched_s, time.perf_counter() - start


def _by_batch_size(generator, conversations: list, max_new_tokens: int) -> dict[int, float]:
    """Variants per second over the same list in batches of 16, 32, ... up to the whole list: what the
    default batch size is chosen from."""
    rates, size = {}, 16
    while size <= len(conversations):
        start = time.perf_counter()
        for i in range(0, len(conversations), size):
            generator.generate(conversations[i:i + size], max_new_tokens, seed=1 + i)
        rates[size] = round(len(conversations) / (time.perf_counter() - start), 2)
        size *= 2
    return rates


def _tokens_per_s(generator, conversations: list, max_new_tokens: int) -> dict:
    """Answer tokens written per second by one batched generate over the list, after a warm-up batch. The
    tokens are counted by encoding the answers again: what a reader gets, not the padding after an end."""
    generator.generate(conversations, max_new_tokens, seed=0)
    if generator.device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    answers = generator.generate(conversations, max_new_tokens, seed=1)
    if generator.device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    tokens = sum(len(ids) for ids in generator.tokenizer(answers, add_special_tokens=False)["input_ids"])
    return {"device": generator.device, "rows": len(conversations), "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds, 1), "variants_per_s": round(len(conversations) / seconds, 2)}


SERVER_IN_FLIGHT = 2  # llama-cpp-python's server answers one request at a time; a second keeps it busy


def _server_vs_in_process(settings, conversations: list, max_new_tokens: int) -> dict:
    """Variants per second of SmolLM2-135M-Instruct on the same requests: one batched in-process generate of the
    base model, against llama.cpp's server on the GGUF file it is converted from (one thread; bench/llama_server.py),
    asked through adcraft's endpoint client with SERVER_IN_FLIGHT requests out at once. Each after a warm-up."""
    import tempfile
    from pathlib import Path

    import llama_cpp

    from bench.llama_server import LlamaServer
    from models.text_endpoint import Endpoint, EndpointGenerator

    base = TextGenerator(default_model_dir(settings.models_dir), "cpu")
    in_process = _rate(base, conversations, max_new_tokens)
    del base
    with tempfile.TemporaryDirectory() as tmp:
        server = LlamaServer(Path(tmp) / "server.log").start()
        try:
            client = EndpointGenerator(Endpoint(server.url, in_flight=SERVER_IN_FLIGHT))
            client.generate(conversations[:SERVER_IN_FLIGHT * 2], max_new_tokens, seed=0)
            start = time.perf_counter()
            client.generate(conversations, max_new_tokens, seed=1)
            seconds = time.perf_counter() - start
        finally:
            server.stop()
    return {"server_variants_per_s": round(len(conversations) / seconds, 2), "in_process_variants_per_s": in_process,
            "server_vs_in_process": {
                "server": f"llama-cpp-python {llama_cpp.__version__} (python -m llama_cpp.server), "
                          "SmolLM2-135M-Instruct.Q4_1.gguf", "server_threads": server.threads,
                "in_flight": SERVER_IN_FLIGHT, "in_process": "transformers, float32", "torch_threads":
                torch.get_num_threads(), "variants": len(conversations), "server_seconds": round(seconds, 2),
                "load_average_1m": round(os.getloadavg()[0], 2)}}


def main() -> dict:
    settings = get_settings()
    model = TextModel.configured(settings)
    generator = model.load(settings.model_copy(update={"device": "cpu"}))
    conversations = _conversations(load_brand("demo"))[:settings.generation_batch_size]
    previous = json.loads(PREVIOUS.read_text())["conversations"][:len(conversations)]
    max_new_tokens = CONTENT_TYPES[CONTENT_TYPE].fields[0].max_new_tokens
    base = TextGenerator(default_model_dir(settings.models_dir), "cpu")
    previous_rate = _rate(base, previous, max_new_tokens)
    del base
    copy_rate = _rate(generator, conversations, max_new_tokens)
    batch = len(conversations)

    batched_s, single_s = _timed(generator, conversations, max_new_tokens)
    candidates = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").candidates
    best_of_n = [c for c in conversations[:batch // candidates] for _ in range(candidates)]
    best_of_n_batched_s, best_of_n_single_s = _timed(generator, best_of_n, max_new_tokens)
    by_batch_size = _by_batch_size(generator, conversations, max_new_tokens)
    tokens_cpu = _tokens_per_s(generator, conversations, max_new_tokens)
    tokens_cuda = None
    if torch.cuda.is_available():
        gpu = model.load(settings.model_copy(update={"device": "cuda"}))
        tokens_cuda = _tokens_per_s(gpu, conversations, max_new_tokens) | {"gpu": torch.cuda.get_device_name()}

    endpoint = _server_vs_in_process(settings, conversations, max_new_tokens)

    prompt_tokens = [
        len(generator.tokenizer(generator.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True))
            ["input_ids"])
        for c in conversations
    ]
    previous_tokens = [
        len(generator.tokenizer(generator.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True))
            ["input_ids"])
        for c in previous
    ]
    figures = {
        "device": "cpu",
        "model_version": generator.version,
        "copy_model_variants_per_s": copy_rate,
        "previous_variants_per_s": previous_rate,
        "vs_previous": round(copy_rate / previous_rate, 2),
        "target_vs_previous": TARGET_VS_PREVIOUS,
        "previous_prompt_tokens_mean": round(sum(previous_tokens) / len(previous_tokens), 1),
        "content_type": CONTENT_TYPE,
        "variants": batch,
        "max_new_tokens": max_new_tokens,
        "prompt_tokens_mean": round(sum(prompt_tokens) / len(prompt_tokens), 1),
        "batched_seconds": round(batched_s, 2),
        "one_at_a_time_seconds": round(single_s, 2),
        "batched_variants_per_s": round(batch / batched_s, 2),
        "one_at_a_time_variants_per_s": round(batch / single_s, 2),
        "speedup": round(single_s / batched_s, 2),
        "best_of_n_candidates": candidates,
        "best_of_n_batched_variants_per_s": round(len(best_of_n) / best_of_n_batched_s, 2),
        "best_of_n_one_at_a_time_variants_per_s": round(len(best_of_n) / best_of_n_single_s, 2),
        "best_of_n_speedup": round(best_of_n_single_s / best_of_n_batched_s, 2),
        "batched_variants_per_s_by_batch_size": by_batch_size,
        "tokens_per_s_cpu": tokens_cpu,
        "tokens_per_s_cuda": tokens_cuda,
        "target_speedup": TARGET_SPEEDUP,
        **endpoint,
        "torch_threads": torch.get_num_threads(),
        # Other work on the machine slows the wall clock; the load average says how busy it was.
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(f"copy model with short requests: {copy_rate} variants/s; before the corpus (base model, a worked "
          f"example in every prompt): {previous_rate} variants/s: {figures['vs_previous']}x (target "
          f"{TARGET_VS_PREVIOUS}x); prompt tokens {figures['prompt_tokens_mean']} against "
          f"{figures['previous_prompt_tokens_mean']}")
    print(f"generation ({CONTENT_TYPE}, {batch} variants, CPU): batched "
          f"{figures['batched_variants_per_s']} variants/s, one at a time {figures['one_at_a_time_variants_per_s']} "
          f"variants/s: {figures['speedup']}x; best-of-{candidates}: {figures['best_of_n_speedup']}x "
          f"(target {TARGET_SPEEDUP:.0f}x; load average {figures['load_average_1m']}); variants/s by batch size "
          f"{by_batch_size}")
    for found in (tokens_cpu, tokens_cuda):
        if found:
            print(f"tokens/s on {found['device']}: {found['tokens_per_s']} ({found['tokens']} answer tokens in "
                  f"{found['seconds']} s, a batch of {found['rows']})")
    if tokens_cuda is None:
        print("tokens/s on cuda: not measured, no GPU")
    how = endpoint["server_vs_in_process"]
    print(f"the same requests through llama.cpp's server: {endpoint['server_variants_per_s']} variants/s, in-process "
          f"{endpoint['in_process_variants_per_s']} (server threads {how['server_threads']}, torch threads "
          f"{how['torch_threads']}, load average {how['load_average_1m']})")
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    write_results("generation", main())
