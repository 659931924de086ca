//! The line cleaner: where a line of a page gets judged.
//!
//! A crawled news page is an article wrapped in furniture: title, date line, photo caption, related
//! links, a teaser cut, a tag rail, a site blurb, SEO keyword lines, an advertorial. Document-level filters
//! keep or drop the whole page; this stage judges every line, keeps the article, lifts title, date,
//! caption, tags, related headlines, author and dateline source into metadata, and drops the rest with
//! a reason. It needs no corpus statistics: everything it decides is visible in the one document.
//!
//! The judgement runs in three passes over the lines of one document:
//!
//! 1. **Rules** ([`crate::rules`]): each trimmed line is matched against the whole-line patterns of the
//!    rule files (one [`regex::RegexSet`] pass), and against the date-line grammar ([`dates`]).
//! 2. **Structure** ([`LineCleaner::structure`]): a left-to-right walk that knows where it is on the page.
//!    The first line may be the title; header lines (`Topik`, `Baca juga:`) take the list that follows;
//!    the first article paragraph gives up its dateline prefix (`JATIMTIMES - `); and a tail marker (tag
//!    rail, read-more, syndication footer, copyright) ends the article once it has begun, so what
//!    follows is tail, not body.
//! 3. **Cohesion** ([`cohesion`]): lines no rule names are judged by how much they share with the
//!    article's vocabulary. Runs of short, unpunctuated, query-like lines with no link to the topic are
//!    `seo-keywords`; paragraphs with almost no shared content words are `off-topic`. A short line that is
//!    followed by article text is a subheading and stays.
//!
//! Every input line ends with a [`LineJudgement`]; every line not in the output text is listed in
//! `metadata.removed` with its reason (or `metadata` and the field it went to).

pub mod cohesion;
pub mod dates;

use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::document::{Document, LineJudgement, Verdict};
use crate::rules::LanguageWords;
use crate::rules::{ListKind, RuleMatch, Rules};
use crate::stage::Stage;
use cohesion::{content_stems, guess_language, StemSet, Topic};

/// Options of the line cleaner. The defaults are what `saring clean` uses.
#[derive(Debug, Clone)]
pub struct CleanConfig {
    /// Judge paragraphs by lexical cohesion (`off-topic`).
    pub off_topic: bool,
    /// Judge short query-like lines (`seo-keywords`).
    pub seo_keywords: bool,
    /// Keep the title line as the first line of the output text (it is lifted into metadata either way).
    pub keep_title: bool,
    /// Cut the dateline prefix (`JATIMTIMES - `) from the first paragraph (it is lifted either way).
    pub strip_dateline: bool,
    /// A body paragraph is off-topic below this cohesion (share of its content stems found elsewhere).
    pub off_topic_threshold: f64,
    /// ... and only if it has at least this many distinct content stems (shorter ones are too noisy).
    pub off_topic_min_stems: usize,
    /// In the tail (after an end marker) the bar is higher: unrelated prose there is labelled off-topic.
    pub tail_off_topic_threshold: f64,
}

impl Default for CleanConfig {
    fn default() -> Self {
        CleanConfig {
            off_topic: true,
            seo_keywords: true,
            keep_title: true,
            strip_dateline: true,
            off_topic_threshold: 0.12,
            off_topic_min_stems: 12,
            tail_off_topic_threshold: 0.3,
        }
    }
}

/// Reason codes the cleaner itself assigns (the rule files assign the others).
pub mod reasons {
    pub const METADATA: &str = "metadata";
    pub const SEO_KEYWORDS: &str = "seo-keywords";
    pub const OFF_TOPIC: &str = "off-topic";
    pub const AFTER_ARTICLE: &str = "after-article";
    pub const DATE_LINE: &str = "date-line";
    pub const NO_ARTICLE_TEXT: &str = "no-article-text";
    pub const EMPTY_TEXT: &str = "empty-text";
    pub const DATELINE: &str = "dateline";
}

