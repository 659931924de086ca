//! FineWeb's own heuristics (Penedo et al. 2024), datatrove 0.10.1 `FineWebQualityFilter`: too few
//! lines ending in punctuation (`line_punct_ratio`), too many short lines (`short_line_ratio`),
//! too many characters in repeated lines (`char_dup_ratio`), too many line breaks per word
//! (`list_ratio`). Lines are `text.split("\n")` without the blank ones; nothing is stripped before
//! the line-end test, so a line ending in `". "` does not count as punctuated, as in datatrove.

use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

use super::config::FinewebConfig;
use super::gopher::find_duplicates;
use super::pytext;
use super::signals::{Judge, Verdict};
use super::tokenize::LazyWords;

/// The characters a line may end with, from the config or datatrove's `TERMINAL_PUNCTUATION`.
pub fn stop_chars(config: &FinewebConfig) -> FxHashSet<char> {
    match &config.stop_chars {
        Some(list) => list.iter().filter_map(|s| s.chars().last()).collect(),
        None => super::datatrove_punctuation()
            .terminal_punctuation
            .chars()
            .collect(),
    }
}

pub fn fineweb_quality(
    config: &FinewebConfig,
    stop_chars: &FxHashSet<char>,
    words: &LazyWords<'_>,
    signals: Option<&mut Map<String, Value>>,
) -> Verdict {
    let text = words.text();
    let mut judge = Judge::new(signals);
    let lines: Vec<&str> = text
        .split('\n')
        .filter(|l| !pytext::strip(l).is_empty())
        .collect();
    if lines.is_empty() {
        judge.fail("empty")?;
        return judge.finish();
    }
    let n = lines.len() as f64;
    let punctuated = lines
        .iter()
        .filter(|l| {
            l.chars()
                .next_back()
                .is_some_and(|c| stop_chars.contains(&c))
        })
        .count() as f64
        / n;
    judge.record("line_punct_ratio", punctuated);
    if punctuated < config.line_punct_thr && !(punctuated == 0.0 && config.line_punct_exclude_zero)
    {
        judge.fail("line_punct_ratio")?;
    }
    let short = lines
        .iter()
        .filter(|l| pytext::len(l) <= config.short_line_length)
        .count() as f64
        / n;
    judge.record("short_line_ratio", short);
    if short > config.short_line_thr {
        judge.fail("short_line_ratio")?;
    }
    let (_, dup_chars) = find_duplicates(lines.iter().copied());
    let non_newline = pytext::len(text) - pytext::count(text, "\n");
    let char_dup = dup_chars as f64 / non_newline as f64;
    judge.record("char_dup_ratio", char_dup);
    if char_dup > config.char_duplicates_ratio {
        judge.fail("char_dup_ratio")?;
    }
    let n_words = words.count();
    let new_lines = pytext::count(text, "\n") as f64;
    let list_ratio = if n_words == 0 {
        f64::INFINITY
    } else {
        new_lines / n_words as f64
    };
    judge.record("list_ratio", list_ratio);
    if list_ratio > config.new_line_ratio {
        judge.fail("list_ratio")?;
    }
    judge.finish()
}
