#!/usr/bin/env python3
"""Build the deterministic mixed corpus for the datatrove quality-filter parity harness (bench/parity.py).

Usage:
    python3 bench/make_parity_set.py [--seed 1] [--out bench/out/parity/corpus-seed1.jsonl]

Every output line is ``{"id", "text", "metadata": {"language", "source", ...}}``; ``language`` is an ISO
639-1 code (``min`` for Minangkabau, which has none) among en, id, ms, jv, su, min. It selects the
quality config in parity.py and in ``saring clean --quality-config auto``. The point of the set is
decisions of every kind: real prose, real extractor junk, glued pages of several shapes, repeated lines
and paragraphs, and very short texts, so that each of the four filters (Gopher repetition, Gopher
quality, C4, FineWeb) keeps some documents and drops others for several different reasons.

Recipe (paths relative to ../shared/data unless noted; counts are for the default arguments)
----------------------------------------------------------------------------------------------

English (``en``):

* ``wcxb-gold`` (1,000): WCXB dev gold ``ground_truth.main_content`` of a random sample of the 1,476
  non-empty pages (all seven page types: articles, but also product, listing, forum and service pages).
* ``aeb-gold`` (181): every scrapinghub AEB gold ``articleBody`` (a few pages are Portuguese, Russian,
  Korean...: AEB is "mostly English"; they stay labelled ``en``, as a crawler's per-site label would).
* ``aeb-<tool>`` (1,086): published extractor outputs of the same 181 real pages
  (``scrapinghub-aeb/reference-outputs/<tool>.json.gz``, 22 tools). For each page, 3 tools drawn from
  the junk-heavy whole-page converters (beautifulsoup, html-text, html2text, inscriptis, dom_smoothie:
  menus, footers, cookie banners, markdown link lists) and 3 from the other 17 (main-content
  extractors, whose errors are missing or extra blocks). Empty outputs are skipped.
* ``wcxb-htmltext`` (400 sampled; pages whose dump is empty, e.g. script-rendered ones, are skipped:
  392 with seed 1): a crude visible-text dump of WCXB dev HTML pages (``wcxb/dev/html``; WCXB
  ships no per-tool outputs, see its SOURCE.md), made here with the standard library's HTMLParser:
  script/style/noscript/svg/template skipped, a line break at every block element, whitespace runs
  folded, blank-line runs capped at one. This is navigation-and-footer-rich text like html-text's.
* ``bench-wcxb`` / ``bench-aeb`` (250 together): the first English pages of the benchmark corpus
  recipe (bench/make_corpus.py ``generate``, same seed): gold texts wrapped in written furniture.
* ``en-sentence`` (100): single sentences from ``lingua-testdata/.../sentences/en.txt``.

Indonesian (``id``):

* ``smsa`` / ``emot`` / ``nusax`` (1,300 together): the first Indonesian glued pages of the benchmark
  corpus recipe (``make_corpus.generate`` with ``--indo-share 0.6``; IndoNLU reviews, tweets and NusaX
  Indonesian sentences glued into pages with Indonesian furniture), taken from its output stream
  (``generate`` is run to 8 MB; its ``example`` records are not used).
* ``example`` (1): ``../shared/examples/000_47c8d720653f142a.txt`` verbatim (``make_corpus.load_example``).
* ``judol`` (600): YouTube comments from ``judol-youtube-comments/comments-dev.csv``, 300 gambling
  spam and 300 normal (``metadata.judol_label`` 1/0), one comment per document.
* ``id-sentence`` (100): single NusaX Indonesian sentences.

Malay (``ms``, 1,000 sentences of ``lingua-testdata/.../sentences/ms.txt``), Javanese (``jv``),
Sundanese (``su``) and Minangkabau (``min``) (columns ``javanese``, ``sundanese``, ``minangkabau`` of
``nusax-mt/{train,valid,test}.csv``, 1,000 sentences each): per language 420 glued pages
(``<lang>-page``) and 60 single sentences (``<lang>-sentence``). A glued page draws sentences from a
per-language deck (reshuffled when exhausted) and has one of these shapes (``metadata.shape``), with
weights in ``SHAPES``:

* ``short``: 1-3 sentences on one or several lines;
* ``paragraphs``: 4-14 sentences in paragraphs of 1-4 sentences separated by blank lines;
* ``long``: 20-60 sentences in paragraphs;
* ``lines``: 5-25 sentences, one per line;
* ``furniture``: a ``paragraphs`` page with a title line (first words of a sentence, no final
  punctuation) and 2-8 short menu-like lines (2-4 words of other sentences, no final punctuation);
* ``repeat-para``: a ``paragraphs``/``long`` page in which 1-3 paragraphs are repeated 1-4 times;
* ``repeat-line``: a ``lines`` page in which one sentence is repeated 3-10 times at random places;
* ``boilerplate``: a ``paragraphs`` page with the same short line (e.g. ``Baca juga``-like text) after
  every paragraph.

Variants (``<source>+<variant>``, ``metadata.variant``; 30 each, drawn from the English and Indonesian
pages above, same language label): ``crlf`` (every ``\n`` becomes ``\r\n``), ``trailing-space`` (half
the lines end in a space, two spaces or a tab), ``unicode-breaks`` (a third of the line breaks become
U+2028, form feed, U+0085 or a bare ``\r``, three ``. `` become ``.`` + no-break space, and a leading
``\n`` and trailing ``\n\n`` are added). datatrove splits lines three ways (``str.splitlines`` in
Gopher quality and C4, ``\n+`` in Gopher repetition, ``split("\n")`` in FineWeb), so these documents
test that a reimplementation splits the same way.

With seed 1: 7,010 documents (en 3,061, id 2,029, ms / jv / su / min 480 each), 36.7 MB of JSONL,
sha256 ac324dac560c508589eed4c16f45cb9d4381b641d3b0b4f0a7aa9de671219cd7. 28 of the WCXB HTML pages are
mojibake upstream (UTF-8 read as Latin-1: ``Â``, ``â€``); their dumps keep it, as crawled text would.

Ordering and determinism: inputs are read in sorted order, every random choice comes from one
``random.Random(seed)`` (make_corpus's stream gets its own ``random.Random(seed)`` inside ``generate``),
records are shuffled once at the end (so ``parity.py --limit N`` sees a mix) and numbered
``<lang>-<source>-<n>``. The same arguments give byte-identical output. Output: plain JSONL (default
``bench/out/parity/corpus-seed<S>.jsonl``, git-ignored) and ``<out>.manifest.json`` with the
arguments, counts per language and per (language, source) and the sha256 of the file. Data is read
from ../shared/data, never copied into the repository.
"""
from __future__ import annotations