/// One input line with everything the passes learn about it.
struct Line<'t> {
    raw: &'t str,
    norm: String,
    words: usize,
    judgement: Option<Judged>,
    /// A body line (kept, not title) that reads as prose.
    prose: bool,
    in_tail: bool,
    trimmed_prefix: Option<(String, String)>,
}

#[derive(Clone)]
struct Judged {
    verdict: Verdict,
    reason: Option<String>,
    field: Option<String>,
    rule: Option<String>,
}

impl Judged {
    fn keep() -> Self {
        Judged {
            verdict: Verdict::Keep,
            reason: None,
            field: None,
            rule: None,
        }
    }
    fn drop(reason: &str) -> Self {
        Judged {
            verdict: Verdict::Drop,
            reason: Some(reason.into()),
            field: None,
            rule: None,
        }
    }
    fn metadata(field: &str, rule: &str) -> Self {
        Judged {
            verdict: Verdict::Metadata,
            reason: Some(reasons::METADATA.into()),
            field: Some(field.into()),
            rule: Some(rule.into()),
        }
    }
}

/// Fold the invisible differences real pages have (non-breaking and other Unicode spaces, zero-width
/// characters, a stray `\r`) and trim.
pub fn normalize_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2000}'..='\u{200A}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\r' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(['"', '”', '’', '\'', ')', '»'])
        .ends_with(['.', '!', '?', '…', ':', ';'])
}

fn ends_with_ellipsis(s: &str) -> bool {
    let t = s.trim_end();
    t.ends_with("...") || t.ends_with('…')
}

/// A line that reads as article prose rather than a label.
fn is_prose(norm: &str, words: usize) -> bool {
    words >= 8 || (words >= 4 && ends_sentence(norm))
}

/// Short, unpunctuated, query-like: the shape of an SEO keyword line (and also of a subheading).
fn is_query_like(norm: &str, words: usize) -> bool {
    (2..=8).contains(&words)
        && norm.chars().count() <= 80
        && !norm.contains([',', ';', ':', '"', '“', '”', '(', ')', '|', '/'])
        && !ends_sentence(norm)
        && norm.chars().any(|c| c.is_alphabetic())
}

/// Looks like a page title: a heading-sized line that is not a sentence ending in a period.
/// A bulleted or numbered list item (`- item`, `• item`, `3. item`, `b) item`).
fn is_list_item(norm: &str) -> bool {
    let mut chars = norm.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '·' | '▪' | '►' | '–' | '—' | '+' | '>') => true,
        Some(c) if c.is_ascii_digit() || c.is_ascii_lowercase() => {
            let head: String = norm
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let rest = &norm[head.len()..];
            head.len() <= 3
                && (rest.starts_with(". ") || rest.starts_with(") "))
                && (head.chars().all(|c| c.is_ascii_digit()) || head.len() == 1)
        }
        _ => false,
    }
}

fn is_title_like(norm: &str, words: usize) -> bool {
    (2..=30).contains(&words)
        && norm.chars().count() <= 250
        && !norm.trim_end().ends_with(['.', ',', ';', ':'])
        && norm.chars().any(|c| c.is_alphabetic())
}

