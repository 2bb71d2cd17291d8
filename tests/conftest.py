import os
from pathlib import Path

import pytest
import yaml

from adcraft.kernel.settings import PROJECT_DIR, get_settings

pytest_plugins = ["review_fixtures"]  # alice and browser, for the review app's tests

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


def small_campaign(home: Path, name: str, per_segment: int, banner_sizes: list[str] | None = None, **fields) -> Path:
    """campaigns/demo.yaml shrunk for a test run, written under home; returns its path."""
    campaign = yaml.safe_load((PROJECT_DIR / "campaigns" / "demo.yaml").read_text())
    campaign.update(fields)
    campaign["products"]["per_segment"] = per_segment
    if banner_sizes:
        campaign["banners"]["sizes"] = banner_sizes
    path = home / f"{name}.yaml"
    path.write_text(yaml.safe_dump(campaign))
    return path
