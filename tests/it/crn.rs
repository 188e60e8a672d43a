//! Common random numbers between variants: a parameter of one mechanism changes what that
//! mechanism decides and what follows from it, never the draws of other decisions (every
//! decision draws from a stream of its own, `src/model/streams.rs`).

use crate::load;
use sociaal::engine::{Model, Month, PhaseTimer};
use sociaal::model::Simulation;
use sociaal::model::indicators::INDICATORS;
use sociaal::scenario::types::Share;

/// Indicators of decisions that nothing in work and income feeds: demography and youth care.
/// (If a mechanism ever links them, say income to fertility, this list must shrink with it.)
const UNRELATED: [&str; 17] = [
    "population",
    "households",
    "births",
    "deaths",
    "immigrants",
    "emigrants",
    "movers",
    "jeugdhulp_users",
    "jeugdhulp_verblijf_users",
    "jeugdhulp_ambulant_users",
    "jeugdhulp_wijkteam_users",
    "jeugdbescherming_measures",
    "jeugdreclassering_measures",
    "jeugd_waiting",
    "jeugd_referrals_gp",
    "jeugd_referrals_court",
    "jeugd_spending_eur",
];

/// Two variants from one state that differ only in a labour mechanism's parameter (the share
/// of people without work or benefit who register as jobseekers): for two years, births,
/// deaths, migration, moves and every youth-care decision are identical month by month,
/// while the labour market differs from the first month.
#[test]
fn a_labour_parameter_leaves_demography_and_youth_care_draws_alone() {
    let s = load("tests/data/tiny.toml");
    let mut a = Simulation::new(&s, &s.variants[0], s.seed);
    let mut b = a.clone();
    let share = a.params.participatie.nugger_share.get();
    b.params.participatie.nugger_share = Share(if share > 0.5 { 0.05 } else { 0.95 });
    let index = |name: &str| INDICATORS.iter().position(|i| i.name == name).unwrap();
    let mut labour_differs = false;
    let mut t = PhaseTimer::new();
    for m in s.start.range_inclusive(Month::new(2016, 12)) {
        let ra = a.step_month(m, &mut t);
        let rb = b.step_month(m, &mut t);
        for name in UNRELATED {
            let k = index(name);
            assert_eq!(
                ra.national[k].to_bits(),
                rb.national[k].to_bits(),
                "{name} in {m}: {} against {}",
                ra.national[k],
                rb.national[k]
            );
        }
        let k = index("nugger_persons");
        labour_differs |= ra.national[k] != rb.national[k];
    }
    assert!(labour_differs, "the parameter changed nothing");
}
