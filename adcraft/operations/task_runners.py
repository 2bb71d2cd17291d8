"""Where a nightly run's shard tasks run, and how a stage cuts its work into shards.

ADCRAFT_TASK_RUNNER=thread (the default) runs them on threads in the flow's process; `dask` runs them on a
Dask cluster through prefect-dask: the scheduler at ADCRAFT_DASK_ADDRESS, else a LocalCluster of
ADCRAFT_DASK_WORKERS processes started for the run. A sharded stage reads its inputs from the warehouse, maps
a pure task over the shards and writes what they return itself, so DuckDB keeps one writer.
"""

import os
from collections.abc import Iterator

from prefect import Task
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import unmapped

from adcraft.kernel.settings import get_settings


def task_runner() -> TaskRunner:
    """The task runner the settings ask for."""
    settings = get_settings()
    if settings.task_runner == "thread":
        return ThreadPoolTaskRunner()
    # distributed logs every worker's start at INFO; worker processes read this from their environment.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_class=local_cluster, cluster_kwargs={
        "n_workers": settings.dask_workers, "processes": True, "threads_per_worker": 1, "dashboard_address": ":0",
    })


def local_cluster(**kwargs):
    """A LocalCluster whose workers report to this process's Prefect API. Without a server that is the
    ephemeral API the flow run started; a worker not told its address would start one of its own."""
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()
    if not api_url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()  # returns at once: the flow run started it
        api_url = server.api_url
    return LocalCluster(env={"PREFECT_API_URL": api_url}, **kwargs)


def split(groups: list[list], shards: int) -> list[list]:
    """The groups' items in at most `shards` pieces of about equal size, in order, never splitting a group and
    never empty. The cut depends only on the items, so the same work is always cut the same way."""
    total = sum(len(group) for group in groups)
    pieces: dict[int, list] = {}
    start = 0
    for group in groups:
        if group:
            # The piece its middle item falls in: (start + (len - 1) / 2) * shards / total, in integers.
            pieces.setdefault((2 * start + len(group) - 1) * shards // (2 * total), []).extend(group)
            start += len(group)
    return list(pieces.values())


def map_shards(task: Task, shards: list, **common) -> Iterator:
    """`task(shard, **common)` for every shard on the flow's task runner, yielding the results in shard order.
    Outside a flow run (a test calling a stage's .fn) the shards run here, one after another."""
    if FlowRunContext.get() is None:
        return (task.fn(shard, **common) for shard in shards)
    futures = task.map(shards, **{name: unmapped(value) for name, value in common.items()})
    return (future.result() for future in futures)
