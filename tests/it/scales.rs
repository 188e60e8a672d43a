//! National figures do not depend on `--scale` beyond replication noise (issue #19): one small
//! scenario at three scales, three replications each; stocks, flows, waiting and spending of
//! its last year agree between every pair of scales. docs/scale.md says from which scale each
//! indicator holds on the whole Netherlands.

use sociaal::model::indicators::{Ind, Kind};
use sociaal::run::RunOutput;

/// The indicators compared: stocks, flows, waiting and spending of every law.
const COMPARED: [Ind; 16] = [
    Ind::Population,
    Ind::Births,
    Ind::PersonsLimited,
    Ind::Carers,
    Ind::WmoUsers,
    Ind::WmoApplications,
    Ind::WmoWaiting,
    Ind::WmoWaitMonthsMean,
    Ind::WmoSpendingEur,
    Ind::JeugdhulpUsers,
    Ind::JeugdSpendingEur,
    Ind::JbWaiting,
    Ind::BijstandPersons,
    Ind::BijstandSpendingEur,
    Ind::GemeenteSpendingEur,
    Ind::GemeenteBudgetEur,
];

/// The last year's value of `i`, scaled back to the whole population: the sum of a flow, the
/// mean of a stock or ratio over its months.
fn last_year(out: &RunOutput, i: Ind, scale: f64) -> f64 {
    let last = out.months.last().expect("a month").month.year();
    let v: Vec<f64> = out
        .months
        .iter()
        .filter(|r| r.month.year() == last)
        .map(|r| r.national[i as usize])
        .collect();
    let sum: f64 = v.iter().sum();
    let x = match i.def().kind {
        Kind::Flow => sum,
        Kind::Stock | Kind::Ratio => sum / v.len() as f64,
    };
    if i.def().scaled { x / scale } else { x }
}

/// Mean and standard error over replications.
fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn national_figures_agree_between_three_scales() {
    agree("tests/data/scales.toml", &[0.02, 0.04, 0.08], &COMPARED);
}

/// From the smallest scale a geography allows (5 000 agents) to one agent per inhabitant
/// (issue #20): stocks, flows and spending agree. Waiting is left out: a region of 25 000
/// inhabitants has one or two places of some kinds at the smallest scale.
#[test]
fn the_smallest_scale_allowed_agrees_with_scale_one() {
    let s = crate::load("tests/data/village.toml");
    let smallest = sociaal::scenario::MIN_AGENTS / s.inhabitants() as f64;
    assert!(s.check_scale(smallest * 1.0001).is_ok());
    assert!(s.check_scale(smallest * 0.99).is_err());
    let compared: Vec<Ind> = COMPARED
        .iter()
        .copied()
        .filter(|i| !matches!(i, Ind::WmoWaiting | Ind::WmoWaitMonthsMean | Ind::JbWaiting))
        .collect();
    agree(
        "tests/data/village.toml",
        &[smallest * 1.0001, 0.5, 1.0],
        &compared,
    );
}

/// Runs the scenario `file` at each of `scales` (its replications each) and checks that the
/// last year's value of every indicator in `compared` agrees between every pair of scales.
fn agree(file: &str, scales: &[f64], compared: &[Ind]) {
    let mut s = crate::load(file);
    // Per scale, per indicator: the replications' values.
    let mut values = vec![vec![Vec::new(); compared.len()]; scales.len()];
    for (k, &scale) in scales.iter().enumerate() {
        s.scale = scale;
        for rep in 0..s.replications {
            let run = &sociaal::run::simulate_variants(&s, rep)[0];
            for (j, &i) in compared.iter().enumerate() {
                values[k][j].push(last_year(run, i, scale));
            }
        }
    }
    let mut failures = Vec::new();
    for (j, &i) in compared.iter().enumerate() {
        // Three replications estimate a standard error roughly; a count of k agents varies by
        // at least sqrt(k) (Poisson), which floors it for indicators counted in persons.
        let count = i.def().scaled && i.def().unit.starts_with("persons");
        let stats: Vec<(f64, f64)> = values
            .iter()
            .zip(scales)
            .map(|(v, &scale)| {
                let (m, se) = mean_se(&v[j]);
                let poisson = (m.abs() * scale).sqrt() / scale / (v[j].len() as f64).sqrt();
                (m, if count { se.max(poisson) } else { se })
            })
            .collect();
        println!(
            "{:<28} {}",
            i.def().name,
            stats
                .iter()
                .map(|(m, se)| format!("{m:>14.0} ±{se:<10.0}"))
                .collect::<String>()
        );
        for a in 0..scales.len() {
            for b in a + 1..scales.len() {
                let ((ma, sa), (mb, sb)) = (stats[a], stats[b]);
                // Three standard errors of the difference, and 2% for what three
                // replications cannot estimate (a standard error of three draws is rough).
                let allowed = 3.0 * sa.hypot(sb) + 0.02 * ma.abs().max(mb.abs());
                if (ma - mb).abs() > allowed {
                    failures.push(format!(
                        "{}: {ma:.0} at scale {} against {mb:.0} at {} (allowed ±{allowed:.0})",
                        i.def().name,
                        scales[a],
                        scales[b]
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
