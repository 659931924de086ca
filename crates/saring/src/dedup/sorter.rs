//! An external sorter for fixed-size entries: memory you can plan.
//!
//! Dedup needs every (band key, document) and (line key, document) pair of the corpus sorted by key.
//! At crawl scale that does not fit in memory, and a hash map of it is what gets peers killed by the
//! OOM killer. Entries are buffered up to a fixed capacity (from `--memory`), sorted and written to a
//! temporary run file whenever the buffer is full, and merged back in key order at the end. With or
//! without spilling the merged stream is the same, so the result never depends on the budget.
//!
//! Runs are merged in tiers so that open files stay bounded however small the budget: whenever
//! `fan_in` runs of the same tier exist, they are merged into one run of the next tier (as an LSM tree
//! does). At most `fan_in` runs per tier are open, and each entry is rewritten once per tier
//! (log base `fan_in` of the number of spills).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One sortable entry: a 128-bit key (`key`, `aux`) and a document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    pub key: u64,
    pub aux: u64,
    pub doc: u32,
}

const ENTRY_BYTES: usize = 20;

impl Entry {
    fn write(&self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(&self.key.to_le_bytes())?;
        w.write_all(&self.aux.to_le_bytes())?;
        w.write_all(&self.doc.to_le_bytes())
    }

    fn read(r: &mut impl Read) -> io::Result<Option<Entry>> {
        let mut b = [0u8; ENTRY_BYTES];
        match r.read_exact(&mut b) {
            Ok(()) => Ok(Some(Entry {
                key: u64::from_le_bytes(b[0..8].try_into().expect("8 bytes")),
                aux: u64::from_le_bytes(b[8..16].try_into().expect("8 bytes")),
                doc: u32::from_le_bytes(b[16..20].try_into().expect("4 bytes")),
            })),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Runs merged at once, and the most runs of one tier kept open.
pub const DEFAULT_FAN_IN: usize = 64;

/// Buffers entries within a memory budget and spills sorted runs to disk.
pub struct ExternalSorter {
    buffer: Vec<Entry>,
    capacity: usize,
    dir: PathBuf,
    /// Sorted run files with their tier (0 = written from the buffer).
    runs: Vec<(u32, File)>,
    fan_in: usize,
    pub spilled_entries: u64,
    /// Runs written by tier merges (entries rewritten, not counted in `spilled_entries`).
    pub merged_runs: u64,
}

impl ExternalSorter {
    /// A sorter that holds at most `budget_bytes` of entries in memory; runs go to `dir`.
    pub fn new(budget_bytes: usize, dir: &Path) -> Self {
        let capacity = (budget_bytes / std::mem::size_of::<Entry>()).max(64);
        ExternalSorter {
            buffer: Vec::new(),
            capacity,
            dir: dir.to_path_buf(),
            runs: Vec::new(),
            fan_in: DEFAULT_FAN_IN,
            spilled_entries: 0,
            merged_runs: 0,
        }
    }

    /// Merge this many runs at a time (at least 2).
    pub fn with_fan_in(mut self, fan_in: usize) -> Self {
        self.fan_in = fan_in.max(2);
        self
    }

    fn temp_file(&self) -> io::Result<File> {
        tempfile::tempfile_in(&self.dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create a spill file in {}: {e}", self.dir.display()),
            )
        })
    }

    /// While the newest `fan_in` runs share a tier, merge them into one run of the next tier.
    fn merge_tiers(&mut self) -> io::Result<()> {
        while self.runs.len() >= self.fan_in {
            let tail = &self.runs[self.runs.len() - self.fan_in..];
            let tier = tail[0].0;
            if tail.iter().any(|(t, _)| *t != tier) {
                break;
            }
            let group: Vec<File> = self
                .runs
                .drain(self.runs.len() - self.fan_in..)
                .map(|(_, f)| f)
                .collect();
            let mut w = BufWriter::with_capacity(1 << 20, self.temp_file()?);
            for entry in merge(group)? {
                entry?.write(&mut w)?;
            }
            let mut file = w.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            self.runs.push((tier + 1, file));
            self.merged_runs += 1;
        }
        Ok(())
    }

    pub fn push(&mut self, entry: Entry) -> io::Result<()> {
        if self.buffer.len() >= self.capacity {
            self.spill()?;
        }
        self.buffer.push(entry);
        Ok(())
    }

    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.buffer.sort_unstable();
        let mut w = BufWriter::with_capacity(1 << 20, self.temp_file()?);
        for e in &self.buffer {
            e.write(&mut w)?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.spilled_entries += self.buffer.len() as u64;
        self.runs.push((0, file));
        self.buffer.clear();
        self.buffer.shrink_to_fit();
        self.merge_tiers()
    }

    /// All entries in sorted order.
    pub fn finish(mut self) -> io::Result<SortedEntries> {
        if self.runs.is_empty() {
            self.buffer.sort_unstable();
            return Ok(SortedEntries::Memory(self.buffer.into_iter()));
        }
        self.spill()?;
        merge(self.runs.into_iter().map(|(_, f)| f).collect())
    }
}

/// Merge sorted run files into one sorted stream.
fn merge(runs: Vec<File>) -> io::Result<SortedEntries> {
    let mut readers: Vec<BufReader<File>> = runs
        .into_iter()
        .map(|f| BufReader::with_capacity(1 << 16, f))
        .collect();
    let mut heap = BinaryHeap::with_capacity(readers.len());
    for (i, r) in readers.iter_mut().enumerate() {
        if let Some(e) = Entry::read(r)? {
            heap.push(Reverse((e, i)));
        }
    }
    Ok(SortedEntries::Merge { readers, heap })
}

/// The merged, sorted entries.
pub enum SortedEntries {
    Memory(std::vec::IntoIter<Entry>),
    Merge {
        readers: Vec<BufReader<File>>,
        heap: BinaryHeap<Reverse<(Entry, usize)>>,
    },
}

impl Iterator for SortedEntries {
    type Item = io::Result<Entry>;

