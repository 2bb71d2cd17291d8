"""The one Jinja2 environment. HTML is autoescaped, so untrusted text (product names!) stays inert."""

import hashlib
import html
import re
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from adcraft.kernel.prices import format_price
from adcraft.kernel.settings import TEMPLATES_DIR


def untrusted(value: object) -> str:
    """Untrusted text for a prompt: one line, no angle brackets, so it cannot close its delimiter."""
    return re.sub(r"[<>\s]+", " ", str(value)).strip()


def md_cell(value: object) -> str:
    """Untrusted text for a markdown table cell: HTML escaped (markdown passes HTML through), pipes and
    line breaks neutralised so the text stays in its cell."""
    text = html.escape(re.sub(r"\s+", " ", str(value)).strip())
    return text.replace("|", "&#124;").replace("`", "&#96;").replace("[", "&#91;")


def price(amount, currency, brand=None) -> str:
    """A product's price as the brand writes it in copy ('$18.00', '18,00 €'), or '18.00 EUR' without a brand.
    The currency comes from product data, so it is made safe like any untrusted text."""
    if brand is None:
        return untrusted(format_price(amount, currency, style="code"))
    return untrusted(brand.price(amount, currency, "copy"))


def fits(lines: list[str], field) -> list[str]:
    """The lines within a field's length limits, each once (ignoring case), in order: a template's fact
    lines, where a line that does not fit is left out rather than cut or made up."""
    kept: list[str] = []
    for line in lines:
        if field.min_chars <= len(line) <= field.max_chars and line.lower() not in map(str.lower, kept):
            kept.append(line)
    return kept


@lru_cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["untrusted"] = untrusted
    env.filters["md_cell"] = md_cell
    env.filters["fits"] = fits
    env.filters["price"] = price
    return env


def render(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def template_module(name: str, **context):
    """The template's top-level `{% set %}` values, for templates that define several named parts."""
    return environment().get_template(name).make_module(context)


def template_version(*names: str) -> str:
    """A short hash of the templates' source, stored with everything they produce."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((TEMPLATES_DIR / name).read_bytes())
    return digest.hexdigest()[:10]
