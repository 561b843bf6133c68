//! Revenue and orders forecast: runs (with the existing customers' BG/NBD expectation beside it
//! when predictions have run) and the export.

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Stage};
use crate::forecast::existing::existing_customer_orders;
use crate::forecast::{ForecastAnalysis, ForecastParams, ForecastReport};
use crate::table_out::ExportFormat;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Forecast revenue and orders.
    Run {
        /// Settings.
        params: ForecastParams,
    },
    /// History and forecast as a file.
    Export {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Forecast made.
    Forecast {
        /// What the page draws.
        report: ForecastReport,
        /// Milliseconds in the worker.
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Forecast(response).into()
    }
}

impl Session {
    /// The current forecast, if any.
    pub fn forecast(&self) -> Option<&ForecastAnalysis> {
        self.forecast.as_ref()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    _attachment: Option<Box<dyn super::Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    session.needs_lines("forecast")?;
    match request {
        Request::Run { params } => {
            let (analysis, elapsed_ms) = super::on_run_lines(session, job, |d, a| {
                Ok(ForecastAnalysis::run(d, a, params)?)
            })?;
            let mut report = analysis.report();
            report.existing_customer_orders = session
                .clv
                .as_ref()
                .and_then(|clv| existing_customer_orders(&analysis, clv));
            session.forecast = Some(analysis);
            Ok(Response::Forecast { report, elapsed_ms }.into())
        }
        Request::Export { format } => {
            job.stage(Stage::Exporting)?;
            let f = session
                .forecast
                .as_ref()
                .ok_or_else(|| nothing("forecast"))?;
            let rows = f.export_rows();
            let download =
                export_download(session.spreadsheets, format, "forecast", rows, |sink| {
                    f.export(sink)
                })?;
            Ok(Reply::exported(rows, download))
        }
    }
}
