"""Put a build's files in place all at once, or not at all.

Files are written to a fresh folder beside the output, synced to disk, checksummed,
and only then swapped in with renames on the same file system. Whatever fails on
the way (a full disk, a bug, Ctrl-C) removes the temporary folder and leaves the
previous output as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from is3c.render import CHECKSUMS


class OutputError(Exception):
    """The output folder cannot be used (it is a file, or holds something else)."""


def checksums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum -c`` format, sorted by path, so it reads the same on every run."""
    lines = [f"{hashlib.sha256(files[path]).hexdigest()}  {path}\n" for path in sorted(files)]
    return "".join(lines).encode("utf-8")


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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_tree(files: Mapping[str, bytes], out: Path) -> int:
    """Replace ``out`` with exactly ``files`` plus SHA256SUMS; returns the file count."""
    _check_target(out)
    everything = {**files, CHECKSUMS: checksums(files)}
    if len(everything) != len(files) + 1:
        raise ValueError(f"a renderer wrote {CHECKSUMS} itself")
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    try:
        folders = {staging}
        for path in sorted(everything):
            target = staging.joinpath(*_check_path(path))
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
            with open(target, "xb") as handle:
                handle.write(everything[path])
                handle.flush()
                os.fsync(handle.fileno())
        for folder in folders:
            _fsync_dir(folder)
        staging.chmod(0o755)  # mkdtemp makes it private; the output is for everyone
        _swap(staging, out.absolute())
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(everything)


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
    """One file, replaced atomically: a temporary file beside it, then a rename."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"{path} exists and is not a regular file")
    parent = path.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
