"""Nightly wall time on the demo shop, per stage, and what Prefect itself costs on top of the stages (the
ephemeral API server's start is timed apart: a served Prefect starts once, not per run)."""

import os
import tempfile
import time
from datetime import date
from pathlib import Path


def _nothing() -> None:
    """A flow that does nothing: running it starts the ephemeral API server."""


def main() -> dict:
    home = Path(tempfile.mkdtemp(prefix="adcraft-bench-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    from adcraft.kernel.settings import PROJECT_DIR, get_settings

    get_settings.cache_clear()
    from adcraft.operations.prefect_env import configure_prefect

    configure_prefect()
    from prefect import flow

    from adcraft.sources.demo_shop import generate_demo_shop
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=1.0, seed=7)
    # The first flow in a process starts the ephemeral API server (and makes its database): a served Prefect
    # pays that once, not per run, so it is timed apart.
    started = time.perf_counter()
    flow(name="start-prefect")(_nothing)()
    server_start = time.perf_counter() - started
    started = time.perf_counter()
    summary = nightly_campaign(str(PROJECT_DIR / "campaigns" / "demo.yaml"), date(2026, 11, 23))
    wall = time.perf_counter() - started
    in_stages = sum(stage["seconds"] for stage in summary["stages"].values())
    return {
        "wall_seconds": round(wall, 1),
        "stage_seconds": {name: stage["seconds"] for name, stage in summary["stages"].items()},
        "prefect_overhead_pct": round(100 * (wall - in_stages) / wall, 1),
        "ephemeral_server_start_seconds": round(server_start, 1),
        "copy_items": sum(summary["decisions"].get("copy", {}).values()),
        "approval_rate": round(summary["approval_rate"], 3),
    }


if __name__ == "__main__":
    from bench.run import write_results

    print(write_results("nightly", main()))
