//! fastText supervised-model inference (the model format of lid176), written for throughput and for
//! the C++ library's exact arithmetic.
//!
//! Why not a crate: `fasttext` 0.8 predicts garbage with lid176, and `fasttext-pure-rs` 0.1, which is
//! right, spends most of its time hashing: a SipHash lookup per character n-gram of every word to
//! find the n-gram's row in the pruned model, and a freshly computed n-gram list for every word of
//! every text. It also splits on Unicode whitespace and clamps the sigmoid, so a few inputs (pages
//! with no-break spaces, very confident nodes) come out slightly different from the C++ library,
//! which is what datatrove calls. Here:
//!
//! * the quantised input matrix is expanded once into plain rows (lid176: 50,000 rows of 16 floats,
//!   3.2 MB), each already multiplied by its quantised norm exactly as `ProductQuantizer::addcode`
//!   multiplies before adding, so adding a row gives the same floats;
//! * a token's rows (its word row if in the vocabulary, then its character n-gram rows) are computed
//!   once per thread and kept in a bounded cache, so running text costs one hash lookup per token;
//!   a caller may have a 24-bit summary of each token kept beside its rows
//!   ([`FastTextModel::with_token_tags`]: the language-marker counts of `lang`), which then costs no
//!   lookup of its own;
//! * tokens are split on the C++ `readWord` separators only (space, `\t`, `\n`, `\v`, `\f`, `\r`,
//!   NUL), a newline counts as a space (datatrove replaces them before predicting), and the text
//!   ends with `</s>` as the Python binding's appended newline makes it;
//! * hierarchical softmax gives what the C++ `HierarchicalSoftmaxLoss::dfs` gives: a best-first
//!   search (`best_first`) answers when it can prove the depth-first one would say the same, else
//!   that search runs; both compute `1. / (1 + exp(-f))` in the
//!   C++ mix of float and double, `std_log(x) = log(x + 1e-5)` in double, and leaves under
//!   `std_log(threshold)` pruned even when the threshold is 0.
//!
//! The summation order of the hidden vector is the C++ order (row by row, in input order), so the
//! probabilities are the C++ library's; `bench/lid_eval.py` checks that against the Python binding
//! on every lingua test sentence.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::word_map::{prefetch, WordMap};

/// fastText's file magic and the only format version in use since 2017.
const MAGIC: i32 = 793_712_314;
const VERSION: i32 = 12;
const EOS: &str = "</s>";
const LABEL_PREFIX: &str = "__label__";
/// Centroids per sub-quantizer (`ProductQuantizer::ksub_`).
const KSUB: usize = 256;
/// Labels a model may have (lid176: 176; the tree search recurses once per tree level).
const MAX_LABELS: usize = 100_000;
/// Longer tokens (data URIs, base64) are not remembered: their rows are computed each time.
const CACHED_TOKEN_BYTES: usize = 64;
/// Rows the per-thread token cache holds before it starts over.
const TOKEN_CACHE_ROWS: usize = 4 << 20;
/// Tokens whose rows are remembered per thread before the cache starts over.
const TOKEN_CACHE_LIMIT: usize = 200_000;

#[derive(Debug, thiserror::Error)]
#[error("fastText model: {0}")]
pub struct ModelError(String);

fn invalid(what: impl Into<String>) -> ModelError {
    ModelError(what.into())
}

