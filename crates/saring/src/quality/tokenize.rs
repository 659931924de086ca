//! spaCy's rule-based tokenizer and sentencizer, reimplemented so saring counts words and sentences
//! exactly as datatrove does.
//!
//! datatrove's Gopher, C4 and FineWeb filters measure "words" with `spacy.blank(lang)` and
//! "sentences" with spaCy's `sentencizer` pipe (English uses the `en` rules, Indonesian `id`, Malay,
//! Javanese, Sundanese and Minangkabau the `ms` rules). Word counts decide `gopher_short_doc`, the
//! n-gram repetition fractions decide `top_2_gram` and `duplicated_5_n_grams`, and sentence counts
//! decide C4's `too_few_sentences`; a tokenizer that merely resembles spaCy's moves documents across
//! those thresholds. So this module runs spaCy's algorithm (`Tokenizer._tokenize_affixes`,
//! `_split_affixes` and `_attach_tokens` in spaCy 3.8) over spaCy's own rules, exported to
//! `rules/tokenizer/spacy-<lang>.json.gz` by `bench/export_spacy_tokenizer.py` (spaCy is MIT-licensed).
//! This is also what makes `12.000` one token and, in Indonesian, `kupu-kupu` one word while
//! `Jl.` stays an abbreviation.
//!
//! spaCy's second pass, which merges token runs back into special cases that contain affix
//! characters (`_apply_special_cases`), is reproduced too (`apply_special_matcher`).
//!
//! Speed comes from not running the rules: a whitespace-delimited span made of ASCII letters is one
//! token when the rules provably cannot split it (`plain_letter_starts`, decided once per rules file)
//! and it is no special case; other spans are tokenized once per thread and then looked up
//! (`SpanCache`). Only first-seen spans reach the regexes: those with punctuation, digits or other
//! scripts, letter spans whose first letter a rule may match, and special cases.

use std::collections::HashMap;
use std::sync::OnceLock;

use fancy_regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::pytext;
use crate::word_map::WordMap;

#[derive(Deserialize)]
struct RulesFile {
    prefix: String,
    suffix: String,
    infix: String,
    url: Option<String>,
    prefix_screen: String,
    suffix_screen: String,
    infix_screen: String,
    url_screen: Option<String>,
    token_match: Option<String>,
    single_token_specials: Vec<String>,
    split_specials: HashMap<String, Vec<String>>,
    matcher_patterns: HashMap<String, Vec<usize>>,
    sentence_punct: Vec<String>,
}

/// One tokenizer: the compiled rules of one spaCy language.
pub struct SpacyTokenizer {
    language: String,
    /// Slot in the per-thread span cache (embedded tokenizers only).
    cache_slot: Option<usize>,
    prefix: Regex,
    suffix: Regex,
    /// `prefix` and `suffix` split by whether an alternative needs the backtracking engine (see
    /// [`AffixParts`]).
    prefix_parts: Option<AffixParts>,
    suffix_parts: Option<AffixParts>,
    infix: Regex,
    url: Option<Regex>,
    /// Lookaround-free versions of the four patterns that match wherever those do (see
    /// `bench/export_spacy_tokenizer.py`). Most words match none of them, and the `regex` crate
    /// says so in well under a microsecond; the backtracking `fancy_regex` patterns, which can take
    /// tens of microseconds, run only when a screen matches.
    prefix_screen: regex::Regex,
    suffix_screen: regex::Regex,
    infix_screen: regex::Regex,
    url_screen: Option<regex::Regex>,
    token_match: Option<Regex>,
    /// Special cases: the string and, for those that split, the token lengths in bytes.
    specials: FxHashMap<String, Option<Vec<usize>>>,
    /// spaCy's special-case matcher: for each special case that contains affix characters, the
    /// tokens the affix rules alone give for it. After tokenizing, such token runs are merged back
    /// into the special case (`Tokenizer._apply_special_cases`), which is how `):` or `''` stay one
    /// token when they follow a word.
    /// Patterns as their token texts joined by [`MATCHER_SEPARATOR`].
    matcher: FxHashSet<String>,
    matcher_first: WordMap<()>,
    /// First bytes of `matcher_first`, and of the patterns' second tokens: most tokens are ruled
    /// out without hashing (every pattern has at least two tokens, and in the Indonesian rules,
    /// whose patterns are reduplications like `abu` `-` `abu`, nearly every word starts one).
    matcher_first_bytes: [bool; 256],
    matcher_second_bytes: [bool; 256],
    matcher_max_len: usize,
    /// No matcher pattern has a whitespace token, so special cases never merge tokens across a
    /// line break: the words of lines joined by `\n` are the words of each line, in order.
    words_are_line_local: bool,
    /// ASCII letters that start no run of ASCII letters in which a prefix, suffix or infix rule
    /// matches (proved from the rules when they are loaded, see
    /// [`letters_screen_never_matches_after`]; the Indonesian rules' currency prefixes `Rp`, `USD`,
    /// `IDR`, `RMB`, `SGD` keep out `R`, `U`, `I`, `S`, the Malay ones' `RM` and `MYR` also `M`). A
    /// span of ASCII letters that starts with one is a single token unless it is a special case:
    /// most words skip the span cache and the rules.
    plain_letter_starts: [bool; 256],
    /// The special cases made of ASCII letters only (`cannot`, `gonna`).
    letter_specials: WordMap<()>,
    /// Their (first byte, last byte) pairs as a 256 × 256 bit set: most words differ from every
    /// special case in these two bytes and skip the lookup (1.4% of the filter pipeline's profile).
    letter_special_ends: Vec<u64>,
    sentence_punct: FxHashSet<char>,
}

/// More characters than any lookbehind in spaCy's infix rules reads (the longest, in the `id` and
/// `ms` rules, reads two).
const LOOKBEHIND_CHARS: usize = 8;

/// Joins the token texts of a matcher pattern into one lookup key; no pattern piece contains it.
const MATCHER_SEPARATOR: char = '\u{1}';

/// A token as a byte range of the text it came from.
pub type Span = (usize, usize);

/// The tokens and words of one text, tokenized on first use: several filters need them, some never
/// get that far. The tokens (whitespace tokens included) are kept so that C4 can count the
/// sentences of a line from them instead of tokenizing the line again.
pub struct LazyWords<'t> {
    tokenizer: &'t SpacyTokenizer,
    text: &'t str,
    tokens: std::cell::OnceCell<Vec<Span>>,
    words: std::cell::OnceCell<Vec<&'t str>>,
    known_count: Option<usize>,
}

impl<'t> LazyWords<'t> {
    pub fn new(tokenizer: &'t SpacyTokenizer, text: &'t str) -> Self {
        LazyWords {
            tokenizer,
            text,
            tokens: std::cell::OnceCell::new(),
            words: std::cell::OnceCell::new(),
            known_count: None,
        }
    }

