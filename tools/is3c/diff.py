"""What a change does to the published lists: the heart of pull request summaries
and release notes.

Works on the plain data of two registry snapshots (read safely, schema not
required), so it can describe any two revisions, even ones that do not validate.
Each changed text is shown word by word, old and new, so a reviewer reads what a
clause now says without opening the files. Text from the files is escaped and
cut short in every format, as in ``is3c validate``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from is3c.findings import json_safe, safe, show
from is3c.load import decode, dotted, parse

# Unchanged words kept on each side of a change; the rest is shown as '…'.
CONTEXT_WORDS = 6

STANDARDS_PREFIX = "standards/"


def snapshot(files: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Entries by id from registry files (paths relative to registry/); files that
    do not load are left out, validation reports them."""
    entries = {}
    for name, data in sorted(files.items()):
        if not (name.startswith(STANDARDS_PREFIX) and name.endswith(".yaml")) or "/" in name[len(STANDARDS_PREFIX):]:
            continue
        text, findings = decode(data, name)
        if text is None or findings:
            continue
        doc, findings = parse(text, name)
        if doc is not None and not findings:
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


# One piece of a word-level difference: "=" unchanged, "-" removed, "+" added.
Words = list[tuple[str, str]]


@dataclass(frozen=True)
class Change:
    """One changed value: its field path and the difference, word by word."""

    path: str
    words: Words


@dataclass(frozen=True)
class FieldChanges:
    id: str
    title: str
    fields: list[str]
    changes: list[Change] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> dict[str, str]:
    """Every value of an entry as text, by field path; a list of plain values is one
    text (its items joined by commas), a list of sections is gone through item by item."""
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, item in value.items():
            out.update(_leaves(item, (*path, str(key))))
        return out
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return {dotted(path): ", ".join(_text(item) for item in value)}
        out = {}
        for index, item in enumerate(value):
            out.update(_leaves(item, (*path, index)))
        return out
    return {dotted(path): _text(value)}


def _trim(words: list[str], after_change: bool, before_change: bool) -> str:
    """Unchanged words around a change, with what lies further away left out."""
    room = CONTEXT_WORDS * (int(after_change) + int(before_change))
    if len(words) <= room + 1:
        return " ".join(words)
    head = words[:CONTEXT_WORDS] if after_change else []
    tail = words[-CONTEXT_WORDS:] if before_change else []
    return " ".join([*head, "…", *tail])


def word_diff(before: str, after: str) -> Words:
    """The difference between two texts, word by word, with only a few unchanged
    words kept around each change."""
    old, new = before.split(), after.split()
    pieces: list[tuple[str, list[str]]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(("-", old[i1:i2]))
        if j2 > j1:
            pieces.append(("+", new[j1:j2]))
    if all(op == "=" for op, _ in pieces):
        return [("=", "(only white space changed)")]
    words: Words = []
    for index, (op, run) in enumerate(pieces):
        if op == "=":
            text = _trim(run, after_change=index > 0, before_change=index < len(pieces) - 1)
        else:
            text = " ".join(run)
        words.append((op, text))
    return words


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every changed value of an entry, in the order of the new file (removed ones last)."""
    before, after = _leaves(old), _leaves(new)
    paths = [p for p in after if before.get(p) != after[p]] + [p for p in before if p not in after]
    return [Change(path, word_diff(before.get(path, ""), after.get(path, ""))) for path in paths]


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
        result.changed.append(FieldChanges(entry_id, title, changed_fields(before, after),
                                           changes(before, after)))
    return result


# --- output -----------------------------------------------------------------------


def render_json(diff: RegistryDiff) -> str:
    payload = asdict(diff)
    for entry in payload["changed"]:
        for change in entry["changes"]:
            change["words"] = [[op, _cut(text)] for op, text in change["words"]]
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True)) + "\n"


def _cut(text: str) -> str:
    from is3c.findings import MAX_VALUE_CHARS

    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


_TEXT_MARKS = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}


def _words_text(words: Words) -> str:
    """git's --word-diff style: [-removed-] and {+added+}."""
    return " ".join(_TEXT_MARKS[op].format(safe(text)) for op, text in words)


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
    head = f"Registry changes from {safe(diff.old)} to {safe(diff.new)}:"
    if diff.empty:
        return head + " none.\n"
    lines = [head]
    for heading, items in _sections(
        diff,
        lambda e: f"  {safe(e.id)}: {show(e.title)} ({safe(e.tier)}, {safe(e.status)})",
        lambda t: f"  {safe(t.id)}: {safe(t.before)} -> {safe(t.after)}",
        lambda c: "\n".join([f"  {safe(c.id)}: {safe(', '.join(c.fields), None)}",
                             *(f"    {safe(d.path)}: {_words_text(d.words)}" for d in c.changes)]),
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
    from is3c.render.markdown import text as escape

    def md(text: str) -> str:
        return escape(safe(text))

    def words(change: Change) -> str:
        marks = {"=": "{}", "-": "~~{}~~", "+": "**{}**"}
        return " ".join(marks[op].format(md(text)) for op, text in change.words)

    lines = [f"## Registry changes: {md(diff.old)} → {md(diff.new)}", ""]
    if diff.empty:
        return "\n".join([*lines, "No entries changed.", ""])
    for heading, items in _sections(
        diff,
        lambda e: f"- **{md(e.id)}**: {md(e.title)} ({md(e.tier)}, {md(e.status)})",
        lambda t: f"- **{md(t.id)}**: {md(t.before)} → {md(t.after)}",
        lambda c: "\n".join([f"- **{md(c.id)}**: {escape(safe(', '.join(c.fields), None))}",
                             *(f"  - {md(d.path)}: {words(d)}" for d in c.changes)]),
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
