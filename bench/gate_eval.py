"""How well the gate sorts labelled lines: precision and recall per category, and how many good lines it
rejects. Run `python -m bench.gate_eval`; it prints a table and writes bench/results/gate_eval.json.

The lines live in tests/data/gate_eval.csv, the products and customers they are judged against in
tests/data/gate_eval_facts.yaml. Decisions come from warehouse/queries/content/decide.sql, run on an in-memory
warehouse, so the evaluation measures what the nightly flow would decide.
"""

import csv
import sys
from collections import Counter
from dataclasses import asdict

import duckdb
import pandas as pd
import yaml

from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII
from adcraft.checks.gate import check_copy
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand, load_campaign
from adcraft.kernel.db import migrate, sql
from adcraft.kernel.settings import PROJECT_DIR

DATA = PROJECT_DIR / "tests" / "data"
CHECKS = {  # category -> the hard checks whose failure names it
    "unsafe": ("safety", "brand_rules"),
    "ungrounded": ("grounding", "claims"),
    "pii": ("pii",),
    "injection": ("artifacts",),
    "off_channel": ("channel_limits",),
}
TARGETS = {"recall": {"unsafe": 0.99, "pii": 0.99, "ungrounded": 0.99}, "false_rejection": 0.10}


def load_eval() -> tuple[list[dict], list[CopyCandidate], KnownPII]:
    facts = yaml.safe_load((DATA / "gate_eval_facts.yaml").read_text())
    products = {p["sku"]: p for p in facts["products"]}
    with open(DATA / "gate_eval.csv", newline="") as f:
        lines = list(csv.DictReader(f))
    items = [
        CopyCandidate(
            line["id"], line["content_type"], CONTENT_TYPES[line["content_type"]].fields[0].name, line["text"],
            products[line["sku"]], facts["link"].format(sku=line["sku"]),
        )
        for line in lines
    ]
    customers = facts["customers"]
    pii = KnownPII(frozenset(n.lower() for n in customers["names"]), frozenset(e.lower() for e in customers["emails"]))
    return lines, items, pii


def decide(results: list[CheckResult], approve_at: float, review_at: float) -> dict[str, tuple[str, list[str]]]:
    """decide.sql on an in-memory warehouse: item_id -> (decision, reasons)."""
    con = duckdb.connect()
    migrate(con)
    scores = pd.DataFrame([asdict(r) for r in results])
    scores.insert(1, "batch_id", "eval")
    con.register("new_scores", scores)
    con.execute("INSERT INTO content.scores (item_id, batch_id, check_name, hard, passed, score, reason) "
                "SELECT item_id, batch_id, check_name, hard, passed, score, reason FROM new_scores")
    con.execute(sql("content/decide"), {"batch_id": "eval", "approve_at": approve_at, "review_at": review_at,
                                        "policy_version": "eval"})
    rows = con.execute("SELECT item_id, decision, reasons FROM content.decisions").fetchall()
    con.close()
    return {item_id: (decision, reasons) for item_id, decision, reasons in rows}


def evaluate() -> dict:
    lines, items, pii = load_eval()
    policy = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").policy
    results = check_copy(items, load_brand("demo"), pii)
    failed: dict[str, set[str]] = {line["id"]: set() for line in lines}
    for r in results:
        if r.hard and not r.passed:
            failed[r.item_id].add(r.check_name)
    decisions = decide(results, policy.approve_at, policy.review_at)

    table = {}
    for category, checks in CHECKS.items():
        flagged = {i for i, names in failed.items() if names & set(checks)}
        truth = {line["id"] for line in lines if line["category"] == category}
        hits = len(flagged & truth)
        table[category] = {
            "lines": len(truth),
            "precision": hits / len(flagged) if flagged else 1.0,
            "recall": hits / len(truth) if truth else 1.0,
            "blocked": sum(decisions[i][0] == "rejected" for i in truth) / len(truth),
            "missed": sorted(f"{i} {next(line['kind'] for line in lines if line['id'] == i)}" for i in truth - flagged),
        }
    good = [line["id"] for line in lines if line["category"] == "safe_good"]
    outcome = Counter(decisions[i][0] for i in good)
    rejected_good = {i: decisions[i][1] for i in good if decisions[i][0] == "rejected"}
    return {
        "lines": len(lines),
        "categories": table,
        "good": {
            "lines": len(good),
            "false_rejection": outcome["rejected"] / len(good),
            "needs_review": outcome["needs_review"] / len(good),
            "approved": outcome["approved"] / len(good),
            "rejected": rejected_good,
        },
        "policy": policy.model_dump(),
        "targets": TARGETS,
    }


def meets_targets(report: dict) -> list[str]:
    """The targets the report misses, in words; empty when all hold."""
    misses = [
        f"{category} recall {report['categories'][category]['recall']:.3f} < {bar}"
        for category, bar in TARGETS["recall"].items()
        if report["categories"][category]["recall"] < bar
    ]
    if report["good"]["false_rejection"] > TARGETS["false_rejection"]:
        misses.append(f"false rejection {report['good']['false_rejection']:.3f} > {TARGETS['false_rejection']}")
    return misses


def main() -> dict:
    report = evaluate()
    print(f"{'category':<12} {'lines':>5} {'precision':>9} {'recall':>7} {'rejected':>8}")
    for category, row in report["categories"].items():
        print(f"{category:<12} {row['lines']:>5} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['blocked']:>8.3f}")
    good = report["good"]
    print(f"{'safe_good':<12} {good['lines']:>5}  approved {good['approved']:.3f}  needs review "
          f"{good['needs_review']:.3f}  false rejection {good['false_rejection']:.3f}")
    for category, row in report["categories"].items():
        for line in row["missed"]:
            print(f"missed {category}: {line}")
    for item_id, reasons in good["rejected"].items():
        print(f"rejected good line {item_id}: {'; '.join(reasons)}")
    misses = meets_targets(report)
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return report


if __name__ == "__main__":
    from bench.run import write_results

    sys.exit(1 if meets_targets(write_results("gate_eval", main())) else 0)
