//! Line rules and word lists, loaded from per-language TOML data files.
//!
//! The rules are data, not code: `crates/saring/rules/<lang>.toml` holds one language's line patterns
//! (related links, read-more markers, tag rails, captions, bylines, ads, syndication footers, copyright,
//! share prompts, navigation), its stop words, a light affix list for lexical cohesion, month and weekday
//! names for date lines, and dateline prefixes. The files are embedded in the binary so it runs
//! anywhere; `--rules DIR` loads a directory of such files instead.
//!
//! Safety of patterns is enforced here rather than trusted: every line pattern is wrapped as `^(?:...)$`
//! so it judges one whole line, and DOTALL (`(?s)`) is refused, so no rule can reach across lines into
//! the article.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashSet;
use std::path::Path;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Deserialize;

/// The rule files compiled into the binary, in priority order.
pub const EMBEDDED_RULES: &[(&str, &str)] = &[
    ("rules/id.toml", include_str!("../rules/id.toml")),
    ("rules/en.toml", include_str!("../rules/en.toml")),
];

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{file}: not valid TOML rules: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {what}: {message}")]
    Invalid {
        file: String,
        what: String,
        message: String,
    },
    #[error("cannot read rules from {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    language: String,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    stem_prefixes: Vec<String>,
    #[serde(default)]
    stem_suffixes: Vec<Vec<String>>,
    #[serde(default)]
    attribution_words: Vec<String>,
    #[serde(default)]
    dates: DateSpec,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
    #[serde(default, rename = "dateline")]
    datelines: Vec<DatelineSpec>,
    #[serde(default, rename = "trim")]
    trims: Vec<TrimSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateSpec {
    #[serde(default)]
    order: Option<String>,
    #[serde(default)]
    months: BTreeMap<String, u32>,
    #[serde(default)]
    weekdays: Vec<String>,
    #[serde(default)]
    fillers: Vec<String>,
    #[serde(default)]
    zones: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    reason: String,
    patterns: Vec<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    list: Option<ListKind>,
    #[serde(default)]
    ends_article: bool,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    max_words: Option<usize>,
    #[serde(default)]
    not_attributed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatelineSpec {
    patterns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrimSpec {
    reason: String,
    suffix: Vec<String>,
    #[serde(default)]
    case_sensitive: bool,
}

/// What kind of list a header line introduces (`Topik` → tags, `Berita Terkait` → headlines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    Tags,
    Headlines,
}

/// One compiled line rule.
#[derive(Debug)]
pub struct LineRule {
    pub reason: String,
    pub field: Option<String>,
    pub list: Option<ListKind>,
    pub ends_article: bool,
    pub max_words: Option<usize>,
    /// The rule does not apply to a sentence that ends in an attribution (`..., kata wali kota.`):
    /// "Unduh aplikasi ini, kata dia." is reported speech, not a footer.
    pub not_attributed: bool,
    /// Which file and language the rule came from (for `explain` and error messages).
    pub language: String,
}

/// A successful rule match on a line.
#[derive(Debug, Clone)]
pub struct RuleMatch<'r> {
    pub rule: &'r LineRule,
    /// The named group `value`, when the pattern has one and it matched non-empty text.
    pub value: Option<String>,
}

/// Per-language word lists used by the cohesion judgements.
#[derive(Debug)]
pub struct LanguageWords {
    pub language: String,
    pub stopwords: crate::word_list::ListedWords,
    pub stem_prefixes: Vec<String>,
    /// Groups of suffixes; at most one of each group is stripped, groups in order.
    pub stem_suffixes: Vec<Vec<String>>,
}

/// Month/weekday/filler/zone words for date-line parsing, merged over all loaded languages.
#[derive(Debug, Default)]
pub struct DateWords {
    pub months: HashMap<String, u32>,
    pub weekdays: HashSet<String>,
    pub fillers: HashSet<String>,
    pub zones: HashMap<String, String>,
    /// Day/month order for all-numeric dates (`12/11/2024`): the first loaded language's `order`.
    pub day_first: bool,
}

