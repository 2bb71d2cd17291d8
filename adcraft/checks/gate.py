"""The gate: every check on every line of a batch, and the one score a decision reads from them.

Hard checks (a failure rejects the line): product_data, channel_limits, grounding, claims, pii, safety,
brand_rules, artifacts, and format (formats.py, over a brief's lines). Soft checks (scored 0..1):
product_claims, repetition, language, readability, and for model-written lines quality, grammar, relevance,
near_duplicate and the editor judge. Everything works on a whole batch at once, so the classifiers and the
embedding model run once per batch, not per line.
"""

from collections import defaultdict
from collections.abc import Iterable

from adcraft.checks.artifacts import check_artifacts
from adcraft.checks.base import CheckResult, CopyCandidate, KnownPII, from_facts
from adcraft.checks.brand import check_brand_rules
from adcraft.checks.claims import check_claims, check_product_claims
from adcraft.checks.grammar import check_grammar
from adcraft.checks.grounding import check_grounding
from adcraft.checks.judge import check_editor
from adcraft.checks.language import check_language, check_readability
from adcraft.checks.limits import check_channel_limits
from adcraft.checks.pii import NameIndex, check_pii
from adcraft.checks.product_data import check_product_data
from adcraft.checks.quality import check_quality, check_repetition
from adcraft.checks.safety import check_safety, profanity_probabilities
from adcraft.checks.similarity import check_similarity
from adcraft.checks.words import WORD, phrases, word_forms
from adcraft.kernel.config import Brand

HARD_FAIL = -1.0


def check_copy(
    items: list[CopyCandidate],
    brand: Brand,
    known_pii: KnownPII = KnownPII(),
    allowed_promotions: Iterable[str] = (),
    recent: Iterable[str] = (),
    hard_only: bool = False,
    editor: bool = True,
) -> list[CheckResult]:
    """Every check on every item, in item order. allowed_promotions: phrases ("20% off") that are true;
    recent: texts published lately, which a new item must not repeat; hard_only: the hard checks alone (no
    embedding model), as the corpus test uses them; editor: False leaves the editor judge out, as its training
    does when it sets the judge's threshold."""
    names = NameIndex(known_pii)
    banned = word_forms(brand.banned_words)
    avoided = word_forms(brand.voice.avoid)
    # Our brand, and the brands of the products in the batch: names the shop itself uses.
    shop_brands = " ".join(str(i.product.get("brand") or "") for i in items)
    own_names = frozenset(WORD.findall(f"{brand.name} {brand.logo_text} {shop_brands}".lower()))
    promotions = phrases(allowed_promotions)
    similar = check_similarity(items, recent) if not hard_only else [(None, None)] * len(items)
    product_data = check_product_data([(i.item_id, i.product) for i in items], known_pii)
    written = [i for i in items if not from_facts(i)]
    judged = {} if hard_only or not editor else {r.item_id: r for r in check_editor(written)}
    results = []
    for item, profanity, (relevance, duplicate), source in zip(
        items, profanity_probabilities(items), similar, product_data, strict=True
    ):
        results += [
            source,
            check_channel_limits(item),
            check_grounding(item, promotions),
            check_claims(item),
            check_pii(item, names),
            check_safety(item, profanity),
            check_brand_rules(item, banned, own_names),
            check_artifacts(item),
        ]
        if hard_only:
            continue
        results += [check_product_claims(item.item_id, item.product), check_repetition(item),
                    check_language(item, own_names), check_readability(item)]
        # A line written from product facts ("Price: 59.00 EUR") is no ad line: it need not name the product,
        # sound like its description, or differ from another product's same fact or yesterday's same line.
        if not from_facts(item):
            results += [check_quality(item, brand, avoided), check_grammar(item), relevance, duplicate]
            results += [judged[item.item_id]] if item.item_id in judged else []
    return results


def gate_scores(results: list[CheckResult]) -> dict[str, float]:
    """Per item, what the decision policy reads (warehouse/queries/content/decide.sql): -1 when a hard check
    failed, else the lowest soft score (1.0 when none scored it)."""
    hard_failed: dict[str, bool] = defaultdict(bool)
    weakest: dict[str, float] = defaultdict(lambda: 1.0)
    for r in results:
        if r.hard:
            hard_failed[r.item_id] |= not r.passed
        elif r.score is not None:
            weakest[r.item_id] = min(weakest[r.item_id], r.score)
    return {item: HARD_FAIL if hard_failed[item] else weakest[item] for item in {r.item_id for r in results}}
