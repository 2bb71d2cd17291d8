"""Fine-tune the text model with LoRA.

An example is one generation: the prompt conversation the model is asked and the text it should answer.
Training teaches the model that answer through a low-rank adapter (peft LoRA) on the top decoder layers, with
the loss on the answer's tokens only: the prompt is context, not something to imitate.

Examples are packed as prefix trees: the lines of one product share their system prompt and facts, so a step
runs those tokens once, with an attention mask that lets each token see only its own example's earlier tokens
and positions counted along its own example. The loss is the same as for the examples one by one (tested), for
about a third of the tokens. Only answer positions go through the output layer (49k words wide).

Training stops after `max_minutes` when asked to, leaving a checkpoint beside the output; the same call
resumes from it. The finished adapter is saved under `out_root`, in a folder named by its hash, with its
weights in float16 (half the bytes; generation merges them into the float32 model).
"""

import hashlib
import json
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
    key: str
    """Where it comes from (a corpus line's file:line, a copy item's id, a brand file's row)."""
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


def answer_loss(model, input_ids, attention_mask, labels) -> torch.Tensor:
    """Mean cross-entropy over the answer tokens, computing logits only where a label is learnt."""
    causal = model.get_base_model() if hasattr(model, "get_base_model") else model
    hidden = causal.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    targets = labels[:, 1:]
    keep = targets != IGNORE
    logits = causal.lm_head(hidden[:, :-1][keep])
    return torch.nn.functional.cross_entropy(logits.float(), targets[keep])


@dataclass(frozen=True)
class Forest:
    """Examples packed as one sequence: each distinct token prefix once (a prefix tree, in insertion order)."""
    ids: list[int]
    positions: list[int]
    """A token's position in its own example."""
    parents: list[int]
    """The token before it in its example; -1 for an example's first token."""
    targets: list[tuple[int, int]]
    """(node, next token) for every answer token of every example: where the loss reads."""
    examples: int

    def mask(self) -> torch.Tensor:
        """(nodes, nodes) bool: a token attends to itself and the tokens before it in its own example."""
        mask = torch.zeros(len(self.ids), len(self.ids), dtype=torch.bool)
        for node, parent in enumerate(self.parents):
            if parent >= 0:
                mask[node] = mask[parent]
            mask[node, node] = True
        return mask


def pack(encoded: list[tuple[list[int], list[int]]], max_tokens: int) -> list[Forest]:
    """The examples as forests of at most max_tokens nodes. Sorted by their tokens first, so examples that
    share a prompt's opening (one product's lines) land in the same forest."""
    forests, trie, ids, positions, parents, targets, count = [], {}, [], [], [], [], 0

    def close():
        if ids:
            forests.append(Forest(list(ids), list(positions), list(parents), list(targets), count))

    for i in sorted(range(len(encoded)), key=lambda i: encoded[i][0]):
        example, labels = encoded[i]
        new = _new_nodes(trie, example)
        if len(ids) + new > max_tokens:
            close()
            trie, ids, positions, parents, targets, count = {}, [], [], [], [], 0
        node, parent = trie, -1
        path = []
        for depth, token in enumerate(example):
            if token not in node:
                node[token] = ({}, len(ids))
                ids.append(token), positions.append(depth), parents.append(parent)
            node, parent = node[token]
            path.append(parent)
        targets += [(path[t], labels[t + 1]) for t in range(len(example) - 1) if labels[t + 1] != IGNORE]
        count += 1
    close()
    return forests


def _new_nodes(trie: dict, example: list[int]) -> int:
    node = trie
    for depth, token in enumerate(example):
        if token not in node:
            return len(example) - depth
        node = node[token][0]
    return 0


def packed_loss(model, forest: Forest, device: str) -> torch.Tensor:
    """Mean cross-entropy over the forest's answer tokens: the same as answer_loss over its examples."""
    causal = model.get_base_model() if hasattr(model, "get_base_model") else model
    hidden = causal.model(
        input_ids=torch.tensor([forest.ids], device=device),
        attention_mask=forest.mask().to(device)[None, None],
        position_ids=torch.tensor([forest.positions], device=device),
    ).last_hidden_state[0]
    nodes = torch.tensor([n for n, _ in forest.targets], device=device)
    tokens = torch.tensor([t for _, t in forest.targets], device=device)
    return torch.nn.functional.cross_entropy(causal.lm_head(hidden[nodes]).float(), tokens)


def _autocast(device: str, config: TrainConfig):
    bf16 = config.bf16 and (device == "cuda" or torch.backends.mkldnn.is_available())
    return torch.autocast(device_type="cuda" if device == "cuda" else "cpu", dtype=torch.bfloat16, enabled=bf16)


def _work_key(base_dir: Path, encoded: list, config: TrainConfig) -> str:
    digest = hashlib.sha256(json.dumps([str(base_dir), asdict(config)], sort_keys=True).encode())
    for ids, labels in encoded:
        digest.update(json.dumps([ids, labels]).encode())
    return digest.hexdigest()[:16]


def lora_config(model, config: TrainConfig):
    """LoRA on every linear layer of the decoder's top `config.layers` layers (all of them when None)."""
    from peft import LoraConfig

    layers = model.model.layers
    names = sorted({name.rsplit(".", 1)[-1] for name, module in layers[0].named_modules()
                    if isinstance(module, torch.nn.Linear)})
    chosen = list(range(len(layers)))[-config.layers:] if config.layers else None
    return LoraConfig(r=config.rank, lora_alpha=config.alpha, lora_dropout=config.dropout, target_modules=names,
                      layers_to_transform=chosen, task_type="CAUSAL_LM")


