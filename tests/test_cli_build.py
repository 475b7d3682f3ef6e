"""'is3c build' and 'is3c annex': validate first, build only when clean, write atomically."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from build_fixture import FIXTURE
from click.testing import CliRunner
from conftest import REPO
from is3c import cli
from is3c.cli import main

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={**EPOCH, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The fixture registry with one error in it."""
    root = tmp_path / "broken"
    shutil.copytree(FIXTURE, root)
    path = root / "standards" / "rpki.yaml"
    path.write_text(path.read_text().replace("tier: urgent", "tier: urgnt"))
    return root


def test_build_writes_every_format_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out))
    assert (code, stderr) == (0, "")
    assert stdout == (
        "Built the urgent list (3 entries), the full list (6 entries, 3 more in its annex) "
        f"and 9 tender annexes: 391 files in {out}/ (open {out}/index.html); "
        "languages: en, es, fr; rebuilt 391 of 391 files\n"
    )
    assert (out / "index.html").is_file() and (out / "standards" / "dnssec" / "index.html").is_file()
    # One site per language with a catalog, each with its own pages and downloads.
    for language in ("es", "fr"):
        assert (out / language / "standards" / "dnssec" / "index.html").is_file()
        assert (out / language / "downloads" / "is3c-urgent-list.xlsx").is_file()
        assert (out / language / "search-index.json").is_file()  # the search in its language
    assert 'Le prestataire DOIT signer' in (out / "fr" / "standards" / "dnssec" / "index.html").read_text()
    check = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=out,
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 390
    for extension in ("docx", "odt", "pdf"):
        assert (out / "downloads" / f"is3c-annex-website.{extension}").stat().st_size > 1000
        assert (out / "fr" / "downloads" / f"is3c-annex-website.{extension}").stat().st_size > 1000
    assert hidden(tmp_path) == []


def test_a_registry_with_errors_builds_nothing(tmp_path: Path, broken: Path) -> None:
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", "--registry", str(broken), "--out", str(out))
    assert code == 1
    assert "error IS3C204 priority.tier: 'urgnt' is not one of" in stdout
    assert stderr == "is3c: nothing was built; fix the errors above first\n"
    assert not out.exists()


def test_a_failed_build_leaves_the_previous_output_untouched(
    tmp_path: Path, broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    assert run("build", "--registry", str(FIXTURE), "--out", str(out))[0] == 0
    before = tree(out)
    assert run("build", "--registry", str(broken), "--out", str(out))[0] == 1
    assert tree(out) == before

    from is3c.render import site

    def crash(built: object) -> dict[str, bytes]:
        raise RuntimeError("template exploded halfway")

    monkeypatch.setattr(site, "render", crash)
    # A new cache: the build keeps nothing from the last one, so it makes everything.
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out),
                          env={"IS3C_CACHE_DIR": str(tmp_path / "new-cache")})
    assert code == 2
    assert "internal error: RuntimeError: template exploded halfway" in stderr
    assert tree(out) == before
    assert hidden(tmp_path) == []


