"""Run every benchmark, print its figures, and write them to bench/results/<name>.json."""

import importlib
import json
import sys
from pathlib import Path

BENCHMARKS = ["nightly", "gate_eval", "gate_throughput", "generation"]
RESULTS = Path(__file__).parent / "results"


def main(names: list[str]) -> None:
    RESULTS.mkdir(exist_ok=True)
    for name in names or BENCHMARKS:
        figures = importlib.import_module(f"bench.{name}").main()
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2))
        print(f"{name}: {json.dumps(figures, indent=2)}")


if __name__ == "__main__":
    main(sys.argv[1:])
