"""The lists as a static web site for procurement officers.

Jinja2 with autoescaping on for every template, so entry text is always HTML text;
links pass ``web_url`` again at render time; all scripts and styles are files of
the site itself, which lets the pages carry a Content-Security-Policy without
'unsafe-inline' and work offline, from a web server or straight from a folder.
Every link is relative and names ``index.html``, for the same reason.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2

from is3c.build import Build
from is3c.render import (
    ANNEX_DOWNLOADS,
    CHECKSUMS,
    LIST_DOWNLOADS,
    SCHEMA_FILE,
    Files,
    annex_file,
    annex_page,
    list_file,
    standard_page,
    web_url,
    words,
)

ASSETS = ("is3c.css", "is3c.js", "favicon.svg")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("is3c", "templates"),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["web_url"] = web_url
    env.globals.update(
        words=words,
        standard_page=standard_page,
        annex_page=annex_page,
        checksums=CHECKSUMS,
        schema_file=SCHEMA_FILE,
    )
    return env


def _root(path: str) -> str:
    """The relative way back to the site's top folder from the page at ``path``."""
    return "../" * path.count("/")


def _page(env: jinja2.Environment, template: str, path: str, **context: Any) -> bytes:
    return env.get_template(template).render(root=_root(path), **context).encode("utf-8")


def render(built: Build) -> Files:
    env = environment()
    list_downloads = {
        view.name: [(list_file(view.name, ext), label, ext) for ext, label in LIST_DOWNLOADS]
        for view in built.lists
    }
    files: Files = {
        "index.html": _page(env, "index.html", "index.html", built=built,
                            list_downloads=list_downloads),
    }
    for item in built.items:
        path = standard_page(item.id)
        files[path] = _page(env, "standard.html", path, built=built, item=item)
    for annex in built.annexes:
        path = annex_page(annex.product_type.id)
        downloads = [(annex_file(annex.product_type.id, ext), label, ext)
                     for ext, label in ANNEX_DOWNLOADS]
        files[path] = _page(env, "annex.html", path, built=built, annex=annex,
                            annex_downloads=downloads)
    assets = resources.files("is3c") / "templates" / "assets"
    for name in ASSETS:
        files[f"assets/{name}"] = (assets / name).read_bytes()
    return files
