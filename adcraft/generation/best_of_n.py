"""Best-of-N: from N generated candidates for one slot, keep the best few that are also unlike each other.

A candidate's score is what the decision policy would see (adcraft.checks.gate.gate_scores).
Selection is greedy maximal marginal relevance: each pick
maximises score minus `diversity` times its word-bigram overlap with what is already kept, so two
near-identical good lines do not both take a place a different good line could have.
"""

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
