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

/// Writes `text` to `path` without the lines `drop` picks (a file that lost lines).
fn write_without(path: &std::path::Path, text: &str, drop: impl Fn(&str) -> bool) {
    let kept: String = text
        .lines()
        .filter(|l| !drop(l))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(path, kept).unwrap();
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
        write_without(&path, &crate::read(&path), |l| l.starts_with("2016,"));
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

#[test]
fn a_file_that_extends_another_without_a_name_goes_by_its_own() {
    // Inheriting the parent's name would send its results into the parent's directory.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("my-variant.toml");
    let parent = root().join("tests/data/tiny.toml");
    std::fs::write(&f, format!("extends = \"{}\"\n", parent.display())).unwrap();
    let o = sociaal(&["check", f.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("scenario `my-variant`"), "{out}");
}

#[test]
fn extends_says_what_the_path_is() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.toml");
    for (target, says) in [
        ("sub", "is a directory"),
        ("/dev/null", "is not a regular file"),
        (
            "loop.toml",
            "cannot be read (a symlink loop or no permission)",
        ),
        ("missing.toml", "does not exist"),
    ] {
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        let link = dir.path().join("loop.toml");
        if !link.exists() && std::fs::symlink_metadata(&link).is_err() {
            std::os::unix::fs::symlink(&link, &link).unwrap();
        }
        std::fs::write(&f, format!("name = \"x\"\nextends = \"{target}\"\n")).unwrap();
        refused(
            &["check", f.to_str().unwrap()],
            2,
            &["x.toml:2", "key `extends`", says],
        );
    }
}

#[test]
fn a_targets_file_is_checked_like_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.toml");
    let target = |indicator: &str, tolerance: &str| {
        format!(
            "[[target]]\nid = \"x\"\nindicator = \"{indicator}\"\nyear = 2016\nvalue = 1\ntolerance = {tolerance}\nkind = \"level\"\nsource = \"s\"\nscenario = \"tiny\"\n"
        )
    };
    for (text, says) in [
        (
            target("nope", "0.1"),
            "indicator `nope` is not an indicator",
        ),
        (
            target("population / nope", "0.1"),
            "indicator `nope` is not an indicator",
        ),
        (
            target("population", "nan"),
            "tolerance = NaN, expected a finite relative tolerance",
        ),
        (target("population", "-1"), "tolerance = -1, expected"),
    ] {
        std::fs::write(&f, text).unwrap();
        let out = dir.path().join("out");
        refused(
            &[
                "validate",
                "tests/data/tiny.toml",
                "--targets",
                f.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            2,
            &["t.toml", "target `x`", says],
        );
    }
}

#[test]
fn outputs_never_overwrite_results_or_files() {
    refused(
        &["plan", "tests/data/tiny.toml", "--out", "a\tb"],
        2,
        &["--out", "without tabs or line breaks"],
    );
    refused(
        &["run", "tests/data/tiny.toml", "--out", "README.md"],
        2,
        &["--out", "README.md, which is a file"],
    );
    let dir = tempfile::tempdir().unwrap();
    crate::run_ok("tests/data/tiny.toml", dir.path(), &["--reps", "1"]);
    let res = dir.path().join("tiny");
    let summary = res.join("summary.csv");
    let before = crate::read(&summary);
    let r = res.to_str().unwrap();
    refused(
        &["compare", r, "--csv", summary.to_str().unwrap()],
        2,
        &["--csv", "summary.csv holds results"],
    );
    let manifest = res.join("reference/rep-0/manifest.json");
    refused(
        &["report", r, "--out", manifest.to_str().unwrap()],
        2,
        &["--out", "manifest.json holds results"],
    );
    assert_eq!(crate::read(&summary), before);
}

#[test]
fn a_truncated_summary_is_named_by_validate_and_compare() {
    let dir = tempfile::tempdir().unwrap();
    crate::run_ok("tests/data/tiny.toml", dir.path(), &[]);
    let res = dir.path().join("tiny");
    let yearly = res.join("yearly.csv");
    let text = crate::read(&yearly);
    write_without(&yearly, &text, |l| l.contains(",2016,"));
    let r = res.to_str().unwrap();
    refused(
        &["compare", r],
        2,
        &[
            "yearly.csv: holds the years 2015-2015 of the scenario's 2015-2016",
            "sociaal merge",
        ],
    );
    // One replication's line lost.
    write_without(&yearly, &text, |l| {
        l.starts_with("high-fertility,1,2016,births,")
    });
    refused(
        &["compare", r],
        2,
        &["1 of 2 replication(s) of indicator births in 2016 (variant high-fertility)"],
    );
    // merge rebuilds it.
    let o = sociaal(&["merge", r]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(crate::read(&yearly), text);
}

/// A small deterministic generator (the same command lines on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn random_command_lines_are_answered_never_with_a_panic_or_a_hang() {
    // Command lines made of every subcommand, its options and hostile values (zero, negative,
    // huge, NaN, not a number, devices, files where directories belong, results files): each
    // must end within a minute with exit code 0, 1 or 2 and without a panic.
    let dir = tempfile::tempdir().unwrap();
    crate::run_ok("tests/data/tiny.toml", dir.path(), &["--reps", "1"]);
    let res = dir.path().join("tiny").to_string_lossy().into_owned();
    let out = dir.path().join("out").to_string_lossy().into_owned();
    let summary = format!("{res}/summary.csv");
    // A file where a directory belongs, and a path with a tab: inside the temporary directory,
    // as `report --out` writes wherever it is told.
    let a_file = dir.path().join("a-file").to_string_lossy().into_owned();
    std::fs::write(&a_file, "x").unwrap();
    let a_tab = dir.path().join("a\tb").to_string_lossy().into_owned();
    let commands = [
        "check",
        "plan",
        "indicators",
        "compare",
        "report",
        "validate",
        "trends",
        "merge",
        "run",
    ];
    let positional: [&str; 6] = [
        "tests/data/tiny.toml",
        &res,
        "/dev/zero",
        "nonexistent",
        "",
        "tests",
    ];
    let options: [(&str, &[&str]); 12] = [
        (
            "--scale",
            &[
                "0", "-1", "nan", "1e-320", "0.001", "abc", "1e308", "0.0003",
            ],
        ),
        ("--reps", &["0", "10001", "-3", "x", "1"]),
        ("--threads", &["0", "99999", "1", "18446744073709551615"]),
        ("--seed", &["-1", "18446744073709551616", "7"]),
        (
            "--years",
            &["2016", "0-4294967295", "2016-2015", "x", "2015-2016", "-"],
        ),
        (
            "--indicators",
            &["nope", "population", "", "population,,births"],
        ),
        ("--out", &[&out, &a_file, &a_tab, "/dev/null"]),
        ("--csv", &["/dev/full", &summary, "/nonexistent/x.csv"]),
        ("--against", &["nope", "reference", "high-fertility"]),
        ("--run-index", &["0", "99999", "-1"]),
        ("--shard", &["0/0", "1/2", "3/2", "x"]),
        (
            "--targets",
            &["/dev/zero", "tests/data/tiny.toml", "nonexistent"],
        ),
    ];
    let mut rng = Lcg(20_191_231);
    for _ in 0..300 {
        let mut args: Vec<String> = vec![commands[rng.below(commands.len())].to_string()];
        if rng.below(5) > 0 {
            args.push(positional[rng.below(positional.len())].to_string());
        }
        for _ in 0..rng.below(4) {
            let (flag, values) = options[rng.below(options.len())];
            args.push(flag.to_string());
            args.push(values[rng.below(values.len())].to_string());
        }
        // Runs stay small and out of the repository's results/: `validate` without a file
        // would run every shipped scenario (minutes, by design).
        if args[0] == "run" || args[0] == "validate" {
            if args.len() == 1 || args[1].starts_with("--") {
                args.insert(1, "tests/data/tiny.toml".into());
            }
            if !args.iter().any(|a| a == "--out") {
                args.extend(["--out".to_string(), out.clone()]);
            }
            args.push("--quiet".into());
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_sociaal"))
            .args(&args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let t0 = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if t0.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().unwrap();
                panic!("sociaal {args:?} did not end within a minute");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert!(
            !err.contains("panicked"),
            "sociaal {args:?} panicked: {err}"
        );
        assert!(
            matches!(status.code(), Some(0..=2)),
            "sociaal {args:?}: exit {status}: {err}"
        );
    }
}

#[test]
fn nesting_past_the_parsers_limit_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("deep.toml");
    let header = vec!["a"; 3000].join(".");
    std::fs::write(&f, format!("name = \"deep\"\n[{header}]\nx = 1\n")).unwrap();
    refused(
        &["check", f.to_str().unwrap()],
        2,
        &["deep.toml:2:1", "valid TOML"],
    );
}
