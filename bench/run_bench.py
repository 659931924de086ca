#!/usr/bin/env python3
"""Throughput and memory benchmark for the `saring` release binary.

Usage (from anywhere; paths are resolved relative to this file):

    python3 bench/run_bench.py [--size-mb 200] [--threads 1 2] [--corpus PATH] [--repeat R]
    python3 bench/run_bench.py --rss-sweep 100 400 2000 [--sweep-threads 2]

Throughput mode builds the corpus with bench/make_corpus.py if it is missing
(bench/out/corpus-<N>mb-seed<S>.jsonl.zst), reads it once to warm the page
cache, then for each thread count N measures

  (a) floor: ``saring count CORPUS --threads N``   (read + decompress + parse only)
  (b) clean: ``saring clean CORPUS -o bench/out/clean-N --threads N``

Each measurement is a fresh ``/usr/bin/time -f '%U %S %M'`` subprocess, so CPU
time and peak RSS (``%M``, max resident set size of that one command) are per
command, never a cumulative maximum; wall time is taken with
time.perf_counter() around that subprocess (finer than ``%e``).  The output directory is deleted
before each clean run.  With ``--repeat R`` the median wall time and the
largest peak RSS over the R runs are reported.

Reported: docs/s; MB/s of the compressed input file (bytes on disk) and MB/s
of the uncompressed JSONL (MB = 10^6 bytes); peak RSS in MiB; clean/floor =
clean wall time / count wall time at the same thread count.  The table,
machine description and exact commands are printed and written to
bench/out/results.md.

RSS-sweep mode builds corpora of the given sizes (MB of uncompressed JSONL) and
reports the peak RSS of ``saring clean`` at --sweep-threads (default 2) for
each, to show memory does not grow with corpus size; it writes
bench/out/results-rss-sweep.md.

Only the existing binary is run (target/release/saring); nothing is compiled.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
SARING = REPO_ROOT / "target" / "release" / "saring"
MAKE_CORPUS = BENCH_DIR / "make_corpus.py"
TIME = "/usr/bin/time"
MiB = 1024 * 1024

sys.path.insert(0, str(BENCH_DIR))
from make_corpus import default_corpus_path  # noqa: E402


def rel(p: Path | str) -> str:
    """Path relative to the repo root when possible (commands are run from there)."""
    p = Path(p)
    try:
        return str(p.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(p)


def shell(cmd: list[str]) -> str:
    return " ".join(shlex.quote(c) for c in cmd)


# --------------------------------------------------------------------------
# Machine description
# --------------------------------------------------------------------------
def machine_info() -> dict:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "nproc": run(["nproc"]),
        "cpu": cpu,
        "memory": mem,
        "kernel": f"{platform.system()} {platform.release()}",
        "saring": run([str(SARING), "--version"]),
        "git": run(["git", "rev-parse", "--short", "HEAD"]) + (" (dirty)" if dirty else ""),
        "zstd": run(["zstd", "-V"]).replace("*", "").strip(),
    }


def machine_md(info: dict, load_before: tuple, load_after: tuple) -> str:
    return "\n".join([
        "## Machine",
        "",
        f"- nproc: {info['nproc']}",
        f"- CPU: {info['cpu']}",
        f"- memory: {info['memory']}",
        f"- kernel: {info['kernel']}",
        f"- binary: {rel(SARING)} ({info['saring']}), git {info['git']}",
        f"- {info['zstd']}",
        "- load average (1/5/15 min) before: "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after: " + " ".join(f"{x:.2f}" for x in load_after),
    ])


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------
def ensure_corpus(path: Path, size_mb: float, seed: int, commands: list[str]) -> None:
    cmd = [sys.executable, rel(MAKE_CORPUS), "--size-mb", f"{size_mb:g}",
           "--out", rel(path), "--seed", str(seed)]
    commands.append(shell(["python3"] + cmd[1:]))
    if path.exists():
        print(f"corpus exists: {rel(path)}", file=sys.stderr)
        return
    print(f"building corpus: {shell(cmd)}", file=sys.stderr)
    subprocess.run(cmd, cwd=REPO_ROOT, check=True)


def corpus_sizes(path: Path) -> dict:
    """Compressed file size, uncompressed JSONL size and doc count (from the manifest
    written by make_corpus.py, or by decompressing the file)."""
    sizes = {"file_bytes": path.stat().st_size}
    manifest = Path(str(path) + ".manifest.json")
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("file_bytes") == sizes["file_bytes"]:
            sizes.update(json_bytes=m["json_bytes"], docs=m["docs"])
            return sizes
    n = lines = 0
    if path.name.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-dcq", str(path)], stdout=subprocess.PIPE)
        stream = proc.stdout
    elif path.name.endswith(".gz"):
        proc, stream = None, gzip.open(path, "rb")
    else:
        proc, stream = None, open(path, "rb")
    with stream:
        while chunk := stream.read(1 << 20):
            n += len(chunk)
            lines += chunk.count(b"\n")
    if proc:
        proc.wait()
    sizes.update(json_bytes=n, docs=lines)
    return sizes


def warm_cache(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 22):
            pass


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------
def measure(cmd: list[str]) -> dict:
    """Run one command under /usr/bin/time; return wall/user/sys seconds and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = [TIME, "-f", "%U %S %M", "-o", tf.name, "--"] + cmd
        t0 = time.perf_counter()
        proc = subprocess.run(full, cwd=REPO_ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"command failed ({proc.returncode}): {shell(cmd)}\n{proc.stderr}")
        user, sys_, rss_kb = tf.read().strip().splitlines()[-1].split()
    return {"wall": wall, "cpu": float(user) + float(sys_),
            "rss_mib": int(rss_kb) / 1024, "stdout": proc.stdout, "stderr": proc.stderr}


