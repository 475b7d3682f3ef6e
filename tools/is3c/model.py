"""The entry contract: the one place where registry fields are defined.

The committed JSON Schemas in ``schemas/`` are generated from these models
(``is3c schema --write``), so editors, CI and the build all agree on one contract.
Every pattern here is linear-time (no nested quantifiers), because the schema is
also evaluated by Python's backtracking ``re`` engine inside jsonschema.
"""

from __future__ import annotations

from typing import Annotated, Literal

import datetime

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Absolute http(s) URL with an ASCII host name and no user-info part; the host
# character class cannot contain ':' '/' '?' '#' or '@', so it cannot overlap
# with what follows and matching stays linear. The rest holds no white space and
# none of '<', '>' and '"', which RFC 3986 does not allow raw (they also end an
# address in most text, so a link written with them breaks where it is pasted).
URL_PATTERN = r'^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\s<>"]*)?$'
SINGLE_LINE_PATTERN = r"^[^\n]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
CPV_PATTERN = r"^[0-9]{8}-[0-9]$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=64),
    Field(description="Lowercase id: letters a-z, digits and single hyphens, e.g. 'dnssec'."),
]


def _real_date(value: str) -> str:
    """The schema's ``format: date``, enforced here too so the model is never laxer."""
    datetime.date.fromisoformat(value)
    return value


IsoDate = Annotated[
    str,
    StringConstraints(pattern=DATE_PATTERN, min_length=10, max_length=10),
    AfterValidator(_real_date),
    Field(json_schema_extra={"format": "date"}, description="A date written YYYY-MM-DD."),
]
Url = Annotated[
    str,
    StringConstraints(pattern=URL_PATTERN, min_length=8, max_length=500),
    Field(
        json_schema_extra={"format": "uri"},
        description="An absolute https:// (or http://) address with a plain ASCII host name.",
    ),
]
Line = Annotated[
    str, StringConstraints(pattern=SINGLE_LINE_PATTERN, min_length=1, max_length=200)
]
ShortLine = Annotated[
    str, StringConstraints(pattern=SINGLE_LINE_PATTERN, min_length=1, max_length=80)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Summary = Annotated[str, StringConstraints(min_length=1, max_length=300)]
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=6)]
CpvCode = Annotated[
    str,
    StringConstraints(pattern=CPV_PATTERN),
    Field(description="EU Common Procurement Vocabulary code, e.g. '72000000-5'."),
]

Kind = Literal["standard", "best-practice", "baseline", "certification-scheme"]
Tier = Literal["urgent", "recommended", "emerging"]
Requirement = Literal["must", "should"]
VerificationMethod = Literal["automated-test", "self-declaration", "certification", "audit"]
Relation = Literal["requires", "complements", "alternative-to", "extends", "part-of"]
RecognitionStatus = Literal["mandatory", "recommended", "identified"]
Status = Literal["proposed", "accepted", "deprecated", "withdrawn"]
Outcome = Literal["accepted", "rejected", "deferred", "deprecated", "withdrawn"]


