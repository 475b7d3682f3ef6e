"""The tender documents (render/docx.py, odt.py, pdf.py and the bidders' sheet in
render/xlsx.py), read back with the libraries officers' software uses: python-docx,
odfdo, pypdf and openpyxl. What the fixture's website annex must show: the
preamble, every requirement id in order with its clause, and a compliance matrix
with one row per requirement id."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import odfdo
import openpyxl
import pypdf
import pytest
from build_fixture import fixture_build
from is3c.build import requirement_id
from is3c.render import annex_file, list_file
from is3c.render import docx as render_docx
from is3c.render import odt as render_odt
from is3c.render import pdf as render_pdf
from is3c.render import tender
from is3c.render import xlsx as render_xlsx

WEBSITE_IDS = ["IS3C-HOSTILE-TEXT", "IS3C-DNSSEC", "IS3C-TLS"]
MATRIX_HEADERS = ["Requirement ID", "Standard", "Must / should", "Clause", "Evidence to supply",
                  "Complies", "Explanation", "Evidence reference"]
NOT_LISTED = {"IS3C-TLS-1-0", "IS3C-OLD-PRACTICE", "IS3C-POST-QUANTUM-TLS"}
WHY = "Why it applies: A website is found through its domain name, so the name must be signed."
PREAMBLE_MUSTS = [
    "RFC 2119 and RFC 8174",
    "an equivalent one is accepted",
    "the burden of showing equivalence lies with the bidder",
    "Articles 42(3)(b), 44 and 62 of Directive 2014/24/EU",
    "hold for the whole term of the contract",
    "[name of the contracting authority]",
    "[domain names in scope]",
    "[contract term]",
    "records in the tender file which requirement id it left out and why",
    "version fixture-1 of 2026-01-01",
]
pdf_only = pytest.mark.skipif(render_pdf.missing() is not None, reason="WeasyPrint cannot load Pango")


def website(module) -> bytes:  # type: ignore[no-untyped-def]
    extension = module.__name__.rsplit(".", 1)[-1]
    return module.render(fixture_build())[annex_file("website", extension)]


def test_requirement_ids_and_the_suffix_rule() -> None:
    assert requirement_id("dmarc") == "IS3C-DMARC"
    assert requirement_id("etsi-en-303-645") == "IS3C-ETSI-EN-303-645"
    assert requirement_id("dmarc", 2) == "IS3C-DMARC-2"
    with pytest.raises(ValueError):
        requirement_id("dmarc", 0)


def test_annex_document_orders_requirements_like_the_annex() -> None:
    built = fixture_build()
    doc = tender.annex_document(built.annex_for("website"), built)  # type: ignore[arg-type]
    assert [r.id for r in doc.requirements] == WEBSITE_IDS
    assert [c.header for c in doc.matrix] == MATRIX_HEADERS
    assert [row[0] for row in doc.matrix_rows()] == WEBSITE_IDS


def test_columns_empty_for_every_requirement_are_left_out() -> None:
    built = fixture_build()
    doc = tender.annex_document(built.annex_for("website"), built)  # type: ignore[arg-type]
    never = tender.MatrixColumn("Never", 10, lambda r: "")
    kept = tender._shown((*doc.matrix, never), doc.requirements)
    assert [c.header for c in kept] == MATRIX_HEADERS  # the bidder's columns stay, 'Never' goes


def test_lists_never_make_requirements_of_entries_not_on_the_list() -> None:
    built = fixture_build()
    full = tender.list_document(built.full, built)
    ids = {r.id for r in full.requirements}
    assert ids and not ids & NOT_LISTED
    not_listed = [p for p in full.others if p.title.startswith("Not on the list")]
    assert [requirement_id(i.id) for i in not_listed[0].items] and \
        {requirement_id(i.id) for i in not_listed[0].items} == NOT_LISTED


# --- Word -----------------------------------------------------------------------

def test_docx_reads_back_with_python_docx() -> None:
    document = docx.Document(io.BytesIO(website(render_docx)))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "Tender annex: security standards for Website and web hosting"
    text = "\n".join(p.text for p in paragraphs)
    for phrase in PREAMBLE_MUSTS:
        assert phrase in text, phrase
    headings = [p.text for p in paragraphs if p.style.name == "Heading 2" and " IS3C-" in p.text]
    assert [h.split()[1] for h in headings] == WEBSITE_IDS
    assert headings[1] == "2. IS3C-DNSSEC — DNSSEC: Domain Name System Security Extensions"
    assert ("The supplier MUST sign every domain name it hosts for the buyer with DNSSEC and keep "
            "the signatures valid for the whole contract term.") in [p.text for p in paragraphs]
    assert {p.style.name for p in paragraphs} >= {"Title", "Heading 1", "Heading 2", "List Bullet"}
    # The line on why DNSSEC applies to websites comes right under its heading.
    texts = [p.text for p in paragraphs]
    assert texts[texts.index(headings[1]) + 1] == WHY
    # The matrix: the last table, a header row Word repeats, one row per id.
    table = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == MATRIX_HEADERS
    assert [r[0] for r in rows[1:]] == WEBSITE_IDS
    assert all(r[5:] == ["", "", ""] for r in rows[1:])
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    core = document.core_properties
    assert (core.title, core.language, core.version) == (
        "Tender annex: security standards for Website and web hosting", "en", "fixture-1")
    assert core.created.isoformat() == "2026-01-01T12:30:00+00:00"


def test_docx_entry_text_is_never_a_field_link_or_macro() -> None:
    with zipfile.ZipFile(io.BytesIO(website(render_docx))) as archive:
        names = archive.namelist()
        xml = {n: archive.read(n).decode("utf-8") for n in names if n.endswith((".xml", ".rels"))}
    assert not any("vba" in n.lower() or n.endswith(".bin") for n in names)
    body = xml["word/document.xml"]
    for marker in ("<w:fldSimple", "<w:instrText", "<w:fldChar", "<w:hyperlink", "<w:object",
                   "<w:altChunk"):
        assert marker not in body, marker
    assert "/hyperlink" not in xml["word/_rels/document.xml.rels"]
    # The payload is there, as text.
    assert "=HYPERLINK(&quot;https://evil.example&quot;)" in body or \
        '=HYPERLINK("https://evil.example")' in body


# --- OpenDocument -------------------------------------------------------------------

def test_odt_reads_back_with_odfdo() -> None:
    document = odfdo.Document(io.BytesIO(website(render_odt)))
    assert document.get_type() == "text"
    headings = [h.text_recursive for h in document.body.get_headers()]
    assert headings[0] == "Tender annex: security standards for Website and web hosting"
    assert [h.split()[1] for h in headings if " IS3C-" in h] == WEBSITE_IDS
    text = document.get_formatted_text()
    for phrase in PREAMBLE_MUSTS:
        assert phrase in text, phrase
    assert WHY in text
    table = document.body.get_tables()[-1]
    header = table.get_elements("table:table-header-rows/table:table-row")
    assert [c.text_content for c in header[0].get_elements("table:table-cell")] == MATRIX_HEADERS
    rows = table.get_elements("table:table-row")
    assert [r.get_elements("table:table-cell")[0].text_content for r in rows] == WEBSITE_IDS
    meta = document.meta
    assert meta.get_title() == "Tender annex: security standards for Website and web hosting"
    assert meta.get_language() == "en"
    assert meta.get_creation_date().isoformat() == "2026-01-01T12:30:00"


def test_odt_entry_text_is_never_a_field_link_or_script() -> None:
    with zipfile.ZipFile(io.BytesIO(website(render_odt))) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        content = archive.read("content.xml").decode("utf-8")
        names = archive.namelist()
    assert not any(n.startswith(("Basic/", "Scripts/")) for n in names)
    # The template's empty <office:scripts/> holds no script.
    for marker in ("<text:a ", "<office:script ", "<office:script>", "<office:scripts>",
                   "<text:execute-macro", "<form:", "<draw:", "-field", "<text:user-defined",
                   "<text:database", "<office:event-listeners"):
        assert marker not in content, marker
    assert "=HYPERLINK(&quot;https://evil.example&quot;)" in content or \
        '=HYPERLINK("https://evil.example")' in content


# --- PDF ---------------------------------------------------------------------------

@pdf_only
def test_pdf_reads_back_with_pypdf() -> None:
    reader = pypdf.PdfReader(io.BytesIO(website(render_pdf)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for phrase in PREAMBLE_MUSTS:
        assert phrase in flat, phrase
    positions = [flat.index(f"{n}. {rid}") for n, rid in enumerate(WEBSITE_IDS, start=1)]
    assert positions == sorted(positions)
    matrix = flat[flat.rindex("Compliance matrix"):]
    assert [rid for rid in WEBSITE_IDS if rid in matrix.replace("- ", "-")] == WEBSITE_IDS
    assert "Page 1 of" in flat and WHY in flat
    assert reader.metadata is not None and reader.metadata.title == (
        "Tender annex: security standards for Website and web hosting")

    def titles(outline: list) -> list[str]:  # type: ignore[type-arg]
        found: list[str] = []
        for node in outline:
            found += titles(node) if isinstance(node, list) else [node.title]
        return found

    bookmarks = titles(reader.outline)
    assert [b.split()[1] for b in bookmarks if " IS3C-" in b] == WEBSITE_IDS
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


@pdf_only
def test_pdf_has_no_script_and_links_only_to_web_addresses() -> None:
    content = website(render_pdf)
    reader = pypdf.PdfReader(io.BytesIO(content))
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert uris and all(re.match(r"https?://", u) for u in uris), uris
    assert not any("javascript" in u.lower() for u in uris)
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    assert b"/JavaScript" not in content and b"/JS " not in content


@pdf_only
def test_pdf_page_renders_to_png(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "annex.pdf"
    source.write_bytes(website(render_pdf))
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(source),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


def test_css_strings_cannot_end_the_string_or_the_style_element() -> None:
    escaped = str(render_pdf.css_string('a"b\\c</style><script>'))
    assert '"' not in escaped and "<" not in escaped and "\\c" not in escaped
    assert escaped.startswith("a\\000022b")


# --- all three ---------------------------------------------------------------------

@pytest.mark.parametrize("module", [render_docx, render_odt,
                                    pytest.param(render_pdf, marks=pdf_only)])
def test_two_builds_give_the_same_bytes(module) -> None:  # type: ignore[no-untyped-def]
    first = dict(module.render(fixture_build()))
    time.sleep(1.1)  # a clock anywhere in the file would now show
    second = dict(module.render(fixture_build()))
    assert first.keys() == second.keys() and len(first) == 2 + len(fixture_build().annexes)
    for path in first:
        assert first[path] == second[path], path


@pytest.mark.parametrize("module", [render_docx, render_odt])
def test_zip_members_carry_the_release_date(module) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(io.BytesIO(website(module))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 12, 30, 0)}


def test_full_list_documents_keep_entries_not_on_the_list_apart() -> None:
    built = fixture_build()
    document = docx.Document(io.BytesIO(render_docx.render(built)[list_file("full", "docx")]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    requirement_headings = [h for h in headings if " IS3C-" in h]
    assert requirement_headings and not any(rid in h for h in requirement_headings
                                            for rid in NOT_LISTED)
    assert "Not on the list: proposed, deprecated and withdrawn entries" in headings
    matrix_ids = {row.cells[0].text for row in document.tables[-1].rows[1:]}
    assert not matrix_ids & NOT_LISTED


# --- the bidders' sheet ------------------------------------------------------------

@pytest.mark.parametrize("path", [annex_file("website", "xlsx"), list_file("urgent", "xlsx")])
def test_bidders_sheet_has_a_drop_down_and_only_answer_cells_open(path: str) -> None:
    built = fixture_build()
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx.render(built)[path]))
    sheet = book["Compliance matrix"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == MATRIX_HEADERS
    ids = [r[0].value for r in rows[1:]]
    expected = (WEBSITE_IDS if "annex" in path
                else [r.id for r in tender.list_document(built.urgent, built).requirements])
    assert ids == expected
    assert sheet.protection.sheet and not sheet.protection.password
    for row in rows[1:]:
        assert [c.protection.locked for c in row] == [True] * 5 + [False] * 3
        assert all(isinstance(c.value, str) for c in row[:5])
    assert all(c.protection.locked for c in rows[0])
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"Yes,No,Partly,Equivalent offered"'
    assert str(validation.sqref) == f"F2:F{len(ids) + 1}"
    assert "Compliance matrix" not in book.sheetnames[0]  # the first sheet stays the list


def test_why_it_applies_is_translated_and_marked_while_it_is_not() -> None:
    """A French annex says in French why a clause applies to the product type; where the
    catalog has no current translation of that line, it shows the English, marked."""
    from build_fixture import FIXTURE, RELEASE, fixture_registry
    from is3c.build import build
    from is3c.i18n import registry_texts

    built = fixture_build("fr")
    annex = built.annex_for("website")
    assert annex is not None
    whys = [r.why for r in tender.annex_document(annex, built).requirements if r.why]
    assert whys == ["Un site web est trouvé par son nom de domaine : ce nom doit donc être signé."]

    texts = {key: text for key, text in registry_texts(FIXTURE, "fr").items()
             if key[0] != "dnssec:procurement.applies_because.website"}
    built = build(fixture_registry(), RELEASE, "fr", texts)
    annex = built.annex_for("website")
    assert annex is not None
    whys = [r.why for r in tender.annex_document(annex, built).requirements if r.why]
    assert whys == ["A website is found through its domain name, so the name must be signed. "
                    "[pas encore traduit]"]
