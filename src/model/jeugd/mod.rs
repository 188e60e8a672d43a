//! The Jeugdwet: youth problems (ages 0-22) and parenting stress (phase 2), routes in (phase
//! 4), referral and assessment (phase 5), jeugdhulp, jeugdbescherming and jeugdreclassering
//! with capacity-limited providers and gecertificeerde instellingen (phase 6), money (phase 8).
//!
//! Most trajectories start outside the gemeente's control (GP, school, specialist, court;
//! facts.md MC6, J9): those routes refer straight to specialist care, only the wijkteam route
//! can give light help. Specialist care and GIs are bought per jeugdregio or per gemeente; a
//! small gemeente buying alone has few places, so its waiting lists pool less and it pays a
//! premium (facts.md MC39).
//!
//! One file per concern:
//! - `setup`: purchasing units and their populations, the local premium, GI staffing;
//! - `needs` (phase 2): parenting stress and youth problems;
//! - `refer` (phases 4-5): routes in, court orders and jeugdreclassering, referrals;
//! - `episodes` (phase 6a): help and measures end or move on, turning 18;
//! - `provide` (phase 6b): waiting lists admitted up to providers' and GIs' places;
//! - `money` (phase 8): spending per gemeente by form;
//! - `measure`: the month's national counts.

mod episodes;
pub mod measure;
mod money;
mod needs;
mod provide;
mod refer;
mod setup;

pub use episodes::{
    ADULT_NEED_SEVERITY, ADULT_NEED_SHARE, EpisodeKeys, Episodes, PROBLEM_GONE, end_episodes,
};
pub use measure::{JeugdTally, measure};
pub use money::money;
pub use needs::{
    HELPED_RECOVERY_FACTOR, MILD_SEVERITY, ONSET_FACTOR_INFANT, ONSET_SEVERITY, ONSET_SPREAD,
    ProblemKeys, ProblemRules, SIBLING_SEVERITY, STRESS_ADJUSTMENT, STRESS_UNIT, needs,
    next_problem, onset_hazard, problem_drift, stress_target,
};
pub use provide::{GI_URGENCY_BAND, JbYear, provide};
pub use refer::{
    DRIFT_BASE_YEAR, JR_MIN_AGE, MAJORITY_AGE, MIN_REFERRAL_THRESHOLD, Route, SCHOOL_AGES,
    SIBLING_FLOOR, TOP_QUINTILE_MARKETING, refer,
};
pub use setup::{
    JeugdSetup, LOW_INCOME_SHARE, MAX_YOUTH_AGE, PREMIUM_FREE_RATIO, PREMIUM_MAX_MULTIPLE,
    PREMIUM_SIZE,
};

/// True if `got` is within 1e-9 of `want`, for unit tests.
#[cfg(test)]
pub(crate) fn close(got: f64, want: f64) -> bool {
    (got - want).abs() < 1e-9
}
