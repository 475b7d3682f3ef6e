"""The contract of the static JSON API (``api/v1/``), as models.

Like the lists' envelope (``published``), these models are the one definition of
the API's shape: ``is3c schema --write`` commits their JSON Schemas in schemas/,
the build publishes the same files beside the API, and a drift check keeps them in
step. Version 1 only ever gains optional fields; anything else is a new version.
"""

from __future__ import annotations

import builtins
from typing import Literal

from pydantic import Field

from is3c.model import Entry, IsoDate, Kind, LanguageCode, Line, Requirement, Slug, Status, Strict, Term, Tier

RequirementId = str
_REQUIREMENT_ID = Field(pattern=r"^IS3C-[A-Z0-9]+(-[A-Z0-9]+)*$",
                        description="The requirement id bidders answer to (IS3C-<ID>).")
_URL = "An absolute address when the site is built with a base URL, else a path from the top " \
       "of the site in this language."
# Texts are in the build's language, so they carry no length limits of the English.
ChangeKind = Literal["listed", "added", "status", "tier", "clause", "text", "removed"]


class Envelope(Strict):
    """What every API file says about itself: version, source, language, licence."""

    api_version: Literal[1] = Field(description="Version of the API; files live under api/v1/.")
    registry_version: Line = Field(description="The registry revision (a git description).")
    released: IsoDate = Field(description="Date of the registry revision.")
    language: LanguageCode = Field(description="Language of the texts; untranslated texts are English.")
    source: Line = Field(description="Who publishes the data.")
    licence: Line = Field(description="SPDX id of the content's licence: CC0-1.0, a public-domain "
                                      "dedication; reuse freely, no attribution needed.")
    licence_url: Line = Field(description="The licence's deed.")


class StandardSummary(Strict):
    """One entry in the index, with the fields to choose from."""

    id: Slug
    short_name: str
    title: str
    kind: Kind
    category: Slug
    tier: Tier
    status: Status
    summary: str
    applies_to: builtins.list[Slug]
    requirement_id: RequirementId | None = Field(default=None, pattern=r"^IS3C-[A-Z0-9]+(-[A-Z0-9]+)*$",
                                                 description="Set when the entry is on the list with a tender clause.")
    listed: IsoDate | None = Field(default=None, description="When it first went on the list (git history).")
    changed: IsoDate | None = Field(default=None, description="When its text or standing last changed.")
    page_url: str = Field(description="Its page. " + _URL)
    api_url: str = Field(description="Its API file, with every field. " + _URL)


class StandardsIndex(Envelope):
    """api/v1/standards.json: every entry of the registry, summary fields only."""

    count: int = Field(ge=0)
    standards: builtins.list[StandardSummary] = Field(description="Every entry, by id.")


class Change(Strict):
    """One change to an entry, from the registry's git history."""

    date: IsoDate
    kind: ChangeKind = Field(description="listed: put on the list; added: proposed; status, tier: "
                                         "from 'before' to 'after'; clause: the tender clause "
                                         "changed; text: other fields changed; removed.")
    before: str = ""
    after: str = ""
    fields: builtins.list[str] = Field(default=[], description="For 'text': the fields that changed.")


class StandardDocument(Envelope):
    """api/v1/standards/<id>.json: one entry with every field."""

    id: Slug
    requirement_id: RequirementId | None = Field(default=None, pattern=r"^IS3C-[A-Z0-9]+(-[A-Z0-9]+)*$",
                                                 description="Set when the entry is on the list with a tender clause.")
    page_url: str = Field(description="Its page. " + _URL)
    listed: IsoDate | None = None
    changed: IsoDate | None = None
    history: builtins.list[Change] = Field(default=[], description="Newest first; empty when built without git.")
    untranslated: builtins.list[str] = Field(default=[], description="Fields shown in English for want of a current translation.")
    entry: Entry


class AnnexRequirement(Strict):
    """One requirement of a tender annex."""

    requirement_id: RequirementId = _REQUIREMENT_ID
    entry: Slug
    short_name: str
    title: str
    tier: Tier
    requirement: Requirement
    tender_clause: str
    evidence: builtins.list[str]
    applies_because: str | None = Field(default=None, description="Why it applies to this product type, where not obvious.")
    page_url: str


class ProductTypeDocument(Envelope):
    """api/v1/product-types/<id>.json: the tender annex of one product type, as data."""

    product_type: Term
    title: str
    page_url: str = Field(description="The annex page. " + _URL)
    requirements: builtins.list[AnnexRequirement] = Field(description="In the annex's order.")
    without_clause: builtins.list[Slug] = Field(description="Entries on the list that apply but have no tender clause yet.")
