"""Validate: check every new load with a Great Expectations suite, and quarantine the rows that break a rule.

GX reports per rule (ops.validation_results); SQL generated from the same rules decides, row by row, what
goes to quarantine.rows, since GX's own failing-row lists are sampled in places, and makes the same `mostly`
decision from its own counts: where the two disagree, the rule fails. Staging reads only the raw rows not
held in quarantine. A failed critical rule on the newest load of a file stops the run (CriticalDataError),
on this run and on every re-run, until the file is replaced or the rows are released. Content rules
(markup, injections, personal data, insults in product text) and warnings only quarantine: one hostile
product is held back, the rest of the shop goes on.

GX leaves empty values out of `mostly` (the share is over the values it checked, not over all rows), as the
SQL's counts do; the stored element_count is that checked count, so the message that stops a run gives its
count and its percentage over the same rows.

A load larger than `validation_sample_rows` is checked by GX on a seeded random sample of that size, since
GX validates a pandas frame in memory; the SQL side still checks every row and decides pass or fail. The SQL
checks every rule in one pass per load (adcraft/sources/quarantine.py), while GX runs on another thread. Ingest starts
GX's import (adcraft/sources/preload.py), so it is usually done by then.
"""

import json
import logging
import math
from concurrent.futures import ThreadPoolExecutor

from adcraft.kernel.db import sql, transaction, warehouse
from adcraft.kernel.settings import get_settings
from adcraft.sources.quarantine import check_load
from adcraft.sources.rules import (
    DEFAULT_CURRENCIES,
    Rule,
    checked_columns_sql,
    counted,
    critical_mostly,
    frame_columns_sql,
    load_rules,
    passes,
    passes_share,
    to_expectation,
)
from adcraft.sources.spec import load_source
from adcraft.sources.validation_report import publish_results

RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_row_number"]}
DETAIL_ROWS = 1000  # failing row numbers kept per rule in details; counts are always complete


def validate_pending() -> tuple[dict, list[str], list, object]:
    """Validate each load in ops.loads that has no validation results yet. All of them in one transaction: the
    SQL checks (every row of every load) on this thread, while GX runs its suites on another, then the
    results. Returns per-entity totals, the loads, the blocking failures and the validation report's path."""
    with warehouse() as con:
        pending = con.execute(sql("validate/pending_loads")).fetchall()
    entities: dict[str, dict] = {}
    settings = get_settings()
    loads = [(load_id, entity, source_file.rsplit("/", 1)[-1], row_count,
              load_rules(entity, _source_pii(source_name, entity), tuple(currencies or DEFAULT_CURRENCIES)))
             for load_id, entity, source_file, row_count, source_name, currencies in pending]
    with warehouse() as con:
        with transaction(con):
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gx") as pool:
                # GX reads the raw rows, which ingest committed, on a connection of its own.
                suites = pool.submit(_run_suites, con.cursor(), loads, settings) if loads else None
                checks = {load_id: check_load(con, load_id, entity, file_name, rules)
                          for load_id, entity, file_name, _, rules in loads}
                by_load = suites.result() if suites else {}
            for load_id, entity, _, row_count, rules in loads:
                results = by_load[load_id]
                sampled = row_count > settings.validation_sample_rows
                quarantined = _record(con, load_id, entity, row_count, rules, checks[load_id], results, sampled)
                totals = entities.setdefault(entity, {"rows_checked": 0, "rows_quarantined": 0, "failed_rules": [],
                                                      "warnings": []})
                totals["rows_checked"] += row_count
                totals["rows_quarantined"] += quarantined
                for rule in rules:
                    kind = "failed_rules" if rule.severity == "critical" else "warnings"
                    if not results[rule.name]["success"] and rule.name not in totals[kind]:
                        totals[kind].append(rule.name)
        blocking = con.execute(sql("validate/blocking")).fetchall()
        report = publish_results(con, [p[0] for p in pending], blocking)
    return entities, [p[0] for p in pending], blocking, report


