"""The lists as a static web site for procurement officers.

Jinja2 with autoescaping on for every template, so entry text is always HTML text;
links pass ``web_url`` again at render time; all scripts and styles are files of
the site itself, which lets the pages carry a Content-Security-Policy without
'unsafe-inline' and work offline, from a web server or straight from a folder.
Every link is relative and names ``index.html``, for the same reason.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from functools import partial
from importlib import resources
from itertools import islice
from typing import Any

import jinja2
import markupsafe

from is3c import i18n
from is3c import process as process_words
from is3c import store
from is3c.build import Build, Item, requirement_id
from is3c.render import (
    ANNEX_DOWNLOADS,
    API,
    API_STANDARDS,
    CHECKSUMS,
    DATA_PAGE,
    LIST_DOWNLOADS,
    SCHEMA_FILE,
    Files,
    absolute,
    annex_file,
    annex_key,
    annex_page,
    api_product_type,
    api_standard,
    build_key,
    changes_page,
    context_key,
    downloads,
    feed_file,
    language_folder,
    list_file,
    piece,
    standard_page,
    web_url,
    words,
)
from is3c.render.search import INDEX_JSON, INDEX_SCRIPT, index_json, index_script
from is3c.render import changewords, feeds, sitemap
from is3c.render.tender import annex_document

# MiniSearch 7.2.0 (MIT, npm), vendored unchanged from its package's dist/umd/index.js,
# with its licence; see render/search.py for why a library and not own code.
MINISEARCH = "minisearch-7.2.0.js"
ASSETS = ("is3c.css", "is3c.js", "favicon.svg", MINISEARCH, "minisearch-LICENSE.txt")
PROCESS_PAGE = "process/index.html"  # "How this list is made"


def environment(language: str = "en") -> jinja2.Environment:
    """The site's templates with the tool's words in ``language`` installed."""
    env: jinja2.Environment = i18n.environment(
        language,
        loader=jinja2.PackageLoader("is3c", "templates"),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package files: no need to stat them per page
    )
    env.filters["web_url"] = web_url
    env.filters["one_line"] = one_line
    _ = i18n.gettext_for(language)
    env.globals.update(
        words=words,
        methods=lambda entry: words.methods(entry, _),
        language_name=lambda code: i18n.NAMES.get(code, code),
        language_folder=language_folder,
        tool_credits=i18n.tool_credits(language),
        standard_page=standard_page,
        requirement_id=requirement_id,
        annex_page=annex_page,
        checksums=CHECKSUMS,
        schema_file=SCHEMA_FILE,
        process_page=PROCESS_PAGE,
        process_words=process_words,
        minisearch=MINISEARCH,
        search_script=INDEX_SCRIPT,
        describe=lambda event: changewords.describe(event, _),
        other_changes=lambda release: changewords.other_changes(release, _),
        changes_page=changes_page,
        feed_file=feed_file,
        data_page=DATA_PAGE,
        api_root=API,
        api_standards=API_STANDARDS,
        api_standard=api_standard,
        api_product_type=api_product_type,
    )
    return env


def one_line(text: str) -> str:
    """``text`` with every run of white space made one space, for a meta description;
    still markup-safe where it was (the text inside is escaped already)."""
    joined = " ".join(str(text).split())
    return markupsafe.Markup(joined) if isinstance(text, markupsafe.Markup) else joined


def _root(path: str) -> str:
    """The relative way back to the site's top folder from the page at ``path``."""
    return "../" * path.count("/")


# Pieces of text Jinja yields per piece of a page: the index of a large registry is
# many MB, and a page is hundreds of pieces.
STRINGS_PER_PIECE = 4096


def _page(env: jinja2.Environment, template: str, path: str, **context: Any) -> Iterator[bytes]:
    root = _root(path)
    built: Build = context["built"]
    # Back from this language's folder to the top of the whole site, where the other
    # languages and SHA256SUMS are (a one-language build is its own top).
    site_root = root + ("../" * language_folder(built.language).count("/")
                        if built.site_languages else "")
    coverage = dict(built.coverage)
    feed = context.pop("feed", feed_file())
    context.setdefault("show_release", True)
    strings = env.get_template(template).generate(
        root=root, site_root=site_root, page=path,
        piece=partial(_html_piece, built),
        canonical=absolute(built, path),
        alternate=partial(_alternate, built, site_root, path),
        feed=feed,
        absolute_url=partial(absolute, built),
        coverage_percent=lambda key: coverage[key].percent if key in coverage else 0,
        **context)
    while batch := list(islice(strings, STRINGS_PER_PIECE)):
        yield "".join(batch).encode("utf-8")


