#!/usr/bin/env python3
"""Build a deterministic benchmark corpus for `saring` from the real data in ../shared.

Usage:
    python3 bench/make_corpus.py --size-mb N --out bench/out/corpus.jsonl.zst [--seed S]

Recipe
------
Every output line is a JSON record ``{"id", "text", "url", "source"}`` whose
``text`` looks like a crawled page: a title line, an optional date line, the
article text, and "furniture" lines (related-article links, tags, share/ad
lines, copyright) that a cleaner is expected to drop or lift into metadata.

Sources (paths relative to the repo root, i.e. the parent of bench/):

* ``../shared/data/wcxb/dev/ground-truth/*.json.gz`` - WCXB gold pages
  (``ground_truth.main_content``, ``title``, ``publish_date``); English, 1,476
  non-empty pages.
* ``../shared/data/scrapinghub-aeb/ground-truth.json`` - AEB gold article bodies
  (``articleBody``, ``url``); English, 181 pages, title derived from the URL slug.
* ``../shared/examples/000_47c8d720653f142a.txt`` - one real crawled Indonesian
  page, emitted verbatim once per pass.
* Indonesian short texts, glued several to a page (3+ texts, 700-4,000 bytes of
  body per page), one source per page:
  ``indonlu-subset/smsa_doc-sentiment-prosa/*.tsv`` (reviews, ``text<TAB>label``),
  ``indonlu-subset/emot_emotion-twitter/*.csv`` (tweets, ``label,tweet``),
  ``nusax-mt/*.csv`` (column ``indonesian``).
  The title of such a page is made from the first words of its first text.

Ordering: the corpus is a sequence of *passes*.  Each pass shuffles the English
pages plus the example page and emits them one by one; after each one,
Indonesian glued pages are emitted until Indonesian article bytes reach
``--indo-share`` (default 0.4) of all article bytes so far.  Indonesian texts are
drawn from per-source decks that are reshuffled each time they run out, and a
page's source is picked with weights proportional to the deck sizes, so all
Indonesian texts are used at the same rate.  Passes repeat until the
uncompressed JSONL size (UTF-8 bytes incl. newlines) reaches ``--size-mb`` x
10^6 bytes; the record that crosses the target is the last one.  English
article texts therefore repeat verbatim across passes (about 15 MB of English
article text exists), but each repetition gets fresh furniture, date format,
URL and id; Indonesian pages are fresh combinations each time.

Furniture is drawn from the small fixed lists below (Indonesian lists for
Indonesian pages, English lists for English pages): ``Baca Juga : <headline>``
/ ``Read more: <headline>`` (headline = title of another source page),
``ADVERTISEMENT``, ``Baca Selengkapnya``, ``Topik`` + a tag line, share lines,
editor lines, ``Ikuti berita ... di Google News``, copyright lines, photo
captions and ``SITE - `` datelines.

Determinism: input files are read in sorted order, every random choice comes
from one ``random.Random(seed)``, and no clock or environment value enters the
output, so the same arguments give byte-identical output.  ``.jsonl.zst`` is
written by piping into ``zstd -q -3 -T1``; ``.jsonl.gz`` uses gzip with mtime 0;
anything else is plain JSONL.  A sidecar ``<out>.manifest.json`` records the
arguments, counts and the sha256 of the uncompressed JSONL stream.  The output
is written to ``<out>.tmp`` and renamed when complete.

The corpus must never be committed: the default output directory bench/out/ is
git-ignored.
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
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SHARED = REPO_ROOT.parent / "shared"
DATA = SHARED / "data"
EXAMPLE_PAGE = SHARED / "examples" / "000_47c8d720653f142a.txt"

# --------------------------------------------------------------------------
# Furniture vocabulary (written for this benchmark; not taken from any source)
# --------------------------------------------------------------------------
ID_SITES = [
    ("WARTANUSA", "wartanusa.id"),
    ("KABARKOTA", "kabarkota.co.id"),
    ("SUARATIMUR", "suaratimur.com"),
    ("INFOPRIANGAN", "infopriangan.id"),
    ("RAKYATPOST", "rakyatpost.co.id"),
]
EN_SITES = ["dailyledger.example", "northstar-news.example", "thebriefing.example",
            "cityherald.example", "techpulse.example"]
ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
             "Agustus", "September", "Oktober", "November", "Desember"]
ID_MON3 = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
ID_TAGS = ["Internasional", "Nasional", "Ekonomi", "Politik", "Olahraga", "Kuliner",
           "Wisata", "Teknologi", "Hiburan", "Kesehatan", "Pendidikan", "Jawa Timur",
           "Bandung", "Jakarta", "Viral", "Gaya Hidup", "Otomotif", "Pemilu 2024"]
EN_TAGS = ["World", "Business", "Technology", "Health", "Science", "Politics",
           "Sports", "Travel", "Food", "Culture", "Opinion", "Markets", "Lifestyle"]
ID_EDITORS = ["Dina Rahmawati", "Agus Santoso", "Rizky Pratama", "Siti Nurhaliza",
              "Bambang Wijaya", "Putri Lestari"]
EN_EDITORS = ["Jane Miller", "Tom Becker", "Priya Shah", "Carlos Ortega", "Emma Clarke"]
ID_SHARE = ["Bagikan artikel ini", "Bagikan:", "Share this article", "Salin tautan"]
EN_SHARE = ["Share this article", "Share on Facebook", "Share on X", "Copy link",
            "Share this:"]
ID_ADS = ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Advertisement", "IKLAN"]
EN_ADS = ["ADVERTISEMENT", "Advertisement", "SCROLL TO CONTINUE WITH CONTENT",
          "Story continues below advertisement"]
ID_CAPTIONS = ["(Foto: Dok. {site})", "(Foto: Istimewa)", "(Foto: ilustrasi/{site})",
               "Ilustrasi. (Foto: Shutterstock)"]


# --------------------------------------------------------------------------
# Loading the sources (sorted file order -> deterministic)
# --------------------------------------------------------------------------
def norm_ws(s: str) -> str:
    return re.sub(r"[ \t]+", " ", s).strip()


def load_wcxb() -> list[dict]:
    pages = []
    for f in sorted(glob.glob(str(DATA / "wcxb/dev/ground-truth/*.json.gz"))):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            d = json.load(fh)
        g = d.get("ground_truth") or {}
        body = (g.get("main_content") or "").strip()
        if not body:
            continue
        pages.append({"source": "wcxb", "title": norm_ws(g.get("title") or ""),
                      "date": g.get("publish_date") or None, "body": body,
                      "url": d.get("url") or ""})
    return pages


def title_from_url(url: str) -> str:
    path = re.sub(r"[?#].*$", "", url).rstrip("/")
    for seg in reversed(path.split("/")[3:]):
        seg = re.sub(r"\.(s?html?|php|aspx?)$", "", seg)
        words = [w for w in re.split(r"[-_+]+", seg) if w and not w.isdigit()]
        if len(words) >= 3 and not re.search(r"\d{5,}", seg):
            return " ".join(words).capitalize()
    return ""


def first_words(text: str, n: int) -> str:
    words = [w for w in re.findall(r"[^\s]+", text)
             if not w.startswith("[") and re.search(r"\w", w)]
    t = " ".join(words[:n]).strip(" .,;:!?\"'")
    return t[:1].upper() + t[1:]


def load_aeb() -> list[dict]:
    with open(DATA / "scrapinghub-aeb/ground-truth.json", encoding="utf-8") as fh:
        d = json.load(fh)
    pages = []
    for key in sorted(d):
        body = (d[key].get("articleBody") or "").strip()
        if not body:
            continue
        url = d[key].get("url") or ""
        title = title_from_url(url) or first_words(body, 10)
        pages.append({"source": "aeb", "title": title, "date": None, "body": body,
                      "url": url})
    return pages


def load_indonesian() -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {"smsa": [], "emot": [], "nusax": []}
    for f in sorted(glob.glob(str(DATA / "indonlu-subset/smsa_doc-sentiment-prosa/*.tsv"))):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                text = line.rstrip("\n").rsplit("\t", 1)[0].strip()
                if text:
                    pools["smsa"].append(text)
    for f in sorted(glob.glob(str(DATA / "indonlu-subset/emot_emotion-twitter/*.csv"))):
        with open(f, encoding="utf-8", newline="") as fh:
            pools["emot"].extend(r["tweet"].strip() for r in csv.DictReader(fh)
                                 if r["tweet"].strip())
    for f in sorted(glob.glob(str(DATA / "nusax-mt/*.csv"))):
        with open(f, encoding="utf-8", newline="") as fh:
            pools["nusax"].extend(r["indonesian"].strip() for r in csv.DictReader(fh)
                                  if r["indonesian"].strip())
    return pools


def load_example() -> dict:
    text = EXAMPLE_PAGE.read_text(encoding="utf-8")
    return {"source": "example", "title": text.strip().split("\n", 1)[0].strip(),
            "text": text, "url": "https://example.invalid/" + EXAMPLE_PAGE.stem}


class Deck:
    """Endless stream over a list: shuffled copy, reshuffled when exhausted."""

    def __init__(self, items: list[str], rng: random.Random):
        self.items, self.rng, self.order, self.pos = items, rng, [], 0

    def draw(self) -> str:
        if self.pos >= len(self.order):
            self.order = list(self.items)
            self.rng.shuffle(self.order)
            self.pos = 0
        self.pos += 1
        return self.order[self.pos - 1]


# --------------------------------------------------------------------------
# Page rendering
# --------------------------------------------------------------------------
class PageMaker:
    def __init__(self, rng: random.Random, en_headlines: list[str], id_headlines: list[str]):
        self.rng = rng
        self.en_headlines = en_headlines
        self.id_headlines = id_headlines

    # dates -----------------------------------------------------------------
    def random_ymd(self) -> tuple[int, int, int]:
        r = self.rng
        return r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28)

    def id_date(self) -> str:
        r = self.rng
        y, m, d = self.random_ymd()
        hh, mm = r.randint(0, 23), r.choice([0, 5, 12, 15, 30, 45])
        fmt = r.randrange(3)
        if fmt == 0:
            return f"{d:02d} - {ID_MON3[m - 1]} - {y}, {hh:02d}:{mm:02d}"
        if fmt == 1:
            return f"{r.choice(ID_DAYS)}, {d} {ID_MONTHS[m - 1]} {y} | {hh:02d}:{mm:02d} WIB"
        return f"{d}/{m:02d}/{y} {hh:02d}:{mm:02d} WIB"

    def en_date(self, iso: str | None) -> str:
        r = self.rng
        m_ = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
        y, m, d = (int(m_[1]), int(m_[2]), int(m_[3])) if m_ else self.random_ymd()
        m = m if 1 <= m <= 12 else 1
        fmt = r.randrange(3)
        if fmt == 0:
            return f"{EN_MONTHS[m - 1]} {d}, {y}"
        if fmt == 1:
            return f"Published {y}-{m:02d}-{d:02d}"
        return f"Updated {d} {EN_MONTHS[m - 1][:3]} {y}, {r.randint(1, 12)}:{r.randint(0, 59):02d} PM"

    # furniture -------------------------------------------------------------
    def interleave(self, paras: list[str], inserts: list[str]) -> list[str]:
        """Put each insert line after a random paragraph (never before the first)."""
        out = list(paras)
        for line in inserts:
            out.insert(self.rng.randint(1, max(1, len(out))), line)
        return out

    def id_page(self, title: str, paras: list[str], site: tuple[str, str],
                date_p: float = 0.85) -> str:
        r = self.rng
        brand, _ = site
        head = [title]
        if r.random() < date_p:
            head.append(self.id_date())
        if r.random() < 0.3:
            head.append(r.choice(ID_CAPTIONS).format(site=brand.title()))
        paras = list(paras)
        if r.random() < 0.5:
            paras[0] = f"{brand} - {paras[0]}"
        inserts = [f"Baca Juga : {r.choice(self.id_headlines)}" for _ in range(r.randint(0, 2))]
        inserts += [r.choice(ID_ADS) for _ in range(r.randint(0, 1))]
        body = self.interleave(paras, inserts)
        tail = []
        if r.random() < 0.4:
            tail.append("Baca Selengkapnya")
        if r.random() < 0.3:
            tail.append(f"Editor: {r.choice(ID_EDITORS)}")
        if r.random() < 0.7:
            tags = r.sample(ID_TAGS, r.randint(2, 6))
            tail += ["Topik", ", ".join(tags) + ("," if r.random() < 0.5 else "")]
        if r.random() < 0.4:
            tail.append(r.choice(ID_SHARE))
        if r.random() < 0.3:
            tail.append(f"Ikuti berita terkini dari {brand.title()} di Google News")
        if r.random() < 0.5:
            y = r.randint(2019, 2025)
            tail.append(r.choice([f"Copyright © {y} {brand.title()}. All rights reserved.",
                                  f"Hak Cipta © {y} {brand.title()}. Seluruh hak dilindungi."]))
        return "\n\n".join(head + body + tail) + "\n"

    def en_page(self, page: dict) -> str:
        r = self.rng
        head = [page["title"]] if page["title"] else []
        if page["date"] or r.random() < 0.4:
            head.append(self.en_date(page["date"]))
        if r.random() < 0.3:
            head.append(f"By {r.choice(EN_EDITORS)}")
        paras = [p for p in re.split(r"\n\s*\n", page["body"]) if p.strip()] or [page["body"]]
        inserts = [f"Read more: {r.choice(self.en_headlines)}" for _ in range(r.randint(0, 2))]
        inserts += [r.choice(EN_ADS) for _ in range(r.randint(0, 2))]
        body = self.interleave(paras, inserts)
        tail = []
        if r.random() < 0.5:
            tail.append(r.choice(EN_SHARE))
        if r.random() < 0.4:
            tail += ["Topics", ", ".join(r.sample(EN_TAGS, r.randint(2, 5)))]
        if r.random() < 0.3:
            tail.append(f"Related: {r.choice(self.en_headlines)}")
        if r.random() < 0.5:
            tail.append(f"© {r.randint(2019, 2025)} {r.choice(EN_SITES)}. All rights reserved.")
        return "\n\n".join(head + body + tail) + "\n"


# --------------------------------------------------------------------------
# Corpus generation
# --------------------------------------------------------------------------
def generate(size_bytes: int, seed: int, indo_share: float,
             write: Callable[[bytes], None]) -> dict:
    rng = random.Random(seed)
    english = load_wcxb() + load_aeb()
    example = load_example()
    pools = load_indonesian()
    decks = {name: Deck(items, rng) for name, items in pools.items()}
    deck_names = sorted(decks)
    deck_weights = [len(pools[n]) for n in deck_names]

    en_headlines = [p["title"] for p in english if p["title"]]
    id_headlines = [first_words(t, 10) for t in pools["nusax"]] + [example["title"]]
    maker = PageMaker(rng, en_headlines, id_headlines)

    stats = {"docs": 0, "json_bytes": 0, "passes": 0,
             "docs_by_source": {}, "text_bytes_by_source": {}}
    sha = hashlib.sha256()
    art = {"en": 0, "id": 0}  # article (source) text bytes, for the Indonesian share

    def emit(source: str, url: str, text: str) -> bool:
        n = stats["docs"]
        rec = {"id": f"bench-{n:08d}", "text": text, "url": url, "source": source}
        line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
        write(line)
        sha.update(line)
        stats["docs"] += 1
        stats["json_bytes"] += len(line)
        stats["docs_by_source"][source] = stats["docs_by_source"].get(source, 0) + 1
        tb = len(text.encode("utf-8"))
        stats["text_bytes_by_source"][source] = stats["text_bytes_by_source"].get(source, 0) + tb
        return stats["json_bytes"] >= size_bytes

    def indo_page() -> bool:
        src = rng.choices(deck_names, weights=deck_weights)[0]
        target = rng.randint(700, 4000)
        texts: list[str] = []
        while len(texts) < 3 or sum(len(t) for t in texts) < target:
            texts.append(decks[src].draw())
        art["id"] += sum(len(t.encode("utf-8")) for t in texts)
        site = rng.choice(ID_SITES)
        title = first_words(texts[0], rng.randint(5, 10))
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        url = f"https://{site[1]}/read/{rng.randint(100000, 999999)}/{slug}"
        return emit(src, url, maker.id_page(title, texts, site))

    ratio = indo_share / (1.0 - indo_share)
    while True:
        stats["passes"] += 1
        order = english + [example]
        rng.shuffle(order)
        for page in order:
            if page["source"] == "example":
                art["id"] += len(page["text"].encode("utf-8"))
                done = emit("example", page["url"], page["text"])
            else:
                art["en"] += len(page["body"].encode("utf-8"))
                done = emit(page["source"], page["url"], maker.en_page(page))
            while not done and art["id"] < ratio * art["en"]:
                done = indo_page()
            if done:
                stats["sha256_uncompressed"] = sha.hexdigest()
                stats["indonesian_article_share"] = round(art["id"] / (art["id"] + art["en"]), 4)
                return stats


def open_sink(tmp: Path) -> tuple[Callable[[bytes], None], Callable[[], None]]:
    """Return (write, close) for the output path, compressing by extension."""
    name = tmp.name.removesuffix(".tmp")
    if name.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-q", "-3", "-T1", "-f", "-o", str(tmp)],
                                stdin=subprocess.PIPE)
        buf = proc.stdin

        def close() -> None:
            buf.close()
            if proc.wait() != 0:
                sys.exit(f"zstd failed with exit code {proc.returncode}")
        return buf.write, close
    if name.endswith(".gz"):
        raw = open(tmp, "wb")
        gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)

        def close_gz() -> None:
            gz.close()
            raw.close()
        return gz.write, close_gz
    fh = open(tmp, "wb", buffering=1 << 20)
    return fh.write, fh.close


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, required=True,
                    help="target uncompressed JSONL size in MB (10^6 bytes)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output .jsonl.zst / .jsonl.gz / .jsonl "
                         "(default bench/out/corpus-<N>mb-seed<S>.jsonl.zst)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--indo-share", type=float, default=0.4,
                    help="target share of Indonesian article bytes (default 0.4)")
    args = ap.parse_args(argv)
    if not 0.0 <= args.indo_share < 1.0:
        ap.error("--indo-share must be in [0, 1)")

    out = args.out or default_corpus_path(args.size_mb, args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    write, close = open_sink(tmp)
    stats = generate(int(args.size_mb * 1_000_000), args.seed, args.indo_share, write)
    close()
    os.replace(tmp, out)

    manifest = {"recipe": "bench/make_corpus.py",
                "args": {"size_mb": args.size_mb, "seed": args.seed,
                         "indo_share": args.indo_share},
                "file": out.name, "file_bytes": out.stat().st_size, **stats}
    Path(str(out) + ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {out}: {stats['docs']} docs, {stats['json_bytes'] / 1e6:.1f} MB JSONL, "
          f"{manifest['file_bytes'] / 1e6:.1f} MB on disk, "
          f"Indonesian share {stats['indonesian_article_share']:.2f}", file=sys.stderr)
    return 0


def default_corpus_path(size_mb: float, seed: int) -> Path:
    return BENCH_DIR / "out" / f"corpus-{size_mb:g}mb-seed{seed}.jsonl.zst"


if __name__ == "__main__":
    sys.exit(main())
