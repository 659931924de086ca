//! ARC files: the Internet Archive's crawl format before WARC (`.arc`, `.arc.gz`).
//!
//! Older crawls (the Wayback Machine's first decade, early academic crawls) exist only as ARC. A file
//! is a `filedesc://` record describing it, then one record per capture: a header line of
//! space-separated fields and a block of exactly the length the line names, holding the HTTP response
//! as received, then a newline. Version 1 headers have five fields (`URL IP-address Archive-date
//! Content-type Archive-length`), version 2 ten (result code, checksum, location, offset and filename
//! added before the length). The filedesc block names its version and, on its third line, the fields,
//! so the reader counts them there. URLs with spaces occur (warcio keeps a sample of one), so fields are
//! taken from the right and whatever is left is the URL.
//!
//! HTTP captures go the way WARC `response` records go ([`super::warc::http_response`]): 2xx HTML becomes
//! an [`HtmlPage`](super::input::HtmlPage) for extraction, anything else a dropped document with the same
//! reasons (`http-redirect`, `non-html-response`, ...). The filedesc record is dropped as
//! `arc-filedesc`, captures that are not HTTP (`dns:`, `ftp:`) as `non-html-response`. ARC has no record
//! ids: a document's id is `<file>#<record number>`. A header line that cannot be read (a length of `-1`
//! or `abc`, too few fields) is quarantined with its byte offset, and the reader resynchronises on the
//! next line that reads as a header; a block cut short by the end of the file is quarantined as in WARC.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::input::RawRecord;
use super::warc::{dropped_at_reading, http_response, RecordSource};

/// The records of one ARC stream.
pub struct ArcRecords {
    src: RecordSource,
    /// Fields per header line: 5 in version 1, 10 in version 2 (from the filedesc record).
    fields: usize,
    /// A header found while resynchronising, to be read as the next record.
    pending: Option<(u64, ArcHeader)>,
    /// A record to hand out before anything else (a broken stream met while resynchronising).
    queued: Option<RawRecord>,
}

/// One record's header line.
#[derive(Debug, PartialEq)]
struct ArcHeader {
    url: String,
    /// `YYYYMMDDhhmmss`, as written.
    date: String,
    content_type: String,
    length: u64,
}

impl ArcHeader {
    /// Reads a header line of `fields` fields, taking them from the right so that a URL with spaces
    /// stays whole; `Err` says what is wrong with it.
    fn parse(line: &[u8], fields: usize) -> Result<ArcHeader, String> {
        let text = String::from_utf8_lossy(line);
        let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
        if tokens.len() < fields {
            return Err(format!(
                "an ARC header needs {fields} fields, this line has {}",
                tokens.len()
            ));
        }
        let url_end = tokens.len() + 1 - fields;
        let url = tokens[..url_end].join(" ");
        // Strict enough that a line of page text met while resynchronising is not taken for a header.
        let scheme_ok =
            url.contains("://") || url.starts_with("dns:") || url.starts_with("filedesc:");
        if !scheme_ok || url.starts_with('<') {
            return Err(format!("{url:?} is not a URL"));
        }
        let rest = &tokens[url_end..];
        let date = rest[1];
        if !(8..=18).contains(&date.len()) || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Archive-date {date:?} is not a date"));
        }
        let length_text = rest[rest.len() - 1];
        let length = length_text
            .parse::<u64>()
            .map_err(|_| format!("Archive-length {length_text:?} is not a byte count"))?;
        Ok(ArcHeader {
            url,
            date: rest[1].to_string(),
            content_type: rest[2].to_string(),
            length,
        })
    }
}

/// `20140216050221` as `2014-02-16T05:02:21Z`, the form WARC dates take; anything else as written
/// (ARC writers have produced 12- and 18-digit dates).
fn iso_date(arc_date: &str) -> String {
    let d = arc_date.as_bytes();
    if d.len() == 14 && d.iter().all(u8::is_ascii_digit) {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &arc_date[0..4],
            &arc_date[4..6],
            &arc_date[6..8],
            &arc_date[8..10],
            &arc_date[10..12],
            &arc_date[12..14]
        )
    } else {
        arc_date.to_string()
    }
}

