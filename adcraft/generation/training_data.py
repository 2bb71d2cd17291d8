"""What `adcraft train text` learns from and is judged on: the generations behind approved copy of the training
products, and the newest lines of the held-out products with the prompts they were made from."""

import hashlib
import json

from adcraft.generation.evaluation import HeldOutLine
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.db import sql, warehouse
from adcraft.kernel.errors import TrainingDataError
from models.text_finetune import Example


def _known(content_type: str, field: str) -> bool:
    spec = CONTENT_TYPES.get(content_type)
    return spec is not None and spec.field(field) is not None


def held_out_lines(con, held_out_pct: int) -> list[HeldOutLine]:
    """The newest model-written lines of the held-out products (by a hash of the sku), with their prompts."""
    rows = con.execute(sql("training/held_out"), {"held_out_pct": held_out_pct}).fetchall()
    # Lines of content types or fields that no longer exist cannot be composed or scored any more.
    return [
        HeldOutLine(ct, field, [json.loads(p) for p in prompts], json.loads(product),
                    None if CONTENT_TYPES[ct].per_product else json.loads(segment), link, brand, approve_at)
        for ct, field, _sku, prompts, product, segment, link, brand, approve_at in rows if _known(ct, field)
    ]


def training_data(held_out_pct: int, min_quality: float, max_examples: int) -> dict:
    """Generations behind approved lines of the training products, and the newest lines of the held-out
    products with the prompts they were made from."""
    params = {"held_out_pct": held_out_pct}
    with warehouse() as con:
        examples = con.execute(
            sql("training/examples"), {**params, "min_quality": min_quality, "max_examples": max_examples}
        ).fetchall()
        lines = held_out_lines(con, held_out_pct)
    if not examples:
        raise TrainingDataError(
            "No approved copy to learn from outside the held-out products. Run the nightly flow first "
            "(`adcraft demo`, `adcraft run CAMPAIGN --date ...`), approve items, or lower --min-quality."
        )
    if not lines:
        raise TrainingDataError(
            f"No held-out lines: no product with model-written copy falls in the held-out {held_out_pct}% "
            "split. Raise --held-out-pct, or generate copy for more products first."
        )
    train = [Example(item_id, json.loads(prompt), answer) for item_id, prompt, answer, _, _ in examples]
    digest = hashlib.sha256(json.dumps(
        [[e.item_id, e.conversation, e.answer] for e in train] + [[x.content_type, x.prompts] for x in lines],
        sort_keys=True,
    ).encode()).hexdigest()
    snapshot = {
        "train_examples": len(train), "train_items": len({e.item_id for e in train}),
        "by_people": len({row[0] for row in examples if row[3]}), "held_out_lines": len(lines),
        "held_out_products": len({line.product["sku"] for line in lines}), "held_out_pct": held_out_pct,
        "min_quality": min_quality, "sha256": digest,
    }
    return {"examples": train, "held_out": lines, "snapshot": snapshot}


