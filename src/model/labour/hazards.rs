//! Yearly hazards as monthly probabilities, and the month's hazards of the labour transitions.

use crate::scenario::params::ParticipatieParams;

/// Yearly probability that someone whose loonwaarde fell below the sheltered line leaves a
/// regular job for a disability benefit (WIA, UWV). Assumption.
pub(super) const HEALTH_EXIT: f64 = 0.2;
/// Yearly probability that a nugger stops looking (discouraged). Assumption.
pub(super) const NUGGER_QUIT: f64 = 0.15;
/// Yearly probability of leaving the Wsw or beschut werk before the AOW age. Assumption.
pub(super) const SHELTERED_EXIT: f64 = 0.02;

/// Probability within a month of an event with yearly probability `yearly`, its hazard
/// multiplied by `factor`.
#[inline]
pub(super) fn monthly_prob(yearly: f64, factor: f64) -> f64 {
    if yearly >= 1.0 {
        return 1.0;
    }
    1.0 - ((1.0 - yearly).ln() * factor / 12.0).exp()
}

/// A yearly hazard turned into monthly probabilities with its logarithm taken once a month:
/// [`Hazard::prob`] is bit for bit `monthly_prob(yearly, factor)`, without the `ln` (and,
/// at factor 1, without the `exp`) per citizen (issue #8: these were a seventh of a month).
/// The month's usual factor is computed once too.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hazard {
    pub(super) yearly: f64,
    pub(super) ln_keep: f64,
    /// The factor most citizens have this month, and the probability at it.
    pub(super) usual: (f64, f64),
}

impl Hazard {
    pub(super) fn new(yearly: f64, usual_factor: f64) -> Hazard {
        Hazard {
            yearly,
            ln_keep: if yearly >= 1.0 {
                0.0
            } else {
                (1.0 - yearly).ln()
            },
            usual: (usual_factor, monthly_prob(yearly, usual_factor)),
        }
    }

    /// `monthly_prob(yearly, factor)`.
    #[inline]
    pub(super) fn prob(&self, factor: f64) -> f64 {
        if self.yearly >= 1.0 {
            return 1.0;
        }
        if factor == self.usual.0 {
            return self.usual.1;
        }
        1.0 - (self.ln_keep * factor / 12.0).exp()
    }
}

/// The month's hazards of the labour transitions.
pub(super) struct Hazards {
    pub(super) education_exit: f64,
    pub(super) health_exit: f64,
    pub(super) job_loss: Hazard,
    pub(super) inactivity: f64,
    pub(super) job_finding: Hazard,
    pub(super) bijstand_other_exit: f64,
    pub(super) nugger_quit: f64,
    pub(super) sheltered_exit: f64,
    pub(super) return_to_work: f64,
    pub(super) debt_resolve: f64,
    pub(super) debt_onset_low_income: f64,
    pub(super) debt_onset_working: f64,
}

impl Hazards {
    /// `loss_factor`: the month's factor on the job-loss hazard (the macro economy).
    pub(super) fn new(pp: &ParticipatieParams, loss_factor: f64) -> Hazards {
        let at_one = |yearly: f64| monthly_prob(yearly, 1.0);
        let d = &pp.debts;
        Hazards {
            education_exit: at_one(pp.education_exit_rate.get()),
            health_exit: at_one(HEALTH_EXIT),
            job_loss: Hazard::new(pp.job_loss_rate.get(), loss_factor),
            inactivity: at_one(pp.inactivity_rate.get()),
            job_finding: Hazard::new(pp.job_finding_rate.get(), 1.0),
            bijstand_other_exit: at_one(pp.bijstand_other_exit.get()),
            nugger_quit: at_one(NUGGER_QUIT),
            sheltered_exit: at_one(SHELTERED_EXIT),
            return_to_work: at_one(pp.return_rate.get()),
            debt_resolve: at_one(d.resolve_rate.get()),
            debt_onset_low_income: at_one(d.onset_low_income.get()),
            debt_onset_working: at_one(d.onset_working.get()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_probability_compounds() {
        let p = monthly_prob(0.2, 1.0);
        assert!(((1.0 - p).powi(12) - 0.8).abs() < 1e-12);
        assert_eq!(monthly_prob(1.0, 0.5), 1.0);
        assert!(monthly_prob(0.2, 2.0) > p);
    }
}
