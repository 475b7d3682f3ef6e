"""What a change does to the published lists: the heart of pull request summaries
and release notes.

Works on the plain data of two registry snapshots (read safely, schema not
required), so it can describe any two revisions, even ones that do not validate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from is3c.load import decode, parse

STANDARDS_PREFIX = "standards/"


def snapshot(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Entries by id from registry files (paths relative to registry/); files that
    do not load are left out, validation reports them."""
    entries = {}
    for name, data in sorted(files.items()):
        if not (name.startswith(STANDARDS_PREFIX) and name.endswith(".yaml")) or "/" in name[len(STANDARDS_PREFIX):]:
            continue
        text, _ = decode(data, name)
        doc, _ = parse(text, name) if text is not None else (None, [])
        if doc is not None:
            entries[name[len(STANDARDS_PREFIX):-len(".yaml")]] = doc.data
    return entries


def files_on_disk(root: Path) -> dict[str, bytes]:
    """The working tree's entry files, read as safely as validation reads them, in
    the form ``snapshot`` takes (paths relative to the registry folder)."""
    from is3c.load import read_bytes

    files = {}
    for path in sorted((root / "standards").glob("*.yaml")):
        data, _ = read_bytes(path, str(path))
        if data is not None:
            files[f"{STANDARDS_PREFIX}{path.name}"] = data
    return files


