//! Quality judgements beyond a page's structure: datatrove's heuristic filters with FineWeb-2's
//! per-language thresholds ([`filters`], built from [`gopher`], [`c4`] and [`fineweb`] over a
//! spaCy-exact [`tokenize`]r), and Indonesian gambling spam ([`spam`]).
//!
//! Spam is judged line by line, because gambling promotion is injected into otherwise good pages:
//! a spam line leaves the document (`gambling-spam` in `metadata.removed`), and a document whose
//! non-blank lines are at least half spam is dropped with the same reason.

pub mod c4;
pub mod config;
pub mod filters;
pub mod fineweb;
pub mod gopher;
pub mod pytext;
pub mod signals;
pub mod spam;
pub mod tokenize;

#[cfg(test)]
mod filter_tests;

use serde_json::{json, Value};

use crate::document::{Document, LineJudgement, Verdict};
use crate::stage::Stage;
use spam::GamblingSpam;

pub const GAMBLING_SPAM: &str = "gambling-spam";

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

/// The gambling-spam stage.
pub struct SpamStage {
    judge: GamblingSpam,
}

impl SpamStage {
    pub fn new(judge: GamblingSpam) -> Self {
        SpamStage { judge }
    }
}

impl Stage for SpamStage {
    fn name(&self) -> &str {
        "spam"
    }

    fn process(&self, doc: &mut Document) {
        let lines: Vec<&str> = doc.text.split('\n').collect();
        let spam: Vec<bool> = lines
            .iter()
            .map(|l| !l.trim().is_empty() && self.judge.is_spam(l))
            .collect();
        let spam_lines = spam.iter().filter(|s| **s).count();
        if spam_lines == 0 {
            return;
        }
        let non_blank = lines.iter().filter(|l| !l.trim().is_empty()).count();
        if 2 * spam_lines >= non_blank {
            doc.drop_with(self.name(), GAMBLING_SPAM);
            return;
        }
        let mut removed = Vec::new();
        let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
        for (i, (line, is_spam)) in lines.iter().zip(&spam).enumerate() {
            if *is_spam {
                removed.push(
                    json!({"line": i + 1, "text": line, "reason": GAMBLING_SPAM, "field": null}),
                );
                doc.lines.push(LineJudgement {
                    line: i + 1,
                    verdict: Verdict::Drop,
                    reason: Some(GAMBLING_SPAM.into()),
                    field: None,
                    rule: None,
                    trimmed: None,
                });
            } else {
                kept.push(line);
            }
        }
        doc.text = kept.join("\n");
        if let Value::Array(list) = doc
            .metadata
            .entry("removed")
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.extend(removed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Provenance;

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
    }
}
