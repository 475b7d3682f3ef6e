"""How the lists are made, as plain data for the site: the panel by region and
stakeholder group, the decision log newest first, and each entry's decision history.

Decided here once, like everything ``build`` decides, so a renderer only lays it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from is3c.i18n import N_

if TYPE_CHECKING:
    from is3c.decisions import LoadedDecision
    from is3c.model import Change, DecisionRecord, Entry, Member, Panel, RoleDescription

# Display order and words; the ids are the model's. The words are English message
# ids: templates show them through the language's gettext, as ``_(REGIONS[id])``.
REGIONS = {"africa": N_("Africa"), "americas": N_("Americas"), "asia": N_("Asia"),
           "europe": N_("Europe"), "oceania": N_("Oceania")}
STAKEHOLDER_GROUPS = {
    "government": N_("Government"),
    "technical-community": N_("Technical community"),
    "private-sector": N_("Private sector"),
    "civil-society": N_("Civil society"),
    "academia": N_("Academia"),
    "intergovernmental-organisation": N_("Intergovernmental organisation"),
}
ROLES = {"chair": N_("Chair"), "member": N_("Member"), "editor": N_("Editor")}
POSITIONS = {"support": N_("Support"), "object": N_("Objection"), "abstain": N_("Abstention")}
OUTCOMES = {
    "consensus": N_("Rough consensus"),
    "no-consensus": N_("No consensus"),
    "provisional": N_("Provisional: the expert panel has yet to confirm it"),
}
DECIDED_BY = {"panel": N_("The expert panel"), "working-group": N_("The working group as a body")}


@dataclass(frozen=True)
class PositionView:
    member: str  # the member's name, or the id when the panel does not list it
    affiliation: str
    position: str
    comment: str | None
    answer: str | None


@dataclass(frozen=True)
class DecisionView:
    id: str
    record: DecisionRecord
    chair: str | None  # the chair's name
    changes: tuple[tuple[Change, Entry | None], ...]  # with the entry, if it exists
    positions: tuple[PositionView, ...]

    @property
    def anchor(self) -> str:
        return f"decision-{self.id}"


@dataclass(frozen=True)
class Process:
    panel: Panel | None
    members: tuple[Member, ...]  # serving on the build's date, by name
    by_region: tuple[tuple[str, int], ...]  # (region id, count), every region
    by_group: tuple[tuple[str, int], ...]  # (stakeholder group id, count), every group
    log: tuple[DecisionView, ...]  # newest first
    history: Mapping[str, tuple[tuple[DecisionView, Change], ...]]  # entry id -> oldest first

    @property
    def roles(self) -> tuple[RoleDescription, ...]:
        return tuple(self.panel.roles) if self.panel else ()

    def history_of(self, entry_id: str) -> tuple[tuple[DecisionView, Change], ...]:
        return self.history.get(entry_id, ())


def serving_on(panel: Panel | None, date: str) -> tuple[Member, ...]:
    if panel is None:
        return ()
    members = [m for m in panel.members
               if m.term_start <= date and (m.term_end is None or date <= m.term_end)]
    return tuple(sorted(members, key=lambda m: (m.name.casefold(), m.id)))


def process_view(panel: Panel | None, decisions: tuple[LoadedDecision, ...],
                 entries: Mapping[str, Entry], date: str) -> Process:
    """The process page's content on ``date`` (the build's release date)."""
    members = serving_on(panel, date)
    regions = Counter(m.region for m in members)
    groups = Counter(m.stakeholder_group for m in members)
    everyone: dict[str, Any] = {m.id: m for m in (panel.members if panel else [])}

    def name(member_id: str) -> str:
        member = everyone.get(member_id)
        return member.name if member else member_id

    views = []
    history: dict[str, list[tuple[DecisionView, Change]]] = {}
    for loaded in decisions:  # oldest first
        record = loaded.record
        view = DecisionView(
            id=loaded.id,
            record=record,
            chair=name(record.chair) if record.chair else None,
            changes=tuple((c, entries.get(c.entry)) for c in record.changes),
            positions=tuple(
                PositionView(name(p.member), getattr(everyone.get(p.member), "affiliation", ""),
                             p.position, p.comment, p.answer)
                for p in record.positions
            ),
        )
        views.append(view)
        for change in record.changes:
            history.setdefault(change.entry, []).append((view, change))
    return Process(
        panel=panel,
        members=members,
        by_region=tuple((r, regions[r]) for r in REGIONS),
        by_group=tuple((g, groups[g]) for g in STAKEHOLDER_GROUPS),
        log=tuple(reversed(views)),
        history={k: tuple(v) for k, v in history.items()},
    )
