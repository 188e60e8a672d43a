//! Phase 7 of a month: work and income (Participatiewet, Wajong, Wsw, beschut werk).
//!
//! Every citizen from 18 to the AOW age has a labour status and a loonwaarde (wage value).
//! One month runs in four steps:
//! 1. `transitions` (parallel, read-only, then applied): education, job loss and finding on
//!    the regular labour market (hazards that follow the macro unemployment rate and fall with
//!    the distance to the labour market), WW running out, the household means test for
//!    bijstand, debts, sanctions, and the gemeente's choice of instrument per client, which
//!    weighs its own cost against the bijstand it expects to save (facts.md MC15-MC17, MC21,
//!    MC23).
//! 2. `employer_pool` (sequential, per arbeidsmarktregio): placements break down unless every
//!    party keeps up its effort (MC20); willing employers with a free slot post vacancies; the
//!    best-scoring candidates (high loonwaarde, physical rather than psychological
//!    limitations, MC19) are hired, with a wage-cost subsidy (LKS) or via the Wajong; a
//!    young disabled person needs a UWV assessment (the doelgroepregister) before an LKS.
//! 3. `sheltered`: Wsw admissions from the waiting list while the Wsw is open, and the beschut
//!    werk places the gemeente must offer under the obligation.
//! 4. `income`: each household's income from its adults' statuses (work and hours, WW,
//!    bijstand norms, Wajong, Wsw, AOW and pension), standardised by the CBS scale.
//! 5. `money` and `measure`: bijstand, reintegration, Wsw and Wajong spending per gemeente;
//!    counts; and the cohorts of `cohorts.csv`.

mod employers;
mod hazards;
pub mod income;
mod init;
mod instrument;
pub mod kinds;
pub mod measure;
mod money;
mod rules;
mod sheltered;
mod state;
mod transitions;

pub use super::cohorts::{COHORT_DEFINITIONS, COHORT_INDICATORS, CohortRow, Cohorts};
pub use employers::employer_pool;
pub(crate) use init::draw_loonwaarde;
pub use init::initialise;
pub use instrument::lks_cost;
pub use kinds::{Instrument, JobFlags, LabourStatus, Payer, PwFlags};
pub use measure::{LabourTally, measure};
pub use money::money;
pub use rules::effective_loonwaarde;
pub use sheltered::sheltered;
pub use state::{Employers, LabourState};
pub use transitions::transitions;

/// The reference scenario's parameters, for unit tests.
#[cfg(test)]
pub(crate) fn reference_params() -> crate::scenario::Params {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
    crate::scenario::load(&path)
        .expect("reference.toml loads")
        .variants[0]
        .params
        .clone()
}
