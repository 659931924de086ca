#!/usr/bin/env python3
"""Per-document parity of saring's quality filters with datatrove 0.10.1's originals.

Usage:
    python3 bench/parity.py [--config auto|default] [--corpus bench/out/parity/corpus-seed1.jsonl]
        [--limit N] [--saring target/release/saring] [--dt-python PY] [--rules DIR]
        [--datatrove-only]

The corpus is made by ``python3 bench/make_parity_set.py`` (recipe in its docstring). The four filters
are datatrove's GopherRepetitionFilter, GopherQualityFilter, C4QualityFilter and FineWebQualityFilter
(``datatrove/pipeline/filters/`` in the datatrove venv made by bench/setup_peers.sh).

Configuration
-------------
Filter settings come only from the TOML files in ``crates/saring/rules/quality/`` (``--rules``): a
top-level ``name``, ``tokenizer`` (spaCy language code), ``filters`` (the ordered pipeline, names among
gopher_repetition, gopher_quality, c4_quality, fineweb_quality) and one table per filter whose keys are
datatrove's constructor argument names, 0 meaning None/disabled; ``top_n_grams`` / ``dup_n_grams`` are
lists of ``[n, frac]`` pairs. ``--config auto`` picks the file from each record's
``metadata.language``: en -> eng_Latn.toml, id -> ind_Latn.toml, ms -> zsm_Latn.toml, jv ->
jav_Latn.toml, su -> sun_Latn.toml, min -> min_Latn.toml; a missing file (or another language) falls
back to default.toml, and the report says so. ``--config default`` uses default.toml for every record
(datatrove's defaults: the English-default comparison). If default.toml itself is missing, datatrove's
constructor defaults with tokenizer ``en`` and the FineWeb order are used, and the report says so.

How a TOML table is passed to datatrove (``dt_kwargs``): a 0 becomes datatrove's own spelling of
"disabled" for that argument: None for the Gopher filters (they test thresholds for truthiness);
-1 for C4's ``min_num_sentences``, ``min_words_per_line`` and ``max_word_length`` (datatrove's
documented "set to -1 to disable"; ``max_word_length=0`` would otherwise drop every line with a word);
for FineWeb, whose thresholds cannot be None, ``float("inf")`` for ``short_line_thr``,
``char_duplicates_ratio`` and ``new_line_ratio`` (a ratio never exceeds it), while
``line_punct_thr = 0`` and ``short_line_length = 0`` are passed as 0 (they already never fire). An
``[n, 0]`` pair is removed from ``top_n_grams`` / ``dup_n_grams``. Lists become tuples. Every
filter gets ``language=<tokenizer>``; when datatrove's own tokenizer table does not map that code to
``spacy.blank(<code>)`` (datatrove 0.10.1 maps ``ms`` to its ThaiTokenizer, because the last
``ms``-script row of ``tokenizer_assignment.csv`` is ``msa,ms,Thai``), a ``SpaCyTokenizer(<code>)``
instance is passed instead, which is what a "spaCy language code" means; the report lists it.

What runs
---------
datatrove (in its venv, under ``nice``; this file's ``_datatrove`` sub-command): for every document and
each of the four filters, ``filter(copy.deepcopy(doc))`` with the document's config; the result is
keep, or drop with datatrove's reason string, or the exception it raised. C4's kept text (C4 edits
``doc.text``) is recorded. The pipeline decision runs the config's ``filters`` in order on one copy:
first drop wins, and C4's edited text is what later filters see. Results are cached in
``bench/out/parity/datatrove-<config>.jsonl``, keyed by the corpus sha256 and the sha256 of the
resolved configs, one line per document, appended as it goes: a re-run (or a larger ``--limit``) only
computes the missing documents, and saring is always re-run.

saring (``--saring``, never built here): ``saring clean INPUT --no-clean --quality --filters X
--quality-config <auto|default> --signals -o KEPT --rejected REJECTED --threads 1`` once per filter,
and once per distinct ``filters`` list (the documents are split by their config's list) for the
pipeline. Dropped records carry ``metadata.drop_stage`` and ``metadata.drop_reason``; kept records the
text after C4's line removal; both carry ``metadata.quality_signals`` (printed for disagreements).

Comparison: per filter and for the pipeline, by language: identical keep/drop decisions, identical
reasons among documents both drop, identical kept text among documents both keep (C4 and the
pipeline), confusion counts. Outputs: ``bench/out/parity/report-<config>.md`` (tables; every
disagreement class (filter, datatrove outcome, saring outcome) with its count and up to 3 example ids
with both sides' reasons and saring's signals) and ``bench/out/parity/disagreements-<config>.jsonl``
(all of them). Headline numbers are printed. ``--limit N`` uses the first N records of the corpus.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out" / "parity"
FILTERS = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]
SHORT = {"gopher_repetition": "gopher_rep", "gopher_quality": "gopher_qual", "c4_quality": "c4",
         "fineweb_quality": "fineweb", "pipeline": "pipeline"}
LANG_CONFIG = {"en": "eng_Latn", "id": "ind_Latn", "ms": "zsm_Latn", "jv": "jav_Latn",
               "su": "sun_Latn", "min": "min_Latn"}
LANG_ORDER = ["en", "id", "ms", "jv", "su", "min"]
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "HF_HUB_DISABLE_TELEMETRY": "1", "TOKENIZERS_PARALLELISM": "false",
               "PYTHONHASHSEED": "0"}
DT_DEFAULT_CONFIG = {"name": "datatrove-defaults", "file": None, "sha256": None, "tokenizer": "en",
                     "filters": list(FILTERS), "tables": {}}


sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup_eval import machine_info as harness_machine_info, read_jsonl  # noqa: E402  (shared helpers)
from dedup_speed import sha256_file  # noqa: E402


# ---------------------------------------------------------------------------
# Configs (stdlib only; also imported by the datatrove worker)
# ---------------------------------------------------------------------------
def load_config(path: Path) -> dict:
    import tomllib
    raw = path.read_bytes()
    d = tomllib.loads(raw.decode("utf-8"))
    filters = list(d.get("filters", []))
    bad = [f for f in filters if f not in FILTERS]
    if bad:
        raise SystemExit(f"{path}: unknown filter names {bad}")
    tables = {f: d[f] for f in FILTERS if isinstance(d.get(f), dict)}
    if "tokenizer" not in d:
        raise SystemExit(f"{path}: no top-level 'tokenizer'")
    return {"name": d.get("name", path.stem), "file": str(path.relative_to(REPO)) if path.is_relative_to(REPO)
            else str(path), "sha256": hashlib.sha256(raw).hexdigest(), "tokenizer": d["tokenizer"],
            "filters": filters, "tables": tables}


def resolve_configs(rules: Path, mode: str, languages: set[str]) -> tuple[dict, dict, list[str]]:
    """Return (configs by key, config key by language, notes)."""
    notes: list[str] = []
    default_path = rules / "default.toml"
    if default_path.exists():
        default = load_config(default_path)
        default_key = "default"
    else:
        default = DT_DEFAULT_CONFIG
        default_key = "datatrove-defaults"
        notes.append(f"`{default_path.relative_to(REPO) if default_path.is_relative_to(REPO) else default_path}` "
                     "is missing: datatrove's constructor defaults (tokenizer `en`, FineWeb order) stand in "
                     "for default.toml.")
    configs = {default_key: default}
    by_lang = {}
    for lang in sorted(languages):
        if mode == "default":
            by_lang[lang] = default_key
            continue
        stem = LANG_CONFIG.get(lang)
        path = rules / f"{stem}.toml" if stem else None
        if path is not None and path.exists():
            configs[stem] = load_config(path)
            by_lang[lang] = stem
        else:
            by_lang[lang] = default_key
            notes.append(f"language `{lang}`: " + (f"`{stem}.toml` is missing" if stem else "no config mapped")
                         + f", so it uses {default_key}.")
    for key, c in configs.items():
        missing = [f for f in FILTERS if f not in c["tables"]]
        if c["file"] and missing:
            notes.append(f"`{c['file']}` has no table for {', '.join(missing)}: datatrove's defaults are used "
                         "for it when that filter runs alone.")
    return configs, by_lang, notes


def dt_kwargs(fname: str, table: dict) -> tuple[dict, list[str]]:
    """TOML table -> datatrove constructor kwargs (0 = disabled, spelt the way datatrove understands)."""
    kw, notes = {}, []
    for k, v in table.items():
        zero = isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0
        if k in ("top_n_grams", "dup_n_grams"):
            if isinstance(v, list):
                pairs = tuple((int(n), float(f)) for n, f in v if f)
                if len(pairs) != len(v):
                    notes.append(f"{fname}.{k}: [n, 0] pairs removed")
                v = pairs
            elif zero:
                v = ()
        elif isinstance(v, list):
            v = tuple(v) if k == "stop_chars" else list(v)
        elif zero:
            if fname in ("gopher_repetition", "gopher_quality"):
                v = None
            elif fname == "c4_quality" and k in ("min_num_sentences", "min_words_per_line", "max_word_length"):
                v = -1
            elif fname == "fineweb_quality" and k in ("short_line_thr", "char_duplicates_ratio", "new_line_ratio"):
                v = float("inf")
            if v != 0:
                notes.append(f"{fname}.{k} = 0 -> {v!r}")
        kw[k] = v
    return kw, notes


def plan_digest(configs: dict, by_lang: dict) -> str:
    return hashlib.sha256(json.dumps({"configs": configs, "by_lang": by_lang}, sort_keys=True)
                          .encode()).hexdigest()


# ---------------------------------------------------------------------------
# datatrove worker (runs inside the datatrove venv)
# ---------------------------------------------------------------------------
def run_datatrove_worker(plan_path: str) -> None:
    import importlib.metadata as md

    from datatrove.data import Document
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter)
    from datatrove.utils.word_tokenizers import SpaCyTokenizer, load_word_tokenizer

    plan = json.loads(Path(plan_path).read_text())
    classes = {"gopher_repetition": GopherRepetitionFilter, "gopher_quality": GopherQualityFilter,
               "c4_quality": C4QualityFilter, "fineweb_quality": FineWebQualityFilter}

    tok_cache: dict[str, object] = {}

    def language_arg(code: str):
        if code not in tok_cache:
            try:
                t = load_word_tokenizer(code)
                ok = isinstance(t, SpaCyTokenizer) and t.language == code
            except Exception:
                ok = False
            tok_cache[code] = code if ok else SpaCyTokenizer(code)
        return tok_cache[code]

    instances: dict[str, dict[str, object]] = {}
    for key, c in plan["configs"].items():
        instances[key] = {}
        for f in FILTERS:
            kw, _ = dt_kwargs(f, c["tables"].get(f, {}))
            instances[key][f] = classes[f](language=language_arg(c["tokenizer"]), **kw)

    def outcome(flt, doc) -> dict:
        try:
            res = flt.filter(doc)
        except Exception as e:  # datatrove would crash the pipeline here; record it
            return {"keep": None, "reason": None, "error": f"{type(e).__name__}: {str(e)[:200]}"}
        if isinstance(res, tuple):
            return {"keep": bool(res[0]), "reason": res[1]}
        return {"keep": bool(res), "reason": None}

    cache = Path(plan["cache"])
    want = set(plan["ids"])
    todo = [r for r in read_jsonl(Path(plan["corpus"])) if r["id"] in want]
    print(f"datatrove: {len(todo)} documents to run, tokenizers: "
          + ", ".join(f"{k}={'code' if isinstance(v, str) else 'SpaCyTokenizer(' + k + ')'}"
                      for k, v in tok_cache.items()), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    with open(cache, "a", encoding="utf-8") as out:
        for i, r in enumerate(todo):
            t1 = time.perf_counter()
            lang = (r.get("metadata") or {}).get("language")
            key = plan["by_lang"].get(lang) or plan["fallback"]
            inst = instances[key]
            base = Document(text=r["text"], id=r["id"], metadata=copy.deepcopy(r.get("metadata") or {}))
            res = {}
            for f in FILTERS:
                d = copy.deepcopy(base)
                o = outcome(inst[f], d)
                if f == "c4_quality" and o["keep"]:
                    o["text"] = d.text
                res[f] = o
            # the sequential pipeline: first drop wins; C4's edit carries into later filters
            d = copy.deepcopy(base)
            pipe = {"keep": True, "stage": None, "reason": None}
            edited = False
            for f in plan["configs"][key]["filters"]:
                if not edited:
                    o = dict(res[f])
                    if f == "c4_quality" and o["keep"]:
                        d.text = o["text"]
                        edited = d.text != base.text
                else:
                    o = outcome(inst[f], d)
                if o.get("error"):
                    pipe = {"keep": None, "stage": f, "reason": None, "error": o["error"]}
                    break
                if not o["keep"]:
                    pipe = {"keep": False, "stage": f, "reason": o["reason"]}
                    break
            if pipe["keep"]:
                pipe["text"] = d.text
            out.write(json.dumps({"id": r["id"], "config": key, "filters": res, "pipeline": pipe,
                                  "secs": round(time.perf_counter() - t1, 4)}, ensure_ascii=False) + "\n")
            out.flush()
            if (i + 1) % 200 == 0 or i + 1 == len(todo):
                el = time.perf_counter() - t0
                print(f"  {i + 1}/{len(todo)} docs, {el:.0f} s, {(i + 1) / el:.1f} docs/s",
                      file=sys.stderr, flush=True)
    print(json.dumps({"datatrove": md.version("datatrove"), "spacy": md.version("spacy"),
                      "tokenizers": {k: "code" if isinstance(v, str) else "SpaCyTokenizer"
                                     for k, v in tok_cache.items()}}))


# ---------------------------------------------------------------------------
# Running both sides
# ---------------------------------------------------------------------------
def datatrove_results(args, corpus: Path, corpus_sha: str, ids: list[str], configs: dict, by_lang: dict,
                      fallback: str) -> tuple[dict, dict]:
    cache = OUT / f"datatrove-{args.config}.jsonl"
    digest = plan_digest(configs, by_lang)
    header = {"_header": True, "corpus_sha256": corpus_sha, "plan_sha256": digest, "config": args.config}
    cached: dict[str, dict] = {}
    if cache.exists():
        rows = list(read_jsonl(cache))
        h = rows[0] if rows and rows[0].get("_header") else {}
        if all(h.get(k) == header[k] for k in ("corpus_sha256", "plan_sha256")):
            cached = {r["id"]: r for r in rows[1:]}
            header = h
        else:
            print(f"datatrove cache {cache.name} is for another corpus or config: starting afresh",
                  file=sys.stderr)
    if not cached:
        cache.write_text(json.dumps(header) + "\n", encoding="utf-8")
    missing = [i for i in ids if i not in cached]
    if missing:
        if not Path(args.dt_python).exists():
            raise SystemExit(f"no datatrove interpreter at {args.dt_python} (run bench/setup_peers.sh)")
        plan = {"corpus": str(corpus), "ids": missing, "cache": str(cache),
                "configs": configs, "by_lang": by_lang, "fallback": fallback}
        plan_path = OUT / f"datatrove-{args.config}.plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        cmd = ["nice", "-n", "10", str(args.dt_python), str(Path(__file__).resolve()), "_datatrove",
               str(plan_path)]
        env = dict(os.environ)
        env.update(OFFLINE_ENV)
        print("$ " + shlex.join(cmd), file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise SystemExit(f"datatrove worker failed (rc={p.returncode})")
        versions = json.loads(p.stdout.strip().splitlines()[-1])
        rows = list(read_jsonl(cache))
        header = rows[0]
        header.update(versions)
        header["last_run"] = {"docs": len(missing), "wall_s": round(time.perf_counter() - t0, 1)}
        cached = {r["id"]: r for r in rows[1:]}
        with open(cache, "w", encoding="utf-8") as fh:  # rewrite the header with the versions
            fh.write(json.dumps(header) + "\n")
            for r in rows[1:]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return {i: cached[i] for i in ids}, header


def saring_outcomes(kept: Path, rejected: Path, want_stage: str | None) -> dict[str, dict]:
    res = {}
    for r in read_jsonl(kept):
        md = r.get("metadata") or {}
        res[r["id"]] = {"keep": True, "reason": None, "stage": None, "text": r.get("text"),
                        "signals": md.get("quality_signals")}
    for r in read_jsonl(rejected):
        md = r.get("metadata") or {}
        o = {"keep": False, "reason": md.get("drop_reason"), "stage": md.get("drop_stage"),
             "signals": md.get("quality_signals")}
        if want_stage and o["stage"] != want_stage:
            o["note"] = f"drop_stage {o['stage']!r}"
        res[r["id"]] = o
    return res


def run_saring(args, rows: list[dict], configs: dict, by_lang: dict, fallback: str, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    inp = work / "input.jsonl"
    with open(inp, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    qc = "default" if args.config == "default" else "auto"
    runs: list[tuple[str, Path, str]] = [(f, inp, f) for f in FILTERS]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        key = by_lang.get((r.get("metadata") or {}).get("language")) or fallback
        groups[tuple(configs[key]["filters"])].append(r)
    for k, (flist, grp) in enumerate(sorted(groups.items())):
        if not flist:
            continue
        p = inp if len(groups) == 1 else work / f"input-pipeline-{k}.jsonl"
        if p != inp:
            with open(p, "w", encoding="utf-8") as fh:
                for r in grp:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        runs.append(("pipeline", p, ",".join(flist)))
    out: dict[str, dict] = {f: {} for f in FILTERS + ["pipeline"]}
    cmds, walls = [], defaultdict(float)
    for k, (what, path, flist) in enumerate(runs):
        kept, rej = work / f"kept-{what}-{k}.jsonl", work / f"rejected-{what}-{k}.jsonl"
        cmd = [str(args.saring), "clean", str(path), "--no-clean", "--quality", "--filters", flist,
               "--quality-config", qc, "--signals", "-o", str(kept), "--rejected", str(rej),
               "--threads", "1"]
        cmds.append(shlex.join(cmd))
        print("$ " + cmds[-1], file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        walls[what] += time.perf_counter() - t0
        if p.returncode != 0:
            raise SystemExit(f"saring failed (rc={p.returncode}):\n{p.stderr[-3000:]}")
        out[what].update(saring_outcomes(kept, rej, what if what != "pipeline" else None))
    return {"results": out, "cmds": cmds, "walls": dict(walls)}


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------
def label(o: dict | None, pipeline: bool = False) -> str:
    if o is None:
        return "missing"
    if o.get("error"):
        return "error:" + o["error"].split(":")[0]
    if o["keep"]:
        return "keep"
    return (f"{o.get('stage')}:" if pipeline else "") + str(o.get("reason"))


def first_diff(a: str, b: str) -> str:
    la, lb = a.split("\n"), b.split("\n")
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {i + 1}: datatrove {x[:120]!r} / saring {y[:120]!r}"
    return f"line counts {len(la)} / {len(lb)}"


def compare(rows: list[dict], dt: dict, sr: dict, configs: dict) -> tuple[dict, list[dict]]:
    """stats[what][lang] -> Counter; disagreements list."""
    stats: dict[str, dict[str, Counter]] = {w: defaultdict(Counter) for w in FILTERS + ["pipeline"]}
    dis = []
    for r in rows:
        md = r.get("metadata") or {}
        lang, src = md.get("language"), md.get("source")
        d = dt[r["id"]]
        for what in FILTERS + ["pipeline"]:
            a = d["pipeline"] if what == "pipeline" else d["filters"][what]
            b = sr[what].get(r["id"])
            la, lb = label(a, what == "pipeline"), label(b, what == "pipeline")
            c = Counter()
            c["docs"] += 1
            c["dt_drop"] += a.get("keep") is False
            c["dt_error"] += bool(a.get("error"))
            kind = None
            if b is None:
                c["sr_missing"] += 1
                kind = "missing"
            else:
                c["sr_drop"] += b["keep"] is False
                if a.get("keep") is None:
                    c["other"] += 1
                    kind = "datatrove-error"
                elif a["keep"] and b["keep"]:
                    c["both_keep"] += 1
                    c["same"] += 1
                    if "text" in a:
                        c["text_n"] += 1
                        if a["text"] == b.get("text"):
                            c["text_same"] += 1
                        else:
                            kind = "text"
                elif not a["keep"] and not b["keep"]:
                    c["both_drop"] += 1
                    c["same"] += 1
                    same_reason = a.get("reason") == b.get("reason") and (
                        what != "pipeline" or a.get("stage") == b.get("stage"))
                    c["same_reason"] += same_reason
                    if not same_reason:
                        kind = "reason"
                elif a["keep"]:
                    c["dt_keep_sr_drop"] += 1
                    kind = "decision"
                else:
                    c["dt_drop_sr_keep"] += 1
                    kind = "decision"
            stats[what][lang].update(c)
            stats[what]["all"].update(c)
            if kind:
                e = {"id": r["id"], "language": lang, "source": src, "filter": what, "kind": kind,
                     "config": d["config"], "datatrove": la, "saring": lb,
                     "saring_signals": (b or {}).get("signals")}
                if b is not None and b.get("note"):
                    e["saring_note"] = b["note"]
                if kind == "text":
                    e["text_diff"] = first_diff(a["text"], b.get("text") or "")
                dis.append(e)
    return stats, dis


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}" if d else "-"


def langs_of(stats_w: dict) -> list[str]:
    return ["all"] + [l for l in LANG_ORDER if l in stats_w] + sorted(l for l in stats_w if l not in LANG_ORDER + ["all"])


def table_parity(stats: dict, what: str) -> list[str]:
    s = stats[what]
    text = what in ("c4_quality", "pipeline")
    head = ("| lang | docs | datatrove drop % | saring drop % | same decision % | both keep | both drop "
            "| dt keep / saring drop | dt drop / saring keep | dt error / saring missing | same reason % (both drop)")
    head += " | same kept text % (both keep) |" if text else " |"
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for l in langs_of(s):
        c = s[l]
        row = (f"| {l} | {c['docs']} | {pct(c['dt_drop'], c['docs'])} | {pct(c['sr_drop'], c['docs'])} | "
               f"{pct(c['same'], c['docs'])} | {c['both_keep']} | {c['both_drop']} | {c['dt_keep_sr_drop']} | "
               f"{c['dt_drop_sr_keep']} | {c['dt_error']} / {c['sr_missing']} | "
               f"{pct(c['same_reason'], c['both_drop'])}")
        row += f" | {pct(c['text_same'], c['text_n'])} |" if text else " |"
        out.append(row)
    return out


def datatrove_tables(rows: list[dict], dt: dict) -> list[str]:
    by = {w: defaultdict(Counter) for w in FILTERS + ["pipeline"]}
    reasons = {w: Counter() for w in FILTERS + ["pipeline"]}
    for r in rows:
        lang = (r.get("metadata") or {}).get("language")
        d = dt[r["id"]]
        for w in FILTERS + ["pipeline"]:
            o = d["pipeline"] if w == "pipeline" else d["filters"][w]
            for l in ("all", lang):
                by[w][l]["docs"] += 1
                by[w][l]["drop"] += o.get("keep") is False
                by[w][l]["error"] += bool(o.get("error"))
            if o.get("keep") is not True:
                reasons[w][label(o, w == "pipeline")] += 1
    langs = langs_of(by["pipeline"])
    out = ["| filter | " + " | ".join(f"{l} drop %" for l in langs) + " | errors |",
           "|---|" + "---:|" * (len(langs) + 1)]
    for w in FILTERS + ["pipeline"]:
        out.append(f"| {w} | " + " | ".join(f"{pct(by[w][l]['drop'], by[w][l]['docs'])} ({by[w][l]['docs']})"
                                           if by[w][l]["docs"] else "-" for l in langs)
                   + f" | {by[w]['all']['error']} |")
    out += ["", "Drop reasons (all languages):", ""]
    for w in FILTERS + ["pipeline"]:
        out.append(f"- {w}: " + ", ".join(f"`{k}` {v}" for k, v in reasons[w].most_common()))
    return out


def fmt_signals(s) -> str:
    if s is None:
        return "-"
    t = json.dumps(s, ensure_ascii=False, sort_keys=True)
    return t if len(t) <= 600 else t[:600] + "…"


def disagreement_section(dis: list[dict]) -> list[str]:
    if not dis:
        return ["No disagreements."]
    classes: dict[tuple, list[dict]] = defaultdict(list)
    for e in dis:
        classes[(e["filter"], e["kind"], e["datatrove"], e["saring"])].append(e)
    order = {w: i for i, w in enumerate(FILTERS + ["pipeline"])}
    out = ["| filter | kind | datatrove | saring | count | by language |", "|---|---|---|---|---:|---|"]
    keys = sorted(classes, key=lambda k: (order[k[0]], -len(classes[k]), k))
    for k in keys:
        langs = Counter(e["language"] for e in classes[k])
        out.append(f"| {k[0]} | {k[1]} | `{k[2]}` | `{k[3]}` | {len(classes[k])} | "
                   + ", ".join(f"{l} {n}" for l, n in langs.most_common()) + " |")
    out.append("")
    for k in keys:
        out.append(f"### {k[0]}: {k[1]}, datatrove `{k[2]}` vs saring `{k[3]}` ({len(classes[k])})")
        out.append("")
        for e in classes[k][:3]:
            extra = f"; {e['text_diff']}" if e.get("text_diff") else ""
            extra += f"; {e['saring_note']}" if e.get("saring_note") else ""
            out.append(f"- `{e['id']}` ({e['language']}, {e['source']}, config {e['config']}): datatrove "
                       f"`{e['datatrove']}`, saring `{e['saring']}`{extra}; saring signals: "
                       f"`{fmt_signals(e['saring_signals'])}`")
        out.append("")
    return out


# ---------------------------------------------------------------------------
def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_datatrove":
        run_datatrove_worker(argv[1])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", choices=["auto", "default"], default="auto")
    ap.add_argument("--corpus", type=Path, default=OUT / "corpus-seed1.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="only the first N records of the corpus")
    ap.add_argument("--saring", type=Path, default=REPO / "target" / "release" / "saring")
    ap.add_argument("--dt-python", default=str(BENCH / "venv-datatrove" / "bin" / "python"))
    ap.add_argument("--rules", type=Path, default=REPO / "crates" / "saring" / "rules" / "quality")
    ap.add_argument("--datatrove-only", action="store_true",
                    help="run (or read from the cache) the datatrove side only and report its drop rates")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}: run python3 bench/make_parity_set.py")
    OUT.mkdir(parents=True, exist_ok=True)
    info = harness_machine_info(SimpleNamespace(saring=args.saring, dt_python=args.dt_python, td_python=None))

    corpus_sha = sha256_file(args.corpus)
    rows = list(read_jsonl(args.corpus))
    if args.limit:
        rows = rows[:args.limit]
    ids = [r["id"] for r in rows]
    languages = {(r.get("metadata") or {}).get("language") for r in rows}
    configs, by_lang, notes = resolve_configs(args.rules, args.config, languages)
    fallback = "default" if "default" in configs else "datatrove-defaults"
    kw_notes = []
    for key, c in configs.items():
        n = [x for f in FILTERS for x in dt_kwargs(f, c["tables"].get(f, {}))[1]]
        if n:
            kw_notes.append(f"`{key}` passed to datatrove as: " + "; ".join(n))

    dt, header = datatrove_results(args, args.corpus, corpus_sha, ids, configs, by_lang, fallback)
    dt_secs = sum(dt[i].get("secs", 0) for i in ids)

    sar = None
    if not args.datatrove_only:
        if args.saring.exists():
            sar = run_saring(args, rows, configs, by_lang, fallback, OUT / f"work-{args.config}")
        else:
            notes.append(f"saring binary `{args.saring}` not found: saring side not run (build it, then re-run; "
                         "the datatrove side is cached).")

    tag = args.config + (f"-limit{args.limit}" if args.limit else "")
    report = OUT / f"report-{tag}.md"
    dis_path = OUT / f"disagreements-{tag}.jsonl"
    cmdline = "python3 bench/parity.py " + shlex.join(argv)
    md = [f"# Quality-filter parity: saring vs datatrove {header.get('datatrove', '0.10.1')} (`--config {args.config}`)",
          "", f"Command: `{cmdline.strip()}`", "", "## Set-up", "",
          f"- corpus: `{args.corpus}` (sha256 {corpus_sha[:16]}...), {len(rows)} documents"
          + (f" (first {args.limit})" if args.limit else "") + ": "
          + ", ".join(f"{l} {n}" for l, n in Counter((r.get('metadata') or {}).get('language') for r in rows).most_common()),
          f"- datatrove {header.get('datatrove', '?')}, spaCy {header.get('spacy', '?')}, run under `nice` in "
          f"`{args.dt_python}` with {' '.join(f'{k}={v}' for k, v in OFFLINE_ENV.items())}; "
          f"{len(ids) / dt_secs:.1f} docs/s for the four filters plus the pipeline ({dt_secs:.0f} s summed per-document time)"
          if dt_secs else "- datatrove: cached", *info, "", "Configs:", ""]
    for key, c in configs.items():
        langs = sorted(l for l, k in by_lang.items() if k == key)
        if not langs:
            continue
        md.append(f"- `{key}` ({c['file'] or 'built-in'}{', sha256 ' + c['sha256'][:12] if c['sha256'] else ''}): "
                  f"tokenizer `{c['tokenizer']}`, pipeline {' → '.join(c['filters']) or '(empty)'}; "
                  f"languages {', '.join(langs) or '-'}")
    toks = header.get("tokenizers", {})
    kw_notes += [f"tokenizer `{k}`: datatrove's table does not map it to spacy.blank(\"{k}\"), so "
                 f"`SpaCyTokenizer(\"{k}\")` is passed as `language`" for k, v in toks.items() if v != "code"]
    if notes or kw_notes:
        md += ["", "Notes:", ""] + [f"- {n}" for n in notes + kw_notes]
    md += ["", "## datatrove decisions", "", "Drop % by language (documents in brackets):", ""]
    md += datatrove_tables(rows, dt)

    if sar is not None:
        stats, dis = compare(rows, dt, sar["results"], configs)
        with open(dis_path, "w", encoding="utf-8") as fh:
            for e in dis:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
        md += ["", "## saring commands", ""] + [f"- `{c}`" for c in sar["cmds"]]
        md += ["", "saring wall time (s): " + ", ".join(f"{k} {v:.2f}" for k, v in sar["walls"].items())]
        md += ["", "## Parity", ""]
        head = ["| filter | same decision % | same reason % (both drop) | same kept text % | datatrove drop % | saring drop % |",
                "|---|---:|---:|---:|---:|---:|"]
        for w in FILTERS + ["pipeline"]:
            c = stats[w]["all"]
            head.append(f"| {w} | {pct(c['same'], c['docs'])} | {pct(c['same_reason'], c['both_drop'])} | "
                        f"{pct(c['text_same'], c['text_n']) if w in ('c4_quality', 'pipeline') else ''} | "
                        f"{pct(c['dt_drop'], c['docs'])} | {pct(c['sr_drop'], c['docs'])} |")
        md += head
        for w in FILTERS + ["pipeline"]:
            md += ["", f"### {w}", ""] + table_parity(stats, w)
        md += ["", "## Disagreements", "",
               f"All {len(dis)} are in `{dis_path.relative_to(REPO)}`. Kinds: `decision` (keep vs drop), `reason` "
               "(both drop, different reason or pipeline stage), `text` (both keep, different kept text), "
               "`missing` (no saring record), `datatrove-error` (datatrove raised).", ""]
        md += disagreement_section(dis)
        print("\n".join(head))
        print(f"{len(dis)} disagreements -> {dis_path}")
    report.write_text("\n".join(md) + "\n", encoding="utf-8")
    if sar is None:
        print("\n".join(datatrove_tables(rows, dt)))
    print(f"report: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
