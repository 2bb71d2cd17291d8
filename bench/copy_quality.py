"""Copy quality, per content type, on two shops: the demo shop, and a garden, pet and sweet shop whose categories
the copy model never trained on (warehouse/demo/heldout_catalog.yaml). For each: first-pass auto-approval of
the lines the model wrote (template fact lines apart), of all lines, distinct-2, whether every approved line
meets its channel's limits, and whether any approved line says something the product facts do not back.

    python -m bench.copy_quality              # both shops, the nightly demo campaign on each, fresh homes
    python -m bench.copy_quality --home DIR   # the newest batch of a run already made in DIR

It also draws the blind read: 100 random approved model-written lines, 50 from each shop, shuffled with 20
lines the gate did not approve, so the reader cannot tell which is which. They go to
bench/results/blind_read_sample.csv with what the reader needs (channel, field, product facts) and empty
`shippable` and `reason` columns; the lines' decisions go to a separate key file. A person reads the sample
line by line by ../shared/COPY_RUBRIC.md and saves it as bench/data/blind_read.csv (with its key); from then
on every run reports the share of approved lines found shippable, read from that file.

The fact check here is deliberately simpler and stricter than the gate's (no compounds, the catalogues' colour
words too), so it is an independent second look: what it flags is printed for a person to read.
"""

import csv
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from adcraft.generation.best_of_n import distinct_2

BENCH = Path(__file__).parent
ROOT = BENCH.parent
RUN_DATE = date(2026, 11, 23)
SHOPS = {"demo": ROOT / "warehouse" / "demo" / "catalog.yaml",
         "held_out": ROOT / "warehouse" / "demo" / "heldout_catalog.yaml"}
BLIND_READ = BENCH / "data" / "blind_read.csv"
BLIND_KEY = BENCH / "data" / "blind_read_key.csv"
SAMPLE_PER_SHOP, DECOYS_PER_SHOP = 50, 10
LEXICON = yaml.safe_load((ROOT / "adcraft" / "checks" / "lexicon.yaml").read_text())
COLOURS = set(LEXICON["colours"]).union(*(yaml.safe_load(p.read_text())["colours"] for p in SHOPS.values()))
MATERIALS = set(LEXICON["materials"])
PROMOTION = re.compile(r"%|\b(?:off|sale|discount\w*|deal|deals|save|free|clearance|reduced|offer|promo\w*|cheaper)\b",
                       re.IGNORECASE)
AMOUNT = re.compile(r"(?:€|\$|£)\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:€|EUR|USD|GBP|euros?|dollars?|pounds?)"
                    r"|\b\d+[.,]\d{2}\b", re.IGNORECASE)
CLAIM = re.compile(r"\b(?:award\w*|best[- ]selling|bestsell\w*|no\.? ?1|#1|handmade|hand-?made|artisan\w*|organic|"
                   r"eco\w*|sustainab\w*|vegan|new(?:est)? (?:arrival|addition|in)|just landed|imported|"
                   r"clinically|proven|heal\w*|cures?|boosts? (?:your )?immun\w*)\b", re.IGNORECASE)


def contradictions(text: str, product: dict, link: str | None) -> list[str]:
    """Claims in the text that the product facts do not back: any other price or currency, any promotion, a
    colour or material word the record does not name, an award, origin, newness or health claim it does not
    state."""
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
    found += [f"claim {m!r}" for m in CLAIM.findall(text) if m.lower() not in record]
    return found