    /// Tokens of this same text from an earlier [`LazyWords::into_tokens`].
    pub fn with_tokens(tokenizer: &'t SpacyTokenizer, text: &'t str, tokens: Vec<Span>) -> Self {
        let words = LazyWords::new(tokenizer, text);
        let _ = words.tokens.set(tokens);
        words
    }

    /// Words whose number is known but not the words themselves (see [`LazyWords::count`]).
    pub fn with_count(tokenizer: &'t SpacyTokenizer, text: &'t str, count: usize) -> Self {
        let mut words = LazyWords::new(tokenizer, text);
        words.known_count = Some(count);
        words
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    pub fn tokenizer(&self) -> &'t SpacyTokenizer {
        self.tokenizer
    }

    /// All tokens, whitespace tokens included ([`SpacyTokenizer::tokens`]).
    pub fn tokens(&self) -> &[Span] {
        self.tokens.get_or_init(|| self.tokenizer.tokens(self.text))
    }

    /// The tokens, if some filter needed them already.
    pub fn tokens_if_known(&self) -> Option<&[Span]> {
        self.tokens.get().map(Vec::as_slice)
    }

    /// datatrove's `split_into_words`: the token texts, whitespace tokens removed.
    pub fn get(&self) -> &[&'t str] {
        self.words
            .get_or_init(|| words_of(self.text, self.tokens()))
    }

    /// How many words, without tokenizing when that is known already.
    pub fn count(&self) -> usize {
        match (self.words.get(), self.known_count) {
            (Some(words), _) => words.len(),
            (None, Some(count)) => count,
            (None, None) => self.get().len(),
        }
    }

    /// The tokens, if they were computed, for the next filter over the same text.
    pub fn into_tokens(self) -> Option<Vec<Span>> {
        self.tokens.into_inner()
    }
}

/// The texts of the tokens that are not whitespace.
fn words_of<'t>(text: &'t str, tokens: &[Span]) -> Vec<&'t str> {
    let mut words = Vec::with_capacity(tokens.len());
    words.extend(
        tokens
            .iter()
            .map(|&(a, b)| &text[a..b])
            // Spans are cut at whitespace, so a token is either all whitespace or has none; an
            // ASCII first byte is classified without decoding.
            .filter(|t| match t.as_bytes().first() {
                None => true,
                Some(&b) if b < 0x80 => ASCII_CLASS[usize::from(b)] != ASCII_SPACE,
                Some(_) => !t.chars().next().is_some_and(pytext::is_space),
            }),
    );
    words
}

#[derive(Debug)]
pub struct TokenizerError(pub String);

impl std::fmt::Display for TokenizerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TokenizerError {}

const EMBEDDED: [(&str, &[u8]); 3] = [
    (
        "en",
        include_bytes!("../../rules/tokenizer/spacy-en.json.gz"),
    ),
    (
        "id",
        include_bytes!("../../rules/tokenizer/spacy-id.json.gz"),
    ),
    (
        "ms",
        include_bytes!("../../rules/tokenizer/spacy-ms.json.gz"),
    ),
];

/// The tokenizer for a spaCy language code (`en`, `id`, `ms`), built on first use. Other codes fall
/// back to `en`'s rules, which is what spaCy's language-neutral `xx` rules amount to for
/// space-separated scripts.
pub fn for_language(code: &str) -> &'static SpacyTokenizer {
    static CACHE: [OnceLock<SpacyTokenizer>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = EMBEDDED.iter().position(|(c, _)| *c == code).unwrap_or(0);
    CACHE[index].get_or_init(|| {
        let mut tokenizer = from_embedded(index);
        tokenizer.cache_slot = Some(index);
        tokenizer
    })
}

/// A tokenizer of the embedded rules `EMBEDDED[index]`, without a span cache.
fn from_embedded(index: usize) -> SpacyTokenizer {
    let (code, gz) = EMBEDDED[index];
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut json)
        .expect("the embedded tokenizer rules decompress");
    SpacyTokenizer::from_json(code, &json).expect("the embedded tokenizer rules compile")
}

fn compile_screen(what: &str, pattern: &str) -> Result<regex::Regex, TokenizerError> {
    regex::RegexBuilder::new(pattern)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .map_err(|e| TokenizerError(format!("tokenizer {what} screen does not compile: {e}")))
}

/// Length of the first match of `exact` in `s` (spaCy's `match.end() - match.start()`), 0 when none;
/// the cheap `screen` rules most strings out first.
///
/// The screen matches wherever `exact` does, so `exact`'s leftmost match cannot start before the
/// screen's: the backtracking search starts there (with the text before it still visible to
/// lookbehinds) instead of trying every position of the word. For a suffix that is the difference
/// between one attempt and one per character.
fn match_len(screen: &regex::Regex, exact: &Regex, s: &str) -> usize {
    let Some(first) = screen.find(s) else {
        return 0;
    };
    match exact.find_from_pos(s, first.start()) {
        Ok(Some(m)) => m.end() - m.start(),
        _ => 0,
    }
}

/// An affix pattern split into its alternatives without lookaround, for the `regex` crate, and
/// those with lookaround (a handful), for the backtracking engine.
///
/// spaCy's prefix and suffix patterns are alternations of 80 to 170 alternatives, of which one to
/// nine have a lookaround. That one sends the whole pattern to the backtracking engine, which then
/// tries every alternative in turn: about a microsecond per word with punctuation seen for the
/// first time. Split, the lookaround alternatives run only when a screen of them (their lookarounds
/// removed, so it matches wherever they do) matches at all:
/// * a suffix alternative always ends in `$`, so a match is fixed by where it starts, and the
///   pattern's leftmost match is the earlier of the two parts' leftmost matches;
/// * for a prefix, alternatives that cannot match anywhere in the text do not change which
///   matches first, so when the screen finds nothing the other alternatives decide alone, in the
///   pattern's order; otherwise the whole pattern runs as before.
struct AffixParts {
    plain: regex::Regex,
    lookaround: Option<(regex::Regex, Regex)>,
}

impl AffixParts {
    /// `None` unless `pattern` splits into alternatives that compile on their own (and, for a
    /// suffix pattern, all end in `$`).
    fn of(pattern: &str, suffix: bool) -> Option<AffixParts> {
        let alternatives = top_level_alternatives(pattern)?;
        let ends_at_end = |a: &&str| {
            let trailing_backslashes = a[..a.len().saturating_sub(1)]
                .bytes()
                .rev()
                .take_while(|&b| b == b'\\')
                .count();
            a.ends_with('$') && trailing_backslashes % 2 == 0
        };
        if suffix && !alternatives.iter().all(ends_at_end) {
            return None;
        }
        let needs_backtracking = |a: &&str| {
            LOOKAROUNDS.iter().any(|l| a.contains(l))
                || a.as_bytes()
                    .windows(2)
                    .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
        };
        let (hard, plain): (Vec<&str>, Vec<&str>) =
            alternatives.into_iter().partition(needs_backtracking);
        let what = if suffix { "suffix" } else { "prefix" };
        let plain = compile_screen(what, &plain.join("|")).ok()?;
        let lookaround = if hard.is_empty() {
            None
        } else {
            let screen: Vec<String> = hard
                .iter()
                .map(|a| without_lookarounds(a))
                .collect::<Option<_>>()?;
            Some((
                compile_screen(what, &screen.join("|")).ok()?,
                compile(what, &hard.join("|")).ok()?,
            ))
        };
        Some(AffixParts { plain, lookaround })
    }

