"""Soft checks of reading: check_language (English, made of English words) and check_readability (Flesch
reading ease). The language model and the hyphenator load on first use."""

import re
from functools import cache

from wordfreq import zipf_frequency

from adcraft.checks.base import CheckResult, CopyCandidate, product_text, result
from adcraft.checks.words import LEX, WORD, bases, fold, quote


@cache
def _language_id():
    import py3langid

    identifier = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(LEX["languages"])
    return identifier


FOREIGN_CONFIDENCE = 0.8
"""Short English lines often score low for every language; only a confident other language counts."""
URL = re.compile(r"https?://\S+")


UNKNOWN_WORD = 1.0
"""wordfreq's Zipf frequency below which a word is no English word: 'kerbazle', 'Gletesleh' (a garbled name)."""
UNKNOWN_WORD_SCORE = 0.2
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


def _known(word: str, own_bases: set[str]) -> bool:
    """An English word, or a form of one ("pilafs", "kickabouts", "dunkable"), or of a word of the product's
    facts ("Detangles" where the description says "detangling")."""
    if zipf_frequency(word, "en") >= UNKNOWN_WORD:
        return True
    return any(len(base) >= 3 and (base in own_bases or zipf_frequency(base, "en") >= UNKNOWN_WORD)
               for base in bases(word) - {fold(word)})


def check_language(item: CopyCandidate, own_names: frozenset[str] = frozenset()) -> CheckResult:
    """English, and made of English words: the product's and the brand's own names aside ("Saltkråka" is a
    name, not Swedish; "Havbris" is no typo)."""
    own = own_names | set(WORD.findall(product_text(item.product, "name", "brand", "category", "material",
                                                     "colours", "description")))
    own_bases = {base for w in own for base in bases(w)}
    words = [w for w in WORD.findall(URL.sub(" ", item.text)) if POSSESSIVE.sub("", w.lower()) not in own]
    unknown = list(dict.fromkeys(
        w for w in words if len(w) >= 3 and not _known(POSSESSIVE.sub("", w), own_bases)))
    score, notes = 1.0, []
    if unknown:
        score, notes = UNKNOWN_WORD_SCORE, [f"uses words that are not English: {quote(unknown)}"]
    if len(words) >= 3:
        lang, confidence = _language_id().classify(" ".join(words))
        if lang != "en" and confidence >= FOREIGN_CONFIDENCE:
            score = min(score, 1 - confidence)
            notes.insert(0, f'reads as "{lang}", not English (confidence {confidence:.2f}), e.g. {quote(words[:3])}')
    return result(item, "language", False, score, notes)


@cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


READABILITY_MIN_WORDS = 8
"""Below this a sentence-length formula says nothing: a headline of three long words is not hard to read."""
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def _syllables(word: str) -> int:
    return max(1, _hyphenator().inserted(word).count("-") + 1)


def check_readability(item: CopyCandidate) -> CheckResult:
    """Flesch reading ease, mapped so plain ad copy (40 and up) scores 1 and dense prose (under 10) fails."""
    text = URL.sub(" ", item.text)
    words = WORD.findall(text)
    if len(words) < READABILITY_MIN_WORDS:
        return result(item, "readability", False, 1.0, [])
    sentences = max(1, len(SENTENCE_END.findall(text.strip())))
    ease = 206.835 - 1.015 * len(words) / sentences - 84.6 * sum(_syllables(w) for w in words) / len(words)
    score = min(1.0, max(0.0, (ease + 20) / 60))
    note = [] if score >= 1 else [f"Flesch reading ease {ease:.0f}: long words or sentences make it hard to read"]
    return result(item, "readability", False, score, note)

