//! Gopher's quality and repetition heuristics (Rae et al. 2021, table A1), with datatrove 0.10.1's
//! exact semantics (`GopherQualityFilter`, `GopherRepetitionFilter`): the same word tokenizer, the
//! same order of checks, the same reason strings, the same arithmetic (lengths in code points,
//! `>` versus `<`, a 0 threshold switching a check off).
//!
//! Two subtleties that decide documents at the margin and are easy to get wrong:
//! * the top n-gram measure takes the *first* most frequent n-gram (Python's `Counter.most_common`)
//!   and multiplies its length (words joined by spaces) by its count;
//! * the duplicated n-gram measure joins words *without* spaces and, after a repeat, jumps over it.

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};

use super::config::{GopherQualityConfig, GopherRepetitionConfig};
use super::pytext;
use super::signals::{Judge, Verdict};
use super::tokenize::LazyWords;

/// datatrove's `PUNCTUATION_SET` (`utils/text.py`): a word made only of these is a symbol, not a word.
/// ASCII characters are looked up in a table: the test runs on every word.
struct PunctuationSet {
    ascii: [bool; 128],
    other: FxHashSet<char>,
}

impl PunctuationSet {
    fn contains(&self, c: char) -> bool {
        match self.ascii.get(c as usize) {
            Some(&is) => is,
            None => self.other.contains(&c),
        }
    }
}

fn punctuation_set() -> &'static PunctuationSet {
    use std::sync::OnceLock;
    static SET: OnceLock<PunctuationSet> = OnceLock::new();
    SET.get_or_init(|| {
        let data = super::datatrove_punctuation();
        let mut set = PunctuationSet {
            ascii: [false; 128],
            other: FxHashSet::default(),
        };
        for c in data
            .punctuation
            .chars()
            .chain(data.terminal_punctuation.chars())
        {
            match set.ascii.get_mut(c as usize) {
                Some(slot) => *slot = true,
                None => {
                    set.other.insert(c);
                }
            }
        }
        set
    })
}

/// `GopherQualityFilter.filter`.
pub fn gopher_quality(
    config: &GopherQualityConfig,
    words: &LazyWords<'_>,
    signals: Option<&mut Map<String, Value>>,
) -> Verdict {
    let text = words.text();
    let words = words.get();
    let mut judge = Judge::new(signals);
    let n_words = words.len();
    let punct = punctuation_set();
    // One pass over the words for the word measures below: words with a character outside the
    // punctuation set (their number and code points), words with a letter, and which stop words
    // occur (compared case-sensitively as datatrove does, with `short_eq`).
    let (mut n_non_symbol, mut non_symbol_chars, mut alpha_words) = (0usize, 0usize, 0usize);
    let mut present = vec![false; config.stop_words.len()];
    for w in words {
        // ASCII bytes (one outside the punctuation set; a letter) settle most words without
        // decoding them.
        if w.bytes().any(|b| b < 0x80 && !punct.ascii[usize::from(b)])
            || w.chars().any(|c| !punct.contains(c))
        {
            n_non_symbol += 1;
            non_symbol_chars += pytext::len(w);
        }
        if w.bytes().any(|b| b.is_ascii_alphabetic()) || w.chars().any(pytext::is_alpha) {
            alpha_words += 1;
        }
        let stop = config
            .stop_words
            .iter()
            .position(|s| crate::word_map::short_eq(s.as_bytes(), w.as_bytes()));
        if let Some(i) = stop {
            present[i] = true;
        }
    }
    judge.record("n_non_symbol_words", n_non_symbol as f64);
    if config.min_doc_words > 0 && n_non_symbol < config.min_doc_words {
        judge.fail("gopher_short_doc")?;
    }
    if config.max_doc_words > 0 && n_non_symbol > config.max_doc_words {
        judge.fail("gopher_long_doc")?;
    }
    // numpy's mean of an empty list is NaN, and every comparison with NaN is false.
    let avg = if n_non_symbol == 0 {
        f64::NAN
    } else {
        non_symbol_chars as f64 / n_non_symbol as f64
    };
    judge.record("avg_word_length", avg);
    if config.min_avg_word_length != 0.0 && avg < config.min_avg_word_length {
        judge.fail("gopher_below_avg_threshold")?;
    }
    if config.max_avg_word_length != 0.0 && avg > config.max_avg_word_length {
        judge.fail("gopher_above_avg_threshold")?;
    }
    // Python would raise ZeroDivisionError on a text without words; such a text was dropped as
    // short above unless min_doc_words is off, and then it has nothing to measure: infinity.
    let per_word = |count: usize| {
        if n_words == 0 {
            f64::INFINITY
        } else {
            count as f64 / n_words as f64
        }
    };
    let hash_ratio = per_word(pytext::count(text, "#"));
    judge.above(
        "hash_word_ratio",
        hash_ratio,
        config.max_symbol_word_ratio,
        "gopher_too_many_hashes",
    )?;
    let ellipsis_ratio = per_word(pytext::count(text, "...") + pytext::count(text, "…"));
    judge.above(
        "ellipsis_word_ratio",
        ellipsis_ratio,
        config.max_symbol_word_ratio,
        "gopher_too_many_ellipsis",
    )?;
    let lines = pytext::splitlines(text);
    let per_line = |count: usize| {
        if lines.is_empty() {
            f64::INFINITY
        } else {
            count as f64 / lines.len() as f64
        }
    };
    let bullets = lines
        .iter()
        .filter(|l| {
            let l = pytext::lstrip(l);
            l.starts_with('•') || l.starts_with('-')
        })
        .count();
    let bullet_ratio = per_line(bullets);
    judge.above(
        "bullet_lines_ratio",
        bullet_ratio,
        config.max_bullet_lines_ratio,
        "gopher_too_many_bullets",
    )?;
    let end_ellipsis = lines
        .iter()
        .filter(|l| {
            let l = pytext::rstrip(l);
            l.ends_with("...") || l.ends_with('…')
        })
        .count();
    let end_ellipsis_ratio = per_line(end_ellipsis);
    judge.above(
        "end_ellipsis_lines_ratio",
        end_ellipsis_ratio,
        config.max_ellipsis_lines_ratio,
        "gopher_too_many_end_ellipsis",
    )?;
    let alpha_ratio = per_word(alpha_words);
    judge.below(
        "alpha_words_ratio",
        alpha_ratio,
        config.max_non_alpha_words_ratio,
        "gopher_below_alpha_threshold",
    )?;
    let present = present.iter().filter(|&&p| p).count();
    judge.record("stop_words", present as f64);
    if config.min_stop_words > 0 && present < config.min_stop_words {
        judge.fail("gopher_enough_stop_words")?;
    }
    judge.finish()
}

