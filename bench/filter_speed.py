#!/usr/bin/env python3
"""Throughput of the quality-filter pipeline: `saring clean --lang --quality` against datatrove 0.10.1.

Usage (from the repo root):

    python3 bench/filter_speed.py [--size-mb 20] [--limit N] [--seed 1] [--saring-threads 1 2] [--saring-repeat 5]
        [--saring target/release/saring] [--dt-python bench/venv-datatrove/bin/python]
        [--skip-datatrove] [--keep-outputs] [--max-busy 0.25] [--quiet-timeout 600]
        [--md bench/out/filter_speed.md] [--corpus FILE [--sources PREFIX,...] --work DIR]

The question (issue text): docs/s of the filter pipeline (language ID + the four heuristic quality
filters) on ONE thread, saring against datatrove's same pipeline, same corpus, same machine, same
run; target ratio >= 100x.

Corpus: the benchmark corpus of bench/make_corpus.py, ``bench/out/corpus-<N>mb-seed<S>.jsonl.zst``
(N = ``--size-mb``, MB of uncompressed JSONL; built first if missing; 20 MB = 4,108 crawled-page-like
docs of about 5 KB, English and Indonesian, records ``{"id","text","url","source"}``).  Outside the
timed region it is decompressed, cut to the first ``--limit`` records (default: all), into ONE plain
JSONL work file, ``bench/out/filter-speed/input/<name>.jsonl``; both tools read that same file.
``--corpus`` takes any JSONL instead (the parity set of bench/make_parity_set.py), and ``--sources``
keeps only its records whose ``metadata.source`` starts with one of the given prefixes (before
``--limit`` counts them). With ``wcxb-,aeb-`` that is the parity set's English page texts, 2,704 of
them: WCXB and scrapinghub gold texts, published extractor outputs of the scrapinghub pages, the
crude text dumps of WCXB HTML that make_parity_set.py makes (``wcxb-htmltext``, a quarter of the
text), and a few dozen variants of these with CRLF, trailing spaces or Unicode line breaks.

Runs, sequentially in this one invocation, each a fresh subprocess measured by dedup_speed.measure():
``/usr/bin/time -f '%e %M %U %S'``, wall time by perf_counter, RSS of the whole process tree and its
CPU time sampled from /proc every 50 ms, after waiting (dedup_speed.wait_quiet) until the machine is
at most ``--max-busy`` busy; the CPU the rest of the machine used during the run is reported
("other CPU").  The input file is read once before each run (page cache warm) and the run's output is
deleted first.

1. datatrove 0.10.1 (``--dt-python``, the venv of bench/setup_peers.sh), the script
   ``bench/out/filter-speed/dt_pipeline.py`` written by this harness:
   ``LocalPipelineExecutor(tasks=1, workers=1)`` over
   ``JsonlReader(input dir) -> LanguageFilter(backend="ft176", languages=None, language_threshold=0.0,
   label_only=True) -> GopherRepetitionFilter() -> GopherQualityFilter() -> C4QualityFilter() ->
   FineWebQualityFilter() -> JsonlWriter(out, compression=None)``: every document gets a language
   label (none is dropped by it), then the four filters with datatrove's defaults in FineWeb's order.
   Environment: bench/dedup_eval.py's OFFLINE_ENV plus ``HF_ASSETS_CACHE`` (below).  Drop counts by
   reason come from the executor's ``stats.json`` in its logging dir.
2. ``saring clean INPUT --no-clean --lang --quality --quality-config default --threads T
   -o OUT.jsonl --stats STATS.json`` for each T of ``--saring-threads`` (default 1 and 2), run
   ``--saring-repeat`` times (default 5; the median run by wall time is reported, every wall time
   listed: one run of a process that takes 1-2 s moves by +-15% on a shared machine): lid176 plus
   saring's Indonesian-family step and per-paragraph languages, then the same four filters in the
   same order with datatrove's defaults (``crates/saring/rules/quality/default.toml``).  Drop counts
   by reason come from ``--stats``.  saring runs a snapshot copy of the binary
   (``bench/out/filter-speed/bin/saring``, sha256 in the report), so a rebuild meanwhile cannot mix
   binaries.  Nothing is compiled.

datatrove's language model: LanguageFilter(backend="ft176") wants lid.176.bin from Facebook's server
(datatrove.io.cached_asset_path_or_download, which skips the download when ``<file>.completed``
exists next to the file).  The harness seeds a private asset cache, ``bench/out/filter-speed/hf-assets``
(``HF_ASSETS_CACHE`` for the datatrove run), with the repo's ``crates/saring/models/lid.176.ftz``: it
asks datatrove itself for the path (``cached_assets_path(library_name="datatrove", namespace="lid",
subfolder="ft176")`` / ``strip_protocol(FT176LID.MODEL_URL)`` with "/" -> "_", i.e.
``..._lid.176.bin``), copies the .ftz there unless a file with the same sha256 is already there, and
creates the ``.completed`` marker (idempotent; recipe of ../shared/notes/peers-offline.md section
7.2).  So datatrove runs the COMPRESSED lid.176.ftz under the name lid.176.bin: the very model file
saring embeds (include_bytes! in crates/saring/src/lang/mod.rs); fastText loads either format.
The sha256 of the file at that path is checked again after the run.  fsspec resolves the https URL
even on a cache hit, which is why the venv needs aiohttp.

Throughput: docs/s = input records / wall time of the whole process (interpreter start, imports and
model loading included, for both tools); MB/s is given twice, MB = 10^6 bytes of the ``text`` field
(UTF-8) and MB = 10^6 bytes of the JSONL work file.  datatrove's per-step times from its stats.json
are listed as well.  The headline ratio is docs/s of saring --threads 1 over docs/s of datatrove with
1 worker (= datatrove wall / saring wall on the same file); other thread counts are reported
separately.  Decision parity is NOT checked here (bench/parity.py measures it); only counts are
reported.

Report: bench/out/filter_speed.md (also printed); raw numbers: bench/out/filter-speed/results.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
from dedup_eval import OFFLINE_ENV, default_py, machine_info  # noqa: E402
from dedup_speed import NCPU, add_run_args, measure, sha256_file, warm  # noqa: E402
from make_corpus import default_corpus_path  # noqa: E402
from run_bench import corpus_sizes, ensure_corpus, rel, shell  # noqa: E402

LID_FTZ = REPO_ROOT / "crates" / "saring" / "models" / "lid.176.ftz"
DT_FILTERS = ["GopherRepetitionFilter", "GopherQualityFilter", "C4QualityFilter", "FineWebQualityFilter"]

# ---------------------------------------------------------------------------
# datatrove side (scripts run by the datatrove venv's python; stdlib + datatrove only)
# ---------------------------------------------------------------------------
DT_PIPELINE = '''\
"""datatrove 0.10.1 quality-filter pipeline, one task on one worker (written by bench/filter_speed.py).

