//! Membership tiers: runs (a threshold change re-assigns over the cached spends) and the
//! per-customer export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::table_out::ExportFormat;
use crate::tiers::{TierAnalysis, TierBase, TierParams, TierReport, TierWords};
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Assign the tiers (the spends are computed once per run and window; a threshold or rate
    /// change only re-assigns).
    Run {
        /// Settings.
        params: TierParams,
    },
    /// Every customer's tier as a file.
    Export {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
        /// The words for tiers and movements (the page's language).
        #[serde(default)]
        words: TierWords,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Tiers assigned.
    Tiers {
        /// What the page draws.
        report: TierReport,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Tiers(response).into()
    }
}

/// The cached spends and the last assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct TierResults {
    /// Trailing spends at both dates.
    pub base: TierBase,
    /// The last thresholds' tiers.
    pub analysis: TierAnalysis,
}

impl Session {
    /// The current tiers, if any.
    pub fn tiers(&self) -> Option<&TierResults> {
        self.tiers.as_ref()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("tiers")?;
    match request {
        Request::Run { params } => {
            let started = (job.now_ms)();
            job.stage(Stage::Lifecycle)?;
            params.check().map_err(EngineError::from)?;
            let (Some(d), Some(a)) = (session.dataset.as_ref(), session.analysis.as_ref()) else {
                return Err(nothing("analysis"));
            };
            // The spends are kept for the same window; a failed request keeps what was there.
            let rebuilt = match &session.tiers {
                Some(t) if t.base.window_months == params.window_months => None,
                _ => Some(TierBase::build(d, a, params.window_months).map_err(EngineError::from)?),
            };
            let Some(base) = rebuilt.as_ref().or(session.tiers.as_ref().map(|t| &t.base)) else {
                return Err(nothing("tiers"));
            };
            let mut analysis = TierAnalysis::assign(base, &params).map_err(EngineError::from)?;
            analysis.report.elapsed_ms = (job.now_ms)() - started;
            let report = analysis.report.clone();
            if let Some(base) = rebuilt {
                session.tiers = Some(TierResults { base, analysis });
            } else if let Some(t) = session.tiers.as_mut() {
                t.analysis = analysis;
            }
            Ok(Response::Tiers { report }.into())
        }
        Request::Export { format, words } => {
            job.stage(Stage::Exporting)?;
            let d = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let t = session.tiers.as_ref().ok_or_else(|| nothing("tiers"))?;
            let rows = t.base.len() as u64;
            let download = export_download(session.spreadsheets, format, "tiers", rows, |sink| {
                t.analysis.export(d, &t.base, &words, sink)
            })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
