#!/usr/bin/env python3
"""Scoring harness for HTML main-content extraction, matching the published benchmark metrics.

Why this file exists: extraction quality numbers are only comparable with the numbers other
projects publish if they come from the *same* metric, with the same tokenisation and the same
special cases. This script re-implements the published metrics (from their descriptions, using
only the Python standard library) and checks itself against the published AEB table
(``validate-aeb``) before it is used to score our own extractor.

Usage (from anywhere; data is read from ../shared/data next to the repository):

    python3 bench/extract_eval.py validate-aeb [--n-bootstrap 1000] [--seed 0]
    python3 bench/extract_eval.py list  --set aeb|wcxb|readability
    python3 bench/extract_eval.py score --set aeb|wcxb|readability --pred PRED.jsonl \\
                                        [--name NAME] [--json-out FILE]

``list`` prints ``id<TAB>path-to-html.gz`` for every page of a set. ``PRED.jsonl`` has one JSON
object per line with at least ``id`` (AEB: the page's file stem, the 64-hex name without
``.html.gz``; WCXB: the file stem in ``dev/html``; readability: the test-case directory name) and
``text`` (the extracted main text). Pages without a line count as empty predictions; how many were
missing is reported. As a library (with bench/ on ``sys.path``)::

    from extract_eval import score_aeb, score_wcxb, score_readability
    result = score_aeb({"<id>": "text", ...})      # dict of metrics

The three sets and where their metric definitions come from:

* **AEB** - Scrapinghub/Zyte Article Extraction Benchmark, github.com/scrapinghub/
  article-extraction-benchmark, ``evaluate.py`` (data snapshot at commit 4a3bc97, described in
  ../shared/data/scrapinghub-aeb/SOURCE.md; published table in that repository's ``README.rst``).
  181 news/blog pages from 2019 with hand-annotated article bodies.
  Tokens are ``\\w+`` matches (Unicode, case kept). A text becomes the multiset of its 4-token
  shingles (windows of 4 consecutive tokens); a text with 1-3 tokens gives a single shorter
  shingle of all its tokens, a text with no tokens gives none. Per page, TP = sum over shingles of
  min(gold count, predicted count), FP = predicted excess, FN = gold excess, and (TP, FP, FN) are
  divided by their sum so that long pages do not weigh more. Page precision = TP/(TP+FP) and page
  recall = TP/(TP+FN), except: FP = FN = 0 gives 1 for both; TP = FP = 0 gives precision 0;
  TP = FN = 0 gives recall 0. Reported precision is the mean over pages with TP+FP > 0 (so an
  empty prediction does not lower precision, only recall), recall the mean over pages with
  TP+FN > 0, and F1 the harmonic mean of those two means (not a mean of page F1s). Accuracy is the
  share of pages whose full token list equals the gold token list. The "±" values are the sample
  standard deviation over 1000 bootstrap resamples of pages (with replacement). Upstream draws the
  resamples from Python's unseeded global RNG, so its published "±" values differ from run to run
  in the third decimal; here the RNG is seeded (``--seed``), so ours are deterministic and agree
  with the published ones to within 0.002. Point values (P, R, F1, accuracy) are exact.
* **WCXB** - Web Content eXtraction Benchmark (Foley 2026), github.com/Murrough-Foley/
  web-content-extraction-benchmark, ``evaluate.py`` (snapshot at commit c039d5e, described in
  ../shared/data/wcxb/SOURCE.md). 1,497 dev pages from 2025 in 7 page types; the gold text is
  LLM-drafted and human-reviewed. Tokens are ``\\w+`` matches of the lower-cased text; per page a
  bag-of-words overlap = sum over words of min(predicted count, gold count), P = overlap / number
  of predicted tokens, R = overlap / number of gold tokens, F1 = 2PR/(P+R) (0 when P+R = 0). Empty
  gold gives 1/1/1 for an empty prediction and 0/0/0 otherwise; an empty prediction against
  non-empty gold gives 0/0/0. Reported P, R and F1 are plain means over pages (F1 is the mean of
  page F1s). Snippet rates: per page, the share of the gold ``with`` snippets (which must appear)
  and of the ``without`` snippets (boilerplate, should not appear) that occur in the prediction as
  case-insensitive substrings; averaged over pages. Upstream scores a page with an *empty* snippet
  list as 1.0 for that list, also for ``without`` (15 dev pages have no ``without`` snippets, so
  they count as fully leaked); ``without`` is reproduced that way for comparability, and
  ``without_rate_listed`` gives the same average over only the pages that have ``without``
  snippets. 21 dev pages have an empty gold ``main_content``; by the rule above any non-empty
  prediction scores 0 on them (so an all-empty submission gets F1 0.014). Page type is
  ``_internal.page_type.primary`` (``category`` read as ``collection``, absent read as
  ``article``, as upstream).
* **readability** - Mozilla Readability.js regression fixtures, github.com/mozilla/readability,
  ``test/test-pages/<case>/{source,expected}.html`` (snapshot described in
  ../shared/data/mozilla-readability/SOURCE.md). ``expected.html`` is *Readability.js's own
  output* as accepted by its maintainers, not independent human gold, so the score here measures
  AGREEMENT WITH READABILITY.JS, not correctness. The expected HTML is turned into text with the
  standard-library ``html.parser`` (block-level elements and ``<br>`` become line breaks, table
  cells are separated, scripts/styles dropped, entities decoded) and compared with the WCXB
  bag-of-words P/R/F1 above (no snippets, no page types).

Exit status: 0 on success; ``validate-aeb`` exits 1 if any tool's point values differ from the
published table; 2 if ../shared/data is absent (with a message saying so) or PRED.jsonl is
unreadable or malformed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Mapping

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = REPO.parent / "shared" / "data"

SETS = ("aeb", "wcxb", "readability")
SHINGLE_N = 4
N_BOOTSTRAP = 1000
DEFAULT_SEED = 0
PAGE_TYPES = ("article", "service", "product", "collection", "forum", "listing", "documentation")

WORD_RE = re.compile(r"\w+")

# Published AEB results (README.rst of scrapinghub/article-extraction-benchmark at the staged
# commit): tool -> (F1, P, R, accuracy, F1 std, P std, R std, accuracy std). newspaper is
# newspaper4k 0.9.3.1 and the 2019 tools (AutoExtract, Diffbot, boilerpipe, dragnet) come from
# the README's earlier tables; all were computed with the same evaluate.py.
PUBLISHED_AEB = {
    "AutoExtract": (0.970, 0.984, 0.956, 0.470, 0.005, 0.002, 0.010, 0.037),
    "Diffbot": (0.951, 0.958, 0.944, 0.348, 0.010, 0.009, 0.013, 0.038),
    "beautifulsoup": (0.665, 0.499, 0.994, 0.000, 0.015, 0.017, 0.001, 0.000),
    "boilerpipe": (0.860, 0.850, 0.870, 0.006, 0.016, 0.016, 0.020, 0.006),
    "boilerpipe_rs": (0.739, 0.761, 0.717, 0.000, 0.022, 0.022, 0.027, 0.000),
    "dom_smoothie": (0.865, 0.785, 0.963, 0.055, 0.008, 0.012, 0.005, 0.018),
    "dragnet": (0.907, 0.925, 0.889, 0.221, 0.014, 0.013, 0.019, 0.030),
    "go_domdistiller": (0.927, 0.901, 0.956, 0.061, 0.007, 0.010, 0.010, 0.018),
    "go_readability": (0.934, 0.900, 0.971, 0.188, 0.009, 0.011, 0.009, 0.029),
    "go_trafilatura": (0.960, 0.940, 0.980, 0.287, 0.007, 0.009, 0.006, 0.033),
    "goose3": (0.896, 0.940, 0.856, 0.232, 0.015, 0.013, 0.020, 0.032),
    "html-text": (0.665, 0.500, 0.994, 0.000, 0.015, 0.017, 0.001, 0.000),
    "html2text": (0.662, 0.499, 0.983, 0.000, 0.016, 0.018, 0.002, 0.000),
    "inscriptis": (0.679, 0.517, 0.992, 0.000, 0.015, 0.018, 0.001, 0.000),
    "justext": (0.804, 0.858, 0.756, 0.088, 0.018, 0.016, 0.028, 0.021),
    "news_please": (0.948, 0.964, 0.933, 0.326, 0.008, 0.008, 0.011, 0.034),
    "newspaper": (0.949, 0.964, 0.934, 0.326, 0.008, 0.008, 0.011, 0.033),
    "readability": (0.922, 0.913, 0.931, 0.315, 0.013, 0.014, 0.015, 0.034),
    "readability_js": (0.947, 0.914, 0.982, 0.166, 0.005, 0.008, 0.003, 0.028),
    "readability_rs": (0.873, 0.906, 0.843, 0.227, 0.017, 0.015, 0.023, 0.031),
    "rs_trafilatura": (0.970, 0.951, 0.990, 0.287, 0.004, 0.006, 0.003, 0.032),
    "trafilatura": (0.958, 0.938, 0.978, 0.293, 0.006, 0.009, 0.006, 0.034),
}
# The 2019 outputs carry no version in the file; these are the README's version column.
README_VERSIONS = {"AutoExtract": "Nov 2019", "Diffbot": "Nov 2019", "boilerpipe": "ab3694d",
                   "dragnet": "1b65e7b", "news_please": "1.6.16", "newspaper": "0.9.3.1"}


class DataMissing(Exception):
    """The shared data folder (or a file in it) is not there."""


# --------------------------------------------------------------------------- paths and loading

def data_dir(override: Path | None = None) -> Path:
    root = Path(override) if override else DATA
    if not root.is_dir():
        raise DataMissing(f"benchmark data folder {root} is absent (expected ../shared/data next to "
                          f"the repository {REPO}); nothing to evaluate")
    return root


def require(path: Path) -> Path:
    if not path.exists():
        raise DataMissing(f"{path} is absent; the shared benchmark data is incomplete")
    return path


def read_json_gz(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def stem(path: Path) -> str:
    """``0001.html.gz`` -> ``0001``."""
    return path.name.split(".", 1)[0]


def set_pages(which: str, root: Path | None = None) -> dict[str, Path]:
    """id -> path of the gzipped input HTML, for every page of a set, sorted by id."""
    base = data_dir(root)
    if which == "aeb":
        paths = require(base / "scrapinghub-aeb" / "html").glob("*.html.gz")
        pages = {stem(p): p for p in paths}
    elif which == "wcxb":
        paths = require(base / "wcxb" / "dev" / "html").glob("*.html.gz")
        pages = {stem(p): p for p in paths}
    elif which == "readability":
        cases = require(base / "mozilla-readability" / "test-pages").iterdir()
        pages = {c.name: c / "source.html.gz" for c in cases if (c / "source.html.gz").exists()}
    else:
        raise ValueError(f"unknown set {which!r}; expected one of {', '.join(SETS)}")
    return dict(sorted(pages.items()))


def load_predictions(path: Path) -> dict[str, str]:
    """Read PRED.jsonl: one {"id": ..., "text": ...} object per line (null text = empty)."""
    preds: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON ({exc})") from None
            if not isinstance(obj, dict) or "id" not in obj:
                raise ValueError(f"{path}:{lineno}: object has no 'id'")
            text = obj.get("text") or ""
            if not isinstance(text, str):
                raise ValueError(f"{path}:{lineno}: 'text' is not a string")
            key = str(obj["id"])
            if key in preds:
                raise ValueError(f"{path}:{lineno}: duplicate id {key!r}")
            preds[key] = text
    return preds


def align(gold_ids: Iterable[str],
          predictions: Mapping[str, str | None]) -> tuple[dict[str, str], list[str], list[str]]:
    """Predictions for exactly the gold ids (missing -> ""), plus the missing and unknown ids."""
    gold_ids = list(gold_ids)
    known = set(gold_ids)
    missing = [k for k in gold_ids if k not in predictions]
    extra = sorted(k for k in predictions if k not in known)
    aligned = {k: predictions.get(k) or "" for k in gold_ids}
    return aligned, missing, extra


# --------------------------------------------------------------------------- AEB metric

def aeb_tokens(text: str | None) -> list[str]:
    return WORD_RE.findall(text or "")


def shingles(tokens: list[str], n: int = SHINGLE_N) -> Counter:
    """Multiset of n-token windows; 1..n-1 tokens give one short shingle, none give nothing."""
    if not tokens:
        return Counter()
    if len(tokens) <= n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_match(gold: str, pred: str) -> tuple[float, float, float]:
    """(TP, FP, FN) over 4-gram shingles, divided by their sum when it is positive."""
    g, p = shingles(aeb_tokens(gold)), shingles(aeb_tokens(pred))
    tp = float(sum((g & p).values()))
    fp = float(sum((p - g).values()))
    fn = float(sum((g - p).values()))
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return tp, fp, fn


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def mean_or_zero(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def aeb_page_scores(triple: tuple[float, float, float]) -> tuple[float | None, float | None]:
    """Page precision and recall, or None where the page is left out of that mean."""
    tp, fp, fn = triple
    p = page_precision(tp, fp, fn) if tp + fp > 0 else None
    r = page_recall(tp, fp, fn) if tp + fn > 0 else None
    return p, r


def aeb_aggregate(pages: list[tuple[float | None, float | None, float]]) -> dict[str, float]:
    """P, R (means over included pages), F1 (harmonic mean of the two), accuracy (mean)."""
    precision = mean_or_zero([p for p, _, _ in pages if p is not None])
    recall = mean_or_zero([r for _, r, _ in pages if r is not None])
    accuracy = mean_or_zero([a for _, _, a in pages])
    return {"f1": harmonic(precision, recall), "precision": precision,
            "recall": recall, "accuracy": accuracy}


def bootstrap_std(pages: list, aggregate, n_bootstrap: int, seed: int) -> dict[str, float]:
    """Sample std of each aggregate metric over resamples of pages with replacement."""
    rng = random.Random(seed)
    n = len(pages)
    draws: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        sample = [pages[i] for i in rng.choices(range(n), k=n)]
        for key, value in aggregate(sample).items():
            draws.setdefault(key, []).append(value)
    return {f"{k}_std": (statistics.stdev(v) if len(v) > 1 else 0.0) for k, v in draws.items()}


def load_aeb_gold(root: Path | None = None) -> dict[str, str]:
    path = require(data_dir(root) / "scrapinghub-aeb" / "ground-truth.json")
    with open(path, encoding="utf-8") as fh:
        gold = json.load(fh)
    return {k: (v.get("articleBody") or "") for k, v in gold.items()}


def aeb_tools(root: Path | None = None) -> list[str]:
    folder = require(data_dir(root) / "scrapinghub-aeb" / "reference-outputs")
    return sorted((stem(p) for p in folder.glob("*.json.gz")), key=str.lower)


def load_aeb_reference(tool: str, root: Path | None = None) -> tuple[dict[str, str], str | None]:
    """A published tool output as id -> text, and its version if the file is wrapped."""
    obj = read_json_gz(require(data_dir(root) / "scrapinghub-aeb" / "reference-outputs" / f"{tool}.json.gz"))
    version = None
    if isinstance(obj, dict) and set(obj) == {"version", "output"}:
        version, obj = str(obj["version"]), obj["output"]
    return {k: (v.get("articleBody") or "") for k, v in obj.items()}, version


def score_aeb(predictions: Mapping[str, str | None], n_bootstrap: int = N_BOOTSTRAP,
              seed: int = DEFAULT_SEED, root: Path | None = None, gold: Mapping[str, str] | None = None) -> dict:
    """AEB precision/recall/F1/accuracy (+ bootstrap std) of id -> text predictions."""
    gold = gold if gold is not None else load_aeb_gold(root)
    preds, missing, extra = align(gold, predictions)
    pages, per_page = [], []
    for key, gold_text in gold.items():
        triple = shingle_match(gold_text, preds[key])
        p, r = aeb_page_scores(triple)
        exact = float(aeb_tokens(gold_text) == aeb_tokens(preds[key]))
        pages.append((p, r, exact))
        per_page.append({"id": key, "precision": p, "recall": r, "exact": bool(exact),
                         "tp_fp_fn": list(triple), "missing": key not in predictions})
    result = aeb_aggregate(pages)
    result.update(bootstrap_std(pages, aeb_aggregate, n_bootstrap, seed))
    result.update({"set": "aeb", "n_pages": len(gold), "n_missing": len(missing), "missing_ids": missing,
                   "n_unknown_ids": len(extra), "n_bootstrap": n_bootstrap, "seed": seed,
                   "pages": per_page})
    return result


# --------------------------------------------------------------------------- bag-of-words metric (WCXB)

def word_tokens(text: str | None) -> list[str]:
    return WORD_RE.findall((text or "").lower())


def bag_of_words_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Per-page word-bag precision, recall, F1 with WCXB's empty-text rules."""
    p_tok, g_tok = word_tokens(pred), word_tokens(gold)
    if not g_tok:
        return (1.0, 1.0, 1.0) if not p_tok else (0.0, 0.0, 0.0)
    if not p_tok:
        return 0.0, 0.0, 0.0
    overlap = sum((Counter(p_tok) & Counter(g_tok)).values())
    precision, recall = overlap / len(p_tok), overlap / len(g_tok)
    return precision, recall, harmonic(precision, recall)