def test_a_write_failure_midway_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    run("build", "--registry", str(FIXTURE), "--out", str(out))
    before = tree(out)
    from is3c import write

    real = write.os.fsync
    calls = {"n": 0}

    def disk_full(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 30:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(write.os, "fsync", disk_full)
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out),
                          env={"IS3C_CACHE_DIR": str(tmp_path / "new-cache")})
    assert code == 2 and "No space left on device" in stderr
    assert tree(out) == before
    assert hidden(tmp_path) == []


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    code, stdout, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path))
    assert (code, stdout) == (2, "")
    assert stderr == (f"is3c: {tmp_path} is not empty and holds no earlier build "
                      "(no SHA256SUMS); choose a new or empty folder\n")
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "a"))
    run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "b"))
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_worker_processes_build_the_same_bytes(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Large builds use worker processes; make this small one use them too."""
    from is3c import write

    run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "serial"))
    monkeypatch.setattr(write, "PARALLEL_MIN_FILES", 0)
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "parallel"))
    assert (code, stderr) == (0, "")
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_a_failure_in_a_worker_process_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from is3c import write
    from is3c.render import site

    out = tmp_path / "dist"
    assert run("build", "--registry", str(FIXTURE), "--out", str(out))[0] == 0
    before = tree(out)
    real_page = site._page

    def page(env: object, template: str, path: str, **context: object) -> object:
        if path == "standards/tls/index.html":
            raise RuntimeError("template exploded halfway")
        return real_page(env, template, path, **context)  # type: ignore[arg-type]

    monkeypatch.setattr(site, "_page", page)
    monkeypatch.setattr(write, "PARALLEL_MIN_FILES", 0)
    # A new cache: the build keeps nothing from the last one, so it makes every page.
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out),
                          env={"IS3C_CACHE_DIR": str(tmp_path / "new-cache")})
    assert code == 2
    assert "internal error: RuntimeError: template exploded halfway" in stderr
    assert tree(out) == before
    assert hidden(tmp_path) == []


def _build_in_subprocess(out: Path, cache: Path, umask: int = 0o022, **env: str) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "LC_ALL", "LANG")}
    subprocess.run(
        [sys.executable, "-m", "is3c.cli", "build", "--registry", str(FIXTURE), "--out", str(out)],
        env={**base, "IS3C_CACHE_DIR": str(cache), **env}, check=True, capture_output=True,
        preexec_fn=lambda: os.umask(umask),
    )


def test_builds_do_not_depend_on_time_zone_locale_hash_seed_umask_or_clock(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "a", tmp_path / "c1", TZ="UTC", LC_ALL="C",
                         PYTHONHASHSEED="0", **EPOCH)
    _build_in_subprocess(tmp_path / "b", tmp_path / "c2", umask=0o077, TZ="Pacific/Kiritimati",
                         LC_ALL="C.UTF-8", LANG="fr_FR.UTF-8", PYTHONHASHSEED="12345", **EPOCH)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    # Without SOURCE_DATE_EPOCH the date comes from git, not from the clock.
    _build_in_subprocess(tmp_path / "c", tmp_path / "c3", TZ="America/Los_Angeles")
    _build_in_subprocess(tmp_path / "d", tmp_path / "c4", TZ="Asia/Tokyo", PYTHONHASHSEED="7")
    assert tree(tmp_path / "c") == tree(tmp_path / "d")


def test_language(tmp_path: Path) -> None:
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "fr"),
                          "--lang", "fr")
    assert (code, stderr) == (0, "")
    page = (tmp_path / "fr" / "standards" / "dnssec" / "index.html").read_text()
    assert "Le prestataire DOIT signer" in page
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "de"),
                          "--lang", "de")
    assert code == 0
    assert stderr == (f"is3c: there is no 'de' catalog in {FIXTURE / 'locale'}; the texts stay "
                      "in English\n")
    assert not (tmp_path / "fr" / "fr").exists()  # one language: at the top, alone


@pytest.mark.parametrize("lang", ["french", "FR", "fr_FR", "../x", ""])
def test_a_bad_language_code_is_a_usage_error(tmp_path: Path, lang: str) -> None:
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "o"),
                          "--lang", lang)
    assert code == 2 and "is not a language code such as 'fr' or 'pt-BR'" in stderr


def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(tmp_path / "o"),
                          env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert (code, stderr) == (2, ("is3c: SOURCE_DATE_EPOCH must be a whole number of seconds, "
                                 "not 'yesterday'\n"))


def test_warnings_are_shown_but_do_not_stop_the_build(tmp_path: Path) -> None:
    root = tmp_path / "warned"
    shutil.copytree(FIXTURE, root)
    path = root / "standards" / "dnssec.yaml"
    path.write_text(path.read_text().replace("next_review_due: 2027-01-15", "next_review_due: 2025-01-15"))
    code, stdout, stderr = run("build", "--registry", str(root), "--out", str(tmp_path / "o"))
    assert code == 0 and stdout.startswith("Built the urgent list")
    assert "warning IS3C312" in stderr


def test_annex_markdown_to_standard_output() -> None:
    code, stdout, stderr = run("annex", "--for", "email-service", "--registry", str(FIXTURE))
    assert (code, stderr) == (0, "")
    assert stdout.startswith("# Tender annex: security standards for E-mail service\n")
    assert "## IS3C-DNSSEC: DNSSEC: Domain Name System Security Extensions" in stdout


def test_annex_in_french_as_csv() -> None:
    code, stdout, _ = run("annex", "--for", "dns-hosting", "--lang", "fr", "--format", "csv",
                          "--registry", str(FIXTURE))
    assert code == 0
    assert stdout.startswith('\ufeff"Identifiant de l\'exigence","Nom court","Titre"')
    assert "Le prestataire DOIT signer" in stdout


def test_annex_xlsx_needs_a_file(tmp_path: Path) -> None:
    code, _, stderr = run("annex", "--for", "website", "--format", "xlsx", "--registry", str(FIXTURE))
    assert (code, stderr) == (2, "is3c: an Excel file cannot go to the terminal; add --out FILE.xlsx\n")
    out = tmp_path / "annex.xlsx"
    code, stdout, stderr = run("annex", "--for", "website", "--format", "xlsx",
                               "--out", str(out), "--registry", str(FIXTURE))
    assert (code, stdout) == (0, "")
    assert stderr == f"Wrote the annex for Website and web hosting (4 standards) to {out}\n"
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Tender annex", "Compliance matrix", "About"]


@pytest.mark.parametrize("extension", ["docx", "odt", "pdf"])
def test_annex_as_a_tender_document(tmp_path: Path, extension: str) -> None:
    kinds = {"docx": "a Word", "odt": "an OpenDocument", "pdf": "a PDF"}
    code, _, stderr = run("annex", "--for", "website", "--format", extension,
                          "--registry", str(FIXTURE))
    assert (code, stderr) == (2, f"is3c: {kinds[extension]} file cannot go to the terminal; "
                                 f"add --out FILE.{extension}\n")
    out = tmp_path / f"annex.{extension}"
    code, stdout, stderr = run("annex", "--for", "website", "--format", extension,
                               "--out", str(out), "--registry", str(FIXTURE))
    assert (code, stdout) == (0, "")
    assert stderr == f"Wrote the annex for Website and web hosting (4 standards) to {out}\n"
    magic = {"docx": b"PK", "odt": b"PK", "pdf": b"%PDF-"}[extension]
    assert out.read_bytes().startswith(magic)


def test_formats_builds_a_subset(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out),
                               "--formats", "site,docx")
    assert (code, stderr) == (0, "")
    assert {p.suffix for p in (out / "downloads").iterdir()} == {".docx"}
    page = (out / "annex" / "website" / "index.html").read_text()
    assert "is3c-annex-website.docx" in page and "is3c-annex-website.pdf" not in page
    code, _, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out),
                          "--formats", "site,word")
    assert (code, stderr) == (2, "is3c: --formats 'site,word': choose from json, csv, xlsx, "
                                 "markdown, site, docx, odt, pdf, api or all\n")


NO_PANGO = """
import sys, cffi
real = cffi.FFI.dlopen
def dlopen(self, name, *args):
    if "pango" in str(name):
        raise OSError(f"cannot load library {name!r}")
    return real(self, name, *args)
cffi.FFI.dlopen = dlopen
from is3c.cli import main
main(sys.argv[1:])
"""


def test_a_real_missing_pango_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    """WeasyPrint's own import, with the Pango library refused as on a machine without it."""
    out = tmp_path / "dist"
    result = subprocess.run([sys.executable, "-c", NO_PANGO, "build", "--registry", str(FIXTURE),
                             "--out", str(out), "--formats", "site,pdf,docx"],
                            capture_output=True, text=True, check=False,
                            env={**os.environ, **EPOCH})
    from is3c.render.pdf import PANGO_HINT

    assert result.returncode == 0, result.stderr
    assert result.stderr == f"is3c: no PDF files: {PANGO_HINT}\n"
    assert result.stdout.startswith("Built the urgent list") and "-----" not in result.stdout
    assert not list(out.rglob("*.pdf")) and list(out.rglob("*.docx"))


def test_without_pango_the_build_says_so_in_one_line_and_makes_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from is3c.render import pdf

    monkeypatch.setattr(pdf, "missing", lambda: pdf.PANGO_HINT)
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", "--registry", str(FIXTURE), "--out", str(out))
    assert code == 0 and stdout.startswith("Built the urgent list")
    assert stderr == f"is3c: no PDF files: {pdf.PANGO_HINT}\n"
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in stderr
    assert not list(out.rglob("*.pdf")) and list(out.rglob("*.docx"))
    assert "is3c-annex-website.pdf" not in (out / "annex" / "website" / "index.html").read_text()
    code, _, stderr = run("annex", "--for", "website", "--format", "pdf", "--out",
                          str(tmp_path / "a.pdf"), "--registry", str(FIXTURE))
    assert (code, stderr) == (2, f"is3c: {pdf.PANGO_HINT}\n")


def test_annex_for_an_unknown_product_type() -> None:
    code, _, stderr = run("annex", "--for", "e-mail", "--registry", str(FIXTURE))
    assert code == 2
    assert stderr == (
        "is3c: no product type 'e-mail'; choose one of: website, email-service, dns-hosting, "
        "connectivity, network-equipment, iot-device, software, cloud-service, managed-it-service\n"
    )


def test_annex_validates_first(broken: Path) -> None:
    code, stdout, _ = run("annex", "--for", "website", "--registry", str(broken))
    assert code == 1 and "IS3C204" in stdout


def test_progress_only_on_a_terminal_and_only_when_slow(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    quiet = cli._Progress()
    quiet.DELAY = 0
    quiet("rendering site")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    fast = cli._Progress()
    fast("rendering site")  # within the first half-second: nothing
    slow = cli._Progress()
    slow.DELAY = 0
    slow("rendering site")
    slow.done()
    assert capsys.readouterr().err == "\r\x1b[Kis3c: rendering site…\r\x1b[K"


def test_help_documents_both_commands() -> None:
    for command in ("build", "annex"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "a usage error" in result.output
    assert "the output could not be written (disk full" in CliRunner().invoke(main, ["build", "--help"]).output


def test_annex_for_given_twice_is_an_error() -> None:
    code, stdout, stderr = run("annex", "--registry", str(FIXTURE), "--for", "website",
                               "--for", "email-service")
    assert (code, stdout) == (2, "")
    assert "Invalid value for '--for': given 2 times ('website', 'email-service'); give it once" \
        in stderr


# --- the limits of a small machine ------------------------------------------------

# Runs the command line in a child process, optionally pretending the machine has
# many cores (so the caps on threads and processes are what keeps the build in its
# limits, not the test machine being small).
CHILD = """
import sys
import is3c.machine
if sys.argv[1] != "-":
    is3c.machine.cpus = lambda count=int(sys.argv[1]): count
from is3c.cli import main
sys.argv = ["is3c", *sys.argv[2:]]
main()
"""
GIB = 1024 ** 3


def _is3c_limited(*args: str, limits: dict[int, int], cpus: int | None = None,
                  cwd: Path | None = None, env: dict[str, str] | None = None
                  ) -> subprocess.CompletedProcess[str]:
    import resource

    def apply_limits() -> None:
        for kind, value in limits.items():
            resource.setrlimit(kind, (value, value))

    return subprocess.run(
        [sys.executable, "-c", CHILD, str(cpus) if cpus else "-", *args],
        cwd=cwd, env={**os.environ, **EPOCH, **(env or {})}, capture_output=True, text=True,
        preexec_fn=apply_limits, timeout=900, check=False,
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """Registries of N entries made from the real ones (benchmarks/generate.py)."""
    made: dict[int, Path] = {}

    def make(count: int) -> Path:
        if count not in made:
            target = tmp_path_factory.mktemp(f"registry-{count}")
            subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(count),
                            str(target / "r")], check=True, capture_output=True)
            made[count] = target / "r"
        return made[count]

    return make


# At 10,000 entries the tender documents (a PDF, Word and OpenDocument file of the
# whole list) are left out: laying out a document of 10,000 requirements does not
# fit in 1 GiB (docs/performance.md); every other format is built.
WITHOUT_DOCUMENTS = "json,csv,xlsx,markdown,site,api"


@pytest.mark.parametrize(("count", "cpus", "formats", "files"),
                         [(200, 64, "all", 513), (10_000, None, WITHOUT_DOCUMENTS, 20_080)])
def test_builds_within_1_gib_of_address_space(
    synthetic: Callable[[int], Path], tmp_path: Path, count: int, cpus: int | None, formats: str,
    files: int,
) -> None:
    """ulimit -v 1048576, as on a small CI runner: threads and worker processes stay
    within what the machine allows (200 entries: as if it had 64 cores)."""
    import resource

    root = synthetic(count)
    out = tmp_path / "dist"
    done = _is3c_limited("build", "--out", str(out), "--formats", formats,
                         limits={resource.RLIMIT_AS: GIB}, cpus=cpus,
                         cwd=root, env={"IS3C_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Built the urgent list") and f": {files} files in" in done.stdout
    assert len((out / "SHA256SUMS").read_text().splitlines()) == files - 1
    assert hidden(tmp_path) == []


def test_a_full_disk_is_one_line_and_keeps_the_previous_build(tmp_path: Path) -> None:
    """ulimit -f: no file may grow past 16 KiB, and the site's index page is larger."""
    import resource

    out = tmp_path / "dist"
    assert run("build", "--registry", str(FIXTURE), "--out", str(out))[0] == 0
    before = tree(out)
    done = _is3c_limited("build", "--registry", str(FIXTURE), "--out", str(out),
                         limits={resource.RLIMIT_FSIZE: 16 * 1024},
                         env={"IS3C_CACHE_DIR": str(tmp_path / "cache")})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"is3c: the disk is full (File too large): the build could not be "
                           f"written; the previous build in {out} is intact\n")
    assert tree(out) == before
    assert hidden(tmp_path) == []


def test_a_small_file_system_fills_up_and_the_previous_build_stays(tmp_path: Path) -> None:
    """A tmpfs that holds one build but not a second beside it (in a user namespace
    of its own, where mounting one is allowed without root)."""
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rm", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("no user namespaces here to mount a small file system in")
    out = tmp_path / "small" / "dist"
    out.parent.mkdir()
    # One language and no tender documents keep the build small (about 850 KiB).
    build = (f"{sys.executable} -m is3c.cli build --registry {FIXTURE} --out {out} --lang en "
             f"--formats json,csv,xlsx,markdown,site")
    # The second build with a new cache, so that it writes everything again.
    script = (f"mount -t tmpfs -o size=1200k tmpfs {out.parent} && {build} && "
              f"sha256sum {out}/index.html && IS3C_CACHE_DIR={tmp_path / 'cache2'} {build}; "
              f"echo rc=$?; sha256sum {out}/index.html; ls -A {out.parent}")
    padding = tmp_path / "padding"
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script.replace(
        "&& sha256sum", f"&& head -c 250000 /dev/zero > {out.parent}/padding && sha256sum")],
        env={**os.environ, **EPOCH, "IS3C_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True, text=True, timeout=300, check=False)
    assert not padding.exists()
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Built the urgent list"), done.stdout + done.stderr
    assert lines[2] == "rc=2" and lines[1] == lines[3]  # the index page is the one built first
    assert lines[4:] == ["dist", "padding"]
    assert done.stderr == ("is3c: the disk is full (No space left on device): the build could "
                           f"not be written; the previous build in {out} is intact\n")
