"""Validate a registry in layers and report every problem in one run.

Layer 1 (load) refuses unsafe or malformed files; layer 2 checks each file against
the committed JSON Schema and the models; layer 3 runs the rules across entries.
A file that fails a layer is left out of the later ones, so one mistake gives one
finding rather than a cascade.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from is3c import schema as schemas
from is3c.findings import Finding, show, sort_findings
from is3c.schema import check_document
from is3c.cache import Cache, file_key
from is3c.load import Document, Path_, check_name, decode, load, parse, read_bytes
from is3c.model import Categories, Entry, ProductTypes, Term
from is3c.rules import Context, Loaded
from is3c.rules import run as run_rules

CATEGORIES_FILE = "categories.yaml"
PRODUCT_TYPES_FILE = "product-types.yaml"
STANDARDS_DIR = "standards"
ALLOWED_IN_REGISTRY = {CATEGORIES_FILE, PRODUCT_TYPES_FILE, STANDARDS_DIR, "README.md"}


class UsageError(Exception):
    """The command was pointed at something that is not a registry."""


@dataclass(frozen=True)
class Registry:
    """A registry that passed validation: what the build compiles from."""

    categories: tuple[Term, ...]
    product_types: tuple[Term, ...]
    entries: tuple[Entry, ...]  # sorted by id


@dataclass
class Result:
    findings: list[Finding]
    files_checked: int
    registry: Registry | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


@dataclass
class _Run:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0


def display_path(path: Path) -> str:
    """How a file is named in findings: relative to the working directory if inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


# --- discovery -------------------------------------------------------------------


def find_registry(start: Path) -> Path:
    """The registry directory: ``start`` itself or its ``registry/`` child."""
    for candidate in (start, start / "registry"):
        if (candidate / STANDARDS_DIR).is_dir() and (candidate / CATEGORIES_FILE).exists():
            return candidate
    raise UsageError(
        f"no registry found at {start}: expected {CATEGORIES_FILE}, {PRODUCT_TYPES_FILE} "
        f"and a {STANDARDS_DIR}/ folder (use --registry)"
    )


def _registry_layout(root: Path, run: _Run) -> list[Path]:
    """Entry files in standards/, with anything else in the registry reported."""
    for item in sorted(root.iterdir()):
        if item.name not in ALLOWED_IN_REGISTRY:
            run.findings.append(Finding(display_path(item), 1, 1, "IS3C102", "",
                                        f"{show(item.name)} does not belong in the registry folder",
                                        f"entries go in {STANDARDS_DIR}/<id>.yaml"))
    standards = root / STANDARDS_DIR
    if standards.is_symlink():
        raise UsageError(f"{standards} is a symbolic link; it must be a real folder")
    entries = []
    for item in sorted(standards.iterdir()):
        findings = check_name(item, display_path(item))
        if findings:
            run.findings.extend(findings)
        else:
            entries.append(item)
    return entries


def _vocabulary(
    path: Path, schema_file: schemas.SchemaFile, model: Any, run: _Run, docs: dict[str, Document]
) -> list[tuple[str, Term]]:
    run.files_checked += 1
    file = display_path(path)
    doc, findings = load(path, file)
    if doc is None:
        run.findings.extend(findings)
        return []
    docs[file] = doc
    parsed, findings = check_document(doc, schema_file, model)
    run.findings.extend(findings)
    if parsed is None:
        return []
    terms = parsed.categories if isinstance(parsed, Categories) else parsed.product_types
    return [(file, term) for term in terms]


# --- entry files: checked one by one, in parallel, remembered in the cache -------


@dataclass(frozen=True)
class FileResult:
    findings: list[Finding]
    entry: Entry | None


def check_entry(file: str, data: bytes) -> tuple[FileResult, Any]:
    """Layers 1 and 2 for one entry file's bytes; also returns the plain data to cache."""
    text, findings = decode(data, file)
    if text is None:
        return FileResult(findings, None), None
    doc, findings = parse(text, file)
    if doc is None:
        return FileResult(findings, None), None
    entry, findings = check_document(doc, schemas.ENTRY, Entry)
    return FileResult(findings, entry), (doc.data if entry is not None else None)


def _check_entry_item(item: tuple[str, bytes]) -> tuple[FileResult, Any]:
    return check_entry(*item)


# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 200


