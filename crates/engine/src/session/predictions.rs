//! Predictions: fits, scores, validation and the scores export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Source, Stage};
use crate::clv::{ClvAnalysis, ClvReport, ClvSettings, HoldoutComparison, TimeUnit};
use crate::customers::{CustomerPage, CustomerQuery};
use crate::table_out::ExportFormat;
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// Fit the purchase and spend models on the cached dataset and score every customer; the
    /// customer table then shows the predictions.
    Predict {
        /// Prediction settings.
        settings: ClvSettings,
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
    /// The fits and scores of [`Request::Predict`] without what only the page draws (the report,
    /// the customer table page): for the command line, which prints its own summary.
    Score {
        /// Prediction settings.
        settings: ClvSettings,
    },
    /// Calibration/holdout validation on the cached dataset.
    Validate {
        /// Last day of the calibration period (days since 1970-01-01).
        calibration_end_day: i32,
        /// Last day of the holdout period; `None` = the last day of the data.
        holdout_end_day: Option<i32>,
        /// Time unit of the fits.
        time_unit: TimeUnit,
    },
    /// Every scored customer's predictions as a CSV or `.xlsx` Blob (attached to the response).
    ExportScores {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// A prediction run finished.
    Predicted {
        /// What the predictions tab draws.
        report: ClvReport,
        /// The customer table page, with the prediction columns.
        page: CustomerPage,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
    /// A scoring run finished (the session keeps it, as after [`Response::Predicted`]).
    Scored {
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
    /// A validation finished.
    Validated {
        /// The comparison.
        comparison: HoldoutComparison,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Predictions(response).into()
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
        Request::Predict { settings, query } => {
            let started = (job.now_ms)();
            job.stage(Stage::Fitting)?;
            let dataset = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let clv = ClvAnalysis::run_on(dataset, &settings, session.threads, job.now_ms)
                .map_err(EngineError::from)?;
            let segments = session
                .analysis
                .as_ref()
                .map(|a| (&a.customers.customer[..], &a.customers.segment[..]));
            let report = ClvReport::new(dataset, &clv, segments);
            session.clv = Some(clv);
            session.tags = None;
            // Tags follow in their own request (`Tags`), so the predictions answer first.
            let page = session.page(&query);
            Ok(Response::Predicted {
                report,
                page,
                elapsed_ms: (job.now_ms)() - started,
            }
            .into())
        }
        Request::Score { settings } => {
            let started = (job.now_ms)();
            job.stage(Stage::Fitting)?;
            let dataset = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let clv = ClvAnalysis::run_on(dataset, &settings, session.threads, job.now_ms)
                .map_err(EngineError::from)?;
            session.clv = Some(clv);
            session.tags = None;
            Ok(Response::Scored {
                elapsed_ms: (job.now_ms)() - started,
            }
            .into())
        }
        Request::Validate {
            calibration_end_day,
            holdout_end_day,
            time_unit,
        } => {
            session.needs_lines("holdout")?;
            job.stage(Stage::Fitting)?;
            let dataset = session.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
            let comparison = HoldoutComparison::run(
                dataset,
                calibration_end_day,
                holdout_end_day,
                time_unit,
                job.now_ms,
            )
            .map_err(EngineError::from)?;
            Ok(Response::Validated { comparison }.into())
        }
        Request::ExportScores { format } => {
            job.stage(Stage::Exporting)?;
            let (Some(d), Some(c)) = (session.dataset.as_ref(), session.clv.as_ref()) else {
                return Err(nothing("analysis"));
            };
            let rows = c.summary.len() as u64;
            let download = export_download(session.spreadsheets, format, "scores", rows, |sink| {
                c.export_scores(d, sink)
            })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
