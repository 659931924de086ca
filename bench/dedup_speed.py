#!/usr/bin/env python3
"""Speed and memory of `saring dedup` against datatrove's 4-stage MinHash pipeline.

Usage (from the repo root):

    python3 bench/dedup_speed.py [--sizes 100 1000 4000] [--peer-sizes 100 1000] [--threads 2]
        [--mem-size MB] [--mem-budgets 64M 8G] [--seed 1] [--skip-datatrove] [--keep-outputs]
        [--saring target/release/saring] [--dt-python bench/venv-datatrove/bin/python]
        [--md bench/out/dedup_speed.md] [--plan]

``--plan`` prints the runs in order and the estimated total time, and exits (nothing is run).

Corpora are the benchmark corpora of bench/make_corpus.py
(bench/out/corpus-<N>mb-seed<S>.jsonl.zst, N = MB of uncompressed JSONL); missing ones are built
first, before anything is timed.  Everything then runs sequentially in this one invocation, one
measured command at a time, each in a fresh subprocess under ``/usr/bin/time -f '%e %M %U %S'``
with the page cache warmed (input read once) and the output directory deleted just before it.
Sizes run in ascending order; at each size:

1. datatrove 0.10.1, if the size is one of ``--peer-sizes`` (``--peer-size`` is an alias; every
   peer size is also a saring size; default: the smallest size): the 4 MinHash stages of
   bench/dedup_eval.py (``_datatrove`` sub-command, run by the datatrove venv's python):
   ``MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8,
   n_grams=5)``, ``LocalPipelineExecutor`` with ``workers=--threads``; signatures and filter over
   ``--threads`` plain-JSONL input shards (``JsonlReader``), buckets with 14 tasks, cluster with 1.
   The .jsonl.zst corpus is decompressed into those shards (split at equal byte counts, whole
   lines) *outside* the timed region.  Per-stage wall times come from the runner.
2. ``saring dedup CORPUS -o OUTDIR --threads N`` in every configuration of ``CONFIGS`` (the table
   below: MinHash only, like for like with datatrove; MinHash only under ``--memory 32M``, where
   the band index spills to disk; the full default).  Configurations with ``--memory`` get
   ``--tmp-dir`` bench/out/dedup-speed/spill (emptied before the run).  A configuration with a
   ``same_output_as`` partner (near-32M -> near) has its output documents hashed (every
   documents-* shard decompressed, sha256) and compared with the partner's, and its stats.json
   compared apart from the spill counters: a memory budget must not change the decisions.
3. Ratios per peer size: wall time datatrove / saring, peak RSS saring / datatrove.

Then the memory budget: at ``--mem-size`` (default: the largest size) the default configuration
with ``--memory`` set to each of ``--mem-budgets`` (spill files in bench/out/dedup-speed/spill):
peak RSS, wall time, ``dedup.spilled_entries`` / ``dedup.spill_runs`` from OUTDIR/stats.json, and
whether the output documents are byte-identical (hashed as above).

Before each measured command the harness waits (up to ``--quiet-timeout`` s) until the machine is
at most ``--max-busy`` busy (it is shared), and it reports per run the CPU time the rest of the
machine used meanwhile ("other CPU").  saring runs use a snapshot copy of the binary
(bench/out/dedup-speed/bin/saring, sha256 in the report) so a rebuild during the benchmark
cannot mix binaries.  At the start it prints the runs and an estimate of the total time (from
the speeds measured here before: datatrove about 0.7 MB/s with 2 workers, saring about 40 MB/s).

Peak RSS: ``%M`` of /usr/bin/time is the largest single process; the process-tree peak sums the
RSS of all live descendants, sampled from /proc every 50 ms (datatrove runs a main process, a
multiprocess Manager, a forkserver and the pool workers).  The figure used for the comparison is
max(tree peak, %M), in MiB.  Report: bench/out/dedup_speed.md (also printed; rewritten as a
partial report after every size, so a long run that breaks still leaves its numbers); raw
numbers: bench/out/dedup-speed/results.json.  Only the existing binary is run; nothing is compiled.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
from dedup_eval import OFFLINE_ENV, _rss_kb, default_py, machine_info, tree_pids  # noqa: E402
from make_corpus import default_corpus_path  # noqa: E402
from run_bench import corpus_sizes, ensure_corpus, rel, shell  # noqa: E402

DEDUP_EVAL = BENCH_DIR / "dedup_eval.py"
MiB = 1024 * 1024


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------
def warm(paths: list[Path]) -> None:
    for p in paths:
        with open(p, "rb") as fh:
            while fh.read(1 << 22):
                pass


CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1


def sys_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    total = sum(v[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    return (total - v[3] - v[4]) / CLK_TCK, total / CLK_TCK


def pid_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / CLK_TCK  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0.0


def busy_share(seconds: float = 2.0) -> float:
    b0, t0 = sys_cpu()
    time.sleep(seconds)
    b1, t1 = sys_cpu()
    return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


def wait_quiet(max_busy: float, timeout: float) -> dict:
    """Wait until the machine is idle (busy share over 2 s below max_busy) or timeout passes."""
    t0 = time.perf_counter()
    b = busy_share()
    while b > max_busy and time.perf_counter() - t0 < timeout:
        print(f"   machine busy ({b:.0%} of {NCPU} CPUs, not ours): waiting", file=sys.stderr, flush=True)
        time.sleep(10)
        b = busy_share()
    return {"busy_before": b, "waited_s": time.perf_counter() - t0}


def measure(cmd: list[str], log: Path, env: dict | None = None, quiet: tuple = (0.25, 600)) -> dict:
    """One command under /usr/bin/time (cwd = repo root), after waiting for a quiet machine.

    Samples every 50 ms the RSS (summed) and the CPU time (utime+stime, per pid) of the process
    tree; "other CPU" = busy CPU time of the whole machine during the run minus that of the tree.
    """
    q = wait_quiet(*quiet)
    tfile = log.with_suffix(".time")
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(tfile), "--"] + cmd
    e = dict(os.environ)
    if env:
        e.update(env)
    load = os.getloadavg()[0]
    peak = [0]
    cpu_by_pid: dict[int, float] = {}
    stop = threading.Event()
    with open(log, "w") as lf:
        sb0, st0 = sys_cpu()
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=lf, stderr=subprocess.STDOUT, env=e, cwd=REPO_ROOT)

        def sample():
            while not stop.is_set():
                tot = 0
                for q_ in tree_pids(p.pid):
                    tot += _rss_kb(q_)
                    cpu_by_pid[q_] = max(cpu_by_pid.get(q_, 0.0), pid_cpu(q_))
                peak[0] = max(peak[0], tot)
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        rc = p.wait()
        wall = time.perf_counter() - t0
        sb1, st1 = sys_cpu()
        stop.set()
        th.join()
    if rc != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"command failed (rc={rc}): {shell(cmd)}\n{tail}")
    e_s, m_kb, u_s, s_s = tfile.read_text().strip().splitlines()[-1].split()
    big = int(m_kb) / 1024
    tree = peak[0] / 1024
    time_cpu = float(u_s) + float(s_s)
    tree_cpu = max(time_cpu, sum(cpu_by_pid.values()))  # sampled: misses each process' last <50 ms
    other = max(0.0, (sb1 - sb0) - tree_cpu)
    return {"wall_s": wall, "time_e_s": float(e_s), "cpu_s": tree_cpu, "cpu_time_s": time_cpu,
            "cpu_sampled_s": sum(cpu_by_pid.values()), "other_cpu_s": other,
            "other_cpu_share": other / (NCPU * wall) if wall else 0.0,
            "rss_largest_mib": big, "rss_tree_mib": tree, "rss_mib": max(big, tree),
            "load1_before": load, "load1_after": os.getloadavg()[0], **q}


# ---------------------------------------------------------------------------
# datatrove
# ---------------------------------------------------------------------------
def split_corpus(corpus: Path, json_bytes: int, out_dir: Path, n: int) -> list[Path]:
    """Decompress CORPUS into n plain-JSONL shards of about equal bytes (whole lines)."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    paths = [out_dir / f"part{k:02d}.jsonl" for k in range(n)]
    proc = subprocess.Popen(["zstd", "-dcq", str(corpus)], stdout=subprocess.PIPE)
    k, written, lines = 0, 0, [0] * n
    fh = open(paths[0], "wb")
    for line in proc.stdout:
        while k < n - 1 and written >= (k + 1) * json_bytes / n:
            fh.close()
            k += 1
            fh = open(paths[k], "wb")
        fh.write(line)
        written += len(line)
        lines[k] += 1
    fh.close()
    if proc.wait() != 0:
        raise RuntimeError(f"zstd -dcq {corpus} failed")
    return paths


