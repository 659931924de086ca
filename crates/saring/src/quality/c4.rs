//! C4's line and page heuristics (Raffel et al. 2020), datatrove 0.10.1 `C4QualityFilter` with
//! `split_paragraph=True`: each line (Python `splitlines`, stripped) is dropped when it has a word
//! over `max_word_length` characters, does not end in terminal punctuation (or ends in `...`), has
//! fewer than `min_words_per_line` words, mentions javascript, or mentions a cookie or terms
//! policy; the page is dropped when any kept line says "lorem ipsum" or holds a `{`, or when the
//! kept lines hold fewer than `min_num_sentences` sentences (counted by spaCy's sentencizer). The
//! kept lines, stripped and joined by `\n`, become the text.
//!
//! Unlike datatrove, which only counts dropped lines in its stats, saring reports each one that
//! holds text (the stage lists them in `metadata.removed`; blank lines are counted, not listed).

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::config::C4Config;
use super::pytext;
use super::signals::{Judge, Verdict};
use super::tokenize::{LazyWords, Span};

const END_PUNCTUATION: [char; 5] = ['.', '?', '!', '"', '\''];
const POLICY_SUBSTRINGS: [&str; 6] = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// The lower-case phrases C4 looks for in a line, as prebuilt vector searches (`str::contains`
/// prepares its search anew on every call, eight times per line).
struct LineNeedles {
    lorem_ipsum: memchr::memmem::Finder<'static>,
    javascript: memchr::memmem::Finder<'static>,
    policy: Vec<memchr::memmem::Finder<'static>>,
}

fn needles() -> &'static LineNeedles {
    static NEEDLES: OnceLock<LineNeedles> = OnceLock::new();
    NEEDLES.get_or_init(|| LineNeedles {
        lorem_ipsum: memchr::memmem::Finder::new("lorem ipsum"),
        javascript: memchr::memmem::Finder::new("javascript"),
        policy: POLICY_SUBSTRINGS
            .iter()
            .map(memchr::memmem::Finder::new)
            .collect(),
    })
}

fn citation() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\[\d*]|\[edit]|\[citation needed]").expect("the citation pattern compiles")
    })
}

/// A line C4 removed, with datatrove's stat name for the reason (`no_terminal_punc`, ...), or the
/// line that made C4 drop the page, with the page's reason (`curly_bracket`, `lorem_ipsum`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedLine {
    /// 0-based index among `splitlines()` of the text.
    pub index: usize,
    pub reason: &'static str,
}

/// The outcome of C4 on one text: the verdict, the new text when kept, and the removed lines (on a
/// page C4 dropped, those removed before the drop and the line that caused it, `lorem_ipsum` or
/// `curly_bracket`).
pub struct C4Outcome {
    pub verdict: Verdict,
    pub text: String,
    pub removed: Vec<RemovedLine>,
    /// The `splitlines()` indices of the kept lines, in order: the new text's lines.
    pub kept_lines: Vec<usize>,
    /// Words of the new text, when the sentence count tokenized every kept line and the
    /// tokenizer's words are line-local, so the next filter need not tokenize the text again.
    pub words: Option<usize>,
}