import argparse
import csv
import glob
import gzip
import hashlib
import json
import os
import random
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import make_corpus  # noqa: E402  (the benchmark corpus recipe: loaders, Deck, first_words, generate)

DATA = make_corpus.DATA
OUT_DIR = BENCH / "out" / "parity"

JUNK_TOOLS = ["beautifulsoup", "dom_smoothie", "html-text", "html2text", "inscriptis"]

COUNTS = {
    "wcxb-gold": 1000,
    "aeb-tools-per-page": (3, 3),  # junk-heavy tools, other tools
    "wcxb-htmltext": 400,
    "bench-en": 250,
    "bench-id": 1300,
    "en-sentence": 100,
    "judol-per-label": 300,
    "id-sentence": 100,
    "local-pages": 420,
    "local-sentences": 60,
    "variants-each": 30,
}

SHAPES = [("short", 0.14), ("paragraphs", 0.22), ("long", 0.12), ("lines", 0.12),
          ("furniture", 0.12), ("repeat-para", 0.12), ("repeat-line", 0.08), ("boilerplate", 0.08)]


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------
def load_aeb_tool_outputs() -> dict[str, dict[str, str]]:
    """tool -> {page key -> articleBody} for the published extractor outputs."""
    out = {}
    for f in sorted(glob.glob(str(DATA / "scrapinghub-aeb/reference-outputs/*.json.gz"))):
        tool = Path(f).name.removesuffix(".json.gz")
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            d = json.load(fh)
        if isinstance(d.get("output"), dict):
            d = d["output"]
        out[tool] = {k: (v.get("articleBody") if isinstance(v, dict) else v) or "" for k, v in d.items()}
    return out


