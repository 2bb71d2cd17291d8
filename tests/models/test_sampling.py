"""The sampler against transformers' own repetition penalty, temperature and top-p processors."""

import pytest
import torch
from transformers.generation.logits_process import (
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopPLogitsWarper,
)

from models.sampling import CANDIDATES, SamplingConfig, nucleus, sample_next

VOCABULARY = 2000


def transformers_probs(logits: torch.Tensor, prompt: torch.Tensor, sampling: SamplingConfig) -> torch.Tensor:
    scores = RepetitionPenaltyLogitsProcessor(sampling.repetition_penalty)(prompt, logits.clone())
    scores = TemperatureLogitsWarper(sampling.temperature)(prompt, scores)
    scores = TopPLogitsWarper(sampling.top_p)(prompt, scores)
    return scores.softmax(-1)


def our_probs(logits: torch.Tensor, prompt: torch.Tensor, sampling: SamplingConfig) -> torch.Tensor:
    seen = torch.zeros_like(logits, dtype=torch.bool).scatter_(1, prompt, True)
    probs, index = nucleus(logits, seen, sampling)
    full = torch.zeros_like(logits).scatter_(1, index, probs)
    return full / full.sum(-1, keepdim=True)


@pytest.mark.parametrize("spread", [8.0, 0.05], ids=["peaked: the nucleus lies in the candidates",
                                                     "flat: the whole vocabulary is sorted"])
def test_the_nucleus_and_its_probabilities_are_transformers_exactly(spread):
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(4, VOCABULARY, generator=generator, dtype=torch.float64) * spread
    prompt = torch.randint(VOCABULARY, (4, 30), generator=generator)
    sampling = SamplingConfig(repetition_penalty=1.15)  # the penalty off by default, on here to test it
    expected = transformers_probs(logits, prompt, sampling)
    if spread < 1:  # the case must really be one where the candidates hold too little
        assert ((expected > 0).sum(-1) > CANDIDATES).all()
    else:
        assert ((expected > 0).sum(-1) < CANDIDATES).all()
    assert torch.allclose(our_probs(logits, prompt, sampling), expected, atol=1e-12)


def test_a_draw_comes_from_the_nucleus_and_a_seed_repeats_it():
    logits = torch.randn(3, VOCABULARY, generator=torch.Generator().manual_seed(1)) * 2
    seen = torch.zeros_like(logits, dtype=torch.bool)
    allowed = transformers_probs(logits, torch.zeros(3, 0, dtype=torch.long), SamplingConfig()) > 0
    torch.manual_seed(4)
    first = torch.stack([sample_next(logits, seen, SamplingConfig()) for _ in range(50)])
    torch.manual_seed(4)
    again = torch.stack([sample_next(logits, seen, SamplingConfig()) for _ in range(50)])
    assert torch.equal(first, again)
    assert allowed.gather(1, first.T).all()
    assert len(first[:, 0].unique()) > 1  # it samples, rather than always taking the likeliest
