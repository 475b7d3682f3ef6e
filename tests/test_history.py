"""Git-backed commands on real repositories: diff, --changed-since, new."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import WriteEntry, entry_text

from is3c.cli import main


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(registry: Path, write_entry: WriteEntry) -> Path:
    """A git repository holding a small registry, with one commit tagged v2026.1."""
    top = registry.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "test@example.org")
    git(top, "config", "user.name", "Test")
    write_entry("dnssec.yaml", entry_text("dnssec", **{
        "tier: recommended": "tier: urgent\n  target_date: 2027-01-01",
        "status: proposed": "status: accepted",
        "proposed_by: Test Suite": "proposed_by: Test Suite\n  decision: 2026-01-01-first",
        "lifecycle:": PROCUREMENT + "lifecycle:"}))
    write_entry("spf.yaml", entry_text("spf"))
    write_entry("dane.yaml", entry_text("dane"))
    (registry / "decisions").mkdir()
    (registry / "decisions" / "2026-01-01-first.yaml").write_text(FIRST_DECISION, encoding="utf-8")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    git(top, "tag", "v2026.1")
    return top


FIRST_DECISION = """title: The first list
date: 2026-01-01
question: What does the list start with?
decided_by: working-group
changes:
  - entry: dnssec
    action: add
    tier: urgent
outcome: provisional
"""

PROCUREMENT = """procurement:
  requirement: must
  tender_clause: The supplier MUST sign every domain.
  evidence:
    - A test report.
