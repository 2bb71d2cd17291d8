"""Load, validate and transform the demo shop at scale, against a bare DuckDB read_csv of the same files.

    python -m bench.ingest_scale [--scale 200]      # 200: 1M customers, 10M order lines (minutes, GBs)
    python -m bench.ingest_scale --join-only        # only the join measurement below
    python -m bench.run ingest_scale                # the same through the bench runner, at BENCH_SCALE or 200

Every export is written as CSV (order lines too), so both sides read the same bytes. Each side runs in its
own process, so its peak memory (VmHWM) is its own; disk_mb is the size of its DuckDB file afterwards.

The join measurement lands the order lines twice, each in a fresh warehouse: as one export, and as a
normalised export whose lines carry neither customer nor date, joined to an orders file by order id (`join:`
in the source's YAML), three times each, interleaved. `join.ratio` is the median of each joined landing's time
over the plain one's beside it (the target is 1.3 at most); the bench records every run and the machine's load average
beside it, since another job on the cores skews both.
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


JOIN_SOURCES = {
    "plain": """name: bench
folder: {folder}
entities:
  order_lines: {{files: order_lines.csv}}
""",
    "joined": """name: bench
folder: {folder}
entities:
  order_lines:
    files: order_details.csv
    join:
      orders: {{files: orders.csv, by: order_id}}
    columns: {{customer_id: orders.customer_id, ordered_at: orders.ordered_at}}
""",
}


def _split_orders(folder: Path) -> int:
    """order_lines.csv as a normalised export: order_details.csv (the lines, without customer and date) and
    orders.csv (one row per order). Returns the orders."""
    import duckdb

    con = duckdb.connect()
    lines = f"read_csv('{folder}/order_lines.csv', all_varchar = true)"
    con.execute(f"COPY (SELECT * EXCLUDE (customer_id, ordered_at) FROM {lines}) TO '{folder}/order_details.csv'")
    con.execute(f"COPY (SELECT order_id, any_value(customer_id) AS customer_id, any_value(ordered_at) AS ordered_at "
                f"FROM {lines} GROUP BY order_id ORDER BY order_id) TO '{folder}/orders.csv'")
    (orders,) = con.execute(f"SELECT count(*) FROM read_csv('{folder}/orders.csv')").fetchone()
    con.close()
    return orders


def _landing(folder: Path, variant: str) -> dict:
    """Land the order lines alone in a fresh warehouse, plainly or joined: seconds and rows."""
    os.environ["ADCRAFT_HOME"] = str(folder / f"home-{variant}")
    from tasks.ingest import ingest_source

    (folder / f"{variant}.yaml").write_text(JOIN_SOURCES[variant].format(folder=folder))
    started, cpu = time.perf_counter(), time.process_time()
    result = ingest_source.fn(str(folder / f"{variant}.yaml"))
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
            "rows": result["rows_loaded"]["order_lines"], "peak_mb": peak_rss_mb()}


def join_figures(folder: Path, runs: int = 3) -> dict:
    """`runs` plain and joined landings, interleaved, each in a fresh warehouse: the median time of each, and
    the median ratio of a pair (timings on shared cores swing by 2x from one run to the next)."""
    import shutil
    from statistics import median

    orders = _split_orders(folder)
    load = os.getloadavg()
    found = {"plain": [], "joined": []}
    for _ in range(runs):
        for variant in found:
            shutil.rmtree(folder / f"home-{variant}", ignore_errors=True)
            found[variant].append(_child(variant, folder))
    plain, joined = found["plain"], found["joined"]
    assert {r["rows"] for r in plain} == {r["rows"] for r in joined}, (plain, joined)
    plain_s, joined_s = median(r["seconds"] for r in plain), median(r["seconds"] for r in joined)
    plain_cpu, joined_cpu = median(r["cpu_s"] for r in plain), median(r["cpu_s"] for r in joined)
    return {"order_lines": plain[0]["rows"], "orders": orders, "runs": runs,
            "plain_s": round(plain_s, 2), "joined_s": round(joined_s, 2),
            # Each joined run over the plain run beside it, the median of those: a pair shares the cores' state.
            "ratio": round(median(j["seconds"] / p["seconds"] for p, j in zip(plain, joined)), 3),
            "plain_runs_s": [round(r["seconds"], 2) for r in plain],
            "joined_runs_s": [round(r["seconds"], 2) for r in joined],
            # CPU seconds of each process (all its threads): less swayed than seconds by other jobs on the cores.
            "plain_cpu_s": round(plain_cpu, 2), "joined_cpu_s": round(joined_cpu, 2),
            "cpu_ratio": round(median(j["cpu_s"] / p["cpu_s"] for p, j in zip(plain, joined)), 3),
            "plain_peak_mb": round(max(r["peak_mb"] for r in plain)),
            "joined_peak_mb": round(max(r["peak_mb"] for r in joined)),
            "load_average_before": [round(x, 2) for x in load],
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


def _child(phase: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.ingest_scale", "--phase", phase, "--folder", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(scale: float | None = None, join_only: bool = False) -> dict:
    import duckdb

    from adcraft.sources.demo_shop import generate_demo_shop

    scale = scale or float(os.environ.get("BENCH_SCALE", 200))
    with tempfile.TemporaryDirectory(prefix="adcraft-bench-") as tmp:
        folder = Path(tmp)
        counts = generate_demo_shop(folder, scale=scale)
        duckdb.execute(f"COPY (FROM '{folder}/order_lines.parquet') TO '{folder}/order_lines.csv'")
        (folder / "order_lines.parquet").unlink()
        if join_only:
            return {"scale": scale, "join": join_figures(folder)}
        rows = sum(counts.values())
        bare, pipeline = _child("bare", folder), _child("pipeline", folder)
        join = join_figures(folder)
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
    figures["join"] = join
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float)
    parser.add_argument("--phase", choices=["bare", "pipeline", "plain", "joined"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--join-only", action="store_true", help="Only land the order lines, plain and joined.")
    args = parser.parse_args()
    if args.phase:
        run = {"bare": _bare, "pipeline": _pipeline}.get(args.phase)
        print(json.dumps(run(args.folder) if run else _landing(args.folder, args.phase)))
    elif args.join_only:
        print(json.dumps(main(args.scale, join_only=True), indent=2))
    else:
        from bench.run import write_results

        result = write_results("ingest_scale", main(args.scale))
        print(json.dumps(result, indent=2))
