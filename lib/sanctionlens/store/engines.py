"""Where bucket tasks run: in this process, a local process pool, or a Dask cluster."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..errors import ParameterError
from ..pools import mp_context, usable_cores
from .build import BucketResult, BucketTask, run_bucket

ENGINES = ("local", "dask")


def default_jobs() -> int:
    """The cores this process may use."""
    return usable_cores()


def run_local(tasks: Sequence[BucketTask], jobs: int | None = None) -> list[BucketResult]:
    """A process pool of `jobs` workers (one task: in this process)."""
    jobs = jobs or default_jobs()
    if jobs == 1 or len(tasks) <= 1:
        return [run_bucket(t) for t in tasks]
    warm_up(tasks)
    # fork: workers start with the library already imported (a spawn re-imports it, ~5 s)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=mp_context()) as pool:
        return list(pool.map(run_bucket, tasks))


def warm_up(tasks: Sequence[BucketTask]) -> None:
    """Run the stages on one document here, so forked workers inherit the loaded KB, the
    gazetteer and the compiled rules instead of each building them again."""
    from pathlib import Path

    from .files import documents

    for task in tasks:
        for rel in task.extract:
            for doc in documents(Path(task.folder), rel, task.meta, task.fields, []):
                for stage in task.stages:
                    stage.run(doc)
                return


def run_dask(tasks: Sequence[BucketTask], scheduler: Any = None,
             jobs: int | None = None) -> list[BucketResult]:
    """Submit each bucket to a Dask cluster: `scheduler` is an address (tcp://HOST:8786), a
    ``distributed.Client``, or None for a LocalCluster of `jobs` worker processes. Workers
    read the corpus and write the parts themselves: both must be reachable from every
    worker under the same path (a shared folder, or object storage for the store)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ParameterError("--engine dask needs dask.distributed; install the 'scale' extra "
                             "(pip install 'sanctionlens[scale]') or use --engine local") from exc
    if not tasks:
        return []
    if isinstance(scheduler, Client):
        return _gather(scheduler, tasks)
    if scheduler:
        with Client(scheduler) as client:
            return _gather(client, tasks)
    with LocalCluster(n_workers=jobs or default_jobs(), threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        return _gather(client, tasks)


def _gather(client: Any, tasks: Sequence[BucketTask]) -> list[BucketResult]:
    futures = client.map(run_bucket, list(tasks), pure=False)
    return list(client.gather(futures))


def run_tasks(tasks: Sequence[BucketTask], engine: str = "local", jobs: int | None = None,
              scheduler: Any = None) -> list[BucketResult]:
    if engine not in ENGINES:
        raise ParameterError(f"engine {engine!r} is not known; use one of {', '.join(ENGINES)}")
    if jobs is not None and jobs < 1:
        raise ParameterError(f"jobs must be 1 or more, got {jobs}")
    if engine == "dask":
        return run_dask(tasks, scheduler, jobs)
    if scheduler:
        raise ParameterError("--scheduler needs --engine dask")
    return run_local(tasks, jobs)
