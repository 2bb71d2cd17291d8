"""The gate against a careful editor, on the held-out editor set (tests/data/editor_set.jsonl): 442 lines
for 40 products in 10 categories, each labelled shippable or not by a person, with the kind of fault. No
line or product of it is ever trained on (tests/checks/test_judge.py checks that).

Every line is scored by the whole gate (the editor judge included) as the nightly flow scores it (an SMS
with its price and link slotted in), and decided by warehouse/queries/content/decide.sql under the demo
policy. Approved is what would be published without a person. Run `python -m bench.editor_eval`; it prints the
confusion matrix, the share per kind, and examples of each kind of error, and writes
bench/results/editor_eval.json.
"""

import json
import sys
from collections import Counter

from adcraft.checks.base import CopyCandidate
from adcraft.checks.gate import check_copy
from adcraft.kernel.config import load_brand, load_campaign
from adcraft.kernel.settings import PROJECT_DIR
from bench.gate_eval import decide

EDITOR_SET = PROJECT_DIR / "tests" / "data" / "editor_set.jsonl"
TARGETS = {"bad_not_approved": 0.95, "good_approved": 0.85}
LINK = "https://shop.example.com/p/{sku}"


def load_editor_set() -> list[dict]:
    return [json.loads(line) for line in EDITOR_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def candidate(record: dict) -> CopyCandidate:
    product = record["product"]
    link = LINK.format(sku=product["sku"])
    text = record["text"]
    if record["content_type"] == "sms":  # as generation composes it: the price and the link after the text
        text = f"{text} {product['price']:.2f} {product['currency']}: {link}"
    return CopyCandidate(record["id"], record["content_type"], record["field"], text, product,
                         link if record["content_type"] == "sms" else None)


def evaluate() -> dict:
    records = load_editor_set()
    policy = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml").policy
    results = []
    for voice in sorted({r["voice"] for r in records}):
        results += check_copy([candidate(r) for r in records if r["voice"] == voice], load_brand(voice))
    decisions = decide(results, policy.approve_at, policy.review_at)
    by_id = {r["id"]: r for r in records}
    approved = {i for i, (decision, _) in decisions.items() if decision == "approved"}
    good = [r["id"] for r in records if r["shippable"]]
    bad = [r["id"] for r in records if not r["shippable"]]
    kinds = Counter(r["kind"] for r in records)
    per_kind = {kind: round(sum(i not in approved for i in bad if by_id[i]["kind"] == kind) / count, 3)
                for kind, count in sorted(kinds.items()) if kind != "good"}
    reasons = {i: decisions[i][1] for i in decisions}

    def example(i: str) -> dict:
        r = by_id[i]
        return {"id": i, "category": r["category"], "kind": r["kind"], "field": f"{r['content_type']}.{r['field']}",
                "product": r["product"]["name"], "text": r["text"], "decision": decisions[i][0],
                "reasons": reasons[i][:3]}

    return {
        "lines": len(records), "good": len(good), "bad": len(bad),
        "confusion": {"good_approved": len(set(good) & approved), "good_not_approved": len(set(good) - approved),
                      "bad_approved": len(set(bad) & approved), "bad_not_approved": len(set(bad) - approved)},
        "good_approved": round(len(set(good) & approved) / len(good), 3),
        "bad_not_approved": round(len(set(bad) - approved) / len(bad), 3),
        "bad_not_approved_by_kind": per_kind,
        "bad_approved": [example(i) for i in bad if i in approved],
        "good_not_approved": [example(i) for i in good if i not in approved],
        "categories": sorted({r["category"] for r in records}),
        "targets": TARGETS,
    }


def meets_targets(report: dict) -> list[str]:
    return [f"{name} {report[name]:.3f} < {bar}" for name, bar in TARGETS.items() if report[name] < bar]


def main() -> dict:
    report = evaluate()
    c = report["confusion"]
    print(f"editor set: {report['lines']} lines ({report['good']} shippable, {report['bad']} not), "
          f"{len(report['categories'])} categories")
    print(f"{'':<16}{'approved':>10}{'not approved':>14}")
    print(f"{'shippable':<16}{c['good_approved']:>10}{c['good_not_approved']:>14}")
    print(f"{'not shippable':<16}{c['bad_approved']:>10}{c['bad_not_approved']:>14}")
    print(f"shippable approved {report['good_approved']:.3f}; not shippable held back {report['bad_not_approved']:.3f}")
    for kind, share in report["bad_not_approved_by_kind"].items():
        print(f"  {kind:<16} held back {share:.3f}")
    for title, rows in (("approved, not shippable", report["bad_approved"]),
                        ("shippable, not approved", report["good_not_approved"])):
        print(f"{title} ({len(rows)}):")
        for row in rows[:10]:
            print(f"  [{row['category']}/{row['kind']}/{row['field']}] {row['text']!r} -> {row['decision']}: "
                  f"{'; '.join(row['reasons'])[:160]}")
    misses = meets_targets(report)
    print("targets met" if not misses else "targets missed: " + "; ".join(misses))
    return report


if __name__ == "__main__":
    from bench.run import write_results

    sys.exit(1 if meets_targets(write_results("editor_eval", main())) else 0)
