"""The OpenAI-compatible text backend against a scripted server on localhost (the outside world's faults: 429, 5xx,
slow, malformed and dropped replies). tests/flows/test_text_endpoint_flow.py runs it against llama.cpp's real
server."""

import json
import re
import time

import pytest

from adcraft.kernel.errors import TextEndpointError, TextEndpointUnreachable
from endpoint_fixtures import FakeEndpoint, free_port
from models.text_endpoint import Endpoint, EndpointGenerator

A = [{"role": "system", "content": "You write ad copy."}, {"role": "user", "content": "A headline for a linen shirt."}]
B = [{"role": "system", "content": "You write ad copy."}, {"role": "user", "content": "A headline for a wool coat."}]
C = [{"role": "system", "content": "You write ad copy."}, {"role": "user", "content": "A headline for a tote."}]


def endpoint(url: str, **fields) -> Endpoint:
    return Endpoint(url, **{"retries": 3, "backoff_s": 0.01, "timeout_s": 5.0, **fields})


def test_each_distinct_chat_is_one_request_asking_n_for_its_repeats_and_replies_keep_their_rows():
    with FakeEndpoint() as fake:
        generator = EndpointGenerator(endpoint(fake.url))
        replies = generator.generate([A, B, A], 24, seed=7)
        again = generator.generate([A, B, A], 24, seed=7)
    # Requests go out together, so they may arrive in either order.
    first, second = sorted(fake.requests[:2], key=lambda r: r["messages"] != A)
    assert [first["messages"], second["messages"]] == [A, B]
    assert [first.get("n", 1), second.get("n", 1)] == [2, 1]
    assert first["max_tokens"] == 24 and first["stop"] == ["\n\n"] and first["model"] == "fake-model"
    assert first["temperature"] == 0.6 and first["top_p"] == 0.9 and first["repetition_penalty"] == 1.0
    assert first["seed"] != second["seed"]
    # Row 0 and row 2 are A's two choices; the same seed asks the same again.
    assert replies == [f"Line for seed {first['seed']} choice 0.", f"Line for seed {second['seed']} choice 0.",
                       f"Line for seed {first['seed']} choice 1."]
    assert again == replies


@pytest.mark.parametrize("server", [{"choices": 1}, {"refuse_n": True}], ids=["ignores-n", "refuses-n"])
def test_a_server_without_n_is_asked_once_per_reply_with_a_seed_each(server):
    with FakeEndpoint(**server) as fake:
        generator = EndpointGenerator(endpoint(fake.url))
        replies = generator.generate([A, A, A], 24, seed=7)
        later = generator.generate([B, B], 24, seed=8)
    assert len(set(replies)) == 3 and len(set(later)) == 2
    # After the first chat it asks one reply a request from the start; a refused n=3 is asked again as 3 singles.
    singles = [r for r in fake.requests if r.get("n", 1) == 1]
    assert fake.requests[0]["n"] == 3 and len(fake.requests) == 1 + len(singles) == 1 + 3 + 2 - ("choices" in server)
    assert len({r["seed"] for r in singles}) == len(singles)


def test_429s_and_5xx_are_retried_after_a_backoff():
    with FakeEndpoint(["429", "500", "429"]) as fake:
        started = time.perf_counter()
        replies = EndpointGenerator(endpoint(fake.url, backoff_s=0.1)).generate([A], 24, seed=1)
        waited = time.perf_counter() - started
    assert fake.actions == ["429", "500", "429", "ok"] and replies[0].startswith("Line for seed")
    assert waited >= 0.8 * (0.1 + 0.2 + 0.4)  # doubling waits, less the jitter


def test_each_retry_says_why_and_when():
    said = []
    with FakeEndpoint(["429", "drop"]) as fake:
        EndpointGenerator(endpoint(fake.url, backoff_s=0.01), warn=said.append).generate([A], 24, seed=1)
    assert said[0].startswith(f"The text endpoint {fake.url}: chat/completions failed (HTTP 429: Rate limit reached); "
                              "retry 1 of 3 in ")
    assert "retry 2 of 3" in said[1] and len(said) == 2


