"""bench/report.md from bench/results/*.json, and the scaling plot bench/scaling.png.

    python -m bench.report          # `make bench` runs it after the benchmarks

A figure whose benchmark has not run says which command measures it, instead of a number.
"""

import json
from pathlib import Path

from models.shipped import shipped_training

BENCH = Path(__file__).parent
RESULTS = BENCH / "results"
REPORT = BENCH / "report.md"
PLOT = BENCH / "scaling.png"
LABELLED = BENCH.parent / "corpus" / "judge" / "labelled_outputs.jsonl"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


MISSING = "_Not measured yet: "


def _missing(name: str) -> list[str]:
    return [f"{MISSING}`python -m bench.run {name}`._", ""]


def _table(header: list[str], rows: list[list]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(str(v) for v in row) + " |" for row in rows), ""]


def nightly_section(r: dict | None) -> list[str]:
    lines = ["## Nightly run (demo campaign)", ""]
    if not r:
        return lines + _missing("nightly")
    server = r.get("ephemeral_server_start_seconds")
    lines += [f"Wall time **{r['wall_seconds']} s**, of which Prefect's own overhead (wall time outside the stages) "
              f"is **{r['prefect_overhead_pct']}%**; {r['copy_items']} copy items, approval rate "
              f"{100 * r['approval_rate']:.0f}%."
              + (f" Before it, starting the ephemeral API server took {server} s (once per process)."
                 if server else ""),
              ""]
    return lines + _table(["stage", "seconds"], [[k, v] for k, v in r["stage_seconds"].items()])


def throughput_section(ingest: dict | None, gen: dict | None, banners: dict | None, gate: dict | None,
                       gpu_run: dict | None = None) -> list[str]:
    lines = ["## Throughput", ""]
    rows = []
    if ingest:
        rows.append(["ingest + validate + transform vs bare DuckDB `read_csv`",
                     f"throughput ratio {ingest['throughput_ratio']:.3f}: the pipeline takes "
                     f"{1 / ingest['throughput_ratio']:.1f}x as long (bare {ingest['bare_read_csv']['seconds']} s, "
                     f"pipeline {ingest['pipeline']['seconds']} s, {ingest['rows']:,} rows)", "ingest_scale"])
        if "ingest_validate_ratio" in ingest:
            rows.append(["ingest + validate vs bare DuckDB `read_csv`",
                         f"throughput ratio {ingest['ingest_validate_ratio']:.3f}", "ingest_scale"])
        if "join" in ingest:
            j = ingest["join"]
            rows.append([f"order lines joined to orders vs the same lines unjoined ({j['order_lines']:,} lines, "
                         f"{j['orders']:,} orders)",
                         f"{j['ratio']:.2f}x (median of {j.get('runs', 1)} pairs; medians joined {j['joined_s']} s, "
                         f"plain {j['plain_s']} s; CPU {j['cpu_ratio']:.2f}x; target 1.3x at most, load average "
                         f"{j['load_average_before'][0]})", "ingest_scale"])
    if gen:
        variants, candidates = gen["variants"], gen.get("best_of_n_candidates", 1)
        rows.append([f"generation, batched vs one prompt at a time, {variants} different prompts",
                     f"{gen['speedup']}x ({gen['batched_variants_per_s']} vs {gen['one_at_a_time_variants_per_s']} "
                     f"variants/s, target {gen.get('target_speedup', '-')}x)", "generation"])
        if "best_of_n_speedup" in gen:
            rows.append([f"generation, the same for best-of-{candidates} ({variants // candidates} prompts)",
                         f"{gen['best_of_n_speedup']}x ({gen['best_of_n_batched_variants_per_s']} vs "
                         f"{gen['best_of_n_one_at_a_time_variants_per_s']} variants/s)", "generation"])
        for device in ("cpu", "cuda"):
            if f"tokens_per_s_{device}" not in gen:  # results written before the figure existed
                continue
            found = gen[f"tokens_per_s_{device}"] or {}
            figure = (f"{found['tokens_per_s']} tokens/s ({found['variants_per_s']} variants/s)" if found
                      else "not measured: no GPU")
            rows.append([f"generation tokens/s on {found.get('gpu', device)}, one batch of {variants}", figure,
                         "generation"])
        if "server_variants_per_s" in gen:
            how = gen["server_vs_in_process"]
            rows.append([f"the same {how['variants']} requests on llama.cpp's server ({how['server']}, "
                         f"{how['in_flight']} in flight) vs in-process ({how['in_process']})",
                         f"{gen['server_variants_per_s']} vs {gen['in_process_variants_per_s']} variants/s",
                         "generation"])
    if banners:
        rows.append(["banners", f"{banners['banners_per_second']} banners/s (target "
                                f"{banners.get('target_banners_per_second', '-')})", "banners"])
        if "generator_sample_seconds_cpu" in banners:
            rows.append([f"illustration sampling on the CPU ({banners.get('torch_threads', '?')} threads), full size",
                         f"{banners['generator_sample_seconds_cpu']} s per picture (target < 2 s)", "banners"])
    cuda = (gpu_run or {}).get("generator_sample_seconds_cuda") or (banners or {}).get("generator_sample_seconds_cuda")
    rows.append([f"illustration sampling on {(gpu_run or {}).get('gpu') or 'a GPU'}",
                 f"{cuda} s per picture" if cuda else "not measured yet: `python -m bench.gpu_illustrations` on a "
                                                      "GPU machine", "gpu_illustrations"])
    if gpu_run:
        rows.append([f"illustration generator training on {gpu_run['gpu'] or gpu_run['device']}",
                     f"{gpu_run['steps']:,} steps in {gpu_run['train_seconds']} s ({gpu_run['steps_per_second']} "
                     f"steps/s); category accuracy generated {gpu_run['quality']['generated']}, retrieved "
                     f"{gpu_run['quality']['retrieved']}", "gpu_illustrations"])
    if gate:
        rows.append(["scoring (the gate)", f"{gate['items_per_s']} items/s "
                                           f"(target {gate.get('target_items_per_s', '-')}, "
                                           f"load average {gate.get('load_average_1m', '-')})", "gate_throughput"])
    lines += _table(["what", "figure", "bench"], rows) if rows else []
    for name, found in (("ingest_scale", ingest), ("generation", gen), ("banners", banners), ("gate_throughput", gate)):
        if not found:
            lines += _missing(name)
    return lines