fn split_tags(value: &str) -> Vec<String> {
    let separators: &[char] = if value.contains([',', '|', '·', ';', '•']) {
        &[',', '|', '·', ';', '•']
    } else if value.contains('#') {
        &['#']
    } else {
        &[]
    };
    let items: Vec<String> = if separators.is_empty() {
        vec![value.to_string()]
    } else {
        value.split(separators).map(|s| s.to_string()).collect()
    };
    items
        .into_iter()
        .map(|t| t.trim().trim_start_matches('#').trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A line that can be an item of a tag list: a comma list of short items, hashtags, or one short label.
fn tag_items(norm: &str, words: usize) -> Option<Vec<String>> {
    let items = split_tags(norm);
    if items.is_empty() || items.iter().any(|t| word_count(t) > 6) {
        return None;
    }
    if items.len() == 1 && (words > 5 || ends_sentence(norm)) {
        return None;
    }
    Some(items)
}

fn is_headline_item(norm: &str, words: usize) -> bool {
    (2..=25).contains(&words) && !norm.ends_with('.')
}

/// Metadata lifted from one document, in output order.
#[derive(Default)]
struct Lifted {
    title: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    source: Option<String>,
    place: Option<String>,
    author: Option<String>,
    editor: Option<String>,
    captions: Vec<String>,
    tags: Vec<String>,
    related: Vec<String>,
    truncated: bool,
}

impl Lifted {
    fn take(&mut self, field: &str, value: String) {
        match field {
            "related" => self.related.push(value),
            "tags" => self.tags.extend(split_tags(&value)),
            "caption" => self.captions.push(value),
            "author" => {
                self.author.get_or_insert(value);
            }
            "editor" => {
                self.editor.get_or_insert(value);
            }
            "published" => {
                self.published.get_or_insert(value);
            }
            "updated" => {
                self.updated.get_or_insert(value);
            }
            _ => {}
        }
    }
}

/// The words of one document, computed once: its language (for stop words and affixes) and the
/// content stems of every line.
struct Lexicon<'r> {
    lang: Option<&'r LanguageWords>,
    stems: Vec<StemSet>,
}

impl<'r> Lexicon<'r> {
    fn new(rules: &'r Rules, text: &str, lines: &[Line<'_>]) -> Self {
        let lang = guess_language(rules, text);
        let stems = lines.iter().map(|l| content_stems(&l.norm, lang)).collect();
        Lexicon { lang, stems }
    }
}

/// The line-cleaning stage.
pub struct LineCleaner {
    rules: Arc<Rules>,
    config: CleanConfig,
}

