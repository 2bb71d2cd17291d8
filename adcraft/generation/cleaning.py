"""Turn a raw model reply into the one line of copy it was asked for.

Small models wrap answers in quotes, prefix labels ("Headline: ...") or run on past the limit. This
strips the wrapping and, if needed, cuts at the last sentence or clause end that fits. It never
cuts mid-clause: text that cannot be shortened cleanly stays long and the gate rejects it.
"""

import re

_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:google\s+)?(?:search\s+)?(?:ad\s+)?(?:headline|subject(?:\s+line)?|primary\s+text|"
    r"text\s+message|sms|message|email|preheader|preview(?:\s+line)?|description|sentence|ad|copy|text)"
    r"\s*(?:\*\*)?\s*[:\-–]\s*(?:\*\*)?\s*",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_QUOTES = "\"'“”‘’«»`"
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:–—](?=\s)")


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def clean_output(raw: str, max_chars: int) -> str:
    text = first_line(raw)
    text = _BULLET.sub("", text)
    text = _LABEL.sub("", text)
    text = text.strip().strip(_QUOTES).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) <= max_chars:
        return text
    return _shorten(text, max_chars)


def _shorten(text: str, max_chars: int) -> str:
    head = text[: max_chars + 1]
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= max_chars]
    if sentence_ends:
        return text[: sentence_ends[-1]].strip()
    clause_ends = [m.start() for m in _CLAUSE_END.finditer(head) if m.start() <= max_chars]
    if clause_ends and clause_ends[-1] >= max_chars // 2:
        return text[: clause_ends[-1]].strip()
    return text


def whole_sentences(text: str) -> str:
    """The text up to its last sentence end, or "" when it has none: a paragraph must not stop mid-way, where
    the model ran out of tokens."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]].strip() if ends else ""
