"""write.py: the output folder is replaced whole, or not at all."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from is3c import write
from is3c.render import Files
from is3c.write import OutputError, checksums, write_file, write_tree

FILES = {
    "index.html": b"<!doctype html>\n",
    "downloads/a.csv": b"\xef\xbb\xbf\"x\"\r\n",
    "standards/dnssec/index.html": b"dnssec\n",
}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_writes_every_file_and_checksums(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert write_tree(FILES, out) == 4
    for path, content in FILES.items():
        assert (out / path).read_bytes() == content
    sums = (out / "SHA256SUMS").read_text()
    assert sums.splitlines() == [
        f"{hashlib.sha256(FILES[p]).hexdigest()}  {p}" for p in sorted(FILES)
    ]
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out, check=False)
    assert done.returncode == 0
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert leftovers(tmp_path) == []


def test_replaces_an_earlier_build_whole(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    write_tree({**FILES, "old-only.txt": b"gone soon\n"}, out)
    write_tree(FILES, out)
    assert not (out / "old-only.txt").exists()
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == sorted(
        [*FILES, "SHA256SUMS"])
    assert leftovers(tmp_path) == []


def test_creates_missing_parents_and_accepts_an_empty_folder(tmp_path: Path) -> None:
    write_tree(FILES, tmp_path / "a" / "b" / "dist")
    (tmp_path / "empty").mkdir()
    write_tree(FILES, tmp_path / "empty")
    assert (tmp_path / "empty" / "SHA256SUMS").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work\n")
    with pytest.raises(OutputError, match="is not empty and holds no earlier build"):
        write_tree(FILES, out)
    assert (out / "thesis.txt").read_text() == "years of work\n"
    assert leftovers(tmp_path) == []


def test_refuses_a_file_or_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        write_tree(FILES, tmp_path / "file")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        write_tree(FILES, tmp_path / "link")


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "a/../../b", "a//b", ""])
def test_refuses_paths_outside_the_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_tree({bad: b"x"}, tmp_path / "dist")
    assert not (tmp_path / "dist").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fail_at", [1, 3, 5])
def test_a_failure_midway_leaves_the_old_output_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(write.os, "fsync", failing_fsync)
    with pytest.raises(OutputError) as raised:
        write_tree(FILES, out)
    assert str(raised.value) == (
        f"the disk is full (No space left on device): the build could not be written; "
        f"the previous build in {out} is intact")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert leftovers(tmp_path) == []


def test_a_failed_swap_puts_the_old_output_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)
    real_rename = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(src).endswith(".tmp"):
            raise OSError("interrupted")
        real_rename(src, dst)

    monkeypatch.setattr(write.os, "rename", rename)
    with pytest.raises(OutputError, match="could not be written: interrupted; the previous build"):
        write_tree(FILES, out)
    assert (out / "index.html").read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_checksums_are_sorted_and_in_sha256sum_format() -> None:
    assert checksums({"b": b"", "a": b""}) == (
        b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a\n"
        b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  b\n"
    )


def test_write_file_replaces_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "annex.md"
    write_file(target, b"one\n")
    write_file(target, b"two\n")
    assert target.read_bytes() == b"two\n"

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", broken)
    with pytest.raises(OSError):
        write_file(target, b"three\n")
    assert target.read_bytes() == b"two\n"
    assert leftovers(tmp_path) == []
    with pytest.raises(OutputError, match="not a regular file"):
        write_file(tmp_path, b"x")


def recipes() -> Files:
    """Files whose content names the process that made it."""
    files = Files()
    for number in range(40):
        files.add(f"pages/{number}/index.html", lambda: f"{os.getpid()}\n".encode())
    files.add("downloads/big.csv", lambda: iter([b"a" * 100, f"{os.getpid()}\n".encode()]),
              weight=1000)
    return files


def test_workers_make_and_write_the_files(tmp_path: Path) -> None:
    files = recipes()
    assert write_tree(files, tmp_path / "dist", workers=2) == 42
    makers = {int((tmp_path / "dist" / p).read_bytes().lstrip(b"a")) for p in files}
    assert makers and os.getpid() not in makers  # the parent only gathers checksums
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path / "dist",
                          check=False)
    assert done.returncode == 0
    assert leftovers(tmp_path) == []


def test_workers_write_what_this_process_would(tmp_path: Path) -> None:
    files = Files()
    for path, content in FILES.items():
        files.add(path, lambda content=content: content)
    write_tree(files, tmp_path / "parallel", workers=2)
    write_tree(files, tmp_path / "serial", workers=0)
    for name in [*FILES, "SHA256SUMS"]:
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_a_failure_in_a_worker_leaves_the_old_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)

    def broken() -> Iterator[bytes]:
        yield b"half a file"
        raise RuntimeError("template exploded halfway")

    files = recipes()
    files.add("broken.html", broken)
    with pytest.raises(RuntimeError, match="template exploded halfway"):
        write_tree(files, out, workers=2)
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "index.html"]
    assert (out / "index.html").read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_a_worker_that_dies_leaves_the_old_output_intact(tmp_path: Path) -> None:
    from concurrent.futures.process import BrokenProcessPool

    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)
    files = recipes()
    files.add("killed.html", lambda: os._exit(9))  # as the kernel's OOM killer would
    with pytest.raises(OutputError, match="a worker process stopped while making the files") as raised:
        write_tree(files, out, workers=2)
    assert isinstance(raised.value.__cause__, BrokenProcessPool)
    assert (out / "index.html").read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_each_folder_is_synced_once_and_after_everything_in_it(tmp_path: Path) -> None:
    from concurrent.futures import Future

    synced: list[str] = []

    class AtOnce:
        def submit(self, task: object, paths: list[Path]) -> Future[None]:
            synced.extend(str(p.relative_to(tmp_path)) for p in paths)
            done: Future[None] = Future()
            done.set_result(None)
            return done

    paths = ["a/b/1", "a/b/2", "a/3", "c/4", "5"]
    syncer = write._Syncer(AtOnce(), tmp_path, paths)  # type: ignore[arg-type]
    syncer.written(["a/b/1", "c/4"])
    assert synced == ["a/b/1", "c/4", "c"]
    syncer.written(["5", "a/3", "a/b/2"])
    syncer.wait()
    assert synced == ["a/b/1", "c/4", "c", "5", "a/3", "a/b/2", "a/b", "a", "."]
    with pytest.raises(RuntimeError, match="never written"):
        unfinished = write._Syncer(AtOnce(), tmp_path, paths)  # type: ignore[arg-type]
        unfinished.written(["5"])
        unfinished.wait()


def test_big_files_go_first_and_alone() -> None:
    files = Files()
    for number in range(100):
        files.add(f"page-{number:03}", lambda: b"", weight=1)
    files.add("small-list", lambda: b"", weight=70)
    files.add("full-list", lambda: b"", weight=10_000)
    batches = write._batches(files, sorted(files))
    assert batches[:2] == [["full-list"], ["small-list"]]
    assert [len(b) for b in batches[2:]] == [64, 36]
    assert sorted(p for b in batches for p in b) == sorted(files)


# --- builds that were killed -------------------------------------------------------

KILLED_BUILD = """
import sys, time
from pathlib import Path
from is3c.write import write_tree

