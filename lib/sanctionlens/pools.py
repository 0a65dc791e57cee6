"""Process pools shared by the stages: how many cores this process may use, the start method,
workers that leave Ctrl-C to the main process, and an ordered map that cancels cleanly.

Workers ignore SIGINT (a Ctrl-C in the terminal reaches the whole process group; the main
process decides) and, on Linux, die with the main process. When the main process stops
consuming a map (Ctrl-C, an error, or the consumer closes the generator), the queued tasks are
cancelled and the workers ended, so no process outlives the call.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .errors import ParameterError

T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def mp_context() -> Any:
    """"fork" where available (workers start with the library and its data loaded; a spawn
    re-imports it), else "spawn"."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def worker_init() -> None:
    """Run in each pool worker: ignore Ctrl-C, and on Linux die when the main process dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no prctl: the explicit stop still works
            pass


def check_workers(workers: object, name: str = "workers") -> int | None:
    """``workers`` if it is None or a whole number ≥ 1, else a ParameterError saying so."""
    if workers is None or (isinstance(workers, int) and not isinstance(workers, bool)
                           and workers >= 1):
        return workers
    raise ParameterError(f"{name} must be a whole number of processes (1 = in this process, "
                         f"N = N processes) or None (automatic), got {workers!r}")


def ordered_map(func: Callable[[T], R], items: Iterable[T], workers: int,
                in_flight: int | None = None, context: Any = None) -> Iterator[R]:
    """``map(func, items)`` in a pool of ``workers`` processes, results in the order of
    ``items``; at most ``in_flight`` tasks (default 2 × workers) queued at once, so a long
    stream of items is read as the results are consumed. ``context``: a multiprocessing
    context (default :func:`mp_context`)."""
    limit = max(1, in_flight or 2 * workers)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context or mp_context(),
                               initializer=worker_init)
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BaseException:  # Ctrl-C, a failed task, or the consumer closed the generator
        cancel(pool)
        raise
    finally:
        pool.shutdown(wait=True)


def cancel(pool: ProcessPoolExecutor) -> None:
    """Drop the queued tasks and end the workers of ``pool`` now (running tasks included).

    The workers go first; the pool's own thread then sees them gone and ends, and the
    shutdown waits for it (a ``shutdown(wait=False)`` first would leave that thread running
    into the next pool's fork)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    pool.shutdown(wait=True, cancel_futures=True)


# What forked workers of ``map_ranges`` inherit: (function, items); set only around a pool.
_SHARED: tuple[Callable[[list[Any]], Any], list[Any]] | None = None


def map_ranges(func: Callable[[list[T]], R], items: list[T], bounds: list[tuple[int, int]],
               workers: int) -> Iterator[R]:
    """``func(items[a:b])`` for each ``(a, b)`` of ``bounds``, in order, in ``workers``
    processes. Forked workers inherit ``items`` and receive only the bounds; spawned ones
    receive their slice (``func`` must then be a module-level function)."""
    global _SHARED
    context = mp_context()
    if context.get_start_method() != "fork":
        yield from ordered_map(func, (items[a:b] for a, b in bounds), workers, context=context)
        return
    _SHARED = (func, items)
    try:
        yield from ordered_map(_call_on_range, bounds, workers, len(bounds), context)
    finally:
        _SHARED = None


def _call_on_range(bounds: tuple[int, int]) -> Any:
    """In a forked worker: the inherited function on the inherited items ``start:stop``."""
    assert _SHARED is not None, "the worker did not inherit the items"
    func, items = _SHARED
    return func(items[bounds[0]:bounds[1]])


__all__ = ["cancel", "check_workers", "map_ranges", "mp_context", "ordered_map",
           "usable_cores", "worker_init"]
