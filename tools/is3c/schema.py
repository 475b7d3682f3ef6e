"""JSON Schemas: generated from the models, committed in ``schemas/``, used to validate.

The committed files are what editors use (through the modeline in each entry) and
what CI checks against; ``is3c schema --check`` and a test make sure they never
drift from the models.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from is3c import api, model, published
from is3c.findings import Finding, show
from is3c.load import INCOMPLETE, LEFT_OUT, Document, Path_, dotted
from is3c.suggest import close_match, did_you_mean

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
PANEL = SchemaFile("panel", model.Panel, "IS3C expert panel")
DECISION = SchemaFile("decision", model.DecisionRecord, "IS3C panel decision record")
# Not for registry files: the envelope of the published JSON lists (``is3c build``).
LIST = SchemaFile("list", published.ListDocument, "IS3C published list")
# The static JSON API (``is3c build`` publishes them beside api/v1/).
API_STANDARDS = SchemaFile("api-standards", api.StandardsIndex, "IS3C API: all standards")
API_STANDARD = SchemaFile("api-standard", api.StandardDocument, "IS3C API: one standard")
API_PRODUCT_TYPE = SchemaFile("api-product-type", api.ProductTypeDocument, "IS3C API: one product type")
SCHEMA_FILES = (ENTRY, CATEGORIES, PRODUCT_TYPES, LIST, PANEL, DECISION, API_STANDARDS, API_STANDARD,
                API_PRODUCT_TYPE)


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
#
# Every finding says what is wrong with the value at hand and gives a fix an expert
# can act on without reading the schema: the form to write with an example, the
# values allowed, the field a misspelled name stands for.


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
        return "a mapping of fields"
    return "text"


_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping of fields"}

DATE_EXAMPLE = "2024-05-01"
_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "use lowercase letters, digits and single hyphens, e.g. 'dnssec'",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": f"write the date as YYYY-MM-DD, e.g. {DATE_EXAMPLE}",
    model.URL_PATTERN: "use an absolute https:// address with a plain ASCII host name, "
    "e.g. https://www.ietf.org/",
    "^[^\\n]*$": "write it on one line",
    "^[a-z]{2,3}(-[A-Z]{2})?$": "use a language code such as 'fr', 'es' or 'pt-BR'",
    "^[0-9]{8}-[0-9]$": "write the CPV code as eight digits, a hyphen and a check digit, "
    "e.g. 72000000-5",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _date_problem(text: str) -> tuple[str, str]:
    """Why a YYYY-MM-DD text is not a real date, and the nearest one that is."""
    import calendar
    import re

    if not re.fullmatch(model.DATE_PATTERN, text):
        return "it is not written YYYY-MM-DD", DATE_EXAMPLE
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}", f"{year:04d}-{min(max(month, 1), 12):02d}-01"
    last = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= last:
        return (f"{_MONTHS[month - 1]} {year} has {last} days",
                f"{year:04d}-{month:02d}-{min(max(day, 1), last):02d}")
    return "it is not a date", DATE_EXAMPLE


def _url_problem(url: str) -> tuple[str, str]:
    """What keeps a text from being a registry address, and how to mend it."""
    from urllib.parse import quote

    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https") or not rest:
        return ("is not a web address", "use an absolute https:// address, e.g. "
                "https://www.ietf.org/")
    if scheme not in ("http", "https"):
        return (f"writes the scheme as '{scheme}'", f"write it in lower case: '{scheme.lower()}://'")
    host, sep, tail = rest.partition("/") if "/" in rest else (rest, "", "")
    host = host.split("?")[0].split("#")[0]
    if "@" in host:
        return ("holds a user name before '@'", f"remove '{host.rsplit('@', 1)[0]}@'")
    for char, name in ((" ", "a space"), ("<", "'<'"), (">", "'>'"), ('"', "'\"'")):
        if char in url:
            return (f"holds {name}, which RFC 3986 does not allow in an address",
                    f"write it percent-encoded, as {quote(char)}")
    if any(c.isspace() for c in url):
        return ("holds white space, which RFC 3986 does not allow in an address",
                "remove it, or write it percent-encoded")
    if not host.isascii():
        return ("has a host name that is not plain ASCII",
                "link to the publisher's own ASCII address (look-alike letters can lead "
                "buyers to another site)")
    return ("is not an address the registry accepts", _PATTERN_HINTS[model.URL_PATTERN])


def _slug_for(text: str) -> str:
    import re

    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))[:64]


@dataclass
class _Context:
    """What a finding may need beyond its own error: the document and the schema."""

    doc: Document
    root: dict[str, Any]

    def at(self, path: Path_, code: str, message: str, hint: str, key: bool = False) -> Finding:
        line, column = self.doc.mark(path, key=key)
        return Finding(self.doc.file, line, column, code, dotted(path), message, hint)

    def schema_of(self, path: Path_) -> dict[str, Any] | None:
        """The schema of the value at ``path``, following $ref, items and properties."""
        node: Any = self.root
        for part in path:
            node = self.resolve(node)
            if isinstance(part, int):
                node = node.get("items")
            elif part in node.get("properties", {}):
                node = node["properties"][part]
            elif node.get("patternProperties"):
                node = next(iter(node["patternProperties"].values()))
            else:
                return None
            if not isinstance(node, dict):
                return None
        return self.resolve(node)

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = self.root["$defs"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def required(self, path: Path_) -> bool:
        """Whether the field at ``path`` must be written (a list item: always)."""
        if not path or isinstance(path[-1], int):
            return True
        parent = self.schema_of(path[:-1])
        return parent is not None and path[-1] in parent.get("required", [])


def _empty_hint(ctx: _Context, path: Path_) -> str:
    name = path[-1] if path else ""
    if isinstance(name, int):
        return "fill in the item, or delete its '- ' line"
    if ctx.required(path):
        return f"fill in the {name}: the field is required"
    return f"fill in a value, or delete the '{name}:' line"


def _type_hint(ctx: _Context, error: SchemaError) -> str:
    path = error.path
    expected, instance = error.schema, error.instance
    if instance is None:
        return _empty_hint(ctx, path)
    field = ctx.schema_of(path) or {}
    if expected == "string":
        if field.get("pattern") in (model.DATE_PATTERN, model.CPV_PATTERN) and \
                not isinstance(instance, (list, dict)):
            return _PATTERN_HINTS[field["pattern"]]  # quoting a number would not do
        raw = ctx.doc.typed_scalars.get(path)
        if raw is not None:
            return f'put the value in quotes: "{show(raw)[1:-1]}"'
        return "write a single text value here, not a list or fields"
    if expected == "array":
        return "write a list: each item on its own line, starting with '- '"
    if expected == "object":
        name = path[-1] if path and not isinstance(path[-1], int) else "the item"
        fields = list(field.get("required", [])) or list(field.get("properties", {}))[:3]
        return (f"write the fields of {name} on the lines below it, indented, "
                f"e.g. {', '.join(fields)}") if fields else "write fields here, not a value"
    return "check the value"


def _unknown_fields(ctx: _Context, error: SchemaError, missing: set[tuple[Path_, str]],
                    explained: set[tuple[Path_, str]]) -> list[Finding]:
    """An unknown field, with the field it most likely stands for. When that field
    is required and missing, this one finding says it all (``explained``)."""
    path = error.path
    allowed = sorted(error.parent_schema.get("properties", {}))
    absent = [name for name in allowed if (path, name) in missing]
    findings = []
    for name in (k for k in error.instance if k not in allowed):
        if not isinstance(name, str):
            continue
        match = close_match(name, absent) or close_match(name, allowed)
        if match is not None:
            hint = f"did you mean '{match}'?"
            if (path, match) in missing:
                explained.add((path, match))
                hint = f"did you mean '{match}'? (it is required, and missing here)"
        else:
            hint = "allowed fields here: " + ", ".join(allowed)
        findings.append(ctx.at((*path, name), "IS3C202", f"unknown field {show(name)}", hint,
                               key=True))
    return findings


def _schema_finding(ctx: _Context, error: SchemaError,
                    explained: set[tuple[Path_, str]]) -> list[Finding]:
    path = error.path
    keyword = error.keyword
    at = ctx.at
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        where = dotted(path)
        parent = f"under '{where}'" if where else "at the top level"
        return [
            at(path, "IS3C201", f"required field '{name}' is missing", f"add '{name}:' {parent}")
            for name in error.schema
            if name not in instance and (path, name) not in explained
        ]
    if keyword == "enum":
        choices = [str(c) for c in error.schema]
        hint = (did_you_mean(str(error.instance), choices) if isinstance(error.instance, str)
                else "") or "replace it with one of: " + ", ".join(choices)
        return [at(path, "IS3C204",
                   f"{show(error.instance)} is not one of: {', '.join(choices)}", hint)]
    if keyword == "type":
        if error.instance is None:
            return [at(path, "IS3C203", "is empty", _empty_hint(ctx, path))]
        expected = _TYPE_WORDS.get(str(error.schema), str(error.schema))
        return [at(path, "IS3C203", f"expected {expected}, found {_kind(error.instance)}",
                   _type_hint(ctx, error))]
    if keyword == "pattern":
        pattern = str(error.schema)
        if pattern == model.URL_PATTERN:
            problem, hint = _url_problem(str(error.instance))
            return [at(path, "IS3C205", f"{show(error.instance)} {problem}", hint)]
        if pattern == model.SINGLE_LINE_PATTERN:
            return [at(path, "IS3C205", "has a line break, but this field is one line",
                       "write it on one line after the colon (without '|' or '>')")]
        hint = _PATTERN_HINTS.get(pattern, f"it must match {pattern}")
        if pattern == model.SLUG_PATTERN and _slug_for(str(error.instance)):
            hint = (f"write it as '{_slug_for(str(error.instance))}': lowercase letters, "
                    "digits and single hyphens")
        return [at(path, "IS3C205", f"{show(error.instance)} has the wrong form", hint)]
    if keyword == "format":
        if error.schema == "date":
            problem, nearest = _date_problem(str(error.instance))
            if nearest == DATE_EXAMPLE:
                return [at(path, "IS3C205", f"{show(error.instance)} has the wrong form",
                           _PATTERN_HINTS[model.DATE_PATTERN])]
            return [at(path, "IS3C205", f"{show(error.instance)} is not a real date: {problem}",
                       f"write an existing date as YYYY-MM-DD, e.g. {nearest}")]
        problem, hint = _url_problem(str(error.instance))
        return [at(path, "IS3C205", f"{show(error.instance)} {problem}", hint)]
    if keyword in ("maxLength", "minLength", "maxItems", "minItems", "minProperties",
                   "maxProperties"):
        return [at(path, "IS3C206", *_size_message(ctx, keyword, error))]
    if keyword == "uniqueItems":
        seen: list[Any] = []
        repeated = next((item for item in error.instance if item in seen or seen.append(item)),
                        None)
        what = f"lists {show(repeated)} more than once" if repeated is not None else \
            "lists the same item more than once"
        return [at(path, "IS3C207", what, "delete the repeated item")]
    return [at(path, "IS3C299", show(error.message)[1:-1],
               "compare the value with the field's description in schemas/ and "
               "docs/content-guide.md")]


def _size_message(ctx: _Context, keyword: str, error: SchemaError) -> tuple[str, str]:
    limit = error.schema
    if keyword == "maxLength":
        return (f"is {len(error.instance)} characters long; the limit is {limit}",
                f"shorten it to at most {limit} characters (link to longer text instead)")
    if keyword == "minLength":
        if not error.instance:
            return "is empty", _empty_hint(ctx, error.path)
        return (f"is {len(error.instance)} characters long; at least {limit} are needed",
                "write the full value")
    if keyword == "maxItems":
        return (f"has {len(error.instance)} items; the limit is {limit}",
                f"keep the {limit} that matter most")
    if keyword == "minItems":
        return (f"needs at least {limit} item{'s' if limit != 1 else ''}",
                "add the item on the line below, starting with '- '")
    if keyword == "minProperties":
        return "is empty", "fill in at least one field, or delete it"
    return f"has more than {limit} fields", "keep only the fields listed in the schema"


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
_PYDANTIC_HINTS = {
    "IS3C201": "add the field",
    "IS3C202": "delete the field, or check its spelling",
    "IS3C203": "write the kind of value the field takes (see docs/content-guide.md)",
    "IS3C204": "use one of the values the message names",
    "IS3C205": "write it on one line, with no line break at its end",
    "IS3C206": "shorten or complete the value",
    "IS3C299": "compare the value with the field's description in docs/content-guide.md",
}


def _model_findings(doc: Document, exc: Any) -> list[Finding]:
    """Map a pydantic ValidationError; reached only where the schema is laxer than the
    model (Python's regex lets a trailing newline through '$', Rust's does not)."""
    findings = []
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        code = _PYDANTIC_CODES.get(error["type"], "IS3C203" if error["type"].endswith("_type") else "IS3C299")
        line, column = doc.mark(path)
        findings.append(Finding(doc.file, line, column, code, dotted(path),
                                show(error["msg"])[1:-1], _PYDANTIC_HINTS[code]))
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


def _explained_by_loader(doc: Document, error: SchemaError) -> SchemaError | None:
    """The error as it stands once what the loader left out is allowed for: a
    required field the loader refused, or a list or mapping it could not read in
    full, is not reported missing or short again (None: nothing left to report)."""
    if not doc.refused:
        return error
    for depth in range(len(error.path) + 1):
        if doc.refused.get(error.path[:depth]) == LEFT_OUT:
            return None  # about a value the loader left out (or the null in its place)
    incomplete = doc.refused.get(error.path) == INCOMPLETE
    if error.keyword == "required":
        names = [name for name in error.schema
                 if not incomplete and (*error.path, name) not in doc.refused]
        return replace(error, schema=names) if names else None
    if incomplete and error.keyword in ("minItems", "minProperties", "minLength"):
        return None
    return error


def findings_for(doc: Document, schema_file: SchemaFile) -> list[Finding]:
    """Every schema violation in the document, one finding per problem."""
    ctx = _Context(doc, validator(schema_file).schema)
    errors = [kept for e in iter_errors(schema_file, doc.data)
              if (kept := _explained_by_loader(doc, e)) is not None]
    missing = {(e.path, name) for e in errors if e.keyword == "required"
               for name in e.schema if isinstance(e.instance, dict) and name not in e.instance}
    explained: set[tuple[Path_, str]] = set()
    findings = [f for e in errors if e.keyword == "additionalProperties"
                for f in _unknown_fields(ctx, e, missing, explained)]
    findings += [f for e in errors if e.keyword != "additionalProperties"
                 for f in _schema_finding(ctx, e, explained)]
    return _one_per_value(list(dict.fromkeys(findings)))


def check_document(doc: Document, schema_file: SchemaFile, model: Any) -> tuple[Any, list[Finding]]:
    """The model and the committed schema: returns the model instance only when it passes.

    The models are at least as strict as the schema generated from them (a test
    checks this on every entry and on many broken variants), so a document the model
    accepts passes the schema too, and jsonschema, which costs far more, runs only on
    documents that have something to report. It then supplies the findings, with
    did-you-mean hints; the model's own messages are the fallback. A document the
    loader could not read in full is never turned into a model.
    """
    from pydantic import ValidationError

    error: ValidationError | None = None
    if not doc.has_null and not doc.refused:
        try:
            return model.model_validate(doc.data), []
        except ValidationError as exc:
            error = exc
    findings = findings_for(doc, schema_file)
    if findings or doc.refused:
        return None, findings
    if error is None:  # a null the schema did not object to: let the model decide
        try:
            return model.model_validate(doc.data), []
        except ValidationError as exc:
            error = exc
    return None, _model_findings(doc, error)
