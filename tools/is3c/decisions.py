"""The panel and its decisions: who decides, what was decided, and whether every line
of the published lists traces back to a decision.

``registry/panel.yaml`` names the expert panel (``model.Panel``) and
``registry/decisions/<date>-<slug>.yaml`` holds one record per decision
(``model.DecisionRecord``). Both pass the same first two layers as entries (safe
loading, then schema and model); the rules here (IS3C6xx, ``docs/findings.md``) then
check the records against the panel and the entries:

- an entry's status, and an accepted entry's tier, are what the decisions that took
  effect on it say, replayed in date order; its ``review.decision`` names the newest;
- a record names only entries that exist and members serving on its date;
- an objection nobody answered blocks a "consensus" outcome (RFC 7282: rough
  consensus means objections were considered and answered, not outvoted);
- with git history (``validate --changed-since``): records are never deleted or
  edited after merge except to add a link, and a change to a published list comes
  with a decision that is new or newly cited.

Nothing here prints or runs git; ``history`` supplies old files as bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from is3c.findings import Finding, show
from is3c.load import Document, Path_, check_name, decode, dotted, load, parse

if TYPE_CHECKING:
    from is3c.model import DecisionRecord, Panel
    from is3c.rules import Context

PANEL_FILE = "panel.yaml"
DECISIONS_DIR = "decisions"
# Outcomes under which a record's changes take effect.
EFFECTIVE = ("consensus", "provisional")
# The status each action leaves an entry in.
STATUS_AFTER = {"add": "accepted", "deprecate": "deprecated", "withdraw": "withdrawn"}
WITH_TIER = ("add", "set-tier")
TIERS = ("urgent", "recommended", "emerging")
NEW_COMMAND = "is3c decision new"


@dataclass(frozen=True)
class LoadedDecision:
    file: str
    id: str  # the file name without '.yaml'
    doc: Document
    record: DecisionRecord

    @property
    def effective(self) -> bool:
        return self.record.outcome in EFFECTIVE


@dataclass(frozen=True)
class Governance:
    """The panel and the decision records of one registry, as far as they are valid."""

    panel: Panel | None = None
    panel_doc: Document | None = None
    panel_file: str = ""
    decisions: tuple[LoadedDecision, ...] = ()  # oldest first: by (date, id)
    broken: frozenset[str] = frozenset()  # ids of records that exist but did not load

    @cached_property
    def _by_id(self) -> dict[str, LoadedDecision]:
        return {d.id: d for d in self.decisions}

    @cached_property
    def _by_entry(self) -> dict[str, list[LoadedDecision]]:
        index: dict[str, list[LoadedDecision]] = {}
        for d in self.decisions:
            for entry_id in dict.fromkeys(c.entry for c in d.record.changes):
                index.setdefault(entry_id, []).append(d)
        return index

    def decision(self, decision_id: str) -> LoadedDecision | None:
        return self._by_id.get(decision_id)

    def history(self, entry_id: str) -> list[LoadedDecision]:
        """The decisions that name an entry, oldest first."""
        return self._by_entry.get(entry_id, [])


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _placeholders(doc: Document) -> list[Finding]:
    findings = []
    for path in doc.placeholders:
        line, column = doc.mark(path)
        findings.append(Finding(doc.file, line, column, "IS3C315", dotted(path),
                                "still holds a TODO placeholder",
                                f"replace it with what was decided (the record '{NEW_COMMAND}' wrote)"))
    return findings


def _check(path: Path, file: str, schema_file: Any, model: Any) -> tuple[Document | None, Any, list[Finding]]:
    """Layers 1 and 2 for one file, as for entries."""
    from is3c import schema

    doc, findings = load(path, file)
    if doc is None:
        return None, None, findings
    # The loader reads a file as far as it can: its findings and the schema's together.
    parsed, more = schema.check_document(doc, schema_file, model)
    findings += more
    if parsed is None or findings:
        return doc, None, findings
    return doc, parsed, _placeholders(doc)


def load_governance(root: Path) -> tuple[Governance, list[Finding]]:
    """Read ``panel.yaml`` and ``decisions/`` under the registry folder ``root``.

    Both are optional: a registry without them simply has no decisions, and then
    every accepted entry is reported by the rules."""
    from is3c import schema
    from is3c.model import DecisionRecord, Panel

    findings: list[Finding] = []
    panel = panel_doc = None
    panel_path = root / PANEL_FILE
    panel_file = _display(panel_path)
    if panel_path.exists() or panel_path.is_symlink():
        panel_doc, panel, problems = _check(panel_path, panel_file, schema.PANEL, Panel)
        findings += problems
    loaded: list[LoadedDecision] = []
    broken: set[str] = set()
    folder = root / DECISIONS_DIR
    if folder.is_dir() and not folder.is_symlink():
        for path in sorted(folder.iterdir()):
            file = _display(path)
            if path.name == "README.md":
                continue
            problems = check_name(path, file)
            if problems:
                findings += problems
                continue
            doc, record, problems = _check(path, file, schema.DECISION, DecisionRecord)
            findings += problems
            if record is None or doc is None:
                broken.add(path.stem)
            else:
                loaded.append(LoadedDecision(file, path.stem, doc, record))
    elif folder.is_symlink():
        findings.append(Finding(_display(folder), 1, 1, "IS3C101", "",
                                "is a symbolic link; links are never followed",
                                "make decisions/ a real folder"))
    loaded.sort(key=lambda d: (d.record.date, d.id))
    return Governance(panel, panel_doc, panel_file, tuple(loaded), frozenset(broken)), findings


# --- rules ------------------------------------------------------------------------


def _at(doc: Document, path: Path_, code: str, message: str, hint: str, *,
        key: bool = False, severity: str = "error") -> Finding:
    line, column = doc.mark(path, key=key)
    return Finding(doc.file, line, column, code, dotted(path), message, hint, severity)  # type: ignore[arg-type]


def panel_rules(gov: Governance) -> Iterator[Finding]:
    if gov.panel is None or gov.panel_doc is None:
        return
    members = gov.panel.members
    for index, member in enumerate(members):
        # One id may appear again for a new term (a new role), never for overlapping ones.
        if any(other.id == member.id and _overlap(other, member) for other in members[:index]):
            yield _at(gov.panel_doc, ("members", index, "id"), "IS3C609",
                      f"member id {show(member.id)} is listed twice for overlapping terms",
                      "end the earlier term (term_end) before the new one starts, or use another id")
        if member.term_end is not None and member.term_end < member.term_start:
            yield _at(gov.panel_doc, ("members", index, "term_end"), "IS3C610",
                      "term_end is before term_start", "check both dates")
    roles = [r.role for r in gov.panel.roles]
    for index, role in enumerate(roles):
        if role in roles[:index]:
            yield _at(gov.panel_doc, ("roles", index, "role"), "IS3C609",
                      f"role {show(role)} is described twice", "describe each role once")


def _overlap(a: Any, b: Any) -> bool:
    far = "9999-12-31"
    return a.term_start <= (b.term_end or far) and b.term_start <= (a.term_end or far)


def serving(panel: Panel | None, member_id: str, date: str) -> Any:
    """The panel member with this id whose term covers ``date``, or None."""
    if panel is None:
        return None
    for member in panel.members:
        if member.id == member_id and member.term_start <= date and (
            member.term_end is None or date <= member.term_end
        ):
            return member
    return None


def _member_finding(gov: Governance, d: LoadedDecision, path: Path_, member_id: str) -> Finding:
    date = d.record.date
    known = gov.panel is not None and any(m.id == member_id for m in gov.panel.members)
    if known:
        message = f"{show(member_id)} was not serving on the panel on {date}"
        hint = "name only members whose term in registry/panel.yaml covers the decision's date"
    else:
        message = f"{show(member_id)} is not a member in registry/panel.yaml"
        hint = "add the member to registry/panel.yaml first, or correct the id"
    return _at(d.doc, path, "IS3C605", message, hint)


def record_rules(gov: Governance, known_entries: set[str]) -> Iterator[Finding]:
    for d in gov.decisions:
        record, doc = d.record, d.doc
        if not d.id.startswith(record.date + "-"):
            yield _at(doc, ("date",), "IS3C601",
                      f"the file name {show(d.id + '.yaml')} does not start with the date {record.date}",
                      f"name the file {record.date}-<slug>.yaml")
        seen: set[tuple[str, str]] = set()
        for index, change in enumerate(record.changes):
            if change.entry not in known_entries:
                yield _at(doc, ("changes", index, "entry"), "IS3C602",
                          f"no entry has the id {show(change.entry)}",
                          "name an entry in registry/standards/, or add the entry in the same pull request")
            if change.action in WITH_TIER and change.tier is None:
                yield _at(doc, ("changes", index, "action"), "IS3C603",
                          f"action {change.action!r} needs the tier decided",
                          "add 'tier: urgent', 'tier: recommended' or 'tier: emerging' to this change")
            elif change.action not in WITH_TIER and change.tier is not None:
                yield _at(doc, ("changes", index, "tier"), "IS3C603",
                          f"action {change.action!r} does not set a tier",
                          "remove 'tier', or use action 'set-tier' in a change of its own")
            if (change.entry, change.action) in seen:
                yield _at(doc, ("changes", index), "IS3C604",
                          f"{show(change.entry)} is listed twice with action {change.action!r}",
                          "list each change once")
            seen.add((change.entry, change.action))
        yield from _process_rules(gov, d)


def _process_rules(gov: Governance, d: LoadedDecision) -> Iterator[Finding]:
    record, doc = d.record, d.doc
    if record.decided_by == "working-group":
        if record.outcome != "provisional":
            yield _at(doc, ("outcome",), "IS3C608",
                      "a decision of the working group as a body is provisional until the panel confirms it",
                      "set outcome: provisional, or record the panel's own decision (decided_by: panel)")
        if record.positions or record.chair:
            yield _at(doc, ("decided_by",), "IS3C608",
                      "a decision of the working group as a body names no chair or positions",
                      "set decided_by: panel if panel members took part")
        return
    if record.outcome == "provisional":
        yield _at(doc, ("outcome",), "IS3C608",
                  "only a decision of the working group as a body is provisional",
                  "set outcome: consensus or no-consensus")
    if record.chair is None:
        yield _at(doc, ("decided_by",), "IS3C608", "a panel decision names the chair who called it",
                  "add 'chair: <member id>'")
    elif (chair := serving(gov.panel, record.chair, record.date)) is None:
        yield _member_finding(gov, d, ("chair",), record.chair)
    elif chair.role != "chair":
        yield _at(doc, ("chair",), "IS3C605", f"{show(record.chair)} does not have the role 'chair'",
                  "name the member whose role in registry/panel.yaml is chair")
    if record.consensus_call is None:
        yield _at(doc, ("outcome",), "IS3C608", "a panel decision records the chair's consensus call",
                  "add 'consensus_call': the objections raised, how each was answered, and the call")
    seen: set[str] = set()
    for index, position in enumerate(record.positions):
        if position.member in seen:
            yield _at(doc, ("positions", index, "member"), "IS3C609",
                      f"{show(position.member)} has two positions", "keep one position per member")
        seen.add(position.member)
        if serving(gov.panel, position.member, record.date) is None:
            yield _member_finding(gov, d, ("positions", index, "member"), position.member)
        if position.position != "object":
            continue
        if position.comment is None:
            yield _at(doc, ("positions", index, "position"), "IS3C606",
                      "an objection needs the member's reasons in 'comment'",
                      "add 'comment': what the member objected to")
        if position.answer is None and record.outcome == "consensus":
            yield _at(doc, ("positions", index, "position"), "IS3C607",
                      f"the objection of {show(position.member)} has no answer, so the outcome "
                      "cannot be 'consensus'",
                      "add 'answer': how the panel considered and addressed the objection; "
                      "or set outcome: no-consensus")


def _replay(history: list[LoadedDecision], entry_id: str) -> tuple[Any, Any, Any]:
    """(status, tier, newest) after the effective decisions on an entry, each as the
    (value, decision) that last set it."""
    status = tier = newest = None
    for d in history:
        if not d.effective:
            continue
        for change in d.record.changes:
            if change.entry != entry_id:
                continue
            newest = d
            if change.action in STATUS_AFTER:
                status = (STATUS_AFTER[change.action], d)
            if change.action in WITH_TIER:
                tier = (change.tier, d)
    return status, tier, newest


def _change_hint(entry_id: str, action: str, tier: str | None = None) -> str:
    change = f"{{entry: {entry_id}, action: {action}{f', tier: {tier}' if tier else ''}}}"
    return (f"add a decision record in registry/decisions/ with the change {change} "
            f"('{NEW_COMMAND}' writes one), then set review.decision to its id")


def entry_rules(gov: Governance, ctx: Context) -> Iterator[Finding]:
    """Every entry's status and tier trace back to the decisions that made them."""
    action_for = {"accepted": "add", "deprecated": "deprecate", "withdrawn": "withdraw"}
    for item in ctx.entries:
        facts, file = item.facts, item.file

        def at(path: Path_, code: str, message: str, hint: str) -> Finding:
            line, column = ctx.locate(file, path, False)
            return Finding(file, line, column, code, dotted(path), message, hint)

        if facts.id is None or facts.status is None:
            continue  # unknown: the entry's own findings say why
        cited = facts.decision
        if cited is None and facts.has_decision is not False:
            continue  # review.decision is written but not valid: reported already
        if cited is not None and cited in gov.broken:
            continue  # the record itself is reported
        if cited is not None and gov.decision(cited) is None:
            yield at(("review", "decision"), "IS3C611", f"no decision record has the id {show(cited)}",
                     f"add registry/decisions/{cited}.yaml, or name an existing record")
            continue
        status, tier, newest = _replay(gov.history(facts.id), facts.id)
        if facts.status == "proposed":
            if status is not None:
                yield at(("lifecycle", "status"), "IS3C613",
                         f"decision {show(status[1].id)} made the status {show(status[0])}, "
                         "but the entry says 'proposed'",
                         f"set lifecycle.status: {status[0]}, or record a decision that changes it")
            continue
        if cited is None:
            if facts.status != "accepted":  # accepted entries get IS3C309
                yield at(("lifecycle", "status"), "IS3C611",
                         f"a {facts.status} entry needs the decision in review.decision",
                         _change_hint(facts.id, action_for[facts.status]))
            continue
        if status is None or status[0] != facts.status:
            said = f"; the decisions made it {show(status[0])}" if status else ""
            yield at(("lifecycle", "status"), "IS3C613",
                     f"no decision made the status {show(facts.status)}{said}",
                     _change_hint(facts.id, action_for[facts.status],
                                  facts.tier if facts.status == "accepted" else None))
        elif (facts.status == "accepted" and facts.tier is not None
              and (tier is None or tier[0] != facts.tier)):
            said = f"; decision {show(tier[1].id)} set {show(tier[0])}" if tier else ""
            yield at(("priority", "tier"), "IS3C614",
                     f"no decision set the tier {show(facts.tier)}{said}",
                     _change_hint(facts.id, "set-tier", facts.tier))
        named = gov.decision(cited)
        if named is not None and not any(c.entry == facts.id for c in named.record.changes):
            yield at(("review", "decision"), "IS3C612", f"decision {show(cited)} does not name this entry",
                     f"set review.decision: {newest.id}" if newest is not None
                     else "name the decision that made the entry's status")
        elif newest is not None and newest.id != cited:
            yield at(("review", "decision"), "IS3C612",
                     f"review.decision names {show(cited)}, but the newest decision on this entry "
                     f"is {show(newest.id)}", f"set review.decision: {newest.id}")