def measure_repeated(cmd: list[str], repeat: int, before=None) -> dict:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(cmd))
    best = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    return {**best,
            "wall": statistics.median(r["wall"] for r in runs),
            "rss_mib": max(r["rss_mib"] for r in runs),
            "walls": [r["wall"] for r in runs]}


def rm_tree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


# --------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------
def throughput(args: argparse.Namespace) -> str:
    commands: list[str] = []
    corpus = args.corpus or default_corpus_path(args.size_mb, args.seed)
    if args.corpus is None or not corpus.exists():
        ensure_corpus(corpus, args.size_mb, args.seed, commands)
    sizes = corpus_sizes(corpus)
    warm_cache(corpus)
    load_before = os.getloadavg()

    rows = []
    for n in args.threads:
        count_cmd = [rel(SARING), "count", rel(corpus), "--threads", str(n)]
        out_dir = OUT_DIR / f"clean-{n}"
        clean_cmd = [rel(SARING), "clean", rel(corpus), "-o", rel(out_dir), "--threads", str(n)]
        commands += [shell(count_cmd), f"rm -rf {shlex.quote(rel(out_dir))}", shell(clean_cmd)]
        print(f"[threads={n}] {shell(count_cmd)}", file=sys.stderr)
        floor = measure_repeated(count_cmd, args.repeat)
        counted = json.loads(floor["stdout"].strip().splitlines()[-1])
        print(f"[threads={n}] {shell(clean_cmd)}", file=sys.stderr)
        clean = measure_repeated(clean_cmd, args.repeat, before=lambda: rm_tree(out_dir))
        stats = json.loads((out_dir / "stats.json").read_text())
        docs = counted.get("records", sizes["docs"])
        for name, r in (("floor (count)", floor), ("clean", clean)):
            rows.append({
                "mode": name, "threads": n, "docs": docs, "wall": r["wall"], "cpu": r["cpu"],
                "docs_s": docs / r["wall"],
                "mbs_file": sizes["file_bytes"] / 1e6 / r["wall"],
                "mbs_json": sizes["json_bytes"] / 1e6 / r["wall"],
                "rss": r["rss_mib"],
                "ratio": r["wall"] / floor["wall"],
                "kept": f"{stats['kept']} ({100 * stats['kept'] / max(1, stats['read']):.1f}%)"
                if name == "clean" else "",
            })
        if not args.keep_output:
            rm_tree(out_dir)
    load_after = os.getloadavg()

    lines = [
        f"# saring benchmark: {rel(corpus)}",
        "",
        f"Corpus: {sizes['docs']} docs, {sizes['json_bytes'] / 1e6:.1f} MB uncompressed JSONL, "
        f"{sizes['file_bytes'] / 1e6:.1f} MB on disk (MB = 10^6 bytes). "
        f"Repeats per measurement: {args.repeat} (median wall, max peak RSS). "
        "Page cache warm.",
        "",
        "| mode | threads | docs | wall s | CPU s | docs/s | MB/s (compressed file) "
        "| MB/s (uncompressed JSON) | peak RSS MiB | wall / floor | kept |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['mode']} | {r['threads']} | {r['docs']} | {r['wall']:.2f} | {r['cpu']:.2f} "
            f"| {r['docs_s']:,.0f} | {r['mbs_file']:.1f} | {r['mbs_json']:.1f} "
            f"| {r['rss']:.1f} | {r['ratio']:.2f} | {r['kept']} |")
    lines += [
        "",
        "wall / floor: wall time of the row divided by the `count` wall time at the same "
        "thread count (1.00 for the floor itself). Peak RSS is `/usr/bin/time %M` of that "
        "single command.",
        "",
        machine_md(machine_info(), load_before, load_after),
        "",
        "## Commands (run from the repo root, each wrapped in "
        "`/usr/bin/time -f '%U %S %M'`)",
        "",
        "```sh",
        f"python3 {rel(BENCH_DIR / 'run_bench.py')} " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        *commands,
        "```",
    ]
    return "\n".join(lines) + "\n"


