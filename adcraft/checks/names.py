"""Part of the grounding check: words that garble the product's name or misspell its category or material.

A small model mangles names it has not seen ("Skerry Softshell Glet" for "Gilet", "Kester" for "Kestrel"),
and a wrong name is a wrong fact.
"""

from difflib import SequenceMatcher

from wordfreq import zipf_frequency

from adcraft.checks.base import product_text
from adcraft.checks.words import NAME_WORD, STOPWORDS, WORD, quote, stem

NAME_NEIGHBOUR_SIMILARITY = 0.7
NAME_LOOKALIKE_SIMILARITY = 0.75
"""How alike (difflib ratio) a word must be to a word of the product's name to count as a misspelling of it:
next to the rest of the name ("Softshell Glettle") a looser match is enough than for a capitalised word on
its own ("Kester" for "Kestrel")."""


RENAMING_WORD = 4.0
"""wordfreq Zipf frequency under which a word in front of the rest of the name renames the product; common
words ("Shop Felt Loafers", "Classic Felt Loafers") only describe it."""


SINGULAR_GAP = 1.5
"""Zipf frequency a name's word minus its final s may fall below the word and still be its singular ("Loafer"
for "Loafers"); rarer, it is the word cut short ("Canva" for "Canvas")."""


def _misspells(word: str, target: str, similarity: float) -> bool:
    return (
        word[0] == target[0] and not same_word(word, target)
        and SequenceMatcher(None, word, target).ratio() >= similarity
    )


def same_word(word: str, target: str) -> bool:
    """The word, or its singular or plural."""
    if stem(word) != stem(target):
        return False
    shorter, longer = sorted((word, target), key=len)
    return shorter == longer or zipf_frequency(shorter, "en") >= zipf_frequency(longer, "en") - SINGULAR_GAP


def name_problems(text: str, product: dict) -> list[str]:
    """Words that garble the product's name: small models mangle names they have not seen ("Skerry
    Softshell Glet" for "Gilet", "Kester" for "Kestrel"), and a wrong name is a wrong fact."""
    written_name = NAME_WORD.findall(str(product.get("name") or ""))
    name = [w.lower() for w in written_name]
    known = set(WORD.findall(product_text(product, "name", "brand", "category", "material", "colours",
                                           "description")))
    words = NAME_WORD.findall(text)
    garbled = []
    for i, word in enumerate(words):
        lower = word.lower()
        # A word of the name begun, then written whole: "The Kestrel can canvas pack" for "Canvas Backpack".
        # Checked before the common words are let through, since the start ("can") usually is one.
        if i + 1 < len(words) and any(n.startswith(lower) and n != lower and same_word(words[i + 1].lower(), n)
                                      for n in name):
            garbled.append(word)
            continue
        if lower in known or lower in STOPWORDS or len(lower) < 3:
            continue
        # Beside a word of the name, where the name's next (or previous) word belongs.
        neighbours = [name[k + step] for k in range(len(name)) for step in (1, -1)
                      if 0 <= k + step < len(name) and 0 <= i - step < len(words)
                      and stem(words[i - step].lower()) == stem(name[k])]
        lookalike = word[0].isupper() and len(lower) >= 4 and any(
            len(n) >= 4 and not (n.startswith(lower) or lower.startswith(n))
            and _misspells(lower, n, NAME_LOOKALIKE_SIMILARITY) for n in name
        )
        # A rare word where the name's first word belongs: "Ember Felt Loafers" for "Evergreen Felt Loafers".
        renamed = (
            len(name) >= 3 and word[0].isupper() and lower not in name and i + 2 < len(words)
            and [w.lower() for w in words[i + 1:i + len(name)]] == name[1:]
            and zipf_frequency(lower, "en") < RENAMING_WORD
        )
        # The name's opening words, then a word of its own: "Kestrel Nubuck Sleek Cloak" for "Kestrel Nubuck
        # Slippers". In lower case, only where the opening words lost the name's capitals too and the word is
        # begun like the one it replaces ("Canyon corduroy corsage pants" for "Canyon Corduroy Cargo Pants"):
        # after the name as written, a lower-case word is usually the sentence going on ("gets you through").
        cut_short = not any(same_word(lower, n) for n in name) and any(
            i >= k and [w.lower() for w in words[i - k:i]] == name[:k]
            and (word[0].isupper() or (lower[0] == name[k][0] and words[i - k:i] != written_name[:k]))
            for k in range(2, len(name))
        )
        # A rare word begun like the name's word it stands in for: "Everglow Felt" for "Evergreen Felt".
        same_start = word[0].isupper() and zipf_frequency(lower, "en") < RENAMING_WORD and any(
            lower[:3] == n[:3] and not same_word(lower, n) for n in neighbours
        )
        if lookalike or renamed or cut_short or same_start or any(
            _misspells(lower, n, NAME_NEIGHBOUR_SIMILARITY) for n in neighbours
        ):
            garbled.append(word)
    if not garbled:
        return []
    return [f"misspells the product name: {quote(dict.fromkeys(garbled))} (it is \"{product.get('name')}\")"]


RARE_WORD = 2.0
"""wordfreq Zipf frequency under which a word that looks like one of the product's category or material words
is that word misspelt ("footware" for "Footwear"); commoner lookalikes are words of their own."""


def fact_word_problems(text: str, product: dict) -> list[str]:
    """Rare words that are the product's category or material misspelt: a wrong word for a fact."""
    facts = {w for w in WORD.findall(product_text(product, "category", "material")) if len(w) >= 5}
    found = {}
    for word in WORD.findall(text):
        lower = word.lower()
        if lower in facts or zipf_frequency(lower, "en") >= RARE_WORD:
            continue
        target = next((f for f in sorted(facts) if _misspells(lower, f, NAME_LOOKALIKE_SIMILARITY)), None)
        if target:
            found[word] = target
    return [f'misspells "{target}" as "{word}"' for word, target in found.items()]

