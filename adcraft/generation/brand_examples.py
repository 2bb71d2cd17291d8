"""A brand's own past copy as training examples (`adcraft train text --examples FILE`), so the copy model
learns the brand's voice.

Two kinds of file are read:
- a Google Ads Editor export of responsive search ads (CSV, comma- or tab-separated, UTF-8 or UTF-16): each
  row's "Headline N" and "Description N" cells, for the product its "Ad group" names;
- a CSV with the columns product, field and line (and optionally category and angle), where field is a
  content type's field: google_rsa.headline, meta_feed.primary_text, email.subject, sms.text, ... (the field
  alone where it is unambiguous: subject, preheader, primary_text, paragraph, bullet).

A row that cannot be used (no product, an unknown field, a line over its field's limit) is reported with its
line number and skipped; the rest are used.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from adcraft.copy.corpus import ANGLES
from adcraft.copy.formats import line_problems
from adcraft.copy.prompts import FieldPrompt
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import Brand
from adcraft.kernel.errors import TrainingDataError
from models.text_finetune import Example

SHORT_NAMES = {"headline": "google_rsa.headline", "description": "google_rsa.description",
               "primary_text": "meta_feed.primary_text", "subject": "email.subject", "preheader": "email.preheader",
               "sms": "sms.text", "text": "sms.text", "paragraph": "product_description.paragraph",
               "bullet": "product_description.bullet"}
ADS_EDITOR = re.compile(r"^(Headline|Description) (\d+)$", re.IGNORECASE)
URL = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass
class BrandExamples:
    examples: list[Example]
    skipped: list[str]
    """One line per unusable row: file:line, and why."""


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise TrainingDataError(f"{path}: the file is empty; export the brand's past copy as CSV with a header row.")
    header = [h.strip() for h in reader.fieldnames]
    rows = [(n + 2, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(reader)]
    return header, rows


def _lines(path: Path) -> tuple[list[tuple[str, int, str, str, str, str, str]], list[str]]:
    """(where, row, product, category, field key, angle, line) per line of copy, and the rows skipped."""
    header, rows = _rows(path)
    found, skipped = [], []
    if any(ADS_EDITOR.match(h) for h in header):
        if "Ad group" not in header:
            raise TrainingDataError(f"{path}: a Google Ads Editor export needs its 'Ad group' column, which names "
                                    "the product each ad is for.")
        for number, row in rows:
            product = row.get("Ad group", "")
            cells = [(h, row[h]) for h in header if ADS_EDITOR.match(h) and row.get(h)]
            if not product:
                skipped.append(f"{path.name}:{number}: no Ad group, so no product to learn the lines for")
                continue
            for h, text in cells:
                kind = ADS_EDITOR.match(h).group(1).lower()
                found.append((f"{path.name}:{number}", number, product, "", f"google_rsa.{kind}", "benefit", text))
        return found, skipped
    missing = {"product", "field", "line"} - {h.lower() for h in header}
    if missing:
        raise TrainingDataError(
            f"{path}: columns {sorted(missing)} are missing. Give a Google Ads Editor export, or a CSV with the "
            "columns product, field and line (optionally category and angle).")
    for number, row in rows:
        row = {k.lower(): v for k, v in row.items()}
        found.append((f"{path.name}:{number}", number, row.get("product", ""), row.get("category", ""),
                      SHORT_NAMES.get(row.get("field", ""), row.get("field", "")), row.get("angle") or "benefit",
                      row.get("line", "")))
    return found, skipped


def brand_examples(path: Path, brand: Brand) -> BrandExamples:
    """The file's lines as examples in the brand's voice; unusable rows are reported, not used."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"{path}: no such file. Give the brand's past copy as a CSV file.")
    lines, skipped = _lines(path)
    examples = []
    for where, _number, product, category, key, angle, text in lines:
        content_type, _, field = key.partition(".")
        spec = CONTENT_TYPES.get(content_type).field(field) if content_type in CONTENT_TYPES else None
        problems = []
        if not product:
            problems.append("no product")
        if spec is None:
            problems.append(f"unknown field {key!r}; use one of {', '.join(sorted(SHORT_NAMES.values()))}")
        if not text:
            problems.append("no line")
        if angle not in ANGLES:
            problems.append(f"unknown angle {angle!r}; use one of {', '.join(ANGLES)}")
        if spec is not None and text:
            if spec.link and URL.search(text):
                problems.append("an SMS line with a link; give the message without its price and link")
            else:
                problems += line_problems(content_type, field, text)
        if problems:
            skipped.append(f"{where}: {'; '.join(problems)}")
            continue
        # Past copy comes with a product's name (and maybe its category) only: a sparse product. Its price is
        # not in the request.
        facts = {"sku": f"{path.stem}-{product}", "name": product, "category": category or None, "material": None,
                 "colours": [], "sizes": [], "description": None, "price": 0.0, "currency": ""}
        prompt = FieldPrompt(content_type, spec, facts, brand, "https://shop.example.com/p/x")
        examples.append(Example(where, prompt.conversation(angle), text))
    if not examples:
        raise TrainingDataError(f"{path}: no usable line of copy ({len(skipped)} rows skipped: "
                                f"{'; '.join(skipped[:3])}).")
    return BrandExamples(examples, skipped)
