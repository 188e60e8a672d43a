//! Each Participatiewet mechanism moves the numbers the right way and roughly the right size
//! (tests/data/participatie_mechanisms.toml: one variant per mechanism, same seed).

use sociaal::model::indicators::{Ind, Kind};
use sociaal::run::RunOutput;
use std::sync::OnceLock;

fn runs() -> &'static Vec<(String, RunOutput)> {
    static RUNS: OnceLock<Vec<(String, RunOutput)>> = OnceLock::new();
    RUNS.get_or_init(|| crate::run_variants("tests/data/participatie_mechanisms.toml"))
}

fn run(name: &str) -> &'static RunOutput {
    crate::variant(runs(), name)
}

/// The December value of a stock or ratio, or the yearly sum of a flow, in `year`.
fn value(name: &str, i: Ind, year: u32) -> f64 {
    let recs: Vec<f64> = run(name)
        .months
        .iter()
        .filter(|r| r.month.year() == year)
        .map(|r| r.national[i as usize])
        .collect();
    match i.def().kind {
        Kind::Flow => recs.iter().sum(),
        _ => *recs.last().unwrap(),
    }
}

fn cohort(name: &str, year: u32, indicator: &str) -> f64 {
    run(name)
        .cohorts
        .iter()
        .find(|&&(y, ind, _)| y == year && ind == indicator)
        .unwrap_or_else(|| panic!("{name}: no cohort {year} {indicator}"))
        .2
}

#[test]
fn closing_the_wsw_lowers_the_target_groups_job_chance() {
    // MC15, facts.md E5: before the reform at least 55% of the Wsw waiting list worked within
    // four years, mostly in the Wsw itself; closed, they depend on gemeente instruments.
    let open = cohort("wsw-open", 2014, "wsw_target_work_within_4y");
    let closed = cohort("participatiewet", 2014, "wsw_target_work_within_4y");
    assert!(open > 0.45, "work within 4 years with the Wsw open: {open}");
    assert!(closed < 0.5 * open, "closed {closed} against open {open}");
    // The Wsw stock ages out once closed; it stays near its places when open.
    let (wsw_open, wsw_closed) = (
        value("wsw-open", Ind::WswEmployees, 2019),
        value("participatiewet", Ind::WswEmployees, 2019),
    );
    assert!(
        wsw_closed < 0.85 * wsw_open,
        "Wsw {wsw_closed} vs {wsw_open}"
    );
    // Closing the Wajong: fewer Wajong benefits, more young disabled with bijstand or nothing.
    assert!(
        value("participatiewet", Ind::WajongPersons, 2019)
            < value("wsw-open", Ind::WajongPersons, 2019)
    );
    let any_benefit = cohort("participatiewet", 2016, "young_disabled_any_benefit_share");
    let any_benefit_open = cohort("wsw-open", 2016, "young_disabled_any_benefit_share");
    assert!(
        any_benefit < 0.6 && any_benefit_open > 0.9,
        "young disabled with a benefit: closed {any_benefit}, open {any_benefit_open}"
    );
}

#[test]
fn the_wsw_subsidy_passes_through_the_gemeentes_books() {
    // Issue #19: the Rijk pays the Wsw subsidy per employee through the gemeente; keeping the
    // Wsw open costs the Rijk, not the gemeente's participation account.
    let wsw = |v: &str| value(v, Ind::WswSpendingEur, 2019);
    let result = |v: &str| value(v, Ind::GemeenteResultParticipatieEur, 2019);
    let extra_subsidy = wsw("wsw-open") - wsw("participatiewet");
    assert!(extra_subsidy > 0.0, "the open Wsw pays more subsidy");
    let worse = result("participatiewet") - result("wsw-open");
    assert!(
        worse.abs() < 0.25 * extra_subsidy,
        "participation result {worse} worse with the Wsw open, subsidy {extra_subsidy} more"
    );
    for v in ["participatiewet", "wsw-open"] {
        let spending = value(v, Ind::GemeenteSpendingParticipatieEur, 2019);
        let reintegration = value(v, Ind::ReintegrationSpendingEur, 2019);
        assert!(
            (spending - reintegration).abs() <= 1e-6 * reintegration.max(1.0),
            "{v}: participation spending {spending} is reintegration {reintegration}"
        );
    }
}

#[test]
fn dearer_heavy_instruments_are_used_less() {
    // MC15-MC17: the gemeente weighs its own cost against the bijstand it saves.
    let heavy = |name: &str| {
        value(name, Ind::LksPersons, 2019) + value(name, Ind::BegeleidWerkPersons, 2019)
    };
    let (base, dear) = (heavy("participatiewet"), heavy("expensive-heavy"));
    assert!(base > 0.0, "no heavy instruments at all");
    assert!(
        dear < 0.7 * base,
        "heavy instruments: {base} -> {dear} when dearer"
    );
}

#[test]
fn the_obligation_raises_beschut_werk() {
    // MC17: beschut werk costs the gemeente more than bijstand; only the 2017 obligation
    // brings it.
    let with = value("participatiewet", Ind::BeschutWerkPersons, 2019);
    let without = value("no-obligation", Ind::BeschutWerkPersons, 2019);
    // Sample counts (scale 0.005): the 2019 obligation is 5 600 places, 28 agents.
    assert!(with >= 5.0, "beschut werk with the obligation: {with}");
    assert!(
        without < 0.2 * with,
        "without the obligation: {without} (with {with})"
    );
}

