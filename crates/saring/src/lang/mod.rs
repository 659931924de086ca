//! Language identification: fastText lid176, then an Indonesian / Malay / local-language decision.
//!
//! lid176 (shipped in `crates/saring/models`, see its README for licence and source) is good at telling
//! 176 languages apart, but not the ones saring cares most about: it puts almost all Indonesian and
//! Malay into `{id, ms}` without separating them, and labels much Javanese, Sundanese and Minangkabau
//! text as Indonesian. So when lid176's answer falls in that family, a second step decides, from marker
//! words (`rules/lang-local.toml`) that are frequent in one of the languages and rare in the others:
//!
//! 1. A local language (jv, su, min) wins when its markers make up at least
//!    [`LOCAL_SHARE`] of the words, at least two of them, and more than Indonesian's markers.
//! 2. Otherwise Malay wins over Indonesian when it has more markers, and Indonesian over Malay when it
//!    has more. On a tie (usually: no marker at all) the text is Indonesian, the far more common of
//!    the two on the web, because lid176's own id/ms split is no better than chance here.
//!
//! The markers are counted while lid176 reads the text, not in a second pass over it (only the
//! common words of a text lid176 is unsure of are looked for in one): each distinct
//! token's counts (`MarkerLexicon::token_tag`) are cached with the token's lid176 rows, and a
//! text's counts are the sum over its tokens (`TagSum`), equal to counting its words one by one
//! (`LanguageId::markers`, the reference the tests compare with).
//!
//! A text written mostly in capitals is labelled in lower case (`shouts`): lid176 learnt from text
//! in ordinary case and scatters capitals over unrelated languages. And a text lid176 is unsure of
//! that holds two common Indonesian words no other language writes (`rules/indonesian-common.toml`)
//! goes to the family step even when lid176 gave the family next to no probability.
//!
//! The score of a family decision is lid176's probability mass on the whole family. Output codes are
//! ISO 639-1 where one exists (`id`, `ms`, `jv`, `su`, `en`), else ISO 639-3 (`min`). lid176's labels
//! are Wikipedia's language codes, which are that for all but a few (see [`iso_code`]).

use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde_json::json;

use crate::document::Document;
use crate::word_map::{short_eq, WordMap};

pub mod fasttext;

use crate::stage::Stage;
use fasttext::FastTextModel;

/// The embedded lid176 model.
pub const LID176: &[u8] = include_bytes!("../../models/lid.176.ftz");
/// The embedded marker lists.
pub const LOCAL_MARKERS: &str = include_str!("../../rules/lang-local.toml");
/// Common Indonesian words that other languages do not write (see the file's header).
pub const INDONESIAN_COMMON: &str = include_str!("../../rules/indonesian-common.toml");

/// The words of [`INDONESIAN_COMMON`], lower-cased.
pub fn indonesian_common_words() -> &'static FxHashSet<String> {
    static WORDS: std::sync::OnceLock<FxHashSet<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct CommonFile {
            words: Vec<String>,
        }
        // Embedded and read by the tests: it parses.
        let file: CommonFile =
            toml::from_str(INDONESIAN_COMMON).expect("the embedded common-word list parses");
        file.words.iter().map(|w| w.to_lowercase()).collect()
    })
}

/// The words of a lower-cased text as the common-word list is matched against them: runs of
/// letters (`temen2` holds `temen`; accented words stay whole, `Takács` is not `tak`). The spam
/// stage and language ID both cut text so.
pub fn letter_runs(lowered: &str) -> impl Iterator<Item = &str> {
    lowered
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

/// How many distinct words of `list` `words` holds, counting up to `enough` (words as
/// [`letter_runs`] cuts them).
pub fn distinct_listed_words<'w>(
    words: impl Iterator<Item = &'w str>,
    list: &FxHashSet<String>,
    enough: usize,
) -> usize {
    let mut found: Vec<&str> = Vec::with_capacity(enough);
    for w in words {
        if found.len() >= enough {
            break;
        }
        if list.contains(w) && !found.contains(&w) {
            found.push(w);
        }
    }
    found.len()
}

/// Whether a text holds enough distinct common Indonesian words to be Indonesian-family when
/// lid176 is unsure of it: [`COMMON_WORDS_FOR_FAMILY`], and in a longer text one per ten words
/// (a page of another language can borrow a phrase).
fn holds_common_indonesian_words(text: &str) -> bool {
    let lowered = text.to_lowercase();
    let words: Vec<&str> = letter_runs(&lowered).collect();
    let needed = COMMON_WORDS_FOR_FAMILY.max(words.len() / 10);
    distinct_listed_words(words.iter().copied(), indonesian_common_words(), needed) >= needed
}

