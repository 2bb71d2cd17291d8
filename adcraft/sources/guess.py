"""`adcraft sources init FOLDER`: a first source YAML guessed from a folder of exports. Each file's entity comes
from its name (products, customers, order lines; orders and categories as files to join), each column's
mapping from its name and a sample of its values (productID -> sku, unitPrice -> price, cents, date formats,
0/1 flags), and every guess is marked in a comment, so a person reviews the file before loading it.

Long because it holds the vocabulary of export column names, and one guess per kind of value.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from adcraft.kernel.settings import PROJECT_DIR
from adcraft.sources.mapping import FORMATS, entity_schema, literal

SAMPLE_ROWS = 500
# Normalised file names (lower case, letters and digits only) -> what the file holds. Checked in this order.
FILE_KINDS = [
    ("order_lines", ("orderdetail", "orderline", "orderitem", "lineitem", "orderposition", "bestellposition",
                     "positionen", "details", "salesline")),
    ("categories", ("categor", "kategorie", "productgroup", "warengruppe")),
    ("orders", ("order", "bestellung", "sales", "auftrag")),
    ("customers", ("customer", "client", "kunde", "member", "buyer", "contact")),
    ("products", ("product", "article", "artikel", "catalog", "catalogue", "item", "sku", "inventory", "variant")),
]
# Canonical column -> normalised export names, best first. A name containing "cent" also counts as a price.
SYNONYMS = {
    "sku": ["sku", "productid", "productcode", "productno", "itemid", "itemcode", "articleid", "artnr", "artikelnr",
            "artikel", "article", "variantsku", "code", "product"],
    "name": ["name", "productname", "title", "itemname", "articlename", "bezeichnung", "produktname", "contactname",
             "fullname", "customername"],
    "category": ["category", "categoryname", "type", "producttype", "kategorie", "productgroup", "warengruppe"],
    "brand": ["brand", "vendor", "manufacturer", "marke", "hersteller"],
    "price": ["price", "unitprice", "listprice", "salesprice", "saleprice", "preis", "preiscent", "pricecents",
              "variantprice", "retailprice"],
    "currency": ["currency", "currencycode", "waehrung", "wahrung", "curr"],
    "material": ["material", "fabric"],
    "colours": ["colours", "colors", "colour", "color", "farbe"],
    "sizes": ["sizes", "size", "groesse", "grosse"],
    "stock": ["stock", "unitsinstock", "quantityonhand", "onhand", "inventory", "inventoryqty", "qty", "bestand",
              "lagerbestand", "stocklevel", "available", "quantity"],
    "launch_date": ["launchdate", "createdat", "created", "dateadded", "releasedate", "erstellt", "since"],
    "description": ["description", "beschreibung", "body", "bodyhtml", "longdescription", "details"],
    "active": ["active", "isactive", "enabled", "published", "aktiv", "visible", "discontinued"],
    "customer_id": ["customerid", "customerno", "customernumber", "clientid", "kundennr", "kundenid", "kunde",
                    "customer", "buyerid", "userid"],
    "email": ["email", "emailaddress", "mail"],
    "phone": ["phone", "phonenumber", "telephone", "tel", "telefon", "mobile"],
    "city": ["city", "town", "stadt", "ort"],
    "country": ["country", "countrycode", "land"],
    "signup_date": ["signupdate", "registered", "registeredat", "createdat", "customersince", "since", "angemeldet",
                    "created"],
    "order_id": ["orderid", "orderno", "ordernumber", "bestellung", "bestellnr", "auftragsnr", "order"],
    "line_number": ["linenumber", "lineno", "line", "position", "pos", "lineitem", "linenum"],
    "quantity": ["quantity", "qty", "menge", "units", "amount"],
    "unit_price": ["unitprice", "price", "preis", "preiscent", "itemprice", "lineitemprice", "salesprice"],
    "ordered_at": ["orderdate", "orderedat", "createdat", "orderdatetime", "date", "zeit", "datum", "placedat",
                   "ordertime"],
}
# The canonical columns an entity's own file should hold, and which a joined file may give instead.
JOINABLE = {"order_lines": ("orders", ("customer_id", "ordered_at", "currency")),
            "products": ("categories", ("category",))}
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y",
                "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
                "%Y/%m/%d", "%m/%d/%y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S %z"]
ISO = {"%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"}  # read as they are: no date_format needed
NULL_WORDS = ["NULL", "null", "N/A", "n/a", "NA", "None", "-"]
FLAGS = [("1", "0"), ("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("ja", "nein")]
SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "CHF": "CHF"}


@dataclass
class Export:
    """One file of the folder, as sampled."""

    path: Path
    kind: str | None
    columns: list[str]
    rows: list[dict]
    delimiter: str | None = None

    def values(self, column: str) -> list[str]:
        return [str(r[column]).strip() for r in self.rows if r[column] is not None and str(r[column]).strip()]


@dataclass
class Guess:
    yaml: list[str] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)
    """What a person must write before `sources check` can pass."""
    guesses: list[str] = field(default_factory=list)
    """What was guessed, for the closing note."""


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))


def sample(con, path: Path) -> Export:
    suffixes = [s.lower() for s in path.suffixes]
    fmt = FORMATS.get(suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else suffixes[-1])
    where, delimiter = literal(str(path)), None
    if fmt in ("csv", "tsv"):
        delimiter = con.execute(f"SELECT Delimiter FROM sniff_csv({where})").fetchone()[0]
        reader = f"read_csv({where}, all_varchar = true, header = true, delim = {literal(delimiter)})"
    elif fmt == "json":
        reader = f"read_json({where}, sample_size = -1)"
    elif fmt == "xlsx":
        reader = f"read_xlsx({where}, all_varchar = true, header = true)"
    else:
        reader = f"read_parquet({where})"
    result = con.execute(f"SELECT * FROM {reader} LIMIT {SAMPLE_ROWS}")
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    return Export(path, _kind(path, columns), columns, rows, delimiter)


def _kind(path: Path, columns: list[str]) -> str | None:
    name = norm(path.name.split(".")[0])
    for kind, words in FILE_KINDS:
        if any(word in name for word in words):
            return kind
    names = {norm(c) for c in columns}
    if names & {"quantity", "qty"} and names & {"orderid", "order"}:
        return "order_lines"
    if names & {"sku", "productid"} and names & {"price", "unitprice"}:
        return "products"
    return None


def guess_source(folder: Path, name: str, yaml_dir: Path) -> Guess:
    """A source YAML for the exports in `folder`, to be written in `yaml_dir` (its `folder:` is relative)."""
    import duckdb_ext

    con = duckdb.connect()
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET extension_directory = $path", {"path": duckdb_ext.get_extension_dir()})
    con.execute("LOAD excel")
    files = sorted(p for p in folder.iterdir() if p.is_file() and _readable(p))
    exports = [sample(con, p) for p in files]
    con.close()
    by_kind: dict[str, Export] = {}
    for export in exports:
        if export.kind == "orders" and _has(export, "quantity") and not any(e.kind == "order_lines" for e in exports):
            export.kind = "order_lines"  # one file of order lines, named like orders (bestellungen.jsonl)
        if export.kind and export.kind not in by_kind:
            by_kind[export.kind] = export
    guess = Guess()
    relative = Path(_relative(folder, yaml_dir))
    guess.yaml += [
        f"# A first mapping of the exports in {folder}, written by `adcraft sources init`.",
        "# Lines marked GUESS were guessed from column names and sample values: check them. Lines marked EDIT",
        "# need you. Then run `adcraft sources check` on this file (docs/bring-your-own-data.md).",
        f"name: {name}",
        f"folder: {relative}",
    ]
    guess.yaml += _currencies(exports, guess)
    nulls = _null_values(exports)
    if nulls:
        guess.yaml.append(f"null_values: {_flow(nulls)}  # GUESS: text that means no value in these exports")
        guess.guesses.append(f"null_values {nulls}")
    guess.yaml.append("entities:")
    for entity in ("products", "customers", "order_lines"):
        export = by_kind.get(entity)
        if export is None:
            guess.edits.append(f"no file looks like {entity.replace('_', ' ')}: add `{entity}:` by hand, or leave "
                               "it out")
            continue
        _entity(guess, entity, export, by_kind)
    unused = [e.path.name for e in exports if e not in by_kind.values() or e.kind is None]
    if unused:
        guess.yaml.append(f"# Not used: {', '.join(unused)}")
    return guess


def _has(export: Export, canonical: str) -> bool:
    return any(norm(c) in SYNONYMS[canonical] for c in export.columns)


def _readable(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in FORMATS and not path.name.endswith((".yaml", ".yml"))


def _relative(folder: Path, yaml_dir: Path) -> str:
    """The folder as `folder:` names it: relative to the YAML within the project (so a clone finds it), else
    the absolute path."""
    folder, yaml_dir = folder.resolve(), yaml_dir.resolve()
    if folder.is_relative_to(PROJECT_DIR) and yaml_dir.is_relative_to(PROJECT_DIR):
        return os.path.relpath(folder, yaml_dir)
    return str(folder)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(_quoted(v) for v in values) + "]"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _currencies(exports: list[Export], guess: Guess) -> list[str]:
    """The shop's currency, where the exports say it: a currency column, a symbol in prices, a name like
    price_usd. Otherwise an EDIT: nothing may decide a currency for the shop."""
    found: dict[str, str] = {}
    for export in exports:
        for column in export.columns:
            n = norm(column)
            if n in SYNONYMS["currency"]:
                for value in export.values(column):
                    if re.fullmatch(r"[A-Za-z]{3}", value):
                        found.setdefault(value.upper(), f"the {column} column of {export.path.name}")
            elif "price" in n or "preis" in n:
                for code in ("usd", "eur", "gbp", "chf", "cad", "aud", "sek", "nok", "dkk", "pln", "jpy"):
                    if n.endswith(code):
                        found.setdefault(code.upper(), f"the column name {column}")
                for value in export.values(column)[:50]:
                    for symbol, code in SYMBOLS.items():
                        if symbol in value:
                            found.setdefault(code, f"prices such as {value!r} in {export.path.name}")
    if found:
        codes = list(found)
        guess.guesses.append(f"currencies {codes}, from {'; '.join(found.values())}")
        return [f"currencies: {_flow(codes)}  # GUESS: from {'; '.join(found.values())}"]
    guess.edits.append("write the shop's currency in `currencies:` (nothing in the exports names it)")
    return ["currencies: [EDIT]  # EDIT: the ISO 4217 code of the shop's prices, e.g. [USD]; nothing in the "
            "exports says which"]


def _null_values(exports: list[Export]) -> list[str]:
    seen = {v for e in exports for c in e.columns for v in e.values(c)}
    return [w for w in NULL_WORDS if w in seen]


def _entity(guess: Guess, entity: str, export: Export, by_kind: dict[str, Export]) -> None:
    lines = guess.yaml
    lines.append(f"  {entity}:")
    lines.append(f"    files: {_quoted(_glob(export.path))}  # GUESS: by its name")
    if export.delimiter and export.delimiter != ",":
        lines.append(f"    delimiter: {_quoted(export.delimiter)}")
    if _decimal_comma(export):
        lines.append('    decimal_separator: ","  # GUESS: numbers such as 12,50')
    columns = entity_schema(entity)["columns"]
    mapped = _match(export, columns)
    join_lines, joined = _join(entity, export, mapped, by_kind)
    lines += join_lines
    pii = [c for c in ("name", "email", "phone") if entity == "customers" and c in mapped]
    if pii:
        lines.append(f"    pii_columns: {_flow(pii)}  # never quoted in reasons, reports or checks")
    lines.append("    columns:")
    for canonical, meta in columns.items():
        source = mapped.get(canonical) or joined.get(canonical)
        if source is None:
            if canonical == "line_number" and mapped.get("order_id"):
                lines.append(f"      line_number: {{position_in: {_quoted(mapped['order_id'])}}}  # GUESS: the export "
                             "numbers no lines: 1, 2, ... per order, in file order")
                continue
            if meta.get("required") and canonical != "currency":
                lines.append(f"      # {canonical}: EDIT: no column looks like it; map it, or give {{value: ...}}")
                guess.edits.append(f"map {entity}.{canonical} (no column looks like it)")
            continue
        values = _values(export, by_kind, source)
        lines.append(f"      {canonical}: {_column(guess, entity, canonical, meta['type'], source, values)}")


def _glob(path: Path) -> str:
    """The file's name, with a date in it made a wildcard, so tomorrow's export matches too."""
    return re.sub(r"\d{4}-?\d{2}-?\d{2}(T?\d{4,6})?", "*", path.name)


def _match(export: Export, columns: dict) -> dict[str, str]:
    """Canonical column -> the export's column, by name; each export column used once."""
    names = {norm(c): c for c in export.columns}
    mapped, used = {}, set()
    for canonical in columns:
        for synonym in [norm(canonical)] + SYNONYMS.get(canonical, []):
            column = names.get(synonym)
            if column and column not in used:
                mapped[canonical], used = column, used | {column}
                break
    if "price" in columns and "price" not in mapped:  # Preis_Cent, price_in_cents
        cents = [c for c in export.columns if "cent" in norm(c) and c not in used]
        if cents:
            mapped["price"] = cents[0]
    return mapped


