//! From HTML to a document: decode, parse, find the main content, read the page's metadata.
//!
//! Extraction is where a corpus pipeline spends its CPU (trafilatura is about 95% of FineWeb's), so it
//! is built for speed first and measured for quality against the scrapinghub article benchmark, WCXB
//! and Readability's fixtures (`bench/extract_eval.py`, BENCHMARKS.md):
//!
//! - [`charset`]: bytes to text (BOM, HTTP header, `<meta>`, then detection).
//! - [`html`]: a forgiving parser that keeps only what extraction reads.
//! - [`content`]: the main-content decision and the text rendering, where a block of a page is judged.
//! - [`meta`]: title, date, author, site name, declared language.
//!
//! The result becomes a [`Document`](crate::Document) whose text then goes through the line cleaner like
//! any other page, so the Indonesian site furniture that survives extraction (`Baca Juga`, tag rails,
//! SEO keyword lines) is still judged line by line.

pub mod charset;
pub mod content;
pub mod html;
pub mod meta;

use serde_json::{json, Map, Value};

use crate::document::Document;
use crate::io::input::HtmlPage;

pub use charset::{charset_of_content_type, decode, CharsetSource, Decoded};
pub use content::RemovedBlock;
pub use meta::PageMeta;

/// The main content and metadata of one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Main text, paragraphs separated by blank lines.
    pub text: String,
    /// Related links cleaned out of the article (`metadata.related`).
    pub related: Vec<String>,
    /// Whether `text` is one container or the whole pruned page (`metadata.extraction_scope`).
    pub scope: content::Scope,
    pub meta: PageMeta,
}

/// Extracts the main content of an HTML page given as text.
pub fn extract_html(page: &str) -> Extracted {
    let dom = html::parse(page);
    let content = content::main_content(&dom);
    extracted(&dom, content)
}

/// [`extract_html`], and every block of the page left out of the text with the reason (for
/// `saring explain`).
pub fn explain_html(page: &str) -> (Extracted, Vec<RemovedBlock>) {
    let dom = html::parse(page);
    let (content, removed) = content::main_content_explained(&dom);
    (extracted(&dom, content), removed)
}

fn extracted(dom: &html::Dom, content: content::MainContent) -> Extracted {
    Extracted {
        text: content.text,
        related: content.related,
        scope: content.scope,
        meta: meta::page_meta(dom),
    }
}

impl Extracted {
    /// Metadata fields for a document: `title`, `published` (as written) and `date` (`YYYY-MM-DD`),
    /// `author`, `site_name`, `description`, `html_lang`, `related`, and `extraction_scope`
    /// (`article` or `page`). Absent values are left out.
    pub fn metadata(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let meta = &self.meta;
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                m.insert(key.to_string(), json!(v));
            }
        };
        put("title", &meta.title);
        put("published", &meta.published);
        put("date", &meta.published.as_deref().and_then(meta::iso_day));
        put("author", &meta.author);
        put("site_name", &meta.site_name);
        put("description", &meta.description);
        put("html_lang", &meta.html_lang);
        if !self.related.is_empty() {
            m.insert("related".into(), json!(self.related));
        }
        if !self.text.is_empty() {
            m.insert("extraction_scope".into(), json!(self.scope.as_str()));
        }
        m
    }
}

/// Reason for an HTML page whose extraction found no text.
pub const NO_MAIN_CONTENT: &str = "no-main-content";

/// Decodes and extracts one page into a document. Metadata already known (URL, crawl date) is kept;
/// the page's own (`title`, `date`, `author`, ...) is added, with `charset` and `charset_source`. A
/// page with no main text is dropped with reason `no-main-content`, so it is still accounted for.
pub fn document_from_html(page: HtmlPage) -> Document {
    document_from(page, false).0
}

/// [`document_from_html`], and the blocks of the page left out of the text with the reason.
pub fn explain_document_from_html(page: HtmlPage) -> (Document, Vec<RemovedBlock>) {
    document_from(page, true)
}

fn document_from(page: HtmlPage, explain: bool) -> (Document, Vec<RemovedBlock>) {
    let url = page.metadata.get("url").and_then(Value::as_str);
    let decoded = decode(&page.bytes, page.http_charset.as_deref(), url);
    let (extracted, removed) = if explain {
        explain_html(&decoded.text)
    } else {
        (extract_html(&decoded.text), Vec::new())
    };
    let mut doc = Document::new(page.id, extracted.text.clone(), page.provenance);
    doc.metadata = page.metadata;
    for (key, value) in extracted.metadata() {
        doc.metadata.entry(key).or_insert(value);
    }
    doc.metadata
        .insert("charset".into(), json!(decoded.encoding));
    doc.metadata
        .insert("charset_source".into(), json!(decoded.source.as_str()));
    if decoded.had_errors {
        doc.metadata.insert("charset_errors".into(), json!(true));
    }
    if doc.text.trim().is_empty() {
        doc.drop_with("extract", NO_MAIN_CONTENT);
    }
    (doc, removed)
}

#[cfg(test)]
mod tests;
