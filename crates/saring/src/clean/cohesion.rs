//! Lexical cohesion: does a line belong to this document's topic?
//!
//! Site furniture that no line rule can name (a provincial blurb printed on every page, an advertorial,
//! a block of SEO search phrases) has one thing in common: it shares almost no content words with the
//! article. Without any corpus statistics, a paragraph's cohesion is the share of its distinct content
//! stems that also occur in the title, the caption or another article paragraph. Article paragraphs
//! score 0.3 to 0.8; the example page's blurb and ring advertorial score 0.
//!
//! Stems come from a deliberately crude affix stripper (`stem_prefixes` / `stem_suffixes` in the rule
//! files), enough to make `pengesahan` and `disahkan` meet. Stop words come from the same files. The
//! document's language for these lists is guessed from stop-word hits among the loaded languages.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};

use crate::rules::{LanguageWords, Rules};

/// Pick the loaded language whose stop words cover most of the text's first words (the first
/// loaded among equals). The words are read once for all languages.
pub fn guess_language<'r>(rules: &'r Rules, text: &str) -> Option<&'r LanguageWords> {
    let mut hits = vec![0usize; rules.languages.len()];
    for w in words(text).take(400) {
        for (hits, lang) in hits.iter_mut().zip(&rules.languages) {
            *hits += usize::from(lang.stopwords.contains(w.as_ref()));
        }
    }
    let mut best: Option<(&LanguageWords, usize)> = None;
    for (lang, &hits) in rules.languages.iter().zip(&hits) {
        if best.is_none_or(|(_, b)| hits > b) {
            best = Some((lang, hits));
        }
    }
    best.map(|(l, _)| l)
}

/// Lower-cased words: letters and digits, with inner hyphens and apostrophes kept (`kupu-kupu`).
pub fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c: char| c == '-' || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Most words are already lower-case ASCII: no allocation for them.
            if w.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
}

/// The distinct content stems of one text, as 64-bit hashes (a document has a few thousand stems at
/// most, so collisions do not matter, and hashes avoid an allocation per word), sorted. A line has
/// a dozen or two: a sorted vector is built without the rehashing a set per line cost, and it is
/// only ever read whole.
pub type StemSet = Vec<u64>;

fn stem_hash(stem: &str) -> u64 {
    let mut h = FxHasher::default();
    stem.hash(&mut h);
    h.finish()
}

fn stem<'w>(word: &'w str, lang: &LanguageWords) -> &'w str {
    // At most one suffix of each group, outermost group first (Indonesian: particle, possessive,
    // derivational), then one prefix. The first/last-byte test skips most comparisons cheaply.
    let mut w = word;
    for group in &lang.stem_suffixes {
        let last = w.as_bytes().last().copied();
        if let Some(s) = group.iter().find(|s| {
            s.as_bytes().last().copied() == last
                && w.len() >= s.len() + 4
                && w.ends_with(s.as_str())
        }) {
            w = &w[..w.len() - s.len()];
        }
    }
    let first = w.as_bytes().first().copied();
    if let Some(p) = lang.stem_prefixes.iter().find(|p| {
        p.as_bytes().first().copied() == first
            && w.len() >= p.len() + 4
            && w.starts_with(p.as_str())
    }) {
        w = &w[p.len()..];
    }
    w
}

/// Distinct content stems of a text: no stop words, no numbers, at least three letters.
pub fn content_stems(text: &str, lang: Option<&LanguageWords>) -> StemSet {
    let mut stems: StemSet = words(text)
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .filter(|w| lang.is_none_or(|l| !l.stopwords.contains(w.as_ref())))
        .map(|w| match lang {
            Some(l) => stem_hash(stem(&w, l)),
            None => stem_hash(&w),
        })
        .collect();
    stems.sort_unstable();
    stems.dedup();
    stems
}

/// The topic of a document: how many units (title, caption, paragraphs) contain each stem.
#[derive(Default, Debug)]
pub struct Topic {
    anchors: HashSet<u64>,
    counts: HashMap<u64, u32>,
}

impl Topic {
    /// An empty topic with room for `stems` stems (their total over the units to be added: more
    /// than the distinct ones, so the table never grows while they are added).
    pub fn with_capacity(stems: usize) -> Self {
        Topic {
            anchors: HashSet::default(),
            counts: HashMap::with_capacity_and_hasher(stems, Default::default()),
        }
    }

    /// Stems that always count as on-topic (title, caption).
    pub fn add_anchor(&mut self, stems: &StemSet) {
        self.anchors.extend(stems.iter().copied());
    }

    pub fn add(&mut self, stems: &StemSet) {
        for s in stems {
            *self.counts.entry(*s).or_default() += 1;
        }
    }

    pub fn remove(&mut self, stems: &StemSet) {
        for s in stems {
            if let Some(c) = self.counts.get_mut(s) {
                *c = c.saturating_sub(1);
            }
        }
    }

    /// Share of `stems` found in the anchors or in other units. `own` says whether `stems` was itself
    /// added to the topic (then one occurrence of each stem is its own and does not count).
    pub fn cohesion(&self, stems: &StemSet, own: bool) -> f64 {
        if stems.is_empty() {
            return 1.0;
        }
        self.shared(stems, own) as f64 / stems.len() as f64
    }

    /// Whether any of `stems` is a title or caption stem.
    pub fn touches_anchor(&self, stems: &StemSet) -> bool {
        stems.iter().any(|s| self.anchors.contains(s))
    }

    /// How many of `stems` are found in the anchors or in other units.
    pub fn shared(&self, stems: &StemSet, own: bool) -> usize {
        let own = u32::from(own);
        stems
            .iter()
            .filter(|s| {
                self.anchors.contains(*s) || self.counts.get(*s).copied().unwrap_or(0) > own
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_stay_whole() {
        let w: Vec<_> = words("kupu-kupu terbang, 12.000 orang")
            .map(|w| w.into_owned())
            .collect();
        assert_eq!(w, ["kupu-kupu", "terbang", "12", "000", "orang"]);
    }

    #[test]
    fn indonesian_affixes_meet() {
        let rules = Rules::embedded().unwrap();
        let id = rules.language("id").unwrap();
        assert_eq!(stem("perjanjiannya", id), stem("perjanjian", id));
        assert_eq!(stem("dikirim", id), stem("kirim", id));
        assert_eq!(stem("kesepakatannya", id), stem("kesepakatan", id));
        assert_eq!(stem("mengirimkan", id), stem("mengirim", id));
    }

    #[test]
    fn language_guess_uses_stop_words() {
        let rules = Rules::embedded().unwrap();
        let l = guess_language(
            &rules,
            "Korea Utara telah mengesahkan perjanjian yang dan dengan",
        )
        .unwrap();
        assert_eq!(l.language, "id");
        let l = guess_language(
            &rules,
            "The treaty was signed by the two leaders in June and it is",
        )
        .unwrap();
        assert_eq!(l.language, "en");
    }

    #[test]
    fn cohesion_counts_other_units_only() {
        let mut topic = Topic::default();
        let set = |words: &[&str]| -> StemSet { words.iter().map(|w| stem_hash(w)).collect() };
        let (a, b) = (
            set(&["korea", "rusia", "perang"]),
            set(&["korea", "tomat", "cincin"]),
        );
        topic.add(&a);
        topic.add(&b);
        assert!((topic.cohesion(&b, true) - 1.0 / 3.0).abs() < 1e-9);
        let c = set(&["tomat", "bralette"]);
        assert!((topic.cohesion(&c, false) - 0.5).abs() < 1e-9);
    }
}