class Strict(BaseModel):
    """Base for every registry model: typos and YAML type surprises are errors.

    Optional fields accept None here, while the schema has no nulls at all: the
    loader notes any null value (``Document.has_null``) and such a document goes
    to the schema, which reports it. Together the two are as strict as the schema.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Specification(Strict):
    id: ShortLine = Field(description="Document number as its publisher writes it, e.g. 'RFC 4033'.")
    title: Line = Field(description="The document's own title.")
    url: Url = Field(description="Canonical address of the document at its publisher.")
    publisher: ShortLine = Field(description="Body that publishes the document, e.g. 'IETF'.")
    version: ShortLine | SkipJsonSchema[None] = Field(
        default=None, description="Edition or version, e.g. '2022' or 'V2.1.1'."
    )
    maturity: ShortLine | SkipJsonSchema[None] = Field(
        default=None, description="Maturity at the publisher, e.g. 'Proposed Standard'."
    )


class Maintainer(Strict):
    name: Line = Field(description="The standards body that maintains the standard.")
    url: Url


class Priority(Strict):
    tier: Tier = Field(
        description="urgent: ask for it in every relevant tender now; recommended: ask for it "
        "where it fits; emerging: watch and pilot."
    )
    rationale: Text = Field(description="Why this tier, in a few sentences.")
    target_date: IsoDate | SkipJsonSchema[None] = Field(
        default=None, description="Date by which buyers should require it, if one is agreed."
    )


class Procurement(Strict):
    requirement: Requirement = Field(description="must or should, as used in the tender clause.")
    tender_clause: LongText = Field(
        description="Text a buyer can paste into a tender as it is: measurable, naming the "
        "standard and the minimum acceptable configuration."
    )
    evidence: list[Text] = Field(
        min_length=1, max_length=20, description="What to ask bidders to hand in as proof."
    )
    cpv_codes: list[CpvCode] = Field(default=[], max_length=20)


class VerificationTool(Strict):
    name: Line
    url: Url
    test_ids: list[ShortLine] = Field(
        default=[], max_length=50, description="Names of the tool's tests that check this."
    )


class Verification(Strict):
    methods: list[VerificationMethod] = Field(min_length=1, max_length=4)
    tools: list[VerificationTool] = Field(default=[], max_length=20)


class Related(Strict):
    id: Slug = Field(description="Id of another entry in this registry.")
    relation: Relation = Field(description="How this entry stands to the other one.")


class Recognition(Strict):
    jurisdiction: ShortLine = Field(description="Country or region, e.g. 'Netherlands', 'EU'.")
    body: Line = Field(description="Authority that issued the instrument.")
    instrument: Line = Field(description="List, directive or law that names the standard.")
    status: RecognitionStatus
    since: IsoDate | SkipJsonSchema[None] = None
    url: Url | SkipJsonSchema[None] = None


class Lifecycle(Strict):
    status: Status = Field(
        description="proposed: under discussion; accepted: on the published lists; "
        "deprecated or withdrawn: kept for the record, never deleted."
    )
    listed_since: IsoDate | SkipJsonSchema[None] = None
    last_reviewed: IsoDate | SkipJsonSchema[None] = None
    facts_checked: IsoDate | SkipJsonSchema[None] = Field(
        default=None,
        description="The day someone last checked every fact of the entry (specification ids, "
        "versions, recognition, URLs) against its primary sources.",
    )
    next_review_due: IsoDate | SkipJsonSchema[None] = None
    superseded_by: Slug | SkipJsonSchema[None] = Field(
        default=None, description="Id of the entry that replaces this one."
    )
    reason: Text | SkipJsonSchema[None] = Field(
        default=None, description="Why the status is what it is (required wording for a withdrawal)."
    )


class Decision(Strict):
    outcome: Outcome
    date: IsoDate
    record_url: Url | SkipJsonSchema[None] = Field(
        default=None, description="Where the panel's decision is recorded."
    )


class Review(Strict):
    proposed_by: Line = Field(description="Person or organisation that proposed the entry.")
    proposal_ref: Line | SkipJsonSchema[None] = Field(
        default=None, description="Pull request or issue where it was proposed."
    )
    decision: Decision | SkipJsonSchema[None] = Field(
        default=None, description="The expert panel's decision; required once accepted."
    )


class Translation(Strict):
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    title: Line | SkipJsonSchema[None] = None
    summary: Summary | SkipJsonSchema[None] = None
    benefit: Text | SkipJsonSchema[None] = None
    tender_clause: LongText | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _not_empty(self) -> Translation:
        # The schema's minProperties: 1, enforced here too.
        if not self.model_fields_set:
            raise ValueError("a translation needs at least one field")
        return self


class Entry(Strict):
    """One standard or best practice: the unit experts propose and officers cite."""

    id: Slug = Field(description="Stable id, equal to the file name without '.yaml'; never reused.")
    title: Line = Field(description="Full official name.")
    short_name: ShortLine = Field(description="The acronym or short name buyers search for.")
    kind: Kind
    category: Slug = Field(description="An id from registry/categories.yaml.")
    tags: list[Slug] = Field(default=[], max_length=30)
    summary: Summary = Field(description="What it is, in plain language (at most 300 characters).")
    benefit: Text = Field(description="The risk it removes, in words a budget holder understands.")
    specifications: list[Specification] = Field(min_length=1, max_length=30)
    maintainer: Maintainer
    priority: Priority
    applies_to: list[Slug] = Field(
        min_length=1, max_length=20, description="Ids from registry/product-types.yaml."
    )
    procurement: Procurement | SkipJsonSchema[None] = Field(
        default=None, description="Tender text and evidence; required for urgent entries."
    )
    verification: Verification | SkipJsonSchema[None] = Field(
        default=None, description="How a buyer checks compliance; required for urgent entries."
    )
    related: list[Related] = Field(default=[], max_length=30)
    recognition: list[Recognition] = Field(default=[], max_length=30)
    lifecycle: Lifecycle
    review: Review | SkipJsonSchema[None] = None
    translations: dict[LanguageCode, Translation] = Field(
        default={}, description="Translations keyed by language code, e.g. 'fr', 'es'."
    )


class Term(Strict):
    """One value of a controlled vocabulary (a category or a product type)."""

    id: Slug
    title: Line
    description: Text


class Categories(Strict):
    """The categories that group entries in the full overview list."""

    categories: list[Term] = Field(min_length=1, max_length=200)


class ProductTypes(Strict):
    """What buyers procure; entries say which of these they apply to."""

    product_types: list[Term] = Field(min_length=1, max_length=200)
