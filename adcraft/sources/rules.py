"""Validation rules (warehouse/expectations/<entity>.yaml), and the one place that turns a rule into both a
Great Expectations expectation and the SQL that quarantines the rows breaking it.

The two must agree row for row, so both read the same values: text as DuckDB stored it, and for `between`,
`not_future` and `of_type` a number DuckDB makes of it (`Rule.derived`), handed to GX as an extra column.
Regexes run in DuckDB (RE2) and in GX (Python's re), so they keep to what both read alike: ASCII classes
such as [^A-Za-z0-9_] rather than \b, and no lookarounds.

Severity says what a failing rule does to the run. Every failing row is quarantined whatever the severity.
A `critical` rule stops the run when more than its `mostly` allows fail: that is systematic breakage, a
broken export or a wrong mapping. A `content` rule (markup, injections, personal data, insults in product
text) never stops the run, however many rows it holds back: the problem is in those products, not in the
export, and the rest of the shop goes on. A `warning` never stops the run either.
"""

from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from adcraft.kernel.settings import WAREHOUSE_DIR

EXPECTATIONS_DIR = WAREHOUSE_DIR / "expectations"
# Which option each kind needs.
REQUIRED = {"between": ("min", "max"), "in_set": ("values", "values_from"), "match_regex": ("regex",),
            "not_match_regex": ("regex",), "max_length": ("max",), "of_type": ("type",)}
# What staging (warehouse/models/staging) casts a column of each type to, and how a reason names it. A value
# that does not cast would be staged as null: 2026-02-31, or a stock of 99999999999.
STAGED_TYPES = {
    "integer": ("INTEGER", "a whole number from -2147483648 to 2147483647"),
    "decimal": ("DECIMAL(12, 2)", "a decimal number below 10,000,000,000"),
    "date": ("DATE", "a date: no such day, or not YYYY-MM-DD"),
    "timestamp": ("TIMESTAMP", "a date and time: no such day or time, or not YYYY-MM-DD HH:MM:SS"),
    "boolean": ("BOOLEAN", "true or false"),
}
SHOWN_CHARS = 80  # reasons quote at most this much of a value: a 1 MB description stays in row_data


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    column: str
    kind: Literal["not_null", "unique", "between", "in_set", "match_regex", "not_match_regex", "max_length",
                  "not_future", "of_type"]
    severity: Literal["critical", "warning", "content"]
    """critical: past `mostly`, stops the run; content and warning: quarantine their rows, never stop it."""
    reason: str
    fix: str = ""
    """How to fix the export or the source's mapping, for the person reading the reason."""
    mostly: float = Field(1.0, gt=0, le=1)
    """The share of checked rows that must pass for the rule to pass; failing rows are quarantined anyway."""
    min: float | None = None
    max: float | None = None
    strict_min: bool = False
    values: tuple[str, ...] | None = None
    values_from: Literal["currencies"] | None = None
    """in_set: the values come from the load's source (its declared `currencies:`), not from the rules file."""
    regex: str | None = None
    type: Literal["integer", "decimal", "date", "timestamp", "boolean"] | None = None
    """of_type: the type staging casts the column to; with `regex`, the value must also be written that way."""
    pii: bool = False
    """Set from the file's and the source's pii_columns: the value is never copied into a reason."""
    personal: bool = False
    """What the rule finds is personal data (an email address in a description): the reason says what it
    found but never quotes it, and GX's sample values are not kept."""
    found: str = ""
    """not_match_regex: what a match is, for the reason ("markup"); the reason quotes the matched text."""

    @model_validator(mode="after")
    def has_its_options(self):
        needed = REQUIRED.get(self.kind, ())
        if needed and all(getattr(self, option) is None for option in needed):
            raise ValueError(f"rule {self.name!r} of kind {self.kind} needs {' or '.join(needed)}")
        return self

    @property
    def derived(self) -> tuple[str, str] | None:
        """The extra column both GX and SQL check for this rule, as (name, DuckDB expression), if any."""
        if self.kind == "between":
            return f"{self.column}__number", number_sql(self.column)
        if self.kind == "not_future":
            return f"{self.column}__days_ahead", days_ahead_sql(self.column)
        if self.kind == "of_type":
            return f"{self.column}__is_{self.type}", of_type_sql(self.column, self.type, self.regex)
        return None


DEFAULT_CURRENCIES = ("EUR",)
"""What a source that declares no `currencies:` sells in (adcraft/sources/spec.py)."""


