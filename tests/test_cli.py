"""The command line: output formats, exit codes, and no traceback for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner
from conftest import REPO, WriteEntry, entry_text

from is3c.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_clean_registry_exits_0(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x"))
    code, out = run("validate")
    assert (code, out) == (0, "3 files checked: no problems found.\n")


def test_findings_exit_1_with_location_code_and_fix(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"tier: recommended": "tier: urgnt"}))
    code, out = run("validate")
    assert code == 1
    assert out.splitlines() == [
        "registry/standards/x.yaml:18:9: error IS3C204 priority.tier: "
        "'urgnt' is not one of: urgent, recommended, emerging",
        "    fix: did you mean 'urgent'?",
        "3 files checked: 1 error, 0 warnings.",
    ]


def test_warnings_alone_exit_0(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: proposed\n  "
                                            "last_reviewed: 2026-05-01\n  next_review_due: 2026-01-01"}))
    code, out = run("validate")
    assert code == 0
    assert "warning IS3C312" in out


def test_json_format(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("y"))
    code, out = run("validate", "--format", "json")
    payload = json.loads(out)
    assert code == 1
    assert payload["errors"] == 1 and payload["files_checked"] == 3
    assert payload["findings"][0] == {
        "file": "registry/standards/x.yaml", "line": 2, "column": 5, "code": "IS3C301", "path": "id",
        "message": "id 'y' differs from the file name 'x.yaml'",
        "hint": "rename the file to y.yaml, or set id: x", "severity": "error",
    }


def test_github_format_annotates_file_and_line(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"category: dns": "category: dsn"}))
    code, out = run("validate", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::error file=registry/standards/x.yaml,line=6,col=11,title=IS3C303::"
        "category: category 'dsn' is not in registry/categories.yaml Fix: did you mean 'dns'?"
    )


def test_github_format_cannot_be_injected(registry: Path, write_entry: WriteEntry) -> None:
    payload = 'x %0A\\n::error file=.github/workflows/x.yml::pwned\\n::stop-commands::abc'
    write_entry("x.yaml", entry_text("x", **{"kind: standard": f'kind: "{payload}"'}))
    code, out = run("validate", "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 2 and lines[1].startswith("3 files checked")
    # Only one workflow command, and it is ours: the payload stays inside its message.
    assert sum(line.startswith("::") for line in lines) == 1
    assert "::stop-commands::" not in lines[0].split("::", 2)[1]
    assert "%250A" in lines[0]


def test_paths_limit_the_report(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", "id: a\n\tbroken\n")
    write_entry("x.yaml", entry_text("x"))
    code, out = run("validate", "registry/standards/x.yaml")
    assert (code, out) == (0, "1 file checked: no problems found.\n")


def test_missing_registry_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, out = run("validate")
    assert code == 2
    assert "no registry found" in out


def test_missing_path_is_a_usage_error(registry: Path) -> None:
    code, out = run("validate", "registry/standards/nope.yaml")
    assert code == 2
    assert "nope.yaml: no such file" in out


def test_unexpected_error_is_reported_without_traceback(registry: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import is3c.validate

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(is3c.validate, "validate", explode)
    code, out = run("validate")
    assert code == 2
    assert out == "is3c: internal error: RuntimeError: boom (please report this)\n"


# What exit code 1 means, as each command's --help says it.
EXIT_1 = {
    "validate": "1  errors found",
    "schema": "1  --check: a committed schema differs from the models",
    "fmt": "1  a file could not be formatted",
    "diff": "1  an entry file was removed (entries are withdrawn, never deleted)",
    "build": "1  the registry has errors; nothing was built",
    "annex": "1  the registry has errors; nothing was written",
    "links": "1  the registry has errors, or --strict and a link is dead",
    "forms": "1  --check: the committed issue form is out of date",
    "codeowners": "1  --check: the committed CODEOWNERS is out of date",
    "i18n extract": "1  check: a catalog is out of date; or the registry has errors",
    "i18n update": "1  check: a catalog is out of date; or the registry has errors",
    "i18n check": "1  check: a catalog is out of date; or the registry has errors",
    "i18n stats": "1  check: a catalog is out of date; or the registry has errors",
}
NO_EXIT_1 = {"new", "decision new"}


def test_each_command_documents_its_own_exit_codes() -> None:
    import click

    commands = []
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        if isinstance(command, click.Group):
            commands += [f"{name} {sub}" for sub in command.commands]
        else:
            commands.append(name)
    assert set(commands) == {*EXIT_1, *NO_EXIT_1}
    for command in commands:
        code, out = run(*command.split(), "--help")
        assert code == 0
        codes = out[out.index("Exit codes:"):]
        assert "0  " in codes and "2  " in codes, command
        assert ("1  " not in codes) if command in NO_EXIT_1 else (EXIT_1[command] in codes), command
    # Only the commands that validate the registry say so.
    for command in ("fmt", "diff", "new", "schema", "forms"):
        assert "the registry has errors" not in run(command, "--help")[1], command


def test_help_does_not_import_the_heavy_libraries() -> None:
    probe = ("import sys; from is3c.cli import main; "
             "sys.argv = ['is3c', '--help']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "heavy = [m for m in ('pydantic', 'jsonschema', 'ruamel.yaml') if m in sys.modules]\n"
             "print('heavy:', heavy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("heavy: []")


def test_schema_check_and_write(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, out = run("schema", "--check")
    assert code == 1 and "run 'is3c schema --write'" in out
    code, out = run("schema", "--write")
    assert code == 0 and (tmp_path / "schemas" / "entry.schema.json").exists()
    assert run("schema", "--check") == (0, "schemas are up to date\n")
    assert (tmp_path / "schemas" / "entry.schema.json").read_text() == (REPO / "schemas" / "entry.schema.json").read_text()


# --- nothing hostile reaches a terminal or a log raw ------------------------------

HOSTILE_NAME = "evil\n::error file=x::forged\u202e\x1b[2J.yaml"


@pytest.mark.parametrize("args", [
    ["validate"], ["validate", "--format", "json"], ["validate", "--format", "github"],
    ["fmt"], ["fmt", "--check"], ["build", "--out", "dist"], ["annex", "--for", "website"], ["links"],
])
def test_a_hostile_file_name_is_escaped_in_every_command(
    registry: Path, write_entry: WriteEntry, args: list[str]
) -> None:
    # Tags out of order, so that 'fmt' has something to say about the file too.
    write_entry(HOSTILE_NAME, entry_text("x", **{"summary:": "tags:\n  - web\n  - dns\nsummary:"}))
    result = CliRunner().invoke(main, args)
    output = result.stdout + result.stderr
    assert "evil\\n::error file=x::forged\\u202e\\x1b[2J.yaml" in output.replace("\\\\", "\\"), output
    assert "\u202e" not in output and "\x1b" not in output
    assert not [line for line in output.splitlines() if line.startswith("::error file=x")]


def test_each_value_is_cut_at_200_characters(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"kind: standard": f"kind: {'x' * 150}é{'y' * 500}"}))
    code, out = run("validate")
    message = out.splitlines()[0].split("kind: ", 1)[1]
    shown = message[1:message.index("' is not one of")]
    assert shown == "x" * 150 + "é" + "y" * 48 + "…"  # 200 characters, the last an ellipsis


def test_escapes_count_towards_the_200_characters() -> None:
    from is3c.findings import safe, show

    assert safe("a\u202eb") == "a\\u202eb"
    assert safe("é… 日本語 عربي") == "é… 日本語 عربي"  # ordinary text stays as it is
    cut = safe("\u200b" * 100)  # no escape is cut in half
    assert cut == "\\u200b" * 33 + "…"
    assert show("x" * 300) == "'" + "x" * 199 + "…'"
