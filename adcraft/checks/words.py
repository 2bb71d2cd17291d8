"""The gate's word lists (lexicon.yaml, blocklist.txt) and the small regex helpers the checks share."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
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


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase, accents dropped: 'Pâté' -> 'pate' (an SMS writes the name without them)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


# Endings English adds to a word, and what the word ended in before: "stripes"/"striped" -> "stripe",
# "anchovies" -> "anchovy", "frothy"/"frother" -> "froth", "smokier" -> "smoky" or "smoke", "dunkable" -> "dunk".
_ENDINGS = (
    ("iest", ("y", "", "e")), ("ier", ("y", "", "e")), ("ies", ("y",)), ("ied", ("y",)),
    ("ings", ("", "e")), ("ing", ("", "e")), ("ers", ("", "e")), ("er", ("", "e")), ("est", ("", "e")),
    ("ed", ("", "e")), ("es", ("", "e")), ("s", ("",)), ("ably", ("", "e")), ("able", ("", "e")),
    ("ly", ("",)), ("y", ("", "e")),
)


def _short_vowel_end(root: str) -> bool:
    """Ends consonant, vowel, consonant ("rib", "run", "plan"): English doubles the last letter before an ending
    that starts with a vowel ("ribbed", "running"), so "planer" is no form of "plan"."""
    vowels = "aeiou"
    return (len(root) >= 3 and root[-1] not in vowels + "wxy" and root[-2] in vowels
            and root[-3] not in vowels)


@lru_cache(maxsize=1 << 16)
def bases(word: str) -> frozenset[str]:
    """The word and what it may be an inflected or derived form of (one ending undone), lowercase and without
    accents: "ribbed" -> {"ribbed", "ribb", "rib", "ribbe"}. Only a guess at each; two words that share one
    are forms of one word."""
    word = fold(word)
    found = {word}
    for ending, befores in _ENDINGS:
        root = word[: -len(ending)]
        if not word.endswith(ending) or len(root) < 3:
            continue
        doubles = ending[0] in "aeiouy"  # a vowel ending doubles a short root's last letter
        found.update(root + before for before in befores
                     if before or not (doubles and _short_vowel_end(root) and len(root) <= 4))
        if doubles and len(root) >= 4 and root[-1] == root[-2] and _short_vowel_end(root[:-1]):
            found.add(root[:-1])  # ribbed, running
    return frozenset(found)


REAL_WORD = 2.0
"""wordfreq Zipf frequency from which a guessed base is an English word ("pleat" 2.2), not letters left over
("driv" 1.7 from "Driver")."""


def forms_of_one_word(word: str, other: str) -> bool:
    """"Stripes" and "Striped", "Anchovies" and "Anchovy", "Froths" and "Frother": forms of one English word.
    A bare final s is left to the caller: "Canva" is not the singular of "Canvas"."""
    from wordfreq import zipf_frequency

    a, b = fold(word), fold(other)
    if a == b:
        return True
    if a + "s" == b or b + "s" == a:
        return False
    return any(len(base) >= 3 and zipf_frequency(base, "en") >= REAL_WORD for base in bases(a) & bases(b))
