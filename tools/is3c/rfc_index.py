"""Which RFCs the registry cites, and which of them the RFC Editor has since replaced.

A tender that cites an obsoleted RFC asks bidders for yesterday's protocol. The RFC
Editor publishes its whole catalogue as one XML file (``rfc-index.xml``); this
module reads it with the standard library's expat parser, refuses any document
type declaration (so no entity can expand, local or remote), and compares it with
every RFC number written in an entry's specification ids and tender clause.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.parsers.expat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from is3c.model import Entry

RFC_INDEX_URL = "https://www.rfc-editor.org/rfc-index.xml"
MAX_INDEX_BYTES = 64 * 1024 * 1024  # the real index is about 15 MB

# "RFC 4033", "RFC4033", "RFCs 4033, 4034 and 4035", "RFC 9989; RFC 7489".
_CITATION = re.compile(r"\bRFCs?\s?(\d{1,5})((?:\s*(?:,|and|or|&)\s*\d{3,5}\b)*)")
_NUMBER = re.compile(r"\d{1,5}")


class RfcIndexError(Exception):
    """The index could not be fetched or is not an RFC index: one line for the user."""


@dataclass(frozen=True)
class RfcRecord:
    number: int
    status: str = ""
    obsoleted_by: tuple[str, ...] = ()  # doc ids as the index writes them: "RFC9989"
    updated_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    entry: str
    rfc: int
    where: str  # "specifications" or "procurement.tender_clause"


@dataclass(frozen=True)
class StaleRfc:
    """A cited RFC that the index marks as obsoleted or updated."""

    entry: str
    rfc: int
    where: tuple[str, ...]
    obsoleted_by: tuple[str, ...]
    updated_by: tuple[str, ...]
    successor_cited: bool  # the entry already cites every RFC that obsoletes this one

    @property
    def obsoleted(self) -> bool:
        return bool(self.obsoleted_by)


# --- reading the index -----------------------------------------------------------


def _refuse_dtd(*_: object) -> None:
    raise RfcIndexError("the RFC index has a document type declaration; refused, as it could expand entities")


@dataclass
class _Reader:
    records: dict[int, RfcRecord] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    current: dict[str, object] | None = None
    root_seen: bool = False

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]  # namespace-separated names end with the local part
        if not self.path:
            if local != "rfc-index":
                raise RfcIndexError(f"not an RFC index: the document starts with <{local}>")
            self.root_seen = True
        self.path.append(local)
        self.text = []
        if self.path == ["rfc-index", "rfc-entry"]:
            self.current = {"doc": "", "status": "", "obsoleted-by": [], "updated-by": []}

    def end(self, _name: str) -> None:
        text = "".join(self.text).strip()
        self.text = []
        entry = self.current
        if entry is not None and len(self.path) >= 3:
            parent, local = self.path[-2], self.path[-1]
            if self.path == ["rfc-index", "rfc-entry", "doc-id"]:
                entry["doc"] = text
            elif self.path == ["rfc-index", "rfc-entry", "current-status"]:
                entry["status"] = text
            elif local == "doc-id" and parent in ("obsoleted-by", "updated-by") and len(self.path) == 4:
                target = entry[parent]
                assert isinstance(target, list)
                target.append(text)
        if self.path == ["rfc-index", "rfc-entry"] and entry is not None:
            self._keep(entry)
            self.current = None
        self.path.pop()

    def _keep(self, entry: dict[str, object]) -> None:
        doc = str(entry["doc"])
        if not re.fullmatch(r"RFC\d{1,5}", doc):
            return
        number = int(doc[3:])
        self.records[number] = RfcRecord(
            number,
            str(entry["status"]),
            tuple(entry["obsoleted-by"]),  # type: ignore[arg-type]
            tuple(entry["updated-by"]),  # type: ignore[arg-type]
        )

    def data(self, text: str) -> None:
        self.text.append(text)


def parse_index(data: bytes) -> dict[int, RfcRecord]:
    """RFC number -> its record, from the bytes of ``rfc-index.xml``."""
    reader = _Reader()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = lambda *_: 0  # never fetch anything
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise RfcIndexError(f"the RFC index is not well-formed XML: {error}") from None
    if not reader.root_seen:
        raise RfcIndexError("the RFC index is empty")
    return reader.records


def fetch_index(url: str, timeout: float, user_agent: str) -> dict[int, RfcRecord]:
    """Download and parse the index; any failure becomes one RfcIndexError line."""
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_INDEX_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        raise RfcIndexError(f"could not read the RFC index at {url}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise RfcIndexError(f"could not read the RFC index at {url}: {reason}") from None
    if len(data) > MAX_INDEX_BYTES:
        raise RfcIndexError(f"the RFC index at {url} is larger than {MAX_INDEX_BYTES} bytes; refused")
    return parse_index(data)


# --- what the registry cites -----------------------------------------------------


def cited_numbers(text: str) -> list[int]:
    """RFC numbers written in a text, in order, each once."""
    found: list[int] = []
    for match in _CITATION.finditer(text):
        for number in [match.group(1), *_NUMBER.findall(match.group(2))]:
            if int(number) not in found:
                found.append(int(number))
    return found


def citations(entries: Iterable[Entry]) -> list[Citation]:
    """Every RFC an entry cites in its specification ids or its tender clause."""
    found: list[Citation] = []
    for entry in entries:
        for spec in entry.specifications:
            found += [Citation(entry.id, n, "specifications") for n in cited_numbers(spec.id)]
        if entry.procurement is not None:
            found += [Citation(entry.id, n, "procurement.tender_clause")
                      for n in cited_numbers(entry.procurement.tender_clause)]
    return found


def stale_rfcs(entries: Sequence[Entry], index: dict[int, RfcRecord]) -> list[StaleRfc]:
    """Cited RFCs that are obsoleted or updated, one line per entry and RFC, in entry order."""
    by_key: dict[tuple[str, int], list[str]] = {}
    for citation in citations(entries):
        places = by_key.setdefault((citation.entry, citation.rfc), [])
        if citation.where not in places:
            places.append(citation.where)
    cited_by_entry: dict[str, set[int]] = {}
    for entry_id, number in by_key:
        cited_by_entry.setdefault(entry_id, set()).add(number)
    stale: list[StaleRfc] = []
    for (entry_id, number), places in by_key.items():
        record = index.get(number)
        if record is None or not (record.obsoleted_by or record.updated_by):
            continue
        successors = {int(doc[3:]) for doc in record.obsoleted_by if doc.startswith("RFC")}
        stale.append(StaleRfc(
            entry_id, number, tuple(places), record.obsoleted_by, record.updated_by,
            bool(successors) and successors <= cited_by_entry[entry_id],
        ))
    return stale


def unknown_rfcs(entries: Sequence[Entry], index: dict[int, RfcRecord]) -> list[Citation]:
    """Cited RFC numbers the index does not list at all: most likely a typo."""
    seen: set[tuple[str, int]] = set()
    unknown = []
    for citation in citations(entries):
        if citation.rfc not in index and (citation.entry, citation.rfc) not in seen:
            seen.add((citation.entry, citation.rfc))
            unknown.append(citation)
    return unknown


def _doc(doc_id: str) -> str:
    return re.sub(r"^RFC0*", "RFC ", doc_id)


def describe(stale: StaleRfc) -> str:
    """One line for a person: entry, RFC, what replaced or changed it."""
    parts = []
    if stale.obsoleted_by:
        parts.append("obsoleted by " + ", ".join(_doc(d) for d in stale.obsoleted_by))
    if stale.updated_by:
        parts.append("updated by " + ", ".join(_doc(d) for d in stale.updated_by))
    note = " (the entry also cites its successor)" if stale.successor_cited else ""
    return f"{stale.entry}: RFC {stale.rfc} is {'; '.join(parts)}{note}"
