"""The ``is3c`` command: a thin layer over the library.

Commands import what they need inside their own body, so ``is3c --help`` starts
without loading pydantic or jsonschema.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from is3c import __version__

EXIT_CODES = """\b
Exit codes:
  0  no errors (warnings may be shown)
  1  the registry has errors
  2  usage error, or an internal error (please report it)"""


def _registry_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--registry",
        "registry_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Registry folder (default: ./registry).",
    )(function)


def _fail(message: str) -> None:
    click.echo(f"is3c: {message}", err=True)
    sys.exit(2)


class _Group(click.Group):
    """Turns an unexpected exception into exit code 2 with a one-line message."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
        except Exception as error:  # noqa: BLE001 - the last line of defence
            _fail(f"internal error: {type(error).__name__}: {error} (please report this)")
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="is3c")
def main() -> None:
    """IS3C registry of security standards for ICT procurement.

    Validate the registry entries and compile them into the urgent list and the
    full overview list.
    """


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_registry_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people (coloured on a terminal), json for tools, "
    "github for workflow annotations.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file afresh. Results are otherwise remembered per file content "
    "in $IS3C_CACHE_DIR (default ~/.cache/is3c), which is safe to delete.",
)
def validate(
    paths: tuple[Path, ...], registry_dir: Path | None, output_format: str, no_cache: bool
) -> None:
    """Check the registry and report every problem at once.

    With PATHS, only problems in those files are reported, plus the rules that
    look across all entries (unknown references, repeated ids, ...).
    """
    from is3c.findings import FORMATTERS
    from is3c.validate import UsageError, find_registry, validate as run_validate

    try:
        root = find_registry(registry_dir or Path.cwd())
        only = list(paths) if paths else None
        for path in only or []:
            if not path.exists() and not path.is_symlink():
                _fail(f"{path}: no such file")
        from is3c.cache import default_directory

        cache_dir = None if no_cache else default_directory()
        result = run_validate(root, only, schema_dir=root.parent / "schemas", cache_dir=cache_dir)
    except UsageError as error:
        _fail(str(error))
        return
    click.echo(FORMATTERS[output_format](result.findings, result.files_checked), nl=False)
    sys.exit(0 if result.ok else 1)


@main.command(epilog=EXIT_CODES)
@click.option("--write", is_flag=True, help="Regenerate the committed schema files.")
@click.option("--check", is_flag=True, help="Exit 1 if the committed files are out of date.")
@click.option(
    "--dir",
    "schema_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Where the schema files are committed.",
)
def schema(write: bool, check: bool, schema_dir: Path) -> None:
    """Show, check or regenerate the JSON Schemas generated from the models.

    Without options, prints the entry schema.
    """
    from is3c import schema as schemas

    if write and check:
        _fail("choose one of --write and --check")
    if write:
        changed = schemas.write_all(schema_dir)
        for path in changed:
            click.echo(f"wrote {path}")
        click.echo("schemas are up to date" if not changed else f"{len(changed)} file(s) updated")
        return
    if check:
        stale = schemas.stale_files(schema_dir)
        for path in stale:
            click.echo(f"{path}: out of date; run 'is3c schema --write'")
        if stale:
            sys.exit(1)
        click.echo("schemas are up to date")
        return
    click.echo(schemas.dumps(schemas.generate(schemas.ENTRY)), nl=False)


def _registry_files(registry_dir: Path | None, paths: tuple[Path, ...]) -> list[Path]:
    """The given paths, or every YAML file of the registry."""
    from is3c.validate import UsageError, find_registry

    if paths:
        return list(paths)
    try:
        root = find_registry(registry_dir or Path.cwd())
    except UsageError as error:
        _fail(str(error))
    return sorted(root.glob("*.yaml")) + sorted((root / "standards").glob("*.yaml"))


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_registry_option
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change.")
def fmt(paths: tuple[Path, ...], registry_dir: Path | None, check: bool) -> None:
    """Rewrite registry files in canonical form, keeping comments.

    Keys in schema order, unordered lists sorted, text wrapped at 88 columns.
    Without PATHS, formats the whole registry. With --check, exit 1 if any file
    would change.
    """
    from is3c.fmt import format_files
    from is3c.validate import display_path

    outcomes = format_files(_registry_files(registry_dir, paths), write=not check)
    failed = [o for o in outcomes if o.error]
    changed = [o for o in outcomes if o.changed]
    for outcome in failed:
        click.echo(f"error: {display_path(outcome.path)}: {outcome.error}", err=True)
    verb = "would reformat" if check else "reformatted"
    for outcome in changed:
        click.echo(f"{verb} {display_path(outcome.path)}")
    click.echo(f"{len(outcomes)} files: {len(changed)} {verb}, {len(failed)} skipped with errors")
    if check and changed:
        click.echo("fix: run 'is3c fmt' and commit the result")
    sys.exit(1 if failed or (check and changed) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
