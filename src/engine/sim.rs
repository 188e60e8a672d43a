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

    /// Whether the model found it cannot go on (a broken invariant, say): [`simulate`] stops
    /// after the month in which this became true. The model keeps the reason.
    fn halted(&self) -> bool {
        false
    }
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
/// each month's record and `tick` after each month; stops early after a month that leaves
/// the model [halted](Model::halted).
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
        if model.halted() {
            break;
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts months; halts after month `halt_at`.
    struct Counter {
        months: Vec<Month>,
        halt_at: Option<Month>,
    }

    impl Model for Counter {
        type Record = Month;
        fn step_month(&mut self, month: Month, _: &mut PhaseTimer) -> Month {
            self.months.push(month);
            month
        }
        fn agents(&self) -> usize {
            10
        }
        fn halted(&self) -> bool {
            self.halt_at.is_some_and(|h| self.months.last() == Some(&h))
        }
    }

    #[test]
    fn every_month_in_order_unless_the_model_halts() {
        let (start, end) = (Month::new(2015, 1), Month::new(2015, 12));
        let mut m = Counter {
            months: Vec::new(),
            halt_at: None,
        };
        let (mut records, mut ticks) = (Vec::new(), 0);
        let stats = simulate(&mut m, start, end, |r| records.push(r), || ticks += 1);
        assert_eq!(records, start.range_inclusive(end).collect::<Vec<_>>());
        assert_eq!((ticks, stats.agent_months), (12, 120));

        let mut m = Counter {
            months: Vec::new(),
            halt_at: Some(Month::new(2015, 3)),
        };
        let (mut records, mut ticks) = (Vec::new(), 0);
        let stats = simulate(&mut m, start, end, |r| records.push(r), || ticks += 1);
        assert_eq!(records.len(), 3, "the month that halted is the last");
        assert_eq!((ticks, stats.agent_months), (3, 30));
    }
}
