import os
from pathlib import Path

import pytest

from adcraft.settings import PROJECT_DIR, get_settings

# Converted models and Prefect's state are cached across test runs, so only the first run pays for the
# model conversion (about 25 s) and a fresh Prefect database (about 40 s). Set before prefect is imported.
CACHE = PROJECT_DIR / ".cache"
os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(CACHE / "models"))
os.environ.setdefault("PREFECT_HOME", str(CACHE / "prefect"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect's SQLite won't create it
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# At INFO, Prefect logs "Stopping temporary server" after pytest has closed its streams.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture
def adcraft_home(tmp_path, monkeypatch) -> Path:
    """A fresh ADCRAFT_HOME (warehouse, landing, outputs) for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("ADCRAFT_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()
