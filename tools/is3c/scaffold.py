"""A new entry file with every field, each explained by a comment.

Fields the proposer has not filled in yet hold text starting with ``TODO``, which
``is3c validate`` reports (IS3C315) until it is replaced, so a scaffold can be
committed as work in progress but never published by accident.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from is3c.fmt import canonical
from is3c.load import PLACEHOLDER


@dataclass(frozen=True)
class Essentials:
    """What is asked when a new entry is created."""

    id: str
    title: str
    short_name: str
    kind: str
    category: str
    tier: str
    applies_to: tuple[str, ...]
    proposed_by: str


def _q(value: str) -> str:
    """A YAML scalar for any text: JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(value, ensure_ascii=False)


def render(e: Essentials) -> str:
    applies = "\n".join(f"  - {product}" for product in sorted(set(e.applies_to)))
    todo = PLACEHOLDER
    return f"""\
# yaml-language-server: $schema=../../schemas/entry.schema.json
# New entry: replace every {todo} text, then run 'is3c validate' and 'is3c fmt'.
# docs/content-guide.md explains how to write each field well.
# Stable id, equal to this file's name; never reused once published.
id: {e.id}
# Full official name, and the acronym buyers search for.
title: {_q(e.title)}
short_name: {_q(e.short_name)}
# standard, best-practice, baseline or certification-scheme.
kind: {e.kind}
# An id from registry/categories.yaml.
category: {e.category}
# Optional search words (lowercase ids), e.g. [dns, email].
tags: []
# What it is, for a non-engineer, in at most 300 characters.
summary: {todo} say in plain words what this standard does.
# The risk it removes, in words a budget holder understands.
benefit: {todo} name the harm a buyer avoids by asking for it.
# The defining documents, core document first, each at its publisher's site.
specifications:
  - id: {todo} document number, e.g. RFC 9999
    title: {todo} the document's own title
    url: https://www.rfc-editor.org/
    publisher: IETF
# The body that maintains the standard.
maintainer:
  name: {todo} name of the standards body
  url: https://www.ietf.org/
# urgent: ask for it in every relevant tender now; recommended: where it fits;
# emerging: watch and pilot. Urgent entries need procurement and verification.
priority:
  tier: {e.tier}
  rationale: {todo} two or three sentences on why this tier.
# Product types (ids from registry/product-types.yaml) whose buyers should ask for it.
applies_to:
{applies}
# Tender text a buyer can paste as it is (required for urgent entries):
# procurement:
#   requirement: must
#   tender_clause: The supplier MUST ... This applies for the whole contract term.
#   evidence:
#     - What bidders hand in as proof.
# How a buyer checks compliance (required for urgent entries):
# verification:
#   methods: [automated-test]
#   tools:
#     - name: Internet.nl
#       url: https://internet.nl/
#       test_ids: [web_https_tls_version]
#   steps:
#     - Numbered steps a non-engineer can follow, each saying what a pass looks like.
# Links to other entries (requires, complements, alternative-to, extends, part-of):
# related:
#   - id: dnssec
#     relation: requires
# Where governments already require or recommend it:
# recognition:
#   - jurisdiction: Netherlands
#     body: Forum Standaardisatie
#     instrument: Comply-or-explain list of open standards
#     status: mandatory
# proposed until the expert panel decides; then accepted, with review.decision.
lifecycle:
  status: proposed
review:
  proposed_by: {_q(e.proposed_by)}
  # The pull request or issue where this was proposed.
  # proposal_ref: https://github.com/...
# Translations do not go here: once this file is merged, 'is3c i18n update' adds its
# texts to registry/locale/<lang>/LC_MESSAGES/registry.po for translators (French and
# Spanish are required for urgent entries; see CONTRIBUTING.md, "Translating").
"""


def create(path: Path, essentials: Essentials) -> str:
    """The canonical text of a new entry; the caller writes it."""
    return canonical(render(essentials), path)
