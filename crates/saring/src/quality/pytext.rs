//! Python's string semantics, for reproducing datatrove's filters exactly.
//!
//! datatrove measures text with Python's `str` methods, whose notion of whitespace, letters and
//! lines differs from Rust's in small ways that flip decisions at a threshold: `str.isspace` also
//! counts the information separators U+001C..U+001F, `str.isalpha` means "general category L*"
//! (Rust's `is_alphabetic` also takes marks and letter numbers), `str.splitlines` breaks on eleven
//! separators, and every length is counted in code points. Each helper here names the Python
//! method it stands for.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// Python `str.isspace` for one character.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python `str.isalpha` for one character: general category Lu, Ll, Lt, Lm or Lo.
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// `unicodedata.category(c).startswith("P")`: spaCy's `is_punct` lexical attribute, per character.
pub fn is_punct_category(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

/// Python `str.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Python `str.lstrip()`.
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

/// Python `str.rstrip()`.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_space)
}

/// Python `str.split()` (no argument): runs of whitespace separate, empty pieces are dropped.
pub fn split_whitespace(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|w| !w.is_empty())
}

/// Python `len(s)`: code points.
pub fn len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Python `str.splitlines()` (without keepends): breaks on `\n`, `\r`, `\r\n`, `\v`, `\f`,
/// U+001C..U+001E, U+0085, U+2028 and U+2029; a final line break does not start an empty line.
///
/// Read by bytes rather than by characters: every break is an ASCII byte or starts with the lead
/// byte `C2` (U+0085) or `E2` (U+2028, U+2029), which never occur inside another character. Most
/// texts hold none of the rare breaks (`\v`, `\f`, U+001C..U+001E, U+0085), found by vector
/// searches, and are then split at a vector search for `\n`, `\r` and `E2` alone.
pub fn splitlines(s: &str) -> Vec<&str> {
    let bytes = s.as_bytes();
    let rare = memchr::memchr3(0x0b, 0x0c, 0x1c, bytes).is_some()
        || memchr::memchr2(0x1d, 0x1e, bytes).is_some()
        || memchr::memmem::find(bytes, "\u{85}".as_bytes()).is_some();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut split_at = |at: usize, start: &mut usize| {
        let width = break_width(bytes, at);
        if width > 0 {
            lines.push(&s[*start..at]);
            *start = at + width;
        }
    };
    if rare {
        for at in 0..bytes.len() {
            // The `\n` of a `\r\n` was taken with its `\r`.
            if at >= start && BREAK_LEAD[usize::from(bytes[at])] {
                split_at(at, &mut start);
            }
        }
    } else {
        for at in memchr::memchr3_iter(b'\n', b'\r', 0xE2, bytes) {
            if at >= start {
                split_at(at, &mut start);
            }
        }
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Bytes that can start a line break.
const BREAK_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let leads = [b'\n', b'\r', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0xC2, 0xE2];
    let mut i = 0;
    while i < leads.len() {
        table[leads[i] as usize] = true;
        i += 1;
    }
    table
};

/// Bytes of the line break starting at `bytes[i]`, 0 for none.
#[inline]
fn break_width(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\n' | 0x0b | 0x0c | 0x1c..=0x1e => 1,
        b'\r' => 1 + usize::from(bytes.get(i + 1) == Some(&b'\n')),
        0xC2 if bytes.get(i + 1) == Some(&0x85) => 2,
        0xE2 if bytes.get(i + 1) == Some(&0x80)
            && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
        {
            3
        }
        _ => 0,
    }
}

/// [`splitlines`] character by character, as Python's definition reads: the tests' reference.
#[cfg(test)]
fn splitlines_by_chars(s: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        lines.push(&s[start..i]);
        let mut end = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
            chars.next();
            end += 1;
        }
        start = end;
    }
    if start < s.len() {
        lines.push(&s[start..]);
    }
    lines
}

/// Python `s.count(sub)` for a non-empty `sub`: non-overlapping occurrences.
pub fn count(s: &str, sub: &str) -> usize {
    match sub.as_bytes() {
        // Python counts len(s) + 1 empty matches; `str::matches` agrees.
        [] => s.matches(sub).count(),
        [byte] => memchr::memchr_iter(*byte, s.as_bytes()).count(),
        // memmem's matches do not overlap, as Python's count; on UTF-8 a match of valid UTF-8
        // starts on a character boundary.
        _ => memchr::memmem::find_iter(s.as_bytes(), sub.as_bytes()).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_matches_python() {
        // Python: "a....b......".count("...") == 3, "#x##".count("#") == 3, "……".count("…") == 2.
        assert_eq!(count("a....b......", "..."), 3);
        assert_eq!(count("#x##", "#"), 3);
        assert_eq!(count("……", "…"), 2);
        assert_eq!(count("é…e", "e"), 1);
        assert_eq!(count("ab", ""), 3);
    }

    #[test]
    fn splitlines_matches_python() {
        // Python: "a\r\nb\rc\x0bd\x85e\u2028f\n\n".splitlines() == ['a','b','c','d','e','f','']
        assert_eq!(
            splitlines("a\r\nb\rc\u{0b}d\u{85}e\u{2028}f\n\n"),
            vec!["a", "b", "c", "d", "e", "f", ""]
        );
        assert_eq!(splitlines(""), Vec::<&str>::new());
        assert_eq!(splitlines("x"), vec!["x"]);
        assert_eq!(splitlines("\n"), vec![""]);
        // Look-alikes that are not breaks: U+2027, U+0086, a curly quote (E2 80 99), and U+2028
        // itself as the last character.
        assert_eq!(
            splitlines("a\u{2027}b\u{86}c’d\u{2028}"),
            vec!["a\u{2027}b\u{86}c’d"]
        );
        // The byte reading agrees with the character reading on strings built from breaks,
        // their look-alikes and ordinary text. Mutation check: dropping `\r\n` as one break, or
        // U+2029, makes this fail.
        let pieces = [
            "a", "kata", "\n", "\r", "\r\n", "\u{0b}", "\u{0c}", "\u{1c}", "\u{1e}", "\u{1f}",
            "\u{85}", "\u{86}", "\u{2028}", "\u{2029}", "\u{2027}", "’", "é", "日本",
        ];
        let mut state = 0x1234_5678_9ABC_DEF1u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            assert_eq!(splitlines(&text), splitlines_by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn character_classes_match_python() {
        // "\x1c".isspace() is True in Python, U+200B is not whitespace in either.
        assert!(is_space('\u{1c}') && is_space('\u{a0}') && !is_space('\u{200b}'));
        // "Ⅻ".isalpha() is False (Nl), "ª".isalpha() True (Lo), combining acute False (Mn).
        assert!(!is_alpha('Ⅻ') && is_alpha('ª') && !is_alpha('\u{301}') && is_alpha('é'));
        // "$" is Sc, "-" Pd, "«" Pi, "_" Pc.
        assert!(!is_punct_category('$') && is_punct_category('-') && is_punct_category('«'));
        assert!(is_punct_category('_') && !is_punct_category('+') && is_punct_category('…'));
        assert_eq!(len("kupu-kupu…"), 10);
    }
}
