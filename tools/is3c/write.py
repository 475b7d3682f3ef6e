"""Put a build's files in place completely, or leave the previous output as it was.

Files are written to a fresh folder beside the output, synced to disk, checksummed,
and only then moved in with renames on the same file system: the whole folder at
once for a first build, or, when the last build into the same folder is known, only
the files whose bytes changed, one by one, with every file they replace kept aside
until the end. Whatever fails on the way (a full disk, a bug, Ctrl-C) removes the
temporary folder, puts back what was set aside, and leaves the previous output as it
was. A build that is killed cannot clean up; the next build beside the same output
undoes and removes what it left (only that: each staging folder has a lock file that
its build holds while it runs). While files are moved in one by one, a reader of the
folder may see some new files beside old ones for a moment, as with any static site
generator that writes in place.

A large build is made in worker processes, one per core: each makes its share of
the files (``render.Files`` makes a file when it is looked up), writes it straight
into the temporary folder and sends back only its checksum, so no process ever
holds the whole build. Processes and threads are bounded by what the machine has
(``machine.py``); where they cannot be started, the build goes on with fewer.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import shutil
import signal
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from is3c import store
from is3c.findings import safe_path
from is3c.machine import ThreadPool, cpus, worker_processes
from is3c.render import CHECKSUMS, Files

try:
    import fcntl
except ImportError:  # not POSIX: builds are still atomic, stale folders stay
    fcntl = None  # type: ignore[assignment]

# Below this many files to make, or this much work (the files' weights: roughly the
# entries they show), worker processes cost more than they save.
PARALLEL_MIN_FILES = 200
PARALLEL_MIN_WEIGHT = 2000
# Light files (a page each) go to the workers in batches of about this weight.
BATCH_WEIGHT = 64
# fsync mostly waits for the disk, and the disk takes many at once; a few threads
# per core, at most this many.
SYNC_THREADS = 16
SYNC_BATCH = 16  # files or folders per task of a sync thread
# "No room": a full disk, a full quota, or a file size limit (ulimit -f).
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class OutputError(Exception):
    """The output cannot be written: the folder cannot be used (it is a file, or
    holds something else), or writing failed (a full disk, no permission)."""


def checksums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum -c`` format, sorted by path, so it reads the same on every run."""
    return _checksum_lines({path: hashlib.sha256(files[path]).hexdigest() for path in files})


def _checksum_lines(digests: Mapping[str, str]) -> bytes:
    return "".join(f"{digests[path]}  {path}\n" for path in sorted(digests)).encode("utf-8")


def _check_path(path: str) -> tuple[str, ...]:
    parts = tuple(path.split("/"))
    if any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return parts


def _check_target(out: Path) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{safe_path(str(out))} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / CHECKSUMS).is_file():
        # Replacing it would delete whatever it holds: only take over earlier builds.
        raise OutputError(
            f"{safe_path(str(out))} is not empty and holds no earlier build (no {CHECKSUMS}); "
            "choose a new or empty folder"
        )


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_all(paths: list[Path]) -> None:
    for path in paths:
        _fsync(path)


class _Syncer:
    """Puts the staging folder on disk as it fills: each file once it is written,
    each folder once everything in it is, by a pool of threads, a few per task."""

    def __init__(self, pool: ThreadPool, staging: Path, paths: Iterable[str]) -> None:
        self.pool = pool
        self.staging = staging
        self.pending: list[Future[None]] = []
        # Entries of each folder still to be written; a folder counts once complete.
        self.left: Counter[tuple[str, ...]] = Counter()
        folders: set[tuple[str, ...]] = set()
        for parts in map(_check_path, paths):
            self.left[parts[:-1]] += 1
            folders.update(parts[:depth] for depth in range(1, len(parts)))
        for folder in folders:
            self.left[folder[:-1]] += 1

    def written(self, paths: Iterable[str]) -> None:
        ready = []
        for path in paths:
            parts = tuple(path.split("/"))
            ready.append(self.staging.joinpath(*parts))
            folder = parts[:-1]
            self.left[folder] -= 1
            while self.left[folder] == 0:
                ready.append(self.staging.joinpath(*folder))
                if not folder:
                    break
                folder = folder[:-1]
                self.left[folder] -= 1
        for start in range(0, len(ready), SYNC_BATCH):
            self.pending.append(self.pool.submit(_fsync_all, ready[start:start + SYNC_BATCH]))

    def wait(self) -> None:
        """Until everything is on disk; raises the first failure."""
        for future in self.pending:
            future.result()
        self.pending = []
        if any(self.left.values()):
            raise RuntimeError("a file was never written")  # a bug in the writer


