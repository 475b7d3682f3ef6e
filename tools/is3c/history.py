"""The registry's git history: files at a revision, what changed since one, ids used.

Only this module runs git. A revision named by a user is resolved to a commit id
first (after ``--end-of-options``), so nothing a user or a branch name supplies
can be read by git as an option.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from is3c.load import MAX_FILE_BYTES


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision is unknown."""


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in ``repo`` with a fixed locale and time zone and no prompts."""
    env = {**os.environ, "LC_ALL": "C", "TZ": "UTC", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=stdin, capture_output=True,
            env=env, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"cannot run git: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def toplevel(path: Path) -> Path:
    return Path(run_git(path, "rev-parse", "--show-toplevel").decode().strip())


def resolve(repo: Path, revision: str) -> str:
    """The commit id a revision names; a clear error for anything else."""
    try:
        out = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision {revision!r}") from None
    return out.decode().strip()


def relative(repo: Path, path: Path) -> str:
    return Path(os.path.relpath(path.resolve(), repo.resolve())).as_posix()


def files_at(repo: Path, commit: str, folder: str) -> dict[str, bytes]:
    """Regular files under ``folder`` at ``commit``, by path relative to ``folder``.
    Links and oversized blobs are left out: validation reports those."""
    listing = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
    wanted: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind == "blob" and mode in ("100644", "100755"):
            wanted.append((sha, name.decode("utf-8", "surrogateescape")))
    if not wanted:
        return {}
    out = run_git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in wanted).encode())
    files: dict[str, bytes] = {}
    position = 0
    prefix = folder.rstrip("/") + "/"
    for _, name in wanted:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        body = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        if size <= MAX_FILE_BYTES:
            files[name[len(prefix):] if name.startswith(prefix) else name] = body
    return files


@dataclass(frozen=True)
class Changes:
    changed: list[Path]  # files added or modified, that exist now
    deleted: list[str]  # paths relative to the repository that are gone


def changed_since(repo: Path, commit: str, folder: str) -> Changes:
    """Files under ``folder`` that differ between ``commit`` and the working tree,
    including files git does not track yet."""
    diff = run_git(repo, "diff", "--name-status", "-z", "--no-renames", commit, "--", folder)
    fields = [f.decode("utf-8", "surrogateescape") for f in diff.split(b"\0") if f]
    changed, deleted = [], []
    for status, name in zip(fields[0::2], fields[1::2]):
        if status == "D":
            deleted.append(name)
        else:
            changed.append(repo / name)
    untracked = run_git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--", folder)
    changed += [repo / f.decode("utf-8", "surrogateescape") for f in untracked.split(b"\0") if f]
    return Changes(sorted(set(changed)), sorted(deleted))


def ever_existed(repo: Path, path: str) -> bool:
    """Whether any commit on any branch ever had this file: ids are never reused."""
    return bool(run_git(repo, "log", "--all", "--format=%H", "-1", "--", path).strip())


@dataclass(frozen=True)
class Commit:
    """One commit of the main line that changed files under a folder."""

    id: str
    time: int  # commit time, seconds since the epoch (UTC)
    files: tuple[tuple[str, str, str], ...]  # (path in the repository, old blob, new blob); "" = none


_NO_BLOB = "0" * 40


def log(repo: Path, folder: str) -> list[Commit]:
    """Every commit on the first-parent line of HEAD that changed ``folder``, oldest
    first, with the blobs before and after: one git call for the whole history. A
    merged pull request counts once, on the day it was merged."""
    out = run_git(repo, "log", "--first-parent", "--diff-merges=first-parent", "--reverse",
                  "--raw", "--no-renames", "--no-abbrev", "-z", "--format=%x01%H %ct",
                  "HEAD", "--", folder)
    commits = []
    for chunk in out.split(b"\x01")[1:]:
        header, _, rest = chunk.partition(b"\0")
        commit_id, _, stamp = header.decode().partition(" ")
        fields = rest.split(b"\0")
        files = []
        for meta, name in zip(fields[0::2], fields[1::2]):
            parts = meta.strip().decode().split()
            if len(parts) != 5 or not parts[0].startswith(":"):
                continue
            old, new = parts[2], parts[3]
            files.append((name.decode("utf-8", "surrogateescape"),
                          "" if old == _NO_BLOB else old, "" if new == _NO_BLOB else new))
        commits.append(Commit(commit_id, int(stamp), tuple(files)))
    return commits


def blobs(repo: Path, ids: set[str]) -> dict[str, bytes]:
    """The content of many blobs in one git call; oversized ones are left out."""
    wanted = sorted(ids)
    if not wanted:
        return {}
    out = run_git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in wanted).encode())
    found: dict[str, bytes] = {}
    position = 0
    for sha in wanted:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if len(header) < 3:  # "<sha> missing"
            position = header_end + 1
            continue
        size = int(header[2])
        if size <= MAX_FILE_BYTES:
            found[sha] = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
    return found


def release_tags(repo: Path, pattern: str) -> list[tuple[str, str, int]]:
    """Tags reachable from HEAD whose names match the glob ``pattern``, as (name,
    commit, commit time), oldest commit first."""
    out = run_git(repo, "for-each-ref", "--merged", "HEAD", "--sort=creatordate",
                  "--format=%(refname:strip=2)%00%(*objectname)%(objectname)",
                  f"refs/tags/{pattern}")
    tags = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, _, objects = line.partition("\0")
        # An annotated tag names its commit first (*objectname), then itself.
        tags.append((name, objects[:40]))
    if not tags:
        return []
    times = run_git(repo, "show", "-s", "--format=%H %ct", *[sha for _, sha in tags], "--")
    when = dict(line.split() for line in times.decode().splitlines() if line.strip())
    return sorted(((n, c, int(when.get(c, 0))) for n, c in tags), key=lambda t: (t[2], t[0]))
