"""Load, validate and transform the demo shop at scale, against a bare DuckDB read_csv of the same files.

    python -m bench.ingest_scale [--scale 200]      # 200: 1M customers, 10M order lines (minutes, GBs)
    python -m bench.run ingest_scale                # the same through the bench runner, at BENCH_SCALE or 200

Every export is written as CSV (order lines too), so both sides read the same bytes. Each side runs in its
own process, so its peak memory (VmHWM) is its own; disk_mb is the size of its DuckDB file afterwards.
Prints the figures and writes bench/results/ingest_scale.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.memory import peak_rss_mb

FILES = ("products.csv", "customers.csv", "order_lines.csv")
SOURCE = """name: bench
folder: {folder}
entities:
  products: {{files: products.csv}}
  customers: {{files: customers.csv, pii_columns: [name, email, phone]}}
  order_lines: {{files: order_lines.csv}}
"""


def _bare(folder: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(folder / "bare.duckdb"))
    started = time.perf_counter()
    for name in FILES:
        con.execute(f"CREATE TABLE {name.split('.')[0]} AS SELECT * FROM read_csv(?)", [str(folder / name)])
    seconds = time.perf_counter() - started
    con.close()
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "disk_mb": _disk_mb(folder / "bare.duckdb")}


def _disk_mb(path: Path) -> float:
    return path.stat().st_size / 2**20


def _pipeline(folder: Path) -> dict:
    os.environ["ADCRAFT_HOME"] = str(folder / "home")
    from tasks.ingest import ingest_source
    from tasks.transform import build_marts
    from tasks.validate import validate_loads

    (folder / "bench.yaml").write_text(SOURCE.format(folder=folder))
    stages = {}
    started = time.perf_counter()
    for name, run in (("ingest", lambda: ingest_source.fn(str(folder / "bench.yaml"))),
                      ("validate", validate_loads.fn), ("transform", lambda: build_marts.fn(date(2026, 11, 23)))):
        stage_start = time.perf_counter()
        run()
        stages[name] = round(time.perf_counter() - stage_start, 2)
    return {"seconds": time.perf_counter() - started, "stages": stages, "peak_mb": peak_rss_mb(),
            "disk_mb": _disk_mb(folder / "home" / "warehouse.duckdb")}


def _child(phase: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.ingest_scale", "--phase", phase, "--folder", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(scale: float | None = None) -> dict:
    import duckdb

    from adcraft.sources.demo_shop import generate_demo_shop

    scale = scale or float(os.environ.get("BENCH_SCALE", 200))
    with tempfile.TemporaryDirectory(prefix="adcraft-bench-") as tmp:
        folder = Path(tmp)
        counts = generate_demo_shop(folder, scale=scale)
        duckdb.execute(f"COPY (FROM '{folder}/order_lines.parquet') TO '{folder}/order_lines.csv'")
        (folder / "order_lines.parquet").unlink()
        rows = sum(counts.values())
        bare, pipeline = _child("bare", folder), _child("pipeline", folder)
    figures = {
        "scale": scale, "rows": rows, "rows_per_entity": counts,
        "bare_read_csv": {"seconds": round(bare["seconds"], 2), "rows_per_s": round(rows / bare["seconds"]),
                          "peak_mb": round(bare["peak_mb"]), "disk_mb": round(bare["disk_mb"])},
        "pipeline": {"seconds": round(pipeline["seconds"], 2), "rows_per_s": round(rows / pipeline["seconds"]),
                     "stages": pipeline["stages"], "peak_mb": round(pipeline["peak_mb"]),
                     "disk_mb": round(pipeline["disk_mb"])},
    }
    figures["throughput_ratio"] = round(bare["seconds"] / pipeline["seconds"], 3)
    # The bare side loads only; this compares it with adcraft's load and validation, without the marts.
    stages = pipeline["stages"]
    figures["ingest_validate_ratio"] = round(bare["seconds"] / (stages["ingest"] + stages["validate"]), 3)
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float)
    parser.add_argument("--phase", choices=["bare", "pipeline"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps((_bare if args.phase == "bare" else _pipeline)(args.folder)))
    else:
        from bench.run import write_results

        result = write_results("ingest_scale", main(args.scale))
        print(json.dumps(result, indent=2))