/// A text lid176 is unsure of and labels outside the family is Indonesian-family when it holds
/// this many distinct common Indonesian words.
const COMMON_WORDS_FOR_FAMILY: usize = 2;

/// Languages that lid176 confuses with each other and the marker step separates.
pub const FAMILY: &[&str] = &["id", "ms", "jv", "su", "min"];
/// Clitics that Indonesian and Malay attach to a word without changing which standard it belongs to.
const CLITICS: [&str; 6] = ["nya", "ku", "mu", "lah", "kah", "pun"];
/// lid176 labels read per text: the family's probability mass is summed over these.
const TOP_LABELS: usize = 10;
/// Below this much probability on the family (in lid176's top labels), a text whose first label is
/// outside the family stays outside, whatever its marker words (common Indonesian words may still
/// let it in when lid176 is unsure, see [`COMMON_WORDS_FOR_FAMILY`]).
const MIN_FAMILY_MASS: f32 = 0.05;
/// A local language needs at least this share of its marker words.
pub const LOCAL_SHARE: f64 = 0.10;
/// lid176 is unsure of a text whose top label has less probability than this: short Indonesian
/// sentences with a few names get scattered over `en`, `it`, `fi`. The spam stage also reads a
/// label below it as no label (`quality::SpamStage`).
pub const UNSURE_BELOW: f32 = 0.5;

#[derive(Debug, thiserror::Error)]
pub enum LangError {
    #[error("cannot load the language-ID model: {0}")]
    Model(String),
    #[error("rules/lang-local.toml: {0}")]
    Markers(String),
}

#[derive(Deserialize)]
struct MarkerFile {
    language: Vec<MarkerSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkerSpec {
    code: String,
    #[allow(dead_code)]
    name: String,
    markers: Vec<String>,
    #[serde(default)]
    suffixes: Vec<String>,
    #[serde(default)]
    infixes: Vec<String>,
    #[serde(default)]
    min_len: usize,
    #[serde(default)]
    exceptions: Vec<String>,
}

/// Word shapes that mark a language (`-nyo`, `eu`, `dh`).
struct Shapes {
    /// Position in [`FAMILY`].
    code: usize,
    suffixes: Vec<String>,
    infixes: Vec<String>,
    min_len: usize,
    exceptions: FxHashSet<String>,
}

impl Shapes {
    fn matches(&self, word: &str) -> bool {
        // The cheap byte tests first; most words have none of the shapes.
        (self.suffixes.iter().any(|s| ends_with_bytes(word, s))
            || self.infixes.iter().any(|i| contains_bytes(word, i)))
            && word.chars().count() >= self.min_len
            && !self.exceptions.contains(word)
    }
}

/// `word.ends_with(suffix)`, see [`short_eq`].
#[inline]
fn ends_with_bytes(word: &str, suffix: &str) -> bool {
    let (word, suffix) = (word.as_bytes(), suffix.as_bytes());
    word.len() >= suffix.len() && short_eq(&word[word.len() - suffix.len()..], suffix)
}

/// `word.contains(part)` for short words and parts, see [`short_eq`].
fn contains_bytes(word: &str, part: &str) -> bool {
    let part = part.as_bytes();
    part.is_empty()
        || word
            .as_bytes()
            .windows(part.len())
            .any(|w| short_eq(w, part))
}

/// A language decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub language: String,
    pub score: f32,
    /// Javanese, Sundanese and Minangkabau marker hits per word of the text (0 when markers were
    /// not counted because the text is clearly outside the Indonesian family).
    pub local_share: f32,
}

/// Marker counts of one text, per family language.
#[derive(Debug, Default, Clone)]
pub struct MarkerCounts {
    pub words: usize,
    /// Hits per language, in [`FAMILY`] order.
    pub hits: [usize; FAMILY.len()],
}

impl MarkerCounts {
    pub fn get(&self, code: &str) -> usize {
        FAMILY
            .iter()
            .position(|c| *c == code)
            .map_or(0, |i| self.hits[i])
    }
}

/// fastText lid176 plus the family decision.
pub struct LanguageId {
    /// lid176, with each token's marker counts ([`MarkerLexicon::token_tag`]) cached beside its rows.
    model: FastTextModel,
    markers: Arc<MarkerLexicon>,
}

