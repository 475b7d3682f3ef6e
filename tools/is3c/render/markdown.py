"""The lists and annexes as Markdown a reader can paste into a report.

Text from entries is only ever text: every character that could start Markdown or
HTML is backslash-escaped, line breaks are folded into spaces (so no text can start
a heading, list or table row of its own), and the only links are the tool's own,
to addresses that pass ``web_url``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import partial
from urllib.parse import quote

from is3c.build import Annex, Build, Item, ListView
from is3c.i18n import N_, gettext_for
from is3c.render import Files, annex_file, annex_key, list_file, list_key, web_url, words
from is3c.render.tabular import Gettext
from is3c.render.tender import Requirement, TenderDocument, annex_document, list_document, requirement_id

# Words used inside f-strings, marked here for 'is3c i18n extract': Babel cannot see
# into f-strings before Python 3.12.
_IN_F_STRINGS = (
    N_("List:"),
    N_("Registry version:"),
    N_("Date:"),
    N_("Language:"),
    N_("Entries:"),
    N_("Source:"),
    N_("Licence:"),
    N_("not yet translated"),
    N_("What it is."),
    N_("Why it matters."),
    N_("Priority: %(tier)s"),
    N_("Status: %(status)s."),
    N_("Evidence to ask for:"),
    N_("tests:"),
    N_("How to verify:"),
    N_("Tools:"),
    N_("Specifications:"),
    N_("Maintained by:"),
    N_("Applies to:"),
    N_("Recognised by:"),
    N_("Replaced by:"),
    N_("For tenders for:"),
)


# Inline syntax anywhere in a line: emphasis, code, links and images, raw HTML and
# entities, table cells, strikethrough, mentions, maths, and the escape itself.
_INLINE = re.compile(r"([\\`*_{}\[\]<>!|~&@$#])")
# Block syntax that only counts at the start of a line: list items, quotes,
# headings and setext underlines, ordered-list numbers.
_BLOCK_START = re.compile(r"^([-+=>]|\d{1,9}(?=[.)]))")
# GitHub turns bare "https://..." and "www...." into links; an escaped ':' or '.'
# does not match its pattern, so text stays text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![a-z0-9])(www)(\.)")
# Percent-encode everything else, brackets and quotes included, so a link target
# cannot end early in any Markdown dialect.
_URL_SAFE = "!#$&*+,/:;=?@~%-._"


def _unlink(match: re.Match[str]) -> str:
    return "\\:" if match.group(1) else match.group(2) + "\\."


def text(value: str) -> str:
    """Entry text as inert Markdown on one line."""
    # str.split() and the regex \s agree on every code point (tests/test_render_markdown.py
    # checks), and split-join is several times faster than a substitution.
    value = " ".join(value.split())
    value = _INLINE.sub(r"\\\1", value)
    # Scanning for autolinks is the slowest step, and most text has neither "://" nor
    # "www." (only 'w' and 'W' match a case-blind 'w'), so look before scanning.
    if "://" in value or "www." in value.lower():
        value = _AUTOLINK.sub(_unlink, value)
    match = _BLOCK_START.match(value)
    if match:
        marker = match.group(1)
        # '1.' becomes '1\.'; '-' becomes '\-'.
        value = (marker + "\\" + value[len(marker):]) if marker[0].isdigit() else "\\" + value
    return value


def link(label: str, url: str | None) -> str:
    """A link only to an http(s) address, percent-encoded so that it cannot end early;
    anything else is shown as plain text."""
    target = web_url(url)
    if target is None:
        return text(label)
    return f"[{text(label)}]({quote(target, safe=_URL_SAFE)})"


def _name(item: Item) -> str:
    return f"{item.entry.short_name}: {item.entry.title}"


def _product_types(item: Item, _: Gettext) -> str:
    marker = f" \\[{text(_('not yet translated'))}\\]"
    return ", ".join(text(t.title) + (marker if item.untranslated_term("product-types", t) else "")
                     for t in item.product_types)


def _title(item: Item, _: Gettext) -> str:
    return text(item.entry.short_name) + ": " + _t(item, "title", item.entry.title, _)


def _meta(built: Build, title: str, count: int) -> list[str]:
    release = built.release
    _ = gettext_for(built.language)
    language = text(built.language)
    return [
        f"- {_('List:')} {text(title)}",
        f"- {_('Registry version:')} {text(release.registry_version)}",
        f"- {_('Date:')} {text(release.date)}",
        f"- {_('Language:')} "
        + (language if built.language == "en" else _("%(language)s (English where a text is "
                                                      "marked as not yet translated)")
           % {"language": language}),
        f"- {_('Entries:')} {count}",
        f"- {_('Source:')} {text(release.source)}",
        f"- {_('Licence:')} {text(release.licence)} ({text(release.licence_url)})",
        "",
    ]


def _t(item: Item, path: str, value: str, _: Gettext) -> str:
    """Entry text as Markdown, marked where it is English for want of a translation."""
    marker = f" \\[{text(_('not yet translated'))}\\]" if item.untranslated(path) else ""
    return text(value) + marker


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _preamble(doc: TenderDocument) -> list[str]:
    """The tender preamble (render.tender), the same as in the Word, ODF and PDF files."""
    lines = [f"## {text(doc.labels['preamble'])}", ""]
    for heading, paragraphs in doc.preamble:
        lines += [f"### {text(heading)}", ""]
        for paragraph in paragraphs:
            lines += [text(paragraph), ""]
    return lines


def _matrix(doc: TenderDocument) -> list[str]:
    """The compliance matrix that closes every tender document."""
    if not doc.requirements:
        return []
    return [f"## {text(doc.labels['matrix'])}", "", text(doc.labels["matrix_note"]), "",
            *_table([text(c.header) for c in doc.matrix],
                    [[text(v) for v in row] for row in doc.matrix_rows()])]


def _details(item: Item, heading: str, _: Gettext) -> list[str]:
    entry = item.entry
    tier = entry.priority.tier
    lines = [
        f"{heading} {_title(item, _)}",
        "",
        f"**{_('What it is.')}** {_t(item, 'summary', entry.summary, _)}",
        "",
        f"**{_('Why it matters.')}** {_t(item, 'benefit', entry.benefit, _)}",
        "",
        f"**{_('Priority: %(tier)s') % {'tier': _(words.TIER[tier])}}** ({_(words.TIER_HELP[tier])}). "
        f"{_t(item, 'priority.rationale', entry.priority.rationale, _)}"
        + (" " + _("Target date: %(date)s.") % {"date": text(entry.priority.target_date)}
           if entry.priority.target_date else ""),
        "",
    ]
    if entry.lifecycle.status != "accepted":
        lines += [f"**{_('Status: %(status)s.') % {'status': _(words.STATUS[entry.lifecycle.status])}}**"
                  + (f" {_t(item, 'lifecycle.reason', entry.lifecycle.reason, _)}"
                     if entry.lifecycle.reason else ""), ""]
    if entry.procurement is not None:
        evidence = " " + _t(item, "procurement.evidence", "", _) if item.untranslated(
            "procurement.evidence") else ""
        lines += [
            "**" + _("Tender clause %(id)s (%(requirement)s):") % {
                "id": requirement_id(entry.id), "requirement": words.requirement(entry, _).lower()} + "**",
            "",
            f"> {_t(item, 'procurement.tender_clause', entry.procurement.tender_clause, _)}",
            "",
            f"**{_('Evidence to ask for:')}**{evidence}",
            "",
            *[f"- {text(e)}" for e in entry.procurement.evidence],
            "",
        ]
    if entry.verification is not None:
        tools = [
            link(t.name, t.url) + (f" ({_('tests:')} {text(', '.join(t.test_ids))})" if t.test_ids else "")
            for t in entry.verification.tools
        ]
        lines += [f"**{_('How to verify:')}** {text(words.methods(entry, _))}."
                  + (f" {_('Tools:')} {'; '.join(tools)}." if tools else ""), ""]
        steps = entry.verification.steps
        if steps:
            lines += [*(f"{n}. {text(step)}" for n, step in enumerate(steps, 1)), ""]
    specs = "; ".join(link(f"{s.id}: {s.title}", s.url) for s in entry.specifications)
    lines += [f"**{_('Specifications:')}** {specs}.", ""]
    lines += [f"**{_('Maintained by:')}** {link(entry.maintainer.name, entry.maintainer.url)}.", ""]
    lines += [f"**{_('Applies to:')}** {_product_types(item, _)}.", ""]
    if entry.recognition:
        recognised = "; ".join(
            link(f"{r.jurisdiction}: {r.body}, {r.instrument}", r.url)
            + f" ({_(words.RECOGNITION[r.status])})"
            for r in entry.recognition
        )
        lines += [f"**{_('Recognised by:')}** {recognised}.", ""]
    if item.replacement is not None:
        lines += [(f"**{_('Replaced by:')}** {text(item.replacement.short_name)} "
                  f"({text(item.replacement.title)})."), ""]
    return lines


# Characters per piece of a file, roughly: big enough to keep the overhead per piece small.
PIECE_SIZE = 1 << 16


def _pieces(blocks: Iterable[list[str]]) -> Iterator[bytes]:
    """The lines of all blocks joined by newlines, ending in exactly one newline, as
    UTF-8 in pieces. Blank lines wait until a line with text follows them, so that
    those at the very end are left out."""
    out: list[str] = []
    size = blank = 0
    for block in blocks:
        for line in block:
            if not line:
                blank += 1
                continue
            out.append("\n" * blank + line + "\n")
            size += len(line)
            blank = 0
        if size >= PIECE_SIZE:
            yield "".join(out).encode("utf-8")
            out, size = [], 0
    yield ("".join(out) or "\n").encode("utf-8")


def _list_blocks(view: ListView, built: Build) -> Iterator[list[str]]:
    _ = gettext_for(built.language)
    lines = [f"# {text(view.title)}", "", text(view.description), ""]
    lines += _meta(built, view.title, len(view.items))
    if not view.items:
        lines += [_("No entries are on this list yet."), ""]
    yield lines
    doc = list_document(view, built)
    yield _preamble(doc)
    for section in view.sections:
        marker = (f" \\[{text(_('not yet translated'))}\\]"
                  if f"categories:{section.category.id}" in built.untranslated_terms else "")
        yield [f"## {text(section.category.title)}{marker}", "", text(section.category.description), ""]
        yield _table(
            [_("Standard"), _("What it is"), _("Tier"), _("Applies to")],
            [[_title(i, _), _t(i, "summary", i.entry.summary, _), _(words.TIER[i.entry.priority.tier]),
              _product_types(i, _)] for i in section.items],
        )
        for item in section.items:
            yield _details(item, "###", _)
    if view.annex:
        yield [
            "## " + _("Annex: entries not on the list"),
            "",
            _("Proposed entries are under review; deprecated and withdrawn entries are "
              "kept for the record. Do not ask for them in new tenders."),
            "",
        ]
        yield _table(
            [_("Standard"), _("Status"), _("Reason"), _("Replaced by")],
            [[_title(i, _), _(words.STATUS[i.entry.lifecycle.status]),
              _t(i, "lifecycle.reason", i.entry.lifecycle.reason, _) if i.entry.lifecycle.reason else "",
              text(f"{i.replacement.short_name}: {i.replacement.title}") if i.replacement else ""]
             for i in view.annex],
        )
        for item in view.annex:
            yield _details(item, "###", _)
    yield _matrix(doc)


def render_list(view: ListView, built: Build) -> Iterator[bytes]:
    return _pieces(_list_blocks(view, built))


def _annex_blocks(annex: Annex, built: Build) -> Iterator[list[str]]:
    product_type = annex.product_type
    _ = gettext_for(built.language)
    lines = [
        f"# {text(annex.title)}",
        "",
        f"{_('For tenders for:')} {text(product_type.title)}. {text(product_type.description)}",
        "",
        _("Copy the requirements below into the tender. Each names its standard and the "
          "evidence to ask bidders for; bidders answer per requirement id (IS3C-...), which "
          "stays the same in later versions."),
        "",
    ]
    lines += _meta(built, annex.title, annex.count)
    if not annex.count:
        lines += [_("No accepted standard applies to this product type yet."), ""]
    yield lines
    doc = annex_document(annex, built)
    yield _preamble(doc)
    for requirement in doc.requirements:
        if requirement.item.entry.procurement is None:  # build puts only entries with a clause here
            continue
        yield _requirement(requirement, doc, _)
    if annex.without_clause:
        yield [
            "## " + _("Also applicable (no tender clause agreed yet)"),
            "",
            _("These standards apply to this product type, but the registry has no tender "
              "text for them yet; ask for them in your own words where they fit."),
            "",
        ]
        yield _table(
            [_("Standard"), _("Tier"), _("What it is")],
            [[_title(i, _), _(words.TIER[i.entry.priority.tier]), _t(i, "summary", i.entry.summary, _)]
             for i in annex.without_clause],
        )
    yield _matrix(doc)


def _requirement(requirement: Requirement, doc: TenderDocument, _: Gettext) -> list[str]:
    """One requirement of an annex: its clause, evidence, checks and specifications."""
    item = requirement.item
    entry = item.entry
    assert entry.procurement is not None
    evidence = " " + _t(item, "procurement.evidence", "", _) if item.untranslated(
        "procurement.evidence") else ""
    lines = [
        f"## {requirement.id}: {_title(item, _)}",
        "",
        *([f"*{text(doc.labels['why'])}: {text(requirement.why)}*", ""] if requirement.why else []),
        _("Tier: %(tier)s. Requirement: %(requirement)s.") % {
            "tier": _(words.TIER[entry.priority.tier]),
            "requirement": words.requirement(entry, _).lower()},
        "",
        f"> {_t(item, 'procurement.tender_clause', entry.procurement.tender_clause, _)}",
        "",
        f"**{_('Evidence to ask for:')}**{evidence}",
        "",
        *[f"- {text(e)}" for e in entry.procurement.evidence],
        "",
    ]
    if entry.verification is not None:
        tools = "; ".join(link(t.name, t.url) for t in entry.verification.tools)
        lines += [f"**{_('How to verify:')}** {text(words.methods(entry, _))}."
                  + (f" {_('Tools:')} {tools}." if tools else ""), ""]
        steps = entry.verification.steps
        if steps:
            lines += [*(f"{n}. {text(step)}" for n, step in enumerate(steps, 1)), ""]
    specs = "; ".join(link(f"{s.id}: {s.title}", s.url) for s in entry.specifications)
    lines += [f"**{_('Specifications:')}** {specs}.", ""]
    return lines


def render_annex(annex: Annex, built: Build) -> Iterator[bytes]:
    return _pieces(_annex_blocks(annex, built))


def render(built: Build) -> Files:
    files = Files()
    for view in built.lists:
        files.add(list_file(view.name, "md"), partial(render_list, view, built),
                  weight=len(view.items) + len(view.annex), key=list_key(built, "md", view))
    for annex in built.annexes:
        files.add(annex_file(annex.product_type.id, "md"), partial(render_annex, annex, built),
                  weight=annex.count, key=annex_key(built, "md", annex))
    return files
