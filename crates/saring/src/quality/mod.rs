//! Quality judgements beyond a page's structure: datatrove's heuristic filters with FineWeb-2's
//! per-language thresholds ([`filters`], built from [`gopher`], [`c4`] and [`fineweb`] over a
//! spaCy-exact [`tokenize`]r), and Indonesian spam: gambling promotion ([`spam`]), adult promotion
//! ([`adult`]) and spun text ([`spun`]).
//!
//! Gambling and adult spam are judged line by line, because promotion is injected into otherwise
//! good pages: a spam line leaves the document (`gambling-spam` or `adult` in `metadata.removed`),
//! and a document whose non-blank lines are at least half spam is dropped with the more frequent of
//! the two reasons. Spun text is a property of the whole text (`spun-text`). The promotion judged
//! is Indonesian: on a page that language ID confidently labelled outside the Indonesian family, a spam line
//! must also read as Indonesian (a common Indonesian word, or a spammer's disguise), because there
//! the judges' words are English (`slot`, `bonus`, `nude`) and code or coupon codes look like site
//! names.

pub mod adult;
pub mod c4;
pub mod config;
pub mod filters;
pub mod fineweb;
pub mod gopher;
pub mod pytext;
pub mod signals;
pub mod spam;
pub mod spun;
pub mod tokenize;

#[cfg(test)]
mod filter_tests;

use std::sync::Arc;

use serde_json::Value;

use crate::document::{Document, Removal};
use crate::lang::LanguageId;
use crate::stage::Stage;
use adult::AdultContent;
use spam::GamblingSpam;
use spun::SpunText;

pub const GAMBLING_SPAM: &str = "gambling-spam";
pub const ADULT: &str = "adult";
pub const SPUN_TEXT: &str = "spun-text";

/// datatrove's punctuation sets (`utils/text.py`), exported to `rules/quality/datatrove-punctuation.json`.
#[derive(serde::Deserialize)]
pub(crate) struct DatatrovePunctuation {
    pub punctuation: String,
    pub terminal_punctuation: String,
}

pub(crate) fn datatrove_punctuation() -> &'static DatatrovePunctuation {
    static DATA: std::sync::OnceLock<DatatrovePunctuation> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../rules/quality/datatrove-punctuation.json"
        ))
        .expect("the embedded punctuation sets parse")
    })
}

/// The Indonesian spam stage: gambling and adult promotion line by line, spun text per document.
pub struct SpamStage {
    gambling: GamblingSpam,
    adult: Option<AdultContent>,
    spun: Option<SpunText>,
    /// Labels a spam line of a page in another language (see [`SpamStage::with_line_language`]).
    line_language: Option<Arc<LanguageId>>,
}

impl SpamStage {
    /// Gambling spam only.
    pub fn new(judge: GamblingSpam) -> Self {
        SpamStage {
            gambling: judge,
            adult: None,
            spun: None,
            line_language: None,
        }
    }

    /// Gambling spam, adult promotion and spun text, with the shipped rules.
    pub fn all_embedded() -> Result<Self, String> {
        Ok(SpamStage {
            gambling: GamblingSpam::embedded()?,
            adult: Some(AdultContent::embedded()?),
            spun: Some(SpunText::embedded()?),
            line_language: None,
        })
    }

    /// On a page labelled outside the Indonesian family, a spam line also counts when language ID
    /// labels the line itself in the family: injected promotion speaks colloquial Indonesian
    /// (`Senang banget main di HARTA 138`) that the common-word list does not cover. Only lines
    /// a judge already called spam are labelled, so this costs next to nothing.
    pub fn with_line_language(mut self, lid: Arc<LanguageId>) -> Self {
        self.line_language = Some(lid);
        self
    }

    /// The reason a line is spam, if it is, and the evidence (which brand, words, points).
    /// `in_other_language`: the line's page is labelled outside the Indonesian family.
    fn judge_line(&self, line: &str, in_other_language: bool) -> Option<(&'static str, String)> {
        if line.trim().is_empty() {
            return None;
        }
        // Both judges read the same folded forms: fold once.
        let folded = spam::Folded::new(line);
        let verdict = match self.gambling.spam_evidence_folded(line, &folded) {
            Some(evidence) => Some((GAMBLING_SPAM, evidence)),
            None => self
                .adult
                .as_ref()
                .and_then(|a| a.adult_evidence_folded(&folded))
                .map(|evidence| (ADULT, evidence)),
        };
        // Both kinds of promotion are Indonesian (see the module docs).
        verdict.filter(|_| {
            !in_other_language
                || self.gambling.reads_as_indonesian(line, &folded)
                || self.line_language.as_ref().is_some_and(|lid| {
                    let label = lid.predict(line);
                    label.score >= crate::lang::UNSURE_BELOW
                        && crate::lang::FAMILY.contains(&label.language.as_str())
                })
        })
    }
}