def _get(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def on_urgent_list(data: dict[str, Any]) -> bool:
    return _get(data, "lifecycle", "status") == "accepted" and _get(data, "priority", "tier") == "urgent"


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Top-level fields that differ, one level deeper for sections such as priority."""
    changed = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict) and key != "translations":
            changed += [f"{key}.{sub}" for sub in sorted(set(before) | set(after)) if before.get(sub) != after.get(sub)]
        else:
            changed.append(str(key))
    return changed


@dataclass(frozen=True)
class EntryLine:
    id: str
    title: str
    tier: str
    status: str


@dataclass(frozen=True)
class Transition:
    id: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class FieldChanges:
    id: str
    title: str
    fields: list[str]


@dataclass(frozen=True)
class Authorisation:
    """A change to a published list and the decision record behind it (None: none)."""

    id: str
    change: str
    decision: str | None


@dataclass
class RegistryDiff:
    old: str
    new: str
    added: list[EntryLine] = field(default_factory=list)
    removed: list[EntryLine] = field(default_factory=list)
    promoted: list[EntryLine] = field(default_factory=list)
    dropped: list[EntryLine] = field(default_factory=list)
    status: list[Transition] = field(default_factory=list)
    tier: list[Transition] = field(default_factory=list)
    changed: list[FieldChanges] = field(default_factory=list)
    # Filled in by the caller that has the decision records (decisions.list_changes).
    authorised: list[Authorisation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.added, self.removed, self.promoted, self.dropped, self.status, self.tier, self.changed))


def _line(entry_id: str, data: dict[str, Any]) -> EntryLine:
    return EntryLine(entry_id, str(data.get("title", "")), str(_get(data, "priority", "tier") or ""),
                     str(_get(data, "lifecycle", "status") or ""))


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], old_name: str, new_name: str) -> RegistryDiff:
    result = RegistryDiff(old_name, new_name)
    for entry_id in sorted(set(new) - set(old)):
        result.added.append(_line(entry_id, new[entry_id]))
        if on_urgent_list(new[entry_id]):
            result.promoted.append(_line(entry_id, new[entry_id]))
    for entry_id in sorted(set(old) - set(new)):
        result.removed.append(_line(entry_id, old[entry_id]))
        if on_urgent_list(old[entry_id]):
            result.dropped.append(_line(entry_id, old[entry_id]))
    for entry_id in sorted(set(old) & set(new)):
        before, after = old[entry_id], new[entry_id]
        if before == after:
            continue
        title = str(after.get("title", ""))
        if on_urgent_list(after) and not on_urgent_list(before):
            result.promoted.append(_line(entry_id, after))
        if on_urgent_list(before) and not on_urgent_list(after):
            result.dropped.append(_line(entry_id, after))
        for path, bucket in ((("lifecycle", "status"), result.status), (("priority", "tier"), result.tier)):
            was, now = _get(before, *path), _get(after, *path)
            if was != now:
                bucket.append(Transition(entry_id, title, str(was), str(now)))
        result.changed.append(FieldChanges(entry_id, title, changed_fields(before, after)))
    return result


# --- output -----------------------------------------------------------------------


def render_json(diff: RegistryDiff) -> str:
    return json.dumps(asdict(diff), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _sections(
    diff: RegistryDiff,
    entry: Callable[[EntryLine], str],
    transition: Callable[[Transition], str],
    fields: Callable[[FieldChanges], str],
    removed: str,
) -> list[tuple[str, list[str]]]:
    """The report's sections in order, with each item written by the caller's style."""
    return [
        ("Added", [entry(e) for e in diff.added]),
        (removed, [entry(e) for e in diff.removed]),
        ("Now on the urgent list", [entry(e) for e in diff.promoted]),
        ("No longer on the urgent list", [entry(e) for e in diff.dropped]),
        ("Status changed", [transition(t) for t in diff.status]),
        ("Tier changed", [transition(t) for t in diff.tier]),
        ("Fields changed", [fields(c) for c in diff.changed]),
    ]


def render_text(diff: RegistryDiff) -> str:
    from is3c.findings import show

    head = f"Registry changes from {diff.old} to {diff.new}:"
    if diff.empty:
        return head + " none.\n"
    lines = [head]
    for heading, items in _sections(
        diff,
        lambda e: f"  {e.id}: {show(e.title)} ({e.tier}, {e.status})",
        lambda t: f"  {t.id}: {t.before} -> {t.after}",
        lambda c: f"  {c.id}: {', '.join(c.fields)}",
        "REMOVED (entries must be withdrawn, never deleted)",
    ):
        if items:
            lines += [f"{heading}:", *items]
    if diff.authorised:
        lines.append("Decisions behind the changes to the lists:")
        lines += [f"  {a.id}: {a.change}: "
                  + (f"decision {a.decision}" if a.decision else "NO DECISION (add or cite one)")
                  for a in diff.authorised]
    return "\n".join(lines) + "\n"


def render_markdown(diff: RegistryDiff) -> str:
    """For pull request summaries and release notes; entry text is escaped so that it
    cannot add links, images, mentions or HTML."""
    from is3c.render.markdown import text as md

    lines = [f"## Registry changes: {md(diff.old)} → {md(diff.new)}", ""]
    if diff.empty:
        return "\n".join([*lines, "No entries changed.", ""])
    for heading, items in _sections(
        diff,
        lambda e: f"- **{md(e.id)}**: {md(e.title)} ({md(e.tier)}, {md(e.status)})",
        lambda t: f"- **{md(t.id)}**: {md(t.before)} → {md(t.after)}",
        lambda c: f"- **{md(c.id)}**: {md(', '.join(c.fields))}",
        "⚠️ Removed: entries must be withdrawn, never deleted",
    ):
        if items:
            lines += [f"### {heading}", "", *items, ""]
    if diff.authorised:
        lines += ["### Decisions behind the changes to the lists", ""]
        lines += [f"- **{md(a.id)}**: {md(a.change)}: "
                  + (f"decision {md(a.decision)}" if a.decision
                     else "⚠️ **no decision**: add a decision record or cite one in `review.decision`")
                  for a in diff.authorised]
        lines.append("")
    counts = (f"{len(diff.added)} added, {len(diff.changed)} changed, {len(diff.removed)} removed; "
              f"urgent list: {len(diff.promoted)} in, {len(diff.dropped)} out.")
    return "\n".join([*lines, counts, ""])


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
