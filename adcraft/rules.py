"""Validation rules (warehouse/expectations/<entity>.yaml), and the one place that turns a rule into both a
Great Expectations expectation and the SQL that quarantines the rows breaking it.

The two must agree row for row, so both read the same values: text as DuckDB stored it, and for `between`
the number DuckDB makes of it (`number_sql`), handed to GX as an extra `<column>__number` column.
"""

from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from adcraft.settings import WAREHOUSE_DIR

EXPECTATIONS_DIR = WAREHOUSE_DIR / "expectations"
# Which option each kind needs.
REQUIRED = {"between": ("min", "max"), "in_set": ("values",), "match_regex": ("regex",),
            "not_match_regex": ("regex",)}


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    column: str
    kind: Literal["not_null", "unique", "between", "in_set", "match_regex", "not_match_regex"]
    severity: Literal["critical", "warning"]
    reason: str
    min: float | None = None
    max: float | None = None
    strict_min: bool = False
    values: tuple[str, ...] | None = None
    regex: str | None = None
    pii: bool = False
    """Set from the file's pii_columns: the value is never copied into a reason."""

    @model_validator(mode="after")
    def has_its_options(self):
        needed = REQUIRED.get(self.kind, ())
        if needed and all(getattr(self, option) is None for option in needed):
            raise ValueError(f"rule {self.name!r} of kind {self.kind} needs {' or '.join(needed)}")
        return self

    @property
    def number_column(self) -> str:
        return f"{self.column}__number"


@cache
def load_rules(entity: str) -> tuple[Rule, ...]:
    path = EXPECTATIONS_DIR / f"{entity}.yaml"
    try:
        spec = yaml.safe_load(path.read_text())
        pii = set(spec.get("pii_columns", []))
        return tuple(Rule(**rule, pii=rule["column"] in pii) for rule in spec["rules"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def number_sql(column: str) -> str:
    """The column's text as a finite DOUBLE, else NULL (left to the rule that checks the text's format)."""
    value = f"TRY_CAST({_ident(column)} AS DOUBLE)"
    return f"CASE WHEN isfinite({value}) THEN {value} END"


def frame_columns_sql(rules: tuple[Rule, ...]) -> str:
    """The select list of the DataFrame GX validates: _row_number, the checked columns and their numbers."""
    columns = ["_row_number"] + [_ident(c) for c in dict.fromkeys(r.column for r in rules)]
    numbers = {r.number_column: number_sql(r.column) for r in rules if r.kind == "between"}
    return ", ".join(columns + [f"{expr} AS {_ident(name)}" for name, expr in numbers.items()])


def _range_text(rule: Rule) -> str:
    low = None if rule.min is None else f"{'>' if rule.strict_min else '>='} {rule.min:g}"
    high = None if rule.max is None else f"<= {rule.max:g}"
    return " and ".join(filter(None, [low, high]))


def to_expectation(rule: Rule):
    """The GX Core 1.x expectation for a rule. GX ignores nulls in all but not_null, as the SQL does."""
    import great_expectations as gx

    common = {"column": rule.column, "meta": {"rule": rule.name}}
    x = gx.expectations
    if rule.kind == "not_null":
        return x.ExpectColumnValuesToNotBeNull(**common)
    if rule.kind == "unique":
        return x.ExpectColumnValuesToBeUnique(**common)
    if rule.kind == "between":
        return x.ExpectColumnValuesToBeBetween(**{**common, "column": rule.number_column}, min_value=rule.min,
                                               max_value=rule.max, strict_min=rule.strict_min)
    if rule.kind == "in_set":
        return x.ExpectColumnValuesToBeInSet(**common, value_set=list(rule.values))
    if rule.kind == "match_regex":
        return x.ExpectColumnValuesToMatchRegex(**common, regex=rule.regex)
    return x.ExpectColumnValuesToNotMatchRegex(**common, regex=rule.regex)


def to_sql(rule: Rule) -> dict[str, str]:
    """SQL pieces for warehouse/sql/validate/quarantine.sql: extra columns the predicate needs, the
    predicate that is true for a breaking row, and the readable problem with the offending value."""
    col = _ident(rule.column)
    label = _literal(rule.column)
    # Reasons reach reports, so personal data is described, never quoted.
    shown = "'(personal data, not shown)'" if rule.pii else col
    value = f"printf('%s ''%s''', {label}, {col})" if not rule.pii else f"{label} || ' ' || {shown}"
    if rule.kind == "not_null":
        return {"derived": "", "predicate": f"{col} IS NULL", "problem": f"{label} || ' is missing'"}
    if rule.kind == "unique":
        # Keep the first occurrence in file order; GX flags every occurrence, so counts differ by design.
        return {"derived": f", min(_row_number) OVER (PARTITION BY {col}) AS _first_row",
                "predicate": f"{col} IS NOT NULL AND _row_number > _first_row",
                "problem": f"{value} || ' repeats row ' || _first_row"}
    if rule.kind == "between":
        number = _ident(rule.number_column)
        bounds = [f"{number} {'>' if rule.strict_min else '>='} {rule.min!r}"] if rule.min is not None else []
        bounds += [f"{number} <= {rule.max!r}"] if rule.max is not None else []
        return {"derived": f", {number_sql(rule.column)} AS {number}",
                "predicate": f"{number} IS NOT NULL AND NOT ({' AND '.join(bounds)})",
                "problem": f"printf('%s %s is not {_range_text(rule)}', {label}, {shown})"}
    if rule.kind == "in_set":
        allowed = ", ".join(_literal(v) for v in rule.values)
        return {"derived": "", "predicate": f"{col} IS NOT NULL AND {col} NOT IN ({allowed})",
                "problem": f"{value} || {_literal(' is not one of ' + ', '.join(rule.values))}"}
    matches = f"regexp_matches({col}, {_literal(rule.regex)})"
    if rule.kind == "match_regex":
        return {"derived": "", "predicate": f"{col} IS NOT NULL AND NOT {matches}",
                "problem": f"{value} || {_literal(' does not match ' + rule.regex)}"}
    return {"derived": "", "predicate": f"{col} IS NOT NULL AND {matches}",
            "problem": f"{value} || {_literal(' matches ' + rule.regex)}"}