def count_lines(d: Path) -> int:
    n = 0
    if d.exists():
        for f in sorted(d.iterdir()):
            with open(f, "rb") as fh:
                n += sum(1 for _ in fh)
    return n


def run_datatrove(args, size: float, corpus: Path, sizes: dict, work: Path, commands: list[str]) -> dict:
    w = work / f"datatrove-{size:g}mb"
    shutil.rmtree(w, ignore_errors=True)
    inp = w / "input"
    print(f"== datatrove at {size:g} MB: converting {rel(corpus)} to {args.threads} JSONL shards (untimed)",
          file=sys.stderr, flush=True)
    shards = split_corpus(corpus, sizes["json_bytes"], inp, args.threads)
    commands.append(f"# untimed: zstd -dcq {rel(corpus)} split at equal byte counts (whole lines) into "
                    + " ".join(rel(s) for s in shards))
    cmd = [os.path.relpath(args.dt_python, REPO_ROOT), rel(DEDUP_EVAL), "_datatrove", rel(inp), rel(w / "run"), str(args.threads)]
    commands += [f"rm -rf {shlex.quote(rel(w / 'run'))}", shell(cmd)]
    warm(shards)
    print(f"== datatrove: {shell(cmd)}", file=sys.stderr, flush=True)
    m = measure(cmd, w / "run.log", env=OFFLINE_ENV, quiet=(args.max_busy, args.quiet_timeout))
    m["stages"] = json.loads((w / "run" / "stage_times.json").read_text())
    m["kept"] = count_lines(w / "run" / "kept")
    m["dropped"] = count_lines(w / "run" / "removed")
    m["cmd"] = shell(cmd)
    print(f"   {m['wall_s']:.1f} s, {m['rss_mib']:.0f} MiB, dropped {m['dropped']}", file=sys.stderr, flush=True)
    if not args.keep_outputs:
        shutil.rmtree(w / "run" / "kept", ignore_errors=True)
        shutil.rmtree(w / "run" / "removed", ignore_errors=True)
        shutil.rmtree(inp, ignore_errors=True)
    return m


