//! The demography reproduces the figures it is calibrated to (rough size), and each lever
//! moves results in the expected direction.

use crate::load;
use sociaal::model::indicators::Ind;
use sociaal::run::{RunOutput, simulate_run};

fn yearly(out: &RunOutput, year: u32, i: Ind, scale: f64) -> f64 {
    out.months
        .iter()
        .filter(|r| r.month.year() == year)
        .map(|r| r.national[i as usize])
        .sum::<f64>()
        / scale
}

fn at_end_of(out: &RunOutput, year: u32, i: Ind, scale: f64) -> f64 {
    out.months
        .iter()
        .rev()
        .find(|r| r.month.year() == year)
        .map(|r| r.national[i as usize])
        .unwrap()
        / scale
}

#[test]
fn first_year_matches_cbs_2015_roughly() {
    let mut s = load("scenarios/baseline.toml");
    s.scale = 0.005;
    s.end = sociaal::engine::Month::new(2015, 12);
    let out = simulate_run(&s, 0, 0, || {});
    let sc = s.scale;
    // CBS 2015: 170 500 births, 147 100 deaths, 166 900 immigrants, about 112 000 emigrants,
    // 16,98 miljoen inhabitants at the end of the year. Tolerances allow sampling noise at
    // scale 0.005 and the model's simplifications.
    let births = yearly(&out, 2015, Ind::Births, sc);
    let deaths = yearly(&out, 2015, Ind::Deaths, sc);
    let immigrants = yearly(&out, 2015, Ind::Immigrants, sc);
    let emigrants = yearly(&out, 2015, Ind::Emigrants, sc);
    let pop = at_end_of(&out, 2015, Ind::Population, sc);
    assert!((150_000.0..195_000.0).contains(&births), "births {births}");
    assert!((125_000.0..170_000.0).contains(&deaths), "deaths {deaths}");
    assert!(
        (155_000.0..180_000.0).contains(&immigrants),
        "immigrants {immigrants}"
    );
    assert!(
        (85_000.0..140_000.0).contains(&emigrants),
        "emigrants {emigrants}"
    );
    assert!((16.75e6..17.2e6).contains(&pop), "population {pop}");
    let hh = at_end_of(&out, 2015, Ind::Households, sc);
    assert!((7.4e6..8.2e6).contains(&hh), "households {hh}");
}

#[test]
fn higher_fertility_gives_more_births_and_children() {
    let s = load("tests/data/tiny.toml");
    let base = simulate_run(&s, 0, 0, || {});
    let high = simulate_run(&s, 1, 0, || {});
    let b0 = yearly(&base, 2016, Ind::Births, s.scale);
    let b1 = yearly(&high, 2016, Ind::Births, s.scale);
    // TFR 2.1 against 1.66/1.62: about 30% more births.
    assert!(b1 > b0 * 1.15 && b1 < b0 * 1.5, "births {b0} -> {b1}");
    assert!(
        at_end_of(&high, 2016, Ind::Population0_17, s.scale)
            > at_end_of(&base, 2016, Ind::Population0_17, s.scale)
    );
    // Common random numbers: the same seed gives the same starting population.
    assert_eq!(base.agents_start, high.agents_start);
}

#[test]
fn longer_lives_mean_fewer_deaths_and_more_elderly() {
    let base = load("tests/data/tiny.toml");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("long-lives.toml");
    std::fs::write(
        &f,
        format!(
            "extends = \"{}\"\nname = \"long-lives\"\n[[variant]]\nname = \"base\"\n[[variant]]\nname = \"long\"\n[variant.demography]\nlife_expectancy_men = 90.0\nlife_expectancy_women = 92.0\n",
            crate::root().join("tests/data/tiny.toml").display()
        ),
    )
    .unwrap();
    let s = sociaal::scenario::load(&f).unwrap();
    let a = simulate_run(&s, 0, 0, || {});
    let b = simulate_run(&s, 1, 0, || {});
    let d0 = yearly(&a, 2016, Ind::Deaths, s.scale);
    let d1 = yearly(&b, 2016, Ind::Deaths, s.scale);
    assert!(d1 < d0 * 0.75, "deaths {d0} -> {d1}");
    assert!(
        at_end_of(&b, 2016, Ind::Population67Plus, s.scale)
            > at_end_of(&a, 2016, Ind::Population67Plus, s.scale)
    );
    assert_eq!(base.scale, s.scale);
}

#[test]
fn ageing_to_2030_raises_the_share_of_67_plus() {
    let mut s = load("scenarios/baseline.toml");
    s.scale = 0.002;
    let out = simulate_run(&s, 0, 0, || {});
    let share = |y| {
        at_end_of(&out, y, Ind::Population67Plus, s.scale)
            / at_end_of(&out, y, Ind::Population, s.scale)
    };
    // CBS: 67+ about 15,5% in 2015, projected about 20% in 2030.
    assert!(
        share(2030) > share(2015) + 0.02,
        "67+ share {} -> {}",
        share(2015),
        share(2030)
    );
}
