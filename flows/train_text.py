"""One LoRA round for the copy model: learn from the copy corpus, a brand's own past copy and approved copy,
and promote the result only if it writes more copy the gate approves on products it never saw. Generation
keeps using the champion otherwise. With ship, the result becomes the copy model the project ships."""

from prefect import flow

from models.text_train_config import TrainConfig
from tasks.train_text import (
    collect_training_data,
    evaluate_held_out,
    promote_if_better,
    ship_copy_model,
    train_challenger,
)


@flow(name="train-text")
def train_text(
    epochs: int = TrainConfig.epochs,
    pack_tokens: int = TrainConfig.pack_tokens,
    learning_rate: float = TrainConfig.learning_rate,
    rank: int = TrainConfig.rank,
    corpus: bool = True,
    examples: list[str] | None = None,
    brand: str = "demo",
    history: bool = True,
    min_quality: float = 0.75,
    max_examples: int = 2000,
    eval_lines: int = 300,
    max_minutes: float | None = None,
    ship: bool = False,
    base_model: str | None = None,
) -> dict:
    """corpus: learn from the copy corpus; examples: a brand's past copy (CSV files) in `brand`'s voice;
    history: learn from approved copy in the warehouse (min_quality: the lowest policy score of an
    auto-approved line; lines people approved always count); eval_lines: held-out lines each model writes;
    max_minutes: stop after this long with a checkpoint, and resume on the next run; ship: train on the corpus
    alone and write the result as models/weights/copy-lora; base_model: a model folder to train on."""
    if ship:
        examples, history = [], False
    data = collect_training_data(corpus, examples or [], brand, history, min_quality, max_examples)
    config = TrainConfig(epochs=epochs, pack_tokens=pack_tokens, learning_rate=learning_rate, rank=rank,
                         alpha=2 * rank)
    challenger = train_challenger(data, config, base_model, max_minutes)
    if not challenger["finished"]:
        return {"data": data["snapshot"], "training": challenger}
    evaluation = evaluate_held_out(data, challenger, eval_lines, compare=not ship)
    result = {"data": data["snapshot"], "training": challenger, "evaluation": evaluation}
    if ship:
        return result | {"shipped": ship_copy_model(challenger, evaluation)}
    return result | {"promotion": promote_if_better(challenger["version"], evaluation)}