/// The marker words and word shapes of `rules/lang-local.toml`, and how a text's words are counted.
struct MarkerLexicon {
    /// Marker words and two-word phrases, and the first words of the phrases: one lookup per word.
    lexicon: WordMap<LexiconEntry>,
    shapes: Vec<Shapes>,
}

/// What the marker lexicon knows of a word.
#[derive(Clone, Copy, Default)]
struct LexiconEntry {
    /// The one family language (position in [`FAMILY`]) the word or phrase marks.
    marks: Option<u8>,
    /// The word starts a two-word marker, so the pair with the next word is looked up.
    starts_pair: bool,
}

/// Whether a character separates the words of the marker step (it is not a letter, a digit, `-`
/// or `'`).
fn separates_words(c: char) -> bool {
    !(c.is_alphanumeric() || c == '-' || c == '\'')
}

/// A word in lower case; borrowed when it is lower case already, as most are.
fn lower(w: &str) -> std::borrow::Cow<'_, str> {
    if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(w)
    } else {
        std::borrow::Cow::Owned(w.to_lowercase())
    }
}

/// Lower-cased words (letters, digits, `-` and `'`).
fn words(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    text.split(separates_words)
        .filter(|w| !w.is_empty())
        .map(lower)
        .collect()
}

impl LanguageId {
    /// The embedded model and marker lists.
    pub fn embedded() -> Result<Self, LangError> {
        let model =
            FastTextModel::from_bytes(LID176).map_err(|e| LangError::Model(e.to_string()))?;
        Self::with_model(model, LOCAL_MARKERS)
    }

    pub fn with_model(model: FastTextModel, markers_toml: &str) -> Result<Self, LangError> {
        let file: MarkerFile =
            toml::from_str(markers_toml).map_err(|e| LangError::Markers(e.to_string()))?;
        // A word listed for two languages discriminates neither: it counts for none.
        let mut owner: HashMap<String, Option<String>> = HashMap::new();
        for spec in &file.language {
            if !FAMILY.contains(&spec.code.as_str()) {
                return Err(LangError::Markers(format!(
                    "{} is not one of {FAMILY:?}",
                    spec.code
                )));
            }
            // Text is cut into words (see `words`) and looked up a word and a pair at a time, so a
            // marker must be what that cut gives: one word, or two joined by one space.
            if let Some(bad) = spec.markers.iter().find(|m| {
                let lower = m.to_lowercase();
                let cut = words(&lower);
                !(1..=2).contains(&cut.len()) || cut.join(" ") != lower
            }) {
                return Err(LangError::Markers(format!(
                    "{}: marker {bad:?} is not one word or two words joined by one space (a word \
                     is letters, digits, `-` and `'`); split longer phrases into the word pairs \
                     that mark the language",
                    spec.code
                )));
            }
            let unique: FxHashSet<String> = spec.markers.iter().map(|m| m.to_lowercase()).collect();
            for m in unique {
                owner
                    .entry(m)
                    .and_modify(|o| {
                        if o.as_deref() != Some(spec.code.as_str()) {
                            *o = None
                        }
                    })
                    .or_insert_with(|| Some(spec.code.clone()));
            }
        }
        let family_index = |code: &str| FAMILY.iter().position(|c| *c == code);
        let markers: FxHashMap<String, usize> = owner
            .into_iter()
            .filter_map(|(w, o)| o.and_then(|o| family_index(&o)).map(|i| (w, i)))
            .collect();
        let mut lexicon: WordMap<LexiconEntry> = WordMap::default();
        for (marker, &code) in &markers {
            let mut entry = lexicon.get(marker).unwrap_or_default();
            entry.marks = Some(code as u8);
            lexicon.insert(marker, entry);
            if let Some((first, _)) = marker.split_once(' ') {
                let mut entry = lexicon.get(first).unwrap_or_default();
                entry.starts_pair = true;
                lexicon.insert(first, entry);
            }
        }
        let shapes = file
            .language
            .iter()
            .filter(|l| !l.suffixes.is_empty() || !l.infixes.is_empty())
            .filter_map(|l| family_index(&l.code).map(|code| (l, code)))
            .map(|(l, code)| Shapes {
                code,
                suffixes: l.suffixes.iter().map(|s| s.to_lowercase()).collect(),
                infixes: l.infixes.iter().map(|s| s.to_lowercase()).collect(),
                min_len: l.min_len,
                exceptions: l.exceptions.iter().map(|s| s.to_lowercase()).collect(),
            })
            .collect();
        let markers = Arc::new(MarkerLexicon { lexicon, shapes });
        let tagger = Arc::clone(&markers);
        Ok(LanguageId {
            model: model.with_token_tags(Arc::new(move |token: &str| tagger.token_tag(token))),
            markers,
        })
    }

