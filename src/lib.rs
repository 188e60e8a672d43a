//! `sociaal`: a fast, parallel agent-based simulation of the Dutch social domain.
//!
//! Layers (see ARCHITECTURE.md): [`engine`] (month loop, keyed random streams, chunked
//! parallel map, phase timing) knows nothing of policy; [`scenario`] turns TOML into
//! validated parameters; [`model`] holds the state and the rules, one module per phase;
//! [`plan`], [`run`], [`merge`] and [`output`] run scenarios (whole, or one part per
//! process) and write results. The `sociaal` binary is a thin
//! command-line layer over these.

#![warn(missing_docs)]
// Input errors carry the file, position, key, expectation and a hint. They are returned at
// most once per command, so their size costs nothing; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod engine;
pub mod error;
pub mod fuzzing;
pub mod merge;
pub mod model;
#[cfg(feature = "mpi")]
pub mod mpi_run;
pub mod output;
pub mod plan;
pub mod report;
pub mod run;
pub mod scenario;
pub mod sysinfo;

pub use error::Error;
