"""check_brand_rules: the brand's banned words, and no company, person or SMS sender that is neither the
brand's nor in the product's facts."""

import re

from wordfreq import zipf_frequency

from adcraft.checks.base import CheckResult, CopyCandidate, hard_result, product_text
from adcraft.checks.words import LEX, WORD, fragments, phrases, quote

OTHER_SELLER = phrases(LEX["other_sellers"])
SMS_SENDER = re.compile(r"\s*([^:\n]{1,40}?):\s")
COMPANY = re.compile(
    r"\b([A-Z][\w'&]*)\s+(?:" + "|".join(re.escape(s) for s in LEX["company_suffixes"]) + r")\b")
PROPER_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’-][A-Za-z]+)?(?:\s+[A-Z][a-z]+(?:['’-][A-Za-z]+)?)+\b")
PROPER_NAME_WORD = 3.0
"""wordfreq Zipf frequency under which every word of a run of capitalised words makes it a name ("Mohamad
Mahathir"); runs with a common word ("New Season", "Black Friday") are ordinary words in title case."""


def check_brand_rules(item: CopyCandidate, banned: re.Pattern | None,
                      own_names: frozenset[str] = frozenset()) -> CheckResult:
    """Banned words, and companies and people that are neither our brand's nor in the product's facts
    (own_names: the brand kit's words, lower case): a small model invents them ("Norden Beauty", "Keskirk
    International", "Mohamad Mahathir")."""
    words = fragments(banned, item.text)
    problems = [f"uses the brand's banned word {quote(words)}"] if words else []
    own = own_names | set(WORD.findall(product_text(item.product, "name", "brand", "category")))
    others = [m.group(0) for m in COMPANY.finditer(item.text) if m.group(1).lower() not in own]
    others += [name for name in fragments(OTHER_SELLER, item.text) if name.lower() not in own]
    if others:
        problems.append(f"names a company that is neither the brand nor the product's: {quote(dict.fromkeys(others))}")
    # Someone or something the facts do not name: a small model invents people and places ("a masterful wig
    # from the legendary Mohamad Mahathir").
    known = own | set(WORD.findall(product_text(item.product, "description", "material", "colours")))
    names = [m.group(0) for m in PROPER_NAME.finditer(item.text)
             if m.group(0) not in others and all(
                 w.lower() not in known and zipf_frequency(w, "en") < PROPER_NAME_WORD
                 for w in WORD.findall(m.group(0)))]
    if names:
        problems.append(f"names someone or something the product's facts do not: {quote(dict.fromkeys(names))}")
    # An SMS opens with its sender, as the prompt's example does: "Tokyo, Japan: ..." is not the brand
    # ("New in: ..." is no sender's name).
    sender = SMS_SENDER.match(item.text) if item.content_type == "sms" else None
    label = WORD.findall(sender.group(1)) if sender else []
    if label and all(w[0].isupper() for w in label) and not {w.lower() for w in label} <= own:
        problems.append(f'opens with the sender "{sender.group(1)}", which is not the brand')
    return hard_result(item, "brand_rules", problems)

