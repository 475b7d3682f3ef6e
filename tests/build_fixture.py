"""The small registry under tests/data/build/ built in memory, and golden files.

Golden files hold what each renderer makes of the fixture registry. When a change
to the outputs is intended, regenerate them and review the diff:

    IS3C_UPDATE_GOLDEN=1 python -m pytest tests/test_render_*.py

"""

from __future__ import annotations

import difflib
import os
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from is3c.build import Build, Release, build
from is3c.i18n import registry_credits, registry_texts
from is3c.validate import Registry, validate

DATA = Path(__file__).resolve().parent / "data" / "build"
FIXTURE = DATA / "registry"
GOLDEN = DATA / "golden"
RELEASE = Release(
    released=datetime(2026, 1, 1, 12, 30, tzinfo=timezone.utc),
    registry_version="fixture-1",
)
UPDATE = os.environ.get("IS3C_UPDATE_GOLDEN") == "1"

# The payloads in tests/data/build/registry/standards/hostile-text.yaml.
HOSTILE_ID = "hostile-text"


@cache
def fixture_registry() -> Registry:
    result = validate(FIXTURE)
    assert result.registry is not None, [f.message for f in result.findings]
    return result.registry


@cache
def fixture_build(language: str = "en") -> Build:
    """The fixture in ``language``, from its catalogs in tests/data/build/registry/locale."""
    return build(fixture_registry(), RELEASE, language, registry_texts(FIXTURE, language),
                 registry_credits(FIXTURE, language))


def check_golden(name: str, content: bytes) -> None:
    """Compare with tests/data/build/golden/<name>, or rewrite it when updating."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return
    assert path.exists(), f"no golden file {path}; run IS3C_UPDATE_GOLDEN=1 python -m pytest"
    expected = path.read_bytes()
    if content == expected:
        return
    try:
        diff = "".join(difflib.unified_diff(
            expected.decode("utf-8").splitlines(keepends=True),
            content.decode("utf-8").splitlines(keepends=True),
            fromfile=f"golden/{name}", tofile="built", n=2,
        ))[:4000]
    except UnicodeDecodeError:
        diff = "(binary)"
    raise AssertionError(
        f"{name} differs from its golden file; if the change is intended, run "
        f"IS3C_UPDATE_GOLDEN=1 python -m pytest tests/ and review the diff\n{diff}"
    )
