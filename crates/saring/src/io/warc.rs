//! WARC and WET files (WARC 1.0 and 1.1; plain, gzip per record, or gzip over the whole file).
//!
//! Common Crawl publishes WET files (`*.warc.wet.gz`): one `conversion` record per page holding
//! the text Common Crawl extracted, with the page's URL and fetch date. Each becomes a document
//! (`metadata.url`, `metadata.crawl_date`, `metadata.warc_record_id`, and Common Crawl's language
//! guess `metadata.cc_languages` when present), so `saring clean CC-MAIN-...warc.wet.gz` works like
//! any other input. `resource` records with a text content type become documents the same way.
//!
//! WARC `response` records with a 2xx status and HTML (by `Content-Type`, or sniffed when there is
//! none) become [`HtmlPage`]s: the HTTP body, de-chunked and un-gzipped if the headers say so, goes to
//! [`crate::extract`] on a worker thread with the header's charset. Other responses are counted as
//! dropped with reason `http-redirect`, `http-error`, `non-html-response`,
//! `unsupported-content-encoding` or `broken-http-body`, with URL, HTTP status and content type in the
//! rejected record, never silently skipped. The other record
//! types (`warcinfo`, `request`, `metadata`, `revisit`) are not documents and are counted as dropped
//! with reason `warc-<type>`. A record that cannot be parsed (no `WARC/` version line, a bad
//! `Content-Length`, a body cut short by the end of the file) is quarantined with the file and byte
//! offset; after a malformed header the reader looks for the next `WARC/` line and goes on.
//!
//! Gzip needs no special handling: a stream of per-record members and one member over the whole
//! file decompress to the same bytes (`MultiGzDecoder`); a broken gzip stream ends the file with a
//! quarantined `truncated-stream` / `corrupt-stream` record.

use std::io::{self, BufRead, Read};

use serde_json::{Map, Value};

use super::input::{HtmlPage, RawRecord};
use crate::document::{Document, Outcome, Provenance, Quarantined};
use crate::extract::charset_of_content_type;

/// Byte-level reading shared by the WARC and ARC readers: lines, the byte offset and record number
/// they have reached, and quarantine records that name both.
pub(super) struct RecordSource {
    stream: Box<dyn BufRead + Send>,
    pub(super) name: String,
    pub(super) offset: u64,
    pub(super) index: u64,
    max: usize,
    pub(super) done: bool,
}

impl RecordSource {
    pub(super) fn new(
        stream: Box<dyn BufRead + Send>,
        name: String,
        max_record_bytes: usize,
    ) -> Self {
        RecordSource {
            stream,
            name,
            offset: 0,
            index: 0,
            max: max_record_bytes,
            done: false,
        }
    }

    pub(super) fn provenance(&self, at: u64) -> Provenance {
        Provenance {
            file: self.name.clone(),
            line: None,
            row: Some(self.index),
            byte_offset: Some(at),
        }
    }

    /// A quarantine record for the current record, which then counts as read.
    pub(super) fn quarantine(&mut self, kind: &str, message: String, at: u64) -> RawRecord {
        let q = RawRecord::Bad(Box::new(Quarantined::new(
            kind,
            format!("{} record {} (byte {at}): {message}", self.name, self.index),
            self.provenance(at),
        )));
        self.index += 1;
        q
    }

    /// One line including its `\n` (empty at the end of the stream).
    pub(super) fn read_line(&mut self) -> io::Result<Vec<u8>> {
        let mut line = Vec::new();
        (&mut self.stream)
            .take(64 * 1024)
            .read_until(b'\n', &mut line)?;
        self.offset += line.len() as u64;
        Ok(line)
    }

    /// The stream itself broke (a truncated or corrupt gzip, zstd or lz4 stream): the file ends here.
    pub(super) fn stream_error(&mut self, e: io::Error, at: u64) -> RawRecord {
        self.done = true;
        let kind = super::input::stream_error_kind(&e);
        self.quarantine(kind, format!("the stream broke: {e}"), at)
    }

