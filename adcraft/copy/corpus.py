"""The copy corpus (corpus/README.md): hand-written lines, each mapping a product's facts, a brand voice, a
content type and field, and an angle to one line of copy. Loaded and checked here; the copy model trains on
it, the base model's prompts take their worked examples from it, and the editor judge learns from it.

A malformed line fails with its file and line number, and nothing else is read until it is fixed.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.errors import ConfigError
from adcraft.kernel.settings import PROJECT_DIR, get_settings

KNOWN_CATEGORIES = (
    "apparel", "footwear", "home", "kitchen", "pantry", "dairy", "confectionery", "seafood", "meat", "tea",
    "coffee", "beer", "wine", "beauty", "electronics", "toys", "sports", "garden", "pets", "stationery",
    "jewellery", "baby", "tools", "wellness",
)
VOICES = ("demo", "lark", "fieldnote")
"""Brand kits in brands/ whose voices the corpus is written in."""
ANGLES = ("benefit", "sensory", "occasion", "detail", "invite")
KEYS = {"sku", "category", "voice", "content_type", "field", "angle", "product", "text"}
PRODUCT_KEYS = {"name", "category", "price", "currency", "material", "colours", "sizes", "description"}
LENGTHS = {  # (content type, field) -> (min chars, max chars, min words, max words) of a corpus line
    ("google_rsa", "headline"): (10, 30, None, None),
    ("google_rsa", "description"): (30, 90, None, None),
    ("meta_feed", "primary_text"): (30, 125, None, None),
    ("meta_feed", "headline"): (10, 40, None, None),
    ("email", "subject"): (15, 50, None, None),
    ("email", "preheader"): (40, 100, None, None),
    ("sms", "text"): (40, 100, None, None),
    ("product_description", "paragraph"): (1, 1000, 40, 80),
    ("product_description", "bullet"): (3, 60, None, None),
}


class CorpusError(ConfigError):
    """A corpus line is malformed; the message names its file and line."""


@dataclass(frozen=True)
class CorpusLine:
    file: str
    line: int
    sku: str
    category: str
    voice: str
    content_type: str
    field: str
    angle: str
    product: dict
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def sparse(self) -> bool:
        """Name, category and price only, as many real exports are."""
        return not any(self.product.get(k) for k in ("material", "colours", "sizes", "description"))

    def facts(self) -> dict:
        """The product as a brief holds it (marts.briefs.product): its sku, no brand, in stock."""
        return {"sku": self.sku, **self.product, "brand": None, "stock": None, "price_before_drop": None}


def parse_line(raw: str, where: str) -> CorpusLine:
    """One JSONL line as a CorpusLine; CorpusError names `where` (file:line) and what is wrong."""
    def bad(problem: str) -> CorpusError:
        return CorpusError(f"{where}: {problem}")

    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise bad("each line must be one JSON object")
    if set(record) != KEYS:
        raise bad(f"keys must be {sorted(KEYS)}; missing {sorted(KEYS - set(record))}, "
                  f"unknown {sorted(set(record) - KEYS)}")
    product = record["product"]
    if not isinstance(product, dict) or set(product) != PRODUCT_KEYS:
        raise bad(f"product must have exactly the keys {sorted(PRODUCT_KEYS)}")
    if not isinstance(product["name"], str) or not product["name"].strip():
        raise bad("product.name must be a non-empty string")
    if not isinstance(product["price"], int | float) or isinstance(product["price"], bool):
        raise bad("product.price must be a number")
    if not isinstance(product["colours"], list) or not isinstance(product["sizes"], list):
        raise bad("product.colours and product.sizes must be lists (empty for a sparse product)")
    checks = [
        (record["category"] in KNOWN_CATEGORIES, f"unknown category {record['category']!r}"),
        (record["voice"] in VOICES, f"unknown voice {record['voice']!r}; use one of {', '.join(VOICES)}"),
        (record["angle"] in ANGLES, f"unknown angle {record['angle']!r}; use one of {', '.join(ANGLES)}"),
        ((record["content_type"], record["field"]) in LENGTHS,
         f"unknown field {record['content_type']}.{record['field']}"),
        (isinstance(record["text"], str) and record["text"] == record["text"].strip() and record["text"],
         "text must be a non-empty string without leading or trailing spaces"),
    ]
    for ok, problem in checks:
        if not ok:
            raise bad(problem)
    return CorpusLine(where.rsplit(":", 1)[0], int(where.rsplit(":", 1)[1]), str(record["sku"]),
                      record["category"], record["voice"], record["content_type"], record["field"],
                      record["angle"], product, record["text"])


def length_problems(line: CorpusLine) -> list[str]:
    """What is wrong with a line's length against its field's corpus limits (corpus/README.md)."""
    low, high, min_words, max_words = LENGTHS[(line.content_type, line.field)]
    problems = []
    if not low <= len(line.text) <= high:
        problems.append(f"{len(line.text)} characters; {line.content_type}.{line.field} takes {low} to {high}")
    words = len(line.text.split())
    if min_words and not min_words <= words <= max_words:
        problems.append(f"{words} words; a paragraph takes {min_words} to {max_words}")
    return problems


def load_corpus(folder: Path | None = None) -> tuple[CorpusLine, ...]:
    """Every line of every corpus file (ADCRAFT_CORPUS_DIR, else corpus/copy), in file and line order."""
    return _load(Path(folder or get_settings().corpus_path).resolve())


@cache
def _load(folder: Path) -> tuple[CorpusLine, ...]:
    lines, facts = [], {}
    for path in sorted(folder.glob("*.jsonl")):
        label = str(path.relative_to(PROJECT_DIR)) if path.is_relative_to(PROJECT_DIR) else str(path)
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            line = parse_line(raw, f"{label}:{number}")
            if line.category != path.stem:
                raise CorpusError(f"{line.where}: category {line.category!r} is not the file's ({path.stem!r})")
            first = facts.setdefault(line.sku, line)
            if first.product != line.product:
                raise CorpusError(f"{line.where}: {line.sku} has other facts than at {first.where}; one product, "
                                  "one set of facts")
            lines.append(line)
    if not lines:
        raise CorpusError(f"{folder}: no corpus lines (*.jsonl)")
    return tuple(lines)


def corpus_hash(lines: tuple[CorpusLine, ...] | list[CorpusLine]) -> str:
    """A SHA-256 of the lines' content, in order: what a model trained on them records."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(json.dumps([line.sku, line.voice, line.content_type, line.field, line.angle, line.product,
                                  line.text], sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def known_field(content_type: str, field: str) -> bool:
    content = CONTENT_TYPES.get(content_type)
    return content is not None and content.field(field) is not None
