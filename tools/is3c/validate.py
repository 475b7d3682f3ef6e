"""Validate a registry in layers and report every problem in one run.

Layer 1 (load) refuses unsafe or malformed files; layer 2 checks each file against
the committed JSON Schema and the models; layer 3 runs the rules across entries.
A file that fails a layer is left out of the later ones, so one mistake gives one
finding rather than a cascade.

Layers 1 and 2 look at one file at a time, so their results are remembered per
file content (``cache.py``) and, on a cold run, computed in a process pool. A run
where little changed reads every file's bytes, hashes them, and then only parses
what changed; pydantic and jsonschema are not even imported when nothing did.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from is3c.cache import Cache, file_key
from is3c.findings import Finding, show, sort_findings
from is3c.load import Document, Path_, check_name, decode, dotted, load, parse, read_bytes
from is3c.rules import Context, Facts, Loaded
from is3c.rules import content as content_rules
from is3c.rules import run as run_rules

if TYPE_CHECKING:
    from is3c.model import Entry, Term

CATEGORIES_FILE = "categories.yaml"
PRODUCT_TYPES_FILE = "product-types.yaml"
STANDARDS_DIR = "standards"
ALLOWED_IN_REGISTRY = {CATEGORIES_FILE, PRODUCT_TYPES_FILE, STANDARDS_DIR, "README.md", "locale",
                       "LICENSE"}  # the content licence (CC0 1.0)
ENTRY, CATEGORIES, PRODUCT_TYPES = "entry", "categories", "product_types"


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


def _registry_layout(root: Path, findings: list[Finding]) -> list[Path]:
    """Entry files in standards/, with anything else in the registry reported."""
    for item in sorted(root.iterdir()):
        if item.name not in ALLOWED_IN_REGISTRY:
            findings.append(Finding(display_path(item), 1, 1, "IS3C102", "",
                                    f"{show(item.name)} does not belong in the registry folder",
                                    f"entries go in {STANDARDS_DIR}/<id>.yaml"))
    standards = root / STANDARDS_DIR
    if standards.is_symlink():
        raise UsageError(f"{standards} is a symbolic link; it must be a real folder")
    entries = []
    for item in sorted(standards.iterdir()):
        problems = check_name(item, display_path(item))
        if problems:
            findings.extend(problems)
        else:
            entries.append(item)
    return entries


# --- one file: layers 1 and 2 ----------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """What checking one file gives: findings, and for a valid file what the rules
    (``facts`` or vocabulary ``terms``) and the build (``model``) need."""

    findings: list[Finding]
    facts: Facts | None = None
    terms: list[str] | None = None
    model: Any = None  # the validated Entry, Categories or ProductTypes, if asked for

    @property
    def usable(self) -> bool:
        return self.facts is not None or self.terms is not None


def _placeholders(doc: Document) -> list[Finding]:
    """Text still holding what ``is3c new`` wrote, which must never be published."""
    findings = []
    for path in doc.placeholders:
        line, column = doc.mark(path)
        text = _get(doc.data, path)
        findings.append(Finding(doc.file, line, column, "IS3C315", dotted(path),
                                f"still holds the placeholder {show(text)}",
                                "replace it with real content (see docs/content-guide.md)"))
    return findings


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def check_file(kind: str, file: str, data: bytes, keep_model: bool = True) -> FileResult:
    """Layers 1 and 2 for one file's bytes; ``keep_model`` returns the validated model
    too (the build needs it, validation alone does not, and at scale it is most of
    the memory)."""
    from is3c import schema as schemas
    from is3c.model import Categories, Entry, ProductTypes

    text, findings = decode(data, file)
    if text is None:
        return FileResult(findings)
    doc, findings = parse(text, file)
    if doc is None:
        return FileResult(findings)
    if kind == ENTRY:
        entry, findings = schemas.check_document(doc, schemas.ENTRY, Entry)
        if entry is None:
            return FileResult(findings)
        findings = _placeholders(doc) + content_rules(entry, doc.file, doc.mark)
        return FileResult(findings, facts=Facts.of(entry), model=entry if keep_model else None)
    schema_file, model = {CATEGORIES: (schemas.CATEGORIES, Categories),
                          PRODUCT_TYPES: (schemas.PRODUCT_TYPES, ProductTypes)}[kind]
    parsed, findings = schemas.check_document(doc, schema_file, model)
    if parsed is None:
        return FileResult(findings)
    terms = parsed.categories if kind == CATEGORIES else parsed.product_types
    return FileResult(findings, terms=[t.id for t in terms], model=parsed)


# One file to check: (kind, name in findings, path, key name, keep the model).
Job = tuple[str, str, Path, str, bool]


def _check_job(job: Job) -> tuple[str | None, FileResult]:
    """Read and check one file; returns its cache key (None if unreadable). Reading
    here rather than in the parent keeps every file's bytes out of the parent, and
    the key is of the bytes actually checked."""
    kind, file, path, name, keep_model = job
    data, problems = read_bytes(path, file)
    if data is None:
        return None, FileResult(problems)
    return file_key(name, data), check_file(kind, file, data, keep_model)


# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 200


def _check_all(jobs: list[Job]) -> list[tuple[str | None, FileResult]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        return [_check_job(job) for job in jobs]
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [_check_job(job) for job in jobs]
    chunk = max(16, len(jobs) // (workers * 8))
    with context.Pool(workers) as pool:
        return pool.map(_check_job, jobs, chunksize=chunk)


def _to_cache(result: FileResult) -> Any:
    rows = [[f.line, f.column, f.code, f.path, f.message, f.hint, f.severity] for f in result.findings]
    return {"f": rows, "x": result.facts.to_json() if result.facts else None, "t": result.terms}


def _from_cache(file: str, cached: Any) -> FileResult:
    facts = Facts.from_json(cached["x"]) if cached["x"] is not None else None
    return FileResult([Finding(file, *row) for row in cached["f"]], facts, cached["t"])


class _Locator:
    """Positions for rule findings, parsing a file only when a rule needs it."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths
        self.docs: dict[str, Document | None] = {}

    def __call__(self, file: str, path: Path_, key: bool) -> tuple[int, int]:
        if file not in self.docs:
            self.docs[file] = load(self.paths[file], file)[0] if file in self.paths else None
        doc = self.docs[file]
        return doc.mark(path, key=key) if doc is not None else (1, 1)


