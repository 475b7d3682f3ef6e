"""How much parallel work this machine can take, and starting it without failing.

A small CI runner may have few cores, little memory, or a cap on address space
(``ulimit -v``); a registry must still validate and build there. Worker counts are
bounded by what the machine has, and where a thread or process cannot be started
the work goes on with fewer, down to none.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import cache
from typing import Any

# What one worker process is assumed to need beyond what it shares with its parent.
WORKER_MEMORY = 128 * 1024 * 1024
# Stack for a helper thread that only waits on the disk; the default is 8 MiB.
THREAD_STACK = 256 * 1024


def cpus() -> int:
    """The cores this process may run on (a container or taskset can allow fewer
    than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def worker_processes(cap: int) -> int:
    """How many worker processes to start: one per core, at most ``cap``, and no more
    than the free memory holds."""
    workers = min(cpus(), cap)
    memory = _available_memory()
    if memory is not None:
        workers = min(workers, max(1, memory // WORKER_MEMORY))
    return max(1, workers)


def parallel_map(function: Callable[[Any], Any], items: Sequence[Any],
                 min_items: int = 200) -> list[Any]:
    """``[function(i) for i in items]``, in a pool of forked worker processes when
    there are at least ``min_items`` and more than one core; in this process when
    there are fewer, or when the machine cannot start the pool (a memory or process
    limit). ``function`` must be a module-level function; its results are pickled."""
    workers = worker_processes(8)
    if len(items) < min_items or workers < 2:
        return [function(item) for item in items]
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [function(item) for item in items]
    chunk = max(16, len(items) // (workers * 8))
    limit_malloc_arenas()
    try:
        pool = context.Pool(workers)
    except (OSError, RuntimeError, MemoryError):
        # Workers the pool did start are daemons, ended when this process exits.
        return [function(item) for item in items]
    with pool:
        return pool.map(function, items, chunksize=chunk)


@cache
def limit_malloc_arenas() -> None:
    """Under a cap on address space, keep glibc from reserving 64 MiB of it for each
    thread that allocates memory (its per-thread "arenas"): with a dozen threads
    that alone exhausts a 1 GiB ``ulimit -v``. A no-op without a cap or glibc."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return
    if soft == resource.RLIM_INFINITY:
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_arena_max = -8  # from glibc's malloc.h
    mallopt(m_arena_max, 2)


class ThreadPool:
    """A few threads running small tasks, as many as could be started (at most
    ``size``). With none, each task runs at once in the caller's thread: slower,
    but the work gets done. Threads get a small stack, since they only wait on I/O."""

    def __init__(self, size: int) -> None:
        limit_malloc_arenas()
        self._tasks: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None]
        self._tasks = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        try:
            previous = threading.stack_size(THREAD_STACK)
        except (ValueError, RuntimeError):
            previous = None
        try:
            for _ in range(size):
                thread = threading.Thread(target=self._work, daemon=True)
                try:
                    thread.start()
                except RuntimeError:  # "can't start new thread": make do with fewer
                    break
                self._threads.append(thread)
        finally:
            if previous is not None:
                threading.stack_size(previous)

    @property
    def size(self) -> int:
        return len(self._threads)

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, function, args = task
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(function(*args))
                except BaseException as error:  # noqa: BLE001 - handed to the waiter
                    future.set_exception(error)

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if not self._threads:
            try:
                future.set_result(function(*args))
            except Exception as error:  # noqa: BLE001 - handed to the waiter
                future.set_exception(error)
            return future
        self._tasks.put((future, function, args))
        return future

    def shutdown(self) -> None:
        """Let every queued task finish, then stop the threads."""
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()
        self._threads = []

    def __enter__(self) -> ThreadPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.shutdown()