def check(gov: Governance, ctx: Context) -> list[Finding]:
    """Rules on the panel, the decision records, and entries against the records."""
    known = ctx.known_ids
    return [*panel_rules(gov), *record_rules(gov, known), *entry_rules(gov, ctx)]


# --- history: what a change since a revision did ----------------------------------


def parse_files(files: Mapping[str, bytes]) -> dict[str, dict[str, Any]]:
    """Decision records by id from ``{relative path: bytes}`` (as ``history.files_at``
    gives for the decisions folder); files that do not load are left out."""
    from is3c.load import FILE_NAME

    records = {}
    for name, data in sorted(files.items()):
        if "/" in name or not FILE_NAME.match(name):
            continue  # such a file is reported by validation; its name is never printed
        text, _ = decode(data, name)
        doc, _ = parse(text, name) if text is not None else (None, [])
        if doc is not None:
            records[name[:-len(".yaml")]] = doc.data
    return records


def files_on_disk(root: Path) -> dict[str, bytes]:
    from is3c.load import read_bytes

    files = {}
    folder = root / DECISIONS_DIR
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            data, _ = read_bytes(path, str(path))
            if data is not None:
                files[path.name] = data
    return files


def _only_links_added(old: dict[str, Any], new: dict[str, Any]) -> bool:
    old_links, new_links = old.get("links") or [], new.get("links") or []
    rest_old = {k: v for k, v in old.items() if k != "links"}
    rest_new = {k: v for k, v in new.items() if k != "links"}
    return rest_old == rest_new and isinstance(new_links, list) and new_links[: len(old_links)] == old_links


