//! takedowns: news reports and platform posts about takedowns of fake and state-backed
//! accounts, turned into a searchable, verifiable knowledge base.
//!
//! The pipeline, one module per stage, dependencies running one way:
//!
//! ```text
//! crawl ──Response──▶ archive (WARC) ──Page──▶ extract ──Article──▶ claims ──Claim──▶
//!   dedup ──Fact──▶ index ──▶ search / facts / verify ──▶ cli, serve
//! ```
//!
//! Everything from `archive` to `index` is synchronous and deterministic; only `crawl` and
//! `serve` are async. The raw archive is the system of record: the index, claims and
//! facts can always be rebuilt from it.

pub mod archive;
pub mod check;
pub mod claims;
pub mod crawl;
pub mod dedup;
pub mod demo;
pub mod export;
pub mod extract;
pub mod fuzzing;
pub mod index;
pub mod ingest;
pub mod inputs;
pub mod search;
pub mod serve;
pub mod sources;
pub mod stats;
pub mod verify;
