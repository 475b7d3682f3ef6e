"""What every tender document shares, decided once: the preamble, the requirement
ids, the order of requirements, the compliance matrix and which of its columns
show. The Word, OpenDocument and PDF renderers (and the annex page, the Markdown
and the spreadsheets where they show the same things) only lay this out, so no
two formats can disagree about what a bidder answers to.

Every word here goes through ``i18n.gettext_for(language)``, the tool's catalog of
that language, so the preamble and labels read the same in every format.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from is3c import i18n
from is3c.build import Annex, Build, Item, ListView, requirement_id
from is3c.render import words

# Answers a bidder picks from, in the order the drop-down offers them.
ANSWERS = ("Yes", "No", "Partly", "Equivalent offered")
# Markers the officer replaces; square brackets so they stand out in every format.
PLACEHOLDERS = (i18n.N_("[name of the contracting authority]"), i18n.N_("[domain names in scope]"),
                i18n.N_("[contract term]"))


# Characters XML 1.0 cannot hold: a document must never fail to save over them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def plain(value: str) -> str:
    """Entry text as it goes into a document: characters XML cannot hold are dropped,
    line breaks folded into spaces, so a text is one paragraph and nothing else."""
    return " ".join(_NOT_XML.sub("", value).split())


@dataclass(frozen=True)
class Requirement:
    id: str
    item: Item
    requirement: str  # "Must" or "Should", translated
    clause: str
    evidence: tuple[str, ...]
    why: str  # why it applies to the product type, where not obvious; else ""

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def name(self) -> str:
        return plain(f"{self.item.entry.short_name}: {self.item.entry.title}")


@dataclass(frozen=True)
class MatrixColumn:
    header: str
    width: float  # relative width; spreadsheets use it as characters
    value: Callable[[Requirement], str] | None  # None: a column the bidder fills in


@dataclass(frozen=True)
class Part:
    """A titled group of entries that are not requirements (shown for the record)."""

    title: str
    note: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class TenderDocument:
    kind: Literal["annex", "urgent", "full"]
    stem: str  # the file name without extension, e.g. is3c-annex-website
    title: str
    intro: str
    language: str
    release_line: str
    released: datetime
    preamble: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, paragraphs)
    requirements: tuple[Requirement, ...]
    others: tuple[Part, ...]  # applicable without a clause; not on the list (full list)
    matrix: tuple[MatrixColumn, ...]
    labels: dict[str, str]

    def matrix_rows(self) -> Iterable[tuple[str, ...]]:
        for requirement in self.requirements:
            yield tuple(c.value(requirement) if c.value else "" for c in self.matrix)


def _labels(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "preamble": _("How to use this document"),
        "requirements": _("Requirements"),
        "matrix": _("Compliance matrix"),
        "matrix_note": _("The bidder answers every requirement by its id: Complies (Yes, No, "
                         "Partly or Equivalent offered), an explanation, and where to find the "
                         "evidence in the tender."),
        "clause": _("Clause"),
        "evidence": _("Evidence to supply"),
        "why": _("Why it applies"),
        "specifications": _("Specifications"),
        "requirement": _("Requirement"),
        "page": _("Page"),
        "of": _("of"),
        "none": _("No requirement applies yet."),
        "answers": ", ".join(_(a) for a in ANSWERS),
    }


def _matrix(_: Callable[[str], str]) -> tuple[MatrixColumn, ...]:
    return (
        MatrixColumn(_("Requirement ID"), 18, lambda r: r.id),
        MatrixColumn(_("Standard"), 22, lambda r: r.name),
        MatrixColumn(_("Must / should"), 10, lambda r: r.requirement),
        MatrixColumn(_("Clause"), 60, lambda r: r.clause),
        MatrixColumn(_("Evidence to supply"), 40, lambda r: "\n".join(r.evidence)),
        MatrixColumn(_("Complies"), 14, None),
        MatrixColumn(_("Explanation"), 40, None),
        MatrixColumn(_("Evidence reference"), 24, None),
    )


def _shown(columns: tuple[MatrixColumn, ...],
           requirements: tuple[Requirement, ...]) -> tuple[MatrixColumn, ...]:
    """Fact columns that are empty for every requirement are left out; the bidder's
    columns always stay."""
    return tuple(c for c in columns
                 if c.value is None or any(c.value(r) for r in requirements))


def preamble(built: Build, title: str, _: Callable[[str], str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The legal opening of every tender document, the same in every format."""
    release = built.release
    authority, domains, term = (_(p) for p in PLACEHOLDERS)
    return (
        (_("What this document is"), (
            _("This document is “{title}”, taken from the IS3C registry of security "
              "standards for ICT procurement, version {version} of {date}. "
              "{authority} attaches it to the tender documents for the contract; it applies "
              "to the domain names {domains} and to the systems and services delivered "
              "under the contract.").format(
                title=title, version=release.registry_version, date=release.date,
                authority=authority, domains=domains),
            _("Every requirement carries an id of the form IS3C-… that stays the same in "
              "later versions of the registry; the bidder answers per id in the compliance "
              "matrix at the end."),
        )),
        (_("How the requirement keywords are read"), (
            _("The keywords MUST, MUST NOT, SHOULD, SHOULD NOT and MAY are to be "
              "interpreted as described in BCP 14 (RFC 2119 and RFC 8174) when, and only "
              "when, they appear in capitals. MUST and MUST NOT state absolute "
              "requirements. SHOULD and SHOULD NOT state requirements from which the bidder "
              "may depart only for valid reasons that it explains in its tender. MAY states "
              "an option."),
        )),
        (_("Equivalent standards and evidence"), (
            _("Wherever a requirement names a standard, certificate or test report, an "
              "equivalent one is accepted. A bidder that offers an equivalent shows in its "
              "tender, by any appropriate means, that it meets the requirement in an "
              "equivalent manner; the burden of showing equivalence lies with the bidder. "
              "Under EU public procurement law this reflects Articles 42(3)(b), 44 and 62 "
              "of Directive 2014/24/EU."),
        )),
        (_("Duration"), (
            _("The requirements hold for the whole term of the contract, {term}, including "
              "any extension, unless a clause says otherwise.").format(term=term),
        )),
        (_("Comply or explain"), (
            _("The contracting authority may leave out a requirement that does not fit "
              "this contract. It then records in the tender file which requirement id it "
              "left out and why, so that leaving one out is a documented decision and not "
              "an oversight."),
            _("Text in square brackets, such as {authority}, {domains} and {term}, is "
              "filled in by the contracting authority before publication.").format(
                authority=authority, domains=domains, term=term),
        )),
    )


