"""i18n.py and 'is3c i18n': catalogs on disk, as translators and contributors meet them.

Every test works on a copy of the fixture registry (tests/data/build/registry) with
its real fr and es catalogs, runs the real commands, and reads back the real files.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from build_fixture import FIXTURE
from click.testing import CliRunner
from is3c import i18n
from is3c.cli import main
from is3c.validate import validate

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}
OLD_CLAUSE = ("The supplier MUST sign every domain name it hosts for the buyer with DNSSEC and "
              "keep the signatures valid for the whole contract term.")
NEW_CLAUSE = ("The supplier MUST sign every domain name it hosts for the buyer with DNSSEC (RFC 4033) "
              "and keep the signatures valid for the whole contract term.")
CONTEXT = "dnssec:procurement.tender_clause"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=EPOCH)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture registry; the working directory is its parent."""
    copy = tmp_path / "registry"
    shutil.copytree(FIXTURE, copy)
    monkeypatch.chdir(tmp_path)
    return copy


def catalog(root: Path, language: str) -> i18n.Catalog:
    return i18n.read(i18n.registry_catalog(root, language).read_bytes(), language)


def edit(root: Path, language: str, context: str, translation: str) -> int:
    """Set one translation as a PO editor would; returns the msgid line of the message."""
    path = i18n.registry_catalog(root, language)
    found = catalog(root, language)
    for message in found:
        if message.context == context:
            message.string = translation
    path.write_bytes(i18n.dump(found))
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgctxt "{context}"') + 2


def findings(root: Path) -> list[tuple[str, int, str, str, str]]:
    return [(f.file, f.line, f.code, f.path, f.severity)
            for f in validate(root).findings if f.code.startswith("IS3C5")]


def test_the_committed_catalogs_are_current() -> None:
    code, stdout, _ = run("i18n", "check", "--registry", str(FIXTURE))
    assert (code, stdout) == (0, "catalogs are up to date\n")
    assert findings(FIXTURE) == []


def test_a_changed_english_clause_becomes_fuzzy_and_the_build_shows_the_english(root: Path) -> None:
    assert run("i18n", "update", "--registry", str(root), "--add", "ar")[0] == 0
    edit(root, "ar", CONTEXT, "يجب على المورّد توقيع كل اسم نطاق يستضيفه للمشتري باستخدام DNSSEC.")
    entry = root / "standards" / "dnssec.yaml"
    entry.write_text(entry.read_text().replace("with DNSSEC\n    and keep", "with DNSSEC (RFC 4033)\n    and keep"))

    # Before 'update': CI says the catalogs are stale, validation warns.
    code, stdout, _ = run("i18n", "check", "--registry", str(root))
    assert code == 1 and "registry/locale/fr/LC_MESSAGES/registry.po: out of date" in stdout
    assert ("registry/locale/fr/LC_MESSAGES/registry.po", "IS3C503") in [
        (f[0], f[2]) for f in findings(root)]

    code, stdout, _ = run("i18n", "update", "--registry", str(root))
    assert code == 0 and "wrote registry/locale/fr/LC_MESSAGES/registry.po" in stdout
    for language in ("ar", "es", "fr"):
        message = catalog(root, language).get(NEW_CLAUSE, context=CONTEXT)
        assert message is not None and message.fuzzy, language
        assert message.previous_id == [OLD_CLAUSE]  # '#| msgid': what the translator saw
        assert message.string  # kept, for the translator to check
    text = i18n.registry_catalog(root, "fr").read_text(encoding="utf-8")
    assert '#, fuzzy\n#| msgid ""\n#| "The supplier MUST sign every domain' in text
    assert run("i18n", "check", "--registry", str(root))[0] == 0
    assert run("i18n", "update", "--registry", str(root))[1].endswith(" catalogs: 0 updated\n")
    # Fuzzy required translations are warnings: the corrected English is published now.
    assert ("registry/locale/fr/LC_MESSAGES/registry.po", "IS3C509", "warning") in [
        (f[0], f[2], f[4]) for f in findings(root)]

    out = root.parent / "dist"
    assert run("build", "--registry", str(root), "--out", str(out))[0] == 0
    markers = {"fr": "(pas encore traduit)", "es": "(aún no traducido)", "ar": "(لم يُترجم بعد)"}
    for language, marker in markers.items():
        page = (out / language / "standards" / "dnssec" / "index.html").read_text(encoding="utf-8")
        clause = page.split('<blockquote class="clause"')[1].split("</blockquote>")[0]
        assert clause.startswith(' lang="en" dir="ltr"><p>' + NEW_CLAUSE), language
        assert marker in clause, language
        annex = (out / language / "downloads" / "is3c-annex-dns-hosting.md").read_text(encoding="utf-8")
        assert f"> {NEW_CLAUSE} \\[{marker.strip('()')}\\]\n" in annex, language
        sheet = openpyxl.load_workbook(out / language / "downloads" / "is3c-urgent-list.xlsx").worksheets[0]
        assert bool(sheet.sheet_view.rightToLeft) is (language == "ar")
        clauses = [row for row in sheet.iter_rows(values_only=True) if row[2] == "dnssec"]
        assert any(f"{NEW_CLAUSE} [{marker.strip('()')}]" in cell for cell in clauses[0] if cell)


