"""Registry -> the lists procurement officers read, as plain data.

Everything a renderer shows is decided here, once: which entries are on which list,
in what order, in which language. Renderers only lay the result out, so the JSON,
the spreadsheets, the Markdown and the web site can never disagree about content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from is3c.i18n import (ENTRY_FIELDS, LIST_FIELDS, Coverage, Credits, Key, N_, coverage, direction, entry_texts,
                       gettext_for, term_texts)

from is3c.changes import NO_HISTORY, History
from is3c.model import Entry, Term
from is3c.process import Process, process_view
from is3c.published import ListDocument, ListName, RequirementRef
from is3c.schema import SCHEMA_VERSION
from is3c.validate import Registry

SOURCE_LANGUAGE = "en"
TIER_ORDER = {"urgent": 0, "recommended": 1, "emerging": 2}
REQUIREMENT_ORDER = {"must": 0, "should": 1}
STATUS_ORDER = {"accepted": 0, "proposed": 1, "deprecated": 2, "withdrawn": 3}

PUBLISHER = "IGF Dynamic Coalition on Internet Standards, Security and Safety (IS3C), Working Group 5"
# The registry's content (entries, lists, annexes, API) is dedicated to the public
# domain with CC0 1.0 (registry/LICENSE), so officers may paste it into tenders
# without attribution; the tool itself stays Apache-2.0 (pyproject.toml).
LICENCE = "CC0-1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
RIGHTS = N_("Content licence: CC0 1.0 (public domain dedication, %(url)s); copy it into "
            "tenders freely, no attribution needed.")

TITLES: Mapping[ListName, str] = {
    "urgent": N_("Urgent list of security standards for ICT procurement"),
    "full": N_("Full overview list of security standards for ICT procurement"),
}
DESCRIPTIONS: Mapping[ListName, str] = {
    "urgent": N_("Standards to require in every relevant tender now."),
    "full": N_("Every standard on the list, grouped by category, with the entries that are "
               "proposed, deprecated or withdrawn in an annex."),
}


@dataclass(frozen=True)
class Release:
    """Where a build comes from; fixed per registry revision so builds are repeatable."""

    released: datetime  # UTC
    registry_version: str
    source: str = PUBLISHER
    licence: str = LICENCE
    licence_url: str = LICENCE_URL

    def rights(self, language: str = SOURCE_LANGUAGE) -> str:
        """The licence in one sentence, for a document's properties."""
        return gettext_for(language)(RIGHTS) % {"url": self.licence_url}

    @property
    def date(self) -> str:
        return self.released.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Item:
    """One entry as a list shows it, with its text in the build's language."""

    entry: Entry
    category: Term
    product_types: tuple[Term, ...]
    # Field path (i18n.ENTRY_FIELDS) -> language of the text shown: the build's
    # language, or English where the catalog has no current translation.
    languages: Mapping[str, str]
    replacement: Entry | None = None
    related: tuple[tuple[str, Entry], ...] = ()  # (relation, other entry)
    language: str = SOURCE_LANGUAGE  # the build's
    untranslated_terms: frozenset[str] = frozenset()  # as Build.untranslated_terms
    # A hash of everything above: pieces of output made from this item are kept
    # under it between builds (``store.memo``); "" for an item made by hand.
    digest: str = ""

    @property
    def id(self) -> str:
        return self.entry.id

    def untranslated(self, path: str) -> bool:
        """True where the text at ``path`` is shown in English in a build in another
        language: every format marks it 'not yet translated'."""
        return self.languages.get(path, self.language) != self.language

    def untranslated_term(self, vocabulary: str, term: Term) -> bool:
        """True where a category or product type title is shown in English."""
        return f"{vocabulary}:{term.id}" in self.untranslated_terms


@dataclass(frozen=True)
class Section:
    category: Term
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ListView:
    name: ListName
    title: str
    description: str
    sections: tuple[Section, ...]  # categories in vocabulary order; empty ones left out
    annex: tuple[Item, ...] = ()  # full list only: proposed, deprecated, withdrawn

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)


