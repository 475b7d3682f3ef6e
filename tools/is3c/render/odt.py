"""The tender documents as OpenDocument text (.odt), with odfdo.

Many public bodies, the Dutch among them, must exchange documents in ODF. The
content is the Word file's, from the same ``render.tender`` document: outline
headings, each requirement under a heading with its id, the clause as body text,
and the compliance matrix as a table with a header row that repeats on every page.

Entry text only ever becomes paragraph text (never a field, link or script), and
the metadata and the zip members carry the release date, so one registry revision
gives one byte sequence.
"""

from __future__ import annotations

import io
from functools import partial

from odfdo import Cell, Column, Document, Header, HeaderRows, List, Paragraph, Row, Style, Table

from is3c import __version__
from is3c.build import Build
from is3c.render import Files
from is3c.render.tender import TenderDocument, document_key, document_path, document_weight, documents, fixed_zip, plain

BODY = "Text_20_body"
TEXT_WIDTH_CM = 17.0  # A4 less the template's 2 cm margins


def _meta(document: Document, doc: TenderDocument, built: Build) -> None:
    meta = document.meta
    released = doc.released.replace(tzinfo=None)
    meta.set_title(doc.title)
    meta.set_subject(doc.release_line)
    meta.set_description(plain(doc.intro))
    meta.set_language(doc.language)
    meta.set_creation_date(released)
    meta.set_modification_date(released)
    meta.set_initial_creator(built.release.source)
    meta.set_creator(built.release.source)
    meta.set_generator(f"is3c {__version__}")
    meta.set_editing_cycles(1)
    meta.set_keywords("IS3C, tender, security standards")
    meta.set_user_defined_metadata("Licence", built.release.licence)
    meta.set_user_defined_metadata("Rights", built.release.rights(doc.language))


def _text_style(name: str, parent: str, **text: str) -> Style:
    style = Style("paragraph", name=name, parent_style=parent)
    style.set_properties(text, area="text")
    return style


def _styles(document: Document) -> None:
    document.insert_style(_text_style("IS3C_Label", BODY, **{"fo:font-weight": "bold"}),
                          automatic=True)
    document.insert_style(_text_style("IS3C_Why", BODY, **{"fo:font-style": "italic"}),
                          automatic=True)
    document.insert_style(_text_style("IS3C_Head", "Standard", **{"fo:font-weight": "bold"}),
                          automatic=True)
    document.insert_style(Style("table-cell", name="IS3C_Cell", border="0.5pt solid #000000",
                                padding="0.1cm"), automatic=True)


def _heading(level: int, text: str) -> Header:
    heading = Header(level, text, formatted=False)
    heading.style = f"Heading_20_{level}"  # odfdo's Header drops the style argument
    return heading


def _paragraph(text: str, style: str = BODY) -> Paragraph:
    return Paragraph(text, style=style, formatted=False)


def _cell(value: str, style: str = "Standard") -> Cell:
    cell = Cell(style="IS3C_Cell")
    for line in value.split("\n") or [""]:
        cell.append(_paragraph(line, style))
    return cell


def _bullets(texts: list[str]) -> List:
    # odfdo wraps each paragraph in a list item of its own.
    return List([_paragraph(text) for text in texts], style="List_20_1")


def make(doc: TenderDocument, built: Build) -> bytes:
    document = Document("text")
    _meta(document, doc, built)
    _styles(document)
    body = document.body
    body.clear()
    labels = doc.labels
    body.append(_heading(1, doc.title))
    body.append(_paragraph(doc.release_line))
    body.append(_paragraph(plain(doc.intro)))

    body.append(_heading(1, labels["preamble"]))
    for heading, paragraphs in doc.preamble:
        body.append(_heading(2, heading))
        for paragraph in paragraphs:
            body.append(_paragraph(paragraph))

    body.append(_heading(1, labels["requirements"]))
    if not doc.requirements:
        body.append(_paragraph(labels["none"]))
    for number, requirement in enumerate(doc.requirements, start=1):
        body.append(_heading(2, f"{number}. {requirement.id} — {requirement.name}"))
        if requirement.why:
            body.append(_paragraph(f"{labels['why']}: {requirement.why}", "IS3C_Why"))
        body.append(_paragraph(f"{labels['requirement']}: {requirement.id} "
                               f"({requirement.requirement})", "IS3C_Label"))
        body.append(_paragraph(requirement.clause))
        body.append(_paragraph(labels["evidence"], "IS3C_Label"))
        body.append(_bullets(list(requirement.evidence)))
        specifications = "; ".join(plain(f"{s.id}: {s.title} ({s.url})")
                                   for s in requirement.item.entry.specifications)
        body.append(_paragraph(f"{labels['specifications']}: {specifications}"))

    for part in doc.others:
        body.append(_heading(1, part.title))
        body.append(_paragraph(part.note))
        body.append(_bullets([plain(f"{i.entry.short_name}: {i.entry.title}. {i.entry.summary}")
                              for i in part.items]))

    body.append(_heading(1, labels["matrix"]))
    body.append(_paragraph(labels["matrix_note"]))
    table = Table("Compliance_matrix", style="IS3C_Table")
    document.insert_style(Style("table", name="IS3C_Table", width=f"{TEXT_WIDTH_CM}cm",
                                align="left"), automatic=True)
    total = sum(c.width for c in doc.matrix)
    for number, column in enumerate(doc.matrix):
        name = f"IS3C_Column{number}"
        document.insert_style(Style("table-column", name=name,
                                    width=f"{TEXT_WIDTH_CM * column.width / total:.2f}cm"),
                              automatic=True)
        table.append(Column(style=name))
    header = HeaderRows()
    row = Row()
    for column in doc.matrix:
        row.append(_cell(column.header, "IS3C_Head"))
    header.append(row)
    table.append(header)
    for values in doc.matrix_rows():
        row = Row()
        for value in values:
            row.append(_cell(value))
        table.append(row)
    body.append(table)

    out = io.BytesIO()
    document.save(out)
    return fixed_zip(out.getvalue(), doc.released)


def render(built: Build) -> Files:
    files = Files()
    for doc in documents(built):
        files.add(document_path(doc, "odt"), partial(make, doc, built), weight=document_weight(doc),
                  key=document_key(doc, built, "odt"))
    return files
