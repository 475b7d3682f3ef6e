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

from is3c.build import Annex, Build, ListView
from is3c.render import Files, annex_file, list_file
from is3c.render.tabular import Table, annex_table, list_table

# The full-width forms too: some spreadsheet versions fold them to ASCII on input.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def cell(value: str) -> str:
    """One field, neutralised: text stays text whatever it starts with."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def table_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([cell(h) for h in table.headers])
    writer.writerows([cell(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def render_list(view: ListView, built: Build) -> bytes:
    return table_bytes(list_table(view))


def render_annex(annex: Annex, built: Build) -> bytes:
    return table_bytes(annex_table(annex))


def render(built: Build) -> Files:
    files: Files = {list_file(v.name, "csv"): render_list(v, built) for v in built.lists}
    for annex in built.annexes:
        files[annex_file(annex.product_type.id, "csv")] = render_annex(annex, built)
    return files
