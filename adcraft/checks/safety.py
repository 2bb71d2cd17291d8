"""check_safety: nothing profane, hateful, violent, sexual or discriminatory, and no claim an ad may not make.
The profanity classifier (alt-profanity-check) runs once per batch and is imported on first use."""

import re
import unicodedata

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text
from adcraft.checks.words import HERE, LEX, WORD, any_of, fragments, phrases, quote

PROFANITY_THRESHOLD = 0.6
"""alt-profanity-check scores some garment words near 0.5 ("merino wool jumper" 0.62 on its own), so
product words are masked before scoring and the bar sits a little above the classifier's 0.5."""

LEET: dict[str, str] = LEX["leet"]
CONFUSABLES = str.maketrans(LEX["confusables"])


LETTER_GAP = r"(?:[._*-]|(?<=\b\w) (?=\S\b))?"
"""Between two letters of a blocked word: one dot, star or dash, or a space between single letters
(f u c k), never a space inside a real word ("it's hit" is no "shit")."""


def _leet_pattern(word: str) -> str:
    """'shit' as a pattern for sh1t, sh!t, shiiit, s.h.i.t, s h i t and friends."""
    letters = (f"[{re.escape(LEET.get(c, c))}]+" for c in word)
    return r"(?<![a-z])" + LETTER_GAP.join(letters) + r"s?(?![a-z])"


def _blocklist() -> re.Pattern:
    lines = (HERE / "blocklist.txt").read_text().splitlines()
    words = [w.strip().lower() for w in lines if w.strip() and not w.startswith("#")]
    return re.compile("|".join(_leet_pattern(w) for w in sorted(words, key=len, reverse=True)))


def plain(text: str) -> str:
    """Lowercase text with accents and look-alike letters undone: 'Fück' -> 'fuck'."""
    text = unicodedata.normalize("NFKD", text.lower().translate(CONFUSABLES))
    return "".join(c for c in text if not unicodedata.combining(c))


BLOCKED = _blocklist()
RISKY_CLAIM = any_of(LEX["risky_claim_patterns"])
HARMFUL = {  # what the reason calls it -> its pattern; all of them fail the safety check
    "singles out a group of people": phrases(LEX["protected_groups"]),
    "hateful or demeaning language": any_of(LEX["hate_patterns"]),
    "violent language": any_of(LEX["violence_patterns"]),
    "sexual or drug content": any_of(LEX["sexual_patterns"]),
}


def _mask_product_words(item: CopyCandidate) -> str:
    """The text without the product's own words, which the classifier sometimes misreads (a 'bra')."""
    own = set(WORD.findall(product_text(item.product, "name", "category", "material")))
    return WORD.sub(lambda m: "" if m.group(0).lower() in own else m.group(0), item.text)


def profanity_probabilities(items: list[CopyCandidate]) -> list[float]:
    """One classifier call for the whole batch."""
    if not items:
        return []
    from profanity_check import predict_prob  # loads a scikit-learn model

    return [float(p) for p in predict_prob([_mask_product_words(i) for i in items])]


def check_safety(item: CopyCandidate, profanity: float) -> CheckResult:
    problems = []
    if profanity >= PROFANITY_THRESHOLD:
        problems.append(f"reads as profane or offensive (classifier probability {profanity:.2f})")
    text = plain(item.text)
    blocked = fragments(BLOCKED, text)
    if blocked:
        problems.append(f"contains the blocked word {quote(blocked)}")
    for what, pattern in HARMFUL.items():
        if found := fragments(pattern, text):
            problems.append(f"{what}: {quote(found)}")
    claims = fragments(RISKY_CLAIM, item.text)
    if claims:
        problems.append(f"makes a claim an ad may not make: {quote(claims)}")
    return hard_result(item, "safety", problems)

