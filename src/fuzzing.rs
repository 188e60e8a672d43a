//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz, nightly), kept in the library so
//! that the stable test suite replays every kept input (the seed corpus and the regressions
//! in `fuzz/regressions/`) through exactly the same code.
//!
//! Three targets: a scenario file ([`scenario()`]), a geography CSV ([`geography()`]) and the
//! command line ([`command_line`], in a sandbox of its own: [`CliWorkspace`]).
//!
//! A target returns whether the input was accepted. Either way it must return: a panic, a
//! hang or an unbounded allocation is a bug. Rejected input must give an error that names
//! the file, says what was expected and formats without panicking.

use crate::model::geography::Geography;
use crate::scenario::{self, InputError, geography_csv};
use std::path::{Path, PathBuf};

/// The directory the scenario target pretends its input lives in: it holds `base.toml` (a
/// small valid scenario to `extends`) and `gemeenten.csv` (a valid geography), so mutated
/// inputs can reach the `extends` chain and the geography file.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/workspace")
}

/// Feeds `data` to the scenario reader as the contents of `dir/fuzzed.toml`: TOML parsing,
/// the `extends` chain, the merge over `reference.toml`, variants, types, ranges and
/// cross-field checks, the geography file. An accepted scenario is taken as far as a run
/// takes it before simulating: its resolved parameters, its hash and each variant's
/// geography.
pub fn scenario(dir: &Path, data: &[u8]) -> bool {
    let path = dir.join("fuzzed.toml");
    match scenario::load_bytes(&path, data) {
        Ok(s) => {
            let json = s.resolved_json();
            assert!(json.is_object());
            assert_eq!(s.hash().len(), 16);
            assert!(s.start < s.end && !s.variants.is_empty());
            for v in &s.variants {
                let g = Geography::of(&v.geography, &v.params.geography, s.seed);
                assert!(!g.gemeenten.is_empty());
                assert!(g.population() > 0);
            }
            true
        }
        Err(e) => {
            check_error(&e);
            false
        }
    }
}

/// Feeds `data` to the geography CSV reader; an accepted file is built into the model's
/// geography.
pub fn geography(data: &[u8]) -> bool {
    match geography_csv::parse(Path::new("gemeenten.csv"), data) {
        Ok(rows) => {
            let g = Geography::from_rows(&rows);
            assert_eq!(g.gemeenten.len(), rows.len());
            assert!(g.population() <= geography_csv::MAX_POPULATION);
            true
        }
        Err(e) => {
            check_error(&e);
            false
        }
    }
}

/// The command-line target's sandbox: a directory holding what a user's working directory
/// holds (scenario files, a geography, the shipped scenarios, a targets file, and the
/// complete results of a small scenario made once), which the target makes the process's
/// current directory. After each input whatever the command changed there is put back, so
/// every input meets the same files.
#[derive(Debug)]
pub struct CliWorkspace {
    pristine: PathBuf,
    work: PathBuf,
    listing: Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
}

/// Absolute paths a command line may name in the sandbox; any other is made relative to it
/// (nothing outside the sandbox is ever read or written).
pub const CLI_DEVICES: [&str; 3] = ["/dev/null", "/dev/full", "/dev/zero"];

/// The most arguments taken from one input.
pub const CLI_MAX_ARGS: usize = 32;

impl CliWorkspace {
    /// Makes the sandbox in a new directory under `parent` (the pristine copy and the working
    /// directory), runs `fuzz/workspace/base.toml` once into its `results/`, and changes the
    /// process's current directory to it. Panics where it cannot (a fuzzing set-up fault).
    pub fn new(parent: &Path) -> CliWorkspace {
        let root = parent.join(format!("sociaal-fuzz-cli-{}", std::process::id()));
        let pristine = root.join("pristine");
        let work = root.join("work");
        let _ = std::fs::remove_dir_all(&root);
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (from, to) in [
            (workspace().join("base.toml"), "base.toml"),
            (workspace().join("gemeenten.csv"), "gemeenten.csv"),
            (
                src.join("validation/targets.toml"),
                "validation/targets.toml",
            ),
        ] {
            copy_file(&from, &pristine.join(to));
        }
        let mut shipped: Vec<PathBuf> = std::fs::read_dir(src.join("scenarios"))
            .expect("the shipped scenarios")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        shipped.sort();
        for p in shipped {
            let name = p.file_name().expect("a file name");
            copy_file(&p, &pristine.join("scenarios").join(name));
        }
        // Complete results to compare, report, merge, validate and resume.
        let pristine_s = pristine.to_string_lossy().into_owned();
        let code = crate::cli::main_with(
            [
                "sociaal",
                "run",
                &format!("{pristine_s}/base.toml"),
                "--out",
                &format!("{pristine_s}/results"),
                "--threads",
                "1",
                "--quiet",
            ],
            crate::cli::Mode {
                simulate: true,
                stdout: false,
            },
        );
        assert_eq!(code, 0, "the sandbox's results could not be made");
        std::fs::create_dir_all(&work).expect("the sandbox");
        let mut ws = CliWorkspace {
            pristine,
            work,
            listing: Vec::new(),
        };
        ws.restore();
        std::env::set_current_dir(&ws.work).expect("the sandbox as current directory");
        ws
    }

