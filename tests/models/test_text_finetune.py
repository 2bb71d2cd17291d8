"""One LoRA round end to end, as diffusers tests its training scripts: the real flow on the ephemeral Prefect
API, a real DuckDB file with a few decided items, a small slice of the copy corpus, a brand's past copy, and a
tiny randomly initialised Llama (SmolLM2's tokenizer) trained for a few steps; then what it wrote is checked."""

import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest
from tiny_llama import tiny_llama
from transformers import AutoTokenizer
from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.copy.corpus import load_corpus
from adcraft.copy.prompts import FieldPrompt
from adcraft.generation.training_data import HOLDOUT_CATEGORIES, corpus_data, corpus_example
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_brand, load_campaign
from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import PROJECT_DIR, get_settings
from flows.train_text import train_text
from models import shipped
from models.registry import beats
from models.text_finetune import IGNORE, Example, encode, train_lora
from models.text_generator import default_model_dir, load_champion, load_text_generator, model_version
from models.text_train_config import TrainConfig
from tasks.train_text import promote_if_better

pytestmark = pytest.mark.slow  # trains a LoRA and writes with it

PRODUCT = {"sku": "NW-10004", "name": "Harbour Linen Shirt", "category": "shirts", "brand": "Nordwind",
           "price": 39.0, "currency": "EUR", "material": "linen", "colours": ["navy"], "sizes": ["M", "L"],
           "stock": 40, "description": "A light linen shirt.", "price_before_drop": None, "selection": "top_sellers"}
BRAND_CSV = """product,field,line,category
Harbour Linen Shirt,headline,Linen for Long Summer Days,Shirts
Harbour Linen Shirt,subject,Cool linen for warm evenings,Shirts
,headline,A line with no product,Shirts
Harbour Linen Shirt,headlines,An unknown field,Shirts
Harbour Linen Shirt,headline,A headline far too long for any search ad at all,Shirts
"""


