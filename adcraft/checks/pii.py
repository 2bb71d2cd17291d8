"""check_pii: no personal data in a line: email addresses (also written out), IBANs, card numbers, phone
numbers and long digit runs, and the names and emails of the shop's own customers."""

import re

import phonenumbers
from stdnum import iban, luhn

from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII, hard_result, without_link
from adcraft.checks.words import NAME_WORD, mask
from adcraft.kernel.db import sql

PHONE_REGIONS = ("DE", "GB", "US", "FR", "NL")


def known_pii_from_warehouse(con) -> KnownPII:
    # fetchall, not fetchone: a half-read result keeps the connection busy
    [(names, emails)] = con.execute(sql("content/known_pii")).fetchall()
    return KnownPII(frozenset(names), frozenset(emails))


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "anna [at] example [dot] com", "john.doe(at)example.com": written out to dodge a filter, still an address.
SPELLED_EMAIL = re.compile(
    r"[\w.+-]+\s*[\[(]\s*at\s*[\])]\s*[\w-]+(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[\w-]+)+", re.IGNORECASE
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
CARD = re.compile(r"(?<![\d.,])(?:\d[ -]?){12,18}\d(?![\d.,])")
DIGIT_RUN = re.compile(r"(?<![\w.,])\+?\d(?:[\s().\-/]{0,2}\d){8,}(?![\w])")


class NameIndex:
    """Customer names split into words, so a text is searched with a few set lookups, not one per name."""

    def __init__(self, pii: KnownPII):
        self.names = {" ".join(NAME_WORD.findall(n.lower())) for n in pii.names}
        self.names = {n for n in self.names if " " in n}  # a lone first name would match ordinary words
        self.longest = max((n.count(" ") + 1 for n in self.names), default=0)
        self.emails = {e.lower() for e in pii.emails}

    def find(self, text: str) -> list[tuple[int, str]]:
        words = [(m.start(), m.group(0).lower()) for m in NAME_WORD.finditer(text)]
        found = []
        for i in range(len(words)):
            for n in range(2, min(self.longest, len(words) - i) + 1):
                candidate = " ".join(w for _, w in words[i : i + n])
                if candidate in self.names:
                    found.append((words[i][0], candidate))
        return found


def _valid_iban(candidate: str) -> str | None:
    """The longest valid IBAN at the start of candidate: the regex may run into a following word."""
    parts = candidate.split(" ")
    for end in range(len(parts), 0, -1):
        value = " ".join(parts[:end])
        if iban.is_valid(value):
            return value
    return None


def check_pii(item: CopyCandidate, names: NameIndex) -> CheckResult:
    text = without_link(item)
    problems, taken = [], []

    def report(start: int, end: int, what: str) -> None:
        if not any(a < end and start < b for a, b in taken):
            taken.append((start, end))
            problems.append(f"contains {what} ({mask(text[start:end])} at character {start})")

    for m in EMAIL.finditer(text):
        known = m.group(0).lower() in names.emails
        report(*m.span(), "a customer's email address" if known else "an email address")
    for m in SPELLED_EMAIL.finditer(text):
        report(*m.span(), "an email address written out")
    for m in IBAN.finditer(text):
        if value := _valid_iban(m.group(0)):
            report(m.start(), m.start() + len(value), "an IBAN")
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
            report(*m.span(), "a card number")
    if sum(c.isdigit() for c in text) >= 7:  # the matcher is the slow part; short digit runs are no phone
        for region in PHONE_REGIONS:
            for m in phonenumbers.PhoneNumberMatcher(text, region):
                report(m.start, m.end, "a phone number")
        for m in DIGIT_RUN.finditer(text):
            report(*m.span(), "a long number that may be a phone or account number")
    for start, name in names.find(text):
        report(start, start + len(name), "a customer's name")
    return hard_result(item, "pii", problems)

