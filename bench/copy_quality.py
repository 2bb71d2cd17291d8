"""Copy quality on the demo shop, per content type: first-pass auto-approval rate, distinct-2, whether every
approved line meets its channel's limits and makes a valid item, and whether any approved line contradicts
the product facts (price, discount, material, colour).

`python -m bench.copy_quality` runs the nightly flow on a small demo shop with and without best-of-N and
writes bench/results/copy_quality.json. `python -m bench.copy_quality --home DIR` measures the newest batch
of a run already made in DIR (e.g. `ADCRAFT_HOME=DIR adcraft demo`) instead.

The fact check here is deliberately simpler and stricter than the gate's grounding check (no compounds,
the demo catalogue's colour words too), so it is an independent second look: what it flags is printed for
a person to read, not counted as proven wrong.
"""

import json
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from adcraft.generation.best_of_n import distinct_2

RUN_DATE = date(2026, 11, 23)
SETUPS = {"one_per_line": None, "best_of_2": 2}
LEXICON = yaml.safe_load((Path(__file__).parents[1] / "adcraft" / "checks" / "lexicon.yaml").read_text())
CATALOG = yaml.safe_load((Path(__file__).parents[1] / "warehouse" / "demo" / "catalog.yaml").read_text())
COLOURS = set(LEXICON["colours"]) | set(CATALOG["colours"])
MATERIALS = set(LEXICON["materials"])
PROMOTION = re.compile(r"%|\b(?:off|sale|discount\w*|deal|deals|save|free|clearance|reduced|offer|promo\w*|cheaper)\b",
                       re.IGNORECASE)
AMOUNT = re.compile(r"(?:€|\$|£)\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:€|EUR|USD|GBP|euros?|dollars?|pounds?)"
                    r"|\b\d+[.,]\d{2}\b", re.IGNORECASE)


def contradictions(text: str, product: dict, link: str | None) -> list[str]:
    """Claims in the text that the product facts do not back: any other price or currency, any promotion,
    a colour or material word the product record does not name."""
    text = text.replace(link, " ") if link else text
    found = []
    price = f"{float(product['price']):.2f}"
    for amount in AMOUNT.findall(text):
        number = re.search(r"\d+(?:[.,]\d{1,2})?", amount).group(0).replace(",", ".")
        currency_ok = not re.search(r"\$|£|USD|GBP|dollar|pound", amount, re.IGNORECASE)
        if f"{float(number):.2f}" != price or not currency_ok:
            found.append(f"price {amount!r} (is {price} {product['currency']})")
    found += [f"promotion {m!r}" for m in PROMOTION.findall(text)]
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)?", text.lower()))
    colours = " ".join([*(product.get("colours") or []), str(product.get("name"))]).lower()
    found += [f"colour {w!r}" for w in sorted(words & COLOURS) if w not in colours]
    record = " ".join(str(product.get(k)) for k in ("material", "name", "category", "description")).lower()
    found += [f"material {w!r}" for w in sorted(words & MATERIALS) if w not in record]
    return found