/// A trailing part of a body line to cut off, such as author initials `(nds/krs)`.
#[derive(Debug)]
pub struct TrimRule {
    pub reason: String,
    pub suffix: Regex,
}

/// All rules, compiled.
#[derive(Debug)]
pub struct Rules {
    rules: Vec<LineRule>,
    /// One entry per pattern: (rule index, compiled anchored pattern), in priority order.
    patterns: Vec<(usize, Regex)>,
    /// The same patterns as a set, for a single pass over each line.
    set: RegexSet,
    pub languages: Vec<LanguageWords>,
    pub dates: DateWords,
    pub datelines: Vec<Regex>,
    pub trims: Vec<TrimRule>,
    /// The largest `max_words` of any rule (rules without a limit make it unbounded).
    max_words: usize,
    /// Verbs of reported speech (`kata`, `ujar`, `said`), all languages.
    attribution_words: FxHashSet<String>,
}

fn is_kebab(code: &str) -> bool {
    !code.is_empty()
        && code
            .split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase()))
}

fn refuse_dotall(file: &str, what: &str, pattern: &str) -> Result<(), RulesError> {
    // Flags groups like (?s), (?is), (?s:...) would let `.` cross newlines.
    let mut rest = pattern;
    while let Some(pos) = rest.find("(?") {
        let flags: String = rest[pos + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .collect();
        let enabled = flags.split('-').next().unwrap_or("");
        if enabled.contains('s') {
            return Err(RulesError::Invalid {
                file: file.into(),
                what: what.into(),
                message: format!(
                    "pattern {pattern:?} enables DOTALL (s flag); line rules must judge one line: remove the flag"
                ),
            });
        }
        rest = &rest[pos + 2..];
    }
    Ok(())
}

fn build(pattern: &str, case_sensitive: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .size_limit(1 << 24)
        .build()
}

impl Rules {
    /// The rules embedded in the binary (Indonesian first, then English).
    pub fn embedded() -> Result<Rules, RulesError> {
        Rules::from_sources(
            EMBEDDED_RULES
                .iter()
                .map(|(f, s)| (f.to_string(), s.to_string())),
        )
    }

    /// Load every `*.toml` file of a directory, in file-name order.
    pub fn from_dir(dir: &Path) -> Result<Rules, RulesError> {
        let io = |e| RulesError::Io {
            path: dir.display().to_string(),
            source: e,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut sources = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| RulesError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            sources.push((path.display().to_string(), text));
        }
        if sources.is_empty() {
            return Err(RulesError::Invalid {
                file: dir.display().to_string(),
                what: "directory".into(),
                message: "holds no *.toml rule files".into(),
            });
        }
        Rules::from_sources(sources)
    }

    /// Compile rules from `(file name, TOML text)` pairs, in priority order.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Rules, RulesError> {
        let mut rules = Vec::new();
        let mut patterns = Vec::new();
        let mut set_patterns = Vec::new();
        let mut languages = Vec::new();
        let mut dates = DateWords::default();
        let mut datelines = Vec::new();
        let mut trims = Vec::new();
        let mut order_set = false;
        let mut attribution_words = FxHashSet::default();

        for (file, text) in sources {
            let spec: RuleFile = toml::from_str(&text).map_err(|e| RulesError::Parse {
                file: file.clone(),
                message: e.to_string(),
            })?;
            let invalid = |what: String, message: String| RulesError::Invalid {
                file: file.clone(),
                what,
                message,
            };

            for (i, rule) in spec.rules.iter().enumerate() {
                let what = format!("rule {} ({})", i + 1, rule.reason);
                if !is_kebab(&rule.reason) {
                    return Err(invalid(
                        what,
                        "reason must be a kebab-case code like `related-link`".into(),
                    ));
                }
                if rule.patterns.is_empty() {
                    return Err(invalid(what, "has no patterns".into()));
                }
                let index = rules.len();
                for pattern in &rule.patterns {
                    refuse_dotall(&file, &what, pattern)?;
                    let anchored = format!("^(?:{pattern})$");
                    let regex = build(&anchored, rule.case_sensitive).map_err(|e| {
                        invalid(what.clone(), format!("pattern does not compile: {e}"))
                    })?;
                    let flagged = if rule.case_sensitive {
                        anchored.clone()
                    } else {
                        format!("(?i){anchored}")
                    };
                    set_patterns.push(flagged);
                    patterns.push((index, regex));
                }
                rules.push(LineRule {
                    reason: rule.reason.clone(),
                    field: rule.field.clone(),
                    list: rule.list,
                    ends_article: rule.ends_article,
                    max_words: rule.max_words,
                    not_attributed: rule.not_attributed,
                    language: spec.language.clone(),
                });
            }
            for (i, dl) in spec.datelines.iter().enumerate() {
                for pattern in &dl.patterns {
                    let what = format!("dateline {}", i + 1);
                    refuse_dotall(&file, &what, pattern)?;
                    let regex = RegexBuilder::new(&format!("^(?:{pattern})"))
                        .build()
                        .map_err(|e| {
                            invalid(what.clone(), format!("pattern does not compile: {e}"))
                        })?;
                    if !regex.capture_names().any(|n| n == Some("source")) {
                        return Err(invalid(what, "pattern needs a named group `source`".into()));
                    }
                    datelines.push(regex);
                }
            }
            for (i, trim) in spec.trims.iter().enumerate() {
                let what = format!("trim {} ({})", i + 1, trim.reason);
                if !is_kebab(&trim.reason) {
                    return Err(invalid(what, "reason must be a kebab-case code".into()));
                }
                for pattern in &trim.suffix {
                    refuse_dotall(&file, &what, pattern)?;
                    let regex =
                        build(&format!("(?:{pattern})$"), trim.case_sensitive).map_err(|e| {
                            invalid(what.clone(), format!("pattern does not compile: {e}"))
                        })?;
                    trims.push(TrimRule {
                        reason: trim.reason.clone(),
                        suffix: regex,
                    });
                }
            }

            let d = &spec.dates;
            if !order_set {
                if let Some(order) = &d.order {
                    dates.day_first = match order.as_str() {
                        "dmy" => true,
                        "mdy" => false,
                        other => {
                            return Err(invalid(
                                "dates.order".into(),
                                format!("{other:?} is neither \"dmy\" nor \"mdy\""),
                            ))
                        }
                    };
                    order_set = true;
                }
            }
            for (name, month) in &d.months {
                if !(1..=12).contains(month) {
                    return Err(invalid(
                        format!("dates.months.{name}"),
                        format!("{month} is not a month number"),
                    ));
                }
                dates.months.entry(name.to_lowercase()).or_insert(*month);
            }
            dates
                .weekdays
                .extend(d.weekdays.iter().map(|w| w.to_lowercase()));
            dates
                .fillers
                .extend(d.fillers.iter().map(|w| w.to_lowercase()));
            for (zone, offset) in &d.zones {
                dates
                    .zones
                    .entry(zone.to_lowercase())
                    .or_insert_with(|| offset.clone());
            }

            attribution_words.extend(spec.attribution_words.iter().map(|w| w.to_lowercase()));
            languages.push(LanguageWords {
                language: spec.language.clone(),
                stopwords: spec.stopwords.iter().map(|w| w.to_lowercase()).collect(),
                stem_prefixes: spec.stem_prefixes.clone(),
                stem_suffixes: spec.stem_suffixes.clone(),
            });
        }
        if !order_set {
            dates.day_first = true;
        }
        let set = RegexSetBuilder::new(&set_patterns)
            .size_limit(1 << 26)
            .dfa_size_limit(8 << 20)
            .build()
            .map_err(|e| RulesError::Invalid {
                file: "(all rules)".into(),
                what: "pattern set".into(),
                message: e.to_string(),
            })?;
        let max_words = rules
            .iter()
            .map(|r| r.max_words.unwrap_or(usize::MAX))
            .max()
            .unwrap_or(0);
        Ok(Rules {
            rules,
            patterns,
            set,
            languages,
            dates,
            datelines,
            trims,
            max_words,
            attribution_words,
        })
    }

    pub fn line_rules(&self) -> &[LineRule] {
        &self.rules
    }

    /// The first rule (in priority order) that matches the whole trimmed line.
    pub fn match_line(&self, line: &str, words: usize) -> Option<RuleMatch<'_>> {
        // Paragraphs longer than every rule's word limit are not scanned at all.
        if words > self.max_words {
            return None;
        }
        let hits = self.set.matches(line);
        if !hits.matched_any() {
            return None;
        }
        for idx in hits.iter() {
            let (rule_index, regex) = &self.patterns[idx];
            let rule = &self.rules[*rule_index];
            if rule.max_words.is_some_and(|max| words > max) {
                continue;
            }
            if rule.not_attributed && self.is_attributed(line) {
                continue;
            }
            let value = regex
                .captures(line)
                .and_then(|c| c.name("value"))
                .map(|m| m.as_str().trim().to_string())
                .filter(|v| !v.is_empty());
            return Some(RuleMatch { rule, value });
        }
        None
    }

    /// A sentence ending in reported speech: it ends with `.`, `!`, `?` or a closing quote, and one of
    /// its last six words is an attribution verb.
    pub fn is_attributed(&self, line: &str) -> bool {
        let end = line.trim_end_matches(['"', '”', '’', '\'']);
        if !end.ends_with(['.', '!', '?']) {
            return false;
        }
        line.split_whitespace().rev().take(6).any(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            self.attribution_words.contains(&w)
        })
    }

    /// The words of the given language, if loaded.
    pub fn language(&self, code: &str) -> Option<&LanguageWords> {
        self.languages.iter().find(|l| l.language == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_compile() {
        let rules = Rules::embedded().unwrap();
        assert!(rules.line_rules().len() > 20);
        assert!(rules.language("id").unwrap().stopwords.contains("yang"));
        assert_eq!(rules.dates.months["nov"], 11);
        assert!(rules.dates.day_first);
    }

    #[test]
    fn dotall_patterns_are_refused() {
        let src = "language = \"xx\"\n[[rule]]\nreason = \"junk\"\npatterns = ['(?s)foo.*']\n";
        let err = Rules::from_sources([("x.toml".to_string(), src.to_string())]).unwrap_err();
        assert!(err.to_string().contains("DOTALL"), "{err}");
        let ok = "language = \"xx\"\n[[rule]]\nreason = \"junk\"\npatterns = ['(?i)foo.*']\n";
        assert!(Rules::from_sources([("x.toml".to_string(), ok.to_string())]).is_ok());
    }

    #[test]
    fn reasons_must_be_kebab_case() {
        let src = "language = \"xx\"\n[[rule]]\nreason = \"Junk_Line\"\npatterns = ['foo']\n";
        let err = Rules::from_sources([("x.toml".to_string(), src.to_string())]).unwrap_err();
        assert!(err.to_string().contains("kebab-case"), "{err}");
    }

    #[test]
    fn patterns_judge_whole_lines_only() {
        let src = "language = \"xx\"\n[[rule]]\nreason = \"junk\"\npatterns = ['foo']\n";
        let rules = Rules::from_sources([("x.toml".to_string(), src.to_string())]).unwrap();
        assert!(rules.match_line("foo", 1).is_some());
        assert!(rules.match_line("foo bar", 2).is_none());
        assert!(rules.match_line("a foo", 2).is_none());
    }
}
