//! The pseudo-random numbers of the unit tests' generated cases: xorshift64 (shifts 13, 7, 17),
//! so the same seed gives the same cases on every machine and every run, and a failing case can
//! be replayed. Not for anything outside tests.

/// xorshift64 from a non-zero seed.
pub(crate) struct XorShift(u64);

impl XorShift {
    pub(crate) fn new(seed: u64) -> Self {
        debug_assert_ne!(seed, 0, "xorshift stays at 0 from 0");
        XorShift(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `len` pieces drawn one after another, joined: a generated line.
    pub(crate) fn joined<S: AsRef<str>>(&mut self, pieces: &[S], len: usize) -> String {
        (0..len)
            .map(|_| pieces[self.below(pieces.len())].as_ref())
            .collect()
    }
}