@dataclass(frozen=True)
class Annex:
    """What a buyer of one product type pastes into a tender."""

    product_type: Term
    clauses: tuple[Item, ...]  # accepted entries with a tender clause
    without_clause: tuple[Item, ...]  # accepted entries that apply but have none yet
    language: str = SOURCE_LANGUAGE

    @property
    def title(self) -> str:
        _ = gettext_for(self.language)
        return _("Tender annex: security standards for %(product_type)s") % {
            "product_type": self.product_type.title}

    @property
    def count(self) -> int:
        return len(self.clauses) + len(self.without_clause)


@dataclass(frozen=True)
class Build:
    release: Release
    language: str
    categories: tuple[Term, ...]
    product_types: tuple[Term, ...]
    urgent: ListView
    full: ListView
    annexes: tuple[Annex, ...]
    items: tuple[Item, ...] = field(default=())  # every entry, by id: one page each
    # How much of each list is translated into ``language`` (empty for English).
    coverage: tuple[tuple[str, Coverage], ...] = ()
    credits: Credits | None = None  # who translated, and the expert panel's review
    site_languages: tuple[str, ...] = ()  # every language of the site, for the switcher
    # "<vocabulary>:<id>" of the categories and product types whose title is shown in
    # English for want of a current translation.
    untranslated_terms: frozenset[str] = frozenset()
    # When each entry was listed and changed, and each release's changes (git).
    history: History = NO_HISTORY
    # Where the site is hosted ("https://example.org/is3c/", ending in '/'), for
    # absolute links, feeds, canonical links and the sitemap; "" = no fixed address.
    base_url: str = ""

    @property
    def direction(self) -> str:
        return direction(self.language)
    process: Process | None = None  # the panel and its decisions: "How this list is made"
    # The output formats being made (render.FORMATS names), so a page links only
    # downloads that exist; render_all sets it.
    formats: tuple[str, ...] = ("json", "csv", "xlsx", "markdown", "site", "docx", "odt", "pdf",
                                "api")

    @property
    def lists(self) -> tuple[ListView, ListView]:
        return (self.urgent, self.full)

    def annex_for(self, product_type: str) -> Annex | None:
        return next((a for a in self.annexes if a.product_type.id == product_type), None)


def localize(entry: Entry, language: str, texts: Mapping[Key, str] | None = None
             ) -> tuple[Entry, dict[str, str]]:
    """The entry with each translatable field in ``language`` where ``texts`` (the
    current translations of a catalog, see ``i18n.registry_texts``) has it, and in
    English otherwise. A list (evidence, steps) is translated whole or not at all, so an
    officer never reads a half-translated list as if it were current."""
    languages = dict.fromkeys(ENTRY_FIELDS, SOURCE_LANGUAGE)
    if language == SOURCE_LANGUAGE or not texts:
        return entry, languages
    found: dict[str, list[str | None]] = {}
    for path, context, text in entry_texts(entry):
        found.setdefault(path, []).append(texts.get((context, text)))
        languages.setdefault(path, SOURCE_LANGUAGE)  # a text of a mapping field
    chosen: dict[str, str | list[str]] = {}
    for path, values in found.items():
        if all(v is not None for v in values):
            languages[path] = language
            chosen[path] = [v for v in values if v is not None] if path in LIST_FIELDS \
                else values[0] or ""
    if not chosen:
        return entry, languages
    return _with(entry, chosen), languages


def _with(model: Any, values: Mapping[str, Any]) -> Any:
    """A copy of ``model`` with dotted paths replaced (the models are frozen)."""
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        head, _, rest = path.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            top[head] = value
    if isinstance(model, dict):  # a mapping field, such as applies_because
        return {**model, **top}
    for head, inner in nested.items():
        top[head] = _with(getattr(model, head), inner)
    return model.model_copy(update=top)


def localize_term(vocabulary: str, term: Term, texts: Mapping[Key, str] | None) -> Term:
    """A category or product type in the build's language, each text on its own."""
    if not texts:
        return term
    update = {name: texts[(context, text)] for name, context, text in term_texts(vocabulary, term)
              if (context, text) in texts}
    return term.model_copy(update=update) if update else term


