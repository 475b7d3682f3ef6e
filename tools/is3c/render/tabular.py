"""Lists and annexes as tables of plain strings: the rows CSV and XLSX share.

One row per entry, one column per fact, headed in words a procurement officer uses.
Lists inside a cell go one item per line, so a spreadsheet shows them stacked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from is3c.build import Annex, Item, ListView
from is3c.render import words
from is3c.render.tender import requirement_id


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in characters, for spreadsheets
    value: Callable[[Item], str]


@dataclass(frozen=True)
class Table:
    """One row per item; rows are made as they are read, so a 10,000-row table
    never needs to be held whole."""

    columns: tuple[Column, ...]
    items: tuple[Item, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def rows(self) -> Iterator[tuple[str, ...]]:
        for item in self.items:
            yield tuple(c.value(item) for c in self.columns)

    def compact(self) -> Table:
        """The table without the columns that are empty for every item: a column
        nobody fills only makes a reader look for what is not there. The first
        column stays, so a table without items still has a header."""
        kept = tuple(c for n, c in enumerate(self.columns)
                     if n == 0 or any(c.value(i) for i in self.items))
        return Table(kept, self.items)


def _lines(values: list[str]) -> str:
    return "\n".join(values)


def _verification(item: Item) -> str:
    verification = item.entry.verification
    if verification is None:
        return ""
    tools = [
        f"{t.name} ({t.url})" + (f": {', '.join(t.test_ids)}" if t.test_ids else "")
        for t in verification.tools
    ]
    return _lines([f"Methods: {words.methods(item.entry)}", *tools])


def _specifications(item: Item) -> str:
    return _lines([f"{s.id}: {s.title} ({s.url})" for s in item.entry.specifications])


def _recognition(item: Item) -> str:
    return _lines([
        f"{r.jurisdiction}: {r.body}, {r.instrument} ({words.RECOGNITION[r.status]})"
        for r in item.entry.recognition
    ])


def _replacement(item: Item) -> str:
    if item.replacement is None:
        return item.entry.lifecycle.superseded_by or ""
    return f"{item.replacement.short_name} ({item.replacement.id})"


def _requirement_id(item: Item) -> str:
    """The id bidders answer to; only an entry with a tender clause is a requirement."""
    return requirement_id(item.id) if item.entry.procurement is not None else ""


def _procurement(item: Item, field: str) -> str:
    procurement = item.entry.procurement
    if procurement is None:
        return ""
    if field == "evidence":
        return _lines(procurement.evidence)
    if field == "cpv":
        return "; ".join(procurement.cpv_codes)
    return procurement.tender_clause


LIST_COLUMNS = (
    Column("Short name", 16, lambda i: i.entry.short_name),
    Column("Title", 40, lambda i: i.entry.title),
    Column("ID", 18, lambda i: i.entry.id),
    Column("Requirement ID", 20, _requirement_id),
    Column("Category", 22, lambda i: i.category.title),
    Column("Tier", 13, lambda i: words.TIER[i.entry.priority.tier]),
    Column("Status", 12, lambda i: words.STATUS[i.entry.lifecycle.status]),
    Column("Kind", 14, lambda i: words.KIND[i.entry.kind]),
    Column("Summary", 60, lambda i: i.entry.summary),
    Column("Why it matters", 60, lambda i: i.entry.benefit),
    Column("Why this tier", 50, lambda i: i.entry.priority.rationale),
    Column("Target date", 12, lambda i: i.entry.priority.target_date or ""),
    Column("Requirement", 12, lambda i: words.requirement(i.entry)),
    Column("Tender clause", 80, lambda i: _procurement(i, "clause")),
    Column("Evidence to ask for", 60, lambda i: _procurement(i, "evidence")),
    Column("How to verify", 40, _verification),
    Column("Applies to", 30, lambda i: _lines([t.title for t in i.product_types])),
    Column("CPV codes", 14, lambda i: _procurement(i, "cpv")),
    Column("Specifications", 60, _specifications),
    Column("Maintainer", 30, lambda i: i.entry.maintainer.name),
    Column("Recognised by", 50, _recognition),
    Column("Listed since", 12, lambda i: i.entry.lifecycle.listed_since or ""),
    Column("Last reviewed", 12, lambda i: i.entry.lifecycle.last_reviewed or ""),
    Column("Replaced by", 20, _replacement),
    Column("Status reason", 40, lambda i: i.entry.lifecycle.reason or ""),
)

ANNEX_COLUMNS = (
    Column("Requirement ID", 20, _requirement_id),
    Column("Short name", 16, lambda i: i.entry.short_name),
    Column("Title", 40, lambda i: i.entry.title),
    Column("Tier", 13, lambda i: words.TIER[i.entry.priority.tier]),
    Column("Requirement", 12, lambda i: words.requirement(i.entry)),
    Column("Tender clause", 80, lambda i: _procurement(i, "clause")),
    Column("Evidence to ask for", 60, lambda i: _procurement(i, "evidence")),
    Column("How to verify", 40, _verification),
    Column("Specifications", 60, _specifications),
    Column("CPV codes", 14, lambda i: _procurement(i, "cpv")),
    Column("ID", 18, lambda i: i.entry.id),
)


def list_table(view: ListView) -> Table:
    """Listed entries in list order, then (full list) the annex; 'Status' tells them
    apart. One table, for CSV, which has no sheets."""
    return Table(LIST_COLUMNS, view.items + view.annex).compact()


def listed_table(view: ListView) -> Table:
    """Only the entries on the list: the first sheet of a workbook."""
    return Table(LIST_COLUMNS, view.items).compact()


def not_listed_table(view: ListView) -> Table:
    """The entries that are proposed, deprecated or withdrawn: a sheet of their own."""
    return Table(LIST_COLUMNS, view.annex).compact()


def annex_table(annex: Annex) -> Table:
    """Entries with a tender clause first; the rest have an empty clause column."""
    return Table(ANNEX_COLUMNS, annex.clauses + annex.without_clause).compact()