@dataclass(frozen=True)
class ListChange:
    """One change to a published list: what happened to an entry, and the decision
    that authorises it (None when there is none)."""

    entry: str
    action: str  # add, set-tier, change-clause, deprecate, withdraw, or remove
    tier: str | None
    decision: str | None

    @property
    def described(self) -> str:
        words = {
            "add": f"put on the list as {self.tier}",
            "set-tier": f"tier changed to {self.tier}",
            "change-clause": "tender clause changed",
            "deprecate": "deprecated",
            "withdraw": "withdrawn",
            "remove": "taken off the list",
        }
        return words[self.action]


def _get(data: Any, *path: str) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def list_changes(
    old_entries: Mapping[str, dict[str, Any]], new_entries: Mapping[str, dict[str, Any]],
    old_decisions: Mapping[str, dict[str, Any]], new_decisions: Mapping[str, dict[str, Any]],
) -> list[ListChange]:
    """What changed on the published lists between two snapshots (plain data, as
    ``diff.snapshot`` gives), each with the decision that authorises it: a record in
    the new snapshot, with an effective outcome, that lists that very change, and
    that is new or that the entry newly cites in ``review.decision``."""
    changes = []
    for entry_id in sorted(new_entries):  # a deleted entry is its own error (IS3C314)
        before, after = old_entries.get(entry_id, {}), new_entries[entry_id]
        was = _get(before, "lifecycle", "status") == "accepted"
        now = _get(after, "lifecycle", "status") == "accepted"
        tier = _get(after, "priority", "tier")
        tier = tier if tier in TIERS else "an unknown tier"  # text from a file; printed later
        found: list[tuple[str, str | None]] = []
        if now and not was:
            found.append(("add", tier))
        elif was and not now:
            status = _get(after, "lifecycle", "status")
            found.append(({"deprecated": "deprecate", "withdrawn": "withdraw"}.get(status, "remove"), None))
        elif was and now:
            if _get(before, "priority", "tier") != tier:
                found.append(("set-tier", tier))
            if _get(before, "procurement", "tender_clause") != _get(after, "procurement", "tender_clause"):
                found.append(("change-clause", None))
        cited = _get(after, "review", "decision")
        newly_cited = cited if cited != _get(before, "review", "decision") else None
        for action, wanted_tier in found:
            changes.append(ListChange(entry_id, action, wanted_tier, _authorising(
                entry_id, action, wanted_tier, old_decisions, new_decisions, newly_cited)))
    return changes


