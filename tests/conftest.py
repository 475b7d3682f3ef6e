"""Shared fixtures: small registries built in a temporary folder per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# A complete, valid entry. Tests change one thing in it and assert what is reported.
VALID_ENTRY = """\
# yaml-language-server: $schema=../../schemas/entry.schema.json
id: {id}
title: Example Standard
short_name: EXS
kind: standard
category: dns
summary: A short plain-language summary.
benefit: It removes a risk that budget holders understand.
specifications:
  - id: RFC 0001
    title: An example document
    url: https://www.rfc-editor.org/rfc/rfc1
    publisher: IETF
maintainer:
  name: Internet Engineering Task Force (IETF)
  url: https://www.ietf.org/
priority:
  tier: recommended
  rationale: Because it is an example.
applies_to:
  - website
lifecycle:
  status: proposed
review:
  proposed_by: Test Suite
"""


def entry_text(entry_id: str = "example", **replace: str) -> str:
    """The valid entry with ``old=new`` line replacements (keys are matched as prefixes)."""
    text = VALID_ENTRY.format(id=entry_id)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A registry folder holding the real vocabularies and no entries yet; the
    working directory is its parent, so findings name 'registry/standards/x.yaml'."""
    root = tmp_path / "registry"
    (root / "standards").mkdir(parents=True)
    for name in ("categories.yaml", "product-types.yaml"):
        shutil.copy(REPO / "registry" / name, root / name)
    monkeypatch.chdir(tmp_path)
    return root


WriteEntry = Callable[..., Path]


@pytest.fixture
def write_entry(registry: Path) -> WriteEntry:
    def write(name: str, content: str | bytes) -> Path:
        path = registry / "standards" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own validation cache, never the user's."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("IS3C_CACHE_DIR", str(directory))
    return directory