/// Little-endian reader over the model bytes.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| invalid(format!("truncated at byte {}", self.at)))?;
        let slice = &self.data[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn i32(&mut self) -> Result<i32, ModelError> {
        Ok(i32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    fn i64(&mut self) -> Result<i64, ModelError> {
        Ok(i64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }

    fn count(&mut self, wide: bool, what: &str) -> Result<usize, ModelError> {
        let n = if wide {
            self.i64()?
        } else {
            i64::from(self.i32()?)
        };
        usize::try_from(n).map_err(|_| invalid(format!("negative {what}: {n}")))
    }

    fn f32s(&mut self, n: usize) -> Result<Vec<f32>, ModelError> {
        let bytes = self.take(
            n.checked_mul(4)
                .ok_or_else(|| invalid("matrix size overflows"))?,
        )?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect())
    }

    /// A NUL-terminated string (dictionary entries).
    fn string(&mut self) -> Result<String, ModelError> {
        let rest = &self.data[self.at..];
        let len = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| invalid("unterminated dictionary entry"))?;
        let s = String::from_utf8_lossy(&rest[..len]).into_owned();
        self.at += len + 1;
        Ok(s)
    }
}

/// A product-quantised matrix (`QuantMatrix` with its `ProductQuantizer`s), as stored.
struct Quantized {
    rows: usize,
    dim: usize,
    codes: Vec<u8>,
    nsubq: usize,
    dsub: usize,
    lastdsub: usize,
    centroids: Vec<f32>,
    /// Per-row norms (`qnorm`), already looked up in the norm quantizer.
    norms: Option<Vec<f32>>,
}

impl Quantized {
    fn read(bytes: &mut Bytes<'_>) -> Result<Self, ModelError> {
        let qnorm = bytes.u8()? != 0;
        let rows = bytes.count(true, "rows")?;
        let dim = bytes.count(true, "columns")?;
        let code_len = bytes.count(false, "code size")?;
        let codes = bytes.take(code_len)?.to_vec();
        let (pq_dim, nsubq, dsub, lastdsub, centroids) = read_quantizer(bytes)?;
        if pq_dim != dim || Some(code_len) != rows.checked_mul(nsubq) {
            return Err(invalid("quantised matrix does not match its quantizer"));
        }
        let norms = if qnorm {
            let norm_codes = bytes.take(rows)?.to_vec();
            // The norm quantizer is one sub-quantizer of one value: its centroid `c` starts at
            // `c * lastdsub` (`get_centroids(0, c)` of the last sub-quantizer).
            let (_, _, _, norm_lastdsub, norm_centroids) = read_quantizer(bytes)?;
            Some(
                norm_codes
                    .iter()
                    .map(|&c| norm_centroids[c as usize * norm_lastdsub])
                    .collect(),
            )
        } else {
            None
        };
        Ok(Quantized {
            rows,
            dim,
            codes,
            nsubq,
            dsub,
            lastdsub,
            centroids,
            norms,
        })
    }

    fn norm(&self, row: usize) -> f32 {
        self.norms.as_ref().map_or(1.0, |n| n[row])
    }

    fn centroid(&self, m: usize, code: u8) -> &[f32] {
        let code = code as usize;
        if m == self.nsubq - 1 {
            let start = m * KSUB * self.dsub + code * self.lastdsub;
            &self.centroids[start..start + self.lastdsub]
        } else {
            let start = (m * KSUB + code) * self.dsub;
            &self.centroids[start..start + self.dsub]
        }
    }

    /// Row `row` as `addcode` adds it: each centroid value times the norm, in float.
    fn expand_row(&self, row: usize, out: &mut [f32]) {
        let alpha = self.norm(row);
        for m in 0..self.nsubq {
            let c = self.centroid(m, self.codes[row * self.nsubq + m]);
            for (n, value) in c.iter().enumerate() {
                out[m * self.dsub + n] = alpha * value;
            }
        }
    }

    /// `ProductQuantizer::mulcode`: the dot product in stored order, then times the norm.
    fn dot_row(&self, x: &[f32], row: usize) -> f32 {
        let mut res = 0.0f32;
        for m in 0..self.nsubq {
            let c = self.centroid(m, self.codes[row * self.nsubq + m]);
            for (n, value) in c.iter().enumerate() {
                res += x[m * self.dsub + n] * value;
            }
        }
        res * self.norm(row)
    }
}

type QuantizerParts = (usize, usize, usize, usize, Vec<f32>);

/// `a * b` elements, or an error when a corrupt header makes that overflow.
fn checked_size(a: usize, b: usize) -> Result<usize, ModelError> {
    a.checked_mul(b)
        .ok_or_else(|| invalid("matrix size overflows"))
}

fn read_quantizer(bytes: &mut Bytes<'_>) -> Result<QuantizerParts, ModelError> {
    let dim = bytes.count(false, "quantizer dimension")?;
    let nsubq = bytes.count(false, "sub-quantizers")?;
    let dsub = bytes.count(false, "sub-vector size")?;
    let lastdsub = bytes.count(false, "last sub-vector size")?;
    let adds_up = dsub
        .checked_mul(nsubq.saturating_sub(1))
        .and_then(|d| d.checked_add(lastdsub))
        == Some(dim);
    if nsubq == 0 || dim == 0 || lastdsub == 0 || lastdsub > dsub || !adds_up {
        return Err(invalid("quantizer dimensions do not add up"));
    }
    let centroids = bytes.f32s(checked_size(dim, KSUB)?)?;
    Ok((dim, nsubq, dsub, lastdsub, centroids))
}

/// The output matrix: dense in lid176, quantised when trained with `-qout`.
enum Output {
    Dense { dim: usize, data: Vec<f32> },
    Quantized(Quantized),
}

impl Output {
    fn rows(&self) -> usize {
        match self {
            Output::Dense { dim, data } => data.len() / dim.max(&1),
            Output::Quantized(q) => q.rows,
        }
    }

    /// `Matrix::dotRow`: a float sum in column order.
    fn dot_row(&self, x: &[f32], row: usize) -> f32 {
        match self {
            Output::Dense { dim, data } => {
                let mut d = 0.0f32;
                for (a, b) in data[row * dim..(row + 1) * dim].iter().zip(x) {
                    d += a * b;
                }
                d
            }
            Output::Quantized(q) => q.dot_row(x, row),
        }
    }
}

/// A loaded fastText supervised model.
pub struct FastTextModel {
    dim: usize,
    minn: usize,
    maxn: usize,
    bucket: u32,
    word_ngrams: usize,
    /// Input rows, `dim` floats each, ready to add.
    input: Vec<f32>,
    /// Dictionary words (not labels) → their rows: the word row, then its n-gram rows.
    words: FxHashMap<Box<str>, Box<[u32]>>,
    /// The dictionary's labels, `__label__` removed, in label order.
    labels: Vec<String>,
    /// The labels as written in the dictionary: such a token in a text is not input, whatever its
    /// prefix (`-label` can change it at training).
    label_tokens: rustc_hash::FxHashSet<Box<str>>,
    nwords: u32,
    /// Pruned models keep only some n-gram buckets: bucket → row among them.
    pruned: Option<FxHashMap<u32, u32>>,
    /// The buckets `pruned` holds, one bit each up to the highest (lid176: 2,000,000 buckets, the
    /// bits in under 250 KB): most n-grams of a first-seen word are not kept, and a bit test tells
    /// so without the map's hashing and probing. Sized by the buckets kept, not by the bucket
    /// count a (corrupt) file may claim.
    pruned_buckets: Vec<u64>,
    /// `u64::MAX / bucket + 1`, for [`FastTextModel::bucket_of`].
    bucket_inverse: u64,
    hierarchical: bool,
    /// Huffman tree over the labels (hierarchical softmax): children of internal nodes.
    tree: Vec<(i32, i32)>,
    /// How far a leaf's score can rise above an ancestor's (see [`FastTextModel::best_first`]).
    tree_drift: f32,
    output: Output,
    /// Which of the models in this process this is (slot of the per-thread token cache).
    cache_id: usize,
    /// The caller's summary of a token, kept in the token cache (see [`FastTextModel::with_token_tags`]).
    tagger: Option<Arc<TokenTagger>>,
}

/// A caller's summary of a token in [`TAG_BITS`] bits, cached with the token's rows: computed once
/// per distinct token as a rule, but again for tokens too long to cache, for label tokens and after
/// the cache starts over, so it must be cheap and give the same tag for the same token every time.
pub type TokenTagger = dyn Fn(&str) -> u32 + Send + Sync;
/// Bits of a token tag; the cache keeps the tag and the token's row count in one `u32`.
pub const TAG_BITS: u32 = 24;
/// A cached token's row count is kept beside its tag in this many rows or fewer: with lid176's
/// n-gram lengths (2 to 4 characters) `CACHED_TOKEN_BYTES` bytes give at most `3 * (64 + 2)`
/// n-grams and a word row; a model with longer n-grams may give more, and such a token is then
/// not cached (see `token_rows`).
const MAX_CACHED_ROWS: usize = (1 << (32 - TAG_BITS)) - 1;

impl std::fmt::Debug for FastTextModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastTextModel")
            .field("dim", &self.dim)
            .field("words", &self.words.len())
            .field("labels", &self.labels.len())
            .finish()
    }
}

/// The rows of tokens a thread has seen: token → its range of `rows`. One lookup per token, and
/// the rows of tokens read together lie together.
#[derive(Default)]
struct TokenCache {
    ranges: WordMap<(u32, u32)>,
    rows: Vec<u32>,
    /// Rows of the current long token, which is not remembered.
    scratch: Vec<u32>,
    /// How often the cache started over: a range looked up before a start-over is stale.
    start_overs: u64,
}