def slice_of_corpus(folder: Path) -> Path:
    """Twelve lines of tea (trained on) and six of garden (a held-out category)."""
    folder.mkdir(parents=True)
    for category, count in (("tea", 12), ("garden", 6)):
        lines = (PROJECT_DIR / "corpus" / "copy" / f"{category}.jsonl").read_text().splitlines()[:count]
        (folder / f"{category}.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def fill_warehouse() -> None:
    """One approved line of the model's, and one a person rewrote (its words no longer the model's)."""
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml")
    spec = CONTENT_TYPES["meta_feed"].field("headline")
    asked = FieldPrompt("meta_feed", spec, PRODUCT, load_brand("demo"), "https://x/p").conversation("benefit")
    with warehouse() as con:
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES ('demo-20261120', 'demo', DATE '2026-11-20', 'demo', $config)",
                    {"config": campaign.model_dump_json()})
        con.execute("INSERT INTO marts.briefs (batch_id, brief_id, sku, segment, channel, content_type, product, "
                    "segment_profile) VALUES ('demo-20261120', 'b1', 'NW-10004', 'champions', 'meta_feed', "
                    "'meta_feed', $product, '{}')", {"product": json.dumps(PRODUCT)})
        for item_id, text, line, by in (("cp_a", "Harbour Linen, light and cool", None, "policy:v1"),
                                        ("cp_b", "Linen is nice", "A person's own headline", "analyst:ana")):
            parts = json.dumps([{"prompt": asked, "raw": text, "text": text}])
            con.execute("INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, "
                        "text, raw_output, prompt, seed, model_version, template_version, parts) VALUES ($item, "
                        "'demo-20261120', 'b1', 'meta_feed', 'headline', 0, $line, '', '[]', 1, 'm', 't', $parts)",
                        {"item": item_id, "line": line or text, "parts": parts})
            con.execute("INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, "
                        "policy_version, decided_by) VALUES ($item, 'demo-20261120', 'copy', 'approved', 0.9, [], "
                        "'v1', $by)", {"item": item_id, "by": by})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The flow run once on a tiny model; tests work on copies of its home."""
    root = tmp_path_factory.mktemp("lora")
    home = root / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / ".cache" / "models"))
        tiny = tiny_llama(root / "tiny-llama")
        mp.setenv("ADCRAFT_HOME", str(home))
        mp.setenv("ADCRAFT_MODEL_CACHE", str(home / "models"))
        mp.setenv("ADCRAFT_TEXT_MODEL", str(tiny))  # the tiny model is champion and base alike
        mp.setenv("ADCRAFT_CORPUS_DIR", str(slice_of_corpus(root / "corpus")))
        get_settings.cache_clear()
        fill_warehouse()
        (root / "brand.csv").write_text(BRAND_CSV)
        result = train_text(epochs=2, pack_tokens=320, examples=[str(root / "brand.csv")], eval_lines=20)
    get_settings.cache_clear()
    return {"home": home, "tiny": tiny, "result": result, "corpus": root / "corpus"}


def registry(home: Path) -> dict[str, dict]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        cursor = con.execute("SELECT * FROM ops.model_registry")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def test_the_loss_is_on_the_answer_only():
    tokenizer = AutoTokenizer.from_pretrained(default_model_dir(get_settings().models_dir))
    asked = [{"role": "system", "content": "s"}, {"role": "user", "content": "Write one sms."}]
    ids, labels = encode(tokenizer, asked, "Linen, navy, 39.00 EUR.")
    learnt = [label for label in labels if label != IGNORE]
    assert len(ids) == len(labels) and labels[0] == IGNORE
    assert tokenizer.decode(learnt) == "Linen, navy, 39.00 EUR.<|im_end|>\n"
    assert ids[-len(learnt):] == learnt  # the answer closes the sequence, after the whole prompt


def test_a_corpus_line_is_asked_as_generation_asks_and_held_out_categories_are_never_trained_on():
    lines = load_corpus()
    data = corpus_data(lines)
    line = next(x for x in lines if x.category == "tea" and x.content_type == "email")
    example = corpus_example(line)
    spec = CONTENT_TYPES["email"].field(line.field)
    prompt = FieldPrompt("email", spec, line.facts(), load_brand(line.voice), f"https://shop.example.com/p/{line.sku}")
    assert example.conversation == prompt.conversation(line.angle) and example.answer == line.text
    trained = {e.key for e in data["examples"]}
    assert not any(x.category in HOLDOUT_CATEGORIES for x in lines if x.where in trained)
    assert {h.category for h in data["held_out"]} >= set(HOLDOUT_CATEGORIES)
    assert len(data["snapshot"]["corpus_sha256"]) == 64


def test_the_flow_learns_the_corpus_the_brand_s_copy_and_approved_lines(trained):
    data, training = trained["result"]["data"], trained["result"]["training"]
    assert data["train_examples"] == 12 + 2 + 1  # tea lines; two good brand rows; the model's approved line
    assert data["history_examples"] == 1 and data["brand_examples"] == 2
    assert [row.split(": ")[0] for row in data["skipped_rows"]] == ["brand.csv:4", "brand.csv:5", "brand.csv:6"]
    path = Path(training["path"])
    assert training["version"].startswith(model_version(trained["tiny"]) + "+lora@")
    for name in ("adapter_config.json", "adapter_model.safetensors", "training.json", "evaluation.json"):
        assert (path / name).is_file(), name
    written = json.loads((path / "training.json").read_text())
    # Two epochs over the same packed steps; a product's lines share their prompt, so fewer tokens run.
    assert written["steps"] % 2 == 0 and len(written["losses"]) == written["steps"] > 0
    assert all(math.isfinite(x) for x in written["losses"]) and written["tokens_run"] < written["tokens"]
    assert written["config"]["corpus"] == data["corpus_sha256"] and written["config"]["prompt"] == "corpus-v1"
    row = registry(trained["home"])[training["version"]]
    assert (row["status"], row["kind"], row["source"]) == ("challenger", "text", "lora")


def test_the_challenger_is_judged_on_the_held_out_categories_apart(trained):
    evaluation = trained["result"]["evaluation"]
    assert evaluation["challenger"]["held_out_categories"]["items"] == 6  # the garden lines
    assert evaluation["challenger"]["items"] == 6 and math.isfinite(evaluation["challenger"]["held_out_loss"])
    # Random weights write gibberish either way: no gain, so the tiny model stays in use.
    assert trained["result"]["promotion"]["promoted"] is False


def test_training_stopped_by_its_time_limit_resumes_where_it_stopped(trained, tmp_path):
    examples = [Example(f"e{i}", [{"role": "user", "content": f"Say {i}."}], f"Line {i}.") for i in range(12)]
    config = TrainConfig(epochs=2, pack_tokens=40, max_length=40, checkpoint_every=0)
    first = train_lora(trained["tiny"], examples, config, tmp_path, "cpu", log=lambda _: None, max_minutes=0)
    assert first["finished"] is False and first["step"] == 1 and Path(first["checkpoint"]).is_dir()
    done = train_lora(trained["tiny"], examples, config, tmp_path, "cpu", log=lambda _: None)
    straight = train_lora(trained["tiny"], examples, config, tmp_path / "again", "cpu", log=lambda _: None)
    assert done["finished"] and done["steps"] >= 4 and len(done["losses"]) == done["steps"]
    assert done["losses"] == straight["losses"] and done["version"] == straight["version"]
    assert not Path(first["checkpoint"]).exists()


def figures(version: str, approval_rate: float, distinct: float) -> dict:
    return {"version": version, "approval_rate": approval_rate, "distinct_2": distinct}


@pytest.fixture
def home(trained, tmp_path, monkeypatch) -> Path:
    """A copy of the trained home's warehouse (the adapter files are shared), without ADCRAFT_TEXT_MODEL."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(trained["home"] / "warehouse.duckdb", home / "warehouse.duckdb")
    monkeypatch.setenv("ADCRAFT_HOME", str(home))
    monkeypatch.setenv("ADCRAFT_MODEL_CACHE", str(trained["home"] / "models"))
    monkeypatch.delenv("ADCRAFT_TEXT_MODEL", raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


def test_a_better_challenger_becomes_the_champion_that_generation_loads(trained, home):
    version = trained["result"]["training"]["version"]
    evaluation = {"champion": figures("m", 0.4, 0.8), "challenger": figures(version, 0.5, 0.78)}
    assert promote_if_better.fn(version, evaluation)["promoted"] is True
    assert registry(home)[version]["status"] == "champion"
    generator = load_text_generator(get_settings().models_dir)  # no ADCRAFT_TEXT_MODEL: the champion
    assert generator.version == version and generator.model_dir == trained["tiny"]


def test_the_promotion_rule():
    assert beats(figures("b", 0.5, 0.80), figures("a", 0.4, 0.80))
    assert not beats(figures("b", 0.4, 0.90), figures("a", 0.4, 0.80))  # a tie is no reason to change
    assert not beats(figures("b", 0.6, 0.70), figures("a", 0.4, 0.80))  # more approved, but all alike


def test_shipping_writes_the_adapter_with_what_rebuilds_it(trained, home, tmp_path, monkeypatch):
    from tasks.train_text import ship_copy_model

    monkeypatch.setattr(shipped, "SHIPPED_DIR", tmp_path / "copy-lora")
    monkeypatch.setattr("tasks.train_text.SHIPPED_DIR", tmp_path / "copy-lora")
    out = ship_copy_model.fn(trained["result"]["training"], trained["result"]["evaluation"])
    training = json.loads((tmp_path / "copy-lora" / "training.json").read_text())
    assert out["version"] == trained["result"]["training"]["version"] == training["version"]
    assert training["config"]["corpus"] == trained["result"]["data"]["corpus_sha256"]
    assert training["rebuild"].startswith("make train-copy-model")
    assert training["metrics"]["held_out"]["challenger"]["held_out_categories"]["items"] == 6
    # With no champion, the shipped adapter becomes the champion. This home trained that very version, so its
    # registry row is the training run's; on a fresh install the row says "shipped" (test_text_generator).
    monkeypatch.setattr(shipped, "default_model_dir", lambda _: trained["tiny"])
    champion = shipped.shipped_champion(get_settings().models_dir)
    assert champion["model_version"] == out["version"] and registry(home)[out["version"]]["source"] == "lora"
    assert load_champion(champion).version == out["version"]


def test_a_champion_whose_files_are_gone_says_what_to_do(tmp_path):
    entry = {"model_version": "x+lora@1", "path": str(tmp_path / "gone"), "base_path": str(tmp_path)}
    with pytest.raises(RuntimeError, match="ADCRAFT_TEXT_MODEL"):
        load_champion(entry)


def test_training_with_nothing_to_learn_from_says_what_to_do(adcraft_home):
    result = CliRunner().invoke(app, ["train", "text", "--no-corpus", "--no-history"])
    assert result.exit_code == 1 and "Nothing to learn from" in result.output
