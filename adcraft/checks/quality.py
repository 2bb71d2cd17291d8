"""Soft checks of craft: check_repetition (words and phrases said twice) and check_quality (names the
product, ends cleanly, uses its room, keeps the brand's voice, does not shout, speaks as the brand)."""

import re
from collections import Counter

from adcraft.checks.base import CheckResult, CopyCandidate, field_spec, result
from adcraft.checks.words import LEX, STOPWORDS, WORD, fragments, quote, stem
from adcraft.kernel.channels import FieldSpec, word_count
from adcraft.kernel.config import Brand

DANGLING = frozenset(LEX["dangling_words"])
CHAR_RUN = re.compile(r"([^\d\s])\1{3,}")
URL_AT_END = re.compile(r"https?://\S+$")
CLEAN_END = tuple(".!?)\"'”’")
CUT_END = tuple(",:;-–—…/&+(")


def check_repetition(item: CopyCandidate) -> CheckResult:
    words = [w.lower() for w in WORD.findall(item.text)]
    if not words:
        return result(item, "repetition", False, 0.0, ["has no words"])
    notes = []
    counts = Counter(w for w in words if w not in STOPWORDS and len(w) > 1)
    repeats = {w: n for w, n in counts.items() if n > 1}
    word_rate = sum(n - 1 for n in repeats.values()) / max(sum(counts.values()), 1)
    if repeats:
        notes.append("repeats " + ", ".join(f'"{w}" ×{n}' for w, n in repeats.items()))
    grams = list(zip(words, words[1:], words[2:]))
    gram_repeats = [g for g, n in Counter(grams).items() if n > 1]
    gram_rate = (len(grams) - len(set(grams))) / len(grams) if grams else 0.0
    if gram_repeats:
        notes.append("repeats the phrase " + quote(" ".join(g) for g in gram_repeats))
    score = max(0.0, 1.0 - word_rate - 1.5 * gram_rate)
    if run := CHAR_RUN.search(item.text):
        notes.append(f'has "{run.group(0)}", a run of one character')
        score = min(score, 0.3)
    return result(item, "repetition", False, score, notes)


def _mention_score(item: CopyCandidate) -> tuple[float, str | None]:
    name = str(item.product.get("name") or "")
    category = str(item.product.get("category") or "")
    text = item.text.lower()
    if name and name.lower() in text:
        return 1.0, None
    said = {stem(w) for w in WORD.findall(text)}
    name_words = [stem(w) for w in WORD.findall(name.lower()) if w not in STOPWORDS and len(w) > 2]
    category_words = {stem(w) for w in WORD.findall(category.lower())}
    # The last word of a name is what the product is ("Boots", "Parka"): naming it names the product.
    names_it = bool(name_words) and (name_words[-1] in said or len(set(name_words) & said) * 2 >= len(name_words))
    if category_words & said or names_it:
        return 0.7, None
    return 0.0, f'does not mention the product ("{name}") or its category ("{category}")'


def _ending_score(item: CopyCandidate, spec: FieldSpec | None) -> tuple[float, str | None]:
    text = item.text.rstrip()
    if not text:
        return 0.0, "is empty"
    if URL_AT_END.search(text):
        return 1.0, None
    if text.endswith(CUT_END) or text.endswith(".."):
        return 0.0, f'ends with "{text[-1]}", so it looks cut off'
    if text.endswith(CLEAN_END):
        return 1.0, None
    last = WORD.findall(text.lower())[-1:]
    if last and last[0] in DANGLING and text[-1].isalpha():
        return 0.0, f'ends on "{last[0]}", so it looks cut off'
    if spec is not None and spec.max_chars > 50 and not spec.fragment:  # headlines and subjects may end without one
        return 0.5, "does not end with a full stop or other closing punctuation"
    return 1.0, None


def _fit_score(item: CopyCandidate, spec: FieldSpec) -> tuple[float, str | None]:
    """Room used: half the limit or more scores 1. A field limited in words is measured in words."""
    used, limit, unit = len(item.text), spec.max_chars, "characters"
    if spec.max_words is not None:
        used, limit, unit = word_count(item.text), spec.max_words, "words"
    ratio = used / limit
    fit = 0.0 if ratio > 1 else min(1.0, ratio / 0.5)
    return fit, None if fit >= 1 else f"uses {used} of {limit} {unit}"


def _shouting(item: CopyCandidate, brand: Brand) -> list[str]:
    own = set(WORD.findall(f"{brand.name} {brand.logo_text} {item.product.get('name') or ''}".upper()))
    return [w for w in WORD.findall(item.text) if len(w) >= 3 and w.isupper() and w not in own]


FIRST_PERSON = re.compile(r"(?<!\w)(?:I|I['’](?:m|ve|ll|d)|myself)(?!\w)")
"""Copy speaks for the brand ("we", or no one); a small model slips into "I'm happy to craft your shoes!"."""
FIRST_PERSON_SCORE = 0.6


def check_quality(item: CopyCandidate, brand: Brand, avoided: re.Pattern | None) -> CheckResult:
    spec = field_spec(item)
    parts: list[tuple[float, float, str | None]] = []  # (weight, score 0..1, note)
    if spec is None or spec.names_product:
        parts.append((0.3, *_mention_score(item)))
    parts.append((0.2, *_ending_score(item, spec)))
    if spec is not None and not spec.fragment:
        parts.append((0.15, *_fit_score(item, spec)))
    avoid = fragments(avoided, item.text)
    parts.append((0.15, 0.0, f"uses words the brand voice avoids: {quote(avoid)}") if avoid else (0.15, 1.0, None))
    shouted, bangs = _shouting(item, brand), item.text.count("!")
    loud = []
    if len(shouted) >= 2:
        loud.append(f"shouts in capitals ({quote(shouted)})")
    if bangs >= 2:
        loud.append(f"uses {bangs} exclamation marks")
    parts.append((0.1, 0.0 if loud else 1.0, "; ".join(loud) or None))
    if spec is not None and spec.link:
        linked = bool(item.link) and item.link in item.text
        parts.append((0.1, 1.0 if linked else 0.0, None if linked else "has no link to the product page"))
    score = sum(w * s for w, s, _ in parts) / sum(w for w, _, _ in parts)
    notes = [n for _, _, n in parts if n]
    if speaker := fragments(FIRST_PERSON, item.text):  # a person talking is not the brand: never approved
        score = min(score, FIRST_PERSON_SCORE)
        notes.append(f"speaks as a person ({quote(speaker)}), not as the brand")
    return result(item, "quality", False, score, notes)

