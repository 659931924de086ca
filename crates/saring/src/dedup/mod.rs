//! Deduplication across a corpus: exact documents, repeated site furniture, MinHash-LSH near duplicates.
//!
//! Dedup needs the whole corpus before it can judge one document, so it runs in two passes over the
//! same input, both through the ordinary streaming runner (same readers, accounting and progress):
//!
//! 1. **Scan** ([`DedupScan`]): per document, a 128-bit hash of the normalised text, the MinHash band
//!    keys, and a hash per normalised line (keyed by the document's group and globally). These go to
//!    [`sorter::ExternalSorter`]s that stay within `--memory` and spill sorted runs to disk.
//! 2. **Plan** ([`DedupPlan::build`]): equal text hashes and equal band keys unite documents in a
//!    [`unionfind::UnionFind`]; each component keeps one survivor, chosen by content, not position: the
//!    longest text, then the smallest hash of its id. A line is *repeated* when it occurs in at least
//!    `line_min_docs_in_group` clusters of one group (registered domain of `metadata.url`, else
//!    `--group-field`, else the input file's folder) or `line_min_docs_global` clusters overall.
//!    Counting clusters rather than documents is deliberate: ten syndicated copies of one article are
//!    one cluster, so near-dedup keeps one copy whole instead of line dedup stripping all ten.
//! 3. **Apply** ([`DedupApply`]): duplicates are dropped (`exact-duplicate` / `near-duplicate`, with
//!    `metadata.duplicate_of`), survivors of clusters carry `dup_cluster_id` and `dup_cluster_size`
//!    (as FineWeb-2 does, for rehydration), and repeated lines leave every document with reason
//!    `repeated-line`.
//!
//! Nothing depends on input order or thread count: components, survivors and line counts are functions
//! of the set of documents.
//!
//! Memory: the sorted indexes (14 band entries per document, two entries per distinct line, one
//! exact-hash entry; 24 bytes each) are what grows with the corpus, and they are held to `--memory`.
//! Outside the budget are about 70 bytes per document for the cluster tables (rank, union-find, fate),
//! the sets of repeated-line keys, and, with `--verify-jaccard`, the shingle sets of the documents in
//! candidate pairs (8 bytes per distinct shingle); plan for those on top of `--memory`.

pub mod minhash;
pub mod normalize;
pub mod sorter;
pub mod unionfind;

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, xxh3_64_with_seed};

use crate::document::Document;
use crate::stage::Stage;
use minhash::{MinHashConfig, MinHasher};
use normalize::{simplify, simplify_into};
use sorter::{Entry, ExternalSorter};
use unionfind::UnionFind;

/// Reason codes of the dedup stages.
pub mod reasons {
    pub const EXACT_DUPLICATE: &str = "exact-duplicate";
    pub const NEAR_DUPLICATE: &str = "near-duplicate";
    pub const REPEATED_LINE: &str = "repeated-line";
    pub const ONLY_REPEATED_LINES: &str = "only-repeated-lines";
}

/// What to deduplicate, and with which thresholds.
#[derive(Debug, Clone)]
pub struct DedupConfig {
    pub exact: bool,
    pub near: bool,
    pub lines: bool,
    pub minhash: MinHashConfig,
    /// A line in at least this many clusters of one group (site) is furniture.
    pub line_min_docs_in_group: u32,
    /// A line in at least this many clusters of the whole corpus is boilerplate.
    pub line_min_docs_global: u32,
    /// Lines with fewer normalised characters are not counted globally (`0`, `ok`): only per site.
    pub line_min_chars_global: usize,
    /// Metadata field naming the group of a document (default: the registered domain of `url`).
    pub group_field: Option<String>,
    /// Memory for the sorters, in bytes; beyond it they spill to `spill_dir`.
    pub memory_bytes: usize,
    pub spill_dir: PathBuf,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            exact: true,
            near: true,
            lines: true,
            minhash: MinHashConfig::default(),
            line_min_docs_in_group: 3,
            line_min_docs_global: 100,
            line_min_chars_global: 20,
            group_field: None,
            memory_bytes: 1 << 30,
            spill_dir: std::env::temp_dir(),
        }
    }
}

