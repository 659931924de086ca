//! [`WordMap`]: a hash map from words to small values, for the per-thread caches that the
//! tokenizer (`quality::tokenize`) and lid176 (`lang::fasttext`) consult once per word of every text.
//!
//! With `HashMap<Box<str>, _>`, a hit reads the table entry and then follows its pointer to compare
//! the key: on a cache of 200,000 words that is a second cache miss per word, and a `memcmp` call.
//! Here keys of up to [`INLINE_BYTES`] bytes, nearly all words, are held inside the table, zero-padded
//! with their length, and compared as four machine words; longer keys go to an ordinary map.

use rustc_hash::FxHashMap;

/// The longest key held inside the table.
pub const INLINE_BYTES: usize = 31;

/// A key of at most [`INLINE_BYTES`] bytes, zero-padded, its length in the last byte.
#[derive(PartialEq, Eq, Hash)]
struct InlineKey([u64; 4]);

impl InlineKey {
    fn of(key: &str) -> Option<InlineKey> {
        if key.len() > INLINE_BYTES {
            return None;
        }
        let mut bytes = [0u8; 32];
        bytes[..key.len()].copy_from_slice(key.as_bytes());
        bytes[31] = key.len() as u8;
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        Some(InlineKey([word(0), word(1), word(2), word(3)]))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_inside_and_outside_the_table_are_kept_apart_and_found() {
        let mut map = WordMap::default();
        // Zero padding must not make "a" equal "a\0", nor a 31-byte key equal its 32-byte extension.
        let long31 = "x".repeat(31);
        let long32 = "x".repeat(32);
        let keys = [
            "",
            "a",
            "a\0",
            "kupu-kupu",
            "é",
            long31.as_str(),
            long32.as_str(),
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
}
