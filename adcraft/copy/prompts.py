"""A brief field's prompt, from templates/prompts/<content_type>.j2 (what each template defines is listed in
templates/prompts/_macros.j2).

A conversation is the brand's system prompt, any worked examples, then the request: the product's facts, the
field's instruction and an angle. The copy model was trained on exactly such requests (corpus/), so it gets
no examples; any other model gets corpus lines as worked examples (adcraft/copy/examples.py), each asked in
the same form.
"""

from dataclasses import dataclass

from adcraft.kernel.channels import FieldSpec
from adcraft.kernel.templating import render, template_module, template_version


@dataclass(frozen=True)
class Example:
    """A worked example: a product's facts, the angle it was asked for, and the line written for it."""

    product: dict
    angle: str
    answer: str


def template_versions(content_type: str) -> str:
    return template_version("prompts/system.j2", "prompts/_macros.j2", f"prompts/{content_type}.j2")


class FieldPrompt:
    """One brief field's template, rendered: the request for its generations and how to compose its line."""

    def __init__(self, content_type: str, spec: FieldSpec, product: dict, brand, link: str):
        self.content_type, self.spec, self.product, self.link = content_type, spec, product, link
        context = dict(field=spec, product=product, brand=brand, link=link)
        self.module = template_module(f"prompts/{content_type}.j2", **context)
        self.macros = template_module("prompts/_macros.j2")
        self.system = render("prompts/system.j2", brand=brand)

    @property
    def instruction(self) -> str | None:
        """What the model is asked to write; None for a field the template writes from facts alone."""
        return getattr(self.module, "instruction", None)

    @property
    def angles(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "angles", ()))

    @property
    def room(self) -> int:
        return getattr(self.module, "room", self.spec.max_chars)

    @property
    def fact_lines(self) -> list[str]:
        return getattr(self.module, "fact_lines", [])

    def compose(self, text: str) -> str:
        compose = getattr(self.module, "compose", None)
        return str(compose(text)) if compose else text

    def angle(self, candidate: int, offset: int = 0) -> str:
        """The angle a field's candidate takes: they take the field's angles in turn, from `offset` on."""
        return self.angles[(candidate + offset) % len(self.angles)]

    def request(self, product: dict, angle: str) -> str:
        return str(self.macros.request(product, self.instruction, angle))

    def conversation(self, angle: str, examples: list[Example] = ()) -> list[dict]:
        """The chat for one generation, with each worked example asked and answered before the request."""
        messages = [{"role": "system", "content": self.system}]
        for example in examples:
            messages += [{"role": "user", "content": self.request(example.product, example.angle)},
                         {"role": "assistant", "content": example.answer}]
        return messages + [{"role": "user", "content": self.request(self.product, angle)}]
