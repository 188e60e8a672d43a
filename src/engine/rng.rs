//! Keyed random streams.
//!
//! Every random draw in a run comes from a [`Stream`] derived from the key
//! `(run seed, purpose, agent id, month)`. A stream is a SplitMix64 generator whose start
//! state is a strong hash of the key, so a draw never depends on which thread or chunk handled
//! the agent, nor on how many draws other agents made before it. This is what makes results
//! identical whatever the number of threads.

use std::convert::Infallible;

/// What a draw is for. The model defines one constant per decision, so that adding a decision
/// never shifts the draws of another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purpose(pub u32);

/// A small, fast random stream for one `(seed, purpose, agent, month)` key.
#[derive(Clone, Debug)]
pub struct Stream {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 / Stafford variant 13 finaliser: a bijective 64-bit mixer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The part of a stream key shared by all agents: `(seed, purpose, month)`, hashed once so
/// that a hot loop pays one mix per agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// Hashes `(seed, purpose, month)`.
    #[inline]
    pub fn new(seed: u64, purpose: Purpose, month: u32) -> StreamKey {
        let mut k = mix64(seed ^ GOLDEN);
        k = mix64(k ^ (u64::from(purpose.0).wrapping_mul(GOLDEN) ^ 0x5851_F42D_4C95_7F2D));
        k = mix64(k ^ u64::from(month).wrapping_mul(0xA076_1D64_78BD_642F));
        StreamKey(k)
    }

    /// The stream of one agent. `agent` is a persistent id (never an array index that can
    /// move).
    #[inline]
    pub fn stream(self, agent: u64) -> Stream {
        Stream {
            state: mix64(self.0 ^ agent.wrapping_mul(0xD6E8_FEB8_6659_FD93)),
        }
    }
}

impl Stream {
    /// The stream for one key. Same as `StreamKey::new(seed, purpose, month).stream(agent)`.
    #[inline]
    pub fn new(seed: u64, purpose: Purpose, agent: u64, month: u32) -> Stream {
        StreamKey::new(seed, purpose, month).stream(agent)
    }

    /// Next 64 random bits (SplitMix64).
    #[inline]
    pub fn next_bits(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// Skips `n` draws of 64 bits: the stream continues as if `next_bits` had been called `n`
    /// times (SplitMix64's state advances by a constant per draw).
    #[inline]
    pub fn skip(&mut self, n: u64) {
        self.state = self.state.wrapping_add(GOLDEN.wrapping_mul(n));
    }

    /// A uniform number in `[0, 1)` with 53 bits of precision.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (p <= 0 never, p >= 1 always).
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// A uniform integer in `0..n` (n > 0), by Lemire's multiply-shift (bias below 2^-32 for
    /// the small `n` used here).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        ((u128::from(self.next_bits()) * u128::from(n)) >> 64) as u64
    }

    /// A standard normal draw (Box-Muller; uses two uniforms).
    #[inline]
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Lets `rand_distr` distributions sample from a [`Stream`].
impl rand::TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_bits() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_bits())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_bits().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_draws_and_different_keys_differ() {
        let a: Vec<u64> = {
            let mut s = Stream::new(1, Purpose(2), 3, 4);
            (0..4).map(|_| s.next_bits()).collect()
        };
        let b: Vec<u64> = {
            let mut s = Stream::new(1, Purpose(2), 3, 4);
            (0..4).map(|_| s.next_bits()).collect()
        };
        assert_eq!(a, b);
        for other in [
            Stream::new(2, Purpose(2), 3, 4),
            Stream::new(1, Purpose(3), 3, 4),
            Stream::new(1, Purpose(2), 4, 4),
            Stream::new(1, Purpose(2), 3, 5),
        ] {
            let mut o = other;
            assert_ne!(o.next_bits(), a[0]);
        }
    }

    #[test]
    fn skip_is_the_same_as_drawing() {
        let mut a = Stream::new(3, Purpose(4), 5, 6);
        let mut b = a.clone();
        for _ in 0..7 {
            a.next_bits();
        }
        b.skip(7);
        assert_eq!(a.next_bits(), b.next_bits());
    }

    #[test]
    fn key_and_new_agree() {
        let k = StreamKey::new(5, Purpose(6), 7);
        assert_eq!(
            k.stream(8).next_bits(),
            Stream::new(5, Purpose(6), 8, 7).next_bits()
        );
    }

    #[test]
    fn neighbouring_agents_are_uncorrelated() {
        // Consecutive ids are the common case; their first draws must not correlate.
        let k = StreamKey::new(1, Purpose(1), 1);
        let xs: Vec<f64> = (0..100_000u64).map(|a| k.stream(a).uniform()).collect();
        let n = (xs.len() - 1) as f64;
        let mean = 0.5;
        let cov: f64 = xs
            .windows(2)
            .map(|w| (w[0] - mean) * (w[1] - mean))
            .sum::<f64>()
            / n;
        let corr = cov / (1.0 / 12.0);
        assert!(corr.abs() < 0.01, "lag-1 correlation {corr}");
    }

    #[test]
    fn uniform_mean_and_chance_rate_are_right() {
        // Streams across agents (one draw each, as the model uses them) must look uniform.
        let n = 200_000u64;
        let mut sum = 0.0;
        let mut hits = 0u64;
        for agent in 0..n {
            let mut s = Stream::new(42, Purpose(7), agent, 300);
            let u = s.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
            if s.chance(0.1) {
                hits += 1;
            }
        }
        let mean = sum / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        let rate = hits as f64 / n as f64;
        assert!((rate - 0.1).abs() < 0.005, "rate {rate}");
    }

    #[test]
    fn below_and_normal_are_sane() {
        let mut s = Stream::new(9, Purpose(1), 1, 1);
        let mut counts = [0u32; 5];
        let mut sum = 0.0;
        let mut sq = 0.0;
        for _ in 0..100_000 {
            counts[s.below(5) as usize] += 1;
            let z = s.normal();
            sum += z;
            sq += z * z;
        }
        assert!(
            counts.iter().all(|&c| (19_000..21_000).contains(&c)),
            "{counts:?}"
        );
        assert!((sum / 1e5).abs() < 0.02);
        assert!((sq / 1e5 - 1.0).abs() < 0.03);
    }

    #[test]
    fn works_with_rand_distr() {
        use rand_distr::{Distribution, LogNormal};
        let d = LogNormal::new(0.0, 0.5).unwrap();
        let mut s = Stream::new(1, Purpose(1), 1, 1);
        let x: f64 = d.sample(&mut s);
        assert!(x > 0.0);
    }
}