impl TokenCache {
    /// A cached token's entry (start in `rows`, packed row count and tag), its first rows already
    /// requested from memory: looked up two tokens ahead, so that the table's and the rows' cache
    /// misses overlap with the work on the token before (see [`FastTextModel::hidden`]).
    fn lookup_ahead(&self, token: &str) -> Option<(u32, u32)> {
        let entry = self.ranges.get(token)?;
        if let Some(first) = self.rows.get(entry.0 as usize) {
            prefetch(first);
        }
        Some(entry)
    }

    /// The rows and tag of a cached token's entry.
    fn cached_rows(&self, (start, packed): (u32, u32)) -> (Option<&[u32]>, u32) {
        let len = packed & MAX_CACHED_ROWS as u32;
        (
            Some(&self.rows[start as usize..(start + len) as usize]),
            packed >> (32 - TAG_BITS),
        )
    }
}

thread_local! {
    /// Per model (by `cache_id`).
    static TOKEN_ROWS: RefCell<Vec<(usize, TokenCache)>> = const { RefCell::new(Vec::new()) };
}

/// A bit per bucket up to the highest one `pruned` holds below `buckets`, set for those it holds
/// (buckets from `buckets` on can never be asked for: an n-gram's bucket is its hash modulo
/// `buckets`).
fn bucket_bits(pruned: &FxHashMap<u32, u32>, buckets: u32) -> Vec<u64> {
    let kept = || pruned.keys().copied().filter(|&b| b < buckets);
    let words = kept().max().map_or(0, |highest| highest as usize / 64 + 1);
    let mut bits = vec![0u64; words];
    for bucket in kept() {
        bits[bucket as usize / 64] |= 1 << (bucket % 64);
    }
    bits
}

/// fastText's FNV-1a, with the C++ sign extension of each byte.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for &b in bytes {
        h ^= (b as i8) as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// A process-wide unique slot number for a model's per-thread token cache.
fn next_cache_id() -> usize {
    static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// C++ `readWord` separators.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0x0b | 0x0c | 0)
}

impl FastTextModel {
    /// Load a `.bin` or `.ftz` supervised model from its bytes.
    pub fn from_bytes(data: &[u8]) -> Result<Self, ModelError> {
        let mut bytes = Bytes { data, at: 0 };
        if bytes.i32()? != MAGIC {
            return Err(invalid("not a fastText model (bad magic number)"));
        }
        let version = bytes.i32()?;
        if version != VERSION {
            return Err(invalid(format!(
                "format version {version}, only {VERSION} is supported"
            )));
        }
        // Args: dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
        // lrUpdateRate, t.
        let mut args = [0i32; 12];
        for a in &mut args {
            *a = bytes.i32()?;
        }
        bytes.take(8)?;
        let [dim, _, _, _, _, word_ngrams, loss, model, bucket, minn, maxn, _] = args;
        if model != 3 {
            return Err(invalid("not a supervised (classification) model"));
        }
        // Hierarchical softmax (lid176) and softmax; one-vs-all and negative sampling score labels
        // with fastText's sigmoid table instead, which is not reproduced here.
        if loss != 1 && loss != 3 {
            return Err(invalid(format!(
                "loss {loss} is not supported (hierarchical softmax or softmax only)"
            )));
        }
        let dim = usize::try_from(dim)
            .ok()
            .filter(|&d| d > 0)
            .ok_or_else(|| invalid("dimension must be positive"))?;
        let bucket = u32::try_from(bucket).map_err(|_| invalid("negative bucket count"))?;
        if bucket == 0 && (maxn > 0 || word_ngrams > 1) {
            return Err(invalid("n-grams without buckets"));
        }

        // Dictionary.
        let size = bytes.count(false, "dictionary size")?;
        let nwords = bytes.count(false, "word count")?;
        let _nlabels = bytes.i32()?;
        let _ntokens = bytes.i64()?;
        let prune_size = bytes.i64()?;
        // Each entry takes at least 10 bytes, so a corrupt size cannot reserve more than the file.
        let mut entries = Vec::with_capacity(size.min(data.len() / 10));
        for _ in 0..size {
            let word = bytes.string()?;
            let count = bytes.i64()?;
            let kind = bytes.u8()?;
            entries.push((word, count, kind));
        }
        let pruned = if prune_size >= 0 {
            let mut map = FxHashMap::default();
            for _ in 0..prune_size {
                let from = bytes.i32()?;
                let to = bytes.i32()?;
                map.insert(from as u32, to as u32);
            }
            Some(map)
        } else {
            None
        };

        let quantized_input = bytes.u8()? != 0;
        let (input_rows, input) = if quantized_input {
            let q = Quantized::read(&mut bytes)?;
            if q.dim != dim {
                return Err(invalid("input matrix width differs from the dimension"));
            }
            let mut rows = vec![0.0f32; checked_size(q.rows, dim)?];
            for (r, out) in rows.chunks_exact_mut(dim).enumerate() {
                q.expand_row(r, out);
            }
            (q.rows, rows)
        } else {
            let rows = bytes.count(true, "rows")?;
            let cols = bytes.count(true, "columns")?;
            if cols != dim {
                return Err(invalid("input matrix width differs from the dimension"));
            }
            (rows, bytes.f32s(checked_size(rows, cols)?)?)
        };
        let quantized_output = bytes.u8()? != 0;
        let output = if quantized_input && quantized_output {
            let q = Quantized::read(&mut bytes)?;
            if q.dim != dim {
                return Err(invalid("output matrix width differs from the dimension"));
            }
            Output::Quantized(q)
        } else {
            let rows = bytes.count(true, "rows")?;
            let cols = bytes.count(true, "columns")?;
            if cols != dim {
                return Err(invalid("output matrix width differs from the dimension"));
            }
            Output::Dense {
                dim,
                data: bytes.f32s(checked_size(rows, cols)?)?,
            }
        };

        let mut m = FastTextModel {
            dim,
            minn: minn.max(0) as usize,
            maxn: maxn.max(0) as usize,
            bucket,
            word_ngrams: word_ngrams.max(1) as usize,
            input,
            words: FxHashMap::default(),
            labels: Vec::new(),
            label_tokens: Default::default(),
            nwords: nwords as u32,
            bucket_inverse: (u64::MAX / u64::from(bucket.max(1))).wrapping_add(1),
            pruned_buckets: pruned
                .as_ref()
                .map(|map| bucket_bits(map, bucket))
                .unwrap_or_default(),
            pruned,
            hierarchical: loss == 1,
            tree: Vec::new(),
            tree_drift: 0.0,
            output,
            cache_id: next_cache_id(),
            tagger: None,
        };
        let mut label_counts = Vec::new();
        for (i, (word, count, kind)) in entries.iter().enumerate() {
            if *kind == 1 {
                label_counts.push(*count);
                m.label_tokens.insert(word.as_str().into());
                m.labels
                    .push(word.trim_start_matches(LABEL_PREFIX).to_string());
            } else {
                let mut rows = vec![i as u32];
                if word != EOS {
                    m.subword_rows(word, &mut rows);
                }
                m.words.insert(word.as_str().into(), rows.into());
            }
        }
        if let Some(&bad) = m
            .words
            .values()
            .flat_map(|r| r.iter())
            .find(|&&r| r as usize >= input_rows)
        {
            return Err(invalid(format!("row {bad} is outside the input matrix")));
        }
        // Every row an n-gram can reach must exist: bucket rows after the words, or the rows the
        // pruned index names.
        let reachable = match &m.pruned {
            None => Some(m.nwords as usize + m.bucket as usize),
            Some(map) => map
                .values()
                .map(|&r| m.nwords as usize + r as usize + 1)
                .max(),
        };
        if reachable.is_some_and(|r| r > input_rows) {
            return Err(invalid("n-gram rows lie outside the input matrix"));
        }
        // fastText's tree uses 1e15 as "no count yet"; larger counts, or more labels than the tree
        // search can recurse through, come from a corrupt file.
        if label_counts
            .iter()
            .any(|&c| !(0..1_000_000_000_000_000).contains(&c))
            || m.labels.len() > MAX_LABELS
        {
            return Err(invalid("label counts out of range or too many labels"));
        }
        if m.labels.is_empty() || m.output.rows() < m.labels.len() {
            return Err(invalid("output matrix has fewer rows than labels"));
        }
        if m.hierarchical {
            m.tree = huffman_tree(&label_counts);
            m.tree_drift = tree_height(&m.tree) as f32 * DRIFT_PER_LEVEL;
        }
        Ok(m)
    }

