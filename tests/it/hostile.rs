//! Command-line faults a hostile but realistic user tries (issue #20), beside the catalogue of
//! bad scenario files in tests/bad_scenarios: each is refused with exit code 2 (or 1 for an
//! I/O failure) and a message naming what is allowed, never a panic, a hang or a run away.

use crate::{root, sociaal};
use std::process::{Command, Stdio};

/// Runs `sociaal args`, asserts the exit `code` and that standard error contains every one of
/// `wants` and no panic.
fn refused(args: &[&str], code: i32, wants: &[&str]) {
    let o = sociaal(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "sociaal {args:?}: {err}");
    assert!(
        !err.contains("panicked"),
        "sociaal {args:?} panicked: {err}"
    );
    for w in wants {
        assert!(err.contains(w), "sociaal {args:?}: `{w}` not in\n{err}");
    }
}

#[test]
fn unbounded_requests_are_refused_before_anything_is_allocated() {
    // Threads: a few per core at most.
    refused(
        &["run", "tests/data/tiny.toml", "--threads", "100000"],
        2,
        &["--threads", "at most 64 threads", "per core"],
    );
    refused(
        &[
            "run",
            "tests/data/tiny.toml",
            "--threads",
            "18446744073709551615",
        ],
        2,
        &["--threads"],
    );
    // A range of years is checked before it is expanded.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    refused(
        &["compare", d, "--years", "0-4294967295"],
        2,
        &["is not a year from 1900 to 2200"],
    );
    // A plan's size is checked before the plan is made.
    let many = dir.path().join("many.toml");
    let mut text = format!(
        "extends = \"{}\"\nname = \"many\"\n",
        root().join("scenarios/reference.toml").display()
    );
    for k in 0..11 {
        text.push_str(&format!("[[variant]]\nname = \"v{k}\"\n"));
    }
    std::fs::write(&many, text).unwrap();
    let m = many.to_str().unwrap();
    refused(
        &["plan", m, "--reps", "10000"],
        2,
        &["--reps", "at most 100000 runs", "110000 runs"],
    );
}

#[test]
fn a_scale_that_leaves_gemeenten_empty_is_refused_naming_the_smallest() {
    // 16,9 miljoen inhabitants and at least 5 000 agents: 2.96e-4.
    refused(
        &["run", "tests/data/tiny.toml", "--scale", "1e-9"],
        2,
        &[
            "--scale",
            "a scale of at least 2.96e-4",
            "found 0.000000001",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("s.toml");
    std::fs::write(&f, "name = \"s\"\nscale = 1e-320\n").unwrap();
    refused(
        &["check", f.to_str().unwrap()],
        2,
        &["s.toml:2", "key `scale`", "a scale of at least 2.96e-4"],
    );
    // An own geography of 1,15 miljoen inhabitants needs a larger scale.
    refused(
        &["run", "tests/data/own_geography.toml", "--scale", "0.001"],
        2,
        &["a scale of at least 4.36e-3"],
    );
}

#[test]
fn input_files_are_regular_files_of_bounded_size() {
    refused(
        &["check", "/dev/zero"],
        2,
        &["/dev/zero", "not a regular file"],
    );
    refused(&["check", "tests"], 2, &["a directory"]);
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::write(&big, vec![b'#'; 5 << 20]).unwrap();
    refused(
        &["check", big.to_str().unwrap()],
        2,
        &["big.toml", "a file of at most 4 MiB"],
    );
    refused(
        &["validate", "tests/data/tiny.toml", "--targets", "/dev/zero"],
        2,
        &["/dev/zero", "not a regular file"],
    );
}

#[test]
fn a_closed_or_full_standard_output_is_no_panic() {
    // A reader that has seen enough (`| head -1`): the program ends quietly.
    let mut child = Command::new(env!("CARGO_BIN_EXE_sociaal"))
        .args(["indicators", "--markdown"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
    // A full disk: an I/O error with exit code 1.
    if let Ok(full) = std::fs::File::create("/dev/full") {
        let o = Command::new(env!("CARGO_BIN_EXE_sociaal"))
            .args(["indicators"])
            .current_dir(root())
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("could not write to standard output"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_run_that_lost_years_is_incomplete_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    crate::run_ok("tests/data/tiny.toml", dir.path(), &[]);
    let res = dir.path().join("tiny");
    // Replication 0 of the reference loses its last year (the one merge used to read years
    // from), replication 1 of the other variant too.
    for run in ["reference/rep-0", "high-fertility/rep-1"] {
        let path = res.join(run).join("yearly.csv");
        let kept: String = crate::read(&path)
            .lines()
            .filter(|l| !l.starts_with("2016,"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, kept).unwrap();
    }
    refused(
        &["merge", res.to_str().unwrap()],
        2,
        &[
            "2 of 4 run(s) missing or incomplete",
            "0 (reference/rep-0) [yearly.csv holds the years 2015-2015 of the run's 2015-2016]",
        ],
    );
    // Running the scenario again redoes just those two, and the summary holds every year.
    let o = crate::sociaal(&["run", "tests/data/tiny.toml", "--out", out]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let summary = crate::read(&res.join("summary.csv"));
    assert!(summary.contains("reference,2016,population,"), "{summary}");
    assert!(summary.contains("high-fertility,2016,population,"));
}

#[test]
fn a_second_process_waits_for_the_results_lock() {
    // Two processes must not both find a results directory empty and both write their plan
    // into it: the check and plan.json are one step under a lock beside the directory.
    let dir = tempfile::tempdir().unwrap();
    let lock = std::fs::File::create(dir.path().join(".tiny.lock")).unwrap();
    lock.lock().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sociaal"))
        .args([
            "run",
            "tests/data/tiny.toml",
            "--quiet",
            "--reps",
            "1",
            "--out",
        ])
        .arg(dir.path())
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run went on while another process held the lock"
    );
    assert!(!dir.path().join("tiny/plan.json").exists());
    lock.unlock().unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.path().join("tiny/plan.json").is_file());
}
