//! [`WordMap`]: a hash map from words to small values, for lookups done once per word of every
//! text: the per-thread caches of the tokenizer (`quality::tokenize`) and lid176 (`lang::fasttext`),
//! and word lists such as the language-marker lexicon (`lang`).
//!
//! With `HashMap<Box<str>, _>`, a hit reads the table entry and then follows its pointer to compare
//! the key: on a cache of 200,000 words that is a second cache miss per word, and a `memcmp` call.
//! Here keys of up to [`INLINE_BYTES`] bytes, nearly all words, are held inside the table (read
//! into three machine words plus the length) and compared in four word compares; longer keys go to
//! an ordinary map.

use rustc_hash::FxHashMap;

/// The longest key held inside the table.
pub const INLINE_BYTES: usize = 24;

/// A key of at most [`INLINE_BYTES`] bytes as three machine words read straight from the key's
/// bytes, and its length. For a given length the words determine the bytes (overlapping reads
/// cover every byte), so equal keys are equal strings. Reading the words from the string itself,
/// rather than copying it into a zero-padded buffer first, avoids a store-forwarding stall on every
/// lookup.
#[derive(PartialEq, Eq, Hash)]
struct InlineKey([u64; 4]);

impl InlineKey {
    fn of(key: &str) -> Option<InlineKey> {
        let b = key.as_bytes();
        let n = b.len();
        let at8 = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            u64::from_le_bytes(w)
        };
        let at4 = |i: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&b[i..i + 4]);
            u64::from(u32::from_le_bytes(w))
        };
        let words = match n {
            0 => [0, 0, 0],
            1..=3 => [
                u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
                0,
                0,
            ],
            4..=8 => [at4(0), at4(n - 4), 0],
            9..=16 => [at8(0), at8(n - 8), 0],
            17..=INLINE_BYTES => [at8(0), at8(8), at8(n - 8)],
            _ => return None,
        };
        Some(InlineKey([words[0], words[1], words[2], n as u64]))
    }
}

/// Words to `V`s; see the module documentation.
pub struct WordMap<V> {
    short: FxHashMap<InlineKey, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

impl<V: Copy> WordMap<V> {
    pub fn get(&self, word: &str) -> Option<V> {
        match InlineKey::of(word) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(word).copied(),
        }
    }

    pub fn insert(&mut self, word: &str, value: V) {
        match InlineKey::of(word) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(word.into(), value),
        };
    }

    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

/// Asks the CPU to start loading the cache line that holds `value`, for a read that comes soon:
/// lookups in the per-thread caches (several MB, beyond the core's own caches) are issued a token
/// ahead, so that their memory latency overlaps with the work on the token before. A hint only:
/// results never depend on it, and other targets do nothing.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` needs SSE, which every x86_64 CPU has; a prefetch reads nothing into
    // the program and cannot fault, and the address is that of a live reference.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Equality of two short byte strings, compared in place: these tests run for every word of every
/// text, and `==` on slices calls `memcmp` (in profiles, 5% of the filter pipeline went to calls
/// comparing two or three bytes). Used for the language markers and Gopher's stop words.
#[inline]
pub(crate) fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_inside_and_outside_the_table_are_kept_apart_and_found() {
        let mut map = WordMap::default();
        // "a" must not equal "a\0", nor a 24-byte key its 25-byte extension.
        let at_limit = "x".repeat(24);
        let over_limit = "x".repeat(25);
        let keys = [
            "",
            "a",
            "a\0",
            "kupu-kupu",
            "é",
            at_limit.as_str(),
            over_limit.as_str(),
        ];
        for (i, k) in keys.iter().enumerate() {
            map.insert(k, i);
        }
        assert_eq!(map.len(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(i), "{k:?}");
        }
        assert_eq!(map.get("b"), None);
        assert_eq!(map.get(&"x".repeat(33)), None);
        map.clear();
        assert!(map.is_empty() && map.get("a").is_none());
    }

    #[test]
    fn inline_keys_are_equal_exactly_when_the_strings_are() {
        // Every string of length 0 to 24 over a two-letter alphabet that differs from a base string
        // in at most two places, so that near-equal strings of every length meet.
        let mut strings = Vec::new();
        for n in 0..=INLINE_BYTES {
            let base = vec![b'a'; n];
            strings.push(base.clone());
            for i in 0..n {
                let mut s = base.clone();
                s[i] = b'b';
                strings.push(s.clone());
                for j in i + 1..n {
                    let mut t = s.clone();
                    t[j] = b'b';
                    strings.push(t);
                }
            }
        }
        let keys: Vec<InlineKey> = strings
            .iter()
            .map(|s| InlineKey::of(std::str::from_utf8(s).unwrap()).unwrap())
            .collect();
        for (a, ka) in strings.iter().zip(&keys) {
            for (b, kb) in strings.iter().zip(&keys) {
                assert_eq!(ka == kb, a == b, "{a:?} {b:?}");
            }
        }
        assert!(InlineKey::of(&"x".repeat(INLINE_BYTES + 1)).is_none());
    }
}