def coverage_table(registry: Registry, texts: Mapping[Key, str]) -> list[tuple[str, Coverage]]:
    """How much is translated: the urgent list, the full list (accepted entries and the
    vocabulary), every text (proposed and withdrawn entries too), then each tender annex,
    keyed 'urgent', 'full', 'all' and 'annex:<product type>'.

    The one computation behind ``is3c i18n stats`` and the figures on the site."""
    accepted = [e for e in registry.entries if e.lifecycle.status == "accepted"]

    def keys(entries: Iterable[Entry]) -> list[Key]:
        return [(c, t) for e in entries for _, c, t in entry_texts(e)]

    vocabulary = [(c, t) for name, terms in (("categories", registry.categories),
                                              ("product-types", registry.product_types))
                  for term in terms for _, c, t in term_texts(name, term)]
    rows = [
        ("urgent", coverage(keys(e for e in accepted if e.priority.tier == "urgent"), texts)),
        ("full", coverage(keys(accepted) + vocabulary, texts)),
        ("all", coverage(keys(registry.entries) + vocabulary, texts)),
    ]
    for product_type in registry.product_types:
        rows.append((f"annex:{product_type.id}",
                     coverage(keys(e for e in accepted if product_type.id in e.applies_to), texts)))
    return rows


def _list_order(item: Item) -> tuple[int, str, str]:
    return (TIER_ORDER[item.entry.priority.tier], item.entry.short_name.casefold(), item.id)


def _annex_order(item: Item) -> tuple[int, int, str, str]:
    requirement = item.entry.procurement.requirement if item.entry.procurement else "should"
    return (TIER_ORDER[item.entry.priority.tier], REQUIREMENT_ORDER[requirement],
            item.entry.short_name.casefold(), item.id)


def _sections(items: list[Item], categories: tuple[Term, ...]) -> tuple[Section, ...]:
    sections = []
    for category in categories:
        members = sorted((i for i in items if i.category.id == category.id), key=_list_order)
        if members:
            sections.append(Section(category, tuple(members)))
    return tuple(sections)