    /// lid176's top `k` labels (without `__label__`) and probabilities.
    pub fn fasttext(&self, text: &str, k: usize) -> Vec<(String, f32)> {
        // fastText reads one line; datatrove replaces newlines with spaces before predicting, and
        // the model's tokenizer treats them as spaces.
        self.model
            .predict(text, k, 0.0)
            .into_iter()
            .map(|(label, p)| (label.to_string(), p))
            .collect()
    }

    /// Count marker words (and two-word markers) per family language.
    pub fn markers(&self, text: &str) -> MarkerCounts {
        self.markers.count(&words(text))
    }

    /// The language of a text. A text written mostly in capitals is labelled in lower case (see
    /// [`shouts`]).
    pub fn predict(&self, text: &str) -> Prediction {
        if shouts(text) {
            return self.predict_as_written(&text.to_lowercase());
        }
        self.predict_as_written(text)
    }

    fn predict_as_written(&self, text: &str) -> Prediction {
        let mut tags = TagSum::default();
        let top = self
            .model
            .predict_tagged(text, TOP_LABELS, 0.0, |token, tag| {
                tags.add(&self.markers, token, tag)
            })
            .into_iter()
            .map(|(label, p)| (label.to_string(), p))
            .collect();
        self.decide(
            top,
            || tags.finish(&self.markers, text),
            || holds_common_indonesian_words(text),
        )
    }

    /// The language of a text and, if `want_parts` says so on seeing it, of each of `parts` (byte
    /// ranges of the text): [`LanguageId::predict`] on each. The parts are read only when wanted,
    /// which for most documents they are not (see `LanguageStage::process`).
    pub fn predict_with_parts(
        &self,
        text: &str,
        parts: &[(usize, usize)],
        want_parts: impl FnOnce(&Prediction) -> bool,
    ) -> (Prediction, Vec<Prediction>) {
        let whole = self.predict(text);
        if !want_parts(&whole) {
            return (whole, Vec::new());
        }
        let each = parts
            .iter()
            .map(|&(a, b)| self.predict(&text[a..b]))
            .collect();
        (whole, each)
    }

    /// The family decision on lid176's top labels of a text and its marker counts. A label
    /// outside the family is given as its ISO code ([`iso_code`]).
    fn decide(
        &self,
        top: Vec<(String, f32)>,
        markers: impl FnOnce() -> MarkerCounts,
        common_words: impl FnOnce() -> bool,
    ) -> Prediction {
        let Some((first, first_p)) = top.first().cloned() else {
            return Prediction {
                language: "und".into(),
                score: 0.0,
                local_share: 0.0,
            };
        };
        let family_mass: f32 = top
            .iter()
            .filter(|(l, _)| FAMILY.contains(&l.as_str()))
            .map(|(_, p)| p)
            .sum();
        // Without family probability no marker evidence can pull the text into the family (see
        // below), so most other-language texts skip the marker count. Except common words: lid176
        // scatters short informal Indonesian over unrelated languages, often with next to no family
        // probability ("cinta banget deh sama jokowi ." is `pl`); when it is unsure, common
        // Indonesian words that other languages do not write decide for the family. They are
        // counted only for such texts, and at most once.
        let outside = !FAMILY.contains(&first.as_str());
        let mut common_words = Some(common_words);
        let mut indonesian_words_decide = || {
            outside && first_p < UNSURE_BELOW && common_words.take().is_some_and(|holds| holds())
        };
        let mut by_common_words = false;
        if family_mass < MIN_FAMILY_MASS && outside {
            if !indonesian_words_decide() {
                return Prediction {
                    language: iso_code(first),
                    score: first_p,
                    local_share: 0.0,
                };
            }
            by_common_words = true;
        }
        let counts = markers();
        // lid176 has seen little Minangkabau and calls short Indonesian sentences English or Turkish:
        // marker evidence with some family probability is enough to decide within the family.
        let marker_hits: usize = counts.hits.iter().sum();
        let markers_strong =
            marker_hits >= 1 && marker_hits as f64 >= LOCAL_SHARE * counts.words as f64;
        // And when lid176 itself is unsure (its top label under 0.5), a family share of a fifth is enough:
        // short Indonesian sentences with a few names get scattered over en, it, fi.
        let unsure_family = first_p < UNSURE_BELOW && family_mass >= 0.2;
        let in_family = FAMILY.contains(&first.as_str())
            || family_mass >= 0.5
            || (markers_strong && family_mass >= MIN_FAMILY_MASS)
            || unsure_family
            || by_common_words
            || {
                by_common_words = indonesian_words_decide();
                by_common_words
            };
        let local_hits: usize = ["jv", "su", "min"].iter().map(|c| counts.get(c)).sum();
        let local_share = local_hits as f32 / counts.words.max(1) as f32;
        if !in_family {
            return Prediction {
                language: iso_code(first),
                score: first_p,
                local_share,
            };
        }
        // A text let in by common Indonesian words alone has no family label worth following on
        // a tie: Indonesian. Its score is still the family's (small) probability.
        Prediction {
            language: self.decide_family(&top, &counts, by_common_words),
            score: family_mass.min(1.0),
            local_share,
        }
    }