def snippet_rate(text: str, snippets: list[str]) -> float:
    """Share of snippets found as case-insensitive substrings; an empty list scores 1.0 (upstream)."""
    if not snippets:
        return 1.0
    haystack = text.lower()
    return sum(1 for s in snippets if s.lower() in haystack) / len(snippets)


def wcxb_page_type(record: dict) -> str:
    page_type = (record.get("_internal") or {}).get("page_type", "article")
    if isinstance(page_type, dict):
        page_type = page_type.get("primary", "article")
    elif not isinstance(page_type, str):
        page_type = "article"
    return "collection" if page_type == "category" else page_type


def load_wcxb_gold(root: Path | None = None, split: str = "dev") -> dict[str, dict]:
    folder = require(data_dir(root) / "wcxb" / split / "ground-truth")
    gold = {}
    for path in sorted(folder.glob("*.json.gz")):
        record = read_json_gz(path)
        truth = record.get("ground_truth")
        if not isinstance(truth, dict):
            continue
        gold[stem(path)] = {"main_content": truth.get("main_content") or "",
                            "with": truth.get("with") or [], "without": truth.get("without") or [],
                            "page_type": wcxb_page_type(record)}
    return gold


def mean_of(rows: list[dict], key: str) -> float:
    return mean_or_zero([r[key] for r in rows if r.get(key) is not None])


