"""JSON Schemas: generated from the models, committed in ``schemas/``, used to validate.

The committed files are what editors use (through the modeline in each entry) and
what CI checks against; ``is3c schema --check`` and a test make sure they never
drift from the models.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from is3c import model, published

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_VERSION = 1


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
SCHEMA_FILES = (ENTRY, CATEGORIES, PRODUCT_TYPES, LIST)


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
