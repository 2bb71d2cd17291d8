"""Banner throughput (layout + encoding, illustrations cached) and illustration costs on this machine."""

import os
import tempfile
import time
from pathlib import Path

import numpy as np

PRODUCTS = [
    ("Harbour Linen Shirt", "Shirts", "Linen"), ("Alpine Merino Sweater", "Knitwear", "Merino"),
    ("Timber Down Parka", "Outerwear", "Down"), ("Cedar Corduroy Chinos", "Trousers", "Corduroy"),
    ("Fjord Leather Boots", "Footwear", "Leather"), ("Aurora Alpaca Scarf", "Accessories", "Alpaca"),
    ("Coastal Canvas Tote", "Bags", "Canvas"), ("Summit Wool Throw", "Home", "Wool"),
    ("Dune Swim Shorts", "Swimwear", "Cotton"), ("Ridge Wool Gloves", "Accessories", "Wool"),
]


def _sampling_seconds(device: str, n: int = 20) -> float:
    """Seconds per illustration from the full-size generator (64 px), one picture per call."""
    import torch

    from models.illustration_gan import GANConfig, Generator

    generator = Generator(GANConfig()).to(device).eval()
    text = torch.from_numpy(np.random.default_rng(0).normal(size=(1, 384)).astype(np.float32)).to(device)
    with torch.inference_mode():
        generator(torch.randn(1, 64, device=device), text)  # warm-up
        if device == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        for _ in range(n):
            generator(torch.randn(1, 64, device=device), text).cpu()
    return round((time.perf_counter() - started) / n, 4)


def main() -> dict:
    os.environ["ADCRAFT_HOME"] = tempfile.mkdtemp(prefix="adcraft-bench-")
    import torch

    from adcraft.banners.illustrations import Illustrator
    from adcraft.banners.layout import render_banner
    from adcraft.kernel.config import BANNER_SIZES, load_brand
    from adcraft.kernel.settings import get_settings

    get_settings.cache_clear()
    brand = load_brand("demo")
    products = [{"name": n, "category": c, "material": m} for n, c, m in PRODUCTS]
    started = time.perf_counter()
    illustrator = Illustrator(brand)
    arts = illustrator.for_products(products)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    arts = illustrator.for_products(products)  # cached pictures: one embedding call for all products
    warm = time.perf_counter() - started

    out = Path(os.environ["ADCRAFT_HOME"]) / "banners"
    sizes = sorted(BANNER_SIZES)
    started = time.perf_counter()
    weights = [render_banner(size, p["name"], "€39.00", brand, out / f"{i}_{size}.png", art)["bytes"]
               for i, (p, art) in enumerate(zip(products, arts)) for size in sizes]
    seconds = time.perf_counter() - started
    return {
        "banners": len(weights),
        "banners_per_second": round(len(weights) / seconds, 1),
        "target_banners_per_second": 10,
        "mean_bytes": round(float(np.mean(weights))),
        "illustrations_first_batch_seconds": round(cold, 2),
        "illustrations_cached_seconds_per_product": round(warm / len(products), 4),
        "sources": sorted({a.record["source"] for a in arts}),
        "generator_sample_seconds_cpu": _sampling_seconds("cpu"),
        "generator_sample_seconds_cuda": _sampling_seconds("cuda") if torch.cuda.is_available() else None,
        "torch_threads": torch.get_num_threads(),
    }


if __name__ == "__main__":
    from bench.run import main as run

    run(["banners"])
