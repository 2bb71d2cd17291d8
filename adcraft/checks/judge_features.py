"""What the editor judge reads of a line: one row of numbers per line.

- The line's meaning (its all-MiniLM-L6-v2 sentence embedding, from the same bfloat16 model and the same text
  the relevance check embeds, so the gate encodes each text once), and how close it is to its product's.
  The product's own embedding is left out: with it, the judge learnt the training products, not the craft
  (it did worse on products it had not seen).
- Where it runs: the content type and field, one-hot.
- A few counts an editor notices: numbers (in digits or words) and capitalised names the facts do not have,
  near-misses of the product's name, how much of the line the facts back, whether it names the product, its
  length against the field's room, first-person words, grammar slips (adcraft/checks/grammar.py), words no
  dictionary knows.
"""

import re
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from adcraft.checks.base import CopyCandidate, field_spec, product_text, without_link
from adcraft.checks.grammar import grammar_faults
from adcraft.checks.grounding import number_set, with_digits
from adcraft.checks.similarity import plain, product_description
from adcraft.checks.words import STOPWORDS, WORD, bases, fold
from adcraft.kernel.channels import CONTENT_TYPES
from models.minilm import DIM, embed_bf16

FIELDS = [f"{t.name}.{f.name}" for t in CONTENT_TYPES.values() for f in t.fields if not f.from_facts]
COUNTS = ["similarity", "unknown_numbers", "unknown_names", "name_near_misses", "backed_share", "names_product",
          "name_share", "room_used", "words", "first_person", "grammar_slips", "unknown_words", "exclamations"]
EMBEDDING_WIDTH = DIM
"""The first columns: the line's embedding."""
FEATURE_NAMES = [f"line_{i}" for i in range(DIM)] + [f"field={f}" for f in FIELDS] + COUNTS
FIRST_PERSON = frozenset({"i", "i'm", "i've", "me", "my", "mine", "myself"})


def _facts(product: dict) -> str:
    """Everything the record says, lowercase, with the price as written and to two decimals."""
    price = product.get("price")
    prices = f" {price} {float(price):.2f}" if price is not None else ""
    return product_text(product, "name", "category", "material", "description", "brand", "colours", "sizes") + prices


def _near(a: str, b: str) -> bool:
    """One letter dropped, added, changed or two swapped, and the words not equal."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=4096)
def _fact_words(facts: str) -> tuple[frozenset[str], frozenset[str]]:
    """The facts' words and every form they may take: a batch has many lines per product."""
    words = frozenset(fold(w) for w in WORD.findall(facts))
    return words, frozenset().union(*(bases(w) for w in words))


def counts(item: CopyCandidate) -> list[float]:
    """The COUNTS after similarity, for one line."""
    text = without_link(item)
    facts = _facts(item.product)
    fact_words, fact_bases = _fact_words(facts)
    words = WORD.findall(text)
    lower = [fold(w) for w in words]
    content = [w for w in lower if w not in STOPWORDS and len(w) > 2]
    backed = sum(1 for w in content if bases(w) & fact_bases)
    name = str(item.product.get("name") or "")
    name_words = [fold(w) for w in WORD.findall(name) if len(w) > 3]
    starts = {i for i, w in enumerate(words) if i == 0 or re.search(rf"[.!?:]\s*{re.escape(w)}", text)}
    unknown_names = sum(1 for i, w in enumerate(words)
                        if w[0].isupper() and i not in starts and fold(w) not in fact_words and fold(w) != "our")
    near_misses = sum(1 for w in set(lower) for n in name_words if w not in fact_words and _near(w, n))
    spec = field_spec(item)
    room = len(text) / spec.max_chars if spec else 0.5
    unknown = sum(1 for w in lower if w not in fact_words and zipf_frequency(w, "en") < 1.5)
    return [
        len(number_set(with_digits(text)) - number_set(with_digits(facts))),
        unknown_names,
        near_misses,
        backed / len(content) if content else 0.0,
        float(bool(name) and fold(name) in fold(text)),
        sum(1 for n in name_words if n in lower) / len(name_words) if name_words else 0.0,
        min(room, 2.0),
        float(np.log1p(len(words))),
        sum(1 for w in lower if w in FIRST_PERSON),
        len(grammar_faults(item)),
        unknown,
        text.count("!"),
    ]


def judge_features(items: list[CopyCandidate]) -> np.ndarray:
    """One row of FEATURE_NAMES per item, float32."""
    if not items:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
    lines = embed_bf16([plain(i.text) for i in items])
    products = embed_bf16([product_description(i.product) for i in items])
    fields = np.zeros((len(items), len(FIELDS)), dtype=np.float32)
    for row, item in enumerate(items):
        key = f"{item.content_type}.{item.field}"
        if key in FIELDS:
            fields[row, FIELDS.index(key)] = 1.0
    similarity = (lines * products).sum(axis=1, keepdims=True)
    scalars = np.array([counts(item) for item in items], dtype=np.float32)
    return np.hstack([lines, fields, similarity, scalars]).astype(np.float32)
