"""The review app on a 2,000-item batch: how long the first page of product cards takes the server, and how long
an approve or a reject takes from the page's script, there and back (issue 30: under 1 s and under 300 ms).

A synthetic batch (tests/review_fixtures.py: 91 products, 22 items each, no model) in a fresh ADCRAFT_HOME,
the app under uvicorn on localhost, and an HTTP client logged in as a reviewer. Server time is the app's own
Server-Timing header (request in, response out, rendering included); a round trip is the client's wall time
for the POST its script sends (X-Requested-With: fetch) until the JSON with the changed line has arrived.
Run it with `.venv/bin/python -m bench.review_scale`; it prints the figures and writes
bench/results/review_scale.json.
"""

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PRODUCTS = 91  # 2,002 items
PAGE_LOADS = 12
ACTIONS = 20  # approves, and as many rejects
TARGETS_MS = {"first_page_server": 1000, "round_trip": 300}


def _server_ms(response) -> float:
    return float(re.search(r"dur=([\d.]+)", response.headers["server-timing"]).group(1))


def _summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 1),
            "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
            "max": round(ordered[-1], 1), "n": len(ordered)}


def main() -> dict:
    home = Path(tempfile.mkdtemp(prefix="adcraft-review-scale-"))
    try:
        return _measure(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _measure(home: Path) -> dict:
    os.environ["ADCRAFT_HOME"] = str(home)
    os.environ["ADCRAFT_REVIEW_USERS_FILE"] = str(home / "reviewers.yaml")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import httpx

    from adcraft.kernel.settings import get_settings
    from adcraft.review.app import create_app
    from adcraft.review.users import add_user
    from review_fixtures import PASSWORDS, csrf_from, live_server, log_in, previewed, synthetic_batch

    get_settings.cache_clear()
    batch = "scale-20261123"
    started = time.perf_counter()
    items = synthetic_batch(batch, PRODUCTS)["items"]
    built = time.perf_counter() - started
    add_user(home / "reviewers.yaml", "alice", "reviewer", PASSWORDS["alice"])
    fetch = {"X-Requested-With": "fetch"}
    with live_server(create_app()) as url, httpx.Client(base_url=url, timeout=60) as client:
        log_in(client, "alice")
        page_server, page_wall, sizes = [], [], []
        for _ in range(PAGE_LOADS):
            started = time.perf_counter()
            response = client.get(f"/batches/{batch}")
            page_wall.append((time.perf_counter() - started) * 1000)
            page_server.append(_server_ms(response))
            sizes.append(len(response.content))
            assert response.status_code == 200, response.text[:500]
        html = response.text
        token = csrf_from(html)
        on_page = " ".join(re.findall(r'<header class="product-head" id="head-([^"]+)"', html))  # as the script sends
        picks = re.findall(r'name="item" value="([^":]+):([0-9a-f]{64})" form="selection"', html)
        trips = {"approve": [], "reject": []}
        server = {"approve": [], "reject": []}
        for n, (item, sha) in enumerate(picks[:2 * ACTIONS]):
            action = "approve" if n % 2 == 0 else "reject"
            data = {"csrf_token": token, "content_sha256": sha, "back": f"/batches/{batch}", "reason": "Too vague",
                    "on_page": on_page}
            started = time.perf_counter()
            response = client.post(f"/batches/{batch}/items/{item}/{action}", data=data, headers=fetch)
            trips[action].append((time.perf_counter() - started) * 1000)
            server[action].append(_server_ms(response))
            assert response.status_code == 200 and response.json()["rows"], response.text[:500]
        # A whole product rejected with one reason, and a bulk approve's preview and confirmation.
        product = re.findall(r'name="item" value="([^"]+)" form="selection"', html)[-22:]
        started = time.perf_counter()
        client.post(f"/batches/{batch}/reject-selected", headers=fetch,
                    data={"csrf_token": token, "reason": "Wrong photos", "item": product, "on_page": on_page})
        product_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        preview = client.post(f"/batches/{batch}/bulk-approve", headers=fetch, data={"csrf_token": token})
        preview_ms = (time.perf_counter() - started) * 1000
        listed = previewed(preview.json()["dialog"])
        started = time.perf_counter()
        confirmed = client.post(f"/batches/{batch}/bulk-approve", headers=fetch,
                                data={"csrf_token": token, "step": "confirm", "items": " ".join(listed),
                                      "on_page": on_page})
        confirm_ms = (time.perf_counter() - started) * 1000
        assert confirmed.json()["ok"], confirmed.text[:500]
    round_trips = trips["approve"] + trips["reject"]
    figures = {
        "items": items,
        "products": PRODUCTS,
        "build_seconds": round(built, 1),
        "cpu_count": os.cpu_count(),
        "first_page_server_ms": {"first_request": round(page_server[0], 1), **_summary(page_server[1:])},
        "first_page_wall_ms": {"first_request": round(page_wall[0], 1), **_summary(page_wall[1:])},
        "first_page_kb": round(sizes[-1] / 1024),
        "approve_round_trip_ms": _summary(trips["approve"]),
        "reject_round_trip_ms": _summary(trips["reject"]),
        "approve_server_ms": _summary(server["approve"]),
        "reject_server_ms": _summary(server["reject"]),
        "reject_a_product_of_22_ms": round(product_ms, 1),
        "bulk_approve_preview_ms": round(preview_ms, 1),
        "bulk_approve_confirm_ms": {"items": len(listed), "ms": round(confirm_ms, 1)},
    }
    figures["targets_met"] = {
        "first_page_under_1s_server_time": max(page_server) < TARGETS_MS["first_page_server"],
        "approve_or_reject_round_trip_under_300ms": _summary(round_trips)["p90"] < TARGETS_MS["round_trip"],
    }
    return figures


if __name__ == "__main__":
    import json

    from bench.run import write_results

    print(json.dumps(write_results("review_scale", main()), indent=2))
