//! Cohorts by first purchase: runs, another group's matrix, the export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::cohorts::{CohortAnalysis, CohortParams, CohortReport};
use crate::table_out::ExportFormat;
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Form the cohorts; answers with the report and group `group`'s matrix (0 = everybody).
    Run {
        /// Settings.
        params: CohortParams,
        /// The group whose matrix to return.
        group: usize,
    },
    /// Another group's matrix of the current cohorts.
    Show {
        /// The group.
        group: usize,
    },
    /// Every group's matrix as a file.
    Export {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
        /// The name of a split's "other" group, in the user's language.
        other_name: String,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Cohorts formed (or another group shown).
    Cohorts {
        /// What the page draws.
        report: CohortReport,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Cohorts(response).into()
    }
}

impl Session {
    /// The current cohorts, if any.
    pub fn cohorts(&self) -> Option<&CohortAnalysis> {
        self.cohorts.as_ref()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("cohorts")?;
    let started = (job.now_ms)();
    match request {
        Request::Run { params, group } => {
            job.stage(Stage::Lifecycle)?;
            let (Some(d), Some(a)) = (session.dataset.as_ref(), session.analysis.as_ref()) else {
                return Err(nothing("analysis"));
            };
            let cohorts = CohortAnalysis::run(d, a, params).map_err(EngineError::from)?;
            let report = cohorts.report(group).map_err(EngineError::from)?;
            session.cohorts = Some(cohorts);
            Ok(Response::Cohorts {
                report,
                elapsed_ms: (job.now_ms)() - started,
            }
            .into())
        }
        Request::Show { group } => {
            let cohorts = session.cohorts.as_ref().ok_or_else(|| nothing("cohorts"))?;
            let report = cohorts.report(group).map_err(EngineError::from)?;
            Ok(Response::Cohorts {
                report,
                elapsed_ms: (job.now_ms)() - started,
            }
            .into())
        }
        Request::Export { format, other_name } => {
            job.stage(Stage::Exporting)?;
            let cohorts = session.cohorts.as_ref().ok_or_else(|| nothing("cohorts"))?;
            let rows = cohorts.export_rows();
            let download =
                export_download(session.spreadsheets, format, "cohorts", rows, |sink| {
                    cohorts.export(&other_name, sink)
                })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
