"""The ``is3c`` command: a thin layer over the library.

Commands import what they need inside their own body, so ``is3c --help`` starts
without loading pydantic or jsonschema.
"""

from __future__ import annotations

import os
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
DECISION_NEW_EXIT = _exit_codes(
    "0  the decision record was written and the entries point at it",
    "2  no change to a published list in the working tree, not a git repository,",
    "   the record exists already, a usage error, or an internal error",
)
CODEOWNERS_EXIT = _exit_codes("0  shown, written, or up to date",
                              "1  --check: the committed CODEOWNERS is out of date", USAGE)


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
    "not yet committed), plus the rules across all entries. Deleted entries and "
    "decision records, edited decision records, and changes to the published lists "
    "without a new or newly cited decision are errors.",
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
                old_files = history.files_at(repo, history.resolve(repo, since), history.relative(repo, root))
            except history.GitError as error:
                _fail(f"--changed-since: {error}")
            only = changes.changed
            deleted = changes.deleted
        cache_dir = None if no_cache else default_directory()
        result = run_validate(root, only, schema_dir=root.parent / "schemas", cache_dir=cache_dir,
                              registry=False)
        if since is not None:
            from is3c.decisions import changed_since_findings
            from is3c.findings import sort_findings

            result.findings = sort_findings([*result.findings, *deleted_entry_findings(deleted),
                                             *changed_since_findings(root, old_files)])
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
    return (sorted(root.glob("*.yaml")) + sorted((root / "standards").glob("*.yaml"))
            + sorted((root / "decisions").glob("*.yaml")))


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
    list, status and tier changes, changed fields, and for each change to a
    published list the decision record that authorises it (or that none does).
    A removed entry is an error (exit 1): entries are withdrawn, never deleted.
    """
    from is3c import decisions, history
    from is3c.diff import RENDERERS, Authorisation, compare, snapshot
    from is3c.validate import UsageError, find_registry

    try:
        root = find_registry(registry_dir or Path.cwd())
        repo = history.toplevel(root)
        folder = history.relative(repo, root)
        old_files = history.files_at(repo, history.resolve(repo, old), folder)
        if new is None:
            new_files = decisions.working_tree_files(root)
        else:
            new_files = history.files_at(repo, history.resolve(repo, new), folder)
        before, after = snapshot(old_files), snapshot(new_files)
    except (UsageError, history.GitError) as error:
        _fail(str(error))
        return
    result = compare(before, after, old, new or "working tree")
    result.authorised = [Authorisation(c.entry, c.described, c.decision)
                         for c in decisions.list_changes_between(old_files, new_files)]
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



@main.group()
def decision() -> None:
    """Decision records of the expert panel (registry/decisions/)."""


@decision.command("new", epilog=DECISION_NEW_EXIT)
@click.argument("slug")
@_registry_option
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The day of the decision (default: today, UTC).")
@click.option("--title", help="The decision in a few words.")
def decision_new(slug: str, registry_dir: Path | None, day: str | None, title: str | None) -> None:
    """Write registry/decisions/DATE-SLUG.yaml for the changes in the working tree.

    Compares the entries with the last commit (git) and lists every change to a
    published list (an entry put on or taken off it, a new tier, a new tender
    clause) as a change of the record, with TODO where the question, the positions
    and the chair's consensus call go. Then set review.decision of each entry to
    the record's id.
    """
    import datetime
    import re

    from is3c import decisions, history
    from is3c.model import SLUG_PATTERN
    from is3c.validate import UsageError, display_path, find_registry

    if not re.match(SLUG_PATTERN, slug) or len(slug) > 60:
        _fail(f"{slug!r} is not a valid slug: use lowercase letters, digits and single hyphens")
    if day is None:
        day = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    else:
        try:
            day = datetime.date.fromisoformat(day).isoformat()
        except ValueError:
            _fail(f"--date {day!r} is not a date written YYYY-MM-DD")
    try:
        root = find_registry(registry_dir or Path.cwd())
        repo = history.toplevel(root)
        old_files = history.files_at(repo, history.resolve(repo, "HEAD"), history.relative(repo, root))
    except (UsageError, history.GitError) as error:
        _fail(str(error))
        return
    changes = decisions.list_changes_between(old_files, decisions.working_tree_files(root))
    if not changes:
        _fail("no entry in the working tree changes a published list since the last commit; "
              "write the record by hand (see docs/content-guide.md)")
    decision_id = f"{day}-{slug}"
    path = root / decisions.DECISIONS_DIR / f"{decision_id}.yaml"
    if path.exists() or path.is_symlink():
        _fail(f"{path} already exists")
    path.parent.mkdir(exist_ok=True)
    path.write_text(decisions.scaffold(day, title, changes), encoding="utf-8")
    cited, not_cited = [], []
    for entry_id in sorted({c.entry for c in changes}):
        entry_path = root / "standards" / f"{entry_id}.yaml"
        text = entry_path.read_text(encoding="utf-8")
        updated = decisions.cite(text, decision_id)
        if updated is None:
            not_cited.append(entry_id)
        elif updated != text:
            entry_path.write_text(updated, encoding="utf-8")
            cited.append(entry_id)
    click.echo(f"created {display_path(path)} with {_plural(len(changes), 'change')}; "
               f"review.decision set in: {', '.join(cited) or 'none'}. Fill in every TODO, "
               "then run 'is3c validate'.")
    if not_cited:
        click.echo(f"add 'review:' with 'decision: {decision_id}' to: {', '.join(not_cited)}", err=True)


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
        help="Language of the texts, e.g. fr or pt-BR, from its catalog in "
        "registry/locale/; a text without a current translation stays English, marked "
        "'not yet translated'.",
    )(function)


def _compile(registry_dir: Path | None, lang: str, progress: _Progress | None = None,  # type: ignore[no-untyped-def]
             base_url: str | None = None, with_history: bool = False, kept=None,
             notes: list[str] | None = None, found=None):
    """Validate, then build: the shared first half of 'build' and 'annex'.

    Prints the findings and exits 1 when the registry has errors; warnings go to
    stderr and do not stop the build. What goes to stderr is added to ``notes``.
    ``found``: the registry folder and release, when the caller has them already."""

    def note(text: str) -> None:
        click.echo(text, err=True, nl=False)
        if notes is not None:
            notes.append(text)

    import gc
    import re

    from is3c.build import build as compile_lists
    from is3c.cache import default_directory
    from is3c.findings import FORMATTERS, show
    from is3c.model import LANGUAGE_PATTERN
    from is3c.validate import UsageError, validate as run_validate

    if lang != "*" and not re.fullmatch(LANGUAGE_PATTERN, lang):
        _fail(f"--lang {show(lang)} is not a language code such as 'fr' or 'pt-BR'")
    root, release = found or _root_and_release(registry_dir)
    try:
        if progress:
            progress("validating")
        result = run_validate(root, schema_dir=root.parent / "schemas",
                              cache_dir=default_directory(), models=kept)
    except UsageError as error:
        _fail(str(error))
    if not result.ok or result.registry is None:
        if progress:
            progress.done()
        click.echo(FORMATTERS["text"](result.findings, result.files_checked), nl=False)
        click.echo("is3c: nothing was built; fix the errors above first", err=True)
        sys.exit(1)
    if result.findings:
        note(FORMATTERS["text"](result.findings, result.files_checked))
    from is3c.i18n import languages as catalog_languages, registry_credits, registry_texts

    site_languages = catalog_languages(root)
    if lang not in ("en", "*") and lang.split("-")[0] not in site_languages and lang not in site_languages:
        note(f"is3c: there is no {show(lang)} catalog in {root / 'locale'}; the texts stay "
             "in English\n")
    from is3c.changes import NO_HISTORY, read as read_history
    from is3c.siteconfig import ConfigError, check_base_url, read_base_url

    try:
        site_url = check_base_url(base_url) if base_url else read_base_url(root.parent)
    except ConfigError as error:
        _fail(str(error))
    history = NO_HISTORY
    if with_history:
        if progress:
            progress("reading the registry's history")
        history = read_history(root, kept)
        if not history.available:
            note("is3c: note: no git history for the registry (no repository, or a "
                 "shallow clone), so the pages show no change dates and the feeds "
                 "are empty\n")
    if progress:
        progress("compiling the lists")
    # The registry lives as long as the command: keep the garbage collector from
    # scanning it again and again (on 10,000 entries each full scan takes 0.5 s).
    gc.freeze()
    if lang == "*":  # every language with a catalog, for one site
        return [compile_lists(result.registry, release, code, registry_texts(root, code, kept),
                              registry_credits(root, code, kept), site_languages, history, site_url)
                for code in site_languages]
    return compile_lists(result.registry, release, lang, registry_texts(root, lang, kept),
                         registry_credits(root, lang, kept), history=history, base_url=site_url)


def _root_and_release(registry_dir: Path | None):  # type: ignore[no-untyped-def]
    """The registry folder and the version and date a build of it shows; a usage
    error (exit 2) when either cannot be had."""
    from is3c.release import ReleaseError, release_for
    from is3c.validate import UsageError, find_registry

    try:
        root = find_registry(registry_dir or Path.cwd())
        return root, release_for(root)
    except (UsageError, ReleaseError) as error:
        _fail(str(error))
        raise  # not reached: _fail exits


def _formats(value: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """The --formats list, checked; 'all' is every format."""
    from is3c.findings import show

    names = [n.strip() for n in value.split(",") if n.strip()]
    if names == ["all"]:
        return known
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        _fail(f"--formats {show(value)}: choose from {', '.join(known)} or all")
    return tuple(n for n in known if n in names)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


@main.command(epilog=BUILD_EXIT)
@_registry_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder, changed only once everything is built: replaced as a whole, or "
    "(holding an earlier build) updated in the files that changed; a failure leaves it as "
    "it was. An existing folder must be empty or hold an earlier build.",
)
@click.option(
    "--lang",
    default=None,
    help="Build one language only, e.g. fr, at the top of OUT. Default: every language "
    "with a catalog in registry/locale, English at the top and each other language in "
    "its own folder (OUT/fr/, OUT/es/, ...).",
)
@click.option(
    "--formats",
    default="all",
    show_default=True,
    metavar="LIST",
    help="Comma-separated formats to build: json, csv, xlsx, markdown, site, docx, odt, "
    "pdf, api (or all). The site links only the downloads that are built.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the site will be hosted, e.g. https://example.org/is3c/ (default: [site] "
    "base_url in is3c.toml beside the registry folder). Gives pages canonical links, the "
    "feeds and the API absolute links, and adds sitemap.xml and robots.txt. Without it "
    "every link is relative and the site opens from a folder.",
)
def build(registry_dir: Path | None, out: Path, lang: str | None, formats: str,
          base_url: str | None) -> None:
    """Validate the registry, then build the lists, annexes and web site.

    Builds the urgent list and the full overview list as JSON, CSV, Excel,
    Markdown, Word (.docx), OpenDocument (.odt) and PDF, a tender annex per
    product type in the same formats, a static web site (open OUT/index.html) with
    each entry's history, a page per release and Atom feeds (OUT/feeds/) from the
    registry's git history, a static JSON API (OUT/api/v1/, CC0-1.0) and
    SHA256SUMS over every file, in every language that has a catalog: English at
    the top, French in OUT/fr/, and so on. A text without a current translation is
    shown in English, marked 'not yet translated'. Nothing is built while the
    registry has errors. Dates come from SOURCE_DATE_EPOCH or the last commit, so
    building one commit twice gives identical files. PDF needs the Pango library;
    without it the build says so in one line and makes the other formats.

    A build into a folder that holds an earlier build reuses it: it makes only what
    a change touched, writes only the files whose bytes changed, and says how many
    ("rebuilt 3 of 1,001 files"); when nothing it reads changed, it does nothing. The
    result is always the bytes of a build from nothing. What it keeps is in
    build.sqlite in $IS3C_CACHE_DIR (default ~/.cache/is3c), safe to delete.
    """
    from is3c import inputs as build_inputs
    from is3c import store
    from is3c.cache import default_directory
    from is3c.render import FORMATS, render_all, render_languages
    from is3c.write import OutputError, unchanged, update_tree

    chosen = _formats(formats, FORMATS)
    progress = _Progress()
    notes: list[str] = []  # what this build tells on stderr, to tell again when nothing changed
    if "pdf" in chosen:
        from is3c.render.pdf import missing

        problem = missing()
        if problem:
            notes.append(f"is3c: no PDF files: {problem}\n")
            click.echo(notes[-1], err=True, nl=False)
            chosen = tuple(f for f in chosen if f != "pdf")
    # What the last build made (models, pieces) and which files it wrote into OUT.
    kept = store.Store(default_directory())
    kept.prepare()
    store.use(kept)
    written_key = store.key("output", str(out.absolute()))
    last_key = store.key("last-build", str(out.absolute()))
    try:
        root, release = _root_and_release(registry_dir)
        reads = build_inputs.digest(root, release, (lang, chosen, base_url))
        last = kept.get(last_key)
        if isinstance(last, dict) and last.get("inputs") == reads \
                and unchanged(out, kept.get(written_key)):
            # Nothing the build reads changed, and OUT is as the last build left it.
            for text in last["notes"]:
                click.echo(text, err=True, nl=False)
            click.echo(last["summary"] + f"; rebuilt 0 of {last['count']:,} files")
            return
        if lang is None:
            builds = _compile(registry_dir, "*", progress, base_url, with_history=True, kept=kept,
                              notes=notes, found=(root, release))
            built = builds[0]
            files = render_languages(builds, chosen)
        else:
            built = _compile(registry_dir, lang, progress, base_url, with_history=True, kept=kept,
                             notes=notes, found=(root, release))
            builds = [built]
            files = render_all(built, chosen)
        progress("rendering and writing")
        # Laying out PDFs takes most of a build's time even for a small registry:
        # spread it over the cores however few files there are.
        workers = min(os.cpu_count() or 1, 8) if "pdf" in chosen else None
        outcome = update_tree(files, out, kept.get(written_key), workers=workers,
                              progress=progress)
        kept.put(written_key, outcome.manifest)
        from is3c.findings import safe_path

        where = safe_path(str(out)).rstrip("/") + "/"
        summary = (
            f"Built the urgent list ({_plural(len(built.urgent.items), 'entry', 'entries')}), "
            f"the full list ({_plural(len(built.full.items), 'entry', 'entries')}, "
            f"{len(built.full.annex)} more in its annex) and "
            f"{_plural(len(built.annexes), 'tender annex', 'tender annexes')}: "
            f"{_plural(outcome.count, 'file')} in {where} (open {where}index.html)"
            + (f"; languages: {', '.join(b.language for b in builds)}" if len(builds) > 1 else "")
        )
        kept.put(last_key, {"inputs": reads, "notes": notes, "summary": summary,
                            "count": outcome.count})
    except OutputError as error:
        progress.done()
        _fail(str(error))
    finally:
        kept.close()
        store.use(None)
    progress.done()
    click.echo(summary + f"; rebuilt {outcome.rebuilt:,} of {outcome.count:,} files")


BINARY_FORMATS = ("xlsx", "docx", "odt", "pdf")


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
    type=click.Choice(["md", "csv", "xlsx", "docx", "odt", "pdf"]),
    default="md",
    show_default=True,
    help="md to paste into a document, csv or xlsx for a spreadsheet, docx (Word), odt "
    "(OpenDocument) or pdf to attach to a tender as it is.",
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

    if output_format in BINARY_FORMATS and out is None:
        kind = {"xlsx": "an Excel", "docx": "a Word", "odt": "an OpenDocument", "pdf": "a PDF"}
        _fail(f"{kind[output_format]} file cannot go to the terminal; "
              f"add --out FILE.{output_format}")
    if output_format == "pdf":
        from is3c.render.pdf import missing

        problem = missing()
        if problem:
            _fail(problem)
    built = _compile(registry_dir, lang)
    chosen = built.annex_for(product_type)
    if chosen is None:
        known = ", ".join(a.product_type.id for a in built.annexes)
        _fail(f"no product type {show(product_type)}; choose one of: {known}")
        return
    if output_format in BINARY_FORMATS and output_format != "xlsx":
        from is3c.render.tender import annex_document

        module = importlib.import_module(f"is3c.render.{output_format}")
        content = module.make(annex_document(chosen, built), built)
    else:
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


# --- languages -------------------------------------------------------------------

I18N_EXIT_CODES = """\b
Exit codes:
  0  done (check: every catalog is up to date)
  1  check: a catalog is out of date; or the registry has errors
  2  usage error, or an internal error (please report it)"""


def _valid_registry(registry_dir: Path | None):  # type: ignore[no-untyped-def]
    """(registry folder, validated registry) or exit: catalogs are made from valid entries."""
    from is3c.findings import FORMATTERS
    from is3c.validate import UsageError, find_registry, validate as run_validate

    try:
        root = find_registry(registry_dir or Path.cwd())
        result = run_validate(root, catalogs=False)  # the catalogs are what is being made
    except UsageError as error:
        _fail(str(error))
    if result.registry is None:
        click.echo(FORMATTERS["text"](result.findings, result.files_checked), nl=False)
        click.echo("is3c: fix the errors above first", err=True)
        sys.exit(1)
    return root, result.registry


@main.group(epilog=I18N_EXIT_CODES)
def i18n() -> None:
    """Translation catalogs (gettext .po files) for the registry and the tool.

    registry/locale/<lang>/LC_MESSAGES/registry.po holds the registry's texts,
    tools/is3c/locale/<lang>/LC_MESSAGES/is3c.po the tool's own words. Edit them
    in any PO editor (Poedit, Weblate, ...); 'is3c validate' checks them.
    """


def _write_planned(planned) -> None:  # type: ignore[no-untyped-def]
    from is3c.i18n import stale
    from is3c.validate import display_path
    from is3c.write import OutputError, write_file

    changed = stale(planned)
    for path in changed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, planned[path])
        except (OutputError, OSError) as error:
            _fail(str(error))
        click.echo(f"wrote {display_path(path)}")
    click.echo(f"{len(planned)} catalogs: {len(changed)} updated")


@i18n.command(epilog=I18N_EXIT_CODES)
@_registry_option
def extract(registry_dir: Path | None) -> None:
    """Write the template catalogs (.pot) from the registry and the tool's sources."""
    from is3c.i18n import expected_templates

    root, registry = _valid_registry(registry_dir)
    _write_planned(expected_templates(root, registry.entries, registry.categories,
                                      registry.product_types))