def test_deleting_a_required_translation_is_an_error_with_file_and_line(root: Path) -> None:
    line = edit(root, "es", CONTEXT, "")
    assert findings(root) == [
        ("registry/locale/es/LC_MESSAGES/registry.po", line, "IS3C508", f"'{CONTEXT}'", "error")]
    code, stdout, _ = run("validate", "--registry", str(root))
    assert code == 1
    assert (f"registry/locale/es/LC_MESSAGES/registry.po:{line}:1: error IS3C508 '{CONTEXT}': "
            "no es translation of this text of an urgent entry") in stdout
    # A missing translation of a non-urgent entry is only less coverage.
    assert edit(root, "es", "tls:title", "") and len(findings(root)) == 1


def test_keywords_rfc_numbers_and_placeholders_must_match_the_english(root: Path) -> None:
    line = edit(root, "fr", CONTEXT, "Le prestataire PEUT signer chaque nom de domaine avec DNSSEC "
                                     "(RFC 4034).")
    found = [(f.line, f.code, f.message) for f in validate(root).findings if f.code.startswith("IS3C5")]
    assert found == [
        (line, "IS3C505", "RFC numbers differ from the English: none in English, 4034 here"),
        (line, "IS3C506", "requirement keywords differ from the English "
                          "(MUST 1x, MAY 0x; here DOIT/DOIVENT 0x, PEUT/PEUVENT 1x)"),
    ]


def test_keyword_counts_per_language() -> None:
    english = "The supplier MUST do a, MUST do b and MUST NOT do c; it SHOULD do d."
    assert list(i18n.mismatches(english, "Il DOIT a, DOIT b et NE DOIT PAS c ; il DEVRAIT d.", "fr")) == []
    assert [m[0] for m in i18n.mismatches(english, "Il DOIT a et DOIT b ; il DEVRAIT d.", "fr")] == ["IS3C506"]
    assert list(i18n.mismatches(english, "Los proveedores DEBEN a, DEBEN b, no DEBEN c; DEBERÍA d.", "es")) == []
    assert list(i18n.mismatches(english, "يجب أ، يجب ب، يجب ألا ج؛ ينبغي د.", "ar")) == []
    # "لا يجوز" (is not permitted) renders MUST NOT, and "وRFC" is "and RFC".
    assert list(i18n.mismatches(english, "يجب أ، يجب ب، ولا يجوز ج؛ ينبغي د.", "ar")) == []
    assert list(i18n.mismatches("RFC 9989; RFC 7489 for older software", "RFC 9989؛ وRFC 7489 للأقدم", "ar")) == []
    assert list(i18n.mismatches("Since 1 August 2025.", "Depuis le 1er août 2025.", "fr")) == []
    assert list(i18n.mismatches("Version 1.6 is the 1st edition, 1.7 the 2nd.",
                                "La version 1.6 est la 1re édition, la 1.7 la 2e.", "fr")) == []
    assert [m[0] for m in i18n.mismatches("Within 30 days.", "Dans un délai de 3 jours.", "fr")] == ["IS3C507"]
    assert list(i18n.mismatches("Within 30 days, W3C.", "خلال ٣٠ يومًا، W3C.", "ar")) == []
    assert [m[0] for m in i18n.mismatches("Hello %(name)s", "Bonjour", "fr")] == ["IS3C504"]