    /// This model with `tagger` run on tokens and its result cached beside the token's rows, for
    /// [`FastTextModel::predict_tagged`] (see [`TokenTagger`]); higher bits than [`TAG_BITS`] are
    /// dropped. The tagger runs while this thread's token cache is borrowed, so it must not call
    /// into a `FastTextModel` (that would panic).
    pub fn with_token_tags(mut self, tagger: Arc<TokenTagger>) -> Self {
        self.tagger = Some(tagger);
        // A fresh cache slot: tags cached under another tagger (or none) must not be read.
        self.cache_id = next_cache_id();
        self
    }

    fn tag_of(&self, token: &str) -> u32 {
        self.tagger
            .as_ref()
            .map_or(0, |t| t(token) & ((1 << TAG_BITS) - 1))
    }

    /// Labels in the model's order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// `Dictionary::pushHash`: an n-gram bucket's row, if the (pruned) model kept it.
    fn push_bucket(&self, bucket: u32, rows: &mut Vec<u32>) {
        match &self.pruned {
            None => rows.push(self.nwords + bucket),
            Some(map) => {
                let word = self.pruned_buckets.get(bucket as usize / 64).copied();
                if word.unwrap_or(0) >> (bucket % 64) & 1 == 0 {
                    return;
                }
                if let Some(&row) = map.get(&bucket) {
                    rows.push(self.nwords + row);
                }
            }
        }
    }

    /// `h % bucket` without a division (an n-gram hash's bucket, some twenty per first-seen word):
    /// Lemire, Kaser and Kurz, "Faster remainder by direct computation" (2019), exact for every
    /// 32-bit `h` and divisor.
    fn bucket_of(&self, h: u32) -> u32 {
        let low_bits = self.bucket_inverse.wrapping_mul(u64::from(h));
        ((u128::from(low_bits) * u128::from(self.bucket)) >> 64) as u32
    }

    /// `Dictionary::computeSubwords` of `<word>`: character n-grams of `minn..=maxn` code points
    /// (UTF-8 continuation bytes stay with their character), single `<` and `>` left out.
    fn subword_rows(&self, word: &str, rows: &mut Vec<u32>) {
        if self.maxn == 0 || self.pruned.as_ref().is_some_and(|p| p.is_empty()) {
            return;
        }
        // `<word>` on the stack for the words the cache keeps (nearly all first-seen words).
        let mut on_stack = [0u8; CACHED_TOKEN_BYTES + 2];
        let mut on_heap = Vec::new();
        let marked: &mut [u8] = if word.len() <= CACHED_TOKEN_BYTES {
            &mut on_stack[..word.len() + 2]
        } else {
            on_heap.resize(word.len() + 2, 0);
            &mut on_heap
        };
        marked[0] = b'<';
        marked[1..=word.len()].copy_from_slice(word.as_bytes());
        marked[word.len() + 1] = b'>';
        let w = &*marked;
        for i in 0..w.len() {
            if w[i] & 0xC0 == 0x80 {
                continue;
            }
            let mut h: u32 = 2_166_136_261;
            let (mut j, mut n) = (i, 1);
            while j < w.len() && n <= self.maxn {
                loop {
                    h ^= (w[j] as i8) as u32;
                    h = h.wrapping_mul(16_777_619);
                    j += 1;
                    if j >= w.len() || w[j] & 0xC0 != 0x80 {
                        break;
                    }
                }
                if n >= self.minn && !(n == 1 && (i == 0 || j == w.len())) {
                    self.push_bucket(self.bucket_of(h), rows);
                }
                n += 1;
            }
        }
    }

    /// Runs `f` with this thread's token cache for this model (borrowed once per text).
    fn with_cache<R>(&self, f: impl FnOnce(&mut TokenCache) -> R) -> R {
        TOKEN_ROWS.with(|caches| {
            let mut caches = caches.borrow_mut();
            let slot = match caches.iter().position(|(id, _)| *id == self.cache_id) {
                Some(slot) => slot,
                None => {
                    caches.push((self.cache_id, TokenCache::default()));
                    caches.len() - 1
                }
            };
            f(&mut caches[slot].1)
        })
    }

