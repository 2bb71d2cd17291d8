import os
from pathlib import Path

import pytest

from adcraft.settings import PROJECT_DIR, get_settings

# Converted models are cached across test runs, so only the first run pays for the conversion.
os.environ.setdefault("ADCRAFT_MODEL_CACHE", str(PROJECT_DIR / ".cache" / "models"))


@pytest.fixture
def adcraft_home(tmp_path, monkeypatch) -> Path:
    """A fresh ADCRAFT_HOME (warehouse, landing, outputs) for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("ADCRAFT_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()