def _rows(con, batch_id: str) -> list[dict]:
    cursor = con.execute(
        """
        SELECT c.item_id, c.content_type, c.field, c.text, c.model_version = 'facts' AS from_facts, d.decision,
               d.decided_by, b.product,
               replace(json_extract_string(bt.campaign_config, '$.link'), '{sku}', b.sku) AS link
        FROM content.copy_items c
        JOIN content.decisions d USING (item_id)
        JOIN marts.briefs b ON b.batch_id = c.batch_id AND b.brief_id = c.brief_id
        JOIN content.batches bt ON bt.batch_id = c.batch_id
        WHERE c.batch_id = ?
        ORDER BY c.item_id
        """,
        [batch_id],
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    for r in rows:
        r["product"] = json.loads(r["product"])
        r["first_pass"] = r["decision"] == "approved" and r["decided_by"].startswith("policy:")
    return rows


def _share(rows: list[dict]) -> float | None:
    return round(sum(r["first_pass"] for r in rows) / len(rows), 3) if rows else None


def measure(con, batch_id: str) -> dict:
    """The figures for one batch, per content type, from the warehouse; `rows` carries the lines themselves."""
    from adcraft.copy.formats import approved_items, line_problems

    rows = _rows(con, batch_id)
    items = approved_items(con, batch_id)
    by_type = {}
    for content_type in sorted({r["content_type"] for r in rows}):
        mine = [r for r in rows if r["content_type"] == content_type]
        model = [r for r in mine if not r["from_facts"]]
        approved = [r for r in mine if r["decision"] == "approved"]
        assembled = [i for i in items if i.content_type == content_type]
        flagged = [{"field": r["field"], "text": r["text"], "claims": c} for r in approved
                   if (c := contradictions(r["text"], r["product"], r["link"]))]
        by_type[content_type] = {
            "lines": len(mine), "model_lines": len(model),
            "model_approval_rate": _share(model), "approval_rate": _share(mine),
            "model_approval_rate_by_field": {f: _share([r for r in model if r["field"] == f])
                                             for f in sorted({r["field"] for r in model})},
            "distinct_2": round(distinct_2([r["text"] for r in mine]), 3),
            "distinct_2_model": round(distinct_2([r["text"] for r in model]), 3) if model else None,
            "approved_over_limits": [r["text"] for r in approved if line_problems(content_type, r["field"], r["text"])],
            "items_valid": sum(i.item is not None for i in assembled),
            "items_invalid": [i.error for i in assembled if i.item is None],
            "approved_flagged_against_facts": flagged,
        }
    model = [r for r in rows if not r["from_facts"]]
    return {"batch_id": batch_id, "lines": len(rows), "model_lines": len(model), "approval_rate": _share(rows),
            "model_approval_rate": _share(model), "distinct_2": round(distinct_2([r["text"] for r in rows]), 3),
            "by_content_type": by_type, "rows": rows}


def _night(shop: str, catalog: Path) -> dict:
    """The nightly demo campaign on a fresh home with this shop's exports."""
    home = Path(tempfile.mkdtemp(prefix=f"adcraft-bench-{shop}-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    from adcraft.kernel.settings import PROJECT_DIR, get_settings

    # The converted base model is shared with the default home, so each fresh home does not convert it again.
    os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / "var" / "models"))
    get_settings.cache_clear()
    from adcraft.kernel.db import warehouse
    from adcraft.operations.prefect_env import configure_prefect
    from adcraft.sources.demo_shop import generate_demo_shop

    configure_prefect()
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", seed=get_settings().seed, catalog=catalog)
    started = time.perf_counter()
    summary = nightly_campaign(str(PROJECT_DIR / "campaigns" / "demo.yaml"), RUN_DATE)
    seconds = round(time.perf_counter() - started, 1)
    with warehouse(read_only=True) as con:
        return {"seconds": seconds, "home": str(home), **measure(con, summary["batch_id"])}


def _facts(product: dict) -> str:
    keys = ("name", "category", "price", "currency", "material", "colours", "sizes", "description")
    return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                     for k in keys if (v := product.get(k)) not in (None, "", []))


def blind_sample(shops: dict[str, dict], seed: int = 2026) -> tuple[list[dict], list[dict]]:
    """The lines to read (no decision on them) and their key: per shop, SAMPLE_PER_SHOP random approved
    model-written lines and DECOYS_PER_SHOP that were not approved, all shuffled together."""
    rng = random.Random(seed)
    picked = []
    for shop, figures in shops.items():
        model = [r for r in figures["rows"] if not r["from_facts"]]
        approved = [r for r in model if r["decision"] == "approved"]
        others = [r for r in model if r["decision"] != "approved"]
        picked += [(shop, r) for r in rng.sample(approved, min(SAMPLE_PER_SHOP, len(approved)))]
        picked += [(shop, r) for r in rng.sample(others, min(DECOYS_PER_SHOP, len(others)))]
    rng.shuffle(picked)
    sample, key = [], []
    for n, (shop, r) in enumerate(picked, 1):
        sample.append({"id": n, "channel": r["content_type"], "field": r["field"], "facts": _facts(r["product"]),
                       "line": r["text"], "shippable": "", "reason": ""})
        key.append({"id": n, "shop": shop, "category": r["product"].get("category"), "item_id": r["item_id"],
                    "decision": r["decision"]})
    return sample, key