def build(registry: Registry, release: Release, language: str = SOURCE_LANGUAGE,
          texts: Mapping[Key, str] | None = None, credits: Credits | None = None,
          site_languages: tuple[str, ...] = (), history: History = NO_HISTORY,
          base_url: str = "") -> Build:
    """Compile the urgent list, the full list and one tender annex per product type,
    with the texts ``texts`` translates into ``language`` (see ``i18n.registry_texts``)."""
    registry_categories = tuple(localize_term("categories", t, texts) for t in registry.categories)
    registry_product_types = tuple(localize_term("product-types", t, texts)
                                   for t in registry.product_types)
    categories = {t.id: t for t in registry_categories}
    product_types = {t.id: t for t in registry_product_types}
    localized = {e.id: localize(e, language, texts) for e in registry.entries}
    untranslated_terms = frozenset(
        f"{vocabulary}:{term.id}"
        for vocabulary, terms in (("categories", registry.categories),
                                  ("product-types", registry.product_types))
        for term in terms
        if language != SOURCE_LANGUAGE
        and (f"{vocabulary}:{term.id}.title", term.title) not in (texts or {}))

    dumped: dict[str, str] = {}
    # Each category and product type as its digest shows it, once (repr of a model is slow).
    term_text = {(name, t.id): t.model_dump_json() for name, terms in (
        ("categories", registry_categories), ("product-types", registry_product_types))
        for t in terms}

    def dump(entry_id: str) -> str:
        if entry_id not in dumped:
            dumped[entry_id] = localized[entry_id][0].model_dump_json()
        return dumped[entry_id]

    def item(entry: Entry) -> Item:
        text, languages = localized[entry.id]
        superseded_by = entry.lifecycle.superseded_by
        replacement = localized[superseded_by][0] if superseded_by in localized else None
        shown = [p for p in entry.applies_to if p in product_types]
        digest = hashlib.blake2b(repr((
            language, dump(entry.id), sorted(languages.items()),
            term_text.get(("categories", entry.category)),
            [term_text[("product-types", p)] for p in shown],
            superseded_by in localized and dump(superseded_by),
            [(r.relation, dump(r.id)) for r in entry.related if r.id in localized],
            sorted(t for t in untranslated_terms
                   if t in {f"categories:{entry.category}", *(f"product-types:{p}" for p in shown)}),
        )).encode(), digest_size=16).hexdigest()
        return Item(
            entry=text,
            # Validation guarantees known ids; a placeholder keeps a hand-made registry
            # (tests, tools) from crashing the build.
            category=categories.get(entry.category, Term(id=entry.category,
                                                          title=entry.category,
                                                          description=entry.category)),
            product_types=tuple(product_types[p] for p in entry.applies_to if p in product_types),
            languages=languages,
            replacement=replacement,
            related=tuple((r.relation, localized[r.id][0]) for r in entry.related
                          if r.id in localized),
            language=language,
            untranslated_terms=untranslated_terms,
            digest=digest,
        )

    items = [item(e) for e in registry.entries]
    accepted = [i for i in items if i.entry.lifecycle.status == "accepted"]
    urgent = [i for i in accepted if i.entry.priority.tier == "urgent"]
    others = sorted((i for i in items if i.entry.lifecycle.status != "accepted"),
                    key=lambda i: (STATUS_ORDER[i.entry.lifecycle.status], i.id))

    _ = gettext_for(language)
    annexes = []
    for product_type in registry_product_types:
        applicable = sorted((i for i in accepted if product_type.id in i.entry.applies_to),
                            key=_annex_order)
        annexes.append(Annex(
            product_type=product_type,
            clauses=tuple(i for i in applicable if i.entry.procurement is not None),
            without_clause=tuple(i for i in applicable if i.entry.procurement is None),
            language=language,
        ))

    return Build(
        release=release,
        language=language,
        categories=registry_categories,
        product_types=registry_product_types,
        urgent=ListView("urgent", _(TITLES["urgent"]), _(DESCRIPTIONS["urgent"]),
                        _sections(urgent, registry_categories)),
        full=ListView("full", _(TITLES["full"]), _(DESCRIPTIONS["full"]),
                      _sections(accepted, registry_categories), tuple(others)),
        annexes=tuple(annexes),
        items=tuple(sorted(items, key=lambda i: i.id)),
        coverage=tuple(coverage_table(registry, texts)) if language != SOURCE_LANGUAGE else (),
        untranslated_terms=untranslated_terms,
        credits=credits,
        site_languages=site_languages,
        process=process_view(registry.panel, registry.decisions,
                             {e.id: localized[e.id][0] for e in registry.entries}, release.date),
        history=history,
        base_url=base_url,
    )


REQUIREMENT_PREFIX = "IS3C-"


def requirement_id(entry_id: str, part: int = 1) -> str:
    """The id bidders answer to: 'IS3C-' and the entry id in capitals.

    An entry's first clause carries the bare id for ever; if an entry ever splits
    its clause, the later parts are numbered from 2 ('IS3C-DMARC-2'), never
    renumbered, never reused (docs/content-guide.md)."""
    if part < 1:
        raise ValueError("clause parts are numbered from 1")
    return REQUIREMENT_PREFIX + entry_id.upper() + ("" if part == 1 else f"-{part}")


def document(view: ListView, built: Build) -> ListDocument:
    """The JSON envelope of one list (see ``published.ListDocument``)."""
    entries = [i.entry for i in view.items]
    return ListDocument(
        list=view.name,
        title=view.title,
        registry_version=built.release.registry_version,
        schema_version=SCHEMA_VERSION,
        released=built.release.date,
        language=built.language,
        source=built.release.source,
        licence=built.release.licence,
        count=len(entries),
        categories=list(built.categories),
        product_types=list(built.product_types),
        entries=entries,
        annex=[i.entry for i in view.annex],
        untranslated={
            item.id: paths for item in (*view.items, *view.annex)
            if (paths := [path for path, _, _ in _unique_paths(item) if item.untranslated(path)])
        },
        requirements=[
            RequirementRef(id=requirement_id(e.id), entry=e.id,
                           requirement=e.procurement.requirement)
            for e in entries if e.procurement is not None
        ],
    )


def _unique_paths(item: Item) -> list[tuple[str, str, str]]:
    """The entry's translatable fields that it has, once each (evidence has several)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for found in entry_texts(item.entry):
        seen.setdefault(found[0], found)
    return list(seen.values())
