//! The streaming runner: read, judge on all cores, write in input order, account for every record.
//!
//! Three stages connected by bounded channels, so memory is bounded by a few batches whatever the
//! corpus size:
//!
//! ```text
//! reader thread ──batches──▶ judging (rayon pool: parse, stages, serialise) ──▶ writer thread
//! ```
//!
//! Batches carry a sequence number and are judged one after another (each batch in parallel inside), so
//! the writer sees records in input order: the output bytes do not depend on the thread count. The
//! writer counts every outcome; at the end `read == kept + dropped + quarantined` is checked, and a
//! mismatch is an error, never a silent loss.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::document::{Document, Quarantined, Verdict};
use crate::io::input::{InputOptions, RawRecord, RecordStream};
use crate::io::output::Sink;
use crate::stage::Pipeline;

/// Counters shared with a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    pub records: AtomicU64,
    pub input_bytes: AtomicU64,
}

/// Runner options.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub threads: usize,
    /// A batch closes at this many records ...
    pub batch_records: usize,
    /// ... or this many bytes of raw input, whichever comes first.
    pub batch_bytes: usize,
    /// Batches in flight between reader, judge and writer.
    pub queue: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 0,
            batch_records: 1024,
            batch_bytes: 16 << 20,
            queue: 2,
        }
    }
}

/// The accounting of a run, written as `stats.json`. Deterministic: no timings.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Stats {
    pub read: u64,
    pub kept: u64,
    pub dropped: u64,
    pub quarantined: u64,
    /// Documents dropped, by reason.
    pub drop_reasons: BTreeMap<String, u64>,
    /// Quarantined records, by kind.
    pub quarantine_kinds: BTreeMap<String, u64>,
    /// Lines removed from kept and dropped documents, by reason (`metadata:<field>` for lifted lines).
    pub removed_lines: BTreeMap<String, u64>,
    /// Characters of text in and out (kept documents only for `chars_out`).
    pub chars_in: u64,
    pub chars_out: u64,
    /// Input files skipped because their format was unknown.
    pub skipped_files: Vec<String>,
    pub stages: Vec<String>,
    /// Planning figures of a dedup run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup: Option<serde_json::Value>,
}

impl Stats {
    /// `read == kept + dropped + quarantined`.
    pub fn balanced(&self) -> bool {
        self.read == self.kept + self.dropped + self.quarantined
    }
}

/// Receives each quarantined record, in input order.
pub type QuarantineSink = Box<dyn FnMut(&Quarantined) -> std::io::Result<()> + Send>;

/// Where the three kinds of record go. `rejected` and `quarantine` are optional: without them the
/// records are only counted (the CLI also reports quarantined errors on stderr).
pub struct Sinks {
    pub kept: Box<dyn Sink>,
    pub rejected: Option<Box<dyn Sink>>,
    pub quarantine: Option<QuarantineSink>,
}

struct RawBatch {
    records: Vec<RawRecord>,
}

/// A judged document with its record already serialised as a JSON line, or a quarantined record.
type JudgedRecord = Result<(Document, Vec<u8>), Box<Quarantined>>;

struct JudgedBatch {
    docs: Vec<JudgedRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("accounting does not balance: read {read} != kept {kept} + dropped {dropped} + quarantined {quarantined}; this is a bug in saring, please report it")]
    Unbalanced {
        read: u64,
        kept: u64,
        dropped: u64,
        quarantined: u64,
    },
}