def rss_sweep(args: argparse.Namespace) -> str:
    commands: list[str] = []
    n = args.sweep_threads
    load_before = os.getloadavg()
    rows = []
    for size in args.rss_sweep:
        corpus = default_corpus_path(size, args.seed)
        ensure_corpus(corpus, size, args.seed, commands)
        sizes = corpus_sizes(corpus)
        warm_cache(corpus)
        out_dir = OUT_DIR / f"clean-sweep-{size:g}mb"
        cmd = [rel(SARING), "clean", rel(corpus), "-o", rel(out_dir), "--threads", str(n)]
        commands += [f"rm -rf {shlex.quote(rel(out_dir))}", shell(cmd)]
        print(f"[{size:g} MB] {shell(cmd)}", file=sys.stderr)
        r = measure_repeated(cmd, args.repeat, before=lambda: rm_tree(out_dir))
        if not args.keep_output:
            rm_tree(out_dir)
        rows.append((size, sizes, r))
    load_after = os.getloadavg()

    lines = [
        f"# saring peak RSS vs corpus size (`clean --threads {n}`)",
        "",
        "| corpus MB (uncompressed JSON) | docs | MB on disk (zst) | wall s | docs/s "
        "| MB/s (uncompressed JSON) | peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, s, r in rows:
        lines.append(
            f"| {s['json_bytes'] / 1e6:.0f} | {s['docs']} | {s['file_bytes'] / 1e6:.1f} "
            f"| {r['wall']:.2f} | {s['docs'] / r['wall']:,.0f} "
            f"| {s['json_bytes'] / 1e6 / r['wall']:.1f} | {r['rss_mib']:.1f} |")
    lines += [
        "",
        "Peak RSS is `/usr/bin/time %M` of each single `saring clean` run "
        "(page cache warm, output directory deleted before the run).",
        "",
        machine_md(machine_info(), load_before, load_after),
        "",
        "## Commands (run from the repo root, each `saring` run wrapped in "
        "`/usr/bin/time -f '%U %S %M'`)",
        "",
        "```sh",
        f"python3 {rel(BENCH_DIR / 'run_bench.py')} " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        *commands,
        "```",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=200,
                    help="corpus size in MB of uncompressed JSONL (default 200)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, default=None,
                    help="use this corpus instead of bench/out/corpus-<N>mb-seed<S>.jsonl.zst "
                         "(built with --size-mb if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (median wall)")
    ap.add_argument("--rss-sweep", type=float, nargs="+", metavar="MB",
                    help="instead of the throughput table, report clean's peak RSS per size")
    ap.add_argument("--sweep-threads", type=int, default=2)
    ap.add_argument("--keep-output", action="store_true",
                    help="keep the bench/out/clean-* output directories")
    args = ap.parse_args()
    if args.corpus is not None:
        args.corpus = args.corpus.resolve()
    if not SARING.exists():
        sys.exit(f"{SARING} not found; build the release binary first")
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    if args.rss_sweep:
        report, target = rss_sweep(args), OUT_DIR / "results-rss-sweep.md"
    else:
        report, target = throughput(args), OUT_DIR / "results.md"
    target.write_text(report)
    print(report)
    print(f"written to {rel(target)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