def copy_section(quality: dict | None, generation: dict | None) -> list[str]:
    lines = ["## Copy quality: the demo shop and a shop of held-out categories", ""]
    if not quality:
        return lines + _missing("copy_quality")
    for shop, f in quality["shops"].items():
        night = f", night {f['seconds']} s" if "seconds" in f else ""
        lines += [f"**{shop}** ({f['batch_id']}{night}): "
                  f"model-written lines approved first pass **{100 * f['model_approval_rate']:.0f}%** of "
                  f"{f['model_lines']}; all lines {100 * f['approval_rate']:.0f}% of {f['lines']}; distinct-2 "
                  f"{f['distinct_2']:.2f}.", ""]
        lines += _table(
            ["content type", "model lines", "model lines approved", "all lines approved", "distinct-2",
             "approved over limits", "approved flagged against facts"],
            [[ct, t["model_lines"],
              "-" if t["model_approval_rate"] is None else f"{100 * t['model_approval_rate']:.0f}%",
              f"{100 * t['approval_rate']:.0f}%", t["distinct_2"], len(t["approved_over_limits"]),
              len(t["approved_flagged_against_facts"])] for ct, t in f["by_content_type"].items()],
        )
    read = quality.get("blind_read")
    if read:
        rows = [[name.replace("_", " "), c["lines"], c["shippable"], f"{100 * c['share']:.0f}%"]
                for name, c in sorted(read.items())]
        lines += ["Blind read by the rubric (bench/data/blind_read.csv, line by line):", ""]
        lines += _table(["lines", "read", "shippable", "share"], rows)
    else:
        lines += ["_Blind read not recorded yet: read bench/results/blind_read_sample.csv into "
                  "bench/data/blind_read.csv._", ""]
    if generation and "vs_previous" in generation:
        lines += [f"Copy model with short requests: {generation['copy_model_variants_per_s']} variants/s against "
                  f"{generation['previous_variants_per_s']} before the corpus (the base model with a worked example, "
                  f"{generation['previous_prompt_tokens_mean']} prompt tokens against "
                  f"{generation['prompt_tokens_mean']}): **{generation['vs_previous']}x** (target "
                  f"{generation['target_vs_previous']}x; `bench.generation`, load average "
                  f"{generation['load_average_1m']}).", ""]
    return lines