    /// The working directory (the process's current directory).
    pub fn dir(&self) -> &Path {
        &self.work
    }

    /// Puts the working directory back as the pristine copy, where anything in it changed.
    fn reset(&mut self) {
        if listing(&self.work) != self.listing {
            self.restore();
        }
    }

    fn restore(&mut self) {
        // The directory itself stays (it is the current directory); its entries go.
        if let Ok(rd) = std::fs::read_dir(&self.work) {
            for e in rd.flatten() {
                let p = e.path();
                let _ = if p.is_dir() && !p.is_symlink() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
        copy_tree(&self.pristine, &self.work);
        self.listing = listing(&self.work);
    }
}

fn copy_file(from: &Path, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).expect("a sandbox directory");
    }
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from)
        .expect("the pristine sandbox")
        .flatten()
    {
        let (p, q) = (e.path(), to.join(e.file_name()));
        if p.is_dir() {
            std::fs::create_dir_all(&q).expect("a sandbox directory");
            copy_tree(&p, &q);
        } else {
            copy_file(&p, &q);
        }
    }
}

/// Every entry under `dir` with its size and modification time, in a fixed order.
fn listing(dir: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                let meta = std::fs::symlink_metadata(&p).ok();
                if meta.as_ref().is_some_and(|m| m.is_dir()) {
                    stack.push(p.clone());
                }
                out.push((
                    p,
                    meta.as_ref().map_or(0, |m| m.len()),
                    meta.and_then(|m| m.modified().ok()),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The arguments an input stands for: one per line (at most [`CLI_MAX_ARGS`]), bytes as
/// they are (not necessarily UTF-8), after the program name. Paths are kept inside the
/// sandbox: `..` loses a dot, and an absolute path other than [`CLI_DEVICES`] (on its own or
/// after `=`) is made relative.
pub fn cli_args(data: &[u8]) -> Vec<std::ffi::OsString> {
    let inside = |v: &[u8]| -> Vec<u8> {
        let mut v = v.to_vec();
        while let Some(i) = v.windows(2).position(|w| w == b"..") {
            v.remove(i);
        }
        if v.first() == Some(&b'/') && !CLI_DEVICES.iter().any(|d| d.as_bytes() == v) {
            v.insert(0, b'.');
        }
        v
    };
    let mut args = vec![std::ffi::OsString::from("sociaal")];
    for a in data.split(|&b| b == b'\n').take(CLI_MAX_ARGS) {
        let a = match a.iter().position(|&b| b == b'=') {
            Some(i) => [inside(&a[..i]), b"=".to_vec(), inside(&a[i + 1..])].concat(),
            None => inside(a),
        };
        args.push(os_string(a));
    }
    args
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(bytes)
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> std::ffi::OsString {
    String::from_utf8_lossy(&bytes).into_owned().into()
}

/// Runs the command line `data` stands for ([`cli_args`]) in the sandbox `ws`, without
/// simulating (`run` and `validate` stop before the first simulated month, `sensitivity` and
/// `calibrate` once their design's points are made) and without
/// printing; then puts the sandbox back. Returns the exit code, which must be 0, 1 or 2.
pub fn command_line(ws: &mut CliWorkspace, data: &[u8]) -> i32 {
    let args = cli_args(data);
    let code = crate::cli::main_with(
        args,
        crate::cli::Mode {
            simulate: false,
            stdout: false,
        },
    );
    ws.reset();
    assert!(
        matches!(code, 0..=2),
        "exit code {code} for {:?}",
        cli_args(data)
    );
    code
}

/// An error must name its file and what was expected, and format without panicking.
fn check_error(e: &InputError) {
    let msg = e.to_string();
    assert!(!e.expected.is_empty(), "an error without `expected`: {msg}");
    assert!(
        !e.file.as_os_str().is_empty(),
        "an error without a file: {msg}"
    );
    assert!(msg.contains("expected"), "{msg}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_base_scenario_is_valid() {
        let dir = workspace();
        let base = std::fs::read(dir.join("base.toml")).unwrap();
        assert!(scenario(&dir, &base));
        let csv = std::fs::read(dir.join("gemeenten.csv")).unwrap();
        assert!(geography(&csv));
        assert!(!scenario(&dir, b"seed = \"x\""));
        assert!(!geography(b"name\n"));
    }
}
