"""Part of the grounding check: words that garble the product's name or misspell its category or material.

A small model mangles names it has not seen ("Skerry Softshell Glet" for "Gilet", "Kester" for "Kestrel"),
and a wrong name is a wrong fact.
"""

import re
from difflib import SequenceMatcher
from typing import NamedTuple

from wordfreq import zipf_frequency

from adcraft.checks.base import product_text
from adcraft.checks.words import LEX, NAME_WORD, STOPWORDS, WORD, bases, fold, forms_of_one_word, quote, stem

NAME_NEIGHBOUR_SIMILARITY = 0.7
NAME_LOOKALIKE_SIMILARITY = 0.75
"""How alike (difflib ratio) a word must be to a word of the product's name to count as a misspelling of it:
next to the rest of the name ("Softshell Glettle") a looser match is enough than for a capitalised word on
its own ("Kester" for "Kestrel")."""


RENAMING_WORD = 4.0
"""wordfreq Zipf frequency under which a word in front of the rest of the name renames the product; common
words ("Shop Felt Loafers", "Classic Felt Loafers") only describe it."""


COMMON_WORD = 3.5
"""wordfreq Zipf frequency from which a capitalised word that looks like a name word is a word of its own when
the line spells that name word right too: "Warm Felt, Quiet Feet" ("Kester" is 2.1; "Meet our new Towel"
about a trowel is still the name misspelt)."""


ENGLISH_WORD = 1.0
"""wordfreq Zipf frequency from which a word is English ("smokier" 1.3) and so may be another form of a name's
word; under it, it is a misspelling that only looks like one ("Weeky" for "Weekly")."""


SINGULAR_GAP = 1.5
"""Zipf frequency a name's word minus its final s may fall below the word and still be its singular ("Loafer"
for "Loafers"); rarer, it is the word cut short ("Canva" for "Canvas")."""


CLAUSE_BREAK = re.compile(r"[!?;:()\[\]{}…—–\n]|[.,](?!\d)|\s[-/]\s")
"""Where a clause ends: the name's words and a word after a break are not one name ("...a French Press. Take
a look", "Stainless Steel, Easy Care")."""
NUMBER_WORDS = frozenset(LEX["number_words"])
UNITS = frozenset(LEX["units"])
"""A unit after a number ("2 Litres", "15 W", "285 g") measures the product; it is no word of its name."""
OBJECT_WORDS = frozenset(
    "the a an your you it its their them our us his her him this that these those every each all some any".split()
)
"""Words that open a verb's object: after the name's opening words, "Sheds the Rain" is the sentence going on."""


class Token(NamedTuple):
    text: str
    word: str
    """Lowercase, accents dropped."""
    clause: int
    after_number: bool
    """Right after a number: "285 g", "2 Litres", "60 Pieces"."""
    before_number: bool
    """Right before one: "Six 330 ml"."""


def _tokens(text: str) -> list[Token]:
    """The words of text with the clause each is in; a possessive s is no word."""
    tokens, clause, last = [], 0, 0
    for m in NAME_WORD.finditer(text):
        between = text[last:m.start()]
        clause += len(CLAUSE_BREAK.findall(between))
        last = m.end()
        if m.group(0) in ("s", "S") and between in ("'", "’"):
            continue
        before, after = text[: m.start()].rstrip(), text[m.end():].lstrip()
        tokens.append(Token(m.group(0), fold(m.group(0)), clause, before[-1:].isdigit(), after[:1].isdigit()))
    return tokens


def _misspells(word: str, target: str, similarity: float, in_names_place: bool = False) -> bool:
    return (
        word[0] == target[0] and not same_word(word, target, in_names_place)
        and SequenceMatcher(None, word, target).ratio() >= similarity
    )


def same_word(word: str, target: str, in_names_place: bool = False) -> bool:
    """The word, or another form of it: its singular or plural, "Stripes" for "Striped", "Pate" for "Pâté".
    In the name's own place (the rest of the name around it), the name's word cut back to a shorter word is the
    name cut short, not another form: "Shea Butt Lip Balm", where "milk froth" beside the Milk Frother is froth."""
    word, target = fold(word), fold(target)
    if word == target:
        return True
    if forms_of_one_word(word, target) and zipf_frequency(word, "en") >= ENGLISH_WORD:
        return not (in_names_place and target.startswith(word))
    if stem(word) != stem(target):
        return False
    shorter, longer = sorted((word, target), key=len)
    return shorter == longer or zipf_frequency(shorter, "en") >= zipf_frequency(longer, "en") - SINGULAR_GAP


def _first_part_of(word: str, target: str) -> bool:
    """The word, in any form, is the first of two words that make a name word: "Shuttles" for "Shuttlecocks"
    (not "Kester" for "Kestrel": "kest" is no word)."""
    return any(
        len(base) >= 4 and target.startswith(base) and len(target) - len(base) >= 4
        and zipf_frequency(base, "en") >= COMMON_WORD - 1 and zipf_frequency(target[len(base):], "en") >= 3.0
        for base in bases(word)
    )


def _as_in_name(words: list[Token], start: int, name: list[Token], name_start: int, length: int) -> bool:
    """words[start:start + length] are split into clauses as the name's words from name_start are: the name's
    own comma ("Wooden Building Blocks, 60 Pieces") is no break between it and the next sentence."""
    if start < 0 or name_start < 0 or start + length > len(words) or name_start + length > len(name):
        return False
    return all(words[start + t].clause - words[start].clause == name[name_start + t].clause - name[name_start].clause
               for t in range(length))


