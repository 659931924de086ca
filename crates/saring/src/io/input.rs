//! Input: find the files, stream their raw records, turn records into documents.
//!
//! The reader never stops a run on bad data. A line that is not JSON, a file that is not UTF-8, a gzip
//! or zstd stream that ends in the middle, a line longer than `max_record_bytes`: each becomes one
//! quarantined record with the file and the line or byte offset, and reading goes on with the next
//! line or the next file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{detect, parquet_io, Compression, Format};
use crate::document::{Document, Provenance, Quarantined};

/// How to read records.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Field holding the text (JSONL, Parquet). Default `text`.
    pub text_field: String,
    /// Field holding the id (JSONL, Parquet). Default `id`.
    pub id_field: String,
    /// Force a format instead of detecting it from the extension.
    pub format: Option<Format>,
    /// Force a compression instead of detecting it from the extension.
    pub compression: Option<Compression>,
    /// Longer lines (JSONL) or files (txt) are quarantined instead of read into memory.
    pub max_record_bytes: usize,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            format: None,
            compression: None,
            max_record_bytes: 64 << 20,
        }
    }
}

/// One input file, with the name used for ids and provenance.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path relative to the input root (a directory argument) or the file name (a file argument).
    pub name: String,
    pub format: Format,
    pub compression: Compression,
    pub size: u64,
}

/// Files found under the input paths, in a deterministic order, and the files that were skipped.
#[derive(Debug, Default)]
pub struct InputSet {
    pub files: Vec<InputFile>,
    /// Files in input directories whose format could not be told from the name (reported, not read).
    pub skipped: Vec<PathBuf>,
}

impl InputSet {
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().starts_with('.'))
            .unwrap_or(false);
        if name {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Expand files and directories into the list of input files.
pub fn collect_inputs(paths: &[PathBuf], options: &InputOptions) -> io::Result<InputSet> {
    let mut set = InputSet::default();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot read input {}: {e}", root.display()),
            )
        })?;
        let (candidates, base): (Vec<PathBuf>, Option<&Path>) = if meta.is_dir() {
            let mut files = Vec::new();
            walk(root, &mut files)?;
            (files, Some(root.as_path()))
        } else {
            (vec![root.clone()], None)
        };
        for path in candidates {
            let detected = detect(&path);
            let format = options.format.or(detected.map(|d| d.0));
            let compression = options
                .compression
                .or(detected.map(|d| d.1))
                .unwrap_or(Compression::None);
            let Some(format) = format else {
                if base.is_some() {
                    set.skipped.push(path);
                    continue;
                }
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "cannot tell the format of {} from its name: use .txt, .html, .jsonl[.gz|.zst], .parquet, .warc[.gz|.lz4], .warc.wet.gz or .arc[.gz], or pass --format",
                        path.display()
                    ),
                ));
            };
            let name = match base {
                Some(b) => path
                    .strip_prefix(b)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/"),
                None => path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            };
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            set.files.push(InputFile {
                path,
                name,
                format,
                compression,
                size,
            });
        }
    }
    Ok(set)
}

/// An HTML page waiting for extraction, with what its container said about it.
#[derive(Debug)]
pub struct HtmlPage {
    pub id: String,
    /// The page as served (after HTTP transfer and content decoding), in its own encoding.
    pub bytes: Vec<u8>,
    /// The `charset=` of an HTTP `Content-Type` header, if there was one.
    pub http_charset: Option<String>,
    /// Metadata known before extraction (`url`, `crawl_date`, `http_status`, ...).
    pub metadata: Map<String, Value>,
    pub provenance: Provenance,
}

impl HtmlPage {
    pub fn new(id: String, bytes: Vec<u8>, provenance: Provenance) -> Self {
        HtmlPage {
            id,
            bytes,
            http_charset: None,
            metadata: Map::new(),
            provenance,
        }
    }
}

/// A record as read, before parsing (parsing happens on the worker threads).
#[derive(Debug)]
pub enum RawRecord {
    /// One JSONL line (without the newline).
    Json {
        bytes: Vec<u8>,
        provenance: Provenance,
    },
    /// The bytes of a whole text file.
    Text {
        bytes: Vec<u8>,
        id: String,
        provenance: Provenance,
    },
    /// An HTML page (a file, or the payload of a WARC `response`): decoded and extracted on a worker.
    Html(Box<HtmlPage>),
    /// A row already decoded (Parquet).
    Doc(Box<Document>),
    /// A record that could not be read at all.
    Bad(Box<Quarantined>),
}