impl LineCleaner {
    pub fn new(rules: Arc<Rules>, config: CleanConfig) -> Self {
        LineCleaner { rules, config }
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Pass 2: the left-to-right walk. Fills `judgement` for lines the rules or the structure decide, and
    /// marks body prose and tail lines for the cohesion pass.
    ///
    /// Returns the index of the end marker that started the tail, if any. Markers in `ignored` were
    /// found to be false ends (article text follows them) and do not end the article.
    fn structure(
        &self,
        lines: &mut [Line<'_>],
        lifted: &mut Lifted,
        known_title: Option<&str>,
        ignored: &HashSet<usize>,
    ) -> Option<usize> {
        let rules = &self.rules;
        let mut tail_start = None;
        let non_blank = lines.iter().filter(|l| !l.norm.is_empty()).count();
        let mut title_decided = false;
        let mut article_started = false;
        let mut in_tail = false;
        let mut last_body_line: Option<usize> = None;
        // An open list: (kind, metadata field, rule reason, items taken so far).
        let mut list: Option<(ListKind, String, String, usize)> = None;

        for i in 0..lines.len() {
            if lines[i].norm.is_empty() {
                lines[i].judgement = Some(Judged::keep());
                continue;
            }
            let norm = lines[i].norm.clone();
            let words = lines[i].words;

            // Items of an open list (`Topik` then the tags; `Berita Terkait` then headlines).
            if let Some((kind, field, rule, taken)) = list.take() {
                let item = match kind {
                    ListKind::Tags => tag_items(&norm, words).map(|items| (items.len() > 1, items)),
                    ListKind::Headlines => (is_headline_item(&norm, words)
                        && rules.match_line(&norm, words).is_none())
                    .then(|| (false, vec![norm.clone()])),
                };
                if let Some((complete, items)) = item {
                    for value in items {
                        match kind {
                            ListKind::Tags => lifted.tags.push(value),
                            ListKind::Headlines => lifted.take(&field, value),
                        }
                    }
                    lines[i].judgement = Some(Judged::metadata(&field, &rule));
                    lines[i].in_tail = in_tail;
                    // A comma list is a whole rail; single items may go on, up to a sane length.
                    if !complete && taken + 1 < 12 {
                        list = Some((kind, field, rule, taken + 1));
                    }
                    continue;
                }
            }

            let matched = rules.match_line(&norm, words).filter(|m| {
                // A bare list header (`Topik`, `Keywords`, `Label`) is one only if a list follows it.
                match (m.rule.list, &m.value) {
                    (Some(kind), None) => self.next_is_list_item(lines, i, kind),
                    _ => true,
                }
            });
            if let Some(RuleMatch { rule, value }) = matched {
                match &rule.field {
                    Some(field) => {
                        let lifted_value = match field.as_str() {
                            "caption" => Some(norm.clone()),
                            _ => value,
                        };
                        match lifted_value {
                            Some(v) => lifted.take(field, v),
                            None => {
                                if let Some(kind) = rule.list {
                                    list = Some((kind, field.clone(), rule.reason.clone(), 0));
                                }
                            }
                        }
                        lines[i].judgement = Some(Judged::metadata(field, &rule.reason));
                    }
                    None => lines[i].judgement = Some(Judged::drop(&rule.reason)),
                }
                lines[i].in_tail = in_tail;
                if matches!(rule.reason.as_str(), "read-more" | "page-marker") {
                    if let Some(last) = last_body_line {
                        if ends_with_ellipsis(&lines[last].norm) && !in_tail {
                            lifted.truncated = true;
                        }
                    }
                }
                if rule.ends_article && article_started && !in_tail && !ignored.contains(&i) {
                    in_tail = true;
                    tail_start = Some(i);
                }
                continue;
            }

            if words <= 16 && norm.chars().any(|c| c.is_ascii_digit()) {
                if let Some(date) = dates::parse_date_line(&norm, &rules.dates) {
                    let judged = if date.is_update && lifted.updated.is_none() {
                        lifted.updated = Some(date.iso);
                        Judged::metadata("updated", reasons::DATE_LINE)
                    } else if !date.is_update && lifted.published.is_none() {
                        lifted.published = Some(date.iso);
                        Judged::metadata("published", reasons::DATE_LINE)
                    } else {
                        Judged::drop(reasons::DATE_LINE)
                    };
                    lines[i].judgement = Some(judged);
                    lines[i].in_tail = in_tail;
                    continue;
                }
            }

            if !title_decided {
                title_decided = true;
                let is_known = known_title.is_some_and(|t| normalize_line(t) == norm);
                if is_known
                    || (known_title.is_none() && non_blank > 1 && is_title_like(&norm, words))
                {
                    lifted.title = Some(norm.clone());
                    let mut judged = if self.config.keep_title {
                        Judged::keep()
                    } else {
                        Judged::metadata("title", "title")
                    };
                    judged.field = Some("title".into());
                    lines[i].judgement = Some(judged);
                    continue;
                }
            }

            if in_tail {
                lines[i].in_tail = true;
                lines[i].judgement = Some(Judged::drop(reasons::AFTER_ARTICLE));
                continue;
            }

            // A body line.
            let prose = is_prose(&norm, words);
            if prose && !article_started {
                article_started = true;
                if lifted.source.is_none() {
                    self.lift_dateline(&mut lines[i], lifted);
                }
            }
            lines[i].prose = prose;
            lines[i].judgement = Some(Judged::keep());
            last_body_line = Some(i);
        }
        tail_start
    }

    /// Whether the next non-blank line after `i` can be an item of a `kind` list.
    fn next_is_list_item(&self, lines: &[Line<'_>], i: usize, kind: ListKind) -> bool {
        let Some(next) = lines[i + 1..].iter().find(|l| !l.norm.is_empty()) else {
            return false;
        };
        match kind {
            ListKind::Tags => tag_items(&next.norm, next.words).is_some(),
            ListKind::Headlines => is_headline_item(&next.norm, next.words),
        }
    }

    /// Whether the article resumes after a supposed end marker: at least three tail paragraphs, and at
    /// least half of the tail's prose, share as much with the article as article paragraphs do. A
    /// `Keywords` heading or a `Previous Page` link inside a page is then not its end.
    fn tail_resumes(&self, lines: &[Line<'_>], lex: &Lexicon<'_>, tail_start: usize) -> bool {
        // The topic is all prose, the tail's included (each paragraph's own stems do not count for
        // itself): a long article after a false marker supports itself.
        let tail_prose = |l: &Line<'_>| l.in_tail && is_prose(&l.norm, l.words);
        let units: Vec<&StemSet> = lines
            .iter()
            .zip(&lex.stems)
            .filter(|(l, _)| l.prose || tail_prose(l))
            .map(|(_, stems)| stems)
            .collect();
        let mut topic = Topic::with_capacity(units.iter().map(|s| s.len()).sum());
        for stems in units {
            topic.add(stems);
        }
        if let Some(title) = lines
            .iter()
            .position(|l| matches!(&l.judgement, Some(j) if j.field.as_deref() == Some("title")))
        {
            topic.add_anchor(&lex.stems[title]);
        }
        let (mut prose, mut resumed) = (0usize, 0usize);
        for (l, stems) in lines.iter().zip(&lex.stems).skip(tail_start + 1) {
            if !tail_prose(l) {
                continue;
            }
            prose += 1;
            if stems.len() >= 8
                && topic.cohesion(stems, true) >= self.config.tail_off_topic_threshold
            {
                resumed += 1;
            }
        }
        resumed >= 3 && 2 * resumed >= prose
    }

    /// Take the dateline prefix of the first paragraph (`JATIMTIMES - `) into `source` (and `place`).
    fn lift_dateline(&self, line: &mut Line<'_>, lifted: &mut Lifted) {
        for regex in &self.rules.datelines {
            let Some(caps) = regex.captures(&line.norm) else {
                continue;
            };
            let whole = caps.get(0).expect("group 0");
            let rest = line.norm[whole.end()..].trim();
            if word_count(rest) < 3 {
                continue;
            }
            let source = caps.name("source").map(|m| m.as_str().trim().to_string());
            lifted.source = source;
            lifted.place = caps.name("place").map(|m| m.as_str().trim().to_string());
            if self.config.strip_dateline {
                line.trimmed_prefix =
                    Some((whole.as_str().to_string(), reasons::DATELINE.to_string()));
            }
            return;
        }
    }

    /// Pass 3: judge the lines no rule named, by cohesion with the article.
    fn cohesion(&self, lines: &mut [Line<'_>], lifted: &Lifted, lex: &Lexicon<'_>) {
        let lang = lex.lang;
        let stems = &lex.stems;

        let body: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].prose).collect();
        let mut topic = Topic::with_capacity(body.iter().map(|&i| stems[i].len()).sum());
        if let Some(title) = &lifted.title {
            topic.add_anchor(&content_stems(title, lang));
        }
        for caption in &lifted.captions {
            topic.add_anchor(&content_stems(caption, lang));
        }
        for &i in &body {
            topic.add(&stems[i]);
        }

        // Off-topic body paragraphs. The first paragraph is the anchor and never judged; removing a
        // paragraph from the topic can expose the next one (a two-paragraph advertorial), so repeat.
        if self.config.off_topic && body.len() >= 3 {
            let mut flagged: HashSet<usize> = HashSet::default();
            for _ in 0..3 {
                let mut changed = false;
                for &i in body.iter().skip(1) {
                    if flagged.contains(&i) || stems[i].len() < self.config.off_topic_min_stems {
                        continue;
                    }
                    // A short paragraph that names a title word is on topic, however little else it
                    // shares ("Hak cipta atas desain taman itu ..." under a title about the park).
                    let long = stems[i].len() >= 2 * self.config.off_topic_min_stems;
                    let named =
                        topic.touches_anchor(&stems[i]) || topic.shared(&stems[i], true) >= 4;
                    if (!named || long)
                        && topic.cohesion(&stems[i], true) < self.config.off_topic_threshold
                    {
                        flagged.insert(i);
                        topic.remove(&stems[i]);
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            for i in flagged {
                lines[i].judgement = Some(Judged::drop(reasons::OFF_TOPIC));
                lines[i].prose = false;
            }
        }

        // SEO keyword lines in the body: kept, unpunctuated, query-like lines with little link to the topic.
        let stopword_share = |l: &Line<'_>| match lang {
            Some(lang) => {
                let n = cohesion::words(&l.norm)
                    .filter(|w| lang.stopwords.contains(w.as_ref()))
                    .count();
                n as f64 / l.words.max(1) as f64
            }
            None => 0.0,
        };
        // The line before, ignoring blank lines, ends with a colon: the line is an item of an
        // introduced list, not a keyword.
        let after_colon = |i: usize, lines: &[Line<'_>]| {
            lines[..i]
                .iter()
                .rev()
                .find(|l| !l.norm.is_empty())
                .is_some_and(|l| l.norm.ends_with(':'))
        };
        // Exempt: bullets and numbered items, table rows (two numbers or more), lines that are a third
        // stop words (short sentences without a period), items of a list introduced by a colon.
        let candidate = |i: usize, lines: &[Line<'_>]| {
            let l = &lines[i];
            let kept_body =
                matches!(&l.judgement, Some(j) if j.verdict == Verdict::Keep && j.field.is_none());
            kept_body
                && !l.in_tail
                && is_query_like(&l.norm, l.words)
                && !is_list_item(&l.norm)
                && cohesion::words(&l.norm)
                    .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                    .count()
                    < 2
                && !l.norm.contains("[ ]")
                && stopword_share(l) < 0.34
                && !stems[i].is_empty()
                && !after_colon(i, lines)
                && topic.cohesion(&stems[i], l.prose) < 0.34
        };
        if self.config.seo_keywords && !body.is_empty() {
            let candidates: Vec<bool> = (0..lines.len()).map(|i| candidate(i, lines)).collect();
            let last_prose = (0..lines.len()).rev().find(|&i| lines[i].prose);
            let mut i = 0;
            while i < lines.len() {
                if !candidates[i] {
                    i += 1;
                    continue;
                }
                // A run of candidates, blank lines allowed between them.
                let mut run = vec![i];
                let mut j = i + 1;
                while j < lines.len() && (lines[j].norm.is_empty() || candidates[j]) {
                    if candidates[j] {
                        run.push(j);
                    }
                    j += 1;
                }
                let trailing = last_prose.is_some_and(|p| i > p);
                // Inside the body a keyword block sits between paragraphs; a run next to a heading or
                // a label is a list whose bullets were lost ("Features" then "Swim proof", "ECG app").
                let prose_before = lines[..i]
                    .iter()
                    .rev()
                    .find(|l| !l.norm.is_empty())
                    .is_some_and(|l| l.prose);
                let prose_after = lines[j..]
                    .iter()
                    .find(|l| !l.norm.is_empty())
                    .is_none_or(|l| l.prose);
                if trailing || (run.len() >= 2 && prose_before && prose_after) {
                    for &k in &run {
                        lines[k].judgement = Some(Judged::drop(reasons::SEO_KEYWORDS));
                        lines[k].prose = false;
                    }
                }
                i = j;
            }
        }

        // Tail lines: name what they are, when we can tell.
        for i in 0..lines.len() {
            let l = &lines[i];
            let is_after = matches!(&l.judgement, Some(j) if j.reason.as_deref() == Some(reasons::AFTER_ARTICLE));
            if !is_after {
                continue;
            }
            let cohesion = topic.cohesion(&stems[i], false);
            let reason =
                if self.config.seo_keywords && is_query_like(&l.norm, l.words) && cohesion < 0.5 {
                    reasons::SEO_KEYWORDS
                } else if self.config.off_topic
                    && is_prose(&l.norm, l.words)
                    && stems[i].len() >= 4
                    && cohesion < self.config.tail_off_topic_threshold
                {
                    reasons::OFF_TOPIC
                } else {
                    continue;
                };
            lines[i].judgement = Some(Judged::drop(reason));
        }
    }

    /// Judge one text; returns the new text, the lifted metadata, the judgement of every line and
    /// where each line of the new text comes from (its index in `text`; `None` for a blank line
    /// put between paragraphs).
    fn judge(
        &self,
        text: &str,
        known_title: Option<&str>,
    ) -> (String, Lifted, Vec<LineJudgement>, Vec<Option<usize>>) {
        let mut lines: Vec<Line<'_>> = text
            .split('\n')
            .map(|raw| {
                let norm = normalize_line(raw);
                let words = word_count(&norm);
                Line {
                    raw,
                    norm,
                    words,
                    judgement: None,
                    prose: false,
                    in_tail: false,
                    trimmed_prefix: None,
                }
            })
            .collect();
        // A final newline does not make an extra (blank) line.
        if lines.len() > 1 && lines.last().is_some_and(|l| l.raw.is_empty()) {
            lines.pop();
        }
        let lex = Lexicon::new(&self.rules, text, &lines);
        let mut lifted = Lifted::default();
        let mut ignored = HashSet::default();
        loop {
            let tail_start = self.structure(&mut lines, &mut lifted, known_title, &ignored);
            // A teaser cut (`...` then `Baca Selengkapnya`) is an end whatever follows it.
            match tail_start {
                Some(t)
                    if !lifted.truncated
                        && ignored.len() < 4
                        && self.tail_resumes(&lines, &lex, t) =>
                {
                    ignored.insert(t);
                    lifted = Lifted::default();
                    for l in lines.iter_mut() {
                        l.judgement = None;
                        l.prose = false;
                        l.in_tail = false;
                        l.trimmed_prefix = None;
                    }
                }
                _ => break,
            }
        }
        if self.config.off_topic || self.config.seo_keywords {
            self.cohesion(&mut lines, &lifted, &lex);
        }

        // Assemble: kept lines, one blank line wherever the input had a break or a removed line.
        let mut out = String::with_capacity(text.len());
        let mut judgements = Vec::with_capacity(lines.len());
        let mut sources = Vec::with_capacity(lines.len());
        let mut gap = false;
        for (i, line) in lines.iter().enumerate() {
            let judged = line.judgement.clone().unwrap_or_else(Judged::keep);
            let mut trimmed = None;
            if judged.verdict == Verdict::Keep && !line.norm.is_empty() {
                let mut content = line.norm.as_str();
                if let Some((prefix, reason)) = &line.trimmed_prefix {
                    content = content[prefix.len()..].trim_start();
                    trimmed = Some((prefix.trim().to_string(), reason.clone()));
                }
                for trim in &self.rules.trims {
                    if let Some(m) = trim.suffix.find(content) {
                        if m.start() > 0 && trimmed.is_none() {
                            trimmed = Some((m.as_str().trim().to_string(), trim.reason.clone()));
                            content = content[..m.start()].trim_end();
                            break;
                        }
                    }
                }
                if !out.is_empty() {
                    if gap {
                        out.push_str("\n\n");
                        sources.push(None);
                    } else {
                        out.push('\n');
                    }
                }
                out.push_str(content);
                sources.push(Some(i));
                gap = false;
            } else if !out.is_empty() {
                gap = true;
            }
            judgements.push(LineJudgement {
                line: i + 1,
                verdict: judged.verdict,
                reason: judged
                    .reason
                    .or(judged.rule.clone())
                    .filter(|_| judged.verdict != Verdict::Keep),
                field: judged.field,
                rule: judged.rule,
                trimmed,
            });
        }
        (out, lifted, judgements, sources)
    }
}

fn insert_absent(metadata: &mut Map<String, Value>, key: &str, value: Value) {
    if !metadata.contains_key(key) {
        metadata.insert(key.to_string(), value);
    }
}

impl Stage for LineCleaner {
    fn name(&self) -> &str {
        "clean"
    }

    fn process(&self, doc: &mut Document) {
        if doc.text.trim().is_empty() {
            doc.drop_with(self.name(), reasons::EMPTY_TEXT);
            return;
        }
        let known_title = doc
            .metadata
            .get("title")
            .and_then(|t| t.as_str())
            .map(str::to_string);
        let (text, lifted, judgements, sources) = self.judge(&doc.text, known_title.as_deref());
        let original_lines: Vec<&str> = doc.text.split('\n').collect();

        let m = &mut doc.metadata;
        if let Some(title) = lifted.title {
            insert_absent(m, "title", json!(title));
        }
        if let Some(v) = lifted.published {
            insert_absent(m, "published", json!(v));
        }
        if let Some(v) = lifted.updated {
            insert_absent(m, "updated", json!(v));
        }
        if let Some(v) = lifted.source {
            insert_absent(m, "source", json!(v));
        }
        if let Some(v) = lifted.place {
            insert_absent(m, "place", json!(v));
        }
        if let Some(v) = lifted.author {
            insert_absent(m, "author", json!(v));
        }
        if let Some(v) = lifted.editor {
            insert_absent(m, "editor", json!(v));
        }
        if let Some(first) = lifted.captions.first() {
            insert_absent(m, "caption", json!(first));
            if lifted.captions.len() > 1 {
                insert_absent(m, "captions", json!(lifted.captions));
            }
        }
        if !lifted.tags.is_empty() {
            insert_absent(m, "tags", json!(lifted.tags));
        }
        if !lifted.related.is_empty() {
            // HTML extraction may have lifted related links already: add to them.
            match m.get_mut("related") {
                Some(Value::Array(existing)) => {
                    existing.extend(lifted.related.into_iter().map(Value::String))
                }
                _ => insert_absent(m, "related", json!(lifted.related)),
            }
        }
        if lifted.truncated {
            insert_absent(m, "truncated", json!(true));
        }
        let removed: Vec<Value> = judgements
            .iter()
            .filter(|j| j.verdict != Verdict::Keep)
            .map(|j| {
                let raw = original_lines.get(j.line - 1).copied().unwrap_or("");
                let mut entry = Map::new();
                entry.insert("line".into(), json!(j.line));
                entry.insert("text".into(), json!(raw.trim_end_matches('\r')));
                entry.insert("reason".into(), json!(j.reason));
                entry.insert("field".into(), json!(j.field));
                if j.verdict == Verdict::Metadata {
                    entry.insert("rule".into(), json!(j.rule));
                }
                Value::Object(entry)
            })
            .collect();
        let trimmed: Vec<Value> = judgements
            .iter()
            .filter_map(|j| {
                j.trimmed
                    .as_ref()
                    .map(|(text, reason)| json!({"line": j.line, "text": text, "reason": reason}))
            })
            .collect();
        m.insert("removed".into(), Value::Array(removed));
        if !trimmed.is_empty() {
            m.insert("trimmed".into(), Value::Array(trimmed));
        }

        let has_article = judgements.iter().any(|j| {
            j.verdict == Verdict::Keep
                && j.field.is_none()
                && !original_lines[j.line - 1].trim().is_empty()
        });
        doc.lines = judgements;
        doc.text = text;
        doc.set_line_sources(sources);
        if !has_article {
            doc.drop_with(self.name(), reasons::NO_ARTICLE_TEXT);
        }
    }
}

#[cfg(test)]
mod tests;
