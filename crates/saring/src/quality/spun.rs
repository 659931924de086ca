//! Spun text (`spun-text`): Indonesian articles put through an "article spinner", which swaps words
//! for supposed synonyms. The tell-tale swap is `nan` for the relative pronoun `yang`; the pairs and
//! thresholds are in `rules/spun-id.toml`. Minangkabau, where `nan` is the ordinary word for `yang`,
//! is recognised by its function words and left alone.

use rustc_hash::FxHashSet;
use serde::Deserialize;

pub const SPUN_RULES: &str = include_str!("../../rules/spun-id.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    spun: String,
    original: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpunFile {
    pairs: Vec<Pair>,
    min_spun: usize,
    min_share: f64,
    minang_markers: Vec<String>,
    minang_min_hits: usize,
    indonesian_markers: Vec<String>,
    indonesian_min_hits: usize,
}

pub struct SpunText {
    /// (replacement, the words it replaces)
    pairs: Vec<(String, Vec<String>)>,
    indonesian: FxHashSet<String>,
    indonesian_min_hits: usize,
    min_spun: usize,
    min_share: f64,
    minang: FxHashSet<String>,
    minang_min_hits: usize,
    /// The replacements, found in any case: a text holding none of them has no spun word.
    /// `None` when a replacement is not ASCII (see [`SpunText::may_hold_spun_words`]).
    spun_finder: Option<aho_corasick::AhoCorasick>,
}

/// What the spun-text test counted.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SpunCounts {
    pub spun: usize,
    pub original: usize,
    pub minang_hits: usize,
    pub indonesian_hits: usize,
}

