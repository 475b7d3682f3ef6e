"""release.py: the build's date and version come from the environment or git, never the clock."""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from is3c.release import FALLBACK_DATE, UNVERSIONED, ReleaseError, release_for


def test_source_date_epoch_wins(tmp_path: Path) -> None:
    release = release_for(tmp_path, {"SOURCE_DATE_EPOCH": "1767225600"})
    assert release.released == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert release.date == "2026-01-01"


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5"])
def test_a_malformed_source_date_epoch_is_an_error(tmp_path: Path, value: str) -> None:
    with pytest.raises(ReleaseError, match="SOURCE_DATE_EPOCH must be a whole number"):
        release_for(tmp_path, {"SOURCE_DATE_EPOCH": value})


def test_outside_git_the_date_and_version_are_fixed(tmp_path: Path) -> None:
    release = release_for(tmp_path, {})
    assert (release.released, release.registry_version) == (FALLBACK_DATE, UNVERSIONED)


def _git(repo: Path, *args: str, date: str = "") -> None:
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True, env={**env, "PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )


def test_in_git_the_last_commit_of_the_registry_dates_the_build(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text("a: 1\n")
    (tmp_path / "other.txt").write_text("x\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "one", date="2026-03-04T05:06:07+02:00")
    (tmp_path / "other.txt").write_text("y\n")
    _git(tmp_path, "commit", "-qam", "two", date="2026-05-01T00:00:00+00:00")
    release = release_for(registry, {})
    # The later commit did not touch the registry.
    assert release.released == datetime(2026, 3, 4, 3, 6, 7, tzinfo=timezone.utc)
    assert len(release.registry_version) == 12
    (registry / "a.yaml").write_text("a: 2\n")
    assert release_for(registry, {}).registry_version.endswith("-dirty")
    _git(tmp_path, "tag", "v1.0")
    _git(tmp_path, "checkout", "-q", "--", ".")
    assert release_for(registry, {}).registry_version == "v1.0"
