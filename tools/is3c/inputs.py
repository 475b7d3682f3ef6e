"""Everything a build reads, as one hash: when it has not changed since the last
build into the same folder, and that folder is as the build left it, there is
nothing to do.

The hash covers every file of the registry folder (entries, vocabularies,
catalogs, panel, decisions), the site configuration and the committed schemas
beside it, the registry's git state (HEAD, the release tags, the version and
date a build would show), the tool's code (``store.namespace``) and the
command's options. Reading and hashing the files costs a fraction of validating
them, so a build where nothing changed answers in about the time of a warm
``is3c validate``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from is3c import store
from is3c.siteconfig import CONFIG_FILE


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        found.extend(Path(top) / name for name in sorted(names))
    return found


def _git_state(root: Path) -> str:
    """HEAD, the tags and whether the clone is shallow (the history a build shows);
    "" without git."""
    from is3c.history import GitError, run_git

    try:
        # Whether the clone is shallow too: a shallow clone's build shows no history.
        head = run_git(root, "rev-parse", "HEAD", "--is-shallow-repository").decode().strip()
        tags = run_git(root, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags").decode()
    except GitError:
        return ""
    return f"{head}\n{tags}"


def digest(root: Path, release: object, options: tuple[object, ...]) -> str:
    """One hash of what a build of the registry at ``root`` reads; ``release`` is
    the version and date it would show, ``options`` the command's options."""
    hashed = hashlib.blake2b(store.key("inputs", release, options, _git_state(root)).encode(),
                             digest_size=20)
    parent = root.parent
    paths = [*_files(root), parent / CONFIG_FILE, *sorted((parent / "schemas").glob("*.json"))]
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        hashed.update(os.path.relpath(path, parent).encode() + b"\0" + data + b"\0")
    return hashed.hexdigest()
