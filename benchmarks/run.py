"""Time is3c's validate and incremental build (issue 14) on synthetic registries, in one run.

Machines here are shared and noisy, so every command runs once per round, several
rounds, on the same files in the same run. A round runs the commands that are
compared next to each other (a full build, then a rebuild after one changed entry,
then a rebuild with nothing changed), and every ratio is taken within a round and
then summarised, never between medians of separate rows. Usage (after the README set-up):

    pip install -e '.[bench]'
    python benchmarks/run.py            # N = 1000 and 10000, writes docs/benchmarks.md
    python benchmarks/run.py --sizes 1000 --repeat 3 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

GENERATE = Path(__file__).resolve().parent / "generate.py"

REPO = Path(__file__).resolve().parent.parent
DATA_FORMATS = "json,csv,xlsx,markdown,site,api"
DOCUMENT_FORMATS = "docx,odt,pdf"
REBUILT = re.compile(r"rebuilt [\d,]+ of [\d,]+ files?")

# (key, label, ratio): ratio is (numerator key, denominator key, words), taken per round.
ROWS = [
    ("reference", "check-jsonschema --schemafile schemas/entry.schema.json", None),
    ("validate-cold", "`is3c validate`, cold (empty cache)",
     ("reference", "validate-cold", "× faster than check-jsonschema")),
    ("validate-one", "`is3c validate`, after one changed entry",
     ("reference", "validate-one", "× faster than check-jsonschema")),
    ("build-full", "`is3c build --lang en` (data formats), full: empty cache, no OUT",
     ("build-full", "validate-cold", "× cold validate")),
    ("build-one", "`is3c build --lang en` (data formats), after one changed entry",
     ("build-one", "build-full", "× full build")),
    ("build-none", "`is3c build --lang en` (data formats), nothing changed",
     ("build-none", "build-full", "× full build")),
    ("all-full", "`is3c build` every language (data formats), full",
     ("all-full", "build-full", "× English full build")),
    ("all-one", "`is3c build` every language (data formats), after one changed entry",
     ("all-one", "all-full", "× full build")),
    ("docs-full", "`is3c build --lang en --formats docx,odt,pdf`, full", None),
    ("docs-one", "`is3c build --lang en --formats docx,odt,pdf`, after one changed entry",
     ("docs-one", "docs-full", "× full build")),
]
LABELS = {key: label for key, label, _ in ROWS}


@dataclass
class Run:
    seconds: float
    largest_mb: float  # ru_maxrss from wait4: the largest single process of the tree
    tree_mb: float  # peak of the summed PSS (or RSS) over the process and its descendants
    tree_kind: str  # "PSS", or "RSS" when some smaps_rollup could not be read
    last_line: str


def descendants(root: int) -> list[int]:
    """The process and everything below it, from the ppid in /proc/*/stat.

    /proc/<pid>/task/*/children needs a kernel option that is not always set; the
    scan works everywhere and costs about a millisecond for a few hundred processes."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += parents.get(pid, [])
    return tree


def memory_kb(pid: int) -> tuple[int, str]:
    """PSS shares a page between the processes that map it, so a sum does not count it twice."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]), "PSS"
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]), "RSS"
    except OSError:
        pass
    return 0, "PSS"  # gone, or a zombie that holds no memory


class TreeSampler(threading.Thread):
    """Peak memory of a whole process tree, sampled every 20 ms.

    ru_maxrss sees one process at a time; the PDF pool's workers run side by side,
    and what the machine must hold is their sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.kind = pid, 0, "PSS"
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            samples = [memory_kb(pid) for pid in descendants(self.pid)]
            self.peak_kb = max(self.peak_kb, sum(kb for kb, _ in samples))
            if any(kind == "RSS" for _, kind in samples):
                self.kind = "RSS"
            self.stopped.wait(0.02)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def run_once(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time, both memory peaks and the last line printed, of one command."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({process.returncode}): "
                         f"{(stdout + stderr)[-800:]}")
    lines = stdout.strip().splitlines()
    return Run(elapsed, usage.ru_maxrss / 1024, sampler.peak_kb / 1024, sampler.kind,
               lines[-1] if lines else "")


