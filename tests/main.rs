//! Integration tests: one binary (`autotests = false`) to keep link time low.

mod cli;
mod extraction;
mod fixtures;
mod hostile;
mod support;
