"""The lists and annexes as CSV that is safe to open in Excel and LibreOffice.

RFC 4180: every field quoted, quotes doubled, CRLF between records. A spreadsheet
runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and TAB, CR
and LF have been used to smuggle one in), so such a cell gets a leading apostrophe,
the OWASP and ASVS 5.0 (1.2.10) advice. The file starts with a UTF-8 byte order
mark, without which Excel reads UTF-8 as the local code page and garbles accents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import partial

from is3c.build import Annex, Build, ListView
from is3c.render import Files, annex_file, annex_key, list_file, list_key
from is3c.i18n import gettext_for
from is3c.render.tabular import Table, annex_table, list_table

# The full-width forms too: some spreadsheet versions fold them to ASCII on input.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def cell(value: str) -> str:
    """One field, neutralised: text stays text whatever it starts with."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


# Rows per piece of the file: big enough to keep the overhead per piece small.
ROWS_PER_PIECE = 256


def table_pieces(table: Table) -> Iterator[bytes]:
    """The table as CSV, a few hundred records at a time."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([cell(h) for h in table.headers])
    for number, row in enumerate(table.rows(), start=1):
        writer.writerow([cell(v) for v in row])
        if number % ROWS_PER_PIECE == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def render_list(view: ListView, built: Build) -> Iterator[bytes]:
    return table_pieces(list_table(view, gettext_for(built.language)))


def render_annex(annex: Annex, built: Build) -> Iterator[bytes]:
    return table_pieces(annex_table(annex, gettext_for(built.language)))


def render(built: Build) -> Files:
    files = Files()
    for view in built.lists:
        files.add(list_file(view.name, "csv"), partial(render_list, view, built),
                  weight=len(view.items) + len(view.annex), key=list_key(built, "csv", view))
    for annex in built.annexes:
        files.add(annex_file(annex.product_type.id, "csv"), partial(render_annex, annex, built),
                  weight=annex.count, key=annex_key(built, "csv", annex))
    return files
