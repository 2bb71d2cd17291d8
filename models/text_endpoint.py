"""Generation on an OpenAI-compatible server (vLLM, llama.cpp's server, Ollama, TGI): POST
{ADCRAFT_TEXT_ENDPOINT}/chat/completions, with TextGenerator's interface (models/text_backend.py).

Each distinct chat of a call is one request, asking for `n` choices where best-of-N repeats it; a server that
gives fewer (or refuses `n`) is asked again for the rest, one seed each. Requests carry a seed, the sampling of
models/sampling.py (the repetition penalty under vLLM's name and llama.cpp's) and stop sequences. At most
`in_flight` requests are out at once. A refused connection, a timeout, HTTP 429 or 5xx, or a reply that is no
chat completion is retried after backoff_s, then twice that, and so on (a 429's Retry-After is honoured); any
other 4xx fails at once with the server's words. With a journal, each reply is appended to it as it arrives and
is read back instead of being asked again: a run that stopped half-way (the server died) is re-run without
repeating what was done.

The API key is read from its environment variable and only ever sent as a header: no version, message, journal
or log holds it.
"""

import hashlib
import json
import os
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from adcraft.kernel.errors import TextEndpointError, TextEndpointUnreachable
from models.sampling import SamplingConfig

RETRY_AFTER_CAP_S = 60.0
VERSIONED_FIELDS = ("id", "owned_by", "root", "parent", "max_model_len", "meta")
"""What a /models entry says about the weights. Other fields (created, permission ids) change on every call."""


@dataclass(frozen=True)
class Endpoint:
    """Where the server is and how to talk to it (ADCRAFT_TEXT_ENDPOINT_*)."""

    url: str
    model: str | None = None
    key_env: str = "ADCRAFT_TEXT_ENDPOINT_KEY"
    in_flight: int = 8
    timeout_s: float = 120.0
    retries: int = 5
    backoff_s: float = 1.0
    stop: tuple[str, ...] = ("\n\n",)
    params: str = "{}"
    """Extra request fields, a JSON object (kept as text, so the endpoint stays hashable)."""

    @classmethod
    def from_settings(cls, settings) -> "Endpoint | None":
        if not settings.text_endpoint:
            return None
        return cls(settings.text_endpoint.rstrip("/"), settings.text_endpoint_model, settings.text_endpoint_key_env,
                   settings.text_endpoint_in_flight, settings.text_endpoint_timeout_s, settings.text_endpoint_retries,
                   settings.text_endpoint_backoff_s, tuple(settings.text_endpoint_stop),
                   json.dumps(settings.text_endpoint_params, sort_keys=True))

    @property
    def shown(self) -> str:
        """The URL without any user or password in it: what messages and the registry show."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def derived_seed(seed: int, *parts: object) -> int:
    """A seed for one request of a call, below 2**31 as every server takes."""
    key = "|".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") & 0x7FFFFFFF


class Journal:
    """One batch's replies, a JSON line each ({"key", "texts"}), flushed to disk as they arrive. A line a crash
    cut short is skipped when read back."""

    def __init__(self, path: Path):
        self.path, self.lock, self.replies = path, threading.Lock(), {}
        if path.exists():
            text = path.read_text()
            for line in text.splitlines():
                try:
                    entry = json.loads(line)
                    self.replies[entry["key"]] = [str(t) for t in entry["texts"]]
                except (ValueError, KeyError, TypeError):
                    continue
            if text and not text.endswith("\n"):  # so the next line does not glue onto the cut one
                with path.open("a") as fh:
                    fh.write("\n")

    def get(self, key: str) -> list[str] | None:
        return self.replies.get(key)

    def add(self, key: str, texts: list[str]) -> None:
        with self.lock:
            self.replies[key] = texts
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as fh:
                fh.write(json.dumps({"key": key, "texts": texts}) + "\n")
                fh.flush()
                os.fsync(fh.fileno())


class _Refused(Exception):
    """A 4xx other than 429: asking again would not help."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class _Malformed(ValueError):
    pass


class _Cancelled(Exception):
    """Another request of the call failed for good: stop retrying this one."""


def _said(response: httpx.Response) -> str:
    """What the server said, short: an OpenAI-style error message, FastAPI's detail, or the start of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        said = error.get("message") if isinstance(error, dict) else error or body.get("detail") or body.get("message")
        if said:
            return str(said)[:300]
    return response.text.strip()[:300] or "(an empty body)"


def _choices(response: httpx.Response) -> list[str]:
    """The texts of a chat completion's choices, by index."""
    try:
        body = response.json()
    except ValueError:
        raise _Malformed(f"not JSON: {response.text[:200]!r}") from None
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices:
        raise _Malformed(f"no choices in {json.dumps(body)[:200]}")
    texts = []
    for choice in sorted(choices, key=lambda c: c.get("index", 0) if isinstance(c, dict) else 0):
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict) or "content" not in message or not isinstance(message["content"], str | None):
            raise _Malformed(f"a choice without a message's text: {json.dumps(choice)[:200]}")
        texts.append(message["content"] or "")  # null content: the model wrote nothing
    return texts


