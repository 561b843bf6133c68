//! The customer table, its tags, exports and the customer profile.

use serde::{Deserialize, Serialize};

use super::{
    export_download, Job, Reply, Response as SessionResponse, Session, SessionError, Source, Stage,
};
use crate::customers::{
    self as table, CustomerPage, CustomerProfile, CustomerQuery, TagCounts, TagTable,
};
use crate::table_out::ExportFormat;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// One page of the customer table of the current analysis.
    Page {
        /// The page.
        query: CustomerQuery,
    },
    /// All matching customers as a CSV or `.xlsx` Blob (attached to the response).
    Export {
        /// The filter and sort (offset and limit ignored).
        query: CustomerQuery,
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
    /// The tags of every customer (built now if the results changed) with their counts, and the
    /// customer page with its tag badges. The page asks after each analysis, prediction or
    /// segmentation, so those answer without waiting for the tags.
    Tags {
        /// The customer table page to return with them.
        query: CustomerQuery,
    },
    /// One customer's profile and purchase timeline.
    Profile {
        /// The id as typed.
        customer_id: String,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// A customer table page.
    Page {
        /// The page.
        page: CustomerPage,
    },
    /// The tag counts and the customer page with tags.
    Tagged {
        /// The tag values with counts, for the tag filter.
        tag_counts: TagCounts,
        /// The customer table page.
        page: CustomerPage,
    },
    /// A customer profile (or suggestions when the id is not found).
    Profile {
        /// The profile; `None` when no customer has this id.
        profile: Option<Box<CustomerProfile>>,
        /// Ids resembling the typed one, when not found.
        suggestions: Vec<String>,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Customers(response).into()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    match request {
        Request::Page { query } => {
            let page =
                session.with_analysis(|d, a, p, t| table::query_tagged(d, a, p, t, &query))?;
            Ok(Response::Page { page }.into())
        }
        Request::Export { query, format } => {
            job.stage(Stage::Exporting)?;
            let spreadsheets = session.spreadsheets;
            let (download, rows) = session.with_analysis(|d, a, p, t| {
                let all = CustomerQuery {
                    offset: 0,
                    limit: usize::MAX,
                    ..query.clone()
                };
                let count = CustomerQuery {
                    limit: 0,
                    ..all.clone()
                };
                let rows = table::query_tagged(d, a, p, t, &count).matching;
                let download = export_download(spreadsheets, format, "customers", rows, |sink| {
                    table::export_table(d, a, p, t, &all, sink)
                });
                (download, rows)
            })?;
            Ok(Reply {
                response: SessionResponse::Exported { rows },
                download: Some(download?),
            })
        }
        Request::Tags { query } => {
            let (tag_counts, page) = session.with_analysis(|d, a, p, t| {
                (
                    t.map(TagTable::tag_values).unwrap_or_default(),
                    table::query_tagged(d, a, p, t, &query),
                )
            })?;
            Ok(Response::Tagged { tag_counts, page }.into())
        }
        Request::Profile { customer_id } => {
            let (profile, suggestions) = session.with_analysis(|d, a, p, t| {
                let profile = table::customer_profile(d, a, p, t, &customer_id);
                let suggestions = if profile.is_none() {
                    table::suggest_ids(d, a, &customer_id, 8)
                } else {
                    Vec::new()
                };
                (profile.map(Box::new), suggestions)
            })?;
            Ok(Response::Profile {
                profile,
                suggestions,
            }
            .into())
        }
    }
}
