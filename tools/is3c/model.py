"""The entry contract: the one place where registry fields are defined.

The committed JSON Schemas in ``schemas/`` are generated from these models
(``is3c schema --write``), so editors, CI and the build all agree on one contract.
Every pattern here is linear-time (no nested quantifiers), because the schema is
also evaluated by Python's backtracking ``re`` engine inside jsonschema.
"""

from __future__ import annotations

from typing import Annotated, Literal

import datetime

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
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
# A decision record's id is its file name: the date it was taken, then a slug.
DECISION_ID_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[a-z0-9]+)+$"
# A GitHub user name: letters, digits and single hyphens inside, at most 39 characters.
GITHUB_HANDLE_PATTERN = r"^[A-Za-z0-9](-?[A-Za-z0-9])*$"
GITHUB_TEAM_PATTERN = r"^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$"

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

DecisionId = Annotated[
    str,
    StringConstraints(pattern=DECISION_ID_PATTERN, min_length=12, max_length=80),
    Field(description="Id of a decision record: its file name in registry/decisions/ without "
          "'.yaml', e.g. '2026-11-22-seed-list'."),
]

Kind = Literal["standard", "best-practice", "baseline", "certification-scheme"]
Tier = Literal["urgent", "recommended", "emerging"]
Requirement = Literal["must", "should"]
VerificationMethod = Literal["automated-test", "self-declaration", "certification", "audit"]
Relation = Literal["requires", "complements", "alternative-to", "extends", "part-of"]
RecognitionStatus = Literal["mandatory", "recommended", "identified"]
Status = Literal["proposed", "accepted", "deprecated", "withdrawn"]
StakeholderGroup = Literal[
    "government", "technical-community", "private-sector", "civil-society", "academia",
    "intergovernmental-organisation",
]
# The five regions of the UN geoscheme (UN Statistics Division, M49).
Region = Literal["africa", "americas", "asia", "europe", "oceania"]
Role = Literal["chair", "member", "editor"]
Action = Literal["add", "set-tier", "change-clause", "deprecate", "withdraw"]
Stance = Literal["support", "object", "abstain"]
DecidedBy = Literal["panel", "working-group"]
DecisionOutcome = Literal["consensus", "no-consensus", "provisional"]


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
    applies_because: dict[Slug, Text] = Field(
        default={},
        max_length=50,
        description="Why the clause applies to a product type where that is not obvious, by "
        "product-type id (one of applies_to), in a sentence; tender annexes show it above "
        "the requirement. E.g. DMARC on the website annex.",
    )


class VerificationTool(Strict):
    name: Line
    url: Url
    test_ids: list[ShortLine] = Field(
        default=[], max_length=50, description="Names of the tool's tests that check this."
    )


class Verification(Strict):
    methods: list[VerificationMethod] = Field(min_length=1, max_length=4)
    tools: list[VerificationTool] = Field(default=[], max_length=20)
    steps: list[Text] = Field(
        default=[], max_length=12,
        description="How a buyer checks compliance, as steps a non-engineer can follow in "
        "order, each saying what a pass looks like (shown numbered; translated).",
    )


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


class Review(Strict):
    proposed_by: Line = Field(description="Person or organisation that proposed the entry.")
    proposal_ref: Line | SkipJsonSchema[None] = Field(
        default=None, description="Pull request or issue where it was proposed."
    )
    decision: DecisionId | SkipJsonSchema[None] = Field(
        default=None,
        description="The decision record (registry/decisions/<id>.yaml) that set the entry's "
        "current status and tier; required once accepted, deprecated or withdrawn.",
    )


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
    # Translations live in gettext catalogs (registry/locale/), not in entry files.


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


# --- the panel and its decisions (registry/panel.yaml, registry/decisions/) --------


class RoleDescription(Strict):
    role: Role
    description: Text = Field(description="What someone in this role does.")


class Member(Strict):
    id: Slug = Field(description="Stable id that decision records use, e.g. 'jdoe'; never reused.")
    name: Line = Field(description="The member's name, as the member wants it published.")
    affiliation: Line = Field(description="Organisation the member works for or comes from.")
    stakeholder_group: StakeholderGroup
    region: Region = Field(description="Region of the UN geoscheme the member comes from.")
    github: Annotated[
        str, StringConstraints(pattern=GITHUB_HANDLE_PATTERN, max_length=39)
    ] | SkipJsonSchema[None] = Field(
        default=None, description="GitHub user name without '@'; editors' handles go into CODEOWNERS."
    )
    role: Role
    term_start: IsoDate = Field(description="First day on the panel in this role.")
    term_end: IsoDate | SkipJsonSchema[None] = Field(
        default=None, description="Last day on the panel in this role, once known."
    )


class Panel(Strict):
    """The expert panel of IS3C Working Group 5: who decides what the lists hold."""

    body: Line = Field(description="The body the panel decides for, e.g. 'IS3C Working Group 5'.")
    github_team: Annotated[str, StringConstraints(pattern=GITHUB_TEAM_PATTERN, max_length=80)] = Field(
        description="GitHub team (organisation/team) that reviews registry changes while no "
        "editor is named."
    )
    roles: list[RoleDescription] = Field(min_length=1, max_length=10)
    members: list[Member] = Field(
        default=[], max_length=500, description="Empty until the working group names the panel."
    )


class Change(Strict):
    entry: Slug = Field(description="Id of the entry the change is about.")
    action: Action = Field(
        description="add: put on the list (with tier); set-tier; change-clause: a new tender "
        "clause; deprecate; withdraw."
    )
    tier: Tier | SkipJsonSchema[None] = Field(
        default=None, description="The tier decided; required for add and set-tier."
    )


class Position(Strict):
    member: Slug = Field(description="Id of a panel member in registry/panel.yaml.")
    position: Stance
    comment: Text | SkipJsonSchema[None] = Field(
        default=None, description="What the member said; required for an objection."
    )
    answer: Text | SkipJsonSchema[None] = Field(
        default=None, description="How the objection was considered and answered."
    )


class Link(Strict):
    title: Line
    url: Url


class DecisionRecord(Strict):
    """One decision on what the lists hold: the question, the changes, who took part,
    and the chair's call of rough consensus (RFC 7282)."""

    title: Line = Field(description="The decision in a few words.")
    date: IsoDate = Field(description="The day the decision was taken; the file name starts with it.")
    question: Text = Field(description="The question put to the panel.")
    context: LongText | SkipJsonSchema[None] = Field(
        default=None, description="Background: where the proposal came from and on what sources."
    )
    decided_by: DecidedBy = Field(
        description="panel: the expert panel; working-group: the working group as a body, "
        "before the panel was named."
    )
    chair: Slug | SkipJsonSchema[None] = Field(
        default=None, description="Id of the panel member who chaired and called consensus."
    )
    changes: list[Change] = Field(min_length=1, max_length=500)
    positions: list[Position] = Field(default=[], max_length=500)
    consensus_call: Text | SkipJsonSchema[None] = Field(
        default=None,
        description="The chair's call: which objections were raised, how each was answered, "
        "and why the panel has rough consensus (or not). Not a vote count.",
    )
    outcome: DecisionOutcome = Field(
        description="consensus: the changes take effect; no-consensus: they do not; "
        "provisional: taken by the working group, in effect until the panel confirms or "
        "revises it."
    )
    links: list[Link] = Field(
        default=[], max_length=50, description="Minutes or discussion; links may be added after merge."
    )
