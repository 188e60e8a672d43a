//! `sociaal`: a fast, parallel agent-based simulation of the Dutch social domain.
//!
//! Layers (see ARCHITECTURE.md): [`engine`] (month loop, keyed random streams, chunked
//! parallel map, phase timing) knows nothing of policy; [`scenario`] turns TOML into
//! validated parameters; [`model`] holds the state and the rules, one module per phase;
//! [`plan`], [`run`], [`merge`] and [`output`] run scenarios (whole, or one part per
//! process) and write results. The `sociaal` binary is a thin
//! command-line layer over these.

//!
//! Lints (the `[lints]` table of Cargo.toml): no `unsafe`, every public item documented, and
//! no printing outside the binary.

pub mod cli;
pub mod design;
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