# ---------------------------------------------------------------------------
# saring
# ---------------------------------------------------------------------------
class Config(NamedTuple):
    name: str  # short name: output directory suffix, key in results.json
    flags: list[str]  # added to `saring dedup CORPUS -o OUTDIR --threads N`
    label: str  # description in the report
    same_output_as: str | None = None  # name of a configuration whose output must be byte-identical


# The saring configurations run at every size, in this order.
CONFIGS = [
    #      name        flags                                          description
    Config("near",     ["--no-exact", "--no-lines"],                  "MinHash only (`--no-exact --no-lines`), like for like with datatrove"),
    Config("near-32M", ["--no-exact", "--no-lines", "--memory", "32M"], "MinHash only, `--memory 32M` (the band index spills to disk)",
           same_output_as="near"),
    Config("full",     [],                                            "full default (exact + repeated lines + MinHash)"),
]
CONFIG = {c.name: c for c in CONFIGS}
CONFIG_ORDER = [c.name for c in CONFIGS]
# Configurations whose output documents are hashed (one side of a same-output comparison).
HASHED = {c.name for c in CONFIGS if c.same_output_as} | {c.same_output_as for c in CONFIGS if c.same_output_as}

# Time estimate printed at the start (speeds measured on this 2-CPU machine, BENCHMARKS.md section 4).
DT_MBPS_2W = 0.7  # datatrove 0.10.1, 2 workers (scaled linearly with --threads, up to the CPU count)
SARING_MBPS = 40.0  # saring dedup, 2 threads (MinHash only ~40-48, full default ~25-35)
SPLIT_MBPS = 150.0  # untimed: decompressing and splitting a corpus for datatrove
RUN_OVERHEAD_S = 5.0  # per measured run: quiet check (2 s), page-cache warm-up, output hashing