/// datatrove's `find_duplicates`: how many elements repeat an earlier one, and their total length.
pub(crate) fn find_duplicates<'a>(items: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let (mut count, mut chars) = (0, 0);
    for item in items {
        if !seen.insert(item) {
            count += 1;
            chars += pytext::len(item);
        }
    }
    (count, chars)
}

/// The words of a text prepared for the n-gram measures.
///
/// datatrove compares n-grams as strings: words joined by single spaces for the top n-grams, joined
/// with nothing for the duplicated ones. Hashing those strings for every n from 2 to 10 was most of
/// this filter's time, so instead:
/// * spaced n-grams are equal exactly when their words are (words contain no space; a text whose
///   words do is measured on the strings), so they are found by a hash of their words' hashes and
///   confirmed word by word;
/// * glued n-grams can be equal with different words (`ab c` and `a bc`), so they are compared by a
///   polynomial hash of their bytes, read off prefix hashes in constant time, and every hash hit is
///   confirmed on the bytes; a slot whose bytes differ is probed past, so two different n-grams
///   sharing a hash cost a comparison, never a wrong answer;
/// * most n-grams of a page occur once, and need no table at all: equal glued n-grams are equal
///   glued strings starting at word starts (and so are equal spaced ones, on the word-hash path,
///   where no word holds a space), so an n-gram of at least [`PREFIX_BYTES`] bytes whose first
///   [`PREFIX_BYTES`] bytes start at no other word is unique. One pass over the word starts finds
///   the prefixes that repeat ([`JoinedWords::find_repeatable_below`]); every n-gram pass then
///   skips the positions whose n-gram is provably unique, which only ever miss the table and
///   would never be found in it.
struct JoinedWords<'w> {
    words: &'w [&'w str],
    glued: String,
    glued_at: Vec<usize>,
    /// Code points of each word.
    chars: Vec<usize>,
    /// Each word's hash; `None` when a word contains a space.
    ids: Option<Vec<u64>>,
    /// Hash of `glued[..glued_at[k]]`, and `POLY_BASE` to the power of each byte length.
    prefix: Vec<u64>,
    powers: Vec<u64>,
    /// Per word position `i`: the n-grams starting there may repeat for `n` below this (for every
    /// `n` at `u8::MAX`); from it on they are provably unique (see [`JoinedWords::repeatable_grams`]).
    repeatable_below: Vec<u8>,
    /// The last [`JoinedWords::repeatable_grams`]: its `n` (0 before the first) and positions.
    candidates: std::cell::RefCell<(usize, Vec<u32>)>,
}