verification:
  methods:
    - automated-test
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_diff_reports_additions_promotions_status_and_fields(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("spf.yaml", entry_text("spf", **{"tier: recommended": "tier: urgent", "status: proposed": "status: accepted",
                                               "proposed_by: Test Suite": "proposed_by: Test Suite\n  decision: 2026-02-01-spf",
                                               "lifecycle:": PROCUREMENT + "lifecycle:",
                                               "summary: A short": "summary: A better"}))
    write_entry("dkim.yaml", entry_text("dkim"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "second")
    code, out = run("diff", "v2026.1", "HEAD")
    assert code == 0
    assert out.splitlines() == [
        "Registry changes from v2026.1 to HEAD:",
        "Added:",
        "  dkim: 'Example Standard' (recommended, proposed)",
        "Now on the urgent list:",
        "  spf: 'Example Standard' (urgent, accepted)",
        "Status changed:",
        "  spf: proposed -> accepted",
        "Tier changed:",
        "  spf: recommended -> urgent",
        "Fields changed:",
        "  spf: lifecycle.status, priority.tier, procurement, review.decision, summary, verification",
        "    summary: A [-short-] {+better+} plain-language summary.",
        "    priority.tier: [-recommended-] {+urgent+}",
        "    procurement.requirement: {+must+}",
        "    procurement.tender_clause: {+The supplier MUST sign every domain.+}",
        "    procurement.evidence: {+A test report.+}",
        "    verification.methods: {+automated-test+}",
        "    lifecycle.status: [-proposed-] {+accepted+}",
        "    review.decision: {+2026-02-01-spf+}",
        "Decisions behind the changes to the lists:",
        "  spf: put on the list as urgent: NO DECISION (add or cite one)",
    ]


CLAUSE = ("The supplier MUST sign every zone it hosts for the buyer with DNSSEC, keep its keys "
          "in a hardware security module, and roll them at least once a year.")


def test_diff_shows_a_changed_clause_word_by_word(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("spf.yaml", entry_text("spf", **{"lifecycle:": PROCUREMENT.replace(
        "The supplier MUST sign every domain.", CLAUSE) + "lifecycle:"}))
    git(repo, "commit", "-q", "-am", "clause")
    git(repo, "tag", "v2026.2")
    new_clause = CLAUSE.replace("at least once a year", "at least every two years").replace(
        "keep its keys", "keep its signing keys")
    write_entry("spf.yaml", entry_text("spf", **{"lifecycle:": PROCUREMENT.replace(
        "The supplier MUST sign every domain.", new_clause) + "lifecycle:"}))
    code, out = run("diff", "v2026.2")
    assert code == 0
    assert out.splitlines()[-2:] == [
        "  spf: procurement.tender_clause",
        "    procurement.tender_clause: … the buyer with DNSSEC, keep its {+signing+} "
        "keys in a hardware security module, and roll them at least [-once a year.-] "
        "{+every two years.+}",
    ]
    # An ellipsis is text like any other: never written as an escape.
    assert "\\u2026" not in out
    code, out = run("diff", "v2026.2", "--format", "markdown")
    assert ("  - procurement.tender\\_clause: … the buyer with DNSSEC, keep its "
            "**signing** keys") in out
    assert "at least ~~once a year.~~ **every two years.**" in out
    code, out = run("diff", "v2026.2", "--format", "json")
    change, = json.loads(out)["changed"][0]["changes"]
    assert change["path"] == "procurement.tender_clause"
    assert change["words"][1:3] == [["+", "signing"], ["=", "keys in a hardware security module, and roll them at least"]]


def test_diff_escapes_ids_that_come_from_file_names(repo: Path) -> None:
    hostile = repo / "registry" / "standards" / "evil\u202e\x1b[31m.yaml"
    hostile.write_text(entry_text("evil"), encoding="utf-8")
    expected = {"text": "  evil\\u202e\\x1b[31m: 'Example Standard'",
                "markdown": "- **evil\\\\u202e\\\\x1b\\[31m**: Example Standard",
                "json": '"id": "evil\\u202e\\u001b[31m"'}
    for style, line in expected.items():
        code, out = run("diff", "v2026.1", "--format", style)
        assert code == 0
        assert "\u202e" not in out and "\x1b" not in out, style
        assert line in out, (style, out)


def test_diff_against_the_working_tree_in_markdown_and_json(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", entry_text("dnssec"))
    code, out = run("diff", "v2026.1", "--format", "markdown")
    assert code == 0
    assert out.startswith("## Registry changes: v2026.1 → working tree\n")
    assert "### No longer on the urgent list\n\n- **dnssec**: Example Standard (recommended, proposed)" in out
    code, out = run("diff", "v2026.1", "--format", "json")
    payload = json.loads(out)
    assert [d["id"] for d in payload["dropped"]] == ["dnssec"]
    assert payload["status"] == [{"id": "dnssec", "title": "Example Standard", "before": "accepted", "after": "proposed"}]


def test_deleted_entry_is_an_error_in_diff(repo: Path) -> None:
    (repo / "registry" / "standards" / "dane.yaml").unlink()
    git(repo, "commit", "-q", "-am", "drop dane")
    code, out = run("diff", "v2026.1", "HEAD")
    assert code == 1
    assert "REMOVED (entries must be withdrawn, never deleted):\n  dane:" in out


def test_markdown_escapes_hostile_titles(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("evil.yaml", entry_text("evil", **{"title: Example Standard": 'title: "[click](https://evil.example) <img src=x> @team"'}))
    code, out = run("diff", "v2026.1", "--format", "markdown")
    assert "\\[click\\](https\\://evil.example) \\<img src=x\\> \\@team" in out
    assert "<img" not in out.replace("\\<img", "")


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, out = run("diff", "--", "--output=/tmp/x")
    assert code == 2
    assert "unknown revision '--output=/tmp/x'" in out


def test_changed_since_checks_only_changed_files_plus_rules(repo: Path, write_entry: WriteEntry) -> None:
    # An old broken file that the change does not touch is not reported...
    write_entry("broken.yaml", "id: broken\n\tx\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken")
    base = git(repo, "rev-parse", "HEAD").strip()
    # ...but a new file with a typo and a dangling reference are.
    write_entry("new.yaml", entry_text("new", **{"kind: standard": "kind: standart"}))
    write_entry("spf.yaml", entry_text("spf", **{"lifecycle:": "related:\n  - id: nope\n    relation: requires\nlifecycle:"}))
    code, out = run("validate", "--changed-since", base)
    assert code == 1
    lines = [line for line in out.splitlines() if ": error " in line]
    assert [line.split(": error ")[1].split()[0] for line in lines] == ["IS3C204", "IS3C305"]
    assert all("broken.yaml" not in line for line in lines)


def test_changed_since_reports_deleted_entries(repo: Path) -> None:
    (repo / "registry" / "standards" / "dane.yaml").unlink()
    code, out = run("validate", "--changed-since", "v2026.1")
    assert code == 1
    assert out.splitlines()[0] == (
        "registry/standards/dane.yaml:1:1: error IS3C314 was deleted; entries are withdrawn, never deleted")


def test_changed_since_with_nothing_changed_is_clean(repo: Path) -> None:
    assert run("validate", "--changed-since", "HEAD") == (0, "0 files checked: no problems found.\n")


NEW_FLAGS = ["--title", "Example", "--short-name", "EX", "--kind", "standard", "--category", "dns",
             "--tier", "recommended", "--applies-to", "website", "--proposed-by", "Ada"]


def test_new_scaffolds_an_entry_that_names_what_to_fill_in(repo: Path) -> None:
    code, out = run("new", "mta-sts", *NEW_FLAGS)
    assert code == 0, out
    path = repo / "registry" / "standards" / "mta-sts.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/entry.schema.json\n")
    assert "# The risk it removes, in words a budget holder understands.\n" in text
    code, out = run("validate", "registry/standards/mta-sts.yaml")
    assert code == 1
    codes = {line.split(": error ")[1].split()[0] for line in out.splitlines() if ": error " in line}
    assert codes == {"IS3C315"}
    assert run("fmt", "--check", "registry/standards/mta-sts.yaml")[0] == 0


def test_new_refuses_existing_and_former_ids(repo: Path) -> None:
    code, out = run("new", "spf", *NEW_FLAGS)
    assert code == 2 and "already exists" in out
    (repo / "registry" / "standards" / "dane.yaml").unlink()
    git(repo, "commit", "-q", "-am", "drop dane")
    code, out = run("new", "dane", *NEW_FLAGS)
    assert code == 2 and "was used before; ids are never reused" in out


@pytest.mark.parametrize("entry_id", ["con", "nul", "com3", "lpt1"])
def test_new_refuses_ids_windows_cannot_name_a_file(repo: Path, entry_id: str) -> None:
    code, out = run("new", entry_id, *NEW_FLAGS)
    assert code == 2
    assert out == (f"is3c: '{entry_id}' cannot be an id: {entry_id}.yaml cannot exist on Windows "
                   f"({entry_id.upper()} is a reserved device name)\n")
    assert not (repo / "registry" / "standards" / f"{entry_id}.yaml").exists()


def test_new_without_a_terminal_requires_every_option(repo: Path) -> None:
    code, out = run("new", "caa", "--title", "x")
    assert code == 2 and "missing --short-name" in out