Usage: python dt_pipeline.py INPUT_DIR OUTPUT_DIR LOGGING_DIR
"""
import sys

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                        GopherRepetitionFilter, LanguageFilter)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def main(inp, out, logs):
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(inp, glob_pattern="*.jsonl"),
            LanguageFilter(backend="ft176", languages=None, language_threshold=0.0, label_only=True),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(),
            FineWebQualityFilter(),
            JsonlWriter(out, compression=None),
        ],
        tasks=1,
        workers=1,
        logging_dir=logs,
        skip_completed=False,
    ).run()


if __name__ == "__main__":  # LocalPipelineExecutor may re-import this module in spawned processes
    main(sys.argv[1], sys.argv[2], sys.argv[3])
'''

# Seeds datatrove's asset cache with lid.176.ftz at the path datatrove computes for lid.176.bin.
DT_SEED = '''\
import hashlib, json, os, shutil, sys
from huggingface_hub import cached_assets_path
from datatrove.io import strip_protocol
from datatrove.utils.lid import FT176LID

src = sys.argv[1]
d = cached_assets_path(library_name="datatrove", namespace="lid", subfolder=FT176LID.MODEL_SUBFOLDER)
dst = os.path.join(d, strip_protocol(FT176LID.MODEL_URL).replace("/", "_"))
sha = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
action = "already seeded"
if not os.path.exists(dst) or sha(dst) != sha(src):
    action = "replaced a different file" if os.path.exists(dst) else "copied"
    shutil.copyfile(src, dst + ".tmp")
    os.replace(dst + ".tmp", dst)
if not os.path.exists(dst + ".completed"):
    open(dst + ".completed", "a").close()
print(json.dumps({"path": dst, "url": FT176LID.MODEL_URL, "sha256": sha(dst), "action": action}))
'''


def dt_env(args) -> dict:
    return {**OFFLINE_ENV, "HF_ASSETS_CACHE": str(args.work / "hf-assets")}


def seed_lid_cache(args, commands: list[str]) -> dict:
    (args.work / "hf-assets").mkdir(parents=True, exist_ok=True)
    seed = args.work / "dt_seed_lid.py"
    seed.write_text(DT_SEED)
    cmd = [os.path.relpath(args.dt_python, REPO_ROOT), rel(seed), rel(LID_FTZ)]
    e = dict(os.environ)
    e.update(dt_env(args))
    r = subprocess.run(cmd, cwd=REPO_ROOT, env=e, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"seeding datatrove's lid176 cache failed: {shell(cmd)}\n{r.stderr[-2000:]}")
    info = json.loads(r.stdout.strip().splitlines()[-1])
    commands.append(f"HF_ASSETS_CACHE={rel(args.work / 'hf-assets')} {shell(cmd)}   # untimed: {info['action']}")
    print(f"== datatrove lid176 cache: {info['action']}: {info['path']}", file=sys.stderr, flush=True)
    return info


def dt_step_stats(stats_json: Path) -> list[dict]:
    """[{name, time_s, counters}] per pipeline step, from the executor's merged stats.json."""
    def num(v):
        if isinstance(v, dict):  # MetricStats.to_dict(): {"total": ..., "n": ..., ...} or a plain number
            return v.get("total", v.get("sum", 0))
        return v
    steps = []
    for s in json.loads(stats_json.read_text()):
        ts = s.get("time_stats", {})
        steps.append({"name": s.get("name", "?"), "time_s": float(num(ts)) if ts else 0.0,
                      "counters": {k: num(v) for k, v in s.get("stats", {}).items()}})
    return steps