    /// The rows a token adds and its tag: a dictionary word's row and its n-gram rows, an unknown
    /// word's n-gram rows, nothing for `</s>` outside the dictionary (`Dictionary::addSubwords`);
    /// `None` for a label token, which is not input (but has a tag).
    fn token_rows<'c>(&self, cache: &'c mut TokenCache, token: &str) -> (Option<&'c [u32]>, u32) {
        if let Some(entry) = cache.ranges.get(token) {
            return cache.cached_rows(entry);
        }
        let known = self.words.get(token);
        if known.is_none() && (token.starts_with(LABEL_PREFIX) || self.label_tokens.contains(token))
        {
            return (None, self.tag_of(token));
        }
        if token.len() > CACHED_TOKEN_BYTES {
            cache.scratch.clear();
            match known {
                Some(rows) => cache.scratch.extend_from_slice(rows),
                None => self.subword_rows(token, &mut cache.scratch),
            }
            return (Some(&cache.scratch), self.tag_of(token));
        }
        if cache.ranges.len() >= TOKEN_CACHE_LIMIT || cache.rows.len() >= TOKEN_CACHE_ROWS {
            cache.ranges.clear();
            cache.rows.clear();
            cache.start_overs += 1;
        }
        let start = cache.rows.len();
        match known {
            Some(rows) => cache.rows.extend_from_slice(rows),
            None if token == EOS => {}
            None => self.subword_rows(token, &mut cache.rows),
        }
        let len = cache.rows.len() - start;
        let tag = self.tag_of(token);
        if len > MAX_CACHED_ROWS {
            // Not reachable with lid176's n-gram lengths (see `MAX_CACHED_ROWS`): not cached.
            cache.scratch.clear();
            cache.scratch.extend_from_slice(&cache.rows[start..]);
            cache.rows.truncate(start);
            return (Some(&cache.scratch), tag);
        }
        cache
            .ranges
            .insert(token, (start as u32, len as u32 | tag << (32 - TAG_BITS)));
        (Some(&cache.rows[start..]), tag)
    }

    /// `Model::computeHidden` over `Dictionary::getLine(text + "\n")`: the mean of the input rows,
    /// added in input order. Newlines count as spaces.
    ///
    /// `on_tag` gets every token of the text with its tag, in order, also those after a `</s>` in
    /// the text (which end the model's input).
    fn hidden<'t>(&self, text: &'t str, mut on_tag: impl FnMut(&'t str, u32)) -> Vec<f32> {
        let mut whole = Accumulator::new(self.dim);
        let mut word_hashes: Vec<u32> = Vec::new();
        self.with_cache(|cache| {
            let mut take = |rows: &[u32], token: &str| {
                whole.add(&self.input, rows);
                if self.word_ngrams > 1 {
                    word_hashes.push(fnv1a(token.as_bytes()));
                }
            };
            // `Dictionary::getLine` stops at the first `</s>`, read in the text or appended.
            let mut reading = true;
            // A pipeline over the tokens: the table slot of the third token ahead is requested
            // from memory, the second token ahead is looked up (and its rows' line requested),
            // the next token's input rows are requested, and the current token is added.
            let mut ahead = tokens(text).map(|(_, token)| token);
            let mut next = ahead.next();
            let mut next_entry = next.and_then(|token| cache.lookup_ahead(token));
            let mut after = ahead.next();
            let mut after_entry = after.and_then(|token| cache.lookup_ahead(token));
            let mut beyond = ahead.next();
            if let Some(token) = beyond {
                cache.ranges.prefetch(token);
            }
            while let Some(token) = next {
                let entry = next_entry;
                (next, next_entry) = (after, after_entry);
                after = beyond;
                after_entry = after.and_then(|token| cache.lookup_ahead(token));
                beyond = ahead.next();
                if let Some(token) = beyond {
                    cache.ranges.prefetch(token);
                }
                if let Some(next_entry) = next_entry {
                    // Its rows' line was requested a token ago; now request the rows themselves.
                    if let (Some(rows), _) = cache.cached_rows(next_entry) {
                        for &row in rows {
                            if let Some(first) = self.input.get(row as usize * self.dim) {
                                prefetch(first);
                            }
                        }
                    }
                }
                if !reading {
                    // After a `</s>` in the text only the tags are wanted.
                    on_tag(token, self.tag_of(token));
                    continue;
                }
                let start_overs = cache.start_overs;
                let (rows, tag) = match entry {
                    Some(entry) => cache.cached_rows(entry),
                    None => self.token_rows(cache, token),
                };
                on_tag(token, tag);
                if let Some(rows) = rows {
                    take(rows, token);
                }
                if cache.start_overs != start_overs {
                    // The entry looked up ahead may point into the discarded rows.
                    next_entry = next.and_then(|token| cache.ranges.get(token));
                    after_entry = after.and_then(|token| cache.ranges.get(token));
                }
                reading = token != EOS;
            }
            if reading {
                if let (Some(rows), _) = self.token_rows(cache, EOS) {
                    take(rows, EOS);
                }
            }
        });
        if self.word_ngrams > 1 {
            let mut rows = Vec::new();
            // C++ keeps the hashes as int32 and widens them to uint64 with sign extension.
            let widen = |h: u32| h as i32 as i64 as u64;
            for i in 0..word_hashes.len() {
                let mut h = widen(word_hashes[i]);
                for &next in word_hashes.iter().take(i + self.word_ngrams).skip(i + 1) {
                    h = h.wrapping_mul(116_049_371).wrapping_add(widen(next));
                    self.push_bucket((h % u64::from(self.bucket)) as u32, &mut rows);
                }
            }
            whole.add(&self.input, &rows);
        }
        whole.finish()
    }

    /// The `k` most probable labels of `text` with their probabilities, most probable first
    /// (fastText's `predict(text, k, threshold)`).
    pub fn predict(&self, text: &str, k: usize, threshold: f32) -> Vec<(&str, f32)> {
        self.best_labels(&self.hidden(text, |_, _| {}), k, threshold)
    }

    /// [`FastTextModel::predict`], also handing every token of `text` and its tag (see
    /// [`FastTextModel::with_token_tags`]; 0 without a tagger) to `on_tag`, in text order. `on_tag`
    /// runs while this thread's token cache is borrowed, so it must not call into a `FastTextModel`.
    pub fn predict_tagged<'t>(
        &self,
        text: &'t str,
        k: usize,
        threshold: f32,
        on_tag: impl FnMut(&'t str, u32),
    ) -> Vec<(&str, f32)> {
        self.best_labels(&self.hidden(text, on_tag), k, threshold)
    }

    /// The `k` best labels for a hidden vector of [`FastTextModel::hidden`].
    fn best_labels(&self, hidden: &[f32], k: usize, threshold: f32) -> Vec<(&str, f32)> {
        if k == 0 || hidden.is_empty() {
            return Vec::new();
        }
        let mut heap: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
        if self.hierarchical {
            match self.best_first(k, std_log(threshold), hidden) {
                Some(best) => heap = best,
                None => {
                    let root = self.tree.len() - 1;
                    self.dfs(k, std_log(threshold), root, 0.0, &mut heap, hidden);
                }
            }
        } else {
            self.softmax_best(k, threshold, &mut heap, hidden);
        }
        // Descending score; among equal scores the lower label first.
        heap.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        heap.into_iter()
            .map(|(score, label)| (self.labels[label].as_str(), score.exp()))
            .collect()
    }

    /// A child's score in the tree search: its parent's plus the log of the branch's probability,
    /// in C++'s arithmetic (`f = 1. / (1 + std::exp(-f))`: exp and the sum in float, the quotient
    /// in double).
    fn child_scores(&self, node: usize, score: f32, hidden: &[f32]) -> (f32, f32) {
        let f = self.output.dot_row(hidden, node - self.labels.len());
        let f = (1.0f64 / f64::from(1.0f32 + (-f).exp())) as f32;
        (
            score + std_log((1.0f64 - f64::from(f)) as f32),
            score + std_log(f),
        )
    }

    /// The labels [`FastTextModel::dfs`] finds, found by expanding the most probable node first,
    /// which stops after a few dozen of the tree's 175 inner nodes instead of most of them; `None`
    /// when it cannot show that the answer is the depth-first search's.
    ///
    /// The depth-first search keeps the `k` best leaves seen so far and skips a node scoring below
    /// the worst of them. Scores fall along a path except where a branch's probability rounds to 1
    /// (`log(1 + 1e-5)` is positive), so a leaf can score up to `tree_drift` above an ancestor.
    /// Hence: (1) the search here stops only once no unexpanded node, even with that drift, can
    /// reach the `k`-th best leaf found, so those are the true best `k`; (2) the depth-first search
    /// only ever skips a node scoring below its current `k`-th best, which is never above the true
    /// `k`-th best; so when no node on the path to any of the best `k` scores below the `k`-th
    /// best, it reached and kept all of them, and returns the same. Otherwise, `None`.
    fn best_first(&self, k: usize, min_score: f32, hidden: &[f32]) -> Option<Vec<(f32, usize)>> {
        let root = self.tree.len() - 1;
        // C++ checks the threshold first, at every node.
        if 0.0 < min_score {
            return Some(Vec::new());
        }
        // Open nodes, best first, as `open_key`s; each node is opened at most once, so the lowest
        // score on its path is kept per node.
        let mut open = std::collections::BinaryHeap::with_capacity(64);
        // lid176's tree has 351 nodes: a buffer on the stack, not an allocation per prediction.
        let mut on_stack = [0.0f32; 512];
        let mut on_heap = Vec::new();
        let path_min: &mut [f32] = if self.tree.len() <= on_stack.len() {
            &mut on_stack[..self.tree.len()]
        } else {
            on_heap.resize(self.tree.len(), 0.0);
            &mut on_heap
        };
        open.push(open_key(0.0, root));
        // Leaves found: (score, label, lowest score on the path), and the k-th best score so far.
        let mut leaves: Vec<(f32, usize, f32)> = Vec::with_capacity(2 * k);
        let mut kth = f32::NEG_INFINITY;
        while let Some(&key) = open.peek() {
            let (score, node) = open_entry(key);
            if leaves.len() >= k && score + self.tree_drift < kth {
                break;
            }
            open.pop();
            let node_path_min = path_min[node];
            let (left, right) = self.tree[node];
            if left == -1 && right == -1 {
                // Kept in the order the depth-first search's heap keeps them: higher score, then
                // the lower label.
                let at = leaves.partition_point(|l| {
                    l.0.total_cmp(&score).then(node.cmp(&l.1)) == std::cmp::Ordering::Greater
                });
                leaves.insert(at, (score, node, node_path_min));
                if leaves.len() >= k {
                    kth = leaves[k - 1].0;
                }
                continue;
            }
            let (left_score, right_score) = self.child_scores(node, score, hidden);
            for (child, child_score) in [(left, left_score), (right, right_score)] {
                if child_score >= min_score {
                    path_min[child as usize] = node_path_min.min(child_score);
                    open.push(open_key(child_score, child as usize));
                }
            }
        }
        leaves.truncate(k);
        if leaves.len() == k {
            let kth = leaves[k - 1].0;
            if leaves.iter().any(|l| l.2 < kth) {
                return None;
            }
        }
        Some(
            leaves
                .into_iter()
                .map(|(score, label, _)| (score, label))
                .collect(),
        )
    }

    /// `HierarchicalSoftmaxLoss::dfs`.
    fn dfs(
        &self,
        k: usize,
        min_score: f32,
        node: usize,
        score: f32,
        heap: &mut Vec<(f32, usize)>,
        hidden: &[f32],
    ) {
        if score < min_score {
            return;
        }
        if heap.len() == k && score < heap_min(heap) {
            return;
        }
        let (left, right) = self.tree[node];
        if left == -1 && right == -1 {
            heap_push_bounded(heap, k, (score, node));
            return;
        }
        let (left_score, right_score) = self.child_scores(node, score, hidden);
        self.dfs(k, min_score, left as usize, left_score, heap, hidden);
        self.dfs(k, min_score, right as usize, right_score, heap, hidden);
    }

    /// `SoftmaxLoss::predict` via `Loss::findKBest`.
    fn softmax_best(&self, k: usize, threshold: f32, heap: &mut Vec<(f32, usize)>, hidden: &[f32]) {
        let osz = self.labels.len();
        let mut output: Vec<f32> = (0..osz).map(|i| self.output.dot_row(hidden, i)).collect();
        let max = output.iter().copied().fold(output[0], f32::max);
        let mut z = 0.0f32;
        for o in &mut output {
            *o = (*o - max).exp();
            z += *o;
        }
        for (label, o) in output.iter_mut().enumerate() {
            *o /= z;
            if *o < threshold {
                continue;
            }
            let score = std_log(*o);
            if heap.len() == k && score < heap_min(heap) {
                continue;
            }
            heap_push_bounded(heap, k, (score, label));
        }
    }
}

