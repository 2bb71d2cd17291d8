"""Fine-tune the text model with LoRA.

An example is one generation: the prompt conversation the model was asked and the text it should answer.
Training teaches the model that answer through a low-rank adapter (peft LoRA) on every linear layer, with
the loss on the answer's tokens only: the prompt is context, not something to imitate. The adapter is saved
under `out_root`, in a folder named by its hash. How a trained model is judged (it writes held-out lines and
the gate scores them) is adcraft/generation/evaluation.py.
"""

import math
import random
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from models.text_generator import adapter_version, pick_device
from models.text_train_config import TrainConfig

IGNORE = -100  # label of tokens the loss skips


@dataclass(frozen=True)
class Example:
    item_id: str
    conversation: list[dict]
    answer: str


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