    /// The `length`-byte block of the record starting at `start`, or the quarantine record saying why
    /// not: larger than `--max-record-bytes` (skipped without being held), cut short by the end of
    /// the file, or a broken stream.
    pub(super) fn read_block(&mut self, start: u64, length: u64) -> Result<Vec<u8>, RawRecord> {
        if length as usize > self.max {
            let copied = io::copy(&mut (&mut self.stream).take(length), &mut io::sink());
            self.offset += copied.as_ref().copied().unwrap_or(0);
            let max = self.max;
            return Err(self.quarantine(
                "record-too-large",
                format!("block of {length} bytes is larger than --max-record-bytes {max}"),
                start,
            ));
        }
        let mut block = Vec::with_capacity(length as usize);
        let read = (&mut self.stream).take(length).read_to_end(&mut block);
        self.offset += block.len() as u64;
        if let Err(e) = read {
            return Err(self.stream_error(e, start));
        }
        if (block.len() as u64) < length {
            self.done = true;
            return Err(self.quarantine(
                "truncated-record",
                format!(
                    "the file ends {} bytes into a {length}-byte block",
                    block.len()
                ),
                start,
            ));
        }
        Ok(block)
    }
}

/// The records of one WARC/WET stream.
pub struct WarcRecords {
    src: RecordSource,
    /// A version line found while resynchronising, to be read as the next record.
    pending_version: Option<(u64, String)>,
}

impl WarcRecords {
    pub fn new(stream: Box<dyn BufRead + Send>, name: String, max_record_bytes: usize) -> Self {
        WarcRecords {
            src: RecordSource::new(stream, name, max_record_bytes),
            pending_version: None,
        }
    }

    fn next_record(&mut self) -> Option<RawRecord> {
        // Skip the blank lines between records, then expect the version line.
        let (start, version) = loop {
            let at = self.src.offset;
            let line = match self.src.read_line() {
                Ok(l) => l,
                Err(e) => return Some(self.src.stream_error(e, at)),
            };
            if line.is_empty() {
                return None;
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if line.starts_with(b"WARC/") {
                break (at, String::from_utf8_lossy(&line).trim().to_string());
            }
            // Not a record start: resynchronise on the next `WARC/` line.
            let skipped_from = at;
            loop {
                let at = self.src.offset;
                match self.src.read_line() {
                    Ok(l) if l.is_empty() => {
                        return Some(self.src.quarantine(
                            "malformed-record",
                            "no WARC/ version line where a record should start; nothing more found".into(),
                            skipped_from,
                        ));
                    }
                    Ok(l) if l.starts_with(b"WARC/") => {
                        // Report the skipped bytes; the record found is read on the next call.
                        let q = self.src.quarantine(
                            "malformed-record",
                            format!(
                                "no WARC/ version line where a record should start; skipped {} bytes",
                                at - skipped_from
                            ),
                            skipped_from,
                        );
                        self.pending_version =
                            Some((at, String::from_utf8_lossy(&l).trim().to_string()));
                        return Some(q);
                    }
                    Ok(_) => continue,
                    Err(e) => return Some(self.src.stream_error(e, at)),
                }
            }
        };
        self.read_record(start, version)
    }

    fn read_record(&mut self, start: u64, version: String) -> Option<RawRecord> {
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let at = self.src.offset;
            let line = match self.src.read_line() {
                Ok(l) => l,
                Err(e) => return Some(self.src.stream_error(e, at)),
            };
            if line.is_empty() {
                self.src.done = true;
                return Some(self.src.quarantine(
                    "truncated-record",
                    "the file ends inside the record's headers".into(),
                    start,
                ));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            match text.split_once(':') {
                Some((name, value)) => {
                    headers.push((name.trim().to_string(), value.trim().to_string()))
                }
                // A folded continuation line belongs to the previous header.
                None => {
                    if let Some(last) = headers.last_mut() {
                        last.1.push(' ');
                        last.1.push_str(text.trim());
                    }
                }
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(length) = header("Content-Length").and_then(|v| v.parse::<u64>().ok()) else {
            return Some(self.src.quarantine(
                "malformed-record",
                format!("{version} record without a valid Content-Length"),
                start,
            ));
        };
        let block = match self.src.read_block(start, length) {
            Ok(block) => block,
            Err(quarantined) => return Some(quarantined),
        };
        let record = self.to_document(start, &headers, block);
        self.src.index += 1;
        Some(record)
    }

    fn to_document(&self, start: u64, headers: &[(String, String)], block: Vec<u8>) -> RawRecord {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let warc_type = header("WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let record_id = header("WARC-Record-ID").unwrap_or_default();
        let id = record_id
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim_start_matches("urn:uuid:")
            .to_string();
        let id = if id.is_empty() {
            format!("{}#{}", self.src.name, self.src.index)
        } else {
            id
        };
        let mut metadata = Map::new();
        let mut put = |key: &str, value: Option<String>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                metadata.insert(key.to_string(), Value::String(v));
            }
        };
        // WARC 1.0's grammar put the URI in angle brackets; some writers still do.
        put(
            "url",
            header("WARC-Target-URI")
                .map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string()),
        );
        put("crawl_date", header("WARC-Date"));
        put("warc_record_id", Some(record_id.clone()));
        put("warc_type", Some(warc_type.clone()));
        put("content_type", header("Content-Type"));
        put("cc_languages", header("WARC-Identified-Content-Language"));
        let provenance = self.src.provenance(start);
        let is_text = header("Content-Type")
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/plain"));
        let text = match warc_type.as_str() {
            "conversion" => block,
            "resource" if is_text => block,
            "response" => return http_response(id, &block, metadata, provenance),
            "" => return dropped_at_reading(id, metadata, provenance, "warc-untyped"),
            other => {
                let reason = format!("warc-{other}");
                return dropped_at_reading(id, metadata, provenance, &reason);
            }
        };
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                return RawRecord::Bad(Box::new(Quarantined::new(
                    "invalid-utf8",
                    format!(
                        "{} record {}: text not valid UTF-8 at byte {at} of the block",
                        self.src.name, self.src.index
                    ),
                    provenance,
                )));
            }
        };
        let mut doc = Document::new(id, text, provenance);
        doc.metadata = metadata;
        RawRecord::Doc(Box::new(doc))
    }
}

