"""Renderers: a ``Build`` in, files out.

Every format module has the same entry point, ``render(built) -> Files``, and never
reads the registry: what is on a list was decided in ``build``. This module holds
what they share: where each file goes (the site links to the downloads the other
formats make) and the one check every link passes at render time.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

from is3c.build import Build
from is3c.model import URL_PATTERN

Files = dict[str, bytes]  # relative POSIX path -> content

FORMATS = ("json", "csv", "xlsx", "markdown", "site")
DOWNLOADS = "downloads"
CHECKSUMS = "SHA256SUMS"
SCHEMA_FILE = f"{DOWNLOADS}/is3c-list.schema.json"

# (extension, what a procurement officer calls it), in the order buttons show them.
LIST_DOWNLOADS = (("xlsx", "Excel"), ("csv", "CSV"), ("md", "Markdown"), ("json", "JSON"))
ANNEX_DOWNLOADS = (("md", "Markdown"), ("xlsx", "Excel"), ("csv", "CSV"))

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


def web_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) address, else None.

    Validation already refuses anything else; checking again here means a registry
    built by other means still cannot put a ``javascript:`` link in an output.
    """
    if url is None or not _WEB_URL.fullmatch(url):
        return None
    return url


def render_all(built: Build, progress: Callable[[str], None] | None = None) -> Files:
    """Every file of every format; a path made twice is a bug, not a silent overwrite."""
    files: Files = {}
    for name in FORMATS:
        if progress:
            progress(f"rendering {name}")
        module = importlib.import_module(f"is3c.render.{name}")
        for path, content in module.render(built).items():
            if path in files:
                raise RuntimeError(f"two renderers wrote {path}")
            files[path] = content
    return files