    fn next(&mut self) -> Option<io::Result<Entry>> {
        match self {
            SortedEntries::Memory(it) => it.next().map(Ok),
            SortedEntries::Merge { readers, heap } => {
                let Reverse((entry, i)) = heap.pop()?;
                match Entry::read(&mut readers[i]) {
                    Ok(Some(next)) => heap.push(Reverse((next, i))),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                }
                Some(Ok(entry))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: u32) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                key: (i as u64 * 7919) % 1013,
                aux: (i % 3) as u64,
                doc: i,
            })
            .collect()
    }

    #[test]
    fn spilled_and_in_memory_sorts_agree() {
        let dir = tempfile::tempdir().unwrap();
        let mut small = ExternalSorter::new(0, dir.path()); // the smallest capacity: spills
        let mut big = ExternalSorter::new(1 << 26, dir.path());
        for e in entries(10_000) {
            small.push(e).unwrap();
            big.push(e).unwrap();
        }
        assert!(small.runs() >= 9);
        assert_eq!(big.runs(), 0);
        // The same with tier merges: four runs at a time, so at most a few files are ever open.
        let mut tiered = ExternalSorter::new(0, dir.path()).with_fan_in(4);
        for e in entries(10_000) {
            tiered.push(e).unwrap();
        }
        assert!(tiered.merged_runs > 40, "{}", tiered.merged_runs);
        assert!(tiered.runs() < 4 * 4, "{} runs open", tiered.runs());
        let c: Vec<Entry> = tiered.finish().unwrap().map(|e| e.unwrap()).collect();
        let a: Vec<Entry> = small.finish().unwrap().map(|e| e.unwrap()).collect();
        let b: Vec<Entry> = big.finish().unwrap().map(|e| e.unwrap()).collect();
        let mut expected = entries(10_000);
        expected.sort();
        assert_eq!(a, expected);
        assert_eq!(b, expected);
        assert_eq!(c, expected);
    }
}