def run_saring(args, corpus: Path, out: Path, extra: list[str], commands: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [rel(args.bin), "dedup", rel(corpus), "-o", rel(out), "--threads", str(args.threads)] + extra
    commands += [f"rm -rf {shlex.quote(rel(out))}", shell(cmd)]
    warm([corpus])
    print(f"== {shell(cmd)}", file=sys.stderr, flush=True)
    m = measure(cmd, out.with_name(out.name + ".log"), quiet=(args.max_busy, args.quiet_timeout))
    st = json.loads((out / "stats.json").read_text())
    m.update(cmd=shell(cmd), stats=st, read=st.get("read"), kept=st.get("kept"), dropped=st.get("dropped"),
             drop_reasons=st.get("drop_reasons", {}), dedup=st.get("dedup", {}))
    print(f"   {m['wall_s']:.1f} s, {m['rss_mib']:.0f} MiB, kept {m['kept']} dropped {m['dropped']}",
          file=sys.stderr, flush=True)
    return m


def with_spill(args, flags: list[str], commands: list[str]) -> list[str]:
    """Flags with `--memory` get `--tmp-dir SPILL`, emptied first; others are returned as they are."""
    if "--memory" not in flags:
        return flags
    spill = args.work / "spill"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir(parents=True)
    commands.append(f"rm -rf {shlex.quote(rel(spill))} && mkdir -p {shlex.quote(rel(spill))}")
    return flags + ["--tmp-dir", rel(spill)]


def sha256_file(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def shard_digests(out: Path) -> list[tuple[str, str, int]]:
    """(shard name, sha256 of the decompressed shard, lines) for every documents-* shard."""
    res = []
    for f in sorted(out.glob("documents-*")):
        proc = subprocess.Popen(["zstd", "-dcq", str(f)], stdout=subprocess.PIPE) if f.name.endswith(".zst") \
            else None
        stream = proc.stdout if proc else open(f, "rb")
        h, lines = hashlib.sha256(), 0
        with stream:
            while chunk := stream.read(1 << 20):
                h.update(chunk)
                lines += chunk.count(b"\n")
        if proc and proc.wait() != 0:
            raise RuntimeError(f"zstd -dcq {f} failed")
        res.append((f.name, h.hexdigest(), lines))
    return res


def digest_of(digests: list) -> str:
    """One sha256 over the per-shard (name, sha256, lines) list: equal iff every shard is equal."""
    return hashlib.sha256(json.dumps([list(d) for d in digests]).encode()).hexdigest()


def strip_spill(st: dict) -> dict:
    st = json.loads(json.dumps(st))
    for k in ("spilled_entries", "spill_runs"):
        st.get("dedup", {}).pop(k, None)
    return st


def same_output(a: dict, b: dict) -> dict:
    """Compare two saring runs (each with "digests" and "stats")."""
    return {"identical": a["digests"] == b["digests"] and len(a["digests"]) > 0,
            "stats_identical": strip_spill(a["stats"]) == strip_spill(b["stats"]),
            "digest_a": digest_of(a["digests"]), "digest_b": digest_of(b["digests"]),
            "shards": (len(a["digests"]), len(b["digests"])),
            "lines": (sum(x[2] for x in a["digests"]), sum(x[2] for x in b["digests"]))}


# ---------------------------------------------------------------------------
# Plan and estimate
# ---------------------------------------------------------------------------
def plan(args) -> list[tuple]:
    """The measured runs in order: ("datatrove", size), ("saring", size, config), ("memory", size, budget)."""
    runs = []
    for s in args.sizes:
        if s in args.peer_sizes and not args.skip_datatrove:
            runs.append(("datatrove", s))
        runs += [("saring", s, c.name) for c in CONFIGS]
    runs += [("memory", args.mem_size, b) for b in args.mem_budgets]
    return runs


def estimate(args, runs: list[tuple]) -> tuple[float, list[str]]:
    """Estimated seconds for RUNS (corpus building excluded) and a printable plan."""
    dt_mbps = DT_MBPS_2W * min(args.threads, NCPU) / 2
    total, lines = 0.0, []
    for r in runs:
        s = r[1]
        if r[0] == "datatrove":
            t = s / dt_mbps + s / SPLIT_MBPS + RUN_OVERHEAD_S
            what = f"datatrove 4-stage MinHash at {s:g} MB (~{dt_mbps:.2f} MB/s, plus untimed split)"
        else:
            t = s / SARING_MBPS + RUN_OVERHEAD_S
            what = f"saring {r[2]} at {s:g} MB" if r[0] == "saring" else f"saring full, --memory {r[2]}, at {s:g} MB"
        total += t
        lines.append(f"  {len(lines) + 1:2d}. {what}: ~{t:.0f} s" if t < 120 else
                     f"  {len(lines) + 1:2d}. {what}: ~{t / 60:.1f} min")
    return total, lines


def fmt_duration(s: float) -> str:
    return f"{s / 60:.0f} min" if s < 5400 else f"{s / 3600:.1f} h ({s / 60:.0f} min)"


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def f1(x, nd=1):
    return "-" if x is None else f"{x:,.{nd}f}"


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


SPEED_TARGET, RSS_TARGET = 50.0, 0.25  # issue #4: wall time ratio >= 50x, peak RSS <= 1/4 of datatrove's


def report(args, info, corpora, commands, dt, sar, sameout, mem, t_total, partial=False) -> str:
    md = ["# Dedup speed and memory: `saring dedup` vs datatrove MinHash", ""]
    if partial:
        md += ["**Partial report: the benchmark is still running (or stopped early); sections without "
               "numbers have not run yet.**", ""]
    md += ["## Machine", ""] + info + [
        f"- threads / workers per tool: {args.threads}",
        f"- estimated total time at the start: {fmt_duration(args.estimate_s)} (excluding corpus building); "
        f"actual harness time{' so far' if partial else ''}: {t_total / 60:.1f} min (corpus building included)", ""]
    md += ["## Corpora", "",
           "Made by `bench/make_corpus.py` (seed %d); MB = 10^6 bytes of uncompressed JSONL." % args.seed, "",
           "| size | file | docs | MB on disk (zst) |", "|---:|---|---:|---:|"]
    for s, (p, sz) in corpora.items():
        md.append(f"| {s:g} | `{rel(p)}` | {sz['docs']:,} | {sz['file_bytes'] / 1e6:.1f} |")
    md.append("")
    md += ["## saring configurations", "", "| name | flags | description |", "|---|---|---|"]
    for c in CONFIGS:
        md.append(f"| {c.name} | `{' '.join(c.flags) or '(none)'}` | {c.label}"
                  + (f"; output must be byte-identical to {c.same_output_as}'s" if c.same_output_as else "") + " |")
    md += ["", "Every configuration runs as `saring dedup CORPUS -o OUTDIR --threads "
           f"{args.threads}` plus its flags (plus `--tmp-dir` for the spill files when it sets `--memory`).", ""]

    foot = (f"¹ busy CPU time of the whole machine during the run (/proc/stat) minus the tool's own, as a share of "
            f"{NCPU} CPUs x wall time: interference from outside the harness (each run waits first until the machine "
            f"is below {args.max_busy:.0%} busy). datatrove's CPU time is sampled per process every 50 ms (its "
            "forkserver workers are invisible to `/usr/bin/time %U %S`); saring's is `%U + %S`.")
    md += [f"## 1. datatrove vs saring at each peer size", "",
           f"Same corpus, same machine, same invocation. Speed ratio = datatrove wall s / saring wall s (issue #4: "
           f"≥ {SPEED_TARGET:g}×); RSS share = saring peak RSS / datatrove peak RSS (issue #4: ≤ {RSS_TARGET:g}). "
           "✓/✗: target met or not.", ""]
    for ps in args.peer_sizes:
        sz = corpora[ps][1]
        mb = sz["json_bytes"] / 1e6
        d = dt.get(ps)
        md += [f"### {ps:g} MB ({sz['docs']:,} docs)", "",
               "| tool | wall s | MB/s | CPU s | peak RSS MiB (process tree) | largest process MiB | docs kept "
               "| docs dropped | spilled entries | speed ratio (dt / saring) | RSS share (saring / dt) | other CPU¹ |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        ok_dt = d is not None and "error" not in d
        if ok_dt:
            md.append(f"| datatrove 0.10.1, 4 stages (MinHash only) | {d['wall_s']:.2f} | {mb / d['wall_s']:.2f} "
                      f"| {d['cpu_s']:.1f} | {d['rss_mib']:.0f} | {d['rss_largest_mib']:.0f} | {d['kept']:,} "
                      f"| {d['dropped']:,} | - | (reference) | (reference) | {d['other_cpu_share']:.1%} |")
        elif d is not None:
            md.append(f"| datatrove | not run: {d['error']} |||||||||||")
        else:
            md.append("| datatrove | not run (yet) |||||||||||")
        for c in CONFIGS:
            r = sar.get((ps, c.name))
            if r is None:
                md.append(f"| saring {c.name}: {c.label} | not run (yet) |||||||||||")
                continue
            if ok_dt:
                sp, sh = d["wall_s"] / r["wall_s"], r["rss_mib"] / d["rss_mib"]
                ratios = f"{sp:.1f}× {mark(sp >= SPEED_TARGET)} | {sh:.2f} {mark(sh <= RSS_TARGET)}"
            else:
                ratios = "- | -"
            md.append(f"| saring {c.name}: {c.label} | {r['wall_s']:.2f} | {mb / r['wall_s']:.1f} | {r['cpu_s']:.1f} "
                      f"| {r['rss_mib']:.0f} | {r['rss_largest_mib']:.0f} | {r['kept']:,} | {r['dropped']:,} "
                      f"| {r['dedup'].get('spilled_entries', 0):,} | {ratios} | {r['other_cpu_share']:.1%} |")
        md.append("")
        if ok_dt:
            s = d["stages"]
            md += ["datatrove per-stage wall times (s, from the runner; the rest of the total is interpreter start "
                   "and imports):", "",
                   "| signatures | buckets | cluster | filter | sum of stages | total wall |", "|---:|---:|---:|---:|---:|---:|",
                   f"| {s.get('signatures', 0):.2f} | {s.get('buckets', 0):.2f} | {s.get('cluster', 0):.2f} "
                   f"| {s.get('filter', 0):.2f} | {sum(s.values()):.2f} | {d['wall_s']:.2f} |", ""]
        for c in CONFIGS:
            so = sameout.get((ps, c.name))
            if so:
                md.append(same_output_line(c, so, sar[(ps, c.name)]))
        md.append("")
    md += [foot, ""]

    md += ["## 2. Ratio by size", "",
           f"Speed ratio = datatrove wall s / saring wall s (target ≥ {SPEED_TARGET:g}×); RSS share = saring peak RSS / "
           f"datatrove peak RSS (target ≤ {RSS_TARGET:g}); process-tree peaks.", ""]
    head = "| size MB | docs | datatrove wall s | datatrove RSS MiB |"
    sep = "|---:|---:|---:|---:|"
    for c in CONFIGS:
        head += f" {c.name}: speed ratio | {c.name}: RSS share |"
        sep += "---:|---:|"
    md += [head, sep]
    for ps in args.peer_sizes:
        d = dt.get(ps)
        row = f"| {ps:g} | {corpora[ps][1]['docs']:,} |"
        if d is None or "error" in d:
            row += " not run | - |" + " - | - |" * len(CONFIGS)
        else:
            row += f" {d['wall_s']:,.1f} | {d['rss_mib']:.0f} |"
            for c in CONFIGS:
                r = sar.get((ps, c.name))
                if r is None:
                    row += " - | - |"
                else:
                    sp, sh = d["wall_s"] / r["wall_s"], r["rss_mib"] / d["rss_mib"]
                    row += f" {sp:.1f}× {mark(sp >= SPEED_TARGET)} | {sh:.2f} {mark(sh <= RSS_TARGET)} |"
        md.append(row)
    md.append("")
    pairs = [(s, c) for (s, c) in sameout]
    if pairs:
        md += ["Same output under a memory budget (output documents decompressed and hashed, shard by shard):", "",
               "| size MB | configurations | output sha256 (all shards) | spilled entries / spill runs | "
               "docs dropped | output documents identical | stats.json identical (apart from spill counters) |",
               "|---:|---|---|---:|---:|---|---|"]
        for (s, c) in sorted(pairs, key=lambda k: (k[0], CONFIG_ORDER.index(k[1]))):
            so = sameout[(s, c)]
            a, b = sar[(s, CONFIG[c].same_output_as)], sar[(s, c)]
            md.append(f"| {s:g} | {CONFIG[c].same_output_as} / {c} | {so['digest_a'][:16]}… / {so['digest_b'][:16]}… "
                      f"| {b['dedup'].get('spilled_entries', 0):,} / {b['dedup'].get('spill_runs', 0):,} "
                      f"| {a['dropped']:,} / {b['dropped']:,} | **{'yes' if so['identical'] else 'NO'}** "
                      f"| **{'yes' if so['stats_identical'] else 'NO'}** |")
        md.append("")

    md += ["## 3. How cost grows", "",
           "| corpus MB | docs | " + " | ".join(["datatrove: wall s / MB/s / RSS MiB"]
                                               + [f"{c.name}: wall s / MB/s / RSS MiB" for c in CONFIGS]) + " |",
           "|---:|---:|" + "---|" * (1 + len(CONFIGS))]
    for s in args.sizes:
        sz = corpora[s][1]
        mb = sz["json_bytes"] / 1e6
        cells = []
        for r in [dt.get(s)] + [sar.get((s, c.name)) for c in CONFIGS]:
            cells.append("-" if r is None or "error" in r else
                         f"{r['wall_s']:,.2f} / {mb / r['wall_s']:.2f} / {r['rss_mib']:,.0f}")
        md.append(f"| {s:g} | {sz['docs']:,} | " + " | ".join(cells) + " |")
    md.append("")
    md += ["saring dedup at every size, in detail:", "",
           "| size MB | configuration | docs | wall s | MB/s | docs/s | CPU s | CPU/wall | peak RSS MiB | kept | exact dup | near dup | only repeated lines | repeated lines removed | spilled entries | other CPU¹ |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (s, c), r in sorted(sar.items(), key=lambda kv: (kv[0][0], CONFIG_ORDER.index(kv[0][1]))):
        sz = corpora[s][1]
        dr = r["drop_reasons"]
        lines_removed = r["stats"].get("removed_lines", {}).get("repeated-line", 0)
        md.append(f"| {s:g} | {c} | {sz['docs']:,} | {r['wall_s']:.2f} | {sz['json_bytes'] / 1e6 / r['wall_s']:.1f} "
                  f"| {sz['docs'] / r['wall_s']:,.0f} | {r['cpu_s']:.1f} | {r['cpu_s'] / r['wall_s']:.2f} "
                  f"| {r['rss_mib']:.0f} | {r['kept']:,} | {dr.get('exact-duplicate', 0):,} | {dr.get('near-duplicate', 0):,} "
                  f"| {dr.get('only-repeated-lines', 0):,} | {lines_removed:,} | {r['dedup'].get('spilled_entries', 0):,} "
                  f"| {r['other_cpu_share']:.1%} |")
    md.append("")

    if mem and mem["runs"]:
        ms = mem["size"]
        md += [f"## 4. Memory budget at {ms:g} MB (default configuration)", "",
               "| `--memory` | wall s | MB/s | CPU s | peak RSS MiB | spilled entries | spill runs | kept | dropped | other CPU¹ |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for b, r in mem["runs"].items():
            md.append(f"| {b} | {r['wall_s']:.2f} | {corpora[ms][1]['json_bytes'] / 1e6 / r['wall_s']:.1f} "
                      f"| {r['cpu_s']:.1f} | {r['rss_mib']:.0f} | {r['dedup'].get('spilled_entries', 0):,} "
                      f"| {r['dedup'].get('spill_runs', 0):,} | {r['kept']:,} | {r['dropped']:,} | {r['other_cpu_share']:.1%} |")
        md.append("")
        if "identical" in mem:
            md.append(f"- output documents byte-identical ({len(mem['digests'][0])} vs {len(mem['digests'][1])} "
                      f"documents-* shards, decompressed, sha256 per shard): **{'yes' if mem['identical'] else 'NO'}**")
            md.append(f"- stats.json identical apart from `dedup.spilled_entries` / `dedup.spill_runs`: "
                      f"**{'yes' if mem['stats_identical'] else 'NO'}**")
            if mem["digests"][0]:
                tot = sum(x[2] for x in mem["digests"][0])
                md.append(f"- {tot:,} output lines; sha256 over all shards {digest_of(mem['digests'][0])[:16]}... "
                          f"vs {digest_of(mem['digests'][1])[:16]}...")
            md.append("")

    md += ["## Commands", "", "Run from the repo root; every measured command is wrapped in "
           "`/usr/bin/time -f '%e %M %U %S' --`, preceded by reading its input once (page cache warm) "
           "and by deleting its output directory.  Wall time is `time.perf_counter()` around the subprocess.", "",
           "```sh"] + commands + ["```", ""]
    md += ["## Notes", "",
           "- datatrove's peak RSS is the sum over its process tree (main process, Manager, forkserver, "
           "pool workers), sampled every 50 ms; saring is one process, so its tree peak equals `%M`.",
           "- datatrove reads uncompressed JSONL shards and writes uncompressed kept/removed JSONL; saring "
           "reads the .jsonl.zst and writes zstd shards (decompression and compression are in saring's time).",
           "- datatrove's pipeline is MinHash only (no exact or line dedup), so the like-for-like rows are "
           "saring's near and near-32M configurations; the dropped-document counts should be close.",
           "- near-32M spills only once the band index outgrows 32 MiB. Where its spilled entries are 0 it ran "
           "entirely in memory: its numbers are still a valid measurement, but its identical output there does not "
           "exercise the spill path (the memory-budget section and the larger sizes do).",
           "- Raw numbers: `" + rel(args.work / "results.json") + "`.", ""]
    return "\n".join(md)


def same_output_line(c: Config, so: dict, r: dict) -> str:
    sp = r["dedup"].get("spilled_entries", 0)
    how = (f"spilled {sp:,} index entries in {r['dedup'].get('spill_runs', 0):,} runs" if sp else
           "did not spill (the index fits the budget at this size)")
    return (f"- {c.name} vs {c.same_output_as}: {c.name} {how}; output documents "
            f"({so['shards'][1]} vs {so['shards'][0]} documents-* shards, {so['lines'][1]:,} vs {so['lines'][0]:,} lines, "
            f"decompressed, sha256 per shard; over all shards {so['digest_b'][:16]}… vs {so['digest_a'][:16]}…) "
            f"byte-identical: **{'yes' if so['identical'] else 'NO'}**, so the same documents are dropped; "
            f"stats.json identical apart from the spill counters: **{'yes' if so['stats_identical'] else 'NO'}**.")


def add_run_args(ap: argparse.ArgumentParser, work: str, md: str) -> None:
    """The options every peer-against-saring timing harness takes (also bench/filter_speed.py)."""
    ap.add_argument("--saring", type=Path, default=REPO_ROOT / "target" / "release" / "saring")
    ap.add_argument("--dt-python", type=Path,
                    default=Path(default_py("venv-datatrove", "/work/venvs/dt/bin/python")))
    ap.add_argument("--max-busy", type=float, default=0.25,
                    help="before each run wait until the machine is at most this busy (share of all CPUs)")
    ap.add_argument("--quiet-timeout", type=float, default=600, help="give up waiting for quiet after this many s")
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--keep-outputs", action="store_true", help="keep saring/datatrove outputs")
    ap.add_argument("--work", type=Path, default=BENCH_DIR / "out" / work)
    ap.add_argument("--md", type=Path, default=BENCH_DIR / "out" / md)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[100, 1000, 4000],
                    help="corpus sizes, MB of uncompressed JSONL (saring runs at all)")
    ap.add_argument("--peer-sizes", "--peer-size", dest="peer_sizes", type=float, nargs="+", default=None,
                    help="sizes at which datatrove runs too (default: the smallest); added to --sizes")
    ap.add_argument("--mem-size", type=float, default=None, help="size for the memory-budget runs (default: largest)")
    ap.add_argument("--mem-budgets", nargs=2, default=["64M", "8G"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    add_run_args(ap, "dedup-speed", "dedup_speed.md")
    ap.add_argument("--plan", action="store_true", help="print the runs and the time estimate, run nothing")
    args = ap.parse_args(argv)
    args.sizes = sorted(set(args.sizes))
    args.peer_sizes = sorted(set(args.peer_sizes)) if args.peer_sizes else [args.sizes[0]]
    args.mem_size = args.mem_size if args.mem_size is not None else args.sizes[-1]
    args.sizes = sorted(set(args.sizes) | set(args.peer_sizes) | {args.mem_size})
    args.work = args.work.resolve()

    runs = plan(args)
    args.estimate_s, plan_lines = estimate(args, runs)
    missing = [s for s in args.sizes if not default_corpus_path(s, args.seed).exists()]
    print(f"dedup_speed: {len(runs)} measured runs, sizes {', '.join(f'{s:g}' for s in args.sizes)} MB, datatrove at "
          + (", ".join(f"{s:g}" for s in args.peer_sizes) + " MB" if not args.skip_datatrove else "none (skipped)"),
          file=sys.stderr)
    print("\n".join(plan_lines), file=sys.stderr)
    print(f"estimated total time: about {fmt_duration(args.estimate_s)} (datatrove ~{DT_MBPS_2W} MB/s with 2 workers, "
          f"saring ~{SARING_MBPS:g} MB/s, {RUN_OVERHEAD_S:g} s per run; more if the machine is busy: each run first "
          f"waits up to {args.quiet_timeout:g} s for it to be quiet)"
          + (f"; plus building the missing corpora ({', '.join(f'{s:g}' for s in missing)} MB) first" if missing else ""),
          file=sys.stderr, flush=True)
    if args.plan:
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    if not args.saring.exists():
        sys.exit(f"no binary at {args.saring} (this harness does not compile)")
    t_start = time.perf_counter()
    # Snapshot the binary: every saring run of this invocation uses the same bytes even if the
    # repo's target/release/saring is rebuilt meanwhile (the machine is shared).
    args.bin = args.work / "bin" / "saring"
    args.bin.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(args.saring, args.bin)
    bin_sha = sha256_file(args.bin)
    info = machine_info(SimpleNamespace(saring=args.saring, dt_python=args.dt_python, td_python=None))
    info.append(f"- saring runs use a snapshot of that binary, `{rel(args.bin)}` (copied at start, sha256 "
                f"{bin_sha[:16]}...), so a rebuild during the benchmark cannot mix binaries")
    info.append("- " + subprocess.run(["zstd", "-V"], capture_output=True, text=True).stdout.strip().replace("*", ""))

    commands = [shell(["python3", "bench/dedup_speed.py"] + (argv if argv is not None else sys.argv[1:])) + "   # this harness"]
    commands.append(f"cp {rel(args.saring)} {rel(args.bin)}   # snapshot, sha256 {bin_sha[:16]}...")
    corpora = {}
    for s in args.sizes:  # build everything first: nothing is timed while a corpus is being written
        p = default_corpus_path(s, args.seed)
        ensure_corpus(p, s, args.seed, commands)
        corpora[s] = (p, corpus_sizes(p))

    dt: dict = {}  # size -> datatrove measurement (or {"error": ...})
    sar: dict = {}  # (size, config name) -> saring measurement
    sameout: dict = {}  # (size, config name) -> comparison with its same_output_as partner
    mem = {"size": args.mem_size, "runs": {}, "digests": []}

    def write(partial: bool) -> None:
        t_total = time.perf_counter() - t_start
        if not partial:
            now_sha = sha256_file(args.saring) if args.saring.exists() else "missing"
            if now_sha != bin_sha:
                info.append(f"- note: {rel(args.saring)} was rebuilt during the benchmark (now sha256 {now_sha[:16]}...); "
                            "the numbers are for the snapshot above")
        md = report(args, info, corpora, commands, dt, sar, sameout, mem, t_total, partial=partial)
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(md)
        raw = {"partial": partial, "estimate_s": args.estimate_s, "elapsed_s": t_total,
               "configs": [c._asdict() for c in CONFIGS],
               "datatrove": {f"{s:g}": r for s, r in dt.items()},
               "saring": {f"{s:g}mb-{c}": r for (s, c), r in sar.items()},
               "same_output": {f"{s:g}mb-{c}": r for (s, c), r in sameout.items()},
               "memory": mem, "corpora": {f"{s:g}": {"path": str(p), **sz} for s, (p, sz) in corpora.items()}}
        (args.work / "results.json").write_text(json.dumps(raw, indent=1, default=str))
        if not partial:
            print(md)
            print(f"\nwrote {rel(args.md)} and {rel(args.work / 'results.json')}", file=sys.stderr)

    for s in args.sizes:
        if s in args.peer_sizes and not args.skip_datatrove:
            if not Path(args.dt_python).exists():
                dt[s] = {"error": f"no interpreter at {args.dt_python} (run bench/setup_peers.sh)"}
            else:
                try:
                    dt[s] = run_datatrove(args, s, corpora[s][0], corpora[s][1], args.work, commands)
                except Exception as e:  # keep going with saring
                    dt[s] = {"error": str(e).splitlines()[0][:300]}
                    print(str(e), file=sys.stderr)
        outs = {}
        for c in CONFIGS:
            out = args.work / f"saring-{s:g}mb-{c.name}"
            r = run_saring(args, corpora[s][0], out, with_spill(args, c.flags, commands), commands)
            if c.name in HASHED:
                print(f"   hashing output shards of {rel(out)}", file=sys.stderr, flush=True)
                r["digests"] = shard_digests(out)
            sar[(s, c.name)] = r
            outs[c.name] = out
            if c.same_output_as:
                sameout[(s, c.name)] = same_output(sar[(s, c.same_output_as)], r)
                commands.append(f"# compare: zstd -dcq each documents-* shard of {rel(outs[c.same_output_as])} and "
                                f"{rel(out)} | sha256sum; stats.json without the spill counters")
        shutil.rmtree(args.work / "spill", ignore_errors=True)
        if not args.keep_outputs:
            for o in outs.values():
                shutil.rmtree(o, ignore_errors=True)
        write(partial=True)

    outs = []
    for b in args.mem_budgets:
        out = args.work / f"saring-{args.mem_size:g}mb-memory-{b}"
        r = run_saring(args, corpora[args.mem_size][0], out,
                       with_spill(args, ["--memory", b], commands), commands)
        mem["runs"][b] = r
        outs.append(out)
        print(f"   hashing output shards of {rel(out)}", file=sys.stderr, flush=True)
        mem["digests"].append(shard_digests(out))
    shutil.rmtree(args.work / "spill", ignore_errors=True)
    commands.append("# compare: zstd -dcq each documents-*.jsonl.zst of the two outputs | sha256sum")
    mem["identical"] = mem["digests"][0] == mem["digests"][1] and len(mem["digests"][0]) > 0
    st = [strip_spill(mem["runs"][b]["stats"]) for b in args.mem_budgets]
    mem["stats_identical"] = st[0] == st[1]
    if not args.keep_outputs:
        for o in outs:
            shutil.rmtree(o, ignore_errors=True)

    write(partial=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
