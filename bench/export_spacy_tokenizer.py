#!/usr/bin/env python3
"""Export spaCy's blank-language tokenizer rules to the (gzipped) JSON data files saring reads.

datatrove 0.10.1 counts words and sentences with `spacy.blank(<lang>)` plus the `sentencizer`
pipe (see datatrove/utils/word_tokenizers.py and assets/tokenizer_assignment.csv: English -> "en",
Indonesian -> "id", Malay, Javanese, Sundanese, Minangkabau -> "ms"). To reproduce its Gopher, C4
and FineWeb decisions, saring runs the same tokenizer algorithm (crates/saring/src/quality/tokenize.rs)
over the same rules, exported here from the installed spaCy (MIT licence, (c) ExplosionAI GmbH):

* the prefix, suffix and infix regular expressions and the URL matcher, rewritten from Python `re`
  syntax to Rust `fancy-regex` syntax (`\\uXXXX` -> `\\x{XXXX}`, inline `(?u)` dropped);
* the special cases (tokenizer exceptions), keeping only those whose tokens differ from what the
  affix rules alone give for the same string (the rest cannot change any tokenization);
* the sentencizer's default sentence-final characters.

It also exports datatrove's own punctuation sets (crates/saring/rules/quality/datatrove-punctuation.json).

Usage: bench/venv-datatrove/bin/python bench/export_spacy_tokenizer.py
       (writes crates/saring/rules/tokenizer/spacy-<lang>.json.gz)
"""
import gzip
import importlib.metadata
import json
import pathlib
import re

import spacy
from spacy.pipeline import Sentencizer
from spacy.tokenizer import Tokenizer

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/saring/rules/tokenizer"


def to_rust(pattern: str) -> str:
    pattern = pattern.replace("(?u)", "")
    pattern = re.sub(r"\\U([0-9A-Fa-f]{8})", lambda m: "\\x{%X}" % int(m.group(1), 16), pattern)
    pattern = re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: "\\x{%X}" % int(m.group(1), 16), pattern)
    return pattern


def screen(pattern: str) -> str:
    """A lookaround-free pattern that matches somewhere in a string whenever `pattern` does.

    Positive lookarounds become ordinary groups (they then consume the characters they looked at,
    which keeps "is there a match anywhere" exact); negative lookarounds are dropped (a superset).
    saring tries this fast pattern first and runs the exact one only when it matches."""
    out, i = "", 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out += pattern[i : i + 2]
            i += 2
        elif pattern.startswith("(?<=", i) or pattern.startswith("(?=", i):
            out += "(?:"
            i += 4 if pattern.startswith("(?<=", i) else 3
        elif pattern.startswith("(?<!", i) or pattern.startswith("(?!", i):
            depth, j, in_class = 0, i, False  # skip the whole group
            while j < len(pattern):
                c = pattern[j]
                if c == "\\":
                    j += 2
                    continue
                if in_class:
                    in_class = c != "]"
                elif c == "[":
                    in_class = True
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
        else:
            out += pattern[i]
            i += 1
    return out


def matcher_patterns(tok, bare, specials):
    patterns = {}
    for key in specials:
        touched = tok.find_prefix(key) or tok.find_suffix(key) or tok.find_infix(key) or " " in key
        if not touched or " " in key:
            continue  # keys with spaces cannot be spelled by one run of adjacent tokens
        pieces = [t.text for t in bare(key)]
        assert "".join(pieces) == key, key
        patterns[key] = [len(p.encode("utf-8")) for p in pieces]
    return patterns


def export(lang: str) -> None:
    nlp = spacy.blank(lang)
    tok = nlp.tokenizer
    bare = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=tok.prefix_search,
        suffix_search=tok.suffix_search,
        infix_finditer=tok.infix_finditer,
        token_match=tok.token_match,
        url_match=tok.url_match,
    )
    specials = {}
    for key, pieces in sorted(tok.rules.items()):
        orths = [p[65] if 65 in p else p["ORTH"] for p in pieces]  # 65 = attrs.ORTH
        if [t.text for t in bare(key)] != orths:
            specials[key] = orths
    data = {
        "about": f"spaCy {spacy.__version__} blank('{lang}') tokenizer rules and sentencizer punctuation, "
        "exported by bench/export_spacy_tokenizer.py. spaCy is MIT-licensed, (c) ExplosionAI GmbH.",
        "prefix": to_rust(tok.prefix_search.__self__.pattern),
        "suffix": to_rust(tok.suffix_search.__self__.pattern),
        "infix": to_rust(tok.infix_finditer.__self__.pattern),
        "url": to_rust(tok.url_match.__self__.pattern) if tok.url_match else None,
        # Lookaround-free screens of the four patterns, for the regex crate (see `screen`).
        "prefix_screen": to_rust(screen(tok.prefix_search.__self__.pattern)),
        "suffix_screen": to_rust(screen(tok.suffix_search.__self__.pattern)),
        "infix_screen": to_rust(screen(tok.infix_finditer.__self__.pattern)),
        "url_screen": to_rust(screen(tok.url_match.__self__.pattern)) if tok.url_match else None,
        "token_match": to_rust(tok.token_match.__self__.pattern) if tok.token_match else None,
        # Special cases that stay one token (most of them: Indonesian and Malay reduplications such
        # as "kupu-kupu", abbreviations such as "Jl."), then those that split into several tokens.
        "single_token_specials": [k for k, v in specials.items() if v == [k]],
        "split_specials": {k: v for k, v in specials.items() if v != [k]},
        # spaCy's special-case matcher (Tokenizer.add_special_case with faster_heuristics): special
        # cases the affix rules would touch, with the UTF-8 byte lengths of the tokens those rules
        # alone give; such token runs are merged back into the special case after tokenizing.
        "matcher_patterns": matcher_patterns(tok, bare, specials),
        "sentence_punct": list(Sentencizer.default_punct_chars),
    }
    # Compressed (about a tenth of the size; most of it is Indonesian and Malay word lists); gzip
    # with mtime 0 so that re-exporting the same spaCy gives the same bytes.
    path = OUT / f"spacy-{lang}.json.gz"
    raw = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(path, len(tok.rules), "rules ->", len(specials), "kept", path.stat().st_size, "bytes")


def export_datatrove_punctuation() -> None:
    """datatrove's PUNCTUATION (Gopher's symbol-word test) and TERMINAL_PUNCTUATION (FineWeb's
    line-end test), from datatrove/utils/text.py (Apache-2.0, (c) HuggingFace)."""
    from datatrove.utils.text import PUNCTUATION, TERMINAL_PUNCTUATION

    data = {
        "about": f"datatrove {importlib.metadata.version('datatrove')} utils/text.py PUNCTUATION and TERMINAL_PUNCTUATION, "
        "exported by bench/export_spacy_tokenizer.py. datatrove is Apache-2.0, (c) HuggingFace.",
        "punctuation": "".join(sorted(set(PUNCTUATION))),
        "terminal_punctuation": "".join(sorted(TERMINAL_PUNCTUATION)),
    }
    path = OUT.parent / "quality" / "datatrove-punctuation.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=True) + "\n")
    print(path, len(data["punctuation"]), len(data["terminal_punctuation"]))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "id", "ms"):
        export(lang)
    export_datatrove_punctuation()
