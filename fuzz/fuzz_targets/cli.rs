//! Command lines into `sociaal`'s own command-line code, in a sandbox directory with scenario
//! files and complete results, without simulating (body: `sociaal::fuzzing::command_line`;
//! an input is one argument per line).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Mutex;

static WS: Mutex<Option<sociaal::fuzzing::CliWorkspace>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let mut ws = WS.lock().unwrap_or_else(|e| e.into_inner());
    let ws = ws.get_or_insert_with(|| sociaal::fuzzing::CliWorkspace::new(&std::env::temp_dir()));
    sociaal::fuzzing::command_line(ws, data);
});