def _authorising(entry_id: str, action: str, tier: str | None, old: Mapping[str, dict[str, Any]],
                 new: Mapping[str, dict[str, Any]], newly_cited: str | None) -> str | None:
    for decision_id in sorted(new, reverse=True):  # newest first
        record = new[decision_id]
        if decision_id in old and decision_id != newly_cited:
            continue
        if record.get("outcome") not in EFFECTIVE:
            continue
        for change in record.get("changes") or []:
            if not isinstance(change, dict) or change.get("entry") != entry_id:
                continue
            if change.get("action") == action and (action not in WITH_TIER or change.get("tier") == tier):
                return decision_id
            # Putting an entry on the list at a tier also sets that tier.
            if action == "set-tier" and change.get("action") == "add" and change.get("tier") == tier:
                return decision_id
    return None


_PATH_OF = {
    "add": ("lifecycle", "status"), "remove": ("lifecycle", "status"),
    "deprecate": ("lifecycle", "status"), "withdraw": ("lifecycle", "status"),
    "set-tier": ("priority", "tier"), "change-clause": ("procurement", "tender_clause"),
}


def history_findings(
    root: Path, old_entries: Mapping[str, dict[str, Any]], new_entries: Mapping[str, dict[str, Any]],
    old_decisions: Mapping[str, dict[str, Any]], new_decisions: Mapping[str, dict[str, Any]],
) -> list[Finding]:
    """What ``validate --changed-since`` adds: records deleted or edited after merge,
    and changes to the published lists that no new or newly cited decision authorises."""
    findings = []
    folder = root / DECISIONS_DIR
    for decision_id in sorted(old_decisions):
        file = _display(folder / f"{decision_id}.yaml")
        if decision_id not in new_decisions:
            findings.append(Finding(file, 1, 1, "IS3C615", "",
                                    "a merged decision record was deleted; decisions stay on record",
                                    "restore the file; to undo a decision, record a new one"))
            continue
        old, new = old_decisions[decision_id], new_decisions[decision_id]
        if old != new and not _only_links_added(old, new):
            changed = sorted(k for k in set(old) | set(new) if k != "links" and old.get(k) != new.get(k))
            doc, _ = load(folder / f"{decision_id}.yaml", file)
            path: Path_ = (changed[0],) if changed else ("links",)
            line, column = doc.mark(path) if doc is not None else (1, 1)
            findings.append(Finding(
                file, line, column, "IS3C616", dotted(path),
                "a merged decision record was edited; only links may be added to it",
                "undo the edit; to change what was decided, record a new decision",
            ))
    for change in list_changes(old_entries, new_entries, old_decisions, new_decisions):
        if change.decision is not None:
            continue
        file = _display(root / "standards" / f"{change.entry}.yaml")
        path = _PATH_OF[change.action]
        doc, _ = load(root / "standards" / f"{change.entry}.yaml", file)
        line, column = doc.mark(path) if doc is not None else (1, 1)
        if change.action == "remove":
            hint = ("an entry leaves the list by a decision to deprecate or withdraw it: "
                    + _change_hint(change.entry, "deprecate"))
        else:
            hint = _change_hint(change.entry, change.action, change.tier)
        findings.append(Finding(
            file, line, column, "IS3C617", dotted(path),
            f"{change.entry}: {change.described}, but no decision new in this change, or newly "
            "cited in review.decision, authorises it", hint,
        ))
    return findings


