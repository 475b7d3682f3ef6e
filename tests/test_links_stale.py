"""Stale references: RFCs the RFC Editor's index marks as replaced, and document
addresses that now redirect elsewhere. Served by a real HTTP server on 127.0.0.1
that hands out a small rfc-index.xml, as the RFC Editor's site would."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import WriteEntry, entry_text

from is3c import rfc_index
from is3c.cli import main
from is3c.validate import validate

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<rfc-index xmlns="https://www.rfc-editor.org/rfc-index"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <bcp-entry><doc-id>BCP0014</doc-id><is-also><doc-id>RFC2119</doc-id></is-also></bcp-entry>
  <rfc-entry>
    <doc-id>RFC0001</doc-id>
    <title>Host Software</title>
    <current-status>UNKNOWN</current-status>
  </rfc-entry>
  <rfc-entry>
    <doc-id>RFC4033</doc-id>
    <title>DNS Security Introduction and Requirements</title>
    <obsoletes><doc-id>RFC2535</doc-id></obsoletes>
    <updated-by><doc-id>RFC6014</doc-id><doc-id>RFC6840</doc-id></updated-by>
    <current-status>PROPOSED STANDARD</current-status>
  </rfc-entry>
  <rfc-entry>
    <doc-id>RFC7489</doc-id>
    <title>Domain-based Message Authentication, Reporting, and Conformance (DMARC)</title>
    <obsoleted-by><doc-id>RFC9989</doc-id><doc-id>RFC9990</doc-id></obsoleted-by>
    <current-status>INFORMATIONAL</current-status>
  </rfc-entry>
  <rfc-entry>
    <doc-id>RFC8624</doc-id>
    <title>Algorithm Implementation Requirements and Usage Guidance for DNSSEC</title>
    <obsoleted-by><doc-id>RFC9904</doc-id></obsoleted-by>
    <current-status>PROPOSED STANDARD</current-status>
  </rfc-entry>
  <rfc-entry>
    <doc-id>RFC9989</doc-id>
    <title>DMARC</title>
    <obsoletes><doc-id>RFC7489</doc-id></obsoletes>
    <current-status>PROPOSED STANDARD</current-status>
  </rfc-entry>
  <rfc-entry><doc-id>RFC9990</doc-id><current-status>PROPOSED STANDARD</current-status></rfc-entry>
</rfc-index>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rfc-index [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rfc-index><rfc-entry><doc-id>RFC0001</doc-id><title>&b;</title></rfc-entry></rfc-index>
"""


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://localhost:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/rfc-index.xml": (200, {"Content-Type": "application/xml"}, INDEX),
            "/bomb.xml": (200, {"Content-Type": "application/xml"}, BOMB),
            "/not-xml": (200, {"Content-Type": "text/html"}, b"<html><p>moved</html"),
            "/doc": (200, {}, b"document"),
            "/page/": (200, {}, b"document"),
            "/other": (200, {}, b"another document"),
            "/moved-away": (301, {"Location": "/other"}, b""),
            "/page": (301, {"Location": "/page/"}, b""),  # the same document
        }
        status, headers, payload = routes.get(self.path, (404, {}, b"missing"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body and payload:
            self.wfile.write(payload)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _entry(site: Site, entry_id: str, spec_id: str, spec_path: str = "/doc", clause: str = "") -> str:
    replace = {
        "  - id: RFC 0001": f"  - id: {spec_id}",
        "url: https://www.rfc-editor.org/rfc/rfc1": f"url: {site.base}{spec_path}",
        "url: https://www.ietf.org/": f"url: {site.base}/doc",
    }
    text = entry_text(entry_id, **replace)
    if clause:
        text = text.replace("applies_to:\n  - website\n", (
            "applies_to:\n  - website\nprocurement:\n  requirement: must\n"
            # The clause must pass the content rules (IS3C401) for the links command to run.
            f"  tender_clause: {clause} This applies for the whole contract term.\n"
            "  evidence:\n    - A test report.\n"), 1)
    return text


# --- reading the index -----------------------------------------------------------


def test_the_index_gives_each_rfc_its_successors() -> None:
    index = rfc_index.parse_index(INDEX)
    assert index[7489].obsoleted_by == ("RFC9989", "RFC9990")
    assert index[4033].updated_by == ("RFC6014", "RFC6840")
    assert index[4033].obsoleted_by == ()  # <obsoletes> is the other direction
    assert index[4033].status == "PROPOSED STANDARD"
    assert 2119 not in index  # named only inside a BCP entry


def test_an_index_with_a_dtd_is_refused_before_any_entity_expands() -> None:
    with pytest.raises(rfc_index.RfcIndexError, match="document type declaration"):
        rfc_index.parse_index(BOMB)


def test_something_else_than_an_index_is_refused() -> None:
    with pytest.raises(rfc_index.RfcIndexError, match="not well-formed"):
        rfc_index.parse_index(b"<rfc-index><p>moved</rfc-index")
    with pytest.raises(rfc_index.RfcIndexError, match="starts with <html>"):
        rfc_index.parse_index(b"<html/>")


def test_citations_are_found_in_lists_as_people_write_them() -> None:
    assert rfc_index.cited_numbers("DNSSEC (RFC 4033, 4034 and 4035); RFC8624 and RFCs 9989 or 9990") == [
        4033, 4034, 4035, 8624, 9989, 9990]
    assert rfc_index.cited_numbers("at least 2048 bits, RFC 7489 for 2 years") == [7489]


# --- the command against a served index -------------------------------------------


def test_command_names_entry_rfc_and_successor(site: Site, registry: Path, write_entry: WriteEntry) -> None:
    write_entry("dmarc-x.yaml", _entry(site, "dmarc-x", "RFC 7489"))
    write_entry("dnssec-x.yaml", _entry(
        site, "dnssec-x", "RFC 4033", clause="Signing MUST use an algorithm RFC 8624 recommends."))
    result = CliRunner().invoke(main, ["links", "--timeout", "2", "--rfc-index", f"{site.base}/rfc-index.xml"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "1 link checked: all answered.\n"
        "dmarc-x: RFC 7489 is obsoleted by RFC 9989, RFC 9990\n"
        "dnssec-x: RFC 4033 is updated by RFC 6014, RFC 6840\n"
        "dnssec-x: RFC 8624 is obsoleted by RFC 9904\n"
        "RFC index read: 2 cited RFCs obsoleted, 1 updated, 0 unknown.\n"
    )


def test_an_entry_that_already_cites_the_successor_says_so(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("d.yaml", _entry(site, "d", "RFC 7489", clause="Publish DMARC (RFC 9989 and 9990)."))
    result = CliRunner().invoke(main, ["links", "--format", "json", "--rfc-index", f"{site.base}/rfc-index.xml"])
    assert result.exit_code == 0, result.output
    stale = json.loads(result.output)["rfc_index"]["stale"]
    assert stale == [{"entry": "d", "rfc": 7489, "where": ["specifications"],
                      "obsoleted_by": ["RFC9989", "RFC9990"], "updated_by": [], "successor_cited": True}]


def test_an_rfc_missing_from_the_index_is_reported_as_unknown(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("t.yaml", _entry(site, "t", "RFC 99999"))
    result = CliRunner().invoke(main, ["links", "--rfc-index", f"{site.base}/rfc-index.xml"])
    assert "t: RFC 99999 is not in the RFC index (specifications)\n" in result.output


def test_an_unreadable_index_is_one_line_and_no_traceback(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("d.yaml", _entry(site, "d", "RFC 7489"))
    for path, message in (
        ("/missing.xml", "could not read the RFC index at {base}/missing.xml: HTTP 404"),
        ("/bomb.xml", "the RFC index has a document type declaration; refused"),
    ):
        result = CliRunner().invoke(main, ["links", "--rfc-index", f"{site.base}{path}"])
        assert result.exit_code == 0
        assert f"RFC index: {message.format(base=site.base)}" in result.output
        assert "Traceback" not in result.output


def test_without_the_option_the_index_is_not_read(site: Site, registry: Path, write_entry: WriteEntry) -> None:
    write_entry("d.yaml", _entry(site, "d", "RFC 7489"))
    result = CliRunner().invoke(main, ["links", "--format", "json"])
    assert json.loads(result.output)["rfc_index"] == {"checked": False, "error": "", "stale": [], "unknown": []}


# --- redirects to another document --------------------------------------------------


def test_a_specification_redirected_to_another_document_is_reported(
    site: Site, registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("m.yaml", _entry(site, "m", "RFC 0001", spec_path="/moved-away"))
    write_entry("s.yaml", _entry(site, "s", "RFC 0001", spec_path="/page"))
    result = CliRunner().invoke(main, ["links", "--timeout", "2"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "3 links checked: all answered.\n"
        f"{site.base}/moved-away: redirects to another document, {site.base}/other\n"
        "    m: specifications[0].url\n"
    )


def test_redirect_report_in_markdown_and_json(site: Site, registry: Path, write_entry: WriteEntry) -> None:
    write_entry("m.yaml", _entry(site, "m", "RFC 0001", spec_path="/moved-away"))
    markdown = CliRunner().invoke(main, ["links", "--format", "markdown"]).output
    assert "\n## Stale references\n\n" in markdown
    assert "redirects to another document" in markdown
    payload = json.loads(CliRunner().invoke(main, ["links", "--format", "json"]).output)
    assert payload["moved_documents"] == [{
        "url": f"{site.base}/moved-away", "redirected_to": f"{site.base}/other",
        "places": [{"entry": "m", "path": "specifications[0].url"}],
    }]
    assert payload["dead"] == 0


def test_only_document_addresses_count_and_trivial_moves_are_ignored() -> None:
    from is3c.links import Link, LinkCheck, Place, moved_documents

    def moved(url: str, to: str, *paths: str) -> LinkCheck:
        return LinkCheck(Link(url, tuple(Place("e", p) for p in paths)), 200, "", to)

    checks = [
        moved("https://example.org/act", "https://example.org/other-act", "recognition[1].url"),
        moved("https://example.org/home", "https://example.org/elsewhere", "maintainer.url"),
        moved("http://example.org/rfc", "https://www.example.org/rfc/", "specifications[0].url"),
    ]
    assert [(m.url, [p.path for p in m.places]) for m in moved_documents(checks)] == [
        ("https://example.org/act", ["recognition[1].url"])]