@cache
def load_rules(entity: str, extra_pii: frozenset[str] = frozenset(),
               currencies: tuple[str, ...] = DEFAULT_CURRENCIES) -> tuple[Rule, ...]:
    """An entity's rules; `mostly` defaults per severity from the file's `mostly:` map. A rule whose values
    come from the source (`values_from: currencies`) gets the currencies the load's source declared."""
    path = EXPECTATIONS_DIR / f"{entity}.yaml"
    declared = {"currencies": tuple(currencies)}
    try:
        spec = yaml.safe_load(path.read_text())
        pii = set(spec.get("pii_columns", [])) | extra_pii
        mostly = spec.get("mostly", {})
        return tuple(Rule(**{"mostly": mostly.get(rule["severity"], 1.0), **rule}, pii=rule["column"] in pii,
                          **({"values": declared[rule["values_from"]]} if rule.get("values_from") else {}))
                     for rule in spec["rules"])
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


def days_ahead_sql(column: str) -> str:
    """How many days after today the column's date or timestamp lies, else NULL (left to the format rule)."""
    return f"date_diff('day', current_date, CAST(TRY_CAST({_ident(column)} AS TIMESTAMP) AS DATE))"


def of_type_sql(column: str, type_: str, regex: str | None) -> str:
    """1 if the column's text is written as `regex` says and casts to its staged type, 0 if not, NULL if empty."""
    value = _ident(column)
    written = f"regexp_matches({value}, {_literal(regex)}) AND " if regex else ""
    return (f"CASE WHEN {value} IS NULL THEN NULL WHEN {written}TRY_CAST({value} AS {STAGED_TYPES[type_][0]}) "
            "IS NOT NULL THEN 1 ELSE 0 END")


def checked_columns_sql(rules: tuple[Rule, ...]) -> str:
    """_row_number and the columns the rules check: what a sample of raw needs before frame_columns_sql."""
    return ", ".join(["_row_number"] + [_ident(c) for c in dict.fromkeys(r.column for r in rules)])


def frame_columns_sql(rules: tuple[Rule, ...]) -> str:
    """The select list of the DataFrame GX validates: _row_number, the checked columns and derived columns."""
    derived = dict(r.derived for r in rules if r.derived)
    return ", ".join([checked_columns_sql(rules)]
                     + [f"CAST({expr} AS DOUBLE) AS {_ident(name)}" for name, expr in derived.items()])


def _range_text(rule: Rule) -> str:
    low = None if rule.min is None else f"{'>' if rule.strict_min else '>='} {rule.min:g}"
    high = None if rule.max is None else f"<= {rule.max:g}"
    return " and ".join(filter(None, [low, high]))


def counted(rule: Rule) -> str:
    """What a rule's checked count counts, for messages. GX's `mostly`, like the SQL's, leaves empty values
    out (and, for a rule on a derived number or date, values that are none), so a share of all rows would
    not be the share the rule was decided on."""
    if rule.kind == "not_null":
        return "rows"
    if rule.kind == "between":
        return f"rows whose {rule.column} is a number"
    if rule.kind == "not_future":
        return f"rows whose {rule.column} is a date"
    return f"rows with {'an' if rule.column[0] in 'aeiou' else 'a'} {rule.column}"


def _percent(share: float, other: float | None = None) -> str:
    """A share as a percentage, with a decimal where whole percents would hide the difference from `other`
    (5.3% failing against 5% allowed) or round a failure down to 0%."""
    for digits in (0, 1, 2):
        text = f"{share:.{digits}%}"
        if (other is None or text != f"{other:.{digits}%}") and not (share and float(text[:-1]) == 0):
            return text
    return text


def share_text(failing: int, checked: int | None, what: str | None, mostly: float | None) -> str:
    """'1 of 10 rows with a description (10%), more than the 5% allowed': the count and the percentage over
    the rows the rule checked, the denominator of GX's and the SQL's `mostly` decision. (A rule that failed
    for another reason, GX and the SQL disagreeing, gets no "more than allowed".)"""
    if not checked:
        return f"{failing} rows"
    allowed = None if mostly is None else 1 - mostly
    text = f"{failing} of {checked} {what or 'rows'} ({_percent(failing / checked, allowed)})"
    if allowed is None or failing / checked <= allowed:
        return text
    return f"{text}, more than the {_percent(allowed)} allowed"