def summarise_bow(rows: list[dict]) -> dict:
    return {"n": len(rows), "precision": mean_of(rows, "precision"),
            "recall": mean_of(rows, "recall"), "f1": mean_of(rows, "f1")}


def score_wcxb(predictions: Mapping[str, str | None], root: Path | None = None,
               gold: Mapping[str, dict] | None = None) -> dict:
    """WCXB dev-split P/R/F1 (means of page values), per page type, and snippet rates."""
    gold = gold if gold is not None else load_wcxb_gold(root)
    preds, missing, extra = align(gold, predictions)
    rows = []
    for key, g in gold.items():
        p, r, f = bag_of_words_prf(preds[key], g["main_content"])
        rows.append({"id": key, "page_type": g["page_type"], "precision": p, "recall": r, "f1": f,
                     "with_rate": snippet_rate(preds[key], g["with"]),
                     "without_rate": snippet_rate(preds[key], g["without"]),
                     "without_listed": snippet_rate(preds[key], g["without"]) if g["without"] else None,
                     "missing": key not in predictions})
    result = {"set": "wcxb", **summarise_bow(rows)}
    result.update({"with_rate": mean_of(rows, "with_rate"), "without_rate": mean_of(rows, "without_rate"),
                   "without_rate_listed": mean_of(rows, "without_listed"),
                   "n_pages": len(rows), "n_missing": len(missing), "missing_ids": missing,
                   "n_unknown_ids": len(extra)})
    by_type = {}
    for page_type in PAGE_TYPES + tuple(sorted({r["page_type"] for r in rows} - set(PAGE_TYPES))):
        subset = [r for r in rows if r["page_type"] == page_type]
        if subset:
            by_type[page_type] = {**summarise_bow(subset), "with_rate": mean_of(subset, "with_rate"),
                                  "without_rate": mean_of(subset, "without_rate")}
    result["by_type"] = by_type
    result["pages"] = rows
    return result