def run_datatrove(args, inp: Path, commands: list[str]) -> dict:
    w = args.work / "datatrove"
    out, logs = w / "output", w / "logs"
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    script = args.work / "dt_pipeline.py"
    script.write_text(DT_PIPELINE)
    seed = seed_lid_cache(args, commands)
    if seed["sha256"] != args.lid_sha:
        raise RuntimeError(f"datatrove's lid176 cache holds {seed['sha256'][:16]}..., not lid.176.ftz")
    cmd = [os.path.relpath(args.dt_python, REPO_ROOT), rel(script), rel(inp.parent), rel(out), rel(logs)]
    commands += [f"rm -rf {rel(w)}",
                 " ".join(f"{k}={v}" for k, v in dt_env(args).items() if k != "HF_ASSETS_CACHE")
                 + f" HF_ASSETS_CACHE={rel(args.work / 'hf-assets')} {shell(cmd)}"]
    warm([inp])
    print(f"== datatrove: {shell(cmd)}", file=sys.stderr, flush=True)
    m = measure(cmd, w / "run.log", env=dt_env(args), quiet=(args.max_busy, args.quiet_timeout))
    after = sha256_file(Path(seed["path"]))
    if after != args.lid_sha:
        raise RuntimeError(f"the model at {seed['path']} changed during the run (sha256 {after[:16]}...)")
    steps = dt_step_stats(logs / "stats.json")
    kept = sum(1 for f in sorted(out.glob("*.jsonl")) for _ in open(f, "rb"))
    reasons: dict[str, dict] = {}
    for s in steps:
        for k, v in s["counters"].items():
            if k.startswith("dropped_"):
                reasons[k[len("dropped_"):]] = {"count": int(v), "step": s["name"]}
    read = next((int(s["counters"].get("documents", 0)) for s in steps if "READER" in s["name"].upper()
                 or "jsonl" in s["name"].lower()), None)
    m.update(cmd=shell(cmd), steps=steps, kept=kept, read=read, drop_reasons=reasons,
             dropped=sum(int(s["counters"].get("dropped", 0)) for s in steps), model=seed)
    print(f"   {m['wall_s']:.1f} s, {m['rss_mib']:.0f} MiB, kept {kept} dropped {m['dropped']}",
          file=sys.stderr, flush=True)
    if not args.keep_outputs:
        shutil.rmtree(out, ignore_errors=True)
    return m


