"""Finding things on the real registry's site, in Debian's chromium, as an officer would.

The whole registry (registry/) is built as a site in every language: the tiles of
"What are you buying?" are on the first screen of a laptop and of a phone, the
search finds DMARC by the words an officer types (a threat it stops, either spelling
of e-mail, the number of the RFC an old tender cites), nothing is wider than a
360-pixel phone, the list stays whole without JavaScript, and axe-core finds no
problem on the home, entry and annex pages in English and Arabic.
Set IS3C_SCREENSHOTS=<folder> to keep screenshots.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import SHOTS, axe_violations, launch, require_chromium, serve
from click.testing import CliRunner
from conftest import REPO
from is3c.cli import main

require_chromium()

from playwright.sync_api import Browser, Page

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
PRODUCT_TYPES = 9  # registry/product-types.yaml
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registry-site") / "dist"
    result = CliRunner().invoke(main, ["build", "--registry", str(REPO / "registry"),
                                       "--out", str(out), "--formats", "site"], env=EPOCH)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


def open_page(browser: Browser, viewport: dict[str, int], javascript: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, LAPTOP)
    yield page
    page.context.close()
    assert page.errors == []  # type: ignore[attr-defined]


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def found(page: Page, query: str) -> list[str]:
    page.fill("#filter-search", query)
    return list(page.eval_on_selector_all(
        "#standards [data-entry]:not([hidden])", "els => els.map(e => e.dataset.id)"))


@pytest.mark.parametrize(("viewport", "prefix"), [
    (LAPTOP, ""), (PHONE, ""), (PHONE, "ar/"), (PHONE, "fr/"), (PHONE, "es/"),
])
def test_what_are_you_buying_is_on_the_first_screen(browser: Browser, server: str,
                                                    viewport: dict[str, int], prefix: str) -> None:
    page = open_page(browser, viewport)
    try:
        page.goto(server + prefix + "index.html")
        tiles = page.locator("#annexes .tiles a.tile")
        assert tiles.count() == PRODUCT_TYPES
        # The section comes before the urgent list and everything else on the page.
        order = page.eval_on_selector_all(
            "main > h1, main > section", "els => els.map(e => e.id || e.tagName)")
        assert order[:3] == ["H1", "annexes", "urgent"] or order[:4] == [
            "H1", "annexes", "translation", "urgent"]
        for index in range(PRODUCT_TYPES):
            box = tiles.nth(index).bounding_box()
            assert box is not None
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (index, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (index, box)
        shot(page, f"home-{prefix.strip('/') or 'en'}-{viewport['width']}")
        tiles.first.click()
        assert page.url == server + prefix + "annex/website/index.html"
        assert page.locator("h1").count() == 1
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def test_every_annex_is_one_click_from_every_page_type(laptop: Page, server: str) -> None:
    for path in ("index.html", "standards/dnssec/index.html", "annex/software/index.html"):
        laptop.goto(server + path)
        links = laptop.locator("nav.annex-nav a")
        assert links.count() == PRODUCT_TYPES
    links.filter(has_text="E-mail service").click()
    assert laptop.url == server + "annex/email-service/index.html"


@pytest.mark.parametrize("query", [
    "phishing", "email", "e-mail", "E-Mail", "7489", "RFC 7489", "rfc7489", "RFC 9989",
    "IS3C-DMARC", "dmarc", "DMARC reject",
])
def test_search_finds_dmarc(laptop: Page, server: str, query: str) -> None:
    laptop.goto(server + "index.html")
    assert query and "dmarc" in found(laptop, query)


def test_search_ranks_names_first_and_folds_spellings(laptop: Page, server: str) -> None:
    laptop.goto(server + "index.html")
    assert found(laptop, "dmarc")[0] == "dmarc"
    assert len(found(laptop, "DNSSEC")) > 3
    # Every entry whose name holds the word comes before any that only mentions it.
    names = laptop.eval_on_selector_all(
        "#search-results [data-entry] h3", "els => els.map(e => e.textContent.toLowerCase())")
    with_name = [("dnssec" in name) for name in names]
    assert with_name == sorted(with_name, reverse=True) and with_name[0]
    assert found(laptop, "e-mail") == found(laptop, "email") == found(laptop, "EMAIL")
    wifi = found(laptop, "wifi")
    assert wifi and wifi == found(laptop, "Wi-Fi") and "wpa-enterprise" in wifi
    status = str(laptop.text_content("#filter-status"))
    assert status.startswith(f"Entries found: {len(wifi)}.")
    # A result leads to the entry's page.
    found(laptop, "phishing")
    laptop.click("#search-results a[href='standards/dmarc/index.html']")
    assert laptop.url == server + "standards/dmarc/index.html"


def test_search_finds_deprecated_entries_with_their_status(laptop: Page, server: str) -> None:
    laptop.goto(server + "index.html")
    assert "ocsp-stapling" in found(laptop, "OCSP")
    badge = laptop.locator("#search-results [data-id='ocsp-stapling'] .badge")
    assert badge.text_content() == "Deprecated"
    assert "status-deprecated" in str(badge.get_attribute("class"))


def test_search_in_the_page_language(laptop: Page, server: str) -> None:
    laptop.goto(server + "fr/index.html")
    accents = found(laptop, "sécurité")
    assert accents and accents == found(laptop, "SECURITE")
    assert "dmarc" in found(laptop, "hameçonnage")  # phishing, in the French texts
    assert "dmarc" in found(laptop, "courriel")
    laptop.goto(server + "ar/index.html")
    assert "dmarc" in found(laptop, "7489")
    assert "dmarc" in found(laptop, "التصيد")  # phishing, in the Arabic texts


def test_search_keeps_to_the_filters_and_the_address(laptop: Page, server: str) -> None:
    laptop.goto(server + "index.html?q=e-mail&tier=urgent")
    assert laptop.input_value("#filter-search") == "e-mail"
    results = laptop.eval_on_selector_all(
        "#standards [data-entry]:not([hidden])", "els => els.map(e => e.dataset.id)")
    assert "dmarc" in results
    tiers = laptop.eval_on_selector_all(
        "#search-results .badge", "els => els.map(e => e.className)")
    assert tiers and all(t == "badge tier-urgent" for t in tiers)
    laptop.select_option("#filter-category", "email")
    assert laptop.url.endswith("index.html?q=e-mail&category=email&tier=urgent#all")
    laptop.click("#filter-reset")
    assert laptop.is_hidden("#search-results")
    assert laptop.locator("#standards [data-entry]:not([hidden])").count() > 40


def test_without_javascript_the_whole_list_is_there(browser: Browser, server: str) -> None:
    page = open_page(browser, PHONE, javascript=False)
    try:
        page.goto(server + "index.html")
        assert page.is_hidden("#filters")
        assert page.locator("#search-results").count() == 0
        entries = page.locator("#standards [data-entry]")
        assert entries.count() > 40
        assert all(entries.nth(i).is_visible() for i in range(0, entries.count(), 10))
        assert page.locator("#annexes a.tile").count() == PRODUCT_TYPES
    finally:
        page.context.close()


PAGES = ["index.html", "standards/dmarc/index.html", "standards/ocsp-stapling/index.html",
         "annex/email-service/index.html"]


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_nothing_is_wider_than_a_small_phone(browser: Browser, server: str, prefix: str) -> None:
    page = open_page(browser, SMALL_PHONE)
    try:
        for path in PAGES:
            page.goto(server + prefix + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= SMALL_PHONE["width"], (path, width)
        # The urgent table reads as one card per row, each cell under its heading.
        page.goto(server + prefix + "index.html#urgent")
        cell = page.locator(".urgent-table tbody td").first
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        label = cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label") != ""
        box = page.locator(".urgent-table").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]
        shot(page, f"urgent-{prefix.strip('/') or 'en'}-360")
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


@pytest.mark.parametrize("path", [prefix + page for prefix in ("", "ar/")
                                  for page in ("index.html", "standards/dmarc/index.html",
                                               "annex/email-service/index.html")])
@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_no_accessibility_violations(browser: Browser, server: str, path: str,
                                     viewport: dict[str, int]) -> None:
    page = open_page(browser, viewport)
    try:
        page.goto(server + path)
        if page.locator("#filter-search").count():
            page.fill("#filter-search", "7489")  # the home page with search results shown
        violations = axe_violations(page)
        assert violations == [], violations
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()
