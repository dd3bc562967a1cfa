//! Integration tests: one binary (`autotests = false`) to keep link time low.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken setup

mod browser;
mod claims;
mod cli;
mod crawl;
mod export;
mod extraction;
mod facts;
mod fixtures;
mod fuzzing;
mod hostile;
mod kb;
mod pdf;
mod pdfgen;
mod questions;
mod realverify;
mod serve;
mod sources;
mod support;
