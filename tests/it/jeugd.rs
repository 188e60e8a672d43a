//! Each Jeugdwet mechanism moves the numbers the right way and roughly the right size
//! (tests/data/jeugd_mechanisms.toml: one variant per mechanism, same seed, tight capacity).

use sociaal::model::indicators::{Ind, Kind, form_users};
use sociaal::model::provision::YouthForm;
use sociaal::run::RunOutput;
use std::sync::OnceLock;

fn runs() -> &'static Vec<(String, RunOutput)> {
    static RUNS: OnceLock<Vec<(String, RunOutput)>> = OnceLock::new();
    RUNS.get_or_init(|| crate::run_variants("tests/data/jeugd_mechanisms.toml"))
}

fn run(name: &str) -> &'static RunOutput {
    crate::variant(runs(), name)
}

/// The December value of a stock or ratio, or the yearly sum of a flow, for 2019.
fn value(name: &str, i: Ind) -> f64 {
    let recs: Vec<f64> = run(name)
        .months
        .iter()
        .filter(|r| r.month.year() == 2019)
        .map(|r| r.national[i as usize])
        .collect();
    match i.def().kind {
        Kind::Flow => recs.iter().sum(),
        _ => *recs.last().unwrap(),
    }
}

#[test]
fn regional_purchasing_shortens_waiting_in_small_gemeenten() {
    // MC39: a small gemeente buying alone has few places, so its waiting list pools less.
    let small_waiting = |name: &str| -> f64 {
        let out = run(name);
        let small: Vec<usize> = out
            .geography
            .gemeenten
            .iter()
            .enumerate()
            .filter(|(_, g)| g.population < 20_000)
            .map(|(i, _)| i)
            .collect();
        out.months
            .iter()
            .filter(|r| r.month.year() == 2019)
            .map(|r| {
                small
                    .iter()
                    .map(|&g| f64::from(r.stocks[g].jeugd_waiting))
                    .sum::<f64>()
            })
            .sum()
    };
    let (regional, local) = (small_waiting("regional"), small_waiting("local"));
    assert!(
        local > 1.1 * regional,
        "waiting in small gemeenten: regional {regional}, local {local}"
    );
    assert!(
        value("local", Ind::JeugdSpendingEur) > value("regional", Ind::JeugdSpendingEur),
        "local purchasing costs more"
    );
}

#[test]
fn provider_marketing_raises_referrals() {
    // MC7/MC8: free intakes marketed through schools pull children into care.
    let school = value("marketing", Ind::JeugdReferralsSchool)
        / value("regional", Ind::JeugdReferralsSchool);
    assert!(school > 1.5, "school referrals x{school}");
    assert!(value("marketing", Ind::JeugdWaiting) > value("regional", Ind::JeugdWaiting));
}

#[test]
fn jeugdreclassering_follows_the_problems_that_go_with_offending() {
    // J5: a measure can follow from a problem of `jeugd.jr_threshold`; a lower threshold
    // widens the group at risk, so there are more measures.
    let (base, lighter) = (
        value("regional", Ind::JeugdreclasseringMeasures),
        value("jr-lighter-problems", Ind::JeugdreclasseringMeasures),
    );
    assert!(
        lighter > 1.3 * base,
        "jeugdreclassering {base} -> {lighter}"
    );
}

#[test]
fn more_gi_capacity_means_more_children_seen_in_time() {
    // WL2: children under a protection measure not seen in time by the GI.
    let (base, more) = (
        value("regional", Ind::JbSeenInTimeShare),
        value("more-gi", Ind::JbSeenInTimeShare),
    );
    assert!(more > base + 0.05, "seen in time {base} -> {more}");
    assert!(value("more-gi", Ind::JbWaiting) < value("regional", Ind::JbWaiting));
}

#[test]
fn waiting_raises_escalation() {
    // MC57: problems worsen while waiting, so more children end up in heavier care.
    let (drift, none) = (
        value("tight", Ind::JeugdhulpVerblijfUsers),
        value("tight-no-waiting-drift", Ind::JeugdhulpVerblijfUsers),
    );
    assert!(
        drift > 1.25 * none,
        "verblijf with drift {drift}, without {none}"
    );
    assert!(
        value("tight", Ind::JeugdSpendingEur)
            > value("tight-no-waiting-drift", Ind::JeugdSpendingEur)
    );
}

#[test]
fn youth_counts_add_up() {
    for (name, out) in runs() {
        for r in &out.months {
            let v = |i: Ind| r.national[i as usize];
            let forms: f64 = YouthForm::ALL
                .iter()
                .filter(|f| f.is_hulp())
                .map(|&f| v(form_users(f)))
                .sum();
            assert!(v(Ind::JeugdhulpUsers) <= forms, "{name} {}", r.month);
            assert!(v(Ind::JeugdhulpHouseholds) <= v(Ind::JeugdhulpUsers));
            assert!(v(Ind::JeugdhulpUsersYear) >= v(Ind::JeugdhulpUsers));
            assert!((0.0..=1.0).contains(&v(Ind::JbSeenInTimeShare)));
        }
    }
}
