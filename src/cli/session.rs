//! The CLI's adapter over the engine [`Session`], as the worker is the page's: a file on disk in
//! (a [`FileSource`], streamed), typed results out through the session's accessors, and every
//! failure worded as the CLI always worded it (the path first, then the engine's English).

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{run_error, CliError, CliResult, InputArgs};
use crate::engine::customers::CustomerQuery;
use crate::engine::ingest::{ColumnRole, IngestParams, Preview, PreviewParams, QualityReport};
use crate::engine::rfm::RfmParams;
use crate::engine::session::{
    file, overview, predictions, FileSource, Job, Reply, Request, Response, Session, SessionError,
    Stage,
};
use crate::engine::summary::{SummaryError, SummaryLayout};
use crate::engine::EngineError;
use crate::i18n::{self, Lang};

/// The one file generation a CLI run holds.
const GENERATION: u64 = 1;

/// A session over one transactions file, with the clock its fits are timed by.
pub(super) struct CliSession {
    session: Session,
    started: Instant,
    /// The transactions file (named in its errors).
    path: PathBuf,
    /// Called with each stage the session enters (`segscope bench` times the phases by it).
    on_stage: Option<Box<dyn FnMut(Stage)>>,
}

impl CliSession {
    /// Opens the file, previews its head with the command-line overrides, applies the column
    /// overrides, streams the whole file through the ingest and runs the RFM analysis with
    /// `rfm`. The RFM step's failure is returned apart (`Ok((session, Err(…)))`): the dataset is
    /// kept, and `clv` goes on without it.
    pub(super) fn load(
        input: &InputArgs,
        rfm: RfmParams,
    ) -> CliResult<(Self, Result<QualityReport, CliError>)> {
        let (mut cli, preview) = Self::open(input)?;
        let summary = input.summary_layout(&preview);
        // A summary file has no transaction columns to map.
        let ingest = match summary {
            Some(_) => IngestParams::from_preview(&preview),
            None => input.ingest_params(&preview)?,
        };
        let analysed = cli.ingest(ingest, rfm, summary)?;
        Ok((cli, analysed))
    }

    /// [`Self::load`] without the RFM analysis: the dataset only, for `clv`. Only the columns
    /// the predictions read are mapped (customer, date, amount, order): the product, quantity,
    /// region, channel and category columns are not read into the dataset (interning them was
    /// about a tenth of the ingest). Which lines are kept does not depend on them, so neither do
    /// the predictions.
    pub(super) fn load_dataset(input: &InputArgs) -> CliResult<Self> {
        let (mut cli, preview) = Self::open(input)?;
        let summary = input.summary_layout(&preview);
        let ingest = match summary {
            Some(_) => IngestParams::from_preview(&preview),
            None => {
                let mut params = input.ingest_params(&preview)?;
                for role in [
                    ColumnRole::Product,
                    ColumnRole::Quantity,
                    ColumnRole::Region,
                    ColumnRole::Channel,
                    ColumnRole::Category,
                ] {
                    params.mapping.set(role, None);
                }
                params
            }
        };
        let request = Request::File(file::Request::Read {
            sheet: None,
            ingest,
            summary,
        });
        let reply = cli.ask(request, None)?;
        match reply.response {
            Response::File(file::Response::Read { .. }) => Ok(cli),
            _ => Err(cli.unexpected(&reply)),
        }
    }

    /// [`Self::load`] with the default RFM settings, for the analyses that read the RFM run's
    /// lines: its failure fails the command, worded with the file.
    pub(super) fn load_analysed(input: &InputArgs) -> CliResult<Self> {
        let (cli, analysed) = Self::load(input, RfmParams::default())?;
        analysed.map_err(|e| match e {
            CliError::Run(message) => run_error(format!("{}: {message}", input.file.display())),
            usage => usage,
        })?;
        Ok(cli)
    }

    /// A session without a transactions file (a results file, the calculator); `path` names the
    /// file its errors are about.
    pub(super) fn without_transactions(path: &Path) -> Self {
        Self {
            session: Session::new()
                .with_spreadsheets(crate::xlsx::NEW_SHEET)
                .with_threads(threads()),
            started: Instant::now(),
            path: path.to_path_buf(),
            on_stage: None,
        }
    }

    /// Opens the file and previews its head with the command-line detection overrides.
    pub(super) fn open(input: &InputArgs) -> CliResult<(Self, Preview)> {
        let path = input.file.clone();
        let source = FileSource::open(&path)
            .map_err(|e| run_error(format!("cannot open {}: {e}", path.display())))?
            .with_threads(threads());
        let mut cli = Self {
            session: Session::new()
                .with_spreadsheets(crate::xlsx::NEW_SHEET)
                .with_threads(threads()),
            started: Instant::now(),
            path,
            on_stage: None,
        };
        let params = PreviewParams {
            encoding: input.encoding,
            delimiter: input.delimiter,
            has_header: None,
            sheet: input.sheet.clone(),
        };
        let reply = cli.ask(
            Request::File(file::Request::Open { params }),
            Some(Box::new(source)),
        )?;
        let Response::File(file::Response::Preview { preview, .. }) = reply.response else {
            return Err(cli.unexpected(&reply));
        };
        Ok((cli, preview))
    }