def split_snapshot(files: Mapping[str, bytes]) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Entries and decision records by id, from registry files given as ``{path
    relative to the registry folder: bytes}`` (as ``history.files_at`` gives)."""
    from is3c.diff import snapshot

    prefix = DECISIONS_DIR + "/"
    return snapshot(dict(files)), parse_files({k[len(prefix):]: v for k, v in files.items()
                                               if k.startswith(prefix)})


def working_tree_files(root: Path) -> dict[str, bytes]:
    """The working tree's entry and decision files, in the form ``split_snapshot`` takes."""
    from is3c.diff import files_on_disk as entry_files

    return {**entry_files(root), **{f"{DECISIONS_DIR}/{k}": v for k, v in files_on_disk(root).items()}}


def list_changes_between(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]) -> list[ListChange]:
    return list_changes(*zip_snapshots(old_files, new_files))


def zip_snapshots(old_files: Mapping[str, bytes], new_files: Mapping[str, bytes]) -> tuple[Any, Any, Any, Any]:
    old_entries, old_decisions = split_snapshot(old_files)
    new_entries, new_decisions = split_snapshot(new_files)
    return old_entries, new_entries, old_decisions, new_decisions


def changed_since_findings(root: Path, old_files: Mapping[str, bytes]) -> list[Finding]:
    """``history_findings`` between the registry files of a revision and the working tree."""
    return history_findings(root, *zip_snapshots(old_files, working_tree_files(root)))


