"""Validate a registry in layers and report every problem in one run.

Layer 1 (load) refuses unsafe or malformed parts of files; layer 2 checks each file
against the committed JSON Schema and the models; layer 3 runs the rules across
entries. Every layer sees every file, as far as it could be read: the loader
leaves out only what it refused, the schema checks the rest, and the rules read
each entry's facts that passed (``facts.py``). So a file with a duplicate key, a
misspelled field and an unknown product type gets all three findings at once, and
what one layer reported is not reported again by the next.

Layers 1 and 2 look at one file at a time, so their results are remembered per
file content (``cache.py``) and, on a cold run, computed in a process pool. A run
where little changed reads every file's bytes, hashes them, and then only parses
what changed; pydantic and jsonschema are not even imported when nothing did.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from is3c.cache import Cache, file_key
from is3c.addresses import host_problems
from is3c.facts import Facts, facts_of, terms_of, valid_urls
from is3c.findings import Finding, safe_path, show, sort_findings
from is3c.load import Document, Path_, check_name, decode, dotted, load, parse, read_bytes
from is3c.machine import parallel_map
from is3c.rules import CROSS_ENTRY_CODES, Context, Loaded
from is3c.rules import content as content_rules
from is3c.rules import run as run_rules

if TYPE_CHECKING:
    from is3c.decisions import LoadedDecision
    from is3c.model import Entry, Panel, Term

CATEGORIES_FILE = "categories.yaml"
PRODUCT_TYPES_FILE = "product-types.yaml"
STANDARDS_DIR = "standards"
# panel.yaml and decisions/: the expert panel and its decision records (decisions.py);
# LICENSE: the content licence (CC0 1.0).
ALLOWED_IN_REGISTRY = {CATEGORIES_FILE, PRODUCT_TYPES_FILE, STANDARDS_DIR, "README.md", "locale",
                       "panel.yaml", "decisions", "LICENSE"}
ENTRY, CATEGORIES, PRODUCT_TYPES = "entry", "categories", "product_types"


class UsageError(Exception):
    """The command was pointed at something that is not a registry."""


@dataclass(frozen=True)
class Registry:
    """A registry that passed validation: what the build compiles from."""

    categories: tuple[Term, ...]
    product_types: tuple[Term, ...]
    entries: tuple[Entry, ...]  # sorted by id
    panel: Panel | None = None
    decisions: tuple[LoadedDecision, ...] = ()  # oldest first


@dataclass
class Result:
    findings: list[Finding]
    files_checked: int
    registry: Registry | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def display_path(path: Path) -> str:
    """How a file is named in findings and messages: relative to the working directory
    if inside it, and escaped, since a file name comes from the pull request too."""
    try:
        return safe_path(os.path.relpath(path))
    except ValueError:
        return safe_path(str(path))


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
    """What checking one file gives: findings, what the rules need (an entry's
    ``facts``, a vocabulary's ``terms``), the warnings the file acknowledges, and for
    a valid file what the build needs (``model``)."""

    findings: list[Finding]
    facts: Facts | None = None
    terms: list[str | None] | None = None
    model: Any = None  # the validated Entry, Categories or ProductTypes, if asked for
    allowed: dict[int, frozenset[str]] = field(default_factory=dict)  # by line
    # The same by field path (of the values and keys on those lines), so the rules can
    # leave out an acknowledged warning without parsing the file again to place it.
    allowed_paths: dict[str, frozenset[str]] = field(default_factory=dict)


def _allowed_paths(doc: Document) -> dict[str, frozenset[str]]:
    paths: dict[str, frozenset[str]] = {}
    for marks in (doc.value_marks, doc.key_marks):
        for path, (line, _) in marks.items():
            codes = doc.allowed.get(line)
            if codes:
                paths[dotted(path)] = paths.get(dotted(path), frozenset()) | codes
    return paths


def _placeholders(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Text still holding what ``is3c new`` wrote, which must never be published
    (unless the value is wrong in another way, already reported)."""
    reported = {f.path for f in findings}
    placeholders = []
    for path in doc.placeholders:
        if dotted(path) in reported:
            continue
        line, column = doc.mark(path)
        text = _get(doc.data, path)
        placeholders.append(Finding(doc.file, line, column, "IS3C315", dotted(path),
                                    f"still holds the placeholder {show(text)}",
                                    "replace it with real content (see docs/content-guide.md)"))
    return placeholders


def _address_hosts(doc: Document, urls: list[tuple[Path_, str]]) -> list[Finding]:
    """Addresses whose host is punycode or a number (IS3C319; ``addresses.py``)."""
    findings = []
    for path, url in urls:
        for message, hint in host_problems(url):
            line, column = doc.mark(path)
            findings.append(Finding(doc.file, line, column, "IS3C319", dotted(path), message, hint))
    return findings


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def check_file(kind: str, file: str, data: bytes, keep_model: bool = True) -> FileResult:
    """Layers 1 and 2 for one file's bytes, as far as the file can be read; an
    entry's facts come from whatever passed. ``keep_model`` returns the validated
    model of a valid file too (the build needs it, validation alone does not, and at
    scale it is most of the memory)."""
    from is3c import schema as schemas
    from is3c.model import Categories, Entry, ProductTypes

    text, findings = decode(data, file)
    if text is None:
        return FileResult(findings)
    doc, more = parse(text, file, tainted=[(f.line, f.column) for f in findings])
    findings += more
    if doc is None:
        return FileResult(findings)
    schema_file, model = {ENTRY: (schemas.ENTRY, Entry), CATEGORIES: (schemas.CATEGORIES, Categories),
                          PRODUCT_TYPES: (schemas.PRODUCT_TYPES, ProductTypes)}[kind]
    parsed, more = schemas.check_document(doc, schema_file, model)
    findings += more
    urls: list[tuple[Path_, str]] = []
    if kind == ENTRY:
        findings += _placeholders(doc, findings)
        urls = valid_urls(doc, findings)
        findings += _address_hosts(doc, urls)
        if parsed is not None:  # the content rules read a valid entry's text
            findings += content_rules(parsed, doc.file, doc.mark)
    kept = parsed if keep_model and not findings else None
    allowed = {"allowed": doc.allowed, "allowed_paths": _allowed_paths(doc)} if doc.allowed else {}
    if kind == ENTRY:
        return FileResult(findings, facts=facts_of(doc, findings, urls), model=kept, **allowed)
    key = "categories" if kind == CATEGORIES else "product_types"
    return FileResult(findings, terms=terms_of(doc, findings, key), model=kept, **allowed)


# One file to check: (kind, name in findings, path, key name, keep the model).
Job = tuple[str, str, Path, str, bool]


def _check_job(job: Job) -> tuple[str | None, FileResult]:
    """Read and check one file; returns its cache key (None if unreadable). Reading
    here rather than in the parent keeps every file's bytes out of the parent, and
    the key is of the bytes actually checked. A model comes back as its JSON text,
    which crosses from a worker process at a fraction of the cost of the model."""
    kind, file, path, name, keep_model = job
    data, problems = read_bytes(path, file)
    if data is None:
        return None, FileResult(problems)
    result = check_file(kind, file, data, keep_model)
    if result.model is not None:
        result = replace(result, model=result.model.model_dump_json())
    return file_key(name, data), result


def _from_json(kind: str, text: str) -> Any:
    """The model a worker sent as JSON text (``_check_job``), validated again."""
    from is3c.model import Categories, Entry, ProductTypes

    return {ENTRY: Entry, CATEGORIES: Categories, PRODUCT_TYPES: ProductTypes}[kind] \
        .model_validate_json(text)


# Below this many files a process pool costs more than it saves.
PARALLEL_MIN_FILES = 200


def _check_all(jobs: list[Job]) -> list[tuple[str | None, FileResult]]:
    return parallel_map(_check_job, jobs, PARALLEL_MIN_FILES)


def _to_cache(result: FileResult) -> Any:
    rows = [[f.line, f.column, f.code, f.path, f.message, f.hint, f.severity] for f in result.findings]
    return {"f": rows, "x": result.facts.to_json() if result.facts else None, "t": result.terms,
            "a": [[line, sorted(codes)] for line, codes in result.allowed.items()],
            "p": {path: sorted(codes) for path, codes in result.allowed_paths.items()}}


def _from_cache(file: str, cached: Any) -> FileResult:
    facts = Facts.from_json(cached["x"]) if cached["x"] is not None else None
    allowed = {line: frozenset(codes) for line, codes in cached["a"]}
    paths = {path: frozenset(codes) for path, codes in cached["p"].items()}
    return FileResult([Finding(file, *row) for row in cached["f"]], facts, cached["t"],
                      model=cached.get("model"), allowed=allowed, allowed_paths=paths)


def _catalogs_key(root: Path, keys: dict[str, str], against_models: bool) -> str:
    """What the catalogs' findings depend on: every file of the locale folder, and
    the registry files the fresh template comes from (their cache keys)."""
    parts = [f"models={against_models}"]
    locale = root / "locale"
    for path in sorted(locale.rglob("*")):
        if path.is_file():
            parts.append(f"{path.relative_to(locale).as_posix()}={file_key(path.name, path.read_bytes())}")
    parts += [f"{file}={key}" for file, key in sorted(keys.items())]
    return file_key("locale/", "\n".join(parts).encode())


def _model_key(key: str) -> str:
    from is3c import store

    return store.key("model", key)


def _with_model(cached: Any, models: Any, key: str) -> Any:
    """A clean entry's cached result with its model from the build's store, or None
    (the model is not there: the file is checked again)."""
    from is3c.model import Entry

    found = models.get(_model_key(key))
    if not isinstance(found, str):
        return None
    try:
        return {**cached, "model": Entry.model_validate_json(found)}
    except ValueError:  # pydantic's ValidationError: a model of other code; check again
        return None


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


def _expand(paths: Sequence[Path]) -> list[Path]:
    """The files to report on: each file given, and the YAML files inside each folder."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def _where(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


# One file of the run: (kind, name in findings, path, whether it is outside the registry).
File = tuple[str, str, Path, bool]


def _outside(root: Path, only: list[Path], findings: list[Finding]) -> list[File]:
    """Files given on the command line that are not part of the registry: checked as
    entries (or as a vocabulary, by name), with the same rules on their names, but
    never used as the registry's own vocabulary."""
    inside = _where(root) + os.sep
    known: set[str] = set()
    extra: list[File] = []
    for path in only:
        if _where(path).startswith(inside) or _where(path) in known:
            continue  # a registry file (or a stray one the layout check reports)
        known.add(_where(path))
        file = display_path(path)
        kind = {CATEGORIES_FILE: CATEGORIES, PRODUCT_TYPES_FILE: PRODUCT_TYPES}.get(path.name, ENTRY)
        if kind == ENTRY:
            findings.extend(check_name(path, file))
        extra.append((kind, file, path, True))
    return extra


def validate(
    root: Path,
    only: Sequence[Path] | None = None,
    schema_dir: Path | None = None,
    cache_dir: Path | None = None,
    registry: bool = True,
    catalogs: bool = True,
    models: Any = None,
) -> Result:
    """Validate the registry at ``root``; with ``only`` (files or folders), file-level
    findings are kept for those files alone while the rules still see every entry;
    given files outside the registry are checked as entries too. ``cache_dir``
    remembers per-file results between runs (None: no cache). With ``registry``
    false, the models of a clean registry are not built (``validate`` only). With
    ``catalogs`` false, the translation catalogs are not checked ('is3c i18n' repairs them).
    ``models`` (a ``store.Store``) keeps the entries' models between builds, so that a
    build where little changed parses only what did."""
    findings: list[Finding] = []
    entry_paths = _registry_layout(root, findings)
    cache = Cache(cache_dir, "validate")

    standards = display_path(root / STANDARDS_DIR)
    files: list[File] = [
        (CATEGORIES, display_path(root / CATEGORIES_FILE), root / CATEGORIES_FILE, False),
        (PRODUCT_TYPES, display_path(root / PRODUCT_TYPES_FILE), root / PRODUCT_TYPES_FILE, False),
        *((ENTRY, os.path.join(standards, safe_path(p.name)), p, False) for p in entry_paths),
    ]
    wanted: set[str] | None = None
    if only is not None:
        given = _expand(only)
        files += _outside(root, given, findings)
        named = {_where(path): file for _, file, path, _ in files}
        wanted = {named.get(_where(p)) or display_path(p) for p in given}
    results: dict[str, FileResult] = {}
    pending: list[Job] = []
    keys: dict[str, str] = {}
    for kind, file, path, outside in files:
        name = file if outside else os.path.relpath(path, root)
        keep_model = registry or kind != ENTRY
        if registry and (models is None or kind != ENTRY):
            # The build needs every model, which the cache does not keep: check all.
            pending.append((kind, file, path, name, keep_model))
            continue
        data, problems = read_bytes(path, file)
        if data is None:
            results[file] = FileResult(problems)
            continue
        keys[file] = file_key(name, data)
        cached = cache.get(keys[file])
        if cached is not None and registry and not cached["f"]:
            cached = _with_model(cached, models, keys[file])
        if cached is not None:
            results[file] = _from_cache(file, cached)
        else:
            pending.append((kind, file, path, name, keep_model))
    if models is not None and len(pending) >= PARALLEL_MIN_FILES:
        models.close()  # a database connection must not cross the pool's fork
    for (kind, file, _, _, _), (key, result) in zip(pending, _check_all(pending)):
        text = result.model if isinstance(result.model, str) else None
        if text is not None:
            result = replace(result, model=_from_json(kind, text))
        results[file] = result
        if key is not None:
            keys[file] = key
            cache.put(key, _to_cache(result))
            if models is not None and kind == ENTRY and text is not None:
                models.put(_model_key(key), text)

    loaded: list[Loaded] = []
    broken: set[str] = set()
    vocab: dict[str, list[tuple[str, str | None]]] = {CATEGORIES: [], PRODUCT_TYPES: []}
    for kind, file, path, outside in files:
        result = results[file]
        findings.extend(result.findings)
        if kind != ENTRY:
            if not outside:
                vocab[kind] = [(file, term) for term in result.terms or []]
            continue
        if result.facts is not None:
            loaded.append(Loaded(file, result.facts))
        if result.facts is None or result.facts.id is None:
            broken.add(path.stem)

    paths = {file: path for _, file, path, _ in files}

    def acknowledged(file: str, path: Path_, code: str) -> bool:
        return code in results[file].allowed_paths.get(dotted(path), ())

    ctx = Context(loaded, vocab[CATEGORIES], vocab[PRODUCT_TYPES], frozenset(broken), _Locator(paths),
                  acknowledged)
    findings.extend(run_rules(ctx))
    gov, gov_findings = _governance(root, ctx)
    findings.extend(gov_findings)
    kept = set(keys.values())
    if catalogs and (root / "locale").is_dir():  # translation catalogs (is3c.i18n)
        # With the models at hand (the build), catalogs are checked against the
        # registry itself; otherwise against the committed template. The findings
        # are remembered by the catalogs' bytes and the files the template comes
        # from: reading the catalogs of a large registry takes seconds.
        against_models = registry and not any(f.severity == "error" for f in findings)
        catalog_key = _catalogs_key(root, keys, against_models)
        rows = cache.get(catalog_key)
        if rows is None:
            from is3c.i18n import check_catalogs, template

            fresh = None
            if against_models:
                models = _registry(results, files)
                fresh = template(models.entries, models.categories, models.product_types)
            rows = [[f.file, f.line, f.column, f.code, f.path, f.message, f.hint, f.severity]
                    for f in check_catalogs(root, display_path, fresh)]
            cache.put(catalog_key, rows)
        findings.extend(Finding(*row) for row in rows)
        kept.add(catalog_key)
    if schema_dir is not None and schema_dir.is_dir():
        stale_files, schema_key = _stale_schemas(schema_dir, cache)
        kept.add(schema_key)
        for stale in stale_files:
            findings.append(Finding(stale, 1, 1, "IS3C001", "",
                                    "differs from the schema the models generate",
                                    "run 'is3c schema --write' and commit the result"))
    cache.save(kept)
    findings = _acknowledged(findings, {file: results[file].allowed for file in results})

    registry_files = [f for f in files if not f[3]]
    clean = not any(f.severity == "error" for f in findings)
    files_checked = len(registry_files)
    if wanted is not None:
        # Panel and decision findings (IS3C6xx) follow from changes anywhere: kept too.
        findings = [f for f in findings
                    if f.file in wanted or f.code in CROSS_ENTRY_CODES or f.code.startswith("IS3C6")]
        files_checked = len(wanted)
    built = _registry(results, registry_files) if registry and clean else None
    if built is not None:
        built = replace(built, panel=gov.panel, decisions=gov.decisions)
    return Result(sort_findings(findings), files_checked, built)


def _governance(root: Path, ctx: Context) -> tuple[Any, list[Finding]]:
    """The panel and the decision records, and the findings on them and on entries
    checked against them (IS3C6xx; ``decisions.py``)."""
    from is3c.decisions import check, load_governance

    gov, findings = load_governance(root)
    return gov, [*findings, *check(gov, ctx)]


def _acknowledged(findings: list[Finding], allowed: dict[str, dict[int, frozenset[str]]]) -> list[Finding]:
    """Leave out the warnings that a file acknowledges on their line."""
    return [f for f in findings
            if not (f.severity == "warning" and f.code in allowed.get(f.file, {}).get(f.line, ()))]


def _registry(results: dict[str, FileResult], files: list[File]) -> Registry:
    by_kind = {kind: results[file].model for kind, file, _, _ in files if kind != ENTRY}
    entries = [results[file].model for kind, file, _, _ in files if kind == ENTRY]
    return Registry(
        categories=tuple(by_kind[CATEGORIES].categories),
        product_types=tuple(by_kind[PRODUCT_TYPES].product_types),
        entries=tuple(sorted(entries, key=lambda e: e.id)),
    )


def deleted_entry_findings(deleted: Sequence[str]) -> list[Finding]:
    """Entry files a change removed: ids stay on record as withdrawn, never vanish."""
    return [
        Finding(safe_path(path), 1, 1, "IS3C314", "", "was deleted; entries are withdrawn, never deleted",
                "restore the file and set lifecycle.status: withdrawn, with a reason "
                "(and superseded_by if another entry replaces it)")
        for path in deleted
        if f"/{STANDARDS_DIR}/" in f"/{path}" and path.endswith(".yaml")
    ]