impl RawRecord {
    /// Approximate memory held, for batching.
    pub fn size(&self) -> usize {
        match self {
            RawRecord::Json { bytes, .. } | RawRecord::Text { bytes, .. } => bytes.len() + 64,
            RawRecord::Html(page) => page.bytes.len() + 512,
            RawRecord::Doc(d) => d.text.len() + 256,
            RawRecord::Bad(_) => 256,
        }
    }

    /// Parse into a document, or quarantine.
    pub fn into_document(self, options: &InputOptions) -> Result<Document, Box<Quarantined>> {
        self.parse(options).map_err(Box::new)
    }

    #[allow(clippy::result_large_err)] // boxed once, in into_document
    fn parse(self, options: &InputOptions) -> Result<Document, Quarantined> {
        match self {
            RawRecord::Doc(doc) => check_text(*doc),
            RawRecord::Html(page) => Ok(crate::extract::document_from_html(*page)),
            RawRecord::Bad(q) => Err(*q),
            RawRecord::Text {
                bytes,
                id,
                provenance,
            } => {
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let bytes = e.into_bytes();
                        return Err(Quarantined::new(
                            "invalid-utf8",
                            format!(
                                "{}: not valid UTF-8 at byte {at}; convert the file to UTF-8 (e.g. iconv) and run again",
                                provenance.describe()
                            ),
                            provenance,
                        )
                        .with_excerpt(&bytes[at.saturating_sub(40)..]));
                    }
                };
                let text = text
                    .strip_prefix('\u{FEFF}')
                    .map(str::to_string)
                    .unwrap_or(text);
                check_text(Document::new(id, text, provenance))
            }
            RawRecord::Json { bytes, provenance } => parse_json_record(&bytes, provenance, options),
        }
    }
}

#[allow(clippy::result_large_err)]
fn check_text(doc: Document) -> Result<Document, Quarantined> {
    let nuls = doc.text.bytes().filter(|&b| b == 0).count();
    if nuls > 0 {
        return Err(Quarantined::new(
            "binary-content",
            format!(
                "{}: text holds {nuls} NUL characters, which means binary data, not text",
                doc.provenance.describe()
            ),
            doc.provenance.clone(),
        )
        .with_excerpt(doc.text.as_bytes()));
    }
    Ok(doc)
}

fn value_to_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[allow(clippy::result_large_err)]
fn parse_json_record(
    bytes: &[u8],
    provenance: Provenance,
    options: &InputOptions,
) -> Result<Document, Quarantined> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        return Err(Quarantined::new(
            "invalid-utf8",
            format!(
                "{}: line is not valid UTF-8 at byte {at} of the line",
                provenance.describe()
            ),
            provenance,
        )
        .with_excerpt(bytes));
    }
    let mut object: Map<String, Value> = match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(o)) => o,
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return Err(Quarantined::new(
                "malformed-json",
                format!(
                    "{}: expected a JSON object per line, found {kind}",
                    provenance.describe()
                ),
                provenance,
            )
            .with_excerpt(bytes));
        }
        Err(e) => {
            return Err(Quarantined::new(
                "malformed-json",
                format!("{}: not a JSON object: {e}", provenance.describe()),
                provenance,
            )
            .with_excerpt(bytes))
        }
    };
    let text = match object.remove(&options.text_field) {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(Quarantined::new(
                "missing-text",
                format!(
                    "{}: field {:?} is not a string",
                    provenance.describe(),
                    options.text_field
                ),
                provenance,
            )
            .with_excerpt(bytes))
        }
        None => {
            return Err(Quarantined::new(
                "missing-text",
                format!(
                    "{}: no field {:?}; name the text field with --text-field",
                    provenance.describe(),
                    options.text_field
                ),
                provenance,
            )
            .with_excerpt(bytes))
        }
    };
    let id = object
        .remove(&options.id_field)
        .and_then(|v| value_to_id(&v))
        .unwrap_or_else(|| format!("{}:{}", provenance.file, provenance.line.unwrap_or(0)));
    let mut doc = Document::new(id, text, provenance);
    doc.metadata = merge_metadata(object);
    check_text(doc)
}