/// Whether a page's `metadata.language` names a language outside the Indonesian family: an ISO
/// 639-1 or 639-3 code, with or without a script (`ind_Latn`, as FineWeb-2 writes them, is
/// Indonesian). `und` and an empty label name no language.
fn names_a_language_outside_the_family(language: &str) -> bool {
    let code = language.split(['_', '-']).next().unwrap_or_default();
    !code.is_empty()
        && code != "und"
        && !matches!(
            config::config_name_for_language(code),
            Some("ind_Latn" | "zsm_Latn" | "jav_Latn" | "sun_Latn" | "min_Latn")
        )
}

impl Stage for SpamStage {
    fn name(&self) -> &str {
        "spam"
    }

    fn process(&self, doc: &mut Document) {
        let lines: Vec<&str> = doc.text.split('\n').collect();
        // Gambling spam is Indonesian: on a page labelled in another language (language ID ran
        // first), a line must read as Indonesian spam too (common Indonesian words, a disguise, or
        // its own label in the family). Unlabelled pages are judged as they are.
        // A label language ID was unsure of (short comments with a site name come out `en`, `it`
        // or `war`) is read as no label.
        let unsure = doc
            .metadata
            .get("language_score")
            .and_then(Value::as_f64)
            .is_some_and(|score| score < f64::from(crate::lang::UNSURE_BELOW));
        let in_other_language = !unsure
            && doc
                .metadata
                .get("language")
                .and_then(Value::as_str)
                .is_some_and(names_a_language_outside_the_family);
        let verdicts: Vec<Option<(&'static str, String)>> = lines
            .iter()
            .map(|l| self.judge_line(l, in_other_language))
            .collect();
        let spam_lines = verdicts.iter().flatten().count();
        if spam_lines > 0 {
            // Every spam line is listed with its evidence, in a kept document (whose text loses
            // them) and in a dropped one alike, so a drop can be checked line by line.
            let mut removed = Vec::new();
            let mut kept_at: Vec<usize> = Vec::with_capacity(lines.len());
            for (i, (line, verdict)) in lines.iter().zip(&verdicts).enumerate() {
                match verdict {
                    Some((reason, evidence)) => removed.push(Removal {
                        line: doc.input_line(i),
                        text: line.to_string(),
                        reason: reason.to_string(),
                        rule: Some(evidence.clone()),
                    }),
                    None => kept_at.push(i),
                }
            }
            let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
            let kept_text = kept_at
                .iter()
                .map(|&i| lines[i])
                .collect::<Vec<_>>()
                .join("\n");
            doc.record_removals(removed);
            if 2 * spam_lines >= non_blank {
                // A spam page: the more frequent kind names it (gambling on a tie).
                let gambling = verdicts
                    .iter()
                    .flatten()
                    .filter(|(r, _)| *r == GAMBLING_SPAM)
                    .count();
                let reason = if 2 * gambling >= spam_lines {
                    GAMBLING_SPAM
                } else {
                    ADULT
                };
                doc.drop_with(self.name(), reason);
                return;
            }
            doc.text = kept_text;
            doc.set_line_sources(kept_at.into_iter().map(Some));
        }
        if let Some(spun) = &self.spun {
            let language = doc.metadata.get("language").and_then(Value::as_str);
            if spun.is_spun(&doc.text, language) {
                doc.drop_with(self.name(), SPUN_TEXT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Provenance;
    use serde_json::json;

    #[test]
    fn a_spam_line_leaves_an_article_and_a_spam_comment_is_dropped() {
        let stage = SpamStage::new(GamblingSpam::embedded().unwrap());
        let article = "Harga cabai naik menjelang Natal, kata pedagang di pasar Kota Malang.\nBERKAH99 udah paling gacor, tempat game slot online terpecaya!\nDinas perdagangan akan menggelar operasi pasar pekan depan.\nPasokan cabai dari petani berkurang karena hujan deras.";
        let mut doc = Document::new("a", article, Provenance::file("a.txt"));
        stage.process(&mut doc);
        assert!(doc.is_kept());
        assert!(!doc.text.contains("BERKAH99"));
        assert_eq!(doc.metadata["removed"][0]["reason"], json!("gambling-spam"));
        let mut doc = Document::new(
            "c",
            "Gila sih, di 𝐉𝐔𝐍𝐈𝐎𝐑𝟖𝟖 ada event lucky draw!",
            Provenance::file("c.txt"),
        );
        stage.process(&mut doc);
        assert_eq!(doc.drop_reason(), Some("gambling-spam"));
        // Both say why, line by line: the brand, the words, the points.
        assert_eq!(
            doc.metadata["removed"][0]["rule"],
            json!("brand=junior88 obfuscated points=3")
        );
    }

    /// On a page labelled in another language, a line must read as Indonesian spam: code, coupon
    /// codes and English `slot` / `bonus` lines stay, injected Indonesian promotion goes. Lines
    /// written for this test, in the manner of the filter-speed corpus' English pages.
    #[test]
    fn gambling_lines_of_pages_in_other_languages_must_read_as_indonesian() {
        let stage = SpamStage::all_embedded().unwrap();
        let page = "How to read a config file in Rust\nlet x: Result<u32, &str> = Ok(2);\nSave $50 on orders over $1k with code MARCH26\nThe card has two memory slots and a bonus slot for profit tracking.\nSitus slot gacor hari ini, pasti maxwin!\nBleach kills E. coli on kitchen counters.\nThat is all for today.";
        let judge = |language: Option<&str>| {
            let mut doc = Document::new("p", page, Provenance::file("p.txt"));
            if let Some(l) = language {
                doc.metadata.insert("language".into(), json!(l));
            }
            stage.process(&mut doc);
            doc.metadata
                .get("removed")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .map(|l| l["line"].as_u64().unwrap())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        assert_eq!(judge(Some("en")), [5]);
        // Unlabelled, or labelled Indonesian, every line is judged as it is (`coli` is Indonesian
        // slang the adult judge counts).
        assert_eq!(judge(None), [2, 3, 4, 5, 6]);
        assert_eq!(judge(Some("id")), [2, 3, 4, 5, 6]);
        assert_eq!(judge(Some("ind_Latn")), [2, 3, 4, 5, 6]);
        assert_eq!(judge(Some("und")), [2, 3, 4, 5, 6]);
        assert_eq!(judge(Some("deu_Latn")), [5]);
        // A label language ID was unsure of is no label.
        let mut doc = Document::new("u", page, Provenance::file("u.txt"));
        doc.metadata.insert("language".into(), json!("en"));
        doc.metadata.insert("language_score".into(), json!(0.31));
        stage.process(&mut doc);
        assert_eq!(doc.metadata["removed"].as_array().map(Vec::len), Some(5));
    }

    /// Injected promotion in plain Indonesian without a listed common word: kept on a page labelled
    /// English by the word test alone, removed once the stage labels the line itself. The code line
    /// on the same page, which the judge also calls spam, is labelled `id` too, at a score under
    /// 0.5: it stays (the score floor).
    #[test]
    fn a_spam_line_labelled_indonesian_itself_goes_on_a_page_in_another_language() {
        let page = "How to read a config file in Rust\nfn err(x: u32) -> Result<u32, u32> { Err(x) }\nDaftar di HOKIJAYA88 dan raih jackpot hari ini\nThat is all for today, thanks for reading.";
        let removed = |stage: &SpamStage| {
            let mut doc = Document::new("p", page, Provenance::file("p.txt"));
            doc.metadata.insert("language".into(), json!("en"));
            doc.metadata.insert("language_score".into(), json!(0.9));
            stage.process(&mut doc);
            doc.lines.iter().map(|l| l.line).collect::<Vec<_>>()
        };
        let words_only = SpamStage::all_embedded().unwrap();
        assert_eq!(removed(&words_only), Vec::<usize>::new());
        // Both lines are spam to the judge (the code's squeezed `Result<u32` is a site-name
        // shape): unlabelled, both go.
        let mut doc = Document::new("p", page, Provenance::file("p.txt"));
        words_only.process(&mut doc);
        let unlabelled: Vec<usize> = doc.lines.iter().map(|l| l.line).collect();
        assert_eq!(unlabelled, [2, 3]);
        let lid = Arc::new(LanguageId::embedded().unwrap());
        let with_lines = SpamStage::all_embedded().unwrap().with_line_language(lid);
        assert_eq!(removed(&with_lines), [3]);
    }

    #[test]
    fn spam_lines_carry_their_evidence() {
        let stage = SpamStage::all_embedded().unwrap();
        let text = "Pemerintah daerah membuka pendaftaran beasiswa bagi mahasiswa berprestasi.\nSitus slot gacor hari ini, maxwin terus!\nPendaftaran ditutup akhir bulan depan di kantor dinas pendidikan.";
        let mut doc = Document::new("e", text, Provenance::file("e.txt"));
        stage.process(&mut doc);
        assert!(doc.is_kept());
        let removed = &doc.metadata["removed"][0];
        assert_eq!(removed["line"], json!(2));
        assert_eq!(
            removed["rule"],
            json!("keywords=gacor,maxwin,situs,slot points=4")
        );
        assert_eq!(doc.lines[0].rule.as_deref(), removed["rule"].as_str());
    }
}
