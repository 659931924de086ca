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
    let mut state = State::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|n| n.is_numeric());
        if c.is_ascii() {
            state.push(&mut out, c.to_ascii_lowercase(), next_is_digit);
        } else {
            // Only non-ASCII characters pay for canonical decomposition.
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    state.push(&mut out, d, next_is_digit);
                }
            });
        }
    }
    out
}

#[derive(Default)]
struct State {
    pending_space: bool,
    in_number: bool,
}

impl State {
    #[inline]
    fn push(&mut self, out: &mut String, c: char, next_is_digit: bool) {
        if c.is_numeric() {
            if !self.in_number {
                if self.pending_space && !out.is_empty() {
                    out.push(' ');
                }
                self.pending_space = false;
                out.push('0');
                self.in_number = true;
            }
            return;
        }
        // A decimal separator between digits belongs to the number: `12.000`, `3,5`.
        if self.in_number && (c == '.' || c == ',') && next_is_digit {
            return;
        }
        self.in_number = false;
        if c.is_alphabetic() {
            if self.pending_space && !out.is_empty() {
                out.push(' ');
            }
            self.pending_space = false;
            if c.is_ascii() {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            // Whitespace and punctuation both separate words.
            self.pending_space = true;
        }
    }
}

/// The words of a simplified text.
pub fn words(simplified: &str) -> impl Iterator<Item = &str> {
    simplified.split(' ').filter(|w| !w.is_empty())
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
        assert_eq!(simplify("kupu-kupu"), "kupu kupu");
        assert_eq!(simplify("  \n\t "), "");
        assert_eq!(simplify("Rp3,5 juta"), "rp0 juta");
    }
}