    fn decide_family(
        &self,
        top: &[(String, f32)],
        counts: &MarkerCounts,
        by_common_words: bool,
    ) -> String {
        let indonesian = counts.get("id");
        let local = ["jv", "su", "min"]
            .into_iter()
            .map(|code| (code, counts.get(code)))
            .max_by_key(|&(code, hits)| (hits, std::cmp::Reverse(code)))
            .filter(|&(_, hits)| {
                hits >= 2
                    && hits > indonesian
                    && hits as f64 >= LOCAL_SHARE * counts.words.max(1) as f64
            });
        if let Some((code, _)) = local {
            return code.to_string();
        }
        let malay = counts.get("ms");
        if malay > indonesian {
            return "ms".into();
        }
        if indonesian > malay {
            return "id".into();
        }
        // A tie (usually no marker at all): lid176 cannot separate id from ms, so the prior decides.
        // Indonesian is several times more common than Malay on the web, so it is Indonesian, unless
        // lid176 itself named a local language first.
        if by_common_words {
            return "id".into();
        }
        match top
            .iter()
            .map(|(l, _)| l.as_str())
            .find(|l| FAMILY.contains(l))
        {
            Some(local @ ("jv" | "su" | "min")) => local.to_string(),
            _ => "id".into(),
        }
    }
}

impl MarkerLexicon {
    /// The family language a word marks: the word itself, else the word under its inflection, as
    /// Malay and Indonesian write it: a reduplication (`majikan-majikan`, `kerajaan-kerajaannya`) or
    /// a clitic (`-nya`, `-ku`, `-mu`, `-lah`, `-kah`, `-pun`: `kewangannya`, `bahagianku`) on a
    /// stem of at least four letters.
    fn marker_of(&self, word: &str) -> Option<usize> {
        self.marker_given(word, self.lexicon.get(word))
    }

    /// [`MarkerLexicon::marker_of`] for a word already looked up in the lexicon.
    fn marker_given(&self, word: &str, entry: Option<LexiconEntry>) -> Option<usize> {
        if let Some(code) = entry.and_then(|e| e.marks) {
            return Some(usize::from(code));
        }
        if let Some((first, rest)) = word.split_once('-') {
            if rest.starts_with(first) && first.len() >= 3 {
                return self.marker_of(first);
            }
        }
        CLITICS.iter().find_map(|clitic| {
            if !ends_with_bytes(word, clitic) {
                return None;
            }
            // The clitics are ASCII, so the cut is on a character boundary.
            let stem = &word[..word.len() - clitic.len()];
            (stem.chars().count() >= 4)
                .then(|| self.lexicon.get(stem).and_then(|e| e.marks))
                .flatten()
                .map(usize::from)
        })
    }