/// Run the pipeline over a record stream.
pub fn run(
    stream: RecordStream,
    input: &InputOptions,
    pipeline: &Pipeline,
    mut sinks: Sinks,
    options: &RunOptions,
    progress: Arc<Progress>,
) -> Result<Stats, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .thread_name(|i| format!("saring-worker-{i}"))
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let (raw_tx, raw_rx) = crossbeam_channel::bounded::<RawBatch>(options.queue);
    let (out_tx, out_rx) = crossbeam_channel::bounded::<JudgedBatch>(options.queue);
    let bytes_counter = stream.bytes_read();
    let read_count = Arc::new(AtomicU64::new(0));
    let want_rejected_json = sinks.rejected.is_some();

    std::thread::scope(|scope| {
        // Reader.
        let read_count_reader = read_count.clone();
        let batch_records = options.batch_records.max(1);
        let batch_bytes = options.batch_bytes.max(1);
        scope.spawn(move || {
            let mut records = Vec::with_capacity(batch_records);
            let mut bytes = 0usize;
            for record in stream {
                bytes += record.size();
                records.push(record);
                read_count_reader.fetch_add(1, Ordering::Relaxed);
                if records.len() >= batch_records || bytes >= batch_bytes {
                    if raw_tx
                        .send(RawBatch {
                            records: std::mem::take(&mut records),
                        })
                        .is_err()
                    {
                        return;
                    }
                    bytes = 0;
                }
            }
            if !records.is_empty() {
                let _ = raw_tx.send(RawBatch { records });
            }
        });

        // Writer.
        let writer = scope.spawn(move || -> Result<Stats, std::io::Error> {
            let mut stats = Stats::default();
            for batch in out_rx {
                for item in batch.docs {
                    stats.read += 1;
                    match item {
                        Err(q) => {
                            stats.quarantined += 1;
                            *stats.quarantine_kinds.entry(q.kind.clone()).or_default() += 1;
                            if let Some(sink) = &mut sinks.quarantine {
                                sink(&q)?;
                            }
                        }
                        Ok((doc, json)) => {
                            for j in &doc.lines {
                                let key = match j.verdict {
                                    Verdict::Keep => continue,
                                    Verdict::Drop => j.reason.clone().unwrap_or_default(),
                                    Verdict::Metadata => {
                                        format!("metadata:{}", j.field.as_deref().unwrap_or(""))
                                    }
                                };
                                *stats.removed_lines.entry(key).or_default() += 1;
                            }
                            if doc.is_kept() {
                                stats.kept += 1;
                                stats.chars_out += doc.text.chars().count() as u64;
                                sinks.kept.write(&doc, &json)?;
                            } else {
                                stats.dropped += 1;
                                let reason = doc.drop_reason().unwrap_or("unknown").to_string();
                                *stats.drop_reasons.entry(reason).or_default() += 1;
                                if let Some(sink) = &mut sinks.rejected {
                                    sink.write(&doc, &json)?;
                                }
                            }
                        }
                    }
                }
            }
            sinks.kept.finish()?;
            if let Some(sink) = &mut sinks.rejected {
                sink.finish()?;
            }
            Ok(stats)
        });

        // Judge, batch after batch, each batch on all workers.
        let chars_in = AtomicU64::new(0);
        let mut seq = 0u64;
        for batch in raw_rx {
            let n = batch.records.len() as u64;
            let judged = pool.install(|| {
                let first = seq;
                let mut parsed: Vec<Result<Document, Box<Quarantined>>> = batch
                    .records
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        r.into_document(input).map(|mut d| {
                            d.seq = first + i as u64;
                            d
                        })
                    })
                    .collect();
                for d in parsed.iter().flatten() {
                    chars_in.fetch_add(d.text.chars().count() as u64, Ordering::Relaxed);
                }
                let mut docs: Vec<Document> = Vec::new();
                let mut slots: Vec<Option<Box<Quarantined>>> = Vec::with_capacity(parsed.len());
                for item in parsed.drain(..) {
                    match item {
                        Ok(d) => {
                            docs.push(d);
                            slots.push(None);
                        }
                        Err(q) => slots.push(Some(q)),
                    }
                }
                pipeline.process_batch(&mut docs);
                let mut serialized: Vec<(Document, Vec<u8>)> = docs
                    .into_par_iter()
                    .map(|d| {
                        let json = if d.is_kept() || want_rejected_json {
                            d.to_json_line()
                        } else {
                            Vec::new()
                        };
                        (d, json)
                    })
                    .collect::<Vec<_>>();
                serialized.reverse();
                slots
                    .into_iter()
                    .map(|slot| match slot {
                        Some(q) => Err(q),
                        None => Ok(serialized.pop().expect("one document per slot")),
                    })
                    .collect::<Vec<_>>()
            });
            seq += n;
            progress.records.fetch_add(n, Ordering::Relaxed);
            progress
                .input_bytes
                .store(bytes_counter.load(Ordering::Relaxed), Ordering::Relaxed);
            if out_tx.send(JudgedBatch { docs: judged }).is_err() {
                break;
            }
        }
        drop(out_tx);
        let mut stats = writer.join().expect("writer thread does not panic")?;
        stats.chars_in = chars_in.load(Ordering::Relaxed);
        stats.stages = pipeline.names().iter().map(|s| s.to_string()).collect();
        let read = read_count.load(Ordering::Relaxed);
        if read != stats.read || !stats.balanced() {
            return Err(RunError::Unbalanced {
                read,
                kept: stats.kept,
                dropped: stats.dropped,
                quarantined: stats.quarantined,
            });
        }
        Ok(stats)
    })
}
