//! Wall time per named phase, summed over months (for `--timings`).

use std::time::{Duration, Instant};

/// Accumulates wall time per phase, in the order phases were first seen.
#[derive(Clone, Debug, Default)]
pub struct PhaseTimer {
    phases: Vec<(&'static str, Duration)>,
}

impl PhaseTimer {
    /// A timer with no phases yet.
    pub fn new() -> PhaseTimer {
        PhaseTimer::default()
    }

    /// Runs `f` and adds its wall time to `phase`.
    pub fn time<R>(&mut self, phase: &'static str, f: impl FnOnce() -> R) -> R {
        let t = Instant::now();
        let r = f();
        self.add(phase, t.elapsed());
        r
    }

    /// Adds `d` to `phase`.
    pub fn add(&mut self, phase: &'static str, d: Duration) {
        match self.phases.iter_mut().find(|(p, _)| *p == phase) {
            Some((_, total)) => *total += d,
            None => self.phases.push((phase, d)),
        }
    }

    /// Adds every phase of `other` into `self`.
    pub fn merge(&mut self, other: &PhaseTimer) {
        for &(p, d) in &other.phases {
            self.add(p, d);
        }
    }

    /// `(phase, seconds)` in first-seen order.
    pub fn seconds(&self) -> Vec<(&'static str, f64)> {
        self.phases
            .iter()
            .map(|&(p, d)| (p, d.as_secs_f64()))
            .collect()
    }
}
