"""What validation tells people: an offline HTML report (templates/reports/validation.html.j2), Prefect
artifacts when running in a flow, and the error message that stops a run on critical failures."""

from datetime import datetime
from pathlib import Path

from adcraft.kernel.db import sql
from adcraft.kernel.settings import get_settings
from adcraft.kernel.templating import render
from adcraft.sources.rules import share_text

COLUMNS = ("load_id", "entity", "source_file", "row_count", "loaded_at", "rule", "column_name", "severity",
           "success", "unexpected_count", "mostly", "quarantined", "exception", "released", "examples")


def report_path() -> Path:
    return get_settings().home / "reports" / "validation.html"


def publish_results(con, validated: list[str], blocking: list[tuple]) -> Path:
    """Write the HTML report of the newest loads, and the artifacts; returns the report's path."""
    rows = [dict(zip(COLUMNS, r)) for r in con.execute(sql("validate/report_results")).fetchall()]
    files: dict[str, dict] = {}
    for row in rows:
        entry = files.setdefault(row["load_id"], {k: row[k] for k in COLUMNS[:5]} | {"rules": []})
        row["status"] = "pass" if row["success"] else "fail" if row["severity"] == "critical" else "warn"
        entry["rules"].append(row)
    path = report_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render("reports/validation.html.j2", files=list(files.values()), blocking=blocking,
                           validated=validated, written_at=datetime.now().strftime("%Y-%m-%d %H:%M")))
    _artifacts(rows, blocking, path)
    return path


def _artifacts(rows: list[dict], blocking: list[tuple], path: Path) -> None:
    from prefect.context import FlowRunContext, TaskRunContext

    if not (FlowRunContext.get() or TaskRunContext.get()):
        return  # called outside a flow (tests, scripts): there is no run to attach them to
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_table_artifact(
        key="validation-results",
        table=[{"file": r["source_file"].rsplit("/", 1)[-1], "rule": r["rule"], "column": r["column_name"] or "",
                "severity": r["severity"], "status": r["status"], "failing": r["unexpected_count"] or 0,
                "quarantined": r["quarantined"] or 0, "mostly": r["mostly"]} for r in rows],
        description="Validation of the newest load of each file",
    )
    lines = ["# Validation", "", f"Report: `{path}`", ""]
    lines += ["**The run stops:** " + blocking_message(blocking, path).replace("\n", "  \n")] if blocking else \
        ["No critical rule failed."]
    create_markdown_artifact(key="validation-summary", markdown="\n".join(lines),
                             description="Validation outcome")


def blocking_message(blocking: list[tuple], report: Path) -> str:
    """Names each file and failed critical rule, with an example, and says what to do about it. The count and
    the percentage are over the same rows: those the rule checked, which for all but not_null leaves empty
    values out, as GX's `mostly` does ("1 of 10 rows with a description (10%)")."""
    lines = [f"Validation stopped the run before generation: {len(blocking)} critical rule(s) failed."]
    for (load_id, entity, source_file, rule, column, failing, elements, mostly, _, example, exception,
         what) in blocking:
        share = share_text(failing or 0, elements, what, float(mostly) if mostly else None)
        lines.append(f"- {source_file.rsplit('/', 1)[-1]} ({entity}, load {load_id}): rule {rule}"
                     f"{f' on column {column}' if column else ''} failed on {share}.")
        if exception:
            lines.append(f"  {exception}")
        if example:
            lines.append(f"  e.g. {example}")
        lines.append(f"  Inspect: adcraft quarantine list --load {load_id} --rule {rule}")
    lines += [
        "What to do: fix the export (or the mapping in the source's YAML, see `adcraft sources check`) and land "
        "the corrected file under the same name, then re-run. To accept the rows as they are, release them: "
        "adcraft quarantine release --load <load> --rule <rule> --note '<why>'.",
        f"Report: {report}",
    ]
    return "\n".join(lines)
