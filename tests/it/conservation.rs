//! Stock-flow conservation of people, nationally and per gemeente, every month.

use crate::{load, read};
use sociaal::model::indicators::{INDICATORS, Ind};
use sociaal::run::simulate_run;

#[test]
fn people_are_conserved_every_month_nationally_and_per_gemeente() {
    let s = load("tests/data/tiny.toml");
    let out = simulate_run(&s, 0, 0, || {});
    assert_eq!(out.months.len(), 24);
    let mut prev_total = out.agents_start as i64;
    let mut prev_g: Option<Vec<i64>> = None;
    let mut prev_wsw: Option<i64> = None;
    let v = |r: &sociaal::model::indicators::MonthRecord, i: Ind| r.national[i as usize] as i64;
    for r in &out.months {
        // The Wsw is closed to new inflow from 2015: its employees leave only by death,
        // pension or another exit, each counted (facts.md N7).
        let wsw = v(r, Ind::WswEmployees);
        if let Some(before) = prev_wsw {
            let exits =
                v(r, Ind::WswExitsDeath) + v(r, Ind::WswExitsPension) + v(r, Ind::WswExitsOther);
            assert_eq!(wsw, before - exits, "Wsw stock-flow in {}", r.month);
        }
        prev_wsw = Some(wsw);
        let pop = v(r, Ind::Population);
        assert_eq!(
            pop,
            prev_total + v(r, Ind::Births) + v(r, Ind::Immigrants)
                - v(r, Ind::Deaths)
                - v(r, Ind::Emigrants),
            "national stock-flow in {}",
            r.month
        );
        assert_eq!(
            pop,
            v(r, Ind::Population0_17) + v(r, Ind::Population18_66) + v(r, Ind::Population67Plus),
            "age groups add up in {}",
            r.month
        );
        assert_eq!(
            v(r, Ind::Households),
            v(r, Ind::HouseholdsSingle)
                + v(r, Ind::HouseholdsCouple)
                + v(r, Ind::HouseholdsWithChildren)
                + v(r, Ind::HouseholdsOlder),
            "household types add up in {}",
            r.month
        );
        let moved_in: i64 = r.flows.iter().map(|f| i64::from(f.moved_in)).sum();
        let moved_out: i64 = r.flows.iter().map(|f| i64::from(f.moved_out)).sum();
        assert_eq!(moved_in, moved_out, "moves balance in {}", r.month);
        let g_now: Vec<i64> = r.stocks.iter().map(|x| i64::from(x.population)).collect();
        if let Some(prev) = &prev_g {
            for (g, f) in r.flows.iter().enumerate() {
                let expect =
                    prev[g] + i64::from(f.births) + i64::from(f.immigrants) + i64::from(f.moved_in)
                        - i64::from(f.deaths)
                        - i64::from(f.emigrants)
                        - i64::from(f.moved_out);
                assert_eq!(g_now[g], expect, "gemeente {g} stock-flow in {}", r.month);
            }
        }
        prev_g = Some(g_now);
        prev_total = pop;
    }
}

#[test]
fn written_national_csv_is_conserved_too() {
    // Scale 0.001 makes the scaling exact (x1000), so the written figures must add up.
    let dir = tempfile::tempdir().unwrap();
    crate::run_ok("tests/data/tiny.toml", dir.path(), &[]);
    let text = read(&dir.path().join("tiny/reference/rep-0/national.csv"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "month");
    assert_eq!(header.len(), INDICATORS.len() + 1);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .skip(1)
                .map(|x| x.parse().unwrap())
                .collect::<Vec<f64>>()
        })
        .collect();
    assert_eq!(rows.len(), 24);
    for w in rows.windows(2) {
        let g = |r: &Vec<f64>, n: &str| r[col(n) - 1];
        let expect = g(&w[0], "population") + g(&w[1], "births") + g(&w[1], "immigrants")
            - g(&w[1], "deaths")
            - g(&w[1], "emigrants");
        assert_eq!(g(&w[1], "population"), expect);
    }
}
