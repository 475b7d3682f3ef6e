"""'is3c build' reuses the previous build: the result is always the bytes a clean build
gives, whatever changed, whatever state the cache is in."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from build_fixture import FIXTURE
from click.testing import CliRunner
from conftest import REPO
from is3c import store, write
from is3c.cli import main

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
# Every format but PDF (the slowest; test_cli_build covers it), in all languages.
FORMATS = "json,csv,xlsx,markdown,site,api,docx,odt"
REBUILT = re.compile(r"rebuilt ([0-9,]+) of ([0-9,]+) files")


def build(registry: Path, out: Path, cache: Path, *more: str) -> tuple[int, int]:
    """Build; returns (files rebuilt, files in the output) as the build says."""
    result = CliRunner().invoke(
        main, ["build", "--registry", str(registry), "--out", str(out), "--formats", FORMATS, *more],
        env={**EPOCH, "IS3C_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.output
    found = REBUILT.search(result.stdout)
    assert found, result.stdout
    rebuilt, total = (int(n.replace(",", "")) for n in found.groups())
    return rebuilt, total


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(FIXTURE, root)
    return root


def edit(registry: Path, entry: str, old: str, new: str) -> None:
    path = registry / "standards" / f"{entry}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def clean(registry: Path, tmp_path: Path, name: str, *more: str) -> dict[str, str]:
    """The same registry built from nothing: an empty cache, a new folder."""
    build(registry, tmp_path / name, tmp_path / f"{name}-cache", *more)
    return tree(tmp_path / name)


def test_a_rebuild_after_one_change_gives_the_bytes_of_a_clean_build(
        registry: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    rebuilt, total = build(registry, out, cache)
    assert rebuilt == total
    edit(registry, "dnssec", "title: ", "title: Edited ")
    rebuilt, total = build(registry, out, cache)
    # The entry's page in each language, and the lists and annexes it is on; not the
    # pages of entries that do not show it.
    assert 0 < rebuilt < total / 2
    assert tree(out) == clean(registry, tmp_path, "clean")
    assert "Edited" in (out / "standards" / "dnssec" / "index.html").read_text(encoding="utf-8")


def test_nothing_changed_rebuilds_nothing_and_touches_nothing(registry: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    rebuilt, total = build(registry, out, cache)
    assert rebuilt == 0 and total == len(before)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("change", ["vocabulary", "translation", "related", "remove-language"])
def test_every_kind_of_change_gives_the_bytes_of_a_clean_build(
        registry: Path, tmp_path: Path, change: str) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    if change == "vocabulary":  # a category's title shows on every page of its entries
        path = registry / "categories.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(title: )", r"\1Renamed ", text, count=1), encoding="utf-8")
    elif change == "translation":
        path = registry / "locale" / "fr" / "LC_MESSAGES" / "registry.po"
        text = path.read_text(encoding="utf-8")
        assert 'Le prestataire DOIT signer' in text
        path.write_text(text.replace('Le prestataire DOIT signer', 'Le titulaire DOIT signer'),
                        encoding="utf-8")
    elif change == "related":  # a short name shown on the pages of related entries
        edit(registry, "dnssec", "short_name: ", "short_name: X")
    else:  # a whole language goes: its folder goes too
        shutil.rmtree(registry / "locale" / "es")
    build(registry, out, cache)
    assert tree(out) == clean(registry, tmp_path, "clean")
    if change == "remove-language":
        assert not (out / "es").exists()


def test_a_file_changed_by_hand_in_the_output_is_made_again(registry: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    expected = tree(out)
    page = out / "standards" / "dnssec" / "index.html"
    page.write_text("defaced", encoding="utf-8")
    (out / "downloads" / "is3c-annex-website.docx").unlink()
    rebuilt, _ = build(registry, out, cache)
    assert rebuilt == 2  # those two files; SHA256SUMS did not change
    assert tree(out) == expected


def _poison(cache: Path, value: str, fix_check: bool) -> int:
    """Overwrite every stored piece of text with ``value``: with a valid checksum
    (a store that lies) or without (a damaged one). Returns the pieces changed."""
    db = sqlite3.connect(cache / store.FILE)
    rows = db.execute("SELECT key, value FROM kv").fetchall()
    changed = 0
    for key, stored in rows:
        if stored.startswith(store.TEXT) and stored[1:].lstrip().startswith(b"<"):  # HTML
            new = store.TEXT + value.encode()
            check = store._check(new) if fix_check else b"bad"
            db.execute("UPDATE kv SET value = ?, check_ = ? WHERE key = ?", (new, check, key))
            changed += 1
    db.commit()
    db.close()
    return changed


def test_pieces_are_reused_and_a_new_tool_version_or_template_ignores_them(
        registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    assert _poison(cache, "POISONED", fix_check=True) > 0
    # The same code finds the pieces it kept: the home page is assembled from them.
    edit(registry, "rpki", "title: ", "title: Edited ")
    build(registry, out, cache)
    assert "POISONED" in (out / "index.html").read_text(encoding="utf-8")
    # Another version of the tool (or other templates: both change the namespace)
    # never sees them.
    monkeypatch.setattr(store, "__version__", "0.0.0-other")
    monkeypatch.setattr(store, "_namespace", None)
    build(registry, out, cache)
    assert tree(out) == clean(registry, tmp_path, "clean")


def test_the_namespace_covers_every_template(tmp_path: Path) -> None:
    package = tmp_path / "is3c"
    shutil.copytree(REPO / "tools" / "is3c", package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = store.package_hash(package)
    page = package / "templates" / "standard.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.package_hash(package) != before


@pytest.mark.parametrize("damage", ["garbage", "bad-checksums", "empty"])
def test_a_damaged_cache_is_ignored(registry: Path, tmp_path: Path, damage: str) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    edit(registry, "rpki", "title: ", "title: Edited ")
    if damage == "garbage":
        (cache / store.FILE).write_bytes(b"not a database at all" * 100)
        for suffix in ("-wal", "-shm"):
            Path(str(cache / store.FILE) + suffix).unlink(missing_ok=True)
    elif damage == "bad-checksums":
        assert _poison(cache, "POISONED", fix_check=False) > 0
    else:
        (cache / store.FILE).write_bytes(b"")
    build(registry, out, cache)
    assert tree(out) == clean(registry, tmp_path, "clean")


def test_a_failure_while_updating_puts_every_file_back(
        registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    before = tree(out)
    edit(registry, "dnssec", "title: ", "title: Edited ")
    real_rename = write.os.rename
    calls = []

    def failing_rename(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == 7:  # some files are in place by now, others not yet
            raise OSError(5, "Input/output error")
        real_rename(source, target)

    monkeypatch.setattr(write.os, "rename", failing_rename)
    result = CliRunner().invoke(
        main, ["build", "--registry", str(registry), "--out", str(out), "--formats", FORMATS],
        env={**EPOCH, "IS3C_CACHE_DIR": str(cache)})
    assert result.exit_code == 2 and "the previous build" in result.stderr
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    monkeypatch.setattr(write.os, "rename", real_rename)
    build(registry, out, cache)
    assert tree(out) == clean(registry, tmp_path, "clean")


def test_an_update_killed_halfway_is_undone_by_the_next_build(tmp_path: Path) -> None:
    """What a build killed in the middle of moving files leaves beside the output:
    its undo folder and its (no longer held) lock. The next build puts the old
    files back before it looks at the output."""
    from is3c.render import Files

    out = tmp_path / "dist"
    first = Files()
    for path, text in {"a.html": b"old a", "sub/b.html": b"old b", "gone.html": b"old gone"}.items():
        first.add(path, lambda text=text: text)
    outcome = write.update_tree(first, out, None)
    before = tree(out)
    # The killed build had moved a.html aside and its new version in, moved
    # gone.html aside, added new.html, and not yet touched sub/b.html.
    base = tmp_path / ".dist.killed"
    undo = Path(f"{base}.undo")
    (undo / "files").mkdir(parents=True)
    (undo / write.UNDO_JOURNAL).write_text(
        '{"added": ["new.html"], "replaced": ["a.html", "sub/b.html", "SHA256SUMS"], '
        '"removed": ["gone.html"]}', encoding="utf-8")
    (out / "a.html").rename(undo / "files" / "a.html")
    (out / "a.html").write_bytes(b"new a")
    (out / "gone.html").rename(undo / "files" / "gone.html")
    (out / "new.html").write_bytes(b"new")
    Path(f"{base}.lock").write_bytes(b"")
    second = Files()
    for path, text in {"a.html": b"old a", "sub/b.html": b"old b", "gone.html": b"old gone"}.items():
        second.add(path, lambda text=text: text)
    assert write.update_tree(second, out, outcome.manifest).rebuilt == 0
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_nothing_changed_tells_the_same_warnings_again(registry: Path, tmp_path: Path) -> None:
    edit(registry, "dnssec", "next_review_due: 2027-01-15", "next_review_due: 2025-01-15")
    said = []
    for _ in range(2):
        result = CliRunner().invoke(
            main, ["build", "--registry", str(registry), "--out", str(tmp_path / "dist"),
                   "--formats", "json,site"],
            env={**EPOCH, "IS3C_CACHE_DIR": str(tmp_path / "cache")})
        assert result.exit_code == 0, result.output
        said.append((result.stderr, REBUILT.sub("", result.stdout)))
    assert "warning IS3C312" in said[0][0]
    assert said[0] == said[1]


def test_a_file_added_by_hand_to_the_output_goes(registry: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build(registry, out, cache)
    (out / "standards" / "stray.html").write_text("not ours", encoding="utf-8")
    build(registry, out, cache)
    assert not (out / "standards" / "stray.html").exists()
    assert tree(out) == clean(registry, tmp_path, "clean")


def test_a_changed_catalog_is_checked_again_on_a_warm_run(registry: Path, tmp_path: Path) -> None:
    """The catalogs' findings are remembered by the catalogs' bytes: an edit to one
    is seen on the next run."""
    def check() -> tuple[int, str]:
        result = CliRunner().invoke(main, ["validate", "--registry", str(registry)],
                                    env={"IS3C_CACHE_DIR": str(tmp_path / "cache")})
        return result.exit_code, result.stdout

    assert check()[0] == 0
    po = registry / "locale" / "fr" / "LC_MESSAGES" / "registry.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    code, said = check()
    assert code == 1 and "registry.po" in said


def test_another_version_of_a_library_that_writes_the_outputs_is_another_namespace(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A new XlsxWriter or Jinja2 may write other bytes: nothing made by the old one
    is reused."""
    monkeypatch.setattr(store, "_namespace", None)
    before = store.namespace()
    versions = store.library_versions()
    monkeypatch.setattr(store, "library_versions",
                        lambda: versions.replace("XlsxWriter=", "XlsxWriter=0.0.1-"))
    monkeypatch.setattr(store, "_namespace", None)
    assert store.namespace() != before
