//! Integration tests: one binary (`autotests = false`) to keep link time low.

mod extraction;
mod fixtures;
mod support;
