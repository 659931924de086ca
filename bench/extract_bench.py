#!/usr/bin/env python3
"""HTML main-content extraction: saring against trafilatura (and the Rust candidates), quality and speed.

Usage (from the repo root):

    python3 bench/extract_bench.py [--sets aeb,wcxb,readability] [--no-build] [--with-rs-trafilatura]
        [--with-candidates] [--repeat-saring R] [--repeat-rs-trafilatura R] [--threads N] [--skip-trafilatura]
        [--saring target/release/saring] [--tf-python bench/venv-trafilatura/bin/python]
        [--max-busy 0.25] [--quiet-timeout 600] [--work bench/out/extract] [--md bench/out/extract/report.md]

The question: on the same pages, on the same machine, in the same run, how good is saring's main-text
extraction next to the published extractors, and how fast is it?

Page sets (../shared/data, listed by bench/extract_eval.py; the script exits 0 with a message when
that folder is absent): ``aeb`` (181 news/blog pages of the Scrapinghub/Zyte Article Extraction
Benchmark), ``wcxb`` (the 1,497 dev pages of the Web Content eXtraction Benchmark, 7 page types) and
``readability`` (130 Mozilla Readability.js test pages; the score there is agreement with
Readability.js, not correctness).  For each set the ``id<TAB>path`` list is written to
``bench/out/extract/<set>.list``; every tool reads that same list.

Tools.  Each run is a fresh subprocess; each tool reads ALL pages of the list into memory first
(gunzip), then times ONLY the extraction (charset decoding + parsing + extraction; no file reading,
no output writing) with a monotonic clock, and reports it on its last stderr line as
``{"pages", "seconds", "pages_per_s", "mb_per_s", "threads", ...}``; MB = 10^6 bytes of the
decompressed HTML as read from disk.  Those in-process figures are the speed results.  The process
wall time (start-up, loading, writing included), the CPU time and the peak RSS of the largest process
(``/usr/bin/time -f '%e %M %U %S'``) are reported beside them.  Before every run the harness waits
(``--quiet-timeout`` s at most) until the machine is at most ``--max-busy`` busy, and it reports the
CPU the rest of the machine used during the run (bench/dedup_speed.py's helpers).

1. saring: ``target/release/saring extract-pages LIST --threads T [--repeat R]`` (hidden subcommand:
   ``saring::extract::decode`` + ``extract_html`` over a rayon pool of T threads), T = 1 and T = all
   cores (``--threads``, default ``os.cpu_count()``).  Built first with
   ``cargo build --release -p saring-cli`` unless ``--no-build``; the runs use a snapshot copy of the
   binary (``bench/out/extract/bin/saring``, sha256 in the report).  ``--repeat-saring R`` extracts
   every page R times inside the timed region (the output is written once): one pass over the 181
   AEB pages takes about 0.06 s, and five passes still moved by ±15% between runs on this shared
   machine (BENCHMARKS.md §9, session 8), so use ``--repeat-saring 20``; default 1.
2. trafilatura 2.3.1 (``bench/venv-trafilatura``, made by ``bench/setup_peers.sh --only
   trafilatura``): the worker ``bench/out/extract/trafilatura_worker.py`` (written by this harness)
   calls ``trafilatura.extract(raw_bytes)`` with every default (trafilatura decodes the bytes itself;
   defaults: balanced mode - neither favor_precision nor favor_recall -, fallback extractors on
   (``no_fallback=False``), ``include_comments=True``, ``include_tables=True``, txt output without
   metadata; the effective values are recorded in results.json).  ``--tf-options JSON`` passes
   keyword arguments instead, e.g. ``'{"include_comments": false}'``, the call of the AEB
   repository's own trafilatura run (extractors/run_trafilatura.py; its published 0.958 is
   trafilatura 2.0.0 with that option, given the HTML as UTF-8 text).  One page is extracted once before
   the clock starts (warm-up of lazy imports).  One process for the one-core figure; for all cores
   a ``multiprocessing`` pool of N forked processes (pages inherited from the parent, ids mapped with
   chunksize 1, results returned in order), timing only the ``pool.map`` (the pool is started before
   the clock).  ``None`` results count as empty text; an exception counts as an error with empty text.
3. rs-trafilatura 0.2.2 (``--with-rs-trafilatura``): the probe crate
   ``bench/peers/rs-trafilatura-probe`` (outside the workspace; built with ``cargo build --release
   --manifest-path bench/peers/rs-trafilatura-probe/Cargo.toml --target-dir
   bench/out/rs-trafilatura-target`` unless ``--no-build``) times ``rs_trafilatura::extract_bytes``
   (its own charset detection, default options) page by page on one thread; ``Err`` or a panic gives
   empty text and is counted.  It has no threading of its own, so only its one-thread figure is
   reported.  Same allocator (mimalloc) and release profile as saring's binary.
4. The other two Rust candidates measured before saring's own extractor was written
   (``--with-candidates``, which implies ``--with-rs-trafilatura``): the same probe binary, run with
   ``--extractor trafilatura-rs`` (the ``trafilatura`` 0.6.0 crate, nchapman/trafilatura-rs, a port of
   go-trafilatura: ``trafilatura::extract(&html, &Options::default())``, ``content_text``) and
   ``--extractor dom_smoothie`` (dom_smoothie 0.19.0, a Readability.js port:
   ``Readability::new(html, None, None)?.parse()?.text_content``).  Both are given the page as
   UTF-8 text (``String::from_utf8_lossy``; they do no charset detection of their own).  One thread,
   same ``--repeat-rs-trafilatura`` as rs-trafilatura; versions from the probe's Cargo.lock.

Scores (bench/extract_eval.py, which reproduces the published AEB table): AEB F1/P/R/accuracy with
bootstrap std (1000 resamples, seed 0), WCXB F1/P/R (means of page values), snippet rates and F1 per
page type, Readability.js agreement F1/P/R.  The one-thread output of each tool is scored; the
all-cores output is checked to hold the same texts.

Output: ``bench/out/extract/report.md`` (also printed), ``bench/out/extract/results.json`` (all
numbers, commands, versions, machine), per run ``<set>-<tool>-t<T>.jsonl`` (+ ``.log``) and per
scored output ``<set>-<tool>.score.json`` (per-page values).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
import extract_eval as ee  # noqa: E402
from dedup_eval import machine_info  # noqa: E402
from dedup_speed import NCPU, sha256_file, sys_cpu, wait_quiet  # noqa: E402
from run_bench import rel, shell  # noqa: E402

PROBE_DIR = BENCH_DIR / "peers" / "rs-trafilatura-probe"
PROBE_TARGET = BENCH_DIR / "out" / "rs-trafilatura-target"
PROBE_BIN = PROBE_TARGET / "release" / "rs-trafilatura-probe"
TF_VERSION = "2.3.1"
RS_VERSION = "0.2.2"
TOOLS = ("saring", "trafilatura", "rs-trafilatura", "trafilatura-rs", "dom_smoothie")
# The tools run by the Rust probe: tool -> (its --extractor value, its crate in the probe's Cargo.lock,
# the version if the lock cannot be read).
PROBE_TOOLS = {"rs-trafilatura": ("rs-trafilatura", "rs-trafilatura", RS_VERSION),
               "trafilatura-rs": ("trafilatura-rs", "trafilatura", "0.6.0"),
               "dom_smoothie": ("dom_smoothie", "dom_smoothie", "0.19.0")}
CANDIDATES = ("trafilatura-rs", "dom_smoothie")
SET_NAMES = {"aeb": "AEB", "wcxb": "WCXB dev", "readability": "Readability.js"}

# ---------------------------------------------------------------------------
# trafilatura worker (run by the trafilatura venv's python; stdlib + trafilatura only)
# ---------------------------------------------------------------------------
TF_WORKER = '''\
"""trafilatura extraction timing worker (written by bench/extract_bench.py).

