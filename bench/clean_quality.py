#!/usr/bin/env python3
"""Cleaning-quality benchmark for the `saring` release binary.

Usage (from anywhere; paths are resolved relative to this file):

    python3 bench/clean_quality.py

Two things are measured, with the existing binary only (target/release/saring;
nothing is compiled):

1. False positives on clean gold text.
   The inputs are human-curated *clean* texts: WCXB gold ``main_content`` (per
   page type, ``_internal.page_type.primary``), the Scrapinghub
   article-extraction-benchmark (AEB) gold ``articleBody``, Indonesian tweets
   (IndoNLU emot), Indonesian reviews (IndoNLU smsa), single NusaX sentences,
   and multi-sentence documents of 5-8 consecutive NusaX sentences (one
   paragraph per sentence).  Gold text has no boilerplate, so every non-blank
   line that ``saring explain`` does not keep is a mistake.  The only
   exceptions are lines lifted into metadata that belong there: the title
   (WCXB docs start with their gold title) and a date line among the first
   three non-blank lines.  Reported per set: docs, non-blank lines, % of
   non-blank lines removed, % of characters lost (stripped line lengths), docs
   losing more than 20% of their characters, docs dropped whole (from
   ``saring clean --rejected``) and the count of removed lines per reason.

2. Recall on inserted junk.
   Every AEB gold document gets (a) one paragraph from another AEB article
   (the document half-way round the list), inserted after half of its own
   paragraphs but never before the second one, which should be judged
   ``off-topic``; and (b) three short search-query lines at the end
   (Indonesian and English, written below), which should be judged
   ``seo-keywords``.  Recall = share of inserted lines given that reason.
   Collateral damage = original lines removed in the injected documents,
   next to the same count on the clean documents.

Everything is deterministic: inputs are built in a fixed order, the only
randomness (NusaX document lengths) uses a fixed seed, and insertion positions
and query choices depend only on the document index.

Inputs and raw outputs go to bench/out/quality/ (git-ignored); the Markdown
report is printed and written to bench/out/quality/report.md.  If the data
folder (../shared/data next to the repository) is absent, the script prints
SKIP and exits 0.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import glob
import gzip
import hashlib
import json
import os
import random
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "out" / "quality"
BIN = REPO / "target" / "release" / "saring"

WCXB_GLOB = DATA / "wcxb" / "dev" / "ground-truth" / "*.json.gz"
AEB_JSON = DATA / "scrapinghub-aeb" / "ground-truth.json"
EMOT_CSV = DATA / "indonlu-subset" / "emot_emotion-twitter" / "train_preprocess.csv"
SMSA_TSV = DATA / "indonlu-subset" / "smsa_doc-sentiment-prosa" / "train_preprocess.tsv"
NUSAX_CSV = DATA / "nusax-mt" / "train.csv"

NUSAX_DOC_SEED = 1          # random.Random(seed).randint(5, 8) sentences per doc
BIG_LOSS = 0.20             # "doc loses > 20% of its characters"
FIRST_LINES = 3             # a date line lifted from the first 3 non-blank lines is fine

# Search-query lines appended to the injected AEB documents (should be `seo-keywords`).
ID_QUERIES = [
    "cara menyimpan tomat", "harga emas hari ini", "resep nasi goreng kampung",
    "jadwal kereta bandara soekarno hatta", "kredit motor tanpa dp",
    "promo tiket pesawat murah", "cara membuat kue lapis", "lowongan kerja jakarta terbaru",
    "hp android murah terbaik", "obat batuk anak alami", "jual rumah subsidi bekasi",
    "cara daftar bpjs online", "tips memilih kasur busa", "harga pupuk urea per karung",
    "model baju kerja wanita",
]
EN_QUERIES = [
    "best running shoes 2025", "cheap flights to bali", "how to lose belly fat",
    "used cars for sale near me", "best vpn for streaming", "car insurance quotes online",
    "what is the best air fryer", "home loan interest rates", "wedding dress ideas",
    "free online photo editor", "iphone 16 price in india", "dog food for puppies",
]
# Alternate Indonesian / English, then the remaining Indonesian ones (27 queries).
QUERY_POOL = [q for pair in zip(ID_QUERIES, EN_QUERIES) for q in pair] + ID_QUERIES[len(EN_QUERIES):]
QUERIES_PER_DOC = 3


# --------------------------------------------------------------------------- inputs

def write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def load_wcxb() -> tuple[list[dict], dict[str, str]]:
    """Gold title + main_content per page; returns records and id -> page type."""
    records, types = [], {}
    for p in sorted(glob.glob(str(WCXB_GLOB))):
        with gzip.open(p, "rt", encoding="utf-8") as f:
            d = json.load(f)
        gt = d["ground_truth"]
        title = (gt.get("title") or "").strip()
        body = gt.get("main_content") or ""
        doc_id = "wcxb-" + d.get("file_id", os.path.basename(p)[:4])
        types[doc_id] = d.get("_internal", {}).get("page_type", {}).get("primary", "?")
        records.append({"id": doc_id, "text": f"{title}\n\n{body}" if title else body})
    return records, types


def load_aeb() -> list[dict]:
    with open(AEB_JSON, encoding="utf-8") as f:
        d = json.load(f)
    return [{"id": "aeb-" + k[:12], "text": v["articleBody"]} for k, v in d.items() if v.get("articleBody")]


def load_emot() -> list[dict]:
    with open(EMOT_CSV, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [{"id": f"emot-{i}", "text": r["tweet"]} for i, r in enumerate(rows)]


def load_smsa() -> list[dict]:
    with open(SMSA_TSV, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return [{"id": f"smsa-{i}", "text": r[0]} for i, r in enumerate(rows) if r and r[0]]


def nusax_sentences() -> list[str]:
    with open(NUSAX_CSV, encoding="utf-8", newline="") as f:
        return [r["indonesian"] for r in csv.DictReader(f)]


def load_nusax() -> list[dict]:
    return [{"id": f"nusax-{i}", "text": s} for i, s in enumerate(nusax_sentences())]


def load_nusax_docs() -> list[dict]:
    """Consecutive NusaX sentences, 5-8 per doc (seeded), one paragraph each."""
    sents, rng, docs, i = nusax_sentences(), random.Random(NUSAX_DOC_SEED), [], 0
    while i < len(sents):
        n = rng.randint(5, 8)
        docs.append({"id": f"nusaxdoc-{len(docs)}", "text": "\n\n".join(sents[i:i + n])})
        i += n
    return docs


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def donor_paragraph(paras: list[str]) -> str:
    """The paragraph of >= 25 words nearest the middle (else the longest)."""
    cand = [k for k, p in enumerate(paras) if len(p.split()) >= 25]
    if not cand:
        cand = [max(range(len(paras)), key=lambda k: len(paras[k]))]
    mid = len(paras) / 2
    return paras[min(cand, key=lambda k: abs(k - mid))]


def build_injected(docs: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    """AEB docs with a foreign paragraph in the middle and 3 query lines at the end.

    Returns records and, per id, the 1-based input line numbers of the inserted
    paragraph and queries (paragraphs are joined by blank lines, so paragraph k
    (0-based) is on line 2k+1).
    """
    split = [(d["id"], paragraphs(d["text"])) for d in docs]
    n, records, meta = len(split), [], {}
    for i, (doc_id, paras) in enumerate(split):
        inserted = donor_paragraph(split[(i + n // 2) % n][1])
        pos = min(max(2, (len(paras) + 1) // 2), len(paras))
        queries = [QUERY_POOL[(QUERIES_PER_DOC * i + t) % len(QUERY_POOL)] for t in range(QUERIES_PER_DOC)]
        body = paras[:pos] + [inserted] + paras[pos:]
        text = "\n\n".join(body) + "\n\n" + "\n".join(queries)
        first_query = 2 * len(body) + 1
        records.append({"id": doc_id, "text": text})
        meta[doc_id] = {
            "para_line": 2 * pos + 1,
            "para": inserted,
            "query_lines": list(range(first_query, first_query + len(queries))),
            "queries": queries,
        }
    return records, meta


# --------------------------------------------------------------------------- running saring

def rel(p: Path) -> str:
    return str(p.relative_to(REPO))


def run(cmd: list[str], stdout_path: Path | None = None) -> None:
    with open(stdout_path, "w", encoding="utf-8") if stdout_path else open(os.devnull, "w") as out:
        res = subprocess.run(cmd, cwd=REPO, stdout=out, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.exit(f"error: `{shlex.join(cmd)}` failed ({res.returncode}):\n{res.stderr}")


def explain(name: str) -> dict[str, list[dict]]:
    """`saring explain FILE --json` -> id -> rows in line order."""
    out = OUT / f"{name}.explain.jsonl"
    run([rel(BIN), "explain", rel(OUT / f"{name}.jsonl"), "--json"], out)
    docs: dict[str, list[dict]] = collections.OrderedDict()
    with open(out, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            docs.setdefault(r["id"], []).append(r)
    return docs


def dropped_docs(name: str) -> dict[str, str]:
    """`saring clean FILE -o ... --rejected ...` -> id -> drop_reason of dropped docs."""
    rej = OUT / f"{name}.rejected.jsonl"
    run([rel(BIN), "clean", rel(OUT / f"{name}.jsonl"), "-o", rel(OUT / f"{name}.clean.jsonl"),
         "--rejected", rel(rej)])
    out = {}
    if rej.exists():
        with open(rej, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                out[r["id"]] = (r.get("metadata") or {}).get("drop_reason") or "?"
    return out


# --------------------------------------------------------------------------- scoring

def nonblank(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["text"].strip()]


def removed_lines(rows: list[dict]) -> list[dict]:
    """Non-blank lines not kept, except a title or a first-lines date lifted to metadata."""
    nb = nonblank(rows)
    first = {r["line"] for r in nb[:FIRST_LINES]}
    out = []
    for r in nb:
        if r["verdict"] == "keep":
            continue
        if r["verdict"] == "metadata" and (r["field"] == "title" or (r["reason"] == "date-line" and r["line"] in first)):
            continue
        out.append(r)
    return out


def fp_stats(docs: dict[str, list[dict]], ids: list[str], dropped: dict[str, str]) -> dict:
    s = {"docs": len(ids), "lines": 0, "removed": 0, "chars": 0, "lost": 0, "docs_fp": 0,
         "docs_big": 0, "dropped": collections.Counter(), "reasons": collections.Counter()}
    for i in ids:
        nb, rm = nonblank(docs[i]), removed_lines(docs[i])
        chars = sum(len(r["text"].strip()) for r in nb)
        lost = sum(len(r["text"].strip()) for r in rm)
        s["lines"] += len(nb)
        s["removed"] += len(rm)
        s["chars"] += chars
        s["lost"] += lost
        s["docs_fp"] += bool(rm)
        s["docs_big"] += bool(chars) and lost / chars > BIG_LOSS
        s["reasons"].update(r["reason"] for r in rm)
        if i in dropped:
            s["dropped"][dropped[i]] += 1
    return s


def pct(a: int, b: int, digits: int = 2) -> str:
    return f"{100 * a / b:.{digits}f}%" if b else "–"


def fp_row(label: str, s: dict) -> str:
    drop = sum(s["dropped"].values())
    drop_s = str(drop) + (" (" + ", ".join(f"{k} {v}" for k, v in s["dropped"].most_common()) + ")" if drop else "")
    return (f"| {label} | {s['docs']} | {s['lines']} | {s['removed']} | **{pct(s['removed'], s['lines'])}** "
            f"| {pct(s['lost'], s['chars'])} | {s['docs_fp']} ({pct(s['docs_fp'], s['docs'], 1)}) "
            f"| {s['docs_big']} ({pct(s['docs_big'], s['docs'], 1)}) | {drop_s} |")


FP_HEADER = ("| set | docs | non-blank lines | removed | % lines removed | % chars lost "
             "| docs with a removal | docs > 20% chars lost | docs dropped |\n"
             "|---|---:|---:|---:|---:|---:|---:|---:|---|")


def reasons_str(c: collections.Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in c.most_common()) or "none"


def score_injection(docs: dict[str, list[dict]], meta: dict[str, dict]) -> dict:
    para = collections.Counter()
    query = {"id": collections.Counter(), "en": collections.Counter()}
    id_set = set(ID_QUERIES)
    collateral = orig_lines = mismatched = 0
    for doc_id, m in meta.items():
        by_line = {r["line"]: r for r in docs[doc_id]}
        p = by_line[m["para_line"]]
        mismatched += p["text"].strip() != m["para"].strip()
        para[p["reason"] or "kept"] += 1
        for ln, q in zip(m["query_lines"], m["queries"]):
            r = by_line[ln]
            mismatched += r["text"].strip() != q
            query["id" if q in id_set else "en"][r["reason"] or "kept"] += 1
        injected = {m["para_line"], *m["query_lines"]}
        orig = [r for r in nonblank(docs[doc_id]) if r["line"] not in injected]
        orig_lines += len(orig)
        collateral += sum(r["verdict"] != "keep" for r in orig)
    if mismatched:
        sys.exit(f"error: {mismatched} injected lines were not found at their expected line numbers")
    return {"docs": len(meta), "para": para, "query": query, "collateral": collateral, "orig_lines": orig_lines}


# --------------------------------------------------------------------------- provenance

def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def provenance() -> list[str]:
    """The binary embeds no commit id, so report HEAD and the newest commit not newer than the binary."""
    mtime = BIN.stat().st_mtime
    built = dt.datetime.fromtimestamp(mtime, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    h = hashlib.sha256()
    with open(BIN, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = " (+ uncommitted changes to tracked files)" if git("status", "--porcelain", "--untracked-files=no") else ""
    head_time = int(git("log", "-1", "--format=%ct", "HEAD") or 0)
    lines = [f"- binary: `{rel(BIN)}`, built {built}, sha256 `{h.hexdigest()[:16]}`",
             f"- git HEAD: `{head}`{dirty}"]
    if head_time > mtime:
        before = git("log", "-1", "--format=%h %s", f"--before=@{int(mtime)}", "HEAD") or "?"
        lines.append(f"- HEAD was committed after the binary was built; newest commit not newer than the binary: "
                     f"`{before[:90]}`")
    return lines


# --------------------------------------------------------------------------- main

def main() -> int:
    if not DATA.is_dir():
        print(f"SKIP: data folder {DATA} not found; nothing measured.")
        return 0
    if not BIN.is_file():
        print(f"error: {BIN} not found; build the release binary first.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    # Clean gold sets: (name, label, loader). A set whose source file is missing is skipped.
    sets = [
        ("wcxb", "WCXB gold main_content (all types)", WCXB_GLOB.parent, None),
        ("aeb", "AEB gold articleBody", AEB_JSON, load_aeb),
        ("emot", "IndoNLU emot tweets", EMOT_CSV, load_emot),
        ("smsa", "IndoNLU smsa reviews", SMSA_TSV, load_smsa),
        ("nusax", "NusaX sentences", NUSAX_CSV, load_nusax),
        ("nusaxdoc", "NusaX docs (5–8 sentences)", NUSAX_CSV, load_nusax_docs),
    ]
    wcxb_types: dict[str, str] = {}
    results, skipped, all_docs, all_dropped = {}, [], {}, {}
    for name, label, src, loader in sets:
        if not src.exists():
            skipped.append(f"{label} ({src} missing)")
            continue
        if name == "wcxb":
            records, wcxb_types = load_wcxb()
        else:
            records = loader()
        write_jsonl(OUT / f"{name}.jsonl", records)
        docs = explain(name)
        all_docs[name], all_dropped[name] = docs, dropped_docs(name)
        results[name] = (label, fp_stats(docs, list(docs), all_dropped[name]))

    inj = None
    if "aeb" in all_docs:
        records, meta = build_injected(load_aeb())
        write_jsonl(OUT / "aeb-injected.jsonl", records)
        with open(OUT / "aeb-injected.meta.json", "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False, indent=1)
        inj = score_injection(explain("aeb-injected"), meta)
    elapsed = time.perf_counter() - t0

    # ---- report
    md = ["# saring cleaning quality", "",
          f"Command: `python3 {rel(Path(__file__).resolve())}` (run from `{REPO}`), {elapsed:.1f} s.",
          "Per set: `target/release/saring explain bench/out/quality/SET.jsonl --json` and "
          "`target/release/saring clean bench/out/quality/SET.jsonl -o bench/out/quality/SET.clean.jsonl "
          "--rejected bench/out/quality/SET.rejected.jsonl`.", ""]
    md += provenance()
    md += ["", "## False positives on clean gold text", "",
           "Gold text is clean, so every removed non-blank line is an error "
           "(except a title, or a date in the first 3 non-blank lines, lifted into metadata).", "",
           FP_HEADER]
    md += [fp_row(label, s) for label, s in results.values()]
    if skipped:
        md += ["", "Skipped: " + "; ".join(skipped)]
    if "wcxb" in all_docs:
        by_type = collections.defaultdict(list)
        for i in all_docs["wcxb"]:
            by_type[wcxb_types.get(i, "?")].append(i)
        md += ["", "### WCXB per page type", "", FP_HEADER]
        stats_by_type = [(t, fp_stats(all_docs["wcxb"], ids, all_dropped["wcxb"])) for t, ids in
                         sorted(by_type.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
        md += [fp_row(t, s) for t, s in stats_by_type]
    md += ["", "### Removed lines per reason", ""]
    md += [f"- {label}: {reasons_str(s['reasons'])}" for label, s in results.values()]
    if "wcxb" in all_docs:
        md += [f"- WCXB {t}: {reasons_str(s['reasons'])}" for t, s in stats_by_type]

    if inj:
        n, p, q = inj["docs"], inj["para"], inj["query"]
        q_all = q["id"] + q["en"]
        q_tot = sum(q_all.values())
        base = results["aeb"][1]["removed"]
        md += ["", "## Recall on junk inserted into AEB docs", "",
               f"{n} AEB docs, each with one paragraph from another AEB article inserted mid-document "
               f"and {QUERIES_PER_DOC} query lines appended (queries from a pool of {len(QUERY_POOL)}: "
               f"{len(ID_QUERIES)} Indonesian, {len(EN_QUERIES)} English).", "",
               "| inserted | expected reason | hit | recall | verdicts |", "|---|---|---:|---:|---|",
               f"| foreign paragraph | off-topic | {p['off-topic']}/{n} | **{pct(p['off-topic'], n, 1)}** "
               f"| {reasons_str(p)} |",
               f"| query lines (all) | seo-keywords | {q_all['seo-keywords']}/{q_tot} "
               f"| **{pct(q_all['seo-keywords'], q_tot, 1)}** | {reasons_str(q_all)} |"]
        for lang, label in (("id", "Indonesian"), ("en", "English")):
            t = sum(q[lang].values())
            md.append(f"| query lines ({label}) | seo-keywords | {q[lang]['seo-keywords']}/{t} "
                      f"| {pct(q[lang]['seo-keywords'], t, 1)} | {reasons_str(q[lang])} |")
        md += ["", f"Collateral: {inj['collateral']} of {inj['orig_lines']} original non-blank lines removed "
                   f"in the injected docs (clean AEB docs: {base} of {results['aeb'][1]['lines']})."]

    report = "\n".join(md) + "\n"
    (OUT / "report.md").write_text(report, encoding="utf-8")
    print(report)
    print(f"(written to {rel(OUT / 'report.md')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
