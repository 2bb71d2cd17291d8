"""The one typed settings object. Every value can be set with an ADCRAFT_* environment variable."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PROJECT_DIR / "templates"
WAREHOUSE_DIR = PROJECT_DIR / "warehouse"
QUERIES_DIR = WAREHOUSE_DIR / "queries"
MIGRATIONS_DIR = WAREHOUSE_DIR / "migrations"
MAX_SHARDS = 16
"""Each sharded stage (generation, banners, scoring) makes at most this many task runs, so a nightly run stays
well under 100 task runs whatever its size."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADCRAFT_", extra="ignore")

    home: Path = PROJECT_DIR / "var"
    """Everything generated lives here: warehouse, landing files, models, outputs."""
    warehouse_path: Path | None = None
    """DuckDB file; defaults to HOME/warehouse.duckdb."""
    model_cache: Path | None = None
    """Converted and trained models; defaults to HOME/models."""

    text_model: Path | None = None
    """A local Hugging Face model directory to use instead of the copy model the project ships."""
    text_endpoint: str | None = None
    """An OpenAI-compatible server's base URL (vLLM, llama.cpp, Ollama), e.g. http://gpu-box:8000/v1: copy is
    then generated there, not in-process (docs/operations.md)."""
    text_endpoint_model: str | None = None
    """The model name to ask that server for; None takes the one model it serves."""
    text_endpoint_key_env: str = "ADCRAFT_TEXT_ENDPOINT_KEY"
    """The environment variable that holds the server's API key (sent as a bearer token), never the key."""
    text_endpoint_in_flight: int = Field(8, ge=1, le=256)
    """Requests the server is sent at once: about what it decodes side by side (vLLM: --max-num-seqs)."""
    text_endpoint_timeout_s: float = Field(120.0, gt=0)
    """How long one request may take, waiting in the server's queue included."""
    text_endpoint_retries: int = Field(5, ge=0)
    """Retries of a request after a refused connection, a timeout, HTTP 429 or 5xx, or a malformed reply."""
    text_endpoint_backoff_s: float = Field(1.0, ge=0)
    """The first wait before a retry, doubled after each (a 429's Retry-After is honoured)."""
    text_endpoint_stop: list[str] = ["\n\n"]
    """Stop sequences: copy is one line, so the server stops at a blank line instead of writing on."""
    text_endpoint_params: dict = {}
    """Extra request fields as JSON, e.g. {"top_k": 0}; null drops a field adcraft sends."""
    text_endpoint_copy_model: bool = False
    """True when the server serves the copy model (models/weights/copy-lora): its requests go without worked
    examples, as in-process."""
    corpus_dir: Path | None = None
    """The copy corpus's folder of *.jsonl files (corpus/README.md); defaults to corpus/copy in the project."""
    editor_judge: bool = True
    """False leaves the editor judge out of the gate (models/weights/editor-judge): for a model whose lines the
    judge was not trained on, while a judge for it is trained."""
    banner_illustrations: bool = True
    """False draws the brand motif in the illustration box: no OpenMoji picture, so no credit to carry."""
    image_model: Path | None = None
    """A local diffusers text-to-image pipeline directory to draw banner illustrations (extra: image)."""
    openmoji_csv: Path | None = None
    """OpenMoji's openmoji.csv (captions, subgroups); defaults to the copy `make venv` fetches."""
    device: str = "auto"
    """'auto' picks cuda when there is one, else cpu."""
    generation_batch_size: int = Field(64, ge=1)
    """Prompts per batched model call. On 2 CPU cores 64 writes half as much again per second as 16."""
    seed: int = 7
    task_runner: Literal["thread", "dask"] = "thread"
    """Where a nightly run's shard tasks run: threads in the flow's process, or a Dask cluster (prefect-dask)."""
    dask_address: str | None = None
    """A running Dask scheduler, e.g. tcp://10.0.0.5:8786; None starts a LocalCluster for each run."""
    dask_workers: int = Field(2, ge=1)
    """Process workers of that LocalCluster, one thread each."""
    shards: int | None = Field(None, ge=1, le=MAX_SHARDS)
    """Pieces that generation, banner rendering and scoring are each split into; defaults to
    ADCRAFT_DASK_WORKERS under Dask, else 1."""
    validation_sample_rows: int = 200_000
    """Great Expectations checks loads larger than this on a random sample of this many rows (it validates
    in memory); the SQL quarantine and the pass/fail decision always cover every row."""

    duckdb_memory_limit: str = "3GB"
    """DuckDB spills to disk past this, so loading millions of rows stays within a small machine's memory."""
    lock_timeout_s: float = 120.0
    """How long to wait for another process's DuckDB write lock before giving up."""
    review_url: str = "http://127.0.0.1:8000"
    """Where the review app (`adcraft review`) is reached; run summaries link to its batch pages."""
    review_users_file: Path | None = None
    """The review app's users, their roles and password hashes; defaults to HOME/reviewers.yaml."""
    review_secret_key: str | None = None
    """Signs the review app's session cookies; defaults to a random key kept in HOME/review_secret.key."""
    review_session_hours: float = 8.0
    """A review app login lasts this long."""
    review_secure_cookies: bool = False
    """True sends the session cookie over HTTPS only: set it when the review app is behind TLS."""

    @property
    def warehouse(self) -> Path:
        return self.warehouse_path or self.home / "warehouse.duckdb"

    @property
    def corpus_path(self) -> Path:
        return self.corpus_dir or PROJECT_DIR / "corpus" / "copy"

    @property
    def models_dir(self) -> Path:
        return self.model_cache or self.home / "models"

    @property
    def openmoji_path(self) -> Path:
        return self.openmoji_csv or PROJECT_DIR / ".cache" / "openmoji" / "openmoji.csv"

    @property
    def review_users_path(self) -> Path:
        return self.review_users_file or self.home / "reviewers.yaml"

    @property
    def shard_count(self) -> int:
        if self.shards is not None:
            return self.shards
        return min(self.dask_workers, MAX_SHARDS) if self.task_runner == "dask" else 1

    @property
    def results_dir(self) -> Path:
        """Prefect's persisted task results, which hold the generation cache."""
        return self.home / "results"

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def publish_dir(self) -> Path:
        return self.home / "publish"

    @property
    def banners_dir(self) -> Path:
        return self.home / "banners"


@lru_cache
def get_settings() -> Settings:
    return Settings()
