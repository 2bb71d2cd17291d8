"""What generation asks of a text model, whichever backend runs it: in-process transformers
(models/text_generator.py) or an OpenAI-compatible server (models/text_endpoint.py). Planning, best-of-N, the
gate and the registry see only this, so none of them cares which backend wrote a line."""

from typing import Protocol

from models.sampling import SamplingConfig


class TextBackend(Protocol):
    version: str
    """Names exactly what writes: stored with every line and registered in ops.model_registry."""

    def generate(self, conversations: list[list[dict]], max_new_tokens: int, seed: int,
                 sampling: SamplingConfig = SamplingConfig()) -> list[str]:
        """One reply per chat, in order; the same seed and inputs give the same replies where the backend can."""
        ...
