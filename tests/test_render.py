"""render/__init__.py: the layout every format shares and the last check on links."""

from __future__ import annotations

import types

import pytest
from build_fixture import fixture_build
from is3c import render
from is3c.render import Files, render_all, web_url


@pytest.mark.parametrize("url", [
    "https://www.rfc-editor.org/rfc/rfc4033",
    "http://example.org",
    "https://example.org:8443/a?b=c#d",
])
def test_web_url_keeps_http_addresses(url: str) -> None:
    assert web_url(url) == url


@pytest.mark.parametrize("url", [
    None, "", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
    " https://example.org", "https://example.org\n", "https://exa mple.org",
    "//example.org", "/relative", "https://user@example.org/", "file:///etc/passwd",
    "https://ex\u0430mple.org/",
])
def test_web_url_refuses_everything_else(url: str | None) -> None:
    assert web_url(url) is None


def test_layout_of_a_build() -> None:
    built = fixture_build()
    files = render_all(built)
    downloads = {p for p in files if p.startswith("downloads/")}
    assert downloads == (
        {f"downloads/is3c-{n}-list.{e}" for n in ("urgent", "full")
         for e in ("json", "csv", "xlsx", "md", "docx", "odt", "pdf")}
        | {f"downloads/is3c-annex-{a.product_type.id}.{e}" for a in built.annexes
           for e in ("md", "csv", "xlsx", "docx", "odt", "pdf")}
        | {"downloads/is3c-list.schema.json"}
    )
    assert {"index.html", "assets/is3c.css", "assets/is3c.js", "assets/favicon.svg"} <= set(files)
    assert "SHA256SUMS" not in files  # the writer adds it, over everything


def test_a_subset_of_formats_links_only_its_downloads() -> None:
    files = render_all(fixture_build(), ["site", "docx"])
    assert {p.rsplit(".", 1)[-1] for p in files if p.startswith("downloads/")} == {"docx"}
    page = files["annex/website/index.html"].decode()
    assert "is3c-annex-website.docx" in page
    assert "is3c-annex-website.pdf" not in page and "is3c-annex-website.xlsx" not in page


def test_two_renderers_writing_one_path_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def render_clash(built: object) -> Files:
        files = Files()
        files.add("index.html", lambda: b"x")
        return files

    clash = types.SimpleNamespace(render=render_clash)
    real = render.importlib.import_module
    monkeypatch.setattr(render.importlib, "import_module",
                        lambda name: clash if name.endswith(".json") else real(name))
    with pytest.raises(RuntimeError, match="two renderers wrote index.html"):
        render_all(fixture_build())


def test_files_are_made_when_looked_up() -> None:
    made: list[str] = []

    def make(name: str) -> bytes:
        made.append(name)
        return name.encode()

    files = Files()
    files.add("b.txt", lambda: make("b"), weight=5)
    files.add("a.txt", lambda: make("a"))
    assert (list(files), len(files), made) == (["b.txt", "a.txt"], 2, [])
    assert (files["a.txt"], files.weight("b.txt"), files.weight("a.txt")) == (b"a", 5, 1)
    assert made == ["a"]
    assert dict(files) == {"a.txt": b"a", "b.txt": b"b"}


def test_an_empty_registry_builds_every_format() -> None:
    from build_fixture import RELEASE, fixture_registry
    from is3c.build import build
    from is3c.validate import Registry

    registry = fixture_registry()
    files = render_all(build(Registry(registry.categories, registry.product_types, ()), RELEASE))
    assert b"No standard is on the urgent list yet." in files["index.html"]
    assert b"No entries are on this list yet." in files["downloads/is3c-full-list.md"]
    assert b'"count": 0' in files["downloads/is3c-urgent-list.json"]