def to_expectation(rule: Rule):
    """The GX Core 1.x expectation for a rule. GX ignores nulls in all but not_null, as the SQL does."""
    import great_expectations as gx

    common = {"column": rule.column, "meta": {"rule": rule.name}}
    if rule.mostly < 1:
        common["mostly"] = rule.mostly
    x = gx.expectations
    if rule.kind == "not_null":
        return x.ExpectColumnValuesToNotBeNull(**common)
    if rule.kind == "unique":
        return x.ExpectColumnValuesToBeUnique(**common)
    if rule.kind == "between":
        return x.ExpectColumnValuesToBeBetween(**{**common, "column": rule.derived[0]}, min_value=rule.min,
                                               max_value=rule.max, strict_min=rule.strict_min)
    if rule.kind == "not_future":
        return x.ExpectColumnValuesToBeBetween(**{**common, "column": rule.derived[0]}, max_value=rule.max or 0)
    if rule.kind == "of_type":
        return x.ExpectColumnValuesToBeBetween(**{**common, "column": rule.derived[0]}, min_value=1)
    if rule.kind == "max_length":
        return x.ExpectColumnValueLengthsToBeBetween(**common, max_value=int(rule.max))
    if rule.kind == "in_set":
        return x.ExpectColumnValuesToBeInSet(**common, value_set=list(rule.values))
    if rule.kind == "match_regex":
        return x.ExpectColumnValuesToMatchRegex(**common, regex=rule.regex)
    return x.ExpectColumnValuesToNotMatchRegex(**common, regex=rule.regex)


def to_sql(rule: Rule) -> dict:
    """SQL pieces for one rule: extra columns its predicates need (`derived`, name -> expression), the
    predicate true for a row to quarantine, the readable problem with the offending value, and, for the
    pass/fail decision, the rows checked and the rows GX counts as failing (every copy of a duplicate)."""
    col = _ident(rule.column)
    label = _literal(rule.column)
    # Reasons reach reports, so personal data is described, never quoted; long text is cut.
    cut = f"CASE WHEN length({col}) > {SHOWN_CHARS} THEN left({col}, {SHOWN_CHARS}) || '…' ELSE {col} END"
    shown = "'(personal data, not shown)'" if rule.pii else cut
    value = f"{label} || ' ' || {shown}" if rule.pii else f"printf('%s ''%s''', {label}, {cut})"
    pieces = {"derived": {}, "checked": f"count({col})"}
    if rule.derived:
        name, expr = rule.derived
        pieces |= {"derived": {name: expr}, "checked": f"count({_ident(name)})"}
    if rule.kind == "not_null":
        pieces |= {"predicate": f"{col} IS NULL", "problem": f"{label} || ' is missing'", "checked": "count(*)"}
    elif rule.kind == "unique":
        # Keep the first occurrence in file order; GX flags every occurrence, so `failing` counts all copies.
        first, copies = f"{rule.column}__first_row", f"{rule.column}__copies"
        pieces |= {"derived": {first: f"min(_row_number) OVER (PARTITION BY {col})",
                               copies: f"count(*) OVER (PARTITION BY {col})"},
                   "predicate": f"{col} IS NOT NULL AND _row_number > {_ident(first)}",
                   "failing": f"{col} IS NOT NULL AND {_ident(copies)} > 1",
                   "problem": f"{value} || ' repeats row ' || {_ident(first)}"}
    elif rule.kind == "between":
        number = _ident(rule.derived[0])
        bounds = [f"{number} {'>' if rule.strict_min else '>='} {rule.min!r}"] if rule.min is not None else []
        bounds += [f"{number} <= {rule.max!r}"] if rule.max is not None else []
        pieces |= {"predicate": f"{number} IS NOT NULL AND NOT ({' AND '.join(bounds)})",
                   "problem": f"printf('%s %s is not {_range_text(rule)}', {label}, {shown})"}
    elif rule.kind == "not_future":
        days = _ident(rule.derived[0])
        pieces |= {"predicate": f"{days} IS NOT NULL AND {days} > {rule.max or 0!r}",
                   "problem": f"{value} || printf(' is %d days in the future', {days})"}
    elif rule.kind == "of_type":
        wrong_type = f"{value} || {_literal(' cannot be read as ' + STAGED_TYPES[rule.type][1])}"
        if rule.regex:
            wrong_type = (f"CASE WHEN regexp_matches({col}, {_literal(rule.regex)}) THEN {wrong_type} "
                          f"ELSE {value} || {_literal(' does not match ' + rule.regex)} END")
        pieces |= {"predicate": f"{_ident(rule.derived[0])} = 0", "problem": wrong_type}
    elif rule.kind == "max_length":
        pieces |= {"predicate": f"{col} IS NOT NULL AND length({col}) > {int(rule.max)}",
                   "problem": f"printf('%s is %d characters long, over {int(rule.max)}', {label}, length({col}))"}
    elif rule.kind == "in_set":
        allowed = ", ".join(_literal(v) for v in rule.values)
        pieces |= {"predicate": f"{col} IS NOT NULL AND {col} NOT IN ({allowed})",
                   "problem": f"{value} || {_literal(' is not one of ' + ', '.join(rule.values))}"}
    elif rule.kind == "match_regex":
        pieces |= {"predicate": f"{col} IS NOT NULL AND NOT regexp_matches({col}, {_literal(rule.regex)})",
                   "problem": f"{value} || {_literal(' does not match ' + rule.regex)}"}
    else:
        pieces |= {"predicate": f"{col} IS NOT NULL AND regexp_matches({col}, {_literal(rule.regex)})",
                   "problem": _found_sql(rule, col, label, cut)}
    pieces.setdefault("failing", pieces["predicate"])
    return pieces


