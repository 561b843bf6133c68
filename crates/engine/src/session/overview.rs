//! The overview: the RFM analysis of the parsed file.

use serde::{Deserialize, Serialize};

use super::{nothing, Job, Reply, Session, SessionError, Source, Stage};
use crate::customers::{CustomerPage, CustomerQuery};
use crate::ingest::QualityReport;
use crate::rfm::{self, Report, RfmParams};
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Re-analyse the cached dataset with new parameters.
    Analyze {
        /// Analysis parameters.
        rfm: RfmParams,
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// An analysis, after `Ingest` (with the quality report) or `Analyze` (without).
    Analyzed {
        /// Present after an ingest.
        quality: Option<QualityReport>,
        /// The dashboard.
        report: Report,
        /// The first customer page.
        page: CustomerPage,
        /// Milliseconds spent in the worker (parse + analysis).
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Overview(response).into()
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
        Request::Analyze { rfm, query } => {
            let started = (job.now_ms)();
            job.stage(Stage::Scoring)?;
            let dataset = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let analysis =
                rfm::analyze_on(dataset, &rfm, session.threads).map_err(EngineError::from)?;
            Ok(session.finish(analysis, None, &query, started, job))
        }
    }
}