/// The number of fields a filedesc block declares: its second line names them (`URL IP-address
/// Archive-date Content-type Archive-length`, 5 or 10 names); failing that, its version (`1 ...` or
/// `2 ...`). Anything else (XML metadata where the names should be) leaves the default.
fn declared_fields(filedesc_block: &[u8]) -> Option<usize> {
    let text = String::from_utf8_lossy(filedesc_block);
    let mut lines = text.lines();
    let version = lines.next()?.split_ascii_whitespace().next()?.to_string();
    let named = lines
        .next()
        .filter(|l| l.starts_with("URL"))
        .map(|l| l.split_ascii_whitespace().count());
    match (named, version.as_str()) {
        (Some(n @ (5 | 10)), _) => Some(n),
        (_, "1") => Some(5),
        (_, "2") => Some(10),
        _ => None,
    }
}

impl ArcRecords {
    pub fn new(stream: Box<dyn BufRead + Send>, name: String, max_record_bytes: usize) -> Self {
        ArcRecords {
            src: RecordSource::new(stream, name, max_record_bytes),
            fields: 5,
            pending: None,
            queued: None,
        }
    }

    /// The next header line, skipping the blank lines between records; `Err` is the quarantine
    /// record of an unreadable header (after which the next readable one is pending).
    fn next_header(&mut self) -> Option<Result<(u64, ArcHeader), RawRecord>> {
        if let Some(pending) = self.pending.take() {
            return Some(Ok(pending));
        }
        loop {
            let at = self.src.offset;
            let line = match self.src.read_line() {
                Ok(l) => l,
                Err(e) => return Some(Err(self.src.stream_error(e, at))),
            };
            if line.is_empty() {
                return None;
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(match ArcHeader::parse(&line, self.fields) {
                Ok(header) => Ok((at, header)),
                Err(why) => Err(self.resynchronise(at, why)),
            });
        }
    }

    /// After an unreadable header at `from`: skip to the next line that reads as a header (kept as
    /// pending) and return one quarantine record for everything skipped.
    fn resynchronise(&mut self, from: u64, why: String) -> RawRecord {
        loop {
            let at = self.src.offset;
            match self.src.read_line() {
                Ok(l) if l.is_empty() => break,
                Ok(l) => {
                    if let Ok(header) = ArcHeader::parse(&l, self.fields) {
                        self.pending = Some((at, header));
                        break;
                    }
                }
                Err(e) => {
                    // Report the bad header now and the broken stream (which ends the file) next.
                    let q = self.src.quarantine("malformed-record", why, from);
                    self.queued = Some(self.src.stream_error(e, at));
                    return q;
                }
            }
        }
        let skipped = self.src.offset - from;
        let skipped = match &self.pending {
            Some((at, _)) => at - from,
            None => skipped,
        };
        self.src.quarantine(
            "malformed-record",
            format!("unreadable ARC header ({why}); skipped {skipped} bytes"),
            from,
        )
    }

    fn record_from(&mut self, start: u64, header: ArcHeader, block: Vec<u8>) -> RawRecord {
        let id = format!("{}#{}", self.src.name, self.src.index);
        let provenance = self.src.provenance(start);
        let is_filedesc = header.url.starts_with("filedesc:");
        let mut metadata = Map::new();
        metadata.insert("url".into(), Value::String(header.url));
        metadata.insert("crawl_date".into(), Value::String(iso_date(&header.date)));
        metadata.insert("content_type".into(), Value::String(header.content_type));
        let record = if is_filedesc {
            if let Some(fields) = declared_fields(&block) {
                self.fields = fields;
            }
            dropped_at_reading(id, metadata, provenance, "arc-filedesc")
        } else if block.starts_with(b"HTTP/") {
            http_response(id, &block, metadata, provenance)
        } else {
            dropped_at_reading(id, metadata, provenance, "non-html-response")
        };
        self.src.index += 1;
        record
    }
}

impl Iterator for ArcRecords {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        if let Some(queued) = self.queued.take() {
            return Some(queued);
        }
        if self.src.done {
            return None;
        }
        let (start, header) = match self.next_header()? {
            Ok(found) => found,
            Err(quarantined) => return Some(quarantined),
        };
        Some(match self.src.read_block(start, header.length) {
            Ok(block) => self.record_from(start, header, block),
            Err(quarantined) => quarantined,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Outcome;

    fn records(text: &str) -> Vec<RawRecord> {
        let stream = std::io::Cursor::new(text.as_bytes().to_vec());
        ArcRecords::new(Box::new(stream), "t.arc".into(), 1 << 20).collect()
    }

    fn filedesc() -> String {
        let block = "1 0 Saring\nURL IP-address Archive-date Content-type Archive-length\n";
        format!(
            "filedesc://t.arc 0.0.0.0 20240102030405 text/plain {}\n{block}\n",
            block.len()
        )
    }

    fn capture(url: &str, http: &str) -> String {
        format!(
            "{url} 10.0.0.1 20240102030405 text/html {}\n{http}\n",
            http.len()
        )
    }

    fn describe(record: &RawRecord) -> String {
        match record {
            RawRecord::Html(page) => format!("page {}", page.metadata["url"]),
            RawRecord::Doc(doc) => match &doc.outcome {
                Outcome::Dropped { reason, .. } => format!("dropped {reason}"),
                _ => "document".into(),
            },
            RawRecord::Bad(q) => format!("quarantined {}", q.kind),
            RawRecord::Json { .. } | RawRecord::Text { .. } => "raw".into(),
        }
    }

    #[test]
    fn captures_become_pages_and_everything_else_is_accounted_for() {
        let page = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Halo dunia.</p></body></html>";
        let redirect = "HTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\n";
        let text = format!(
            "{}{}{}{}",
            filedesc(),
            capture("http://contoh.id/a b?c=1", page),
            capture("http://contoh.id/", redirect),
            capture("dns:contoh.id", "10.0.0.1"),
        );
        let got: Vec<String> = records(&text).iter().map(describe).collect();
        assert_eq!(
            got,
            [
                "dropped arc-filedesc",
                "page \"http://contoh.id/a b?c=1\"",
                "dropped http-redirect",
                "dropped non-html-response"
            ]
        );
        let RawRecord::Html(page) = &records(&text)[1] else {
            unreachable!()
        };
        assert_eq!(page.metadata["crawl_date"], "2024-01-02T03:04:05Z");
        assert_eq!(page.http_charset.as_deref(), Some("utf-8"));
        assert_eq!(page.id, "t.arc#1");
    }

    #[test]
    fn unreadable_headers_are_quarantined_once_and_reading_goes_on() {
        let good = "HTTP/1.0 200 OK\nContent-Type: text/html\n\n<html><p>Isi.</p></html>";
        let text = format!(
            "{}http://contoh.id/ 10.0.0.1 20240102030405 text/html -1\nsisa\nbaris\n\n{}http://contoh.id/x 10.0.0.1 20240102030405 text/html abc\n",
            filedesc(),
            capture("http://contoh.id/ok", good)
        );
        let got: Vec<String> = records(&text).iter().map(describe).collect();
        assert_eq!(
            got,
            [
                "dropped arc-filedesc",
                "quarantined malformed-record",
                "page \"http://contoh.id/ok\"",
                "quarantined malformed-record"
            ]
        );
    }

    #[test]
    fn a_block_cut_short_is_quarantined_as_truncated() {
        let text = format!(
            "{}http://contoh.id/ 10.0.0.1 20240102030405 text/html 500\nHTTP/1.1 200 OK\n",
            filedesc()
        );
        let got: Vec<String> = records(&text).iter().map(describe).collect();
        assert_eq!(
            got,
            ["dropped arc-filedesc", "quarantined truncated-record"]
        );
    }

    #[test]
    fn version_2_headers_have_ten_fields() {
        let filedesc = "2 0 Saring\nURL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length\n";
        let line = "http://contoh.id/ 10.0.0.1 20240102030405 text/html 200 ABC - 0 t.arc 17";
        assert_eq!(declared_fields(filedesc.as_bytes()), Some(10));
        // The names line decides over the version; anything else there does not count.
        let named_v1 = "1 0 Saring\nURL IP-address Archive-date Content-type Archive-length\n";
        assert_eq!(declared_fields(named_v1.as_bytes()), Some(5));
        let xml = "1 1 InternetArchive\n<arcmetadata xmlns:dc=\"x\" a b c d e f>\n";
        assert_eq!(declared_fields(xml.as_bytes()), Some(5));
        // Page text is not a header, even with a URL in it and a number at the end.
        assert!(ArcHeader::parse(b"<a href=\"http://x\">a</a> b c d 2019", 5).is_err());
        assert!(ArcHeader::parse(b"see http://contoh.id/ for 12 more 40", 5).is_err());
        let header = ArcHeader::parse(line.as_bytes(), 10).unwrap();
        assert_eq!(header.url, "http://contoh.id/");
        assert_eq!(header.length, 17);
        assert_eq!(header.content_type, "text/html");
        assert_eq!(iso_date("201404010000000000"), "201404010000000000");
    }
}
