"""Rules across entries: what a JSON Schema cannot see on one file alone.

Each rule is a small function with a stable code; none prints or reads files. Rules
look at ``Facts``, the few fields of each valid entry that cross-entry checks need:
small enough to keep in the cache, so a run where little changed neither parses
nor re-validates the rest. A finding points at the line of the field at fault
through ``Context.locate``, which parses a file only when a rule reports on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from is3c.findings import Finding, show
from is3c.load import Path_, dotted

if TYPE_CHECKING:
    from is3c.model import Entry


Locate = Callable[[str, Path_, bool], tuple[int, int]]


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one valid entry."""

    id: str
    category: str
    applies_to: tuple[str, ...]
    related: tuple[tuple[str, str], ...]  # (id, relation)
    tier: str
    status: str
    superseded_by: str | None
    listed_since: str | None
    last_reviewed: str | None
    next_review_due: str | None
    has_procurement: bool
    has_verification: bool
    decision: str | None  # id of the decision record in review.decision
    # Product types that procurement.applies_because explains (last, with a default,
    # so that facts cached before it existed still load).
    explained: tuple[str, ...] = ()

    @classmethod
    def of(cls, entry: Entry) -> Facts:
        life = entry.lifecycle
        decision = entry.review.decision if entry.review else None
        return cls(
            entry.id, entry.category, tuple(entry.applies_to),
            tuple((r.id, r.relation) for r in entry.related), entry.priority.tier, life.status,
            life.superseded_by, life.listed_since, life.last_reviewed, life.next_review_due,
            entry.procurement is not None, entry.verification is not None,
            decision,
            tuple(entry.procurement.applies_because) if entry.procurement else (),
        )

    def to_json(self) -> list[Any]:
        return [getattr(self, name) for name in self.__dataclass_fields__]

    @classmethod
    def from_json(cls, row: list[Any]) -> Facts:
        values = list(row)
        values[2] = tuple(values[2])
        values[3] = tuple(tuple(pair) for pair in values[3])
        if len(values) > 13:
            values[13] = tuple(values[13])
        return cls(*values)


@dataclass(frozen=True)
class Loaded:
    file: str
    facts: Facts


@dataclass(frozen=True)
class Context:
    """Everything the rules look at."""

    entries: list[Loaded]
    categories: list[tuple[str, str]]  # (file, id)
    product_types: list[tuple[str, str]]
    # Ids of entry files that exist but failed to load: references to them are not
    # reported again as dangling, so one broken file gives one finding.
    broken_ids: frozenset[str]
    locate: Locate

    @property
    def known_ids(self) -> set[str]:
        return {item.facts.id for item in self.entries} | set(self.broken_ids)


def _at(
    ctx: Context, file: str, path: Path_, code: str, message: str, hint: str, *,
    key: bool = False, severity: str = "error",
) -> Finding:
    line, column = ctx.locate(file, path, key)
    return Finding(file, line, column, code, dotted(path), message, hint, severity)  # type: ignore[arg-type]


def _suggest(value: str, choices: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.65)
    return f"did you mean {show(close[0])}?" if close else ""


