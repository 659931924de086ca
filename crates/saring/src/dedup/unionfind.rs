//! Union-find over document numbers, for clustering duplicate pairs in-process.
//!
//! Components do not depend on the order in which pairs are united. Which member survives is decided
//! separately, by a content-based rank (see [`super::Rank`]), so the result does not depend on input
//! order either.

pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    pub fn find(&mut self, x: u32) -> u32 {
        let mut root = x;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        // Path compression.
        let mut x = x;
        while self.parent[x as usize] != root {
            let next = self.parent[x as usize];
            self.parent[x as usize] = root;
            x = next;
        }
        root
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        // Union by size keeps trees shallow.
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }

    /// Size of the component of `x`.
    pub fn component_size(&mut self, x: u32) -> u32 {
        let r = self.find(x);
        self.size[r as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_do_not_depend_on_union_order() {
        let pairs = [(0, 1), (2, 3), (1, 3), (5, 6)];
        let mut a = UnionFind::new(8);
        for &(x, y) in &pairs {
            a.union(x, y);
        }
        let mut b = UnionFind::new(8);
        for &(x, y) in pairs.iter().rev() {
            b.union(y, x);
        }
        for x in 0..8 {
            for y in 0..8 {
                assert_eq!(a.find(x) == a.find(y), b.find(x) == b.find(y));
            }
        }
        assert_eq!(a.component_size(2), 4);
        assert_eq!(a.component_size(4), 1);
    }
}
