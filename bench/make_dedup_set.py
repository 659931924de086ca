#!/usr/bin/env python3
"""Build a labelled near-duplicate benchmark set from real texts in ../shared/data.

Usage:
    python3 bench/make_dedup_set.py --out DIR [--pairs 2000] [--seed 1]
                                    [--pos-share 0.6] [--singletons N]

Writes
------
``DIR/corpus.jsonl``  one record per document: ``{"id", "text", "url"}`` (ids are
    ``d00000``.. in a shuffled order, so neither id nor position reveals a label).
``DIR/pairs.jsonl``   labelled pairs ``{"a", "b", "label", "kind", "jaccard",
    "lang", "source", ...}``: label 1 = near duplicate (positive), 0 = hard
    negative.  Any pair of corpus documents that is not listed is unrelated
    (label 0 by construction, see "Screening" below).
``DIR/manifest.json`` arguments, counts, per-kind and per-bucket counts, sha256
    of both files.

Base texts (all real; only texts with >= 150 words are used as bases)
-------------------------------------------------------------------
* ``wcxb/dev/ground-truth/*.json.gz``: ``ground_truth.main_content`` (title from
  ``ground_truth.title``, url from ``url``); English, 7 page types.
* ``scrapinghub-aeb/ground-truth.json``: ``articleBody`` (title from the URL slug).
* Indonesian pages glued from short real texts, one source per page, each text
  used at most once in the whole set, one text per paragraph (short texts are
  merged two to a paragraph), page body 150-350 words:
  ``indonlu-subset/smsa_doc-sentiment-prosa/*.tsv`` (reviews),
  ``indonlu-subset/emot_emotion-twitter/*.csv`` (tweets),
  ``nusax-mt/*.csv`` column ``indonesian``.  Texts are first deduplicated on their
  normalised form (NusaX sentences come from SmSA, and SmSA repeats reviews).
  The page title is made from the first words of its first text, the url is a
  made-up Indonesian news domain + slug.

Screening: word-5-gram sets (normalisation below) of all candidate bases are
compared through an inverted index; if two bases have Jaccard >= 0.1 or the
smaller one is >= 20 % contained in the other, the later one (in load order) is
dropped.  So, apart from the planted pairs and the furniture/template lines this
script writes, corpus documents do not share content.

Roles.  Bases are shuffled (one ``random.Random(seed)``) and given roles in this
order: positive bases (``round(pairs * pos-share)``), hard-negative bases
(2 per negative pair), singletons (default ``round(0.6 * pairs)``, capped by what is
left).  Up to 40 further bases per language are kept out of the corpus as a
pool of real paragraphs for the "paragraph inserted" edit.  Each base text
appears in exactly one role, so true clusters are exactly the positive pairs.

Positives (label 1): the base page (title line, optional dateline, body, and with
probability 1/2 some furniture lines) and one variant of it.  ``kind`` is one of

* ``furniture``: header/nav, share, "read more", newsletter, copyright lines added
  or replaced (the variant always gets a different furniture set, 10-80 words);
* ``truncate``: the body cut after 60-90 % of its words (field ``keep_frac``),
  followed by "..." and a "Read more"/"Baca selengkapnya" line;
* ``para_insert``: one real paragraph (from the held-out pool, same language)
  inserted at a random position;
* ``para_delete``: one paragraph deleted (or, for one-paragraph bodies, a run of
  10-20 % of the sentences);
* ``dates_numbers``: every number changed (new value, digit count may change),
  month and weekday names changed, dateline added or changed;
* ``reword``: 1-6 sentences reworded, 1-3 word edits each: synonym swap from small
  written English/Indonesian lists, adjacent-word swap, or a word dropped;
* ``combo``: 2-3 of the above applied in sequence (``edits`` lists them).

Weights: furniture .14, truncate .14, para_insert .1, para_delete .1,
dates_numbers .1, reword .14, combo .28.  A variant identical to its base gets an
extra reword.

Hard negatives (label 0, ``kind: template``): two DIFFERENT bases of the same
language wrapped in the same made-up site template: header (site name, nav line of
5-12 items, optional breadcrumb), optional cookie banner, optional "most read" box
(3-10 headlines = titles of other bases), optional newsletter box, footer "about"
paragraph, link line and copyright line; 80-450 template words (a "sections" menu
block fills up to the drawn target) assembled from written sentence lists.  Each template is used by exactly one pair;
both pages get urls on the template's domain.

Singletons: bases rendered like positive bases (furniture with probability 1/2).

Jaccard: for every pair, the Jaccard similarity of the two documents' sets of
word 5-grams after normalisation: lowercase; every number (digits with optional
``.``/``,`` groups) -> ``0``; Unicode punctuation and symbols -> space; split on
whitespace (a text with fewer than 5 words is one shingle).  ``bucket`` is the
0.1-wide Jaccard bucket (``<0.3`` below 0.3).

Determinism: inputs are read in sorted order, every random choice comes from one
``random.Random(seed)``, no set iteration order decides anything, so the same
arguments give byte-identical files.
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
import unicodedata
from pathlib import Path

from make_corpus import first_words, load_indonesian, title_from_url  # shared with the benchmark corpus

BENCH_DIR = Path(__file__).resolve().parent
DATA = BENCH_DIR.parent.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")

MIN_WORDS = 150
HOLDOUT = 40  # bases per language kept out of the corpus as paragraph-insert pool

# ---------------------------------------------------------------------------
# Normalisation and Jaccard
# ---------------------------------------------------------------------------
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


_PUNCT_TABLE: dict[int, str] = {}


def norm_words(text: str) -> list[str]:
    t = _NUM.sub("0", text.lower())
    out = []
    for ch in t:
        o = ord(ch)
        r = _PUNCT_TABLE.get(o)
        if r is None:
            r = " " if _is_punct(ch) else ch
            _PUNCT_TABLE[o] = r
        out.append(r)
    return "".join(out).split()


def shingles(text: str, n: int = 5) -> set:
    w = norm_words(text)
    if len(w) < n:
        return {tuple(w)} if w else set()
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def bucket(j: float) -> str:
    if j < 0.3:
        return "<0.3"
    lo = min(int(j * 10 + 1e-9), 9) / 10
    return f"{lo:.1f}-{lo + 0.1:.1f}"


# ---------------------------------------------------------------------------
# Written vocabulary (furniture, templates, synonyms) - not from any source
# ---------------------------------------------------------------------------
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
             "Agustus", "September", "Oktober", "November", "Desember"]
ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

FURN = {
    "en": {
        "top": ["Home | News | World | Business | Tech | Sport | Culture | Opinion",
                "Skip to main content", "Menu", "Subscribe", "Sign in | Register",
                "Home > News > Latest", "Trending: Elections | Markets | Weather | Travel deals",
                "Breaking News", "Search this site", "Log in to your account to save articles"],
        "share": ["Share this article", "Share on Facebook", "Share on X", "Copy link",
                  "Share this:", "Email this story", "Print", "Save for later"],
        "mid": ["ADVERTISEMENT", "Story continues below advertisement",
                "SCROLL TO CONTINUE WITH CONTENT", "Related: {h}", "Read more: {h}",
                "Also read: {h}"],
        "bottom": ["Sign up for our newsletter to get the top stories delivered to your inbox every morning.",
                   "Follow us on Facebook, Instagram and X for the latest updates.",
                   "Copyright {y} {site}. All rights reserved.",
                   "© {y} {site}. All rights reserved. Terms of Use | Privacy Policy",
                   "More from {site}", "You might also like: {h}", "Tags: {tags}",
                   "Have a news tip? Contact our newsroom.",
                   "This article was originally published on {site}.",
                   "Comments are closed.", "Edited by {ed}",
                   "Related articles: {h} | {h2}"],
        "more": ["Read more", "Continue reading", "Read the full story"],
        "upd": ["Updated: {d}", "Published {d}", "Last updated on {d}", "Posted {d}"],
    },
    "id": {
        "top": ["Beranda | Berita | Nasional | Ekonomi | Olahraga | Hiburan | Teknologi",
                "Lewati ke konten", "Menu", "Masuk | Daftar", "Beranda > Berita > Terkini",
                "Terpopuler: Pemilu | Harga BBM | Cuaca | Liga 1", "Berita Terkini",
                "Cari di situs ini", "Langganan"],
        "share": ["Bagikan artikel ini", "Bagikan:", "Salin tautan", "Share this article",
                  "Bagikan ke WhatsApp", "Simpan"],
        "mid": ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "IKLAN",
                "Baca Juga: {h}", "Baca juga: {h}", "Simak juga: {h}"],
        "bottom": ["Ikuti berita terkini dari {site} di Google News, klik di sini.",
                   "Dapatkan update berita pilihan setiap hari dengan bergabung di kanal WhatsApp kami.",
                   "Copyright {y} {site}. All rights reserved.",
                   "© {y} {site}. Hak cipta dilindungi undang-undang.",
                   "Editor: {ed}", "Penulis: {ed}", "Topik: {tags}",
                   "Berita terkait: {h} | {h2}", "Artikel ini telah tayang di {site}.",
                   "Kirim tulisan Anda ke redaksi kami."],
        "more": ["Baca selengkapnya", "Selengkapnya", "Lanjut baca"],
        "upd": ["Diperbarui: {d}", "Dipublikasikan {d}", "Terakhir diperbarui {d}"],
    },
}
EN_TAGS = ["World", "Business", "Technology", "Health", "Science", "Politics", "Sports",
           "Travel", "Food", "Culture", "Opinion", "Markets", "Lifestyle"]
ID_TAGS = ["Nasional", "Ekonomi", "Politik", "Olahraga", "Kuliner", "Wisata", "Teknologi",
           "Hiburan", "Kesehatan", "Pendidikan", "Bandung", "Jakarta", "Viral", "Otomotif"]
EN_EDITORS = ["Jane Miller", "Tom Becker", "Priya Shah", "Carlos Ortega", "Emma Clarke"]
ID_EDITORS = ["Dina Rahmawati", "Agus Santoso", "Rizky Pratama", "Siti Nurhaliza",
              "Bambang Wijaya", "Putri Lestari"]
EN_SITE_A = ["Daily", "Metro", "Northern", "Capital", "Coastal", "Prairie", "Harbor",
             "Summit", "Union", "Pioneer", "Valley", "Evening", "Civic", "Global", "Open"]
EN_SITE_B = ["Ledger", "Herald", "Post", "Tribune", "Review", "Journal", "Courier",
             "Dispatch", "Gazette", "Wire", "Report", "Monitor", "Digest", "Times", "Beacon"]
ID_SITE_A = ["Warta", "Kabar", "Suara", "Info", "Rakyat", "Berita", "Detak", "Sorot",
             "Lensa", "Jurnal", "Pojok", "Gema", "Kilas", "Harian", "Media"]
ID_SITE_B = ["Nusa", "Kota", "Timur", "Priangan", "Post", "Sumatra", "Jawa", "Bali",
             "Borneo", "Celebes", "Rakyat", "Pagi", "Terkini", "Nasional", "Daerah"]

TEMPLATE = {
    "en": {
        "nav": ["Home", "News", "World", "Politics", "Business", "Markets", "Tech", "Science",
                "Health", "Sport", "Culture", "Books", "Travel", "Food", "Opinion", "Video",
                "Podcasts", "Newsletters", "Local", "Weather", "Obituaries", "Jobs", "Events"],
        "crumb": ["Home > {sec} > Latest", "You are here: Home / {sec}", "{sec} | Top stories"],
        "cookie": ["We use cookies and similar technologies to improve your experience on our site.",
                   "Some cookies are necessary for the site to work, others help us understand how you use it.",
                   "By continuing to browse, you agree to our use of cookies.",
                   "You can change your preferences at any time in the privacy settings.",
                   "Read our Privacy Policy and Cookie Policy to learn more about how we handle your data.",
                   "Accept all | Reject non-essential | Manage preferences",
                   "We and our partners store and access information on your device to show personalised ads."],
        "news": ["Get the morning briefing in your inbox.",
                 "Sign up for our free newsletter and never miss a story.",
                 "Enter your email address to subscribe.",
                 "You can unsubscribe at any time; see our privacy notice for details.",
                 "Thanks for signing up! Check your inbox to confirm your subscription."],
        "about": ["{site} is an independent newsroom covering the stories that matter to our community.",
                  "Our reporters and editors work every day to bring you accurate, fair and timely journalism.",
                  "We are funded by readers like you, and every subscription helps us keep reporting.",
                  "Founded in {y0}, {site} has won several regional awards for investigative reporting.",
                  "Corrections and clarifications can be sent to our standards editor.",
                  "All content is editorially independent and is not influenced by advertisers.",
                  "Support local journalism by becoming a member today.",
                  "Our newsroom follows the code of practice of the independent press standards body.",
                  "Letters to the editor may be edited for length and clarity."],
        "links": ["About us", "Contact", "Careers", "Advertise", "Terms of Service",
                  "Privacy Policy", "Cookie Settings", "Accessibility", "Sitemap", "RSS",
                  "Help Center", "Corrections", "Ethics Policy", "Subscribe", "Manage account"],
        "most": "Most read",
        "copy": ["Copyright {y} {site}. All rights reserved.",
                 "© {y} {site} Media Group. All rights reserved. Reproduction without permission is prohibited.",
                 "© {site} {y}. Some rights reserved."],
    },
    "id": {
        "nav": ["Beranda", "Berita", "Nasional", "Daerah", "Politik", "Ekonomi", "Bisnis",
                "Olahraga", "Sepak Bola", "Hiburan", "Seleb", "Teknologi", "Otomotif",
                "Kesehatan", "Gaya Hidup", "Kuliner", "Wisata", "Video", "Foto", "Indeks",
                "Opini", "Pendidikan", "Internasional"],
        "crumb": ["Beranda > {sec} > Terkini", "Anda di sini: Beranda / {sec}", "{sec} | Berita Utama"],
        "cookie": ["Kami menggunakan cookie untuk meningkatkan pengalaman Anda di situs ini.",
                   "Dengan melanjutkan penelusuran, Anda menyetujui penggunaan cookie sesuai kebijakan kami.",
                   "Anda dapat mengubah pengaturan privasi kapan saja.",
                   "Baca Kebijakan Privasi kami untuk mengetahui bagaimana data Anda dikelola.",
                   "Terima semua | Tolak | Atur preferensi",
                   "Kami dan mitra kami menyimpan informasi di perangkat Anda untuk menampilkan iklan yang relevan."],
        "news": ["Dapatkan ringkasan berita pagi langsung di kotak masuk Anda.",
                 "Daftar newsletter gratis kami dan jangan lewatkan berita penting.",
                 "Masukkan alamat email Anda untuk berlangganan.",
                 "Anda dapat berhenti berlangganan kapan saja.",
                 "Terima kasih telah mendaftar, silakan periksa kotak masuk Anda."],
        "about": ["{site} adalah media daring yang menyajikan berita terkini, akurat dan berimbang.",
                  "Redaksi kami bekerja setiap hari untuk menghadirkan informasi yang terpercaya bagi pembaca.",
                  "Didirikan pada tahun {y0}, {site} telah terverifikasi oleh Dewan Pers.",
                  "Seluruh konten dilindungi undang-undang hak cipta.",
                  "Dilarang mengambil dan atau menayangkan ulang sebagian atau keseluruhan artikel tanpa izin redaksi.",
                  "Kirimkan tulisan, opini, dan informasi kegiatan Anda ke alamat email redaksi kami.",
                  "Setiap wartawan kami dibekali kartu identitas dan surat tugas yang masih berlaku.",
                  "Pedoman media siber kami mengikuti ketentuan Dewan Pers."],
        "links": ["Tentang Kami", "Redaksi", "Kontak", "Karier", "Pedoman Media Siber",
                  "Kebijakan Privasi", "Syarat dan Ketentuan", "Disclaimer", "Info Iklan",
                  "Indeks Berita", "Sitemap", "Kode Etik", "Berlangganan", "Bantuan"],
        "most": "Terpopuler",
        "copy": ["Copyright {y} {site}. All rights reserved.",
                 "© {y} {site}. Hak cipta dilindungi undang-undang.",
                 "© {site} {y}. Seluruh hak cipta dilindungi."],
    },
}

SYN = {
    "en": {
        "big": "large", "large": "big", "small": "little", "little": "small", "fast": "quick",
        "quick": "fast", "begin": "start", "start": "begin", "started": "began", "began": "started",
        "help": "assist", "helps": "assists", "buy": "purchase", "show": "display", "shows": "displays",
        "important": "crucial", "many": "numerous", "often": "frequently", "very": "really",
        "also": "additionally", "however": "nevertheless", "but": "yet", "said": "stated",
        "says": "states", "use": "utilize", "uses": "utilizes", "need": "require", "needs": "requires",
        "get": "obtain", "make": "create", "makes": "creates", "good": "great", "great": "excellent",
        "bad": "poor", "new": "fresh", "old": "former", "about": "around", "around": "about",
        "people": "individuals", "company": "firm", "companies": "firms", "job": "position",
        "because": "since", "while": "whereas", "so": "therefore", "find": "discover", "found": "discovered",
        "change": "alter", "changes": "alterations", "easy": "simple", "simple": "easy", "hard": "difficult",
        "difficult": "hard", "choose": "select", "want": "wish", "like": "such as", "maybe": "perhaps",
        "enough": "sufficient", "main": "primary", "idea": "notion", "problem": "issue",
        "problems": "issues", "answer": "response", "try": "attempt", "end": "finish", "keep": "retain",
        "think": "believe", "know": "understand", "look": "appear", "looks": "appears", "place": "location",
        "world": "globe", "country": "nation", "city": "town", "children": "kids", "home": "house",
        "money": "funds", "price": "cost", "prices": "costs", "time": "period", "way": "manner",
        "often,": "frequently,", "increase": "rise", "decrease": "decline", "recent": "latest",
        "provide": "offer", "provides": "offers", "include": "contain", "includes": "contains",
    },
    "id": {
        "sangat": "amat", "amat": "sangat", "enak": "lezat", "lezat": "enak", "bagus": "baik",
        "baik": "bagus", "besar": "luas", "kecil": "mungil", "cepat": "lekas", "tempat": "lokasi",
        "lokasi": "tempat", "harga": "biaya", "murah": "terjangkau", "mahal": "tidak murah",
        "makanan": "hidangan", "hidangan": "makanan", "tidak": "tak", "tak": "tidak", "juga": "pula",
        "karena": "sebab", "tetapi": "namun", "namun": "tetapi", "tapi": "namun", "banyak": "sejumlah",
        "sudah": "telah", "telah": "sudah", "akan": "bakal", "bisa": "dapat", "dapat": "bisa",
        "nyaman": "menyenangkan", "ramah": "sopan", "pelayanan": "layanan", "layanan": "pelayanan",
        "kurang": "tidak terlalu", "saya": "aku", "aku": "saya", "kami": "kita", "cukup": "lumayan",
        "lumayan": "cukup", "suka": "senang", "senang": "gembira", "sedih": "murung", "marah": "geram",
        "orang": "warga", "rumah": "kediaman", "jalan": "jalanan", "kota": "daerah", "hari": "harian",
        "ini": "tersebut", "itu": "tersebut", "selalu": "senantiasa", "hanya": "cuma", "cuma": "hanya",
        "mau": "ingin", "ingin": "mau", "lagi": "kembali", "sekali": "banget", "ada": "terdapat",
        "membeli": "belanja", "makan": "bersantap", "minum": "meminum", "rasa": "cita rasa",
    },
}

NONWORD_SENT = re.compile(r"(?<=[.!?])\s+")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def norm_ws(s: str) -> str:
    return re.sub(r"[ \t]+", " ", s).strip()


def paragraphs_of(body: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r", ""))]
    return [p for p in paras if p]


def slug(s: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", s.lower())[:8]) or "page"


def load_english() -> tuple[list[dict], list[str]]:
    """Bases with >= 150 words, and paragraphs of the shorter pages (insert pool)."""
    bases, short_paras = [], []
    for f in sorted(glob.glob(str(DATA / "wcxb/dev/ground-truth/*.json.gz"))):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            d = json.load(fh)
        g = d.get("ground_truth") or {}
        body = (g.get("main_content") or "").strip()
        if not body:
            continue
        rec = {"source": "wcxb", "lang": "en", "title": norm_ws(g.get("title") or ""),
               "paras": paragraphs_of(body), "url": d.get("url") or "",
               "key": "wcxb:" + os.path.basename(f).split(".")[0]}
        if len(body.split()) >= MIN_WORDS:
            bases.append(rec)
        else:
            short_paras.extend(p for p in rec["paras"] if len(p.split()) >= 20)
    with open(DATA / "scrapinghub-aeb/ground-truth.json", encoding="utf-8") as fh:
        d = json.load(fh)
    for k in sorted(d):
        body = (d[k].get("articleBody") or "").strip()
        if not body:
            continue
        url = d[k].get("url") or ""
        rec = {"source": "aeb", "lang": "en", "title": title_from_url(url) or first_words(body, 10),
               "paras": paragraphs_of(body), "url": url, "key": "aeb:" + k}
        if len(body.split()) >= MIN_WORDS:
            bases.append(rec)
        else:
            short_paras.extend(p for p in rec["paras"] if len(p.split()) >= 20)
    return bases, short_paras


def load_indonesian_texts() -> dict[str, list[str]]:
    pools = load_indonesian()  # the same sources and reading as the benchmark corpus
    # global dedup on the normalised form (NusaX first: it is the cased original)
    seen: dict[str, bool] = {}
    out: dict[str, list[str]] = {}
    for src in ["nusax", "smsa", "emot"]:
        keep = []
        for t in pools[src]:
            k = " ".join(w for w in norm_words(t) if w not in ("username", "url"))
            if len(k.split()) < 3 or k in seen:
                continue
            seen[k] = True
            keep.append(t)
        out[src] = keep
    return out


def glue_indonesian(pools: dict[str, list[str]], rng: random.Random) -> list[dict]:
    """Multi-paragraph pages, one source each, every text used at most once."""
    decks = {}
    for src in ["smsa", "emot", "nusax"]:
        d = list(pools[src])
        rng.shuffle(d)
        decks[src] = d
    pages = []
    n = 0
    for src in ["smsa", "emot", "nusax"]:
        d = decks[src]
        i = 0
        while i < len(d):
            target = rng.randint(MIN_WORDS, 350)
            paras, words, pending = [], 0, []
            while i < len(d) and words < target:
                t = d[i]
                i += 1
                pending.append(t)
                words += len(t.split())
                if sum(len(x.split()) for x in pending) >= 25 or len(pending) == 2:
                    paras.append(" ".join(pending))
                    pending = []
            if pending:
                paras.append(" ".join(pending))
            if words < MIN_WORDS:
                break
            title = first_words(paras[0], rng.randint(6, 10))
            site = rng.choice(ID_SITE_A) + rng.choice(ID_SITE_B)
            url = f"https://www.{site.lower()}.id/{rng.choice(['berita', 'read', 'news', 'opini'])}/" \
                  f"{rng.randint(100000, 999999)}/{slug(title)}"
            pages.append({"source": src, "lang": "id", "title": title, "paras": paras,
                          "url": url, "key": f"{src}:page{n:05d}"})
            n += 1
    return pages


def screen(bases: list[dict]) -> tuple[list[dict], int]:
    """Drop bases that overlap an earlier one (Jaccard >= .1 or containment >= .2)."""
    sh = [shingles(b["title"] + "\n" + "\n\n".join(b["paras"])) for b in bases]
    index: dict[tuple, list[int]] = {}
    for i, s in enumerate(sh):
        for g in s:
            index.setdefault(g, []).append(i)
    counts: dict[tuple[int, int], int] = {}
    for g, post in index.items():
        if 2 <= len(post) <= 50:
            for x in range(len(post)):
                for y in range(x + 1, len(post)):
                    k = (post[x], post[y])
                    counts[k] = counts.get(k, 0) + 1
    dropped = [False] * len(bases)
    for (i, j) in sorted(counts):
        if counts[(i, j)] < 3 or dropped[i] or dropped[j]:
            continue
        inter = len(sh[i] & sh[j])
        jac = inter / (len(sh[i]) + len(sh[j]) - inter)
        cont = inter / max(1, min(len(sh[i]), len(sh[j])))
        if jac >= 0.1 or cont >= 0.2:
            dropped[j] = True
    return [b for b, d in zip(bases, dropped) if not d], sum(dropped)


# ---------------------------------------------------------------------------
# Rendering and edits
# ---------------------------------------------------------------------------
class Gen:
    def __init__(self, rng: random.Random, headlines: dict[str, list[str]]):
        self.rng = rng
        self.headlines = headlines

    def date(self, lang: str) -> str:
        r = self.rng
        y, m, d = r.randint(2015, 2025), r.randint(1, 12), r.randint(1, 28)
        if lang == "id":
            return r.choice([f"{ID_DAYS[r.randrange(7)]}, {d} {ID_MONTHS[m - 1]} {y} {r.randint(0, 23):02d}:{r.randint(0, 59):02d} WIB",
                             f"{d} {ID_MONTHS[m - 1]} {y}", f"{d:02d}/{m:02d}/{y}"])
        return r.choice([f"{EN_MONTHS[m - 1]} {d}, {y}", f"{EN_DAYS[r.randrange(7)]} {d} {EN_MONTHS[m - 1]} {y}",
                         f"{y}-{m:02d}-{d:02d}", f"{EN_MONTHS[m - 1][:3]} {d}, {y} {r.randint(1, 12)}:{r.randint(0, 59):02d} {r.choice(['AM', 'PM'])}"])

    def fill(self, s: str, lang: str, site: str) -> str:
        r = self.rng
        h = self.headlines[lang]
        tags = ", ".join(r.sample(EN_TAGS if lang == "en" else ID_TAGS, r.randint(2, 4)))
        return s.format(h=r.choice(h), h2=r.choice(h), y=r.randint(2015, 2025), site=site,
                        ed=r.choice(EN_EDITORS if lang == "en" else ID_EDITORS), tags=tags,
                        d=self.date(lang))

    def furniture(self, lang: str, site: str) -> dict:
        """Header lines, lines inserted between paragraphs, footer lines (10-80 words)."""
        r = self.rng
        F = FURN[lang]
        for _ in range(20):
            top = [self.fill(x, lang, site) for x in r.sample(F["top"], r.randint(0, 2))]
            mid = [self.fill(x, lang, site) for x in r.sample(F["mid"], r.randint(0, 2))]
            bot = [self.fill(x, lang, site) for x in r.sample(F["share"], r.randint(0, 2))]
            bot += [self.fill(x, lang, site) for x in r.sample(F["bottom"], r.randint(1, 4))]
            n = sum(len(x.split()) for x in top + mid + bot)
            if 10 <= n <= 80:
                break
        return {"top": top, "mid": mid, "bottom": bot}

    @staticmethod
    def render(page: dict) -> str:
        lines = list(page.get("furn", {}).get("top", []))
        lines.append(page["title"])
        if page.get("dateline"):
            lines.append(page["dateline"])
        body = list(page["paras"])
        mid = page.get("furn", {}).get("mid", [])
        for k, m in enumerate(mid):  # furniture between paragraphs, spread evenly
            pos = (k + 1) * len(body) // (len(mid) + 1) + k
            body.insert(min(pos, len(body)), m)
        lines.append("\n\n".join(body))
        lines.extend(page.get("furn", {}).get("bottom", []))
        return "\n".join(x for x in lines if x)

    # --- edits --------------------------------------------------------------
    def e_furniture(self, p: dict) -> dict:
        old = p.get("furn")
        for _ in range(10):
            f = self.furniture(p["lang"], p["site"])
            if f != old and (f["top"] or f["mid"] or f["bottom"]):
                break
        p["furn"] = f
        if self.rng.random() < 0.3:
            p["title"] = p["title"] + self.rng.choice([" | ", " - ", " :: "]) + p["site"]
        return {}

    def e_truncate(self, p: dict) -> dict:
        r = self.rng
        frac = round(r.uniform(0.6, 0.9), 3)
        total = sum(len(x.split()) for x in p["paras"])
        keep = max(1, int(total * frac))
        out, acc = [], 0
        for para in p["paras"]:
            w = para.split()
            if acc + len(w) <= keep:
                out.append(para)
                acc += len(w)
            else:
                rest = keep - acc
                if rest > 0:
                    out.append(" ".join(w[:rest]) + " ...")
                break
        else:
            out[-1] = out[-1] + " ..."
        out.append(r.choice(FURN[p["lang"]]["more"]))
        p["paras"] = out
        return {"keep_frac": frac}

    def e_para_insert(self, p: dict, pool: list[str]) -> dict:
        r = self.rng
        para = pool[r.randrange(len(pool))]
        pos = r.randint(0, len(p["paras"]))
        p["paras"].insert(pos, para)
        return {"inserted_words": len(para.split())}

    def e_para_delete(self, p: dict) -> dict:
        r = self.rng
        if len(p["paras"]) >= 3:
            k = r.randrange(1, len(p["paras"]))
            w = len(p["paras"][k].split())
            del p["paras"][k]
            return {"deleted_words": w}
        # one or two paragraphs: delete a run of sentences from the longest one
        k = max(range(len(p["paras"])), key=lambda i: len(p["paras"][i]))
        sents = NONWORD_SENT.split(p["paras"][k])
        if len(sents) < 3:
            w = p["paras"][k].split()
            n = max(1, int(len(w) * r.uniform(0.1, 0.2)))
            s = r.randrange(0, len(w) - n + 1)
            p["paras"][k] = " ".join(w[:s] + w[s + n:])
            return {"deleted_words": n}
        n = max(1, int(len(sents) * r.uniform(0.1, 0.2)))
        s = r.randrange(0, len(sents) - n + 1)
        gone = sents[s:s + n]
        p["paras"][k] = " ".join(sents[:s] + sents[s + n:])
        return {"deleted_words": sum(len(x.split()) for x in gone)}

    def e_dates_numbers(self, p: dict) -> dict:
        r = self.rng
        lang = p["lang"]
        months = EN_MONTHS if lang == "en" else ID_MONTHS
        days = EN_DAYS if lang == "en" else ID_DAYS
        n_changed = [0]

        def num(m: re.Match) -> str:
            s = m.group(0)
            n_changed[0] += 1
            digits = re.sub(r"\D", "", s)
            if len(digits) == 4 and 1900 <= int(digits) <= 2030 and s == digits:
                return str(int(digits) + r.choice([-2, -1, 1, 2]))
            nd = max(1, len(digits) + r.choice([-1, 0, 0, 1]))
            v = str(r.randint(10 ** (nd - 1) if nd > 1 else 0, 10 ** nd - 1))
            return v if v != s else str(int(v) + 1)

        mre = re.compile(r"\b(" + "|".join(months + days) + r")\b")

        def mon(m: re.Match) -> str:
            n_changed[0] += 1
            lst = months if m.group(0) in months else days
            return r.choice([x for x in lst if x != m.group(0)])

        def edit(s: str) -> str:
            return mre.sub(mon, re.sub(r"\d+(?:[.,]\d+)*", num, s))

        p["paras"] = [edit(x) for x in p["paras"]]
        p["title"] = edit(p["title"])
        old = p.get("dateline")
        p["dateline"] = self.fill(r.choice(FURN[lang]["upd"]), lang, p["site"])
        if old and old == p["dateline"]:
            p["dateline"] += " (" + self.date(lang) + ")"
        return {"numbers_changed": n_changed[0]}

    def e_reword(self, p: dict) -> dict:
        r = self.rng
        syn = SYN[p["lang"]]
        # (para index, sentence index) of sentences with >= 6 words
        sents = [NONWORD_SENT.split(x) for x in p["paras"]]
        cand = [(i, j) for i, ss in enumerate(sents) for j, s in enumerate(ss) if len(s.split()) >= 6]
        if not cand:
            cand = [(i, 0) for i in range(len(p["paras"]))]
        k = min(len(cand), r.randint(1, 6))
        ops = 0
        for (i, j) in sorted(r.sample(cand, k)):
            w = sents[i][j].split()
            for _ in range(r.randint(1, 3)):
                if len(w) < 3:
                    break
                idx = [t for t, x in enumerate(w) if x.lower() in syn]
                op = r.random()
                if idx and op < 0.6:
                    t = r.choice(idx)
                    rep = syn[w[t].lower()]
                    w[t] = rep[:1].upper() + rep[1:] if w[t][:1].isupper() else rep
                elif op < 0.85:
                    t = r.randrange(len(w) - 1)
                    w[t], w[t + 1] = w[t + 1], w[t]
                else:
                    del w[r.randrange(1, len(w))]
                ops += 1
            sents[i][j] = " ".join(w)
        p["paras"] = [" ".join(ss) for ss in sents]
        return {"reworded_sentences": k, "word_edits": ops}


def make_template(gen: Gen, lang: str) -> dict:
    """A site template: header lines and footer lines, 80-450 words in total."""
    r = gen.rng
    T = TEMPLATE[lang]
    if lang == "en":
        site = r.choice(EN_SITE_A) + " " + r.choice(EN_SITE_B)
        domain = site.lower().replace(" ", "") + r.choice([".com", ".net", ".org", ".co.uk"])
    else:
        site = r.choice(ID_SITE_A) + r.choice(ID_SITE_B)
        domain = site.lower() + r.choice([".com", ".id", ".co.id"])
    target = r.randint(80, 450)
    heads = gen.headlines[lang]
    for _ in range(50):
        sec = r.choice(T["nav"][1:])
        head = [site.upper() if r.random() < 0.5 else site,
                " | ".join(r.sample(T["nav"], r.randint(5, 12)))]
        if r.random() < 0.5:
            head.append(r.choice(T["crumb"]).format(sec=sec))
        if r.random() < 0.5:
            head.append(" ".join(r.sample(T["cookie"], r.randint(2, len(T["cookie"])))))
        foot = []
        if r.random() < 0.6:  # "most read" box: headlines of other pages of the set
            foot.append(T["most"])
            foot.extend(f"{k + 1}. {h}" for k, h in enumerate(r.sample(heads, r.randint(3, 10))))
        if r.random() < 0.5:
            foot.append(" ".join(r.sample(T["news"], r.randint(2, len(T["news"])))))
        foot.append(" ".join(x.format(site=site, y0=r.randint(1950, 2015))
                             for x in r.sample(T["about"], r.randint(2, len(T["about"])))))
        foot.append(" | ".join(r.sample(T["links"], r.randint(5, len(T["links"])))))
        foot.append(r.choice(T["copy"]).format(site=site, y=r.randint(2019, 2025)))
        n = sum(len(x.split()) for x in head + foot)
        if abs(n - target) <= 40:
            break
    # a fixed, long block (e.g. a full "more sections" menu) is the rest of the target
    if n < target - 40:
        extra = []
        while sum(len(x.split()) for x in extra) < target - n:
            extra.append(r.choice(T["nav"]) + ": " + ", ".join(r.sample(T["nav"], 4)))
        foot.insert(0, " | ".join(extra))
    return {"site": site, "domain": domain, "head": head, "foot": foot}


def render_templated(base: dict, tpl: dict) -> str:
    return "\n".join(tpl["head"] + [base["title"], "\n\n".join(base["paras"])] + tpl["foot"])


# ---------------------------------------------------------------------------
def build(pairs: int, seed: int, pos_share: float, n_singletons: int | None) -> tuple[list[dict], list[dict], dict]:
    rng = random.Random(seed)
    en, en_short_paras = load_english()
    id_pages = glue_indonesian(load_indonesian_texts(), rng)
    loaded = len(en) + len(id_pages)
    bases, n_dropped = screen(en + id_pages)
    headlines = {"en": [b["title"] for b in bases if b["lang"] == "en" and b["title"]],
                 "id": [b["title"] for b in bases if b["lang"] == "id" and b["title"]]}
    gen = Gen(rng, headlines)
    order = list(range(len(bases)))
    rng.shuffle(order)
    bases = [bases[i] for i in order]

    n_pos = round(pairs * pos_share)
    n_neg = pairs - n_pos
    pos_b = bases[:n_pos]
    rest = bases[n_pos:]
    # negatives need two bases of one language
    neg_pairs, used = [], [False] * len(rest)
    waiting: dict[str, int] = {}
    for i, b in enumerate(rest):
        if len(neg_pairs) >= n_neg:
            break
        lang = b["lang"]
        if lang in waiting:
            j = waiting.pop(lang)
            neg_pairs.append((rest[j], b))
            used[j] = used[i] = True
        else:
            waiting[lang] = i
    rest = [b for b, u in zip(rest, used) if not u]
    if len(neg_pairs) < n_neg:
        sys.exit(f"not enough bases: {len(bases)} bases, need {n_pos} + 2 x {n_neg}")
    # hold out up to HOLDOUT bases per language as the paragraph-insert pool
    pool_b: dict[str, list[dict]] = {"en": [], "id": []}
    remaining = []
    want_single = round(0.6 * pairs) if n_singletons is None else n_singletons
    # first take singletons, leaving HOLDOUT bases per language for the pool
    per_lang_left = {"en": sum(b["lang"] == "en" for b in rest), "id": sum(b["lang"] == "id" for b in rest)}
    for b in rest:
        if len(remaining) < want_single and per_lang_left[b["lang"]] > HOLDOUT:
            remaining.append(b)
            per_lang_left[b["lang"]] -= 1
        elif len(pool_b[b["lang"]]) < HOLDOUT:
            pool_b[b["lang"]].append(b)
    singles = remaining
    insert_pool = {"en": [p for b in pool_b["en"] for p in b["paras"] if len(p.split()) >= 20] + en_short_paras,
                   "id": [p for b in pool_b["id"] for p in b["paras"] if len(p.split()) >= 15]}
    for lang in insert_pool:
        if not insert_pool[lang]:
            insert_pool[lang] = [" ".join(TEMPLATE[lang]["about"][:3]).format(site="Redaksi", y0=2000)]

    docs: list[dict] = []   # {"text","url","_tag"}
    labelled: list[dict] = []

    def site_of(b: dict) -> str:
        host = re.sub(r"^https?://(www\.)?", "", b["url"]).split("/")[0]
        return host or "example.com"

    def base_page(b: dict) -> dict:
        p = {"lang": b["lang"], "title": b["title"] or first_words(b["paras"][0], 8),
             "paras": list(b["paras"]), "site": site_of(b)}
        if rng.random() < 0.5:
            p["furn"] = gen.furniture(b["lang"], p["site"])
        if rng.random() < 0.4:
            p["dateline"] = gen.date(b["lang"])
        return p

    kinds = [("furniture", .14), ("truncate", .14), ("para_insert", .10), ("para_delete", .10),
             ("dates_numbers", .10), ("reword", .14), ("combo", .28)]
    singles_ops = ["furniture", "truncate", "para_insert", "para_delete", "dates_numbers", "reword"]

    def apply(op: str, p: dict) -> dict:
        if op == "para_insert":
            return gen.e_para_insert(p, insert_pool[p["lang"]])
        return getattr(gen, "e_" + op)(p)

    for b in pos_b:
        p = base_page(b)
        v = json.loads(json.dumps(p))
        kind = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
        ops = rng.sample(singles_ops, rng.randint(2, 3)) if kind == "combo" else [kind]
        info: dict = {}
        for op in ops:
            info.update(apply(op, v))
        ta, tb = Gen.render(p), Gen.render(v)
        if ta == tb:
            info.update(gen.e_reword(v))
            ops.append("reword")
            tb = Gen.render(v)
        url_b = b["url"]
        u = rng.random()
        if u < 0.4:
            url_b = url_b.rstrip("/") + ("&" if "?" in url_b else "?") + rng.choice(
                ["utm_source=newsletter", "utm_medium=social", "ref=homepage", "amp=1", "page=all"])
        elif u < 0.7:
            url_b = re.sub(r"^(https?://)(www\.)?", r"\1" + rng.choice(["m.", "amp.", "mobile."]), url_b)
        else:
            url_b = re.sub(r"^(https?://)(www\.)?([^/]+)", lambda m: m.group(1) + rng.choice(
                ["news-mirror.net/", "aggregator.example/", "repost.example/", "feedreader.example/"])
                + m.group(3).replace(".", "-"), url_b)
        ia, ib = len(docs), len(docs) + 1
        docs.append({"text": ta, "url": b["url"]})
        docs.append({"text": tb, "url": url_b})
        labelled.append({"a": ia, "b": ib, "label": 1, "kind": kind,
                         **({"edits": ops} if kind == "combo" else {}),
                         "lang": b["lang"], "source": b["source"], "base": b["key"], **info})

    for b1, b2 in neg_pairs:
        tpl = make_template(gen, b1["lang"])
        ia, ib = len(docs), len(docs) + 1
        for b in (b1, b2):
            docs.append({"text": render_templated(b, tpl),
                         "url": f"https://www.{tpl['domain']}/{rng.choice(['news', 'article', 'story', 'berita', 'read'])}/"
                                f"{rng.randint(2015, 2025)}/{slug(b['title'] or b['paras'][0])}"})
        tw = sum(len(x.split()) for x in tpl["head"] + tpl["foot"])
        labelled.append({"a": ia, "b": ib, "label": 0, "kind": "template", "lang": b1["lang"],
                         "source": f"{b1['source']}+{b2['source']}", "base": f"{b1['key']}+{b2['key']}",
                         "template_words": tw})

    for b in singles:
        docs.append({"text": Gen.render(base_page(b)), "url": b["url"]})
        labelled.append(None)  # placeholder keeps nothing; singletons are not pairs
    labelled = [x for x in labelled if x is not None]

    # shuffle corpus order, assign ids
    perm = list(range(len(docs)))
    rng.shuffle(perm)
    new_id = {}
    corpus = []
    for pos, i in enumerate(perm):
        did = f"d{pos:05d}"
        new_id[i] = did
        corpus.append({"id": did, "text": docs[i]["text"], "url": docs[i]["url"]})
    sh_cache: dict[int, set] = {}

    def sh(i: int) -> set:
        if i not in sh_cache:
            sh_cache[i] = shingles(docs[i]["text"])
        return sh_cache[i]

    out_pairs = []
    for rec in labelled:
        j = round(jaccard(sh(rec["a"]), sh(rec["b"])), 4)
        rec2 = {"a": new_id[rec["a"]], "b": new_id[rec["b"]], "label": rec["label"], "kind": rec["kind"],
                "jaccard": j, "bucket": bucket(j)}
        rec2.update({k: v for k, v in rec.items() if k not in ("a", "b", "label", "kind")})
        out_pairs.append(rec2)

    def count(key, rows):
        c: dict = {}
        for r_ in rows:
            c[r_[key]] = c.get(r_[key], 0) + 1
        return dict(sorted(c.items()))

    stats = {
        "bases_loaded": loaded, "bases_dropped_by_screening": n_dropped, "bases_after_screening": len(bases),
        "documents": len(corpus), "pairs": len(out_pairs),
        "positives": sum(r_["label"] == 1 for r_ in out_pairs),
        "hard_negatives": sum(r_["label"] == 0 for r_ in out_pairs),
        "singletons": len(singles),
        "insert_pool_paragraphs": {k: len(v) for k, v in insert_pool.items()},
        "positive_kinds": count("kind", [r_ for r_ in out_pairs if r_["label"] == 1]),
        "positive_buckets": count("bucket", [r_ for r_ in out_pairs if r_["label"] == 1]),
        "negative_buckets": count("bucket", [r_ for r_ in out_pairs if r_["label"] == 0]),
        "positive_langs": count("lang", [r_ for r_ in out_pairs if r_["label"] == 1]),
        "doc_langs": {"en": sum(1 for b in pos_b if b["lang"] == "en") * 2
                      + sum(2 for b1, _ in neg_pairs if b1["lang"] == "en")
                      + sum(1 for b in singles if b["lang"] == "en"),
                      "id": sum(1 for b in pos_b if b["lang"] == "id") * 2
                      + sum(2 for b1, _ in neg_pairs if b1["lang"] == "id")
                      + sum(1 for b in singles if b["lang"] == "id")},
    }
    return corpus, out_pairs, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--pairs", type=int, default=2000, help="labelled pairs (positives + hard negatives)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pos-share", type=float, default=0.6, help="share of positives among the pairs")
    ap.add_argument("--singletons", type=int, default=None,
                    help="unrelated singleton documents (default 0.6 x pairs, capped by the bases left)")
    a = ap.parse_args(argv)
    corpus, pairs, stats = build(a.pairs, a.seed, a.pos_share, a.singletons)
    a.out.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name, rows in (("corpus.jsonl", corpus), ("pairs.jsonl", pairs)):
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
        tmp = a.out / (name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, a.out / name)
        sums[name] = hashlib.sha256(data).hexdigest()
    manifest = {"args": {"pairs": a.pairs, "seed": a.seed, "pos_share": a.pos_share,
                         "singletons": a.singletons}, **stats, "sha256": sums}
    (a.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
