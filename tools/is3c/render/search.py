"""The site's search index: every entry's officer-facing text, in the build's language.

Built here, at build time, as one static JSON document per language, so the search
needs no server and works offline. The page searches it with MiniSearch (vendored
in templates/assets), which tokenizes, folds and ranks in the browser; this module
only gathers the text. Specification ids are also given without their spaces
("RFC7489"), so "RFC 7489", "rfc7489" and "7489" all find the entry.

Why MiniSearch (npm, MIT, no dependencies, maintained) and not own code: ranking by
relevance with a boost per field (names first), prefix and typo-tolerant matching
and a tokenizer and term folding we can set are what the officer needs, and a
well-tested library does them in one 86 kB file that makes no network request and
uses no eval, so it runs under the site's CSP. Lunr has had no release since 2020;
Pagefind needs its own binary at build time and WebAssembly in the page, which the
CSP forbids. The file is vendored unchanged with its licence: nothing is fetched at
build time.

The same document is written twice: ``search-index.json`` for anyone's tools, and
``search-index.js``, which assigns it to one variable, because a browser refuses to
fetch() a JSON file from a page opened from a folder, and the site's CSP allows no
connections anyway; a script file of the site's own loads everywhere.
"""

from __future__ import annotations

import json
import re
from typing import Any

from is3c import i18n
from is3c.build import Build, Item, requirement_id
from is3c.render import standard_page, words

INDEX_JSON = "search-index.json"
INDEX_SCRIPT = "search-index.js"
# Fields MiniSearch indexes, best first; the page boosts the first ones (is3c.js).
FIELDS = ("short_name", "title", "ids", "tags", "summary", "benefit", "clause",
          "evidence", "more")


_RFC = re.compile(r"\bRFC\s?\d{1,5}\b")


def _compact(spec_id: str) -> str:
    return re.sub(r"\s+", "", spec_id)


def _document(item: Item, _: Any) -> dict[str, Any]:
    entry = item.entry
    accepted = entry.lifecycle.status == "accepted"
    procurement = entry.procurement
    verification = entry.verification
    more = [entry.priority.rationale, item.category.title,
            *(t.title for t in item.product_types),
            *(spec.title for spec in entry.specifications), entry.maintainer.name]
    if verification:
        more.extend(verification.steps)
        more.extend(tool.name for tool in verification.tools)
    if entry.lifecycle.reason:
        more.append(entry.lifecycle.reason)
    ids = [entry.id, requirement_id(entry.id)]
    for spec in entry.specifications:
        ids.append(spec.id)
        if _compact(spec.id) != spec.id:
            ids.append(_compact(spec.id))
    # An RFC cited in the text (the one a new RFC replaced) is found written either way.
    texts = [entry.summary, entry.benefit, *more]
    if procurement:
        texts.append(procurement.tender_clause)
    for cited in sorted({_compact(m) for text in texts for m in _RFC.findall(text)}):
        if cited not in ids:
            ids.append(cited)
    document: dict[str, Any] = {
        "id": entry.id,
        "url": standard_page(entry.id),
        "short_name": entry.short_name,
        "title": entry.title,
        "ids": " ".join(ids),
        "tags": " ".join(entry.tags),
        "summary": entry.summary,
        "benefit": entry.benefit,
        "clause": procurement.tender_clause if procurement else "",
        "evidence": " ".join(procurement.evidence) if procurement else "",
        "more": " ".join(more),
        # What a result shows and the filters need, beside the text searched.
        "category": item.category.id,
        "product_types": [t.id for t in item.product_types],
        "tier": entry.priority.tier if accepted else "",
        "badge": (f"tier-{entry.priority.tier}" if accepted
                  else f"status-{entry.lifecycle.status}"),
        "badge_label": _(words.TIER[entry.priority.tier] if accepted
                         else words.STATUS[entry.lifecycle.status]),
    }
    # A text shown in English for want of a translation says so to screen readers.
    for field, path in (("title", "title"), ("summary", "summary")):
        if item.untranslated(path):
            document[f"{field}_lang"] = item.languages[path]
    return document


def search_index(built: Build) -> dict[str, Any]:
    """Every entry of ``built`` (listed or not) as one document to search."""
    _ = i18n.gettext_for(built.language)
    return {
        "language": built.language,
        "release": built.release.registry_version,
        "fields": list(FIELDS),
        "documents": [_document(item, _) for item in built.items],
    }


def index_json(built: Build) -> bytes:
    text = json.dumps(search_index(built), ensure_ascii=False, indent=None,
                      separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def index_script(built: Build) -> bytes:
    # json.dumps escapes nothing that could end a script: the file is loaded by
    # src=, never inlined, so "</script>" in a text is harmless here.
    return b"window.IS3C_SEARCH_INDEX = " + index_json(built).rstrip(b"\n") + b";\n"
