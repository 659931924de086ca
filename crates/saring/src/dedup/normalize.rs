//! Text normalisation for matching documents and lines.
//!
//! Two copies of one article rarely match byte for byte: case, punctuation, whitespace, accents and the
//! numbers in them (dates, view counts, prices) differ. Following datatrove's `simplify_text` (the
//! FineWeb MinHash normaliser), matching uses text that is lower-cased, has every digit run (with its
//! decimal part) replaced by `0`, punctuation turned into spaces, combining marks removed after NFD
//! decomposition, and whitespace collapsed to single spaces.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalise a text for matching (see the module docs).
pub fn simplify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut in_number = false;
    let mut chars = text.nfd().peekable();
    while let Some(c) = chars.next() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_numeric() {
            if !in_number {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push('0');
                in_number = true;
            }
            continue;
        }
        // A decimal separator between digits belongs to the number: `12.000`, `3,5`.
        if in_number && (c == '.' || c == ',') && chars.peek().is_some_and(|n| n.is_numeric()) {
            continue;
        }
        in_number = false;
        if c.is_alphabetic() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            // Whitespace and punctuation both separate words.
            pending_space = true;
        }
    }
    out
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
