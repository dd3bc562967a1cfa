//! The filters `search`, `facts` and `stats` share, turned into the library's checked
//! [`search::Query`].

use takedowns::search::{self, SearchError};

/// Filters shared by `search`, `facts` and `stats`.
#[derive(clap::Args, Debug)]
pub(super) struct Filters {
    /// Query text (tantivy syntax: words, "phrases", AND/OR, field:value).
    query: Option<String>,
    /// Origin country: ISO code or English name.
    #[arg(long)]
    country: Option<String>,
    /// Target country: ISO code or English name.
    #[arg(long)]
    target: Option<String>,
    /// Platform id or name, or a family: meta (facebook, instagram, whatsapp, …), google
    /// (youtube, …), microsoft (linkedin, …).
    #[arg(long)]
    platform: Option<String>,
    /// Site (host name without www., as the site facet shows it).
    #[arg(long)]
    site: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only results with at least this count.
    #[arg(long)]
    min_count: Option<u64>,
    /// Object kind: accounts, pages, groups, channels, domains, …
    #[arg(long)]
    object: Option<String>,
    /// Qualifier of the figure: exact, more_than, at_least, about, nearly, up_to, vague.
    #[arg(long)]
    qualifier: Option<String>,
    /// Only negated reports ("found no activity"): true, or false for the others.
    #[arg(long, value_name = "true|false")]
    negated: Option<bool>,
    /// Claims of every archived version of a page (by default only the latest speaks).
    #[arg(long)]
    all_versions: bool,
}

/// Which results a list shows, and in what order.
#[derive(clap::Args, Debug)]
pub(super) struct Listing {
    /// Order: relevance (by date without query text), date (newest first) or count
    /// (largest first).
    #[arg(long, value_name = "relevance|date|count")]
    sort: Option<String>,
    /// Oldest or smallest first.
    #[arg(long)]
    asc: bool,
    /// Results to skip (0–10000).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Results to show (1–10000).
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

impl Filters {
    /// The request these filters make, listing as `listing` says (or one result).
    fn request<'a>(&'a self, listing: Option<&'a Listing>) -> search::Request<'a> {
        search::Request {
            text: self.query.as_deref(),
            country: self.country.as_deref(),
            target: self.target.as_deref(),
            platform: self.platform.as_deref(),
            site: self.site.as_deref(),
            since: self.since.as_deref(),
            until: self.until.as_deref(),
            min_count: self.min_count,
            object: self.object.as_deref(),
            qualifier: self.qualifier.as_deref(),
            negated: self.negated,
            sort: listing.and_then(|l| l.sort.as_deref()),
            asc: listing.is_some_and(|l| l.asc),
            offset: listing.map_or(0, |l| l.offset),
            limit: listing.map_or(1, |l| l.limit),
            all_versions: self.all_versions,
        }
    }

    /// The checked query of a list: the one place CLI filters are validated.
    pub(super) fn query(&self, listing: &Listing) -> Result<search::Query, SearchError> {
        self.request(Some(listing)).check(10_000)
    }

    /// The checked query of a total, which lists nothing.
    pub(super) fn selection(&self) -> Result<search::Query, SearchError> {
        self.request(None).check(10_000)
    }
}
