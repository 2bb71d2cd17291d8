"""Prefect defaults for a machine with no server: an ephemeral API whose state lives under ADCRAFT_HOME.

Must run before prefect is imported. Values already in the environment win, so `prefect server start`
users (PREFECT_API_URL) and CI can override any of them.
"""

import os
from pathlib import Path

from adcraft.kernel.settings import get_settings


def configure_prefect() -> None:
    home = get_settings().home
    os.environ.setdefault("PREFECT_HOME", str(home / "prefect"))
    # Prefect's SQLite database cannot open a file in a folder that does not exist yet.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    # The first ephemeral server start on a fresh PREFECT_HOME can take longer than the default 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "false")
