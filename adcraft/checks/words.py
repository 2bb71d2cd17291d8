"""The gate's word lists (lexicon.yaml, blocklist.txt) and the small regex helpers the checks share."""

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

HERE = Path(__file__).parent
LEX = yaml.safe_load((HERE / "lexicon.yaml").read_text())
STOPWORDS = frozenset(LEX["stopwords"])

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-](?![sS]\b)[^\W\d_]+)*")  # O'Neil, Anne-Marie; not Jane's


def phrases(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    """One regex matching any of the words or phrases as whole words, longest first."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", flags)


def word_forms(words: Iterable[str]) -> re.Pattern | None:
    """Like phrases, and a word of five letters or more matches its other forms too ("luxury" matches
    "luxurious", "cheap" "cheapest"): a brand that bans a word bans what it says."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    forms = [re.escape(w[: max(5, len(w) - 1)]) + r"\w*" if " " not in w and len(w) >= 5 else re.escape(w)
             for w in words]
    return re.compile(r"(?<!\w)(?:" + "|".join(forms) + r")(?!\w)", re.IGNORECASE)


def any_of(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)


def claims(words: Iterable[str]) -> re.Pattern:
    """Like phrases, and a plural names the word too ("leathers", "reds"); the word is group "base"."""
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?P<base>" + "|".join(re.escape(w) for w in words) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


def fragments(pattern: re.Pattern | None, text: str) -> list[str]:
    """Distinct matched fragments, in order of appearance."""
    if pattern is None:
        return []
    return list(dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text)))


def quote(found: Iterable[str]) -> str:
    return ", ".join(f'"{f}"' for f in found)


def mask(value: str) -> str:
    """Enough of a personal value to find it in the text, without copying it into the scores table."""
    return value[:2] + "…" + value[-2:] if len(value) > 4 else value[:1] + "…"


def stem(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word
