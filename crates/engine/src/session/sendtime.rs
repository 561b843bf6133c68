//! Send timing: runs and the per-customer export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::sendtime::{SendTimeAnalysis, SendTimeParams, SendTimeReport};
use crate::table_out::ExportFormat;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Learn each customer's best weekday and hour.
    Run {
        /// Settings.
        params: SendTimeParams,
    },
    /// Every customer's best times as a file.
    Export {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Send times learnt.
    SendTimes {
        /// What the page draws.
        report: SendTimeReport,
        /// Milliseconds in the worker.
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::SendTime(response).into()
    }
}

impl Session {
    /// The current send times, if any.
    pub fn sendtime(&self) -> Option<&SendTimeAnalysis> {
        self.sendtime.as_ref()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("sendtime")?;
    match request {
        Request::Run { params } => {
            let (analysis, elapsed_ms) = super::on_run_lines(session, job, |d, a| {
                Ok(SendTimeAnalysis::run(d, a, params)?)
            })?;
            let report = analysis.report();
            session.sendtime = Some(analysis);
            Ok(Response::SendTimes { report, elapsed_ms }.into())
        }
        Request::Export { format } => {
            job.stage(Stage::Exporting)?;
            let d = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let s = session
                .sendtime
                .as_ref()
                .ok_or_else(|| nothing("sendtime"))?;
            let rows = s.export_rows();
            let download =
                export_download(session.spreadsheets, format, "sendtime", rows, |sink| {
                    s.export(d, sink)
                })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
