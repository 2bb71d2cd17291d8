"""Validate: check every new load with a Great Expectations suite, and quarantine the rows that break a rule.

GX reports per rule (ops.validation_results); SQL generated from the same rules decides, row by row, what
goes to quarantine.rows, since GX's own failing-row lists are sampled in places. Staging reads only the raw
rows that are not in quarantine, so every rule, critical or warning, quarantines the rows that break it.
"""

import json
import logging
import math

from prefect import task

from adcraft.db import sql, warehouse
from adcraft.rules import Rule, frame_columns_sql, load_rules, to_expectation, to_sql
from adcraft.stages import timed_stage

RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_row_number"]}
# A critical rule failing on more than this share of a load means a broken file, not a few dirty rows:
# quarantining most of it would hide the problem, so the run is told to stop.
MAX_CRITICAL_PERCENT = 5.0
DETAIL_ROWS = 1000  # failing row numbers kept per rule in details; counts are always complete


@task(name="validate")
@timed_stage
def validate_loads() -> dict:
    """Validate each load in ops.loads that has no validation results yet."""
    with warehouse() as con:
        pending = con.execute(sql("validate/pending_loads")).fetchall()
    entities: dict[str, dict] = {}
    problems: list[str] = []
    context = _gx_context() if pending else None
    for load_id, entity, source_file, row_count in pending:
        rules = load_rules(entity)
        with warehouse() as con:
            frame = con.execute(
                f"SELECT {frame_columns_sql(rules)} FROM raw.{entity} WHERE _load_id = ? ORDER BY _row_number",
                [load_id],
            ).df()
        results = _run_suite(context, load_id, entity, rules, frame)
        del frame  # free it before the next load: raw loads can be millions of rows
        file_name = source_file.rsplit("/", 1)[-1]
        with warehouse() as con:
            quarantined = _record(con, load_id, entity, file_name, rules, results, problems)
        totals = entities.setdefault(entity, {"rows_checked": 0, "rows_quarantined": 0, "failed_rules": []})
        totals["rows_checked"] += row_count
        totals["rows_quarantined"] += quarantined
        totals["failed_rules"] += [r.name for r in rules if not results[r.name]["success"]
                                   and r.name not in totals["failed_rules"]]
    return {"rows": sum(e["rows_checked"] for e in entities.values()), "loads": [p[0] for p in pending],
            "entities": entities, "critical_failure": bool(problems), "problems": problems}


def _gx_context():
    import great_expectations as gx  # 6-9 s to import, so only when there is something to validate
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX announces its temporary docs folder at INFO on every run; that is noise in a nightly log.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _run_suite(context, load_id: str, entity: str, rules: tuple[Rule, ...], frame) -> dict[str, dict]:
    """Run the rules as one GX suite over the load's DataFrame; a plain dict per rule, by rule name."""
    import great_expectations as gx

    batch = (context.data_sources.add_pandas(name=load_id)
             .add_dataframe_asset(name=entity)
             .add_batch_definition_whole_dataframe("load")
             .get_batch(batch_parameters={"dataframe": frame}))
    suite = gx.ExpectationSuite(name=load_id, expectations=[to_expectation(r) for r in rules])
    outcome = batch.validate(suite, result_format=RESULT_FORMAT)
    by_rule = {}
    for result in outcome.results:
        detail = result.result or {}
        rows = sorted(int(i["_row_number"]) for i in detail.get("unexpected_index_list") or [])
        by_rule[result.expectation_config.meta["rule"]] = {
            "expectation": result.expectation_config.type,
            "success": bool(result.success),
            "element_count": detail.get("element_count"),
            "unexpected_count": detail.get("unexpected_count"),
            "unexpected_percent": detail.get("unexpected_percent"),
            "unexpected_rows": rows,
            "sample_values": [_plain(v) for v in (detail.get("partial_unexpected_list") or [])[:20]],
            "exception": _exception(result.exception_info),
        }
    return by_rule


def _record(con, load_id, entity, file_name, rules, results, problems: list[str]) -> int:
    """Quarantine failing rows and store GX's results for one load, in one transaction."""
    data_columns = [c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
        "AND NOT starts_with(column_name, '_') ORDER BY column_index", [entity]).fetchall()]
    row_data = "json_object(" + ", ".join(f"'{c}', \"{c}\"" for c in data_columns) + ")"
    con.execute("BEGIN")
    try:
        for rule in rules:
            gx_result = results[rule.name]
            insert = sql("validate/quarantine").format(entity=entity, row_data=row_data, **to_sql(rule))
            (quarantined,) = con.execute(insert, {
                "entity": entity, "load_id": load_id, "rule": rule.name, "column": rule.column,
                "severity": rule.severity, "file": file_name, "reason": rule.reason,
            }).fetchone()
            problem = _critical_problem(rule, gx_result, quarantined)
            if problem:
                problems.append(f"{file_name}: {problem}")
            details = {k: gx_result[k] for k in ("unexpected_percent", "sample_values", "exception")}
            details |= {"unexpected_rows": gx_result["unexpected_rows"][:DETAIL_ROWS],
                        "unexpected_rows_truncated": len(gx_result["unexpected_rows"]) > DETAIL_ROWS,
                        "quarantined": quarantined}
            con.execute(
                "INSERT INTO ops.validation_results (_load_id, entity, rule, expectation, column_name, severity, "
                "success, element_count, unexpected_count, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [load_id, entity, rule.name, gx_result["expectation"], rule.column, rule.severity,
                 gx_result["success"], gx_result["element_count"], gx_result["unexpected_count"],
                 json.dumps(details)],
            )
        (rows,) = con.execute(
            "SELECT count(DISTINCT _row_number) FROM quarantine.rows WHERE entity = ? AND _load_id = ?",
            [entity, load_id]).fetchone()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return rows


def _critical_problem(rule: Rule, gx_result: dict, quarantined: int) -> str | None:
    """Why a failing critical rule is more than quarantine can handle, or None."""
    if rule.severity != "critical" or gx_result["success"]:
        return None
    if gx_result["exception"]:
        return f"rule {rule.name} could not be checked: {gx_result['exception']}"
    # GX flags every copy of a duplicate and SQL only the later ones, so only other kinds compare counts.
    if rule.kind != "unique" and quarantined != gx_result["unexpected_count"]:
        return (f"rule {rule.name}: GX found {gx_result['unexpected_count']} failing rows but "
                f"{quarantined} were quarantined")
    if (gx_result["unexpected_percent"] or 0) > MAX_CRITICAL_PERCENT:
        return f"rule {rule.name} failed on {gx_result['unexpected_percent']:.1f}% of rows: {rule.reason}"
    return None


def _exception(info) -> str | None:
    """GX reports exceptions either directly or keyed by metric; the first message, if any."""
    candidates = [info or {}] + [v for v in (info or {}).values() if isinstance(v, dict)]
    return next((c.get("exception_message") for c in candidates if c.get("raised_exception")), None)


def _plain(value):
    """A JSON-safe sample value: GX hands back numpy scalars and NaN for nulls."""
    if isinstance(value, str) or value is None:
        return value
    number = float(value)
    return None if math.isnan(number) else number
