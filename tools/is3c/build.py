"""Registry -> the lists procurement officers read, as plain data.

Everything a renderer shows is decided here, once: which entries are on which list,
in what order, in which language. Renderers only lay the result out, so the JSON,
the spreadsheets, the Markdown and the web site can never disagree about content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from is3c.model import Entry, Term
from is3c.published import ListDocument, ListName, RequirementRef
from is3c.schema import SCHEMA_VERSION
from is3c.validate import Registry

SOURCE_LANGUAGE = "en"
TRANSLATABLE = ("title", "summary", "benefit", "tender_clause")
TIER_ORDER = {"urgent": 0, "recommended": 1, "emerging": 2}
REQUIREMENT_ORDER = {"must": 0, "should": 1}
STATUS_ORDER = {"accepted": 0, "proposed": 1, "deprecated": 2, "withdrawn": 3}

PUBLISHER = "IGF Dynamic Coalition on Internet Standards, Security and Safety (IS3C), Working Group 5"
# The licence the repository declares (pyproject.toml); the lists are its content.
LICENCE = "Apache-2.0"

TITLES: Mapping[ListName, str] = {
    "urgent": "Urgent list of security standards for ICT procurement",
    "full": "Full overview list of security standards for ICT procurement",
}
DESCRIPTIONS: Mapping[ListName, str] = {
    "urgent": "Standards to require in every relevant tender now.",
    "full": "Every standard on the list, grouped by category, with the entries that are "
    "proposed, deprecated or withdrawn in an annex.",
}


@dataclass(frozen=True)
class Release:
    """Where a build comes from; fixed per registry revision so builds are repeatable."""

    released: datetime  # UTC
    registry_version: str
    source: str = PUBLISHER
    licence: str = LICENCE

    @property
    def date(self) -> str:
        return self.released.strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Item:
    """One entry as a list shows it, with its text in the build's language."""

    entry: Entry
    category: Term
    product_types: tuple[Term, ...]
    # Field name -> language of the text shown, for fields in TRANSLATABLE.
    languages: Mapping[str, str]
    replacement: Entry | None = None
    related: tuple[tuple[str, Entry], ...] = ()  # (relation, other entry)

    @property
    def id(self) -> str:
        return self.entry.id


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

    @property
    def title(self) -> str:
        return f"Tender annex: security standards for {self.product_type.title}"

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
    # The output formats being made (render.FORMATS names), so a page links only
    # downloads that exist; render_all sets it.
    formats: tuple[str, ...] = ("json", "csv", "xlsx", "markdown", "site", "docx", "odt", "pdf")

    @property
    def lists(self) -> tuple[ListView, ListView]:
        return (self.urgent, self.full)

    def annex_for(self, product_type: str) -> Annex | None:
        return next((a for a in self.annexes if a.product_type.id == product_type), None)


def localize(entry: Entry, language: str) -> tuple[Entry, dict[str, str]]:
    """The entry with its translatable fields in ``language``, each field falling back
    on its own: to the base language ('pt' for 'pt-BR'), then to English."""
    languages = dict.fromkeys(TRANSLATABLE, SOURCE_LANGUAGE)
    if language == SOURCE_LANGUAGE:
        return entry, languages
    candidates = [language] + ([language.split("-")[0]] if "-" in language else [])
    chosen: dict[str, str] = {}
    for name in TRANSLATABLE:
        for code in candidates:
            translation = entry.translations.get(code)
            value = getattr(translation, name, None) if translation else None
            if value is not None:
                chosen[name] = value
                languages[name] = code
                break
    if not chosen:
        return entry, languages
    update: dict[str, object] = {k: v for k, v in chosen.items() if k != "tender_clause"}
    if "tender_clause" in chosen and entry.procurement is not None:
        update["procurement"] = entry.procurement.model_copy(
            update={"tender_clause": chosen["tender_clause"]}
        )
    elif "tender_clause" in chosen:
        languages["tender_clause"] = SOURCE_LANGUAGE
    return entry.model_copy(update=update), languages


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


def build(registry: Registry, release: Release, language: str = SOURCE_LANGUAGE) -> Build:
    """Compile the urgent list, the full list and one tender annex per product type."""
    categories = {t.id: t for t in registry.categories}
    product_types = {t.id: t for t in registry.product_types}
    localized = {e.id: localize(e, language) for e in registry.entries}

    def item(entry: Entry) -> Item:
        text, languages = localized[entry.id]
        superseded_by = entry.lifecycle.superseded_by
        replacement = localized[superseded_by][0] if superseded_by in localized else None
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
        )

    items = [item(e) for e in registry.entries]
    accepted = [i for i in items if i.entry.lifecycle.status == "accepted"]
    urgent = [i for i in accepted if i.entry.priority.tier == "urgent"]
    others = sorted((i for i in items if i.entry.lifecycle.status != "accepted"),
                    key=lambda i: (STATUS_ORDER[i.entry.lifecycle.status], i.id))

    annexes = []
    for product_type in registry.product_types:
        applicable = sorted((i for i in accepted if product_type.id in i.entry.applies_to),
                            key=_annex_order)
        annexes.append(Annex(
            product_type=product_type,
            clauses=tuple(i for i in applicable if i.entry.procurement is not None),
            without_clause=tuple(i for i in applicable if i.entry.procurement is None),
        ))

    return Build(
        release=release,
        language=language,
        categories=registry.categories,
        product_types=registry.product_types,
        urgent=ListView("urgent", TITLES["urgent"], DESCRIPTIONS["urgent"],
                        _sections(urgent, registry.categories)),
        full=ListView("full", TITLES["full"], DESCRIPTIONS["full"],
                      _sections(accepted, registry.categories), tuple(others)),
        annexes=tuple(annexes),
        items=tuple(sorted(items, key=lambda i: i.id)),
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
        requirements=[
            RequirementRef(id=requirement_id(e.id), entry=e.id,
                           requirement=e.procurement.requirement)
            for e in entries if e.procurement is not None
        ],
    )


def languages_available(registry: Registry) -> set[str]:
    """Every language some entry has a translation in."""
    return {code for e in registry.entries for code in e.translations}

