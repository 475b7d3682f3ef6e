"""The built site in a real browser: Debian's chromium driven by Playwright.

Filters and search work, every download link resolves, text with script payloads
stays text, and axe-core finds no serious or critical accessibility problem.
Skipped only when chromium is not installed (.ci/run installs it). Playwright's
own browser downloads are never used: launch points at the system chromium.

Set IS3C_SCREENSHOTS=<folder> to keep screenshots of the pages, screen and print.
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import SHOTS, axe_violations, launch, require_chromium, serve
from build_fixture import HOSTILE_ID, fixture_build
from is3c.render import render_all
from is3c.render import site as render_site
from is3c.write import write_tree

require_chromium()

from playwright.sync_api import Browser, Page, expect

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "\"><svg onload=alert(3)>",
    "javascript:alert(4)",
]
INJECTED = "img, iframe, svg, object, embed, details, script:not([src])"



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "dist"
    write_tree(render_all(fixture_build()), out)
    # The process page as the real registry has it today: a panel with no member named.
    built = fixture_build()
    assert built.process is not None and built.process.panel is not None
    unnamed = replace(built, process=replace(
        built.process, panel=built.process.panel.model_copy(update={"members": []}), members=()))
    page = render_site.render(unnamed)[render_site.PROCESS_PAGE]
    (out / "process-unnamed").mkdir()
    (out / "process-unnamed" / "index.html").write_bytes(page)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site over HTTP on a loopback port of its own, for the length of this module."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launch() as launched:
        yield launched


class Watched:
    """A page with every dialog, page error and console error recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible_ids(self) -> list[str]:
        return list(self.page.eval_on_selector_all(
            "#standards [data-entry]:not([hidden])", "els => els.map(e => e.dataset.id)"))

    def status(self) -> str:
        return str(self.page.text_content("#filter-status"))

    def assert_inert(self) -> None:
        assert self.dialogs == []
        assert self.page.eval_on_selector_all(INJECTED, "els => els.length") == 0
        assert self.page.evaluate("typeof window.pwned") == "undefined"


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield Watched(context.new_page())
    context.close()


