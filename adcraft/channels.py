"""Channel formats: which text fields each content type has, and the limits each field must meet.

Figures come from the channels' own specs (see docs/channels.md). The generator, the prompts and the
gate all read them from here, so a limit is stated once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    max_chars: int
    min_chars: int = 1
    gsm7: bool = False
    """SMS: the text must use only the GSM-7 alphabet, or it drops to 70 characters a segment."""
    max_new_tokens: int = 48
    link: bool = False
    """The campaign's product link is appended after generation (grounded by construction)."""


@dataclass(frozen=True)
class ContentType:
    name: str
    channel: str
    label: str
    fields: tuple[FieldSpec, ...]


CONTENT_TYPES: dict[str, ContentType] = {
    ct.name: ct
    for ct in (
        ContentType("search_headline", "google_rsa", "Google search headline",
                    (FieldSpec("headline", 30, min_chars=10, max_new_tokens=24),)),
        ContentType("social_post", "meta_feed", "Meta feed primary text",
                    (FieldSpec("primary_text", 125, min_chars=30, max_new_tokens=48),)),
        ContentType("email_subject", "email", "Email subject line",
                    (FieldSpec("subject", 50, min_chars=15, max_new_tokens=28),)),
        ContentType("sms", "sms", "SMS message",
                    (FieldSpec("text", 160, min_chars=40, gsm7=True, max_new_tokens=56, link=True),)),
    )
}

# The GSM 03.38 basic alphabet plus its extension table (extension characters cost two septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def gsm7_length(text: str) -> int | None:
    """Septets the text needs in GSM-7, or None if a character is outside the alphabet."""
    length = 0
    for char in text:
        if char in GSM7_BASIC:
            length += 1
        elif char in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length
