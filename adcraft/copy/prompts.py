"""A brief field's prompts, from templates/prompts/<content_type>.j2 (what each template defines is listed in
templates/prompts/_macros.j2).

Every conversation is the brand's system prompt, worked examples, then the request. The examples are copy
approved in earlier batches for products of the same category (what the model was asked and answered,
from content.copy_items.parts), or the template's built-in example when there is none.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from adcraft.kernel.channels import FieldSpec
from adcraft.kernel.db import sql
from adcraft.kernel.templating import render, template_module, template_version

EXAMPLES = 2
"""History examples per prompt: enough to show the voice, few enough to keep prompts short."""


@dataclass(frozen=True)
class Example:
    sku: str
    request: str
    answer: str


History = dict[tuple[str, str, str, int], list[Example]]
"""(category, content type, field, part) -> approved examples, best first."""


def load_history(con, batch_id: str) -> History:
    """Few-shot examples for a batch, from lines approved in earlier batches (content/few_shot_examples.sql).
    A line a person edited afterwards no longer contains what the model wrote; it is skipped."""
    history: History = defaultdict(list)
    for category, content_type, field, sku, _product, text, parts in con.execute(
        sql("content/few_shot_examples"), {"batch_id": batch_id}
    ).fetchall():
        for index, part in enumerate(json.loads(parts)):
            if part["text"] and part["text"] in text:
                request = part["prompt"][-1]["content"]
                history[(category, content_type, field, index)].append(Example(sku, request, part["text"]))
    return history


def template_versions(content_type: str) -> str:
    return template_version("prompts/system.j2", "prompts/_macros.j2", f"prompts/{content_type}.j2")


class FieldPrompt:
    """One brief field's template, rendered: its generations' conversations and how to compose its line."""

    def __init__(self, content_type: str, spec: FieldSpec, product: dict, segment: dict | None, brand, link: str):
        self.content_type, self.spec, self.product, self.segment, self.link = content_type, spec, product, segment, link
        context = dict(field=spec, product=product, segment=segment, brand=brand, link=link)
        self.module = template_module(f"prompts/{content_type}.j2", **context)
        self.macros = template_module("prompts/_macros.j2")
        self.system = render("prompts/system.j2", brand=brand)

    @property
    def parts(self) -> list[list[str]]:
        return getattr(self.module, "parts", [])

    @property
    def room(self) -> int:
        return getattr(self.module, "room", self.spec.max_chars)

    @property
    def fact_lines(self) -> list[str]:
        return getattr(self.module, "fact_lines", [])

    def compose(self, texts: list[str]) -> str:
        compose = getattr(self.module, "compose", None)
        return str(compose(texts)) if compose else texts[0]

    def conversation(self, part: int, candidate: int, history: History) -> list[dict]:
        """The chat for one generation: candidate picks the part's instruction in turn."""
        instructions = self.parts[part]
        turn = candidate % len(instructions)
        examples = [
            e for e in history.get((self.product.get("category"), self.content_type, self.spec.name, part), [])
            if e.sku != self.product.get("sku")
        ][:EXAMPLES]
        if not examples:
            builtin = self.macros.request(self.macros.example_product, None, instructions[turn])
            examples = [Example("", str(builtin), self.module.example_answers[part][turn])]
        messages = [{"role": "system", "content": self.system}]
        for e in examples:
            messages += [{"role": "user", "content": e.request}, {"role": "assistant", "content": e.answer}]
        request = self.macros.request(self.product, self.segment, instructions[turn])
        return messages + [{"role": "user", "content": str(request)}]
