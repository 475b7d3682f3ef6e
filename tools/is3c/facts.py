"""What the rules across entries need to know about each entry, even a broken one.

The rules run on every entry, not only on valid ones: an entry whose product type
is unknown and whose field name is misspelled gets both findings in one run. So
each fact is read from the loaded data and counts only where the value passed the
earlier layers (no finding at it or inside it, nothing the loader left out); a
fact that did not is unknown, and the rules that need it say nothing.

Facts are small and plain, so the validation cache keeps them: a run where little
changed does not parse or validate the other files again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from is3c.addresses import host_of
from is3c.findings import Finding
from is3c.load import INCOMPLETE, Document, Path_, dotted

# Fields whose values are web addresses, by the name of the key that holds them.
URL_KEYS = frozenset({"url", "record_url"})


@dataclass(frozen=True)
class Facts:
    """The fields of one entry that rules read; None where a value is unknown (it is
    missing or it failed a check that is already reported)."""

    id: str | None
    category: str | None
    applies_to: tuple[str | None, ...]
    related: tuple[tuple[str | None, str | None], ...]  # (id, relation)
    tier: str | None
    status: str | None
    superseded_by: str | None
    listed_since: str | None
    last_reviewed: str | None
    next_review_due: str | None
    has_procurement: bool | None
    has_verification: bool | None
    has_decision: bool | None
    decision: str | None  # the id of the decision record in review.decision
    http_urls: tuple[tuple[Path_, str], ...]  # valid http:// (not https) addresses, by field
    https_hosts: tuple[str, ...]  # the hosts of its valid https:// addresses
    maturities: tuple[tuple[int, str], ...]  # (specification index, maturity)
    explained: tuple[str, ...] = ()  # product types that procurement.applies_because explains

    def to_json(self) -> list[Any]:
        return [getattr(self, name) for name in self.__dataclass_fields__]

    @classmethod
    def from_json(cls, row: list[Any]) -> Facts:
        values = dict(zip(cls.__dataclass_fields__, row))
        values["applies_to"] = tuple(values["applies_to"])
        values["related"] = tuple(tuple(pair) for pair in values["related"])
        values["http_urls"] = tuple((tuple(path), url) for path, url in values["http_urls"])
        values["https_hosts"] = tuple(values["https_hosts"])
        values["maturities"] = tuple(tuple(pair) for pair in values["maturities"])
        values["explained"] = tuple(values.get("explained", ()))
        return cls(**values)


class _Reader:
    """Values of a document that passed every check so far."""

    def __init__(self, doc: Document, findings: list[Finding]) -> None:
        self.data = doc.data
        self.refused = doc.refused
        # A finding marks its field and everything inside it as unknown; "required
        # field missing" (reported at the mapping) and findings about the file as a
        # whole (no field) do not.
        self.bad = {f.path for f in findings if f.path and f.code != "IS3C201"}

    def _bad(self, path: Path_) -> bool:
        if not self.bad:
            return False
        where = dotted(path)
        for bad in self.bad:
            if bad == where or where.startswith((bad + ".", bad + "[")):
                return True
            if bad.startswith((where + ".", where + "[")):
                return True
        return False

    def raw(self, path: Path_) -> Any:
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return None
            elif not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def text(self, *path: str | int) -> str | None:
        value = self.raw(path)
        return value if isinstance(value, str) and not self._bad(path) else None

    def present(self, *path: str) -> bool | None:
        """Whether a field is written: None when the loader could not tell (it left
        the field out, or could not read its mapping in full)."""
        parent = self.raw(path[:-1])
        if isinstance(parent, dict) and path[-1] in parent:
            return True if parent[path[-1]] is not None else None  # null: reported
        if path in self.refused or self.refused.get(path[:-1]) == INCOMPLETE:
            return None
        return False if isinstance(parent, dict) else None

    def keys(self, *path: str) -> list[str]:
        value = self.raw(path)
        return [key for key in value if isinstance(key, str)] if isinstance(value, dict) else []

    def items(self, *path: str) -> list[Any]:
        value = self.raw(path)
        return value if isinstance(value, list) else []


def _urls(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in URL_KEYS and isinstance(item, str):
                yield (*path, key), item
            else:
                yield from _urls(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _urls(item, (*path, index))


def valid_urls(doc: Document, findings: list[Finding]) -> list[tuple[Path_, str]]:
    """Every web address in the entry that passed the checks so far, with its field."""
    read = _Reader(doc, findings)
    return [(path, url) for path, url in _urls(doc.data, ()) if read.text(*path) is not None]


def facts_of(doc: Document, findings: list[Finding], urls: list[tuple[Path_, str]]) -> Facts:
    """The facts of an entry as loaded, with ``findings`` (every finding about the
    file so far) marking what is unknown; ``urls`` are its ``valid_urls``."""
    read = _Reader(doc, findings)
    has_decision = read.present("review", "decision")
    if has_decision is None and read.present("review") is False:
        has_decision = False  # no review section at all
    return Facts(
        id=read.text("id"),
        category=read.text("category"),
        applies_to=tuple(read.text("applies_to", i) for i in range(len(read.items("applies_to")))),
        related=tuple((read.text("related", i, "id"), read.text("related", i, "relation"))
                      for i in range(len(read.items("related")))),
        tier=read.text("priority", "tier"),
        status=read.text("lifecycle", "status"),
        superseded_by=read.text("lifecycle", "superseded_by"),
        listed_since=read.text("lifecycle", "listed_since"),
        last_reviewed=read.text("lifecycle", "last_reviewed"),
        next_review_due=read.text("lifecycle", "next_review_due"),
        has_procurement=read.present("procurement"),
        has_verification=read.present("verification"),
        has_decision=has_decision,
        decision=read.text("review", "decision"),
        http_urls=tuple((path, url) for path, url in urls if url.startswith("http://")),
        https_hosts=tuple(sorted({host_of(url) for _, url in urls if url.startswith("https://")})),
        maturities=tuple((i, maturity) for i in range(len(read.items("specifications")))
                         if (maturity := read.text("specifications", i, "maturity")) is not None),
        explained=tuple(key for key in read.keys("procurement", "applies_because")
                        if read.text("procurement", "applies_because", key) is not None),
    )


def terms_of(doc: Document, findings: list[Finding], key: str) -> list[str | None]:
    """The ids of a vocabulary, None for an id that is not valid."""
    read = _Reader(doc, findings)
    return [read.text(key, i, "id") for i in range(len(read.items(key)))]
