//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz, nightly), kept in the library so
//! that the stable test suite replays every kept input (the seed corpus and the regressions
//! in `fuzz/regressions/`) through exactly the same code.
//!
//! A target returns whether the input was accepted. Either way it must return: a panic, a
//! hang or an unbounded allocation is a bug. Rejected input must give an error that names
//! the file, says what was expected and formats without panicking.

use crate::model::geography::Geography;
use crate::scenario::{self, GeographySource, InputError, geography_csv};
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
                let g = match &v.geography {
                    GeographySource::Synthetic => Geography::synthetic(&v.params.geography, s.seed),
                    GeographySource::File { rows, .. } => Geography::from_rows(rows),
                };
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
