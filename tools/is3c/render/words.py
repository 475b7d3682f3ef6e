"""The words every format uses for the registry's codes, so that a tier or a status
reads the same in the spreadsheet, the Markdown and the web site."""

from __future__ import annotations

from is3c.model import Entry

TIER = {"urgent": "Urgent", "recommended": "Recommended", "emerging": "Emerging"}
TIER_HELP = {
    "urgent": "ask for it in every relevant tender now",
    "recommended": "ask for it where it fits",
    "emerging": "watch and pilot",
}
STATUS = {
    "accepted": "Accepted",
    "proposed": "Proposed",
    "deprecated": "Deprecated",
    "withdrawn": "Withdrawn",
}
REQUIREMENT = {"must": "Must", "should": "Should"}
KIND = {
    "standard": "Standard",
    "best-practice": "Best practice",
    "baseline": "Baseline",
    "certification-scheme": "Certification scheme",
}
METHOD = {
    "automated-test": "automated test",
    "self-declaration": "self-declaration",
    "certification": "certification",
    "audit": "audit",
}
RELATION = {
    "requires": "Requires",
    "complements": "Complements",
    "alternative-to": "Alternative to",
    "extends": "Extends",
    "part-of": "Part of",
}
RECOGNITION = {"mandatory": "mandatory", "recommended": "recommended", "identified": "identified"}


def requirement(entry: Entry) -> str:
    return REQUIREMENT[entry.procurement.requirement] if entry.procurement else ""


def methods(entry: Entry) -> str:
    if entry.verification is None:
        return ""
    return ", ".join(METHOD[m] for m in entry.verification.methods)