def _source_pii(source_name: str | None, entity: str) -> frozenset[str]:
    """PII columns the load's source declares, beside those in the entity's rules file."""
    try:
        spec = load_source(source_name).entities.get(entity) if source_name else None
    except (FileNotFoundError, ValueError):
        return frozenset()  # the source's YAML is gone; the rules file's pii_columns still apply
    return frozenset(spec.pii_columns) if spec else frozenset()


def _run_suites(con, loads: list, settings) -> dict[str, dict[str, dict]]:
    """GX's results for each load (by load id, then rule name), one load's DataFrame in memory at a time."""
    try:
        context = _gx_context()
        return {load_id: _run_suite(context, load_id, entity, rules,
                                    _frame(con, rules, entity, load_id, row_count, settings.validation_sample_rows,
                                           settings.seed))
                for load_id, entity, _, row_count, rules in loads}
    finally:
        con.close()


def _frame(con, rules: tuple[Rule, ...], entity: str, load_id: str, row_count: int, sample_rows: int, seed: int):
    """The DataFrame GX validates: every row of the load, or a seeded random sample of `sample_rows` rows of a
    larger load. For that, DuckDB first draws random vectors of 2048 rows holding about three times as many
    rows (the scan skips the others), then the sample from those; if that came back short, from every row."""
    if row_count <= sample_rows:
        return con.execute(_frame_sql(rules, entity), {"load_id": load_id}).df()
    share = 300 * sample_rows / row_count
    if share < 100:
        frame = con.execute(_frame_sql(rules, entity, sample_rows, seed, share), {"load_id": load_id}).df()
        if len(frame) == sample_rows:
            return frame
    return con.execute(_frame_sql(rules, entity, sample_rows, seed), {"load_id": load_id}).df()


def _frame_sql(rules: tuple[Rule, ...], entity: str, rows: int | None = None, seed: int = 0,
               vectors_percent: float | None = None) -> str:
    vectors = f" TABLESAMPLE {vectors_percent:.6f}% (system, {seed})" if vectors_percent else ""
    sample = f" USING SAMPLE reservoir({rows} ROWS) REPEATABLE ({seed})" if rows else ""
    return sql("validate/gx_frame", frame_columns=frame_columns_sql(rules), checked_columns=checked_columns_sql(rules),
               entity=entity, vectors=vectors, sample=sample)


def _gx_context():
    import great_expectations as gx  # seconds of CPU, on GX's thread; ingest has usually started it already
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX announces its temporary docs folder at INFO on every run (that module sets its own logger to INFO);
    # that is noise in a nightly log.
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
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
        elements = detail.get("element_count")
        by_rule[result.expectation_config.meta["rule"]] = {
            "expectation": result.expectation_config.type,
            "success": bool(result.success),
            "element_count": elements,
            # What `mostly` is decided over: GX ignores missing values in all but not_null.
            "checked": None if elements is None else elements - (detail.get("missing_count") or 0),
            "unexpected_count": detail.get("unexpected_count"),
            "unexpected_percent": detail.get("unexpected_percent"),
            "unexpected_rows": rows,
            "sample_values": [_plain(v) for v in (detail.get("partial_unexpected_list") or [])[:20]],
            "exception": _exception(result.exception_info),
        }
    return by_rule


