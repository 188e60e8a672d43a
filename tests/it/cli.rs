//! The command line as a user meets it: run, results layout, resuming, refusal to mix with
//! or overwrite other results, --force, check, a user's geography CSV.

use crate::{read, sociaal};
use sociaal::model::indicators::INDICATORS;

#[test]
fn run_writes_the_documented_layout_resumes_and_refuses_other_results() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let out = sociaal(&[
        "run",
        "tests/data/tiny.toml",
        "--out",
        out_dir,
        "--reps",
        "1",
        "--threads",
        "2",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("citizen-months/s"), "{stdout}");
    let base = dir.path().join("tiny");
    // It ends with what it wrote and the next command to try, both naming the results.
    let shown = base.display().to_string();
    let last: Vec<&str> = stdout.lines().rev().take(2).collect();
    assert!(
        last[0].starts_with(&format!("next: sociaal report {shown}"))
            && last[0].contains(&format!("sociaal compare {shown}")),
        "{stdout}"
    );
    assert!(
        last[1].starts_with(&format!("written: {shown}/summary.csv")),
        "{stdout}"
    );
    for v in ["reference", "high-fertility"] {
        for f in [
            "national.csv",
            "gemeenten.csv",
            "cohorts.csv",
            "yearly.csv",
            "manifest.json",
        ] {
            assert!(base.join(v).join("rep-0").join(f).is_file(), "{v}/{f}");
        }
        assert!(!base.join(v).join("rep-1").exists(), "--reps 1");
    }
    for f in [
        "plan.json",
        "scenario.json",
        "yearly.csv",
        "cohorts_summary.csv",
        "gemeenten_summary.csv",
    ] {
        assert!(base.join(f).is_file(), "{f}");
    }
    // gemeenten_summary.csv: a row per variant, year and gemeente, figures with their band.
    let gs = read(&base.join("gemeenten_summary.csv"));
    let header = gs.lines().next().unwrap();
    assert!(
        header.starts_with("variant,year,gemeente,code,name,jeugdregio,arbeidsmarktregio,population_mean,population_p05,population_p95,"),
        "{header}"
    );
    assert!(header.ends_with(",n_reps"), "{header}");
    // summary.csv: long format, every variant x year x indicator.
    let summary = read(&base.join("summary.csv"));
    let mut lines = summary.lines();
    assert_eq!(
        lines.next(),
        Some("variant,year,indicator,mean,p05,p95,n_reps")
    );
    assert_eq!(lines.count(), 2 * 2 * INDICATORS.len());
    // gemeenten.csv: one row per gemeente per year.
    let g = read(&base.join("reference/rep-0/gemeenten.csv"));
    assert!(g.starts_with("year,gemeente,code,name,jeugdregio,arbeidsmarktregio,population,"));
    assert_eq!(g.lines().count(), 1 + 2 * 355);
    // manifest.json: what a reader needs to reproduce and judge the run.
    let m: serde_json::Value =
        serde_json::from_str(&read(&base.join("high-fertility/rep-0/manifest.json"))).unwrap();
    for key in [
        "scenario_hash",
        "run_index",
        "binary_hash",
        "seed",
        "scale",
        "replications",
        "threads",
        "crate_version",
        "git_commit",
        "started_at",
        "ended_at",
        "wall_seconds",
        "citizen_months_per_second",
        "peak_rss_bytes",
        "timings_seconds",
        "resolved",
    ] {
        assert!(m.get(key).is_some(), "manifest lacks {key}");
    }
    assert_eq!(m["variant"], "high-fertility");
    assert_eq!(m["resolved"]["demography"]["total_fertility"], 2.1);
    assert_eq!(m["seed"], 20150101);

    // The same run again finds every run complete: it only merges again.
    let again = sociaal(&[
        "run",
        "tests/data/tiny.toml",
        "--out",
        out_dir,
        "--reps",
        "1",
    ]);
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("skipped 2 complete run(s)"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert_eq!(read(&base.join("summary.csv")), summary);

    // A run of another scenario (another seed) without --force is refused (exit 2) and
    // changes nothing: results are never mixed.
    let before = read(&base.join("reference/rep-0/national.csv"));
    let mtime = std::fs::metadata(base.join("summary.csv"))
        .unwrap()
        .modified()
        .unwrap();
    let out = sociaal(&[
        "run",
        "tests/data/tiny.toml",
        "--out",
        out_dir,
        "--seed",
        "7",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already exist")
            && err.contains("another version of the scenario")
            && err.contains("--force"),
        "{err}"
    );
    assert_eq!(read(&base.join("reference/rep-0/national.csv")), before);
    assert_eq!(
        std::fs::metadata(base.join("summary.csv"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // The scenario's directory and the lock beside it (results/.tiny.lock), nothing else.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".tiny.lock", "tiny"], "no temporary directory left");

    // With --force the results are replaced whole.
    let out = sociaal(&[
        "run",
        "tests/data/tiny.toml",
        "--out",
        out_dir,
        "--seed",
        "7",
        "--reps",
        "1",
        "--force",
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "--quiet prints nothing");
    assert_ne!(read(&base.join("reference/rep-0/national.csv")), before);
    // --force replaced the directory; the lock beside it stays.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert!(dir.path().join(".tiny.lock").is_file());
}

#[test]
fn check_reports_variants_and_settings() {
    let out = sociaal(&["check", "tests/data/tiny.toml"]);
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("scenario `tiny`")
            && s.contains("reference, high-fertility")
            && s.contains("24 months"),
        "{s}"
    );
}

#[test]
fn a_users_geography_csv_is_used() {
    let dir = tempfile::tempdir().unwrap();
    crate::run_ok("tests/data/own_geography.toml", dir.path(), &[]);
    let g = read(&dir.path().join("own-geography/default/rep-0/gemeenten.csv"));
    assert_eq!(g.lines().count(), 1 + 5);
    // Each row carries the gemeente's CBS code from the file, and its name.
    assert!(
        g.contains(",GM0088,Schiermonnikoog,Friesland,Friesland,"),
        "{g}"
    );
    assert!(
        g.contains(",Zaanstad,Zaanstreek-Waterland,Zaanstreek/Waterland,"),
        "{g}"
    );
}

#[test]
fn check_invariants_runs_clean_is_recorded_and_redoes_unchecked_runs() {
    let dir = tempfile::tempdir().unwrap();
    let extra = ["--reps", "1", "--check-invariants"];
    crate::run_ok("tests/data/tiny.toml", dir.path(), &extra);
    let base = dir.path().join("tiny");
    let manifest = |v: &str| -> serde_json::Value {
        serde_json::from_str(&read(&base.join(v).join("rep-0/manifest.json"))).unwrap()
    };
    for v in ["reference", "high-fertility"] {
        assert_eq!(manifest(v)["invariants_checked"], true, "{v}");
    }
    let summary = read(&base.join("summary.csv"));

    // A complete run whose manifest says it was not checked is done again under
    // --check-invariants; the checked one is skipped; the results are the same.
    let path = base.join("reference/rep-0/manifest.json");
    let mut m = manifest("reference");
    m["invariants_checked"] = serde_json::Value::Bool(false);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let out = sociaal(&[
        "run",
        "tests/data/tiny.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--reps",
        "1",
        "--check-invariants",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("skipped 1 complete run(s) already on disk; ran 1 of 2"),
        "{stdout}"
    );
    assert_eq!(manifest("reference")["invariants_checked"], true);
    assert_eq!(read(&base.join("summary.csv")), summary);
}