/// Second-level labels under which registrations happen (`detik.co.id`, `bbc.co.uk`).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "ac", "go", "or", "net", "org", "gov", "edu", "sch", "web", "my", "mil", "ne",
    "gob", "nic",
];

/// The registered domain of a URL, approximately (no public-suffix list): `https://www.kompas.com/x`
/// → `kompas.com`, `news.detik.co.id` → `detik.co.id`.
pub fn registered_domain(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() <= 2 || labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit())) {
        return Some(host);
    }
    let n = labels.len();
    let take = if labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    Some(labels[n - take..].join("."))
}

fn group_of(doc: &Document, config: &DedupConfig) -> String {
    if let Some(field) = &config.group_field {
        if let Some(v) = doc.metadata.get(field) {
            return match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
        }
    }
    if let Some(domain) = doc
        .metadata
        .get("url")
        .and_then(|u| u.as_str())
        .and_then(registered_domain)
    {
        return domain;
    }
    // The input file's folder: pages of one site usually sit together.
    match doc.provenance.file.rsplit_once('/') {
        Some((dir, _)) => format!("file:{dir}"),
        None => "file:".to_string(),
    }
}

/// The normalised, non-empty lines of a text with their 1-based numbers.
fn normalised_lines(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    text.split('\n').enumerate().filter_map(|(i, l)| {
        let s = simplify(l);
        (!s.is_empty()).then_some((i + 1, s))
    })
}

/// A document's normalised text: its non-empty normalised lines joined by spaces. `each_line` sees
/// each of those lines as it is written (the repeated-line keys), so no line gets its own string.
fn simplified_text(text: &str, mut each_line: impl FnMut(&str)) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        let before = out.len();
        simplify_into(line, &mut out);
        if out.len() > before {
            // Skip the joining space, if one went in.
            let begin = if before == 0 { 0 } else { before + 1 };
            each_line(&out[begin..]);
        }
    }
    out
}

fn line_keys(group_hash: u64, simplified: &str, config: &DedupConfig) -> (u64, Option<u64>) {
    let h = xxh3_64(simplified.as_bytes());
    let in_group = xxh3_64_with_seed(&h.to_le_bytes(), group_hash);
    let global = (simplified.chars().count() >= config.line_min_chars_global).then_some(h);
    (in_group, global)
}

/// What decides the survivor of a cluster: more text wins, then the smaller id hash, then the text hash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Rank {
    present: bool,
    chars: u32,
    id_hash: u64,
    exact: u128,
}

impl Rank {
    /// Sort key, smallest first is best.
    fn key(&self, seq: u32) -> (bool, std::cmp::Reverse<u32>, u64, u128, u32) {
        (
            !self.present,
            std::cmp::Reverse(self.chars),
            self.id_hash,
            self.exact,
            seq,
        )
    }
}

/// Per-document fingerprint computed in pass 1.
struct Fingerprint {
    seq: u32,
    rank: Rank,
    bands: Vec<u64>,
    lines: Vec<(u64, Option<u64>)>,
}

const KIND_GROUP_LINE: u64 = 1;
const KIND_GLOBAL_LINE: u64 = 2;

struct ScanState {
    ranks: Vec<Rank>,
    exact: ExternalSorter,
    bands: ExternalSorter,
    lines: ExternalSorter,
    ids: BufWriter<File>,
    error: Option<io::Error>,
}

/// Pass 1: fingerprints every document. It judges nothing (every document stays kept).
pub struct DedupScan {
    config: DedupConfig,
    hasher: MinHasher,
    state: Mutex<Option<ScanState>>,
}

impl DedupScan {
    pub fn new(config: DedupConfig) -> io::Result<Self> {
        std::fs::create_dir_all(&config.spill_dir)?;
        // The budget is shared: band entries are the most numerous (14 per document), then lines.
        let m = config.memory_bytes;
        let state = ScanState {
            ranks: Vec::new(),
            exact: ExternalSorter::new(m / 10, &config.spill_dir),
            bands: ExternalSorter::new(m / 2, &config.spill_dir),
            lines: ExternalSorter::new(m * 2 / 5, &config.spill_dir),
            ids: BufWriter::new(tempfile::tempfile_in(&config.spill_dir)?),
            error: None,
        };
        Ok(DedupScan {
            hasher: MinHasher::new(config.minhash),
            config,
            state: Mutex::new(Some(state)),
        })
    }

