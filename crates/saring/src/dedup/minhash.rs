//! MinHash signatures and LSH band keys.
//!
//! The geometry defaults to datatrove's FineWeb setup: word 5-grams of the normalised text, 64-bit
//! hashes, 14 bands of 8 rows (112 hash functions). Two documents become candidates when all 8 values
//! of any band agree; the probability is `1 - (1 - J^8)^14` for Jaccard similarity `J` (0.92 at
//! J = 0.8, 0.56 at J = 0.7, 0.13 at J = 0.5).
//!
//! The hash functions are seeded in-house, so signatures are identical across the CLI and future
//! Python/Ray runs (they are not bit-compatible with datatrove's; the decisions are what we compare).

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::normalize::words;

/// MinHash geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MinHashConfig {
    /// Words per shingle.
    pub ngram: usize,
    pub bands: usize,
    pub rows: usize,
    /// Seed of the hash family (change it to get an independent family).
    pub seed: u64,
}

impl Default for MinHashConfig {
    /// datatrove's FineWeb settings: 5-grams, 14 bands × 8 rows.
    fn default() -> Self {
        MinHashConfig {
            ngram: 5,
            bands: 14,
            rows: 8,
            seed: 1,
        }
    }
}

/// splitmix64's finaliser: a fast, well-mixed 64-bit permutation.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

pub struct MinHasher {
    config: MinHashConfig,
    /// Multiplier (odd) and addend per hash function, derived from the seeds.
    coefficients: Vec<(u64, u64)>,
}

impl MinHasher {
    pub fn new(config: MinHashConfig) -> Self {
        let n = config.bands * config.rows;
        let seeds: Vec<u64> = (0..n as u64)
            .map(|i| {
                mix(config
                    .seed
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .wrapping_add(i + 1))
            })
            .collect();
        let coefficients = seeds
            .iter()
            .map(|&s| (mix(s) | 1, mix(s ^ 0x5851_f42d_4c95_7f2d)))
            .collect();
        MinHasher {
            config,
            coefficients,
        }
    }

    pub fn config(&self) -> &MinHashConfig {
        &self.config
    }

    /// Hashes of the word n-gram shingles of a simplified text, sorted and deduplicated (a text
    /// shorter than one shingle is one shingle of all its words; an empty text has none).
    pub fn shingles(&self, simplified: &str) -> Vec<u64> {
        let mut out = self.shingle_hashes(simplified);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The shingle hashes in text order, repeats included: all a signature needs (a minimum does not
    /// care about order or repeats, and sorting cost more than the few repeats do).
    pub fn shingle_hashes(&self, simplified: &str) -> Vec<u64> {
        let word_hashes: Vec<u64> = words(simplified).map(xxh3_64).collect();
        if word_hashes.is_empty() {
            return Vec::new();
        }
        let n = self.config.ngram.max(1).min(word_hashes.len());
        word_hashes
            .windows(n)
            .map(|w| {
                let mut bytes = [0u8; 8 * 16];
                let len = w.len().min(16);
                for (i, h) in w.iter().take(len).enumerate() {
                    bytes[i * 8..i * 8 + 8].copy_from_slice(&h.to_le_bytes());
                }
                xxh3_64(&bytes[..len * 8])
            })
            .collect()
    }

    /// The MinHash signature of a shingle set (empty for no shingles).
    pub fn signature(&self, shingles: &[u64]) -> Vec<u64> {
        if shingles.is_empty() {
            return Vec::new();
        }
        // Shingle hashes are already well mixed (xxh3), so each hash function is one multiply-add
        // with an odd multiplier (a permutation of u64) instead of a full mixer: 3x fewer operations.
        // Hash functions go in blocks of LANES, each block one pass over the shingles with its
        // minima in registers: independent multiply chains and no store per shingle and function
        // (the slot-per-shingle loop was bound by loads and stores of the signature).
        const LANES: usize = 8;
        let mut sig = vec![u64::MAX; self.coefficients.len()];
        let mut blocks = self.coefficients.chunks_exact(LANES);
        let mut slots = sig.chunks_exact_mut(LANES);
        for (block, out) in (&mut blocks).zip(&mut slots) {
            let a: [u64; LANES] = std::array::from_fn(|i| block[i].0);
            let b: [u64; LANES] = std::array::from_fn(|i| block[i].1);
            let mut min = [u64::MAX; LANES];
            for &s in shingles {
                for i in 0..LANES {
                    min[i] = min[i].min(a[i].wrapping_mul(s).wrapping_add(b[i]));
                }
            }
            out.copy_from_slice(&min);
        }
        for (slot, (a, b)) in slots.into_remainder().iter_mut().zip(blocks.remainder()) {
            *slot = shingles
                .iter()
                .map(|&s| a.wrapping_mul(s).wrapping_add(*b))
                .min()
                .unwrap_or(u64::MAX);
        }
        sig
    }

    /// One key per band: a hash of the band's rows and its index.
    pub fn band_keys(&self, signature: &[u64]) -> Vec<u64> {
        if signature.is_empty() {
            return Vec::new();
        }
        signature
            .chunks(self.config.rows)
            .enumerate()
            .map(|(band, rows)| {
                let bytes: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
                xxh3_64_with_seed(&bytes, band as u64)
            })
            .collect()
    }
}

/// Jaccard similarity of two sorted, deduplicated shingle sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::normalize::simplify;

    fn text(n: usize, change_every: usize) -> String {
        (0..n)
            .map(|i| {
                if change_every > 0 && i % change_every == 0 {
                    format!("ganti{i}x")
                } else {
                    format!("kata{}", ["a", "b", "c", "d", "e", "f", "g"][i % 7])
                        + &"z".repeat(i % 11)
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn signature_agreement_estimates_jaccard() {
        let m = MinHasher::new(MinHashConfig {
            bands: 32,
            rows: 8,
            ..MinHashConfig::default()
        });
        let a = m.shingles(&simplify(&text(800, 0)));
        let b = m.shingles(&simplify(&text(800, 40)));
        let j = jaccard(&a, &b);
        let (sa, sb) = (m.signature(&a), m.signature(&b));
        let est = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / sa.len() as f64;
        assert!((est - j).abs() < 0.1, "estimate {est} vs true {j}");
        assert!(j > 0.3 && j < 1.0, "{j}");
    }

    #[test]
    fn identical_texts_share_every_band_and_short_texts_have_one_shingle() {
        let m = MinHasher::new(MinHashConfig::default());
        let a = m.band_keys(&m.signature(&m.shingles("satu dua tiga empat lima enam")));
        let b = m.band_keys(&m.signature(&m.shingles("satu dua tiga empat lima enam")));
        assert_eq!(a.len(), 14);
        assert_eq!(a, b);
        assert_eq!(m.shingles("dua kata").len(), 1);
        assert!(m.shingles("").is_empty());
    }
}
