"""Lists and annexes as tables of plain strings: the rows CSV and XLSX share.

One row per entry, one column per fact, headed in words a procurement officer uses.
Lists inside a cell go one item per line, so a spreadsheet shows them stacked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from is3c.build import Annex, Item, ListView
from is3c.model import Term
from is3c.i18n import N_
from is3c.render import words
from is3c.render.tender import requirement_id

# Words used inside f-strings, marked here for 'is3c i18n extract': Babel cannot see
# into f-strings before Python 3.12.
_IN_F_STRINGS = (
    N_("not yet translated"),
)


Gettext = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Column:
    header: str  # an English message id, shown through the table's gettext
    width: int  # in characters, for spreadsheets
    value: Callable[[Item, Gettext], str]


@dataclass(frozen=True)
class Table:
    """One row per item; rows are made as they are read, so a 10,000-row table
    never needs to be held whole."""

    columns: tuple[Column, ...]
    items: tuple[Item, ...]
    gettext: Gettext = _same  # the tool's words in the build's language
    shown: tuple[int, ...] | None = None  # the columns shown (``compact``); None: all
    # Every item's row as ``compact`` made it, so that ``rows`` need not make it again.
    made: tuple[Sequence[str], ...] | None = None

    @property
    def visible(self) -> tuple[Column, ...]:
        """The columns shown, after ``compact``."""
        return tuple(self.columns[n] for n in self._shown())

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(self.gettext(c.header) for c in self.visible)

    def _shown(self) -> tuple[int, ...]:
        return tuple(range(len(self.columns))) if self.shown is None else self.shown

    def _row(self, item: Item) -> tuple[str, ...]:
        """Every column's value for ``item``."""
        return tuple(c.value(item, self.gettext) for c in self.columns)

    def rows(self) -> Iterator[tuple[str, ...]]:
        shown = self._shown()
        made = self.made if self.made is not None else map(self._row, self.items)
        for row in made:
            yield tuple(row[n] for n in shown)

    def compact(self) -> Table:
        """The table without the columns that are empty for every item: a column
        nobody fills only makes a reader look for what is not there. The first
        column stays, so a table without items still has a header."""
        filled = {0}
        made = []
        for item in self.items:
            row = self._row(item)
            made.append(row)
            filled.update(n for n, value in enumerate(row) if value)
        return replace(self, shown=tuple(sorted(filled)), made=tuple(made))


def _marked(item: Item, path: str, value: str, _: Gettext) -> str:
    """The text, followed by a marker where it is shown in English for want of a
    current translation."""
    if value and item.untranslated(path):
        return f"{value} [{_('not yet translated')}]"
    return value


def _terms(item: Item, vocabulary: str, terms: tuple[Term, ...], _: Gettext) -> list[str]:
    """Category or product type titles, each marked where it is still English."""
    marker = f" [{_('not yet translated')}]"
    return [t.title + (marker if item.untranslated_term(vocabulary, t) else "") for t in terms]


def _lines(values: list[str]) -> str:
    return "\n".join(values)


def _verification(item: Item, _: Gettext) -> str:
    verification = item.entry.verification
    if verification is None:
        return ""
    tools = [
        f"{t.name} ({t.url})" + (f": {', '.join(t.test_ids)}" if t.test_ids else "")
        for t in verification.tools
    ]
    steps = [f"{n}. {step}" for n, step in enumerate(verification.steps, 1)]
    return _lines([_("Methods: %(methods)s") % {"methods": words.methods(item.entry, _)}, *tools, *steps])


def _specifications(item: Item, _: Gettext) -> str:
    return _lines([f"{s.id}: {s.title} ({s.url})" for s in item.entry.specifications])


def _recognition(item: Item, _: Gettext) -> str:
    return _lines([
        f"{r.jurisdiction}: {r.body}, {r.instrument} ({_(words.RECOGNITION[r.status])})"
        for r in item.entry.recognition
    ])


def _replacement(item: Item, _: Gettext) -> str:
    if item.replacement is None:
        return item.entry.lifecycle.superseded_by or ""
    return f"{item.replacement.short_name} ({item.replacement.id})"