def _html_piece(built: Build, kind: str, item: Item, *extra: object,
                caller: Callable[[], str]) -> markupsafe.Markup:
    """A template's ``{% call piece(kind, item, ...) %}`` block: the HTML of one item
    on a page, made once and kept between builds (``render.piece``). ``extra`` is
    whatever else the block shows (the page's way back to the top, a requirement id)."""
    return markupsafe.Markup(piece(built, kind, item, lambda: str(caller()), *extra))


def _alternate(built: Build, site_root: str, path: str, language: str) -> str:
    """The same page in another language: absolute when hosted, else relative."""
    if built.base_url:
        return absolute(dataclasses.replace(built, language=language), path) or path
    return site_root + language_folder(language) + path


def _standard_key(built: Build, item: Item) -> str | None:
    """Everything an entry's page shows: the entry with its related entries and
    words (its digest), the site's context, the annexes in the footer, and the
    entry's history and decisions."""
    if not item.digest:
        return None
    history = built.history.of(item.id) if built.history.available else None
    decisions = [(view.anchor, view.record.date, view.record.title, view.record.outcome, change)
                 for view, change in built.process.history_of(item.id)] if built.process else []
    return store.key("page", item.digest, context_key(built), history, decisions)


def _asset(name: str) -> bytes:
    return (resources.files("is3c") / "templates" / "assets" / name).read_bytes()


def render(built: Build) -> Files:
    env = environment(built.language)
    for template in ("index.html", "standard.html", "annex.html", "process.html", "changes.html",
                     "release.html", "data.html"):
        env.get_template(template)  # compiled once here, not once in every worker
    list_downloads = {
        view.name: [(list_file(view.name, ext), label, ext)
                    for ext, label in downloads(built, LIST_DOWNLOADS)]
        for view in built.lists
    }
    files = Files()
    files.add("index.html", partial(_page, env, "index.html", "index.html", built=built,
                                    list_downloads=list_downloads),
              weight=len(built.full.items) + len(built.full.annex),
              key=build_key(built, "index"))
    for item in built.items:
        path = standard_page(item.id)
        # An entry's page shows the entry, its history and decisions, not the
        # registry version: a change to one entry rebuilds one page.
        files.add(path, partial(_page, env, "standard.html", path, built=built, item=item,
                                show_release=False),
                  key=_standard_key(built, item))
    for annex in built.annexes:
        path = annex_page(annex.product_type.id)
        annex_downloads = [(annex_file(annex.product_type.id, ext), label, ext)
                           for ext, label in downloads(built, ANNEX_DOWNLOADS)]
        files.add(path, partial(_page, env, "annex.html", path, built=built, annex=annex,
                                doc=annex_document(annex, built),
                                annex_downloads=annex_downloads,
                                feed=feed_file(annex.product_type.id)),
                  weight=annex.count, key=annex_key(built, "page", annex))
    files.add(PROCESS_PAGE, partial(_page, env, "process.html", PROCESS_PAGE, built=built),
              weight=len(built.process.log) if built.process else 1)
    files.add(INDEX_JSON, partial(index_json, built), weight=len(built.items),
              key=build_key(built, "search-json"))
    files.add(INDEX_SCRIPT, partial(index_script, built), weight=len(built.items),
              key=build_key(built, "search-script"))
    path = changes_page()
    files.add(path, partial(_page, env, "changes.html", path, built=built),
              weight=min(len(built.history.events), 200))
    for release in built.history.releases:
        path = changes_page(release.tag)
        files.add(path, partial(_page, env, "release.html", path, built=built, release=release,
                                names={i.id: i for i in built.items}))
    files.add(DATA_PAGE, partial(_page, env, "data.html", DATA_PAGE, built=built))
    files.update(feeds.render(built))
    files.update(sitemap.render(built))
    for name in ASSETS:
        files.add(f"assets/{name}", partial(_asset, name), weight=0)
    return files
