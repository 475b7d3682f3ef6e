"""The content licence, CC0 1.0, as every reader of a download finds it: the legal
code in registry/LICENSE, and the licence in each file's own metadata, read back
with the libraries officers' software uses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import odfdo
import openpyxl
import pypdf
import pytest
from build_fixture import fixture_build

from is3c.render import annex_file, list_file
from is3c.render import docx as render_docx, json as render_json, odt as render_odt, xlsx as render_xlsx

REPO = Path(__file__).resolve().parent.parent
DEED = "https://creativecommons.org/publicdomain/zero/1.0/"


def test_registry_license_is_the_cc0_legal_code() -> None:
    text = (REPO / "registry" / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("Creative Commons Legal Code\n\nCC0 1.0 Universal\n")
    assert "Statement of Purpose" in text and "4. Limitations and Disclaimers." in text


def test_json_lists_and_spreadsheets_name_cc0() -> None:
    built = fixture_build()
    listed = json.loads(render_json.render(built)[list_file("urgent", "json")])
    assert listed["licence"] == "CC0-1.0"
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx.render(built)[list_file("urgent", "xlsx")]))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert DEED in about["Licence"]


def test_documents_carry_the_licence_in_their_properties() -> None:
    built = fixture_build("fr")
    word = docx.Document(io.BytesIO(render_docx.render(built)[annex_file("website", "docx")]))
    assert word.core_properties.comments.startswith("Licence du contenu : CC0 1.0")
    odt = odfdo.Document(io.BytesIO(render_odt.render(built)[annex_file("website", "odt")]))
    assert odt.meta.get_user_defined_metadata_of_name("Licence")["value"] == "CC0-1.0"


def test_pdf_carries_the_licence_in_its_properties() -> None:
    from is3c.render.pdf import missing

    if missing():
        pytest.skip(missing())
    from is3c.render import pdf as render_pdf

    reader = pypdf.PdfReader(io.BytesIO(render_pdf.render(fixture_build())[annex_file("website", "pdf")]))
    assert DEED in str(reader.metadata.subject)