def generate_apart(count: int, target: Path, *options: str) -> list[Path]:
    """The synthetic registry, made by another process: reading the catalogs would
    leave this one hundreds of MB large, and Linux counts a parent's size in the peak
    memory (ru_maxrss) of every process it starts."""
    subprocess.run([sys.executable, str(GENERATE), str(count), str(target), *options], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted((target / "registry" / "standards").glob("*.yaml"))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), "-c", "user.email=bench@example.org",
                    "-c", "user.name=bench", *args], check=True, capture_output=True)


def edit_title(path: Path, mark: str) -> None:
    """A change a reviewer would see (a comment would not be one): mark appended to the title.

    A plain text edit: the title is the top-level 'title:' line and the indented lines
    that continue it; the mark goes at the end of its last line, inside the closing
    quote when it is quoted. The file is parsed again to be sure."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    last = first
    while lines[last + 1].startswith(" "):
        last += 1
    quote = lines[first][len("title: "):][:1]
    line = lines[last].rstrip()
    if quote in ("'", '"') and line.endswith(quote) and (last > first or len(line) > len("title: '")):
        lines[last] = line[:-1] + mark + quote
    else:
        lines[last] = line + mark
    path.write_text("\n".join(lines), encoding="utf-8")
    if not yaml.safe_load(path.read_text(encoding="utf-8"))["title"].endswith(mark):
        raise SystemExit(f"editing the title of {path} went wrong")


def bench_size(count: int, repeat: int, work: Path, documents_up_to: int) -> tuple[dict[str, list[Run]], str]:
    """Every row for one registry size; the rounds interleave the rows they compare."""
    print(f"N = {count}: generating ...", flush=True)
    target = work / f"registry-{count}"
    paths = generate_apart(count, target)
    # The all-language rows build a copy with the real catalogs, their translations
    # given to every copy of an entry; the other rows a registry without catalogs, as
    # before (reading the catalogs of 10,000 entries costs a cold run seconds).
    translated = work / f"translated-{count}"
    translated_paths = generate_apart(count, translated, "--catalogs")
    for folder in (target, translated):
        git(folder, "init", "-q", "-b", "main")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "bench")
    is3c = shutil.which("is3c") or sys.exit("is3c is not installed")
    reference = shutil.which("check-jsonschema") or sys.exit("pip install -e '.[bench]' first")
    cache = work / f"cache-{count}"
    env = {**os.environ, "IS3C_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
    files = [str(p.relative_to(target)) for p in paths]
    edits = 0

    def change_one(among: list[Path] = paths) -> None:
        """Edit K changes entry K * 7919 mod N: 7919 is prime, so a different entry each time."""
        nonlocal edits
        edits += 1
        edit_title(among[(edits * 7919) % len(among)], f" (edit {edits})")

    def empty(*folders: Path) -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    def build(out: Path, *options: str) -> list[str]:
        return [is3c, "build", *options, "--out", str(out)]

    out_en, out_all, out_docs = work / f"en-{count}", work / f"all-{count}", work / f"docs-{count}"
    commands = {
        "reference": [reference, "--schemafile", "schemas/entry.schema.json", *files],
        "validate": [is3c, "validate"],
        "build": build(out_en, "--lang", "en", "--formats", DATA_FORMATS),
        "all": build(out_all, "--registry", str(translated / "registry"), "--formats", DATA_FORMATS),
        "docs": build(out_docs, "--lang", "en", "--formats", DOCUMENT_FORMATS),
    }
    rows: dict[str, list[Run]] = {}

    def measure(key: str, command: str, round_: int) -> None:
        result = run_once(commands[command], target, env)
        rows.setdefault(key, []).append(result)
        print(f"  N={count} round {round_} {key:13s} {result.seconds:8.3f} s  largest "
              f"{result.largest_mb:6.1f} MB  tree {result.tree_mb:6.1f} MB {result.tree_kind}"
              f"  | {result.last_line[-100:]}", flush=True)

    # Warm-up: the working tree is dirty from here on, so the version every build
    # shows stays '<sha>-dirty' and every round builds the same kind of tree.
    change_one()
    run_once(build(work / "warm-up", "--lang", "en", "--formats", DATA_FORMATS), target, env)
    change_one(translated_paths)
    run_once(commands["all"], target, env)
    for round_ in range(1, repeat + 1):
        measure("reference", "reference", round_)
        empty(cache)
        measure("validate-cold", "validate", round_)
        change_one()
        measure("validate-one", "validate", round_)
        empty(cache, out_en)
        measure("build-full", "build", round_)
        change_one()
        measure("build-one", "build", round_)
        measure("build-none", "build", round_)
        empty(cache, out_all)
        measure("all-full", "all", round_)
        change_one(translated_paths)
        measure("all-one", "all", round_)
        if count <= documents_up_to:
            empty(cache, out_docs)
            measure("docs-full", "docs", round_)
            change_one()
            measure("docs-one", "docs", round_)
    languages = sorted(p.parent.parent.name for p in translated.glob("registry/locale/*/LC_MESSAGES/registry.po"))
    return rows, ", ".join(["en", *languages])


def startup(repeat: int, work: Path) -> dict[str, list[Run]]:
    """`python -c pass` and `is3c --help` side by side, for the per-round difference."""
    is3c = shutil.which("is3c") or sys.exit("is3c is not installed")
    rows: dict[str, list[Run]] = {"python": [], "help": []}
    for round_ in range(1, repeat + 1):
        rows["python"].append(run_once([sys.executable, "-c", "pass"], work, dict(os.environ)))
        rows["help"].append(run_once([is3c, "--help"], work, dict(os.environ)))
        print(f"  start-up round {round_}: python -c pass {rows['python'][-1].seconds * 1000:6.1f} ms"
              f"  is3c --help {rows['help'][-1].seconds * 1000:6.1f} ms", flush=True)
    return rows


def per_round(rows: dict[str, list[Run]], numerator: str, denominator: str) -> list[float]:
    """Round i of one row over round i of the other: both ran minutes apart at most."""
    return [a.seconds / b.seconds for a, b in zip(rows[numerator], rows[denominator])]


def spread(values: list[float], scale: float = 1.0, digits: int = 2, unit: str = "") -> str:
    """Median, then the range: with two or three rounds the range says more than a deviation."""
    return (f"{statistics.median(values) * scale:.{digits}f}{unit} "
            f"({min(values) * scale:.{digits}f}–{max(values) * scale:.{digits}f})")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        memory_text = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory_text = "unknown"
    return (f"{os.cpu_count()} cores ({cpu}), {memory_text} memory, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def note(key: str, runs: list[Run], languages: str) -> str:
    """What the build said about itself, where it matters: files rebuilt, languages built."""
    found = [REBUILT.search(run.last_line) for run in runs]
    if key in ("build-one", "build-none", "all-one", "docs-one"):
        if not any(found):
            return "does not say how many files it rebuilt"
        return "per round: " + "; ".join(match.group(0) if match else "—" for match in found)
    if key == "all-full":
        return (f"languages: {languages} (a copy of the registry with the real catalogs, each "
                "entry's translations given to its copies)" if "," in languages else
                "English only: the synthetic registry has no registry/locale catalogs")
    return ""


def table(results: dict[int, tuple[dict[str, list[Run]], str]], start: dict[str, list[Run]],
          repeat: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/run.py`; do not edit by hand. Every row ran "
        f"{repeat} times, in rounds: each round runs the rows it compares one after the "
        "other (check-jsonschema, cold validate, validate after one changed entry; a full "
        "build, a rebuild after one changed entry, a rebuild with nothing changed; ...). "
        "Times are medians of whole processes with their range (min–max); a ratio is taken "
        "per round (round i of one row over round i of the other) and its median and range "
        "are shown. *Largest process* is the largest peak resident memory of a single "
        "process (ru_maxrss); *process tree* is the peak of the sum over the is3c process "
        "and all its descendants, sampled every 20 ms, of PSS (RSS where marked), both the "
        "highest over the rounds. \"One changed entry\" appends \" (edit K)\" to one "
        "entry's title, a different entry each time, uncommitted. The registries are "
        "`benchmarks/generate.py` copies of the real entries (about 5 KB each), in a git "
        f"repository whose working tree is changed before the first round. Data formats: "
        f"{DATA_FORMATS.replace(',', ', ')}.",
        "",
        f"Machine: {machine()}. Run on {time.strftime('%Y-%m-%d', time.gmtime())}.",
        "",
    ]
    for count, (rows, languages) in results.items():
        lines += [f"## N = {count:,}", "",
                  "| command | median s (range) | per-round ratio, median (range) | largest process MB "
                  "| process tree PSS MB | note |",
                  "|---|---:|---|---:|---:|---|"]
        for key, label, ratio in ROWS:
            if key not in rows:
                continue
            runs = rows[key]
            compared = (spread(per_round(rows, ratio[0], ratio[1]), unit=ratio[2])
                        if ratio and ratio[0] in rows and ratio[1] in rows else "")
            kind = "" if all(r.tree_kind == "PSS" for r in runs) else " (RSS)"
            lines.append(f"| {label} | {spread([r.seconds for r in runs])} | {compared} "
                         f"| {max(r.largest_mb for r in runs):.0f} "
                         f"| {max(r.tree_mb for r in runs):.0f}{kind} | {note(key, runs, languages)} |")
        lines.append("")
    rows = results[max(results)][0]
    own = [(key, run) for key, runs in rows.items() if key != "reference" for run in runs]
    largest_key, largest = max(own, key=lambda pair: pair[1].largest_mb)
    tree_key, tree = max(own, key=lambda pair: pair[1].tree_mb)
    tree_kind = "PSS" if all(run.tree_kind == "PSS" for _, run in own) else "RSS"
    one = [r.seconds for r in rows["build-one"]]
    none = [r.seconds for r in rows["build-none"]]
    share = per_round(rows, "build-one", "build-full")
    full = per_round(rows, "build-full", "validate-cold")
    cold = per_round(rows, "reference", "validate-cold")
    changed = per_round(rows, "reference", "validate-one")
    extra = [h.seconds - p.seconds for h, p in zip(start["help"], start["python"])]
    median = statistics.median
    checks = [
        ("English build after one changed entry within 3 s", median(one) <= 3, spread(one, unit=" s")),
        ("English build after one changed entry at most 15% of a full build (same round)",
         median(share) <= 0.15, spread(share, 100, 0, " %")),
        ("English build with nothing changed within 2 s", median(none) <= 2, spread(none, unit=" s")),
        ("English full build from an empty cache within 2.5× a cold validate (same round)",
         median(full) <= 2.5, spread(full, unit="×")),
        ("largest single process at most 150 MB", largest.largest_mb <= 150,
         f"{largest.largest_mb:.0f} MB ({LABELS[largest_key]})"),
        (f"sum over all processes at most 400 MB ({tree_kind})", tree.tree_mb <= 400,
         f"{tree.tree_mb:.0f} MB ({LABELS[tree_key]})"),
        ("cold `is3c validate` at least 5× faster than check-jsonschema", median(cold) >= 5,
         spread(cold, 1, 1, "×")),
        ("`is3c validate` after one changed entry at least 25× faster than check-jsonschema",
         median(changed) >= 25, spread(changed, 1, 1, "×")),
        ("`is3c --help` within 100 ms of `python -c pass`", median(extra) <= 0.1,
         "+" + spread(extra, 1000, 0, " ms")),
    ]
    lines += [f"## Targets (N = {max(results):,})", "",
              "Ratios are per round, shown as median (range); *met* judges the median, and "
              "the memory targets the highest run of any is3c row.", "",
              "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {text} | {shown} | {'yes' if met else 'no'} |" for text, met, shown in checks]
    lines += ["", f"Start-up ({len(extra)} rounds): `python -c pass` "
              f"{spread([r.seconds for r in start['python']], 1000, 0, ' ms')}, `is3c --help` "
              f"{spread([r.seconds for r in start['help']], 1000, 0, ' ms')}.", "",
              "How each number is reached, and what limits the targets not met: "
              "`docs/performance.md`.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write docs/benchmarks.md")
    parser.add_argument("--documents-up-to", type=int, default=1000,
                        help="time the docx, odt and pdf build on registries up to this size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="is3c-bench-") as temp:
        work = Path(temp)
        results = {count: bench_size(count, args.repeat, work, args.documents_up_to)
                   for count in args.sizes}
        start = startup(max(args.repeat, 10), work)
    text = table(results, start, args.repeat)
    print(text)
    if not args.no_write:
        (REPO / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
        print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