def _join(entity: str, export: Export, mapped: dict, by_kind: dict[str, Export]) -> tuple[list[str], dict]:
    """A join to the orders (for order lines) or the categories (for products) file, where the entity's own
    file lacks columns that file holds; returns its YAML lines and the joined columns (<name>.<column>)."""
    if entity not in JOINABLE or JOINABLE[entity][0] not in by_kind:
        return [], {}
    kind, wanted = JOINABLE[entity]
    other = by_kind[kind]
    theirs = {norm(c): c for c in other.columns}
    key = next((c for c in export.columns if norm(c) in theirs and norm(c).endswith(("id", "no", "nr", "number"))),
               None)
    if key is None:
        return [f"    # EDIT: {other.path.name} may hold columns these rows lack; join it by its key (`join:`)"], {}
    found = _match(other, {c: None for c in (*wanted, "name")} if kind == "categories" else dict.fromkeys(wanted))
    joined = {}
    for canonical in wanted:
        column = found.get(canonical) or (found.get("name") if canonical == "category" else None)
        own = mapped.get(canonical)
        if column and (own is None or (canonical == "category" and norm(own).endswith("id"))):
            joined[canonical] = f"{kind}.{column}"
            mapped.pop(canonical, None)
    if not joined:
        return [], {}
    lines = [f"    join:  # GUESS: {other.path.name} gives {', '.join(joined)} by {key}",
             f"      {kind}: {{files: {_quoted(_glob(other.path))}, by: {_quoted(key)}}}"]
    return lines, joined