def _check_all(items: list[tuple[str, bytes]]) -> list[tuple[FileResult, Any]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_MIN_FILES or workers < 2:
        return [check_entry(*item) for item in items]
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [check_entry(*item) for item in items]
    chunk = max(16, len(items) // (workers * 8))
    with context.Pool(workers) as pool:
        return pool.map(_check_entry_item, items, chunksize=chunk)


def _to_cache(result: FileResult, data: Any) -> Any:
    rows = [[f.line, f.column, f.code, f.path, f.message, f.hint, f.severity] for f in result.findings]
    return {"f": rows, "d": data}


def _from_cache(file: str, cached: Any) -> FileResult:
    findings = [Finding(file, *row) for row in cached["f"]]
    entry = Entry.model_validate(cached["d"]) if cached["d"] is not None else None
    return FileResult(findings, entry)


class _Locator:
    """Positions for rule findings, parsing a file only when a rule needs it."""

    def __init__(self, paths: dict[str, Path], docs: dict[str, Document]) -> None:
        self.paths = paths
        self.docs: dict[str, Document | None] = dict(docs)

    def __call__(self, file: str, path: Path_, key: bool) -> tuple[int, int]:
        if file not in self.docs:
            self.docs[file] = load(self.paths[file], file)[0] if file in self.paths else None
        doc = self.docs[file]
        return doc.mark(path, key=key) if doc is not None else (1, 1)


def validate(
    root: Path,
    only: Sequence[Path] | None = None,
    schema_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> Result:
    """Validate the registry at ``root``; with ``only``, file-level findings are kept
    for those files alone while the rules still see every entry. ``cache_dir``
    remembers per-file results between runs (None: no cache)."""
    run = _Run()
    docs: dict[str, Document] = {}
    entry_paths = _registry_layout(root, run)
    categories = _vocabulary(root / CATEGORIES_FILE, schemas.CATEGORIES, Categories, run, docs)
    product_types = _vocabulary(root / PRODUCT_TYPES_FILE, schemas.PRODUCT_TYPES, ProductTypes, run, docs)

    cache = Cache(cache_dir)
    results: dict[str, FileResult] = {}
    pending: list[tuple[str, bytes]] = []
    keys: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for path in entry_paths:
        run.files_checked += 1
        file = display_path(path)
        paths[file] = path
        data, findings = read_bytes(path, file)
        if data is None:
            results[file] = FileResult(findings, None)
            continue
        keys[file] = file_key(f"{STANDARDS_DIR}/{path.name}", data)
        cached = cache.get(keys[file])
        if cached is not None:
            results[file] = _from_cache(file, cached)
        else:
            pending.append((file, data))
    for (file, _), (result, data) in zip(pending, _check_all(pending)):
        results[file] = result
        cache.put(keys[file], _to_cache(result, data))
    cache.save(set(keys.values()))

    loaded: list[Loaded] = []
    broken: set[str] = set()
    for file, result in results.items():
        run.findings.extend(result.findings)
        if result.entry is not None:
            loaded.append(Loaded(file, result.entry))
        else:
            broken.add(paths[file].stem)

    ctx = Context(loaded, categories, product_types, frozenset(broken), _Locator(paths, docs))
    run.findings.extend(run_rules(ctx))

    if schema_dir is not None and schema_dir.is_dir():
        for stale in schemas.stale_files(schema_dir):
            run.findings.append(Finding(display_path(stale), 1, 1, "IS3C001", "",
                                        "differs from the schema the models generate",
                                        "run 'is3c schema --write' and commit the result"))

    findings = run.findings
    if only is not None:
        wanted = {display_path(p) for p in only}
        findings = [f for f in findings if f.file in wanted or f.code.startswith("IS3C3")]
        run.files_checked = len(wanted)
    findings = sort_findings(findings)

    registry = None
    if not any(f.severity == "error" for f in run.findings):
        registry = Registry(
            categories=tuple(t for _, t in categories),
            product_types=tuple(t for _, t in product_types),
            entries=tuple(sorted((i.entry for i in loaded), key=lambda e: e.id)),
        )
    return Result(findings, run.files_checked, registry)


def deleted_entry_findings(deleted: Sequence[str]) -> list[Finding]:
    """Entry files a change removed: ids stay on record as withdrawn, never vanish."""
    return [
        Finding(path, 1, 1, "IS3C314", "", "was deleted; entries are withdrawn, never deleted",
                "restore the file and set lifecycle.status: withdrawn, with a reason "
                "(and superseded_by if another entry replaces it)")
        for path in deleted
        if f"/{STANDARDS_DIR}/" in f"/{path}" and path.endswith(".yaml")
    ]
