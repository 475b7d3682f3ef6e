"""Rules across entries: what a JSON Schema cannot see on one file alone.

Each rule is a small function with a stable code; none prints or reads files. Rules
get entries that already passed the schema and the model. A finding points at the
line of the field at fault through ``Context.locate``, which the caller provides:
positions are looked up only for the few entries that have findings, so entries
known clean from the cache need not be parsed again.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from is3c.findings import Finding, show
from is3c.load import Path_, dotted
from is3c.model import Entry, Term

PLACEHOLDER = "TODO"

Locate = Callable[[str, Path_, bool], tuple[int, int]]


@dataclass(frozen=True)
class Loaded:
    file: str
    entry: Entry


@dataclass(frozen=True)
class Context:
    """Everything the rules look at."""

    entries: list[Loaded]
    categories: list[tuple[str, Term]]
    product_types: list[tuple[str, Term]]
    # Ids of entry files that exist but failed to load: references to them are not
    # reported again as dangling, so one broken file gives one finding.
    broken_ids: frozenset[str]
    locate: Locate

    @property
    def known_ids(self) -> set[str]:
        return {item.entry.id for item in self.entries} | set(self.broken_ids)


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
        if item.entry.id != stem:
            yield _at(ctx, item.file, ("id",), "IS3C301",
                      f"id {show(item.entry.id)} differs from the file name {show(stem + '.yaml')}",
                      f"rename the file to {item.entry.id}.yaml, or set id: {stem}")


def ids_unique(ctx: Context) -> Iterator[Finding]:
    first: dict[str, Loaded] = {}
    for item in sorted(ctx.entries, key=lambda i: i.file):
        folded = item.entry.id.casefold()
        if folded in first:
            other = first[folded]
            yield _at(ctx, item.file, ("id",), "IS3C302",
                      f"id {show(item.entry.id)} is already used by {other.file}",
                      "ids are never shared or reused; choose another id")
        else:
            first[folded] = item


def vocabularies_unique(ctx: Context) -> Iterator[Finding]:
    for key, terms in (("categories", ctx.categories), ("product_types", ctx.product_types)):
        seen: set[str] = set()
        for index, (file, term) in enumerate(terms):
            if term.id in seen:
                yield _at(ctx, file, (key, index, "id"), "IS3C310",
                          f"id {show(term.id)} is listed twice", "keep one of them")
            seen.add(term.id)


def vocabulary_references(ctx: Context) -> Iterator[Finding]:
    if not ctx.categories or not ctx.product_types:
        return  # the vocabulary file itself is broken and already reported
    categories = {term.id for _, term in ctx.categories}
    product_types = {term.id for _, term in ctx.product_types}
    for item in ctx.entries:
        if item.entry.category not in categories:
            yield _at(ctx, item.file, ("category",), "IS3C303",
                      f"category {show(item.entry.category)} is not in registry/categories.yaml",
                      _suggest(item.entry.category, categories)
                      or "use one of: " + ", ".join(sorted(categories)))
        for index, product in enumerate(item.entry.applies_to):
            if product not in product_types:
                yield _at(ctx, item.file, ("applies_to", index), "IS3C304",
                          f"product type {show(product)} is not in registry/product-types.yaml",
                          _suggest(product, product_types)
                          or "use one of: " + ", ".join(sorted(product_types)))


def references_resolve(ctx: Context) -> Iterator[Finding]:
    known = ctx.known_ids
    for item in ctx.entries:
        for index, related in enumerate(item.entry.related):
            path: Path_ = ("related", index, "id")
            if related.id == item.entry.id:
                yield _at(ctx, item.file, path, "IS3C311", "an entry cannot relate to itself",
                          "remove this item")
            elif related.id not in known:
                yield _at(ctx, item.file, path, "IS3C305", f"no entry has the id {show(related.id)}",
                          _suggest(related.id, known) or "check the id, or propose that entry first")
        successor = item.entry.lifecycle.superseded_by
        if successor is not None and successor not in known:
            yield _at(ctx, item.file, ("lifecycle", "superseded_by"), "IS3C306",
                      f"no entry has the id {show(successor)}",
                      _suggest(successor, known) or "name the id of the entry that replaces this one")


def no_supersession_cycles(ctx: Context) -> Iterator[Finding]:
    successor = {
        i.entry.id: i.entry.lifecycle.superseded_by
        for i in ctx.entries
        if i.entry.lifecycle.superseded_by
    }
    by_id = {i.entry.id: i for i in ctx.entries}
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
        if item.entry.priority.tier != "urgent":
            continue
        for field in ("procurement", "verification"):
            if getattr(item.entry, field) is None:
                yield _at(ctx, item.file, ("priority", "tier"), "IS3C308",
                          f"an urgent entry needs '{field}'",
                          f"add a '{field}' section (see docs/content-guide.md), "
                          "or choose tier 'recommended'")


def accepted_has_decision(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        if item.entry.lifecycle.status != "accepted":
            continue
        review = item.entry.review
        if review is None or review.decision is None:
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C309",
                      "an accepted entry needs the panel's decision in review.decision",
                      "add review: {proposed_by, decision: {outcome: accepted, date, record_url}}, "
                      "or keep status 'proposed' until the panel decides")
        elif review.decision.outcome != "accepted":
            yield _at(ctx, item.file, ("review", "decision", "outcome"), "IS3C309",
                      f"status is accepted but the decision outcome is "
                      f"{show(review.decision.outcome)}",
                      "make the status match the panel's decision")


def dates_in_order(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        life = item.entry.lifecycle
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
        life = item.entry.lifecycle
        if life.superseded_by and life.status in ("accepted", "proposed"):
            yield _at(ctx, item.file, ("lifecycle", "status"), "IS3C313",
                      f"the entry is superseded by {show(life.superseded_by)} "
                      f"but its status is {show(life.status)}",
                      "set status to 'deprecated' or 'withdrawn'", severity="warning")


def _texts(node: object, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, (*path, index))


def no_placeholders(ctx: Context) -> Iterator[Finding]:
    for item in ctx.entries:
        for path, text in _texts(item.entry.model_dump(exclude_defaults=True)):
            if text.startswith(PLACEHOLDER):
                yield _at(ctx, item.file, path, "IS3C315", f"still holds the placeholder {show(text)}",
                          "replace it with real content (see docs/content-guide.md)")


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
    no_placeholders,
)


def run(ctx: Context) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(ctx)]