# ---------------------------------------------------------------------------
# saring side
# ---------------------------------------------------------------------------
def run_saring(args, inp: Path, threads: int, commands: list[str]) -> dict:
    w = args.work / f"saring-t{threads}"
    shutil.rmtree(w, ignore_errors=True)
    w.mkdir(parents=True)
    out, stats = w / "out.jsonl", w / "stats.json"
    cmd = [rel(args.bin), "clean", rel(inp), "--no-clean", "--lang", "--quality", "--quality-config", "default",
           "--threads", str(threads), "-o", rel(out), "--stats", rel(stats)]
    commands += [f"rm -rf {rel(w)} && mkdir -p {rel(w)}", shell(cmd)]
    runs = []
    for k in range(args.saring_repeat):
        warm([inp])
        out.unlink(missing_ok=True)
        print(f"== {shell(cmd)}   # run {k + 1} of {args.saring_repeat}", file=sys.stderr, flush=True)
        runs.append(measure(cmd, w / "run.log", quiet=(args.max_busy, args.quiet_timeout)))
    # The median run by wall time: one run of a 1-2 s process moves by +-15% on this shared machine.
    m = sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]
    m["walls"] = [r["wall_s"] for r in runs]
    st = json.loads(stats.read_text())
    m.update(cmd=shell(cmd), threads=threads, stats=st, read=st.get("read"), kept=st.get("kept"),
             dropped=st.get("dropped"), quarantined=st.get("quarantined"),
             drop_reasons={k: {"count": v} for k, v in st.get("drop_reasons", {}).items()})
    print(f"   {m['wall_s']:.2f} s, {m['rss_mib']:.0f} MiB, kept {m['kept']} dropped {m['dropped']}",
          file=sys.stderr, flush=True)
    if not args.keep_outputs:
        out.unlink(missing_ok=True)
    return m


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------
def make_work_file(corpus: Path, limit: int | None, dst: Path, sources: list[str] | None = None) -> dict:
    """Decompress CORPUS (first LIMIT records; with SOURCES only records whose ``metadata.source``
    starts with one of them) into one plain JSONL file; count docs and bytes."""
    shutil.rmtree(dst.parent, ignore_errors=True)
    dst.parent.mkdir(parents=True)
    # `zstd -dcq` passes a plain file through unchanged (a --corpus may be plain JSONL).
    proc = subprocess.Popen(["zstd", "-dcqf", str(corpus)], stdout=subprocess.PIPE)
    docs = json_bytes = text_bytes = 0
    with open(dst, "wb") as fh:
        for line in proc.stdout:
            if limit is not None and docs >= limit:
                break
            if not line.strip():
                continue
            record = json.loads(line)
            if sources is not None and not str((record.get("metadata") or {}).get("source", "")).startswith(tuple(sources)):
                continue
            fh.write(line)
            docs += 1
            json_bytes += len(line)
            text_bytes += len(record["text"].encode("utf-8"))
    proc.stdout.close()
    rc = proc.wait()
    if rc != 0 and not (limit is not None and docs >= limit):  # SIGPIPE after an early stop is fine
        raise RuntimeError(f"zstd -dcq {corpus} failed (rc={rc})")
    return {"docs": docs, "json_bytes": json_bytes, "text_bytes": text_bytes, "sha256": sha256_file(dst)}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def report(args, info, corpus, work, commands, dt, sar, t_total) -> str:
    docs, jmb, tmb = work["docs"], work["json_bytes"] / 1e6, work["text_bytes"] / 1e6
    md = ["# Filter pipeline throughput: saring vs datatrove 0.10.1, one thread", ""]
    md += ["## Machine", ""] + info + [f"- total harness time: {t_total / 60:.1f} min", ""]
    origin = ("given with --corpus" if args.corpus is not None
              else f"bench/make_corpus.py, {args.size_mb:g} MB recipe, seed {args.seed}")
    md += ["## Corpus", "",
           f"`{rel(corpus)}` ({origin}), "
           + (f"the records whose `metadata.source` starts with one of {', '.join(f'`{p}`' for p in args.sources)}, "
              if args.sources else "")
           + (f"the first {args.limit:,} of them, " if args.limit is not None
              else ("all of them, " if args.sources else "all records, "))
           + f"decompressed (untimed) into one plain JSONL file `{rel(args.input)}` that both tools read: "
           f"**{docs:,} docs**, {jmb:.2f} MB of JSONL, {tmb:.2f} MB of `text` (UTF-8; MB = 10^6 bytes), "
           f"sha256 {work['sha256'][:16]}...", ""]

    rows = []
    if dt and "error" not in dt:
        rows.append(("datatrove 0.10.1, 1 task / 1 worker", "1", dt))
    for t, r in sorted(sar.items()):
        rows.append((f"saring clean --threads {t}", str(t), r))
    md += ["## Throughput", "",
           "| tool | threads | wall s | docs/s | MB/s (text field) | MB/s (JSONL) | CPU s | peak RSS MiB (process tree) "
           "| largest process MiB | read | kept | dropped | other CPU during run¹ |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t, r in rows:
        w = r["wall_s"]
        md.append(f"| {name} | {t} | {w:.2f} | {docs / w:,.1f} | {tmb / w:.3f} | {jmb / w:.3f} | {r['cpu_s']:.1f} "
                  f"| {r['rss_mib']:.0f} | {r['rss_largest_mib']:.0f} | {r['read'] if r['read'] is not None else '-'} "
                  f"| {r['kept']:,} | {r['dropped']:,} | {r['other_cpu_share']:.1%} |")
    if dt and "error" in dt:
        md.append(f"| datatrove | not run: {dt['error']} |||||||||||")
    for t, r in sorted(sar.items()):
        if len(r.get("walls", [])) > 1:
            md.append(f"- saring --threads {t} ran {len(r['walls'])} times (wall s, in order: "
                      + ", ".join(f"{x:.2f}" for x in r["walls"])
                      + "); its row and the ratio below are the median run's.")
    md += ["", f"¹ busy CPU time of the whole machine during the run (/proc/stat) minus the tool's own, as a share "
           f"of {NCPU} CPUs x wall time (each run first waits until the machine is below {args.max_busy:.0%} busy, "
           f"for at most {args.quiet_timeout:g} s)."]
    for name, _, r in rows:
        if r.get("busy_before", 0) > args.max_busy:
            md.append(f"- **{name} started on a busy machine**: {r['busy_before']:.0%} busy after waiting "
                      f"{r['waited_s']:.0f} s (the wait timed out); treat its numbers with care.")
        elif r["other_cpu_share"] > 0.10:
            md.append(f"- **{name}: other processes used {r['other_cpu_share']:.0%} of the machine during the run** "
                      "(it was quiet when the run started); treat its numbers with care.")
    if args.limit is not None:
        md.append(f"- This is a `--limit {args.limit}` slice: fixed start-up costs (interpreter, imports, model "
                  "loading) weigh much more than on the whole corpus, so the ratio below is not the benchmark's.")
    md += ["", "docs/s and MB/s are over the wall time of the whole process: interpreter start, imports and model "
           "loading are included for datatrove, binary start and model loading for saring.", ""]

    md += ["## Ratio", ""]
    if dt and "error" not in dt and 1 in sar:
        ratio = dt["wall_s"] / sar[1]["wall_s"]
        md.append(f"- **saring --threads 1 / datatrove 1 worker, docs/s: {ratio:,.1f}x** "
                  f"({docs / sar[1]['wall_s']:,.1f} vs {docs / dt['wall_s']:,.2f} docs/s; "
                  f"issue target >= 100x: {'met' if ratio >= 100 else 'NOT met'})")
        for t, r in sorted(sar.items()):
            if t != 1:
                md.append(f"- separately, saring --threads {t} / datatrove 1 worker: "
                          f"{dt['wall_s'] / r['wall_s']:,.1f}x (not the one-thread comparison)")
        md.append(f"- peak RSS (process tree), datatrove / saring --threads 1: "
                  f"{dt['rss_mib'] / sar[1]['rss_mib']:.1f}x")
    else:
        md.append("- not available (datatrove or saring --threads 1 did not run)")
    md.append("")

    if dt and "error" not in dt:
        md += ["datatrove per-step time (s, from its stats.json; the step's own time, summed over documents):", "",
               "| step | time s | counters |", "|---|---:|---|"]
        for s in dt["steps"]:
            c = ", ".join(f"{k} {int(v):,}" if isinstance(v, (int, float)) and float(v).is_integer() else f"{k} {v}"
                          for k, v in s["counters"].items() if not k.startswith("dropped_")
                          and isinstance(v, (int, float)))
            md.append(f"| {s['name']} | {s['time_s']:.2f} | {c} |")
        md.append(f"| sum of steps | {sum(s['time_s'] for s in dt['steps']):.2f} | whole process wall "
                  f"{dt['wall_s']:.2f} s |")
        md.append("")

    md += ["## Drops by reason", "",
           "Counts only: whether the two tools drop the *same* documents is measured by `bench/parity.py`, not "
           "here.  datatrove's counts are its executor's `dropped_<reason>` counters (logging dir "
           "`stats.json`); saring's are `drop_reasons` of `--stats`.", ""]
    reasons = sorted(set((dt or {}).get("drop_reasons", {}) if dt and "error" not in dt else {})
                     | {k for r in sar.values() for k in r["drop_reasons"]})
    ts = sorted(sar)
    md += ["| reason | datatrove step | datatrove | " + " | ".join(f"saring --threads {t}" for t in ts) + " |",
           "|---|---|---:|" + "---:|" * len(ts)]
    dtr = dt.get("drop_reasons", {}) if dt and "error" not in dt else {}
    for k in reasons:
        md.append(f"| `{k}` | {dtr.get(k, {}).get('step', '-')} | {dtr.get(k, {}).get('count', 0):,} | "
                  + " | ".join(f"{sar[t]['drop_reasons'].get(k, {}).get('count', 0):,}" for t in ts) + " |")
    md.append(f"| **total dropped** | | {dt['dropped']:,} | " if dt and "error" not in dt else "| **total dropped** | | - | ")
    md[-1] += " | ".join(f"{sar[t]['dropped']:,}" for t in ts) + " |"
    md.append("")

    md += ["## What runs", "",
           "- datatrove: `LocalPipelineExecutor(tasks=1, workers=1)`: `JsonlReader` -> `LanguageFilter(backend=\"ft176\", "
           "languages=None, language_threshold=0.0, label_only=True)` (labels every document, drops none) -> "
           + " -> ".join(f"`{f}()`" for f in DT_FILTERS) + " -> `JsonlWriter(compression=None)`; script "
           f"`{rel(args.work / 'dt_pipeline.py')}`.  With workers=1 the pipeline runs in the main process; the "
           "process tree also holds the executor's `multiprocess.Manager` server.",
           f"- datatrove's language model is **the compressed `lid.176.ftz` (sha256 {args.lid_sha[:16]}..., the same "
           "file saring embeds) placed where datatrove expects `lid.176.bin`**: "
           + (f"`{rel(dt['model']['path'])}`" if dt and "error" not in dt else "(not run)")
           + f", in a private asset cache (`HF_ASSETS_CACHE={rel(args.work / 'hf-assets')}`), with the `.completed` "
           "marker that makes `cached_asset_path_or_download` skip the download.  datatrove's own default would be "
           "the full, uncompressed lid.176.bin from Facebook's server, which is slightly more accurate and larger; "
           "fastText runs both.  datatrove predicts over the whole text with newlines replaced by spaces and "
           "scores all 176 labels (`k=-1`).",
           "- saring: `--lang` runs lid176 (same model) plus the Indonesian-family step and per-paragraph languages "
           "(`metadata.languages` for mixed documents), i.e. more language work than datatrove's one prediction per "
           "document; `--quality --quality-config default` runs the same four filters in the same order with "
           "datatrove's default thresholds and spaCy-exact English tokenisation (`--no-clean`: no line cleaner).",
           "- Outputs: both write the kept documents as plain JSONL and do not write dropped ones.",
           "- datatrove's defaults tokenise every document as English, so Indonesian documents mostly fail "
           "Gopher's stop-word test in both tools; that is the configuration measured (saring's per-language "
           "FineWeb-2 configs are `--quality-config auto`, not used here).",
           f"- Raw numbers: `{rel(args.work / 'results.json')}`.", ""]
    md += ["## Commands", "", "Run from the repo root; every measured command is wrapped in "
           "`/usr/bin/time -f '%e %M %U %S' --`, preceded by reading the input file once (page cache warm).", "",
           "```sh"] + commands + ["```", ""]
    return "\n".join(md)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=20, help="corpus size, MB of uncompressed JSONL (default 20)")
    ap.add_argument("--limit", type=int, default=None, help="use the first N records (default: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--saring-threads", type=int, nargs="+", default=[1, 2],
                    help="saring runs per thread count (1 is the headline comparison)")
    ap.add_argument("--saring-repeat", type=int, default=5,
                    help="runs of saring per thread count; the median run by wall time is reported "
                         "(datatrove runs once: it takes minutes, and its spread is small against its time)")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="a JSONL corpus (plain or .zst) instead of make_corpus.py's, e.g. the parity "
                         "set bench/out/parity/corpus-seed1.jsonl (bench/make_parity_set.py); use --work "
                         "and --md to keep its report apart")
    ap.add_argument("--sources", default=None,
                    help="comma-separated prefixes (needs --corpus): keep only records whose "
                         "metadata.source starts with one of them, before --limit counts; e.g. "
                         "'wcxb-,aeb-' for the parity set's English page texts (see the module docs)")
    add_run_args(ap, "filter-speed", "filter_speed.md")
    args = ap.parse_args(argv)
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.dt_python = Path(os.path.abspath(args.dt_python))  # keep the venv's symlink (its site-packages)
    if not args.saring.exists():
        sys.exit(f"no binary at {args.saring} (this harness does not compile)")
    t_start = time.perf_counter()
    args.lid_sha = sha256_file(LID_FTZ)
    # Snapshot the binary: every saring run of this invocation uses the same bytes.
    args.bin = args.work / "bin" / "saring"
    args.bin.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(args.saring, args.bin)
    bin_sha = sha256_file(args.bin)
    info = machine_info(SimpleNamespace(saring=args.saring, dt_python=args.dt_python, td_python=None))
    info.append(f"- saring binary sha256 {bin_sha}; runs use the snapshot `{rel(args.bin)}` (copied at start)")
    if Path(args.dt_python).exists():
        ft = subprocess.run([str(args.dt_python), "-m", "pip", "list"], capture_output=True, text=True).stdout
        pk = [" ".join(l.split()) for l in ft.splitlines() if l.split()[:1]
              and l.split()[0].lower() in ("fasttext-numpy2-wheel", "aiohttp", "orjson")]
        info.append("- also in the datatrove venv: " + ", ".join(pk))
    info.append(f"- lid176 model: `{rel(LID_FTZ)}` sha256 {args.lid_sha}")

    commands = [shell(["python3", "bench/filter_speed.py"] + (argv if argv is not None else sys.argv[1:]))
                + "   # this harness"]
    commands.append(f"cp {rel(args.saring)} {rel(args.bin)}   # snapshot, sha256 {bin_sha[:16]}...")
    if args.corpus is not None:
        corpus = args.corpus.resolve()
        if not corpus.exists():
            sys.exit(f"no corpus at {corpus}")
    else:
        corpus = default_corpus_path(args.size_mb, args.seed)
        ensure_corpus(corpus, args.size_mb, args.seed, commands)
    # make_corpus.py's manifest gives the sizes; another corpus is measured in the work file below.
    csz = corpus_sizes(corpus) if args.corpus is None else {"file_bytes": corpus.stat().st_size}
    sources = None
    if args.sources is not None:
        sources = [p.strip() for p in args.sources.split(",") if p.strip()]
        if not sources or args.corpus is None:
            sys.exit("--sources needs --corpus and at least one non-empty prefix "
                     "(make_corpus.py's records carry no metadata.source)")
    args.sources = sources
    name = (corpus.name.removesuffix(".zst").removesuffix(".gz").removesuffix(".jsonl")
            + (f"-first{args.limit}" if args.limit is not None else "")
            + ("-" + "+".join(p.rstrip("-_") for p in sources) if sources else ""))
    args.input = args.work / "input" / f"{name}.jsonl"
    print(f"== decompressing {rel(corpus)} to {rel(args.input)} (untimed)", file=sys.stderr, flush=True)
    work = make_work_file(corpus, args.limit, args.input, sources)
    if work["docs"] == 0:
        sys.exit(f"no records to run on in {rel(corpus)}"
                 + (f" with metadata.source starting with one of {', '.join(sources)}" if sources else ""))
    commands.append(f"zstd -dcqf {rel(corpus)}"
                    + (f" | (keep records whose metadata.source starts with one of {', '.join(sources)})"
                       if sources else "")
                    + (f" | head -n {args.limit}" if args.limit is not None else "")
                    + f" > {rel(args.input)}   # untimed; {work['docs']:,} docs")

    dt = None
    if not args.skip_datatrove:
        if not Path(args.dt_python).exists():
            dt = {"error": f"no interpreter at {args.dt_python} (run bench/setup_peers.sh)"}
        else:
            try:
                dt = run_datatrove(args, args.input, commands)
            except Exception as e:  # keep going with saring
                dt = {"error": str(e).splitlines()[0][:300]}
                print(str(e), file=sys.stderr)

    sar = {}
    for t in args.saring_threads:
        sar[t] = run_saring(args, args.input, t, commands)
        if sar[t]["read"] != work["docs"]:
            print(f"warning: saring read {sar[t]['read']} records of {work['docs']}", file=sys.stderr)

    t_total = time.perf_counter() - t_start
    now_sha = sha256_file(args.saring) if args.saring.exists() else "missing"
    if now_sha != bin_sha:
        info.append(f"- note: {rel(args.saring)} was rebuilt during the benchmark (now sha256 {now_sha[:16]}...); "
                    "the numbers are for the snapshot above")
    md = report(args, info, corpus, work, commands, dt, sar, t_total)
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(md)
    raw = {"corpus": {"path": str(corpus), **csz}, "input": {"path": str(args.input), **work},
           "datatrove": dt, "saring": {f"threads{t}": r for t, r in sar.items()}, "saring_sha256": bin_sha,
           "lid_ftz_sha256": args.lid_sha}
    (args.work / "results.json").write_text(json.dumps(raw, indent=1, default=str))
    print(md)
    print(f"\nwrote {rel(args.md)} and {rel(args.work / 'results.json')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
