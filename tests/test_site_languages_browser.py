"""The site in every language, in Debian's chromium: a page in each language, the
language switcher, the Arabic urgent list laid out right to left, and axe-core.

The fixture registry is copied and given an Arabic catalog (the way a translator
starts one: 'is3c i18n update --add ar', then a PO editor) with the texts of DNSSEC
translated, so the Arabic page holds Arabic and English-with-a-marker side by side.
Set IS3C_SCREENSHOTS=<folder> to keep screenshots.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import SHOTS, axe_violations, launch, require_chromium, serve
from build_fixture import FIXTURE
from click.testing import CliRunner
from is3c import i18n
from is3c.cli import main

require_chromium()

from playwright.sync_api import Browser, Page

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
ARABIC = {
    "dnssec:title": "امتدادات أمن نظام أسماء النطاقات",
    "dnssec:summary": "يضيف توقيعات رقمية إلى نظام أسماء النطاقات حتى تتحقق الحواسيب من أن العنوان "
                      "هو الذي نشره مالكه.",
}



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("languages")
    root = base / "registry"
    shutil.copytree(FIXTURE, root)
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "update", "--registry", str(root), "--add", "ar"])
    assert result.exit_code == 0, result.output
    path = i18n.registry_catalog(root, "ar")
    catalog = i18n.read(path.read_bytes(), "ar")
    for message in catalog:
        if message.context in ARABIC:
            message.string = ARABIC[message.context]
    path.write_bytes(i18n.dump(catalog))
    out = base / "dist"
    result = runner.invoke(main, ["build", "--registry", str(root), "--out", str(out)], env=EPOCH)
    assert result.exit_code == 0, result.output
    assert "languages: en, ar, es, fr" in result.stdout
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def direction(page: Page, selector: str = "html") -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).direction"))


@pytest.mark.parametrize(("prefix", "language", "heading"), [
    ("", "en", "Security standards for ICT procurement"),
    ("fr/", "fr", "Normes de sécurité pour les achats de TIC"),
    ("es/", "es", "Normas de seguridad para la contratación de TIC"),
    ("ar/", "ar", "معايير الأمن لمشتريات تكنولوجيا المعلومات والاتصالات"),
])
def test_a_page_in_each_language(page: Page, server: str, prefix: str, language: str,
                                 heading: str) -> None:
    page.goto(server + prefix + "index.html")
    assert page.get_attribute("html", "lang") == language
    assert page.text_content("h1") == heading
    hreflangs = page.eval_on_selector_all("link[rel=alternate][hreflang]", "els => els.map(e => e.hreflang)")
    assert hreflangs == ["en", "ar", "es", "fr"]


def test_the_switcher_leads_to_the_same_page_in_another_language(page: Page, server: str) -> None:
    page.goto(server + "standards/dnssec/index.html")
    page.click("nav.languages >> text=Français")
    assert page.url == server + "fr/standards/dnssec/index.html"
    assert "Extensions de sécurité" in str(page.text_content("h1"))
    page.click("nav.languages >> text=Español")
    assert page.url == server + "es/standards/dnssec/index.html"
    page.click("nav.languages >> text=English")
    assert page.url == server + "standards/dnssec/index.html"
    assert page.get_attribute("html", "lang") == "en"


def test_the_arabic_urgent_list_reads_right_to_left(page: Page, server: str) -> None:
    page.goto(server + "ar/index.html#urgent")
    assert page.get_attribute("html", "dir") == "rtl"
    assert direction(page) == "rtl"
    assert direction(page, ".urgent-table") == "rtl"
    # The table starts at the right: its first column sits right of its last.
    first = page.eval_on_selector(".urgent-table th:first-child", "e => e.getBoundingClientRect().x")
    last = page.eval_on_selector(".urgent-table th:last-child", "e => e.getBoundingClientRect().x")
    assert first > last
    row = page.locator(".urgent-table tbody tr", has_text="DNSSEC")
    assert ARABIC["dnssec:title"] in str(row.text_content())
    # A text without an Arabic translation is English, left to right, and says so in Arabic.
    rpki = page.locator(".urgent-table tbody tr", has_text="RPKI").locator("td").first
    assert rpki.get_attribute("lang") == "en" and direction(page, ".urgent-table td[lang=en]") == "ltr"
    assert "(لم يُترجم بعد)" in str(rpki.text_content())
    # Identifiers stay left to right inside the Arabic page.
    assert page.eval_on_selector("bdi", "e => getComputedStyle(e).unicodeBidi") == "isolate"
    shot(page, "ar-urgent-list")


@pytest.mark.parametrize("path", ["ar/index.html", "ar/standards/dnssec/index.html",
                                  "fr/annex/email-service/index.html", "es/index.html"])
def test_no_accessibility_violations_in_any_language(page: Page, server: str, path: str) -> None:
    page.goto(server + path)
    violations = axe_violations(page)
    assert violations == [], violations
