//! Output: where judged documents go.
//!
//! `-o -` is JSONL on stdout; `-o FILE.jsonl[.gz|.zst]` or `-o FILE.parquet` one file; any other `-o DIR`
//! a directory of shards `documents-00000.jsonl.zst`, ... (a new shard every `docs_per_shard` kept
//! documents) to which the runner adds `stats.json`. Shard boundaries depend only on the record count,
//! so the same input gives the same files whatever the thread count.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::parquet_io::ParquetSink;
use super::{detect, Compression, Format};
use crate::document::Document;

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    Stdout,
    File {
        path: PathBuf,
        format: Format,
        compression: Compression,
    },
    Dir(PathBuf),
}

impl OutputTarget {
    /// `-` is stdout; a name with a record extension is one file; anything else is a directory.
    pub fn parse(spec: &str) -> io::Result<OutputTarget> {
        if spec == "-" {
            return Ok(OutputTarget::Stdout);
        }
        let path = PathBuf::from(spec);
        if path.is_dir() {
            return Ok(OutputTarget::Dir(path));
        }
        // An existing non-directory without a record extension (`/dev/null`, a named pipe) is a
        // plain JSONL stream.
        if path.exists() && detect(&path).is_none() {
            return Ok(OutputTarget::File {
                path,
                format: Format::Jsonl,
                compression: Compression::None,
            });
        }
        let input_only = |what: &str| {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{spec}: {what} read, not written; write .jsonl[.gz|.zst], .parquet or a directory"),
            ))
        };
        match detect(&path) {
            None => Ok(OutputTarget::Dir(path)),
            Some((_, Compression::Lz4)) => input_only("lz4 streams are"),
            Some((format @ (Format::Jsonl | Format::Parquet), compression)) => {
                Ok(OutputTarget::File {
                    path,
                    format,
                    compression,
                })
            }
            Some((Format::Txt, _)) => input_only("text files are"),
            Some((Format::Html, _)) => input_only("HTML pages are"),
            Some((Format::Warc | Format::Arc, _)) => input_only("crawl archives are"),
        }
    }
}

/// A destination for records.
pub trait Sink: Send {
    /// Write one document; `json` is its record as one JSON line (already serialised by a worker).
    fn write(&mut self, doc: &Document, json: &[u8]) -> io::Result<()>;
    /// Flush and close; files are complete only after this.
    fn finish(&mut self) -> io::Result<()>;
}

enum Stream {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(flate2::write::GzEncoder<BufWriter<File>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<File>>),
}

impl Stream {
    fn create(path: &Path, compression: Compression) -> io::Result<Stream> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let file = File::create(path).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
        })?;
        let buffered = BufWriter::with_capacity(1 << 20, file);
        Ok(match compression {
            Compression::None => {
                Stream::Plain(BufWriter::with_capacity(1 << 20, Box::new(buffered)))
            }
            Compression::Gzip => Stream::Gzip(flate2::write::GzEncoder::new(
                buffered,
                flate2::Compression::new(6),
            )),
            Compression::Zstd => Stream::Zstd(zstd::stream::write::Encoder::new(buffered, 3)?),
            Compression::Lz4 => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{}: lz4 is read, not written; use .gz or .zst",
                        path.display()
                    ),
                ))
            }
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Stream::Plain(w) => w,
            Stream::Gzip(w) => w,
            Stream::Zstd(w) => w,
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Stream::Plain(mut w) => w.flush(),
            Stream::Gzip(w) => w.finish()?.flush(),
            Stream::Zstd(w) => w.finish()?.flush(),
        }
    }
}

/// JSONL to stdout or to one file.
pub struct JsonlSink {
    stream: Option<Stream>,
}

impl JsonlSink {
    pub fn stdout() -> Self {
        JsonlSink {
            stream: Some(Stream::Plain(BufWriter::with_capacity(
                1 << 16,
                Box::new(io::stdout()),
            ))),
        }
    }

    pub fn create(path: &Path, compression: Compression) -> io::Result<Self> {
        Ok(JsonlSink {
            stream: Some(Stream::create(path, compression)?),
        })
    }

    /// Flush buffered bytes (the stream stays open).
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.stream {
            Some(s) => s.writer().flush(),
            None => Ok(()),
        }
    }

    /// Write a raw line (used for quarantine records).
    pub fn write_line(&mut self, json: &[u8]) -> io::Result<()> {
        if let Some(s) = &mut self.stream {
            let w = s.writer();
            w.write_all(json)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl Sink for JsonlSink {
    fn write(&mut self, _doc: &Document, json: &[u8]) -> io::Result<()> {
        self.write_line(json)
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.stream.take() {
            Some(s) => s.finish(),
            None => Ok(()),
        }
    }
}

/// A directory of `documents-NNNNN.jsonl.zst` shards.
pub struct ShardedSink {
    dir: PathBuf,
    prefix: String,
    docs_per_shard: u64,
    in_shard: u64,
    shard: u64,
    stream: Option<Stream>,
    pub files: Vec<PathBuf>,
}

impl ShardedSink {
    pub fn create(dir: &Path, prefix: &str, docs_per_shard: u64) -> io::Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create output directory {}: {e}", dir.display()),
            )
        })?;
        Ok(ShardedSink {
            dir: dir.to_path_buf(),
            prefix: prefix.to_string(),
            docs_per_shard: docs_per_shard.max(1),
            in_shard: 0,
            shard: 0,
            stream: None,
            files: Vec::new(),
        })
    }
}

impl Sink for ShardedSink {
    fn write(&mut self, _doc: &Document, json: &[u8]) -> io::Result<()> {
        if self.stream.is_none() || self.in_shard >= self.docs_per_shard {
            if let Some(s) = self.stream.take() {
                s.finish()?;
                self.shard += 1;
            }
            let path = self
                .dir
                .join(format!("{}-{:05}.jsonl.zst", self.prefix, self.shard));
            self.stream = Some(Stream::create(&path, Compression::Zstd)?);
            self.files.push(path);
            self.in_shard = 0;
        }
        let w = self.stream.as_mut().expect("stream open").writer();
        w.write_all(json)?;
        w.write_all(b"\n")?;
        self.in_shard += 1;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.stream.take() {
            Some(s) => s.finish(),
            None => Ok(()),
        }
    }
}

impl Sink for ParquetSink {
    fn write(&mut self, doc: &Document, _json: &[u8]) -> io::Result<()> {
        let metadata = doc.output_metadata();
        self.push(doc, &metadata)
    }

    fn finish(&mut self) -> io::Result<()> {
        ParquetSink::finish(self)
    }
}

/// Open a sink for a target. For a directory, documents go to `<prefix>-NNNNN.jsonl.zst` shards.
pub fn open_sink(
    target: &OutputTarget,
    prefix: &str,
    docs_per_shard: u64,
) -> io::Result<Box<dyn Sink>> {
    Ok(match target {
        OutputTarget::Stdout => Box::new(JsonlSink::stdout()),
        OutputTarget::File {
            path,
            format: Format::Parquet,
            ..
        } => Box::new(ParquetSink::create(path)?),
        OutputTarget::File {
            path, compression, ..
        } => Box::new(JsonlSink::create(path, *compression)?),
        OutputTarget::Dir(dir) => Box::new(ShardedSink::create(dir, prefix, docs_per_shard)?),
    })
}
