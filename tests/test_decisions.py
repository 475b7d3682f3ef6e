"""The panel and its decision records: the rules, and their history in real git repositories."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, WriteEntry, entry_text

from is3c import codeowners, decisions
from is3c.cli import main
from is3c.findings import CODES
from is3c.validate import validate

PANEL = """\
body: Test Working Group
github_team: example/test-panel
roles:
  - role: chair
    description: Calls rough consensus.
members:
  - id: ada
    name: Example Chair
    affiliation: Example Ministry
    stakeholder_group: government
    region: europe
    role: chair
    term_start: 2026-01-01
  - id: bo
    name: Example Engineer
    affiliation: Example Operator
    stakeholder_group: private-sector
    region: asia
    role: member
    term_start: 2026-01-01
    term_end: 2026-06-30
"""

PROCUREMENT = """procurement:
  requirement: must
  tender_clause: The supplier MUST sign every domain for the whole contract term.
  evidence:
    - A test report.
verification:
  methods:
    - automated-test
"""

# An accepted urgent entry whose tier and status come from the decision named.
def accepted(entry_id: str = "dnssec", decision: str = "2026-02-01-start", tier: str = "urgent") -> str:
    return entry_text(entry_id, **{
        "tier: recommended": f"tier: {tier}",
        "status: proposed": "status: accepted",
        "proposed_by: Test Suite": f"proposed_by: Test Suite\n  decision: {decision}",
        "lifecycle:": PROCUREMENT + "lifecycle:",
    })


def record(*changes: str, date: str = "2026-02-01", positions: str = "", outcome: str = "consensus",
           extra: str = "") -> str:
    lines = "".join(f"  - {c}\n" for c in changes)
    return (f"title: A test decision\ndate: {date}\nquestion: Should it be so?\ndecided_by: panel\n"
            f"chair: ada\nchanges:\n{lines}{positions}consensus_call: No objection was left "
            f"unanswered.\noutcome: {outcome}\n{extra}")


def add(entry_id: str = "dnssec", tier: str = "urgent") -> str:
    return f"entry: {entry_id}\n    action: add\n    tier: {tier}"


@pytest.fixture
def panel(registry: Path) -> Path:
    (registry / "panel.yaml").write_text(PANEL, encoding="utf-8")
    (registry / "decisions").mkdir()
    return registry


def write_decision(registry: Path, name: str, text: str) -> Path:
    path = registry / "decisions" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def found(registry: Path) -> list[tuple[str, int, str, str]]:
    return [(f.file, f.line, f.code, f.path) for f in validate(registry).findings]


# --- the rules ---------------------------------------------------------------------


def test_an_entry_with_its_decision_passes(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted())
    write_decision(panel, "2026-02-01-start", record(add()))
    assert found(panel) == []


def test_a_tier_without_a_decision_says_what_to_add(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(tier="recommended"))
    write_decision(panel, "2026-02-01-start", record(add()))
    [finding] = validate(panel).findings
    assert (finding.file, finding.line, finding.code, finding.path) == (
        "registry/standards/dnssec.yaml", 18, "IS3C614", "priority.tier")
    assert finding.message == "no decision set the tier 'recommended'; decision '2026-02-01-start' set 'urgent'"
    assert finding.hint == (
        "add a decision record in registry/decisions/ with the change {entry: dnssec, action: set-tier, "
        "tier: recommended} ('is3c decision new' writes one), then set review.decision to its id")


def test_a_later_decision_sets_the_tier_and_must_be_cited(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(tier="recommended"))
    write_decision(panel, "2026-02-01-start", record(add()))
    write_decision(panel, "2026-03-01-demote", record(
        "entry: dnssec\n    action: set-tier\n    tier: recommended", date="2026-03-01"))
    assert found(panel) == [("registry/standards/dnssec.yaml", 34, "IS3C612", "review.decision")]
    write_entry("dnssec.yaml", accepted(tier="recommended", decision="2026-03-01-demote"))
    assert found(panel) == []


def test_accepted_without_any_decision_and_proposed_despite_one(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(decision="2026-02-01-start"))
    write_decision(panel, "2026-02-01-start", record(add("spf")))
    write_entry("spf.yaml", entry_text("spf"))
    assert found(panel) == [
        ("registry/standards/dnssec.yaml", 31, "IS3C613", "lifecycle.status"),
        ("registry/standards/dnssec.yaml", 34, "IS3C612", "review.decision"),
        ("registry/standards/spf.yaml", 23, "IS3C613", "lifecycle.status"),
    ]


def test_a_decision_without_consensus_changes_nothing(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted())
    write_decision(panel, "2026-02-01-start", record(add(), outcome="no-consensus"))
    assert found(panel) == [("registry/standards/dnssec.yaml", 31, "IS3C613", "lifecycle.status")]


def test_an_unanswered_objection_blocks_consensus(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted())
    objection = ("positions:\n  - member: ada\n    position: support\n  - member: bo\n    position: object\n"
                 "    comment: Too costly for small suppliers.\n")
    path = write_decision(panel, "2026-02-01-start", record(add(), positions=objection))
    [finding] = validate(panel).findings
    assert (finding.file, finding.line, finding.code, finding.path) == (
        "registry/decisions/2026-02-01-start.yaml", 14, "IS3C607", "positions[1].position")
    assert finding.message == "the objection of 'bo' has no answer, so the outcome cannot be 'consensus'"
    # Answered, the objection no longer blocks; without consensus, nothing takes effect.
    path.write_text(record(add(), positions=objection + "    answer: Cheap tools exist; see the guide.\n"))
    assert found(panel) == []
    path.write_text(record(add(), positions=objection, outcome="no-consensus"))
    assert [f[2] for f in found(panel)] == ["IS3C613"]


def test_only_members_serving_on_the_date(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(decision="2026-08-01-start"))
    write_decision(panel, "2026-08-01-start", record(add(), date="2026-08-01", positions=(
        "positions:\n  - member: bo\n    position: support\n  - member: cy\n    position: abstain\n")))
    result = validate(panel).findings
    assert [(f.line, f.code, f.path, f.message) for f in result] == [
        (11, "IS3C605", "positions[0].member", "'bo' was not serving on the panel on 2026-08-01"),
        (13, "IS3C605", "positions[1].member", "'cy' is not a member in registry/panel.yaml"),
    ]


def test_record_shape_rules(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(decision="2026-02-01-start"))
    write_decision(panel, "2026-02-01-start", record(
        add(), "entry: dnssec\n    action: set-tier", "entry: nope\n    action: withdraw",
        "entry: dnssec\n    action: add\n    tier: urgent",
        positions="positions:\n  - member: ada\n    position: object\n    answer: None needed.\n"))
    write_decision(panel, "2026-01-01-misdated", record(add(), date="2026-02-02").replace(
        "decided_by: panel\nchair: ada\n", "decided_by: panel\n").replace("consensus_call: No objection was left unanswered.\n", ""))
    assert [(f[0].rsplit("/", 1)[1], f[2], f[3]) for f in found(panel)] == [
        ("2026-01-01-misdated.yaml", "IS3C601", "date"),
        ("2026-01-01-misdated.yaml", "IS3C608", "decided_by"),
        ("2026-01-01-misdated.yaml", "IS3C608", "outcome"),
        ("2026-02-01-start.yaml", "IS3C603", "changes[1].action"),
        ("2026-02-01-start.yaml", "IS3C602", "changes[2].entry"),
        ("2026-02-01-start.yaml", "IS3C604", "changes[3]"),
        ("2026-02-01-start.yaml", "IS3C606", "positions[0].position"),
        # the misdated record is the newer one, by its date
        ("dnssec.yaml", "IS3C612", "review.decision"),
    ]


def test_the_working_group_as_a_body_decides_provisionally(panel: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted())
    body = record(add()).replace("decided_by: panel\nchair: ada\n", "decided_by: working-group\n")
    path = write_decision(panel, "2026-02-01-start", body)
    assert [(f[2], f[3]) for f in found(panel)] == [("IS3C608", "outcome")]
    path.write_text(body.replace("outcome: consensus", "outcome: provisional"))
    assert found(panel) == []


def test_a_member_may_return_in_a_new_role(panel: Path) -> None:
    text = PANEL + PANEL[PANEL.index("  - id: bo"):].replace("role: member", "role: chair").replace(
        "term_start: 2026-01-01\n    term_end: 2026-06-30", "term_start: 2026-07-01")
    (panel / "panel.yaml").write_text(text)
    assert found(panel) == []
    (panel / "panel.yaml").write_text(text.replace("term_start: 2026-07-01", "term_start: 2026-06-30"))
    assert [(f[2], f[3]) for f in found(panel)] == [("IS3C609", "members[2].id")]


def test_panel_rules(panel: Path) -> None:
    text = PANEL + PANEL[PANEL.index("  - id: ada"):PANEL.index("  - id: bo")].replace(
        "term_start: 2026-01-01", "term_start: 2026-01-01\n    term_end: 2025-01-01")
    (panel / "panel.yaml").write_text(text)
    assert [(f[2], f[3]) for f in found(panel)] == [("IS3C610", "members[2].term_end")]


def test_schema_and_loader_check_records_with_lines(panel: Path, write_entry: WriteEntry) -> None:
    write_decision(panel, "2026-02-01-start", record(add()).replace("decided_by: panel", "decided_by: pannel"))
    write_decision(panel, "2026-02-02-x", "title: [unclosed\n")
    (panel / "decisions" / "Bad Name.yaml").write_text("title: x\n")
    write_entry("dnssec.yaml", accepted())
    result = validate(panel).findings
    assert [(f.file.rsplit("/", 1)[1], f.line, f.code) for f in result] == [
        ("2026-02-01-start.yaml", 4, "IS3C204"),
        ("2026-02-02-x.yaml", 1, "IS3C203"),  # read as far as it goes: a list, not text
        ("2026-02-02-x.yaml", 2, "IS3C105"),
        ("Bad Name.yaml", 1, "IS3C102"),
    ]
    assert result[0].hint == "did you mean 'panel'?"


def test_the_seed_list_is_one_provisional_record_of_the_working_group() -> None:
    registry = REPO / "registry"
    seed = yaml.safe_load((registry / "decisions" / "2026-11-22-seed-list.yaml").read_text())
    assert (seed["decided_by"], seed["outcome"]) == ("working-group", "provisional")
    assert "has yet to confirm it" in seed["context"]
    covered = {c["entry"] for c in seed["changes"]}
    for path in sorted((registry / "standards").glob("*.yaml")):
        entry = yaml.safe_load(path.read_text())
        decision = entry.get("review", {}).get("decision")
        if entry["lifecycle"]["status"] == "proposed":
            assert decision is None, path.name
        elif decision == "2026-11-22-seed-list":
            assert entry["id"] in covered
    members = yaml.safe_load((registry / "panel.yaml").read_text())["members"]
    assert members == [], "no member may be listed until the working group names the panel"


def test_every_code_is_documented() -> None:
    documented = set(re.findall(r"\| (IS3C\d{3}) \|", (REPO / "docs" / "findings.md").read_text()))
    assert {code for code in CODES if code.startswith("IS3C6")} <= documented


# --- history, in real git repositories ------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def repo(panel: Path, write_entry: WriteEntry) -> Path:
    """A repository with an accepted urgent entry, its decision, and a proposed entry."""
    top = panel.parent
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "test@example.org")
    git(top, "config", "user.name", "Test")
    write_entry("dnssec.yaml", accepted())
    write_entry("spf.yaml", entry_text("spf"))
    write_decision(panel, "2026-02-01-start", record(add()))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    return top


def codes(out: str) -> list[str]:
    return re.findall(r"error (IS3C\d{3})", out)


def test_git_a_tier_change_needs_a_decision_then_passes_with_one(repo: Path, write_entry: WriteEntry) -> None:
    registry = repo / "registry"
    write_entry("dnssec.yaml", accepted(tier="recommended"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert code == 1
    assert codes(out) == ["IS3C614", "IS3C617"]
    assert ("dnssec: tier changed to recommended, but no decision new in this change, or newly cited "
            "in review.decision, authorises it") in out
    assert "fix: add a decision record in registry/decisions/ with the change {entry: dnssec, action: set-tier, tier: recommended}" in out

    code, out = run("decision", "new", "demote-dnssec", "--date", "2026-03-01", "--title", "DNSSEC: recommended")
    assert code == 0, out
    assert out.startswith("created registry/decisions/2026-03-01-demote-dnssec.yaml with 1 change")
    assert "review.decision set in: dnssec." in out
    scaffold = registry / "decisions" / "2026-03-01-demote-dnssec.yaml"
    assert yaml.safe_load(scaffold.read_text())["changes"] == [
        {"entry": "dnssec", "action": "set-tier", "tier": "recommended"}]
    # Only the review line changed in the entry.
    assert (registry / "standards" / "dnssec.yaml").read_text() == accepted(
        tier="recommended", decision="2026-03-01-demote-dnssec")
    code, out = run("validate", "--changed-since", "HEAD")
    assert code == 1 and set(codes(out)) == {"IS3C315", "IS3C608"}  # the TODOs and the chair

    scaffold.write_text(record("entry: dnssec\n    action: set-tier\n    tier: recommended", date="2026-03-01"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert (code, codes(out)) == (0, []), out
    code, out = run("diff", "HEAD", "--format", "markdown")
    assert "- **dnssec**: tier changed to recommended: decision 2026-03-01-demote-dnssec" in out


def test_git_an_unanswered_objection_blocks_consensus(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted(tier="recommended", decision="2026-03-01-demote"))
    objection = ("positions:\n  - member: ada\n    position: support\n  - member: bo\n    position: object\n"
                 "    comment: Buyers still need it urgently.\n")
    path = write_decision(repo / "registry", "2026-03-01-demote", record(
        "entry: dnssec\n    action: set-tier\n    tier: recommended", date="2026-03-01", positions=objection))
    code, out = run("validate", "--changed-since", "HEAD", "--format", "github")
    assert code == 1
    assert ("::error file=registry/decisions/2026-03-01-demote.yaml,line=14,col=15,title=IS3C607::"
            "positions[1].position: the objection of 'bo' has no answer") in out
    path.write_text(path.read_text().replace(
        "    comment: Buyers still need it urgently.\n",
        "    comment: Buyers still need it urgently.\n    answer: The annex keeps it as a MUST for DNS hosting.\n"))
    assert run("validate", "--changed-since", "HEAD")[0] == 0


def test_git_a_clause_change_needs_a_decision(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", accepted().replace("sign every domain", "sign every zone"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert (code, codes(out)) == (1, ["IS3C617"])
    code, out = run("diff", "HEAD")
    assert "  dnssec: tender clause changed: NO DECISION (add or cite one)" in out
    # An old decision cannot be cited again for a new change: only a new one authorises it.
    write_decision(repo / "registry", "2026-04-01-clause", record(
        "entry: dnssec\n    action: change-clause", date="2026-04-01"))
    write_entry("dnssec.yaml", accepted(decision="2026-04-01-clause").replace("sign every domain", "sign every zone"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert (code, codes(out)) == (0, []), out


def test_git_merged_decisions_are_never_edited_or_deleted(repo: Path) -> None:
    path = repo / "registry" / "decisions" / "2026-02-01-start.yaml"
    original = path.read_text()
    path.write_text(original + "links:\n  - title: Minutes\n    url: https://example.org/minutes\n")
    code, out = run("validate", "--changed-since", "HEAD")
    assert (code, codes(out)) == (0, []), out  # adding a link is allowed
    path.write_text(original.replace("Should it be so?", "Should it be otherwise?"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert code == 1
    assert ("registry/decisions/2026-02-01-start.yaml:3:11: error IS3C616 question: a merged decision record "
            "was edited; only links may be added to it") in out
    path.unlink()
    code, out = run("validate", "--changed-since", "HEAD")
    assert "error IS3C615" in out and code == 1


def test_git_accepting_a_proposed_entry(repo: Path, write_entry: WriteEntry) -> None:
    write_entry("spf.yaml", accepted("spf", decision="2026-05-01-spf", tier="recommended"))
    code, out = run("validate", "--changed-since", "HEAD")
    assert sorted(codes(out)) == ["IS3C611", "IS3C617"]
    code, out = run("decision", "new", "spf")
    assert code == 0, out
    [created] = (repo / "registry" / "decisions").glob("*-spf.yaml")
    assert "  - entry: spf\n    action: add\n    tier: recommended\n" in created.read_text()
    assert (repo / "registry" / "standards" / "spf.yaml").read_text() == accepted(
        "spf", decision=created.stem, tier="recommended")


def test_cite_changes_only_the_review_block() -> None:
    old_form = "id: x\nreview:\n  proposed_by: A\n  decision:\n    outcome: accepted\n    date: 2026-01-01\n" \
               "translations:\n  fr:\n    title: T\n"
    assert decisions.cite(old_form, "2026-02-01-y") == (
        "id: x\nreview:\n  proposed_by: A\n  decision: 2026-02-01-y\ntranslations:\n  fr:\n    title: T\n")
    assert decisions.cite("id: x\nreview:\n  proposed_by: >-\n    A long\n    name\n\nz: 1\n", "d") == (
        "id: x\nreview:\n  proposed_by: >-\n    A long\n    name\n  decision: d\n\nz: 1\n")
    assert decisions.cite("id: x\n", "d") is None


def test_decision_new_refuses_when_nothing_changed(repo: Path) -> None:
    code, out = run("decision", "new", "nothing")
    assert code == 2
    assert "no entry in the working tree changes a published list" in out


# --- CODEOWNERS ----------------------------------------------------------------------


def test_committed_codeowners_is_the_generated_one() -> None:
    expected = codeowners.render(codeowners.read_panel(REPO / "registry"))
    committed = (REPO / codeowners.CODEOWNERS_PATH).read_text(encoding="utf-8")
    assert committed == expected, f"run '{codeowners.FIX_COMMAND}' and commit the result"
    # While no editor is named, the registry stays with the panel's team.
    assert "\n/registry/    @is3c/wg5-panel\n" in committed


def test_codeowners_names_current_editors(panel: Path) -> None:
    editors = (
        "  - id: cy\n    name: Example Editor\n    affiliation: Example University\n"
        "    stakeholder_group: academia\n    region: africa\n    github: Example-Ed\n"
        "    role: editor\n    term_start: 2026-01-01\n"
        "  - id: di\n    name: Former Editor\n    affiliation: Example NGO\n"
        "    stakeholder_group: civil-society\n    region: oceania\n    github: former\n"
        "    role: editor\n    term_start: 2026-01-01\n    term_end: 2026-02-01\n"
    )
    (panel / "panel.yaml").write_text(PANEL + editors)
    text = codeowners.render(codeowners.read_panel(panel))
    assert "\n/registry/    @Example-Ed\n" in text
    assert "@former" not in text
    code, out = run("codeowners", "--check")
    assert code == 1 and "out of date; run 'is3c codeowners --write'" in out
    assert run("codeowners", "--write")[0] == 0
    assert run("codeowners", "--check") == (0, "CODEOWNERS is up to date\n")
