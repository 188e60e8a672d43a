//! Gemeenten as actors: money is conserved in every gemeente's books every month, deficits
//! trigger control, coordination costs are about a quarter of care costs
//! (tests/data/gemeente_mechanisms.toml).

use sociaal::model::indicators::{BOOKS_PER_LAW, Ind};
use sociaal::run::RunOutput;
use std::sync::OnceLock;

fn runs() -> &'static Vec<(String, RunOutput)> {
    static RUNS: OnceLock<Vec<(String, RunOutput)>> = OnceLock::new();
    RUNS.get_or_init(|| crate::run_variants("tests/data/gemeente_mechanisms.toml"))
}

fn run(name: &str) -> &'static RunOutput {
    crate::variant(runs(), name)
}

fn december(name: &str, i: Ind, year: u32) -> f64 {
    run(name)
        .months
        .iter()
        .rev()
        .find(|r| r.month.year() == year)
        .unwrap()
        .national[i as usize]
}

#[test]
#[allow(clippy::needless_range_loop)]
fn money_is_conserved_in_every_gemeentes_books() {
    // budget = spending + change in reserves, per gemeente and month (a safety-net payment
    // counts as budget), under schotten and ontschot.
    for name in ["reference", "deep-cut", "ontschot-plan"] {
        let out = run(name);
        let n = out.geography.gemeenten.len();
        let mut prev = vec![0.0; n];
        for r in &out.months {
            for g in 0..n {
                let f = &r.flows[g];
                let change = r.stocks[g].reserves_eur - prev[g];
                let gap = f.budget_eur() - f.spending_eur() - change;
                assert!(
                    gap.abs() <= 1e-6 * f.budget_eur().abs().max(1.0),
                    "{name} {} gemeente {g}: budget {} spending {} reserves change {change}",
                    r.month,
                    f.budget_eur(),
                    f.spending_eur()
                );
                prev[g] = r.stocks[g].reserves_eur;
            }
            let total = r.national[Ind::GemeenteResultEur as usize];
            let sum: f64 = r
                .flows
                .iter()
                .map(|f| f.budget_eur() - f.spending_eur())
                .sum();
            assert!((total - sum).abs() <= 1e-6 * sum.abs().max(1.0));
            // The books per law add up to the whole: budget, spending and result.
            let v = |i: Ind| r.national[i as usize];
            for (k, whole) in [
                Ind::GemeenteBudgetEur,
                Ind::GemeenteSpendingEur,
                Ind::GemeenteResultEur,
            ]
            .into_iter()
            .enumerate()
            {
                let parts: f64 = BOOKS_PER_LAW.iter().map(|law| v(law[k])).sum();
                assert!(
                    (parts - v(whole)).abs() <= 1e-6 * v(whole).abs().max(1.0),
                    "{name} {}: {whole:?} {} but per law {parts}",
                    r.month,
                    v(whole)
                );
            }
            let in_deficit = BOOKS_PER_LAW
                .iter()
                .map(|law| v(law[3]))
                .fold(0.0, f64::max);
            assert!(in_deficit <= n as f64);
        }
    }
}

#[test]
fn a_deep_cut_brings_deficits_and_classic_control() {
    // MC41, MC42: a deeper transfer cut leaves more gemeenten in deficit, which answer with
    // stricter access and lower tariffs.
    let deficit = |name: &str| december(name, Ind::GemeentenInDeficit, 2016);
    assert!(deficit("deep-cut") > deficit("reference") + 20.0);
    // Deficit years with reserves gone bring the province's supervision (issue #19), under
    // which gemeenten add their own funds.
    let supervised = |name: &str| december(name, Ind::GemeentenSupervised, 2018);
    assert!(
        supervised("deep-cut") > supervised("reference"),
        "supervised {} vs {}",
        supervised("deep-cut"),
        supervised("reference")
    );
    let own: f64 = run("deep-cut")
        .months
        .iter()
        .map(|r| r.national[Ind::GemeenteOwnFundsEur as usize])
        .sum();
    assert!(own > 0.0);
    let strict = |name: &str| december(name, Ind::GemeenteStrictnessPoints, 2018);
    assert!(
        strict("deep-cut") > strict("reference") + 1.0,
        "strictness {} vs {}",
        strict("deep-cut"),
        strict("reference")
    );
    let tariff = |name: &str| december(name, Ind::GemeenteWmoTariffFactor, 2018);
    assert!(tariff("deep-cut") < tariff("reference"));
    // Stricter access means fewer Wmo users.
    let users = |name: &str| december(name, Ind::WmoUsers, 2018);
    assert!(users("deep-cut") < users("reference"));
}

#[test]
fn coordination_costs_about_a_quarter_of_care_costs() {
    // facts.md F6: about 25% of municipal care costs go to coordination.
    let share = december("reference", Ind::CoordinationCostShare, 2016);
    assert!((0.2..0.3).contains(&share), "coordination share {share}");
    // One plan per household costs extra coordination.
    let cost = |name: &str| december(name, Ind::CoordinationCostEur, 2016);
    assert!(cost("ontschot-plan") > cost("reference"));
}
