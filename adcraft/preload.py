"""Importing a slow module ahead of need, on another thread. Great Expectations takes seconds of CPU to import
(3-4 s here), and validation waits for it, so ingest starts the import as soon as one entity is landed, while
a larger export may still be landing. Python's import lock makes a later import of the module wait for it."""

import importlib
import threading
from concurrent.futures import Future


def import_in_background(module: str) -> Future:
    """Start importing a module on another thread; the future's result is the module."""
    future: Future = Future()

    def run():
        try:
            future.set_result(importlib.import_module(module))
        except BaseException as exc:  # handed to whoever waits for it
            future.set_exception(exc)

    threading.Thread(target=run, name=f"import-{module}", daemon=True).start()
    return future
