#!/usr/bin/env python3
"""Speed and memory of `saring dedup` against datatrove's 4-stage MinHash pipeline.

Usage (from the repo root):

    python3 bench/dedup_speed.py [--sizes 100 1000 4000] [--peer-size 100] [--threads 2]
        [--mem-size MB] [--mem-budgets 64M 8G] [--seed 1] [--skip-datatrove] [--keep-outputs]
        [--saring target/release/saring] [--dt-python bench/venv-datatrove/bin/python]
        [--md bench/out/dedup_speed.md]

Corpora are the benchmark corpora of bench/make_corpus.py
(bench/out/corpus-<N>mb-seed<S>.jsonl.zst, N = MB of uncompressed JSONL); missing ones are built
first, before anything is timed.  Everything then runs sequentially in this one invocation, one
measured command at a time, each in a fresh subprocess under ``/usr/bin/time -f '%e %M %U %S'``
with the page cache warmed (input read once) and the output directory deleted just before it:

1. datatrove 0.10.1 at ``--peer-size`` only (it is slow): the 4 MinHash stages of
   bench/dedup_eval.py (``_datatrove`` sub-command, run by the datatrove venv's python):
   ``MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8,
   n_grams=5)``, ``LocalPipelineExecutor`` with ``workers=--threads``; signatures and filter over
   ``--threads`` plain-JSONL input shards (``JsonlReader``), buckets with 14 tasks, cluster with 1.
   The .jsonl.zst corpus is decompressed into those shards (split at equal byte counts, whole
   lines) *outside* the timed region.  Per-stage wall times come from the runner.
2. ``saring dedup CORPUS -o OUTDIR --threads N`` at every size, in two configurations:
   near-duplicates only (``--no-exact --no-lines``, like-for-like with datatrove) and the full
   default (exact + repeated lines + near).
3. Ratios datatrove / saring (wall time, peak RSS) at ``--peer-size``.
4. Memory budget: at ``--mem-size`` (default: the largest size) the default configuration with
   ``--memory`` set to each of ``--mem-budgets`` (spill files in bench/out/dedup-speed/spill):
   peak RSS, wall time, ``dedup.spilled_entries`` / ``dedup.spill_runs`` from OUTDIR/stats.json,
   and whether the output documents are byte-identical (every documents-*.jsonl.zst shard
   decompressed and hashed; stats.json is compared with the spill counters removed).

Before each measured command the harness waits (up to ``--quiet-timeout`` s) until the machine is
at most ``--max-busy`` busy (it is shared), and it reports per run the CPU time the rest of the
machine used meanwhile ("other CPU").  saring runs use a snapshot copy of the binary
(bench/out/dedup-speed/bin/saring, sha256 in the report) so a rebuild during the benchmark
cannot mix binaries.

Peak RSS: ``%M`` of /usr/bin/time is the largest single process; the process-tree peak sums the
RSS of all live descendants, sampled from /proc every 50 ms (datatrove runs a main process, a
multiprocess Manager, a forkserver and the pool workers).  The figure used for the comparison is
max(tree peak, %M), in MiB.  Report: bench/out/dedup_speed.md (also printed); raw numbers:
bench/out/dedup-speed/results.json.  Only the existing binary is run; nothing is compiled.
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


def run_datatrove(args, corpus: Path, sizes: dict, work: Path, commands: list[str]) -> dict:
    w = work / "datatrove"
    shutil.rmtree(w, ignore_errors=True)
    inp = w / "input"
    print(f"== datatrove: converting {rel(corpus)} to {args.threads} JSONL shards (untimed)",
          file=sys.stderr, flush=True)
    shards = split_corpus(corpus, sizes["json_bytes"], inp, args.threads)
    commands.append(f"# untimed: zstd -dcq {rel(corpus)} split at equal byte counts (whole lines) into "
                    + " ".join(rel(s) for s in shards))
    cmd = [os.path.relpath(args.dt_python, REPO_ROOT), rel(DEDUP_EVAL), "_datatrove", rel(inp), rel(w / "run"), str(args.threads)]
    commands.append(shell(cmd))
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
CONFIGS = {"near": ["--no-exact", "--no-lines"], "full": []}
CONFIG_LABEL = {"near": "near only (`--no-exact --no-lines`)", "full": "full default (exact + lines + near)"}


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


def strip_spill(st: dict) -> dict:
    st = json.loads(json.dumps(st))
    for k in ("spilled_entries", "spill_runs"):
        st.get("dedup", {}).pop(k, None)
    return st


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def f1(x, nd=1):
    return "-" if x is None else f"{x:,.{nd}f}"


def report(args, info, corpora, commands, dt, sar, mem, t_total) -> str:
    md = ["# Dedup speed and memory: `saring dedup` vs datatrove MinHash", ""]
    md += ["## Machine", ""] + info + [
        f"- threads / workers per tool: {args.threads}",
        f"- total harness time: {t_total / 60:.1f} min (corpus building included)", ""]
    md += ["## Corpora", "",
           "Made by `bench/make_corpus.py` (seed %d); MB = 10^6 bytes of uncompressed JSONL." % args.seed, "",
           "| size | file | docs | MB on disk (zst) |", "|---:|---|---:|---:|"]
    for s, (p, sz) in corpora.items():
        md.append(f"| {s:g} | `{rel(p)}` | {sz['docs']:,} | {sz['file_bytes'] / 1e6:.1f} |")
    md.append("")

    ps = args.peer_size
    peer_json = corpora[ps][1]["json_bytes"] / 1e6
    md += [f"## 1-3. datatrove vs saring at {ps:g} MB", ""]
    rows = []
    if dt and "error" not in dt:
        rows.append(("datatrove 0.10.1 (4 stages, MinHash only)", dt))
    for c in ("near", "full"):
        if (ps, c) in sar:
            rows.append((f"saring dedup, {CONFIG_LABEL[c]}", sar[(ps, c)]))
    md += ["| tool | wall s | MB/s (uncompr. JSON) | CPU s (user+sys) | peak RSS MiB (process tree) | largest process MiB | docs kept | docs dropped | other CPU during run¹ |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        md.append(f"| {name} | {r['wall_s']:.2f} | {peer_json / r['wall_s']:.2f} | {r['cpu_s']:.1f} | {r['rss_mib']:.0f} "
                  f"| {r['rss_largest_mib']:.0f} | {r['kept']:,} | {r['dropped']:,} | {r['other_cpu_share']:.1%} |")
    if dt and "error" in dt:
        md.append(f"| datatrove | not run: {dt['error']} |||||||")
    md.append("")
    md.append(f"¹ busy CPU time of the whole machine during the run (/proc/stat) minus the tool's own, as a share of "
              f"{NCPU} CPUs x wall time: interference from outside the harness (each run waits first until the machine "
              f"is below {args.max_busy:.0%} busy). datatrove's CPU time is sampled per process every 50 ms (its "
              "forkserver workers are invisible to `/usr/bin/time %U %S`); saring's is `%U + %S`.")
    md.append("")
    if dt and "error" not in dt:
        md += ["datatrove per-stage wall times (s, from the runner; the rest of the total is interpreter start "
               "and imports):", "",
               "| signatures | buckets | cluster | filter | sum of stages | total wall |", "|---:|---:|---:|---:|---:|---:|"]
        s = dt["stages"]
        md.append(f"| {s.get('signatures', 0):.2f} | {s.get('buckets', 0):.2f} | {s.get('cluster', 0):.2f} "
                  f"| {s.get('filter', 0):.2f} | {sum(s.values()):.2f} | {dt['wall_s']:.2f} |")
        md.append("")
        md += ["Ratios datatrove / saring (same corpus, same run):", "",
               "| saring configuration | wall time ratio | peak RSS ratio |", "|---|---:|---:|"]
        for c in ("near", "full"):
            if (ps, c) in sar:
                r = sar[(ps, c)]
                md.append(f"| {CONFIG_LABEL[c]} | {dt['wall_s'] / r['wall_s']:.1f}x | {dt['rss_mib'] / r['rss_mib']:.1f}x |")
        md.append("")

    md += ["## saring dedup at every size", "",
           "| size MB | configuration | docs | wall s | MB/s | docs/s | CPU s | CPU/wall | peak RSS MiB | kept | exact dup | near dup | only repeated lines | repeated lines removed | spilled entries | other CPU¹ |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (s, c), r in sorted(sar.items(), key=lambda kv: (kv[0][0], list(CONFIGS).index(kv[0][1]))):
        sz = corpora[s][1]
        dr = r["drop_reasons"]
        lines_removed = r["stats"].get("removed_lines", {}).get("repeated-line", 0)
        md.append(f"| {s:g} | {c} | {sz['docs']:,} | {r['wall_s']:.2f} | {sz['json_bytes'] / 1e6 / r['wall_s']:.1f} "
                  f"| {sz['docs'] / r['wall_s']:,.0f} | {r['cpu_s']:.1f} | {r['cpu_s'] / r['wall_s']:.2f} "
                  f"| {r['rss_mib']:.0f} | {r['kept']:,} | {dr.get('exact-duplicate', 0):,} | {dr.get('near-duplicate', 0):,} "
                  f"| {dr.get('only-repeated-lines', 0):,} | {lines_removed:,} | {r['dedup'].get('spilled_entries', 0):,} "
                  f"| {r['other_cpu_share']:.1%} |")
    md.append("")

    if mem:
        ms = mem["size"]
        md += [f"## 4. Memory budget at {ms:g} MB (default configuration)", "",
               "| `--memory` | wall s | MB/s | CPU s | peak RSS MiB | spilled entries | spill runs | kept | dropped | other CPU¹ |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for b, r in mem["runs"].items():
            md.append(f"| {b} | {r['wall_s']:.2f} | {corpora[ms][1]['json_bytes'] / 1e6 / r['wall_s']:.1f} "
                      f"| {r['cpu_s']:.1f} | {r['rss_mib']:.0f} | {r['dedup'].get('spilled_entries', 0):,} "
                      f"| {r['dedup'].get('spill_runs', 0):,} | {r['kept']:,} | {r['dropped']:,} | {r['other_cpu_share']:.1%} |")
        md.append("")
        md.append(f"- output documents byte-identical ({len(mem['digests'][0])} vs {len(mem['digests'][1])} "
                  f"documents-* shards, decompressed, sha256 per shard): **{'yes' if mem['identical'] else 'NO'}**")
        md.append(f"- stats.json identical apart from `dedup.spilled_entries` / `dedup.spill_runs`: "
                  f"**{'yes' if mem['stats_identical'] else 'NO'}**")
        if mem["digests"][0]:
            tot = sum(x[2] for x in mem["digests"][0])
            md.append(f"- {tot:,} output lines; first shard sha256 {mem['digests'][0][0][1][:16]}...")
        md.append("")

    md += ["## Commands", "", "Run from the repo root; every measured command is wrapped in "
           "`/usr/bin/time -f '%e %M %U %S' --`, preceded by reading its input once (page cache warm) "
           "and by deleting its output directory.  Wall time is `time.perf_counter()` around the subprocess.", "",
           "```sh"] + commands + ["```", ""]
    md += ["## Notes", "",
           "- datatrove's peak RSS is the sum over its process tree (main process, Manager, forkserver, "
           "2 pool workers), sampled every 50 ms; saring is one process, so its tree peak equals `%M`.",
           "- datatrove reads uncompressed JSONL shards and writes uncompressed kept/removed JSONL; saring "
           "reads the .jsonl.zst and writes zstd shards (decompression and compression are in saring's time).",
           "- datatrove's pipeline is MinHash only (no exact or line dedup), so the like-for-like row is "
           "saring's near-only configuration; the dropped-document counts should be close.",
           "- Raw numbers: `" + rel(args.work / "results.json") + "`.", ""]
    return "\n".join(md)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[100, 1000, 4000],
                    help="corpus sizes, MB of uncompressed JSONL (saring runs at all)")
    ap.add_argument("--peer-size", type=float, default=None, help="size for datatrove (default: smallest)")
    ap.add_argument("--mem-size", type=float, default=None, help="size for the memory-budget runs (default: largest)")
    ap.add_argument("--mem-budgets", nargs=2, default=["64M", "8G"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--saring", type=Path, default=REPO_ROOT / "target" / "release" / "saring")
    ap.add_argument("--dt-python", type=Path,
                    default=Path(default_py("venv-datatrove", "/work/venvs/dt/bin/python")))
    ap.add_argument("--max-busy", type=float, default=0.25,
                    help="before each run wait until the machine is at most this busy (share of all CPUs)")
    ap.add_argument("--quiet-timeout", type=float, default=600, help="give up waiting for quiet after this many s")
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--keep-outputs", action="store_true", help="keep saring/datatrove outputs")
    ap.add_argument("--work", type=Path, default=BENCH_DIR / "out" / "dedup-speed")
    ap.add_argument("--md", type=Path, default=BENCH_DIR / "out" / "dedup_speed.md")
    args = ap.parse_args(argv)
    args.sizes = sorted(set(args.sizes))
    args.peer_size = args.peer_size if args.peer_size is not None else args.sizes[0]
    args.mem_size = args.mem_size if args.mem_size is not None else args.sizes[-1]
    for s in (args.peer_size, args.mem_size):
        if s not in args.sizes:
            args.sizes = sorted(set(args.sizes) | {s})
    args.work = args.work.resolve()
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

    dt = None
    if not args.skip_datatrove:
        if not Path(args.dt_python).exists():
            dt = {"error": f"no interpreter at {args.dt_python} (run bench/setup_peers.sh)"}
        else:
            try:
                dt = run_datatrove(args, corpora[args.peer_size][0], corpora[args.peer_size][1], args.work, commands)
            except Exception as e:  # keep going with saring
                dt = {"error": str(e).splitlines()[0][:300]}
                print(str(e), file=sys.stderr)

    sar = {}
    for s in args.sizes:
        for c, extra in CONFIGS.items():
            out = args.work / f"saring-{s:g}mb-{c}"
            sar[(s, c)] = run_saring(args, corpora[s][0], out, extra, commands)
            if not args.keep_outputs:
                shutil.rmtree(out, ignore_errors=True)

    mem = {"size": args.mem_size, "runs": {}, "digests": []}
    spill = args.work / "spill"
    outs = []
    for b in args.mem_budgets:
        shutil.rmtree(spill, ignore_errors=True)
        spill.mkdir(parents=True)
        out = args.work / f"saring-{args.mem_size:g}mb-memory-{b}"
        r = run_saring(args, corpora[args.mem_size][0], out,
                       ["--memory", b, "--tmp-dir", rel(spill)], commands)
        mem["runs"][b] = r
        outs.append(out)
        print(f"   hashing output shards of {rel(out)}", file=sys.stderr, flush=True)
        mem["digests"].append(shard_digests(out))
    shutil.rmtree(spill, ignore_errors=True)
    commands.append("# compare: zstd -dcq each documents-*.jsonl.zst of the two outputs | sha256sum")
    mem["identical"] = mem["digests"][0] == mem["digests"][1] and len(mem["digests"][0]) > 0
    st = [strip_spill(mem["runs"][b]["stats"]) for b in args.mem_budgets]
    mem["stats_identical"] = st[0] == st[1]
    if not args.keep_outputs:
        for o in outs:
            shutil.rmtree(o, ignore_errors=True)

    t_total = time.perf_counter() - t_start
    now_sha = sha256_file(args.saring) if args.saring.exists() else "missing"
    if now_sha != bin_sha:
        info.append(f"- note: {rel(args.saring)} was rebuilt during the benchmark (now sha256 {now_sha[:16]}...); "
                    "the numbers are for the snapshot above")
    md = report(args, info, corpora, commands, dt, sar, mem, t_total)
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(md)
    raw = {"datatrove": dt, "saring": {f"{s:g}mb-{c}": r for (s, c), r in sar.items()},
           "memory": {**mem, "runs": mem["runs"]}, "corpora": {f"{s:g}": {"path": str(p), **sz} for s, (p, sz) in corpora.items()}}
    (args.work / "results.json").write_text(json.dumps(raw, indent=1, default=str))
    print(md)
    print(f"\nwrote {rel(args.md)} and {rel(args.work / 'results.json')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