Usage: python trafilatura_worker.py LIST [--processes N] [--repeat R] [--options JSON] > OUT.jsonl

Reads every page of LIST (id<TAB>path, plain or .gz) into memory as raw bytes, extracts one page
untimed (warm-up), then times only trafilatura.extract(bytes, **OPTIONS) over all pages: in this
process (--processes 1) or with a pool of N forked processes (pool started before the clock; the
pages are inherited, ids are mapped with chunksize 1).  Prints {"id", "text"} lines to stdout in list
order and one timing line to stderr: {"pages","seconds","pages_per_s","mb_per_s","threads",...}.
"""
import argparse
import gzip
import inspect
import json
import multiprocessing
import platform
import sys
import time
from importlib.metadata import version

import trafilatura

OPTIONS = {}  # keyword arguments of trafilatura.extract (--options); empty = every default
PAGES = []


def extract(i):
    try:
        return trafilatura.extract(PAGES[i][1], **OPTIONS) or "", None
    except Exception as exc:  # counted, empty text
        return "", f"{type(exc).__name__}: {exc}"[:300]


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return fh.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("list")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--options", default="{}", help="JSON object of trafilatura.extract keyword arguments")
    args = ap.parse_args()
    OPTIONS.update(json.loads(args.options))
    with open(args.list, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                key, path = line.rstrip("\\n").split("\\t", 1)
                PAGES.append((key, load(path)))
    n = len(PAGES)
    extract(0)  # warm-up, untimed (lazy imports and tables); forked workers inherit it
    repeat = max(1, args.repeat)
    if args.processes <= 1:
        t0 = time.perf_counter()
        for _ in range(repeat):
            results = [extract(i) for i in range(n)]
        seconds = time.perf_counter() - t0
    else:
        with multiprocessing.get_context("fork").Pool(args.processes) as pool:
            t0 = time.perf_counter()
            for _ in range(repeat):
                results = pool.map(extract, range(n), chunksize=1)
            seconds = time.perf_counter() - t0
    out = sys.stdout
    for (key, _), (text, _) in zip(PAGES, results):
        out.write(json.dumps({"id": key, "text": text}, ensure_ascii=False) + "\\n")
    out.flush()
    errors = [(key, err) for (key, _), (_, err) in zip(PAGES, results) if err]
    sig = inspect.signature(trafilatura.extract).parameters
    defaults = {k: sig[k].default for k in ("fast", "no_fallback", "favor_precision", "favor_recall",
                                             "include_comments", "include_tables", "include_images",
                                             "include_formatting", "include_links", "deduplicate",
                                             "output_format", "with_metadata", "target_language")}
    mb = sum(len(b) for _, b in PAGES) * repeat / 1e6
    versions = {p: version(p) for p in ("trafilatura", "lxml", "justext", "htmldate", "courlan",
                                        "charset-normalizer", "lxml_html_clean")}
    versions["python"] = platform.python_version()
    sys.stderr.write(json.dumps({
        "pages": n, "seconds": round(seconds, 4), "pages_per_s": round(n * repeat / seconds, 2),
        "mb_per_s": round(mb / seconds, 3), "threads": args.processes, "repeat": repeat,
        "errors": len(errors), "error_examples": errors[:5], "options": OPTIONS,
        "effective_defaults": defaults, "versions": versions}) + "\\n")


if __name__ == "__main__":
    main()
'''


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
def timing_line(err: str) -> dict:
    """The last stderr line that is a JSON object with "seconds" (the tool's own timing)."""
    for line in reversed(err.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and "seconds" in obj:
                return obj
    raise RuntimeError("no timing line on stderr")


def run_timed(args, cmd: list[str], out: Path, log: Path) -> dict:
    """One run under /usr/bin/time after waiting for a quiet machine; stdout -> OUT, stderr -> LOG."""
    q = wait_quiet(args.max_busy, args.quiet_timeout)
    tfile = log.with_suffix(".time")
    full = ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(tfile), "--"] + cmd
    print(f"== {shell(cmd)} > {rel(out)}", file=sys.stderr, flush=True)
    with open(out, "wb") as fo, open(log, "wb") as fe:
        sb0, _ = sys_cpu()
        t0 = time.perf_counter()
        rc = subprocess.run(full, stdout=fo, stderr=fe, cwd=REPO_ROOT).returncode
        wall = time.perf_counter() - t0
        sb1, _ = sys_cpu()
    err = log.read_text(errors="replace")
    if rc != 0:
        raise RuntimeError(f"command failed (rc={rc}): {shell(cmd)}\n{err[-3000:]}")
    e_s, m_kb, u_s, s_s = tfile.read_text().strip().splitlines()[-1].split()
    cpu = float(u_s) + float(s_s)
    other = max(0.0, (sb1 - sb0) - cpu)
    stats = timing_line(err)
    print(f"   {stats['pages']} pages, {stats['seconds']:.3f} s extraction: {stats['pages_per_s']:,.1f} pages/s, "
          f"{stats['mb_per_s']:,.2f} MB/s (process {wall:.2f} s, {int(m_kb) / 1024:.0f} MiB)",
          file=sys.stderr, flush=True)
    return {"cmd": shell(cmd), "out": rel(out), "stats": stats, "process_wall_s": wall, "cpu_s": cpu,
            "rss_mib": int(m_kb) / 1024, "other_cpu_share": other / (NCPU * wall) if wall else 0.0, **q}


def texts_of(path: Path) -> dict[str, str]:
    return ee.load_predictions(path)


def build(cmd: list[str], commands: list[str], what: str) -> None:
    print(f"== building {what}: {shell(cmd)}", file=sys.stderr, flush=True)
    commands.append(shell(cmd))
    r = subprocess.run(cmd, cwd=REPO_ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"building {what} failed: {shell(cmd)}")


def run_tool(args, tool: str, which: str, threads: int, listfile: Path, commands: list[str]) -> dict:
    out = args.work / f"{which}-{tool}-t{threads}.jsonl"
    log = out.with_suffix(".log")
    if tool == "saring":
        cmd = [rel(args.bin), "extract-pages", rel(listfile), "--threads", str(threads)]
        if args.repeat_saring > 1:
            cmd += ["--repeat", str(args.repeat_saring)]
    elif tool == "trafilatura":
        cmd = [os.path.relpath(args.tf_python, REPO_ROOT), rel(args.work / "trafilatura_worker.py"),
               rel(listfile), "--processes", str(threads)]
        if args.tf_options:
            cmd += ["--options", json.dumps(args.tf_options, separators=(",", ":"))]
    else:
        cmd = [rel(args.probe_bin), rel(listfile)]
        if args.repeat_rs > 1:
            cmd += ["--repeat", str(args.repeat_rs)]
        if tool != "rs-trafilatura":  # rs-trafilatura is the probe's default extractor
            cmd += ["--extractor", PROBE_TOOLS[tool][0]]
    commands.append(f"{shell(cmd)} > {rel(out)} 2> {rel(log)}")
    r = run_timed(args, cmd, out, log)
    r.update(tool=tool, set=which, threads=threads)
    return r


# ---------------------------------------------------------------------------
# Page sets and scoring
# ---------------------------------------------------------------------------
def write_list(which: str, dst: Path) -> dict:
    pages = ee.set_pages(which)
    total = 0
    with open(dst, "w", encoding="utf-8") as fh:
        for key, path in pages.items():
            if "\t" in key or "\t" in str(path) or "\n" in str(path):
                raise ValueError(f"{which}: id or path with a tab or newline: {key!r} {path}")
            fh.write(f"{key}\t{path}\n")
            with gzip.open(path, "rb") as g:
                total += len(g.read())
    return {"pages": len(pages), "html_bytes": total, "list": rel(dst), "list_sha256": sha256_file(dst)}


def score(which: str, preds: dict[str, str], gold) -> dict:
    if which == "aeb":
        return ee.score_aeb(preds, gold=gold)
    if which == "wcxb":
        return ee.score_wcxb(preds, gold=gold)
    return ee.score_readability(preds, gold=gold)


def load_gold(which: str):
    return {"aeb": ee.load_aeb_gold, "wcxb": ee.load_wcxb_gold, "readability": ee.load_readability_gold}[which]()


def summary(result: dict) -> dict:
    """The metrics without the per-page rows."""
    return {k: v for k, v in result.items() if k not in ("pages", "missing_ids")}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def f3(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def label(args, tool: str) -> str:
    opts = ", ".join(f"{k}={v}" for k, v in args.tf_options.items())
    return {"saring": f"saring {args.saring_version}",
            "trafilatura": f"trafilatura {args.tf_version}" + (f" ({opts})" if opts else ""),
            "rs-trafilatura": f"rs-trafilatura {args.rs_version}",
            "trafilatura-rs": f"trafilatura-rs {args.probe_versions['trafilatura-rs']}",
            "dom_smoothie": f"dom_smoothie {args.probe_versions['dom_smoothie']}"}[tool]


def threads_word(tool: str, n: int) -> str:
    unit = "process" if tool == "trafilatura" else "thread"
    return f"{n} {unit}" + ("es" if unit == "process" and n != 1 else "s" if n != 1 else "")


def speed_of(runs: dict, tool: str, which: str, threads: int):
    r = runs.get((tool, which, threads))
    return r["stats"] if r and "stats" in r else None


def candidate_notes(args) -> list[str]:
    """The "What runs" lines of the two other Rust candidates (--with-candidates)."""
    v = args.probe_versions
    return [
        f"- trafilatura-rs: the `trafilatura` {v['trafilatura-rs']} crate (nchapman/trafilatura-rs, a Rust port "
        "of go-trafilatura, itself a port of Python trafilatura): `trafilatura::extract(&html, "
        "&trafilatura::Options::default())`, `content_text`; the same probe with `--extractor trafilatura-rs`, "
        "one thread. It takes `&str`: the page is given as `String::from_utf8_lossy(bytes)` (no charset "
        "detection).",
        f"- dom_smoothie: dom_smoothie {v['dom_smoothie']} (a Rust port of Mozilla Readability.js, on dom_query): "
        "`dom_smoothie::Readability::new(html, None, None)?.parse()?.text_content` (default config, no document "
        "URL); the same probe with `--extractor dom_smoothie`, one thread, the page as "
        "`String::from_utf8_lossy(bytes)`. Its Readability.js-set score is agreement with the program it ports.",
        "- rs-trafilatura, trafilatura-rs and dom_smoothie are the three Rust candidates measured before saring's "
        "own extractor was written (use a dependency or write our own, chosen by measurement). All three run in "
        "the same probe binary (mimalloc, thin LTO); an `Err` or a panic gives empty text and is listed under "
        "the quality table.",
    ]


def report(args, info, sets, runs, scores, same, ratios, commands, errors, t_total) -> str:
    tools = [t for t in TOOLS if any(k[0] == t for k in runs) or any(t in s for s in scores.values())]
    rust = [t for t in PROBE_TOOLS if t in tools]
    md = ["# HTML main-content extraction: saring vs trafilatura"
          + (" and " + ", ".join(rust) if rust else ""), ""]
    md += ["## Machine and versions", ""] + info + [f"- total harness time: {t_total / 60:.1f} min", ""]

    md += ["## Page sets", "", "| set | pages | HTML MB (decompressed) | list |", "|---|---:|---:|---|"]
    for which, s in sets.items():
        md.append(f"| {SET_NAMES[which]} | {s['pages']:,} | {s['html_bytes'] / 1e6:.1f} | `{s['list']}` |")
    md += ["", "MB = 10^6 bytes of the HTML as stored (after gunzip), the bytes every tool is given.", ""]

    if errors:
        md += ["## Runs that failed or were skipped", ""] + [f"- {e}" for e in errors] + [""]

    md += ["## Quality", ""]
    cols, head = [], []
    if "aeb" in scores:
        cols.append("aeb")
        head += ["AEB F1", "AEB P", "AEB R", "AEB acc"]
    if "wcxb" in scores:
        cols.append("wcxb")
        head += ["WCXB F1", "WCXB P", "WCXB R", "WCXB with", "WCXB w/o"]
    if "readability" in scores:
        cols.append("readability")
        head += ["Readability.js agreement F1", "P", "R"]
    md += ["| tool | " + " | ".join(head) + " |", "|---|" + "---:|" * len(head)]
    for tool in tools:
        cells = []
        for which in cols:
            m = scores[which].get(tool)
            n = {"aeb": 4, "wcxb": 5, "readability": 3}[which]
            if m is None:
                cells += ["-"] * n
            elif which == "aeb":
                cells += [f"{m['f1']:.3f} ± {m['f1_std']:.3f}", f3(m["precision"]), f3(m["recall"]), f3(m["accuracy"])]
            elif which == "wcxb":
                cells += [f3(m["f1"]), f3(m["precision"]), f3(m["recall"]), f"{100 * m['with_rate']:.1f}%",
                          f"{100 * m['without_rate']:.1f}%"]
            else:
                cells += [f3(m["f1"]), f3(m["precision"]), f3(m["recall"])]
        md.append(f"| {label(args, tool)} | " + " | ".join(cells) + " |")
    md.append("")
    if "aeb" in scores:
        pub = ee.PUBLISHED_AEB
        md.append("Published AEB table (same metric, scrapinghub/article-extraction-benchmark README): "
                  f"trafilatura F1 {pub['trafilatura'][0]:.3f} / P {pub['trafilatura'][1]:.3f} / "
                  f"R {pub['trafilatura'][2]:.3f} / acc {pub['trafilatura'][3]:.3f}; rs_trafilatura F1 "
                  f"{pub['rs_trafilatura'][0]:.3f} / P {pub['rs_trafilatura'][1]:.3f} / R {pub['rs_trafilatura'][2]:.3f}"
                  f" / acc {pub['rs_trafilatura'][3]:.3f}"
                  + (f"; go_trafilatura (which trafilatura-rs ports) F1 {pub['go_trafilatura'][0]:.3f} / P "
                     f"{pub['go_trafilatura'][1]:.3f} / R {pub['go_trafilatura'][2]:.3f} / acc "
                     f"{pub['go_trafilatura'][3]:.3f}" if "trafilatura-rs" in tools else "")
                  + (f"; dom_smoothie F1 {pub['dom_smoothie'][0]:.3f} / P {pub['dom_smoothie'][1]:.3f} / R "
                     f"{pub['dom_smoothie'][2]:.3f} / acc {pub['dom_smoothie'][3]:.3f}" if "dom_smoothie" in tools
                     else "") + ".")
    expl = {"aeb": "AEB: F1 is the harmonic mean of mean page precision and mean page recall over 4-token "
                   "shingles, ± bootstrap std (1000 resamples, seed 0); acc = share of pages whose token list "
                   "equals the gold one.",
            "wcxb": "WCXB: means of per-page bag-of-words P/R/F1 (lower-cased `\\w+` tokens); with = share of the "
                    "must-have snippets found (higher is better), w/o = share of the boilerplate snippets found "
                    "(lower is better; upstream rule: a page with no listed snippets counts 1.0).",
            "readability": "Readability.js: bag-of-words P/R/F1 against Readability.js's expected output "
                           "(agreement with Readability.js, not gold)."}
    md += [" ".join(expl[c] for c in cols), ""]
    for which in cols:
        for tool, m in scores[which].items():
            if m.get("n_missing"):
                md.append(f"- {label(args, tool)} on {SET_NAMES[which]}: {m['n_missing']} pages had no output "
                          "(scored as empty)")
    for key, r in runs.items():
        st = r.get("stats", {})
        if st.get("errors") or st.get("panics"):
            md.append(f"- {label(args, key[0])} on {SET_NAMES[key[1]]}, {threads_word(key[0], key[2])}: "
                      f"{st.get('errors', 0)} extraction errors, {st.get('panics', 0)} panics (empty text)")
    md.append("")

    if "wcxb" in scores:
        wt = [t for t in tools if t in scores["wcxb"]]
        md += ["## WCXB dev F1 per page type", "",
               "| page type | pages | " + " | ".join(label(args, t) for t in wt) + " |",
               "|---|---:|" + "---:|" * len(wt)]
        types = list(scores["wcxb"][wt[0]]["by_type"]) if wt else []
        for pt in types:
            n = scores["wcxb"][wt[0]]["by_type"][pt]["n"]
            md.append(f"| {pt} | {n:,} | " + " | ".join(
                f3(scores["wcxb"][t]["by_type"].get(pt, {}).get("f1")) for t in wt) + " |")
        md.append("| **all** | " + f"{scores['wcxb'][wt[0]]['n']:,} | " + " | ".join(
            f"**{scores['wcxb'][t]['f1']:.3f}**" for t in wt) + " |" if wt else "")
        md.append("")

    tn = args.threads
    reps = ([f"saring extracts every page {args.repeat_saring}x"] if args.repeat_saring > 1 else []) + (
        [f"{' / '.join(rust)} {args.repeat_rs}x"] if rust and args.repeat_rs > 1 else [])
    md += ["## Speed", "",
           "In-process extraction time only (pages already in memory; charset decoding included), one run each"
           + (f" ({', '.join(reps)} inside the run)" if reps else "") + ". "
           + (f"All cores = {tn} (threads for saring, forked processes for trafilatura)." if tn > 1
              else "All cores: not run (`--threads 1`)."), "",
           "| set | tool | 1 core pages/s | 1 core MB/s | all cores pages/s | all cores MB/s "
           "| process wall s (1 core) | peak RSS MiB (1 core) |",
           "|---|---|---:|---:|---:|---:|---:|---:|"]
    for which in sets:
        for tool in tools:
            one, alln = speed_of(runs, tool, which, 1), speed_of(runs, tool, which, tn)
            if one is None and alln is None:
                continue
            r1 = runs.get((tool, which, 1), {})
            na = "single-threaded" if tool in PROBE_TOOLS and tn > 1 else "-"
            md.append(f"| {SET_NAMES[which]} | {label(args, tool)} | "
                      + (f"{one['pages_per_s']:,.1f} | {one['mb_per_s']:,.2f} | " if one else "- | - | ")
                      + (f"{alln['pages_per_s']:,.1f} | {alln['mb_per_s']:,.2f} | " if alln and tn > 1
                         else f"{na} | {na} | ")
                      + (f"{r1['process_wall_s']:.2f} | {r1['rss_mib']:.0f} |" if r1 else "- | - |"))
    md.append("")
    if ratios:
        rcols = [("trafilatura_1", "saring / trafilatura, 1 core"),
                 ("trafilatura_all", "saring / trafilatura, all cores")]
        rcols += [(f"{t}_1", f"saring / {t}, 1 core") for t in PROBE_TOOLS
                  if any(f"{t}_1" in r for r in ratios.values())]
        md += ["Ratios of pages/s (same pages, same run):", "",
               "| set | " + " | ".join(h for _, h in rcols) + " |", "|---|" + "---:|" * len(rcols)]
        for which in sets:
            r = ratios.get(which, {})
            md.append(f"| {SET_NAMES[which]} | " + " | ".join(
                f"{r[k]:,.1f}x" if r.get(k) else "-" for k, _ in rcols) + " |")
        md.append("")
    notes = []
    for key, r in runs.items():
        name = f"{label(args, key[0])} on {SET_NAMES[key[1]]}, {threads_word(key[0], key[2])}"
        if r.get("busy_before", 0) > args.max_busy:
            notes.append(f"- **{name} started on a busy machine** ({r['busy_before']:.0%} busy after waiting "
                         f"{r['waited_s']:.0f} s); treat its speed with care.")
        elif r.get("other_cpu_share", 0) > 0.10:
            notes.append(f"- **{name}: other processes used {r['other_cpu_share']:.0%} of the machine during the "
                         "run**; treat its speed with care.")
    for which, s in same.items():
        for tool, ok in s.items():
            if ok is False:
                notes.append(f"- {label(args, tool)} on {SET_NAMES[which]}: the all-cores output differs from the "
                             "one-thread output (the one-thread output is scored).")
    md += notes + ([""] if notes else [])
    md += ["Each tool reports its own extraction time (monotonic clock around the extraction loop only); the "
           "process wall time beside it also holds start-up, reading and gunzipping the pages, and writing the "
           "output. Before each run the harness waits until the machine is at most "
           f"{args.max_busy:.0%} busy (for at most {args.quiet_timeout:g} s).", ""]

    md += ["## What runs", "",
           "- saring: `saring extract-pages LIST --threads T` (hidden subcommand): `saring::extract::decode` "
           "(charset from BOM / HTTP-equiv / meta / sniffing) then `extract_html`, over a rayon pool.",
           "- trafilatura: `trafilatura.extract(raw_bytes"
           + "".join(f", {k}={v!r}" for k, v in args.tf_options.items()) + ")`, otherwise the defaults "
           f"({json.dumps(args.tf_defaults) if args.tf_defaults else 'see results.json'}); it decodes the bytes "
           "itself (UTF-8 if valid, else charset_normalizer). The AEB repository's published trafilatura row "
           "(2.0.0) used `include_comments=False`. One page is extracted before the clock starts (warm-up). All cores: a fork "
           "`multiprocessing.Pool`, pages inherited, `pool.map(chunksize=1)`; only the map is timed.",
           "- rs-trafilatura: `rs_trafilatura::extract_bytes(&bytes)` (default `Options`), one thread, probe crate "
           "`bench/peers/rs-trafilatura-probe` (mimalloc, thin LTO, like saring's binary)."
           if "rs-trafilatura" in tools else "- rs-trafilatura: not run (`--with-rs-trafilatura`).",
           *(candidate_notes(args) if any(t in tools for t in CANDIDATES) else
             ["- trafilatura-rs, dom_smoothie: not run (`--with-candidates`)."]),
           f"- Raw numbers: `{rel(args.work / 'results.json')}`; per-page scores: "
           f"`{rel(args.work)}/<set>-<tool>.score.json`.", ""]
    md += ["## Commands", "", "Run from the repo root; every measured command is wrapped in "
           "`/usr/bin/time -f '%e %M %U %S' --`.", "", "```sh"] + commands + ["```", ""]
    return "\n".join(md)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def versions_info(args) -> list[str]:
    lines = []
    if args.tf_versions:
        v = args.tf_versions
        lines.append(f"- trafilatura venv: `{os.path.relpath(args.tf_python, REPO_ROOT)}` (Python {v.get('python')}; "
                     + ", ".join(f"{k} {x}" for k, x in v.items() if k != "python") + ")")
    if args.rs_lock:
        lines.append(f"- Rust probe `{rel(PROBE_DIR)}` (Cargo.lock): "
                     + ", ".join(f"{k} {x}" for k, x in args.rs_lock.items())
                     + f"; binary sha256 {args.rs_sha[:16]}...")
    if args.rustc:
        lines.append(f"- {args.rustc}")
    return lines


def lock_packages(lock: Path) -> list[dict]:
    """The [[package]] entries of a Cargo.lock: name, version, dependencies (names, with a version when
    the lock holds several)."""
    pkgs, cur, in_deps = [], None, False
    if not lock.exists():
        return pkgs
    for line in lock.read_text().splitlines():
        line = line.strip()
        if line == "[[package]]":
            cur, in_deps = {"name": None, "version": None, "deps": []}, False
            pkgs.append(cur)
        elif cur is None:
            continue
        elif line.startswith("name = "):
            cur["name"] = line.split('"')[1]
        elif line.startswith("version = "):
            cur["version"] = line.split('"')[1]
        elif line.startswith("dependencies = ["):
            in_deps = True
        elif in_deps and line.startswith('"'):
            cur["deps"].append(line.split('"')[1])
        elif line == "]":
            in_deps = False
    return pkgs


def lock_versions(lock: Path, names=("rs-trafilatura", "trafilatura", "dom_smoothie", "dom_query",
                                      "html-cleaning", "quick_html2md", "encoding_rs", "mimalloc")) -> dict:
    """name -> version for NAMES in a Cargo.lock.  A crate locked at several versions (dom_query: one for
    rs-trafilatura, one for dom_smoothie) gives "v1 (for a), v2 (for b)", the users taken from NAMES."""
    pkgs = lock_packages(lock)
    found = {}
    for name in names:
        versions = [p["version"] for p in pkgs if p["name"] == name and p["version"]]
        if len(versions) == 1:
            found[name] = versions[0]
        elif versions:
            parts = []
            for v in versions:
                users = [p["name"] for p in pkgs if p["name"] in names and f"{name} {v}" in p["deps"]]
                parts.append(v + (f" (for {', '.join(users)})" if users else ""))
            found[name] = ", ".join(parts)
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="aeb,wcxb,readability", help="comma-separated: aeb, wcxb, readability")
    ap.add_argument("--no-build", action="store_true", help="use the existing binaries (no cargo build)")
    ap.add_argument("--with-rs-trafilatura", action="store_true",
                    help="also build and run the rs-trafilatura 0.2.2 probe (one thread)")
    ap.add_argument("--with-candidates", action="store_true",
                    help="also run the probe's other two extractors, trafilatura-rs 0.6.0 and dom_smoothie 0.19.0 "
                         "(one thread each); implies --with-rs-trafilatura")
    ap.add_argument("--repeat-saring", type=int, default=1,
                    help="extract every page R times inside saring's timed region (one pass over AEB is ~0.1 s: "
                         "5 is sensible there); default 1")
    ap.add_argument("--repeat-rs-trafilatura", dest="repeat_rs", type=int, default=None,
                    help="the same for the Rust probe: rs-trafilatura and, with --with-candidates, trafilatura-rs "
                         "and dom_smoothie (default: --repeat-saring)")
    ap.add_argument("--threads", type=int, default=NCPU, help=f"the all-cores run (default {NCPU})")
    ap.add_argument("--skip-trafilatura", action="store_true")
    ap.add_argument("--tf-options", default="{}", metavar="JSON",
                    help="keyword arguments for trafilatura.extract, e.g. '{\"include_comments\": false}' (the "
                         "AEB repository's own trafilatura run); default {}: every default")
    ap.add_argument("--saring", type=Path, default=REPO_ROOT / "target" / "release" / "saring")
    ap.add_argument("--tf-python", type=Path, default=BENCH_DIR / "venv-trafilatura" / "bin" / "python")
    ap.add_argument("--max-busy", type=float, default=0.25,
                    help="before each run wait until the machine is at most this busy (share of all CPUs)")
    ap.add_argument("--quiet-timeout", type=float, default=600, help="give up waiting for quiet after this many s")
    ap.add_argument("--work", type=Path, default=BENCH_DIR / "out" / "extract")
    ap.add_argument("--md", type=Path, default=None, help="report (default: WORK/report.md)")
    args = ap.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    bad = [s for s in sets if s not in ee.SETS]
    if bad or not sets:
        ap.error(f"--sets: unknown {', '.join(bad) or '(none)'}; use {', '.join(ee.SETS)}")
    if args.repeat_rs is None:
        args.repeat_rs = args.repeat_saring
    if args.with_candidates:
        args.with_rs_trafilatura = True  # the same probe; all three Rust candidates
    args.threads = max(1, args.threads)
    try:
        args.tf_options = json.loads(args.tf_options)
        assert isinstance(args.tf_options, dict)
    except (json.JSONDecodeError, AssertionError):
        ap.error("--tf-options: give a JSON object, e.g. '{\"include_comments\": false}'")
    try:
        ee.data_dir()
    except ee.DataMissing as exc:
        print(f"extract_bench: skipped: {exc}", file=sys.stderr)
        return 0
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.md = (args.md or args.work / "report.md").resolve()
    args.tf_python = Path(os.path.abspath(args.tf_python))  # keep the venv's symlink (its site-packages)
    args.probe_bin = PROBE_BIN
    t_start = time.perf_counter()
    commands = [shell(["python3", "bench/extract_bench.py"] + (argv if argv is not None else sys.argv[1:]))
                + "   # this harness"]
    errors: list[str] = []

    # Builds (nothing is timed yet).
    if not args.no_build:
        build(["cargo", "build", "--release", "-p", "saring-cli"], commands, "saring")
    if args.with_rs_trafilatura and not args.no_build:
        try:
            build(["cargo", "build", "--release", "--manifest-path", rel(PROBE_DIR / "Cargo.toml"),
                   "--target-dir", rel(PROBE_TARGET)], commands, "the rs-trafilatura probe")
        except RuntimeError as exc:
            errors.append(f"rs-trafilatura: {exc}")
    if not args.saring.exists():
        sys.exit(f"no binary at {args.saring} (build it, or drop --no-build)")
    args.bin = args.work / "bin" / "saring"  # snapshot: every saring run uses the same bytes
    args.bin.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(args.saring, args.bin)
    bin_sha = sha256_file(args.bin)
    commands.append(f"cp {rel(args.saring)} {rel(args.bin)}   # snapshot, sha256 {bin_sha[:16]}...")
    args.saring_version = subprocess.run([str(args.bin), "--version"], capture_output=True,
                                         text=True).stdout.strip().removeprefix("saring ") or "?"

    run_rs = args.with_rs_trafilatura and not any(e.startswith("rs-trafilatura") for e in errors)
    if args.with_rs_trafilatura and run_rs and not PROBE_BIN.exists():
        errors.append(f"rs-trafilatura: no probe binary at {rel(PROBE_BIN)} (drop --no-build to build it)")
        run_rs = False
    args.rs_lock = lock_versions(PROBE_DIR / "Cargo.lock") if run_rs else {}
    args.rs_sha = sha256_file(PROBE_BIN) if run_rs else ""
    args.rs_version = args.rs_lock.get("rs-trafilatura", RS_VERSION)
    args.probe_versions = {t: args.rs_lock.get(crate, default) for t, (_, crate, default) in PROBE_TOOLS.items()}
    args.rustc = ""
    if run_rs:
        try:
            args.rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
        except OSError:
            pass

    run_tf = not args.skip_trafilatura
    if run_tf and not args.tf_python.exists():
        msg = (f"trafilatura: no interpreter at {os.path.relpath(args.tf_python, REPO_ROOT)}; create it with "
               "`bench/setup_peers.sh --only trafilatura` (trafilatura 2.3.1, ~60 MB, seconds)")
        print(f"extract_bench: {msg}", file=sys.stderr)
        errors.append(msg)
        run_tf = False
    if run_tf:
        (args.work / "trafilatura_worker.py").write_text(TF_WORKER)
    args.tf_version, args.tf_versions, args.tf_defaults = TF_VERSION, {}, {}

    info = [line for line in machine_info(SimpleNamespace(saring=args.saring, dt_python=None, td_python=None))
            if not line.startswith("- environment for the peers")]
    info.append(f"- saring {args.saring_version}, binary sha256 {bin_sha}; runs use the snapshot `{rel(args.bin)}`")

    # Page lists.
    set_info = {}
    for which in sets:
        set_info[which] = write_list(which, args.work / f"{which}.list")
        commands.append(f"python3 bench/extract_eval.py list --set {which} > {rel(args.work / f'{which}.list')}"
                        f"   # {set_info[which]['pages']:,} pages")

    # Runs.
    tcounts = [1] + ([args.threads] if args.threads > 1 else [])
    runs: dict[tuple, dict] = {}
    for which in sets:
        listfile = args.work / f"{which}.list"
        plan = [("saring", t) for t in tcounts]
        if run_tf:
            plan += [("trafilatura", t) for t in tcounts]
        if run_rs:
            plan.append(("rs-trafilatura", 1))
        if run_rs and args.with_candidates:
            plan += [(t, 1) for t in CANDIDATES]
        for tool, t in plan:
            try:
                r = run_tool(args, tool, which, t, listfile, commands)
            except Exception as exc:  # keep going with the other tools
                errors.append(f"{tool} on {which}, {threads_word(tool, t)}: {str(exc).splitlines()[0][:300]}")
                print(str(exc), file=sys.stderr)
                continue
            if r["stats"]["pages"] != set_info[which]["pages"]:
                errors.append(f"{tool} on {which}: extracted {r['stats']['pages']} pages of {set_info[which]['pages']}")
            runs[(tool, which, t)] = r
            if tool == "trafilatura" and not args.tf_versions:
                args.tf_versions = r["stats"].get("versions", {})
                args.tf_version = args.tf_versions.get("trafilatura", TF_VERSION)
                args.tf_defaults = r["stats"].get("effective_defaults", {})

    # Scores (the one-thread output of each tool; the all-cores output must hold the same texts).
    scores: dict[str, dict] = {}
    same: dict[str, dict] = {}
    for which in sets:
        gold = load_gold(which)
        scores[which], same[which] = {}, {}
        for tool in TOOLS:
            r1 = runs.get((tool, which, 1)) or next((r for k, r in runs.items() if k[:2] == (tool, which)), None)
            if r1 is None:
                continue
            preds = texts_of(REPO_ROOT / r1["out"])
            res = score(which, preds, gold)
            (args.work / f"{which}-{tool}.score.json").write_text(
                json.dumps({"tool": tool, "run": r1["out"], **res}, indent=1, ensure_ascii=False) + "\n")
            scores[which][tool] = summary(res)
            rn = runs.get((tool, which, args.threads))
            if rn is not None and rn is not r1:
                same[which][tool] = texts_of(REPO_ROOT / rn["out"]) == preds
            print(f"== score {which} {tool}: F1 {res['f1']:.3f} P {res['precision']:.3f} R {res['recall']:.3f}",
                  file=sys.stderr, flush=True)

    ratios: dict[str, dict] = {}
    for which in sets:
        def pps(tool, t):
            s = speed_of(runs, tool, which, t)
            return s["pages_per_s"] if s else None
        r = {}
        if pps("saring", 1) and pps("trafilatura", 1):
            r["trafilatura_1"] = pps("saring", 1) / pps("trafilatura", 1)
        if args.threads > 1 and pps("saring", args.threads) and pps("trafilatura", args.threads):
            r["trafilatura_all"] = pps("saring", args.threads) / pps("trafilatura", args.threads)
        for t in PROBE_TOOLS:
            if pps("saring", 1) and pps(t, 1):
                r[f"{t}_1"] = pps("saring", 1) / pps(t, 1)
        if r:
            ratios[which] = r

    t_total = time.perf_counter() - t_start
    now_sha = sha256_file(args.saring) if args.saring.exists() else "missing"
    if now_sha != bin_sha:
        info.append(f"- note: {rel(args.saring)} was rebuilt during the benchmark (now sha256 {now_sha[:16]}...); "
                    "the numbers are for the snapshot above")
    info += versions_info(args)
    md = report(args, info, set_info, runs, scores, same, ratios, commands, errors, t_total)
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(md)
    raw = {"machine": info, "python": platform.python_version(), "threads_all": args.threads,
           "repeat_saring": args.repeat_saring, "repeat_rs_trafilatura": args.repeat_rs,
           "with_candidates": args.with_candidates,
           "versions": {"saring": args.saring_version, "saring_sha256": bin_sha, "trafilatura": args.tf_versions,
                        "trafilatura_effective_defaults": args.tf_defaults, "trafilatura_options": args.tf_options,
                        "rs_trafilatura": args.rs_lock, "rs_trafilatura_probe_sha256": args.rs_sha,
                        "probe_tools": args.probe_versions,
                        "rustc": args.rustc},
           "sets": set_info,
           "runs": [r for r in runs.values()],
           "scores": scores, "same_output_all_cores": same, "ratios_pages_per_s": ratios,
           "errors": errors, "commands": commands}
    (args.work / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False, default=str) + "\n")
    print(md)
    print(f"\nwrote {rel(args.md)} and {rel(args.work / 'results.json')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
