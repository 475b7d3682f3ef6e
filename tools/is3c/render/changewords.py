"""One change in words an officer understands, in the page's language: the entry
pages, the feeds and the release pages all say a change the same way."""

from __future__ import annotations

from collections.abc import Callable

from is3c.changes import BOOKKEEPING, Event, ReleaseChanges
from is3c.diff import FieldChanges
from is3c.i18n import N_
from is3c.render import words

# Changes that alter what a published list asks of a bidder: the feeds carry these.
FEED_KINDS = ("listed", "status", "tier", "clause", "removed")

FIELDS = {
    "title": N_("title"), "short_name": N_("short name"), "summary": N_("summary"),
    "benefit": N_("why it matters"), "priority.rationale": N_("why this priority"),
    "priority.target_date": N_("target date"), "specifications": N_("specifications"),
    "verification": N_("how to verify"), "recognition": N_("where it is recognised"),
    "related": N_("related standards"), "applies_to": N_("what it applies to"),
    "maintainer": N_("maintainer"), "category": N_("category"), "kind": N_("kind"),
    "lifecycle.reason": N_("reason"),
}


def _field(name: str, _: Callable[[str], str]) -> str:
    top = name if name in FIELDS else name.split(".")[0]
    return _(FIELDS[top]) if top in FIELDS else name


# Changes that have their own sentence or section (status, tier, clause).
_OWN_SECTION = ("lifecycle.status", "priority.tier", "procurement")


def fields(names: list[str] | tuple[str, ...], _: Callable[[str], str]) -> str:
    """The other fields an officer reads, in words; "" if none."""
    return _(", ").join(sorted({_field(f, _) for f in names
                                if f not in BOOKKEEPING and not f.startswith(_OWN_SECTION)}))


def other_changes(release: ReleaseChanges, _: Callable[[str], str]) -> list[tuple[FieldChanges, str]]:
    """The entries a release changed in other ways than status, tier or clause, with
    those changes in words."""
    found = [(c, fields(c.fields, _)) for c in release.diff.changed]
    return [(c, words) for c, words in found if words]


def _word(table: dict[str, str], value: str, _: Callable[[str], str]) -> str:
    return _(table[value]) if value in table else value


def describe(event: Event, _: Callable[[str], str]) -> str:
    """The change as one sentence, without the entry's name."""
    if event.kind == "listed":
        return _("Put on the list.")
    if event.kind == "added":
        return _("Proposed for the list.")
    if event.kind == "removed":
        return _("Removed from the registry.")
    if event.kind == "status":
        return _("Status changed from %(before)s to %(after)s.") % {
            "before": _word(words.STATUS, event.before, _), "after": _word(words.STATUS, event.after, _)}
    if event.kind == "tier":
        return _("Priority changed from %(before)s to %(after)s.") % {
            "before": _word(words.TIER, event.before, _), "after": _word(words.TIER, event.after, _)}
    if event.kind == "clause":
        return _("The tender clause changed.")
    return _("Text changed: %(fields)s.") % {"fields": fields(event.fields, _)}
