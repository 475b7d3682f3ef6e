"""The lists and annexes as Excel workbooks: text cells only, never a formula.

XlsxWriter rather than openpyxl because it writes fixed zip entry dates and takes
the document dates from us, so one registry revision gives one byte sequence.
Every cell goes through ``write_string`` (``write`` would turn text starting with
'=' into a formula); cells that start like a formula also get Excel's quote-prefix
style, so editing such a cell later does not turn it into one either.

Workbooks are written in XlsxWriter's constant-memory mode: each row goes to a
temporary file as soon as it is complete, so a 10,000-row sheet takes a few MB
instead of a hundred. Cells then hold their text inline rather than in a table of
shared strings (the same typed text), and the parts of the zip are dated
1980-01-31 and carry the mode of the temporary files (0600 under any usual umask).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from is3c import __version__
from is3c.build import Annex, Build, ListView
from is3c.render import Files, annex_file, annex_key, list_file, list_key
from is3c.render.csv import FORMULA_TRIGGERS
from is3c.i18n import N_, gettext_for
from is3c.render.tabular import Table, annex_table, listed_table, not_listed_table
from is3c.render.tender import (
    ANSWERS,
    TenderDocument,
    annex_document,
    list_document,
)

MAX_CELL = 32_767  # Excel's limit on the characters in one cell
TRUNCATED = " … [cut: the cell limit of Excel; see the JSON list for the full text]"
SHEET_NAMES = {"urgent": N_("Urgent list"), "full": N_("Full list")}


# A row of a workbook costs about three times a row of the other lists to make: the
# writer starts the workbooks first.
XLSX_WEIGHT = 3


def _fit(value: str) -> str:
    if len(value) <= MAX_CELL:
        return value
    return value[: MAX_CELL - len(TRUNCATED)] + TRUNCATED


class _Sheets:
    """One workbook with the few cell styles every sheet uses. Write each sheet top
    to bottom: in constant-memory mode XlsxWriter drops a cell written to a row
    above the last one written."""

    def __init__(self, title: str, built: Build, folder: str) -> None:
        self._ = gettext_for(built.language)
        # Arabic and other right-to-left languages: sheets read from the right.
        self.rtl = built.direction == "rtl"
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "constant_memory": True,
            "tmpdir": folder,  # for the rows on their way into the workbook
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        # XlsxWriter writes these as both dcterms:created and dcterms:modified.
        self.book.set_properties({
            "title": title,
            "author": built.release.source,
            "company": built.release.source,
            "comments": self._("Registry version %(version)s") % {
                "version": built.release.registry_version},
            "created": built.release.released.replace(tzinfo=None),
        })
        self.header = self.book.add_format({
            "bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE6F1", "border": 1,
        })
        self.text = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.guarded = self.book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
        self.label = self.book.add_format({"bold": True, "valign": "top"})
        self.plain_run = self.book.add_format({})

    def write(self, sheet: Any, row: int, column: int, value: str, style: Any = None) -> None:
        if not value:
            return  # a truly empty cell, not an empty string that COUNTA would count
        value = _fit(value)
        if value[0] in FORMULA_TRIGGERS:
            style = self.guarded
        if value.startswith("<r>") and value.endswith("</r>"):
            # XlsxWriter takes such a string for rich-text XML of its own making and
            # copies it into the file unescaped, where it could end the cell and
            # forge others. As two runs of rich text it is escaped like any text.
            sheet.write_rich_string(row, column, value[:1], self.plain_run, value[1:],
                                    style or self.text)
            return
        sheet.write_string(row, column, value, style or self.text)

    def table(self, name: str, table: Table) -> None:
        sheet = self.book.add_worksheet(self._(name)[:31])
        if self.rtl:
            sheet.right_to_left()
        for column, (spec, header) in enumerate(zip(table.visible, table.headers)):
            sheet.set_column(column, column, spec.width)
            self.write(sheet, 0, column, header, self.header)
        for row, values in enumerate(table.rows(), start=1):
            for column, value in enumerate(values):
                self.write(sheet, row, column, value)
        sheet.freeze_panes(1, 1)
        sheet.autofilter(0, 0, max(len(table.items), 1), len(table.visible) - 1)
        sheet.set_landscape()
        sheet.repeat_rows(0)
        sheet.fit_to_pages(1, 0)

    def matrix(self, doc: TenderDocument) -> None:
        """The bidders' sheet: one row per requirement id, the facts locked, the three
        answer cells open, 'Complies' a drop-down. The sheet is protected without a
        password, so an officer can still unprotect and change it; every cell is
        text, never a formula."""
        sheet = self.book.add_worksheet(_sheet_name(doc.labels["matrix"]))
        if self.rtl:
            sheet.right_to_left()
        answer = self.book.add_format({"text_wrap": True, "valign": "top", "locked": False,
                                       "border": 1, "bg_color": "#FFF9E0"})
        for column, spec in enumerate(doc.matrix):
            sheet.set_column(column, column, spec.width)
            self.write(sheet, 0, column, spec.header, self.header)
        answers = [n for n, c in enumerate(doc.matrix) if c.value is None]
        for row, values in enumerate(doc.matrix_rows(), start=1):
            for column, value in enumerate(values):
                if column in answers:
                    sheet.write_blank(row, column, None, answer)
                else:
                    self.write(sheet, row, column, value)
        if doc.requirements and answers:
            translate = gettext_for(doc.language)
            sheet.data_validation(1, answers[0], len(doc.requirements), answers[0], {
                "validate": "list",
                "source": [translate(a) for a in ANSWERS],
                "input_title": doc.matrix[answers[0]].header[:32],
                "input_message": doc.labels["answers"][:255],
                "error_type": "warning",
            })
        sheet.freeze_panes(1, 1)
        sheet.set_landscape()
        sheet.repeat_rows(0)
        sheet.fit_to_pages(1, 0)
        sheet.protect("", {"format_columns": True, "format_rows": True,
                           "select_locked_cells": True, "select_unlocked_cells": True})

    def about(self, rows: list[tuple[str, str]]) -> None:
        sheet = self.book.add_worksheet(self._("About")[:31])
        if self.rtl:
            sheet.right_to_left()
        sheet.set_column(0, 0, 20)
        sheet.set_column(1, 1, 90)
        for row, (label, value) in enumerate(rows):
            self.write(sheet, row, 0, self._(label), self.label)
            self.write(sheet, row, 1, value)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


@contextmanager
def _workbook(title: str, built: Build) -> Iterator[_Sheets]:
    """A workbook whose temporary files go whatever happens."""
    with tempfile.TemporaryDirectory(prefix="is3c-xlsx-") as folder:
        yield _Sheets(title, built, folder)


def _about(title: str, count: int, built: Build, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    release = built.release
    _ = gettext_for(built.language)
    return [
        (N_("List"), title),
        *extra,
        (N_("Entries"), str(count)),
        (N_("Registry version"), release.registry_version),
        (N_("Date"), release.date),
        (N_("Language"), built.language),
        (N_("Source"), release.source),
        (N_("Licence"), release.rights(built.language)),
        (N_("Made by"), _("is3c %(version)s; check the file against SHA256SUMS from the same "
                          "release") % {"version": __version__}),
    ]


def _sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(" " if c in "[]:*?/\\" else c for c in name)[:31].strip() or "Sheet"


def _preamble(doc: TenderDocument) -> list[tuple[str, str]]:
    return [(heading, "\n\n".join(paragraphs)) for heading, paragraphs in doc.preamble]


def render_list(view: ListView, built: Build) -> Iterator[bytes]:
    doc = list_document(view, built)
    _ = gettext_for(built.language)
    not_listed = _sheet_name(_("Not on the list"))
    with _workbook(view.title, built) as sheets:
        sheets.table(SHEET_NAMES[view.name], listed_table(view, _))
        if view.name == "urgent":
            sheets.matrix(doc)
        if view.annex:
            sheets.table(not_listed, not_listed_table(view, _))
        extra = [(N_("What it holds"), view.description)]
        if view.annex:
            extra.append((N_("Not on the list"), _(
                "%(count)s entries that are proposed, deprecated or withdrawn are on the sheet "
                "'%(sheet)s'; do not ask for them in tenders") % {"count": len(view.annex),
                                                                  "sheet": not_listed}))
        sheets.about(_about(view.title, len(view.items), built, extra) + _preamble(doc))
        content = sheets.close()
    yield content


def render_annex(annex: Annex, built: Build) -> Iterator[bytes]:
    with _workbook(annex.title, built) as sheets:
        doc = annex_document(annex, built)
        sheets.table(N_("Tender annex"), annex_table(annex, gettext_for(built.language)))
        sheets.matrix(doc)
        sheets.about(_about(annex.title, annex.count, built,
                            [(N_("Product type"), annex.product_type.title),
                             (N_("What it holds"), annex.product_type.description)])
                     + _preamble(doc))
        content = sheets.close()
    yield content


def render(built: Build) -> Files:
    files = Files()
    for view in built.lists:
        files.add(list_file(view.name, "xlsx"), partial(render_list, view, built),
                  weight=XLSX_WEIGHT * (len(view.items) + len(view.annex)),
                  key=list_key(built, "xlsx", view))
    for annex in built.annexes:
        files.add(annex_file(annex.product_type.id, "xlsx"), partial(render_annex, annex, built),
                  weight=XLSX_WEIGHT * annex.count, key=annex_key(built, "xlsx", annex))
    return files