pub fn c4_quality(
    config: &C4Config,
    page: &LazyWords<'_>,
    signals: Option<&mut Map<String, Value>>,
) -> C4Outcome {
    let text = page.text();
    let tokenizer = page.tokenizer();
    // The page's tokens, when an earlier filter made them and a line's tokens are the page's tokens
    // inside the line (see `words_are_line_local`): a line kept verbatim is then not tokenized again.
    let page_tokens = page
        .tokens_if_known()
        .filter(|_| tokenizer.words_are_line_local());
    let mut tokens_seen = 0;
    let mut judge = Judge::new(signals);
    let mut kept: Vec<String> = Vec::new();
    let mut kept_lines = Vec::new();
    let mut removed = Vec::new();
    let mut sentences: i64 = 0;
    let mut words_of_kept: usize = 0;
    // Why C4 dropped the page, and the line that made it.
    let mut page_failure: Option<(&'static str, usize)> = None;
    let mut lower = String::new();
    for (index, raw) in pytext::splitlines(text).into_iter().enumerate() {
        let stripped = pytext::strip(raw);
        let mut drop_line = |reason| removed.push(RemovedLine { index, reason });
        // The line's words: only their number and whether one is too long are needed.
        let (mut n_words, mut too_long) = (0i64, false);
        for w in pytext::split_whitespace(stripped) {
            n_words += 1;
            if config.max_word_length != -1 && pytext::len(w) as i64 > config.max_word_length {
                too_long = true;
                break;
            }
        }
        if too_long {
            drop_line("too_long_word");
            continue;
        }
        // The citation pattern needs a `[`; most lines have none.
        let line = if config.remove_citations && stripped.contains('[') {
            citation().replace_all(stripped, "")
        } else {
            std::borrow::Cow::Borrowed(stripped)
        };
        if config.filter_no_terminal_punct
            && (!line.ends_with(END_PUNCTUATION) || line.ends_with("..."))
        {
            drop_line("no_terminal_punc");
            continue;
        }
        if n_words < config.min_words_per_line {
            drop_line("too_few_words");
            continue;
        }
        // Python's `line.lower()`; ASCII lines, nearly all, into a buffer kept across lines.
        lower.clear();
        if line.is_ascii() {
            lower.push_str(&line);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&line.to_lowercase());
        }
        let has = |needle: &memchr::memmem::Finder| needle.find(lower.as_bytes()).is_some();
        let needles = needles();
        if config.filter_lorem_ipsum && has(&needles.lorem_ipsum) {
            page_failure = Some(("lorem_ipsum", index));
            break;
        }
        if config.filter_javascript && has(&needles.javascript) {
            drop_line("javascript");
            continue;
        }
        if config.filter_curly_bracket && line.contains('{') {
            page_failure = Some(("curly_bracket", index));
            break;
        }
        if config.filter_policy && needles.policy.iter().any(has) {
            drop_line("policy");
            continue;
        }
        if config.min_num_sentences != -1 {
            let from_page = match (&line, page_tokens) {
                (std::borrow::Cow::Borrowed(line), Some(tokens)) => {
                    tokens_within(tokens, &mut tokens_seen, text, line)
                }
                _ => None,
            };
            let (s, w) = match from_page {
                Some(line_tokens) => tokenizer.sentences_and_words_of(text, line_tokens),
                None => tokenizer.sentences_and_words(&line),
            };
            sentences += s as i64;
            words_of_kept += w;
        }
        kept.push(line.into_owned());
        kept_lines.push(index);
    }
    judge.record("kept_lines", kept.len() as f64);
    judge.record("removed_lines", removed.len() as f64);
    let verdict = if let Some((reason, index)) = page_failure {
        // Listed with the lines removed before it, so that a dropped page shows its culprit.
        removed.push(RemovedLine { index, reason });
        judge.fail(reason).and_then(|_| judge.finish())
    } else {
        judge.record("sentences", sentences as f64);
        if sentences < config.min_num_sentences {
            judge.fail("too_few_sentences").and_then(|_| judge.finish())
        } else {
            judge.finish()
        }
    };
    let text = pytext::strip(&kept.join("\n")).to_string();
    // The strip takes kept lines that are blank (a line of citations only) off both ends: they
    // are no line of the text.
    let first = kept.iter().position(|l| !pytext::strip(l).is_empty());
    let last = kept.iter().rposition(|l| !pytext::strip(l).is_empty());
    let kept_lines = match (first, last) {
        (Some(first), Some(last)) => kept_lines[first..=last].to_vec(),
        _ => Vec::new(),
    };
    let words_of_kept = (config.min_num_sentences != -1 && tokenizer.words_are_line_local())
        .then_some(words_of_kept);
    C4Outcome {
        verdict,
        text,
        removed,
        kept_lines,
        words: words_of_kept,
    }
}

/// The tokens inside `line`, a slice of `text`, from the page's `tokens` (in order, not overlapping);
/// `seen` counts the tokens before earlier lines, which come first. `None` if `line` is not in `text`.
fn tokens_within<'k>(
    tokens: &'k [Span],
    seen: &mut usize,
    text: &str,
    line: &str,
) -> Option<&'k [Span]> {
    let start = (line.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start + line.len();
    if end > text.len() {
        return None;
    }
    while *seen < tokens.len() && tokens[*seen].1 <= start {
        *seen += 1;
    }
    let first = *seen;
    while *seen < tokens.len() && tokens[*seen].0 < end {
        *seen += 1;
    }
    Some(&tokens[first..*seen])
}