    /// Streams the whole file through the ingest with `ingest` and runs the RFM analysis with
    /// `rfm`. The RFM step's failure is returned apart (`Ok(Err(…))`): the dataset is kept.
    pub(super) fn ingest(
        &mut self,
        ingest: IngestParams,
        rfm: RfmParams,
        summary: Option<SummaryLayout>,
    ) -> CliResult<Result<QualityReport, CliError>> {
        let query = CustomerQuery {
            limit: 0,
            ..CustomerQuery::default()
        };
        let request = Request::File(file::Request::Ingest {
            sheet: None,
            ingest,
            rfm,
            query,
            summary,
        });
        match self.session_reply(request, None) {
            Ok(reply) => match reply.response {
                Response::Overview(overview::Response::Analyzed {
                    quality: Some(quality),
                    ..
                }) => Ok(Ok(quality)),
                _ => Err(self.unexpected(&reply)),
            },
            // The ingest worked and the RFM step failed: the session keeps the dataset.
            Err(SessionError::Engine(EngineError::Rfm(e))) if self.session.dataset().is_some() => {
                Ok(Err(run_error(e.to_string())))
            }
            Err(e) => Err(self.error(&self.path, e)),
        }
    }

    /// Calls `on_stage` with each stage the session enters from now on.
    pub(super) fn on_stage(&mut self, on_stage: impl FnMut(Stage) + 'static) {
        self.on_stage = Some(Box::new(on_stage));
    }

    /// Fits and scores the predictions with `settings` (the session keeps them).
    pub(super) fn predict(&mut self, settings: crate::engine::clv::ClvSettings) -> CliResult<()> {
        let query = CustomerQuery {
            limit: 0,
            ..CustomerQuery::default()
        };
        self.ask(
            Request::Predictions(predictions::Request::Predict { settings, query }),
            None,
        )
        .map(drop)
    }

    /// Fits and scores with `settings` without the page's report (the session keeps the run).
    pub(super) fn score(&mut self, settings: crate::engine::clv::ClvSettings) -> CliResult<()> {
        self.ask(
            Request::Predictions(predictions::Request::Score { settings }),
            None,
        )
        .map(drop)
    }

    /// Sends `request`, failing with the CLI's wording (errors name `path`).
    pub(super) fn ask_about(
        &mut self,
        path: &Path,
        request: Request,
        attachment: Option<FileSource>,
    ) -> CliResult<Reply> {
        let attachment = attachment.map(|f| Box::new(f) as Box<_>);
        self.session_reply(request, attachment)
            .map_err(|e| self.error(path, e))
    }

    /// [`ask_about`](Self::ask_about) the transactions file.
    fn ask(
        &mut self,
        request: Request,
        attachment: Option<Box<dyn crate::engine::session::Source>>,
    ) -> CliResult<Reply> {
        self.session_reply(request, attachment)
            .map_err(|e| self.error(&self.path, e))
    }

    fn session_reply(
        &mut self,
        request: Request,
        attachment: Option<Box<dyn crate::engine::session::Source>>,
    ) -> Result<Reply, SessionError> {
        let started = self.started;
        let Self {
            session, on_stage, ..
        } = self;
        let mut last = None;
        let mut progress = |stage: Stage, _: u64, _: u64| {
            if last != Some(stage) {
                last = Some(stage);
                if let Some(f) = on_stage.as_mut() {
                    f(stage);
                }
            }
        };
        let mut now_ms = || started.elapsed().as_secs_f64() * 1000.0;
        let mut job = Job {
            progress: &mut progress,
            now_ms: &mut now_ms,
            cancelled: &|| false,
        };
        session.handle(GENERATION, request, attachment, &mut job)
    }

    /// The session (its dataset and results, for the output).
    pub(super) fn session(&self) -> &Session {
        &self.session
    }

    /// The transactions file.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// A session failure in the CLI's words: `path: message`, the engine's errors as the page
    /// words them in English.
    fn error(&self, path: &Path, e: SessionError) -> CliError {
        let message = match &e {
            SessionError::Engine(EngineError::Clv(e)) => i18n::describe_clv_error(Lang::En, e),
            SessionError::Engine(EngineError::Cluster(e)) => {
                i18n::describe_cluster_error(Lang::En, e)
            }
            SessionError::Read { message } => format!("could not read the file: {message}"),
            SessionError::Engine(EngineError::Summary(SummaryError::AsOfRequired)) => format!(
                "{e}; give it with --summary-as-of YYYY-MM-DD (or --transactions to read the file as lines)"
            ),
            other => other.to_string(),
        };
        run_error(format!("{}: {message}", path.display()))
    }

    /// A reply of another kind than the request's (a bug).
    fn unexpected(&self, reply: &Reply) -> CliError {
        run_error(format!(
            "{}: unexpected engine reply {:?}",
            self.path.display(),
            std::mem::discriminant(&reply.response)
        ))
    }
}

/// Threads the ingest and the predictions may use: `SEGSCOPE_THREADS` when set to a number, else
/// the machine's cores. With two or more, a large UTF-8 file is read in two halves at once and
/// the predictions score customers on two threads; the results are the same bits with one.
pub(super) fn threads() -> usize {
    std::env::var("SEGSCOPE_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
}
