"""Text gate throughput: every copy check, embeddings included, on a batch of unique lines.
Run `python -m bench.gate_throughput`; it prints items/s and writes bench/results/gate_throughput.json."""

import os
import time

from adcraft.checks.base import CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy
from adcraft.kernel.config import load_brand
from bench.gate_eval import load_eval
from models.minilm import embed_bf16 as embed

ITEMS = 2000
RECENT = 500
CUSTOMERS = 5000
TARGET = 200.0


def _batch(n: int) -> list[CopyCandidate]:
    """n distinct lines made from the evaluation set, so no text is embedded from a cache."""
    _, items, _ = load_eval()
    return [
        CopyCandidate(f"t{i:05d}", item.content_type, item.field, f"{item.text} ({i})", item.product, item.link)
        for i, item in enumerate(items[j % len(items)] for j in range(n))
    ]


def main() -> dict:
    brand = load_brand("demo")
    items = _batch(ITEMS)
    recent = [f"Published line {i}: {item.text}" for i, item in enumerate(_batch(RECENT))]
    pii = KnownPII(frozenset(f"first{i} last{i}" for i in range(CUSTOMERS)), frozenset())
    start = time.perf_counter()
    embed(["warm up"])  # model load is paid once per process, not per batch
    load_seconds = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    results = check_copy(items, brand, pii, recent=recent)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    figures = {
        "items": len(items),
        "recent_published": len(recent),
        "known_customers": CUSTOMERS,
        "checks": len(results),
        "seconds": round(seconds, 2),
        "items_per_s": round(len(items) / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        # Other work on the machine slows the wall clock; the load average says how busy it was.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "model_load_seconds": round(load_seconds, 2),
        "target_items_per_s": TARGET,
        "cpus": os.cpu_count(),
    }
    print(f"text gate: {figures['items_per_s']} items/s ({len(items)} items, {len(recent)} recent, "
          f"{seconds:.1f} s wall, {cpu_seconds:.1f} s CPU, load average {figures['load_average_1m']}; "
          f"model load {load_seconds:.1f} s; target {TARGET:.0f})")
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    write_results("gate_throughput", main())
