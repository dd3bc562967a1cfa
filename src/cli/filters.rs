//! The filters `search`, `facts` and `stats` share, turned into the library's checked
//! [`search::Query`].

use takedowns::search::{self, SearchError};

/// Filters shared by `search` and `facts`.
#[derive(clap::Args, Debug)]
pub(super) struct Filters {
    /// Query text (tantivy syntax: words, "phrases", AND/OR, field:value).
    query: Option<String>,
    /// Origin country: ISO code or English name.
    #[arg(long)]
    country: Option<String>,
    /// Platform id or name.
    #[arg(long)]
    platform: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only results with at least this count.
    #[arg(long)]
    min_count: Option<u64>,
    /// Results to show (1–10000).
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Claims of every archived version of a page (by default only the latest speaks).
    #[arg(long)]
    all_versions: bool,
}

impl Filters {
    /// The checked query: the one place CLI filters are validated.
    pub(super) fn query(&self) -> Result<search::Query, SearchError> {
        search::make_query(
            self.query.as_deref(),
            self.country.as_deref(),
            self.platform.as_deref(),
            self.since.as_deref(),
            self.until.as_deref(),
            self.min_count,
            self.limit,
            10_000,
        )
        .map(|q| search::Query {
            all_versions: self.all_versions,
            ..q
        })
    }
}
