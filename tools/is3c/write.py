"""Put a build's files in place all at once, or not at all.

Files are written to a fresh folder beside the output, synced to disk, checksummed,
and only then swapped in with renames on the same file system. Whatever fails on
the way (a full disk, a bug, Ctrl-C) removes the temporary folder and leaves the
previous output as it was.

A large build is made in worker processes, one per core: each makes its share of
the files (``render.Files`` makes a file when it is looked up), writes it straight
into the temporary folder and sends back only its checksum, so no process ever
holds the whole build.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from is3c.render import CHECKSUMS, Files

# Below this many files, worker processes cost more than they save.
PARALLEL_MIN_FILES = 200
# Light files (a page each) go to the workers in batches of about this weight.
BATCH_WEIGHT = 64
# fsync mostly waits for the disk, and the disk takes many at once.
SYNC_THREADS = 16
SYNC_BATCH = 16  # files or folders per task of a sync thread


class OutputError(Exception):
    """The output folder cannot be used (it is a file, or holds something else)."""


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
        raise OutputError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / CHECKSUMS).is_file():
        # Replacing it would delete whatever it holds: only take over earlier builds.
        raise OutputError(
            f"{out} is not empty and holds no earlier build (no {CHECKSUMS}); "
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

    def __init__(self, pool: ThreadPoolExecutor, staging: Path, paths: Iterable[str]) -> None:
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


def write_tree(files: Mapping[str, bytes], out: Path, workers: int | None = None,
               progress: Callable[[str], None] | None = None) -> int:
    """Replace ``out`` with exactly ``files`` plus SHA256SUMS; returns the file count.

    ``workers``: processes that make and write the files; by default one per core
    (at most 8) when there are many files, else none (all made in this process)."""
    _check_target(out)
    if CHECKSUMS in files:
        raise ValueError(f"a renderer wrote {CHECKSUMS} itself")
    paths = sorted(files)
    for path in paths:
        _check_path(path)  # before anything is written
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_MIN_FILES else 0
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    try:
        # Every file and folder is on disk before the swap makes any of them visible;
        # most are synced while the others are still being made.
        with ThreadPoolExecutor(SYNC_THREADS) as pool:
            syncer = _Syncer(pool, staging, [*paths, CHECKSUMS])
            if workers > 0 and _can_fork():
                digests = _make_in_workers(files, paths, staging, workers, syncer.written,
                                           progress)
            else:
                digests = {path: _write_one(staging, path, _pieces(files, path)) for path in paths}
                syncer.written(paths)
            _write_one(staging, CHECKSUMS, (_checksum_lines(digests),))
            syncer.written([CHECKSUMS])
            if progress:
                progress("syncing to disk")
            syncer.wait()
        staging.chmod(0o755)  # mkdtemp makes it private; the output is for everyone
        _swap(staging, out.absolute())
        _fsync(parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(paths) + 1


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
    return [(path, _write_one(staging, path, _pieces(files, path))) for path in paths]


def _make_in_workers(files: Mapping[str, bytes], paths: list[str], staging: Path, workers: int,
                     written: Callable[[Iterable[str]], None],
                     progress: Callable[[str], None] | None) -> dict[str, str]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    digests: dict[str, str] = {}
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_adopt, initargs=(files, staging))
    try:
        pending = {pool.submit(_write_batch, batch) for batch in _batches(files, paths)}
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
        raise OutputError(f"{path} exists and is not a regular file")
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
