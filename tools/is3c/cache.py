"""Per-file results kept between runs, so unchanged files are not parsed again.

A result is keyed by the file's name and a hash of its bytes, inside a namespace
that hashes the source of every module that produces file-level results. Any edit
to the loader, the models or the schema therefore starts a fresh namespace: a
cached result can never hide a finding that the current code would report. The
cache lives outside the repository, holds only JSON, and is safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from is3c import __version__

# Modules whose code decides a file's findings or data.
_SOURCES = ("load.py", "model.py", "schema.py", "findings.py", "suggest.py", "facts.py",
            "addresses.py", "validate.py", "cache.py")


def default_directory() -> Path:
    configured = os.environ.get("IS3C_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "is3c"


def namespace() -> str:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for name in _SOURCES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:24]


def file_key(name: str, data: bytes) -> str:
    return hashlib.blake2b(name.encode() + b"\0" + data, digest_size=16).hexdigest()


class Cache:
    """A dict of file key -> JSON-able result, loaded once and written back once."""

    def __init__(self, directory: Path | None, name: str) -> None:
        self.name = name
        self.path = directory / f"{name}-{namespace()}.json" if directory else None
        self.entries: dict[str, Any] = {}
        self.dirty = False
        if self.path is not None:
            try:
                with open(self.path, encoding="utf-8") as handle:
                    loaded = json.load(handle)
                if isinstance(loaded, dict):
                    self.entries = loaded
            except (OSError, ValueError):
                self.entries = {}  # missing or damaged: start afresh

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        if self.path is not None:
            self.entries[key] = value
            self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write back only the results for files that still exist (``keep``)."""
        if self.path is None or not (self.dirty or set(self.entries) - keep):
            return
        entries = {k: v for k, v in self.entries.items() if k in keep}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for old in self.path.parent.glob(f"{self.name}-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        except OSError:
            return  # a cache that cannot be written only costs time
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: only dumps uses the C encoder.
                handle.write(json.dumps(entries, separators=(",", ":")))
            os.replace(temp, self.path)
        except OSError:
            # A full disk, say: leave no half-written file behind.
            Path(temp).unlink(missing_ok=True)