def test_a_request_that_outlives_its_timeout_is_asked_again():
    with FakeEndpoint(["slow"], slow_s=3.0) as fake:
        replies = EndpointGenerator(endpoint(fake.url, timeout_s=0.5)).generate([A, B], 24, seed=1)
    assert sorted(fake.actions) == ["ok", "ok", "slow"] and all(replies)


def test_a_server_too_busy_to_answer_in_time_is_told_to_get_fewer_requests():
    with FakeEndpoint(["slow"] * 3, slow_s=1.0) as fake:
        with pytest.raises(TextEndpointUnreachable, match=r"no reply within 0.2 s\).*send fewer requests at once "
                                                          r"\(ADCRAFT_TEXT_ENDPOINT_IN_FLIGHT\)"):
            EndpointGenerator(endpoint(fake.url, timeout_s=0.2, retries=1)).generate([A], 24, seed=1)


def test_a_server_that_keeps_failing_is_explained_after_the_retries():
    with FakeEndpoint(["500"] * 10) as fake:
        with pytest.raises(TextEndpointUnreachable, match=r"did not write copy: chat/completions failed 3 tries "
                                                          r"\(HTTP 500: Internal error\)") as error:
            EndpointGenerator(endpoint(fake.url, retries=2)).generate([A], 24, seed=1)
    assert fake.url in str(error.value) and "unset ADCRAFT_TEXT_ENDPOINT" in str(error.value)


def test_a_malformed_reply_is_asked_again_and_one_that_stays_malformed_is_explained():
    with FakeEndpoint(["malformed"]) as fake:
        assert EndpointGenerator(endpoint(fake.url)).generate([A], 24, seed=1)[0].startswith("Line for seed")
    with FakeEndpoint(["malformed"] * 10) as fake:
        with pytest.raises(TextEndpointError, match="a malformed reply .*a choice without a message's text"):
            EndpointGenerator(endpoint(fake.url, retries=1)).generate([A], 24, seed=1)


def test_a_server_that_is_down_at_the_start_is_explained():
    url = f"http://127.0.0.1:{free_port()}/v1"
    said = rf"The text endpoint {re.escape(url)} did not list its models: models failed 2 tries \(ConnectError"
    with pytest.raises(TextEndpointUnreachable, match=said):
        EndpointGenerator(endpoint(url, retries=1))


def test_a_wrong_model_name_names_the_models_the_server_has():
    with FakeEndpoint(models=("copy", "smollm2")) as fake:
        with pytest.raises(TextEndpointError, match="serves no model named 'gpt-4'; its models: copy, smollm2. Set "
                                                    "ADCRAFT_TEXT_ENDPOINT_MODEL"):
            EndpointGenerator(endpoint(fake.url, model="gpt-4"))
        with pytest.raises(TextEndpointError, match="serves 2 models; its models: copy, smollm2"):
            EndpointGenerator(endpoint(fake.url))
        assert EndpointGenerator(endpoint(fake.url, model="copy")).model == "copy"


def test_the_version_names_the_model_and_a_hash_of_the_settings_that_change_the_output():
    with FakeEndpoint() as fake:
        version = EndpointGenerator(endpoint(fake.url)).version
        assert version.startswith("fake-model@endpoint-")
        assert EndpointGenerator(endpoint(fake.url, in_flight=2, retries=0)).version == version
        assert EndpointGenerator(endpoint(fake.url, stop=("\n",))).version != version
        assert EndpointGenerator(endpoint(fake.url, params='{"top_k": 0}')).version != version


def test_extra_params_are_sent_and_null_drops_a_field():
    with FakeEndpoint() as fake:
        EndpointGenerator(endpoint(fake.url, params=json.dumps({"top_k": 0, "repeat_penalty": None}))).generate(
            [A], 24, seed=1)
    assert fake.requests[0]["top_k"] == 0 and "repeat_penalty" not in fake.requests[0]