@i18n.command(epilog=I18N_EXIT_CODES)
@_registry_option
@click.option("--add", "add", multiple=True, metavar="LANG",
              help="Start a catalog for a new language, e.g. --add pt; repeat for more.")
def update(registry_dir: Path | None, add: tuple[str, ...]) -> None:
    """Bring every catalog up to the registry: new texts added, removed texts dropped,
    and a translation whose English changed kept but marked fuzzy, which the build
    shows as 'not yet translated' until a translator confirms it."""
    import re

    from is3c.i18n import expected_catalogs, expected_templates
    from is3c.model import LANGUAGE_PATTERN

    for code in add:
        if not re.fullmatch(LANGUAGE_PATTERN, code):
            _fail(f"--add {code!r} is not a language code such as 'fr' or 'pt-BR'")
    root, registry = _valid_registry(registry_dir)
    args = (root, registry.entries, registry.categories, registry.product_types)
    _write_planned({**expected_templates(*args), **expected_catalogs(*args, add=add)})


@i18n.command(epilog=I18N_EXIT_CODES)
@_registry_option
def check(registry_dir: Path | None) -> None:
    """Exit 1 if a template or catalog differs from what extract and update would write."""
    from is3c.i18n import expected_catalogs, expected_templates, stale
    from is3c.validate import display_path

    root, registry = _valid_registry(registry_dir)
    args = (root, registry.entries, registry.categories, registry.product_types)
    changed = stale({**expected_templates(*args), **expected_catalogs(*args)})
    for path in changed:
        click.echo(f"{display_path(path)}: out of date; run 'is3c i18n update' and commit the result")
    if changed:
        sys.exit(1)
    click.echo("catalogs are up to date")


