"""Did-you-mean hints: a suggestion only when it is close in spelling or in meaning.

A far-fetched suggestion costs an expert more than none at all, so a name is
suggested only when it differs from what was written by a typo or two (letters
swapped, missing, doubled or wrong; case, '_' against '-'), is the only allowed
value that starts with it, or means the same (a relation written ``needs`` is
``requires``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Words experts write for an allowed value, by what they mean; the first listed
# that is allowed where the word was written is suggested. Keys are normalised
# (lower case, '-' for '_' and spaces).
SAME_MEANING: Mapping[str, tuple[str, ...]] = {
    # relation (related[].relation)
    "needs": ("requires",), "need": ("requires",), "depends-on": ("requires",),
    "depends": ("requires",), "require": ("requires",), "uses": ("requires",),
    "prerequisite": ("requires",), "complement": ("complements",),
    "complementary": ("complements",), "supports": ("complements",),
    "works-with": ("complements",), "alternative": ("alternative-to",),
    "instead-of": ("alternative-to",), "or": ("alternative-to",),
    "extension": ("extends",), "builds-on": ("extends",), "based-on": ("extends",),
    "part": ("part-of",), "member-of": ("part-of",), "subset-of": ("part-of",),
    "component-of": ("part-of",),
    # tier
    "high": ("urgent",), "critical": ("urgent",), "essential": ("urgent",), "top": ("urgent",),
    "medium": ("recommended",), "normal": ("recommended",), "low": ("emerging",),
    "future": ("emerging",), "watch": ("emerging",), "pilot": ("emerging",),
    "experimental": ("emerging",),
    # lifecycle.status and review.decision.outcome
    "approved": ("accepted",), "active": ("accepted",), "published": ("accepted",),
    "adopted": ("accepted",), "listed": ("accepted", "identified"), "draft": ("proposed",),
    "pending": ("proposed", "deferred"), "candidate": ("proposed",), "new": ("proposed",),
    "submitted": ("proposed",), "obsolete": ("deprecated",), "retired": ("deprecated",),
    "superseded": ("deprecated",), "legacy": ("deprecated",), "outdated": ("deprecated",),
    "removed": ("withdrawn",), "deleted": ("withdrawn",), "dropped": ("withdrawn",),
    "revoked": ("withdrawn",), "declined": ("rejected",), "refused": ("rejected",),
    "postponed": ("deferred",), "later": ("deferred",),
    # kind
    "rfc": ("standard",), "specification": ("standard",), "protocol": ("standard",),
    "norm": ("standard",), "practice": ("best-practice",), "bcp": ("best-practice",),
    "guideline": ("best-practice",), "guidance": ("best-practice",),
    "good-practice": ("best-practice",), "profile": ("baseline",), "benchmark": ("baseline",),
    "certificate": ("certification-scheme", "certification"),
    "certification": ("certification-scheme",), "scheme": ("certification-scheme",),
    "label": ("certification-scheme",), "certified": ("certification",),
    # procurement.requirement
    "required": ("must", "mandatory", "requires"), "mandatory": ("must", "urgent"),
    "shall": ("must",), "obligatory": ("must", "mandatory"), "may": ("should",),
    "optional": ("should", "emerging"), "recommended": ("should",),
    # verification.methods
    "test": ("automated-test",), "testing": ("automated-test",), "automated": ("automated-test",),
    "scan": ("automated-test",), "declaration": ("self-declaration",),
    "self-assessment": ("self-declaration",), "attestation": ("self-declaration",),
    "assessment": ("audit",), "inspection": ("audit",), "review": ("audit",),
    # recognition[].status
    "compulsory": ("mandatory",), "comply-or-explain": ("mandatory",),
    "advised": ("recommended", "should"), "harmonised": ("identified",),
    "harmonized": ("identified",), "referenced": ("identified",), "cited": ("identified",),
    # field names
    "description": ("summary", "benefit"), "name": ("title", "short_name"),
    "acronym": ("short_name",), "abbreviation": ("short_name",), "type": ("kind",),
    "references": ("specifications",), "specs": ("specifications",),
    "documents": ("specifications",), "rfcs": ("specifications",),
    "products": ("applies_to",), "product-types": ("applies_to",), "applies": ("applies_to",),
    "link": ("url",), "href": ("url",), "website": ("url",), "owner": ("maintainer",),
    "organisation": ("maintainer", "body"), "organization": ("maintainer", "body"),
    "why": ("rationale", "reason"), "clause": ("tender_clause",), "deadline": ("target_date",),
    "replaced-by": ("superseded_by",), "successor": ("superseded_by",),
}


def normalise(text: str) -> str:
    return text.strip().casefold().replace("_", "-").replace(" ", "-")


def distance(a: str, b: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (optimal string
    alignment distance)."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def _typos_allowed(length: int) -> int:
    return 1 if length <= 4 else 2 if length <= 9 else 3


def close_match(value: str, choices: Iterable[str], *, meaning: bool = True) -> str | None:
    """The allowed value ``value`` most likely stands for, or None when none is close."""
    options = sorted(set(choices))
    if not options or not value.strip():
        return None
    written = normalise(value)
    by_form = {normalise(option): option for option in options}
    if written in by_form:
        return by_form[written]
    if meaning:
        for candidate in SAME_MEANING.get(written, ()):
            if candidate in options:
                return candidate
    scored = sorted((distance(written, form), option) for form, option in by_form.items())
    best_distance, best = scored[0]
    tied = len(scored) > 1 and scored[1][0] == best_distance
    if best_distance <= _typos_allowed(len(written)) and not tied:
        return best
    if len(written) >= 4:
        starting = [option for form, option in by_form.items() if form.startswith(written)]
        if len(starting) == 1:
            return starting[0]
    return None


def did_you_mean(value: str, choices: Iterable[str], *, meaning: bool = True) -> str:
    """A hint "did you mean 'x'?", or an empty string when nothing is close."""
    match = close_match(value, choices, meaning=meaning)
    if match is None:
        return ""
    from is3c.findings import show

    return f"did you mean {show(match)}?"