def _stale_schemas(schema_dir: Path, cache: Cache) -> tuple[list[str], str]:
    """Committed schema files that differ from the models, remembered per content
    (the cache namespace already covers the models' source). Returns the cache key."""
    committed = b""
    for path in sorted(schema_dir.glob("*.json")):
        committed += path.name.encode() + b"\0" + path.read_bytes() + b"\0"
    key = file_key("schemas/", committed)
    stale = cache.get(key)
    if stale is None:
        from is3c import schema as schemas

        stale = [display_path(p) for p in schemas.stale_files(schema_dir)]
        cache.put(key, stale)
    return list(stale), key


def validate(
    root: Path,
    only: Sequence[Path] | None = None,
    schema_dir: Path | None = None,
    cache_dir: Path | None = None,
    registry: bool = True,
    catalogs: bool = True,
) -> Result:
    """Validate the registry at ``root``; with ``only``, file-level findings are kept
    for those files alone while the rules still see every entry. ``cache_dir``
    remembers per-file results between runs (None: no cache). With ``registry``
    false, the models of a clean registry are not built (``validate`` only). With
    ``catalogs`` false, the translation catalogs are not checked ('is3c i18n' repairs them)."""
    findings: list[Finding] = []
    entry_paths = _registry_layout(root, findings)
    cache = Cache(cache_dir, "validate")

    standards = display_path(root / STANDARDS_DIR)
    files: list[tuple[str, str, Path]] = [
        (CATEGORIES, display_path(root / CATEGORIES_FILE), root / CATEGORIES_FILE),
        (PRODUCT_TYPES, display_path(root / PRODUCT_TYPES_FILE), root / PRODUCT_TYPES_FILE),
        *((ENTRY, os.path.join(standards, p.name), p) for p in entry_paths),
    ]
    results: dict[str, FileResult] = {}
    pending: list[Job] = []
    keys: dict[str, str] = {}
    for kind, file, path in files:
        name = os.path.relpath(path, root)
        keep_model = registry or kind != ENTRY
        if registry:
            # The build needs every model, which the cache does not keep: check all.
            pending.append((kind, file, path, name, keep_model))
            continue
        data, problems = read_bytes(path, file)
        if data is None:
            results[file] = FileResult(problems)
            continue
        keys[file] = file_key(name, data)
        cached = cache.get(keys[file])
        if cached is not None:
            results[file] = _from_cache(file, cached)
        else:
            pending.append((kind, file, path, name, keep_model))
    for (_, file, _, _, _), (key, result) in zip(pending, _check_all(pending)):
        results[file] = result
        if key is not None:
            keys[file] = key
            cache.put(key, _to_cache(result))

    paths = {file: path for _, file, path in files}
    loaded: list[Loaded] = []
    broken: set[str] = set()
    vocab: dict[str, list[tuple[str, str]]] = {CATEGORIES: [], PRODUCT_TYPES: []}
    for kind, file, path in files:
        result = results[file]
        findings.extend(result.findings)
        if kind != ENTRY:
            vocab[kind] = [(file, term) for term in result.terms or []]
        elif result.facts is not None:
            loaded.append(Loaded(file, result.facts))
        else:
            broken.add(path.stem)

    ctx = Context(loaded, vocab[CATEGORIES], vocab[PRODUCT_TYPES], frozenset(broken), _Locator(paths))
    findings.extend(run_rules(ctx))
    if catalogs and (root / "locale").is_dir():  # translation catalogs (is3c.i18n)
        from is3c.i18n import check_catalogs, template

        # With the models at hand (the build), catalogs are checked against the
        # registry itself; otherwise against the committed template.
        fresh = None
        if registry and not any(f.severity == "error" for f in findings):
            models = _registry(results, files)
            fresh = template(models.entries, models.categories, models.product_types)
        findings.extend(check_catalogs(root, display_path, fresh))
    kept = set(keys.values())
    if schema_dir is not None and schema_dir.is_dir():
        stale_files, schema_key = _stale_schemas(schema_dir, cache)
        kept.add(schema_key)
        for stale in stale_files:
            findings.append(Finding(stale, 1, 1, "IS3C001", "",
                                    "differs from the schema the models generate",
                                    "run 'is3c schema --write' and commit the result"))
    cache.save(kept)

    clean = not any(f.severity == "error" for f in findings)
    files_checked = len(files)
    if only is not None:
        wanted = {display_path(p) for p in only}
        findings = [f for f in findings if f.file in wanted or f.code.startswith("IS3C3")]
        files_checked = len(wanted)
    built = _registry(results, files) if registry and clean else None
    return Result(sort_findings(findings), files_checked, built)


def _registry(results: dict[str, FileResult], files: list[tuple[str, str, Path]]) -> Registry:
    by_kind = {kind: results[file].model for kind, file, _ in files if kind != ENTRY}
    entries = [results[file].model for kind, file, _ in files if kind == ENTRY]
    return Registry(
        categories=tuple(by_kind[CATEGORIES].categories),
        product_types=tuple(by_kind[PRODUCT_TYPES].product_types),
        entries=tuple(sorted(entries, key=lambda e: e.id)),
    )


def deleted_entry_findings(deleted: Sequence[str]) -> list[Finding]:
    """Entry files a change removed: ids stay on record as withdrawn, never vanish."""
    return [
        Finding(path, 1, 1, "IS3C314", "", "was deleted; entries are withdrawn, never deleted",
                "restore the file and set lifecycle.status: withdrawn, with a reason "
                "(and superseded_by if another entry replaces it)")
        for path in deleted
        if f"/{STANDARDS_DIR}/" in f"/{path}" and path.endswith(".yaml")
    ]
