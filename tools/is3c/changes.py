"""What changed, and when: each entry's history and each release's changes, from git.

``read`` runs a fixed handful of git calls whatever the registry's size (one log of
the registry folder with the blobs before and after each change, one read of those
blobs, the release tags): never one call per entry. Everything after that is pure:
the same history gives the same events, dated by their commits, so a build stays
byte-identical. Entries are compared as plain data with ``diff.compare``, the same
comparison ``is3c diff`` prints; without a git repository there is simply no history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from is3c import store
from is3c.machine import parallel_map
from is3c.diff import RegistryDiff, compare, snapshot

STANDARDS = "standards/"
# From this many versions of entries to parse, the history is parsed on every core.
PARALLEL_MIN_VERSIONS = 200
# Release tags, as the publish workflow accepts them: v2026.1.
RELEASE_GLOB = "v[0-9][0-9][0-9][0-9].*"
RELEASE_TAG = re.compile(r"v[0-9]{4}\.[1-9][0-9]*")

# Event kinds, in the order one commit's events are shown.
KINDS = ("listed", "added", "status", "tier", "clause", "text", "removed")
# Bookkeeping that changes without the text an officer reads changing.
# Fields whose change is no news to an officer: review dates, and the decision record an
# entry points at (the entry page lists its decisions in a section of its own).
BOOKKEEPING = ("translations", "lifecycle.last_reviewed", "lifecycle.next_review_due",
               "lifecycle.facts_checked", "review.decision")


@dataclass(frozen=True)
class Event:
    """One change to one entry in one commit."""

    entry: str
    kind: str  # one of KINDS
    time: int  # commit time, seconds since the epoch
    commit: str
    before: str = ""  # the old status or tier
    after: str = ""  # the new status or tier
    fields: tuple[str, ...] = ()  # for 'text': the fields that changed
    applies_to: tuple[str, ...] = ()  # product types before or after the change
    on_list: bool = False  # accepted before or after: a published list changed
    title: str = ""  # the entry's title after the change (English)

    @property
    def date(self) -> str:
        return _date(self.time)

    @property
    def updated(self) -> datetime:
        return datetime.fromtimestamp(self.time, tz=timezone.utc)

    @property
    def id(self) -> str:
        """Stable for ever: the commit, the entry and the kind of change."""
        return f"urn:is3c:change:{self.commit}:{self.entry}:{self.kind}"


@dataclass(frozen=True)
class EntryHistory:
    events: tuple[Event, ...] = ()  # newest first

    @property
    def listed(self) -> str | None:
        """When the entry first went on the list."""
        dates = [e.date for e in self.events if e.kind == "listed"]
        return dates[-1] if dates else None

    @property
    def changed(self) -> str | None:
        """When its text or standing last changed."""
        return self.events[0].date if self.events else None


@dataclass(frozen=True)
class ReleaseChanges:
    """What one release changed since the one before, as ``is3c diff`` sees it."""

    tag: str
    previous: str | None
    time: int
    diff: RegistryDiff
    clauses: Mapping[str, str] = field(default_factory=dict)  # id -> the new clause (English)

    @property
    def date(self) -> str:
        return _date(self.time)


@dataclass(frozen=True)
class History:
    available: bool
    entries: Mapping[str, EntryHistory] = field(default_factory=dict)
    events: tuple[Event, ...] = ()  # newest first
    releases: tuple[ReleaseChanges, ...] = ()  # newest first

    def of(self, entry_id: str) -> EntryHistory:
        return self.entries.get(entry_id, EntryHistory())


NO_HISTORY = History(available=False)


def _date(time: int) -> str:
    return datetime.fromtimestamp(time, tz=timezone.utc).strftime("%Y-%m-%d")


def _get(data: Mapping[str, Any] | None, *path: str) -> Any:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _applies(*versions: Mapping[str, Any] | None) -> tuple[str, ...]:
    found: set[str] = set()
    for data in versions:
        value = _get(data, "applies_to")
        if isinstance(value, list):
            found.update(str(v) for v in value)
    return tuple(sorted(found))


def entry_events(entry_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                 commit: str, time: int) -> list[Event]:
    """The changes one commit made to one entry, in words of the lists: listed,
    added (not yet accepted), status, tier, tender clause, other text, removed."""
    if before == after:
        return []
    common = dict(commit=commit, time=time, applies_to=_applies(before, after),
                  on_list="accepted" in (_get(before, "lifecycle", "status"),
                                         _get(after, "lifecycle", "status")),
                  title=str(_get(after or before, "title") or ""))
    status = str(_get(after, "lifecycle", "status") or "")
    if before is None:
        return [Event(entry_id, "listed" if status == "accepted" else "added", after=status,
                      **common)]  # type: ignore[arg-type]
    if after is None:
        return [Event(entry_id, "removed", before=str(_get(before, "lifecycle", "status") or ""),
                      **common)]  # type: ignore[arg-type]
    result = compare({entry_id: before}, {entry_id: after}, "", "")
    events = []
    for transition in result.status:
        kind = "listed" if transition.after == "accepted" else "status"
        events.append(Event(entry_id, kind, before=transition.before, after=transition.after,
                            **common))  # type: ignore[arg-type]
    for transition in result.tier:
        events.append(Event(entry_id, "tier", before=transition.before, after=transition.after,
                            **common))  # type: ignore[arg-type]
    fields = [f for c in result.changed for f in c.fields]
    if any(f in ("procurement", "procurement.tender_clause", "procurement.requirement")
           for f in fields):
        events.append(Event(entry_id, "clause", **common))  # type: ignore[arg-type]
    other = tuple(f for f in fields if not f.startswith(("procurement", "priority.tier",
                                                         "lifecycle.status"))
                  and f not in BOOKKEEPING)
    if other:
        events.append(Event(entry_id, "text", fields=other, **common))  # type: ignore[arg-type]
    return events


def _entry_id(path: str, prefix: str) -> str | None:
    """The entry id of a path in the repository, if it is an entry file."""
    if not path.startswith(prefix) or not path.endswith(".yaml"):
        return None
    name = path[len(prefix):-len(".yaml")]
    return None if "/" in name or not name else name


def read(root: Path, kept: Any = None) -> History:
    """The history of the registry at ``root``, or NO_HISTORY when there is no git
    repository (or no git) to ask, or only a shallow clone. ``kept`` (a
    ``store.Store``) remembers each version of an entry as parsed, by its blob."""
    from is3c import history

    try:
        repo = history.toplevel(root)
        # A shallow clone would date every entry to its one commit: no history is better.
        if history.run_git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true":
            return NO_HISTORY
        folder = history.relative(repo, root)
        commits = history.log(repo, folder)
        prefix = ("" if folder in ("", ".") else folder.rstrip("/") + "/") + STANDARDS
        versions = {(sha, entry_id) for c in commits for path, old, new in c.files
                    if (entry_id := _entry_id(path, prefix)) for sha in (old, new) if sha}
        known = _known(versions, kept)
        contents = history.blobs(repo, {sha for sha, _ in versions if sha not in known})
        known.update(_parse(versions, contents, kept))
        tags = [t for t in history.release_tags(repo, RELEASE_GLOB) if RELEASE_TAG.fullmatch(t[0])]
        line = history.run_git(repo, "rev-list", "--first-parent", "HEAD").decode().split() \
            if tags else []
    except history.GitError:
        return NO_HISTORY
    return replay(commits, contents, prefix, tags, line, kept, known)


def _known(versions: set[tuple[str, str]], kept: Any) -> dict[str, dict[str, Any] | None]:
    """The versions of entries (blob, id) parsed by an earlier build, by blob: their
    content need not be read from git again."""
    known: dict[str, dict[str, Any] | None] = {}
    if kept is not None:
        for sha, entry_id in versions:
            found = kept.get(store.key("snapshot", sha, entry_id))
            if isinstance(found, dict) and "data" in found:
                known[sha] = found["data"]
    return known


def _parse_one(job: tuple[str, str, bytes]) -> tuple[str, dict[str, Any] | None]:
    sha, entry_id, content = job
    return sha, snapshot({f"{STANDARDS}{entry_id}.yaml": content}).get(entry_id)


def _parse(versions: set[tuple[str, str]], contents: Mapping[str, bytes],
           kept: Any) -> dict[str, dict[str, Any] | None]:
    """The versions read from git, parsed (on every core when there are many), and
    kept in ``kept`` for the next build."""
    jobs = sorted((sha, entry_id, contents[sha]) for sha, entry_id in versions if sha in contents)
    if kept is not None and len(jobs) >= PARALLEL_MIN_VERSIONS:
        kept.close()  # a database connection must not cross the pool's fork
    parsed = dict(parallel_map(_parse_one, jobs, PARALLEL_MIN_VERSIONS))
    if kept is not None:
        for sha, entry_id, _ in jobs:
            kept.put(store.key("snapshot", sha, entry_id), {"data": parsed[sha]})
    return parsed


def replay(commits: list[Any], contents: Mapping[str, bytes], prefix: str,
           tags: list[tuple[str, str, int]], line: list[str], kept: Any = None,
           known: Mapping[str, dict[str, Any] | None] | None = None) -> History:
    """Events from the commits (oldest first), and the state of the registry at each
    release tag on the main line, compared release by release. ``known``: versions
    already parsed, by blob (``_known``); the others are parsed from ``contents`` and
    kept in ``kept`` for the next build."""
    parsed: dict[str, dict[str, Any] | None] = dict(known or {})

    def data(sha: str, entry_id: str) -> dict[str, Any] | None:
        if sha in parsed:
            return parsed[sha]
        if not sha or sha not in contents:
            return None
        parsed[sha] = snapshot({f"{STANDARDS}{entry_id}.yaml": contents[sha]}).get(entry_id)
        if kept is not None:
            kept.put(store.key("snapshot", sha, entry_id), {"data": parsed[sha]})
        return parsed[sha]

    events: list[Event] = []
    state: dict[str, str] = {}  # entry id -> blob, as of the commit being replayed
    states: dict[str, dict[str, str]] = {}  # commit -> state after it
    for commit in commits:
        for path, old, new in sorted(commit.files):
            entry_id = _entry_id(path, prefix)
            if entry_id is None:
                continue
            if new:
                state[entry_id] = new
            else:
                state.pop(entry_id, None)
            events += sorted(entry_events(entry_id, data(old, entry_id), data(new, entry_id),
                                          commit.id, commit.time),
                             key=lambda e: -KINDS.index(e.kind))
        states[commit.id] = dict(state)
    events.reverse()  # newest first; one commit's events in KINDS order
    by_entry: dict[str, list[Event]] = {}
    for event in events:
        by_entry.setdefault(event.entry, []).append(event)

    # The registry at each tag: the state after the last registry commit at or
    # before the tag on the main line (line is newest first).
    position = {sha: index for index, sha in enumerate(line)}
    releases: list[ReleaseChanges] = []
    previous_tag: str | None = None
    previous_state: dict[str, str] = {}
    for tag, commit_id, time in tags:
        if commit_id not in position:
            continue
        at = position[commit_id]
        tag_state = next((states[sha] for sha in line[at:] if sha in states), {})
        ids = {i for i in set(tag_state) | set(previous_state)
               if tag_state.get(i) != previous_state.get(i)}
        old = {i: d for i in ids if (d := data(previous_state.get(i, ""), i)) is not None}
        new = {i: d for i in ids if (d := data(tag_state.get(i, ""), i)) is not None}
        result = compare(old, new, previous_tag or "", tag)
        clauses = {c.id: str(_get(new.get(c.id), "procurement", "tender_clause") or "")
                   for c in result.changed
                   if any(f.startswith("procurement") for f in c.fields)}
        releases.append(ReleaseChanges(tag, previous_tag, time, result, clauses))
        previous_tag, previous_state = tag, tag_state
    releases.reverse()
    return History(True, {k: EntryHistory(tuple(v)) for k, v in sorted(by_entry.items())},
                   tuple(events), tuple(releases))