#[test]
fn employer_demand_caps_placements() {
    // MC19: placements need a willing employer with a free slot.
    let placed = |name: &str| value(name, Ind::PoolPlacements, 2019);
    let (base, few) = (placed("participatiewet"), placed("few-employers"));
    assert!(
        few < 0.3 * base,
        "placements {base} -> {few} with few employer slots"
    );
    let share = value("few-employers", Ind::EmployersEmployingShare, 2019);
    assert!(share < value("participatiewet", Ind::EmployersEmployingShare, 2019));
    assert!(value("participatiewet", Ind::EmployersEmployingShare, 2019) < 0.6);
}

#[test]
fn sanctions_backfire_through_debts() {
    // MC21, MC23: a sanction can push a household into debts, which delay work.
    let debts = |name: &str| value(name, Ind::DebtPersons, 2019);
    assert!(debts("sanctions") > 1.05 * debts("participatiewet"));
    let chance = |name: &str| cohort(name, 2018, "bijstand_job_chance");
    assert!(
        chance("sanctions") < chance("participatiewet"),
        "job chance with sanctions {} vs {}",
        chance("sanctions"),
        chance("participatiewet")
    );
}

#[test]
fn money_is_counted_where_people_are() {
    // Spending follows the stocks: a benefit per recipient a month, in 2015 euros once the
    // cost index is taken out.
    let out = run("participatiewet");
    let last = out.months.last().unwrap();
    let n = last.national[Ind::BijstandPersons as usize];
    let index = last.national[Ind::CostIndex as usize];
    assert!(index > 1.05, "the cost index rises from 2015: {index}");
    let eur = last.national[Ind::BijstandSpendingEur as usize] / index;
    assert!(n > 0.0);
    let per = eur / n;
    assert!(
        (800.0..=1050.0).contains(&per),
        "bijstand per recipient {per}"
    );
    let wsw = last.national[Ind::WswSpendingEur as usize]
        / last.national[Ind::WswEmployees as usize]
        / index;
    assert!(
        (wsw - 2100.0).abs() < 1e-6,
        "Wsw subsidy per employee {wsw}"
    );
}

#[test]
fn bijstand_follows_the_gemeentes_labour_market() {
    // The gemeente's labour market (CBS bijstand per 1 000 aged 15-64, 2019) sets how often its
    // unemployed find work: the gemeenten where CBS counts the most bijstand have more of it,
    // per inhabitant, than those where it counts the least, and more so with the mechanism
    // than without it (`participatie.distance.local_labour_market`).
    let ratio = |name: &str| {
        let out = run(name);
        let g = &out.geography.gemeenten;
        let rate = |k: usize| g[k].profile.unwrap().bijstand_per_1000();
        let mut order: Vec<usize> = (0..g.len()).collect();
        order.sort_by(|&a, &b| rate(a).total_cmp(&rate(b)));
        // A fifth of the gemeenten at each end, their bijstand per inhabitant over 2019.
        let per_inhabitant = |ks: &[usize]| {
            let (mut b, mut p) = (0.0, 0.0);
            for m in out.months.iter().filter(|m| m.month.year() == 2019) {
                for &k in ks {
                    b += f64::from(m.stocks[k].bijstand);
                    p += f64::from(m.stocks[k].population);
                }
            }
            b / p
        };
        let fifth = g.len() / 5;
        per_inhabitant(&order[g.len() - fifth..]) / per_inhabitant(&order[..fifth])
    };
    let with = ratio("participatiewet");
    let without = ratio("no-local-labour-market");
    assert!(with > 1.5, "highest against lowest fifth: {with}");
    assert!(with > without * 1.2, "with {with}, without {without}");
}

#[test]
fn income_follows_work_and_the_young_disabled_lose_theirs() {
    // Issue #25, facts.md MC18, PW9: without the Wajong the young disabled have far less income
    // in their third year (no benefit; part-time, temporary or no work).
    let mean = |name: &str| {
        (cohort(name, 2015, "young_disabled_income_y3")
            + cohort(name, 2016, "young_disabled_income_y3"))
            / 2.0
    };
    let (closed, open) = (mean("participatiewet"), mean("wsw-open"));
    assert!(closed < 0.6 * open, "income closed {closed}, open {open}");
    // Taking work raises a household's income, on average by thousands a year.
    let entry = value("participatiewet", Ind::WorkEntryIncomeChange, 2017);
    assert!(entry > 2_000.0, "income change on entering work: {entry}");
    // Bijstand households are poor far more often than those of workers, and the median is
    // near CBS's (23 500 in 2015).
    let poor_bijstand = value(
        "participatiewet",
        Ind::LowIncomeShareKlassiekeBijstand,
        2017,
    );
    let poor_working = value("participatiewet", Ind::LowIncomeShareEmployed, 2017);
    assert!(
        poor_bijstand > 3.0 * poor_working,
        "low income: bijstand {poor_bijstand}, working {poor_working}"
    );
    let median = value("participatiewet", Ind::IncomeMedian, 2015);
    assert!((18_000.0..30_000.0).contains(&median), "median {median}");
    // With the Wajong open, Wajongers turn down offers that add little to the benefit (MC22).
    assert!(value("wsw-open", Ind::PoolOffersRefused, 2017) > 0.0);
}
