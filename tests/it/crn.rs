//! Common random numbers between variants: a parameter of one mechanism changes what that
//! mechanism decides and what follows from it, never the draws of other decisions (every
//! decision draws from a stream of its own, `src/model/streams.rs`).

use crate::load;
use sociaal::engine::{Model, Month, PhaseTimer};
use sociaal::model::Simulation;
use sociaal::model::indicators::INDICATORS;
use sociaal::scenario::types::{NonNegative, Share};

/// Indicators of decisions that nothing in work and income feeds once the four links below are
/// switched off (coordination across laws, debts to parenting stress, poverty to limitations,
/// the gemeente's books to youth-care access):
/// demography and youth care. (If a mechanism ever links them otherwise, say income to
/// fertility, this list must shrink with it.)
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
    // Five mechanisms do lead from work and income to youth care, and are switched off here so
    // that what is tested is the draws, not those links: help to a household that also has
    // bijstand works less well (coordination across laws, `gemeente.coordination_penalty`,
    // MC50); debts (whose onset depends on the labour status, and so on who registers as a
    // jobseeker) raise parenting stress (`jeugd.debt_stress`); poverty brings limitations
    // earlier (`needs.poverty_effect`), whose Wmo applications take the wijkteam's time that
    // the youth route shares; and the gemeente's books (bijstand and reintegration spending move its result, and a gemeente
    // in deficit or under the province's supervision, which looks at all laws, tightens
    // youth-care access the next year).
    a.params.gemeente.coordination_penalty = NonNegative(0.0);
    a.params.jeugd.debt_stress = NonNegative(0.0);
    a.params.needs.poverty_effect = NonNegative(0.0);
    // Income follows work (issue #25): who registers, and so who is hired, moves household
    // incomes and with them the parenting stress of a low income (`jeugd.low_income_stress`).
    a.params.jeugd.low_income_stress = NonNegative(0.0);
    a.params.gemeente.strictness_step = NonNegative(0.0);
    a.params.gemeente.tariff_step = Share(0.0);
    a.params.gemeente.invest_step = NonNegative(0.0);
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