/// An HTTP response as archived (a WARC `response` block, an ARC record's block): a page to extract
/// when it is a 2xx HTML response, otherwise a document dropped at reading with the reason
/// ([`HttpMessage::html_payload`]). The HTTP status and content type go into the metadata either way.
pub(super) fn http_response(
    id: String,
    block: &[u8],
    mut metadata: Map<String, Value>,
    provenance: Provenance,
) -> RawRecord {
    let message = HttpMessage::parse(block);
    put_http(
        &mut metadata,
        message.status.map(|s| s.to_string()),
        message.header("content-type").map(str::to_string),
    );
    match message.html_payload() {
        Ok(body) => {
            let mut page = HtmlPage::new(id, body, provenance);
            page.http_charset = message
                .header("content-type")
                .and_then(charset_of_content_type)
                .map(str::to_string);
            page.metadata = metadata;
            RawRecord::Html(Box::new(page))
        }
        Err(reason) => dropped_at_reading(id, metadata, provenance, reason),
    }
}

/// A record that is not a document (a `warcinfo`, a redirect, an image), counted as dropped at
/// reading with its reason and metadata: accounted for, never skipped in silence.
pub(super) fn dropped_at_reading(
    id: String,
    metadata: Map<String, Value>,
    provenance: Provenance,
    reason: &str,
) -> RawRecord {
    let mut doc = Document::new(id, String::new(), provenance);
    doc.metadata = metadata;
    doc.outcome = Outcome::Dropped {
        stage: "read".into(),
        reason: reason.to_string(),
    };
    RawRecord::Doc(Box::new(doc))
}