class Stuck(dict):
    def __getitem__(self, path):
        if path == "stuck.html":
            Path(sys.argv[2]).write_text("ready")
            time.sleep(600)
        return super().__getitem__(path)

write_tree(Stuck({"a.html": b"a", "stuck.html": b"b"}), Path(sys.argv[1]), workers=0)
"""


def _kill_a_build_midway(out: Path) -> None:
    ready = out.parent / "ready"
    child = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(out), str(ready)])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.poll() is None and time.monotonic() < deadline, "the build never started"
            time.sleep(0.02)
    finally:
        child.kill()  # SIGKILL: nothing gets to clean up
        child.wait()
    ready.unlink()


def test_the_next_build_removes_what_a_killed_build_left(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)
    _kill_a_build_midway(out)
    left = leftovers(tmp_path)
    assert [name.rsplit(".", 1)[1] for name in left] == ["lock", "tmp"]
    assert (out / "index.html").read_bytes() == b"old\n"
    write_tree(FILES, out)
    assert leftovers(tmp_path) == []
    assert (out / "index.html").read_bytes() == FILES["index.html"]


def test_only_stale_folders_of_this_output_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    _kill_a_build_midway(out)
    # Not ours: a folder without a lock, and a build of another output.
    (tmp_path / ".dist.backup.tmp").mkdir()
    (tmp_path / ".dist.backup.tmp" / "keep.txt").write_text("mine\n")
    _kill_a_build_midway(tmp_path / "site")
    # A build of the same output that is still running holds its lock.
    running, lock = write._stage(tmp_path, "dist")
    try:
        write_tree(FILES, out)
        assert sorted(n for n in leftovers(tmp_path) if n.startswith(".dist.")) == sorted(
            [".dist.backup.tmp", running.name, lock[1].name])
        assert (tmp_path / ".dist.backup.tmp" / "keep.txt").read_text() == "mine\n"
        assert [n.rsplit(".", 1)[1] for n in leftovers(tmp_path) if n.startswith(".site.")] == [
            "lock", "tmp"]
    finally:
        shutil.rmtree(running)
        write._release(lock)


def test_a_build_killed_between_its_two_renames_gets_its_output_back(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    write_tree({"index.html": b"old\n"}, out)
    staging, lock = write._stage(tmp_path, "dist")
    os.rename(out, staging.with_suffix(".old"))  # where the swap had got to
    os.close(lock[0])  # the build dies: its lock goes with it
    files = Files()
    files.add("index.html", lambda: (_ for _ in ()).throw(RuntimeError("this build fails too")))
    with pytest.raises(RuntimeError, match="this build fails too"):
        write_tree(files, out, workers=0)
    assert (out / "index.html").read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []
