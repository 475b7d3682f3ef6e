"""Time is3c against check-jsonschema on synthetic registries, in one run.

Machines here are shared and noisy, so every command runs several times on the
same files in the same run, and the table reports medians and ratios between
them, never absolute targets. Usage (after the README set-up):

    pip install -e '.[bench]'
    python benchmarks/run.py            # N = 1000 and 10000, writes docs/benchmarks.md
    python benchmarks/run.py --sizes 1000 --repeat 3 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Measure:
    label: str
    seconds: list[float]
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_once(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak resident memory (largest single process, in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0,):
        raise SystemExit(f"{' '.join(command[:4])} ... failed ({process.returncode}): {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def measure(label: str, command: list[str], cwd: Path, env: dict[str, str], repeat: int,
            before=None) -> Measure:  # type: ignore[no-untyped-def]
    times, peaks = [], []
    for index in range(repeat):
        if before is not None:
            before(index)
        seconds, peak = run_once(command, cwd, env)
        times.append(seconds)
        peaks.append(peak)
    print(f"  {label:52s} median {statistics.median(times):7.3f} s  peak {max(peaks):6.1f} MB", flush=True)
    return Measure(label, times, max(peaks))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


DATA_FORMATS = "json,csv,xlsx,markdown,site"
DOCUMENT_FORMATS = ("docx", "odt", "pdf")


def bench_size(count: int, repeat: int, work: Path, documents_up_to: int) -> dict[str, Measure]:
    print(f"N = {count}: generating ...", flush=True)
    target = work / f"registry-{count}"
    paths = generate(count, target)
    git(target, "init", "-q", "-b", "main")
    git(target, "-c", "user.email=bench@example.org", "-c", "user.name=bench", "add", "-A")
    git(target, "-c", "user.email=bench@example.org", "-c", "user.name=bench", "commit", "-q", "-m", "bench")
    is3c = shutil.which("is3c") or sys.exit("is3c is not installed")
    reference = shutil.which("check-jsonschema") or sys.exit("pip install -e '.[bench]' first")
    cache = work / f"cache-{count}"
    env = {**os.environ, "IS3C_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}
    files = [str(p.relative_to(target)) for p in paths]

    def empty_cache(_: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def touch_one(index: int) -> None:
        path = paths[(index * 7919) % len(paths)]
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"# benchmark edit {index}\n")

    results = {}
    results["reference"] = measure(
        "check-jsonschema --schemafile schemas/entry.schema.json", [reference, "--schemafile",
        "schemas/entry.schema.json", *files], target, env, repeat)
    results["cold"] = measure("is3c validate, cold (empty cache)", [is3c, "validate"], target, env,
                              repeat, before=empty_cache)
    run_once([is3c, "validate"], target, env)
    results["warm"] = measure("is3c validate, warm (nothing changed)", [is3c, "validate"], target, env, repeat)
    results["one"] = measure("is3c validate, after one file changed", [is3c, "validate"], target, env,
                             repeat, before=touch_one)
    results["since"] = measure("is3c validate --changed-since HEAD, one file changed",
                               [is3c, "validate", "--changed-since", "HEAD"], target, env, repeat,
                               before=lambda i: touch_one(i + 1000))
    out = work / f"dist-{count}"
    results["build"] = measure("is3c build, json csv xlsx markdown site (empty cache)",
                               [is3c, "build", "--out", str(out), "--formats", DATA_FORMATS],
                               target, env, repeat, before=empty_cache)
    if count <= documents_up_to:
        # The tender documents, one format at a time: each costs time per page, and a
        # list of N entries is some N pages (docs/performance.md).
        for name in DOCUMENT_FORMATS:
            results[name] = measure(f"is3c build --formats {name}",
                                    [is3c, "build", "--out", str(out), "--formats", name],
                                    target, env, repeat)
    return results


def startup(repeat: int, work: Path) -> tuple[Measure, Measure]:
    is3c = shutil.which("is3c") or sys.exit("is3c is not installed")
    env = dict(os.environ)
    python = measure("python -c pass", [sys.executable, "-c", "pass"], work, env, repeat)
    help_ = measure("is3c --help", [is3c, "--help"], work, env, repeat)
    return python, help_


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


def table(results: dict[int, dict[str, Measure]], start: tuple[Measure, Measure], repeat: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python benchmarks/run.py`; do not edit by hand. Every row ran "
        f"{repeat} times on the same files in one run; times are medians of whole processes, "
        "ratios compare rows of the same run, and peak memory is the largest single process "
        "(the pool's workers are counted separately, not summed). The registries are "
        "`benchmarks/generate.py` copies of the real entries (about 5 KB each).",
        "",
        f"Machine: {machine()}. Run on {time.strftime('%Y-%m-%d', time.gmtime())}.",
        "",
    ]
    for count, rows in results.items():
        ref = rows["reference"].median
        lines += [f"## N = {count:,}", "",
                  "| command | median (s) | vs check-jsonschema | peak memory (MB) |",
                  "|---|---:|---:|---:|"]
        for key in ("reference", "cold", "warm", "one", "since", "build", *DOCUMENT_FORMATS):
            if key not in rows:
                continue
            m = rows[key]
            ratio = ("1×" if key == "reference" else "—" if key in DOCUMENT_FORMATS
                     else f"{ref / m.median:.1f}× faster")
            lines.append(f"| {m.label} | {m.median:.2f} | {ratio} | {m.peak_mb:.0f} |")
        lines.append("")
    big = results[max(results)]
    ref, cold = big["reference"].median, big["cold"].median
    python, help_ = start
    extra_ms = (help_.median - python.median) * 1000
    peak = max(m.peak_mb for m in big.values() if m.label.startswith("is3c"))
    checks = [
        ("cold `is3c validate` at least 5× faster than check-jsonschema", ref / cold, 5.0, f"{ref / cold:.1f}×"),
        ("`is3c validate` after one changed file at least 25× faster", ref / big["one"].median, 25.0,
         f"{ref / big['one'].median:.1f}×"),
        ("`is3c build` of json, csv, xlsx, markdown and site within 2× of cold validate", 2.0 / (big["build"].median / cold), 1.0,
         f"{big['build'].median / cold:.2f}× cold validate"),
        ("`is3c --help` within 100 ms of `python -c pass`", 100 / max(extra_ms, 0.001), 1.0, f"+{extra_ms:.0f} ms"),
        ("peak memory under 200 MB", 200 / peak, 1.0, f"{peak:.0f} MB"),
    ]
    lines += [f"## Targets (N = {max(results):,})", "", "| target | measured | met |", "|---|---|---|"]
    for text, value, needed, shown in checks:
        lines.append(f"| {text} | {shown} | {'yes' if value >= needed else 'no'} |")
    lines += ["", f"Start-up: `python -c pass` {python.median * 1000:.0f} ms, "
              f"`is3c --help` {help_.median * 1000:.0f} ms (medians).", "",
              "How each number is reached, and what limits the targets not met: "
              "`docs/performance.md`.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the table, do not write docs/benchmarks.md")
    parser.add_argument("--documents-up-to", type=int, default=1000,
                        help="time the docx, odt and pdf formats on registries up to this size")
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