/// Length of the glued-text prefix that decides whether an n-gram can repeat (see [`JoinedWords`]);
/// at most 16 (it is read as one `u128`).
const PREFIX_BYTES: usize = 10;
const _: () = assert!(PREFIX_BYTES <= 16);

/// Base of the glued n-gram hash (odd, so every power is invertible modulo 2^64).
const POLY_BASE: u64 = 0x100_0000_01b3;

impl<'w> JoinedWords<'w> {
    /// `longest` is the largest n whose glued n-grams will be hashed.
    fn new(words: &'w [&'w str], longest: usize) -> Self {
        let bytes: usize = words.iter().map(|w| w.len()).sum();
        let mut j = JoinedWords {
            words,
            glued: String::with_capacity(bytes),
            glued_at: Vec::with_capacity(words.len() + 1),
            chars: Vec::with_capacity(words.len()),
            ids: None,
            prefix: Vec::with_capacity(words.len() + 1),
            powers: Vec::new(),
            repeatable_below: Vec::new(),
            candidates: Default::default(),
        };
        let mut ids = Vec::with_capacity(words.len());
        let mut spaced_is_word_equality = true;
        let mut hash = 0u64;
        for w in words {
            j.glued_at.push(j.glued.len());
            j.prefix.push(hash);
            j.glued.push_str(w);
            // One pass over the word's bytes: the running glued hash, the word's own hash (its id:
            // equal words, equal ids; ids that collide are told apart word by word), its code
            // points (the bytes that do not continue a character) and whether it holds a space.
            let (mut id, mut chars, mut space) = (0u64, 0usize, false);
            for &b in w.as_bytes() {
                let v = u64::from(b) + 1;
                hash = hash.wrapping_mul(POLY_BASE).wrapping_add(v);
                id = id.wrapping_mul(POLY_BASE).wrapping_add(v);
                chars += usize::from(b & 0xC0 != 0x80);
                space |= b == b' ';
            }
            j.chars.push(chars);
            spaced_is_word_equality &= !space;
            ids.push(id);
        }
        j.glued_at.push(j.glued.len());
        j.prefix.push(hash);
        j.ids = spaced_is_word_equality.then_some(ids);
        // Powers up to the byte length of the longest n-gram to be hashed.
        let longest = longest.min(words.len());
        let max_len = (0..=words.len() - longest)
            .map(|i| j.glued_at[i + longest] - j.glued_at[i])
            .max()
            .unwrap_or(0);
        j.powers.reserve(max_len + 1);
        let mut power = 1u64;
        for _ in 0..=max_len {
            j.powers.push(power);
            power = power.wrapping_mul(POLY_BASE);
        }
        j.repeatable_below = j.find_repeatable_below();
        j
    }

    /// For each word start: `u8::MAX` when the [`PREFIX_BYTES`] bytes of glued text from there
    /// also start at another word (or fewer are left), else the number of words it takes to cover
    /// those bytes, below which an n-gram from there is too short to be proved unique. Prefixes
    /// are compared by a hash; two different prefixes sharing one only make both positions look
    /// repeatable, which costs table work, never a wrong answer.
    fn find_repeatable_below(&self) -> Vec<u8> {
        let bytes = self.glued.as_bytes();
        let starts = &self.glued_at[..self.words.len()];
        let hash_at = |at: usize| -> Option<u64> {
            let mut key = [0u8; 16];
            key[..PREFIX_BYTES].copy_from_slice(bytes.get(at..at + PREFIX_BYTES)?);
            let key = u128::from_le_bytes(key);
            Some(
                ((key as u64) ^ (key >> 64) as u64 ^ 0x9E37_79B9_7F4A_7C15)
                    .wrapping_mul(0xFF51_AFD7_ED55_8CCD),
            )
        };
        with_table(starts.len(), |slots, shift| {
            let mut slot_of_word = Vec::with_capacity(starts.len());
            for &at in starts {
                let Some(hash) = hash_at(at) else {
                    slot_of_word.push(u32::MAX);
                    continue;
                };
                // Equal hashes count as the same prefix (see above).
                let new = Slot {
                    hash,
                    at: 0,
                    count: 1,
                };
                let (s, found) = find_or_insert(slots, shift, new, |_| true);
                if found {
                    slots[s].count += 1;
                }
                slot_of_word.push(s as u32);
            }
            let mut end = 0;
            slot_of_word
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    if s == u32::MAX || slots[s as usize].count > 1 {
                        return u8::MAX;
                    }
                    // The first word end at least PREFIX_BYTES on; it exists, the prefix having
                    // been read in full.
                    end = end.max(i + 1);
                    while self.glued_at[end] - starts[i] < PREFIX_BYTES {
                        end += 1;
                    }
                    u8::try_from(end - i).unwrap_or(u8::MAX)
                })
                .collect()
        })
    }

    /// The word positions whose n-gram may repeat: all but the provably unique ones (see
    /// [`JoinedWords`]), which are at least [`PREFIX_BYTES`] bytes long with a prefix that starts
    /// at no other word.
    ///
    /// The positions for a larger `n` are a subset of those for a smaller one (fewer positions, and
    /// more of them provably unique), and the filters ask in increasing `n`: so the last answer is
    /// filtered in place rather than all positions read again for each `n`.
    fn repeatable_grams(&self, n: usize) -> std::cell::Ref<'_, [u32]> {
        {
            let mut last = self.candidates.borrow_mut();
            let positions = (self.words.len() + 1).saturating_sub(n);
            let may_repeat = |i: usize| {
                let below = self.repeatable_below[i];
                i < positions && (below == u8::MAX || n < usize::from(below))
            };
            if last.0 != 0 && last.0 <= n {
                last.1.retain(|&i| may_repeat(i as usize));
            } else {
                last.1.clear();
                last.1
                    .extend((0..positions).filter(|&i| may_repeat(i)).map(|i| i as u32));
            }
            last.0 = n;
        }
        std::cell::Ref::map(self.candidates.borrow(), |(_, positions)| {
            positions.as_slice()
        })
    }

    fn glued(&self, i: usize, n: usize) -> &str {
        &self.glued[self.glued_at[i]..self.glued_at[i + n]]
    }

    fn glued_hash(&self, i: usize, n: usize) -> u64 {
        let len = self.glued_at[i + n] - self.glued_at[i];
        let power = match self.powers.get(len) {
            Some(&p) => p,
            None => POLY_BASE.wrapping_pow(len as u32),
        };
        self.prefix[i + n].wrapping_sub(self.prefix[i].wrapping_mul(power))
    }

    fn glued_chars(&self, i: usize, n: usize) -> usize {
        self.chars[i..i + n].iter().sum()
    }
}

