//! A list of words asked about every word of a text: the spam judges' word lists, the cleaner's
//! stop words. Most words asked about are not listed, and a word whose length, or whose first and
//! last bytes together, no listed word has is answered without hashing it.

use rustc_hash::FxHashSet;

/// A set of words with a cheap screen in front (see the module documentation).
#[derive(Debug)]
pub struct ListedWords {
    words: FxHashSet<String>,
    lengths: std::ops::RangeInclusive<usize>,
    /// A bit per (first byte, last byte) pair of the listed words (8 KB).
    ends: Box<[u64; 1024]>,
}

/// The bit of a word's (first byte, last byte) pair in [`ListedWords::ends`]; the empty word's is 0.
fn ends_bit(word: &str) -> usize {
    let bytes = word.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => usize::from(first) << 8 | usize::from(last),
        _ => 0,
    }
}

impl FromIterator<String> for ListedWords {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> Self {
        let words: FxHashSet<String> = words.into_iter().collect();
        let mut ends = Box::new([0u64; 1024]);
        for w in &words {
            let bit = ends_bit(w);
            ends[bit / 64] |= 1 << (bit % 64);
        }
        let shortest = words.iter().map(String::len).min().unwrap_or(1);
        let longest = words.iter().map(String::len).max().unwrap_or(0);
        ListedWords {
            words,
            lengths: shortest..=longest,
            ends,
        }
    }
}

impl ListedWords {
    pub fn contains(&self, word: &str) -> bool {
        let bit = ends_bit(word);
        self.lengths.contains(&word.len())
            && self.ends[bit / 64] >> (bit % 64) & 1 == 1
            && self.words.contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every listed word is found, the empty word too when listed, and a word that shares a
    /// listed word's length and ends but not its middle is not.
    #[test]
    fn listed_words_are_found_and_others_are_not() {
        let list: ListedWords = ["yang", "dan", "a", ""]
            .map(String::from)
            .into_iter()
            .collect();
        for w in ["yang", "dan", "a", ""] {
            assert!(list.contains(w), "{w:?}");
        }
        for w in ["yong", "din", "b", "yan", "dany", "ya"] {
            assert!(!list.contains(w), "{w:?}");
        }
        let empty: ListedWords = std::iter::empty().collect();
        assert!(!empty.contains("") && !empty.contains("a"));
    }
}
