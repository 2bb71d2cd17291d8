"""Best-of-N: from N generated candidates for one slot, keep the best few that are also unlike each other.

A candidate's score is what the decision policy would see (warehouse/sql/content/decide.sql): -1 if a
hard check fails, else its weakest soft score. Selection is greedy maximal marginal relevance: each pick
maximises score minus `diversity` times its word-bigram overlap with what is already kept, so two
near-identical good lines do not both take a place a different good line could have.
"""

from collections import defaultdict

from models.scorers.base import CheckResult

HARD_FAIL = -1.0


def gate_scores(results: list[CheckResult]) -> dict[str, float]:
    """Per item: -1 when a hard check failed, else the lowest soft score (1.0 when none scored it)."""
    hard_failed: dict[str, bool] = defaultdict(bool)
    weakest: dict[str, float] = defaultdict(lambda: 1.0)
    for r in results:
        if r.hard:
            hard_failed[r.item_id] |= not r.passed
        elif r.score is not None:
            weakest[r.item_id] = min(weakest[r.item_id], r.score)
    return {item: HARD_FAIL if hard_failed[item] else weakest[item] for item in {r.item_id for r in results}}


def bigrams(text: str) -> set[tuple[str, str]]:
    words = text.lower().split()
    return set(zip(words, words[1:]))


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of word bigrams: 1.0 for the same wording, 0.0 for none shared."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x | y) if x | y else float(a.strip().lower() == b.strip().lower())


def distinct_2(texts: list[str]) -> float:
    """Distinct word bigrams over all bigrams in the texts: the usual corpus-level diversity figure."""
    grams = [g for t in texts for g in zip(t.lower().split(), t.lower().split()[1:])]
    return len(set(grams)) / len(grams) if grams else 0.0


def select(texts: list[str], scores: list[float], keep: int, diversity: float = 0.5) -> list[int]:
    """Indices of the `keep` candidates to store, best first. Exact repeats are never both kept
    while a different candidate remains."""
    chosen: list[int] = []
    left = list(range(len(texts)))
    while left and len(chosen) < keep:
        def value(i: int) -> tuple[float, int]:
            redundancy = max((overlap(texts[i], texts[j]) for j in chosen), default=0.0)
            repeat = any(texts[i].strip().lower() == texts[j].strip().lower() for j in chosen)
            return (scores[i] - diversity * redundancy - (10.0 if repeat else 0.0), -i)

        best = max(left, key=value)
        chosen.append(best)
        left.remove(best)
    return chosen
