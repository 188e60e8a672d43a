//! Phases 4-6 and 8 of a month for the Wmo 2015: seeking help, the keukentafelgesprek,
//! provision by capacity-limited providers with waiting lists, the Wlz boundary, and money
//! (spending and co-payments).
//!
//! Provision types (facts.md W1-W4, W8): the maatwerk provisions of
//! [`Provision`](super::provision::Provision) (huishoudelijke hulp, ondersteuning thuis,
//! hulpmiddelen en diensten, verblijf en opvang), whose per-type rules live in `provision.rs`,
//! and algemene voorzieningen. Providers are
//! pooled per type and purchasing region (the jeugdregio stands in for the Wmo purchasing
//! region); capacity, tariff and contract form are scenario parameters. The rules for one
//! citizen are plain functions of explicit inputs ([`apply_probability`], [`outcome`],
//! [`copay`], [`next_capacity`], ...), tested table by table beside them.
//!
//! One file per concern:
//! - `rules`: the severity thresholds, the provisions needed, formal hours;
//! - `copay`: cost prices and the co-payment;
//! - `setup`: what does not change month to month;
//! - `seek` (phase 4): the decision to apply;
//! - `assess` (phase 5): the keukentafelgesprek;
//! - `review` (phase 6a): help in place reviewed, referrals to the Wlz;
//! - `provide` (phase 6b): providers, capacity and waiting lists;
//! - `wlz` (phase 6c): admission to the Wlz;
//! - `measure`: the month's national counts;
//! - `money` (phase 8): spending and co-payments.

mod assess;
mod copay;
pub mod measure;
mod money;
mod provide;
mod review;
mod rules;
mod seek;
mod setup;
mod wlz;

pub use assess::{ASSESSMENT_CAPACITY_PER, Outcome, assess, outcome};
pub use copay::{
    COUPLE_EQUIVALENCE, PERIODS_PER_YEAR, Payer, billed_cost, copay, copay_income,
    income_dependent_max, unit_cost,
};
pub use measure::{LIMITED_SEVERITY, OLD_USER_AGE, WmoTally, measure};
pub use money::money;
pub use provide::{MIN_CAPACITY_FACTOR, capacity_clients, next_capacity, provide};
pub use review::Person;
pub use rules::{Thresholds, WEEKS_PER_MONTH, formal_hours, needed};
pub use seek::{GAP_HOURS, aow_age_months, apply_probability, price_of, seek, value_of};
pub use setup::WmoSetup;

/// True if `got` is within 1e-9 of `want`, for unit tests.
#[cfg(test)]
pub(crate) fn close(got: f64, want: f64) -> bool {
    (got - want).abs() < 1e-9
}