/// Fields other than text and id become metadata; a nested `metadata` object (datatrove, dolma's
/// `attributes` aside) is merged in, its own keys first.
pub(crate) fn merge_metadata(mut object: Map<String, Value>) -> Map<String, Value> {
    match object.remove("metadata") {
        Some(Value::Object(mut nested)) => {
            for (k, v) in object {
                nested.entry(k).or_insert(v);
            }
            nested
        }
        Some(other) => {
            object.insert("metadata".into(), other);
            object
        }
        None => object,
    }
}

/// Counts compressed bytes read, for progress.
struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn open_stream(file: &InputFile, counter: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let raw = CountingReader {
        inner: File::open(&file.path)?,
        counter,
    };
    Ok(match file.compression {
        Compression::None => Box::new(BufReader::with_capacity(1 << 20, raw)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(BufReader::new(raw)),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            1 << 20,
            zstd::stream::read::Decoder::new(raw)?,
        )),
        Compression::Lz4 => Box::new(BufReader::with_capacity(
            1 << 20,
            Lz4Frames(lz4_flex::frame::FrameDecoder::new(BufReader::new(raw))),
        )),
    })
}

/// LZ4 frames one after another, read as one stream. resiliparse writes a WARC as one frame per
/// record (so a reader can seek to any record); `FrameDecoder` reports the end of each frame as the
/// end of input, so the stream ends only when no bytes are left after a frame.
struct Lz4Frames<R: BufRead>(lz4_flex::frame::FrameDecoder<R>);

impl<R: BufRead> Read for Lz4Frames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.0.read(buf)?;
            if n > 0 || buf.is_empty() || self.0.get_mut().fill_buf()?.is_empty() {
                return Ok(n);
            }
            // An empty frame or the end of one: the next frame follows.
        }
    }
}

/// The quarantine kind of a broken stream: `truncated-stream` (it ends early) or `corrupt-stream`.
pub(super) fn stream_error_kind(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "truncated-stream",
        _ => "corrupt-stream",
    }
}

/// Streams the raw records of all input files, one file after the other.
pub struct RecordStream {
    files: std::vec::IntoIter<InputFile>,
    options: InputOptions,
    current: Option<Box<dyn Iterator<Item = RawRecord> + Send>>,
    bytes_read: Arc<AtomicU64>,
}

impl RecordStream {
    pub fn new(files: Vec<InputFile>, options: InputOptions) -> Self {
        RecordStream {
            files: files.into_iter(),
            options,
            current: None,
            bytes_read: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Compressed bytes read so far (shared counter, for progress).
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    fn open(&self, file: InputFile) -> Box<dyn Iterator<Item = RawRecord> + Send> {
        let counter = self.bytes_read.clone();
        if file.format == Format::Parquet {
            counter.fetch_add(file.size, Ordering::Relaxed);
            return parquet_io::read_rows(&file, &self.options);
        }
        let stream = match open_stream(&file, counter) {
            Ok(stream) => stream,
            Err(e) => {
                return Box::new(std::iter::once(RawRecord::Bad(Box::new(Quarantined::new(
                    "unreadable-file",
                    format!("{}: cannot open: {e}", file.path.display()),
                    Provenance::file(file.name.clone()),
                )))))
            }
        };
        let max = self.options.max_record_bytes;
        match file.format {
            Format::Jsonl => Box::new(JsonLines::new(stream, file.name.clone(), max)),
            Format::Txt => Box::new(std::iter::once(read_text_file(stream, &file, max))),
            Format::Html => Box::new(std::iter::once(match read_text_file(stream, &file, max) {
                RawRecord::Text {
                    bytes,
                    id,
                    provenance,
                } => RawRecord::Html(Box::new(HtmlPage::new(id, bytes, provenance))),
                other => other,
            })),
            Format::Warc => Box::new(super::warc::WarcRecords::new(
                stream,
                file.name.clone(),
                max,
            )),
            Format::Arc => Box::new(super::arc::ArcRecords::new(stream, file.name.clone(), max)),
            // Read above, without a byte stream.
            Format::Parquet => parquet_io::read_rows(&file, &self.options),
        }
    }
}

impl Iterator for RecordStream {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(record) = current.next() {
                    return Some(record);
                }
                self.current = None;
            }
            let file = self.files.next()?;
            self.current = Some(self.open(file));
        }
    }
}