# --------------------------------------------------------------------------- Readability.js fixtures

BLOCK_TAGS = frozenset("""address article aside blockquote body caption center dd details dialog dir div dl dt
fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main
menu nav noframes ol optgroup option p pre section summary table tbody tfoot thead tr ul""".split())
CELL_TAGS = frozenset(("td", "th"))
SKIP_TAGS = frozenset(("script", "style", "template", "noscript", "head", "title"))
VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())


class TextExtractor(HTMLParser):
    """HTML -> text: block boundaries and <br> become newlines, cells get tabs, scripts dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS and tag not in VOID_TAGS:
            self.skip_depth += 1
        elif tag == "br" or tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append("\t")
        if tag == "pre":
            self.pre_depth += 1

    def handle_startendtag(self, tag, attrs):
        if tag == "br" or tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in CELL_TAGS:
            self.parts.append("\t")
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data):
        if self.skip_depth:
            return
        self.parts.append(data if self.pre_depth else re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    parser = TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


def load_readability_gold(root: Path | None = None) -> dict[str, str]:
    folder = require(data_dir(root) / "mozilla-readability" / "test-pages")
    gold = {}
    for case in sorted(folder.iterdir()):
        expected = case / "expected.html.gz"
        if expected.exists():
            with gzip.open(expected, "rt", encoding="utf-8") as fh:
                gold[case.name] = html_to_text(fh.read())
    return gold


def score_readability(predictions: Mapping[str, str | None], root: Path | None = None,
                      gold: Mapping[str, str] | None = None) -> dict:
    """Bag-of-words agreement with Readability.js's expected output (NOT human gold)."""
    gold = gold if gold is not None else load_readability_gold(root)
    preds, missing, extra = align(gold, predictions)
    rows = []
    for key, gold_text in gold.items():
        p, r, f = bag_of_words_prf(preds[key], gold_text)
        rows.append({"id": key, "precision": p, "recall": r, "f1": f, "missing": key not in predictions})
    result = {"set": "readability", "note": "agreement with Readability.js expected output, not gold",
              **summarise_bow(rows)}
    result.update({"n_pages": len(rows), "n_missing": len(missing), "missing_ids": missing,
                   "n_unknown_ids": len(extra), "pages": rows})
    return result


