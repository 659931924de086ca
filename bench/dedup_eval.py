#!/usr/bin/env python3
"""Pair-level evaluation of near-duplicate detection: saring dedup vs datatrove vs text-dedup.

Usage:
    python3 bench/dedup_eval.py --set DIR [--tools saring,datatrove,textdedup]
        [--saring target/release/saring] [--dt-python PY] [--td-python PY]
        [--threads 2] [--work DIR] [--md bench/out/dedup_eval.md]

DIR is a set written by bench/make_dedup_set.py (corpus.jsonl, pairs.jsonl, manifest.json).
The interpreters default to bench/venv-datatrove/bin/python and bench/venv-textdedup/bin/python
(made by bench/setup_peers.sh), falling back to /work/venvs/{dt,td}/bin/python.

Tools (each in its own subprocess under ``/usr/bin/time -f '%e %M'``, same corpus, 2 workers):

1. ``saring dedup corpus.jsonl -o kept.jsonl --rejected rejected.jsonl --no-lines --threads N``
   (exact + MinHash-LSH, 5-grams, 14 bands x 8 rows).  Cluster of a document =
   ``metadata.dup_cluster_id`` (kept survivors and dropped documents both carry it), else itself.
2. datatrove 0.10.1, the 4 MinHash stages with ``LocalPipelineExecutor``:
   ``MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8,
   n_grams=5)``; signatures on 2 input shards (tasks=2, workers=N), buckets (tasks=14, workers=N),
   ``MinhashDedupCluster(save_cluster_id=True)`` (tasks=1), ``MinhashDedupFilter(load_cluster_ids=True)``
   (tasks=2, workers=N).  Cluster = ``metadata.minhash_cluster_id`` (-1 = none).
   The runner is this file (``_datatrove`` sub-command) run by the datatrove venv's python.
3. text-dedup 0.4.0: ``python -m text_dedup.minhash --path json --data_files corpus.jsonl --split train
   --column text --idx_column id --num_perm 112 --b 14 --r 8 --ngram 5 --min_length 5 --num_proc N
   --debug``.  The output is a ``save_to_disk`` dataset of the kept documents; ``--debug`` also dumps
   the union-find (``uf.pkl``, keyed by ``id`` thanks to ``--idx_column``), which gives the clusters.
   (It has no cluster column in its output; without ``--debug`` only the removal rule below applies.)

Metrics.  A pair is predicted duplicate iff both documents are in the same predicted cluster.
TP / FN over the positive pairs, FP = predicted pairs that are not positives: hard negatives
(labelled 0) plus "other" pairs (any two corpus documents not listed in pairs.jsonl, e.g. two
singletons or documents of different planted pairs).  Precision = TP / (TP + FP), recall = TP / P.
Recall is also broken down by the true word-5-gram Jaccard bucket and by edit kind.
Secondary "removal rule" (what a keep/drop-only output allows): a labelled pair is predicted
duplicate iff exactly one of its two documents was removed; precision over labelled pairs only.
Time = wall seconds (%e); RSS = peak resident set of the largest single process (%M of
/usr/bin/time) and, sampled every 50 ms from /proc, the peak summed RSS of the whole process tree
(matters for the multi-process peers).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "HF_HUB_DISABLE_TELEMETRY": "1", "TOKENIZERS_PARALLELISM": "false",
               "PYTHONHASHSEED": "0"}


# ---------------------------------------------------------------------------
# Sub-commands run inside the peer venvs (stdlib + the peer only)
# ---------------------------------------------------------------------------
def run_datatrove(inp: str, work: str, workers: int) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    n_files = len([f for f in os.listdir(inp) if f.endswith(".jsonl")])
    cfg = MinhashConfig(hash_config=HashConfig(precision=64), num_buckets=14, hashes_per_bucket=8, n_grams=5)
    times = {}
    t = time.perf_counter()
    LocalPipelineExecutor([JsonlReader(inp, glob_pattern="*.jsonl"),
                           MinhashDedupSignature(output_folder=f"{work}/sigs", config=cfg)],
                          tasks=n_files, workers=workers, logging_dir=f"{work}/logs/s1",
                          skip_completed=False).run()
    times["signatures"] = time.perf_counter() - t
    t = time.perf_counter()
    LocalPipelineExecutor([MinhashDedupBuckets(input_folder=f"{work}/sigs", output_folder=f"{work}/buckets",
                                               config=cfg)],
                          tasks=cfg.num_buckets, workers=workers, logging_dir=f"{work}/logs/s2",
                          skip_completed=False).run()
    times["buckets"] = time.perf_counter() - t
    t = time.perf_counter()
    LocalPipelineExecutor([MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids",
                                               config=cfg, save_cluster_id=True)],
                          tasks=1, logging_dir=f"{work}/logs/s3", skip_completed=False).run()
    times["cluster"] = time.perf_counter() - t
    t = time.perf_counter()
    LocalPipelineExecutor([JsonlReader(inp, glob_pattern="*.jsonl"),
                           MinhashDedupFilter(input_folder=f"{work}/remove_ids", load_cluster_ids=True,
                                              exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
                           JsonlWriter(f"{work}/kept", compression=None)],
                          tasks=n_files, workers=workers, logging_dir=f"{work}/logs/s4",
                          skip_completed=False).run()
    times["filter"] = time.perf_counter() - t
    with open(f"{work}/stage_times.json", "w") as fh:
        json.dump(times, fh)


def dump_textdedup_clusters(out_dir: str, ids_file: str, dest: str) -> None:
    """Read text-dedup's kept dataset and uf.pkl; write {"kept": [...], "cluster": {id: root}}."""
    import pickle

    from datasets import load_from_disk
    kept = [str(x) for x in load_from_disk(out_dir)["id"]]
    cluster = {}
    uf_path = os.path.join(out_dir, "uf.pkl")
    if os.path.exists(uf_path):
        with open(uf_path, "rb") as fh:
            uf = pickle.load(fh)
        with open(ids_file) as fh:
            ids = [l.strip() for l in fh if l.strip()]
        for i in ids:
            if i in uf.parent:
                cluster[i] = str(uf.find(i))
    with open(dest, "w") as fh:
        json.dump({"kept": kept, "cluster": cluster, "has_clusters": os.path.exists(uf_path)}, fh)


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------
def tree_pids(root: int) -> list[int]:
    """The processes below `root` (not `root` itself: that is /usr/bin/time)."""
    todo, seen = [root], set()
    while todo:
        q = todo.pop()
        if q in seen:
            continue
        seen.add(q)
        todo.extend(_children(q))
    seen.discard(root)
    return sorted(seen)


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    out.extend(int(x) for x in fh.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(cmd: list[str], log: Path, env: dict | None = None, cwd: str | None = None) -> dict:
    """Run cmd under /usr/bin/time; return wall s, peak RSS (largest process) and sampled tree RSS."""
    tfile = log.with_suffix(".time")
    full = ["/usr/bin/time", "-f", "%e %M", "-o", str(tfile)] + cmd
    e = dict(os.environ)
    e.update(OFFLINE_ENV)
    if env:
        e.update(env)
    with open(log, "w") as lf:
        p = subprocess.Popen(full, stdout=lf, stderr=subprocess.STDOUT, env=e, cwd=cwd)
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], sum(_rss_kb(q) for q in tree_pids(p.pid)))
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        rc = p.wait()
        stop.set()
        th.join()
    wall, maxrss = tfile.read_text().strip().splitlines()[-1].split()
    if rc != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"command failed (rc={rc}): {shlex.join(cmd)}\n{tail}")
    return {"wall_s": float(wall), "rss_mb": int(maxrss) / 1024, "tree_rss_mb": peak[0] / 1024}


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def meta_of(rec: dict) -> dict:
    m = rec.get("metadata")
    return m if isinstance(m, dict) else rec


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
def tool_saring(args, set_dir: Path, work: Path, ids: list[str]) -> dict:
    w = work / "saring"
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    cmd = [str(args.saring), "dedup", str(set_dir / "corpus.jsonl"), "-o", str(w / "kept.jsonl"),
           "--rejected", str(w / "rejected.jsonl"), "--no-lines", "--threads", str(args.threads),
           "--stats", str(w / "stats.json"), "--tmp-dir", str(w)] + shlex.split(args.saring_args)
    m = timed(cmd, w / "run.log")
    cluster, removed = {}, set()
    for name in ("kept.jsonl", "rejected.jsonl"):
        for r in read_jsonl(w / name):
            md = meta_of(r)
            if name == "rejected.jsonl":
                removed.add(r["id"])
            cid = md.get("dup_cluster_id")
            if cid is not None:
                cluster[r["id"]] = str(cid)
    m.update(cmds=[shlex.join(cmd)], cluster=cluster, removed=removed, has_clusters=True)
    return m


