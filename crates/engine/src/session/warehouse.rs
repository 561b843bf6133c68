//! Warehouse SQL: the query that computes the per-customer summary where the data lives, from
//! the page's confirmed column names and settings. Pure text: it reads nothing the session holds
//! and invalidates nothing.

use serde::{Deserialize, Serialize};

use super::{Job, Reply, Session, SessionError};
use crate::warehouse::{summary_sql, Dialect, SqlParams};
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// The summary query for `dialect` over a table with the named columns.
    Sql {
        /// The warehouse's SQL dialect.
        dialect: Dialect,
        /// The table names, columns and settings.
        params: SqlParams,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The query.
    Sql {
        /// Its text.
        text: String,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Warehouse(response).into()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    _session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    _job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    match request {
        Request::Sql { dialect, params } => {
            let text = summary_sql(dialect, &params).map_err(EngineError::from)?;
            Ok(Response::Sql { text }.into())
        }
    }
}