    /// Count marker words (and two-word markers) per family language in a text's `words`.
    fn count(&self, words: &[std::borrow::Cow<'_, str>]) -> MarkerCounts {
        let mut buffer = String::new();
        let mut counts = MarkerCounts {
            words: words.len(),
            ..MarkerCounts::default()
        };
        for (i, w) in words.iter().enumerate() {
            let entry = self.lexicon.get(w);
            if let Some(code) = self.marker_given(w, entry) {
                counts.hits[code] += 1;
            } else if let Some(shape) = self.shapes.iter().find(|s| s.matches(w)) {
                counts.hits[shape.code] += 1;
            }
            if let Some(next) = words
                .get(i + 1)
                .filter(|_| entry.is_some_and(|e| e.starts_pair))
            {
                if let Some(code) = self.pair_marker(w, next, &mut buffer) {
                    counts.hits[code] += 1;
                }
            }
        }
        counts
    }

    /// The family language the two-word marker `first second` marks, if it is one (`buffer` holds
    /// the pair while it is looked up).
    fn pair_marker(&self, first: &str, second: &str, buffer: &mut String) -> Option<usize> {
        buffer.clear();
        buffer.push_str(first);
        buffer.push(' ');
        buffer.push_str(second);
        self.lexicon
            .get(buffer)
            .and_then(|e| e.marks)
            .map(usize::from)
    }

    /// A token's marker counts for [`FastTextModel::with_token_tags`]: its words, its hits per
    /// family language (two-word markers inside the token included), and whether its last word
    /// starts a two-word marker. [`TagSum`] adds the tags of a text's tokens up to its
    /// [`MarkerCounts`], the same as counting the whole text: lid176's token separators are
    /// whitespace, which also separates words. Counts too large for the tag set [`TAG_OVERFLOW`].
    fn token_tag(&self, token: &str) -> u32 {
        let words = words(token);
        let counts = self.count(&words);
        if counts.words > TAG_MAX_WORDS || counts.hits.iter().any(|&h| h > TAG_MAX_HITS) {
            return TAG_OVERFLOW;
        }
        let mut tag = (counts.words as u32) << TAG_WORDS_SHIFT;
        for (i, &h) in counts.hits.iter().enumerate() {
            tag |= (h as u32) << (TAG_HIT_BITS * i as u32);
        }
        let last_starts_pair = words
            .last()
            .and_then(|w| self.lexicon.get(w))
            .is_some_and(|e| e.starts_pair);
        if last_starts_pair {
            tag |= TAG_LAST_STARTS_PAIR;
        }
        tag
    }
}

/// Layout of a token tag ([`MarkerLexicon::token_tag`]), 24 bits: hits per family language, 3 bits
/// each; then the word count, 7 bits; then two flags.
const TAG_HIT_BITS: u32 = 3;
const TAG_MAX_HITS: usize = (1 << TAG_HIT_BITS) - 1;
const TAG_WORDS_SHIFT: u32 = TAG_HIT_BITS * FAMILY.len() as u32;
const TAG_MAX_WORDS: usize = 127;
const TAG_LAST_STARTS_PAIR: u32 = 1 << (TAG_WORDS_SHIFT + 7);
const TAG_OVERFLOW: u32 = 1 << (TAG_WORDS_SHIFT + 8);
const _: () = assert!(TAG_WORDS_SHIFT + 9 <= fasttext::TAG_BITS);

/// The marker counts of a text from its tokens' tags, in text order (see [`MarkerLexicon::token_tag`]).
#[derive(Default)]
struct TagSum<'t> {
    counts: MarkerCounts,
    /// A token's counts did not fit its tag: the text is counted word by word instead.
    overflow: bool,
    /// The last token with words, when its last word starts a two-word marker: the pair with the
    /// next word, in the next token with words, is looked up.
    pending_pair: Option<&'t str>,
    /// Holds that pair while it is looked up.
    buffer: String,
    /// Pairs looked up across tokens (for the tests).
    #[cfg(test)]
    pairs_looked_up: usize,
}

impl<'t> TagSum<'t> {
    fn add(&mut self, lexicon: &MarkerLexicon, token: &'t str, tag: u32) {
        if tag & TAG_OVERFLOW != 0 {
            self.overflow = true;
        }
        let n_words = ((tag >> TAG_WORDS_SHIFT) & TAG_MAX_WORDS as u32) as usize;
        if self.overflow || n_words == 0 {
            return;
        }
        if let Some(previous) = self.pending_pair.take() {
            // Every two-word marker spans two lid176 tokens, and some first words are common
            // (`rumah`, `jalan`, `dalam`): the two words are cut from the tokens' ends, not the
            // tokens split into all their words.
            let last = previous.rsplit(separates_words).find(|w| !w.is_empty());
            let first = token.split(separates_words).find(|w| !w.is_empty());
            if let (Some(last), Some(first)) = (last, first) {
                #[cfg(test)]
                {
                    self.pairs_looked_up += 1;
                }
                if let Some(code) =
                    lexicon.pair_marker(&lower(last), &lower(first), &mut self.buffer)
                {
                    self.counts.hits[code] += 1;
                }
            }
        }
        self.counts.words += n_words;
        for (i, hits) in self.counts.hits.iter_mut().enumerate() {
            *hits += ((tag >> (TAG_HIT_BITS * i as u32)) as usize) & TAG_MAX_HITS;
        }
        if tag & TAG_LAST_STARTS_PAIR != 0 {
            self.pending_pair = Some(token);
        }
    }