def shot(page: Page, name: str, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def expected(**match: str) -> list[str]:
    items = fixture_build().full.items
    if "category" in match:
        items = tuple(i for i in items if i.category.id == match["category"])
    if "product" in match:
        items = tuple(i for i in items if match["product"] in i.entry.applies_to)
    if "tier" in match:
        items = tuple(i for i in items if i.entry.priority.tier == match["tier"])
    return [i.id for i in items]


def test_filters_and_search(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + "index.html")
    assert page.is_visible("#filters")
    everything = expected()
    assert watched.visible_ids() == everything
    assert watched.status() == f"Showing all {len(everything)} standards."

    page.select_option("#filter-category", "dns")
    assert watched.visible_ids() == expected(category="dns") == ["dnssec"]
    page.select_option("#filter-category", "")
    page.select_option("#filter-product", "email-service")
    assert watched.visible_ids() == expected(product="email-service")
    page.select_option("#filter-tier", "urgent")
    assert watched.visible_ids() == ["dnssec", HOSTILE_ID]
    assert watched.status() == f"Showing 2 of {len(everything)} standards."
    # Sections with nothing left to show are hidden with their heading.
    assert page.is_hidden("#cat-routing") and page.is_visible("#cat-dns")

    page.click("#filter-reset")
    assert watched.visible_ids() == everything
    assert page.evaluate("document.activeElement.id") == "filter-search"
    page.fill("#filter-search", "ROUTE announced")
    assert watched.visible_ids() == ["rpki"]
    page.fill("#filter-search", "no such standard anywhere")
    assert watched.visible_ids() == []
    assert page.is_visible("#no-match")
    assert watched.status() == f"Showing 0 of {len(everything)} standards."
    shot(page, "index-no-match", full_page=False)
    page.click("#no-match-reset")
    assert watched.visible_ids() == everything and page.is_hidden("#no-match")
    assert watched.errors == []


def test_filters_are_kept_in_the_address_and_restored(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + "index.html")
    page.select_option("#filter-tier", "emerging")
    assert page.url.endswith("index.html?tier=emerging#all")
    page.goto(server + "index.html?q=signatures&category=dns&tier=nonsense")
    assert page.input_value("#filter-search") == "signatures"
    assert page.input_value("#filter-category") == "dns"
    assert page.input_value("#filter-tier") == ""  # an unknown value is ignored
    assert watched.visible_ids() == ["dnssec"]


def test_works_by_keyboard_alone(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("#filter-search")
    page.keyboard.type("dnssec")
    assert watched.visible_ids() == ["dnssec"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-category"
    page.keyboard.press("ArrowDown")  # a closed select changes value with the arrow keys
    assert page.input_value("#filter-category") != ""


def test_works_from_a_folder_without_a_server(watched: Watched, site: Path) -> None:
    page = watched.page
    page.goto((site / "index.html").as_uri())
    page.select_option("#filter-tier", "emerging")
    assert watched.visible_ids() == expected(tier="emerging")
    page.select_option("#filter-tier", "")
    # The search index is a script file of the site's own: it loads from a folder too.
    page.fill("#filter-search", "rfc4033")
    assert watched.visible_ids() == ["dnssec"]
    assert page.is_visible("#search-results")
    page.fill("#filter-search", "")
    page.click(f"a[href='standards/{HOSTILE_ID}/index.html'] >> nth=0")
    assert page.url.endswith(f"standards/{HOSTILE_ID}/index.html")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")
    assert watched.errors == []


def test_every_link_on_every_page_resolves(watched: Watched, server: str, site: Path) -> None:
    page = watched.page
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("index.html"))
    targets: set[str] = set()
    for path in pages:
        page.goto(server + path)
        hrefs = page.eval_on_selector_all(
            "a[href], link[href], script[src]", "els => els.map(e => e.href || e.src)")
        targets |= {h.split("#")[0] for h in hrefs if h.startswith(server)}
    assert len(targets) > 50
    for target in sorted(targets):
        response = page.request.get(target)
        assert response.status == 200, target
        assert response.body(), target
    assert watched.errors == []


def test_download_buttons_download_the_files(watched: Watched, server: str, site: Path) -> None:
    page = watched.page
    page.goto(server + "index.html")
    buttons = page.locator("a.button[download]")
    assert buttons.count() == 14  # two lists in seven formats
    for index in range(buttons.count()):
        if index and index % 7 == 0:
            # Chromium stops a page from starting more than ten downloads; a new
            # page for each list keeps the test within that.
            page.goto(server + "index.html")
        with page.expect_download() as info:
            buttons.nth(index).click()
        download = info.value
        href = buttons.nth(index).get_attribute("href")
        assert href is not None
        assert download.suggested_filename == href.rsplit("/", 1)[-1]
        assert Path(download.path()).read_bytes() == (site / href).read_bytes()


def test_annex_page_copy_clause_and_contents(browser: Browser, server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto(server + "annex/website/index.html")
        page.click('.toc a[href="#is3c-tls"]')
        assert page.url.endswith("#is3c-tls")
        button = page.locator("#is3c-dnssec button.copy-clause")
        assert button.is_visible()
        button.click()
        expect(page.locator("#is3c-dnssec .copy-status")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == (
            "IS3C-DNSSEC: The supplier MUST sign every domain name it hosts for the buyer with "
            "DNSSEC and keep the signatures valid for the whole contract term.")
        page.locator("#is3c-hostile-text button.copy-clause").click()
        expect(page.locator("#is3c-hostile-text .copy-status")).to_have_text("Copied")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith('IS3C-HOSTILE-TEXT: =HYPERLINK("https://evil.example") '
                                 "<details open><summary>x</summary></details>")
        watched.assert_inert()
        assert watched.errors == []
    finally:
        context.close()


def test_script_payloads_stay_text(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + f"standards/{HOSTILE_ID}/index.html")
    shot(page, "standard-hostile")
    watched.assert_inert()
    heading = page.text_content("h1") or ""
    assert '<script>alert("title")</script>' in heading
    assert '<img src=x onerror=alert("short")>' in heading
    for link in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        assert link.startswith(("http://", "https://")), link

    for path in ("index.html", "annex/website/index.html", "annex/email-service/index.html",
                 "process/index.html"):
        page.goto(server + path)
        watched.assert_inert()

    page.goto(server + "index.html")
    for payload in PAYLOADS:
        page.fill("#filter-search", payload)
        watched.assert_inert()
    from urllib.parse import quote

    for payload in PAYLOADS:
        page.goto(server + f"index.html?q={quote(payload)}&category={quote(payload)}#{quote(payload)}")
        assert page.input_value("#filter-search") == payload
        watched.assert_inert()
    assert watched.errors == []


def test_process_page_and_decision_history(watched: Watched, server: str) -> None:
    """From an entry's decision history to its decisions on "How this list is made"."""
    page = watched.page
    page.goto(server + "standards/rpki/index.html")
    history = page.locator("ol.decision-history li")
    assert history.all_text_contents() == [
        "2026-01-15: The fixture's first list: put on the list as Recommended. "
        "Provisional: the expert panel has yet to confirm it.",
        "2026-01-20: RPKI moves to the urgent list: priority set to Urgent. Rough consensus.",
    ]
    history.nth(1).locator("a").click()
    assert page.url.endswith("process/index.html#decision-2026-01-20-rpki-urgent")
    shot(page, "process")
    decisions = page.locator("article.decision h3").all_text_contents()
    assert decisions == ["2026-01-20: RPKI moves to the urgent list", "2026-01-15: The fixture's first list"]
    objection = page.locator("#decision-2026-01-20-rpki-urgent tbody tr").nth(1)
    assert objection.locator("td").all_text_contents() == [
        "Objection", 'Small networks may need help <script>alert("objection")</script> to sign.',
        "The clause asks only for address space the supplier holds."]
    regions = page.locator("table", has=page.locator("caption", has_text="by region"))
    assert regions.locator("tbody tr").all_inner_texts() == [
        "Africa\t1", "Americas\t1", "Asia\t1", "Europe\t1", "Oceania\t0"]
    page.click("text=How this list is made")
    assert page.url.endswith("process/index.html")
    watched.assert_inert()
    page.goto(server + "process-unnamed/index.html")
    assert "have not been named yet" in (page.text_content("#panel-heading + p") or "")
    assert page.locator("table", has=page.locator("caption", has_text="by region")).count() == 0
    assert watched.errors == []


AXE_PAGES = [
    "index.html",
    "standards/dnssec/index.html",
    f"standards/{HOSTILE_ID}/index.html",
    "standards/tls-1-0/index.html",
    "annex/email-service/index.html",
    "annex/software/index.html",
    "process/index.html",
    "process-unnamed/index.html",
    "standards/rpki/index.html",
    "changes/index.html",
    "data/index.html",
]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_problems(watched: Watched, server: str, path: str) -> None:
    """axe-core, the engine behind most accessibility checkers (vendored by the
    axe-playwright-python package, so it installs from PyPI with the tests)."""
    page = watched.page
    page.goto(server + path)
    assert watched.errors == []
    if path == "index.html":
        page.select_option("#filter-tier", "urgent")  # check the page with filters in use too
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    assert violations == [], violations  # none of lesser impact either, today


def test_prints_as_a_handout(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + "index.html")
    page.emulate_media(media="print")
    shot(page, "index-print", full_page=False)
    for selector in ("#filters", ".download-panel", ".skip-link"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none"
    page.goto(server + "standards/dnssec/index.html")
    after = page.eval_on_selector(
        "a.external", "e => getComputedStyle(e, '::after').content")
    assert after == '" (https://internet.nl/)"'  # the address printed after the link
    assert page.pdf(format="A4")[:5] == b"%PDF-"
    page.emulate_media(media="screen")
    shot(page, "standard-dnssec")
    page.goto(server + "annex/email-service/index.html")
    shot(page, "annex-email-service")