class TextDump(HTMLParser):
    """Visible text of an HTML page, a line break at each block element (crude html-text)."""

    SKIP = {"script", "style", "noscript", "svg", "template", "head"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
             "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6", "form",
             "blockquote", "pre", "figure", "figcaption", "dd", "dt", "dl", "hr", "option", "button",
             "title", "label"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = [re.sub(r"\s+", " ", ln).strip() for ln in "".join(self.parts).split("\n")]
        out: list[str] = []
        for ln in lines:
            if ln or (out and out[-1]):
                out.append(ln)
        return "\n".join(out).strip()


def wcxb_html_text(path: str) -> str:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        html = fh.read()
    p = TextDump()
    try:
        p.feed(html)
        p.close()
    except Exception:  # malformed markup: keep what was parsed
        pass
    return p.text()


def read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip()]


def load_nusax_columns(cols: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {c: [] for c in cols}
    for f in sorted(glob.glob(str(DATA / "nusax-mt/*.csv"))):
        with open(f, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for c in cols:
                    t = re.sub(r"\s+", " ", row[c] or "").strip()
                    if t:
                        out[c].append(t)
    return out


def bench_stream(seed: int, n_id: int, n_en: int) -> tuple[list[dict], list[dict]]:
    """The first Indonesian and the first English pages of make_corpus's recipe."""
    recs: list[dict] = []

    def write(line: bytes) -> None:
        recs.append(json.loads(line))

    # 8 MB at indo-share 0.6 gives about 1,700 Indonesian and 320 English pages
    make_corpus.generate(8_000_000, seed, 0.6, write)
    ind = [r for r in recs if r["source"] in ("smsa", "emot", "nusax")][:n_id]
    eng = [r for r in recs if r["source"] in ("wcxb", "aeb")][:n_en]
    if len(ind) < n_id or len(eng) < n_en:
        sys.exit(f"make_corpus stream too short: {len(ind)} Indonesian, {len(eng)} English pages")
    return ind, eng


# --------------------------------------------------------------------------
# Glued pages for ms / jv / su / min
# --------------------------------------------------------------------------
def glue_page(rng: random.Random, deck: make_corpus.Deck, shape: str) -> str:
    def sents(lo: int, hi: int) -> list[str]:
        return [deck.draw() for _ in range(rng.randint(lo, hi))]

    def paragraphs(ss: list[str]) -> list[str]:
        paras, i = [], 0
        while i < len(ss):
            k = rng.randint(1, 4)
            paras.append(" ".join(ss[i:i + k]))
            i += k
        return paras

    def menu_line() -> str:
        words = [w.strip(".,;:!?\"'()") for w in deck.draw().split()]
        words = [w for w in words if w]
        k = rng.randint(2, 4)
        start = rng.randint(0, max(0, len(words) - k))
        line = " ".join(words[start:start + k])
        return line[:1].upper() + line[1:]

    if shape == "short":
        ss = sents(1, 3)
        return (" " if rng.random() < 0.5 else "\n").join(ss)
    if shape == "paragraphs":
        return "\n\n".join(paragraphs(sents(4, 14)))
    if shape == "long":
        return "\n\n".join(paragraphs(sents(20, 60)))
    if shape == "lines":
        return "\n".join(sents(5, 25))
    if shape == "furniture":
        paras = paragraphs(sents(4, 14))
        title = make_corpus.first_words(deck.draw(), rng.randint(4, 9))
        for _ in range(rng.randint(2, 8)):
            paras.insert(rng.randint(0, len(paras)), menu_line())
        return "\n\n".join([title] + paras) if rng.random() < 0.5 else "\n".join([title] + paras)
    if shape == "repeat-para":
        paras = paragraphs(sents(4, 14) if rng.random() < 0.6 else sents(20, 40))
        for p in rng.sample(paras, min(len(paras), rng.randint(1, 3))):
            for _ in range(rng.randint(1, 4)):
                paras.insert(rng.randint(0, len(paras)), p)
        return "\n\n".join(paras)
    if shape == "repeat-line":
        lines = sents(5, 25)
        rep = rng.choice(lines)
        for _ in range(rng.randint(3, 10)):
            lines.insert(rng.randint(0, len(lines)), rep)
        return "\n".join(lines)
    if shape == "boilerplate":
        paras = paragraphs(sents(4, 14))
        bp = menu_line()
        return "\n\n".join(x for p in paras for x in (p, bp))
    raise ValueError(shape)


VARIANTS = ["crlf", "trailing-space", "unicode-breaks"]


def make_variant(rng: random.Random, text: str, variant: str) -> str:
    if variant == "crlf":
        return text.replace("\n", "\r\n")
    if variant == "trailing-space":
        return "\n".join(ln + rng.choice([" ", "  ", "\t"]) if ln and rng.random() < 0.5 else ln
                         for ln in text.split("\n"))
    if variant == "unicode-breaks":
        parts = text.split("\n")
        seps = [rng.choice(["\n", "\n", "\u2028", "\x0c", "\x85", "\r"]) for _ in parts[1:]]
        out = parts[0] + "".join(sep + p for sep, p in zip(seps, parts[1:]))
        return "\n" + out.replace(". ", ".\u00a0", 3) + "\n\n"
    raise ValueError(variant)


# --------------------------------------------------------------------------
def build(seed: int) -> list[dict]:
    rng = random.Random(seed)
    docs: list[dict] = []

    def add(lang: str, source: str, text: str, **extra) -> None:
        text = text.strip("\n") if source.endswith("-sentence") else text
        if text.strip():
            docs.append({"text": text, "metadata": {"language": lang, "source": source, **extra}})

    # English gold
    wcxb = make_corpus.load_wcxb()
    for p in rng.sample(wcxb, min(COUNTS["wcxb-gold"], len(wcxb))):
        add("en", "wcxb-gold", p["body"], url=p["url"])
    aeb = make_corpus.load_aeb()
    for p in aeb:
        add("en", "aeb-gold", p["body"], url=p["url"])

    # English extractor outputs of real pages
    tools = load_aeb_tool_outputs()
    junk = [t for t in JUNK_TOOLS if t in tools]
    other = sorted(t for t in tools if t not in junk)
    n_junk, n_other = COUNTS["aeb-tools-per-page"]
    keys = sorted(set().union(*[set(v) for v in tools.values()]))
    for key in keys:
        for tool in rng.sample(junk, n_junk) + rng.sample(other, n_other):
            add("en", f"aeb-{tool}", tools[tool].get(key, ""), page=key)

    # English raw text dumps of WCXB HTML
    html_files = sorted(glob.glob(str(DATA / "wcxb/dev/html/*.html.gz")))
    for f in sorted(rng.sample(html_files, min(COUNTS["wcxb-htmltext"], len(html_files)))):
        add("en", "wcxb-htmltext", wcxb_html_text(f), page=Path(f).name.removesuffix(".html.gz"))

    # The benchmark corpus recipe: Indonesian glued pages, English furnished pages, the example page
    ind, eng = bench_stream(seed, COUNTS["bench-id"], COUNTS["bench-en"])
    for r in ind:
        add("id", r["source"], r["text"], url=r["url"])
    for r in eng:
        add("en", "bench-" + r["source"], r["text"], url=r["url"])
    ex = make_corpus.load_example()
    add("id", "example", ex["text"], url=ex["url"])

    # single sentences
    en_sent = read_lines(DATA / "lingua-testdata/language-testdata/sentences/en.txt")
    for s in rng.sample(en_sent, COUNTS["en-sentence"]):
        add("en", "en-sentence", s)

    # judol comments (short Indonesian texts, spam and normal)
    with open(DATA / "judol-youtube-comments/comments-dev.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["comment"].strip()]
    for label in ("1", "0"):
        pool = [r for r in rows if r["label"] == label]
        for r in rng.sample(pool, COUNTS["judol-per-label"]):
            add("id", "judol", r["comment"], judol_label=int(label))

    nusax = load_nusax_columns(["indonesian", "javanese", "sundanese", "minangkabau"])
    for s in rng.sample(nusax["indonesian"], COUNTS["id-sentence"]):
        add("id", "id-sentence", s)

    # Malay / Javanese / Sundanese / Minangkabau glued pages and single sentences
    local = {
        "ms": read_lines(DATA / "lingua-testdata/language-testdata/sentences/ms.txt"),
        "jv": nusax["javanese"], "su": nusax["sundanese"], "min": nusax["minangkabau"],
    }
    shapes, weights = zip(*SHAPES)
    for lang, pool in local.items():
        deck = make_corpus.Deck(pool, rng)
        for _ in range(COUNTS["local-pages"]):
            shape = rng.choices(shapes, weights=weights)[0]
            add(lang, f"{lang}-page", glue_page(rng, deck, shape), shape=shape)
        for s in rng.sample(pool, COUNTS["local-sentences"]):
            add(lang, f"{lang}-sentence", s)

    # line-ending and whitespace variants of real pages (what splitlines / split("\n") / strip see)
    pages = [d for d in docs if d["metadata"]["language"] in ("en", "id")
             and d["metadata"]["source"] not in ("judol", "en-sentence", "id-sentence")]
    for variant in VARIANTS:
        for d in rng.sample(pages, COUNTS["variants-each"]):
            md = dict(d["metadata"], source=d["metadata"]["source"] + "+" + variant, variant=variant)
            docs.append({"text": make_variant(rng, d["text"], variant), "metadata": md})

    rng.shuffle(docs)
    width = len(str(len(docs)))
    out = []
    for i, d in enumerate(docs):
        md = d["metadata"]
        out.append({"id": f"{md['language']}-{md['source']}-{i:0{width}d}", "text": d["text"],
                    "metadata": md})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None,
                    help="output JSONL (default bench/out/parity/corpus-seed<S>.jsonl)")
    args = ap.parse_args(argv)
    out = args.out or OUT_DIR / f"corpus-seed{args.seed}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)

    docs = build(args.seed)
    sha = hashlib.sha256()
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "wb") as fh:
        for d in docs:
            line = (json.dumps(d, ensure_ascii=False) + "\n").encode("utf-8")
            sha.update(line)
            fh.write(line)
    os.replace(tmp, out)

    by_lang = Counter(d["metadata"]["language"] for d in docs)
    by_src = Counter(f"{d['metadata']['language']}/{d['metadata']['source']}" for d in docs)
    by_shape = Counter(f"{d['metadata']['language']}/{d['metadata']['shape']}"
                       for d in docs if "shape" in d["metadata"])
    chars = Counter()
    for d in docs:
        chars[d["metadata"]["language"]] += len(d["text"])
    manifest = {
        "recipe": "bench/make_parity_set.py", "args": {"seed": args.seed}, "file": out.name,
        "docs": len(docs), "sha256": sha.hexdigest(), "file_bytes": out.stat().st_size,
        "docs_by_language": dict(sorted(by_lang.items())),
        "chars_by_language": dict(sorted(chars.items())),
        "docs_by_language_source": dict(sorted(by_src.items())),
        "glued_pages_by_shape": dict(sorted(by_shape.items())),
        "variants": dict(sorted(Counter(f"{d['metadata']['language']}/{d['metadata']['variant']}"
                                        for d in docs if "variant" in d["metadata"]).items())),
    }
    Path(str(out) + ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {out}: {len(docs)} docs, sha256 {manifest['sha256'][:16]}..., "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
