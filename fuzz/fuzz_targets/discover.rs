#![no_main]
//! Fuzz target: `takedowns::fuzzing::discover` on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| takedowns::fuzzing::discover(data));