    /// [`match_len`] of the whole suffix pattern.
    fn suffix_len(&self, screen: &regex::Regex, s: &str) -> usize {
        let Some(first) = screen.find(s) else {
            return 0;
        };
        let plain = self.plain.find_at(s, first.start()).map(|m| m.range());
        let lookaround = self.lookaround.as_ref().and_then(|(screen, exact)| {
            screen.find_at(s, first.start())?;
            match exact.find_from_pos(s, first.start()) {
                Ok(Some(m)) => Some(m.range()),
                _ => None,
            }
        });
        match (plain, lookaround) {
            (Some(a), Some(b)) => {
                let m = if b.start < a.start { b } else { a };
                m.end - m.start
            }
            (Some(m), None) | (None, Some(m)) => m.end - m.start,
            (None, None) => 0,
        }
    }

    /// [`match_len`] of the whole prefix pattern `whole`.
    fn prefix_len(&self, screen: &regex::Regex, whole: &Regex, s: &str) -> usize {
        let Some(first) = screen.find(s) else {
            return 0;
        };
        match &self.lookaround {
            Some((lookaround, _)) if lookaround.is_match(s) => match_len(screen, whole, s),
            _ => self
                .plain
                .find_at(s, first.start())
                .map_or(0, |m| m.end() - m.start()),
        }
    }
}

/// The lookaround openings of the backtracking engine's syntax.
const LOOKAROUNDS: [&str; 4] = ["(?<=", "(?<!", "(?=", "(?!"];

/// `alternative` with its lookaround groups removed (a pattern that matches wherever it does);
/// `None` if a group does not close.
fn without_lookarounds(alternative: &str) -> Option<String> {
    let mut out = String::with_capacity(alternative.len());
    let bytes = alternative.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if LOOKAROUNDS.iter().any(|l| alternative[i..].starts_with(l)) {
            // Skip to the matching `)`, minding escapes and character classes.
            let (mut depth, mut in_class) = (0usize, false);
            loop {
                match *bytes.get(i)? {
                    b'\\' => i += 1,
                    b'[' if !in_class => in_class = true,
                    b']' if in_class => in_class = false,
                    b'(' if !in_class => depth += 1,
                    b')' if !in_class => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        let char_len = |at: usize| alternative[at..].chars().next().map_or(1, char::len_utf8);
        // One character, or an escape and the character it escapes.
        let mut take = char_len(i);
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            take += char_len(i + 1);
        }
        out.push_str(&alternative[i..i + take]);
        i += take;
    }
    Some(out)
}

/// The top-level alternatives of a regular expression (split at each `|` outside groups and
/// character classes); `None` if its brackets do not balance.
fn top_level_alternatives(pattern: &str) -> Option<Vec<&str>> {
    let mut alternatives = Vec::new();
    let (mut depth, mut in_class, mut start) = (0usize, false, 0);
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' if !in_class => {
                in_class = true;
                // A `]` right after `[` or `[^` is a literal.
                if bytes.get(i + 1) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i + 1) == Some(&b']') {
                    i += 1;
                }
            }
            b'[' => return None,
            b']' if in_class => in_class = false,
            b'(' if !in_class => depth += 1,
            b')' if !in_class => depth = depth.checked_sub(1)?,
            b'|' if !in_class && depth == 0 => {
                alternatives.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if depth != 0 || in_class {
        return None;
    }
    alternatives.push(&pattern[start..]);
    Some(alternatives)
}

/// Classes of ASCII bytes for the span scan of [`SpacyTokenizer::tokens`] and for `words_of`: Python's `str.isspace`
/// (`\t`, `\n`, `\v`, `\f`, `\r`, `\x1c`-`\x1f`, space), letters, the rest.
const ASCII_OTHER: u8 = 0;
const ASCII_SPACE: u8 = 1;
const ASCII_LETTER: u8 = 2;
static ASCII_CLASS: [u8; 128] = {
    let mut class = [ASCII_OTHER; 128];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ' => ASCII_SPACE,
            b'a'..=b'z' | b'A'..=b'Z' => ASCII_LETTER,
            _ => ASCII_OTHER,
        };
        b += 1;
    }
    class
};

/// Spans seen before, per thread and tokenizer: spaCy keeps the same cache. Natural text repeats
/// its words, so most spans are looked up, not tokenized. Cleared when full to bound memory.
const SPAN_CACHE_LIMIT: usize = 200_000;
/// Longer spans are tokenized each time they occur.
const CACHED_SPAN_BYTES: usize = 128;
/// The range of a span that is one token, the span itself (most are): nothing stored in `pieces`.
const WHOLE_SPAN: (u32, u32) = (u32::MAX, 0);

/// Spans seen before → their range of `pieces`, the token boundaries relative to the span.
#[derive(Default)]
struct SpanCache {
    ranges: WordMap<(u32, u32)>,
    pieces: Vec<(u32, u32)>,
}

thread_local! {
    static SPAN_CACHE: std::cell::RefCell<[SpanCache; 3]> = Default::default();
}

/// The bit of a non-empty key's (first byte, last byte) pair in
/// [`SpacyTokenizer::letter_special_ends`].
fn letter_special_ends_bit(bytes: &[u8]) -> usize {
    usize::from(bytes[0]) << 8 | usize::from(bytes[bytes.len() - 1])
}

/// The spans `Tokenizer._tokenize_affixes` tokenizes one by one: runs of non-whitespace and runs of
/// whitespace (Python's `isspace`), where the single space after a non-whitespace run is dropped
/// (it only separates two tokens). Each with whether it is made of ASCII letters only.
fn whitespace_spans(text: &str) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
    let bytes = text.as_bytes();
    let first = text.chars().next();
    let mut in_ws = first.is_some_and(pytext::is_space);
    // Whether the current span is made of ASCII letters only.
    let mut letters = !in_ws;
    let mut start = 0;
    let mut i = 0;
    let mut ended = first.is_none();
    std::iter::from_fn(move || {
        while i < bytes.len() {
            // ASCII classified by a table; other characters decoded for Python's isspace.
            let b = bytes[i];
            let (space, letter, width) = if b < 0x80 {
                let class = ASCII_CLASS[usize::from(b)];
                (class == ASCII_SPACE, class == ASCII_LETTER, 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (pytext::is_space(c), false, c.len_utf8())
            };
            let mut span = None;
            if space != in_ws {
                if start < i {
                    span = Some((start, i, letters && !in_ws));
                }
                start = if b == b' ' { i + 1 } else { i };
                in_ws = !in_ws;
                letters = true;
            }
            letters &= letter;
            i += width;
            if span.is_some() {
                return span;
            }
        }
        if ended || start >= bytes.len() {
            return None;
        }
        ended = true;
        Some((start, bytes.len(), letters && !in_ws))
    })
}