# --- scaffolding a record ---------------------------------------------------------


def scaffold(date: str, title: str | None, changes: list[ListChange]) -> str:
    """A decision record for ``changes``, with TODO where the panel's words go, so that
    ``is3c validate`` reports it until it is complete."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/decision.schema.json",
        f"# Written by '{NEW_COMMAND}'. Replace every TODO, uncomment and fill in the chair",
        "# and the positions, run 'is3c fmt' and 'is3c validate'. docs/content-guide.md",
        "# explains each field.",
        f"title: {_quoted(title) if title else 'TODO the decision in a few words'}",
        f"date: {date}",
        "question: TODO the question put to the panel",
        "decided_by: panel",
        "# chair: <id of the chair in registry/panel.yaml>",
        "changes:",
    ]
    for change in sorted(changes, key=lambda c: (c.entry, c.action)):
        action = "deprecate" if change.action == "remove" else change.action
        lines += [f"  - entry: {change.entry}", f"    action: {action}"]
        if change.tier:
            lines.append(f"    tier: {change.tier}")
    lines += [
        "# positions:  one for each member who took part",
        "#   - member: <id in registry/panel.yaml>",
        "#     position: support  # or object, or abstain",
        "#     comment: <for an objection: the reasons>",
        "#     answer: <for an objection: how the panel considered and addressed it>",
        "consensus_call: >-",
        "  TODO the chair's call: the objections raised, how each was answered, and",
        "  whether the panel has rough consensus (RFC 7282); not a vote count",
        "outcome: consensus  # or no-consensus",
        "# links:  the minutes or the discussion",
        "#   - title: <e.g. Minutes of the panel call>",
        "#     url: <https://...>",
    ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    import json

    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def cite(text: str, decision_id: str) -> str | None:
    """The entry's text with ``review.decision`` set to ``decision_id``, changing only
    the lines of the review block (other edits to the file stay as they are); None
    when the entry has no top-level ``review:`` block to put it in."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip("\r\n") == "review:")
    except StopIteration:
        return None
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "#")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep blank lines after the block where they are
    new_line = f"  decision: {decision_id}\n"
    for index in range(start + 1, end):
        if lines[index].startswith("  decision:"):
            stop = index + 1  # a value written as a mapping (the old form) goes with it
            while stop < end and lines[stop].startswith("    "):
                stop += 1
            return "".join([*lines[:index], new_line, *lines[stop:]])
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join([*lines[:end], new_line, *lines[end:]])
