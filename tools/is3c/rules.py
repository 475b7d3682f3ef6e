"""Rules across entries: what a JSON Schema cannot see on one file alone.

Each rule is a small function with a stable code; none prints or reads files. Rules
look at ``Facts`` (``facts.py``), the few fields of each entry that cross-entry
checks need: small enough to keep in the cache, so a run where little changed
neither parses nor re-validates the rest. Every entry has facts, broken or not; a
fact that failed an earlier check is None, and the rules that need it skip it. A finding points at the line of the field at fault
through ``Context.locate``, which parses a file only when a rule reports on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from is3c.addresses import host_of
from is3c.facts import Facts
from is3c.findings import Finding, show
from is3c.load import FILE_NAME, Path_, dotted
from is3c.suggest import did_you_mean

__all__ = ["CROSS_ENTRY_CODES", "RULES", "Context", "Facts", "Loaded", "run"]

# Codes of findings that a change to one file can cause in another (a removed id,
# a renamed category, an address moved to https): reported for every file even
# when only some files are checked. The others concern one entry alone.
CROSS_ENTRY_CODES = frozenset({"IS3C302", "IS3C303", "IS3C304", "IS3C305", "IS3C306", "IS3C307",
                               "IS3C310", "IS3C316"})

Locate = Callable[[str, Path_, bool], tuple[int, int]]
# Whether a file acknowledges a warning code at a path ('# is3c: allow ...').
Acknowledged = Callable[[str, Path_, str], bool]


def _nothing_acknowledged(file: str, path: Path_, code: str) -> bool:
    return False


@dataclass(frozen=True)
class Loaded:
    file: str
    facts: Facts


@dataclass(frozen=True)
class Context:
    """Everything the rules look at."""

    # Every entry that loaded, broken or not; a fact that failed a check is None.
    entries: list[Loaded]
    categories: list[tuple[str, str | None]]  # (file, id); None for an invalid id
    product_types: list[tuple[str, str | None]]
    # Ids (file names) of entry files whose own id is unknown: references to them
    # are not reported again as dangling, so one broken file gives one finding.
    broken_ids: frozenset[str]
    locate: Locate
    acknowledged: Acknowledged = _nothing_acknowledged

    @property
    def known_ids(self) -> set[str]:
        return {i.facts.id for i in self.entries if i.facts.id is not None} | set(self.broken_ids)


def _at(
    ctx: Context, file: str, path: Path_, code: str, message: str, hint: str, *,
    key: bool = False, severity: str = "error",
) -> Finding | None:
    """A finding at the field ``path`` of ``file``; None for a warning the file
    acknowledges there (found without parsing the file again)."""
    if severity == "warning" and ctx.acknowledged(file, path, code):
        return None
    line, column = ctx.locate(file, path, key)
    return Finding(file, line, column, code, dotted(path), message, hint, severity)  # type: ignore[arg-type]


def _suggest(value: str, choices: set[str]) -> str:
    return did_you_mean(value, choices, meaning=False)


def _terms(terms: list[tuple[str, str | None]]) -> set[str] | None:
    """The ids of a vocabulary, or None when it is broken (already reported): then
    no reference to it can be judged."""
    if not terms or any(term_id is None for _, term_id in terms):
        return None
    return {term_id for _, term_id in terms if term_id is not None}


def id_matches_file_name(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        name = PurePath(item.file).name
        if not FILE_NAME.match(name):
            continue  # the file name itself is reported (IS3C102): one rename fixes both
        stem = name[: -len(".yaml")]
        if item.facts.id is not None and item.facts.id != stem:
            yield _at(ctx, item.file, ("id",), "IS3C301",
                      f"id {show(item.facts.id)} differs from the file name {show(stem + '.yaml')}",
                      f"rename the file to {item.facts.id}.yaml, or set id: {stem}")


def ids_unique(ctx: Context) -> Iterator[Finding | None]:
    first: dict[str, Loaded] = {}
    for item in sorted(ctx.entries, key=lambda i: i.file):
        if item.facts.id is None:
            continue
        folded = item.facts.id.casefold()
        if folded in first:
            other = first[folded]
            yield _at(ctx, item.file, ("id",), "IS3C302",
                      f"id {show(item.facts.id)} is already used by {other.file}",
                      "ids are never shared or reused; choose another id")
        else:
            first[folded] = item


def vocabularies_unique(ctx: Context) -> Iterator[Finding | None]:
    for key, terms in (("categories", ctx.categories), ("product_types", ctx.product_types)):
        seen: set[str] = set()
        for index, (file, term_id) in enumerate(terms):
            if term_id is None:
                continue
            if term_id in seen:
                yield _at(ctx, file, (key, index, "id"), "IS3C310",
                          f"id {show(term_id)} is listed twice", "keep one of them")
            seen.add(term_id)


def vocabulary_references(ctx: Context) -> Iterator[Finding | None]:
    categories = _terms(ctx.categories)
    product_types = _terms(ctx.product_types)
    for item in ctx.entries:
        if categories is not None and item.facts.category is not None and \
                item.facts.category not in categories:
            yield _at(ctx, item.file, ("category",), "IS3C303",
                      f"category {show(item.facts.category)} is not in registry/categories.yaml",
                      _suggest(item.facts.category, categories)
                      or "use one of: " + ", ".join(sorted(categories)))
        for index, product in enumerate(item.facts.applies_to):
            if product_types is not None and product is not None and product not in product_types:
                yield _at(ctx, item.file, ("applies_to", index), "IS3C304",
                          f"product type {show(product)} is not in registry/product-types.yaml",
                          _suggest(product, product_types)
                          or "use one of: " + ", ".join(sorted(product_types)))


def references_resolve(ctx: Context) -> Iterator[Finding | None]:
    known = ctx.known_ids
    for item in ctx.entries:
        for index, (related, _) in enumerate(item.facts.related):
            path: Path_ = ("related", index, "id")
            if related is None:
                continue
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


def no_supersession_cycles(ctx: Context) -> Iterator[Finding | None]:
    successor = {
        i.facts.id: i.facts.superseded_by
        for i in ctx.entries
        if i.facts.id is not None and i.facts.superseded_by
    }
    by_id = {i.facts.id: i for i in ctx.entries if i.facts.id is not None}
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


def urgent_is_actionable(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        if item.facts.tier != "urgent":
            continue
        for field, present in (("procurement", item.facts.has_procurement),
                               ("verification", item.facts.has_verification)):
            if present is False:
                yield _at(ctx, item.file, ("priority", "tier"), "IS3C308",
                          f"an urgent entry needs '{field}'",
                          f"add a '{field}' section (see docs/content-guide.md), "
                          "or choose tier 'recommended'")


def accepted_has_decision(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        if item.facts.status != "accepted":
            continue
        if item.facts.has_decision is False:
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C309",
                      "an accepted entry needs the panel's decision in review.decision",
                      "set review.decision to the id of the decision record in registry/decisions/ "
                      "that accepted it (see CONTRIBUTING.md), or keep status 'proposed'")


def dates_in_order(ctx: Context) -> Iterator[Finding | None]:
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


def superseded_not_accepted(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        life = item.facts
        if life.superseded_by and life.status in ("accepted", "proposed"):
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C313",
                      f"the entry is superseded by {show(life.superseded_by)} "
                      f"but its status is {show(life.status)}",
                      "set status to 'deprecated' or 'withdrawn'", severity="warning")


def http_where_https_is_used(ctx: Context) -> Iterator[Finding | None]:
    """An unencrypted address where the registry already reaches the same host over
    https: the buyer following it can be sent elsewhere on the way."""
    secure = {host for item in ctx.entries for host in item.facts.https_hosts}
    for item in ctx.entries:
        for path, url in item.facts.http_urls:
            if host_of(url) in secure:
                yield _at(ctx, item.file, path, "IS3C316",
                          f"{show(url)} is not encrypted, while the registry reaches "
                          f"{show(host_of(url))} over https",
                          f"write {show('https://' + url[len('http://'):])}", severity="warning")


def listed_since_once_listed(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        if item.facts.status == "proposed" and item.facts.listed_since is not None:
            yield _at(ctx, item.file, ("lifecycle", "listed_since"), "IS3C317",
                      "a proposed entry is not on the lists yet, so it has no listed_since date",
                      "delete listed_since; it is set when the panel accepts the entry")


# Maturities that say a document is not a settled standard (RFC statuses).
_UNSETTLED = re.compile(r"\b(experimental|informational|historic)\b", re.IGNORECASE)


def urgent_cites_settled_specifications(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        if item.facts.tier != "urgent":
            continue
        for index, maturity in item.facts.maturities:
            if _UNSETTLED.search(maturity):
                yield _at(ctx, item.file, ("specifications", index, "maturity"), "IS3C318",
                          f"an urgent entry cites a specification marked {show(maturity)}",
                          "buyers are told to demand it now: cite the standards-track document "
                          "it rests on, or choose tier 'recommended'; if the panel accepts it, "
                          "add '# is3c: allow IS3C318 -- <why>' to this line",
                          severity="warning")


_CLAUSE_PART = re.compile(r"^(?P<base>[a-z0-9-]+)-(?P<part>[0-9]+)$")


def requirement_ids_unique(ctx: Context) -> Iterator[Finding | None]:
    """Requirement ids are 'IS3C-' and the entry id in capitals; a clause split off an
    entry later gets a suffix from -2 on (IS3C-DMARC-2, docs/content-guide.md). An
    entry id that is another entry's id plus '-<number>' would take that id."""
    ids = {item.facts.id for item in ctx.entries}
    for item in ctx.entries:
        if item.facts.id is None:
            continue
        match = _CLAUSE_PART.match(item.facts.id)
        if match and match["base"] in ids and int(match["part"]) >= 2:
            requirement = "IS3C-" + item.facts.id.upper()
            yield _at(ctx, item.file, ("id",), "IS3C320",
                      f"the requirement id {requirement} of this entry is kept for part "
                      f"{match['part']} of the clause of entry {show(match['base'])}",
                      "choose an id that does not end in '-<number>' after another entry's "
                      "id, e.g. a word instead of the number")


def explanations_match_product_types(ctx: Context) -> Iterator[Finding | None]:
    for item in ctx.entries:
        for product_type in item.facts.explained:
            if product_type not in item.facts.applies_to:
                yield _at(ctx, item.file, ("procurement", "applies_because", product_type),
                          "IS3C321",
                          f"applies_because explains {show(product_type)}, which is not in "
                          f"applies_to", "add it to applies_to or remove the explanation",
                          key=True)


RULES: tuple[Callable[[Context], Iterator[Finding | None]], ...] = (
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
    http_where_https_is_used,
    listed_since_once_listed,
    urgent_cites_settled_specifications,
    requirement_ids_unique,
    explanations_match_product_types,
)


def run(ctx: Context) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(ctx) if finding is not None]


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
