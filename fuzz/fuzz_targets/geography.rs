//! Arbitrary bytes and mutated valid files into the geography CSV reader
//! (body: `sociaal::fuzzing::geography`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sociaal::fuzzing::geography(data);
});