    fn fingerprint(&self, doc: &Document) -> Fingerprint {
        // Each line is normalised once; the document's normalised text is its lines joined.
        let mut lines = Vec::new();
        let simplified = if self.config.lines {
            let group_hash = xxh3_64(group_of(doc, &self.config).as_bytes());
            let text = simplified_text(&doc.text, |line| {
                lines.push(line_keys(group_hash, line, &self.config))
            });
            lines.sort_unstable();
            lines.dedup();
            text
        } else {
            simplified_text(&doc.text, |_| {})
        };
        let exact = xxh3_128(simplified.as_bytes());
        let rank = Rank {
            present: true,
            chars: simplified.chars().count().min(u32::MAX as usize) as u32,
            id_hash: xxh3_64(doc.id.as_bytes()),
            exact,
        };
        let bands = if self.config.near {
            self.hasher.band_keys(
                &self
                    .hasher
                    .signature(&self.hasher.shingle_hashes(&simplified)),
            )
        } else {
            Vec::new()
        };
        Fingerprint {
            seq: doc.seq.min(u32::MAX as u64) as u32,
            rank,
            bands,
            lines,
        }
    }

    fn record(state: &mut ScanState, fp: Fingerprint, id: &str) -> io::Result<()> {
        let seq = fp.seq as usize;
        if state.ranks.len() <= seq {
            state.ranks.resize(seq + 1, Rank::default());
        }
        state.ranks[seq] = fp.rank;
        let (hi, lo) = ((fp.rank.exact >> 64) as u64, fp.rank.exact as u64);
        state.exact.push(Entry {
            key: hi,
            aux: lo,
            doc: fp.seq,
        })?;
        for key in fp.bands {
            state.bands.push(Entry {
                key,
                aux: 0,
                doc: fp.seq,
            })?;
        }
        for (group, global) in fp.lines {
            state.lines.push(Entry {
                key: group,
                aux: KIND_GROUP_LINE,
                doc: fp.seq,
            })?;
            if let Some(g) = global {
                state.lines.push(Entry {
                    key: g,
                    aux: KIND_GLOBAL_LINE,
                    doc: fp.seq,
                })?;
            }
        }
        writeln!(
            state.ids,
            "{}\t{}",
            fp.seq,
            serde_json::to_string(id).expect("a string serialises")
        )
    }

    fn take_state(self) -> io::Result<(ScanState, DedupConfig)> {
        let state = self
            .state
            .into_inner()
            .expect("scan lock not poisoned")
            .expect("plan built once");
        match state.error {
            Some(e) => Err(e),
            None => Ok((
                ScanState {
                    error: None,
                    ..state
                },
                self.config,
            )),
        }
    }

    /// Finish pass 1 and compute the plan (band collisions are trusted, as in datatrove).
    pub fn into_plan(self) -> io::Result<DedupPlan> {
        let (state, config) = self.take_state()?;
        DedupPlan::build(state, &config, None)
    }

    /// Finish pass 1 with the candidate pairs of the LSH bands, to be verified by true Jaccard
    /// similarity in an extra pass ([`Candidates::collector`]) before planning.
    pub fn into_candidates(self) -> io::Result<Candidates> {
        let (mut state, config) = self.take_state()?;
        let bands = std::mem::replace(&mut state.bands, ExternalSorter::new(0, &config.spill_dir));
        // Within a bucket, pair each document with the first and with its predecessor: linear in the
        // bucket size, and a dissimilar first document cannot cut the others apart.
        let mut edges = Vec::new();
        let (mut first, mut prev): (Option<Entry>, Option<Entry>) = (None, None);
        for e in bands.finish()? {
            let e = e?;
            match (first, prev) {
                (Some(f), Some(p)) if f.key == e.key => {
                    edges.push((f.doc.min(e.doc), f.doc.max(e.doc)));
                    edges.push((p.doc.min(e.doc), p.doc.max(e.doc)));
                }
                _ => first = Some(e),
            }
            prev = Some(e);
        }
        edges.sort_unstable();
        edges.dedup();
        edges.retain(|(a, b)| a != b);
        Ok(Candidates {
            state,
            config,
            edges,
            rejected: 0,
        })
    }
}