def _record(con, load_id, entity, row_count, rules, checks, results, sampled: bool) -> int:
    """Store GX's results for one load beside SQL's (`checks`, from check_load). When GX saw only a sample,
    the stored counts and success are SQL's over every row, and GX's sample figures go in details. Returns
    the load's rows in quarantine."""
    for rule in rules:
        gx_result = results[rule.name]
        checked, failing, quarantined = checks[rule.name]
        drift = _drift(rule, gx_result, quarantined, checked, failing, sampled)
        details = {"unexpected_percent": gx_result["unexpected_percent"],
                   "sample_values": [] if rule.pii or rule.personal else gx_result["sample_values"]}
        details |= {"unexpected_rows": gx_result["unexpected_rows"][:DETAIL_ROWS],
                    "unexpected_rows_truncated": len(gx_result["unexpected_rows"]) > DETAIL_ROWS,
                    "quarantined": quarantined, "mostly": rule.mostly, "sql_checked": checked,
                    "sql_failing": failing, "counted": counted(rule), "rows": row_count,
                    "exception": gx_result["exception"] or drift}
        if sampled:
            details |= {"gx_sample_rows": gx_result["element_count"],
                        "gx_sample_unexpected": gx_result["unexpected_count"]}
            success, elements, unexpected = passes(rule, checked, failing), checked, failing
        else:
            # element_count is what `mostly` was decided over (GX's non-missing values), as with a sample.
            success = gx_result["success"]
            elements, unexpected = gx_result["checked"], gx_result["unexpected_count"]
        _insert_result(con, load_id, entity, rule.name, gx_result["expectation"], rule.column, rule.severity,
                       success and not drift, elements, unexpected, details)
    (malformed,) = con.execute(sql("validate/malformed_rows"), {"load_id": load_id}).fetchone()
    # Lines the reader could not parse were quarantined at ingest; any of them fails the load.
    _insert_result(con, load_id, entity, "well_formed", "duckdb_reader", None, "critical", malformed == 0,
                   row_count, malformed, {"mostly": 1.0, "quarantined": malformed, "exception": None})
    (unmatched,) = con.execute(sql("validate/unmatched_rows"), {"load_id": load_id}).fetchone()
    if unmatched:
        # Rows a join found nothing for were quarantined at ingest: a few missing orders hold back their lines,
        # most of them missing is a wrong `by:` or a partial export, and stops the run like a critical rule.
        mostly = critical_mostly(entity)
        _insert_result(con, load_id, entity, "joined", "duckdb_join", None, "critical",
                       passes_share(row_count, unmatched, mostly), row_count, unmatched,
                       {"mostly": mostly, "quarantined": unmatched, "counted": "rows", "exception": None})
    (rows,) = con.execute(sql("validate/held_rows"), {"entity": entity, "load_id": load_id}).fetchone()
    return rows


def _insert_result(con, load_id, entity, rule, expectation, column, severity, success, elements, unexpected,
                   details) -> None:
    con.execute(sql("validate/record_result"), {
        "load_id": load_id, "entity": entity, "rule": rule, "expectation": expectation, "column_name": column,
        "severity": severity, "success": success, "element_count": elements, "unexpected_count": unexpected,
        "details": json.dumps(details)})


def _drift(rule: Rule, gx_result: dict, quarantined: int, checked: int, failing: int, sampled: bool) -> str | None:
    """Why GX and the SQL quarantine disagree on a rule, or None: they must never drift apart."""
    if gx_result["exception"]:
        return None
    if sampled:  # GX's counts cover a sample; the quarantine must still match SQL's own count
        return None if rule.kind == "unique" or quarantined == failing else (
            f"SQL found {failing} failing rows but quarantined {quarantined}")
    if gx_result["unexpected_count"] is not None and failing != gx_result["unexpected_count"]:
        return f"GX found {gx_result['unexpected_count']} failing rows but SQL {failing}"
    if gx_result["checked"] is not None and checked != gx_result["checked"]:
        return f"GX checked {gx_result['checked']} rows but SQL {checked}"
    # GX flags every copy of a duplicate and quarantine only the later ones, so only other kinds compare.
    if rule.kind != "unique" and quarantined != failing:
        return f"SQL found {failing} failing rows but quarantined {quarantined}"
    if passes(rule, checked, failing) != gx_result["success"]:
        return f"GX and SQL disagree on whether at least {rule.mostly:.0%} of {checked} rows pass"
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