/// The HTTP message inside a WARC `response` block: status, headers and the payload as sent.
struct HttpMessage<'a> {
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl<'a> HttpMessage<'a> {
    fn parse(block: &'a [u8]) -> Self {
        // Headers end at the first empty line (CRLF, or bare LF from sloppy servers and tools),
        // whichever comes first: the body may have CRLF line ends where the head had LF.
        let crlf = memchr::memmem::find(block, b"\r\n\r\n").map(|i| (i, i + 4));
        let lf = memchr::memmem::find(block, b"\n\n").map(|i| (i, i + 2));
        let (head_end, body_start) = match (crlf, lf) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or((block.len(), block.len())),
        };
        let head = String::from_utf8_lossy(&block[..head_end]);
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok());
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        HttpMessage {
            status,
            headers,
            body: &block[body_start..],
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The HTML body ready for extraction, or the reason the record is not a page to extract:
    /// `http-redirect`, `http-error`, `non-html-response`, `unsupported-content-encoding`,
    /// `broken-http-body`.
    fn html_payload(&self) -> Result<Vec<u8>, &'static str> {
        match self.status {
            Some(200..=299) => {}
            Some(300..=399) => return Err("http-redirect"),
            _ => return Err("http-error"),
        }
        let declared_html = self.header("content-type").map(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("html")
        });
        if !declared_html.unwrap_or_else(|| looks_like_html(self.body)) {
            return Err("non-html-response");
        }
        let mut body = self.body.to_vec();
        if self
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
        {
            // Crawlers usually store the de-chunked body but keep the header; only de-chunk when
            // the body really is chunked.
            if let Some(joined) = dechunk(&body) {
                body = joined;
            }
        }
        match self
            .header("content-encoding")
            .map(|e| e.trim().to_ascii_lowercase())
            .as_deref()
        {
            None | Some("") | Some("identity") => Ok(body),
            // Crawlers (ClueWeb's Nutch, some Heritrix setups) store the decoded body but keep the
            // `Content-Encoding` header: a body that is already HTML is taken as it is.
            Some(_) if looks_like_html(&body) => Ok(body),
            Some("gzip") | Some("x-gzip") => {
                let mut out = Vec::new();
                flate2::read::MultiGzDecoder::new(&body[..])
                    .read_to_end(&mut out)
                    .map_err(|_| "broken-http-body")?;
                Ok(out)
            }
            Some("deflate") => {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&body[..])
                    .read_to_end(&mut out)
                    .or_else(|_| {
                        out.clear();
                        flate2::read::DeflateDecoder::new(&body[..]).read_to_end(&mut out)
                    })
                    .map_err(|_| "broken-http-body")?;
                Ok(out)
            }
            Some(_) => Err("unsupported-content-encoding"),
        }
    }
}

/// An HTML start (`<html`, `<!doctype html`, `<head`, or `<body`) in the first 1 KiB.
fn looks_like_html(body: &[u8]) -> bool {
    let lower = body[..body.len().min(1024)].to_ascii_lowercase();
    [&b"<html"[..], b"<!doctype html", b"<head", b"<body"]
        .iter()
        .any(|tag| memchr::memmem::find(&lower, tag).is_some())
}

/// Joins an HTTP/1.1 chunked body; `None` when `body` is not validly chunked.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let line_end = pos + memchr::memchr(b'\n', &body[pos..])?;
        let size_text = std::str::from_utf8(&body[pos..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        pos = line_end + 1;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size)?;
        out.extend_from_slice(body.get(pos..end)?);
        pos = end;
        // CRLF after the chunk data.
        while pos < body.len() && matches!(body[pos], b'\r' | b'\n') {
            pos += 1;
        }
        if pos >= body.len() {
            return Some(out); // a missing last-chunk marker: keep what arrived
        }
    }
}

fn put_http(
    metadata: &mut Map<String, Value>,
    status: Option<String>,
    content_type: Option<String>,
) {
    if let Some(s) = status {
        metadata.insert("http_status".into(), Value::String(s));
    }
    if let Some(t) = content_type {
        metadata.insert("http_content_type".into(), Value::String(t));
    }
}

impl Iterator for WarcRecords {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        if self.src.done {
            return None;
        }
        if let Some((start, version)) = self.pending_version.take() {
            return self.read_record(start, version);
        }
        self.next_record()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(bytes: &'static [u8]) -> Vec<RawRecord> {
        WarcRecords::new(Box::new(bytes), "t.warc".into(), 1 << 20).collect()
    }

    fn warc(kind: &str, extra: &str, body: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-1>\r\n{extra}Content-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    }