def _in_names_place(words: list[Token], i: int, name: list[Token], j: int) -> bool:
    """The words around words[i] are the whole name but its word j: words[i] stands where name[j] belongs."""
    start, end = i - j, i + len(name) - j
    return (
        len(name) >= 2 and _as_in_name(words, start, name, 0, len(name))
        and [w.word for w in words[start:i]] == [t.word for t in name[:j]]
        and [w.word for w in words[i + 1:end]] == [t.word for t in name[j + 1:]]
    )


def name_problems(text: str, product: dict) -> list[str]:
    """Words that garble the product's name: small models mangle names they have not seen ("Skerry
    Softshell Glet" for "Gilet", "Kester" for "Kestrel"), and a wrong name is a wrong fact. A clause break
    the name does not have ends the name: "...a French Press. Take a look" goes on with a new sentence."""
    written = _tokens(str(product.get("name") or ""))
    written_name = [t.text for t in written]
    name = [t.word for t in written]
    facts = product_text(product, "name", "brand", "category", "material", "colours", "description")
    known = {fold(w) for w in WORD.findall(facts) + NAME_WORD.findall(facts)}
    words = _tokens(text)
    said = {w.word for w in words}
    garbled = []
    for i, token in enumerate(words):
        word, lower = token.text, token.word
        placed = {name[j] for j in range(len(name)) if _in_names_place(words, i, written, j)}
        following = words[i + 1].word if i + 1 < len(words) and words[i + 1].clause == token.clause else None
        # A word of the name begun, then written whole: "The Kestrel can canvas pack" for "Canvas Backpack".
        # Checked before the common words are let through, since the start ("can") usually is one.
        if following and len(lower) >= 2 and any(n.startswith(lower) and n != lower and same_word(following, n)
                                                 for n in name):
            garbled.append(word)
            continue
        if lower in known or lower in STOPWORDS or len(lower) < 3:
            continue
        if (token.after_number and (len(lower) <= 2 or lower in UNITS)) or (
                lower in NUMBER_WORDS and token.before_number):
            continue  # "2 Litres", "Six 330 ml"
        # Beside a word of the name, where the name's next (or previous) word belongs.
        neighbours = [name[k + step] for k in range(len(name)) for step in (1, -1)
                      if 0 <= k + step < len(name) and 0 <= i - step < len(words)
                      and stem(words[i - step].word) == stem(name[k])
                      and _as_in_name(words, min(i, i - step), written, min(k, k + step), 2)]
        # A capitalised word anywhere that looks like a word of the name; not a common word where the line
        # spells that name word right as well ("Warm Felt, Quiet Feet").
        common = zipf_frequency(lower, "en") >= COMMON_WORD
        lookalike = word[0].isupper() and len(lower) >= 4 and any(
            len(n) >= 4 and not (n.startswith(lower) or lower.startswith(n) or _first_part_of(lower, n))
            and not (common and n in said) and _misspells(lower, n, NAME_LOOKALIKE_SIMILARITY, n in placed)
            for n in name
        )
        # A rare word where the name's first word belongs: "Ember Felt Loafers" for "Evergreen Felt Loafers".
        # Only before the rest of the name as the name writes it: "Ankle-high desert boots" describes them.
        renamed = (
            len(name) >= 3 and word[0].isupper() and not same_word(lower, name[0], name[0] in placed)
            and [w.text for w in words[i + 1:i + len(name)]] == written_name[1:]
            and _as_in_name(words, i, written, 0, len(name)) and zipf_frequency(lower, "en") < RENAMING_WORD
        )
        # The name's opening words, then a word of its own: "Kestrel Nubuck Sleek Cloak" for "Kestrel Nubuck
        # Slippers". In lower case, only where the opening words lost the name's capitals too and the word is
        # begun like the one it replaces ("Canyon corduroy corsage pants" for "Canyon Corduroy Cargo Pants"):
        # after the name as written, a lower-case word is usually the sentence going on ("gets you through"),
        # as is a verb with its object ("Waxed Cotton Sheds the Rain"), and a count is no name word.
        cut_short = lower not in NUMBER_WORDS and not any(same_word(lower, n, n in placed) for n in name) and any(
            [w.word for w in words[i - k:i]] == name[:k] and _as_in_name(words, i - k, written, 0, k + 1)
            and (word[0].isupper() or (lower[0] == name[k][0] and [w.text for w in words[i - k:i]] != written_name[:k]))
            and (lower[0] == name[k][0] or following not in OBJECT_WORDS)
            for k in range(2, min(len(name), i + 1))
        )
        # A rare word begun like the name's word it stands in for: "Everglow Felt" for "Evergreen Felt".
        same_start = word[0].isupper() and zipf_frequency(lower, "en") < RENAMING_WORD and any(
            lower[:3] == n[:3] and not same_word(lower, n, n in placed) for n in neighbours
        )
        if lookalike or renamed or cut_short or same_start or any(
            _misspells(lower, n, NAME_NEIGHBOUR_SIMILARITY, n in placed) for n in neighbours
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
    facts = {fold(w) for w in WORD.findall(product_text(product, "category", "material")) if len(w) >= 5}
    found = {}
    for word in WORD.findall(text):
        lower = fold(word)
        if lower in facts or zipf_frequency(lower, "en") >= RARE_WORD:
            continue
        target = next((f for f in sorted(facts) if _misspells(lower, f, NAME_LOOKALIKE_SIMILARITY)), None)
        if target:
            found[word] = target
    return [f'misspells "{target}" as "{word}"' for word, target in found.items()]