PUNCTUATION = " .,;:!?()\"'"
"""Trimmed off a match: an ASCII word boundary written as a class takes the neighbouring character along."""


def _found_sql(rule: Rule, col: str, label: str, cut: str) -> str:
    """not_match_regex's problem: the value, what was found in it and the text that matched, as in
    "description 'Soft tee <script>…' contains markup '<script>'"; personal data is never quoted."""
    what = rule.found or f"text matching {rule.regex}"
    if rule.pii or rule.personal:
        return f"{label} || {_literal(f' contains {what} (personal data, not shown)')}"
    match = f"trim(regexp_extract({col}, {_literal(rule.regex)}), {_literal(PUNCTUATION)})"
    shown = f"CASE WHEN length({match}) > {SHOWN_CHARS} THEN left({match}, {SHOWN_CHARS}) || '…' ELSE {match} END"
    return f"printf('%s ''%s'' contains %s ''%s''', {label}, {cut}, {_literal(what)}, {shown})"


@cache
def load_sql(rules: tuple[Rule, ...]) -> dict[str, str]:
    """SQL pieces for warehouse/queries/validate/*.sql, which check all of an entity's rules in one pass over a
    load: the derived columns the rules need; each rule's predicate and failing test computed once per row
    (`flags`, as columns _q<i> and _f<i>); every rule's checked and failing counts from them, in rule order;
    whether a row breaks any rule; each rule's problem (null where the row passes it) as a list of
    {'i': rule number, 'problem': ...}; and the rules as VALUES rows (i, rule, column, severity, reason, fix,
    kind)."""
    pieces = [to_sql(rule) for rule in rules]
    derived = {name: expr for p in pieces for name, expr in p["derived"].items()}
    flags, counts = [], []
    for i, p in enumerate(pieces, 1):
        flags.append(f"({p['predicate']}) AS _q{i}")
        failing = f"_q{i}"
        if p["failing"] != p["predicate"]:
            flags.append(f"({p['failing']}) AS _f{i}")
            failing = f"_f{i}"
        counts.append(f"{p['checked']}, count(*) FILTER (WHERE {failing})")
    return {
        "derived": "".join(f", {expr} AS {_ident(name)}" for name, expr in derived.items()),
        "flags": ", ".join(flags),
        "counts": ", ".join(counts),
        "any_flag": " OR ".join(f"_q{i}" for i in range(1, len(pieces) + 1)),
        "problems": ", ".join(f"{{'i': {i}, 'problem': CASE WHEN {p['predicate']} THEN {p['problem']} END}}"
                              for i, p in enumerate(pieces, 1)),
        "rules": ", ".join(f"({i}, {_literal(r.name)}, {_literal(r.column)}, {_literal(r.severity)}, "
                           f"{_literal(r.reason)}, {_literal(r.fix)}, {_literal(r.kind)})"
                           for i, r in enumerate(rules, 1)),
    }


def passes(rule: Rule, checked: int, failing: int) -> bool:
    """GX's `mostly` decision, computed the same way from the SQL counts."""
    return passes_share(checked, failing, rule.mostly)


def passes_share(checked: int, failing: int, mostly: float) -> bool:
    return checked == 0 or (checked - failing) / checked >= mostly


@cache
def critical_mostly(entity: str) -> float:
    """The `mostly` of the entity's critical rules, for checks made outside the rules file (joins)."""
    spec = yaml.safe_load((EXPECTATIONS_DIR / f"{entity}.yaml").read_text())
    return float(spec.get("mostly", {}).get("critical", 1.0))
