//! Page metadata: title, publication date, author, site name, description and declared language.
//!
//! Sources in order of trust: JSON-LD (`headline`, `datePublished`, `author.name`, what publishers fill
//! for search engines), OpenGraph and `article:*` meta tags, classic `<meta name=...>` tags, then the
//! document itself (`<title>`, the first `<time datetime>`, `<a rel="author">`). Values are copied, not
//! interpreted, except that a date is also given as `YYYY-MM-DD` when it starts with one.

use serde_json::Value;

use super::html::{Dom, NodeData, Tag};

/// What a page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
    /// `<html lang>` or `content-language`, as written.
    pub html_lang: Option<String>,
}

pub fn page_meta(dom: &Dom) -> PageMeta {
    let mut meta = PageMeta::default();
    let mut json_ld = JsonLd::default();
    for block in &dom.json_ld {
        if let Ok(value) = serde_json::from_str::<Value>(block.trim()) {
            json_ld.visit(&value, 0);
        }
    }
    let mut metas: Vec<(&str, &str)> = Vec::new();
    let mut first_time: Option<&str> = None;
    let mut rel_author: Option<String> = None;
    for (i, node) in dom.nodes.iter().enumerate() {
        let (NodeData::Element { tag, .. }, Some(attrs)) = (&node.data, node.attrs()) else {
            continue;
        };
        match tag {
            Tag::Html if meta.html_lang.is_none() => meta.html_lang = attrs.lang.clone(),
            Tag::Meta => {
                let key = attrs.meta_key.as_deref().or(attrs.itemprop.as_deref());
                if let (Some(key), Some(content)) = (key, attrs.content.as_deref()) {
                    if !content.trim().is_empty() {
                        metas.push((key, content.trim()));
                    }
                }
            }
            Tag::Time if first_time.is_none() => first_time = attrs.datetime.as_deref(),
            Tag::A if rel_author.is_none() && attrs.rel.as_deref() == Some("author") => {
                let text = node_text(dom, i as u32);
                if !text.is_empty() && text.chars().count() < 80 {
                    rel_author = Some(text);
                }
            }
            _ => {}
        }
    }
    let meta_value = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.to_string())
        })
    };
    meta.title = json_ld
        .headline
        .or_else(|| meta_value(&["og:title", "twitter:title", "headline"]))
        .or_else(|| dom.title.clone().filter(|t| !t.is_empty()));
    meta.published = json_ld
        .date_published
        .or_else(|| {
            meta_value(&[
                "article:published_time",
                "og:published_time",
                "datepublished",
                "publishdate",
                "pubdate",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "sailthru.date",
                "parsely-pub-date",
            ])
        })
        .or_else(|| first_time.map(str::to_string));
    meta.author = json_ld
        .author
        .or_else(|| meta_value(&["author", "article:author", "dc.creator", "parsely-author"]))
        .filter(|a| !a.starts_with("http"))
        .or(rel_author);
    meta.site_name = meta_value(&["og:site_name", "application-name"]).or(json_ld.publisher);
    meta.description = meta_value(&["description", "og:description", "twitter:description"]);
    if meta.html_lang.is_none() {
        meta.html_lang = meta_value(&["http-equiv:content-language", "language"]);
    }
    meta
}

/// `YYYY-MM-DD` when `value` starts with an ISO date.
pub fn iso_day(value: &str) -> Option<String> {
    let b = value.trim().as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    (b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then(|| String::from_utf8_lossy(&b[..10]).into_owned())
}

fn node_text(dom: &Dom, id: u32) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        let node = dom.node(id);
        match &node.data {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element { .. } => stack.extend(dom.children(id).rev()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    date_published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

impl JsonLd {
    /// Walks `@graph` arrays and nested objects; the first value of each field wins.
    fn visit(&mut self, value: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.visit(v, depth + 1)),
            Value::Object(map) => {
                let is_article = map.get("@type").is_some_and(|t| {
                    let text = t.to_string();
                    ["Article", "Posting", "Blog", "Report", "WebPage"]
                        .iter()
                        .any(|k| text.contains(k))
                });
                if is_article {
                    if self.headline.is_none() {
                        self.headline = string_of(map.get("headline"));
                    }
                    if self.date_published.is_none() {
                        self.date_published = string_of(map.get("datePublished"));
                    }
                    if self.author.is_none() {
                        self.author = map.get("author").and_then(name_of);
                    }
                    if self.publisher.is_none() {
                        self.publisher = map.get("publisher").and_then(name_of);
                    }
                }
                for (key, v) in map {
                    if key == "@graph" || v.is_object() || v.is_array() {
                        self.visit(v, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// `"Name"`, `{"name": "Name"}` or `[{"name": "A"}, {"name": "B"}]` (joined with ", ").
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(map) => string_of(map.get("name")),
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::html::parse;
    use super::*;

    #[test]
    fn json_ld_then_meta_then_document() {
        let dom = parse(
            r#"<html lang="id"><head><title>Judul | Situs</title>
            <meta property="og:site_name" content="JatimTIMES">
            <meta name="author" content="Anggara Sudiongko">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"NewsArticle","headline":"Cara Menyimpan Tomat","datePublished":"2023-03-14T09:30:00+07:00"}]}</script>
            </head><body><time datetime="2020-01-01">x</time></body></html>"#,
        );
        let meta = page_meta(&dom);
        assert_eq!(meta.title.as_deref(), Some("Cara Menyimpan Tomat"));
        assert_eq!(meta.published.as_deref(), Some("2023-03-14T09:30:00+07:00"));
        assert_eq!(
            iso_day(meta.published.as_deref().unwrap()).as_deref(),
            Some("2023-03-14")
        );
        assert_eq!(meta.author.as_deref(), Some("Anggara Sudiongko"));
        assert_eq!(meta.site_name.as_deref(), Some("JatimTIMES"));
        assert_eq!(meta.html_lang.as_deref(), Some("id"));
    }

    #[test]
    fn falls_back_to_title_and_time() {
        let dom =
            parse("<title>Only title</title><p>x</p><time datetime='2024-05-06'>6 Mei</time>");
        let meta = page_meta(&dom);
        assert_eq!(meta.title.as_deref(), Some("Only title"));
        assert_eq!(meta.published.as_deref(), Some("2024-05-06"));
        assert_eq!(iso_day("6 Mei 2024"), None);
    }
}
