"""render/json.py: the published envelope, valid against the committed schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from build_fixture import HOSTILE_ID, check_golden, fixture_build, fixture_registry
from is3c.render import SCHEMA_FILE, list_file
from is3c.render import json as render_json

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["urgent", "full"])
def test_golden(name: str) -> None:
    files = render_json.render(fixture_build())
    check_golden(f"json/is3c-{name}-list.json", files[list_file(name, "json")])


def test_ships_the_committed_schema() -> None:
    files = render_json.render(fixture_build())
    assert files[SCHEMA_FILE] == (REPO / "schemas" / "list.schema.json").read_bytes()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lists_are_valid_against_the_published_schema(language: str) -> None:
    schema = json.loads((REPO / "schemas" / "list.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for name, content in render_json.render(fixture_build(language)).items():
        if name.endswith("-list.json"):
            errors = [e.message for e in validator.iter_errors(json.loads(content))]
            assert errors == [], name


def test_envelope() -> None:
    data = json.loads(render_json.render(fixture_build())[list_file("full", "json")])
    assert {k: data[k] for k in ("list", "title", "registry_version", "schema_version",
                                 "released", "count", "language")} == {
        "list": "full",
        "title": "Full overview list of security standards for ICT procurement",
        "registry_version": "fixture-1",
        "schema_version": 2,
        "released": "2026-01-01",
        "count": 6,
        "language": "en",
    }
    assert [e["id"] for e in data["entries"]] == [
        "dnssec", "rpki", "tls", HOSTILE_ID, "dane", "security-txt"]
    assert [e["id"] for e in data["annex"]] == ["post-quantum-tls", "tls-1-0", "old-practice"]
    assert [c["id"] for c in data["categories"]] == [c.id for c in fixture_registry().categories]


def test_keys_are_sorted_and_text_is_utf8_with_a_final_newline() -> None:
    content = render_json.render(fixture_build("fr"))[list_file("urgent", "json")]
    assert content.endswith(b"}\n")
    assert "sécurité".encode() in content  # not \u00e9 escapes

    def sorted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    json.loads(content, object_pairs_hook=sorted_pairs)


def test_json_keeps_the_raw_text() -> None:
    """JSON is data: escaping is the job of whoever displays it."""
    data = json.loads(render_json.render(fixture_build())[list_file("urgent", "json")])
    hostile = next(e for e in data["entries"] if e["id"] == HOSTILE_ID)
    source = next(e for e in fixture_registry().entries if e.id == HOSTILE_ID)
    assert hostile["title"] == source.title
    assert hostile["procurement"]["tender_clause"] == source.procurement.tender_clause  # type: ignore[union-attr]
