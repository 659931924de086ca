//! [`WordMap`]: a hash map from words to small values, for lookups done once per word of every
//! text: the per-thread caches of the tokenizer (`quality::tokenize`) and lid176 (`lang::fasttext`),
//! and word lists such as the language-marker lexicon (`lang`).
//!
//! The caches hold up to 200,000 words each, several MB beyond the core's own caches, so a lookup
//! is mostly waiting for memory. Two choices follow from that:
//!
//! * Keys of up to [`INLINE_BYTES`] bytes, nearly all words, are held inside the table (two machine
//!   words and the length) and compared in place: with `HashMap<Box<str>, _>` a hit reads the
//!   table entry and then follows its pointer to the key, a second miss and a `memcmp` call.
//!   Longer keys go to an ordinary map.
//! * The table is a plain open-addressing table (linear probing, at most half full), so the memory
//!   a lookup will read is known from the key alone: [`WordMap::prefetch`] asks for it some words
//!   ahead, and the lookup then finds it in cache. With 32-byte slots (for 8-byte values) two slots
//!   share a cache line and none straddles two.

use rustc_hash::FxHashMap;

/// The longest key held inside the table.
pub const INLINE_BYTES: usize = 16;

/// A key of at most [`INLINE_BYTES`] bytes as two machine words read straight from the key's
/// bytes, and its length plus one (0 marks an empty slot). For a given length the words determine
/// the bytes (overlapping reads cover every byte), so equal keys are equal strings. Reading the
/// words from the string itself, rather than copying it into a zero-padded buffer first, avoids a
/// store-forwarding stall on every lookup.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct InlineKey {
    words: [u64; 2],
    len_plus_one: u32,
}

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
            0 => [0, 0],
            1..=3 => [
                u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16,
                0,
            ],
            4..=8 => [at4(0), at4(n - 4)],
            9..=INLINE_BYTES => [at8(0), at8(n - 8)],
            _ => return None,
        };
        Some(InlineKey {
            words,
            len_plus_one: n as u32 + 1,
        })
    }

    /// The key's home slot in a table of `64 - shift` bits: FxHash's word-at-a-time mix, whose
    /// top bits are the well-mixed ones.
    fn home(&self, shift: u32) -> usize {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.words[0].wrapping_mul(K);
        h = (h.rotate_left(5) ^ self.words[1]).wrapping_mul(K);
        h = (h.rotate_left(5) ^ u64::from(self.len_plus_one)).wrapping_mul(K);
        (h >> shift) as usize
    }
}

/// Aligned to 32 bytes, so that a slot never straddles two cache lines (a slot with an 8-byte
/// value is exactly 32 bytes; smaller values are padded to that).
#[derive(Clone, Copy, Default)]
#[repr(align(32))]
struct Slot<V> {
    key: InlineKey,
    value: V,
}

const _: () = assert!(std::mem::size_of::<Slot<(u32, u32)>>() == 32);

/// Words to `V`s; see the module documentation.
pub struct WordMap<V> {
    /// A power of two of slots (or none), at most half of them used.
    slots: Vec<Slot<V>>,
    /// `64 - log2(slots.len())`: turns a hash into a slot.
    shift: u32,
    used: usize,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            slots: Vec::new(),
            shift: 64,
            used: 0,
            long: FxHashMap::default(),
        }
    }
}

impl<V: Copy + Default> WordMap<V> {
    pub fn get(&self, word: &str) -> Option<V> {
        match InlineKey::of(word) {
            Some(key) => self.find(key).map(|i| self.slots[i].value),
            None => self.long.get(word).copied(),
        }
    }

    /// Asks for the memory a lookup of `word` will read first (see the module documentation). A
    /// hint only: it changes no result.
    pub fn prefetch(&self, word: &str) {
        if let (Some(key), false) = (InlineKey::of(word), self.slots.is_empty()) {
            prefetch(&self.slots[key.home(self.shift)]);
        }
    }

    /// The slot holding `key`, by linear probing from its home slot. The table is never full, so
    /// the probe meets an empty slot if the key is absent.
    fn find(&self, key: InlineKey) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = key.home(self.shift);
        loop {
            let slot = &self.slots[i];
            if slot.key == key {
                return Some(i);
            }
            if slot.key.len_plus_one == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    pub fn insert(&mut self, word: &str, value: V) {
        let Some(key) = InlineKey::of(word) else {
            self.long.insert(word.into(), value);
            return;
        };
        if let Some(i) = self.find(key) {
            self.slots[i].value = value;
            return;
        }
        if (self.used + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = key.home(self.shift);
        while self.slots[i].key.len_plus_one != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = Slot { key, value };
        self.used += 1;
    }

    /// Doubles the table (16 slots at first) and puts every key in its new place.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        self.shift = 64 - size.trailing_zeros();
        let mask = size - 1;
        for slot in old.into_iter().filter(|s| s.key.len_plus_one != 0) {
            let mut i = slot.key.home(self.shift);
            while self.slots[i].key.len_plus_one != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    pub fn len(&self) -> usize {
        self.used + self.long.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every word, keeping the table's memory for the next ones.
    pub fn clear(&mut self) {
        self.slots.fill(Slot::default());
        self.used = 0;
        self.long.clear();
    }
}

/// Asks the CPU to start loading the cache line that holds `value`, for a read that comes soon:
/// lookups in the per-thread caches (several MB, beyond the core's own caches) are requested a few
/// tokens ahead (lid176 three, the tokenizer two spans), so that their memory latency overlaps with
/// the work on the tokens before. A hint only: results never depend on it, and other targets do
/// nothing.
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
        // "a" must not equal "a\0", nor a 16-byte key its 17-byte extension.
        let at_limit = "x".repeat(INLINE_BYTES);
        let over_limit = "x".repeat(INLINE_BYTES + 1);
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

    /// Against `HashMap` through growth, overwrites, absent keys (whose probes run to an empty
    /// slot past other keys) and clears, with keys of 0 to 40 bytes in and beyond the table.
    #[test]
    fn the_table_agrees_with_a_hash_map() {
        let mut map = WordMap::default();
        let mut reference = std::collections::HashMap::new();
        let mut rng = crate::test_rng::XorShift::new(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next_u64();
        let key_of = |next: &mut dyn FnMut() -> u64| -> String {
            let len = (next() % 41) as usize;
            (0..len)
                .map(|_| char::from(b'a' + (next() % 3) as u8))
                .collect()
        };
        for round in 0..3 {
            for value in 0..20_000u32 {
                let key = key_of(&mut next);
                if next() % 4 == 0 {
                    assert_eq!(map.get(&key), reference.get(&key).copied(), "{key:?}");
                } else {
                    map.insert(&key, value);
                    reference.insert(key, value);
                }
            }
            assert_eq!(map.len(), reference.len());
            for (key, &value) in &reference {
                assert_eq!(map.get(key), Some(value), "{key:?}");
            }
            if round == 1 {
                map.clear();
                reference.clear();
                assert!(map.is_empty() && map.get("aab").is_none());
            }
        }
    }

    #[test]
    fn inline_keys_are_equal_exactly_when_the_strings_are() {
        // Every string of length 0 to INLINE_BYTES over a two-letter alphabet that differs from a base string
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
