"""render/csv.py: RFC 4180, UTF-8, and no cell that a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest
from build_fixture import HOSTILE_ID, check_golden, fixture_build
from is3c.render import annex_file, list_file
from is3c.render import csv as render_csv
from is3c.render.csv import FORMULA_TRIGGERS, cell

GOLDEN = [list_file("urgent", "csv"), list_file("full", "csv"), annex_file("website", "csv")]


def rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("path", GOLDEN)
def test_golden(path: str) -> None:
    check_golden(f"csv/{path.split('/')[-1]}", render_csv.render(fixture_build())[path])


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+1", "'+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\nx"),
    ("\nx", "'\nx"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("a=b", "a=b"),
    ("", ""),
    ("plain", "plain"),
    ("line\r\nbreak", "line\nbreak"),
])
def test_cell(value: str, expected: str) -> None:
    assert cell(value) == expected


def test_records_follow_rfc_4180() -> None:
    content = render_csv.render(fixture_build())[list_file("full", "csv")]
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n")
    # Every field is quoted: each record starts with a quote.
    records = rows(content)
    assert len(records) == 1 + 9
    assert all(len(r) == len(records[0]) for r in records)
    raw_first_line = text.split("\r\n", 1)[0]
    assert raw_first_line.startswith('"Short name","Title","ID",')


def test_no_cell_starts_a_formula() -> None:
    files = render_csv.render(fixture_build())
    checked = 0
    for path, content in files.items():
        for record in rows(content):
            for value in record:
                checked += 1
                assert not value or value[0] not in FORMULA_TRIGGERS, (path, value)
    assert checked > 500


def test_hostile_entry_is_text_with_an_apostrophe() -> None:
    records = rows(render_csv.render(fixture_build())[list_file("urgent", "csv")])
    header, hostile = records[0], next(r for r in records if HOSTILE_ID in r)
    row = dict(zip(header, hostile))
    assert row["Title"].startswith("'=HYPERLINK(")
    assert row["Short name"].startswith("'@SUM(1+1)")
    assert row["Why it matters"].startswith("'+cmd|")
    assert row["Why this tier"].startswith("'\n=2+2")
    assert row["Tender clause"].startswith("'=HYPERLINK(")
    assert row["Evidence to ask for"].startswith("'-1 <iframe")
    # A formula after a line break inside a cell is not at the start of the cell.
    assert "\n@evil\n{=1+1}" in row["Evidence to ask for"]


def test_annex_rows_put_entries_with_a_clause_first() -> None:
    records = rows(render_csv.render(fixture_build())[annex_file("website", "csv")])
    assert [r[-1] for r in records] == ["ID", HOSTILE_ID, "dnssec", "tls", "security-txt"]
    assert records[-1][4] == ""  # security.txt has no tender clause
