"""Ctrl-C during a build: the first one asks the build to stop, a second one exits at once.

Kernels started by papermill run in their own session (jupyter_client), so a Ctrl-C in the
terminal never reaches them; `stop_process_trees` ends the pool's workers and everything they
started. Pool workers ignore SIGINT (the main process decides) and, on Linux, die with the
main process, after which their kernels exit by themselves (ipykernel watches its parent).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from ..pools import worker_init  # re-exported: pool workers ignore Ctrl-C

EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a Ctrl-C


class Interrupt:
    """Context manager: while active, the first SIGINT sets ``requested``; the second calls
    ``on_second`` and exits the process with 130 at once (no clean-up, no index)."""

    def __init__(self, on_second: Callable[[], None] = lambda: None) -> None:
        self.requested = False
        self.on_second = on_second
        self._previous: Any = None

    def __enter__(self) -> Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if not self.requested:
            self.requested = True
            return
        try:
            self.on_second()
        finally:
            os._exit(EXIT_INTERRUPTED)


def _tree(pids: Iterable[int]) -> list[Any]:
    import psutil

    procs: dict[int, Any] = {}
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                procs[p.pid] = p
        except psutil.Error:  # already gone
            continue
    return list(procs.values())


def stop_process_trees(pids: Iterable[int], grace: float = 3.0) -> int:
    """Stop the processes ``pids`` and all their descendants (kernels); returns how many.

    The roots are paused first so that none starts a new kernel between the listing and
    the stop; survivors of SIGTERM after ``grace`` seconds get SIGKILL.
    """
    import psutil

    pids = list(pids)
    for p in _tree(pids):
        if p.pid in pids:
            _send(p, signal.SIGSTOP)
    procs = _tree(pids)  # now complete: the paused roots cannot fork
    for p in procs:
        _send(p, signal.SIGTERM)
        if p.pid in pids:
            _send(p, signal.SIGCONT)
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        _send(p, signal.SIGKILL)
    psutil.wait_procs(alive, timeout=grace)
    return len(procs)


def kill_process_trees(pids: Iterable[int]) -> None:
    """SIGKILL ``pids`` and their descendants without waiting (the second Ctrl-C)."""
    for p in _tree(pids):
        _send(p, signal.SIGKILL)


def _send(proc: Any, sig: int) -> None:
    import psutil

    try:
        proc.send_signal(sig)
    except psutil.Error:
        pass


__all__ = ["EXIT_INTERRUPTED", "Interrupt", "kill_process_trees", "stop_process_trees",
           "worker_init"]
