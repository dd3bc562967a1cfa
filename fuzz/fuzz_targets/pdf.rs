#![no_main]
//! Fuzz target: `takedowns::fuzzing::pdf` on arbitrary bytes.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| takedowns::fuzzing::pdf(data));
