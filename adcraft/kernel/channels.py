"""Channel formats: which text fields each content type has, and the limits each field must meet.

Figures come from the channels' own specs (see docs/channels.md). The generator, the prompts, the pydantic
item models (adcraft/copy/formats.py) and the gate all read them from here, so a limit is stated once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    max_chars: int
    min_chars: int = 1
    min_words: int | None = None
    max_words: int | None = None
    gsm7: bool = False
    """SMS: the text must use only the GSM-7 alphabet, or it drops to 70 characters a segment."""
    max_new_tokens: int = 48
    """Per generation; a field the template composes from several sentences gets this for each."""
    link: bool = False
    """The campaign's product link is part of the line (the template slots it in after generation)."""
    keep: int | None = None
    """Lines kept per brief; None keeps the campaign's `variants`."""
    model_lines: int | None = None
    """Lines the model writes per brief beside every fact line the template writes (bullets); None: the
    model writes what `keep` leaves after the fact lines."""
    min_lines: int = 1
    max_lines: int = 1
    """How many lines of this field one item takes; above 1 the item holds a list (RSA headlines)."""
    from_facts: bool = False
    """The template writes these lines from the product facts; the model writes none of it."""
    names_product: bool = True
    """The quality check expects the line to name the product or its category."""
    fragment: bool = False
    """A line that may be a short fragment (a bullet): it needs no closing stop and no minimum length."""

    @property
    def is_list(self) -> bool:
        return self.max_lines > 1

    @property
    def attribute(self) -> str:
        """The field's name in the item model: plural for a list ("headlines")."""
        return f"{self.name}s" if self.is_list else self.name


@dataclass(frozen=True)
class ContentType:
    name: str
    channel: str
    label: str
    fields: tuple[FieldSpec, ...]
    per_product: bool = False
    """One brief per product rather than per product and segment: a product page is the same for everyone,
    and a search ad answers a query, not an audience."""

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


CONTENT_TYPES: dict[str, ContentType] = {
    ct.name: ct
    for ct in (
        ContentType("google_rsa", "google_rsa", "Google responsive search ad", (
            FieldSpec("headline", 30, min_chars=10, max_new_tokens=24, keep=5, min_lines=3, max_lines=15,
                      names_product=False),
            FieldSpec("description", 90, min_chars=30, max_new_tokens=40, keep=3, min_lines=2, max_lines=4,
                      names_product=False),
        ), per_product=True),
        ContentType("meta_feed", "meta_feed", "Meta feed ad", (
            FieldSpec("primary_text", 125, min_chars=30, max_new_tokens=48),
            FieldSpec("headline", 40, min_chars=10, max_new_tokens=20, names_product=False),
        )),
        ContentType("product_description", "product_page", "Product description", (
            FieldSpec("paragraph", 1000, min_words=30, max_words=150, max_new_tokens=128, keep=1),
            FieldSpec("bullet", 80, min_chars=3, max_new_tokens=24, min_lines=3, max_lines=6, model_lines=2,
                      names_product=False, fragment=True),
        ), per_product=True),
        ContentType("email", "email", "Email subject and preheader", (
            FieldSpec("subject", 50, min_chars=15, max_new_tokens=28, names_product=False),
            FieldSpec("preheader", 100, min_chars=40, max_new_tokens=40, names_product=False),
        )),
        ContentType("sms", "sms", "SMS message", (
            FieldSpec("text", 160, min_chars=40, gsm7=True, max_new_tokens=40, link=True),
        )),
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


def word_count(text: str) -> int:
    return len(text.split())


def limit_problems(content_type: str, spec: FieldSpec, text: str) -> list[str]:
    """What is wrong with one line against its field's limits; [] when it fits."""
    where = f"{content_type}.{spec.name}"
    problems = []
    if len(text) > spec.max_chars:
        problems.append(f"{len(text)} characters, over the {spec.max_chars} allowed for {where}")
    if len(text) < spec.min_chars:
        problems.append(f"{len(text)} characters, under the {spec.min_chars} needed for {where}")
    words = word_count(text)
    if spec.max_words is not None and words > spec.max_words:
        problems.append(f"{words} words, over the {spec.max_words} allowed for {where}")
    if spec.min_words is not None and words < spec.min_words:
        problems.append(f"{words} words, under the {spec.min_words} needed for {where}")
    if spec.gsm7:
        septets = gsm7_length(text)
        if septets is None:
            bad = ", ".join(f'"{c}"' for c in dict.fromkeys(c for c in text if c not in GSM7_BASIC | GSM7_EXTENDED))
            problems.append(f"{bad} not in the GSM-7 alphabet, so the SMS would split into 70-character parts")
        elif septets > 160:
            problems.append(f"needs {septets} GSM-7 septets, over one 160-septet SMS")
    return problems
