"""Check that every web address in the registry still answers.

Buyers follow these links to the standards they cite in a tender, so a dead one
matters; but the sites are not ours, and their outages must never block a
contribution. That is why this runs weekly (.github/workflows/links.yml), reports,
and fails only when asked to (``is3c links --strict``).
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from is3c import __version__
from is3c.load import dotted
from is3c.model import URL_PATTERN, Entry

USER_AGENT = (
    f"is3c/{__version__} (link checker of the IS3C registry of security standards "
    "for ICT procurement; runs once a week)"
)
# Servers answer these when they are busy or briefly broken: worth asking again.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ERROR_CHARS = 200

_URL = re.compile(URL_PATTERN)


@dataclass(frozen=True)
class Place:
    """Where a link is written: the entry id and the field path inside it."""

    entry: str
    path: str


@dataclass(frozen=True)
class Link:
    url: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Settings:
    timeout: float = 15.0  # seconds per request
    workers: int = 8
    per_host: int = 2  # never more than this many requests at once to one site
    retries: int = 2  # extra attempts after a 429 or 5xx answer, or a time-out
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    max_wait: float = 30.0  # cap on a server's Retry-After
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class LinkCheck:
    """What one address answered, after redirects and retries."""

    link: Link
    status: int | None  # the last HTTP status, None when no answer came
    error: str = ""  # why the link counts as dead; empty when it is fine
    redirected_to: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return not self.error


# --- collecting ------------------------------------------------------------------


def _strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def collect_links(entries: Sequence[Entry]) -> list[Link]:
    """Every distinct address, with every place it is written, in entry order.

    A value counts as a link when the whole of it is an http(s) address, so a
    pull request URL given as ``review.proposal_ref`` is checked too.
    """
    places: dict[str, list[Place]] = {}
    for entry in entries:
        for path, text in _strings(entry.model_dump(exclude_none=True), ()):
            if _URL.fullmatch(text):
                places.setdefault(text, []).append(Place(entry.id, dotted(path)))
    return [Link(url, tuple(where)) for url, where in places.items()]


# --- checking --------------------------------------------------------------------


class _RedirectRefused(urllib.error.URLError):
    pass


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only (urllib would also follow ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise _RedirectRefused(_refused(newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _refused(target: str) -> str:
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    return f"redirects to a {scheme}: address" if scheme else "redirects to an unusable address"


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


@dataclass(frozen=True)
class _Answer:
    status: int | None
    final_url: str = ""
    error: str = ""
    timed_out: bool = False
    retry_after: float | None = None


def _safe(text: str) -> str:
    """Error text can quote a server, and addresses come from entries: one short line,
    escaped as every text from outside is (``findings.safe``)."""
    from is3c.findings import safe

    return safe(text, MAX_ERROR_CHARS)


# --- is there a network at all? ----------------------------------------------------


class NoNetwork(Exception):
    """No site could be reached at all: checking every link would only report each
    one as dead."""


# How many different sites to try before deciding there is no network.
PROBE_HOSTS = 3


def _route(url: str) -> tuple[str, int]:
    """Where a request for ``url`` connects first: the site, or the proxy the
    environment names for it (as urllib does)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        proxied = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        return proxied.hostname or "", proxied.port or 80
    return host, parts.port or (443 if parts.scheme == "https" else 80)


def require_network(links: Sequence[Link], settings: Settings) -> None:
    """Raise NoNetwork unless a connection to one of the first few sites (or their
    proxy) opens. One answer is enough: dead links are for ``check_links`` to find."""
    tried: list[tuple[str, int]] = []
    first_error = ""
    for link in links:
        route = _route(link.url)
        if route in tried:
            continue
        tried.append(route)
        try:
            socket.create_connection(route, timeout=min(settings.timeout, 10.0)).close()
            return
        except OSError as error:
            if not first_error:
                reason = error.strerror or type(error).__name__
                first_error = f"cannot reach {route[0]} ({reason})"
        if len(tried) >= PROBE_HOSTS:
            break
    if tried:
        raise NoNetwork(_safe(first_error))


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if value is not None and value.strip().isdigit():
        return float(value.strip())
    return None


def _quote(url: str) -> str:
    # Non-ASCII in a path would make http.client refuse the request outright.
    return urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _request(url: str, method: str, settings: Settings) -> _Answer:
    quoted = _quote(url)
    request = urllib.request.Request(
        quoted,
        method=method,
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
    )
    try:
        with _OPENER.open(request, timeout=settings.timeout) as response:
            if method == "GET":
                response.read(1024)
            return _Answer(response.status, response.geturl())
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:  # a redirect urllib would not follow, e.g. to file:
            target = error.headers.get("Location") if error.headers is not None else None
            refused = _refused(target) if target else f"{_describe(error.code)} without a Location"
            answer = _Answer(error.code, error=refused)
        else:
            answer = _Answer(error.code, error.geturl() or quoted,
                             retry_after=_retry_after(error.headers))
        error.close()
        return answer
    except _RedirectRefused as error:
        return _Answer(None, error=str(error.reason))
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return _Answer(None, error="timed out", timed_out=True)
        return _Answer(None, error=_safe(str(reason)))
    except TimeoutError:
        return _Answer(None, error="timed out", timed_out=True)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return _Answer(None, error=_safe(f"{type(error).__name__}: {error}".rstrip(": ")))


