//! The month loop: steps a model from its first to its last month and hands each month's
//! record to the caller. Knows nothing of what a model contains.

use super::{Month, PhaseTimer};

/// A model the engine can step.
pub trait Model {
    /// What one month produces.
    type Record;

    /// Steps one month; `timer` collects wall time per phase.
    fn step_month(&mut self, month: Month, timer: &mut PhaseTimer) -> Self::Record;

    /// Agents simulated at the moment (for throughput figures).
    fn agents(&self) -> usize;
}

/// Counters of one simulated span.
#[derive(Clone, Debug, Default)]
pub struct SpanStats {
    /// Agent-months simulated.
    pub agent_months: u64,
    /// Wall time per phase.
    pub timer: PhaseTimer,
}

/// Steps `model` through every month from `start` to `end` inclusive, calling `record` with
/// each month's record and `tick` after each month.
pub fn simulate<M: Model>(
    model: &mut M,
    start: Month,
    end: Month,
    mut record: impl FnMut(M::Record),
    mut tick: impl FnMut(),
) -> SpanStats {
    let mut stats = SpanStats::default();
    for month in start.range_inclusive(end) {
        stats.agent_months += model.agents() as u64;
        let r = model.step_month(month, &mut stats.timer);
        record(r);
        tick();
    }
    stats
}