    fn finish(self, lexicon: &MarkerLexicon, text: &str) -> MarkerCounts {
        if self.overflow {
            lexicon.count(&words(text))
        } else {
            self.counts
        }
    }
}

/// Labels documents with `metadata.language` and `metadata.language_score`, and, when paragraphs of
/// other languages make up at least a fifth of the text, `metadata.languages` (share of characters per
/// language). With `keep`, documents in other languages are dropped (`unwanted-language`).
pub struct LanguageStage {
    lid: Arc<LanguageId>,
    keep: Option<FxHashSet<String>>,
    /// Documents below this score are dropped when filtering (datatrove's LanguageFilter: 0.65).
    pub min_score: f32,
}

impl LanguageStage {
    pub fn new(lid: Arc<LanguageId>, keep: Option<Vec<String>>) -> Self {
        LanguageStage {
            lid,
            // Codes as labels are given (`sh` asks for what is now labelled `hbs`).
            keep: keep.map(|k| k.into_iter().map(iso_code).collect()),
            min_score: 0.65,
        }
    }
}

/// The ISO code of the language a lid176 label names. lid176's labels are the codes of the
/// Wikipedias it learnt from, which are ISO 639-1 or 639-3 codes except for these:
///
/// * `als`, the Alemannic Wikipedia: Alemannic is ISO 639-3 `gsw` (`als` is Tosk Albanian);
/// * `bh`, the Bhojpuri Wikipedia: `bho` (ISO 639-1 `bh`, "Bihari languages", is a collective
///   code, withdrawn in 2021);
/// * `sh`, Serbo-Croatian: ISO 639-1 `sh` was withdrawn in 2000; the macrolanguage is 639-3 `hbs`.
///
/// Two more are kept as they are, having no single current code: `eml` (Emilian-Romagnol, an ISO
/// 639-3 code retired in 2009 when it was split into `egl` and `rgn`) and `nah` (Nahuatl, an ISO
/// 639-2/639-5 collective code).
fn iso_code(label: String) -> String {
    match label.as_str() {
        "als" => "gsw".into(),
        "bh" => "bho".into(),
        "sh" => "hbs".into(),
        _ => label,
    }
}

/// Letters with case a text needs before [`shouts`] calls it written in capitals: a headline of
/// two or three words is left as it is.
const SHOUT_MIN_CASED: usize = 20;

/// Whether a text is written mostly in capitals: at least [`SHOUT_MIN_CASED`] letters with case,
/// four in five of them upper case.
///
/// lid176 learnt from text in ordinary case. In capitals, Indonesian comes out as English, French,
/// German or Japanese: of the 40 tweets of IndoNLU EmoT's 4,401 that this calls capitals, lid176
/// labels 1 Indonesian as written and 33 once lower-cased (with the family step, 9 and 38). So
/// such a text is labelled in lower case. ("Letters with case" are the characters Unicode calls
/// upper or lower case.)
fn shouts(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut upper, mut lower) = (0usize, 0usize);
    let mut at = 0;
    while at < bytes.len() {
        // Even with every byte left a capital, four in five could no longer be reached: most
        // texts stop here after a quarter of their bytes.
        if lower * 4 > upper + (bytes.len() - at) {
            return false;
        }
        let end = (at + 64).min(bytes.len());
        let chunk = &bytes[at..end];
        if chunk.is_ascii() {
            // One branch-free pass that the compiler turns into vector code.
            let (mut u, mut l) = (0u8, 0u8);
            for &b in chunk {
                u += u8::from(b.wrapping_sub(b'A') < 26);
                l += u8::from(b.wrapping_sub(b'a') < 26);
            }
            upper += usize::from(u);
            lower += usize::from(l);
            at = end;
        } else {
            // `at` is a character boundary: ASCII chunks end before one, decoded ones after a
            // whole character.
            for c in text[at..].chars() {
                if at >= end {
                    break;
                }
                if c.is_uppercase() {
                    upper += 1;
                } else if c.is_lowercase() {
                    lower += 1;
                }
                at += c.len_utf8();
            }
        }
    }
    upper + lower >= SHOUT_MIN_CASED && upper >= 4 * lower
}