def tool_datatrove(args, set_dir: Path, work: Path, ids: list[str]) -> dict:
    w = work / "datatrove"
    shutil.rmtree(w, ignore_errors=True)
    inp = w / "input"
    inp.mkdir(parents=True)
    # 2 shards so that 2 signature/filter tasks can run in parallel
    lines = (set_dir / "corpus.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    n = max(1, args.threads)
    per = (len(lines) + n - 1) // n
    for k in range(n):
        (inp / f"part{k:02d}.jsonl").write_text("".join(lines[k * per:(k + 1) * per]), encoding="utf-8")
    cmd = [str(args.dt_python), str(Path(__file__).resolve()), "_datatrove", str(inp), str(w / "run"),
           str(args.threads)]
    m = timed(cmd, w / "run.log")
    cluster, removed = {}, set()
    for sub in ("kept", "removed"):
        d = w / "run" / sub
        if not d.exists():
            continue
        for fn in sorted(d.iterdir()):
            for r in read_jsonl(fn):
                if sub == "removed":
                    removed.add(r["id"])
                cid = meta_of(r).get("minhash_cluster_id", -1)
                if cid is not None and cid != -1:
                    cluster[r["id"]] = f"c{cid}"
    st = w / "run" / "stage_times.json"
    m["stages"] = json.loads(st.read_text()) if st.exists() else {}
    m.update(cmds=[shlex.join(cmd)], cluster=cluster, removed=removed, has_clusters=True)
    return m


def tool_textdedup(args, set_dir: Path, work: Path, ids: list[str]) -> dict:
    w = work / "textdedup"
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    cmd = [str(args.td_python), "-m", "text_dedup.minhash", "--path", "json",
           "--data_files", str(set_dir / "corpus.jsonl"), "--split", "train", "--cache_dir", str(w / "cache"),
           "--output", str(w / "out"), "--column", "text", "--idx_column", "id",
           "--num_perm", "112", "--b", "14", "--r", "8", "--ngram", "5", "--min_length", "5",
           "--num_proc", str(args.threads), "--debug"]
    m = timed(cmd, w / "run.log", cwd=str(w))
    (w / "ids.txt").write_text("\n".join(ids) + "\n")
    cmd2 = [str(args.td_python), str(Path(__file__).resolve()), "_textdedup_clusters", str(w / "out"),
            str(w / "ids.txt"), str(w / "clusters.json")]
    e = dict(os.environ)
    e.update(OFFLINE_ENV)
    subprocess.run(cmd2, check=True, env=e, stdout=subprocess.DEVNULL)
    d = json.loads((w / "clusters.json").read_text())
    kept = set(d["kept"])
    removed = {i for i in ids if i not in kept}
    m.update(cmds=[shlex.join(cmd), shlex.join(cmd2) + "   # read-out, not timed"],
             cluster=d["cluster"], removed=removed, has_clusters=d["has_clusters"])
    return m


TOOLS = {"saring": tool_saring, "datatrove": tool_datatrove, "textdedup": tool_textdedup}
LABELS = {"saring": "saring dedup", "datatrove": "datatrove 0.10.1", "textdedup": "text-dedup 0.4.0"}


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------
BUCKETS = ["<0.3", "0.3-0.4", "0.4-0.5", "0.5-0.6", "0.6-0.7", "0.7-0.8", "0.8-0.9", "0.9-1.0"]


def score(res: dict, pairs: list[dict], ids: list[str]) -> dict:
    cl = {i: res["cluster"].get(i, "self:" + i) for i in ids}
    sizes: dict[str, int] = {}
    for c in cl.values():
        sizes[c] = sizes.get(c, 0) + 1
    predicted_total = sum(s * (s - 1) // 2 for s in sizes.values())
    pos = [p for p in pairs if p["label"] == 1]
    neg = [p for p in pairs if p["label"] == 0]
    same = lambda p: cl[p["a"]] == cl[p["b"]]
    tp = sum(same(p) for p in pos)
    fp_hard = sum(same(p) for p in neg)
    fp_other = predicted_total - tp - fp_hard
    fp = fp_hard + fp_other
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / len(pos) if pos else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    def recall_by(key, order=None):
        groups: dict[str, list[int]] = {}
        for p in pos:
            groups.setdefault(p[key], [0, 0])
            groups[p[key]][0] += same(p)
            groups[p[key]][1] += 1
        keys = [k for k in (order or sorted(groups)) if k in groups]
        return {k: (groups[k][0], groups[k][1]) for k in keys}

    rm = res["removed"]
    one = lambda p: (p["a"] in rm) != (p["b"] in rm)
    r_tp = sum(one(p) for p in pos)
    r_fp = sum(one(p) for p in neg)
    r_prec = r_tp / (r_tp + r_fp) if r_tp + r_fp else 1.0
    r_rec = r_tp / len(pos) if pos else 0.0
    neg_by_bucket: dict[str, list[int]] = {}
    for p in neg:
        neg_by_bucket.setdefault(p["bucket"], [0, 0])
        neg_by_bucket[p["bucket"]][0] += same(p)
        neg_by_bucket[p["bucket"]][1] += 1
    return {"tp": tp, "fn": len(pos) - tp, "fp_hard": fp_hard, "fp_other": fp_other,
            "n_pos": len(pos), "n_neg": len(neg), "precision": prec, "recall": rec, "f1": f1,
            "removed": len(rm), "clusters": sum(1 for s in sizes.values() if s > 1),
            "recall_bucket": recall_by("bucket", BUCKETS), "recall_kind": recall_by("kind"),
            "recall_lang": recall_by("lang"),
            "neg_bucket": {k: tuple(neg_by_bucket[k]) for k in BUCKETS if k in neg_by_bucket},
            "removal_rule": {"tp": r_tp, "fp_hard": r_fp, "precision": r_prec, "recall": r_rec,
                             "f1": 2 * r_prec * r_rec / (r_prec + r_rec) if r_prec + r_rec else 0.0}}


def fmt_frac(x: tuple[int, int]) -> str:
    a, b = x
    return f"{a / b:.3f} ({a}/{b})" if b else "-"


def tables(results: dict, pairs: list[dict]) -> str:
    out = []
    tools = [t for t in results if "score" in results[t]]
    out.append("| tool | precision | recall | F1 | TP | FN | FP hard neg. | FP other | removed docs | wall s | peak RSS MB (largest proc) | peak RSS MB (process tree) |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in tools:
        s, r = results[t]["score"], results[t]
        out.append(f"| {LABELS[t]} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['tp']} | {s['fn']} "
                   f"| {s['fp_hard']} / {s['n_neg']} | {s['fp_other']} | {s['removed']} | {r['wall_s']:.2f} "
                   f"| {r['rss_mb']:.0f} | {r['tree_rss_mb']:.0f} |")
    for t in results:
        if "error" in results[t]:
            out.append(f"| {LABELS[t]} | not run: {results[t]['error']} |||||||||||")
    out.append("")
    out.append("Recall by true word-5-gram Jaccard of the positive pair:")
    out.append("")
    bks = [b for b in BUCKETS if any(p["label"] == 1 and p["bucket"] == b for p in pairs)]
    out.append("| tool | " + " | ".join(bks) + " |")
    out.append("|---|" + "---|" * len(bks))
    for t in tools:
        rb = results[t]["score"]["recall_bucket"]
        out.append(f"| {LABELS[t]} | " + " | ".join(fmt_frac(rb[b]) for b in bks) + " |")
    out.append("")
    out.append("Recall by edit kind:")
    out.append("")
    kinds = sorted({p["kind"] for p in pairs if p["label"] == 1})
    out.append("| tool | " + " | ".join(kinds) + " |")
    out.append("|---|" + "---|" * len(kinds))
    for t in tools:
        rk = results[t]["score"]["recall_kind"]
        out.append(f"| {LABELS[t]} | " + " | ".join(fmt_frac(rk[k]) for k in kinds) + " |")
    out.append("")
    out.append("Recall by language, and hard negatives merged by their Jaccard bucket:")
    out.append("")
    nbk = [b for b in BUCKETS if any(p["label"] == 0 and p["bucket"] == b for p in pairs)]
    out.append("| tool | recall en | recall id | " + " | ".join(f"FP neg {b}" for b in nbk) + " |")
    out.append("|---|---|---|" + "---|" * len(nbk))
    for t in tools:
        s = results[t]["score"]
        out.append(f"| {LABELS[t]} | {fmt_frac(s['recall_lang'].get('en', (0, 0)))} | "
                   f"{fmt_frac(s['recall_lang'].get('id', (0, 0)))} | "
                   + " | ".join(f"{s['neg_bucket'][b][0]}/{s['neg_bucket'][b][1]}" for b in nbk) + " |")
    out.append("")
    out.append("Removal rule (labelled pairs only; a pair is predicted duplicate iff exactly one of its two "
               "documents was removed):")
    out.append("")
    out.append("| tool | precision | recall | F1 | TP | FP hard neg. |")
    out.append("|---|---|---|---|---|---|")
    for t in tools:
        rr = results[t]["score"]["removal_rule"]
        out.append(f"| {LABELS[t]} | {rr['precision']:.3f} | {rr['recall']:.3f} | {rr['f1']:.3f} | {rr['tp']} | {rr['fp_hard']} |")
    return "\n".join(out)


# ---------------------------------------------------------------------------
def machine_info(args) -> list[str]:
    def sh(c):
        try:
            return subprocess.run(c, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:
            return ""
    model = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
    mem = sh("free -g | awk '/Mem:/{print $2}'")
    info = [f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
            f"- machine: {model or platform.processor()}, {os.cpu_count()} logical CPUs, {mem} GiB RAM, "
            f"Linux {platform.release()}",
            f"- load average before the runs: {' '.join(open('/proc/loadavg').read().split()[:3])} "
            "(the machine is shared; others may compile)",
            f"- harness Python {platform.python_version()}"]
    if args.saring.exists():
        st = args.saring.stat()
        h = hashlib.sha256(args.saring.read_bytes()).hexdigest()[:16]
        commit = sh(f"git -C {shlex.quote(str(REPO))} rev-parse --short HEAD")
        dirty = sh(f"git -C {shlex.quote(str(REPO))} status --porcelain --untracked-files=no crates")
        info.append(f"- saring: {args.saring} (sha256 {h}..., built {datetime.datetime.fromtimestamp(st.st_mtime).isoformat(timespec='seconds')}), "
                    f"repo HEAD {commit}{' + uncommitted changes in crates/' if dirty else ''}")
    for name, py, pkgs in (("datatrove venv", args.dt_python, "datatrove spacy numpy"),
                           ("text-dedup venv", args.td_python, "text-dedup datasets numpy")):
        if py and Path(py).exists():
            v = sh(f"{shlex.quote(str(py))} -c 'import sys;print(sys.version.split()[0])'")
            pk = sh(f"{shlex.quote(str(py))} -m pip list 2>/dev/null | grep -i -E '^({'|'.join(pkgs.split())}) '")
            info.append(f"- {name}: {py} (Python {v}; " + ", ".join(" ".join(l.split()) for l in pk.splitlines()) + ")")
    info.append("- environment for the peers: " + " ".join(f"{k}={v}" for k, v in OFFLINE_ENV.items()))
    return info


def default_py(bench_name: str, fallback: str) -> str:
    p = BENCH_DIR / bench_name / "bin" / "python"
    if p.exists():
        return str(p)
    if Path(fallback).exists():
        return fallback
    return str(p)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_datatrove":
        run_datatrove(argv[1], argv[2], int(argv[3]))
        return 0
    if argv and argv[0] == "_textdedup_clusters":
        dump_textdedup_clusters(argv[1], argv[2], argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", required=True, type=Path, help="directory from make_dedup_set.py")
    ap.add_argument("--tools", default="saring,datatrove,textdedup")
    ap.add_argument("--saring", type=Path, default=REPO / "target" / "release" / "saring")
    ap.add_argument("--saring-args", default="", help="extra arguments for saring dedup, e.g. '--verify-jaccard 0.6'")
    ap.add_argument("--dt-python", default=default_py("venv-datatrove", "/work/venvs/dt/bin/python"))
    ap.add_argument("--td-python", default=default_py("venv-textdedup", "/work/venvs/td/bin/python"))
    ap.add_argument("--threads", type=int, default=2, help="threads / worker processes per tool")
    ap.add_argument("--work", type=Path, default=None, help="scratch (default bench/out/dedup-eval/<set name>)")
    ap.add_argument("--md", type=Path, default=BENCH_DIR / "out" / "dedup_eval.md")
    args = ap.parse_args(argv)
    info = machine_info(args)  # before the runs (load average)
    set_dir = args.set.resolve()
    work = (args.work or BENCH_DIR / "out" / "dedup-eval" / set_dir.name).resolve()
    work.mkdir(parents=True, exist_ok=True)
    ids = [r["id"] for r in read_jsonl(set_dir / "corpus.jsonl")]
    pairs = list(read_jsonl(set_dir / "pairs.jsonl"))
    manifest = json.loads((set_dir / "manifest.json").read_text()) if (set_dir / "manifest.json").exists() else {}

    results: dict[str, dict] = {}
    for t in [x.strip() for x in args.tools.split(",") if x.strip()]:
        print(f"== {t}", file=sys.stderr, flush=True)
        py = {"datatrove": args.dt_python, "textdedup": args.td_python}.get(t)
        if py is not None and not Path(py).exists():
            results[t] = {"error": f"no interpreter at {py} (run bench/setup_peers.sh)"}
            continue
        if t == "saring" and not args.saring.exists():
            results[t] = {"error": f"no binary at {args.saring}"}
            continue
        try:
            r = TOOLS[t](args, set_dir, work, ids)
        except Exception as e:  # keep going: report why a tool did not run
            results[t] = {"error": str(e).splitlines()[0][:300]}
            print(str(e), file=sys.stderr)
            continue
        if not r.get("has_clusters", True):
            r["note"] = "no cluster output: scored with the removal rule only"
        r["score"] = score(r, pairs, ids)
        results[t] = r
        print(f"   {r['wall_s']:.2f} s, F1 {r['score']['f1']:.3f}", file=sys.stderr, flush=True)

    table = tables(results, pairs)
    print(table)
    md = [f"# Near-duplicate detection: pair-level evaluation on `{set_dir.name}`", "",
          f"Set: `{set_dir}` - {len(ids)} documents, {sum(p['label'] == 1 for p in pairs)} positive pairs, "
          f"{sum(p['label'] == 0 for p in pairs)} hard-negative pairs (same site template, different articles), "
          f"{manifest.get('singletons', '?')} singletons; made by `python3 bench/make_dedup_set.py --out {set_dir} "
          f"--pairs {manifest.get('args', {}).get('pairs', '?')} --seed {manifest.get('args', {}).get('seed', '?')}`"
          f" (corpus sha256 {manifest.get('sha256', {}).get('corpus.jsonl', '?')[:16]}...).", "",
          "Positive pairs by true Jaccard bucket: " + ", ".join(
              f"{k}: {manifest['positive_buckets'][k]}" for k in BUCKETS if k in manifest.get("positive_buckets", {}))
          + "; hard negatives by Jaccard bucket: " + ", ".join(
              f"{k}: {manifest['negative_buckets'][k]}" for k in BUCKETS if k in manifest.get("negative_buckets", {}))
          + ".", "",
          "## Machine", ""] + info + ["", "## Commands", "",
          f"Harness: `python3 bench/dedup_eval.py --set {set_dir} --threads {args.threads}`; "
          "each tool runs under `/usr/bin/time -f '%e %M'`.", ""]
    for t, r in results.items():
        if "cmds" in r:
            md.append(f"- {LABELS[t]}:")
            md.extend(f"  - `{c}`" for c in r["cmds"])
            if "stages" in r and r["stages"]:
                md.append("  - stage wall times (s): " + ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items()))
        else:
            md.append(f"- {LABELS[t]}: not run - {r.get('error')}")
    md += ["", "## Results", "", table, "",
           "Notes: a pair is predicted duplicate iff both documents are in the same predicted cluster "
           "(saring: `metadata.dup_cluster_id`; datatrove: `metadata.minhash_cluster_id` from "
           "`save_cluster_id`/`load_cluster_ids`; text-dedup: its union-find dumped by `--debug`). "
           "FP other = predicted pairs between documents that are not a labelled pair. "
           "Peak RSS (largest proc) is `%M` of /usr/bin/time, i.e. the biggest single process; the "
           "process-tree figure sums all live processes, sampled every 50 ms.", ""]
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text("\n".join(md))
    slim = {t: {k: (sorted(v) if isinstance(v, set) else v) for k, v in r.items() if k not in ("cluster", "removed")}
            for t, r in results.items()}
    (work / "results.json").write_text(json.dumps(slim, indent=1, default=str))
    print(f"\nwrote {args.md} and {work / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # required: datatrove's executor spawns workers that re-import this file
    sys.exit(main())