def _values(export: Export, by_kind: dict[str, Export], source: str) -> list[str]:
    kind, _, column = source.partition(".")
    if column and kind in by_kind and column in by_kind[kind].columns:
        return by_kind[kind].values(column)
    return export.values(source)


def _column(guess: Guess, entity: str, canonical: str, type_: str, source: str, values: list[str]) -> str:
    """The YAML of one column's mapping, with what was guessed from its values in a comment."""
    options, notes = {"from": source}, []
    if type_ == "decimal" and _all(values, r"-?\d+") and ("cent" in norm(source) or _median(values) >= 1000):
        options["unit"] = "cents"
        notes.append("whole numbers" + (" named cents" if "cent" in norm(source) else " this large") +
                     " look like cents")
    if type_ == "integer" and _all(values, r"-?\d+\.0+"):
        options["type"] = "integer"
        notes.append("written as 12.0")
    if type_ in ("date", "timestamp"):
        # The formats most of the values are written in (a day that does not exist is validation's to hold back).
        dates = [v for v in values if v not in NULL_WORDS][:200]
        shares = {f: sum(_parses(v, f) for v in dates) / len(dates) for f in DATE_FORMATS if dates}
        best = max(shares.values(), default=0)
        formats = [f for f, share in shares.items() if share == best and share >= 0.5]
        if formats and formats[0] not in ISO:
            options["date_format"] = formats[0]
            misfit = next((v for v in dates if not _parses(v, formats[0])), None)
            notes.append(f"dates like {dates[0]!r}" + (
                f"; {formats[1]!r} fits them too, so check the day and month order" if len(formats) > 1 else "")
                + (f"; {misfit!r} fits no format, and validation will hold it back" if misfit else ""))
        elif not formats and values:
            notes.append(f"EDIT: dates like {values[0]!r} match no format adcraft knows; set `date_format:`")
            guess.edits.append(f"set `date_format:` for {entity}.{canonical} (dates like {values[0]!r})")
    if type_ == "boolean":
        seen = {v.lower() for v in values}
        pair = next(((t, f) for t, f in FLAGS if seen <= {t, f}), None)
        if pair:
            true, false = pair if "discontinued" not in norm(source) else pair[::-1]
            if (true, false) != ("true", "false"):
                options["values"] = {true: True, false: False}
                notes.append("a discontinued flag, read the other way round" if "discontinued" in norm(source)
                             else f"{true}/{false} flags")
    guess.guesses += [f"{entity}.{canonical} from {source}" + (f" ({'; '.join(notes)})" if notes else "")]
    comment = "  # GUESS" + (f": {'; '.join(notes)}" if notes else "")
    if list(options) == ["from"]:
        return f"{_quoted(source)}{comment}"
    return "{" + ", ".join(f"{k}: {_yaml_value(v)}" for k, v in options.items()) + "}" + comment


def _yaml_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_quoted(k)}: {str(v).lower()}" for k, v in value.items()) + "}"
    return _quoted(str(value))


def _all(values: list[str], pattern: str) -> bool:
    return bool(values) and all(re.fullmatch(pattern, v) for v in values)


def _median(values: list[str]) -> float:
    numbers = sorted(float(v) for v in values)
    return numbers[len(numbers) // 2]


def _decimal_comma(export: Export) -> bool:
    """Prices written 12,50 (and none 12.50)."""
    prices = [c for c in export.columns if any(s in norm(c) for s in ("price", "preis"))]
    values = [v for c in prices for v in export.values(c)]
    return bool(values) and any(re.fullmatch(r"-?\d+,\d{1,2}", v) for v in values) and not any(
        re.fullmatch(r"-?\d+\.\d{1,2}", v) for v in values)


def _parses(value: str, fmt: str) -> bool:
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True

