//! Every file in tests/bad_scenarios/ must fail with exactly the message in its `# expect:`
//! lines (file, line, column, key, expected, found, hint), and the CLI must exit with 2.

use crate::{root, sociaal};
use std::path::Path;

fn expected_message(path: &Path) -> String {
    if path.extension().is_some_and(|e| e == "toml") {
        let bytes = std::fs::read(path).unwrap();
        if let Ok(text) = String::from_utf8(bytes) {
            let lines: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("# expect: "))
                .collect();
            assert!(
                !lines.is_empty(),
                "{} has no `# expect:` lines",
                path.display()
            );
            return lines.join("\n");
        }
    }
    let alt = path.with_extension("expected");
    std::fs::read_to_string(&alt)
        .unwrap_or_else(|_| panic!("{} needs {}", path.display(), alt.display()))
        .trim_end()
        .to_string()
}

#[test]
fn every_bad_scenario_gives_its_exact_error() {
    let dir = root().join("tests/bad_scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "the catalogue has {} files", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(root()).unwrap();
        let expected = expected_message(path);
        match sociaal::scenario::load(rel) {
            Ok(_) => failures.push(format!("{}: loaded without error", rel.display())),
            Err(e) => {
                let got = e.to_string();
                if got != expected {
                    failures.push(format!(
                        "{}:\n  expected: {expected}\n  got:      {got}",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cli_prints_the_error_and_exits_2() {
    let out = sociaal(&["check", "tests/bad_scenarios/typo_key.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "error: tests/bad_scenarios/typo_key.toml:5:1: key `demography.total_fertilty`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `total_fertility`?"), "{err}");
    let out = sociaal(&[
        "run",
        "tests/bad_scenarios/share_above_one.toml",
        "--out",
        "target/never-written",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !root().join("target/never-written").exists(),
        "a bad scenario writes nothing"
    );
    let out = sociaal(&["check", "tests/bad_scenarios/does-not-exist.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does-not-exist.toml") && err.contains("a readable scenario file"),
        "{err}"
    );
}

#[test]
fn bad_command_line_values_exit_2() {
    for args in [
        &[
            "run",
            "tests/data/tiny.toml",
            "--scale",
            "0",
            "--out",
            "target/never-written",
        ][..],
        &[
            "run",
            "tests/data/tiny.toml",
            "--reps",
            "0",
            "--out",
            "target/never-written",
        ],
        &[
            "run",
            "tests/data/tiny.toml",
            "--threads",
            "0",
            "--out",
            "target/never-written",
        ],
        &["run", "tests/data/tiny.toml", "--scale", "abc"],
    ] {
        let out = sociaal(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(!root().join("target/never-written").exists());
}