def measure(con, batch_id: str) -> dict:
    """The figures for one batch, per content type, from the warehouse."""
    from adcraft.copy.formats import approved_items, line_problems

    rows = con.execute(
        """
        SELECT c.content_type, c.field, c.text, d.decision, d.decided_by, b.product,
               replace(json_extract_string(bt.campaign_config, '$.link'), '{sku}', b.sku)
        FROM content.copy_items c
        JOIN content.decisions d USING (item_id)
        JOIN marts.briefs b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
        JOIN content.batches bt ON bt.batch_id = c.batch_id
        WHERE c.batch_id = ?
        """,
        [batch_id],
    ).fetchall()
    items = approved_items(con, batch_id)
    by_type: dict[str, dict] = {}
    for content_type in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == content_type]
        approved = [r for r in mine if r[3] == "approved"]
        first_pass = [r for r in mine if r[3] == "approved" and r[4].startswith("policy:")]
        assembled = [i for i in items if i.content_type == content_type]
        flagged = [(f, t, c) for _, f, t, _, _, p, link in approved if (c := contradictions(t, json.loads(p), link))]
        by_type[content_type] = {
            "lines": len(mine),
            "approval_rate": round(len(first_pass) / len(mine), 3),
            "approval_rate_by_field": {
                field: round(sum(r in first_pass for r in mine if r[1] == field) / sum(r[1] == field for r in mine), 3)
                for field in sorted({r[1] for r in mine})
            },
            "distinct_2": round(distinct_2([r[2] for r in mine]), 3),
            "distinct_2_approved": round(distinct_2([r[2] for r in approved]), 3),
            "approved_over_limits": [t for _, f, t, *_ in approved if line_problems(content_type, f, t)],
            "items_valid": sum(i.item is not None for i in assembled),
            "items_invalid": [i.error for i in assembled if i.item is None],
            "approved_flagged_against_facts": [{"field": f, "text": t, "claims": c} for f, t, c in flagged],
            "approved": [{"field": f, "text": t} for _, f, t, *_ in approved],
        }
    return {
        "lines": len(rows),
        "approval_rate": round(sum(r[3] == "approved" and r[4].startswith("policy:") for r in rows) / len(rows), 3),
        "distinct_2": round(distinct_2([r[2] for r in rows]), 3),
        "by_content_type": by_type,
    }


def _run(candidates: int | None) -> dict:
    home = Path(tempfile.mkdtemp(prefix="adcraft-bench-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    from adcraft.kernel.settings import PROJECT_DIR, get_settings

    # The converted model is shared with the default home, so each fresh home does not convert it again.
    os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / "var" / "models"))

    get_settings.cache_clear()
    from adcraft.kernel.db import warehouse
    from adcraft.operations.prefect_env import configure_prefect
    from adcraft.sources.demo_shop import generate_demo_shop

    configure_prefect()
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
    campaign = yaml.safe_load((PROJECT_DIR / "campaigns" / "demo.yaml").read_text())
    campaign.update(segments=["champions", "loyal"], variants=1, candidates=candidates)
    campaign["products"]["per_segment"] = 4
    (home / "bench.yaml").write_text(yaml.safe_dump(campaign))
    started = time.perf_counter()
    summary = nightly_campaign(str(home / "bench.yaml"), RUN_DATE)
    seconds = time.perf_counter() - started
    with warehouse(read_only=True) as con:
        return {"seconds": round(seconds, 1), **measure(con, summary["batch_id"])}


def _newest_batch(home: str) -> dict:
    os.environ["ADCRAFT_HOME"] = home
    from adcraft.kernel.db import warehouse
    from adcraft.kernel.settings import get_settings

    get_settings.cache_clear()
    with warehouse(read_only=True) as con:
        [(batch_id,)] = con.execute("SELECT batch_id FROM content.batches ORDER BY started_at DESC LIMIT 1").fetchall()
        return {"batch_id": batch_id, **measure(con, batch_id)}


def _print(name: str, f: dict) -> None:
    print(f"{name}: approved {f['approval_rate']:.0%} of {f['lines']} lines first pass, distinct-2 "
          f"{f['distinct_2']:.2f}" + (f"; {f['seconds']} s" if "seconds" in f else ""))
    for ct, t in f["by_content_type"].items():
        print(f"  {ct}: {t['approval_rate']:.0%} of {t['lines']} lines {t['approval_rate_by_field']}, distinct-2 "
              f"{t['distinct_2']:.2f}; valid items {t['items_valid']}, invalid {len(t['items_invalid'])}; approved "
              f"over limits {len(t['approved_over_limits'])}; approved flagged against facts "
              f"{len(t['approved_flagged_against_facts'])}")
        for flag in t["approved_flagged_against_facts"]:
            print(f"    flagged: {flag['text']!r} {flag['claims']}")


def main() -> dict:
    figures = {name: _run(candidates) for name, candidates in SETUPS.items()}
    for name, f in figures.items():
        _print(name, f)
    return figures


if __name__ == "__main__":
    from bench.run import write_results

    if sys.argv[1:2] == ["--home"]:
        figures = _newest_batch(sys.argv[2])
        _print(figures["batch_id"], figures)
        write_results("copy_quality", {f"demo campaign, batch {figures['batch_id']}": figures})
    else:
        write_results("copy_quality", main())