/// One slot of the n-gram table: the n-gram's hash, where it was first seen (plus one) and how
/// often it was seen (0: an empty slot).
#[derive(Clone, Copy, Default)]
struct Slot {
    hash: u64,
    at: u32,
    count: u32,
}

thread_local! {
    /// The n-gram table, reused for every n and every document of a thread.
    static SLOTS: std::cell::RefCell<Vec<Slot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` on an empty open-addressing table with room for `entries` n-grams at half load, and
/// the shift that turns a hash into a slot (see [`slot_of`]).
fn with_table<R>(entries: usize, f: impl FnOnce(&mut [Slot], u32) -> R) -> R {
    let size = (entries * 2).next_power_of_two().max(16);
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        // One huge document must not leave every later one with its table.
        if slots.capacity() > 4 * size && slots.capacity() > 1 << 16 {
            *slots = Vec::new();
        }
        slots.clear();
        slots.resize(size, Slot::default());
        f(&mut slots, 64 - size.trailing_zeros())
    })
}

/// The home slot of a hash: its top bits after a multiplicative mix (the polynomial hashes' low
/// bits are weak).
fn slot_of(hash: u64, shift: u32) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

/// Linear probing from `new`'s home slot: the slot of an entry with the same hash that `same`
/// confirms, `(slot, true)`, or else `new` put in the first empty slot, `(slot, false)`. A slot
/// with an equal hash that `same` rejects (a collision) is probed past. Always inlined: left to
/// itself the compiler kept it out of line, 853M against 837M instructions on 300 documents.
#[inline(always)]
fn find_or_insert(
    slots: &mut [Slot],
    shift: u32,
    new: Slot,
    same: impl Fn(&Slot) -> bool,
) -> (usize, bool) {
    let mask = slots.len() - 1;
    let mut s = slot_of(new.hash, shift);
    loop {
        let slot = &slots[s];
        if slot.count == 0 {
            slots[s] = new;
            return (s, false);
        }
        if slot.hash == new.hash && same(slot) {
            return (s, true);
        }
        s = (s + 1) & mask;
    }
}

/// `find_top_duplicate` over `get_n_grams(words, n)`: length of the first most frequent n-gram
/// times its count.
fn top_duplicate_chars(j: &JoinedWords, n_words: usize, n: usize) -> Option<usize> {
    if n_words < n || n == 0 {
        return None;
    }
    let Some(ids) = j.ids.as_ref() else {
        return top_duplicate_chars_of_strings(j.words, n);
    };
    // Provably unique n-grams count once each; they only matter when every n-gram does (below).
    let candidates = j.repeatable_grams(n);
    with_table(candidates.len(), |slots, shift| {
        // The most frequent so far, among equals the one seen first (Counter.most_common): (count, at).
        let mut best = (1u32, 0u32);
        for &i in candidates.iter() {
            let i = i as usize;
            let hash = ids[i..i + n]
                .iter()
                .fold(0x243F_6A88_85A3_08D3u64, |h, &id| {
                    (h.rotate_left(5) ^ id).wrapping_mul(0x517C_C1B7_2722_0A95)
                });
            let new = Slot {
                hash,
                at: i as u32 + 1,
                count: 1,
            };
            let (s, found) = find_or_insert(slots, shift, new, |slot| {
                let first = slot.at as usize - 1;
                j.words[first..first + n] == j.words[i..i + n]
            });
            if found {
                let slot = &mut slots[s];
                slot.count += 1;
                if slot.count > best.0 || (slot.count == best.0 && slot.at - 1 < best.1) {
                    best = (slot.count, slot.at - 1);
                }
            }
        }
        // When no n-gram repeats, the top one is the text's first, in the table or not.
        let (count, first) = best;
        // The spaced n-gram's length: its words' code points and the spaces between them.
        Some((j.glued_chars(first as usize, n) + n - 1) * count as usize)
    })
}

/// [`top_duplicate_chars`] on the spaced strings themselves.
fn top_duplicate_chars_of_strings(words: &[&str], n: usize) -> Option<usize> {
    let mut counts: FxHashMap<String, (usize, usize)> = FxHashMap::default();
    for (i, gram) in words.windows(n).enumerate() {
        counts.entry(gram.join(" ")).or_insert((0, i)).0 += 1;
    }
    let (gram, count) = counts
        .iter()
        .map(|(g, (count, first))| (g, *count, *first))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(g, c, _)| (g, c))?;
    Some(pytext::len(gram) * count)
}

/// `find_all_duplicate`: characters in repeated word n-grams, jumping past each repeat. Equal
/// hashes are confirmed on the bytes, and a slot whose bytes differ is probed past, so a hash
/// collision costs a comparison, never a wrong answer.
fn all_duplicate_chars(j: &JoinedWords, n_words: usize, n: usize) -> usize {
    if n == 0 || n_words < n {
        return 0;
    }
    // Provably unique n-grams miss the table, and no later n-gram can find them there: at each of
    // them datatrove's loop only moves on by one word.
    let candidates = j.repeatable_grams(n);
    with_table(candidates.len(), |slots, shift| {
        let (mut repeated, mut idx) = (0, 0);
        for &at in candidates.iter() {
            // Candidates inside a repeat just counted are jumped over, as datatrove's loop does.
            if (at as usize) < idx {
                continue;
            }
            idx = at as usize;
            let gram = j.glued(idx, n);
            let new = Slot {
                hash: j.glued_hash(idx, n),
                at: idx as u32 + 1,
                count: 1,
            };
            let (_, seen) = find_or_insert(slots, shift, new, |slot| {
                j.glued(slot.at as usize - 1, n) == gram
            });
            if seen {
                repeated += j.glued_chars(idx, n);
                idx += n;
            } else {
                idx += 1;
            }
        }
        repeated
    })
}

/// [`all_duplicate_chars`] on the glued strings themselves: the tests' reference.
#[cfg(test)]
fn all_duplicate_chars_of_strings(j: &JoinedWords, n_words: usize, n: usize) -> usize {
    let mut unique: FxHashSet<&str> = FxHashSet::default();
    let (mut repeated, mut idx) = (0, 0);
    while idx + n <= n_words {
        let gram = j.glued(idx, n);
        if unique.contains(gram) {
            repeated += j.glued_chars(idx, n);
            idx += n;
        } else {
            unique.insert(gram);
            idx += 1;
        }
    }
    repeated
}

/// Split on every run of at least `min_run` newlines, as `re.split("\n{min_run,}", text)` does: the
/// pieces between the runs, leading and trailing empty pieces included.
fn split_newline_runs(text: &str, min_run: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(offset) = memchr::memchr(b'\n', &bytes[i..]) {
        let run = i + offset;
        let mut end = run;
        while end < bytes.len() && bytes[end] == b'\n' {
            end += 1;
        }
        if end - run >= min_run {
            out.push(&text[start..run]);
            start = end;
        }
        i = end;
    }
    out.push(&text[start..]);
    out
}

/// `re.split(r"\n{2,}", text)`: paragraphs.
fn split_paragraphs(text: &str) -> Vec<&str> {
    split_newline_runs(text, 2)
}

/// `re.split("\n+", text)`: lines, leading and trailing empty pieces kept.
fn split_lines(text: &str) -> Vec<&str> {
    split_newline_runs(text, 1)
}

/// `GopherRepetitionFilter.filter`.
pub fn gopher_repetition(
    config: &GopherRepetitionConfig,
    words: &LazyWords<'_>,
    signals: Option<&mut Map<String, Value>>,
) -> Verdict {
    let text = words.text();
    let mut judge = Judge::new(signals);
    if text.is_empty() {
        judge.fail("empty")?;
        return judge.finish();
    }
    let text_len = pytext::len(text) as f64;
    let paragraphs = split_paragraphs(pytext::strip(text));
    let (para_dups, para_dup_chars) = find_duplicates(paragraphs.iter().copied());
    let para_frac = para_dups as f64 / paragraphs.len() as f64;
    judge.above(
        "dup_para_frac",
        para_frac,
        config.dup_para_frac,
        "dup_para_frac",
    )?;
    let para_char_frac = para_dup_chars as f64 / text_len;
    judge.above(
        "dup_para_char_frac",
        para_char_frac,
        config.dup_para_char_frac,
        "dup_para_char_frac",
    )?;
    let lines = split_lines(text);
    let (line_dups, line_dup_chars) = find_duplicates(lines.iter().copied());
    let line_frac = line_dups as f64 / lines.len() as f64;
    judge.above(
        "dup_line_frac",
        line_frac,
        config.dup_line_frac,
        "dup_line_frac",
    )?;
    let line_char_frac = line_dup_chars as f64 / text_len;
    judge.above(
        "dup_line_char_frac",
        line_char_frac,
        config.dup_line_char_frac,
        "dup_line_char_frac",
    )?;
    let words = words.get();
    let longest = config
        .dup_n_grams
        .iter()
        .map(|&(n, _)| n)
        .max()
        .unwrap_or(0);
    let joined = JoinedWords::new(words, longest);
    for &(n, frac) in &config.top_n_grams {
        let Some(top) = top_duplicate_chars(&joined, words.len(), n) else {
            continue;
        };
        let value = top as f64 / text_len;
        judge.record(&format!("top_{n}_gram"), value);
        if value > frac {
            judge.fail_owned(format!("top_{n}_gram"))?;
        }
    }
    for &(n, frac) in &config.dup_n_grams {
        let value = all_duplicate_chars(&joined, words.len(), n) as f64 / text_len;
        judge.record(&format!("duplicated_{n}_n_grams"), value);
        if value > frac {
            judge.fail_owned(format!("duplicated_{n}_n_grams"))?;
        }
    }
    judge.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_python_re() {
        // re.split(r"\n{2,}", "a\nb\n\n\nc") == ['a\nb', 'c']; re.split("\n+", "\na\n\nb\n") == ['', 'a', 'b', '']
        assert_eq!(split_paragraphs("a\nb\n\n\nc"), ["a\nb", "c"]);
        assert_eq!(split_lines("\na\n\nb\n"), ["", "a", "b", ""]);
    }

    #[test]
    fn top_and_duplicate_ngrams_follow_datatrove() {
        let words = ["a", "b", "a", "b", "a", "b", "cc"];
        let j = JoinedWords::new(&words, 6);
        // bigrams: "a b" x3 (first), "b a" x2, "b cc" x1 -> 3 chars * 3
        assert_eq!(top_duplicate_chars(&j, words.len(), 2), Some(9));
        // "".join 2-grams: ab, ba, ab (repeat: +2, jump 2) -> idx 4: ab (repeat: +2, jump) -> idx 6 stop
        assert_eq!(all_duplicate_chars(&j, words.len(), 2), 4);
        // Ties go to the n-gram seen first: "x y" and "y z" both once, "x y" first.
        let words = ["x", "y", "zz"];
        let j = JoinedWords::new(&words, 6);
        assert_eq!(top_duplicate_chars(&j, words.len(), 2), Some(3));
    }

    #[test]
    fn glued_ngrams_match_across_word_boundaries_and_the_fast_paths_agree_with_strings() {
        // "".join: "ab"+"c" == "a"+"bc", so the second 2-gram repeats the first.
        let words = ["ab", "c", "a", "bc", "ab", "c"];
        let j = JoinedWords::new(&words, 6);
        assert_eq!(all_duplicate_chars(&j, words.len(), 2), 6);
        for n in 1..=6 {
            assert_eq!(
                all_duplicate_chars(&j, words.len(), n),
                all_duplicate_chars_of_strings(&j, words.len(), n)
            );
            assert_eq!(
                top_duplicate_chars(&j, words.len(), n.min(4)),
                top_duplicate_chars_of_strings(&words, n.min(4))
            );
        }
        // A word with a space: spaced n-grams are compared as strings ("a b"+"c" vs "a"+"b c").
        let words = ["a b", "c", "a", "b c"];
        let j = JoinedWords::new(&words, 6);
        assert!(j.ids.is_none());
        assert_eq!(top_duplicate_chars(&j, words.len(), 2), Some(10));
    }

    #[test]
    fn skipping_provably_unique_ngrams_changes_no_measure() {
        // Pages of words drawn from a small vocabulary of short and long words, with runs copied
        // from earlier in the page and words glued across boundaries (`ab c` / `a bc`), measured
        // with the prefix skip and on the strings. Mutation check: treating a prefix seen twice as
        // unique, or skipping n-grams shorter than the prefix, makes this fail.
        let vocab: Vec<&str> =
            "a b ab c bc abc di yang dan kupu-kupu 12.000 pemerintah mengatakan \
                                bahwa pembangunan infrastruktur x y xy z"
                .split_whitespace()
                .collect();
        let mut rng = crate::test_rng::XorShift::new(0x2545_F491_4F6C_DD1D);
        let mut next = |m: usize| rng.below(m);
        let mut repeats_seen = 0;
        for _ in 0..400 {
            let len = 1 + next(120);
            let mut words: Vec<&str> = Vec::with_capacity(len);
            while words.len() < len {
                if words.len() > 8 && next(4) == 0 {
                    let from = next(words.len() - 4);
                    let take = 1 + next(12);
                    for k in 0..take.min(words.len() - from) {
                        words.push(words[from + k]);
                    }
                } else {
                    words.push(vocab[next(vocab.len())]);
                }
            }
            // Some pages hold a word with a space (spaced n-grams are then compared as strings)
            // or an empty word (a prefix that no number of words covers).
            match next(8) {
                0 => words.insert(next(words.len()), "a b"),
                1 => words.insert(next(words.len()), ""),
                _ => {}
            }
            let j = JoinedWords::new(&words, 10);
            // Increasing n (the candidates filtered in place), then smaller n again (built anew).
            for n in (1..=10).chain([3, 2]) {
                let fast = all_duplicate_chars(&j, words.len(), n);
                assert_eq!(
                    fast,
                    all_duplicate_chars_of_strings(&j, words.len(), n),
                    "{words:?} n={n}"
                );
                repeats_seen += usize::from(fast > 0);
                assert_eq!(
                    top_duplicate_chars(&j, words.len(), n),
                    if words.len() >= n {
                        top_duplicate_chars_of_strings(&words, n)
                    } else {
                        None
                    },
                    "{words:?} n={n}"
                );
            }
        }
        assert!(
            repeats_seen > 1000,
            "the pages must repeat n-grams: {repeats_seen}"
        );
    }
}
