//! Repurchase cycles and the customers due now: runs and the due list's export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::repurchase::{RepurchaseAnalysis, RepurchaseParams, RepurchaseReport};
use crate::table_out::ExportFormat;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Compute the cycles and the due list.
    Run {
        /// Settings.
        params: RepurchaseParams,
    },
    /// The due list as a file.
    ExportDue {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Cycles computed.
    Cycles {
        /// What the page draws.
        report: RepurchaseReport,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Repurchase(response).into()
    }
}

impl Session {
    /// The current repurchase cycles, if any.
    pub fn repurchase(&self) -> Option<&RepurchaseAnalysis> {
        self.repurchase.as_ref()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("repurchase")?;
    match request {
        Request::Run { params } => {
            let (mut analysis, elapsed_ms) = super::on_run_lines(session, job, |d, a| {
                Ok(RepurchaseAnalysis::run(d, a, params)?)
            })?;
            analysis.report.elapsed_ms = elapsed_ms;
            let report = analysis.report.clone();
            session.repurchase = Some(analysis);
            Ok(Response::Cycles { report }.into())
        }
        Request::ExportDue { format } => {
            job.stage(Stage::Exporting)?;
            let analysis = session
                .repurchase
                .as_ref()
                .ok_or_else(|| nothing("repurchase"))?;
            let rows = analysis.due.len() as u64;
            let download = export_download(session.spreadsheets, format, "due", rows, |sink| {
                analysis.export_due(sink)
            })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
