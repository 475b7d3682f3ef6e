"""Renderers: a ``Build`` in, files out.

Every format module has the same entry point, ``render(built) -> Files``, and never
reads the registry: what is on a list was decided in ``build``. This module holds
what they share: where each file goes (the site links to the downloads the other
formats make), the one check every link passes at render time, and ``Files``.

``Files`` maps each path to its bytes but makes them only when asked. A 10,000-entry
build is some 10,000 files and 400 MB; holding recipes instead of bytes lets the
writer make them in several processes and write each file as soon as it is made,
so that no process holds the whole build (see ``write.write_tree``).
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from is3c import store
from is3c.build import SOURCE_LANGUAGE, Annex, Build, Item, ListView
from is3c.model import URL_PATTERN

# A file's recipe: a function without arguments that makes its content, as bytes or
# (big files, so that they are never held whole) as an iterator of pieces.
Recipe = Callable[[], bytes | Iterable[bytes]]
T = TypeVar("T")


class Files(Mapping[str, bytes]):
    """Relative POSIX path -> content, each made by its recipe when looked up.

    Recipes are usually a ``functools.partial`` of a renderer, so that a worker
    process can call one on its own. A weight says roughly how many entries the
    file shows, which lets the writer start the big files first. Looking a path
    up twice makes the file twice.
    """

    def __init__(self) -> None:
        self._recipes: dict[str, tuple[Recipe, int]] = {}
        self._keys: dict[str, str] = {}

    def add(self, path: str, make: Recipe, weight: int = 1, key: str | None = None) -> None:
        """``key``: a hash of everything the file shows (``store.key``), for a file
        that costs much to make; the next build into the same folder keeps the file
        it wrote instead of making it again while the key is the same."""
        if path in self._recipes:
            raise RuntimeError(f"two renderers wrote {path}")
        self._recipes[path] = (make, weight)
        if key is not None:
            self._keys[path] = key

    def update(self, other: Files, prefix: str = "") -> None:
        for path, (make, weight) in other._recipes.items():
            self.add(prefix + path, make, weight, other._keys.get(path))

    def key(self, path: str) -> str | None:
        return self._keys.get(path)

    def pieces(self, path: str) -> Iterable[bytes]:
        content = self._recipes[path][0]()
        return (content,) if isinstance(content, bytes) else content

    def weight(self, path: str) -> int:
        return self._recipes[path][1]

    def __getitem__(self, path: str) -> bytes:
        return b"".join(self.pieces(path))

    def __iter__(self) -> Iterator[str]:
        return iter(self._recipes)

    def __len__(self) -> int:
        return len(self._recipes)


# id(build) -> its context key: computed once per build, not per piece, and forgotten
# with the build.
_context_keys: dict[int, str] = {}


def context_key(built: Build) -> str:
    """What every piece of a build may show besides its own entry: the language, the
    site's languages and address, the formats made, the vocabulary (and so the annexes
    every page's footer names), the credits. Not the registry version and date, which
    only whole lists show."""
    known = _context_keys.get(id(built))
    if known is not None:
        return known
    value = store.key("context", built.language, built.site_languages, built.base_url,
                     built.formats, built.credits, built.categories, built.product_types,
                     built.history.available, sorted(built.untranslated_terms),
                     built.release.source, built.release.licence, built.release.licence_url)
    _context_keys[id(built)] = value
    weakref.finalize(built, _context_keys.pop, id(built), None)
    return value


def piece(built: Build, kind: str, item: Item, make: Callable[[], T], *extra: object) -> T:
    """``make()`` for one item, kept between builds (``store.memo``) under the item's
    digest, the build's context and ``extra`` (whatever else the piece shows)."""
    if not item.digest:
        return make()
    return store.memo((kind, context_key(built), item.digest, *extra), make)


def items_key(items: Iterable[Item]) -> str | None:
    """The items of a list, in order, each by its digest; None where an item has no
    digest (made by hand, not by ``build``)."""
    pairs = [(i.id, i.digest) for i in items]
    return store.key("items", pairs) if all(d for _, d in pairs) else None


def list_key(built: Build, kind: str, view: ListView) -> str | None:
    """A whole list file: its entries, the release it names and the context."""
    members = (items_key(view.items), items_key(view.annex))
    return None if None in members else store.key(
        "list", kind, view.name, view.title, view.description, context_key(built), built.release,
        members)


def build_key(built: Build, kind: str) -> str | None:
    """A file that shows every entry (the home page, the search index): its kind,
    the context, the release, every item and the translation figures."""
    members = items_key(built.items)
    return None if members is None else store.key(
        "build", kind, context_key(built), built.release, members, built.coverage,
        [(a.product_type.id, a.count) for a in built.annexes])


