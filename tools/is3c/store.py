"""What a build keeps for the next one: rendered pieces, models and what it wrote.

One SQLite file in the cache folder (``build.sqlite``). SQLite, from the standard
library, because the build's worker processes read and add pieces at the same time
(WAL mode lets them), a lookup by key is indexed, and a damaged file is reported by
the library rather than read as data. Every value carries a checksum, and every key
starts with ``namespace()``: a hash of the tool's version and of every file of the
package (code, templates, catalogs), so a piece made by other code or other
templates is never found. Anything wrong with the file (damaged, locked, full
disk, foreign) makes the store forget and the build make everything afresh: the
store only ever saves time, it never decides what a file contains.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from is3c import __version__

FILE = "build.sqlite"
FORMAT = "is3c-build-store-1"
# Unsaved values per process before they are written in one transaction.
FLUSH_EVERY = 500
# How long a process waits for another one's write to finish.
BUSY_SECONDS = 30.0

_namespace: str | None = None


# The libraries whose version can change the bytes of what a build writes.
LIBRARIES = ("Babel", "Jinja2", "MarkupSafe", "pydantic", "pydantic-core", "PyYAML",
             "ruamel.yaml", "XlsxWriter", "python-docx", "odfdo", "weasyprint", "feedgen")


def namespace() -> str:
    """A hash of the tool's version, of every file in the package and of the versions
    of Python and of the libraries that write the outputs, computed once per process:
    changing a template, a renderer, a translation of the tool's words or a library
    makes every piece made before it unreachable."""
    global _namespace
    if _namespace is None:
        _namespace = _hash(package_hash(Path(__file__).parent), library_versions())
    return _namespace


def library_versions() -> str:
    from importlib import metadata

    found = [sys.version]
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return "\n".join(found)


def _hash(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def package_hash(package: Path) -> str:
    digest = hashlib.blake2b(f"{FORMAT}\0{__version__}\0".encode(), digest_size=16)
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: object) -> str:
    """One key from parts whose ``repr`` says everything they stand for."""
    digest = hashlib.blake2b(namespace().encode(), digest_size=20)
    for part in parts:
        digest.update(b"\0" + (part if isinstance(part, str) else repr(part)).encode())
    return digest.hexdigest()


def _check(value: bytes) -> bytes:
    return hashlib.blake2b(value, digest_size=8).digest()


# A value is stored as one byte that says how, then its bytes: text as UTF-8 (most
# pieces are text, and reading them back then needs no JSON parsing), else JSON.
TEXT, JSON = b"t", b"j"


def _encode(value: Any) -> bytes:
    if isinstance(value, str):
        return TEXT + value.encode("utf-8")
    return JSON + json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(stored: bytes) -> Any:
    kind, data = stored[:1], stored[1:]
    if kind == TEXT:
        return data.decode("utf-8")
    if kind == JSON:
        return json.loads(data)
    raise ValueError("not a stored value")


class Store:
    """Key -> value (text, or data that JSON can hold), shared by a build's processes;
    each process opens its own connection (a SQLite connection must not cross a fork)."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / FILE if directory is not None else None
        self._pid = -1
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, bytes] = {}
        self.broken = self.path is None
        # Nothing of this namespace is stored yet (a first build, or new code): every
        # lookup would miss, so none is made.
        self.empty = False

    # --- connection ---------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self.broken:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db, self._pid, self._pending = None, os.getpid(), {}
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            # A cache: losing the last writes in a power cut only costs time.
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL, "
                       "check_ BLOB NOT NULL) WITHOUT ROWID")
        except (sqlite3.Error, OSError):
            self._forget()
            return None
        self._db = db
        return db

    def _forget(self) -> None:
        """The file cannot be used: stop using it for the rest of this run (``prepare``
        replaces a damaged file at the start of the next)."""
        self.broken = True
        self._pending = {}
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def prepare(self) -> None:
        """Open the file before a build starts its workers; start afresh if it is
        damaged or not a store at all, and forget what other code stored."""
        for _attempt in range(2):
            db = self._connect()
            if db is None:
                if self.path is None or not self.path.exists():
                    return
                self._reset()
                continue
            try:
                mark = key("namespace")
                self.empty = db.execute("SELECT 1 FROM kv WHERE key = ?", (mark,)).fetchone() is None
                if self.empty:
                    # Pieces of other code are never found again: drop them all, then
                    # mark this code's namespace as present.
                    with db:
                        db.execute("BEGIN IMMEDIATE")
                        db.execute("DELETE FROM kv")
                    self.put(mark, namespace())
                    self.flush()
                return
            except sqlite3.DatabaseError:
                self._reset()

    def _reset(self) -> None:
        self._forget()
        assert self.path is not None
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            except OSError:
                return
        self.broken = False

    def close(self) -> None:
        """Write what is pending and let go of the file (before forking, too)."""
        self.flush()
        if self._db is not None and self._pid == os.getpid():
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    # --- values -------------------------------------------------------------------

    def get(self, key: str) -> Any:
        """The value stored under ``key``, or None (missing, damaged or unreadable)."""
        if key in self._pending and self._pid == os.getpid():
            return _decode(self._pending[key])
        if self.empty:
            return None
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value, check_ FROM kv WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self._forget()
            return None
        if row is None or _check(row[0]) != row[1]:
            return None
        try:
            return _decode(row[0])
        except ValueError:  # UnicodeDecodeError too
            return None

    def put(self, key: str, value: Any) -> None:
        if self._connect() is None:
            return
        self._pending[key] = _encode(value)
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the pending values in one transaction."""
        if not self._pending or self._pid != os.getpid() or self._db is None:
            self._pending = {} if self._pid != os.getpid() else self._pending
            return
        rows = [(k, v, _check(v)) for k, v in self._pending.items()]
        self._pending = {}
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            self._forget()



# The store of the running build, set by the command that builds (``use``); None
# when nothing is kept (tests of renderers, 'is3c annex').
_current: Store | None = None


def use(store: Store | None) -> None:
    global _current
    _current = store


def current() -> Store | None:
    return _current


def memo(parts: tuple[object, ...], make: Any) -> Any:
    """``make()``, or what it returned last time for the same ``parts``. ``make``
    must return JSON-able data (text, lists of text) that depends on nothing but
    ``parts`` and the code (``namespace``)."""
    store = _current
    if store is None or store.broken:
        return make()
    name = key(*parts)
    found = store.get(name)
    if found is not None:
        return found
    value = make()
    store.put(name, value)
    return value
