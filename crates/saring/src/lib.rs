//! saring: a refinery for pretraining text.
//!
//! Raw crawled documents go in; clean, explained, metadata-rich records come out. The crate is organised
//! by what a new engineer looks for:
//!
//! - [`document`]: the record model (`id`, `text`, `metadata`, provenance, per-line judgements).
//! - [`stage`]: the stage interface (a batch of documents in, the same batch judged).
//! - [`rules`]: per-language rule files (`rules/*.toml`), compiled.
//! - [`clean`]: the line cleaner, where each line of a page is judged (start at `clean/mod.rs`).
//! - [`lang`]: language identification (fastText lid176, then Indonesian / Malay / local languages).
//! - [`quality`]: quality judgements: datatrove's Gopher, C4 and FineWeb filters with FineWeb-2's
//!   per-language thresholds, and Indonesian gambling spam, adult content and spun text, line by line.
//! - [`extract`]: HTML to main text and page metadata (charset, parser, content decision).
//! - [`dedup`]: exact, repeated-line and MinHash-LSH deduplication across a corpus (two passes).
//! - [`io`]: readers (txt, JSONL plain/gz/zst, Parquet) and writers (JSONL, shards, Parquet).
//! - [`run`]: the streaming runner: bounded memory, all cores, deterministic output, full accounting.

pub mod clean;
pub mod dedup;
pub mod document;
pub mod extract;
pub mod io;
pub mod lang;
pub mod quality;
pub mod rules;
pub mod run;
pub mod stage;
pub mod word_list;
pub mod word_map;

#[cfg(test)]
mod test_rng;

pub use document::{Document, LineJudgement, Outcome, Provenance, Quarantined, Verdict};
pub use stage::{Pipeline, Stage};
