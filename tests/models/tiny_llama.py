"""A tiny randomly initialised Llama with SmolLM2's tokenizer: trains and writes in seconds."""

from pathlib import Path

import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

from adcraft.kernel.settings import get_settings
from models.text_generator import default_model_dir


def tiny_llama(folder: Path, initializer_range: float = 0.02) -> Path:
    """initializer_range: larger weights make its guesses depend more on the context."""
    tokenizer = AutoTokenizer.from_pretrained(default_model_dir(get_settings().models_dir))
    torch.manual_seed(0)
    LlamaForCausalLM(LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024, tie_word_embeddings=True,
        initializer_range=initializer_range,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id,
    )).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
