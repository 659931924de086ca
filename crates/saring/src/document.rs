//! The document model shared by every stage.
//!
//! A [`Document`] is what datatrove and dolma call a record: an `id`, the `text` and a free-form JSON
//! `metadata` map. saring adds two things those tools do not carry: where the record came from
//! ([`Provenance`], so an error or a drop can always be traced to a file and a line or byte offset), and
//! the judgement of every input line ([`LineJudgement`]), so that each removal is explained.
//!
//! A document's [`Outcome`] starts as `Kept`; a stage that rejects the document sets `Dropped` with a
//! kebab-case reason. Records that could not even be read become [`Quarantined`] entries instead of
//! documents. Every record read ends in exactly one of the three states.
//!
//! Stages that rewrite the text (the cleaner, spam, C4, line dedup) drop and join lines, so a line of
//! the current text is not the line of the same number in the input. Each of them records where its
//! lines came from ([`Document::set_line_sources`]), and every removal in `metadata.removed` names
//! the input line ([`Document::input_line`]), whichever stage removed it.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

/// Where a record came from: the file, and the 1-based line (JSONL), row (Parquet) or byte offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// Path of the input file as given on the command line (or relative to the input root).
    pub file: String,
    /// 1-based line number (JSONL), 0-based row index (Parquet), or record index; `None` for whole files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Byte offset of the record in the (decompressed) stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<u64>,
}

impl Provenance {
    pub fn file(file: impl Into<String>) -> Self {
        Provenance {
            file: file.into(),
            line: None,
            row: None,
            byte_offset: None,
        }
    }

    /// A short human-readable location, e.g. `data/a.jsonl.gz:17` or `x.parquet row 3`.
    pub fn describe(&self) -> String {
        let mut s = self.file.clone();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
        }
        if let Some(row) = self.row {
            s.push_str(&format!(" row {row}"));
        }
        if let Some(off) = self.byte_offset {
            s.push_str(&format!(" (byte {off})"));
        }
        s
    }
}

/// What became of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Kept,
    /// Dropped by `stage` for `reason` (a kebab-case code such as `no-article-text`).
    Dropped {
        stage: String,
        reason: String,
    },
}

/// The verdict on one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The line is in the output text (possibly trimmed, see [`LineJudgement::trimmed`]).
    Keep,
    /// The line is not in the output text.
    Drop,
    /// The line is not in the output text; its content was lifted into `metadata[field]`.
    Metadata,
}

/// The judgement of one line of the input text. Blank lines are judged `Keep` with no reason: they only
/// carry paragraph structure, which the output keeps as single blank lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineJudgement {
    /// 1-based line number in the input text.
    pub line: usize,
    pub verdict: Verdict,
    /// Kebab-case reason code (`related-link`, `seo-keywords`, ...); `metadata` lines keep their rule here.
    pub reason: Option<String>,
    /// The metadata field the line was lifted into (`title` also marks a kept title line).
    pub field: Option<String>,
    /// For a metadata line, the rule family that recognised it (`related-link`, `tag-rail`, ...); for
    /// a spam line, the evidence (`brand=junior88 obfuscated points=3`).
    pub rule: Option<String>,
    /// For a kept line: the part that was cut off (a dateline prefix, trailing author initials), and why.
    pub trimmed: Option<(String, String)>,
}

/// A line a stage took out of the text after the cleaner (spam, C4, line dedup): listed in
/// `metadata.removed` and judged a drop ([`Document::record_removals`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The input line ([`Document::input_line`]).
    pub line: usize,
    /// The line as the stage saw it.
    pub text: String,
    pub reason: String,
    /// The evidence, when the stage gives one (a spam line's brand and words).
    pub rule: Option<String>,
}