def copy_model_section(training: dict | None) -> list[str]:
    lines = ["## Copy model", ""]
    if not training:
        return lines + ["_No copy model shipped yet: `make train-copy-model`._", ""]
    held = training["metrics"]["held_out"]["challenger"]
    snapshot = training["data_snapshot"]
    packed = f", packed into {training['tokens_run']:,} run" if training.get("tokens_run") else ""
    lines += [f"The shipped adapter `{training['version']}` (`models/weights/copy-lora/training.json`): "
              f"{snapshot['train_examples']:,} corpus examples, {training['tokens']:,} tokens{packed}, "
              f"{training['steps']} steps in {training['seconds'] / 60:.0f} min on {training['device']}"
              + (f", final loss {training['final_loss']}" if training.get("final_loss") else "") + ". "
              "Held-out lines written from their requests and judged by the gate as it stood when it trained "
              "(before the editor judge shipped):", ""]
    sets = [("all held-out lines", held), ("categories no training saw", held["held_out_categories"]),
            ("held-out products of trained categories", held["held_out_products_of_training_categories"]),
            *((ct, f) for ct, f in held["by_content_type"].items())]
    lines += _table(["lines", "items", "approved first pass", "distinct-2"],
                    [[name, f["items"], f"{100 * f['approval_rate']:.0f}%", f["distinct_2"]] for name, f in sets])
    labelled = [r for r in _jsonl(LABELLED) if r.get("model_version") == training["version"]]
    if labelled:
        good = sum(r["shippable"] for r in labelled)
        lines += [f"Read by a person, line by line ({LABELLED.relative_to(BENCH.parent)}): **{good} of "
                  f"{len(labelled)}** of its lines for held-out products of trained categories are shippable "
                  f"({100 * good / len(labelled):.0f}%).", ""]
    return lines


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def editor_section(editor: dict | None) -> list[str]:
    lines = ["## The gate on the held-out editor set", ""]
    if not editor:
        return lines + _missing("editor_eval")
    c = editor["confusion"]
    lines += [f"{editor['lines']} lines ({editor['good']} shippable, {editor['bad']} not) for products no training "
              f"saw, in {len(editor['categories'])} categories (tests/data/editor_set.jsonl): "
              f"shippable approved **{editor['good_approved']:.3f}**, not shippable held back "
              f"**{editor['bad_not_approved']:.3f}** (targets {editor['targets']}).", ""]
    lines += _table(["", "approved", "not approved"],
                    [["shippable", c["good_approved"], c["good_not_approved"]],
                     ["not shippable", c["bad_approved"], c["bad_not_approved"]]])
    lines += _table(["kind of bad line", "held back"],
                    [[k, v] for k, v in editor["bad_not_approved_by_kind"].items()])
    return lines


def review_section(review: dict | None) -> list[str]:
    lines = ["## Reviewing at scale", ""]
    if not review:
        return lines + _missing("review_scale")
    page, bulk = review["first_page_server_ms"], review["bulk_approve_confirm_ms"]
    lines += [f"{review['items']:,} items for {review['products']} products, served by the review app on "
              f"localhost ({review['cpu_count']} CPUs), times in ms:", ""]
    rows = [["first page (server time)", page["median"], page["p90"], page["max"]]]
    for action in ("approve", "reject"):
        t = review[f"{action}_round_trip_ms"]
        rows.append([f"{action} one item (round trip)", t["median"], t["p90"], t["max"]])
    lines += _table(["what", "median", "p90", "max"], rows)
    return lines + [f"Rejecting all 22 items of a product takes {review['reject_a_product_of_22_ms']} ms; a bulk "
                    f"approval previews in {review['bulk_approve_preview_ms']} ms and approves {bulk['items']:,} "
                    f"items in {bulk['ms']} ms.", ""]


def memory_section(ingest: dict | None, scaling: dict | None) -> list[str]:
    rows = []
    if ingest:
        rows += [["bare DuckDB read_csv", f"{ingest['scale']}x shop", ingest["bare_read_csv"]["peak_mb"]],
                 ["ingest + validate + transform", f"{ingest['scale']}x shop", ingest["pipeline"]["peak_mb"]]]
    for run in (scaling or {}).get("runs", []):
        rows.append([f"nightly flow ({run['generator']})", f"{run['factor']}x briefs ({run['briefs']})",
                     run["peak_mb"]])
    return ["## Peak memory (MB, resident)", ""] + (_table(["process", "size", "peak MB"], rows) if rows else
                                                      _missing("ingest_scale"))