# --------------------------------------------------------------------------- reporting

def pm(value: float, std: float) -> str:
    return f"{value:.3f} ± {std:.3f}"


def aeb_header() -> str:
    return f"{'tool':<16} {'version':<10} {'F1':<14} {'precision':<14} {'recall':<14} {'accuracy':<14}"


def aeb_row(name: str, version: str, m: dict) -> str:
    return (f"{name:<16} {version:<10} {pm(m['f1'], m['f1_std']):<14} {pm(m['precision'], m['precision_std']):<14} "
            f"{pm(m['recall'], m['recall_std']):<14} {pm(m['accuracy'], m['accuracy_std']):<14}")


def compare_published(name: str, m: dict) -> tuple[bool, float]:
    """(point values equal the published ones at 3 decimals, largest |std - published std|)."""
    pub = PUBLISHED_AEB.get(name)
    if pub is None:
        return False, float("nan")
    keys = ("f1", "precision", "recall", "accuracy")
    same = all(f"{m[k]:.3f}" == f"{v:.3f}" for k, v in zip(keys, pub[:4]))
    std_gap = max(abs(round(m[f"{k}_std"], 3) - v) for k, v in zip(keys, pub[4:]))
    return same, std_gap


def validate_aeb(n_bootstrap: int, seed: int) -> int:
    gold = load_aeb_gold()
    results = []
    for tool in aeb_tools():
        preds, version = load_aeb_reference(tool)
        if set(preds) != set(gold):
            print(f"warning: {tool} output ids differ from ground truth", file=sys.stderr)
        m = score_aeb(preds, n_bootstrap=n_bootstrap, seed=seed, gold=gold)
        results.append((tool, version or README_VERSIONS.get(tool, "?"), m))
    results.sort(key=lambda t: (-round(t[2]["f1"], 3), t[0].lower()))
    print(f"AEB: {len(gold)} pages, {n_bootstrap} bootstrap resamples, seed {seed}; sorted by F1")
    print(aeb_header() + "  published (F1 P R acc)       match  |Δstd|")
    mismatches = 0
    for tool, version, m in results:
        same, gap = compare_published(tool, m)
        pub = PUBLISHED_AEB.get(tool)
        pub_txt = " ".join(f"{v:.3f}" for v in pub[:4]) if pub else "-"
        mismatches += not same
        print(f"{aeb_row(tool, version, m)}  {pub_txt:<28} {'ok' if same else 'DIFF':<6} {gap:.3f}")
    print(f"{len(results) - mismatches}/{len(results)} tools reproduce the published point values exactly")
    return 0 if mismatches == 0 else 1


