"""The committed JSON Schemas are exactly what the models generate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO
from pydantic import Field

from is3c import model, schema
from is3c.schema import SCHEMA_FILES, SchemaFile, dumps, generate, stale_files

FIX = "run 'is3c schema --write' and commit the files in schemas/"


def test_committed_schemas_match_the_models() -> None:
    stale = stale_files(REPO / "schemas")
    assert not stale, f"{', '.join(map(str, stale))} out of date: {FIX}"


def test_drift_check_fails_when_a_model_field_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")

    class ChangedEntry(model.Entry):
        audience: str = Field(default="", description="A field added without regenerating.")

    changed = SchemaFile("entry", ChangedEntry, "IS3C registry entry")
    monkeypatch.setattr(schema, "SCHEMA_FILES", (changed, *SCHEMA_FILES[1:]))
    assert stale_files(tmp_path / "schemas") == [tmp_path / "schemas" / "entry.schema.json"]
    schema.write_all(tmp_path / "schemas")
    assert stale_files(tmp_path / "schemas") == []


def test_schemas_are_draft_2020_12_with_stable_ids() -> None:
    for schema_file in SCHEMA_FILES:
        committed = json.loads((REPO / "schemas" / schema_file.filename).read_text())
        assert committed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert committed["$id"] == f"urn:is3c:registry:schema:{schema_file.name}:v2"
        assert committed["additionalProperties"] is False


def test_schema_has_no_remote_references() -> None:
    text = dumps(generate(schema.ENTRY))
    refs = [line for line in text.splitlines() if '"$ref"' in line]
    assert refs and all('"#/$defs/' in line for line in refs)


def test_optional_fields_are_omitted_not_null() -> None:
    """Editors should not suggest writing 'null'; optional means leave the key out."""
    text = dumps(generate(schema.ENTRY))
    assert '"null"' not in text and '"default": null' not in text


def test_entry_files_carry_the_editor_modeline() -> None:
    for path in sorted((REPO / "registry" / "standards").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/entry.schema.json", path.name