def scaling_section(scaling: dict | None) -> list[str]:
    lines = ["## Scaling with the number of briefs", ""]
    if not scaling:
        return lines + _missing("scaling")
    extrapolated = {e["factor"]: e for e in scaling["generation_extrapolated"]}
    stages = list(scaling["runs"][0]["stage_seconds"])
    rows = []
    for run in scaling["runs"]:
        cells = [f"{v:.1f}" for v in run["stage_seconds"].values()]
        if run["generator"] == "stand-in":
            gen = extrapolated.get(run["factor"])
            cells[stages.index("generate")] = f"{gen['generate_seconds']:.0f}*" if gen else "n/a"
        rows.append([f"{run['factor']}x", run["briefs"], *cells, run["wall_seconds"], run["prefect_overhead_pct"],
                     run.get("load_average_1m", "-")])
    lines += _table(["scale", "briefs", *stages, "wall s", "Prefect %", "load"], rows)
    lines += [f"\\* extrapolated from the {e['from_factor']}x model run's seconds per brief. Rows marked * generated "
              "with a random one-layer stand-in, so every other stage still handled the full number of items; their "
              "wall time includes the stand-in, not the model." for e in scaling["generation_extrapolated"][:1]]
    lines += ["", f"Measured on {scaling['cpus']} CPUs; `load` is the 1-minute load average when the run ended "
              "(other work on the machine slows every figure)."]
    return lines + ["", f"![scaling]({PLOT.name})", "", f"_{scaling['notes']}_", ""]


def plot(scaling: dict) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = scaling["runs"]
    fig, ax = plt.subplots(figsize=(9.5, 5))
    ax.set_prop_cycle(color=plt.cm.tab20.colors)
    for stage in runs[0]["stage_seconds"]:
        points = [(r["briefs"], r["stage_seconds"][stage]) for r in runs
                  if stage != "generate" or r["generator"] == "model"]
        ax.plot(*zip(*points), marker="o", label=stage)
    model = [(r["briefs"], r["stage_seconds"]["generate"]) for r in runs if r["generator"] == "model"]
    for e in scaling["generation_extrapolated"]:
        start = max(model) if model else None
        if start:
            ax.plot([start[0], e["briefs"]], [start[1], e["generate_seconds"]], "k--", label="generate (extrapolated)")
    ax.set(xscale="log", yscale="log", xlabel="briefs", ylabel="seconds",
           title="Nightly stage wall time by number of briefs")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)
    plt.close(fig)
    return PLOT


def main() -> Path:
    scaling = _load("scaling")
    ingest = _load("ingest_scale")
    lines = ["# Benchmarks", "", "Written by `python -m bench.report` from bench/results/*.json "
             "(`make bench` runs every benchmark, then this). Figures are from the machine that ran them: "
             "see each JSON file for its load average and thread count. A benchmark that did not run in the latest "
             "write keeps the figures of its earlier run here.", ""]
    lines += nightly_section(_load("nightly"))
    lines += throughput_section(ingest, _load("generation"), _load("banners"), _load("gate_throughput"),
                                _load("gpu_illustrations"))
    lines += copy_section(_load("copy_quality"), _load("generation"))
    lines += copy_model_section(shipped_training())
    lines += editor_section(_load("editor_eval"))
    lines += review_section(_load("review_scale"))
    lines += memory_section(ingest, scaling)
    lines += scaling_section(scaling)
    if scaling:
        plot(scaling)
    REPORT.write_text("\n".join(_keep_measured(lines)))
    return REPORT


def _keep_measured(lines: list[str]) -> list[str]:
    """Figures of benchmarks that have not run on this machine are kept from the report as it stands
    (bench/results is not committed; the report is): a section nothing measured keeps its old text, and a
    table with a `bench` column keeps the old rows of the benchmarks that did not run."""
    old = {s[0]: s for s in _sections(REPORT.read_text().splitlines())} if REPORT.exists() else {}
    kept = []
    for section in _sections(lines):
        missing = {line.split("bench.run ", 1)[1].split("`")[0] for line in section if line.startswith(MISSING)}
        previous = old.get(section[0], [])
        if not missing or not previous or any(line.startswith(MISSING) for line in previous):
            kept += section
        elif not any(line.startswith("| ") for line in section):
            kept += previous
        else:
            rows = [line for line in previous if line.startswith("| ") and line.rsplit("|", 2)[1].strip() in missing]
            last_row = max(i for i, line in enumerate(section) if line.startswith("| "))
            kept += [line for line in section[:last_row + 1] + rows + section[last_row + 1:]
                     if not line.startswith(MISSING) or line.split("bench.run ", 1)[1].split("`")[0]
                     not in {row.rsplit("|", 2)[1].strip() for row in rows}]
    return kept


def _sections(lines: list[str]) -> list[list[str]]:
    found = [[]]
    for line in lines:
        if line.startswith("## "):
            found.append([])
        found[-1].append(line)
    return [s for s in found if s]

if __name__ == "__main__":
    print(main())
