"""Fine-tune the text model with LoRA on approved copy, and evaluate a model on held-out briefs.

An example is one generation behind an approved line: the prompt conversation the model was asked and
the text it answered. Training teaches the model that answer through a low-rank adapter (peft LoRA) on
every linear layer, with the loss on the answer's tokens only: the prompt is context, not something to
imitate. The adapter is saved under `out_root`, in a folder named by its hash.

Evaluation has a model answer the stored prompts of held-out lines with fixed seeds, cleans and composes
each line as generation does (the field's template slots in its facts), scores it with the gate
(check_copy) and counts how many the campaign's policy would approve at once: the first-pass
auto-approval rate, beside distinct-2 for diversity. Two models given the same lines and seed get the
same sampling seeds, so their figures compare like for like.
"""

import hashlib
import math
import random
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from itertools import groupby
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from adcraft.channels import CONTENT_TYPES, FieldSpec
from adcraft.config import Brand
from adcraft.prompts import FieldPrompt
from models.best_of_n import distinct_2, gate_scores
from models.copy_postprocess import clean_output
from models.scorers.text_checks import CopyCandidate, KnownPII, check_copy
from models.text_generator import TextGenerator, adapter_version, pick_device
from models.text_train_config import TrainConfig

IGNORE = -100  # label of tokens the loss skips


@dataclass(frozen=True)
class Example:
    item_id: str
    conversation: list[dict]
    answer: str


@dataclass(frozen=True)
class HeldOutLine:
    """A line written for a held-out product: the prompts it was made from (one per generation), and what
    its template and the gate need to compose and score a new one."""

    content_type: str
    field: str
    prompts: list[list[dict]]
    product: dict
    segment: dict | None
    link: str
    brand: str
    approve_at: float


# --- training ---------------------------------------------------------------------------------


def encode(tokenizer, conversation: list[dict], answer: str) -> tuple[list[int], list[int]]:
    """Token ids of the prompt and the answer (with its end-of-turn), and labels that hide the prompt."""
    prompt = tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(
        conversation + [{"role": "assistant", "content": answer}], tokenize=False
    )
    if not full.startswith(prompt):
        raise ValueError("the chat template does not end a prompt where the answer starts; cannot train on it")
    prompt_ids = tokenizer(prompt)["input_ids"]  # exactly as TextGenerator tokenises a prompt
    answer_ids = tokenizer(full[len(prompt):], add_special_tokens=False)["input_ids"]
    return prompt_ids + answer_ids, [IGNORE] * len(prompt_ids) + answer_ids


def _collate(batch: list[tuple[list[int], list[int]]], pad_id: int, device: str):
    """Right-padded input ids, attention mask and labels; padding is masked out and never learnt."""
    width = max(len(ids) for ids, _ in batch)
    ids = [x + [pad_id] * (width - len(x)) for x, _ in batch]
    mask = [[1] * len(x) + [0] * (width - len(x)) for x, _ in batch]
    labels = [y + [IGNORE] * (width - len(y)) for _, y in batch]
    return (torch.tensor(ids, device=device), torch.tensor(mask, device=device),
            torch.tensor(labels, device=device))


def train_lora(base_dir: Path, examples: list[Example], config: TrainConfig, out_root: Path,
               device: str = "auto", log=print) -> dict:
    """Train a LoRA adapter on the examples and save it under out_root/<hash>; returns what was done."""
    from peft import LoraConfig, get_peft_model  # heavy; only training needs it

    device = pick_device(device)
    torch.manual_seed(config.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    model = AutoModelForCausalLM.from_pretrained(
        base_dir, dtype=torch.bfloat16 if device == "cuda" else torch.float32
    ).to(device)
    model = get_peft_model(model, LoraConfig(
        r=config.rank, lora_alpha=config.alpha, lora_dropout=config.dropout, target_modules="all-linear",
        task_type="CAUSAL_LM",
    ))

    encoded = [encode(tokenizer, e.conversation, e.answer) for e in examples]
    kept = [pair for pair in encoded if len(pair[0]) <= config.max_length]
    if not kept:
        raise ValueError(f"every example is longer than max_length={config.max_length} tokens")
    steps = config.epochs * math.ceil(len(kept) / config.batch_size)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / steps)  # linear decay

    rng = random.Random(config.seed)
    losses = []
    started = time.perf_counter()
    model.train()
    for epoch in range(config.epochs):
        order = rng.sample(kept, len(kept))
        for start in range(0, len(order), config.batch_size):
            input_ids, attention_mask, labels = _collate(order[start:start + config.batch_size], pad_id, device)
            loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
            loss.backward()
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(round(loss.item(), 4))
            log(f"epoch {epoch + 1}/{config.epochs} step {len(losses)}/{steps}: loss {losses[-1]:.3f}")
    seconds = time.perf_counter() - started

    # Saved under a temporary name, then renamed to its hash: a crash never leaves a half adapter.
    out_root.mkdir(parents=True, exist_ok=True)
    staging = out_root / f".partial-{uuid.uuid4().hex}"
    model.save_pretrained(staging)
    version = adapter_version(Path(base_dir), staging)
    target = out_root / version.rsplit("@", 1)[1]
    if target.exists():  # the very same adapter was trained before (same data, seed and config)
        shutil.rmtree(staging)
    else:
        staging.rename(target)
    return {
        "version": version, "path": str(target), "base_path": str(base_dir), "device": device,
        "examples": len(kept), "skipped_too_long": len(encoded) - len(kept), "steps": steps,
        "trainable_parameters": sum(p.numel() for p in trainable), "seconds": round(seconds, 1),
        "losses": losses, "config": asdict(config),
    }


