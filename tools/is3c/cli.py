"""The ``is3c`` command: a thin layer over the library.

Commands import what they need inside their own body, so ``is3c --help`` starts
without loading pydantic or jsonschema.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from is3c import __version__

def _exit_codes(*lines: str) -> str:
    """A command's own exit codes, for the end of its --help."""
    return "\b\nExit codes:\n" + "\n".join(f"  {line}" for line in lines)


USAGE = "2  usage error, or an internal error (please report it)"
VALIDATE_EXIT = _exit_codes("0  no errors (warnings may be shown)", "1  errors found", USAGE)
SCHEMA_EXIT = _exit_codes("0  shown, written, or up to date",
                          "1  --check: a committed schema differs from the models", USAGE)
FMT_EXIT = _exit_codes(
    "0  every file is in canonical form (or was rewritten into it)",
    "1  a file could not be formatted (it has problems 'is3c validate' reports),",
    "   or, with --check, a file would change",
    "2  a file could not be read or written, a usage error, or an internal error",
)
DIFF_EXIT = _exit_codes(
    "0  the changes were shown",
    "1  an entry file was removed (entries are withdrawn, never deleted)",
    "2  an unknown revision, not a git repository, a usage error, or an internal error",
)
NEW_EXIT = _exit_codes(
    "0  the entry file was created",
    "2  the id is not valid, exists or existed before; an option is missing;",
    "   the file could not be written; or an internal error",
)
BUILD_EXIT = _exit_codes(
    "0  built (warnings may be shown)",
    "1  the registry has errors; nothing was built",
    "2  the output could not be written (disk full, not a folder, no permission),",
    "   and any earlier build was left as it was; a usage error; or an internal error",
)
ANNEX_EXIT = _exit_codes(
    "0  the annex was written",
    "1  the registry has errors; nothing was written",
    "2  an unknown product type, --for given more than once, the file could not be",
    "   written, a usage error, or an internal error",
)
FORMS_EXIT = _exit_codes("0  shown, written, or up to date",
                         "1  --check: the committed issue form is out of date", USAGE)


def _registry_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--registry",
        "registry_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Registry folder (default: ./registry).",
    )(function)


def _fail(message: str) -> None:
    from is3c.findings import safe

    # Messages can quote a file name or a value: escaped like every finding.
    click.echo(f"is3c: {safe(message, None)}", err=True)
    sys.exit(2)


def _os_problem(error: OSError) -> str:
    """An operating system error in one line, without the traceback."""
    import errno

    from is3c.findings import safe_path

    where = f"{safe_path(str(error.filename))}: " if error.filename else ""
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        reason = f"the disk is full ({reason}); files being replaced were left as they were"
    return where + reason