def print_bow_table(title: str, rows: dict[str, dict], snippets: bool) -> None:
    head = f"  {title:<14} {'n':>5} {'F1':>7} {'P':>7} {'R':>7}"
    print(head + (f" {'with%':>7} {'w/o%':>7}" if snippets else ""))
    for name, s in rows.items():
        line = f"  {name:<14} {s['n']:>5} {s['f1']:>7.3f} {s['precision']:>7.3f} {s['recall']:>7.3f}"
        if snippets:
            line += f" {100 * s['with_rate']:>6.1f}% {100 * s['without_rate']:>6.1f}%"
        print(line)


def report(which: str, name: str, result: dict) -> None:
    missing = f"{result['n_missing']} of {result['n_pages']} pages had no prediction (scored as empty)"
    unknown = ""
    if result["n_unknown_ids"]:
        unknown = f"; {result['n_unknown_ids']} prediction ids are not in the set (ignored)"
    if which == "aeb":
        print(f"AEB ({result['n_pages']} pages, {result['n_bootstrap']} bootstrap resamples, seed {result['seed']})")
        print(aeb_header())
        print(aeb_row(name, "-", result))
    elif which == "wcxb":
        print(f"WCXB dev ({result['n_pages']} pages): P/R/F1 are means of per-page values")
        print_bow_table("set", {name: result}, snippets=True)
        print(f"  with snippets found {100 * result['with_rate']:.1f}% (higher is better); without snippets found "
              f"{100 * result['without_rate']:.1f}% (lower is better; upstream rule) / "
              f"{100 * result['without_rate_listed']:.1f}% over pages that list any")
        print("Per page type:")
        print_bow_table("type", result["by_type"], snippets=True)
    else:
        print(f"Readability.js fixtures ({result['n_pages']} pages): AGREEMENT with Readability.js output, not gold")
        print_bow_table("set", {name: result}, snippets=False)
    print(missing + unknown)


