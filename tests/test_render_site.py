"""render/site.py: escaped, self-contained pages whose links all resolve."""

from __future__ import annotations

import posixpath
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from html import escape

import pytest
from build_fixture import FIXTURE, HOSTILE_ID, RELEASE, check_golden, fixture_build, fixture_registry
from is3c.build import Build, build
from is3c.i18n import registry_credits, registry_texts, term_texts
from is3c.render import CHECKSUMS, render_all
from is3c.render import site as render_site
from is3c.render.words import TIER

GOLDEN = [
    "index.html",
    "standards/dnssec/index.html",
    f"standards/{HOSTILE_ID}/index.html",
    "standards/tls-1-0/index.html",
    "annex/website/index.html",
    "process/index.html",
]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; "
       "form-action 'none'")


class Page(HTMLParser):
    """Every start tag with its attributes, ids, and the text inside <script>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text = ""
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def ids(self) -> set[str]:
        return {str(a["id"]) for _, a in self.tags if a.get("id")}


def pages(built: Build | None = None) -> dict[str, str]:
    return _pages(built) if built is not None else _fixture_pages()


def _pages(built: Build) -> dict[str, str]:
    files = render_site.render(built)
    return {p: c.decode("utf-8") for p, c in files.items() if p.endswith(".html")}


@cache
def _fixture_pages() -> dict[str, str]:
    return _pages(fixture_build())


@pytest.mark.parametrize("path", GOLDEN)
def test_golden(path: str) -> None:
    check_golden(f"site/{path}", render_site.render(fixture_build())[path])


def test_a_page_for_every_entry_and_every_product_type() -> None:
    built = fixture_build()
    assert set(pages()) == (
        {"index.html", "process/index.html", "changes/index.html", "data/index.html"}
        | {f"standards/{i.id}/index.html" for i in built.items}
        | {f"annex/{a.product_type.id}/index.html" for a in built.annexes}
    )


@pytest.mark.parametrize("path", sorted(pages()))
def test_page_is_inert_and_self_contained(path: str) -> None:
    html = pages()[path]
    page = Page(html)
    metas = page.all("meta")
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    assert page.tags[0][0] == "html" and page.tags[0][1] == {"lang": "en", "dir": "ltr"}
    scripts = page.all("script")
    assert page.script_text.strip() == ""
    sources = [str(s.get("src", "")) for s in scripts]
    if path == "index.html":  # the search library and the search index, then the site's own
        assert sources == ["assets/minisearch-7.2.0.js", "search-index.js", "assets/is3c.js"]
    else:
        assert sources == (["../../assets/is3c.js"] if path.startswith("annex/") else [])
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "svg", "object", "embed", "details", "form", "base"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in ("href", "src"):
                scheme = urlsplit(str(value)).scheme
                assert scheme in ("", "http", "https"), (tag, value)
    assert len(page.all("h1")) == 1


def test_every_relative_link_resolves() -> None:
    """Pages, assets and downloads, and the '#fragment' ids within pages."""
    built = fixture_build()
    files = {**render_all(built), CHECKSUMS: b""}
    page_ids = {p: Page(c.decode()).ids for p, c in files.items() if p.endswith(".html")}
    checked = 0
    for path in page_ids:
        page = Page(files[path].decode())
        for tag, attrs in page.tags:
            target = attrs.get("href") or attrs.get("src")
            if tag not in ("a", "link", "script") or not target:
                continue
            parts = urlsplit(str(target))
            if parts.scheme:
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) \
                if parts.path else path
            assert resolved in files, (path, target)
            if parts.fragment:
                assert parts.fragment in page_ids.get(resolved, set()), (path, target)
            checked += 1
    assert checked > 200


def test_hostile_text_is_escaped() -> None:
    html = pages()[f"standards/{HOSTILE_ID}/index.html"]
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;maintainer&#34;)" in html
    page = Page(html)
    # An address with quotes stays one attribute value: nothing leaks into new attributes.
    spec = next(a for a in page.all("a") if "onmouseover" in str(a.get("href")))
    assert spec == {"class": "external", "href": "https://example.org/a'onmouseover='alert(1)'x=/script"}


def test_addresses_with_double_quotes_are_refused_at_render_too() -> None:
    """Validation refuses '"', '<' and '>' in addresses; the page does not link them."""
    built = fixture_build()
    item = next(i for i in built.items if i.id == "dnssec")
    forged_url = 'https://example.org/a"onmouseover="alert(1)"x=<script>'
    bad_spec = item.entry.specifications[0].model_copy(update={"url": forged_url})
    entry = item.entry.model_copy(update={"specifications": [bad_spec]})
    forged = replace(built, items=(replace(item, entry=entry),))
    html = render_site.render(forged)["standards/dnssec/index.html"].decode()
    assert not [a for a in Page(html).all("a") if "onmouseover" in str(a.get("href"))]
    assert not [a for t in ("a", "li", "span") for a in Page(html).all(t) if "onmouseover" in a]
    assert '<li><bdi dir="ltr">RFC 4033</bdi>: <span lang="en" dir="ltr">DNS Security Introduction' in html


def test_links_are_checked_again_at_render() -> None:
    """A registry that skipped validation still cannot make a javascript: link."""
    built = fixture_build()
    item = next(i for i in built.items if i.id == "dnssec")
    bad_spec = item.entry.specifications[0].model_copy(update={"url": "javascript:alert(1)"})
    entry = item.entry.model_copy(update={"specifications": [bad_spec]})
    forged = replace(built, items=(replace(item, entry=entry),))
    html = render_site.render(forged)["standards/dnssec/index.html"].decode()
    assert "javascript:" not in html
    assert '<li><bdi dir="ltr">RFC 4033</bdi>: <span lang="en" dir="ltr">DNS Security Introduction' in html


def test_the_filters_offer_every_category_product_type_and_tier() -> None:
    built = fixture_build()
    page = Page(pages()["index.html"])
    options = [str(o["value"]) for o in page.all("option")]
    assert options == (
        [""] + [s.category.id for s in built.full.sections]
        + [""] + [t.id for t in built.product_types]
        + [""] + list(TIER)
    )
    entries = [a for a in page.all("li") if "data-entry" in a]
    assert [a["data-id"] for a in entries] == [i.id for i in built.full.items]
    dnssec = next(a for a in entries if a["data-id"] == "dnssec")
    assert dnssec["data-product-types"] == "dns-hosting email-service website"
    assert dnssec["data-tier"] == "urgent" and dnssec["data-category"] == "dns"
    filters = next(a for t, a in page.tags if a.get("id") == "filters")
    assert "hidden" in filters  # shown by the script; without it there is nothing to filter with


def test_a_page_in_another_language_marks_what_is_still_english() -> None:
    built = fixture_build("fr")
    html = pages(built)["standards/dnssec/index.html"]
    assert html.startswith('<!doctype html>\n<html lang="fr" dir="ltr">')
    assert '<span class="subtitle">Extensions de sécurité' in html
    assert "<h2>Pourquoi c'est important</h2>" in html  # the tool's words too
    # The fixture's French catalog has no vocabulary: category names are marked.
    assert ('<dt>Catégorie</dt><dd>DNS <span class="untranslated" lang="fr" dir="ltr">'
            '(pas encore traduit)</span></dd>') in html
    registry = fixture_registry()
    vocabulary = {(context, text): text + " (fr)"
                  for name, terms in (("categories", registry.categories),
                                      ("product-types", registry.product_types))
                  for term in terms for _, context, text in term_texts(name, term)}
    complete = build(registry, RELEASE, "fr", {**registry_texts(FIXTURE, "fr"), **vocabulary},
                     registry_credits(FIXTURE, "fr"))
    html = pages(complete)["standards/dnssec/index.html"]
    assert "<dt>Catégorie</dt><dd>DNS (fr)</dd>" in html
    assert "pas encore traduit" not in html.split("</header>")[1]
    tls = pages(built)["standards/tls/index.html"]
    english = next(e for e in fixture_registry().entries if e.id == "tls").summary
    assert (f'<p class="lead" lang="en" dir="ltr">{escape(english)} <span class="untranslated" '
            'lang="fr" dir="ltr">(pas encore traduit)</span></p>') in tls
    # Who translated, and whether the panel reviewed it, on every page of the language.
    assert "Traduction : test fixture. Relecture : test fixture, not reviewed." in tls
    assert ("Textes de l'interface : brouillon assisté par machine ; "
            "pas encore relue par le panel d&#39;experts.") in tls


def test_an_english_page_has_no_marker() -> None:
    assert all("untranslated" not in html for path, html in pages().items() if path.endswith(".html"))


def _text(html: str) -> str:
    """The words a reader sees, with the spaces the browser would show."""
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def test_the_notice_of_an_entry_not_on_the_list_keeps_its_sentences_apart() -> None:
    """Once 'tenders.In 2023' ran together: the template ate the line break."""
    text = _text(pages()["standards/tls-1-0/index.html"])
    assert ("Deprecated: not on the list. Do not ask for it in new tenders. "
            "RFC 8996 deprecates TLS 1.0. Replaced by TLS.") in text


def test_an_entry_not_on_the_list_shows_its_status_not_its_former_tier() -> None:
    page = Page(pages()["standards/tls-1-0/index.html"])
    badges = [a["class"] for a in page.all("span") if "badge" in str(a.get("class"))]
    assert badges == ["badge status-deprecated"]
    assert "Priority" not in _text(pages()["standards/tls-1-0/index.html"])
    page = Page(pages()["standards/dnssec/index.html"])
    badges = [a["class"] for a in page.all("span") if "badge" in str(a.get("class"))]
    assert badges == ["badge tier-urgent", "badge status-accepted"]


def _description(html: str) -> str:
    return str(next(a["content"] for a in Page(html).all("meta") if a.get("name") == "description"))


def test_every_page_has_a_description_from_its_content_in_its_language() -> None:
    built = fixture_build()
    for path, html in pages().items():
        assert len(_description(html)) > 20, path
    dnssec = next(i for i in built.items if i.id == "dnssec")
    assert _description(pages()["standards/dnssec/index.html"]) == \
        f"DNSSEC: {dnssec.entry.summary}"
    hostile = _description(pages()[f"standards/{HOSTILE_ID}/index.html"])
    # Text, in one attribute value, on one line.
    assert hostile.startswith('@SUM(1+1) <img src=x onerror=alert("short")>: <script>')
    assert hostile.endswith("`code` # not a heading - not a list")
    website = next(a for a in built.annexes if a.product_type.id == "website")
    assert _description(pages()["annex/website/index.html"]) == \
        f"Tender annex for {website.product_type.title}: {website.product_type.description}"
    assert _description(pages()["index.html"]).startswith(
        "Which Internet security standards to require when you buy ICT products")
    french = pages(fixture_build("fr"))
    assert _description(french["standards/dnssec/index.html"]).startswith(
        "DNSSEC: Ajoute des signatures")
    assert _description(french["index.html"]).startswith("Les normes de sécurité Internet à exiger")


def test_the_home_page_starts_with_what_you_are_buying() -> None:
    built = fixture_build()
    html = pages()["index.html"]
    main = html.split('<main id="main"')[1]
    assert main.index('id="annexes"') < main.index('id="urgent"') < main.index('id="all"')
    tiles = [a["href"] for a in Page(main.split('id="urgent"')[0]).all("a")
             if a.get("class") == "tile"]
    assert tiles == [f"annex/{a.product_type.id}/index.html" for a in built.annexes]


def test_every_page_links_every_annex() -> None:
    built = fixture_build()
    for path, html in pages().items():
        footer = html.split('<footer class="site-footer">')[1]
        links = [posixpath.normpath(posixpath.join(posixpath.dirname(path), str(a["href"])))
                 for a in Page(footer.split("</nav>")[0]).all("a")]
        assert links == [f"annex/{a.product_type.id}/index.html" for a in built.annexes], path


def test_every_table_stacks_on_a_phone() -> None:
    """Each cell carries its column's heading, shown above it on a narrow screen."""
    for path, html in pages().items():
        page = Page(html)
        assert all(a.get("class", "") and "stack" in str(a["class"]) for a in page.all("table")), path
        assert all(a.get("data-label") for a in page.all("td")), path
