"""Importing a slow module ahead of need, on another thread. Great Expectations takes seconds of CPU to import,
and validation waits for it, so ingest starts the import as soon as one entity is landed, while
a larger export may still be landing. Python's import lock makes a later import of the module wait for it."""

import importlib
import threading


def import_in_background(module: str) -> None:
    """Start importing a module on another thread. A failure is left to the import that needs the module,
    which raises it again where it can be reported."""

    def run():
        try:
            importlib.import_module(module)
        except Exception:
            pass

    threading.Thread(target=run, name=f"import-{module}", daemon=True).start()