def test_a_context_that_names_nothing_is_an_error(root: Path) -> None:
    path = i18n.registry_catalog(root, "fr")
    path.write_text(path.read_text(encoding="utf-8")
                    + '\nmsgctxt "no-such-entry:title"\nmsgid "X"\nmsgstr "Y"\n'
                    + '\nmsgctxt "dnssec:verification"\nmsgid "X"\nmsgstr "Y"\n', encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines.index('msgctxt "no-such-entry:title"') + 2
    assert [(f[1], f[2], f[3]) for f in findings(root)] == [
        (first, "IS3C502", "'no-such-entry:title'"), (first + 4, "IS3C502", "'dnssec:verification'")]


def test_a_catalog_that_does_not_parse_is_an_error_with_its_line(root: Path) -> None:
    path = i18n.registry_catalog(root, "fr")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "Une phrase collée sans guillemets")  # a translator's paste gone wrong
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [f for f in validate(root).findings if f.code.startswith("IS3C5")]
    assert [(f.file, f.line, f.code) for f in found] == [
        ("registry/locale/fr/LC_MESSAGES/registry.po", 21, "IS3C501")]
    # 'update' leaves a catalog it cannot read alone rather than throw work away.
    before = path.read_bytes()
    run("i18n", "update", "--registry", str(root))
    assert path.read_bytes() == before


def test_update_is_deterministic_and_extract_writes_only_templates(root: Path) -> None:
    before = {p: p.read_bytes() for p in root.rglob("*.po*")}
    code, stdout, _ = run("i18n", "update", "--registry", str(root))
    assert code == 0 and stdout.endswith(": 0 updated\n")
    assert {p: p.read_bytes() for p in root.rglob("*.po*")} == before
    i18n.registry_template(root).unlink()
    code, stdout, _ = run("i18n", "extract", "--registry", str(root))
    assert code == 0 and stdout.startswith("wrote registry/locale/registry.pot\n")
    assert {p: p.read_bytes() for p in root.rglob("*.po*")} == before


def test_stats_per_language_and_list() -> None:
    code, stdout, _ = run("i18n", "stats", "--registry", str(FIXTURE))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == "Español (es): test fixture; test fixture, not reviewed"
    assert lines[1].split() == ["100%", "22/22", "urgent", "list"]
    assert any(line.split()[-3:] == ["annex", "for", "dns-hosting"] for line in lines)
    assert lines[lines.index("Français (fr): test fixture; test fixture, not reviewed") + 1].startswith("  100%")


def test_the_tool_speaks_every_language_it_has_a_catalog_for() -> None:
    english = i18n.tool_template()
    for language in ("ar", "es", "fr"):
        found = i18n.read(i18n.tool_catalog(language).read_bytes(), language)
        untranslated = [m.id for m in found if m.id and (not m.string or m.fuzzy
                        or (isinstance(m.string, tuple) and not all(m.string)))]
        assert untranslated == [], language
        assert len([m for m in found if m.id]) == len([m for m in english if m.id])
        assert i18n.credits(found).review  # every catalog says whether it was reviewed
    assert i18n.translations("fr").gettext("Urgent") == "Urgente"
    assert i18n.translations("de").gettext("Urgent") == "Urgent"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed "
                    "('apt-get install gettext', as .ci/run does)")
def test_gnu_gettext_reads_every_catalog(tmp_path: Path) -> None:
    """msgfmt, the reference reader PO editors build on, accepts every catalog we write,
    and its format check finds every placeholder of the tool's words kept."""
    repo = FIXTURE.parents[3]
    catalogs = sorted([*(repo / "registry" / "locale").rglob("*.po"),
                       *(FIXTURE / "locale").rglob("*.po"), *i18n.tool_locale().rglob("*.po")])
    assert len(catalogs) == 8
    for path in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, (path, result.stderr)