/// Whether at least a tenth of the letters are Latin and at least a tenth are not.
fn mixes_scripts(text: &str) -> bool {
    // ASCII letters are all Latin: one script, found without decoding (checked a word at a time).
    if text.is_ascii() {
        return false;
    }
    let (mut latin, mut other) = (0usize, 0usize);
    // ASCII letters are counted as bytes; only the other characters are decoded (in most pages of
    // Latin script they are a few quotes and dashes).
    let ascii_letters = |s: &str| s.bytes().filter(u8::is_ascii_alphabetic).count();
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        latin += ascii_letters(&rest[..at]);
        // `at` is a character boundary holding a non-ASCII byte, so a character starts there.
        let Some(c) = rest[at..].chars().next() else {
            break;
        };
        if c.is_alphabetic() {
            if ('\u{C0}'..='\u{24F}').contains(&c) {
                latin += 1;
            } else {
                other += 1;
            }
        }
        rest = &rest[at + c.len_utf8()..];
    }
    latin += ascii_letters(rest);
    let letters = latin + other;
    letters > 0 && latin * 10 >= letters && other * 10 >= letters
}

/// The byte ranges of the paragraphs (split at `\n\n`) of at least [`MIN_PARAGRAPH_CHARS`] characters.
fn long_paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut paragraphs = Vec::new();
    // A character takes one to four bytes, so most paragraphs are decided by their length.
    let long_enough = |p: &str| {
        p.len() >= MIN_PARAGRAPH_CHARS
            && (p.len() >= 4 * MIN_PARAGRAPH_CHARS || p.chars().count() >= MIN_PARAGRAPH_CHARS)
    };
    // `str::split("\n\n")`, with memchr's vector search for the separator.
    let ends =
        memchr::memmem::find_iter(text.as_bytes(), b"\n\n").chain(std::iter::once(text.len()));
    let mut at = 0;
    for end in ends {
        if long_enough(&text[at..end]) {
            paragraphs.push((at, end));
        }
        at = end + 2;
    }
    paragraphs
}

/// Paragraphs shorter than this (in characters) are not labelled on their own.
const MIN_PARAGRAPH_CHARS: usize = 80;

impl Stage for LanguageStage {
    fn name(&self) -> &str {
        "language"
    }

    fn process(&self, doc: &mut Document) {
        // Paragraphs long enough to be labelled on their own, as byte ranges. Whether they are
        // labelled is decided below, from the document's own label.
        let mut paragraphs = long_paragraphs(&doc.text);
        if paragraphs.len() < 2 {
            paragraphs.clear();
        }
        // Labelling paragraphs (lid176 and the marker count for each) is skipped when
        // the document is clearly one language: lid176 (or the Indonesian family's mass) at least 0.9,
        // one script, and under 1% of the words Javanese / Sundanese / Minangkabau markers (a
        // paragraph of a local language in an Indonesian page brings far more). Measured on 500
        // synthetic mixes (20-50% of another language): 446 reported as mixed, against 448 when
        // every document was labelled per paragraph.
        let clearly_one =
            |p: &Prediction| p.score >= 0.9 && p.local_share < 0.01 && !mixes_scripts(&doc.text);
        let (prediction, paragraph_predictions) =
            self.lid
                .predict_with_parts(&doc.text, &paragraphs, |p| !clearly_one(p));
        doc.metadata
            .insert("language".into(), json!(prediction.language));
        doc.metadata.insert(
            "language_score".into(),
            json!((f64::from(prediction.score) * 10_000.0).round() / 10_000.0),
        );

        // Mixed documents: report the paragraphs' languages as shares.
        if !paragraph_predictions.is_empty() {
            let mut chars: FxHashMap<String, usize> = FxHashMap::default();
            let mut total = 0usize;
            for (&(a, b), p) in paragraphs.iter().zip(paragraph_predictions) {
                let n = doc.text[a..b].chars().count();
                total += n;
                *chars.entry(p.language).or_default() += n;
            }
            let others = total - chars.get(&prediction.language).copied().unwrap_or(0);
            if others * 5 >= total {
                let mut shares: Vec<(String, usize)> = chars.into_iter().collect();
                shares.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let list: Vec<_> = shares
                    .into_iter()
                    .map(|(l, n)| json!({"language": l, "share": ((n as f64 / total as f64) * 1000.0).round() / 1000.0}))
                    .collect();
                doc.metadata.insert("languages".into(), json!(list));
            }
        }

        if let Some(keep) = &self.keep {
            if !keep.contains(&prediction.language) {
                doc.drop_with(self.name(), "unwanted-language");
            } else if prediction.score < self.min_score {
                doc.drop_with(self.name(), "low-language-score");
            }
        }
    }
}

#[cfg(test)]
mod tests;