/// Candidate pairs from the LSH bands, awaiting verification.
pub struct Candidates {
    state: ScanState,
    config: DedupConfig,
    edges: Vec<(u32, u32)>,
    rejected: u64,
}

impl Candidates {
    pub fn pairs(&self) -> usize {
        self.edges.len()
    }

    /// A stage that collects the shingle sets of the documents in candidate pairs (run it over the
    /// same input).
    pub fn collector(&self) -> ShingleCollector {
        let wanted = self.edges.iter().flat_map(|&(a, b)| [a, b]).collect();
        ShingleCollector {
            wanted,
            hasher: MinHasher::new(self.config.minhash),
            found: Mutex::new(FxHashMap::default()),
        }
    }

    /// Keep the pairs whose true Jaccard similarity of shingle sets is at least `threshold`.
    pub fn verify(&mut self, collector: ShingleCollector, threshold: f64) {
        let shingles = collector
            .found
            .into_inner()
            .expect("collector lock not poisoned");
        let before = self.edges.len();
        self.edges
            .retain(|(a, b)| match (shingles.get(a), shingles.get(b)) {
                (Some(x), Some(y)) => minhash::jaccard(x, y) >= threshold,
                _ => false,
            });
        self.rejected = (before - self.edges.len()) as u64;
    }

    pub fn into_plan(self) -> io::Result<DedupPlan> {
        let candidate_pairs = self.edges.len() as u64 + self.rejected;
        let rejected = self.rejected;
        let mut plan = DedupPlan::build(self.state, &self.config, Some(self.edges))?;
        plan.stats.candidate_pairs = candidate_pairs;
        plan.stats.pairs_rejected_by_verification = rejected;
        Ok(plan)
    }
}

/// Collects shingle sets of wanted documents (the verification pass).
pub struct ShingleCollector {
    wanted: FxHashSet<u32>,
    hasher: MinHasher,
    found: Mutex<FxHashMap<u32, Vec<u64>>>,
}

impl Stage for ShingleCollector {
    fn name(&self) -> &str {
        "dedup-verify"
    }

    fn process(&self, doc: &mut Document) {
        let seq = doc.seq as u32;
        if self.wanted.contains(&seq) {
            let shingles = self.hasher.shingles(&simplified_text(&doc.text, |_| {}));
            self.found
                .lock()
                .expect("collector lock not poisoned")
                .insert(seq, shingles);
        }
    }
}

impl Stage for DedupScan {
    fn name(&self) -> &str {
        "dedup-scan"
    }

    fn process(&self, doc: &mut Document) {
        let fp = self.fingerprint(doc);
        let mut guard = self.state.lock().expect("scan lock not poisoned");
        if let Some(state) = guard.as_mut() {
            if let Err(e) = Self::record(state, fp, &doc.id) {
                state.error.get_or_insert(e);
            }
        }
    }

    fn process_batch(&self, docs: &mut [Document]) {
        // Fingerprints in parallel, recorded in input order.
        let fps: Vec<(Fingerprint, &str)> = docs
            .par_iter()
            .filter(|d| d.is_kept())
            .map(|d| (self.fingerprint(d), d.id.as_str()))
            .collect();
        let mut guard = self.state.lock().expect("scan lock not poisoned");
        if let Some(state) = guard.as_mut() {
            for (fp, id) in fps {
                if let Err(e) = Self::record(state, fp, id) {
                    state.error.get_or_insert(e);
                }
            }
        }
    }
}

/// What becomes of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Not in any cluster.
    Single,
    /// The survivor of a cluster of `size`.
    Survivor { size: u32 },
    /// A duplicate of `survivor`.
    Duplicate {
        survivor: u32,
        size: u32,
        exact: bool,
    },
}

/// Counts from planning, reported in `stats.json`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct PlanStats {
    pub documents: u64,
    pub clusters: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
    pub repeated_lines_in_group: u64,
    pub repeated_lines_global: u64,
    pub spilled_entries: u64,
    pub spill_runs: u64,
    /// With verification: LSH candidate pairs, and those whose true Jaccard was below the threshold.
    pub candidate_pairs: u64,
    pub pairs_rejected_by_verification: u64,
}