def train_lora(base_dir: Path, examples: list[Example], config: TrainConfig, out_root: Path,
               device: str = "auto", log=print, max_minutes: float | None = None) -> dict:
    """Train a LoRA adapter on the examples and save it under out_root/<hash>; returns what was done. With
    max_minutes, it may stop early: then `finished` is False and the same call later resumes."""
    from peft import get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict

    device = pick_device(device)
    torch.manual_seed(config.seed)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    encoded = [encode(tokenizer, e.conversation, e.answer) for e in examples]
    kept = [pair for pair in encoded if len(pair[0]) <= config.max_length]
    if not kept:
        raise ValueError(f"every example is longer than max_length={config.max_length} tokens")
    forests = pack(kept, max(config.pack_tokens, config.max_length))

    # sdpa takes the forests' boolean masks as they are.
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32, attn_implementation="sdpa").to(device)
    model = get_peft_model(model, lora_config(model, config))
    per_epoch = len(forests)
    steps = config.epochs * per_epoch
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate)
    warmup = max(1, steps // 20)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / steps))

    out_root.mkdir(parents=True, exist_ok=True)
    work = out_root / f".work-{_work_key(Path(base_dir), kept, config)}"
    state = {"step": 0, "losses": [], "seconds": 0.0}
    if (work / "checkpoint.pt").exists():
        saved = torch.load(work / "checkpoint.pt", weights_only=False)
        set_peft_model_state_dict(model, saved["adapter"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        torch.set_rng_state(saved["rng"])  # dropout draws on, as if never stopped
        state = saved["state"]
        log(f"resuming at step {state['step']}/{steps}")

    def checkpoint() -> None:
        work.mkdir(exist_ok=True)
        torch.save({"adapter": get_peft_model_state_dict(model), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "state": state, "rng": torch.get_rng_state()},
                   work / "checkpoint.tmp")
        (work / "checkpoint.tmp").replace(work / "checkpoint.pt")

    started = time.perf_counter()
    seconds_before = state["seconds"]
    model.train()
    for epoch in range(config.epochs):
        order = random.Random(f"{config.seed}/{epoch}").sample(forests, len(forests))
        for index, forest in enumerate(order):
            if epoch * per_epoch + index < state["step"]:
                continue  # done before the resume
            with _autocast(device, config):
                loss = packed_loss(model, forest, device)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            state["step"] += 1
            state["losses"].append(round(loss.item(), 4))
            state["seconds"] = seconds_before + time.perf_counter() - started
            if state["step"] % 10 == 0 or state["step"] == steps:
                log(f"epoch {epoch + 1}/{config.epochs} step {state['step']}/{steps}: loss "
                    f"{sum(state['losses'][-10:]) / len(state['losses'][-10:]):.3f}, {state['seconds'] / 60:.1f} min")
            if max_minutes is not None and state["step"] < steps and \
                    time.perf_counter() - started > 60 * max_minutes:
                checkpoint()
                log(f"stopped at step {state['step']}/{steps} after {max_minutes} minutes; run again to resume")
                return {"finished": False, "step": state["step"], "steps": steps, "checkpoint": str(work)}
            if config.checkpoint_every and state["step"] % config.checkpoint_every == 0:
                checkpoint()

    # Saved under a temporary name, then renamed to its hash: a crash never leaves a half adapter.
    for parameter in trainable:
        parameter.data = parameter.data.half()
    staging = out_root / f".partial-{uuid.uuid4().hex}"
    model.save_pretrained(staging)
    version = adapter_version(Path(base_dir), staging)
    target = out_root / version.rsplit("@", 1)[1]
    if target.exists():  # the very same adapter was trained before (same data, seed and config)
        shutil.rmtree(staging)
    else:
        staging.rename(target)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "finished": True, "version": version, "path": str(target), "base_path": str(base_dir), "device": device,
        "examples": len(kept), "skipped_too_long": len(encoded) - len(kept), "steps": steps,
        "trainable_parameters": sum(p.numel() for p in trainable), "seconds": round(state["seconds"], 1),
        "tokens": sum(len(ids) for ids, _ in kept) * config.epochs,
        "tokens_run": sum(len(f.ids) for f in forests) * config.epochs, "losses": state["losses"],
        "config": asdict(config),
    }


def mean_answer_loss(base_dir: Path, examples: list[Example], adapter_dir: Path | None = None,
                     device: str = "auto", batch_size: int = 16) -> float:
    """The mean per-token loss of the answers, with or without an adapter: how well a model predicts lines
    it never trained on."""
    device = pick_device(device)
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).to(device)
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
    model.eval()
    encoded = [encode(tokenizer, e.conversation, e.answer) for e in examples]
    total, tokens = 0.0, 0
    with torch.inference_mode():
        for start in range(0, len(encoded), batch_size):
            batch = encoded[start:start + batch_size]
            input_ids, attention_mask, labels = _collate(batch, pad_id, device)
            count = int((labels[:, 1:] != IGNORE).sum())
            total += answer_loss(model, input_ids, attention_mask, labels).item() * count
            tokens += count
    return round(total / max(tokens, 1), 4)