/// Whether `bytes` is a non-empty run of ASCII letters.
fn is_letter_run(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_alphabetic)
}

/// For each byte, whether it is an ASCII letter that starts no run of ASCII letters in which the
/// lookaround-free `screen` matches anywhere. Decided exactly by walking the pattern's lazy DFA, as
/// an unanchored search from the start of a text would, through every state that letters reach
/// after that first letter; a byte is only marked when its walk completed without a match.
fn letters_screen_never_matches_after(screen: &str) -> [bool; 256] {
    use regex_automata::hybrid::dfa::{Cache, DFA};
    use regex_automata::Input;
    let mut safe = [false; 256];
    let Ok(dfa) = DFA::builder()
        .configure(DFA::config().cache_capacity(64 << 20))
        .build(screen)
    else {
        return safe;
    };
    let mut cache = dfa.create_cache();
    let Ok(start) = dfa.start_state_forward(&mut cache, &Input::new("")) else {
        return safe;
    };
    let letters = || (b'A'..=b'Z').chain(b'a'..=b'z');
    // Whether some run of letters read from `from` reaches a match (or the walk gives up).
    let can_match = |cache: &mut Cache, from| -> bool {
        let mut seen = FxHashSet::default();
        let mut todo = vec![from];
        seen.insert(from);
        while let Some(state) = todo.pop() {
            // Matches show one byte late, and at the end of the input through the EOI transition.
            match dfa.next_eoi_state(cache, state) {
                Ok(eoi) if !eoi.is_match() && !eoi.is_quit() => {}
                _ => return true,
            }
            for byte in letters() {
                let Ok(next) = dfa.next_state(cache, state, byte) else {
                    return true;
                };
                if next.is_match() || next.is_quit() || next.is_unknown() {
                    return true;
                }
                if !next.is_dead() && seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        false
    };
    for first in letters() {
        safe[first as usize] = match dfa.next_state(&mut cache, start, first) {
            Ok(next) if !(next.is_match() || next.is_quit() || next.is_unknown()) => {
                next.is_dead() || !can_match(&mut cache, next)
            }
            _ => false,
        };
    }
    // State ids are only stable while the cache was never cleared.
    if cache.clear_count() > 0 {
        return [false; 256];
    }
    safe
}

fn compile(what: &str, pattern: &str) -> Result<Regex, TokenizerError> {
    fancy_regex::RegexBuilder::new(pattern)
        .backtrack_limit(1_000_000)
        .build()
        .map_err(|e| TokenizerError(format!("tokenizer {what} pattern does not compile: {e}")))
}

impl SpacyTokenizer {
    /// Build from an exported rules file (see `bench/export_spacy_tokenizer.py`).
    pub fn from_json(language: &str, json: &str) -> Result<Self, TokenizerError> {
        let file: RulesFile = serde_json::from_str(json)
            .map_err(|e| TokenizerError(format!("tokenizer rules for {language}: {e}")))?;
        let mut specials = FxHashMap::default();
        for s in file.single_token_specials {
            specials.insert(s, None);
        }
        for (key, pieces) in file.split_specials {
            if pieces.concat() != key || pieces.iter().any(String::is_empty) {
                return Err(TokenizerError(format!(
                    "tokenizer rules for {language}: special case {key:?} does not split into itself (or has an empty piece)"
                )));
            }
            specials.insert(key, Some(pieces.iter().map(|p| p.len()).collect()));
        }
        let sentence_punct = file
            .sentence_punct
            .iter()
            .filter_map(|p| {
                let mut chars = p.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some(c),
                    _ => None,
                }
            })
            .collect();
        let mut tokenizer = SpacyTokenizer {
            language: language.to_string(),
            cache_slot: None,
            prefix_screen: compile_screen("prefix", &file.prefix_screen)?,
            suffix_screen: compile_screen("suffix", &file.suffix_screen)?,
            infix_screen: compile_screen("infix", &file.infix_screen)?,
            url_screen: file
                .url_screen
                .as_deref()
                .map(|p| compile_screen("url", p))
                .transpose()?,
            prefix: compile("prefix", &file.prefix)?,
            suffix: compile("suffix", &file.suffix)?,
            prefix_parts: AffixParts::of(&file.prefix, false),
            suffix_parts: AffixParts::of(&file.suffix, true),
            infix: compile("infix", &file.infix)?,
            url: file.url.as_deref().map(|p| compile("url", p)).transpose()?,
            token_match: file
                .token_match
                .as_deref()
                .map(|p| compile("token_match", p))
                .transpose()?,
            specials,
            matcher: FxHashSet::default(),
            matcher_first: WordMap::default(),
            matcher_first_bytes: [false; 256],
            matcher_second_bytes: [false; 256],
            matcher_max_len: 0,
            words_are_line_local: true,
            plain_letter_starts: [false; 256],
            letter_specials: WordMap::default(),
            letter_special_ends: vec![0; 256 * 256 / 64],
            sentence_punct,
        };
        let [prefix, suffix, infix] =
            [&file.prefix_screen, &file.suffix_screen, &file.infix_screen]
                .map(|screen| letters_screen_never_matches_after(screen));
        for b in 0..256 {
            tokenizer.plain_letter_starts[b] = prefix[b] && suffix[b] && infix[b];
        }
        for key in tokenizer.specials.keys() {
            if is_letter_run(key.as_bytes()) {
                tokenizer.letter_specials.insert(key, ());
                let ends = letter_special_ends_bit(key.as_bytes());
                tokenizer.letter_special_ends[ends / 64] |= 1 << (ends % 64);
            }
        }
        // spaCy's `add_special_case` puts a special case into its matcher when the affix rules
        // would touch it; the exporter stored the token lengths those rules give.
        for (key, lengths) in file.matcher_patterns {
            if lengths.iter().sum::<usize>() != key.len()
                || !lengths
                    .iter()
                    .scan(0, |at, l| {
                        *at += l;
                        Some(key.is_char_boundary(*at))
                    })
                    .all(|ok| ok)
            {
                return Err(TokenizerError(format!(
                    "tokenizer rules for {language}: matcher pattern of {key:?} does not spell it"
                )));
            }
            let mut at = 0;
            let pattern: Vec<String> = lengths
                .iter()
                .map(|l| {
                    let piece = key[at..at + l].to_string();
                    at += l;
                    piece
                })
                .collect();
            if pattern
                .iter()
                .any(|p| p.is_empty() || p.contains(MATCHER_SEPARATOR))
            {
                return Err(TokenizerError(format!(
                    "tokenizer rules for {language}: matcher pattern of {key:?} has an empty piece or U+0001"
                )));
            }
            if pattern.iter().any(|p| p.chars().any(pytext::is_space)) {
                tokenizer.words_are_line_local = false;
            }
            tokenizer.matcher_max_len = tokenizer.matcher_max_len.max(pattern.len());
            if pattern.len() < 2 {
                return Err(TokenizerError(format!(
                    "tokenizer rules for {language}: matcher pattern of {key:?} is a single token"
                )));
            }
            tokenizer.matcher_first_bytes[pattern[0].as_bytes()[0] as usize] = true;
            tokenizer.matcher_second_bytes[pattern[1].as_bytes()[0] as usize] = true;
            tokenizer.matcher_first.insert(&pattern[0], ());
            tokenizer
                .matcher
                .insert(pattern.join(&MATCHER_SEPARATOR.to_string()));
        }
        Ok(tokenizer)
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// All tokens of `text`, including spaCy's whitespace tokens (runs of whitespace other than the
    /// single space that separates two tokens).
    pub fn tokens(&self, text: &str) -> Vec<Span> {
        let tokens = self.tokens_affixes(text);
        self.apply_special_matcher(text, tokens)
    }

    /// `Tokenizer._tokenize_affixes(text, with_special_cases=True)`.
    fn tokens_affixes(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::with_capacity(text.len() / 5 + 1);
        let mut spans = whitespace_spans(text);
        self.with_span_cache(|mut cache| {
            // The cache slot of the span two ahead is requested from memory while the current one
            // is tokenized (see `WordMap::prefetch`); letters-only spans that skip the cache are
            // not requested.
            let request = |cache: Option<&SpanCache>, span: Option<(usize, usize, bool)>| {
                if let (Some(cache), Some((a, b, letters_only))) = (cache, span) {
                    if !self.rules_cannot_split(&text[a..b], letters_only) {
                        cache.ranges.prefetch(&text[a..b]);
                    }
                }
            };
            let mut next = spans.next();
            let mut after = spans.next();
            request(cache.as_deref(), next);
            request(cache.as_deref(), after);
            while let Some((start, end, letters)) = next {
                next = after;
                after = spans.next();
                request(cache.as_deref(), after);
                self.tokenize_span(cache.as_deref_mut(), text, start, end, letters, &mut out);
            }
        });
        out
    }

    /// Runs `f` with this thread's span cache for this tokenizer, borrowed once per text (`None`
    /// for tokenizers built outside [`for_language`]).
    fn with_span_cache<R>(&self, f: impl FnOnce(Option<&mut SpanCache>) -> R) -> R {
        match self.cache_slot {
            Some(slot) => SPAN_CACHE.with(|caches| f(Some(&mut caches.borrow_mut()[slot]))),
            None => f(None),
        }
    }

    /// `Tokenizer._apply_special_cases`: find every token run that spells a matcher pattern, keep
    /// the longest (leftmost among equals) that do not collide, and replace each whose text (spaces
    /// included) is a special case by that special case's tokens.
    fn apply_special_matcher(&self, text: &str, tokens: Vec<Span>) -> Vec<Span> {
        if self.matcher.is_empty() {
            return tokens;
        }
        let mut matches: Vec<(usize, usize)> = Vec::new();
        let mut joined = String::new();
        for (i, &(a, b)) in tokens.iter().enumerate() {
            // Cheapest first: the first byte, then whether the next token can continue a pattern,
            // and only then the table.
            let second_may_follow = || {
                tokens.get(i + 1).is_some_and(|&(next, _)| {
                    self.matcher_second_bytes[text.as_bytes()[next] as usize]
                })
            };
            if !self.matcher_first_bytes[text.as_bytes()[a] as usize]
                || !second_may_follow()
                || self.matcher_first.get(&text[a..b]).is_none()
            {
                continue;
            }
            joined.clear();
            for (j, &(a, b)) in tokens.iter().enumerate().skip(i).take(self.matcher_max_len) {
                let piece = &text[a..b];
                // No pattern piece contains the separator, so no longer run can match either.
                if piece.contains(MATCHER_SEPARATOR) {
                    break;
                }
                if j > i {
                    joined.push(MATCHER_SEPARATOR);
                }
                joined.push_str(piece);
                if self.matcher.contains(joined.as_str()) {
                    matches.push((i, j + 1));
                }
            }
        }
        if matches.is_empty() {
            return tokens;
        }
        // _filter_special_spans: longest first, then leftmost; a span is taken unless its first or
        // last token was covered by a span considered before it (taken or not).
        matches.sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then(x.0.cmp(&y.0)));
        let mut seen = FxHashSet::default();
        let mut taken = Vec::new();
        for (start, end) in matches {
            if !seen.contains(&start) && !seen.contains(&(end - 1)) {
                taken.push((start, end));
            }
            seen.extend(start..end);
        }
        taken.sort();
        let mut out = Vec::with_capacity(tokens.len());
        let mut i = 0;
        let mut next = taken.into_iter().peekable();
        while i < tokens.len() {
            match next.peek() {
                Some(&(start, end)) if start == i => {
                    next.next();
                    let span_text = &text[tokens[start].0..tokens[end - 1].1];
                    if self.specials.contains_key(span_text) {
                        self.push_special(tokens[start].0, span_text, &mut out);
                    } else {
                        out.extend_from_slice(&tokens[start..end]);
                    }
                    i = end;
                }
                _ => {
                    out.push(tokens[i]);
                    i += 1;
                }
            }
        }
        out
    }

    /// datatrove's `split_into_words`: the token texts, whitespace tokens removed.
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        words_of(text, &self.tokens(text))
    }

    /// datatrove's `len(split_into_sentences(text))`: the number of sentences spaCy's sentencizer
    /// finds. A sentence ends after a sentence-final character once a token follows that is neither
    /// punctuation nor another sentence-final character.
    pub fn sentence_count(&self, text: &str) -> usize {
        self.sentences_and_words(text).0
    }

    /// Whether the words of lines joined by `\n` are always the lines' words in order (see
    /// `words_are_line_local`).
    pub fn words_are_line_local(&self) -> bool {
        self.words_are_line_local
    }

    /// [`SpacyTokenizer::sentence_count`] and the number of [`SpacyTokenizer::words`], from one
    /// tokenization.
    pub fn sentences_and_words(&self, text: &str) -> (usize, usize) {
        self.sentences_and_words_of(text, &self.tokens(text))
    }

    /// [`SpacyTokenizer::sentences_and_words`] of the text the `tokens` cover, from those tokens
    /// (byte ranges of `text`): the tokens of one line cut from the tokens of its page, when words
    /// are line-local.
    pub fn sentences_and_words_of(&self, text: &str, tokens: &[Span]) -> (usize, usize) {
        if tokens.is_empty() {
            return (0, 0);
        }
        let words = tokens
            .iter()
            .filter(|&&(a, b)| !pytext::strip(&text[a..b]).is_empty())
            .count();
        let mut sentences = 1;
        let mut seen_period = false;
        for (i, &(a, b)) in tokens.iter().enumerate() {
            let token = &text[a..b];
            let mut chars = token.chars();
            let is_final = match (chars.next(), chars.next()) {
                (Some(c), None) => self.sentence_punct.contains(&c),
                _ => false,
            };
            if seen_period && !is_final && !token.chars().all(pytext::is_punct_category) {
                if i > 0 {
                    sentences += 1;
                }
                seen_period = false;
            } else if is_final {
                seen_period = true;
            }
        }
        (sentences, words)
    }

    fn is_special(&self, s: &str) -> bool {
        self.specials.contains_key(s)
    }

    fn matches_token(&self, s: &str) -> bool {
        self.token_match
            .as_ref()
            .is_some_and(|r| r.is_match(s).unwrap_or(false))
    }

    fn matches_url(&self, s: &str) -> bool {
        if self.url_screen.as_ref().is_some_and(|r| !r.is_match(s)) {
            return false;
        }
        self.url
            .as_ref()
            .is_some_and(|r| r.is_match(s).unwrap_or(false))
    }

    fn push_special(&self, key_start: usize, key: &str, out: &mut Vec<Span>) {
        match self.specials.get(key) {
            Some(Some(lengths)) => {
                let mut at = key_start;
                for len in lengths {
                    out.push((at, at + len));
                    at += len;
                }
            }
            _ => out.push((key_start, key_start + key.len())),
        }
    }

    fn prefix_len(&self, s: &str) -> usize {
        match &self.prefix_parts {
            Some(parts) => parts.prefix_len(&self.prefix_screen, &self.prefix, s),
            None => match_len(&self.prefix_screen, &self.prefix, s),
        }
    }

    fn suffix_len(&self, s: &str) -> usize {
        match &self.suffix_parts {
            Some(parts) => parts.suffix_len(&self.suffix_screen, s),
            None => match_len(&self.suffix_screen, &self.suffix, s),
        }
    }

    /// Whether no affix rule can split `span`, a non-empty span (`letters`: made of ASCII letters
    /// only): see `plain_letter_starts`. Such a span is one token unless it is a special case,
    /// and skips the span cache.
    fn rules_cannot_split(&self, span: &str, letters: bool) -> bool {
        letters && self.plain_letter_starts[usize::from(span.as_bytes()[0])]
    }

    /// Whether the letters-only `span` is one of the special cases: first by its two end bytes,
    /// then by lookup.
    fn is_letter_special(&self, span: &str) -> bool {
        let ends = letter_special_ends_bit(span.as_bytes());
        self.letter_special_ends[ends / 64] >> (ends % 64) & 1 == 1
            && self.letter_specials.get(span).is_some()
    }

    /// One whitespace-delimited span (`letters`: made of ASCII letters only), through the
    /// per-thread cache.
    fn tokenize_span(
        &self,
        cache: Option<&mut SpanCache>,
        text: &str,
        start: usize,
        end: usize,
        letters: bool,
        out: &mut Vec<Span>,
    ) {
        let span = &text[start..end];
        if self.rules_cannot_split(span, letters) && !self.is_letter_special(span) {
            out.push((start, end));
            return;
        }
        let Some(cache) = cache else {
            return self.tokenize_span_uncached(text, start, end, out);
        };
        match cache.ranges.get(span) {
            Some(WHOLE_SPAN) => {
                out.push((start, end));
                return;
            }
            Some((at, len)) => {
                out.extend(
                    cache.pieces[at as usize..(at + len) as usize]
                        .iter()
                        .map(|&(a, b)| (start + a as usize, start + b as usize)),
                );
                return;
            }
            None => {}
        }
        let first = out.len();
        self.tokenize_span_uncached(text, start, end, out);
        // Long spans (URLs, data URIs) rarely repeat and would make the cache's size unbounded.
        if span.len() > CACHED_SPAN_BYTES {
            return;
        }
        if cache.ranges.len() >= SPAN_CACHE_LIMIT {
            cache.ranges.clear();
            cache.pieces.clear();
        }
        let range = if out[first..] == [(start, end)] {
            WHOLE_SPAN
        } else {
            let at = cache.pieces.len();
            cache.pieces.extend(
                out[first..]
                    .iter()
                    .map(|&(a, b)| ((a - start) as u32, (b - start) as u32)),
            );
            (at as u32, (out.len() - first) as u32)
        };
        cache.ranges.insert(span, range);
    }

    /// One whitespace-delimited span `text[start..end]`: spaCy's `_tokenize`.
    fn tokenize_span_uncached(&self, text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
        let span = &text[start..end];
        let is_special = |s: &str| self.is_special(s);
        if is_special(span) {
            self.push_special(start, span, out);
            return;
        }
        // _split_affixes: peel prefixes and suffixes off `text[lo..hi]`.
        let (mut lo, mut hi) = (start, end);
        let mut prefixes: Vec<Span> = Vec::new();
        let mut suffixes: Vec<Span> = Vec::new();
        let mut last_size = usize::MAX;
        while lo < hi && hi - lo != last_size {
            let string = &text[lo..hi];
            if self.matches_token(string) || is_special(string) {
                break;
            }
            last_size = hi - lo;
            let pre_len = self.prefix_len(string);
            if pre_len != 0 {
                let minus_pre = &string[pre_len..];
                if !minus_pre.is_empty() && is_special(minus_pre) {
                    prefixes.push((lo, lo + pre_len));
                    lo += pre_len;
                    break;
                }
            }
            let suf_len = self.suffix_len(&string[pre_len..]);
            if suf_len != 0 {
                let minus_suf = &string[..string.len() - suf_len];
                if !minus_suf.is_empty() && is_special(minus_suf) {
                    suffixes.push((hi - suf_len, hi));
                    hi -= suf_len;
                    break;
                }
            }
            if pre_len != 0 && suf_len != 0 && pre_len + suf_len <= string.len() {
                prefixes.push((lo, lo + pre_len));
                suffixes.push((hi - suf_len, hi));
                lo += pre_len;
                hi -= suf_len;
            } else if pre_len != 0 {
                prefixes.push((lo, lo + pre_len));
                lo += pre_len;
            } else if suf_len != 0 {
                suffixes.push((hi - suf_len, hi));
                hi -= suf_len;
            }
        }
        // _attach_tokens.
        out.extend(prefixes);
        if lo < hi {
            let string = &text[lo..hi];
            if is_special(string) {
                self.push_special(lo, string, out);
            } else if self.matches_token(string) || self.matches_url(string) {
                out.push((lo, hi));
            } else {
                self.split_infixes(text, lo, hi, out);
            }
        }
        out.extend(suffixes.into_iter().rev());
    }

    /// `infix_finditer(string)` as byte ranges (those found before the backtracking engine gave up,
    /// if it did).
    ///
    /// Each search starts where the screen's next match starts (see [`match_len`]), so the engine
    /// only runs near infix characters. An empty match would need Python's rules for stepping past
    /// it; should one occur, the plain iteration over the whole string decides.
    fn infix_matches(&self, string: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut pos = 0;
        while pos <= string.len() {
            // The screen turns lookbehinds into consumed text, so the screen match standing for an
            // exact match at `pos` or later may begin up to a lookbehind's length before `pos`.
            let back = string[..pos]
                .char_indices()
                .rev()
                .nth(LOOKBEHIND_CHARS - 1)
                .map_or(0, |(i, _)| i);
            let Some(screen) = self.infix_screen.find_at(string, back) else {
                break;
            };
            match self.infix.find_from_pos(string, screen.start().max(pos)) {
                Ok(Some(m)) if m.start() < m.end() => {
                    found.push((m.start(), m.end()));
                    pos = m.end();
                }
                Ok(None) => break,
                Ok(Some(_)) => return self.infix_matches_plain(string),
                // The backtrack limit: keep what was found, as the plain iteration does.
                Err(_) => break,
            }
        }
        found
    }

    fn infix_matches_plain(&self, string: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        for m in self.infix.find_iter(string) {
            let Ok(m) = m else { break };
            found.push((m.start(), m.end()));
        }
        found
    }

    fn split_infixes(&self, text: &str, lo: usize, hi: usize, out: &mut Vec<Span>) {
        let string = &text[lo..hi];
        if !self.infix_screen.is_match(string) {
            out.push((lo, hi));
            return;
        }
        let matches = self.infix_matches(string);
        let mut start = 0;
        let mut any = false;
        for (infix_start, infix_end) in matches {
            any = true;
            if infix_start == 0 {
                // spaCy skips an infix at the very start of the string (`start_before_infixes`).
                continue;
            }
            if infix_start != start {
                out.push((lo + start, lo + infix_start));
            }
            if infix_start != infix_end {
                out.push((lo + infix_start, lo + infix_end));
            }
            start = infix_end;
        }
        if !any {
            out.push((lo, hi));
            return;
        }
        if start < string.len() {
            out.push((lo + start, hi));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_classes_are_pythons_isspace_and_letters() {
        for b in 0u8..128 {
            let c = char::from(b);
            let expected = if pytext::is_space(c) {
                ASCII_SPACE
            } else if c.is_ascii_alphabetic() {
                ASCII_LETTER
            } else {
                ASCII_OTHER
            };
            assert_eq!(ASCII_CLASS[usize::from(b)], expected, "byte {b:#x}");
        }
    }

    fn words(lang: &str, text: &str) -> Vec<String> {
        for_language(lang)
            .words(text)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    // Expected outputs were produced by spaCy 3.8.18 (`spacy.blank(lang)`), see the module docs.
    #[test]
    fn indonesian_keeps_reduplication_numbers_and_abbreviations() {
        assert_eq!(
            words(
                "id",
                "Harga 12.000 rupiah, kupu-kupu dan anak-anak (bermain) di Jl. Sudirman."
            ),
            [
                "Harga",
                "12.000",
                "rupiah",
                ",",
                "kupu-kupu",
                "dan",
                "anak-anak",
                "(",
                "bermain",
                ")",
                "di",
                "Jl",
                ".",
                "Sudirman",
                "."
            ]
        );
    }

    #[test]
    fn english_splits_contractions_and_keeps_urls() {
        assert_eq!(
            words("en", "Don't stop e.g. at 10am... \"Yes!\" he said.  OK? x"),
            [
                "Do", "n't", "stop", "e.g.", "at", "10", "am", "...", "\"", "Yes", "!", "\"", "he",
                "said", ".", "OK", "?", "x"
            ]
        );
        assert_eq!(
            words("en", "https://example.com/a-b?x=1 email a@b.co 3.5% $40"),
            [
                "https://example.com/a-b?x=1",
                "email",
                "a@b.co",
                "3.5",
                "%",
                "$",
                "40"
            ]
        );
        assert_eq!(
            words("en", "Harga 12.000 rupiah, kupu-kupu"),
            ["Harga", "12.000", "rupiah", ",", "kupu", "-", "kupu"]
        );
    }

    #[test]
    fn special_cases_are_merged_back_after_affix_splitting() {
        // spaCy: ['in', 'range(10', '):'] and [':', '47', "''", 'H'] (emoticon and quote specials).
        assert_eq!(words("en", "in range(10):"), ["in", "range(10", "):"]);
        assert_eq!(words("en", ": 47'' H"), [":", "47", "''", "H"]);
    }

    #[test]
    fn an_infix_right_after_another_is_found() {
        // spaCy 3.8 blank("id"): the `"` after `.` is split by a rule whose lookbehind reads the
        // `.`, which the previous infix match consumed.
        assert_eq!(
            words("id", "Dia berkata.\"Saya pergi"),
            ["Dia", "berkata", ".", "\"", "Saya", "pergi"]
        );
        assert_eq!(
            words("id", "Ia berkata.\"Ya.\"Tidak"),
            ["Ia", "berkata", ".", "\"", "Ya", ".", "\"", "Tidak"]
        );
    }

    #[test]
    fn plain_letter_starts_are_proved_from_the_rules() {
        let plain = |lang: &str| -> String {
            let t = for_language(lang);
            (b'A'..=b'Z')
                .chain(b'a'..=b'z')
                .filter(|&b| !t.plain_letter_starts[b as usize])
                .map(char::from)
                .collect()
        };
        // English has no letter-only affix rule; the Indonesian rules peel the currency prefixes
        // `Rp`, `USD`, `IDR`, `RMB` and `SGD` off a word, the Malay ones also `RM` and `MYR`.
        assert_eq!(plain("en"), "");
        assert_eq!(plain("id"), "IRSU");
        assert_eq!(plain("ms"), "IMRSU");
        assert_eq!(
            words("id", "Rpribu USDollar"),
            ["Rp", "ribu", "USD", "ollar"]
        );
        let starts = |screen: &str| -> String {
            let safe = letters_screen_never_matches_after(screen);
            (b'A'..=b'Z')
                .chain(b'a'..=b'z')
                .filter(|&b| !safe[b as usize])
                .map(char::from)
                .collect()
        };
        // A match at the start, later in the run, at its end, of the empty string; none.
        assert_eq!(starts("^§|^ab"), "a");
        assert_eq!(starts("xy$|,$").len(), 52);
        assert_eq!(starts("[a-c]q").len(), 52);
        assert_eq!(starts("^").len(), 52);
        assert_eq!(starts("^§|^\\(|,$|\\.\\.+$|[0-9]km$|[a-z]\\.[a-z]"), "");
        // Letter-only special cases still split ("cannot" is "can" + "not" in spaCy's English).
        assert_eq!(words("en", "I cannot go"), ["I", "can", "not", "go"]);
    }

    #[test]
    fn split_affix_patterns_match_as_the_whole_ones_do() {
        let bases = [
            "",
            "word",
            "Word",
            "WORD",
            "ab",
            "A",
            "12",
            "3.5",
            "U.S",
            "°C",
            "°F",
            "abc123",
            "kupu-kupu",
            "é",
            "Jl",
            "café",
            "x2",
            "A.B",
            "km",
            "100km",
            "5",
            "Rp",
            "ΑΒΓ",
            "日本",
        ];
        let tails = [
            "", ",", ".", "...", "!", "?", ")", "\"", "'", "'s", "’s", "'S", "km", "km²", "%", "+",
            "$", "€", "US$", "-", "—", "–", "nya", "-nya", "-Nya", "-ku", "-Mu", ":", ";", "…",
            ".)", "%)", "km.", "°C.", ".\"", "!?", "),", "kg", "MB", "rb", "ribu", "jt", "x", "·",
            "»",
        ];
        let heads = [
            "",
            "+",
            "++",
            "(",
            "((",
            "\"",
            "'",
            "$",
            "US$",
            "Rp",
            "RM",
            "IDR",
            "...",
            "…",
            "<b/>",
            "<a href=x>",
            "<i>",
            "-",
            "—",
            "§",
            "%",
            "#",
            "*",
            "&",
            "¿",
            "«",
            "`",
            "‘",
            "+(",
        ];
        for lang in ["en", "id", "ms"] {
            let t = for_language(lang);
            let suffix = t
                .suffix_parts
                .as_ref()
                .expect("the shipped suffix pattern splits");
            let prefix = t
                .prefix_parts
                .as_ref()
                .expect("the shipped prefix pattern splits");
            assert!(
                suffix.lookaround.is_some() && prefix.lookaround.is_some(),
                "{lang}"
            );
            for base in bases {
                for tail in tails {
                    for more in ["", ".", ")"] {
                        let s = format!("{base}{tail}{more}");
                        assert_eq!(
                            suffix.suffix_len(&t.suffix_screen, &s),
                            match_len(&t.suffix_screen, &t.suffix, &s),
                            "{lang} {s:?}"
                        );
                    }
                }
                for head in heads {
                    for digit in ["", "5", "x"] {
                        let s = format!("{head}{digit}{base}");
                        assert_eq!(
                            prefix.prefix_len(&t.prefix_screen, &t.prefix, &s),
                            match_len(&t.prefix_screen, &t.prefix, &s),
                            "{lang} {s:?}"
                        );
                    }
                }
            }
        }
        // The earlier suffix match wins, whichever part found it.
        let parts = AffixParts::of("(?<=x)ab$|b$|(?<=y)b$|cab$", true).unwrap();
        let screen = regex::Regex::new("xab$|b$|yb$|cab$").unwrap();
        for (s, len) in [("xab", 2), ("zab", 1), ("yb", 1), ("xcab", 3), ("q", 0)] {
            assert_eq!(parts.suffix_len(&screen, s), len, "{s}");
        }
        // A prefix alternative with a lookahead, first in the pattern, still wins where it matches.
        let whole = compile("prefix", "^ab(?!c)|^a").unwrap();
        let parts = AffixParts::of("^ab(?!c)|^a", false).unwrap();
        let screen = regex::Regex::new("^ab|^a").unwrap();
        for (s, len) in [("abd", 2), ("abc", 1), ("ax", 1), ("b", 0)] {
            assert_eq!(parts.prefix_len(&screen, &whole, s), len, "{s}");
        }
        assert_eq!(
            without_lookarounds("(?<=[0-9(])x\\((?!y)é").as_deref(),
            Some("x\\(é")
        );
        // Patterns that do not split into `$`-anchored alternatives keep the whole pattern.
        assert!(AffixParts::of("a$|b", true).is_none());
        assert!(AffixParts::of("(a$|b$", true).is_none());
        assert!(AffixParts::of("a\\$", true).is_none());
        assert_eq!(
            top_level_alternatives("a|(b|c)|[|)]|d\\|e"),
            Some(vec!["a", "(b|c)", "[|)]", "d\\|e"])
        );
    }

    #[test]
    fn cached_spans_give_the_tokens_of_uncached_ones() {
        // Short spans (keys of up to 16 bytes inside the table), spans of 17-128 bytes (keys in the
        // boxed map), longer ones (never cached), single tokens and split ones, each seen three
        // times so the second and third come from the cache.
        let text = "word word, (word) \"quoted\"! e-mail 12.000 kupu-kupu \
                    internationalisation-and-localisation-work, \
                    (https://example.org/a/very/long/path/that/goes/on/and/on/for/a/while/index.html) \
                    seventy-two-characters-of-hyphenated-words-that-split-into-many-small-pieces!! \
                    don't U.S.A. :) ... \
                    a-span-of-more-than-128-bytes-is-never-cached-so-its-tokens-are-made-again-each-time-it-is-seen-in-a-text-x-x-x-x-x-x-x-x-x-x-x-x-x-x-x!";
        let repeated = [text, text, text].join(" \n ");
        for lang in ["en", "id", "ms"] {
            let cached = for_language(lang);
            let index = EMBEDDED.iter().position(|(c, _)| *c == lang).unwrap();
            let uncached = from_embedded(index);
            assert!(uncached.cache_slot.is_none());
            assert_eq!(
                cached.tokens(&repeated),
                uncached.tokens(&repeated),
                "{lang}"
            );
        }
    }

    #[test]
    fn words_of_joined_lines_are_the_lines_words() {
        let lines = [
            "in range(10):",
            ": 47'' H -- e.g. at 10am...",
            "\"Yes!\" he said :) (ok)",
            "Harga 12.000 rupiah, kupu-kupu.",
        ];
        for lang in ["en", "id", "ms"] {
            let t = for_language(lang);
            assert!(t.words_are_line_local());
            let per_line: usize = lines.iter().map(|l| t.sentences_and_words(l).1).sum();
            assert_eq!(per_line, t.words(&lines.join("\n")).len(), "{lang}");
            for l in lines {
                assert_eq!(t.sentences_and_words(l).1, t.words(l).len());
            }
        }
    }

    #[test]
    fn sentences_follow_the_sentencizer() {
        let en = for_language("en");
        // spaCy: ['Don\'t stop e.g. at 10am... "Yes!"', 'he said.', ' OK?', 'x']
        assert_eq!(
            en.sentence_count("Don't stop e.g. at 10am... \"Yes!\" he said.  OK? x"),
            4
        );
        let id = for_language("id");
        // spaCy (id): ["Don't stop e.g.", 'at 10am... "Yes!"', 'he said.', ' OK?', 'x']
        assert_eq!(
            id.sentence_count("Don't stop e.g. at 10am... \"Yes!\" he said.  OK? x"),
            5
        );
        assert_eq!(id.sentence_count("Satu kalimat saja"), 1);
        assert_eq!(id.sentence_count(""), 0);
    }
}
