"""The per-file cache and the process pool change how fast, never what is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import WriteEntry, entry_text

import is3c.cache
import is3c.validate
from is3c.validate import validate


def summary(result: is3c.validate.Result) -> list[tuple]:
    return [(f.file, f.line, f.column, f.code, f.path, f.message, f.hint) for f in result.findings]


@pytest.fixture
def mixed_registry(registry: Path, write_entry: WriteEntry) -> Path:
    write_entry("good.yaml", entry_text("good"))
    write_entry("typo.yaml", entry_text("typo", **{"tier: recommended": "tier: urgnt"}))
    write_entry("dangling.yaml", entry_text("dangling", **{"lifecycle:": "related:\n  - id: nope\n    relation: requires\nlifecycle:"}))
    write_entry("broken.yaml", "id: broken\n\tx\n")
    return registry


def test_warm_run_reports_exactly_what_the_cold_run_did(mixed_registry: Path, tmp_path: Path) -> None:
    cold = validate(mixed_registry, cache_dir=tmp_path / "c")
    assert list((tmp_path / "c").glob("validate-*.json"))
    warm = validate(mixed_registry, cache_dir=tmp_path / "c")
    assert summary(warm) == summary(cold) == summary(validate(mixed_registry))
    assert [f.code for f in cold.findings] == ["IS3C105", "IS3C305", "IS3C204"]


def test_changed_file_is_checked_again(registry: Path, write_entry: WriteEntry, tmp_path: Path) -> None:
    write_entry("x.yaml", entry_text("x"))
    assert validate(registry, cache_dir=tmp_path / "c").findings == []
    write_entry("x.yaml", entry_text("x", **{"kind: standard": "kind: standart"}))
    assert [f.code for f in validate(registry, cache_dir=tmp_path / "c").findings] == ["IS3C204"]


def test_cache_never_answers_for_another_file_with_the_same_bytes(registry: Path, write_entry: WriteEntry, tmp_path: Path) -> None:
    write_entry("x.yaml", entry_text("x"))
    validate(registry, cache_dir=tmp_path / "c")
    (registry / "standards" / "x.yaml").rename(registry / "standards" / "y.yaml")
    assert [f.code for f in validate(registry, cache_dir=tmp_path / "c").findings] == ["IS3C301"]


def test_damaged_cache_is_ignored(mixed_registry: Path, tmp_path: Path) -> None:
    cold = validate(mixed_registry, cache_dir=tmp_path / "c")
    for path in (tmp_path / "c").glob("validate-*.json"):
        path.write_text("{not json")
    assert summary(validate(mixed_registry, cache_dir=tmp_path / "c")) == summary(cold)


def test_a_code_change_starts_a_new_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    before = is3c.cache.namespace()
    monkeypatch.setattr(is3c.cache, "__version__", "999.0")
    assert is3c.cache.namespace() != before


def test_cache_holds_only_json_for_existing_files(mixed_registry: Path, tmp_path: Path) -> None:
    validate(mixed_registry, cache_dir=tmp_path / "c")
    (mixed_registry / "standards" / "good.yaml").unlink()
    validate(mixed_registry, cache_dir=tmp_path / "c")
    (cache_file,) = (tmp_path / "c").glob("validate-*.json")
    assert len(json.loads(cache_file.read_text())) == 5  # 3 entries and 2 vocabularies


def test_unwritable_cache_costs_only_time(mixed_registry: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert summary(validate(mixed_registry, cache_dir=blocker / "sub")) == summary(validate(mixed_registry))


def test_process_pool_reports_exactly_what_one_process_does(mixed_registry: Path, write_entry: WriteEntry, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(20):
        write_entry(f"e{number}.yaml", entry_text(f"e{number}"))
    serial = validate(mixed_registry)
    monkeypatch.setattr(is3c.validate, "PARALLEL_MIN_FILES", 1)
    parallel = validate(mixed_registry)
    assert summary(parallel) == summary(serial)
    assert parallel.registry is None and len(summary(serial)) == 3
