"""A static JSON API, in the manner of endoflife.date: one file per question.

``api/v1/standards.json`` lists every entry with the fields to choose from,
``api/v1/standards/<id>.json`` holds one entry with every field, and
``api/v1/product-types/<id>.json`` a tender annex as data. Their shape is
``is3c.api`` (schemas beside them, generated from those models); each says its
licence (CC0-1.0) and where its page is. Same registry, same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from pydantic import BaseModel

from is3c import schema, store
from is3c.api import AnnexRequirement, Change, Envelope, ProductTypeDocument, StandardDocument, \
    StandardsIndex, StandardSummary
from is3c.build import Annex, Build, Item, requirement_id
from is3c.i18n import entry_texts
from is3c.render import API, API_STANDARDS, Files, annex_page, context_key, api_product_type, api_standard, \
    site_url, standard_page
from is3c.render.json import dumps
from is3c.render.tender import plain, why_applies

API_SCHEMAS = {
    f"{API}/standards.schema.json": schema.API_STANDARDS,
    f"{API}/standard.schema.json": schema.API_STANDARD,
    f"{API}/product-type.schema.json": schema.API_PRODUCT_TYPE,
}


def _envelope(built: Build) -> dict[str, object]:
    release = built.release
    return dict(api_version=1, registry_version=release.registry_version, released=release.date,
                language=built.language, source=release.source, licence=release.licence,
                licence_url=release.licence_url)


def _requirement_id(item: Item) -> str | None:
    entry = item.entry
    return requirement_id(entry.id) if entry.procurement and entry.lifecycle.status == "accepted" \
        else None


def _summary(item: Item, built: Build) -> StandardSummary:
    entry, history = item.entry, built.history.of(item.id)
    return StandardSummary(
        id=entry.id, short_name=entry.short_name, title=entry.title, kind=entry.kind,
        category=entry.category, tier=entry.priority.tier, status=entry.lifecycle.status,
        summary=entry.summary, applies_to=list(entry.applies_to),
        requirement_id=_requirement_id(item), listed=history.listed, changed=history.changed,
        page_url=site_url(built, standard_page(entry.id)),
        api_url=site_url(built, api_standard(entry.id)))


def _dump(document: BaseModel) -> Iterator[bytes]:
    return dumps(document.model_dump(mode="json", exclude_none=True))


def index(built: Build) -> Iterator[bytes]:
    standards = [_summary(i, built) for i in built.items]
    return _dump(StandardsIndex(**_envelope(built), count=len(standards),  # type: ignore[arg-type]
                                standards=standards))


def standard(item: Item, built: Build) -> Iterator[bytes]:
    history = built.history.of(item.id)
    untranslated = sorted({path for path, _, _ in entry_texts(item.entry) if item.untranslated(path)})
    return _dump(StandardDocument(
        **_envelope(built), id=item.id, requirement_id=_requirement_id(item),  # type: ignore[arg-type]
        page_url=site_url(built, standard_page(item.id)),
        listed=history.listed, changed=history.changed,
        history=[Change(date=e.date, kind=e.kind, before=e.before, after=e.after,  # type: ignore[arg-type]
                        fields=list(e.fields)) for e in history.events],
        untranslated=untranslated, entry=item.entry))


def product_type(annex: Annex, built: Build) -> Iterator[bytes]:
    kind = annex.product_type.id
    requirements = []
    for item in annex.clauses:
        procurement = item.entry.procurement
        assert procurement is not None  # clauses are the entries that have one
        requirements.append(AnnexRequirement(
            requirement_id=requirement_id(item.id), entry=item.id,
            short_name=item.entry.short_name, title=item.entry.title,
            tier=item.entry.priority.tier, requirement=procurement.requirement,
            tender_clause=procurement.tender_clause, evidence=list(procurement.evidence),
            applies_because=plain(why_applies(item, kind)) or None,
            page_url=site_url(built, standard_page(item.id))))
    return _dump(ProductTypeDocument(
        **_envelope(built), product_type=annex.product_type, title=annex.title,  # type: ignore[arg-type]
        page_url=site_url(built, annex_page(kind)), requirements=requirements,
        without_clause=[i.id for i in annex.without_clause]))


def _schema(schema_file: schema.SchemaFile) -> bytes:
    return schema.dumps(schema.generate(schema_file)).encode("utf-8")


def render(built: Build) -> Files:
    files = Files()
    files.add(API_STANDARDS, partial(index, built), weight=len(built.items))
    for item in built.items:
        files.add(api_standard(item.id), partial(standard, item, built),
                  key=store.key("api", item.digest, context_key(built), built.release,
                                built.history.of(item.id)) if item.digest else None)
    for annex in built.annexes:
        files.add(api_product_type(annex.product_type.id), partial(product_type, annex, built),
                  weight=annex.count)
    for path, schema_file in API_SCHEMAS.items():
        files.add(path, partial(_schema, schema_file), weight=0)
    return files

