"""The change pages, the data page and an entry's history in Debian's chromium, from
a build with real git history, in English and Arabic (right to left): axe-core finds
no accessibility problem, nothing overflows a phone's width, and 'Follow changes'
leads to a feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import SHOTS, axe_violations, launch, require_chromium, serve
from build_fixture import FIXTURE, RELEASE, fixture_registry
from test_changes import history_repo

from is3c.build import build
from is3c.changes import read
from is3c.i18n import registry_credits, registry_texts
from is3c.render import render_languages
from is3c.write import write_tree

require_chromium()

from playwright.sync_api import Browser

PAGES = ["changes/index.html", "changes/v2026.2/index.html", "changes/v2026.1/index.html",
         "data/index.html", "standards/dnssec/index.html"]
LANGUAGES = ("en", "ar")



@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    top = history_repo(tmp_path_factory.mktemp("history"))
    history = read(top / "registry")
    builds = [build(fixture_registry(), RELEASE, code, registry_texts(FIXTURE, code),
                    registry_credits(FIXTURE, code), LANGUAGES, history,
                    "https://example.org/is3c/")
              for code in LANGUAGES]
    out = top / "dist"
    write_tree(render_languages(builds, ("site", "api")), out)
    with serve(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


def _folder(language: str) -> str:
    return "" if language == "en" else f"{language}/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_no_accessibility_problems_and_no_overflow(browser: Browser, server: str, path: str,
                                                   language: str) -> None:
    for width, height in ((1280, 800), (360, 740)):
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        response = page.goto(server + _folder(language) + path)
        assert response is not None and response.ok
        if SHOTS:
            name = f"{language}-{path.replace('/', '_')}-{width}.png"
            page.screenshot(path=str(Path(SHOTS) / name), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert violations == [], violations
        assert errors == []
        page.close()


def test_follow_changes_leads_to_the_feed(browser: Browser, server: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "standards/dnssec/index.html")
    link = page.get_by_role("link", name="Follow changes")
    assert link.get_attribute("href") == "../../feeds/all.atom"
    feed = page.request.get(server + "feeds/all.atom")
    assert feed.ok and b"DNSSEC: Priority changed from Urgent to Recommended." in feed.body()
    history = page.locator("ol.history li").first.inner_text()
    assert history == "2026-05-04: Priority changed from Urgent to Recommended."
    page.close()
