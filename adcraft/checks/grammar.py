"""check_grammar: agreement slips a reader stops at, found by a few rules rather than a parser.

- "a" or "an" before a plural ("a nails", "a little treats");
- a number word before a singular ("two rod with");
- a singular subject with a plural verb ("the Box Grater make", "a buckle that release", "it fold"), and
  "they is";
- a product name in the plural with a singular verb ("Toffee Pieces is");
- a sentence that stops on a word that needs more ("... when the sun comes out and the.").

The rules only fire on plain patterns, so they miss much; the editor judge reads their count as one of its
features. Each fault names the words, so a reviewer sees it at once.
"""

import re

from wordfreq import zipf_frequency

from adcraft.checks.base import CheckResult, CopyCandidate, result, without_link
from adcraft.checks.words import LEX

BOUNDARY = frozenset(LEX["stopwords"]) | {"but", "so", "as", "make", "makes", "made", "&"}
IRREGULAR_PLURALS = frozenset({"teeth", "feet", "children", "mice", "geese", "people", "men", "women"})
NOT_PLURAL = ("ss", "us", "is", "as", "ous", "ics", "ws")
QUANTITY_WORDS = frozenset({"few", "couple", "lot", "number", "pair", "set", "range", "handful", "bunch", "box", "pack",
                            "bag", "dozen", "series", "variety", "selection", "mix", "choice", "host", "world"})
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
SAME_PLURAL = frozenset({"fish", "sheep", "deer", "series", "species", "aircraft", "cod", "salmon", "trout"})
BASE_VERBS = frozenset("""
give keep make hold lift release come help spin fold take snap melt bring get put need want weigh measure show
tell grow seem serve protect carry grip hang sit stand stay fit pour slip last feel look work have are were do
""".split())
WORDS = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z][A-Za-z'’-]*|[.!?;:,]")
UNITS = frozenset({"mm", "cm", "m", "ml", "cl", "l", "g", "kg", "oz", "lb", "in", "inch", "pack", "x"})
ENDLESS = frozenset({"a", "an", "the", "and", "or", "of", "your", "our", "their", "its"})
"""Words no sentence ends on."""
BARE_INFINITIVE_AFTER = frozenset({"let", "lets", "make", "makes", "help", "helps", "watch", "see", "will", "can",
                                   "could", "would", "should", "may", "might", "must", "to", "does", "did", "do"})
MODIFIERS = frozenset({"little", "new", "fine", "big", "small", "good", "great", "soft", "light", "few", "single",
                       "whole", "long", "short", "tiny", "large", "fresh", "lovely", "nice", "real", "proper"})
"""Words that may stand between "a" and its noun where the rule looks for a plural."""


def _plural(word: str) -> bool:
    w = word.lower()
    if w in IRREGULAR_PLURALS:
        return True
    if len(w) < 4 or not w.endswith("s") or w.endswith(NOT_PLURAL) or "'" in w or "’" in w:
        return False
    singulars = [w[:-1]]
    if w.endswith("ies"):
        singulars.append(w[:-3] + "y")
    elif w.endswith(("ches", "shes", "xes", "oes")):
        singulars.append(w[:-2])
    return any(zipf_frequency(s, "en") >= 2.5 for s in singulars)


def _plural_head(name_words: list[str]) -> bool:
    """Is the product a plural ("Sardines in Olive Oil", "Leather Penny Loafers")?"""
    head = name_words
    for i, word in enumerate(name_words):
        if i and word in ("in", "with", "of", "for", "and", "on", "from"):
            head = name_words[:i]
            break
    last = head[-1]
    return last in IRREGULAR_PLURALS or (last.endswith("s") and not last.endswith(NOT_PLURAL))


def _singular_noun(word: str) -> bool:
    w = word.lower()
    return w.isalpha() and not w.endswith("s") and w not in BOUNDARY and w not in SAME_PLURAL


def _article_before_plural(tokens: list[str]) -> list[str]:
    faults = []
    for i, token in enumerate(tokens):
        if token.lower() not in ("a", "an"):
            continue
        for j in range(i + 1, min(i + 3, len(tokens))):
            word = tokens[j]
            if not word.isalpha() or word.lower() in BOUNDARY or word.lower() in QUANTITY_WORDS:
                break
            if j == i + 2 and tokens[i + 1].lower() not in MODIFIERS:
                break
            following = tokens[j + 1].lower() if j + 1 < len(tokens) else "."
            if _plural(word) and (following in BOUNDARY or not following.isalpha()):
                faults.append(f'"{" ".join(tokens[i:j + 1])}" puts "{token}" before a plural')
                break
    return faults


def _number_before_singular(tokens: list[str]) -> list[str]:
    faults = []
    for i, token in enumerate(tokens[:-1]):
        if token.lower() not in NUMBER_WORDS:
            continue
        for j in range(i + 1, min(i + 3, len(tokens))):
            word = tokens[j]
            if not word.isalpha() or word.lower() in BOUNDARY:
                break
            following = tokens[j + 1].lower() if j + 1 < len(tokens) else "."
            if word.lower().endswith("s"):
                break
            if following in ("for", "with", "of", "in", "on", "to") and not word[0].isupper():
                if _singular_noun(word) and zipf_frequency(word.lower() + "s", "en") >= 2.0:
                    faults.append(f'"{" ".join(tokens[i:j + 1])}" counts a singular')
                break
    return faults


def _subject_verb(text: str, tokens: list[str], name: str) -> list[str]:
    faults = []
    lower = [t.lower() for t in tokens]
    name_words = [w.lower() for w in WORDS.findall(name)]
    while name_words and (name_words[-1] in UNITS or not name_words[-1].isalpha()):
        name_words.pop()  # "Copper Plant Mister 500 ml" is "the Copper Plant Mister" in a line
    n = len(name_words)
    if n:
        plural_name = _plural_head(name_words)
        for i in range(len(lower) - n):
            if lower[i:i + n] != name_words:
                continue
            verb = lower[i + n]
            after = lower[i + n + 1] if i + n + 1 < len(lower) else "."
            bare = BARE_INFINITIVE_AFTER.intersection(lower[max(0, i - 3):i])  # "let the Brie Wedge sit"
            if not plural_name and verb in BASE_VERBS and not bare and after not in ("is", "are", "was", "and", "or"):
                faults.append(f'"{name} {tokens[i + n]}": one {name_words[-1]}, a plural verb')
            elif plural_name and verb in ("is", "was", "has") and (i == 0 or lower[i - 1] in ".!?:;"):
                faults.append(f'"{name} {tokens[i + n]}": {name_words[-1]}, a singular verb')
    for i in range(len(lower) - 1):
        word, verb = lower[i], lower[i + 1]
        sentence_start = i == 0 or lower[i - 1] in ".!?:;"
        if word in ("they", "we", "you") and verb in ("is", "was", "has", "does"):
            faults.append(f'"{tokens[i]} {tokens[i + 1]}"')
        elif word in ("it", "he", "she") and sentence_start and verb in BASE_VERBS:
            faults.append(f'"{tokens[i]} {tokens[i + 1]}"')
        elif word == "that" and verb in BASE_VERBS - {"have", "are", "were", "do"} and i >= 2:
            noun, article = lower[i - 1], lower[max(0, i - 4):i - 1]
            if _singular_noun(noun) and ("a" in article or "an" in article):
                faults.append(f'"{tokens[i - 1]} that {tokens[i + 1]}": one {noun}, a plural verb')
    return faults


def _dangling(tokens: list[str]) -> list[str]:
    faults = []
    for i, token in enumerate(tokens):
        if token in ".!?" and i > 1 and tokens[i - 1].lower() in ENDLESS and not tokens[i - 2][0].isdigit():
            faults.append(f'a sentence stops on "{tokens[i - 1]}"')
    if tokens and tokens[-1].lower() in ENDLESS:
        faults.append(f'stops on "{tokens[-1]}"')
    return faults


def grammar_faults(item: CopyCandidate) -> list[str]:
    text = without_link(item)
    tokens = WORDS.findall(text)
    name = str(item.product.get("name") or "")
    return (_article_before_plural(tokens) + _number_before_singular(tokens) + _subject_verb(text, tokens, name)
            + _dangling(tokens))


def check_grammar(item: CopyCandidate) -> CheckResult:
    """Soft: 0.5 for one slip (a person looks), 0.2 for more; 1 when none is found."""
    faults = grammar_faults(item)
    score = 1.0 if not faults else 0.5 if len(faults) == 1 else 0.2
    return result(item, "grammar", False, score, [f"grammar: {f}" for f in faults])