def _write_csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def blind_read() -> dict | None:
    """The recorded read: of the approved lines in it, the share a reader found shippable, overall and per
    shop; None when no read is recorded."""
    if not BLIND_READ.exists() or not BLIND_KEY.exists():
        return None
    verdicts = {r["id"]: r for r in _read_csv(BLIND_READ)}
    unread = [i for i, r in verdicts.items() if r["shippable"].strip().lower() not in ("yes", "no")]
    if unread:
        raise ValueError(f"{BLIND_READ}: rows {', '.join(unread[:10])} have no shippable yes/no yet")
    figures: dict = {}
    for k in _read_csv(BLIND_KEY):
        group = "approved" if k["decision"] == "approved" else "not_approved"
        for name in (group, f"{group}_{k['shop']}"):
            counts = figures.setdefault(name, {"lines": 0, "shippable": 0})
            counts["lines"] += 1
            counts["shippable"] += verdicts[k["id"]]["shippable"].strip().lower() == "yes"
    for counts in figures.values():
        counts["share"] = round(counts["shippable"] / counts["lines"], 3)
    return figures


def _print(name: str, f: dict) -> None:
    print(f"{name}: model-written lines approved first pass {f['model_approval_rate']:.0%} of {f['model_lines']}; "
          f"all lines {f['approval_rate']:.0%} of {f['lines']}; distinct-2 {f['distinct_2']:.2f}"
          + (f"; night {f['seconds']} s" if "seconds" in f else ""))
    for ct, t in f["by_content_type"].items():
        model = "n/a" if t["model_approval_rate"] is None else f"{t['model_approval_rate']:.0%}"
        print(f"  {ct}: model lines {model} of {t['model_lines']} {t['model_approval_rate_by_field']}; all "
              f"{t['approval_rate']:.0%} of {t['lines']}; distinct-2 {t['distinct_2']:.2f}; invalid items "
              f"{len(t['items_invalid'])}; approved over limits {len(t['approved_over_limits'])}; approved flagged "
              f"against facts {len(t['approved_flagged_against_facts'])}")
        for flag in t["approved_flagged_against_facts"]:
            print(f"    flagged: {flag['text']!r} {flag['claims']}")


def main(homes: list[str] | None = None) -> dict:
    if homes:
        shops = {}
        for home in homes:
            os.environ["ADCRAFT_HOME"] = home
            from adcraft.kernel.db import warehouse
            from adcraft.kernel.settings import get_settings

            get_settings.cache_clear()
            with warehouse(read_only=True) as con:
                [(batch,)] = con.execute(
                    "SELECT batch_id FROM content.batches ORDER BY started_at DESC LIMIT 1").fetchall()
                shops[Path(home).name] = {"home": home, **measure(con, batch)}
    else:
        shops = {shop: _night(shop, catalog) for shop, catalog in SHOPS.items()}
    sample, key = blind_sample(shops)
    results = BENCH / "results"
    _write_csv(results / "blind_read_sample.csv", sample)
    _write_csv(results / "blind_read_sample_key.csv", key)
    for name, f in shops.items():
        _print(name, f)
    read = blind_read()
    print(f"blind read: {read}" if read else f"blind read: none recorded yet; read {results}/blind_read_sample.csv")
    for f in shops.values():
        f.pop("rows")
    return {"shops": shops, "blind_read": read}


if __name__ == "__main__":
    from bench.run import write_results

    args = sys.argv[1:]
    write_results("copy_quality", main(args[1:] if args[:1] == ["--home"] else None))