def test_no_more_requests_are_in_flight_than_configured():
    chats = [[A[0], {"role": "user", "content": f"Headline {i}"}] for i in range(12)]
    with FakeEndpoint(["slow"] * 12, slow_s=0.2) as fake:
        replies = EndpointGenerator(endpoint(fake.url, in_flight=3)).generate(chats, 24, seed=1)
    assert len(fake.requests) == 12 and all(replies) and fake.max_in_flight == 3


def test_the_api_key_is_sent_from_its_variable_and_shown_nowhere(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_LLM_KEY", "sk-secret-123")
    with FakeEndpoint() as fake:
        generator = EndpointGenerator(endpoint(fake.url, key_env="SHOP_LLM_KEY"), journal=tmp_path / "j.jsonl")
        generator.generate([A], 24, seed=1)
        with pytest.raises(TextEndpointError) as error:  # a 404 for a model the server dropped meanwhile
            generator.model = "gone"
            generator.generate([B], 24, seed=1)
    assert fake.headers[0]["Authorization"] == "Bearer sk-secret-123"
    assert "sk-secret" not in str(error.value) + generator.version + (tmp_path / "j.jsonl").read_text()
    assert "The model `gone` does not exist" in str(error.value) and "Its models: fake-model" in str(error.value)


def test_a_refused_key_says_which_variable_to_set(monkeypatch):
    monkeypatch.delenv("ADCRAFT_TEXT_ENDPOINT_KEY", raising=False)
    with FakeEndpoint(["401"]) as fake:
        with pytest.raises(TextEndpointError, match=r"refused chat/completions \(HTTP 401\): Invalid API key. It "
                                                    r"was sent no key: put the key it takes in \$ADCRAFT_TEXT_"):
            EndpointGenerator(endpoint(fake.url)).generate([A], 24, seed=1)
    assert fake.actions == ["401"]  # not asked again


def test_a_server_with_no_model_says_so():
    with FakeEndpoint(models=()) as fake:
        with pytest.raises(TextEndpointError, match="serves no model named 'x'; its models: none"):
            EndpointGenerator(endpoint(fake.url, model="x"))


def test_replies_are_journalled_so_a_second_call_asks_only_for_what_is_missing(tmp_path):
    chats = [[A[0], {"role": "user", "content": f"Headline {i}"}] for i in range(6)]
    journal = tmp_path / "endpoint" / "batch.jsonl"
    # The server answers 3 requests, then every connection drops: the call fails, having kept those 3.
    with FakeEndpoint(["ok"] * 3 + ["drop"] * 30) as fake:
        with pytest.raises(TextEndpointUnreachable):
            EndpointGenerator(endpoint(fake.url, in_flight=1, retries=1), journal=journal).generate(chats, 24, seed=1)
    assert len(journal.read_text().splitlines()) == 3
    with FakeEndpoint() as fake:
        replies = EndpointGenerator(endpoint(fake.url), journal=journal).generate(chats, 24, seed=1)
        assert len(fake.requests) == 3  # only the missing ones
    with FakeEndpoint() as fake:
        fresh = EndpointGenerator(endpoint(fake.url)).generate(chats, 24, seed=1)
    assert replies == fresh and len(set(replies)) == 6


def test_a_line_cut_short_in_the_journal_is_asked_again(tmp_path):
    journal = tmp_path / "batch.jsonl"
    with FakeEndpoint() as fake:
        EndpointGenerator(endpoint(fake.url), journal=journal).generate([A, B], 24, seed=1)
        journal.write_text(journal.read_text()[:-20])  # a crash in the middle of the second line
        EndpointGenerator(endpoint(fake.url), journal=journal).generate([A, B, C], 24, seed=1)
        assert len(fake.requests) == 2 + 2
    assert all(json.loads(line) for line in journal.read_text().splitlines()[2:])