def _probe(url: str, settings: Settings) -> _Answer:
    """HEAD first, as it is cheapest; GET when a server mishandles HEAD."""
    answer = _request(url, "HEAD", settings)
    if answer.timed_out or answer.status == 429 or (answer.status is not None and answer.status < 400):
        return answer
    return _request(url, "GET", settings)


def _describe(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def check_link(link: Link, settings: Settings, sleep: Callable[[float], None] = time.sleep) -> LinkCheck:
    attempt = 1
    while True:
        answer = _probe(link.url, settings)
        transient = answer.timed_out or answer.status in RETRY_STATUSES
        if not transient or attempt > settings.retries:
            break
        delay = settings.backoff * 2 ** (attempt - 1)
        if answer.retry_after is not None:
            delay = min(answer.retry_after, settings.max_wait)
        sleep(delay)
        attempt += 1
    error = answer.error
    if not error and answer.status is not None and answer.status >= 400:
        error = _describe(answer.status)
    redirected = answer.final_url if answer.final_url not in ("", _quote(link.url)) else ""
    return LinkCheck(link, answer.status, error, redirected, attempt)


@dataclass
class _HostLimits:
    """One semaphore per site, so a registry full of RFCs does not hammer one server."""

    size: int
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _hosts: dict[str, threading.Semaphore] = field(default_factory=dict)

    def __call__(self, url: str) -> threading.Semaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(self.size))


def check_links(
    links: Sequence[Link], settings: Settings = Settings(), sleep: Callable[[float], None] = time.sleep
) -> list[LinkCheck]:
    """Check every link on a small thread pool; results come back in the order given."""
    limit = _HostLimits(settings.per_host)

    def one(link: Link) -> LinkCheck:
        with limit(link.url):
            return check_link(link, settings, sleep)

    if not links:
        return []
    with ThreadPoolExecutor(max_workers=min(settings.workers, len(links))) as pool:
        return list(pool.map(one, links))


# --- reporting -------------------------------------------------------------------


def _count(checks: Sequence[LinkCheck]) -> tuple[int, int]:
    return len(checks), sum(1 for c in checks if not c.ok)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(checks: Sequence[LinkCheck]) -> str:
    total, dead = _count(checks)
    if not dead:
        return f"{_plural(total, 'link')} checked: all answered."
    return f"{_plural(total, 'link')} checked: {dead} did not answer as expected."


def format_text(checks: Sequence[LinkCheck]) -> str:
    lines = []
    for check in checks:
        if check.ok:
            continue
        lines.append(f"{_safe(check.link.url)}: {check.error}")
        for place in check.link.places:
            lines.append(f"    {place.entry}: {place.path}")
    lines.append(summary_line(checks))
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _safe(text))


def format_markdown(checks: Sequence[LinkCheck]) -> str:
    """A report for a GitHub job summary: a table of the dead links, or a clean bill."""
    lines = ["## Link check", "", summary_line(checks), ""]
    dead = [c for c in checks if not c.ok]
    if dead:
        lines += ["| Link | Problem | Where |", "| --- | --- | --- |"]
        for check in dead:
            where = "<br>".join(f"{_md(p.entry)}: {_md(p.path)}" for p in check.link.places)
            lines.append(f"| {_md(check.link.url)} | {_md(check.error)} | {where} |")
        lines += [
            "",
            ("A site that refuses automated requests (often HTTP 403) may still work in a "
             "browser: open the link before changing the entry."),
            "",
        ]
    return "\n".join(lines)


def format_json(checks: Sequence[LinkCheck]) -> str:
    total, dead = _count(checks)
    payload = {
        "checked": total,
        "dead": dead,
        "links": [
            {
                "url": c.link.url,
                "ok": c.ok,
                "status": c.status,
                "error": c.error,
                "redirected_to": c.redirected_to,
                "attempts": c.attempts,
                "places": [{"entry": p.entry, "path": p.path} for p in c.link.places],
            }
            for c in checks
        ],
    }
    from is3c.findings import json_safe

    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[LinkCheck]], str]] = {
    "text": format_text,
    "markdown": format_markdown,
    "json": format_json,
}


# --- stale references: redirects to another document, replaced RFCs ---------------

# Only these fields name a document a tender relies on; elsewhere a redirect is harmless.
_DOCUMENT_FIELDS = re.compile(r"^(specifications|recognition)\[\d+\]\.url$")


