"""Run every benchmark, print its figures, and write them to bench/results/<name>.json."""

import importlib
import json
import sys
from pathlib import Path

BENCHMARKS = [
    "nightly", "gate_eval", "gate_throughput", "generation", "copy_quality", "editor_eval", "banners",
    "illustration_quality", "ingest_scale", "review_scale", "scaling",
]
RESULTS = Path(__file__).parent / "results"


def write_results(name: str, figures: dict) -> dict:
    """The one place benchmark figures are saved, whether run alone or by `make bench`."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return figures


def main(names: list[str]) -> None:
    for name in names or BENCHMARKS:
        figures = write_results(name, importlib.import_module(f"bench.{name}").main())
        print(f"{name}: {json.dumps(figures, indent=2)}")
    from bench.report import main as write_report

    print(f"report: {write_report()}")


if __name__ == "__main__":
    main(sys.argv[1:])
