"""Progress for long work: a bar in the terminal and, inside a Prefect run, a progress artifact."""

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import get_run_context
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def _in_prefect_run() -> bool:
    try:
        get_run_context()
    except Exception:  # outside any flow or task run
        return False
    return True


class StageProgress:
    def __init__(self, description: str, total: int):
        self.total = max(total, 1)
        self.done = 0
        self.shown = 0
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            transient=True,
        )
        self.task_id = self.bar.add_task(description, total=self.total)
        self.artifact_id = (
            create_progress_artifact(progress=0.0, description=description) if _in_prefect_run() else None
        )

    def __enter__(self):
        self.bar.start()
        return self

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self.bar.update(self.task_id, completed=self.done)
        percent = int(100 * self.done / self.total)
        # One API call per whole percent: work that advances a step at a time (a server's replies) calls often.
        if self.artifact_id is not None and percent != self.shown:
            self.shown = percent
            update_progress_artifact(self.artifact_id, progress=float(percent))

    def __exit__(self, *exc):
        self.bar.stop()
