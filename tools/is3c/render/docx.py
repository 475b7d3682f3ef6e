"""The tender documents as Word files (.docx), with python-docx.

Real Word structure, so that an officer can edit and merge the file: the title and
headings use Word's heading styles (the navigation pane and a table of contents
pick them up), each requirement is a heading with its id followed by its clause as
body text, and the compliance matrix is a table whose header row repeats on every
page. What the document says is decided in ``render.tender``.

Entry text only ever becomes the text of a run: never a field, a hyperlink or a
macro. The package is rezipped with the release date, and its dates come from the
release, so one registry revision gives one byte sequence.
"""

from __future__ import annotations

import io
from functools import partial

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from is3c import __version__
from is3c.build import Build
from is3c.render import Files
from is3c.render.tender import TenderDocument, document_key, document_path, document_weight, documents, fixed_zip, plain

A4 = (Mm(210), Mm(297))
MARGIN = Mm(20)


def _page(section, landscape: bool = False) -> None:  # type: ignore[no-untyped-def]
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _header_row(table: Table) -> None:
    """Mark the first row as a header that Word repeats on every page."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _language(document: docx.document.Document, language: str) -> None:
    """The proofing language of the text, so Word checks spelling in the right one."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), language)
    properties.append(element)


def _properties(document: docx.document.Document, doc: TenderDocument, built: Build) -> None:
    core = document.core_properties
    released = doc.released.replace(tzinfo=None)
    core.title = doc.title
    core.subject = doc.release_line
    core.author = built.release.source
    core.last_modified_by = f"is3c {__version__}"
    core.language = doc.language
    core.version = built.release.registry_version
    core.revision = 1
    core.keywords = "IS3C; tender; security standards"
    core.comments = built.release.rights(doc.language)
    core.category = ""
    core.identifier = doc.stem
    core.created = core.modified = core.last_printed = released


def make(doc: TenderDocument, built: Build) -> bytes:
    document = docx.Document()
    _page(document.sections[0])
    _language(document, doc.language)
    _properties(document, doc, built)
    labels = doc.labels
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.release_line)
    document.add_paragraph(plain(doc.intro))

    document.add_heading(labels["preamble"], level=1)
    for heading, paragraphs in doc.preamble:
        document.add_heading(heading, level=2)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)

    document.add_heading(labels["requirements"], level=1)
    if not doc.requirements:
        document.add_paragraph(labels["none"])
    for number, requirement in enumerate(doc.requirements, start=1):
        document.add_heading(f"{number}. {requirement.id} — {requirement.name}", level=2)
        if requirement.why:
            document.add_paragraph(f"{labels['why']}: {requirement.why}").runs[0].italic = True
        label = document.add_paragraph()
        label.add_run(f"{labels['requirement']}: ").bold = True
        label.add_run(f"{requirement.id} ({requirement.requirement})")
        document.add_paragraph(requirement.clause)
        document.add_paragraph().add_run(labels["evidence"]).bold = True
        for evidence in requirement.evidence:
            document.add_paragraph(evidence, style="List Bullet")
        specifications = "; ".join(plain(f"{s.id}: {s.title} ({s.url})")
                                   for s in requirement.item.entry.specifications)
        document.add_paragraph(f"{labels['specifications']}: {specifications}")

    for part in doc.others:
        document.add_heading(part.title, level=1)
        document.add_paragraph(part.note)
        for item in part.items:
            document.add_paragraph(plain(f"{item.entry.short_name}: {item.entry.title}. "
                                         f"{item.entry.summary}"), style="List Bullet")

    _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    document.add_heading(labels["matrix"], level=1)
    document.add_paragraph(labels["matrix_note"])
    table = document.add_table(rows=1, cols=len(doc.matrix))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, doc.matrix):
        cell.text = ""
        cell.paragraphs[0].add_run(column.header).bold = True
    _header_row(table)
    for values in doc.matrix_rows():
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    for column, spec in zip(table.columns, doc.matrix):
        for cell in column.cells:
            cell.width = Mm(257 * spec.width / sum(c.width for c in doc.matrix))
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)

    out = io.BytesIO()
    document.save(out)
    return fixed_zip(out.getvalue(), doc.released)


def render(built: Build) -> Files:
    files = Files()
    for doc in documents(built):
        files.add(document_path(doc, "docx"), partial(make, doc, built), weight=document_weight(doc),
                  key=document_key(doc, built, "docx"))
    return files
