//! Arbitrary bytes and mutated valid scenarios into the scenario reader and validator
//! (body: `sociaal::fuzzing::scenario`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(sociaal::fuzzing::workspace);
    sociaal::fuzzing::scenario(dir, data);
});