@i18n.command(epilog=I18N_EXIT_CODES)
@_registry_option
def stats(registry_dir: Path | None) -> None:
    """Print how much of each list is translated, per language.

    Counts only current translations: a fuzzy or empty one is not translated."""
    from is3c.build import coverage_table
    from is3c.i18n import NAMES, languages, registry_credits, registry_texts

    root, registry = _valid_registry(registry_dir)
    for language in languages(root)[1:]:
        rows = coverage_table(registry, registry_texts(root, language))
        credit = registry_credits(root, language)
        click.echo(f"{NAMES.get(language, language)} ({language})"
                   + (f": {credit.translator}; {credit.review}" if credit else ""))
        labels = {"urgent": "urgent list", "full": "full list (accepted entries, vocabulary)",
                  "all": "all texts"}
        for key, cover in rows:
            label = labels.get(key) or "tender annex for " + key.removeprefix("annex:")
            click.echo(f"  {cover.percent:3d}%  {cover.translated:4d}/{cover.total:<4d}  {label}")


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
@click.option(
    "--rfc-index",
    "rfc_index_url",
    is_flag=False,
    flag_value="https://www.rfc-editor.org/rfc-index.xml",
    default=None,
    metavar="[URL]",
    help="Also read the RFC Editor's index (or the one at URL) and report every cited "
    "RFC that is now obsoleted or updated.",
)
def links(registry_dir: Path | None, output_format: str, strict: bool, timeout: float,
          workers: int, rfc_index_url: str | None) -> None:
    """Check that every web address in the registry still answers.

    Asks each distinct address once (HEAD, or GET where a site refuses HEAD),
    follows redirects and retries politely on busy answers (429, 5xx). Needs
    network access, so it runs weekly in CI rather than on pull requests: other
    sites' outages must not block a contribution.

    Also reports specification and recognition addresses that redirect to a
    different document, and, with --rfc-index, every RFC cited in a specification
    id or tender clause that the RFC Editor lists as obsoleted or updated, with
    its successor.
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
    stale = link_check.stale_report(result.registry.entries, checks, rfc_index_url, settings)
    if output_format == "json":
        click.echo(link_check.combined_json(checks, stale), nl=False)
    else:
        click.echo(link_check.FORMATTERS[output_format](checks), nl=False)
        click.echo(link_check.format_stale(stale, output_format), nl=False)
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


@main.command(epilog=CODEOWNERS_EXIT)
@_registry_option
@click.option("--write", is_flag=True, help="Regenerate the committed .github/CODEOWNERS.")
@click.option("--check", is_flag=True, help="Exit 1 if the committed file is out of date.")
def codeowners(registry_dir: Path | None, write: bool, check: bool) -> None:
    """Show, check or regenerate .github/CODEOWNERS from registry/panel.yaml.

    Changes under registry/ need the review of the panel's editors (their GitHub
    handles), or of the panel's GitHub team while no editor is named. Without
    options, prints the file.
    """
    from is3c import codeowners as owners
    from is3c.forms import is_current, write_form
    from is3c.validate import UsageError, find_registry

    if write and check:
        _fail("choose one of --write and --check")
    try:
        root = find_registry(registry_dir or Path.cwd())
        text = owners.render(owners.read_panel(root))
    except (UsageError, owners.CodeownersError) as error:
        _fail(str(error))
        return
    path = root.parent / owners.CODEOWNERS_PATH
    if write:
        click.echo(f"wrote {path}" if write_form(path, text) else "CODEOWNERS is up to date")
    elif check:
        if not is_current(path, text):
            click.echo(f"{path}: out of date; run '{owners.FIX_COMMAND}'")
            sys.exit(1)
        click.echo("CODEOWNERS is up to date")
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
