"""check_safety: nothing profane, hateful, violent, sexual or discriminatory, and no claim an ad may not make.
The profanity classifier (alt-profanity-check) runs once per batch and is imported on first use."""

import re
import unicodedata
from collections.abc import Iterator

from wordfreq import zipf_frequency

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text
from adcraft.checks.words import HERE, LEX, WORD, any_of, fragments, phrases, quote

PROFANITY_THRESHOLD = 0.6
"""alt-profanity-check scores some garment words near 0.5 ("merino wool jumper" 0.62 on its own), so
product words are masked before scoring and the bar sits a little above the classifier's 0.5."""
PROFANITY_CERTAIN = 0.8
OFFENSIVE_WORD = 0.85
"""Between PROFANITY_THRESHOLD and PROFANITY_CERTAIN a line fails only when one of its words scores
OFFENSIVE_WORD or more on its own. Everyday copy lands there on the sum of mild words ("Made for wet trails
and muddy paths" 0.73, its strongest word "wet" 0.57; "Drainage hole and matching saucer" 0.65, "hole" 0.73),
an insult on one strong word ("Shut up and buy the Linen Shirt" 0.67, "shut" 0.98; "Hey loser, ..." 0.66,
"loser" 0.99). Raising the bar to 0.75 instead would have let 6 of 23 such insults through."""
PLAIN_WORD = 2.5
"""wordfreq Zipf frequency from which a blocklist match spelt in plain letters is an ordinary word the
disguise patterns happen to fit ("filling" for "fing", "assess" for "asses"), not a disguised swear word
(the disguises people type, "fuuuck" or "shiiit", sit under 2.4)."""

LEET: dict[str, str] = LEX["leet"]
CONFUSABLES = str.maketrans(LEX["confusables"])


LETTER_GAP = r"(?:[._*-]|(?<=\b\w) (?=\S\b))?"
"""Between two letters of a blocked word: one dot, star or dash, or a space between single letters
(f u c k), never a space inside a real word ("it's hit" is no "shit")."""


def _leet_pattern(word: str) -> str:
    """'shit' as a pattern for sh1t, sh!t, shiiit, s.h.i.t, s h i t and friends."""
    letters = (f"[{re.escape(LEET.get(c, c))}]+" for c in word)
    return r"(?<![a-z])" + LETTER_GAP.join(letters) + r"s?(?![a-z])"


class Blocklist:
    """The blocklist's words, in their disguises: finditer, like a regex's, finds each blocked word in a
    lowercase text, leaving out ordinary English words that only the disguise patterns fit ("filling")."""

    def __init__(self, words: list[str]):
        self.words = frozenset(words)
        self.pattern = re.compile("|".join(_leet_pattern(w) for w in sorted(words, key=len, reverse=True)))

    def _ordinary_word(self, found: str) -> bool:
        plural_of = found[:-1] if found.endswith("s") and not found.endswith("ss") else ""
        if not found.isalpha() or found in self.words or plural_of in self.words:
            return False
        return zipf_frequency(found, "en") >= PLAIN_WORD

    def finditer(self, text: str) -> Iterator[re.Match]:
        return (m for m in self.pattern.finditer(text) if not self._ordinary_word(m.group(0)))


def _blocklist() -> Blocklist:
    lines = (HERE / "blocklist.txt").read_text().splitlines()
    return Blocklist([w.strip().lower() for w in lines if w.strip() and not w.startswith("#")])


def plain(text: str) -> str:
    """Lowercase text with accents and look-alike letters undone: 'Fück' -> 'fuck'."""
    text = unicodedata.normalize("NFKD", text.lower().translate(CONFUSABLES))
    return "".join(c for c in text if not unicodedata.combining(c))


