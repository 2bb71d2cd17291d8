"""One LoRA round for the text model: learn from approved copy, and promote the result only if it writes
more copy the gate approves on briefs it never saw. Generation keeps using the champion otherwise."""

from prefect import flow

from models.text_train_config import TrainConfig
from tasks.train_text import collect_training_data, evaluate_held_out, promote_if_better, train_challenger


@flow(name="train-text")
def train_text(
    epochs: int = TrainConfig.epochs,
    batch_size: int = TrainConfig.batch_size,
    learning_rate: float = TrainConfig.learning_rate,
    rank: int = TrainConfig.rank,
    held_out_pct: int = 25,
    min_quality: float = 0.75,
    max_examples: int = 2000,
    samples: int = 2,
    base_model: str | None = None,
) -> dict:
    """held_out_pct: share of products (by a hash of the sku) kept out of training and evaluated on;
    min_quality: the lowest policy quality score an auto-approved item needs to be learnt from (items a
    person approved always are); samples: answers per held-out brief and model; base_model: a model folder
    to train on (default ADCRAFT_TEXT_MODEL, else SmolLM2-135M-Instruct)."""
    data = collect_training_data(held_out_pct, min_quality, max_examples)
    config = TrainConfig(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, rank=rank,
                         alpha=2 * rank)
    challenger = train_challenger(data, config, base_model)
    evaluation = evaluate_held_out(data, challenger, samples)
    return {
        "data": data["snapshot"], "training": challenger, "evaluation": evaluation,
        "promotion": promote_if_better(challenger["version"], evaluation),
    }