def _once(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> str | None:
    """An option that must not be given twice: a second value is a mistake, not an
    override (the first would be silently ignored)."""
    if len(values) > 1:
        from is3c.findings import show

        given = ", ".join(show(v) for v in values)
        raise click.BadParameter(f"given {len(values)} times ({given}); give it once")
    return values[0] if values else None


class _Group(click.Group):
    """Turns an unexpected exception into exit code 2 with a one-line message."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
        except OSError as error:  # a file that cannot be read or written: not a bug
            _fail(_os_problem(error))
        except MemoryError:
            _fail("out of memory: this machine (or its ulimit -v) allows too little for the "
                  "registry; files being replaced were left as they were")
        except Exception as error:  # noqa: BLE001 - the last line of defence
            _fail(f"internal error: {type(error).__name__}: {error} (please report this)")
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="is3c")
def main() -> None:
    """IS3C registry of security standards for ICT procurement.

    Validate the registry entries and compile them into the urgent list and the
    full overview list. Each command's --help ends with its exit codes.
    """


@main.command(epilog=VALIDATE_EXIT)
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
@click.option(
    "--changed-since",
    "since",
    metavar="REF",
    help="Check only the registry files changed since this git revision (and files "
    "not yet committed), plus the rules across all entries. Deleted entries are errors.",
)
def validate(
    paths: tuple[Path, ...], registry_dir: Path | None, output_format: str, no_cache: bool,
    since: str | None,
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

        deleted: list[str] = []
        if since is not None:
            if paths:
                _fail("give either PATHS or --changed-since, not both")
            from is3c import history
            from is3c.validate import deleted_entry_findings

            try:
                repo = history.toplevel(root)
                changes = history.changed_since(repo, history.resolve(repo, since), history.relative(repo, root))
            except history.GitError as error:
                _fail(f"--changed-since: {error}")
            only = changes.changed
            deleted = changes.deleted
        cache_dir = None if no_cache else default_directory()
        result = run_validate(root, only, schema_dir=root.parent / "schemas", cache_dir=cache_dir,
                              registry=False)
        if deleted:
            from is3c.findings import sort_findings

            result.findings = sort_findings([*result.findings, *deleted_entry_findings(deleted)])
    except UsageError as error:
        _fail(str(error))
        return
    click.echo(FORMATTERS[output_format](result.findings, result.files_checked), nl=False)
    sys.exit(0 if result.ok else 1)


@main.command(epilog=SCHEMA_EXIT)
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


@main.command(epilog=FMT_EXIT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_registry_option
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change.")
def fmt(paths: tuple[Path, ...], registry_dir: Path | None, check: bool) -> None:
    """Rewrite registry files in canonical form, keeping comments.

    Keys in schema order, unordered lists sorted, text wrapped at 88 columns.
    Without PATHS, formats the whole registry. With --check, exit 1 if any file
    would change.
    """
    from is3c.findings import safe
    from is3c.fmt import format_files
    from is3c.validate import display_path

    outcomes = format_files(_registry_files(registry_dir, paths), write=not check)
    failed = [o for o in outcomes if o.error]
    changed = [o for o in outcomes if o.changed]
    for outcome in failed:
        click.echo(f"error: {display_path(outcome.path)}: {safe(outcome.error, None)}", err=True)
    verb = "would reformat" if check else "reformatted"
    for outcome in changed:
        click.echo(f"{verb} {display_path(outcome.path)}")
    click.echo(f"{len(outcomes)} files: {len(changed)} {verb}, {len(failed)} skipped with errors")
    if check and changed:
        click.echo("fix: run 'is3c fmt' and commit the result")
    sys.exit(1 if failed or (check and changed) else 0)


@main.command(epilog=DIFF_EXIT)
@click.argument("old")
@click.argument("new", required=False)
@_registry_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown suits pull request summaries and release notes.",
)
def diff(old: str, new: str | None, registry_dir: Path | None, output_format: str) -> None:
    """Show what changed in the registry between two git revisions.

    OLD and NEW are git revisions (a tag, branch or commit); without NEW, the
    working tree. Lists entries added, removed, put on or taken off the urgent
    list, status and tier changes, and changed fields. A removed entry is an
    error (exit 1): entries are withdrawn, never deleted.
    """
    from is3c import history
    from is3c.diff import RENDERERS, compare, files_on_disk, snapshot
    from is3c.validate import UsageError, find_registry

    try:
        root = find_registry(registry_dir or Path.cwd())
        repo = history.toplevel(root)
        folder = history.relative(repo, root)
        before = snapshot(history.files_at(repo, history.resolve(repo, old), folder))
        if new is None:
            after = snapshot(files_on_disk(root))
        else:
            after = snapshot(history.files_at(repo, history.resolve(repo, new), folder))
    except (UsageError, history.GitError) as error:
        _fail(str(error))
        return
    result = compare(before, after, old, new or "working tree")
    click.echo(RENDERERS[output_format](result), nl=False)
    sys.exit(1 if result.removed else 0)


@main.command(epilog=NEW_EXIT)
@click.argument("entry_id", metavar="ID")
@_registry_option
@click.option("--title", help="Full official name.")
@click.option("--short-name", help="The acronym buyers search for.")
@click.option("--kind", type=click.Choice(["standard", "best-practice", "baseline", "certification-scheme"]))
@click.option("--category", help="An id from registry/categories.yaml.")
@click.option("--tier", type=click.Choice(["urgent", "recommended", "emerging"]))
@click.option("--applies-to", multiple=True, help="A product type id; repeat for more.")
@click.option("--proposed-by", help="Your name or organisation.")
def new(entry_id: str, registry_dir: Path | None, title: str | None, short_name: str | None,
        kind: str | None, category: str | None, tier: str | None, applies_to: tuple[str, ...],
        proposed_by: str | None) -> None:
    """Create registry/standards/ID.yaml with every field explained.

    On a terminal, asks for what the options do not give; otherwise every option
    is required. Refuses an id that exists or ever existed in the history.
    """
    import re

    from is3c import history
    from is3c.findings import show
    from is3c.load import reserved_name
    from is3c.model import SLUG_PATTERN
    from is3c.scaffold import Essentials, create
    from is3c.validate import UsageError, find_registry, validate as run_validate

    if not re.match(SLUG_PATTERN, entry_id) or len(entry_id) > 64:
        _fail(f"{show(entry_id)} is not a valid id: use lowercase letters, digits and single hyphens")
    if reserved_name(entry_id):
        _fail(f"{show(entry_id)} cannot be an id: {entry_id}.yaml cannot exist on Windows "
              f"({entry_id.upper()} is a reserved device name)")
    try:
        root = find_registry(registry_dir or Path.cwd())
    except UsageError as error:
        _fail(str(error))
        return
    path = root / "standards" / f"{entry_id}.yaml"
    if path.exists() or path.is_symlink():
        _fail(f"{path} already exists")
    try:
        repo = history.toplevel(root)
        if history.ever_existed(repo, history.relative(repo, path)):
            _fail(f"the id {entry_id!r} was used before; ids are never reused, choose another")
    except history.GitError:
        pass  # not a git checkout: nothing to compare with
    registry = run_validate(root).registry
    categories = [t.id for t in registry.categories] if registry else []
    products = [t.id for t in registry.product_types] if registry else []
    interactive = sys.stdin.isatty()

    def ask(value: str | None, prompt: str, choices: list[str] | None = None) -> str:
        if value:
            return value
        if not interactive:
            option = prompt.split(" (")[0].lower().replace(" ", "-")
            _fail(f"missing --{option} (or run on a terminal to be asked)")
        kind_of = click.Choice(choices) if choices else str
        return str(click.prompt(prompt, type=kind_of))

    essentials = Essentials(
        id=entry_id,
        title=ask(title, "Title"),
        short_name=ask(short_name, "Short name"),
        kind=ask(kind, "Kind", ["standard", "best-practice", "baseline", "certification-scheme"]),
        category=ask(category, "Category", categories or None),
        tier=ask(tier, "Tier", ["urgent", "recommended", "emerging"]),
        applies_to=applies_to or tuple(
            p.strip() for p in ask(None, f"Applies to (comma-separated: {', '.join(products)})").split(",")
            if p.strip()
        ),
        proposed_by=ask(proposed_by, "Proposed by"),
    )
    unknown = [p for p in essentials.applies_to if products and p not in products]
    if unknown or (categories and essentials.category not in categories):
        _fail(f"unknown category or product type: {', '.join(unknown) or essentials.category}; "
              f"categories: {', '.join(categories)}; product types: {', '.join(products)}")
    from is3c.validate import display_path

    from is3c.write import write_file

    write_file(path, create(path, essentials).encode("utf-8"))
    click.echo(f"created {display_path(path)}: fill in every TODO, then run "
               f"'is3c validate {display_path(path)}'")



# --- build and annex -------------------------------------------------------------


class _Progress:
    """Tells a person at a terminal what a slow build is doing, on one line of stderr.

    Silent when stderr is not a terminal (CI logs, pipes) and for the first
    half-second, so quick builds print nothing but their summary."""

    DELAY = 0.5

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._shown = False
        self._enabled = sys.stderr.isatty()

    def __call__(self, step: str) -> None:
        if self._enabled and self._clock() - self._start >= self.DELAY:
            click.echo(f"\r\x1b[Kis3c: {step}…", err=True, nl=False)
            self._shown = True

    def done(self) -> None:
        if self._shown:
            click.echo("\r\x1b[K", err=True, nl=False)
            self._shown = False


def _lang_option(function):  # type: ignore[no-untyped-def]
    return click.option(
        "--lang",
        default="en",
        show_default=True,
        help="Language of the texts, e.g. fr or pt-BR; each field falls back to English "
        "where an entry has no translation.",
    )(function)


def _compile(registry_dir: Path | None, lang: str, progress: _Progress | None = None):  # type: ignore[no-untyped-def]
    """Validate, then build: the shared first half of 'build' and 'annex'.

    Prints the findings and exits 1 when the registry has errors; warnings go to
    stderr and do not stop the build."""
    import gc
    import re

    from is3c.build import build as compile_lists, languages_available
    from is3c.cache import default_directory
    from is3c.findings import FORMATTERS, show
    from is3c.model import LANGUAGE_PATTERN
    from is3c.release import ReleaseError, release_for
    from is3c.validate import UsageError, find_registry, validate as run_validate

    if not re.fullmatch(LANGUAGE_PATTERN, lang):
        _fail(f"--lang {show(lang)} is not a language code such as 'fr' or 'pt-BR'")
    try:
        root = find_registry(registry_dir or Path.cwd())
        if progress:
            progress("validating")
        result = run_validate(root, schema_dir=root.parent / "schemas",
                              cache_dir=default_directory())
    except UsageError as error:
        _fail(str(error))
    if not result.ok or result.registry is None:
        if progress:
            progress.done()
        click.echo(FORMATTERS["text"](result.findings, result.files_checked), nl=False)
        click.echo("is3c: nothing was built; fix the errors above first", err=True)
        sys.exit(1)
    if result.findings:
        click.echo(FORMATTERS["text"](result.findings, result.files_checked), err=True, nl=False)
    if lang != "en" and not any(
        code == lang or code == lang.split("-")[0] for code in languages_available(result.registry)
    ):
        click.echo(f"is3c: no entry has a {show(lang)} translation; the texts stay in English",
                   err=True)
    try:
        release = release_for(root)
    except ReleaseError as error:
        _fail(str(error))
    if progress:
        progress("compiling the lists")
    # The registry lives as long as the command: keep the garbage collector from
    # scanning it again and again (on 10,000 entries each full scan takes 0.5 s).
    gc.freeze()
    return compile_lists(result.registry, release, lang)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


@main.command(epilog=BUILD_EXIT)
@_registry_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder. It is replaced as a whole, and only once everything is built; "
    "an existing folder must be empty or hold an earlier build.",
)
@_lang_option
def build(registry_dir: Path | None, out: Path, lang: str) -> None:
    """Validate the registry, then build the lists, annexes and web site.

    Builds the urgent list and the full overview list as JSON, CSV, Excel and
    Markdown, a tender annex per product type, a static web site (open
    OUT/index.html) and SHA256SUMS over every file. Nothing is built while the
    registry has errors. Dates come from SOURCE_DATE_EPOCH or the last commit,
    so building one commit twice gives identical files.
    """
    from is3c.render import render_all
    from is3c.write import OutputError, write_tree

    progress = _Progress()
    built = _compile(registry_dir, lang, progress)
    files = render_all(built)
    progress("rendering and writing")
    try:
        count = write_tree(files, out, progress=progress)
    except OutputError as error:
        progress.done()
        _fail(str(error))
    progress.done()
    from is3c.findings import safe_path

    where = safe_path(str(out)).rstrip("/") + "/"
    click.echo(
        f"Built the urgent list ({_plural(len(built.urgent.items), 'entry', 'entries')}), "
        f"the full list ({_plural(len(built.full.items), 'entry', 'entries')}, "
        f"{len(built.full.annex)} more in its annex) and "
        f"{_plural(len(built.annexes), 'tender annex', 'tender annexes')}: "
        f"{_plural(count, 'file')} in {where} (open {where}index.html)"
    )


@main.command(epilog=ANNEX_EXIT)
@click.option(
    "--for",
    "product_type",
    required=True,
    multiple=True,
    callback=_once,
    metavar="PRODUCT-TYPE",
    help="Id of a product type from registry/product-types.yaml, e.g. email-service "
    "(one per run).",
)
@_lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["md", "csv", "xlsx"]),
    default="md",
    show_default=True,
    help="md to paste into a document, csv or xlsx for a spreadsheet.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (replaced only when complete). Default: standard output, "
    "except for xlsx.",
)
@_registry_option
def annex(product_type: str, lang: str, output_format: str, out: Path | None,
          registry_dir: Path | None) -> None:
    """Print or write the tender annex for one product type.

    The annex holds every accepted standard that applies to the product type,
    with its tender clause and the evidence to ask bidders for.
    """
    import importlib

    from is3c.findings import show
    from is3c.write import OutputError, write_file

    if output_format == "xlsx" and out is None:
        _fail("an Excel file cannot go to the terminal; add --out FILE.xlsx")
    built = _compile(registry_dir, lang)
    chosen = built.annex_for(product_type)
    if chosen is None:
        known = ", ".join(a.product_type.id for a in built.annexes)
        _fail(f"no product type {show(product_type)}; choose one of: {known}")
        return
    module = importlib.import_module(
        f"is3c.render.{ {'md': 'markdown', 'csv': 'csv', 'xlsx': 'xlsx'}[output_format] }"
    )
    content = b"".join(module.render_annex(chosen, built))
    if out is None:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # a text-only stream; md and csv are UTF-8
            sys.stdout.write(content.decode("utf-8"))
        else:
            binary.write(content)
            binary.flush()
        return
    try:
        write_file(out, content)
    except OutputError as error:
        _fail(str(error))
    from is3c.findings import safe_path

    click.echo(f"Wrote the annex for {chosen.product_type.title} "
               f"({_plural(chosen.count, 'standard')}) to {safe_path(str(out))}", err=True)


# --- links and forms -------------------------------------------------------------

LINKS_EXIT_CODES = """\b
Exit codes:
  0  every link was checked; dead links are reported but fail only with --strict
  1  the registry has errors, or --strict and a link is dead
  2  no network (no site could be reached, so nothing was checked),
     a usage error, or an internal error (please report it)"""


@main.command(epilog=LINKS_EXIT_CODES)
@_registry_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a GitHub job summary, json for tools.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a link is dead.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 120),
    default=15.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=8,
    show_default=True,
    help="Links checked at the same time (never more than 2 on one site).",
)
def links(registry_dir: Path | None, output_format: str, strict: bool, timeout: float,
          workers: int) -> None:
    """Check that every web address in the registry still answers.

    Asks each distinct address once (HEAD, or GET where a site refuses HEAD),
    follows redirects and retries politely on busy answers (429, 5xx). Needs
    network access, so it runs weekly in CI rather than on pull requests: other
    sites' outages must not block a contribution.
    """
    from is3c import links as link_check
    from is3c.cache import default_directory
    from is3c.findings import FORMATTERS
    from is3c.validate import UsageError, find_registry, validate as run_validate

    try:
        root = find_registry(registry_dir or Path.cwd())
        result = run_validate(root, schema_dir=root.parent / "schemas",
                              cache_dir=default_directory())
    except UsageError as error:
        _fail(str(error))
        return
    if result.registry is None:
        click.echo(FORMATTERS["text"](result.findings, result.files_checked), nl=False)
        click.echo("is3c: no links were checked; fix the errors above first", err=True)
        sys.exit(1)
    settings = link_check.Settings(timeout=timeout, workers=workers)
    addresses = link_check.collect_links(result.registry.entries)
    try:
        link_check.require_network(addresses, settings)
    except link_check.NoNetwork as error:
        click.echo(f"is3c links: no network: {error}; no link was checked", err=True)
        sys.exit(2)
    checks = link_check.check_links(addresses, settings)
    click.echo(link_check.FORMATTERS[output_format](checks), nl=False)
    sys.exit(1 if strict and not all(c.ok for c in checks) else 0)


@main.command(epilog=FORMS_EXIT)
@_registry_option
@click.option("--write", is_flag=True, help="Regenerate the committed issue form.")
@click.option("--check", is_flag=True, help="Exit 1 if the committed form is out of date.")
def forms(registry_dir: Path | None, write: bool, check: bool) -> None:
    """Show, check or regenerate the issue form for proposing a standard.

    Its choices of kind, category, product type and tier come from the
    vocabularies in the registry and from the entry model, so they never drift.
    Without options, prints the form.
    """
    from is3c import forms as issue_forms
    from is3c.validate import UsageError, find_registry

    if write and check:
        _fail("choose one of --write and --check")
    try:
        root = find_registry(registry_dir or Path.cwd())
        text = issue_forms.render(*issue_forms.read_vocabularies(root))
    except (UsageError, issue_forms.FormsError) as error:
        _fail(str(error))
        return
    path = root.parent / issue_forms.FORM_PATH
    if write:
        changed = issue_forms.write_form(path, text)
        click.echo(f"wrote {path}" if changed else "the issue form is up to date")
    elif check:
        if not issue_forms.is_current(path, text):
            click.echo(f"{path}: out of date; run '{issue_forms.FIX_COMMAND}'")
            sys.exit(1)
        click.echo("the issue form is up to date")
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