BLOCKED = _blocklist()
RISKY_CLAIM = any_of(LEX["risky_claim_patterns"])
SEXUAL = any_of(LEX["sexual_patterns"])
HARMFUL = {  # what the reason calls it -> its pattern; all of them fail the safety check
    "singles out a group of people": phrases(LEX["protected_groups"]),
    "hateful or demeaning language": any_of(LEX["hate_patterns"]),
    "violent language": any_of(LEX["violence_patterns"]),
    "sexual or drug content": SEXUAL,
    "insults or mocks the reader": any_of(LEX["insult_patterns"]),
}


def _mask_product_words(item: CopyCandidate) -> str:
    """The text without the product's own words, singular or plural, which the classifier sometimes misreads
    (a 'bra', 'massage balls')."""
    own = set(WORD.findall(product_text(item.product, "name", "category", "material")))

    def own_word(word: str) -> bool:
        word = word.lower()
        return word in own or (word.endswith("s") and word[:-1] in own) or (word.endswith("es") and word[:-2] in own)

    return WORD.sub(lambda m: "" if own_word(m.group(0)) else m.group(0), item.text)


def _words_as_written(text: str) -> set[str]:
    """The line's words, lowercase: as written between spaces ("sh!tty", "butt-kicking") and their parts
    ("butt", "kicking")."""
    written = {t.strip(".,;:!?\"'“”‘’()[]").lower() for t in text.split()}
    return {w for w in written if any(c.isalpha() for c in w)} | {w.lower() for w in WORD.findall(text)}


class Profanity(float):
    """A line's classifier probability. For a line between PROFANITY_THRESHOLD and PROFANITY_CERTAIN, also the
    word of it the classifier scores highest on its own, and that word's probability (1.0 when not looked up,
    so a plain float counts as evidence)."""

    word: str | None = None
    word_probability: float = 1.0


def profanity_probabilities(items: list[CopyCandidate]) -> list[float]:
    """One classifier call for the whole batch, and one more for the words of its lines in the grey zone."""
    if not items:
        return []
    from profanity_check import predict_prob  # loads a scikit-learn model

    masked = [_mask_product_words(i) for i in items]
    scores = [Profanity(p) for p in predict_prob(masked)]
    unsure = {k: _words_as_written(masked[k]) for k, p in enumerate(scores)
              if PROFANITY_THRESHOLD <= p < PROFANITY_CERTAIN}
    words = sorted(set().union(*unsure.values()))
    alone = dict(zip(words, (float(p) for p in predict_prob(words)))) if words else {}
    for k, found in unsure.items():
        scores[k].word = max(found, key=alone.__getitem__) if found else None
        scores[k].word_probability = alone[scores[k].word] if found else 0.0
    return scores


def _profanity_problem(profanity: float) -> str | None:
    if profanity < PROFANITY_THRESHOLD:
        return None
    word, alone = getattr(profanity, "word", None), getattr(profanity, "word_probability", 1.0)
    if profanity < PROFANITY_CERTAIN and alone < OFFENSIVE_WORD:
        return None  # mild words adding up, no offensive one
    carried = f'; "{word}" alone {alone:.2f}' if word else ""
    return f"reads as profane or offensive (classifier probability {profanity:.2f}{carried})"


def check_safety(item: CopyCandidate, profanity: float) -> CheckResult:
    problems = []
    if reads_profane := _profanity_problem(profanity):
        problems.append(reads_profane)
    text = plain(item.text)
    blocked = fragments(BLOCKED, text)
    if blocked:
        problems.append(f"contains the blocked word {quote(blocked)}")
    # A shade the product is listed in is the shade's name ("Nude" lip balm), not sexual content.
    shades = set(WORD.findall(plain(product_text(item.product, "colours"))))
    for what, pattern in HARMFUL.items():
        found = fragments(pattern, text)
        if pattern is SEXUAL:
            found = [f for f in found if f not in shades]
        if found:
            problems.append(f"{what}: {quote(found)}")
    claims = fragments(RISKY_CLAIM, item.text)
    if claims:
        problems.append(f"makes a claim an ad may not make: {quote(claims)}")
    return hard_result(item, "safety", problems)

