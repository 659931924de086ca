//! The heuristic quality stage: datatrove's four filters, configured per detected language.
//!
//! For each document the stage picks a configuration (a fixed one, or the one for
//! `metadata.language` with a fallback), runs that configuration's filters in order and stops at the
//! first drop, which names the filter (`metadata.drop_stage`) and datatrove's reason
//! (`metadata.drop_reason`, e.g. `gopher_short_doc`). C4 may also remove lines; those holding text
//! are listed in `metadata.removed` with reason `c4-<datatrove stat>` (e.g. `c4-no_terminal_punc`),
//! numbered as input lines, on a kept page and on a page C4 dropped, which also lists the line that
//! dropped it (`c4-curly_bracket`, `c4-lorem_ipsum`). With signals on, every measured value lands in
//! `metadata.quality_signals.<filter>` and the configuration's name in `metadata.quality_config`.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{Map, Value};

use super::c4::c4_quality;
use super::config::{config_name_for_language, FilterKind, QualityConfig};
use super::fineweb::{fineweb_quality, stop_chars};
use super::gopher::{gopher_quality, gopher_repetition};
use super::pytext;
use super::tokenize::{self, LazyWords, SpacyTokenizer, Span};
use crate::document::{Document, Removal};
use crate::stage::Stage;

/// A configuration with what it needs at run time.
struct Prepared {
    config: QualityConfig,
    tokenizer: &'static SpacyTokenizer,
    stop_chars: FxHashSet<char>,
}

impl Prepared {
    fn new(config: QualityConfig) -> Arc<Self> {
        Arc::new(Prepared {
            tokenizer: tokenize::for_language(&config.tokenizer),
            stop_chars: stop_chars(&config.fineweb_quality),
            config,
        })
    }
}

/// Which configuration judges a document.
pub enum ConfigChoice {
    /// Every document gets this one.
    Fixed(QualityConfig),
    /// The shipped configuration for `metadata.language` (FineWeb-2's per-language thresholds), or
    /// `fallback` for a language without one and for documents without a language.
    ByLanguage { fallback: QualityConfig },
}

pub struct HeuristicFilterStage {
    fixed: Option<Arc<Prepared>>,
    /// The shipped per-language configurations, by name (`ind_Latn`, ...).
    by_config: FxHashMap<&'static str, Arc<Prepared>>,
    fallback: Option<Arc<Prepared>>,
    /// Run only these filters (in this order) instead of each configuration's list.
    only: Option<Vec<FilterKind>>,
    signals: bool,
}

impl HeuristicFilterStage {
    pub fn new(
        choice: ConfigChoice,
        only: Option<Vec<FilterKind>>,
        signals: bool,
    ) -> Result<Self, super::config::ConfigError> {
        let mut stage = HeuristicFilterStage {
            fixed: None,
            by_config: FxHashMap::default(),
            fallback: None,
            only,
            signals,
        };
        match choice {
            ConfigChoice::Fixed(config) => stage.fixed = Some(Prepared::new(config)),
            ConfigChoice::ByLanguage { fallback } => {
                for name in [
                    "eng_Latn", "ind_Latn", "zsm_Latn", "jav_Latn", "sun_Latn", "min_Latn",
                ] {
                    let prepared = Prepared::new(QualityConfig::embedded(name)?);
                    stage.by_config.insert(name, prepared);
                }
                stage.fallback = Some(Prepared::new(fallback));
            }
        }
        Ok(stage)
    }

    fn choose(&self, doc: &Document) -> &Prepared {
        if let Some(fixed) = &self.fixed {
            return fixed;
        }
        // `config_name_for_language` knows both spellings (`id`, `ind`), so one lookup serves.
        doc.metadata
            .get("language")
            .and_then(Value::as_str)
            .and_then(config_name_for_language)
            .and_then(|name| self.by_config.get(name))
            .or(self.fallback.as_ref())
            .expect("a by-language stage has a fallback")
    }
}

impl Stage for HeuristicFilterStage {
    fn name(&self) -> &str {
        "quality"
    }