/// A running sum of input rows and their count.
struct Accumulator {
    sum: Vec<f32>,
    rows: usize,
}

impl Accumulator {
    fn new(dim: usize) -> Self {
        Accumulator {
            sum: vec![0.0; dim],
            rows: 0,
        }
    }

    fn add(&mut self, input: &[f32], rows: &[u32]) {
        if let Ok(sum) = <&mut [f32; 16]>::try_from(self.sum.as_mut_slice()) {
            // lid176's width: the sum stays in registers across the token's rows instead of
            // going through memory after each one. Each lane still adds the rows in input order,
            // so the result is the same to the bit.
            let mut acc = *sum;
            for &row in rows {
                let start = row as usize * 16;
                for (h, v) in acc.iter_mut().zip(&input[start..start + 16]) {
                    *h += v;
                }
            }
            *sum = acc;
            self.rows += rows.len();
            return;
        }
        let dim = self.sum.len();
        for &row in rows {
            let start = row as usize * dim;
            for (h, v) in self.sum.iter_mut().zip(&input[start..start + dim]) {
                *h += v;
            }
        }
        self.rows += rows.len();
    }

    /// C++: `hidden.mul(1.0 / input.size())`, the quotient in double, multiplied as float. Empty
    /// when there was no input row: C++ `FastText::predict` then predicts nothing.
    fn finish(mut self) -> Vec<f32> {
        if self.rows == 0 {
            return Vec::new();
        }
        let scale = (1.0f64 / self.rows as f64) as f32;
        self.sum.iter_mut().for_each(|h| *h *= scale);
        self.sum
    }
}

