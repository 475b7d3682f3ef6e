"""render/xlsx.py: typed text cells only, never a formula, fixed metadata."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from build_fixture import HOSTILE_ID, RELEASE, check_golden, fixture_build
from is3c.render import annex_file, list_file
from is3c.render import xlsx as render_xlsx
from is3c.render.csv import FORMULA_TRIGGERS

GOLDEN = [list_file("urgent", "xlsx"), list_file("full", "xlsx"), annex_file("email-service", "xlsx")]


def dump(content: bytes) -> bytes:
    """What a reader sees, as text: sheets, panes, widths, filters, cells, quote prefixes.
    Independent of how the library lays out the zip, so a library upgrade that
    changes nothing visible does not fail the golden test."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    lines = [f"title: {book.properties.title}", f"created: {book.properties.created}",
             f"modified: {book.properties.modified}"]
    for sheet in book.worksheets:
        widths = {k: round(v.width, 2) for k, v in sorted(sheet.column_dimensions.items())}
        lines += [f"== {sheet.title}", f"freeze: {sheet.freeze_panes}",
                  f"filter: {sheet.auto_filter.ref}", f"widths: {widths}"]
        for row in sheet.iter_rows():
            for c in row:
                if c.value is not None:
                    guard = " [quote-prefix]" if c.quotePrefix else ""
                    lines.append(f"{c.coordinate} {c.data_type}{guard}: {c.value!r}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize("path", GOLDEN)
def test_golden(path: str) -> None:
    content = render_xlsx.render(fixture_build())[path]
    check_golden(f"xlsx/{path.split('/')[-1]}.txt", dump(content))


def test_bytes_do_not_depend_on_the_clock() -> None:
    first = render_xlsx.render(fixture_build())
    second = render_xlsx.render(fixture_build())
    assert first == second


def test_no_temporary_file_is_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dict(render_xlsx.render(fixture_build()))

    def crash(*args: object) -> None:
        raise RuntimeError("halfway")

    monkeypatch.setattr(render_xlsx._Sheets, "about", crash)
    with pytest.raises(RuntimeError, match="halfway"):
        b"".join(render_xlsx.render_list(fixture_build().full, fixture_build()))
    assert list(tmp_path.iterdir()) == []


def xml_parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {i.filename: archive.read(i).decode("utf-8") for i in archive.infolist()}


@pytest.mark.parametrize("path", sorted(render_xlsx.render(fixture_build())))
def test_no_formula_anywhere_and_every_cell_is_a_string(path: str) -> None:
    parts = xml_parts(render_xlsx.render(fixture_build())[path])
    sheets = {n: x for n, x in parts.items() if n.startswith("xl/worksheets/")}
    assert sheets
    for name, xml in sheets.items():
        assert "<f>" not in xml and "<f " not in xml, name
        # Cells with content are inline strings; the bidder's empty answer cells
        # (compliance matrix) carry only a style.
        cells = re.findall(r"<c [^>]*[^/]>", xml)
        assert cells and all('t="inlineStr"' in c for c in cells), name
        blanks = re.findall(r"<c [^>]*/>", xml)
        assert all(re.fullmatch(r'<c r="[A-Z]+[0-9]+" s="[0-9]+"/>', c) for c in blanks), name
    assert not any(n.startswith("xl/calcChain") for n in parts)


def test_fixed_zip_and_document_dates() -> None:
    content = render_xlsx.render(fixture_build())[list_file("full", "xlsx")]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 31, 0, 0, 0)}
    core = xml_parts(content)["docProps/core.xml"]
    stamp = RELEASE.released.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>' in core
    assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>' in core


def test_hostile_text_is_text_and_guarded_against_later_editing() -> None:
    content = render_xlsx.render(fixture_build())[list_file("urgent", "xlsx")]
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Urgent list"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("ID")].value == HOSTILE_ID)
    by_name = {header[i]: c for i, c in enumerate(row)}
    title = by_name["Title"]
    # The value is the entry's own text, stored as a string, not a formula.
    assert title.value.startswith('=HYPERLINK("https://evil.example/')
    assert title.data_type == "s" and title.quotePrefix
    for cell in row:
        if cell.value and cell.value[0] in FORMULA_TRIGGERS:
            assert cell.quotePrefix, cell.coordinate
        elif cell.value:
            assert not cell.quotePrefix, cell.coordinate


def test_sheets_header_panes_and_about() -> None:
    content = render_xlsx.render(fixture_build())[list_file("full", "xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Full list", "Not on the list", "About"]
    sheet = book["Full list"]
    assert sheet.freeze_panes == "B2"
    assert sheet["A1"].value == "Short name" and sheet["A1"].font.b
    assert sheet.max_row == 1 + 6  # the listed entries only
    rows = [[c.value for c in row] for row in book["Not on the list"].iter_rows()]
    status = rows[0].index("Status")
    assert {r[status] for r in rows[1:]} == {"Proposed", "Deprecated", "Withdrawn"}
    listed = [[c.value for c in row] for row in sheet.iter_rows()]
    assert {r[listed[0].index("Status")] for r in listed[1:]} == {"Accepted"}
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["List"] == "Full overview list of security standards for ICT procurement"
    assert about["Registry version"] == "fixture-1"
    assert about["Date"] == "2026-01-01"
    assert about["Licence"].startswith("Content licence: CC0 1.0 (public domain dedication, "
                                       "https://creativecommons.org/publicdomain/zero/1.0/)")
    assert about["Source"].startswith("IGF Dynamic Coalition")
    assert about["Entries"] == "6"


@pytest.mark.parametrize("value", [
    "<r><t>a</t></r></si><si><t>forged</t></si><si><r><t>b</t></r>",
    '<r></t></is></c><c r="B1"><f>1+1</f></c><c><is><t></r>',
    "<r></r>",
])
def test_text_that_looks_like_rich_text_xml_stays_text(value: str) -> None:
    """XlsxWriter copies strings shaped '<r>...</r>' into the XML unescaped."""
    with render_xlsx._workbook("t", fixture_build()) as sheets:
        sheet = sheets.book.add_worksheet("S")
        sheets.write(sheet, 0, 0, value)
        sheets.write(sheet, 1, 0, "next")
        content = sheets.close()
    cells = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(content))["S"].iter_rows()]
    assert cells == [[value], ["next"]]
    assert not any("<f>" in xml for xml in xml_parts(content).values())


def test_a_cell_longer_than_excel_allows_is_cut_visibly() -> None:
    value = render_xlsx._fit("x" * 40_000)
    assert len(value) == render_xlsx.MAX_CELL
    assert value.endswith("see the JSON list for the full text]")
    assert render_xlsx._fit("short") == "short"