def annex_key(built: Build, kind: str, annex: Annex) -> str | None:
    members = (items_key(annex.clauses), items_key(annex.without_clause))
    return None if None in members else store.key(
        "annex", kind, annex.product_type, annex.title, context_key(built), built.release, members)


FORMATS = ("json", "csv", "xlsx", "markdown", "site", "docx", "odt", "pdf", "api")
DOWNLOADS = "downloads"
CHECKSUMS = "SHA256SUMS"
SCHEMA_FILE = f"{DOWNLOADS}/is3c-list.schema.json"

# (extension, what a procurement officer calls it), in the order buttons show them.
LIST_DOWNLOADS = (("docx", "Word"), ("odt", "OpenDocument"), ("pdf", "PDF"), ("xlsx", "Excel"),
                  ("csv", "CSV"), ("md", "Markdown"), ("json", "JSON"))
ANNEX_DOWNLOADS = (("docx", "Word"), ("odt", "OpenDocument"), ("pdf", "PDF"), ("xlsx", "Excel"),
                   ("csv", "CSV"), ("md", "Markdown"))
# The format (renderer module) that makes the downloads with each extension.
EXTENSION_FORMAT = {"md": "markdown", "xlsx": "xlsx", "csv": "csv", "json": "json",
                    "docx": "docx", "odt": "odt", "pdf": "pdf"}

_WEB_URL = re.compile(URL_PATTERN)


def list_file(name: str, extension: str) -> str:
    return f"{DOWNLOADS}/is3c-{name}-list.{extension}"


def annex_file(product_type: str, extension: str) -> str:
    return f"{DOWNLOADS}/is3c-annex-{product_type}.{extension}"


def standard_page(entry_id: str) -> str:
    # index.html spelled out: a folder link does not open the page from a file system.
    return f"standards/{entry_id}/index.html"


def annex_page(product_type: str) -> str:
    return f"annex/{product_type}/index.html"


# The site's addresses (docs/urls.md): stable, so links, feeds and bookmarks last.
FEEDS = "feeds"
CHANGES = "changes"
DATA_PAGE = "data/index.html"
API = "api/v1"
API_STANDARDS = f"{API}/standards.json"


def feed_file(product_type: str | None = None) -> str:
    return f"{FEEDS}/{product_type or 'all'}.atom"


def changes_page(tag: str | None = None) -> str:
    return f"{CHANGES}/{tag}/index.html" if tag else f"{CHANGES}/index.html"


def api_standard(entry_id: str) -> str:
    return f"{API}/standards/{entry_id}.json"


def api_product_type(product_type: str) -> str:
    return f"{API}/product-types/{product_type}.json"


def absolute(built: Build, path: str) -> str | None:
    """The page's address on the web when the build has a base URL, else None. A
    page is addressed by its folder ('standards/dnssec/'), which every web server
    maps to its index.html."""
    if not built.base_url:
        return None
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    # A one-language build (--lang) is its own top folder.
    folder = language_folder(built.language) if built.site_languages else ""
    return built.base_url + folder + path


def site_url(built: Build, path: str) -> str:
    """Absolute when hosted; otherwise the path from the language site's top folder."""
    return absolute(built, path) or path


def site_pages(built: Build) -> list[str]:
    """Every page of one language's site, for the sitemap."""
    return ["index.html", changes_page(), DATA_PAGE,
            *(standard_page(i.id) for i in built.items),
            *(annex_page(a.product_type.id) for a in built.annexes),
            *(changes_page(r.tag) for r in built.history.releases)]


def web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) address, else None.

    Validation already refuses anything else; checking again here means a registry
    built by other means still cannot put a ``javascript:`` link in an output.
    """
    if url is None or not _WEB_URL.fullmatch(url):
        return None
    return url


def downloads(built: Build, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (extension, label) pairs whose format this build makes, so that the site
    never links a download that a ``--formats`` subset left out."""
    return [(ext, label) for ext, label in choices if EXTENSION_FORMAT[ext] in built.formats]


def render_all(built: Build, formats: Iterable[str] = FORMATS) -> Files:
    """Every file of the chosen formats, still to be made; a path made twice is a
    bug, not a silent overwrite."""
    chosen = tuple(name for name in FORMATS if name in set(formats))
    built = dataclasses.replace(built, formats=chosen)
    files = Files()
    for name in chosen:
        module = importlib.import_module(f"is3c.render.{name}")
        files.update(module.render(built))
    return files


def language_folder(language: str) -> str:
    """Where a language's site lives inside the whole site: English at the top."""
    return "" if language == SOURCE_LANGUAGE else f"{language}/"


def render_languages(builds: Iterable[Build], formats: Iterable[str] = FORMATS) -> Files:
    """One site per language, side by side: each with its own pages, downloads and
    annexes, in ``language_folder``."""
    formats = tuple(formats)
    files = Files()
    for built in builds:
        files.update(render_all(built, formats), language_folder(built.language))
    return files
