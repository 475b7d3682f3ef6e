"""The contract of the published JSON lists.

Tools that read ``is3c-urgent-list.json`` or ``is3c-full-list.json`` rely on this
shape, so it is a model like the entry contract: ``is3c schema --write`` commits
its JSON Schema as ``schemas/list.schema.json``, the build ships the same file next
to the lists, and a drift check keeps the two in step.
"""

from __future__ import annotations

import builtins
from typing import Literal

from pydantic import Field

from is3c.model import Entry, IsoDate, LanguageCode, Line, Requirement, Slug, Strict, Term

ListName = Literal["urgent", "full"]


class RequirementRef(Strict):
    """One requirement of a list: the id bidders answer to and the entry it comes from."""

    id: str = Field(
        pattern=r"^IS3C-[A-Z0-9]+(-[A-Z0-9]+)*$",
        description="Stable requirement id: 'IS3C-' and the entry id in capitals; a clause "
        "split off later gets a suffix from -2 on. Never changes, never reused.",
    )
    entry: Slug = Field(description="Id of the entry in 'entries'.")
    requirement: Requirement = Field(description="must or should, as in the tender clause.")


class ListDocument(Strict):
    """A published IS3C list: the urgent list or the full overview list."""

    # The field 'list' (a name the issue fixed) hides the builtin inside this class
    # body, hence 'builtins.list' below.
    list: ListName = Field(
        description="urgent: accepted entries of tier urgent; full: every accepted entry."
    )
    title: Line
    registry_version: Line = Field(
        description="The registry revision the list was built from (a git description)."
    )
    schema_version: int = Field(ge=1, description="Version of this envelope and the entry contract.")
    released: IsoDate = Field(description="Date of the registry revision the list was built from.")
    language: LanguageCode = Field(
        description="Language of the texts; a text without a current translation in it "
        "(missing, or its English changed since) is in English."
    )
    source: Line = Field(description="Who publishes the list.")
    licence: Line = Field(description="Licence of the list's content.")
    count: int = Field(ge=0, description="Number of items in 'entries'.")
    categories: builtins.list[Term] = Field(description="The categories, in the order the list uses.")
    product_types: builtins.list[Term] = Field(description="The product types entries apply to.")
    entries: builtins.list[Entry] = Field(
        description="The listed entries, grouped by category in the order of 'categories'."
    )
    annex: builtins.list[Entry] = Field(
        description="Full list only: entries that are proposed, deprecated or withdrawn, "
        "kept for the record; 'lifecycle.superseded_by' names a replacement."
    )
    untranslated: dict[str, builtins.list[str]] = Field(
        default={},
        description="Entry id -> the fields (dotted paths such as "
        "'procurement.tender_clause') that are in English because the catalog of "
        "'language' has no current translation of them. Empty in English.",
    )
    requirements: builtins.list[RequirementRef] = Field(
        default=[],
        description="The listed entries that have a tender clause, in list order, with "
        "their requirement ids. Entries in 'annex' are never requirements.",
    )
