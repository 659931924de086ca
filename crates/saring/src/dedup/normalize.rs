//! Text normalisation for matching documents and lines.
//!
//! Two copies of one article rarely match byte for byte: case, punctuation, whitespace, accents and the
//! numbers in them (dates, view counts, prices) differ. Following datatrove's `simplify_text` (the
//! FineWeb MinHash normaliser), matching uses text that is lower-cased, has every digit run (with its
//! decimal part) replaced by `0`, punctuation turned into spaces, combining marks removed after NFD
//! decomposition, and whitespace collapsed to single spaces.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Normalise a text for matching (see the module docs).
pub fn simplify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    simplify_into(text, &mut out);
    out
}

/// Append the normalised form of `text` to `out`, separated from what `out` already holds by one
/// space when both are non-empty: the normalised lines of a document joined, without a string per line.
pub fn simplify_into(text: &str, out: &mut String) {
    let had_text = !out.is_empty();
    if had_text {
        out.push(' ');
    }
    let mut state = State {
        start: out.len(),
        ..State::default()
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // Most of the web is ASCII: one byte, no decoding, no Unicode tables.
            i += 1;
            if b.is_ascii_alphabetic() {
                state.letter(out, b.to_ascii_lowercase() as char);
            } else if b.is_ascii_digit() {
                state.digit(out);
            } else if state.in_number && (b == b'.' || b == b',') && next_is_digit(text, i) {
                // A decimal separator between digits belongs to the number: `12.000`, `3,5`.
            } else {
                state.separator();
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            let next_digit = next_is_digit(text, i);
            // Only non-ASCII characters pay for canonical decomposition.
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    state.push(out, d, next_digit);
                }
            });
        }
    }
    if had_text && out.len() == state.start {
        out.pop();
    }
}

/// Whether the character starting at byte `at` is a digit.
#[inline]
fn next_is_digit(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_digit(),
        Some(_) => text[at..].chars().next().is_some_and(char::is_numeric),
    }
}

#[derive(Default)]
struct State {
    /// Where this text's output begins in the buffer (no space goes before its first word).
    start: usize,
    pending_space: bool,
    in_number: bool,
}

impl State {
    #[inline]
    fn word_break(&mut self, out: &mut String) {
        if self.pending_space && out.len() > self.start {
            out.push(' ');
        }
        self.pending_space = false;
    }

    #[inline]
    fn digit(&mut self, out: &mut String) {
        if !self.in_number {
            self.word_break(out);
            out.push('0');
            self.in_number = true;
        }
    }

    #[inline]
    fn letter(&mut self, out: &mut String, c: char) {
        self.in_number = false;
        self.word_break(out);
        out.push(c);
    }

    #[inline]
    fn separator(&mut self) {
        // Whitespace and punctuation both separate words.
        self.in_number = false;
        self.pending_space = true;
    }

    /// Any character (after decomposition).
    fn push(&mut self, out: &mut String, c: char, next_is_digit: bool) {
        if c.is_numeric() {
            self.digit(out);
        } else if self.in_number && (c == '.' || c == ',') && next_is_digit {
            // Part of the number, as above.
        } else if c.is_alphabetic() {
            self.in_number = false;
            self.word_break(out);
            out.extend(c.to_lowercase());
        } else {
            self.separator();
        }
    }
}

/// The words of a simplified text.
pub fn words(simplified: &str) -> impl Iterator<Item = &[u8]> {
    simplified
        .as_bytes()
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_folds_case_punctuation_numbers_and_accents() {
        assert_eq!(
            simplify("Hello,   World! 12.000 tentara (2024)"),
            "hello world 0 tentara 0"
        );
        assert_eq!(simplify("Café crème — naïve"), "cafe creme naive");
        // Capitals that decompose to an ASCII letter are lower-cased too (`École` was `Ecole` before).
        assert_eq!(simplify("École Über ÑANDÚ"), "ecole uber nandu");
        assert_eq!(simplify("kupu-kupu"), "kupu kupu");
        assert_eq!(simplify("  \n\t "), "");
        assert_eq!(simplify("Rp3,5 juta"), "rp0 juta");
        assert_eq!(simplify("tahun ٢٠٢٤, bab ³"), "tahun 0 bab 0");
        assert_eq!(simplify("Ｆｕｌｌ, 1.5"), "ｆｕｌｌ 0");
    }

    #[test]
    fn lines_join_with_one_space_and_empty_lines_add_nothing() {
        let mut out = String::new();
        for line in ["Satu, dua!", "  -- ", "", "Tiga 4.5"] {
            simplify_into(line, &mut out);
        }
        assert_eq!(out, "satu dua tiga 0");
        let joined: Vec<String> = ["Satu, dua!", "Tiga 4.5"]
            .iter()
            .map(|l| simplify(l))
            .collect();
        assert_eq!(out, joined.join(" "));
    }
}