impl SpunText {
    pub fn embedded() -> Result<Self, String> {
        Self::from_toml(SPUN_RULES)
    }

    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file: SpunFile =
            toml::from_str(text).map_err(|e| format!("rules/spun-id.toml: {e}"))?;
        let spun_finder = if file.pairs.iter().all(|p| p.spun.is_ascii()) {
            let spun = file.pairs.iter().map(|p| p.spun.as_str());
            Some(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(spun)
                    .map_err(|e| format!("rules/spun-id.toml: {e}"))?,
            )
        } else {
            None
        };
        Ok(SpunText {
            spun_finder,
            pairs: file
                .pairs
                .into_iter()
                .map(|p| {
                    let originals = p.original.iter().map(|o| o.to_lowercase()).collect();
                    (p.spun.to_lowercase(), originals)
                })
                .collect(),
            indonesian: file
                .indonesian_markers
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            indonesian_min_hits: file.indonesian_min_hits,
            min_spun: file.min_spun,
            min_share: file.min_share,
            minang: file
                .minang_markers
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            minang_min_hits: file.minang_min_hits,
        })
    }

    pub fn count(&self, text: &str) -> SpunCounts {
        let mut counts = SpunCounts::default();
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let word = word.to_lowercase();
            if self.pairs.iter().any(|(s, _)| *s == word) {
                counts.spun += 1;
            } else if self.pairs.iter().any(|(_, o)| o.contains(&word)) {
                counts.original += 1;
            }
            if self.minang.contains(&word) {
                counts.minang_hits += 1;
            }
            if self.indonesian.contains(&word) {
                counts.indonesian_hits += 1;
            }
        }
        counts
    }

    /// Whether a text may hold a replacement word: one stands in it as a word (no letter or digit
    /// on either side) in any ASCII case, or it holds the Kelvin sign, the one character outside
    /// ASCII that lower-cases to an ASCII letter (`k`). With replacements outside ASCII, always.
    fn may_hold_spun_words(&self, text: &str) -> bool {
        let Some(finder) = &self.spun_finder else {
            return true;
        };
        let stands_alone = |m: aho_corasick::Match| {
            !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[m.end()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        };
        finder.find_overlapping_iter(text).any(stands_alone) || text.contains('\u{212A}')
    }

    /// Whether an (Indonesian) text reads as spun. `language` is `metadata.language` if known.
    pub fn is_spun(&self, text: &str, language: Option<&str>) -> bool {
        if language.is_some_and(|l| l != "id") {
            return false;
        }
        // Most texts hold no replacement at all: their count is not needed.
        if self.min_spun > 0 && !self.may_hold_spun_words(text) {
            return false;
        }
        let c = self.count(text);
        (language.is_some() || c.indonesian_hits >= self.indonesian_min_hits)
            && c.minang_hits < self.minang_min_hits
            && c.spun >= self.min_spun
            && c.spun as f64 >= self.min_share * (c.spun + c.original) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`SpunText::may_hold_spun_words`] rests on: of the characters outside ASCII only the
    /// Kelvin sign lower-cases to ASCII alone, so a word that lower-cases to an ASCII replacement
    /// is written in ASCII letters and Kelvin signs. And a spun text in capitals is still found.
    #[test]
    fn only_the_kelvin_sign_lower_cases_into_ascii() {
        let into_ascii: Vec<char> = (0x80..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().all(|l| l.is_ascii()))
            .collect();
        assert_eq!(into_ascii, ['\u{212A}']);
        let judge = SpunText::embedded().unwrap();
        let shouted = "CARA MERAWAT TANAMAN NAN BAIK ADALAH MENYIRAM DENGAN AIR NAN BERSIH. \
            PUPUK NAN TEPAT MEMBUAT DAUN NAN HIJAU TUMBUH LEBIH CEPAT.";
        assert!(judge.is_spun(shouted, Some("id")));
        assert!(!judge.may_hold_spun_words("Cara merawat tanaman yang baik."));
        // Inside a word a replacement is no replacement; beside a symbol it is.
        assert!(!judge.may_hold_spun_words("Nanti kita menanam pisang."));
        assert!(judge.may_hold_spun_words("Laut (nan) biru."));
        // A replacement with a `k`, written with Kelvin signs, still counts.
        let rules = SPUN_RULES.replace("spun = \"nan\"", "spun = \"nak\"");
        assert_ne!(rules, SPUN_RULES);
        let judge = SpunText::from_toml(&rules).unwrap();
        let kelvin = "Tanaman na\u{212A} baik, air na\u{212A} bersih, pupuk na\u{212A} tepat.";
        assert!(judge.is_spun(kelvin, Some("id")));
    }

    #[test]
    fn nan_for_yang_is_spun_but_minangkabau_is_not() {
        let judge = SpunText::embedded().unwrap();
        let spun = "Cara merawat tanaman nan baik adalah menyiram dengan air nan bersih. \
            Pupuk nan tepat membuat daun nan hijau tumbuh lebih cepat, hal nan penting bagi petani.";
        assert!(judge.is_spun(spun, Some("id")));
        let plain = "Cara merawat tanaman yang baik adalah menyiram dengan air yang bersih. \
            Pupuk yang tepat membuat daun hijau tumbuh lebih cepat.";
        assert!(!judge.is_spun(plain, Some("id")));
        // One poetic "nan" in an otherwise ordinary text is not spinning.
        let poetic = "Laut nan biru itu indah. Nelayan yang pulang membawa ikan yang segar \
            dan anak-anak yang menunggu di pantai.";
        assert!(!judge.is_spun(poetic, Some("id")));
        let minang = "Urang nan indak pai ka pasa tu alah pulang. Ambo indak tahu jo sia inyo \
            pai, tapi rumah nan gadang tu masih baru sajo dibangun.";
        assert!(!judge.is_spun(minang, None));
        assert!(!judge.is_spun(spun, Some("min")));
        // Without a language label the text must read as Indonesian.
        assert!(judge.is_spun(spun, None));
        let english = "Nan Goldin and Nan Kempner at the gallery; Nan said the show opens in May.";
        assert!(!judge.is_spun(english, None) && !judge.is_spun(english, Some("en")));
        // Chat Indonesian: "nan" for "nanti", "yg" for "yang".
        let chat =
            "udh bnyk bgt nan? gue sidang nan aja deh, yg lain udah, yg penting lulus yg cepet";
        assert!(!judge.is_spun(chat, Some("id")));
    }
}