/// Tokens as C++ `readWord` reads them, with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && is_separator(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && !is_separator(bytes[i]) {
            i += 1;
        }
        // The separators are ASCII, so both ends are character boundaries.
        Some((start, &text[start..i]))
    })
}

/// An open node of [`FastTextModel::best_first`] as one integer that orders as the search pops:
/// higher score first (`f32::total_cmp`), then the lower node. One integer compare per heap step,
/// where a tuple of floats took several (the heap was a tenth of the language stage).
fn open_key(score: f32, node: usize) -> u64 {
    let bits = score.to_bits();
    // `total_cmp`'s order as an unsigned integer: negative floats count down, then the sign flips.
    let ordered = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    u64::from(ordered) << 32 | u64::from(u32::MAX - node as u32)
}

/// The score and node of an [`open_key`].
fn open_entry(key: u64) -> (f32, usize) {
    let ordered = (key >> 32) as u32;
    let bits = if ordered >> 31 == 1 {
        ordered & !(1 << 31)
    } else {
        !ordered
    };
    (f32::from_bits(bits), (u32::MAX - key as u32) as usize)
}

/// `Loss::std_log`: `log(x + 1e-5)` in double, returned as float.
fn std_log(x: f32) -> f32 {
    (f64::from(x) + 1e-5).ln() as f32
}

fn heap_min(heap: &[(f32, usize)]) -> f32 {
    heap.iter().map(|e| e.0).fold(f32::INFINITY, f32::min)
}

/// Keep the `k` best: push, then drop the smallest when over (k is small: a linear scan).
fn heap_push_bounded(heap: &mut Vec<(f32, usize)>, k: usize, entry: (f32, usize)) {
    heap.push(entry);
    if heap.len() > k {
        let (worst, _) = heap
            .iter()
            .enumerate()
            .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .unwrap();
        heap.swap_remove(worst);
    }
}

/// Bound on how much a score can rise from a node to its child: `std_log(1.0)` is `log(1 + 1e-5)`,
/// about 1e-5, and the float sum can round up by half a unit in the last place (under 4e-5 for
/// any score above -1000, while a level costs at most `log(1e-5)`, -11.5); 1e-4 covers both.
const DRIFT_PER_LEVEL: f32 = 1e-4;

/// Levels below the root of the deepest leaf.
fn tree_height(tree: &[(i32, i32)]) -> usize {
    let Some(root) = tree.len().checked_sub(1) else {
        return 0;
    };
    let mut deepest = 0;
    let mut todo = vec![(root, 0usize)];
    while let Some((node, depth)) = todo.pop() {
        deepest = deepest.max(depth);
        let (left, right) = tree[node];
        for child in [left, right] {
            if child >= 0 {
                todo.push((child as usize, depth + 1));
            }
        }
    }
    deepest
}

