"""Validate a registry in layers and report every problem in one run.

Layer 1 (load) refuses unsafe or malformed files; layer 2 checks each file against
the committed JSON Schema and the models; layer 3 runs the rules across entries.
A file that fails a layer is left out of the later ones, so one mistake gives one
finding rather than a cascade.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from is3c import schema as schemas
from is3c.findings import Finding, show, sort_findings
from is3c.load import Document, Path_, check_name, dotted, load
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


# --- layer 2: schema and model -------------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping of fields"}

_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "use lowercase letters, digits and single hyphens, e.g. 'dnssec'",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write the date as YYYY-MM-DD, e.g. 2024-05-01",
    "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][^\\s]*)?$": (
        "use an absolute https:// address with a plain ASCII host name and no spaces"
    ),
    "^[^\\n]*$": "keep this field on one line",
    "^[a-z]{2,3}(-[A-Z]{2})?$": "use a language code such as 'fr', 'es' or 'pt-BR'",
    "^[0-9]{8}-[0-9]$": "write the CPV code as eight digits, a hyphen and a check digit",
}


def _schema_finding(doc: Document, error: schemas.SchemaError) -> list[Finding]:
    path = error.path
    where = dotted(path)

    def at(p: Path_, code: str, message: str, hint: str = "", key: bool = False) -> Finding:
        line, column = doc.mark(p, key=key)
        return Finding(doc.file, line, column, code, dotted(p), message, hint)

    keyword = error.keyword
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        parent = f"under '{where}'" if where else "at the top level"
        return [
            at(path, "IS3C201", f"required field '{name}' is missing",
               f"add '{name}:' {parent}")
            for name in error.schema if name not in instance
        ]
    if keyword == "additionalProperties":
        allowed = sorted(error.parent_schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        findings = []
        for name in extras:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "allowed fields here: " + ", ".join(allowed))
            findings.append(at((*path, name), "IS3C202", f"unknown field {show(name)}", hint, key=True))
        return findings
    if keyword == "enum":
        choices = [str(c) for c in error.schema]
        close = difflib.get_close_matches(str(error.instance), choices, n=1, cutoff=0.5)
        hint = f"did you mean {show(close[0])}?" if close else ""
        return [at(path, "IS3C204",
                   f"{show(error.instance)} is not one of: {', '.join(choices)}", hint)]
    if keyword == "type":
        expected = _TYPE_WORDS.get(str(error.schema), str(error.schema))
        hint = ""
        raw = doc.typed_scalars.get(path)
        if raw is not None and error.schema == "string":
            hint = f'put the value in quotes: "{raw}"'
        elif error.schema == "array" and isinstance(error.instance, str):
            hint = "write a list: each item on its own line, starting with '- '"
        return [at(path, "IS3C203",
                   f"expected {expected}, found {_kind(error.instance)}", hint)]
    if keyword == "pattern":
        return [at(path, "IS3C205", f"{show(error.instance)} has the wrong form",
                   _PATTERN_HINTS.get(str(error.schema), f"it must match {error.schema}"))]
    if keyword == "format":
        what = {"date": "a real calendar date (YYYY-MM-DD)", "uri": "an absolute address"}
        return [at(path, "IS3C205",
                   f"{show(error.instance)} is not {what.get(str(error.schema), error.schema)}",
                   "check the value")]
    if keyword in ("maxLength", "minLength", "maxItems", "minItems", "minProperties",
                   "maxProperties"):
        return [at(path, "IS3C206", _size_message(keyword, error), "")]
    if keyword == "uniqueItems":
        return [at(path, "IS3C207", "lists the same item more than once", "remove the repeats")]
    return [at(path, "IS3C299", error.message, "")]


def _size_message(keyword: str, error: schemas.SchemaError) -> str:
    limit = error.schema
    if keyword == "maxLength":
        return f"is {len(error.instance)} characters long; the limit is {limit}"
    if keyword == "minLength":
        if not error.instance:
            return "is empty; write a value or remove the field"
        return f"is {len(error.instance)} characters long; at least {limit} are needed"
    if keyword == "maxItems":
        return f"has {len(error.instance)} items; the limit is {limit}"
    if keyword == "minItems":
        return f"needs at least {limit} item{'s' if limit != 1 else ''}"
    if keyword == "minProperties":
        return "is empty; fill in at least one field or remove it"
    return f"has more than {limit} fields"


_PYDANTIC_CODES = {
    "missing": "IS3C201",
    "extra_forbidden": "IS3C202",
    "literal_error": "IS3C204",
    "string_pattern_mismatch": "IS3C205",
    "string_too_long": "IS3C206",
    "string_too_short": "IS3C206",
    "too_long": "IS3C206",
    "too_short": "IS3C206",
}


def _model_findings(doc: Document, exc: Any) -> list[Finding]:
    """Map a pydantic ValidationError; reached only where the schema is laxer than the
    model (Python's regex lets a trailing newline through '$', Rust's does not)."""
    findings = []
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        code = _PYDANTIC_CODES.get(error["type"], "IS3C203" if error["type"].endswith("_type") else "IS3C299")
        line, column = doc.mark(path)
        hint = "keep this field on one line" if code == "IS3C205" else ""
        findings.append(Finding(doc.file, line, column, code, dotted(path), error["msg"], hint))
    return findings


# When one value breaks several keywords (a bad date fails pattern, length and
# format at once), only the most telling finding is kept.
_VALUE_CODES = ("IS3C203", "IS3C204", "IS3C205", "IS3C206", "IS3C207", "IS3C299")


def _one_per_value(findings: list[Finding]) -> list[Finding]:
    best: dict[str, Finding] = {}
    kept = []
    for finding in findings:
        if finding.code not in _VALUE_CODES:
            kept.append(finding)
            continue
        current = best.get(finding.path)
        if current is None or _VALUE_CODES.index(finding.code) < _VALUE_CODES.index(current.code):
            best[finding.path] = finding
    return kept + list(best.values())


def check_document(doc: Document, schema_file: schemas.SchemaFile, model: Any) -> tuple[Any, list[Finding]]:
    """The model and the committed schema: returns the model instance only when it passes.

    The models are at least as strict as the schema generated from them (a test
    checks this on every entry and on many broken variants), so a document the model
    accepts passes the schema too, and jsonschema, which costs far more, runs only on
    documents that have something to report. It then supplies the findings, with
    did-you-mean hints; the model's own messages are the fallback.
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        findings = _one_per_value(
            [f for e in schemas.iter_errors(schema_file, doc.data) for f in _schema_finding(doc, e)]
        )
        return None, findings or _model_findings(doc, exc)


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


