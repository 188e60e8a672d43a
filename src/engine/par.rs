//! The chunked parallel map.
//!
//! Work over `n` agents is split into chunks of [`CHUNK`] consecutive indices. The chunking
//! depends only on `n`, never on the number of threads, and results come back in chunk order,
//! so anything built from them (intents, float sums) is the same on 1 or 64 threads.
//! The functions run on whatever rayon pool the caller installed (`ThreadPool::install`).

use rayon::prelude::*;
use std::ops::Range;

/// Agents per chunk: large enough to amortise scheduling, small enough to balance load.
pub const CHUNK: usize = 8192;

/// The chunk ranges covering `0..n`.
pub fn chunk_ranges(n: usize) -> impl IndexedParallelIterator<Item = Range<usize>> {
    (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(move |c| c * CHUNK..((c + 1) * CHUNK).min(n))
}

/// Applies `f` to every chunk of `0..n` in parallel; results are in chunk order.
pub fn map_chunks<R, F>(n: usize, f: F) -> Vec<R>
where
    R: Send,
    F: Fn(Range<usize>) -> R + Sync + Send,
{
    chunk_ranges(n).map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_everything_in_order_on_any_pool() {
        let n = 3 * CHUNK + 17;
        let mut outs = Vec::new();
        for threads in [1, 2, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let r: Vec<Range<usize>> = pool.install(|| map_chunks(n, |r| r));
            outs.push(r);
        }
        assert_eq!(outs[0], outs[1]);
        assert_eq!(outs[0], outs[2]);
        assert_eq!(outs[0].len(), 4);
        assert_eq!(outs[0].last().unwrap().end, n);
        assert!(map_chunks(0, |r| r).is_empty());
    }
}