    fn process(&self, doc: &mut Document) {
        let prepared = self.choose(doc);
        let config = &prepared.config;
        let filters = self.only.as_deref().unwrap_or(&config.filters);
        let mut all_signals = Map::new();
        let mut dropped: Option<(FilterKind, String)> = None;
        // The tokens of the current text, shared by the filters until C4 changes the text.
        let mut tokens: Option<Vec<Span>> = None;
        // The word count of a text C4 rewrote, which C4 measured line by line.
        let mut word_count: Option<usize> = None;
        for &kind in filters {
            let mut signals = Map::new();
            let sig = self.signals.then_some(&mut signals);
            let words = match (tokens.take(), word_count) {
                (Some(tokens), _) => LazyWords::with_tokens(prepared.tokenizer, &doc.text, tokens),
                (None, Some(count)) => LazyWords::with_count(prepared.tokenizer, &doc.text, count),
                (None, None) => LazyWords::new(prepared.tokenizer, &doc.text),
            };
            let verdict = match kind {
                FilterKind::C4Quality => {
                    let outcome = c4_quality(&config.c4_quality, &words, sig);
                    let old_tokens = words.into_tokens();
                    let kept = outcome.verdict.is_ok();
                    let rewrites = kept && outcome.text != doc.text;
                    // C4's lines, each with the `\n` line it lies in, which the document's line
                    // origins count.
                    let c4_lines = if rewrites || !outcome.removed.is_empty() {
                        lines_with_newline_line(&doc.text)
                    } else {
                        Vec::new()
                    };
                    // A page C4 dropped lists them too: they explain the drop (too few sentences
                    // left, or the line with a `{`).
                    let removals = removed_lines_listed(doc, &outcome.removed, &c4_lines);
                    // Read off C4's lines before the document is changed (they borrow its text).
                    let sources: Vec<Option<usize>> = if rewrites {
                        outcome
                            .kept_lines
                            .iter()
                            .map(|&k| c4_lines.get(k).map(|&(_, at)| at))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    doc.record_removals(removals);
                    if rewrites {
                        doc.text = outcome.text;
                        doc.set_line_sources(sources);
                        word_count = outcome.words;
                    } else {
                        tokens = old_tokens;
                    }
                    outcome.verdict
                }
                FilterKind::GopherRepetition => {
                    let verdict = gopher_repetition(&config.gopher_repetition, &words, sig);
                    tokens = words.into_tokens();
                    verdict
                }
                FilterKind::GopherQuality => {
                    let verdict = gopher_quality(&config.gopher_quality, &words, sig);
                    tokens = words.into_tokens();
                    verdict
                }
                FilterKind::FinewebQuality => {
                    let verdict =
                        fineweb_quality(&config.fineweb_quality, &prepared.stop_chars, &words, sig);
                    tokens = words.into_tokens();
                    verdict
                }
            };
            if self.signals {
                all_signals.insert(kind.name().to_string(), Value::Object(signals));
            }
            if let Err(d) = verdict {
                dropped = Some((kind, d.0.into_owned()));
                break;
            }
        }
        if self.signals {
            doc.metadata
                .insert("quality_config".into(), Value::String(config.name.clone()));
            doc.metadata
                .insert("quality_signals".into(), Value::Object(all_signals));
        }
        if let Some((kind, reason)) = dropped {
            doc.drop_with(kind.name(), &reason);
        }
    }
}

/// `pytext::splitlines(text)`, each piece with the index of the `\n`-separated line it lies in
/// (Python's `splitlines` also breaks at `\r`, `\u2028` and the like, so one `\n` line may hold
/// several).
fn lines_with_newline_line(text: &str) -> Vec<(&str, usize)> {
    let bytes = text.as_bytes();
    let (mut line, mut scanned) = (0, 0);
    pytext::splitlines(text)
        .into_iter()
        .map(|piece| {
            // Each piece is a slice of `text`.
            let start = piece.as_ptr() as usize - text.as_ptr() as usize;
            line += memchr::memchr_iter(b'\n', &bytes[scanned..start]).count();
            scanned = start;
            (piece, line)
        })
        .collect()
}

/// C4's removed lines, numbered as input lines (see [`Document::input_line`]; `lines` from
/// [`lines_with_newline_line`] of the text C4 saw). Blank lines, which C4 drops (as unpunctuated,
/// or as too short where punctuation is not checked), are left out: they hold nothing to explain.
fn removed_lines_listed(
    doc: &Document,
    removed: &[super::c4::RemovedLine],
    lines: &[(&str, usize)],
) -> Vec<Removal> {
    removed
        .iter()
        .filter_map(|r| {
            let (text, at) = lines.get(r.index).copied().unwrap_or(("", 0));
            (!pytext::strip(text).is_empty()).then(|| Removal {
                line: doc.input_line(at),
                text: text.to_string(),
                reason: format!("c4-{}", r.reason),
                rule: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python's `splitlines` pieces, each with the `\n` line it lies in: CRLF is one break, a lone
    /// `\r`, `\u2028`, `\x0b` and `\x1c` break inside a `\n` line, and empty pieces keep their
    /// place.
    #[test]
    fn splitlines_pieces_find_their_newline_line() {
        for (text, expected) in [
            ("a\nb\nc", vec![0, 1, 2]),
            ("\na\n\nb", vec![0, 1, 2, 3]),
            ("a\r\nb\r\n\r\nc", vec![0, 1, 2, 3]),
            ("a\rb\nc\u{2028}d", vec![0, 0, 1, 1]),
            ("a\x0bb\x1cc\nd", vec![0, 0, 0, 1]),
            ("a\r\rb\n", vec![0, 0, 0]),
        ] {
            let found: Vec<usize> = lines_with_newline_line(text)
                .iter()
                .map(|&(_, at)| at)
                .collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(pytext::splitlines(text).len(), expected.len(), "{text:?}");
        }
    }
}