/// The decisions of pass 1, applied in pass 2.
pub struct DedupPlan {
    fates: Vec<Fate>,
    survivor_ids: FxHashMap<u32, String>,
    repeated_in_group: FxHashSet<u64>,
    repeated_global: FxHashSet<u64>,
    config: DedupConfig,
    pub stats: PlanStats,
}

impl DedupPlan {
    fn build(
        state: ScanState,
        config: &DedupConfig,
        edges: Option<Vec<(u32, u32)>>,
    ) -> io::Result<DedupPlan> {
        let ScanState {
            ranks,
            exact,
            bands,
            lines,
            ids,
            ..
        } = state;
        let n = ranks.len();
        let mut stats = PlanStats {
            documents: ranks.iter().filter(|r| r.present).count() as u64,
            spilled_entries: exact.spilled_entries + bands.spilled_entries + lines.spilled_entries,
            spill_runs: (exact.runs() + bands.runs() + lines.runs()) as u64,
            ..PlanStats::default()
        };
        let mut uf = UnionFind::new(n);
        // Equal keys are adjacent in sorted order: unite each with the first of its run.
        let unite_runs = |sorted: sorter::SortedEntries, uf: &mut UnionFind| -> io::Result<()> {
            let mut prev: Option<Entry> = None;
            for e in sorted {
                let e = e?;
                match prev {
                    Some(p) if p.key == e.key && p.aux == e.aux => uf.union(p.doc, e.doc),
                    _ => prev = Some(e),
                }
            }
            Ok(())
        };
        if config.exact {
            unite_runs(exact.finish()?, &mut uf)?;
        }
        if config.near {
            match edges {
                Some(edges) => {
                    for (a, b) in edges {
                        uf.union(a, b);
                    }
                }
                None => unite_runs(bands.finish()?, &mut uf)?,
            }
        }

        // The survivor of each component: the best rank.
        let mut best: Vec<u32> = (0..n as u32).collect();
        for seq in 0..n as u32 {
            let root = uf.find(seq);
            let current = best[root as usize];
            if ranks[seq as usize].key(seq) < ranks[current as usize].key(current) {
                best[root as usize] = seq;
            }
        }
        let mut fates = vec![Fate::Single; n];
        let mut survivors = FxHashSet::default();
        for seq in 0..n as u32 {
            if !ranks[seq as usize].present {
                continue;
            }
            let root = uf.find(seq);
            let size = uf.component_size(seq);
            if size <= 1 {
                continue;
            }
            let survivor = best[root as usize];
            if survivor == seq {
                fates[seq as usize] = Fate::Survivor { size };
                survivors.insert(seq);
                stats.clusters += 1;
            } else {
                let exact = ranks[seq as usize].exact == ranks[survivor as usize].exact;
                if exact {
                    stats.exact_duplicates += 1;
                } else {
                    stats.near_duplicates += 1;
                }
                fates[seq as usize] = Fate::Duplicate {
                    survivor,
                    size,
                    exact,
                };
            }
        }

        // Repeated lines: count distinct clusters per key.
        let mut repeated_in_group = FxHashSet::default();
        let mut repeated_global = FxHashSet::default();
        if config.lines {
            let mut current: Option<(u64, u64)> = None;
            let mut roots: Vec<u32> = Vec::new();
            let mut close = |key: (u64, u64), roots: &mut Vec<u32>| {
                roots.sort_unstable();
                roots.dedup();
                let clusters = roots.len() as u32;
                if key.1 == KIND_GROUP_LINE && clusters >= config.line_min_docs_in_group {
                    repeated_in_group.insert(key.0);
                } else if key.1 == KIND_GLOBAL_LINE && clusters >= config.line_min_docs_global {
                    repeated_global.insert(key.0);
                }
                roots.clear();
            };
            for e in lines.finish()? {
                let e = e?;
                let key = (e.key, e.aux);
                if current.is_some_and(|c| c != key) {
                    close(current.expect("checked"), &mut roots);
                }
                current = Some(key);
                roots.push(uf.find(e.doc));
            }
            if let Some(key) = current {
                close(key, &mut roots);
            }
            stats.repeated_lines_in_group = repeated_in_group.len() as u64;
            stats.repeated_lines_global = repeated_global.len() as u64;
        }

        // Ids of survivors, for `duplicate_of` and `dup_cluster_id`.
        let mut survivor_ids = FxHashMap::default();
        let mut file = ids.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        for line in BufReader::new(file).lines() {
            let line = line?;
            let Some((seq, id)) = line.split_once('\t') else {
                continue;
            };
            let Ok(seq) = seq.parse::<u32>() else {
                continue;
            };
            if survivors.contains(&seq) {
                let id: String = serde_json::from_str(id).map_err(io::Error::other)?;
                survivor_ids.insert(seq, id);
            }
        }
        Ok(DedupPlan {
            fates,
            survivor_ids,
            repeated_in_group,
            repeated_global,
            config: config.clone(),
            stats,
        })
    }
}