/// One document: the unit every stage judges.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub metadata: Map<String, Value>,
    pub provenance: Provenance,
    /// Per-line judgements: the line cleaner's of every line, then the removals of later stages
    /// (spam, C4, line dedup), all numbered as input lines.
    pub lines: Vec<LineJudgement>,
    pub outcome: Outcome,
    /// Position of the record in the input stream (0-based, counting quarantined records too). The
    /// same input read twice gives the same numbers, which is what multi-pass stages (dedup) rely on.
    pub seq: u64,
    /// For each line of `text` (split at `\n`), the 1-based input line it came from, 0 for a line a
    /// stage put in (the blank line between two paragraphs); `None` while `text` is the input text.
    line_origins: Option<Vec<u32>>,
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>, provenance: Provenance) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            metadata: Map::new(),
            provenance,
            lines: Vec::new(),
            outcome: Outcome::Kept,
            seq: 0,
            line_origins: None,
        }
    }

    /// The 1-based input line that line `index` (0-based, split at `\n`) of the current text came
    /// from; 0 for a line a stage put in.
    pub fn input_line(&self, index: usize) -> usize {
        match &self.line_origins {
            None => index + 1,
            Some(origins) => origins.get(index).map_or(0, |&o| o as usize),
        }
    }

    /// Lists `removals` in `metadata.removed` (`{"line", "text", "reason", "field": null}`, and
    /// `"rule"` when there is one) and adds their judgements to `lines`, in order.
    pub fn record_removals(&mut self, removals: Vec<Removal>) {
        if removals.is_empty() {
            return;
        }
        let mut entries = Vec::with_capacity(removals.len());
        for r in removals {
            let mut entry = Map::new();
            entry.insert("line".into(), Value::from(r.line));
            entry.insert("text".into(), Value::String(r.text));
            entry.insert("reason".into(), Value::String(r.reason.clone()));
            entry.insert("field".into(), Value::Null);
            if let Some(rule) = &r.rule {
                entry.insert("rule".into(), Value::String(rule.clone()));
            }
            entries.push(Value::Object(entry));
            self.lines.push(LineJudgement {
                line: r.line,
                verdict: Verdict::Drop,
                reason: Some(r.reason),
                field: None,
                rule: r.rule,
                trimmed: None,
            });
        }
        if let Value::Array(list) = self
            .metadata
            .entry("removed")
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.extend(entries);
        }
    }

    /// Records what the new text, already in `text`, is made of, line by line: each of its lines is
    /// line `Some(index)` (0-based) of the text before, or `None` when the stage put it in. Stages
    /// that rewrite the text call this with the lines they kept, so that later removals still name
    /// input lines.
    pub fn set_line_sources(&mut self, sources: impl IntoIterator<Item = Option<usize>>) {
        let origins: Vec<u32> = sources
            .into_iter()
            .map(|source| source.map_or(0, |index| self.input_line(index) as u32))
            .collect();
        // One source per line of the new text (an empty text has none).
        debug_assert!(
            origins.len() == self.text.split('\n').count()
                || (self.text.is_empty() && origins.is_empty()),
            "{} line sources for {} lines",
            origins.len(),
            self.text.split('\n').count()
        );
        self.line_origins = Some(origins);
    }

    pub fn is_kept(&self) -> bool {
        matches!(self.outcome, Outcome::Kept)
    }

    pub fn drop_with(&mut self, stage: &str, reason: &str) {
        self.outcome = Outcome::Dropped {
            stage: stage.to_string(),
            reason: reason.to_string(),
        };
    }

    /// The drop reason, if dropped.
    pub fn drop_reason(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Kept => None,
            Outcome::Dropped { reason, .. } => Some(reason),
        }
    }

    /// The metadata as written out. Dropped documents carry `drop_reason`, `drop_stage` and where the
    /// record came from (`input`), so a rejected-records file explains itself.
    pub fn output_metadata(&self) -> Cow<'_, Map<String, Value>> {
        match &self.outcome {
            Outcome::Kept => Cow::Borrowed(&self.metadata),
            Outcome::Dropped { stage, reason } => {
                let mut metadata = self.metadata.clone();
                metadata.insert("drop_reason".into(), Value::String(reason.clone()));
                metadata.insert("drop_stage".into(), Value::String(stage.clone()));
                metadata.insert(
                    "input".into(),
                    serde_json::to_value(&self.provenance).unwrap_or(Value::Null),
                );
                Cow::Owned(metadata)
            }
        }
    }

    /// The datatrove/dolma-compatible record as one JSON line (no newline): `{"id", "text", "metadata"}`.
    pub fn to_json_line(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Record<'a> {
            id: &'a str,
            text: &'a str,
            metadata: &'a Map<String, Value>,
        }
        let metadata = self.output_metadata();
        let record = Record {
            id: &self.id,
            text: &self.text,
            metadata: &metadata,
        };
        // Serialising strings and JSON values into memory cannot fail.
        serde_json::to_vec(&record).expect("a record serialises")
    }
}

/// A record that could not be turned into a document: invalid UTF-8, malformed JSON, a truncated
/// compressed stream, binary content, an oversized line. It is counted and written out, never lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quarantined {
    /// Short kebab-case class for the stats (`invalid-utf8`, `malformed-json`, `truncated-stream`, ...).
    pub kind: String,
    /// What went wrong, naming the file and the line or byte offset, and what to do about it.
    pub error: String,
    pub provenance: Provenance,
    /// The first bytes of the offending record (lossily decoded), to help find it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

impl Quarantined {
    pub fn new(kind: &str, error: impl Into<String>, provenance: Provenance) -> Self {
        Quarantined {
            kind: kind.to_string(),
            error: error.into(),
            provenance,
            excerpt: None,
        }
    }

    pub fn with_excerpt(mut self, bytes: &[u8]) -> Self {
        let cut = &bytes[..bytes.len().min(200)];
        self.excerpt = Some(String::from_utf8_lossy(cut).into_owned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two rewrites in a row: lines keep the input number they had, put-in lines have none.
    #[test]
    fn line_sources_compose_across_rewrites() {
        let mut doc = Document::new("d", "a\nb\nc\nd\ne", Provenance::file("d.txt"));
        assert_eq!(doc.input_line(3), 4);
        // First rewrite: `a`, a put-in blank line, `c`, `d`, `e`.
        doc.text = "a\n\nc\nd\ne".into();
        doc.set_line_sources([Some(0), None, Some(2), Some(3), Some(4)]);
        assert_eq!(
            (0..5).map(|i| doc.input_line(i)).collect::<Vec<_>>(),
            [1, 0, 3, 4, 5]
        );
        // Second rewrite of that text: its lines 4 and 2, then a put-in line.
        doc.text = "e\nc\n".into();
        doc.set_line_sources([Some(4), Some(2), None]);
        assert_eq!(
            (0..4).map(|i| doc.input_line(i)).collect::<Vec<_>>(),
            [5, 3, 0, 0]
        );
    }
}