def _pieces(files: Mapping[str, bytes], path: str) -> Iterable[bytes]:
    return files.pieces(path) if isinstance(files, Files) else (files[path],)


def _write_one(staging: Path, path: str, pieces: Iterable[bytes]) -> str:
    """Write one file into the staging folder, piece by piece; returns its SHA-256.
    (Files are synced to disk together, later.)"""
    target = staging.joinpath(*_check_path(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(target, "xb") as handle:
        for piece in pieces:
            handle.write(piece)
            digest.update(piece)
    return digest.hexdigest()


# path -> [key or None, sha256, size, mtime_ns]: what a build wrote, so that the next
# build into the same folder can tell which files it may keep (see ``update_tree``).
Manifest = dict[str, list[Any]]


@dataclass(frozen=True)
class Outcome:
    count: int  # files in the output, SHA256SUMS included
    rebuilt: int  # files written: new or changed, SHA256SUMS included when it changed
    manifest: Manifest  # for the next build into the same folder


def write_tree(files: Mapping[str, bytes], out: Path, workers: int | None = None,
               progress: Callable[[str], None] | None = None) -> int:
    """Replace ``out`` with exactly ``files`` plus SHA256SUMS; returns the file count."""
    return update_tree(files, out, None, workers, progress).count


def update_tree(files: Mapping[str, bytes], out: Path, previous: Manifest | None,
                workers: int | None = None,
                progress: Callable[[str], None] | None = None) -> Outcome:
    """Make ``out`` hold exactly ``files`` plus SHA256SUMS, or leave it as it was.

    Without ``previous`` (what the last build wrote into ``out``, as its Outcome
    said) the files are written to a new folder that then replaces ``out``. With it,
    a file whose key (``Files.key``) is unchanged is kept without being made, the
    other files are made and compared, and only those that differ are moved into
    ``out``, the replaced ones kept aside until the end so that a failure, or a
    build killed halfway, puts them back (see ``_roll_back``).

    ``workers``: processes that make and write the files; by default one per core
    (at most 8, and as many as the free memory holds) when there are many files,
    else none (all made in this process)."""
    _check_target(out)
    if CHECKSUMS in files:
        raise ValueError(f"a renderer wrote {CHECKSUMS} itself")
    paths = sorted(files)
    for path in paths:
        _check_path(path)  # before anything is written
    had_build = out.is_dir()
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # First what killed builds left, which may put files of ``out`` back.
        _remove_stale(parent, out.absolute())
    except OSError as error:
        raise _write_error(error, out, had_build) from error
    if previous is not None and not (had_build and _intact(out, CHECKSUMS, previous)):
        previous = None  # the folder is not what the last build left: write it whole
    keep: dict[str, str] = {}  # path -> digest, for files kept as they are
    if previous is not None:
        for path in paths:
            key = files.key(path) if isinstance(files, Files) else None
            if key is not None and path in previous and previous[path][0] == key \
                    and _intact(out, path, previous):
                keep[path] = previous[path][1]
    made = [path for path in paths if path not in keep]
    if workers is None:
        weight = files.weight if isinstance(files, Files) else (lambda path: 1)
        # A rebuild makes few files, but a list of 10,000 entries is much work.
        big = len(made) >= PARALLEL_MIN_FILES or sum(map(weight, made)) >= PARALLEL_MIN_WEIGHT
        workers = worker_processes(8) if big else 0
    try:
        staging, lock = _stage(parent, out.name)
    except OSError as error:
        raise _write_error(error, out, had_build) from error
    try:
        # Every file and folder is on disk before the swap makes any of them visible;
        # most are synced while the others are still being made.
        with ThreadPool(min(SYNC_THREADS, 4 * cpus())) as pool:
            syncer = _Syncer(pool, staging, [*made, CHECKSUMS])
            digests = None
            if workers > 0 and _can_fork():
                digests = _make_in_workers(files, made, staging, workers, syncer.written,
                                           progress)
            if digests is None:
                digests = {path: _write_one(staging, path, _pieces(files, path)) for path in made}
                _flush_store()
                syncer.written(made)
            sums = _checksum_lines({**keep, **digests})
            _write_one(staging, CHECKSUMS, (sums,))
            syncer.written([CHECKSUMS])
            if progress:
                progress("syncing to disk")
            syncer.wait()
        if previous is None:
            staging.chmod(0o755)  # mkdtemp makes it private; the output is for everyone
            _swap(staging, out.absolute())
            _fsync(parent)
            digests[CHECKSUMS] = hashlib.sha256(sums).hexdigest()
            manifest = _manifest(out, files, digests, {}, None)
            rebuilt = len(paths) + 1
        else:
            changed = [p for p in made
                       if not (p in previous and previous[p][1] == digests[p] and _intact(out, p, previous))]
            # What the last build wrote and this one does not, and whatever else
            # got into the folder since.
            removed = sorted((set(previous) | set(_others(out, previous))) - set(paths) - {CHECKSUMS})
            digests[CHECKSUMS] = hashlib.sha256(sums).hexdigest()
            if digests[CHECKSUMS] != previous[CHECKSUMS][1]:
                changed.append(CHECKSUMS)
            if changed or removed:
                _commit(staging, out.absolute(), changed, removed)
            rebuilt = len(changed)
            manifest = _manifest(out, files, digests, previous, changed)
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        _release(lock)
        cause = _os_error_in(error)
        if cause is not None:
            raise _write_error(cause, out, had_build) from error
        if type(error).__name__ == "BrokenProcessPool":
            raise OutputError(
                "a worker process stopped while making the files (out of memory?); "
                + _kept(out, had_build)
            ) from error
        raise
    _release(lock)
    return Outcome(len(paths) + 1, rebuilt, manifest)


def _stat(out: Path, path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(out.joinpath(*path.split("/")), follow_symlinks=False)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


def _intact(out: Path, path: str, previous: Manifest) -> bool:
    """The file is still the one the last build wrote (same size and time)."""
    return path in previous and _stat(out, path) == tuple(previous[path][2:4])


def _others(out: Path, previous: Manifest) -> list[str]:
    """Files in ``out`` that the last build did not write."""
    found = []
    for top, _dirs, names in os.walk(out):
        folder = os.path.relpath(top, out)
        for name in names:
            path = name if folder == "." else f"{folder}/{name}".replace(os.sep, "/")
            if path not in previous:
                found.append(path)
    return found


def unchanged(out: Path, previous: Manifest | None) -> bool:
    """``out`` holds exactly what the last build wrote (``previous``), untouched."""
    return (previous is not None and out.is_dir() and not out.is_symlink()
            and all(_intact(out, path, previous) for path in previous)
            and not _others(out, previous))


def _manifest(out: Path, files: Mapping[str, bytes], digests: Mapping[str, str],
              previous: Manifest, changed: list[str] | None) -> Manifest:
    """What ``out`` now holds: the previous record for the files left alone, a new
    one for the files written (``changed``; None: every file)."""
    def key(path: str) -> str | None:
        return files.key(path) if isinstance(files, Files) else None

    manifest: Manifest = {}
    fresh = set(files) | {CHECKSUMS} if changed is None else {*changed, CHECKSUMS}
    for path in [*files, CHECKSUMS]:
        if path in fresh or path not in previous:
            found = _stat(out, path)
            if found is None:
                continue
            digest = digests.get(path) or (previous[path][1] if path in previous else "")
            manifest[path] = [key(path), digest, *found]
        else:
            manifest[path] = [key(path), *previous[path][1:]]
    return manifest


def _flush_store() -> None:
    """Save the pieces this process made (``store.memo``) for the next build."""
    kept = store.current()
    if kept is not None:
        kept.flush()


# --- an update in place ------------------------------------------------------------
#
# The files that changed go from the staging folder into the output; each file they
# replace, and each file that goes, first moves to ".<out>.<token>.undo/files/", and
# "journal.json" there lists what the update moves. Whatever stops the update (an
# error here, or a killed build, found by the next one) moves them back.

UNDO_JOURNAL = "journal.json"


def _commit(staging: Path, out: Path, changed: list[str], removed: list[str]) -> None:
    undo = staging.with_suffix(".undo")
    undo.mkdir(mode=0o700)
    journal = undo / UNDO_JOURNAL
    added = [p for p in changed if not _exists(out.joinpath(*p.split("/")))]
    replaced = [p for p in changed if p not in set(added)]
    with open(journal, "w", encoding="utf-8") as handle:
        json.dump({"added": added, "replaced": replaced, "removed": removed}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    _fsync(undo)
    try:
        folders: set[Path] = set()
        for path in [*changed, *removed]:
            target = out.joinpath(*path.split("/"))
            if _exists(target):
                aside = undo.joinpath("files", *path.split("/"))
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.rename(target, aside)
            if path in removed:
                folders.add(target.parent)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging.joinpath(*path.split("/")), target)
            folders.add(target.parent)
        for folder in sorted(folders, key=lambda f: -len(f.parts)):
            _remove_empty(folder, out)
        for folder in sorted(f for f in folders if f.is_dir()):
            _fsync(folder)
    except BaseException:
        _roll_back(undo, out)
        raise
    shutil.rmtree(undo, ignore_errors=True)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _remove_empty(folder: Path, out: Path) -> None:
    """Remove the folders that a removed file leaves empty, up to ``out``."""
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _roll_back(undo: Path, out: Path) -> None:
    """Undo an update in place: every file moved aside goes back, every file moved
    in goes. Safe to repeat, so a roll-back that is itself cut short can be resumed."""
    try:
        with open(undo / UNDO_JOURNAL, encoding="utf-8") as handle:
            journal = json.load(handle)
    except (OSError, ValueError):
        journal = {}  # killed before anything moved
    for path in journal.get("added", []):
        target = out.joinpath(*_check_path(path))
        if target.is_file() or target.is_symlink():
            target.unlink()
    for path in [*journal.get("replaced", []), *journal.get("removed", [])]:
        parts = _check_path(path)
        aside, target = undo.joinpath("files", *parts), out.joinpath(*parts)
        if _exists(aside):  # else it never moved: the file in place is the old one
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(aside, target)
    shutil.rmtree(undo, ignore_errors=True)


def _os_error_in(error: BaseException) -> OSError | None:
    """The operating system error behind a failure, also where a library wrapped it
    (XlsxWriter reports a full disk as its own FileCreateError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        wrapped = next((arg for arg in current.args if isinstance(arg, OSError)), None)
        current = wrapped or current.__cause__
    return None


def _kept(out: Path, had_build: bool) -> str:
    where = safe_path(str(out))
    return f"the previous build in {where} is intact" if had_build else f"nothing was written to {where}"


def _write_error(error: OSError, out: Path, had_build: bool) -> OutputError:
    """One line on why the build could not be written, and that nothing was lost."""
    reason = error.strerror or str(error)
    if error.errno in NO_ROOM:
        return OutputError(f"the disk is full ({reason}): the build could not be written; "
                           + _kept(out, had_build))
    where = f" ({safe_path(str(error.filename))})" if error.filename else ""
    return OutputError(f"the build could not be written: {reason}{where}; " + _kept(out, had_build))


# --- staging folders and their locks ---------------------------------------------
#
# A build writes into ".<out>.<token>.tmp" and, while it swaps, keeps the previous
# output as ".<out>.<token>.old"; it holds an exclusive lock on ".<out>.<token>.lock"
# the whole time. A lock that can be taken belongs to a build that is gone.


def _stage(parent: Path, name: str) -> tuple[Path, tuple[int, Path] | None]:
    """A new staging folder beside the output, and the lock held for it."""
    if fcntl is None:
        return Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=parent)), None
    fd, lock = tempfile.mkstemp(prefix=f".{name}.", suffix=".lock", dir=parent)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        staging = Path(lock[: -len(".lock")] + ".tmp")
        staging.mkdir(mode=0o700)
    except BaseException:
        os.close(fd)
        Path(lock).unlink(missing_ok=True)
        raise
    return staging, (fd, Path(lock))


def _release(lock: tuple[int, Path] | None) -> None:
    """The build is over: its lock file goes (before the lock, so no other build
    mistakes this one for a killed one)."""
    if lock is not None:
        fd, path = lock
        path.unlink(missing_ok=True)
        os.close(fd)


def _remove_stale(parent: Path, out: Path) -> None:
    """Remove what killed builds of ``out`` left beside it: their staging folders,
    and their copy of the previous output, which goes back in place if the output
    itself is missing (the build died between its two renames)."""
    if fcntl is None:
        return
    prefix = f".{out.name}."
    for lock in parent.iterdir():
        if not (lock.name.startswith(prefix) and lock.name.endswith(".lock")):
            continue
        try:
            fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # its build is still running
        try:
            base = str(lock)[: -len(".lock")]
            old, staging, undo = Path(base + ".old"), Path(base + ".tmp"), Path(base + ".undo")
            if _real_dir(undo) and _real_dir(out):
                _roll_back(undo, out)  # a killed update in place
            if _real_dir(old) and not out.exists() and not out.is_symlink():
                os.rename(old, out)
            for folder in (staging, old, undo):
                if _real_dir(folder):
                    shutil.rmtree(folder)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _batches(files: Mapping[str, bytes], paths: list[str]) -> list[list[str]]:
    """Heaviest files first, each alone; light ones together, so that both the
    start-up cost per task and the wait for the last big file stay small."""
    weight = files.weight if isinstance(files, Files) else (lambda path: 1)
    batches: list[list[str]] = []
    light: list[str] = []
    total = 0
    for path in sorted(paths, key=lambda p: -weight(p)):  # stable: ties keep path order
        if weight(path) >= BATCH_WEIGHT:
            batches.append([path])
            continue
        light.append(path)
        total += weight(path)
        if total >= BATCH_WEIGHT:
            batches.append(light)
            light, total = [], 0
    return batches + ([light] if light else [])


# What a worker process works on: set once in each worker by _adopt. Forked workers
# inherit the files with their recipes instead of receiving them pickled.
_job: tuple[Mapping[str, bytes], Path] | None = None


def _adopt(files: Mapping[str, bytes], staging: Path) -> None:
    global _job
    # Ctrl-C is the parent's to handle: it stops the pool and removes the folder.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The inherited heap is only read here: keeping the garbage collector off it
    # saves its scans and keeps the memory pages shared with the parent.
    gc.freeze()
    _job = (files, staging)


def _write_batch(paths: list[str]) -> list[tuple[str, str]]:
    assert _job is not None, "not in a worker"
    files, staging = _job
    written = [(path, _write_one(staging, path, _pieces(files, path))) for path in paths]
    _flush_store()
    return written


def _start_workers(files: Mapping[str, bytes], staging: Path, workers: int,
                   batches: list[list[str]]) -> tuple[Any, set[Future[Any]]] | None:
    """A pool of worker processes with every batch handed to it: as many workers as
    the machine lets start (halving the number each time it refuses), or None."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    while workers > 0:
        pool = None
        try:
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_adopt, initargs=(files, staging))
            # The workers start with the first task: that is where it can fail.
            first = pool.submit(_write_batch, batches[0])
            return pool, {first, *(pool.submit(_write_batch, batch) for batch in batches[1:])}
        except (OSError, RuntimeError, MemoryError):  # cannot fork, or "can't start new thread"
            if pool is not None:
                _abandon(pool)
            workers //= 2
    return None


def _abandon(pool: Any) -> None:
    """Stop a pool that never got going, with whatever workers it had started; none
    of them has run a task yet."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)


def _make_in_workers(files: Mapping[str, bytes], paths: list[str], staging: Path, workers: int,
                     written: Callable[[Iterable[str]], None],
                     progress: Callable[[str], None] | None) -> dict[str, str] | None:
    """Make and write the files in worker processes; None when not even one could
    be started (nothing is written then)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    batches = _batches(files, paths)
    if not batches:
        return {}
    kept = store.current()
    if kept is not None:
        kept.close()  # no database connection may cross the fork; each worker opens its own
    started = _start_workers(files, staging, workers, batches)
    if started is None:
        return None
    pool, pending = started
    digests: dict[str, str] = {}
    try:
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                batch = dict(future.result())
                digests.update(batch)
                written(batch)
            if progress:
                progress(f"writing {len(digests):,} of {len(paths):,} files")
    finally:
        # On failure, drop what has not started and wait for what has: no worker
        # may still be writing into the folder that the caller is about to remove.
        pool.shutdown(wait=True, cancel_futures=True)
    return digests


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    previous = staging.with_suffix(".old")
    os.rename(out, previous)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(previous, out)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def write_file(path: Path, content: bytes) -> None:
    """One file, replaced atomically: a temporary file beside it, then a rename. A
    file that is replaced keeps its permissions; a new one gets 0644."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"{safe_path(str(path))} exists and is not a regular file")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    parent = path.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
