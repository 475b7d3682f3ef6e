"""The words every format uses for the registry's codes, so that a tier or a status
reads the same in the spreadsheet, the Markdown and the web site."""

from __future__ import annotations

from collections.abc import Callable

from is3c.i18n import N_
from is3c.model import Entry

# The values are English message ids: show them through the language's gettext,
# e.g. ``_(TIER[tier])``; N_ only marks them for 'is3c i18n extract'.

TIER = {"urgent": N_("Urgent"), "recommended": N_("Recommended"), "emerging": N_("Emerging")}
TIER_HELP = {
    "urgent": N_("ask for it in every relevant tender now"),
    "recommended": N_("ask for it where it fits"),
    "emerging": N_("watch and pilot"),
}
STATUS = {
    "accepted": N_("Accepted"),
    "proposed": N_("Proposed"),
    "deprecated": N_("Deprecated"),
    "withdrawn": N_("Withdrawn"),
}
REQUIREMENT = {"must": N_("Must"), "should": N_("Should")}
KIND = {
    "standard": N_("Standard"),
    "best-practice": N_("Best practice"),
    "baseline": N_("Baseline"),
    "certification-scheme": N_("Certification scheme"),
}
METHOD = {
    "automated-test": N_("automated test"),
    "self-declaration": N_("self-declaration"),
    "certification": N_("certification"),
    "audit": N_("audit"),
}
RELATION = {
    "requires": N_("Requires"),
    "complements": N_("Complements"),
    "alternative-to": N_("Alternative to"),
    "extends": N_("Extends"),
    "part-of": N_("Part of"),
}
RECOGNITION = {"mandatory": N_("mandatory"), "recommended": N_("recommended"), "identified": N_("identified")}


def _same(text: str) -> str:
    return text


def requirement(entry: Entry, gettext: Callable[[str], str] = _same) -> str:
    return gettext(REQUIREMENT[entry.procurement.requirement]) if entry.procurement else ""


def methods(entry: Entry, gettext: Callable[[str], str] = _same) -> str:
    if entry.verification is None:
        return ""
    return gettext(", ").join(gettext(METHOD[m]) for m in entry.verification.methods)
