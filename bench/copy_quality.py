"""Copy quality on the demo shop: first-pass auto-approval rate and distinct-2 per content type, with and
without best-of-N. Run `python -m bench.copy_quality`; it prints the figures and writes
bench/results/copy_quality.json. A small shop and few briefs keep it to minutes on a shared CPU."""

import os
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from models.best_of_n import distinct_2

RUN_DATE = date(2026, 11, 23)
SETUPS = {"one_per_variant": None, "best_of_4": 4}


def _run(candidates: int | None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="adcraft-bench-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    from adcraft.settings import PROJECT_DIR, get_settings

    # The converted model is shared with the default home, so each fresh home does not convert it again.
    os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / "var" / "models"))

    get_settings.cache_clear()
    from adcraft.db import warehouse
    from adcraft.demo_shop import generate_demo_shop
    from adcraft.prefect_env import configure_prefect

    configure_prefect()
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
    campaign = yaml.safe_load((PROJECT_DIR / "campaigns" / "demo.yaml").read_text())
    campaign.update(segments=["champions", "loyal"], variants=2, candidates=candidates)
    campaign["products"]["per_segment"] = 4
    (home / "bench.yaml").write_text(yaml.safe_dump(campaign))
    started = time.perf_counter()
    nightly_campaign(str(home / "bench.yaml"), RUN_DATE)
    seconds = time.perf_counter() - started
    with warehouse(read_only=True) as con:
        rows = con.execute(
            "SELECT c.content_type, c.text, d.decision "
            "FROM content.copy_items c JOIN content.decisions d USING (item_id)"
        ).fetchall()
    by_type: dict[str, dict] = {}
    for content_type in sorted({r[0] for r in rows}):
        texts = [text for ct, text, _ in rows if ct == content_type]
        approved = [text for ct, text, decision in rows if ct == content_type and decision == "approved"]
        by_type[content_type] = {
            "items": len(texts),
            "approval_rate": round(len(approved) / len(texts), 3),
            "distinct_2": round(distinct_2(texts), 3),
            "approved": approved,
        }
    return {
        "seconds": round(seconds, 1),
        "approval_rate": round(sum(len(t["approved"]) for t in by_type.values()) / len(rows), 3),
        "distinct_2": round(distinct_2([text for _, text, _ in rows]), 3),
        "by_content_type": by_type,
    }


def main() -> dict:
    figures = {name: _run(candidates) for name, candidates in SETUPS.items()}
    for name, f in figures.items():
        per_type = ", ".join(
            f"{ct} {t['approval_rate']:.0%}/{t['distinct_2']:.2f}" for ct, t in f["by_content_type"].items()
        )
        print(f"{name}: approved {f['approval_rate']:.0%}, distinct-2 {f['distinct_2']:.2f} ({per_type}); "
              f"{f['seconds']} s")
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    write_results("copy_quality", main())
