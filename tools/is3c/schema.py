"""JSON Schemas: generated from the models, committed in ``schemas/``, used to validate.

The committed files are what editors use (through the modeline in each entry) and
what CI checks against; ``is3c schema --check`` and a test make sure they never
drift from the models.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from is3c import api, model, published
from is3c.findings import Finding, show
from is3c.load import Document, Path_, dotted

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class SchemaFile:
    """One published schema: which model it comes from and where it is committed."""

    name: str
    model: type[BaseModel]
    title: str

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"

    @property
    def schema_id(self) -> str:
        # A URN rather than a made-up web address: stable, and never fetched.
        return f"urn:is3c:registry:schema:{self.name}:v{SCHEMA_VERSION}"


ENTRY = SchemaFile("entry", model.Entry, "IS3C registry entry")
CATEGORIES = SchemaFile("categories", model.Categories, "IS3C registry categories")
PRODUCT_TYPES = SchemaFile("product-types", model.ProductTypes, "IS3C registry product types")
# Not for registry files: the envelope of the published JSON lists (``is3c build``).
LIST = SchemaFile("list", published.ListDocument, "IS3C published list")
# The static JSON API (``is3c build`` publishes them beside api/v1/).
API_STANDARDS = SchemaFile("api-standards", api.StandardsIndex, "IS3C API: all standards")
API_STANDARD = SchemaFile("api-standard", api.StandardDocument, "IS3C API: one standard")
API_PRODUCT_TYPE = SchemaFile("api-product-type", api.ProductTypeDocument, "IS3C API: one product type")
SCHEMA_FILES = (ENTRY, CATEGORIES, PRODUCT_TYPES, LIST, API_STANDARDS, API_STANDARD, API_PRODUCT_TYPE)


def _tidy(node: Any) -> Any:
    """Drop pydantic's generated field titles and null defaults, which only add noise
    to editor completion (fields are optional by omission, never by writing null)."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs"):
            tidy[key] = {name: _tidy(sub) for name, sub in value.items()}
        elif key == "title" and isinstance(value, str):
            continue
        elif key == "default" and value is None:
            continue
        else:
            tidy[key] = _tidy(value)
    return tidy


def generate(schema_file: SchemaFile) -> dict[str, Any]:
    """The JSON Schema for one file kind, exactly as it is committed."""
    body = _tidy(schema_file.model.model_json_schema())
    doc_lines = (schema_file.model.__doc__ or "").strip().splitlines()
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_file.schema_id,
        "title": schema_file.title,
        "description": doc_lines[0] if doc_lines else schema_file.title,
        **body,
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def stale_files(schema_dir: Path) -> list[Path]:
    """Committed schema files that differ from what the models generate."""
    stale = []
    for schema_file in SCHEMA_FILES:
        path = schema_dir / schema_file.filename
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != dumps(generate(schema_file)):
            stale.append(path)
    return stale


def write_all(schema_dir: Path) -> list[Path]:
    """Regenerate every committed schema; returns the files that changed."""
    changed = stale_files(schema_dir)
    schema_dir.mkdir(parents=True, exist_ok=True)
    for schema_file in SCHEMA_FILES:
        path = schema_dir / schema_file.filename
        if path in changed:
            path.write_text(dumps(generate(schema_file)), encoding="utf-8")
    return changed


@cache
def validator(schema_file: SchemaFile) -> Any:
    """A Draft 2020-12 validator that asserts formats and never fetches a remote $ref."""
    import jsonschema
    from referencing import Registry

    schema = generate(schema_file)
    # An empty registry without a ``retrieve`` function: any $ref that is not inside
    # the schema itself fails instead of going to the network or the file system.
    return jsonschema.Draft202012Validator(
        schema,
        registry=Registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


@dataclass(frozen=True)
class SchemaError:
    """One schema violation, reduced to what a finding needs."""

    path: tuple[str | int, ...]
    keyword: str
    message: str
    instance: Any
    schema: Any
    parent_schema: Any
    schema_path: tuple[str | int, ...]


def iter_errors(schema_file: SchemaFile, document: Any) -> Iterator[SchemaError]:
    """Every violation in one document, the deepest first when they nest."""
    for error in validator(schema_file).iter_errors(document):
        yield from _leaves(error)


def _leaves(error: Any) -> Iterator[SchemaError]:
    if error.context:
        # anyOf/oneOf: report the branch that got furthest, not the whole tree.
        best = max(error.context, key=lambda e: len(e.absolute_path))
        yield from _leaves(best)
        return
    yield SchemaError(
        path=tuple(error.absolute_path),
        keyword=str(error.validator),
        message=error.message,
        instance=error.instance,
        schema=error.validator_value,
        parent_schema=error.schema,
        schema_path=tuple(error.absolute_schema_path),
    )


# --- mapping errors to findings ------------------------------------------------


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


def _schema_finding(doc: Document, error: SchemaError) -> list[Finding]:
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


def _size_message(keyword: str, error: SchemaError) -> str:
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


def check_document(doc: Document, schema_file: SchemaFile, model: Any) -> tuple[Any, list[Finding]]:
    """The model and the committed schema: returns the model instance only when it passes.

    The models are at least as strict as the schema generated from them (a test
    checks this on every entry and on many broken variants), so a document the model
    accepts passes the schema too, and jsonschema, which costs far more, runs only on
    documents that have something to report. It then supplies the findings, with
    did-you-mean hints; the model's own messages are the fallback.
    """
    from pydantic import ValidationError

    error: ValidationError | None = None
    if not doc.has_null:
        try:
            return model.model_validate(doc.data), []
        except ValidationError as exc:
            error = exc
    findings = _one_per_value(
        [f for e in iter_errors(schema_file, doc.data) for f in _schema_finding(doc, e)]
    )
    if findings:
        return None, findings
    if error is None:  # a null the schema did not object to: let the model decide
        try:
            return model.model_validate(doc.data), []
        except ValidationError as exc:
            error = exc
    return None, _model_findings(doc, error)
