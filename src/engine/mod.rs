//! The engine: calendar months, keyed random streams, the chunked parallel map and phase timing.
//!
//! Architecture invariant: nothing in `engine` knows about Dutch policy, citizens or gemeenten.
//! It is the machinery that makes a month loop deterministic and parallel; the model layer
//! (`crate::model`) decides what happens in a month.

pub mod apportion;
pub mod par;
pub mod queue;
pub mod rng;
pub mod sim;
pub mod time;
pub mod timing;

pub use apportion::largest_remainder;
pub use par::{CHUNK, chunk_ranges, map_chunks};
pub use queue::{Admission, Waiting, admit, place_offset, sum_pools, survey, whole_places};
pub use rng::{Purpose, Stream, StreamKey};
pub use sim::{Model, SpanStats, simulate};
pub use time::Month;
pub use timing::PhaseTimer;
