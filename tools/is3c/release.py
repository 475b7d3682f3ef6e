"""Which registry revision a build comes from: read once, at the edge.

The build never asks the clock. Its date is ``SOURCE_DATE_EPOCH`` when set (the
reproducible-builds convention), else the date of the last commit that touched the
registry, else a fixed date; so two builds of one commit give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from is3c.build import Release

FALLBACK_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)  # the zip format's epoch
UNVERSIONED = "unversioned"


class ReleaseError(Exception):
    """SOURCE_DATE_EPOCH is set but is not a number of seconds."""


def _git(root: Path, *args: str) -> str | None:
    """git's answer, or None when there is no git or no history to ask."""
    from is3c.history import GitError, run_git

    try:
        out = run_git(root, *args).decode().strip()
    except GitError:
        return None
    return out or None


def released(registry_root: Path, environ: Mapping[str, str]) -> datetime:
    value = environ.get("SOURCE_DATE_EPOCH")
    if value is not None:
        if not value.strip().isdigit():
            raise ReleaseError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}"
            )
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    stamp = _git(registry_root, "log", "-1", "--format=%ct", "--", ".")
    if stamp and stamp.isdigit():
        return datetime.fromtimestamp(int(stamp), tz=timezone.utc)
    return FALLBACK_DATE


def registry_version(registry_root: Path) -> str:
    """``git describe`` of the checkout: a tag or commit, marked '-dirty' when the
    working tree has uncommitted changes, so a list never claims a revision it is not."""
    return _git(registry_root, "describe", "--tags", "--always", "--dirty", "--abbrev=12") or UNVERSIONED


def release_for(registry_root: Path, environ: Mapping[str, str] | None = None) -> Release:
    environ = os.environ if environ is None else environ
    return Release(released=released(registry_root, environ),
                   registry_version=registry_version(registry_root))