# --- held-out evaluation ----------------------------------------------------------------------


def _seed(base: int, *parts: object) -> int:
    key = "|".join(str(p) for p in (base, *parts))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def evaluate(generator: TextGenerator, lines: list[HeldOutLine], brands: dict[str, Brand],
             known_pii: KnownPII = KnownPII(), samples: int = 2, seed: int = 7, batch_size: int = 16) -> dict:
    """Write each held-out line `samples` times from its stored prompts, compose it as its template does,
    and score it as the nightly flow would (best-of-N aside)."""
    templates = [
        FieldPrompt(line.content_type, _spec(line), line.product, line.segment, brands[line.brand], line.link)
        for line in lines
    ]
    # One generation per (line, part, sample); a batch shares its field's token budget and its prompt opening.
    slots = sorted(
        ((i, part, sample) for i, line in enumerate(lines) for part in range(len(line.prompts))
         for sample in range(samples)),
        key=lambda slot: (lines[slot[0]].content_type, lines[slot[0]].field, slot[1]),
    )
    written: dict[tuple[int, int, int], str] = {}
    for (content_type, field, part), group in groupby(
        slots, key=lambda slot: (lines[slot[0]].content_type, lines[slot[0]].field, slot[1])
    ):
        group = list(group)
        for index in range(0, len(group), batch_size):
            chunk = group[index:index + batch_size]
            outputs = generator.generate(
                [lines[i].prompts[part] for i, _, _ in chunk], _spec(lines[chunk[0][0]]).max_new_tokens,
                _seed(seed, "held-out", content_type, field, part, index),
            )
            for (i, _, sample), raw in zip(chunk, outputs):
                written[(i, part, sample)] = clean_output(raw, templates[i].room)

    answers = [  # (line index, composed text)
        (i, templates[i].compose([written[(i, part, sample)] for part in range(len(line.prompts))]))
        for i, line in enumerate(lines) for sample in range(samples)
    ]
    approved = set()
    for brand_name in sorted({line.brand for line in lines}):
        mine = [(n, i, text) for n, (i, text) in enumerate(answers) if lines[i].brand == brand_name]
        items = [
            CopyCandidate(str(n), lines[i].content_type, lines[i].field, text, lines[i].product,
                          lines[i].link if _spec(lines[i]).link else None)
            for n, i, text in mine
        ]
        scores = gate_scores(check_copy(items, brands[brand_name], known_pii))
        approved |= {n for n, i, _ in mine if scores[str(n)] >= lines[i].approve_at}

    def figures(numbers: list[int]) -> dict:
        return {
            "items": len(numbers),
            "approval_rate": round(sum(n in approved for n in numbers) / len(numbers), 3) if numbers else 0.0,
            "distinct_2": round(distinct_2([answers[n][1] for n in numbers]), 3),
        }

    types = sorted({line.content_type for line in lines})
    return {
        "version": generator.version, **figures(list(range(len(answers)))),
        "by_content_type": {
            ct: figures([n for n, (i, _) in enumerate(answers) if lines[i].content_type == ct]) for ct in types
        },
        "texts": [{"content_type": lines[i].content_type, "field": lines[i].field, "text": text,
                   "approved": n in approved} for n, (i, text) in enumerate(answers)],
    }


def _spec(line: HeldOutLine) -> FieldSpec:
    return CONTENT_TYPES[line.content_type].field(line.field)