def id_matches_file_name(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        stem = PurePath(item.file).stem
        if item.facts.id != stem:
            yield _at(ctx, item.file, ("id",), "IS3C301",
                      f"id {show(item.facts.id)} differs from the file name {show(stem + '.yaml')}",
                      f"rename the file to {item.facts.id}.yaml, or set id: {stem}")


def ids_unique(ctx: Context) -> Iterator[Finding]:
    first: dict[str, Loaded] = {}
    for item in sorted(ctx.entries, key=lambda i: i.file):
        folded = item.facts.id.casefold()
        if folded in first:
            other = first[folded]
            yield _at(ctx, item.file, ("id",), "IS3C302",
                      f"id {show(item.facts.id)} is already used by {other.file}",
                      "ids are never shared or reused; choose another id")
        else:
            first[folded] = item


def vocabularies_unique(ctx: Context) -> Iterator[Finding]:
    for key, terms in (("categories", ctx.categories), ("product_types", ctx.product_types)):
        seen: set[str] = set()
        for index, (file, term_id) in enumerate(terms):
            if term_id in seen:
                yield _at(ctx, file, (key, index, "id"), "IS3C310",
                          f"id {show(term_id)} is listed twice", "keep one of them")
            seen.add(term_id)


def vocabulary_references(ctx: Context) -> Iterator[Finding]:
    if not ctx.categories or not ctx.product_types:
        return  # the vocabulary file itself is broken and already reported
    categories = {term_id for _, term_id in ctx.categories}
    product_types = {term_id for _, term_id in ctx.product_types}
    for item in ctx.entries:
        if item.facts.category not in categories:
            yield _at(ctx, item.file, ("category",), "IS3C303",
                      f"category {show(item.facts.category)} is not in registry/categories.yaml",
                      _suggest(item.facts.category, categories)
                      or "use one of: " + ", ".join(sorted(categories)))
        for index, product in enumerate(item.facts.applies_to):
            if product not in product_types:
                yield _at(ctx, item.file, ("applies_to", index), "IS3C304",
                          f"product type {show(product)} is not in registry/product-types.yaml",
                          _suggest(product, product_types)
                          or "use one of: " + ", ".join(sorted(product_types)))


def references_resolve(ctx: Context) -> Iterator[Finding]:
    known = ctx.known_ids
    for item in ctx.entries:
        for index, (related, _) in enumerate(item.facts.related):
            path: Path_ = ("related", index, "id")
            if related == item.facts.id:
                yield _at(ctx, item.file, path, "IS3C311", "an entry cannot relate to itself",
                          "remove this item")
            elif related not in known:
                yield _at(ctx, item.file, path, "IS3C305", f"no entry has the id {show(related)}",
                          _suggest(related, known) or "check the id, or propose that entry first")
        successor = item.facts.superseded_by
        if successor is not None and successor not in known:
            yield _at(ctx, item.file, ("lifecycle", "superseded_by"), "IS3C306",
                      f"no entry has the id {show(successor)}",
                      _suggest(successor, known) or "name the id of the entry that replaces this one")


def no_supersession_cycles(ctx: Context) -> Iterator[Finding]:
    successor = {
        i.facts.id: i.facts.superseded_by
        for i in ctx.entries
        if i.facts.superseded_by
    }
    by_id = {i.facts.id: i for i in ctx.entries}
    reported: set[str] = set()
    for start in sorted(successor):
        chain = [start]
        current = successor.get(start)
        while current is not None and current not in chain:
            chain.append(current)
            current = successor.get(current)
        if current is None or current != start or start in reported:
            continue
        reported.update(chain)
        loop = " -> ".join([*chain, start])
        yield _at(ctx, by_id[start].file, ("lifecycle", "superseded_by"), "IS3C307",
                  f"superseded_by goes round in a circle: {loop}",
                  "an entry's replacement must not be replaced by it again")


def urgent_is_actionable(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        if item.facts.tier != "urgent":
            continue
        for field, present in (("procurement", item.facts.has_procurement),
                               ("verification", item.facts.has_verification)):
            if not present:
                yield _at(ctx, item.file, ("priority", "tier"), "IS3C308",
                          f"an urgent entry needs '{field}'",
                          f"add a '{field}' section (see docs/content-guide.md), "
                          "or choose tier 'recommended'")


def accepted_has_decision(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        if item.facts.status != "accepted":
            continue
        if item.facts.decision is None:
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C309",
                      "an accepted entry needs the panel's decision in review.decision",
                      "set review.decision to the id of the decision record in registry/decisions/ "
                      "that accepted it (see CONTRIBUTING.md), or keep status 'proposed'")


def dates_in_order(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        life = item.facts
        if life.last_reviewed and life.next_review_due and life.next_review_due <= life.last_reviewed:
            yield _at(ctx, item.file, ("lifecycle", "next_review_due"), "IS3C312",
                      "next_review_due is not after last_reviewed",
                      "set the next review after the last one", severity="warning")
        if life.listed_since and life.last_reviewed and life.last_reviewed < life.listed_since:
            yield _at(ctx, item.file, ("lifecycle", "last_reviewed"), "IS3C312",
                      "last_reviewed is before listed_since",
                      "check both dates", severity="warning")


def superseded_not_accepted(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        life = item.facts
        if life.superseded_by and life.status in ("accepted", "proposed"):
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C313",
                      f"the entry is superseded by {show(life.superseded_by)} "
                      f"but its status is {show(life.status)}",
                      "set status to 'deprecated' or 'withdrawn'", severity="warning")


_CLAUSE_PART = re.compile(r"^(?P<base>[a-z0-9-]+)-(?P<part>[0-9]+)$")


def requirement_ids_unique(ctx: Context) -> Iterator[Finding]:
    """Requirement ids are 'IS3C-' and the entry id in capitals; a clause split off an
    entry later gets a suffix from -2 on (IS3C-DMARC-2, docs/content-guide.md). An
    entry id that is another entry's id plus '-<number>' would take that id."""
    ids = {item.facts.id for item in ctx.entries}
    for item in ctx.entries:
        match = _CLAUSE_PART.match(item.facts.id)
        if match and match["base"] in ids and int(match["part"]) >= 2:
            requirement = "IS3C-" + item.facts.id.upper()
            yield _at(ctx, item.file, ("id",), "IS3C320",
                      f"the requirement id {requirement} of this entry is kept for part "
                      f"{match['part']} of the clause of entry {show(match['base'])}",
                      "choose an id that does not end in '-<number>' after another entry's "
                      "id, e.g. a word instead of the number")


def explanations_match_product_types(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        for product_type in item.facts.explained:
            if product_type not in item.facts.applies_to:
                yield _at(ctx, item.file, ("procurement", "applies_because", product_type),
                          "IS3C321",
                          f"applies_because explains {show(product_type)}, which is not in "
                          f"applies_to", "add it to applies_to or remove the explanation",
                          key=True)


RULES: tuple[Callable[[Context], Iterator[Finding]], ...] = (
    id_matches_file_name,
    ids_unique,
    vocabularies_unique,
    vocabulary_references,
    references_resolve,
    no_supersession_cycles,
    urgent_is_actionable,
    accepted_has_decision,
    dates_in_order,
    superseded_not_accepted,
    requirement_ids_unique,
    explanations_match_product_types,
)


def run(ctx: Context) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(ctx)]


# --- content rules: one entry at a time --------------------------------------------
#
# A buyer pastes the tender clause into a binding tender, so the clause must be
# testable and lawful as written (docs/content-guide.md, "A tender clause that can be
# tested"). These rules look at one entry's text, so they run with the file checks and
# are remembered per file content like them.

# Words that make a clause untestable: a bidder cannot be held to them.
VAGUE_PHRASES = (
    "as soon as", "state of the art", "state-of-the-art", "where possible", "if possible",
    "best effort", "when available", "as appropriate", "where feasible",
)
# A clause that asks for a certification, label or accredited audit.
_CERTIFICATION_WORDS = ("certified", "certification", "accredited", "label ")
# "or equivalent", "or an equivalent report", "or by equivalent evidence": an alternative
# the bidder may offer instead.
_ACCEPTS_EQUIVALENT = re.compile(r"\bor\b(?:\s+\w+){0,2}\s+equivalent\b")


ContentFinding = tuple[Path_, str, str, str]  # (field path, code, message, hint)


def clause_states_duration(entry: Entry) -> Iterator[ContentFinding]:
    """A requirement without a duration can be met on the day of the award and then
    dropped; each clause must say that it holds for the whole contract term."""
    if entry.procurement is None:
        return
    if "contract term" not in entry.procurement.tender_clause.casefold():
        yield (("procurement", "tender_clause"), "IS3C401",
               "the tender clause does not say how long it holds",
               "end it with a sentence such as 'This applies for the whole contract term.'")


def certification_accepts_equivalents(entry: Entry) -> Iterator[ContentFinding]:
    """Procurement law (e.g. Directive 2014/24/EU, Articles 42 and 62) requires a buyer
    to accept equivalent certificates and test reports."""
    if entry.procurement is None:
        return
    # "certification authority" names an issuer of TLS certificates, not a certification.
    clause = entry.procurement.tender_clause.casefold().replace("certification authorit", "")
    certifies = entry.verification is not None and "certification" in entry.verification.methods
    if (certifies or any(word in clause for word in _CERTIFICATION_WORDS)) and not _ACCEPTS_EQUIVALENT.search(clause):
        yield (("procurement", "tender_clause"), "IS3C402",
               "the clause asks for a certification but does not accept equivalents",
               "add 'or equivalent' to the certificate, label or test report it asks for")


def tools_name_tests(entry: Entry) -> Iterator[ContentFinding]:
    """A buyer can only re-run a check if the clause names the tool's test, not the tool."""
    if entry.verification is None:
        return
    for index, tool in enumerate(entry.verification.tools):
        if not tool.test_ids:
            yield (("verification", "tools", index, "test_ids"), "IS3C403",
                   f"the tool {show(tool.name)} names no test",
                   "list in test_ids the tool's own names of the tests (or checks) that verify "
                   "this entry, or remove the tool")


def clause_is_testable(entry: Entry) -> Iterator[ContentFinding]:
    """Vague words leave the buyer nothing to test and the bidder nothing to price."""
    if entry.procurement is None:
        return
    clause = entry.procurement.tender_clause.casefold()
    for phrase in VAGUE_PHRASES:
        if phrase in clause:
            yield (("procurement", "tender_clause"), "IS3C404",
                   f"the clause uses the untestable wording {show(phrase)}",
                   "replace it with a measurable condition: a version, a setting, a date")


CONTENT_RULES: tuple[Callable[[Entry], Iterator[ContentFinding]], ...] = (
    clause_states_duration,
    certification_accepts_equivalents,
    tools_name_tests,
    clause_is_testable,
)


def content(entry: Entry, file: str, mark: Callable[[Path_], tuple[int, int]]) -> list[Finding]:
    """Findings of the content rules for one valid entry; ``mark`` gives a field's position."""
    findings = []
    for rule in CONTENT_RULES:
        for path, code, message, hint in rule(entry):
            line, column = mark(path)
            findings.append(Finding(file, line, column, code, dotted(path), message, hint))
    return findings
