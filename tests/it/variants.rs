//! Every variant of a replication starts from one state, the reference variant's, and differs
//! from it only from its branch month: the first month in which its parameters differ (issue
//! #19). Checked on every shipped scenario at a small scale.

use sociaal::engine::{Month, simulate};
use sociaal::model::Simulation;

/// Steps `sim` through `start..=last` and returns each month's record, formatted exactly.
fn records(sim: &mut Simulation, start: Month, last: Month) -> Vec<String> {
    let mut out = Vec::new();
    if last >= start {
        simulate(sim, start, last, |r| out.push(format!("{r:?}")), || {});
    }
    out
}

#[test]
fn every_variant_starts_from_the_reference_state_and_leaves_it_in_its_branch_month() {
    let mut files: Vec<_> = std::fs::read_dir(crate::root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| !p.ends_with("reference.toml"))
        .collect();
    files.sort();
    let mut branched = 0;
    for file in files {
        let mut s = sociaal::scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
        s.scale = 0.0005;
        s.warmup_months = 12;
        let seed = s.seed;
        for variant in s.variants.iter().skip(1) {
            let what = format!("{} variant {}", file.display(), variant.name);
            let branch = variant.branch.unwrap_or(Month(s.end.0 + 1));
            assert!(
                branch >= s.start,
                "{what}: branch {branch} before the start"
            );
            // The reference and the variant, side by side up to the month before the branch.
            let mut reference = Simulation::new(&s, &s.variants[0], seed);
            let mut sim = Simulation::new(&s, variant, seed);
            let last = Month(branch.0 - 1).min(s.end);
            assert_eq!(
                records(&mut reference, s.start, last),
                records(&mut sim, s.start, last),
                "{what}: months before the branch ({branch})"
            );
            assert_eq!(
                format!("{:?}", reference.world),
                format!("{:?}", sim.world),
                "{what}: citizens and households at the branch ({branch})"
            );
            assert_eq!(
                format!("{:?}", reference.gemeenten),
                format!("{:?}", sim.gemeenten),
                "{what}: gemeenten at the branch ({branch})"
            );
            if let Some(b) = variant.branch {
                branched += 1;
                // Until the branch the reference's parameters are in force, from it the
                // variant's own.
                let (ours, theirs) = (
                    format!("{:?}", variant.params),
                    format!("{:?}", s.variants[0].params),
                );
                assert_eq!(
                    format!("{:?}", sim.params),
                    theirs,
                    "{what}: before the branch"
                );
                records(&mut sim, b, b);
                assert_eq!(
                    format!("{:?}", sim.params),
                    ours,
                    "{what}: in the branch month"
                );
            }
        }
    }
    assert!(
        branched >= 5,
        "only {branched} variants leave the reference"
    );
}

#[test]
fn variants_from_one_shared_start_equal_runs_made_one_by_one() {
    let s = crate::load("tests/data/tiny.toml");
    assert!(s.variants.len() >= 2 && s.variants[1].branch.is_some());
    let shared = sociaal::run::simulate_variants(&s, 1);
    for (v, run) in shared.iter().enumerate() {
        let alone = sociaal::run::simulate_run(&s, v, 1, || {});
        assert_eq!(
            format!("{:?}", run.months),
            format!("{:?}", alone.months),
            "variant {v}"
        );
    }
}