/// Pass 2: applies a plan.
pub struct DedupApply {
    plan: Arc<DedupPlan>,
}

impl DedupApply {
    pub fn new(plan: Arc<DedupPlan>) -> Self {
        DedupApply { plan }
    }
}

impl Stage for DedupApply {
    fn name(&self) -> &str {
        "dedup"
    }

    fn process(&self, doc: &mut Document) {
        let plan = &self.plan;
        let seq = doc.seq as usize;
        match plan.fates.get(seq).copied().unwrap_or(Fate::Single) {
            Fate::Single => {}
            Fate::Survivor { size } => {
                let id = plan
                    .survivor_ids
                    .get(&(seq as u32))
                    .cloned()
                    .unwrap_or_else(|| doc.id.clone());
                doc.metadata.insert("dup_cluster_id".into(), json!(id));
                doc.metadata.insert("dup_cluster_size".into(), json!(size));
            }
            Fate::Duplicate {
                survivor,
                size,
                exact,
            } => {
                let id = plan
                    .survivor_ids
                    .get(&survivor)
                    .cloned()
                    .unwrap_or_default();
                doc.metadata.insert("duplicate_of".into(), json!(id));
                doc.metadata.insert("dup_cluster_id".into(), json!(id));
                doc.metadata.insert("dup_cluster_size".into(), json!(size));
                let reason = if exact {
                    reasons::EXACT_DUPLICATE
                } else {
                    reasons::NEAR_DUPLICATE
                };
                doc.drop_with(self.name(), reason);
                return;
            }
        }
        if !plan.config.lines
            || (plan.repeated_in_group.is_empty() && plan.repeated_global.is_empty())
        {
            return;
        }
        let group_hash = xxh3_64(group_of(doc, &plan.config).as_bytes());
        let repeated: FxHashSet<usize> = normalised_lines(&doc.text)
            .filter(|(_, l)| {
                let (in_group, global) = line_keys(group_hash, l, &plan.config);
                plan.repeated_in_group.contains(&in_group)
                    || global.is_some_and(|g| plan.repeated_global.contains(&g))
            })
            .map(|(n, _)| n)
            .collect();
        if repeated.is_empty() {
            return;
        }
        let lines: Vec<&str> = doc.text.split('\n').collect();
        let mut kept = String::with_capacity(doc.text.len());
        // Where each line of the new text comes from (see `Document::set_line_sources`).
        let mut sources = Vec::with_capacity(lines.len());
        let mut removed = Vec::new();
        let mut gap = false;
        for (i, line) in lines.iter().enumerate() {
            let n = i + 1;
            if repeated.contains(&n) {
                removed.push(crate::document::Removal {
                    line: doc.input_line(i),
                    text: line.to_string(),
                    reason: reasons::REPEATED_LINE.into(),
                    rule: None,
                });
                gap = !kept.is_empty();
                continue;
            }
            if line.trim().is_empty() {
                gap = !kept.is_empty();
                continue;
            }
            if !kept.is_empty() {
                if gap {
                    kept.push_str("\n\n");
                    sources.push(None);
                } else {
                    kept.push('\n');
                }
            }
            kept.push_str(line);
            sources.push(Some(i));
            gap = false;
        }
        doc.record_removals(removed);
        doc.text = kept;
        doc.set_line_sources(sources);
        if doc.text.trim().is_empty() {
            doc.drop_with(self.name(), reasons::ONLY_REPEATED_LINES);
        }
    }
}

#[cfg(test)]
mod tests;
