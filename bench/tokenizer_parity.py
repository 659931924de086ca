#!/usr/bin/env python3
"""Compare saring's spaCy-compatible tokenizer with datatrove's (spaCy 3.8) on real lines.

For every sampled line: datatrove's `split_into_words` and `len(split_into_sentences)` against
`saring tokenize --lang L`. Lines come from ../shared/data: WCXB gold pages and AEB gold bodies
(English, `en` rules), NusaX Indonesian and IndoNLU texts (`id`), NusaX Javanese/Sundanese and the
lingua Malay file (`ms`), plus the example page. Deterministic sample (seed 1).

Usage: bench/venv-datatrove/bin/python bench/tokenizer_parity.py [--saring target/release/saring] [--per-lang 3000]
"""
import argparse
import csv
import glob
import gzip
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data")


def lines_en():
    out = []
    for fn in sorted(glob.glob(os.path.join(DATA, "wcxb/dev/ground-truth/*.json.gz"))):
        with gzip.open(fn, "rt") as f:
            d = json.load(f)
        text = (d.get("ground_truth") or {}).get("main_content") or ""
        out.extend(l for l in text.splitlines() if l.strip())
    with open(os.path.join(DATA, "scrapinghub-aeb/ground-truth.json")) as f:
        for v in json.load(f).values():
            out.extend(l for l in (v.get("articleBody") or "").splitlines() if l.strip())
    return out


def nusax(column):
    out = []
    for split in ("train", "valid", "test"):
        with open(os.path.join(DATA, f"nusax-mt/{split}.csv"), newline="") as f:
            out.extend(r[column] for r in csv.DictReader(f) if r.get(column))
    return out


def lines_id():
    out = nusax("indonesian")
    with open(os.path.join(ROOT, "..", "shared", "examples", "000_47c8d720653f142a.txt")) as f:
        out.extend(l.rstrip("\n") for l in f if l.strip())
    for fn in sorted(glob.glob(os.path.join(DATA, "indonlu-subset/smsa_doc-sentiment-prosa/*.tsv"))):
        with open(fn) as f:
            out.extend(l.split("\t")[0] for l in f if l.strip())
    return out


def lines_ms():
    out = nusax("javanese") + nusax("sundanese")
    for fn in sorted(glob.glob(os.path.join(DATA, "lingua-testdata/language-testdata/*/ms.txt"))):
        with open(fn) as f:
            out.extend(l.rstrip("\n") for l in f if l.strip())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--saring", default=os.path.join(ROOT, "target/release/saring"))
    ap.add_argument("--per-lang", type=int, default=3000)
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    if not os.path.isdir(DATA):
        sys.exit("skip: ../shared/data is absent")
    from datatrove.utils.word_tokenizers import load_word_tokenizer
    from datatrove.utils.text import split_into_sentences, split_into_words

    rng = random.Random(1)
    total_bad = 0
    # datatrove is called with FineWeb-2's language names: its plain "ms" resolves to a Thai tokenizer.
    for lang, dt_lang, source in (("en", "eng_Latn", lines_en), ("id", "ind_Latn", lines_id), ("ms", "zsm_Latn", lines_ms)):
        lines = source()
        rng.shuffle(lines)
        lines = lines[: args.per_lang]
        load_word_tokenizer(dt_lang)
        expected = [(split_into_words(l, dt_lang), len(split_into_sentences(l, dt_lang))) for l in lines]
        proc = subprocess.run(
            [args.saring, "tokenize", "--lang", lang],
            input="".join(json.dumps(l) + "\n" for l in lines),
            capture_output=True, text=True, check=True,
        )
        got = [json.loads(l) for l in proc.stdout.splitlines()]
        word_bad = [i for i, (e, g) in enumerate(zip(expected, got)) if e[0] != g["words"]]
        sent_bad = [i for i, (e, g) in enumerate(zip(expected, got)) if e[1] != g["sentences"]]
        n_words = sum(len(e[0]) for e in expected)
        print(f"{lang}: {len(lines)} lines, {n_words} words; word lists identical {1 - len(word_bad) / len(lines):.4%}, "
              f"sentence counts identical {1 - len(sent_bad) / len(lines):.4%}")
        for i in word_bad[: args.show]:
            e, g = expected[i][0], got[i]["words"]
            j = next((k for k in range(min(len(e), len(g))) if e[k] != g[k]), min(len(e), len(g)))
            print(f"   words  spaCy {e[max(0, j - 2): j + 3]}  saring {g[max(0, j - 2): j + 3]}")
        for i in sent_bad[: args.show]:
            print(f"   sents  spaCy {expected[i][1]} saring {got[i]['sentences']}: {lines[i][:120]!r}")
        total_bad += len(word_bad) + len(sent_bad)
    return 0


if __name__ == "__main__":
    sys.exit(main())
