//! Per-language configurations of the datatrove heuristic filters, read from `rules/quality/*.toml`.
//!
//! Each file names the spaCy tokenizer datatrove uses for the language, the filters to run in order,
//! and one table per filter whose keys are datatrove 0.10.1's constructor arguments. A key left out
//! takes datatrove's default. As in datatrove, a threshold of 0 switches a Gopher check off (datatrove
//! tests truthiness) and C4's `-1` switches its counts off. The shipped files are datatrove's
//! defaults (`default`), FineWeb's English settings (`eng_Latn`) and FineWeb-2's per-language settings
//! (`ind_Latn`, `zsm_Latn`, `jav_Latn`, `sun_Latn`, `min_Latn`); each file says where its numbers
//! come from.

use std::path::Path;

use serde::Deserialize;

/// The four filters, by their datatrove-derived names (also `metadata.drop_stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterKind {
    GopherRepetition,
    GopherQuality,
    C4Quality,
    FinewebQuality,
}

impl FilterKind {
    pub const ALL: [FilterKind; 4] = [
        FilterKind::GopherRepetition,
        FilterKind::GopherQuality,
        FilterKind::C4Quality,
        FilterKind::FinewebQuality,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FilterKind::GopherRepetition => "gopher_repetition",
            FilterKind::GopherQuality => "gopher_quality",
            FilterKind::C4Quality => "c4_quality",
            FilterKind::FinewebQuality => "fineweb_quality",
        }
    }

    pub fn parse(name: &str) -> Option<FilterKind> {
        let name = name.trim().replace('-', "_");
        FilterKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// datatrove `GopherRepetitionFilter` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GopherRepetitionConfig {
    pub dup_line_frac: f64,
    pub dup_para_frac: f64,
    pub dup_line_char_frac: f64,
    pub dup_para_char_frac: f64,
    pub top_n_grams: Vec<(usize, f64)>,
    pub dup_n_grams: Vec<(usize, f64)>,
}

impl Default for GopherRepetitionConfig {
    fn default() -> Self {
        GopherRepetitionConfig {
            dup_line_frac: 0.3,
            dup_para_frac: 0.3,
            dup_line_char_frac: 0.2,
            dup_para_char_frac: 0.2,
            top_n_grams: vec![(2, 0.2), (3, 0.18), (4, 0.16)],
            dup_n_grams: vec![
                (5, 0.15),
                (6, 0.14),
                (7, 0.13),
                (8, 0.12),
                (9, 0.11),
                (10, 0.10),
            ],
        }
    }
}

/// datatrove `GopherQualityFilter` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GopherQualityConfig {
    pub min_doc_words: usize,
    pub max_doc_words: usize,
    pub min_avg_word_length: f64,
    pub max_avg_word_length: f64,
    pub max_symbol_word_ratio: f64,
    pub max_bullet_lines_ratio: f64,
    pub max_ellipsis_lines_ratio: f64,
    /// Despite datatrove's name, the minimum share of words that contain a letter.
    pub max_non_alpha_words_ratio: f64,
    pub min_stop_words: usize,
    pub stop_words: Vec<String>,
}