def _vocabulary(path: Path, schema_file: schemas.SchemaFile, model: Any, run: _Run) -> list[tuple[Document, Term]]:
    run.files_checked += 1
    doc, findings = load(path, display_path(path))
    if doc is None:
        run.findings.extend(findings)
        return []
    parsed, findings = check_document(doc, schema_file, model)
    run.findings.extend(findings)
    if parsed is None:
        return []
    terms = parsed.categories if isinstance(parsed, Categories) else parsed.product_types
    return [(doc, term) for term in terms]


def validate(root: Path, only: Sequence[Path] | None = None, schema_dir: Path | None = None) -> Result:
    """Validate the registry at ``root``; with ``only``, file-level findings are kept
    for those files alone while the rules still see every entry."""
    run = _Run()
    entry_paths = _registry_layout(root, run)
    categories = _vocabulary(root / CATEGORIES_FILE, schemas.CATEGORIES, Categories, run)
    product_types = _vocabulary(root / PRODUCT_TYPES_FILE, schemas.PRODUCT_TYPES, ProductTypes, run)

    loaded: list[Loaded] = []
    broken: set[str] = set()
    for path in entry_paths:
        run.files_checked += 1
        doc, findings = load(path, display_path(path))
        entry = None
        if doc is not None:
            entry, findings = check_document(doc, schemas.ENTRY, Entry)
        run.findings.extend(findings)
        if doc is not None and entry is not None:
            loaded.append(Loaded(doc, entry))
        else:
            broken.add(path.stem)

    ctx = Context(loaded, categories, product_types, frozenset(broken))
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
