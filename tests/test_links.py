"""The link checker, against a web server of our own on 127.0.0.1: never the Internet.

The server answers each path in a known way (fine, missing, busy, refusing HEAD,
redirecting, slow), counts the requests it gets, and is shut down after each test;
a timer shuts it down anyway if a test hangs.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import WriteEntry, entry_text

from is3c import links
from is3c.cli import main
from is3c.links import Link, LinkCheck, Place, Settings
from is3c.validate import validate

FAST = Settings(timeout=2.0, workers=4, retries=2, backoff=0.0, max_wait=0.0)
SERVER_LIFETIME = 60.0  # seconds; a safety net, tests finish long before


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[tuple[str, str]] = Counter()
        self.agents: set[str] = set()
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def named(self) -> str:
        """The same site by host name, as a registry entry must write it."""
        return f"http://localhost:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bool = True) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        payload = b"hello" if body else b""
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _answer(self, body: bool) -> None:
        site = self.server
        with site.lock:
            site.hits[(self.command, self.path)] += 1
            count = site.hits[(self.command, self.path)]
            site.agents.add(self.headers.get("User-Agent", ""))
            site.active += 1
            site.most_active = max(site.most_active, site.active)
        try:
            self._route(self.path, count, body)
        finally:
            with site.lock:
                site.active -= 1

    def _route(self, path: str, count: int, body: bool) -> None:
        if path == "/ok":
            self._send(200, body=body)
        elif path == "/missing":
            self._send(404, body=body)
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200, body=body)
        elif path == "/flaky":  # HEAD always fails here; GET recovers on the third try
            recovered = self.command == "GET" and count > 2
            self._send(200 if recovered else 503, body=body)
        elif path == "/busy":
            self._send(429, {"Retry-After": "0"}, body=body)
        elif path == "/moved":
            self._send(301, {"Location": "/ok"}, body=body)
        elif path == "/to-file":
            self._send(302, {"Location": "file:///etc/passwd"}, body=body)
        elif path == "/slow":
            time.sleep(1.0)
            self._send(200, body=body)
        elif path.startswith("/queue/"):
            time.sleep(0.2)
            self._send(200, body=body)
        else:
            self._send(404, body=body)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    guard = threading.Timer(SERVER_LIFETIME, server.shutdown)
    guard.daemon = True
    guard.start()
    try:
        yield server
    finally:
        guard.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def link(url: str) -> Link:
    return Link(url, (Place("example", "specifications[0].url"),))


def check(site: Site, path: str, settings: Settings = FAST) -> LinkCheck:
    return links.check_link(link(site.base + path), settings, sleep=lambda _: None)


# --- collecting ------------------------------------------------------------------


def test_collects_every_address_with_entry_and_field_path(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("b.yaml", entry_text("b", **{
        "  proposed_by: Test Suite": "  proposed_by: Test Suite\n"
        "  proposal_ref: https://github.com/example/registry/pull/7",
    }))
    write_entry("a.yaml", entry_text("a"))
    result = validate(registry)
    assert result.registry is not None, result.findings

    found = links.collect_links(result.registry.entries)

    assert found == [
        Link("https://www.rfc-editor.org/rfc/rfc1", (
            Place("a", "specifications[0].url"), Place("b", "specifications[0].url"))),
        Link("https://www.ietf.org/", (Place("a", "maintainer.url"), Place("b", "maintainer.url"))),
        Link("https://github.com/example/registry/pull/7", (Place("b", "review.proposal_ref"),)),
    ]


def test_text_that_merely_mentions_an_address_is_not_a_link(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", entry_text("a", **{
        "summary: A short plain-language summary.":
        "summary: See https://example.org/ for the details.",
    }))
    result = validate(registry)
    assert result.registry is not None, result.findings
    urls = [found.url for found in links.collect_links(result.registry.entries)]
    assert "https://example.org/" not in urls


# --- checking --------------------------------------------------------------------


def test_a_page_that_answers_is_fine_after_one_head_request(site: Site) -> None:
    result = check(site, "/ok")
    assert (result.ok, result.status, result.error, result.attempts) == (True, 200, "", 1)
    assert site.hits == Counter({("HEAD", "/ok"): 1})


def test_a_missing_page_is_dead_and_tried_with_get_too(site: Site) -> None:
    result = check(site, "/missing")
    assert (result.ok, result.status, result.error) == (False, 404, "HTTP 404 Not Found")
    assert site.hits == Counter({("HEAD", "/missing"): 1, ("GET", "/missing"): 1})


def test_a_site_that_refuses_head_is_asked_with_get(site: Site) -> None:
    result = check(site, "/no-head")
    assert (result.ok, result.status) == (True, 200)


def test_busy_answers_are_retried_until_the_site_recovers(site: Site) -> None:
    result = check(site, "/flaky")
    assert (result.ok, result.status, result.attempts) == (True, 200, 3)


def test_a_site_that_stays_busy_is_reported_after_the_retries(site: Site) -> None:
    waits: list[float] = []
    result = links.check_link(link(site.base + "/busy"), FAST, sleep=waits.append)
    assert (result.ok, result.status, result.attempts) == (False, 429, 3)
    assert result.error == "HTTP 429 Too Many Requests"
    assert waits == [0.0, 0.0]  # the server's Retry-After, capped by max_wait
    assert site.hits[("HEAD", "/busy")] == 3 and site.hits[("GET", "/busy")] == 0


def test_waits_grow_between_retries_without_retry_after(site: Site) -> None:
    waits: list[float] = []
    settings = Settings(timeout=2.0, retries=2, backoff=1.5)
    links.check_link(link(site.base + "/nothing-here"), settings, sleep=waits.append)
    assert waits == []  # a 404 is not worth asking again
    links.check_link(link(site.base + "/flaky"), settings, sleep=waits.append)
    assert waits == [1.5, 3.0]


def test_redirects_are_followed_and_reported(site: Site) -> None:
    result = check(site, "/moved")
    assert (result.ok, result.status, result.redirected_to) == (True, 200, site.base + "/ok")


def test_a_redirect_away_from_the_web_is_refused(site: Site) -> None:
    result = check(site, "/to-file")
    assert not result.ok
    assert result.error == "redirects to a file: address"


def test_a_slow_site_times_out(site: Site) -> None:
    result = check(site, "/slow", Settings(timeout=0.2, retries=1, backoff=0.0))
    assert (result.ok, result.status, result.error, result.attempts) == (False, None, "timed out", 2)


def test_a_closed_port_is_reported_without_retries() -> None:
    closed = Site()
    url = closed.base + "/ok"
    closed.server_close()  # the port was ours a moment ago and nothing listens now
    result = links.check_link(link(url), FAST, sleep=lambda _: None)
    assert (result.ok, result.status, result.attempts) == (False, None, 1)
    assert "refused" in result.error.lower()


def test_requests_say_who_is_asking(site: Site) -> None:
    check(site, "/ok")
    assert site.agents == {links.USER_AGENT}
    assert links.USER_AGENT.startswith("is3c/")


def test_each_address_is_asked_once_and_results_keep_their_order(site: Site) -> None:
    given = [link(site.base + path) for path in ("/missing", "/ok", "/no-head")]
    results = links.check_links(given, FAST, sleep=lambda _: None)
    assert [r.link for r in results] == given
    assert [r.ok for r in results] == [False, True, True]
    assert site.hits[("HEAD", "/ok")] == 1


def test_one_site_gets_at_most_two_requests_at_a_time(site: Site) -> None:
    given = [link(f"{site.base}/queue/{n}") for n in range(6)]
    results = links.check_links(given, Settings(timeout=2.0, workers=6), sleep=lambda _: None)
    assert all(r.ok for r in results)
    assert 1 <= site.most_active <= 2


# --- reporting -------------------------------------------------------------------


def _results() -> list[LinkCheck]:
    return [
        LinkCheck(Link("https://example.org/fine", (Place("a", "maintainer.url"),)), 200),
        LinkCheck(Link("https://example.org/a|b_(c)", (Place("a", "specifications[0].url"),
                                                       Place("b", "specifications[1].url"))),
                  404, "HTTP 404 Not Found"),
    ]


def test_text_report_lists_dead_links_and_where_they_are_written() -> None:
    assert links.format_text(_results()) == (
        "https://example.org/a|b_(c): HTTP 404 Not Found\n"
        "    a: specifications[0].url\n"
        "    b: specifications[1].url\n"
        "2 links checked: 1 did not answer as expected.\n"
    )


def test_markdown_report_escapes_table_and_link_syntax() -> None:
    report = links.format_markdown(_results())
    assert "| https://example.org/a\\|b\\_\\(c\\) | HTTP 404 Not Found | " \
           "a: specifications\\[0\\].url<br>b: specifications\\[1\\].url |" in report
    assert report.startswith("## Link check\n\n2 links checked: 1 did not answer as expected.\n")


def test_markdown_report_when_everything_answers() -> None:
    assert links.format_markdown(_results()[:1]) == "## Link check\n\n1 link checked: all answered.\n"


def test_json_report_holds_every_link() -> None:
    payload = json.loads(links.format_json(_results()))
    assert (payload["checked"], payload["dead"]) == (2, 1)
    assert payload["links"][1] == {
        "url": "https://example.org/a|b_(c)", "ok": False, "status": 404,
        "error": "HTTP 404 Not Found", "redirected_to": "", "attempts": 1,
        "places": [{"entry": "a", "path": "specifications[0].url"},
                   {"entry": "b", "path": "specifications[1].url"}],
    }


def test_error_text_from_a_server_stays_on_one_printable_line() -> None:
    assert links._safe("bad\nline\x1b[31m é") == "bad\\nline\\x1b[31m é"


# --- the command -----------------------------------------------------------------


def _entry_linking_to(site: Site, path: str) -> str:
    return entry_text("x", **{
        "url: https://www.rfc-editor.org/rfc/rfc1": f"url: {site.named}{path}",
        "url: https://www.ietf.org/": f"url: {site.named}/ok",
    })


def test_command_reports_dead_links_and_still_exits_0(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", _entry_linking_to(site, "/missing"))
    result = CliRunner().invoke(main, ["links", "--timeout", "2"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{site.named}/missing: HTTP 404 Not Found\n"
        "    x: specifications[0].url\n"
        "2 links checked: 1 did not answer as expected.\n"
    )


def test_command_with_strict_exits_1_on_a_dead_link(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", _entry_linking_to(site, "/missing"))
    assert CliRunner().invoke(main, ["links", "--strict", "--timeout", "2"]).exit_code == 1


def test_command_with_strict_exits_0_when_all_answer(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", _entry_linking_to(site, "/moved"))
    result = CliRunner().invoke(main, ["links", "--strict", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["dead"] == 0


def test_command_markdown_is_a_job_summary(site: Site, registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", _entry_linking_to(site, "/ok"))
    result = CliRunner().invoke(main, ["links", "--format", "markdown"])
    assert (result.exit_code, result.output) == (0, "## Link check\n\n1 link checked: all answered.\n")


def test_command_checks_nothing_while_the_registry_has_errors(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("y"))
    result = CliRunner().invoke(main, ["links"])
    assert result.exit_code == 1
    assert "IS3C301" in result.output


def test_command_without_a_network_says_so_in_one_line(
    registry: Path, write_entry: WriteEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(links.socket, "create_connection", no_network)
    monkeypatch.setattr(links, "_request", lambda *a: pytest.fail("no link may be asked for"))
    write_entry("x.yaml", entry_text("x"))
    result = CliRunner().invoke(main, ["links"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "is3c links: no network: cannot reach www.rfc-editor.org (Temporary failure in name "
        "resolution); no link was checked\n"
    )


def test_the_network_probe_goes_through_the_proxy_when_one_is_set(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert links._route("https://www.ietf.org/") == ("proxy.example", 3128)
    monkeypatch.delenv("https_proxy")
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    assert links._route("https://www.ietf.org/x") == ("www.ietf.org", 443)