/// `Model::buildTree`: the Huffman tree over label counts (labels come sorted by count, most
/// frequent first); leaves are labels `0..osz`, the root is the last node.
fn huffman_tree(counts: &[i64]) -> Vec<(i32, i32)> {
    let osz = counts.len();
    let mut count = vec![i64::MAX; 2 * osz - 1];
    let mut children = vec![(-1i32, -1i32); 2 * osz - 1];
    count[..osz].copy_from_slice(counts);
    let (mut leaf, mut node) = (osz as i64 - 1, osz);
    for i in osz..2 * osz - 1 {
        let mut mini = [0usize; 2];
        for slot in &mut mini {
            if leaf >= 0 && count[leaf as usize] < count[node] {
                *slot = leaf as usize;
                leaf -= 1;
            } else {
                *slot = node;
                node += 1;
            }
        }
        children[i] = (mini[0] as i32, mini[1] as i32);
        count[i] = count[mini[0]] + count[mini[1]];
    }
    children
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> &'static FastTextModel {
        static MODEL: std::sync::OnceLock<FastTextModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| FastTextModel::from_bytes(crate::lang::LID176).unwrap())
    }

    /// Expected values from the C++ library (Python `fasttext` 0.9.2 wheel, `predict(line, k=3)`),
    /// printed as the float64 value of each float32 probability: they must match to the bit.
    #[test]
    fn predictions_are_the_cpp_librarys_to_the_bit() {
        let cases: [(&str, [(&str, f64); 3]); 7] = [
            (
                "Pemerintah kota akan membangun jembatan baru di atas sungai tahun depan.",
                [
                    ("id", 0.8690475821495056),
                    ("ms", 0.08439183980226517),
                    ("en", 0.013190203346312046),
                ],
            ),
            (
                "Kerajaan negeri akan membina jambatan baharu merentasi sungai pada tahun hadapan.",
                [
                    ("id", 0.6739833354949951),
                    ("ms", 0.3015453517436981),
                    ("en", 0.005414758808910847),
                ],
            ),
            (
                "The committee will publish its findings next spring, after the hearings end.",
                [
                    ("en", 0.9350982904434204),
                    ("de", 0.008052090182900429),
                    ("ru", 0.0028683627024292946),
                ],
            ),
            // A no-break space is part of a word for C++ fastText (it splits on ASCII whitespace).
            (
                "Harga cabai\u{a0}rawit naik lagi minggu ini",
                [
                    ("id", 0.9276724457740784),
                    ("ms", 0.0425054170191288),
                    ("ca", 0.017952699214220047),
                ],
            ),
            // A label token in the text is not input.
            (
                "__label__en ini kalimat bahasa Indonesia dengan label palsu di depannya",
                [
                    ("id", 0.9580185413360596),
                    ("ms", 0.03740076348185539),
                    ("ca", 0.0018332501640543342),
                ],
            ),
            // A `</s>` in the text ends it: the rest is not read.
            (
                "Harga cabai naik </s> The committee will publish its findings next spring",
                [
                    ("en", 0.22388200461864471),
                    ("es", 0.1999228149652481),
                    ("id", 0.14657963812351227),
                ],
            ),
            // Only `</s>`.
            (
                "",
                [
                    ("en", 0.12450417876243591),
                    ("ca", 0.08594832569360733),
                    ("de", 0.0802881047129631),
                ],
            ),
        ];
        for (text, expected) in cases {
            let got = model().predict(text, 3, 0.0);
            let got: Vec<(&str, f64)> = got.iter().map(|&(l, p)| (l, f64::from(p))).collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// Tokens are looked up two ahead (`hidden`); when a token then fills the cache and it starts
    /// over, the entries looked up ahead point into discarded rows and must be looked up again.
    #[test]
    fn a_cache_start_over_inside_a_text_leaves_its_prediction_unchanged() {
        let text = "zzqx pemerintah kota akan membangun jembatan";
        let predict = || -> Vec<(String, f32)> {
            let labels = model().predict(text, 3, 0.0);
            labels
                .into_iter()
                .map(|(l, p)| (l.to_string(), p))
                .collect()
        };
        let fresh = std::thread::spawn(predict).join().unwrap();
        let after_start_over = std::thread::spawn(move || {
            // Fill the cache to its limit with distinct short tokens, the words of `text` among
            // them (but not its new first token), so that they are looked up ahead as cached.
            let mut filler: Vec<String> = text.split(' ').skip(1).map(String::from).collect();
            let mut n = 0usize;
            while filler.len() < TOKEN_CACHE_LIMIT - 1 {
                let (mut word, mut k) = (String::from("w"), n);
                loop {
                    word.push(char::from(b'a' + (k % 26) as u8));
                    k /= 26;
                    if k == 0 {
                        break;
                    }
                }
                filler.push(word);
                n += 1;
            }
            model().predict(&filler.join(" "), 1, 0.0);
            // Plus `</s>`: the cache is full, and the next new token starts it over.
            let cached = model().with_cache(|cache| (cache.ranges.len(), cache.start_overs));
            assert_eq!(cached, (TOKEN_CACHE_LIMIT, 0));
            let got = predict();
            assert_eq!(model().with_cache(|cache| cache.start_overs), 1);
            got
        })
        .join()
        .unwrap();
        assert_eq!(after_start_over, fresh);
    }

    #[test]
    fn buckets_are_remainders() {
        let mut model = FastTextModel::from_bytes(crate::lang::LID176).unwrap();
        let mut h = 0x9e37_79b9u32;
        for bucket in [1, 2, 3, 7, 2_000_000, 2_000_003, u32::MAX - 1, u32::MAX] {
            model.bucket = bucket;
            model.bucket_inverse = (u64::MAX / u64::from(bucket)).wrapping_add(1);
            for x in [0, 1, bucket - 1, bucket, u32::MAX - 1, u32::MAX] {
                assert_eq!(model.bucket_of(x), x % bucket, "{x} % {bucket}");
            }
            for _ in 0..100_000 {
                h ^= h << 13;
                h ^= h >> 17;
                h ^= h << 5;
                assert_eq!(model.bucket_of(h), h % bucket, "{h} % {bucket}");
            }
        }
    }

    #[test]
    fn best_first_search_returns_what_the_depth_first_search_does() {
        let m = model();
        let mut rng = crate::test_rng::XorShift::new(0x9E37_79B9_7F4A_7C15);
        let mut next = || (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
        let (mut proved, mut fell_back) = (0, 0);
        // Hidden vectors of growing size: the large ones saturate branch probabilities to exactly
        // 1, where scores rise along a path.
        for scale in [0.01f32, 0.3, 1.0, 3.0, 10.0, 100.0, 1000.0] {
            for _ in 0..400 {
                let hidden: Vec<f32> = (0..m.dim).map(|_| next() * scale).collect();
                for (k, threshold) in [(1, 0.0), (10, 0.0), (176, 0.0), (10, 0.01)] {
                    let mut dfs = Vec::new();
                    let root = m.tree.len() - 1;
                    m.dfs(k, std_log(threshold), root, 0.0, &mut dfs, &hidden);
                    dfs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    match m.best_first(k, std_log(threshold), &hidden) {
                        Some(best) => {
                            proved += 1;
                            let same = best.len() == dfs.len()
                                && best
                                    .iter()
                                    .zip(&dfs)
                                    .all(|(a, b)| a.0.to_bits() == b.0.to_bits() && a.1 == b.1);
                            assert!(same, "scale {scale} k {k}: {best:?} vs {dfs:?}");
                        }
                        None => fell_back += 1,
                    }
                }
            }
        }
        // The proof nearly always succeeds; the fallback exists for saturated branches.
        assert!(
            proved > 10 * fell_back,
            "{proved} proved, {fell_back} fell back"
        );
    }

    #[test]
    fn open_keys_order_as_the_search_pops_and_give_back_score_and_node() {
        let scores = [
            f32::NEG_INFINITY,
            -1e30,
            -3.5,
            -1e-40,
            -0.0,
            0.0,
            1e-40,
            9.9e-6,
            2.0,
            f32::INFINITY,
            f32::NAN,
            -f32::NAN,
        ];
        let entries: Vec<(f32, usize)> = scores
            .iter()
            .flat_map(|&s| [(s, 0), (s, 7), (s, 350)])
            .collect();
        for &(s, n) in &entries {
            let (back, node) = open_entry(open_key(s, n));
            assert_eq!((back.to_bits(), node), (s.to_bits(), n));
            for &(t, m) in &entries {
                // Popped first: the higher score, then the lower node.
                let expected = s.total_cmp(&t).then(m.cmp(&n));
                assert_eq!(
                    open_key(s, n).cmp(&open_key(t, m)),
                    expected,
                    "{s} {n} / {t} {m}"
                );
            }
        }
    }

    #[test]
    fn malformed_models_are_errors_not_panics() {
        assert!(FastTextModel::from_bytes(b"").is_err());
        assert!(FastTextModel::from_bytes(&crate::lang::LID176[..1000]).is_err());
        let mut bad_magic = crate::lang::LID176.to_vec();
        bad_magic[0] ^= 1;
        assert!(FastTextModel::from_bytes(&bad_magic).is_err());
        // Every truncation point fails cleanly.
        for cut in (0..crate::lang::LID176.len()).step_by(19_997) {
            assert!(FastTextModel::from_bytes(&crate::lang::LID176[..cut]).is_err());
        }
        // Flipped bytes anywhere give a model or an error, never a panic; and a model that loads
        // still predicts without panicking.
        let mut rng = crate::test_rng::XorShift::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..30 {
            let state = rng.next_u64();
            let mut bytes = crate::lang::LID176.to_vec();
            let at = (state % bytes.len() as u64) as usize;
            bytes[at] ^= (state >> 56) as u8 | 1;
            if let Ok(m) = FastTextModel::from_bytes(&bytes) {
                let _ = m.predict("Harga cabai rawit naik lagi", 3, 0.0);
            }
        }
    }
}
