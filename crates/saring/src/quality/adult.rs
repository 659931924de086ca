//! Adult-content promotion (`adult`): pornography and prostitution spam in Indonesian and English,
//! scored on the same folded text as gambling spam (so `𝐁𝐎𝐊𝐄𝐏` and `b0k3p` are caught), with word
//! lists in `rules/adult-id.toml`. Words that news, health and law texts use are left out of the
//! lists on purpose, so reporting on a scandal is not judged adult.

use serde::Deserialize;

use super::spam::{Folded, PatternSet};
use crate::word_list::ListedWords;

pub const ADULT_RULES: &str = include_str!("../../rules/adult-id.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdultFile {
    strong: Vec<String>,
    phrases: Vec<String>,
    weak: Vec<String>,
    threshold: u32,
}

pub struct AdultContent {
    strong: ListedWords,
    /// Phrases, found as whole words of the folded text (whose words are single-spaced, so a
    /// phrase written otherwise is never found), as automata: a line is searched once for all.
    phrases: PatternSet,
    weak: ListedWords,
    pub threshold: u32,
}

impl AdultContent {
    pub fn embedded() -> Result<Self, String> {
        Self::from_toml(ADULT_RULES)
    }

    pub fn from_toml(text: &str) -> Result<Self, String> {
        let file: AdultFile =
            toml::from_str(text).map_err(|e| format!("rules/adult-id.toml: {e}"))?;
        let lower = |v: Vec<String>| v.into_iter().map(|w| w.to_lowercase());
        let phrases = PatternSet::new(lower(file.phrases).collect())
            .map_err(|e| format!("rules/adult-id.toml: phrases: {e}"))?;
        Ok(AdultContent {
            strong: lower(file.strong).collect(),
            phrases,
            weak: lower(file.weak).collect(),
            threshold: file.threshold,
        })
    }

    /// Points of one text: 3 per explicit word or phrase, 1 per distinct suggestive word.
    pub fn points(&self, text: &str) -> u32 {
        self.matches_folded(&Folded::new(text)).0
    }

    /// Points of a text already folded for the gambling judge, and how to write the evidence that
    /// scored them: `strong=... phrases=... weak=...`, each sorted, empty kinds left out.
    fn matches_folded<'f>(&'f self, f: &'f Folded) -> (u32, impl FnOnce() -> String + 'f) {
        let folded = &f.folded;
        // Each distinct word counts once: found in order, then sorted and deduplicated. The folded
        // views are ASCII (see `spam::fold_base`).
        let (mut strong, mut weak) = (Vec::new(), Vec::new());
        // Without digits the leet view is `folded` itself.
        let leeted = if f.has_digits() { f.leeted() } else { "" };
        for w in folded
            .split_ascii_whitespace()
            .chain(leeted.split_ascii_whitespace())
        {
            if self.strong.contains(w) {
                strong.push(w);
            }
            if self.weak.contains(w) {
                weak.push(w);
            }
        }
        for found in [&mut strong, &mut weak] {
            found.sort_unstable();
            found.dedup();
        }
        let phrases = self.phrases_in(folded);
        let points = 3 * (strong.len() + phrases.len()) as u32 + weak.len() as u32;
        // Most lines score nothing, and their evidence is never read.
        let evidence = move || {
            [("strong", strong), ("phrases", phrases), ("weak", weak)]
                .into_iter()
                .filter(|(_, found)| !found.is_empty())
                .map(|(kind, mut found)| {
                    found.sort_unstable();
                    format!("{kind}={}", found.join(","))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        (points, evidence)
    }

    /// The phrases a folded text holds, in list order: where a phrase stands as whole words, a
    /// space or an end on either side (`" {phrase} "` in `" {folded} "`).
    fn phrases_in(&self, folded: &str) -> Vec<&str> {
        let whole_words = |text: &str, m: &aho_corasick::Match| {
            let bytes = text.as_bytes();
            (m.start() == 0 || bytes[m.start() - 1] == b' ')
                && (m.end() == bytes.len() || bytes[m.end()] == b' ')
        };
        self.phrases.found_in(&[folded], whole_words)
    }

    /// The evidence of an adult text, for `metadata.removed[].rule` (`strong=bokep weak=vcs
    /// points=4`), `None` below the threshold.
    pub(crate) fn adult_evidence_folded(&self, f: &Folded) -> Option<String> {
        let (points, evidence) = self.matches_folded(f);
        (points >= self.threshold).then(|| format!("{} points={points}", evidence()))
    }

    pub fn is_adult(&self, text: &str) -> bool {
        self.points(text) >= self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phrases found by the automaton are those a search for `" {phrase} "` in
    /// `" {folded} "` finds, on random folded lines of the phrases' words, parts and neighbours,
    /// and with phrases a rules file may hold: a prefix of another, an empty one, doubled spaces.
    #[test]
    fn phrases_are_found_where_a_spaced_search_finds_them() {
        let rules = ADULT_RULES.replace(
            "phrases = [",
            "phrases = [\"open\", \"\", \"open  bo\", \" live hot\", \"live hot\", ",
        );
        assert_ne!(rules, ADULT_RULES);
        for judge in [
            AdultContent::embedded().unwrap(),
            AdultContent::from_toml(&rules).unwrap(),
        ] {
            let mut pieces: Vec<String> = judge
                .phrases
                .patterns()
                .iter()
                .flat_map(|p| p.split(' '))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            pieces.extend(["x", "bo", "box", "pen", "~open", "8"].map(String::from));
            let mut rng = crate::test_rng::XorShift::new(0x5851_F42D_4C95_7F2D);
            let mut found_some = 0;
            for _ in 0..20_000 {
                let words: Vec<String> = (0..rng.below(8))
                    .map(|_| pieces[rng.below(pieces.len())].clone())
                    .collect();
                let folded = words.join(" ");
                let spaced = format!(" {folded} ");
                let reference: Vec<&str> = judge
                    .phrases
                    .patterns()
                    .iter()
                    .filter(|p| spaced.contains(&format!(" {p} ")))
                    .map(String::as_str)
                    .collect();
                let found = judge.phrases_in(&folded);
                assert_eq!(found, reference, "{folded:?}");
                found_some += usize::from(!found.is_empty());
            }
            assert!(found_some > 1_000, "{found_some}");
        }
    }

    #[test]
    fn promotion_is_adult_and_news_is_not() {
        let judge = AdultContent::embedded().unwrap();
        for spam in [
            "Nonton video b0k3p viral durasi full di sini",
            "OPEN BO cewek cantik area Jakarta, hubungi WA",
            "Link 𝐁𝐎𝐊𝐄𝐏 terbaru 2024",
            "vcs hot janda muda, chat sekarang",
        ] {
            assert!(judge.is_adult(spam), "{spam}");
        }
        for news in [
            "Polisi menangkap penyebar video porno yang viral di media sosial.",
            "Pendidikan seks di sekolah dinilai penting oleh para ahli kesehatan.",
            "Korban pelecehan seksual mendapat pendampingan dari dinas sosial.",
            "Harga cabai di pasar naik menjelang Natal.",
            "Tante saya menonton film di bioskop bersama keluarga.",
        ] {
            assert!(!judge.is_adult(news), "{news}");
        }
    }
}