def _requirement(item: Item, why: str, _: Callable[[str], str]) -> Requirement | None:
    procurement = item.entry.procurement
    if procurement is None:
        return None
    return Requirement(
        id=requirement_id(item.id),
        item=item,
        requirement=_(words.REQUIREMENT[procurement.requirement]),
        clause=plain(procurement.tender_clause),
        evidence=tuple(plain(e) for e in procurement.evidence),
        why=plain(why),
    )


def _release_line(built: Build, _: Callable[[str], str]) -> str:
    return _("IS3C registry version {version}, {date}").format(
        version=built.release.registry_version, date=built.release.date)


def _document(kind: Literal["annex", "urgent", "full"], stem: str, title: str, intro: str,
              items: Iterable[tuple[Item, str]], others: tuple[Part, ...],
              built: Build) -> TenderDocument:
    _ = i18n.gettext_for(built.language)
    requirements = tuple(r for r in (_requirement(i, why, _) for i, why in items) if r)
    return TenderDocument(
        kind=kind, stem=stem, title=title, intro=intro, language=built.language,
        release_line=_release_line(built, _), released=built.release.released,
        preamble=preamble(built, title, _), requirements=requirements,
        others=tuple(p for p in others if p.items),
        matrix=_shown(_matrix(_), requirements), labels=_labels(_),
    )


def why_applies(item: Item, product_type: str) -> str:
    """The entry's own reason for applying to ``product_type``, where it gives one."""
    procurement = item.entry.procurement
    reasons = getattr(procurement, "applies_because", None) or {}
    reason = str(reasons.get(product_type, ""))
    if reason and item.untranslated(f"procurement.applies_because.{product_type}"):
        reason += f" [{i18n.gettext_for(item.language)('not yet translated')}]"
    return reason


def annex_document(annex: Annex, built: Build) -> TenderDocument:
    _ = i18n.gettext_for(built.language)
    product_type = annex.product_type
    return _document(
        "annex", f"is3c-annex-{product_type.id}", annex.title,
        _("For tenders for: {title}. {description}").format(
            title=product_type.title, description=product_type.description),
        ((i, why_applies(i, product_type.id)) for i in annex.clauses),
        (Part(_("Also applicable (no tender clause agreed yet)"),
              _("These standards apply to this product type, but the registry has no tender "
                "text for them yet; ask for them in your own words where they fit."),
              annex.without_clause),),
        built,
    )


def list_document(view: ListView, built: Build) -> TenderDocument:
    _ = i18n.gettext_for(built.language)
    listed = view.items
    return _document(
        view.name, f"is3c-{view.name}-list", view.title, view.description,
        ((i, "") for i in listed),
        (Part(_("Also on the list (no tender clause agreed yet)"),
              _("These standards are on the list, but the registry has no tender text for "
                "them yet."),
              tuple(i for i in listed if i.entry.procurement is None)),
         Part(_("Not on the list: proposed, deprecated and withdrawn entries"),
              _("Kept for the record only. These are not requirements; do not ask for them "
                "in new tenders."),
              view.annex)),
        built,
    )


def documents(built: Build) -> list[TenderDocument]:
    """One document per list and per annex, never one per entry."""
    return ([list_document(v, built) for v in built.lists]
            + [annex_document(a, built) for a in built.annexes])


def document_path(document: TenderDocument, extension: str) -> str:
    """Where the document goes: beside the annex's or list's other downloads."""
    from is3c.render import annex_file, list_file

    if document.kind == "annex":
        return annex_file(document.stem.removeprefix("is3c-annex-"), extension)
    return list_file(document.kind, extension)


def document_key(document: TenderDocument, built: Build, extension: str) -> str | None:
    """Everything the document shows, so that the next build keeps the file while
    none of it changed: its texts, the release, the build's context and each
    requirement and entry by the item's digest. None where an item has no digest."""
    from is3c import store
    from is3c.render import context_key

    items = [*(r.item for r in document.requirements), *(i for p in document.others for i in p.items)]
    if not all(i.digest for i in items):
        return None
    return store.key(
        "document", extension, document.kind, document.stem, document.title, document.intro,
        document.language, document.release_line, document.released, document.preamble,
        sorted(document.labels.items()), [c.header for c in document.matrix],
        [(r.id, r.item.digest, r.requirement, r.clause, r.evidence, r.why)
         for r in document.requirements],
        [(p.title, p.note, [i.digest for i in p.items]) for p in document.others],
        context_key(built), built.release)


def document_weight(document: TenderDocument) -> int:
    return len(document.requirements) + sum(len(p.items) for p in document.others)


def fixed_zip(content: bytes, when: datetime) -> bytes:
    """The same zip with every member dated ``when`` (the release date) and fixed
    file modes: libraries that save through ``ZipFile.writestr(name, ...)`` stamp
    each member with the clock, which would make two builds differ."""
    date_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, source.read(info))
    return out.getvalue()
