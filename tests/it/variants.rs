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

/// Variants that leave the reference in different months (the start, 2016-01 twice,
/// 2016-07, never) share the reference's months up to their branch, simulated once; each run
/// equals the one made alone, for every variant and for a part of them asked out of order,
/// and the months simulated in all are fewer.
#[test]
fn variants_sharing_months_until_their_branch_equal_runs_made_one_by_one() {
    let s = crate::load("tests/data/branches.toml");
    let branches: Vec<Option<String>> = s
        .variants
        .iter()
        .map(|v| v.branch.map(|b| b.to_string()))
        .collect();
    let b = |m: &str| Some(m.to_string());
    assert_eq!(
        branches,
        [
            None,
            None,
            b("2016-07"),
            b("2016-01"),
            b("2016-01"),
            b("2015-01")
        ]
    );
    let alone: Vec<sociaal::run::RunOutput> = (0..s.variants.len())
        .map(|v| sociaal::run::simulate_run(&s, v, 1, || {}))
        .collect();
    for subset in [vec![0, 1, 2, 3, 4, 5], vec![4, 2, 1]] {
        let mut got = Vec::new();
        let mut ticks = 0;
        let spent = sociaal::run::simulate_replication(
            &s,
            1,
            &subset,
            false,
            || ticks += 1,
            |v, run| {
                got.push((v, run.unwrap_or_else(|e| panic!("{e}"))));
                Ok(())
            },
        )
        .unwrap();
        let mut order: Vec<usize> = got.iter().map(|(v, _)| *v).collect();
        for (v, run) in &got {
            let a = &alone[*v];
            assert_eq!(
                format!("{:?}", run.months),
                format!("{:?}", a.months),
                "variant {v}"
            );
            assert_eq!(
                format!("{:?}", run.cohorts),
                format!("{:?}", a.cohorts),
                "variant {v}"
            );
            assert_eq!(run.stats.agent_months, a.stats.agent_months, "variant {v}");
        }
        order.sort_unstable();
        let mut want = subset.clone();
        want.sort_unstable();
        assert_eq!(order, want, "each variant asked for once");
        // Every run-month is ticked; fewer are simulated than run one by one.
        assert_eq!(ticks, 24 * subset.len());
        let one_by_one: u64 = subset.iter().map(|&v| alone[v].stats.agent_months).sum();
        assert!(
            spent.agent_months < one_by_one,
            "{} >= {one_by_one}",
            spent.agent_months
        );
    }
}