fn read_text_file(mut stream: Box<dyn BufRead + Send>, file: &InputFile, max: usize) -> RawRecord {
    let provenance = Provenance::file(file.name.clone());
    let mut bytes = Vec::new();
    match (&mut stream).take(max as u64 + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() > max => RawRecord::Bad(Box::new(Quarantined::new(
            "record-too-large",
            format!(
                "{}: file is larger than --max-record-bytes {max}; raise the limit to read it",
                file.name
            ),
            provenance,
        ))),
        Ok(_) => RawRecord::Text {
            bytes,
            id: file.name.clone(),
            provenance,
        },
        Err(e) => RawRecord::Bad(Box::new(
            Quarantined::new(
                stream_error_kind(&e),
                format!(
                    "{}: stream broken after {} bytes: {e}",
                    file.name,
                    bytes.len()
                ),
                provenance,
            )
            .with_excerpt(&bytes),
        )),
    }
}

/// JSONL lines with line numbers and byte offsets, bounded line length, and per-line errors.
struct JsonLines {
    stream: Box<dyn BufRead + Send>,
    name: String,
    max: usize,
    line: u64,
    offset: u64,
    done: bool,
}

impl JsonLines {
    fn new(stream: Box<dyn BufRead + Send>, name: String, max: usize) -> Self {
        JsonLines {
            stream,
            name,
            max,
            line: 0,
            offset: 0,
            done: false,
        }
    }

    fn provenance(&self, line: u64, offset: u64) -> Provenance {
        Provenance {
            file: self.name.clone(),
            line: Some(line),
            row: None,
            byte_offset: Some(offset),
        }
    }
}

impl Iterator for JsonLines {
    type Item = RawRecord;

    fn next(&mut self) -> Option<RawRecord> {
        loop {
            if self.done {
                return None;
            }
            let start = self.offset;
            self.line += 1;
            let mut buf: Vec<u8> = Vec::new();
            let mut length: u64 = 0;
            let mut oversized = false;
            let mut ended = false;
            loop {
                let chunk = match self.stream.fill_buf() {
                    Ok(c) => c,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.done = true;
                        let kind = stream_error_kind(&e);
                        let msg = format!(
                            "{}: compressed stream broken at byte {} of the decompressed data (line {}): {e}; \
                             the records before it were read, the rest of the file is lost",
                            self.name,
                            start + length,
                            self.line
                        );
                        return Some(RawRecord::Bad(Box::new(
                            Quarantined::new(kind, msg, self.provenance(self.line, start))
                                .with_excerpt(&buf),
                        )));
                    }
                };
                if chunk.is_empty() {
                    ended = true;
                    break;
                }
                let (take, found) = match memchr::memchr(b'\n', chunk) {
                    Some(p) => (p + 1, true),
                    None => (chunk.len(), false),
                };
                if !oversized {
                    if buf.len() + take > self.max + 1 {
                        oversized = true;
                        buf.truncate(200);
                    } else {
                        buf.extend_from_slice(&chunk[..take]);
                    }
                }
                length += take as u64;
                self.stream.consume(take);
                if found {
                    break;
                }
            }
            self.offset += length;
            if ended {
                self.done = true;
                if length == 0 {
                    return None;
                }
            }
            if oversized {
                return Some(RawRecord::Bad(Box::new(
                    Quarantined::new(
                        "record-too-large",
                        format!(
                            "{}:{}: line of {length} bytes is over --max-record-bytes {}; skipped",
                            self.name, self.line, self.max
                        ),
                        self.provenance(self.line, start),
                    )
                    .with_excerpt(&buf),
                )));
            }
            while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                buf.pop();
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                // Blank lines are not records.
                continue;
            }
            return Some(RawRecord::Json {
                bytes: buf,
                provenance: self.provenance(self.line, start),
            });
        }
    }
}