def _models(response: httpx.Response) -> list[dict]:
    try:
        data = response.json().get("data")
    except (ValueError, AttributeError):
        data = None
    if not isinstance(data, list) or not all(isinstance(m, dict) and isinstance(m.get("id"), str) for m in data):
        raise _Malformed(f"no model list: {response.text[:200]!r}")
    return data


class EndpointGenerator:
    """Chat generation on the server: finds the model it serves (a clear error naming the models it has when it
    serves no such one) and names it as version: the model's id and a hash of the endpoint's settings."""

    def __init__(self, endpoint: Endpoint, journal: Path | None = None, warn: Callable[[str], None] | None = None):
        self.endpoint, self.warn = endpoint, warn
        key = os.environ.get(endpoint.key_env)
        self.client = httpx.Client(
            base_url=endpoint.url + "/", headers={"Authorization": f"Bearer {key}"} if key else {},
            timeout=httpx.Timeout(endpoint.timeout_s, connect=min(endpoint.timeout_s, 10.0)),
            limits=httpx.Limits(max_connections=endpoint.in_flight))
        self._stop = threading.Event()
        self.n_supported = True
        served = self.served_models()
        if served is None and endpoint.model is None:
            raise TextEndpointError(f"The text endpoint {endpoint.shown} does not list its models (GET /models: "
                                    "404): set ADCRAFT_TEXT_ENDPOINT_MODEL to the name it serves.")
        entry = self._pick(served) if served is not None else {"id": endpoint.model}
        self.model = entry["id"]
        # Not the URL: the same model behind another address (a restarted server) writes the same way.
        settings = {"model": {k: entry[k] for k in VERSIONED_FIELDS if k in entry}, "stop": endpoint.stop,
                    "params": json.loads(endpoint.params)}
        digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:10]
        self.version = f"{self.model}@endpoint-{digest}"
        self.journal = Journal(journal) if journal is not None else None

    def served_models(self) -> list[dict] | None:
        """The server's models (GET /models); None when it has no such route."""
        try:
            return self._call("GET", "models", None, _models, "list its models")
        except _Refused as refused:
            if refused.status == 404:
                return None
            raise self._explained(refused, "models") from None

    def generate(self, conversations: list[list[dict]], max_new_tokens: int, seed: int,
                 sampling: SamplingConfig = SamplingConfig()) -> list[str]:
        return self.generate_many([(conversations, max_new_tokens, seed)], sampling)[0]

    def generate_many(self, calls: list[tuple[list[list[dict]], int, int]], sampling: SamplingConfig = SamplingConfig(),
                      on_reply: Callable[[int], None] | None = None) -> list[list[str]]:
        """generate() for several calls (conversations, max_new_tokens, seed) with all their requests queued at
        once, so the server is not left waiting on one call's last reply. on_reply(rows) is called here, in the
        caller's thread, as each request's replies arrive."""
        outputs = [[""] * len(conversations) for conversations, _, _ in calls]
        requests = []
        for call, (conversations, max_new_tokens, seed) in enumerate(calls):
            rows: dict[str, list[int]] = {}
            for row, conversation in enumerate(conversations):
                rows.setdefault(json.dumps(conversation, sort_keys=True), []).append(row)
            requests += [(call, where, conversations[where[0]], max_new_tokens, derived_seed(seed, distinct))
                         for distinct, where in enumerate(rows.values())]
        self._stop.clear()
        with ThreadPoolExecutor(self.endpoint.in_flight, thread_name_prefix="text-endpoint") as pool:
            futures = {pool.submit(self._complete, messages, len(where), tokens, seed, sampling): (call, where)
                       for call, where, messages, tokens, seed in requests}
            try:
                for future in as_completed(futures):
                    call, where = futures[future]
                    for row, text in zip(where, future.result(), strict=True):
                        outputs[call][row] = text
                    if on_reply is not None:
                        on_reply(len(where))
            except BaseException:
                self._stop.set()  # requests still waiting or retrying give up, their replies are journalled
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return outputs

    def _complete(self, messages: list[dict], k: int, max_tokens: int, seed: int,
                  sampling: SamplingConfig) -> list[str]:
        """k replies to one chat: one request for n=k, then one per missing reply where the server gave fewer.
        They are journalled together, under the chat and its seed, however many requests they took."""
        payload = self._payload(messages, max_tokens, seed, sampling)
        key = hashlib.sha256(json.dumps([self.version, payload, k], sort_keys=True).encode()).hexdigest()
        if self.journal is not None and (texts := self.journal.get(key)) is not None:
            return texts
        texts = self._ask(payload | {"n": k}) if k > 1 and self.n_supported else []
        if len(texts) < k and k > 1:
            self.n_supported = False  # later chats go one request per reply from the start
        while len(texts) < k:
            texts += self._ask(payload | {"seed": derived_seed(seed, len(texts))} if texts else payload)[:1]
        if self.journal is not None:
            self.journal.add(key, texts[:k])
        return texts[:k]

    def _payload(self, messages: list[dict], max_tokens: int, seed: int, sampling: SamplingConfig) -> dict:
        payload = {"model": self.model, "messages": messages, "max_tokens": max_tokens, "seed": seed,
                   "temperature": sampling.temperature, "top_p": sampling.top_p,
                   # vLLM's name and llama.cpp's; a server ignores the one it does not know.
                   "repetition_penalty": sampling.repetition_penalty, "repeat_penalty": sampling.repetition_penalty}
        if self.endpoint.stop:
            payload["stop"] = list(self.endpoint.stop)
        for name, value in json.loads(self.endpoint.params).items():
            if value is None:
                payload.pop(name, None)
            else:
                payload[name] = value
        return payload

    def _ask(self, payload: dict) -> list[str]:
        try:
            return self._call("POST", "chat/completions", payload, _choices, "write copy")
        except _Refused as refused:
            if payload.get("n", 1) > 1 and refused.status in (400, 422):  # a server that takes one choice a request
                return []
            raise self._explained(refused, "chat/completions") from None

    def _call(self, method: str, path: str, payload: dict | None, parse: Callable, doing: str):
        """One request, retried on what may pass (refused or dropped connections, timeouts, 429, 5xx, malformed
        replies); its parsed reply."""
        reason, malformed = "", False
        for attempt in range(self.endpoint.retries + 1):
            if self._stop.is_set():
                raise _Cancelled
            wait = self.endpoint.backoff_s * 2 ** attempt * random.uniform(0.8, 1.2)
            try:
                response = self.client.request(method, path, json=payload)
            except httpx.TimeoutException:
                reason, malformed = f"no reply within {self.endpoint.timeout_s:g} s", False
            except httpx.TransportError as exc:
                reason, malformed = f"{type(exc).__name__}: {exc}", False
            else:
                status = response.status_code
                if status == 429 or status >= 500:
                    reason, malformed = f"HTTP {status}: {_said(response)}", False
                    wait = max(wait, _retry_after(response))
                elif status >= 400:
                    raise _Refused(status, _said(response))
                else:
                    try:
                        return parse(response)
                    except _Malformed as exc:
                        reason, malformed = f"a malformed reply ({exc})", True
            if attempt == self.endpoint.retries:
                break
            if self.warn is not None:
                self.warn(f"The text endpoint {self.endpoint.shown}: {path} failed ({reason}); retry "
                          f"{attempt + 1} of {self.endpoint.retries} in {wait:.1f} s")
            if self._stop.wait(wait):
                raise _Cancelled
        tries = f"{self.endpoint.retries + 1} tries"
        if malformed:
            raise TextEndpointError(
                f"The text endpoint {self.endpoint.shown} did not {doing}: {path} sent {reason} in {tries}. Is it an "
                "OpenAI-compatible server (its base URL usually ends in /v1)? Fix ADCRAFT_TEXT_ENDPOINT or the server.")
        busy = (" If it is busy rather than down, send fewer requests at once (ADCRAFT_TEXT_ENDPOINT_IN_FLIGHT) or "
                "wait longer (ADCRAFT_TEXT_ENDPOINT_TIMEOUT_S).") if "no reply within" in reason else ""
        raise TextEndpointUnreachable(
            f"The text endpoint {self.endpoint.shown} did not {doing}: {path} failed {tries} ({reason}). Start or "
            "fix the server, or unset ADCRAFT_TEXT_ENDPOINT to generate in-process; re-running the batch then sends "
            f"only the requests not yet answered.{busy}")

    def _pick(self, served: list[dict]) -> dict:
        names = ", ".join(m["id"] for m in served) or "none"
        wanted = self.endpoint.model
        if wanted is None and len(served) == 1:
            return served[0]
        for entry in served:
            if entry["id"] == wanted:
                return entry
        problem = f"serves no model named '{wanted}'" if wanted else f"serves {len(served)} models"
        raise TextEndpointError(f"The text endpoint {self.endpoint.shown} {problem}; its models: {names}. Set "
                                "ADCRAFT_TEXT_ENDPOINT_MODEL to one of them.")

    def _explained(self, refused: _Refused, path: str) -> TextEndpointError:
        said = f"The text endpoint {self.endpoint.shown} refused {path} (HTTP {refused.status}): {refused.message}."
        if refused.status in (401, 403):
            sent = "a key" if os.environ.get(self.endpoint.key_env) else "no key"
            return TextEndpointError(f"{said} It was sent {sent}: put the key it takes in ${self.endpoint.key_env} "
                                     "(ADCRAFT_TEXT_ENDPOINT_KEY_ENV names another variable).")
        if refused.status == 404 and path != "models":
            served = self.served_models() or []
            return TextEndpointError(f"{said} Its models: {', '.join(m['id'] for m in served) or 'none listed'}; "
                                     "set ADCRAFT_TEXT_ENDPOINT_MODEL to one of them.")
        return TextEndpointError(f"{said} Check ADCRAFT_TEXT_ENDPOINT_PARAMS and the server's version.")


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(float(response.headers.get("retry-after", 0)), RETRY_AFTER_CAP_S)
    except ValueError:  # an HTTP date: the doubling wait will do
        return 0.0