def cmd_list(args) -> int:
    for key, path in set_pages(args.set).items():
        print(f"{key}\t{path}")
    return 0


def cmd_score(args) -> int:
    preds = load_predictions(args.pred)
    name = args.name or args.pred.stem
    if args.set == "aeb":
        result = score_aeb(preds, n_bootstrap=args.n_bootstrap, seed=args.seed)
    elif args.set == "wcxb":
        result = score_wcxb(preds)
    else:
        result = score_readability(preds)
    result["name"] = name
    report(args.set, name, result)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate-aeb", help="score the 22 published AEB outputs and compare with the README table")
    lst = sub.add_parser("list", help="print id<TAB>path-to-html.gz for every page of a set")
    lst.add_argument("--set", choices=SETS, required=True)
    sc = sub.add_parser("score", help="score a PRED.jsonl of {id, text} lines")
    sc.add_argument("--set", choices=SETS, required=True)
    sc.add_argument("--pred", type=Path, required=True)
    sc.add_argument("--name", help="label for the table (default: file stem of --pred)")
    sc.add_argument("--json-out", type=Path, help="write the metrics and per-page values as JSON")
    for p in (val, sc):
        p.add_argument("--n-bootstrap", type=int, default=N_BOOTSTRAP, help="AEB bootstrap resamples")
        p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="AEB bootstrap RNG seed")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate-aeb":
            return validate_aeb(args.n_bootstrap, args.seed)
        if args.command == "list":
            return cmd_list(args)
        return cmd_score(args)
    except DataMissing as exc:
        print(f"extract_eval: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # unreadable or malformed PRED.jsonl
        print(f"extract_eval: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
