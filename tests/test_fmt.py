"""is3c fmt: canonical, idempotent, comment-keeping, and never changes meaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, WriteEntry, entry_text

from is3c.cli import main
from is3c.fmt import FormatError, canonical
from is3c.load import parse

MESSY = """\
# yaml-language-server: $schema=../../schemas/entry.schema.json
# A comment the author wants to keep.
title: Example Standard
id: x   # trailing comment
kind: standard
short_name: EXS
category: dns
tags: [web, dns, email]
summary: "A short plain-language summary."
benefit: It removes a risk that budget holders understand, and this sentence is long enough to need wrapping at the width.
specifications:
  - title: An example document
    id: RFC 0001
    publisher: IETF
    url: https://www.rfc-editor.org/rfc/rfc1
    version: '1.10'
maintainer: {name: Internet Engineering Task Force (IETF), url: "https://www.ietf.org/"}
priority:
  rationale: Because it is an example.
  tier: recommended
applies_to:
  - website
  - email-service
related:
  - {id: spf, relation: requires}
  - {id: dkim, relation: requires}
lifecycle:
  status: proposed
  listed_since: 2026-01-02
review:
  proposed_by: Test Suite
"""


def test_canonical_orders_keys_sorts_lists_and_wraps() -> None:
    out = canonical(MESSY, Path("x.yaml"))
    lines = out.splitlines()
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert keys == ["id", "title", "short_name", "kind", "category", "tags", "summary", "benefit",
                    "specifications", "maintainer", "priority", "applies_to", "related", "lifecycle",
                    "review"]
    assert "tags: [dns, email, web]" in out
    assert "  - email-service\n  - website\n" in out
    assert out.index("id: dkim") < out.index("id: spf")
    assert "  - id: RFC 0001\n    title: An example document\n" in out
    assert "    version: '1.10'\n" in out
    assert "  listed_since: 2026-01-02\n" in out
    assert "summary: A short plain-language summary.\n" in out
    assert "benefit: >-\n  It removes a risk" in out
    assert all(len(line) <= 88 for line in lines)


def test_comments_are_kept() -> None:
    out = canonical(MESSY, Path("x.yaml"))
    assert out.startswith("# yaml-language-server: $schema=../../schemas/entry.schema.json\n"
                          "# A comment the author wants to keep.\n")
    assert "# trailing comment" in out


def test_meaning_is_unchanged() -> None:
    before, _ = parse(MESSY, "x.yaml")
    after, _ = parse(canonical(MESSY, Path("x.yaml")), "x.yaml")
    assert before is not None and after is not None
    assert after.data["benefit"] == before.data["benefit"]
    assert after.data["specifications"] == before.data["specifications"]
    assert sorted(after.data["tags"]) == sorted(before.data["tags"])


def test_idempotent() -> None:
    once = canonical(MESSY, Path("x.yaml"))
    assert canonical(once, Path("x.yaml")) == once


@pytest.mark.parametrize("hazard", ["id: x\ntitle: !!python/object/apply:os.system ['ls']\n",
                                    "id: x\na: &a 1\nb: *a\n", "id: a\nid: b\n"])
def test_unsafe_files_are_refused_not_formatted(hazard: str) -> None:
    with pytest.raises(FormatError, match="fix the problems 'is3c validate' reports first"):
        canonical(hazard, Path("x.yaml"))


def test_committed_registry_is_canonical() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["fmt", "--check", "--registry", str(REPO / "registry")])
    assert result.exit_code == 0, f"{result.output}\nfix: run 'is3c fmt' and commit the result"


def test_fmt_command_rewrites_and_check_reports(registry: Path, write_entry: WriteEntry) -> None:
    path = write_entry("x.yaml", entry_text("x", **{"id: x\ntitle: Example Standard\n": "title: Example Standard\nid: x\n"}))
    write_entry("y.yaml", entry_text("y"))
    runner = CliRunner()
    check = runner.invoke(main, ["fmt", "--check"])
    assert check.exit_code == 1
    assert check.output.splitlines() == [
        "would reformat registry/standards/x.yaml",
        "4 files: 1 would reformat, 0 skipped with errors",
        "fix: run 'is3c fmt' and commit the result",
    ]
    before = path.stat().st_mode
    assert runner.invoke(main, ["fmt"]).exit_code == 0
    assert path.stat().st_mode == before
    assert runner.invoke(main, ["fmt", "--check"]).exit_code == 0


def test_fmt_reports_files_it_cannot_format(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\n\tbad\n")
    result = CliRunner().invoke(main, ["fmt"])
    assert result.exit_code == 1
    assert "error: registry/standards/x.yaml: fix the problems 'is3c validate' reports first" in result.output