def _requirement_id(item: Item, _: Gettext) -> str:
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
    Column(N_("Short name"), 16, lambda i, _: i.entry.short_name),
    Column(N_("Title"), 40, lambda i, _: _marked(i, "title", i.entry.title, _)),
    Column(N_("ID"), 18, lambda i, _: i.entry.id),
    Column(N_("Requirement ID"), 20, _requirement_id),
    Column(N_("Category"), 22, lambda i, _: _terms(i, "categories", (i.category,), _)[0]),
    Column(N_("Tier"), 13, lambda i, _: _(words.TIER[i.entry.priority.tier])),
    Column(N_("Status"), 12, lambda i, _: _(words.STATUS[i.entry.lifecycle.status])),
    Column(N_("Kind"), 14, lambda i, _: _(words.KIND[i.entry.kind])),
    Column(N_("Summary"), 60, lambda i, _: _marked(i, "summary", i.entry.summary, _)),
    Column(N_("Why it matters"), 60, lambda i, _: _marked(i, "benefit", i.entry.benefit, _)),
    Column(N_("Why this tier"), 50,
           lambda i, _: _marked(i, "priority.rationale", i.entry.priority.rationale, _)),
    Column(N_("Target date"), 12, lambda i, _: i.entry.priority.target_date or ""),
    Column(N_("Requirement"), 12, lambda i, _: words.requirement(i.entry, _)),
    Column(N_("Tender clause"), 80,
           lambda i, _: _marked(i, "procurement.tender_clause", _procurement(i, "clause"), _)),
    Column(N_("Evidence to ask for"), 60,
           lambda i, _: _marked(i, "procurement.evidence", _procurement(i, "evidence"), _)),
    Column(N_("How to verify"), 40, _verification),
    Column(N_("Applies to"), 30,
           lambda i, _: _lines(_terms(i, "product-types", i.product_types, _))),
    Column(N_("CPV codes"), 14, lambda i, _: _procurement(i, "cpv")),
    Column(N_("Specifications"), 60, _specifications),
    Column(N_("Maintainer"), 30, lambda i, _: i.entry.maintainer.name),
    Column(N_("Recognised by"), 50, _recognition),
    Column(N_("Listed since"), 12, lambda i, _: i.entry.lifecycle.listed_since or ""),
    Column(N_("Last reviewed"), 12, lambda i, _: i.entry.lifecycle.last_reviewed or ""),
    Column(N_("Replaced by"), 20, _replacement),
    Column(N_("Status reason"), 40,
           lambda i, _: _marked(i, "lifecycle.reason", i.entry.lifecycle.reason or "", _)),
)

ANNEX_COLUMNS = (
    Column(N_("Requirement ID"), 20, _requirement_id),
    Column(N_("Short name"), 16, lambda i, _: i.entry.short_name),
    Column(N_("Title"), 40, lambda i, _: _marked(i, "title", i.entry.title, _)),
    Column(N_("Tier"), 13, lambda i, _: _(words.TIER[i.entry.priority.tier])),
    Column(N_("Requirement"), 12, lambda i, _: words.requirement(i.entry, _)),
    Column(N_("Tender clause"), 80,
           lambda i, _: _marked(i, "procurement.tender_clause", _procurement(i, "clause"), _)),
    Column(N_("Evidence to ask for"), 60,
           lambda i, _: _marked(i, "procurement.evidence", _procurement(i, "evidence"), _)),
    Column(N_("How to verify"), 40, _verification),
    Column(N_("Specifications"), 60, _specifications),
    Column(N_("CPV codes"), 14, lambda i, _: _procurement(i, "cpv")),
    Column(N_("ID"), 18, lambda i, _: i.entry.id),
)


def list_table(view: ListView, gettext: Gettext = _same) -> Table:
    """Listed entries in list order, then (full list) the annex; 'Status' tells them
    apart. One table, for CSV, which has no sheets."""
    return Table(LIST_COLUMNS, view.items + view.annex, gettext).compact()


def listed_table(view: ListView, gettext: Gettext = _same) -> Table:
    """Only the entries on the list: the first sheet of a workbook."""
    return Table(LIST_COLUMNS, view.items, gettext).compact()


def not_listed_table(view: ListView, gettext: Gettext = _same) -> Table:
    """The entries that are proposed, deprecated or withdrawn: a sheet of their own."""
    return Table(LIST_COLUMNS, view.annex, gettext).compact()


def annex_table(annex: Annex, gettext: Gettext = _same) -> Table:
    """Entries with a tender clause first; the rest have an empty clause column."""
    return Table(ANNEX_COLUMNS, annex.clauses + annex.without_clause, gettext).compact()