    #[test]
    fn wet_conversions_become_documents_and_the_rest_is_accounted_for() {
        let text = "Harga cabai naik menjelang Natal.\nPedagang mengeluh.";
        let file = [
            warc("warcinfo", "", "software: test\r\n"),
            warc(
                "conversion",
                "WARC-Target-URI: https://contoh.id/a\r\nWARC-Date: 2024-11-12T04:00:00Z\r\nWARC-Identified-Content-Language: ind\r\nContent-Type: text/plain\r\n",
                text,
            ),
            "garbage that is not a record\r\n".to_string(),
            warc("response", "WARC-Target-URI: https://contoh.id/b\r\n", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>x</p>"),
            "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 500\r\n\r\ncut short".to_string(),
        ]
        .concat();
        let recs = records(Box::leak(file.into_bytes().into_boxed_slice()));
        assert_eq!(recs.len(), 5, "{recs:?}");
        let RawRecord::Doc(info) = &recs[0] else {
            panic!("{:?}", recs[0])
        };
        assert_eq!(info.drop_reason(), Some("warc-warcinfo"));
        let RawRecord::Doc(doc) = &recs[1] else {
            panic!("{:?}", recs[1])
        };
        assert!(doc.is_kept());
        assert_eq!(doc.text, text);
        assert_eq!(doc.id, "conversion-1");
        assert_eq!(doc.metadata["url"], "https://contoh.id/a");
        assert_eq!(doc.metadata["crawl_date"], "2024-11-12T04:00:00Z");
        assert_eq!(doc.metadata["cc_languages"], "ind");
        let RawRecord::Bad(q) = &recs[2] else {
            panic!("{:?}", recs[2])
        };
        assert_eq!(q.kind, "malformed-record");
        let RawRecord::Html(page) = &recs[3] else {
            panic!("{:?}", recs[3])
        };
        assert_eq!(page.bytes, b"<p>x</p>");
        assert_eq!(page.http_charset.as_deref(), Some("utf-8"));
        assert_eq!(page.metadata["http_status"], "200");
        assert_eq!(page.metadata["url"], "https://contoh.id/b");
        let RawRecord::Bad(q) = &recs[4] else {
            panic!("{:?}", recs[4])
        };
        assert_eq!(q.kind, "truncated-record");
    }

    fn response(http: Vec<u8>) -> RawRecord {
        let mut record = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://contoh.id/p\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .into_bytes();
        record.extend_from_slice(&http);
        record.extend_from_slice(b"\r\n\r\n");
        let mut recs = records(Box::leak(record.into_boxed_slice()));
        assert_eq!(recs.len(), 1);
        recs.remove(0)
    }

    fn html_body(record: RawRecord) -> Vec<u8> {
        match record {
            RawRecord::Html(page) => page.bytes,
            other => panic!("expected an HTML page, got {other:?}"),
        }
    }

    fn drop_reason(record: RawRecord) -> String {
        match record {
            RawRecord::Doc(doc) => doc.drop_reason().unwrap_or("kept").to_string(),
            other => panic!("expected a dropped record, got {other:?}"),
        }
    }

    #[test]
    fn http_bodies_are_dechunked_and_decompressed() {
        let page = "<html><body><p>Harga cabai turun.</p></body></html>";
        let chunked = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
            &page[..16],
            page.len() - 16,
            &page[16..]
        );
        assert_eq!(html_body(response(chunked.into_bytes())), page.as_bytes());
        // A body stored de-chunked under a stale `Transfer-Encoding` header is taken as it is.
        let stale = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{page}");
        assert_eq!(html_body(response(stale.into_bytes())), page.as_bytes());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, page.as_bytes()).unwrap();
        let mut gzipped =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        gzipped.extend(gz.finish().unwrap());
        assert_eq!(html_body(response(gzipped)), page.as_bytes());
        // Already decoded under a stale `Content-Encoding: gzip` (ClueWeb's quirk).
        let stale = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n{page}"
        );
        assert_eq!(html_body(response(stale.into_bytes())), page.as_bytes());
        // No Content-Type: sniffed.
        let bare = format!("HTTP/1.1 200 OK\r\n\r\n<!DOCTYPE html>{page}");
        assert!(matches!(response(bare.into_bytes()), RawRecord::Html(_)));
    }

    #[test]
    fn responses_that_are_not_pages_are_counted_with_a_reason() {
        let cases = [
            ("HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\n\r\n", "http-redirect"),
            ("HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>no</p>", "http-error"),
            ("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\u{89}PNG", "non-html-response"),
            ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\nxx", "unsupported-content-encoding"),
            ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\nnot gzip", "broken-http-body"),
            ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n\u{1f}\u{8b}\u{8}truncated", "broken-http-body"),
            ("garbage", "http-error"),
        ];
        for (http, reason) in cases {
            assert_eq!(
                drop_reason(response(http.as_bytes().to_vec())),
                reason,
                "{http:?}"
            );
        }
    }
}
