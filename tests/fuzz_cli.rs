//! The command-line fuzz target's body (`sociaal::fuzzing::command_line`) on stable: the seed
//! command lines of `fuzz/cli-seeds.txt`, the kept inputs of `fuzz/regressions/cli/` and a few
//! thousand deterministic mutations of the seeds, each answered with exit code 0, 1 or 2 and
//! no panic, in the target's sandbox. A test binary of its own, because the sandbox is the
//! process's current directory.

use sociaal::fuzzing::{self, CliWorkspace};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed command lines, as fuzz/run.sh writes them (one argument per line).
fn seeds() -> Vec<Vec<u8>> {
    std::fs::read_to_string(root().join("fuzz/cli-seeds.txt"))
        .expect("fuzz/cli-seeds.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.replace(' ', "\n").into_bytes())
        .collect()
}

fn code(ws: &mut CliWorkspace, line: &str) -> i32 {
    fuzzing::command_line(ws, line.replace(' ', "\n").as_bytes())
}

#[test]
fn command_lines_in_the_sandbox_are_answered_with_0_1_or_2_and_never_a_panic() {
    let parent = tempfile::tempdir().unwrap();
    let mut ws = CliWorkspace::new(parent.path());

    // The sandbox works as a user's directory would: what should succeed does, and what
    // should be refused is, with the exit code the CLI documents.
    for (line, want) in [
        ("check base.toml", 0),
        ("check /dev/zero", 2),
        ("plan base.toml", 0),
        ("run base.toml --quiet", 0),
        ("run base.toml --threads 0", 2),
        ("merge results/fuzz-base", 0),
        ("compare results/fuzz-base", 0),
        ("compare results/fuzz-base --csv /dev/full", 1),
        ("report results/fuzz-base --format svg", 0),
        ("trends results/fuzz-base --years 2015,2016", 0),
        ("validate base.toml", 0),
        ("indicators", 0),
        // A design as large as a plan may be is made up to its points; a larger one refused.
        (
            "sensitivity base.toml --method sobol --indicators wmo_users@2016",
            0,
        ),
        (
            "sensitivity base.toml --trajectories 1000 --indicators wmo_users@2016",
            2,
        ),
        ("calibrate base.toml --params needs --points 100000", 2),
        ("--help", 0),
        ("frobnicate", 2),
    ] {
        assert_eq!(code(&mut ws, line), want, "`sociaal {line}`");
    }
    // An absolute path or `..` never leaves the sandbox; the devices stay.
    let args = fuzzing::cli_args(b"report\n/etc/x\n--out=../../y\n/dev/null\nx=/z");
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        args,
        [
            "sociaal",
            "report",
            "./etc/x",
            "--out=././y",
            "/dev/null",
            "x=./z"
        ]
    );

    let mut n = 0;
    for s in seeds() {
        fuzzing::command_line(&mut ws, &s);
        n += 1;
    }
    let kept = root().join("fuzz/regressions/cli");
    let mut files: Vec<_> = std::fs::read_dir(&kept)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for p in files {
        fuzzing::command_line(&mut ws, &std::fs::read(&p).unwrap());
        n += 1;
    }
    assert!(n >= 40, "only {n} seed and kept command lines");

    // Mutations of the seeds: arguments dropped, repeated, swapped between command lines,
    // cut short or given hostile values.
    let seeds = seeds();
    let hostile: [&[u8]; 10] = [
        b"0",
        b"-1",
        b"18446744073709551615",
        b"nan",
        b"/dev/zero",
        b"/dev/full",
        b"results/fuzz-base/summary.csv",
        b"\xff\xfe",
        b"",
        b"--force",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n.max(1) as u64) as usize
    };
    for _ in 0..1000 {
        let mut args: Vec<Vec<u8>> = seeds[next(seeds.len())]
            .split(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        for _ in 0..1 + next(3) {
            let i = next(args.len());
            match next(5) {
                0 => {
                    args.remove(i);
                }
                1 => args.insert(i, args[i].clone()),
                2 => args[i] = hostile[next(hostile.len())].to_vec(),
                3 => {
                    let other = &seeds[next(seeds.len())];
                    let parts: Vec<&[u8]> = other.split(|&b| b == b'\n').collect();
                    args.insert(i, parts[next(parts.len())].to_vec());
                }
                _ => {
                    let cut = next(args[i].len() + 1);
                    args[i].truncate(cut);
                }
            }
            if args.is_empty() {
                args.push(b"check".to_vec());
            }
        }
        fuzzing::command_line(&mut ws, &args.join(&b'\n'));
    }
}