def _same_document(first: str, second: str) -> bool:
    """True when two addresses differ only in ways that keep the document:
    http to https, a leading "www.", a default port, or a trailing slash."""

    def key(url: str) -> tuple[str, str, str]:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = parts.path.rstrip("/") or ""
        return host, path, parts.query

    return key(first) == key(_quote(second)) or key(_quote(first)) == key(second)


@dataclass(frozen=True)
class MovedDocument:
    """A specification or recognition address that now leads to another document."""

    url: str
    redirected_to: str
    places: tuple[Place, ...]


def moved_documents(checks: Sequence[LinkCheck]) -> list[MovedDocument]:
    moved = []
    for check in checks:
        if not check.ok or not check.redirected_to or _same_document(check.link.url, check.redirected_to):
            continue
        places = tuple(p for p in check.link.places if _DOCUMENT_FIELDS.match(p.path))
        if places:
            moved.append(MovedDocument(check.link.url, check.redirected_to, places))
    return moved


@dataclass(frozen=True)
class StaleReport:
    """What ``is3c links`` found beyond dead links; ``rfc_error`` when the index could
    not be read, ``rfc_checked`` False when it was not asked for."""

    moved: tuple[MovedDocument, ...] = ()
    stale_rfcs: tuple[Any, ...] = ()  # rfc_index.StaleRfc
    unknown_rfcs: tuple[Any, ...] = ()  # rfc_index.Citation
    rfc_checked: bool = False
    rfc_error: str = ""


def stale_report(entries: Sequence[Entry], checks: Sequence[LinkCheck], rfc_index_url: str | None,
                 settings: Settings = Settings()) -> StaleReport:
    """Redirected documents, and cited RFCs the RFC Editor's index marks as replaced."""
    from is3c import rfc_index

    moved = tuple(moved_documents(checks))
    if not rfc_index_url:
        return StaleReport(moved)
    try:
        index = rfc_index.fetch_index(rfc_index_url, settings.timeout * 4, settings.user_agent)
    except rfc_index.RfcIndexError as error:
        return StaleReport(moved, rfc_checked=True, rfc_error=_safe(str(error)))
    return StaleReport(moved, tuple(rfc_index.stale_rfcs(entries, index)),
                       tuple(rfc_index.unknown_rfcs(entries, index)), rfc_checked=True)


def _stale_lines(report: StaleReport) -> list[str]:
    from is3c import rfc_index

    lines = []
    for moved in report.moved:
        lines.append(f"{_safe(moved.url)}: redirects to another document, {_safe(moved.redirected_to)}")
        lines += [f"    {p.entry}: {p.path}" for p in moved.places]
    if report.rfc_error:
        lines.append(f"RFC index: {report.rfc_error}")
    for stale in report.stale_rfcs:
        lines.append(rfc_index.describe(stale))
    for citation in report.unknown_rfcs:
        lines.append(f"{citation.entry}: RFC {citation.rfc} is not in the RFC index ({citation.where})")
    if report.rfc_checked and not report.rfc_error:
        obsoleted = sum(1 for s in report.stale_rfcs if s.obsoleted)
        lines.append(f"RFC index read: {_plural(obsoleted, 'cited RFC')} obsoleted, "
                     f"{len(report.stale_rfcs) - obsoleted} updated, {len(report.unknown_rfcs)} unknown.")
    return lines


def format_stale(report: StaleReport, output_format: str) -> str:
    """The report's second part, printed after the dead links in the same format."""
    if output_format == "json":
        return json.dumps({
            "moved_documents": [
                {"url": m.url, "redirected_to": m.redirected_to,
                 "places": [{"entry": p.entry, "path": p.path} for p in m.places]}
                for m in report.moved
            ],
            "rfc_index": {
                "checked": report.rfc_checked,
                "error": report.rfc_error,
                "stale": [
                    {"entry": s.entry, "rfc": s.rfc, "where": list(s.where),
                     "obsoleted_by": list(s.obsoleted_by), "updated_by": list(s.updated_by),
                     "successor_cited": s.successor_cited}
                    for s in report.stale_rfcs
                ],
                "unknown": [{"entry": c.entry, "rfc": c.rfc, "where": c.where} for c in report.unknown_rfcs],
            },
        }, indent=2, ensure_ascii=False) + "\n"
    lines = _stale_lines(report)
    if not lines:
        return ""
    if output_format == "markdown":
        return "\n".join(["", "## Stale references", "", *(f"- {_md(line.strip())}" for line in lines), ""])
    return "\n".join(lines) + "\n"


def combined_json(checks: Sequence[LinkCheck], report: StaleReport) -> str:
    """One JSON document holding both parts, so tools read a single object."""
    payload = json.loads(format_json(checks))
    payload.update(json.loads(format_stale(report, "json")))
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
