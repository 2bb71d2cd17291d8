"""Next-token sampling: repetition penalty, temperature and top-p (nucleus), as transformers applies them,
without its two full-vocabulary passes per token. transformers sorts the whole vocabulary for top-p and
draws from all of it (torch.multinomial makes a random number per token), which on CPU costs a batch of 16
about a sixth of each step. The nucleus nearly always lies within the few hundred likeliest tokens, so only
those are sorted and drawn from; when it does not, the whole vocabulary is sorted, so the distribution is
transformers' exactly either way."""

from dataclasses import dataclass

import torch

CANDIDATES = 256  # likeliest tokens looked at before falling back to sorting the whole vocabulary


@dataclass(frozen=True)
class SamplingConfig:
    temperature: float = 0.6
    top_p: float = 0.9
    repetition_penalty: float = 1.0
    """Off: it counts the prompt too, so it pushed the copy model off the product's own name and facts
    ("Vanillan Yoghurt Pops"); the gate's repetition check catches a line that loops."""


def sample_next(logits: torch.Tensor, seen: torch.Tensor, sampling: SamplingConfig) -> torch.Tensor:
    """One token per row. logits: (rows, vocabulary); seen: a bool mask of the same shape, the tokens each row
    already holds (prompt and reply), which the repetition penalty makes less likely."""
    probs, index = nucleus(logits, seen, sampling)
    return index.gather(1, torch.multinomial(probs, 1)).squeeze(1)


def nucleus(logits: torch.Tensor, seen: torch.Tensor, sampling: SamplingConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The tokens each row may draw, likeliest first (index into the vocabulary) with their probabilities:
    zero outside the nucleus, and unnormalised within it, as torch.multinomial takes them."""
    penalised = torch.where(logits > 0, logits / sampling.repetition_penalty, logits * sampling.repetition_penalty)
    scores = torch.where(seen, penalised, logits) / sampling.temperature
    log_total = scores.logsumexp(-1, keepdim=True)
    top, index = scores.topk(min(CANDIDATES, scores.shape[-1]))  # sorted, likeliest first
    probs = (top - log_total).exp()
    before = probs.cumsum(-1) - probs  # the mass of the likelier tokens
    if (before[:, -1] + probs[:, -1] < sampling.top_p).any():  # some row's nucleus is wider than the candidates
        top, index = scores.sort(-1, descending=True)
        probs = (top - log_total).exp()
        before = probs.cumsum(-1) - probs
    # A token stays while the likelier ones hold less than top_p: the likeliest always does.
    return probs.masked_fill(before >= sampling.top_p, 0), index
