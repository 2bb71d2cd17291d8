"""One LoRA round on the demo shop: first-pass auto-approval rate and distinct-2 on held-out briefs for the
champion (before) and the LoRA challenger (after), and what the round cost on this machine.

Run `python -m bench.lora_round [--epochs N] [--learning-rate X]`; it prints the figures and writes
bench/results/lora_round.json. It builds the demo shop and runs the nightly demo campaign for three dates
first, to have approved history to learn from (the longest part on a CPU). With LORA_BENCH_HOME set to an
ADCRAFT_HOME where that already ran, a copy of its warehouse is used instead (the original is left
untouched), so several training settings can be tried on the same history.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

RUN_DATES = [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)]
SAMPLES = 8
"""Answers per held-out line and model: three nights hold out about 20 lines, and 2 answers each (the
command's default) left the two rates a few approvals apart."""


def _tree_state(project: Path) -> str:
    """Which code was measured: the commit, and a digest of the working tree's files (others may be
    changing them while this runs)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True).stdout.strip()

    digest = hashlib.sha256()
    for name in sorted(git("ls-files", "--cached", "--others", "--exclude-standard").splitlines()):
        if (project / name).is_file():
            digest.update(name.encode() + (project / name).read_bytes())
    return f"{git('rev-parse', '--short', 'HEAD')}, working tree {digest.hexdigest()[:12]}"


def _fill(home: Path) -> None:
    """Give the home a warehouse with approved history: a copy of LORA_BENCH_HOME's, or three demo nights."""
    from adcraft.kernel.settings import PROJECT_DIR, get_settings
    from models.text_generator import DEFAULT_MODEL_NAME, default_model_dir

    # Share the converted default model rather than converting it again for every fresh home.
    (home / "models").mkdir()
    (home / "models" / DEFAULT_MODEL_NAME).symlink_to(default_model_dir(PROJECT_DIR / "var" / "models"))
    source = os.environ.get("LORA_BENCH_HOME")
    if source:
        shutil.copy(Path(source) / "warehouse.duckdb", home / "warehouse.duckdb")
        import duckdb

        # A round that ran there may have promoted a champion: measure against the base model, as a first
        # round does.
        with duckdb.connect(str(home / "warehouse.duckdb")) as con:
            con.execute("UPDATE ops.model_registry SET status = 'retired' WHERE status = 'champion'")
        return
    from adcraft.sources.demo_shop import generate_demo_shop
    from flows.nightly import nightly_campaign

    generate_demo_shop(home / "landing" / "demo", scale=1.0, seed=get_settings().seed)
    for run_date in RUN_DATES:
        nightly_campaign(str(PROJECT_DIR / "campaigns" / "demo.yaml"), run_date)


def main(epochs: int | None = None, learning_rate: float | None = None) -> dict:
    tree = _tree_state(Path(__file__).resolve().parents[1])  # as the code is loaded, before it can change
    home = Path(tempfile.mkdtemp(prefix="adcraft-lora-"))
    os.environ["ADCRAFT_HOME"] = str(home)
    os.environ.pop("ADCRAFT_MODEL_CACHE", None)  # adapters go under this home, not into a shared cache
    os.environ.pop("ADCRAFT_TEXT_MODEL", None)  # measure the registry's champion, as nightly runs use it
    from adcraft.kernel.settings import get_settings
    from adcraft.operations.prefect_env import configure_prefect

    get_settings.cache_clear()
    configure_prefect()  # before prefect is imported
    _fill(home)
    from adcraft.kernel.db import warehouse
    from flows.train_text import train_text

    with warehouse(read_only=True) as con:
        [(batches, copy_items, approved)] = con.execute(
            "SELECT count(DISTINCT batch_id), count(*), count(*) FILTER (WHERE decision = 'approved') "
            "FROM content.decisions WHERE item_kind = 'copy'"
        ).fetchall()
    started = time.perf_counter()
    overrides = {k: v for k, v in (("epochs", epochs), ("learning_rate", learning_rate)) if v is not None}
    result = train_text(samples=SAMPLES, **overrides)  # the command's defaults, unless overridden
    before, after = result["evaluation"]["champion"], result["evaluation"]["challenger"]
    figures = {
        "tree": tree,
        "history": {"batches": batches, "copy_items": copy_items, "approved": approved},
        "data": result["data"],
        "training": {k: result["training"][k] for k in (
            "device", "examples", "steps", "trainable_parameters", "final_loss", "seconds", "config")},
        "evaluation_seconds": result["evaluation"]["seconds"],
        "round_seconds": round(time.perf_counter() - started, 1),
        "before": before,
        "after": after,
        "raises_held_out_approval": after["approval_rate"] > before["approval_rate"],
        "promoted": result["promotion"]["promoted"],
        "home": str(home),
    }
    print(f"tree {figures['tree']}; history: {approved} approved of {copy_items} copy items in {batches} batches")
    print(f"trained on {result['data']['train_examples']} examples, {figures['training']['steps']} steps in "
          f"{figures['training']['seconds']} s on {figures['training']['device']}; held-out "
          f"{result['data']['held_out_lines']} lines, evaluated in {figures['evaluation_seconds']} s")
    for name, f in (("before", before), ("after", after)):
        per_type = ", ".join(f"{ct} {t['approval_rate']:.0%}/{t['distinct_2']:.2f}"
                             for ct, t in f["by_content_type"].items())
        print(f"{name}: approved {f['approval_rate']:.0%}, distinct-2 {f['distinct_2']:.2f} ({per_type})")
    print(f"promoted: {figures['promoted']}")
    return figures


if __name__ == "__main__":
    import argparse

    from bench.run import write_results

    parser = argparse.ArgumentParser(description="One LoRA round on the demo shop, before and after.")
    parser.add_argument("--epochs", type=int, help="training epochs (default: `adcraft train text`'s)")
    parser.add_argument("--learning-rate", type=float, help="learning rate (default: `adcraft train text`'s)")
    args = parser.parse_args()
    write_results("lora_round", main(args.epochs, args.learning_rate))
