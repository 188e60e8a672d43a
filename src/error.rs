//! The library's error type. Input problems and refusals map to exit code 2, everything
//! else (I/O failures, a violated model invariant) to exit code 1.

use crate::model::invariants::Violation;
use crate::scenario::InputError;
use std::path::PathBuf;

/// Anything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the user wrote is wrong (scenario, CSV, command-line value).
    #[error("{0}")]
    Input(#[from] InputError),
    /// Results on disk were made from another scenario or build, and `--force` was not
    /// given: they are neither mixed with new runs nor replaced.
    #[error(
        "results for scenario `{name}` already exist in {}, made {why}\n  help: pass --force to replace them, or --out to write elsewhere; nothing was changed",
        path.display()
    )]
    ResultsDiffer {
        /// Scenario name.
        name: String,
        /// The existing directory.
        path: PathBuf,
        /// How they differ, in words.
        why: String,
    },
    /// Results to read back are missing or malformed, or a request names something they do
    /// not hold (an unknown variant, indicator or year); the message lists what exists.
    #[error("{0}")]
    Results(String),
    /// A month-end invariant of the model was violated (`run --check-invariants`, or any
    /// debug build): a bug in the model, not in the input. The run stopped at the end of that
    /// month and nothing of it was written; runs finished before it are kept.
    #[error(
        "{violation}\n  in run {run}; this is a bug in the model, not in the scenario: the run was stopped and nothing of it was written"
    )]
    Invariant {
        /// The run: plan index, variant, replication and seed.
        run: String,
        /// What was violated, where and when.
        violation: Violation,
    },
    /// Reading or writing a file failed.
    #[error("could not {what} {}: {source}{}", path.display(), io_help(source, path))]
    Io {
        /// What was being done ("write", "create directory", ...).
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The name standard output goes by in I/O errors.
pub const STDOUT: &str = "standard output";

/// A hint for the I/O failures a user can fix: no space, no permission, a read-only mount.
fn io_help(e: &std::io::Error, path: &std::path::Path) -> &'static str {
    use std::io::ErrorKind::*;
    if path == std::path::Path::new(STDOUT) {
        // Results are written before anything is printed: they are whole.
        return "\n  help: standard output could not be written (a full disk or a closed device); results in --out are not affected";
    }
    match e.kind() {
        StorageFull | QuotaExceeded => {
            "\n  help: the disk is full; free space or pass --out to write elsewhere (runs already complete are kept, and a rerun skips them)"
        }
        PermissionDenied | ReadOnlyFilesystem => {
            "\n  help: the directory cannot be written; pass --out to write elsewhere"
        }
        _ => "",
    }
}

impl Error {
    /// The process exit code for this error: 2 for input errors and refusals, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::ResultsDiffer { .. } | Error::Results(_) => 2,
            Error::Io { .. } | Error::Invariant { .. } => 1,
        }
    }

    /// An I/O error with context.
    pub fn io(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Month;

    #[test]
    fn a_violated_invariant_is_named_first_and_exits_1() {
        let e = Error::Invariant {
            run: "3 (reference/rep-1, seed 8)".into(),
            violation: Violation {
                month: Month::new(2018, 4),
                gemeente: Some((276, "gemeente-277".into())),
                invariant: "queue.jeugd",
                detail: "youth 12 both receives and waits".into(),
            },
        };
        let text = e.to_string();
        assert!(
            text.starts_with(
                "invariant `queue.jeugd` violated in 2018-04, gemeente gemeente-277 (#276): youth 12 both receives and waits\n  in run 3 (reference/rep-1, seed 8); this is a bug in the model"
            ),
            "{text}"
        );
        assert_eq!(e.exit_code(), 1);
    }
}
