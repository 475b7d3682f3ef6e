"""The models, with the loader's null check, are never laxer than the committed schema.

``check_document`` relies on this to run jsonschema only on documents that hold a
null or that the model rejects, so the test tries every real entry and many
broken variants of it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from conftest import REPO
from pydantic import ValidationError

from is3c import schema
from is3c.load import load
from is3c.model import Entry

BAD_VALUES: list[Any] = [
    "", "x" * 4001, "two\nlines", "trailing\n", 1, 1.5, True, None, [], {}, ["x"], {"x": 1},
    "2024-02-30", "2024-2-3", "javascript:alert(1)", "https://exa mple.org/", "Upper-Case",
    "a--b", "-a", "urgnt", "https://user@example.org/",
]


def leaf_paths(node: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaf_paths(value, (*path, index))
    yield path


def replaced(data: Any, path: tuple, value: Any) -> Any:
    copied = copy.deepcopy(data)
    if not path:
        return value
    parent = copied
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return copied


def removed(data: Any, path: tuple) -> Any:
    copied = copy.deepcopy(data)
    parent = copied
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return copied


def variants(data: dict) -> Iterator[Any]:
    yield data
    for path in leaf_paths(data):
        if not path:
            continue
        for value in BAD_VALUES:
            yield replaced(data, path, value)
        yield removed(data, path)
        if isinstance(path[-1], str):
            yield replaced(data, (*path[:-1], path[-1] + "x"), "extra")


def has_null(data: Any) -> bool:
    if isinstance(data, dict):
        return any(has_null(v) for v in data.values())
    if isinstance(data, list):
        return any(has_null(v) for v in data)
    return data is None


def model_accepts(data: Any) -> bool:
    if has_null(data):
        return False
    try:
        Entry.model_validate(data)
    except ValidationError:
        return False
    return True


def test_model_is_at_least_as_strict_as_the_schema() -> None:
    validator = schema.validator(schema.ENTRY)
    checked = 0
    for path in sorted((REPO / "registry" / "standards").glob("*.yaml"))[:12]:
        doc, findings = load(path, path.name)
        assert doc is not None, findings
        for variant in variants(doc.data):
            checked += 1
            if model_accepts(variant):
                errors = [e.message for e in validator.iter_errors(variant)]
                assert errors == [], f"model accepts what the schema rejects: {errors}"
    assert checked > 1000
