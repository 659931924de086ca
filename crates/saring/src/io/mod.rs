//! Readers and writers.
//!
//! Inputs are `.txt` and `.html` files (one document each; a directory is read recursively and the id is
//! the path relative to the directory; HTML goes through [`crate::extract`]), WARC/WET and ARC crawl
//! archives, JSONL with configurable text and id fields, and Parquet. Streams may be plain, `.gz`,
//! `.zst` or `.lz4` (LZ4 frames, as resiliparse writes WARCs; read only). Outputs are JSONL (stdout, one file, or a directory of zstd shards plus `stats.json`) and
//! Parquet. Records follow datatrove and dolma: `{"id", "text", "metadata"}`.
//!
//! Reading is split in two so that the expensive half runs on all cores: [`input`] streams raw records
//! (bytes of a JSON line, bytes of a text file, decoded Parquet rows) from one reader thread, and
//! [`RawRecord::into_document`](input::RawRecord::into_document) turns them into documents inside the
//! worker pool. Anything that cannot become a document becomes a [`Quarantined`](crate::Quarantined)
//! record naming the file and the line or byte offset.

pub mod arc;
pub mod input;
pub mod output;
mod parquet_io;
pub mod warc;

use std::path::Path;

/// Record format of an input or output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One document per file.
    Txt,
    /// One JSON object per line.
    Jsonl,
    Parquet,
    /// WARC or WET records (`.warc`, `.warc.gz`, `.wet`, `.warc.wet.gz`).
    Warc,
    /// One HTML page per file (`.html`, `.htm`, `.html.gz`); its main content is extracted.
    Html,
    /// Internet Archive ARC files (`.arc`, `.arc.gz`), version 1 or 2.
    Arc,
}

/// Stream compression, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
    /// LZ4 frames, one after another (read only).
    Lz4,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Txt),
            "jsonl" | "json" | "ndjson" => Some(Format::Jsonl),
            "parquet" | "pq" => Some(Format::Parquet),
            "warc" | "wet" => Some(Format::Warc),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "arc" => Some(Format::Arc),
            _ => None,
        }
    }
}

/// Format and compression from a file name: `a.jsonl.zst` → (Jsonl, Zstd). `None` when unknown.
pub fn detect(path: &Path) -> Option<(Format, Compression)> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let (stem, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s.to_string(), Compression::Gzip)
    } else if let Some(s) = name
        .strip_suffix(".zst")
        .or_else(|| name.strip_suffix(".zstd"))
    {
        (s.to_string(), Compression::Zstd)
    } else if let Some(s) = name.strip_suffix(".lz4") {
        (s.to_string(), Compression::Lz4)
    } else {
        (name.clone(), Compression::None)
    };
    let ext = stem.rsplit_once('.').map(|(_, e)| e)?;
    let format = Format::parse(ext)?;
    if format == Format::Parquet && compression != Compression::None {
        return None;
    }
    Some((format, compression))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            detect(Path::new("a/b.jsonl.zst")),
            Some((Format::Jsonl, Compression::Zstd))
        );
        assert_eq!(
            detect(Path::new("b.JSONL.gz")),
            Some((Format::Jsonl, Compression::Gzip))
        );
        assert_eq!(
            detect(Path::new("page.txt")),
            Some((Format::Txt, Compression::None))
        );
        assert_eq!(
            detect(Path::new("x.parquet")),
            Some((Format::Parquet, Compression::None))
        );
        assert_eq!(
            detect(Path::new("page.HTML.gz")),
            Some((Format::Html, Compression::Gzip))
        );
        assert_eq!(
            detect(Path::new("warcfile.warc.lz4")),
            Some((Format::Warc, Compression::Lz4))
        );
        assert_eq!(
            detect(Path::new("IA-001.ARC.gz")),
            Some((Format::Arc, Compression::Gzip))
        );
        assert_eq!(detect(Path::new("x.bin")), None);
        assert_eq!(detect(Path::new("README")), None);
    }

    #[test]
    fn output_targets() {
        use output::OutputTarget;
        assert_eq!(OutputTarget::parse("-").unwrap(), OutputTarget::Stdout);
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("pipe");
        std::fs::write(&existing, b"").unwrap();
        let target = OutputTarget::parse(existing.to_str().unwrap()).unwrap();
        assert!(
            matches!(
                target,
                OutputTarget::File {
                    format: Format::Jsonl,
                    ..
                }
            ),
            "{target:?}"
        );
        let shards = dir.path().join("out");
        assert_eq!(
            OutputTarget::parse(shards.to_str().unwrap()).unwrap(),
            OutputTarget::Dir(shards)
        );
        for input_only in ["x.txt", "x.warc.gz", "x.arc", "x.html", "x.jsonl.lz4"] {
            assert!(
                OutputTarget::parse(input_only).is_err(),
                "{input_only} is not an output format"
            );
        }
    }
}