impl Default for GopherQualityConfig {
    fn default() -> Self {
        GopherQualityConfig {
            min_doc_words: 50,
            max_doc_words: 100_000,
            min_avg_word_length: 3.0,
            max_avg_word_length: 10.0,
            max_symbol_word_ratio: 0.1,
            max_bullet_lines_ratio: 0.9,
            max_ellipsis_lines_ratio: 0.3,
            max_non_alpha_words_ratio: 0.8,
            min_stop_words: 2,
            stop_words: ["the", "be", "to", "of", "and", "that", "have", "with"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// datatrove `C4QualityFilter` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct C4Config {
    pub split_paragraph: bool,
    pub remove_citations: bool,
    pub filter_no_terminal_punct: bool,
    pub min_num_sentences: i64,
    pub min_words_per_line: i64,
    pub max_word_length: i64,
    pub filter_lorem_ipsum: bool,
    pub filter_javascript: bool,
    pub filter_curly_bracket: bool,
    pub filter_policy: bool,
}

impl Default for C4Config {
    fn default() -> Self {
        C4Config {
            split_paragraph: true,
            remove_citations: true,
            filter_no_terminal_punct: true,
            min_num_sentences: 5,
            min_words_per_line: 3,
            max_word_length: 1000,
            filter_lorem_ipsum: true,
            filter_javascript: true,
            filter_curly_bracket: true,
            filter_policy: true,
        }
    }
}

/// datatrove `FineWebQualityFilter` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FinewebConfig {
    pub line_punct_thr: f64,
    pub line_punct_exclude_zero: bool,
    /// Characters a line may end with to count as punctuated; `None` means datatrove's
    /// `TERMINAL_PUNCTUATION`.
    pub stop_chars: Option<Vec<String>>,
    pub short_line_thr: f64,
    pub short_line_length: usize,
    pub char_duplicates_ratio: f64,
    pub new_line_ratio: f64,
}

impl Default for FinewebConfig {
    fn default() -> Self {
        FinewebConfig {
            line_punct_thr: 0.12,
            line_punct_exclude_zero: false,
            stop_chars: None,
            short_line_thr: 0.67,
            short_line_length: 30,
            char_duplicates_ratio: 0.01,
            new_line_ratio: 0.3,
        }
    }
}

/// One configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    pub name: String,
    /// spaCy language whose tokenizer rules count words (`en`, `id`, `ms`).
    pub tokenizer: String,
    pub filters: Vec<FilterKind>,
    #[serde(default)]
    pub gopher_repetition: GopherRepetitionConfig,
    #[serde(default)]
    pub gopher_quality: GopherQualityConfig,
    #[serde(default)]
    pub c4_quality: C4Config,
    #[serde(default)]
    pub fineweb_quality: FinewebConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read quality config {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("quality config {name}: {message}")]
    Invalid { name: String, message: String },
    #[error("no quality config named {0:?}; shipped: {1}. Give a file path or one of those names")]
    Unknown(String, String),
}

const EMBEDDED: &[(&str, &str)] = &[
    ("default", include_str!("../../rules/quality/default.toml")),
    (
        "eng_Latn",
        include_str!("../../rules/quality/eng_Latn.toml"),
    ),
    (
        "ind_Latn",
        include_str!("../../rules/quality/ind_Latn.toml"),
    ),
    (
        "zsm_Latn",
        include_str!("../../rules/quality/zsm_Latn.toml"),
    ),
    (
        "jav_Latn",
        include_str!("../../rules/quality/jav_Latn.toml"),
    ),
    (
        "sun_Latn",
        include_str!("../../rules/quality/sun_Latn.toml"),
    ),
    (
        "min_Latn",
        include_str!("../../rules/quality/min_Latn.toml"),
    ),
];

/// The configuration for a detected language (`metadata.language`, ISO 639-1 where one exists).
/// FineWeb-2 names its configurations by ISO 639-3 and script.
pub fn config_name_for_language(language: &str) -> Option<&'static str> {
    Some(match language {
        "en" | "eng" => "eng_Latn",
        "id" | "ind" => "ind_Latn",
        "ms" | "zsm" | "msa" => "zsm_Latn",
        "jv" | "jav" => "jav_Latn",
        "su" | "sun" => "sun_Latn",
        "min" => "min_Latn",
        _ => return None,
    })
}

impl QualityConfig {
    pub fn parse(name: &str, toml_text: &str) -> Result<Self, ConfigError> {
        let config: QualityConfig =
            toml::from_str(toml_text).map_err(|e| ConfigError::Invalid {
                name: name.to_string(),
                message: e.to_string(),
            })?;
        if !config.c4_quality.split_paragraph {
            return Err(ConfigError::Invalid {
                name: name.to_string(),
                message: "c4_quality.split_paragraph = false (sentence mode) is not supported"
                    .into(),
            });
        }
        Ok(config)
    }

    /// A shipped configuration by name (`default`, `eng_Latn`, `ind_Latn`, ...).
    pub fn embedded(name: &str) -> Result<Self, ConfigError> {
        let (_, text) = EMBEDDED.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            ConfigError::Unknown(
                name.to_string(),
                EMBEDDED
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })?;
        QualityConfig::parse(name, text)
    }

    /// A shipped name, or a path to a TOML file in the same format.
    pub fn load(name_or_path: &str) -> Result<Self, ConfigError> {
        if name_or_path.ends_with(".toml") || Path::new(name_or_path).exists() {
            let text = std::fs::read_to_string(name_or_path).map_err(|source| ConfigError::Io {
                path: name_or_path.to_string(),
                source,
            })?;
            return QualityConfig::parse(name_or_path, &text);
        }
        QualityConfig::embedded(name_or_path)
    }

    pub fn shipped_names() -> impl Iterator<Item = &'static str> {
        EMBEDDED.iter().map(|(n, _)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_config_parses_and_default_is_datatrove_default() {
        for name in QualityConfig::shipped_names() {
            let c = QualityConfig::embedded(name).unwrap();
            assert!(!c.filters.is_empty(), "{name}");
        }
        let d = QualityConfig::embedded("default").unwrap();
        assert_eq!(d.gopher_quality.min_doc_words, 50);
        assert_eq!(
            d.gopher_repetition.dup_n_grams,
            GopherRepetitionConfig::default().dup_n_grams
        );
        assert_eq!(d.c4_quality.min_num_sentences, 5);
        assert_eq!(d.fineweb_quality.short_line_length, 30);
        let id = QualityConfig::embedded("ind_Latn").unwrap();
        assert_eq!(id.tokenizer, "id");
        assert!(id.gopher_quality.stop_words.iter().any(|w| w == "yang"));
        assert!(QualityConfig::embedded("xx").is_err());
    }
}
