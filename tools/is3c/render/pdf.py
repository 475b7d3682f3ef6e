"""The tender documents as PDF, laid out by WeasyPrint from an HTML template.

The same ``render.tender`` document as the Word and OpenDocument files, printed
through ``templates/print/tender.html`` and its print CSS: A4, a running header
with the document's title and version, "page N of M", a bookmark for each
heading (so one per requirement), tagged for PDF/UA. Entry text is autoescaped
HTML text and the only links go to http(s) addresses (``web_url``), so it can
become neither a link nor a script; the PDF carries no JavaScript.

WeasyPrint needs Pango, a system library (Debian: libpango-1.0-0 and
libpangoft2-1.0-0). ``missing()`` says in one line what to install when it
cannot be loaded, and the build then leaves the PDFs out.
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import cache, partial
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from is3c import __version__, i18n
from is3c.build import Build
from is3c.render import Files, web_url
from is3c.render.tender import TenderDocument, document_key, document_path, document_weight, documents

PANGO_HINT = ("WeasyPrint cannot load the Pango library that PDF output needs; install it "
              "(Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
              "fonts-dejavu-core) or build without pdf (--formats)")


@cache
def missing() -> str | None:
    """None when WeasyPrint works here, else the one line that says what to install.

    WeasyPrint prints a banner of its own to stdout when a library is missing;
    that goes nowhere, so the user sees our one line instead."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return PANGO_HINT
    return None


_CSS_SAFE = re.compile(r"[^A-Za-z0-9 .,:;()/_-]")


def css_string(value: str) -> Markup:
    """Text for inside a CSS string in a <style> element: everything but plain
    characters as a CSS hex escape, so no text can end the string or the element."""
    return Markup(_CSS_SAFE.sub(lambda m: f"\\{ord(m.group()):06x}", value))


def environment(language: str) -> jinja2.Environment:
    """The print templates with the tool's words in ``language`` installed."""
    env: jinja2.Environment = i18n.environment(
        language,
        loader=jinja2.PackageLoader("is3c", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["web_url"] = web_url
    env.filters["css_string"] = css_string
    return env


def _css() -> Markup:
    text = (resources.files("is3c") / "templates" / "print" / "tender.css").read_text("utf-8")
    return Markup(text)  # our own file, not entry text


def html(doc: TenderDocument, built: Build) -> str:
    template = environment(doc.language).get_template("print/tender.html")
    return template.render(doc=doc, built=built, css=_css(),
                           released=doc.released.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           generator=f"is3c {__version__}")


def _url_fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
    """The document fetches nothing: no images, no style sheets from elsewhere."""
    raise ValueError(f"the tender document does not load {url!r}")


def make(doc: TenderDocument, built: Build) -> bytes:
    import weasyprint

    page = weasyprint.HTML(string=html(doc, built), base_url=None, url_fetcher=_url_fetcher)
    # The file identifier names the document and the registry version: stable for one
    # commit, different for the next (PDF readers use it to tell versions apart).
    identifier = f"{doc.stem} {built.release.registry_version}".encode()
    content: bytes = page.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier,
                                    uncompressed_pdf=False)
    return content


def render(built: Build) -> Files:
    files = Files()
    for doc in documents(built):
        files.add(document_path(doc, "pdf"), partial(make, doc, built), weight=document_weight(doc) * 4,
                  key=document_key(doc, built, "pdf"))
    return files
