//! The one door to the engine: a [`Session`] owns the user's file, the parsed dataset, every
//! analysis's cached result and the rules that invalidate them, and answers one typed
//! [`Request`] at a time with a typed [`Response`]. The browser worker and the CLI are thin
//! adapters over it (a `Blob` or a file in, a message or stdout out).
//!
//! Invalidation, in one place ([`Session::handle`]):
//!
//! | event | drops |
//! |---|---|
//! | `Open` (a new file) or a newer file generation | everything: file, dataset, attributes, results |
//! | `Ingest` / `Read` (mapping confirmed, duplicates switch, …) | dataset and every result |
//! | `Analyze` (as-of date, segment grid, …) | the segmentation and the tags (predictions stay: they do not depend on the RFM parameters) |
//! | `Predict` / `Score` | the predictions and the tags |
//! | `Cluster` / `ApplySegmentation` | the segmentation and the tags |
//! | `Analyze` (again) | also the baskets (transactions, rules, recommendations, preferences) and the cohorts: they read the run's lines |
//! | `Baskets::Rules` / `Recommend` / `Regions` | that result only (the baskets of an item level are built once and kept) |
//! | `Cohorts::Run` | the cohorts only |
//! | `Repurchase::Run` | the repurchase cycles only (a re-analysis drops them too) |
//! | `Forecast::Run` | the forecast only (a re-analysis drops it; it reads the predictions when there are some, without keeping them) |
//! | `SendTime::Run` | the send times only (a re-analysis drops them too) |
//! | `Tiers::Run` | the tiers only; the trailing spends are kept while the window stays (a re-analysis drops both) |
//! | `Experiment::Open` | the campaign analysis (the new campaign file is kept) |
//! | `Experiment::Run` | the campaign analysis only (it reads the file, the run and its segments; a re-analysis or a new ingest drops it, the campaign file stays) |
//! | `Experiment::Power` | nothing |
//! | `Warehouse::Sql` | nothing |
//! | `OpenAttributes` / `ClearAttributes` | nothing derived (the next segmentation reads them) |
//! | a worker restart | everything (a fresh session; the page re-sends the file, then re-asks) |
//!
//! Every request carries the page's file generation; a request for an older generation than the
//! session's answers [`SessionError::Stale`], and a newer one resets the session first, so no
//! answer ever describes another file.

pub mod baskets;
pub mod cohorts;
pub mod customers;
pub mod experiment;
pub mod file;
pub mod forecast;
mod messages;
pub mod overview;
pub mod predictions;
pub mod repurchase;
pub mod segments;
pub mod sendtime;
mod source;
pub mod tiers;
pub mod warehouse;
pub mod warm;

pub use file::{Begun, FedRead};
pub use messages::{AttributesSummary, Request, Response, SessionError, Stage};
#[cfg(not(target_arch = "wasm32"))]
pub use source::FileSource;
pub use source::{BytesSource, Source, SourceReader};

use crate::{
    cluster::{AttributeTable, ClusterAnalysis, ClusterError, ClusterInput},
    clv::ClvAnalysis,
    csv_out,
    customers::{CustomerColumns, CustomerPage, CustomerQuery, Predictions, TagTable},
    ingest::{self, PreviewParams, QualityReport},
    rfm::{self, Analysis},
    table_out::{CsvSink, ExportFormat, NewSpreadsheet, TableSink, XLSX_MAX_ROWS},
    Dataset, EngineError,
};

/// Bytes of the file head given to the preview.
pub const PREVIEW_BYTES: u64 = 1024 * 1024;

/// What a request may use while it runs: a progress sink, a clock, and a cancel flag.
pub struct Job<'a> {
    /// Progress: stage, units done, units in all (bytes when reading).
    pub progress: &'a mut dyn FnMut(Stage, u64, u64),
    /// Milliseconds on some monotonic-enough clock (for `elapsed_ms` and fit timings).
    pub now_ms: &'a mut dyn FnMut() -> f64,
    /// Checked between stages; when it answers `true` the request stops with
    /// [`SessionError::Cancelled`] and the session keeps what it held.
    pub cancelled: &'a dyn Fn() -> bool,
}

impl Job<'_> {
    fn stage(&mut self, stage: Stage) -> Result<(), SessionError> {
        if (self.cancelled)() {
            return Err(SessionError::Cancelled);
        }
        (self.progress)(stage, 0, 1);
        Ok(())
    }
}

/// A file the request produced for the user to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Written before `bytes` (the byte-order mark of CSV exports; empty otherwise).
    pub prefix: &'static str,
    /// The content.
    pub bytes: Vec<u8>,
    /// Its MIME type.
    pub mime: &'static str,
}

impl Download {
    fn csv(text: String) -> Self {
        Self {
            prefix: csv_out::BOM,
            bytes: text.into_bytes(),
            mime: "text/csv;charset=utf-8",
        }
    }

    /// The bytes as text (CSV and JSON downloads).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// MIME type of `.xlsx` files.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An export of `rows` rows (header not counted) in `format`, written by `write` into the sink of
/// that format; `sheet` names the spreadsheet's sheet. An `.xlsx` needs the adapter's spreadsheet
/// writer ([`Session::with_spreadsheets`]) and at most [`XLSX_MAX_ROWS`]` − 1` rows.
fn export_download(
    spreadsheets: Option<NewSpreadsheet>,
    format: ExportFormat,
    sheet: &str,
    rows: u64,
    write: impl FnOnce(&mut dyn TableSink) -> u64,
) -> Result<Download, SessionError> {
    match format {
        ExportFormat::Csv => {
            let mut sink = CsvSink::new(usize::try_from(rows).unwrap_or(0));
            write(&mut sink);
            Ok(Download::csv(sink.finish()))
        }
        ExportFormat::Xlsx => {
            if rows >= XLSX_MAX_ROWS {
                return Err(SessionError::TooManyRowsForExcel { rows });
            }
            let new_sheet = spreadsheets.ok_or_else(|| SessionError::ExportFailed {
                message: "this build cannot write .xlsx files".to_string(),
            })?;
            let mut sink = new_sheet(sheet);
            write(sink.as_mut());
            let bytes = sink
                .finish()
                .map_err(|message| SessionError::ExportFailed { message })?;
            Ok(Download {
                prefix: "",
                bytes,
                mime: XLSX_MIME,
            })
        }
    }
}

/// A request's answer: the response and, for exports, the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The response.
    pub response: Response,
    /// The file to hand to the user, for exports.
    pub download: Option<Download>,
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        Self {
            response,
            download: None,
        }
    }
}

impl Reply {
    /// The answer to an export: the rows written and the file.
    fn exported(rows: u64, download: Download) -> Self {
        Self {
            response: Response::Exported { rows },
            download: Some(download),
        }
    }
}

/// The engine state behind one page (or one CLI run). See the module docs for what invalidates
/// what.
#[derive(Default)]
pub struct Session {
    generation: u64,
    file: Option<Box<dyn Source>>,
    dataset: Option<Dataset>,
    analysis: Option<Analysis>,
    /// The last prediction run on `dataset` (kept across RFM re-analyses).
    clv: Option<ClvAnalysis>,
    /// When the file is a workbook: the workbook as given and what was read of it (`file` then
    /// holds the chosen sheet as CSV text).
    workbook: Option<(Box<dyn Source>, ingest::Workbook)>,
    /// The customer attributes file, as given (re-parsed when the id column changes).
    attributes_file: Option<Box<dyn Source>>,
    attributes: Option<AttributeTable>,
    /// The last segmentation of `analysis`'s customers.
    cluster: Option<ClusterAnalysis>,
    /// Tags of the current analysis, predictions and segmentation; rebuilt lazily.
    tags: Option<TagTable>,
    /// The adapter's `.xlsx` writer, if it has one (kept across files).
    spreadsheets: Option<NewSpreadsheet>,
    /// Baskets, rules, recommendations and regional preferences of `analysis`'s lines.
    baskets: baskets::BasketResults,
    /// The cohorts of `analysis`'s lines.
    cohorts: Option<crate::cohorts::CohortAnalysis>,
    /// The repurchase cycles of `analysis`'s lines.
    repurchase: Option<crate::repurchase::RepurchaseAnalysis>,
    /// The membership tiers of `analysis`'s lines (spends and the last thresholds' tiers).
    tiers: Option<tiers::TierResults>,
    /// Each customer's best weekday and hour of `analysis`'s orders.
    sendtime: Option<crate::sendtime::SendTimeAnalysis>,
    /// The revenue and orders forecast of `analysis`'s orders.
    forecast: Option<crate::forecast::ForecastAnalysis>,
    /// The campaign file (a results file or a contact list), as given.
    campaign_file: Option<Box<dyn Source>>,
    /// The campaign file as parsed with its guessed id column.
    campaign_table: Option<AttributeTable>,
    /// The last campaign analysis.
    experiment: Option<crate::experiment::ExperimentReport>,
    /// Its response model (for the target list).
    experiment_models: Option<crate::experiment::Models>,
    /// Threads the analyses may use besides the ingest's (0 and 1: one).
    threads: usize,
    /// Files kept so far, over resets too (a fed read ends only on the file it began on).
    files_kept: u64,
}

impl Session {
    /// An empty session (generation 0, nothing loaded).
    pub fn new() -> Self {
        Self::default()
    }

    /// The session with an `.xlsx` writer for [`ExportFormat::Xlsx`] exports (the engine has
    /// none: the writer needs the platform's clock, which the adapters provide).
    pub fn with_spreadsheets(mut self, new_sheet: NewSpreadsheet) -> Self {
        self.spreadsheets = Some(new_sheet);
        self
    }

    /// The session with up to `threads` threads for the analyses that can split their work
    /// (natively, the predictions: the customer summary, the BG/NBD and Gamma-Gamma likelihoods
    /// and the scoring). Results are the same bits with any number.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// The file generation of what the session holds.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The parsed dataset, if any.
    pub fn dataset(&self) -> Option<&Dataset> {
        self.dataset.as_ref()
    }

    /// The current RFM analysis, if any.
    pub fn analysis(&self) -> Option<&Analysis> {
        self.analysis.as_ref()
    }

    /// The current predictions, if any.
    pub fn predictions(&self) -> Option<&ClvAnalysis> {
        self.clv.as_ref()
    }

    /// The current segmentation, if any.
    pub fn segmentation(&self) -> Option<&ClusterAnalysis> {
        self.cluster.as_ref()
    }

    /// The tag table, if built.
    pub fn tags(&self) -> Option<&TagTable> {
        self.tags.as_ref()
    }

    /// The columns the analyses add to the customer table, in order: one line per analysis
    /// (see `docs/architecture.md`, "How to add an analysis").
    fn column_sources(&self) -> Vec<Box<dyn CustomerColumns + '_>> {
        let mut sources: Vec<Box<dyn CustomerColumns + '_>> = Vec::new();
        if let Some(clv) = &self.clv {
            sources.push(Box::new(Predictions::new(clv)));
        }
        if let Some(c) = &self.cohorts {
            sources.push(Box::new(crate::customers::cohorts::CohortColumns::new(c)));
        }
        if let Some(r) = &self.repurchase {
            sources.push(Box::new(crate::customers::repurchase::DueColumns::new(r)));
        }
        if let Some(s) = &self.sendtime {
            sources.push(Box::new(crate::customers::sendtime::SendTimeColumns::new(
                s,
            )));
        }
        if let Some(t) = &self.tiers {
            sources.push(Box::new(crate::customers::tiers::TierColumns::new(
                &t.base,
                &t.analysis,
            )));
        }
        sources
    }

    /// A page of the customer table with the registered columns, without tags (they follow in
    /// their own request); empty before an analysis.
    fn page(&self, query: &CustomerQuery) -> CustomerPage {
        let (Some(d), Some(a)) = (self.dataset.as_ref(), self.analysis.as_ref()) else {
            return CustomerPage::default();
        };
        let sources = self.column_sources();
        let columns: Vec<&dyn CustomerColumns> = sources.iter().map(AsRef::as_ref).collect();
        crate::customers::query_tagged(d, a, &columns, None, query)
    }

    /// Drops everything but the adapter's settings (a new file).
    fn reset(&mut self, generation: u64) {
        *self = Self {
            generation,
            spreadsheets: self.spreadsheets,
            threads: self.threads,
            files_kept: self.files_kept + 1,
            ..Self::default()
        };
    }

    /// Drops everything derived from the dataset (a new ingest).
    fn forget_results(&mut self) {
        self.analysis = None;
        self.clv = None;
        self.cluster = None;
        self.tags = None;
        self.baskets = baskets::BasketResults::default();
        self.cohorts = None;
        self.repurchase = None;
        self.tiers = None;
        self.sendtime = None;
        self.forecast = None;
        self.experiment = None;
        self.experiment_models = None;
    }

    /// Answers one request of file generation `generation`. `attachment` is the file that comes
    /// with it (`Open`, `Ingest` after a restart, `OpenAttributes`, `ApplySegmentation`).
    pub fn handle(
        &mut self,
        generation: u64,
        request: Request,
        attachment: Option<Box<dyn Source>>,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        self.enter_generation(generation)?;
        match request {
            Request::File(request) => file::handle(self, request, attachment, job),
            Request::Overview(request) => overview::handle(self, request, attachment, job),
            Request::Customers(request) => customers::handle(self, request, attachment, job),
            Request::Predictions(request) => predictions::handle(self, request, attachment, job),
            Request::Segments(request) => segments::handle(self, request, attachment, job),
            Request::Baskets(request) => baskets::handle(self, request, attachment, job),
            Request::Cohorts(request) => cohorts::handle(self, request, attachment, job),
            Request::Repurchase(request) => repurchase::handle(self, request, attachment, job),
            Request::Tiers(request) => tiers::handle(self, request, attachment, job),
            Request::SendTime(request) => sendtime::handle(self, request, attachment, job),
            Request::Forecast(request) => forecast::handle(self, request, attachment, job),
            Request::Experiment(request) => experiment::handle(self, request, attachment, job),
            Request::Warehouse(request) => warehouse::handle(self, request, attachment, job),
        }
    }

    /// Refuses a request of an older file generation; a newer one resets the session first.
    fn enter_generation(&mut self, generation: u64) -> Result<(), SessionError> {
        if generation < self.generation {
            return Err(SessionError::Stale {
                request: generation,
                current: self.generation,
            });
        }
        if generation > self.generation {
            self.reset(generation);
        }
        Ok(())
    }

    /// [`Self::handle`], except that a request to read a UTF-8 CSV file of transactions
    /// ([`file::Request::Ingest`] or [`file::Request::Read`]) is not read here: the answer is
    /// [`Begun::Fed`], and the caller feeds the kept file's bytes ([`Self::file`]) to it as they
    /// arrive, in order, then answers with [`Self::end_fed`]. The browser's worker reads the file
    /// that way, so that the browser reads the next piece while the engine parses one.
    pub fn begin(
        &mut self,
        generation: u64,
        request: Request,
        attachment: Option<Box<dyn Source>>,
        job: &mut Job<'_>,
    ) -> Begun {
        let (sheet, params, analyse) = match &request {
            Request::File(file::Request::Ingest {
                sheet,
                ingest,
                rfm,
                query,
                summary: None,
            }) => (sheet, ingest, Some((rfm.clone(), query.clone()))),
            Request::File(file::Request::Read {
                sheet,
                ingest,
                summary: None,
            }) => (sheet, ingest, None),
            _ => return Begun::Answered(self.handle(generation, request, attachment, job)),
        };
        let begun = self.begin_fed(
            generation,
            sheet.as_deref(),
            params,
            analyse,
            attachment,
            job,
        );
        match begun {
            Ok(Some(read)) => Begun::Fed(read),
            // The file is kept: answered as `handle` answers (without the attachment again).
            Ok(None) => Begun::Answered(self.handle(generation, request, None, job)),
            Err(e) => Begun::Answered(Err(e)),
        }
    }

    /// [`Self::begin`] for a read of the transactions file (`analyse`: the RFM parameters and
    /// first page of an `Ingest`): the fed read, or `None` when the file is to be read in one
    /// go (a workbook's sheet, another encoding).
    fn begin_fed(
        &mut self,
        generation: u64,
        sheet: Option<&str>,
        params: &ingest::IngestParams,
        analyse: Option<(rfm::RfmParams, CustomerQuery)>,
        attachment: Option<Box<dyn Source>>,
        job: &mut Job<'_>,
    ) -> Result<Option<file::FedRead>, SessionError> {
        self.enter_generation(generation)?;
        if let Some(file) = attachment {
            self.keep_file(file, sheet)?;
        }
        let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
        if self.workbook.is_some() || (job.cancelled)() {
            // A workbook's sheet is text in memory already: read it in one go.
            return Ok(None);
        }
        let total_bytes = file.size_bytes();
        let Some(ingest) = ingest::FedIngest::new(total_bytes, params)? else {
            return Ok(None);
        };
        Ok(Some(file::FedRead {
            ingest,
            analyse,
            started: (job.now_ms)(),
            total_bytes,
            fed_bytes: 0,
            generation,
            file: self.files_kept,
            first_part_bytes: None,
        }))
    }

    /// The kept transactions file (the one a [`Begun::Fed`] read is to be fed).
    pub fn file(&self) -> Option<&dyn Source> {
        self.file.as_deref()
    }

    /// Ends a [`Begun::Fed`] read whose every byte was fed: keeps the dataset and answers as
    /// [`Self::handle`] would have answered the request.
    pub fn end_fed(
        &mut self,
        read: file::FedRead,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        if read.generation != self.generation {
            return Err(SessionError::Stale {
                request: read.generation,
                current: self.generation,
            });
        }
        if read.file != self.files_kept {
            // Another file was opened in between (the worker queues requests, so it does not).
            return Err(SessionError::Read {
                message: "another file was opened while this one was read".to_string(),
            });
        }
        if (job.cancelled)() {
            // Cancelled while the last chunk was awaited: the whole parse would be for nothing.
            return Err(SessionError::Cancelled);
        }
        if read.fed_bytes != read.total_bytes {
            return Err(SessionError::Read {
                message: format!(
                    "{} of the file's {} bytes arrived",
                    read.fed_bytes, read.total_bytes
                ),
            });
        }
        let (dataset, quality) = read.ingest.finish()?;
        let analyse = read.analyse.as_ref().map(|(rfm, query)| (rfm, query));
        self.analyse_new(dataset, quality, analyse, read.started, job)
    }

    /// Parses the kept file with the confirmed mapping, then analyses it with `analyse`'s RFM
    /// parameters and answers with its first customer page (`None`: keeps the dataset only).
    fn ingest(
        &mut self,
        params: &ingest::IngestParams,
        analyse: Option<(&rfm::RfmParams, &CustomerQuery)>,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
        let started = (job.now_ms)();
        if (job.cancelled)() {
            return Err(SessionError::Cancelled);
        }
        let total = file.size_bytes();
        let progress = &mut *job.progress;
        let mut on_progress = |done: u64| progress(Stage::Reading, done, total);
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(parsed) = ingest_in_halves(file, total, params, &mut on_progress)? {
            return self.analyse_new(parsed.0, parsed.1, analyse, started, job);
        }
        let mut reader = file.reader();
        let parsed = ingest::ingest(&mut reader, total, params, &mut on_progress);
        if let Some(message) = reader.take_error() {
            return Err(SessionError::Read { message });
        }
        drop(reader);
        let (dataset, quality) = parsed?;
        self.analyse_new(dataset, quality, analyse, started, job)
    }

    /// Keeps a freshly read dataset and runs the RFM analysis on it (the dataset is kept even if
    /// scoring fails: the user can change parameters and retry); without `analyse`, only keeps it.
    fn analyse_new(
        &mut self,
        dataset: crate::Dataset,
        quality: QualityReport,
        analyse: Option<(&rfm::RfmParams, &CustomerQuery)>,
        started: f64,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        let Some((rfm_params, query)) = analyse else {
            self.dataset = Some(dataset);
            self.forget_results();
            return Ok(file::Response::Read {
                quality,
                elapsed_ms: (job.now_ms)() - started,
            }
            .into());
        };
        job.stage(Stage::Scoring)?;
        let result = rfm::analyze_on(&dataset, rfm_params, self.threads);
        self.dataset = Some(dataset);
        self.forget_results();
        let analysis = result.map_err(EngineError::from)?;
        Ok(self.finish(analysis, Some(quality), query, started, job))
    }

    /// Refuses an analysis that needs transaction lines when the data is a per-customer summary
    /// (`analysis`: the analysis' key for the message).
    fn needs_lines(&self, analysis: &str) -> Result<(), SessionError> {
        if self
            .dataset
            .as_ref()
            .is_some_and(crate::Dataset::is_summary)
        {
            return Err(
                EngineError::from(crate::summary::SummaryError::NeedsTransactions {
                    analysis: analysis.to_string(),
                })
                .into(),
            );
        }
        Ok(())
    }

    /// [`Self::ingest`] for a per-customer summary file: read whole (a summary has one row per
    /// customer, not per line), made into a dataset ([`crate::summary::read_summary`]), analysed.
    fn ingest_summary(
        &mut self,
        layout: &crate::summary::SummaryLayout,
        analyse: Option<(&rfm::RfmParams, &CustomerQuery)>,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
        let started = (job.now_ms)();
        job.stage(Stage::Reading)?;
        let bytes = file
            .read_all()
            .map_err(|message| SessionError::Read { message })?;
        let (dataset, quality, _) =
            crate::summary::read_summary(&bytes, layout).map_err(EngineError::from)?;
        drop(bytes);
        self.analyse_new(dataset, quality, analyse, started, job)
    }

    /// Keeps a new RFM analysis and answers with its report and first customer page.
    fn finish(
        &mut self,
        analysis: Analysis,
        quality: Option<QualityReport>,
        query: &CustomerQuery,
        started: f64,
        job: &mut Job<'_>,
    ) -> Reply {
        self.tags = None;
        let report = analysis.report.clone();
        self.analysis = Some(analysis);
        // Tags follow in their own request (`Tags`): the dashboard answers without them.
        let page = self.page(query);
        // The segmentation was of the previous run's customers; the page runs it again.
        self.cluster = None;
        // The baskets, cohorts and repurchase cycles were of the previous run's lines (as-of
        // day, duplicates).
        self.baskets = baskets::BasketResults::default();
        self.cohorts = None;
        self.repurchase = None;
        self.tiers = None;
        self.sendtime = None;
        self.forecast = None;
        // A contact list's outcomes and every segment breakdown read the run (as-of day, lines).
        self.experiment = None;
        self.experiment_models = None;
        overview::Response::Analyzed {
            quality,
            report,
            page,
            elapsed_ms: (job.now_ms)() - started,
        }
        .into()
    }

    /// Reads and joins an attributes file (the new one, or the kept one with another id column).
    fn open_attributes(
        &mut self,
        attachment: Option<Box<dyn Source>>,
        id_column: Option<String>,
    ) -> Result<Reply, SessionError> {
        let read = match attachment.as_deref() {
            Some(file) => file.read_all(),
            None => self
                .attributes_file
                .as_deref()
                .ok_or_else(|| nothing("file"))?
                .read_all(),
        };
        let bytes = read.map_err(|message| SessionError::Read { message })?;
        let table =
            AttributeTable::parse(&bytes, id_column.as_deref()).map_err(EngineError::from)?;
        let dataset = self.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
        let (_, join) = table.join(&dataset.customer_ids);
        let mut headers = vec![table.id_column.clone()];
        headers.extend(table.columns.iter().map(|c| c.name.clone()));
        let summary = AttributesSummary {
            headers,
            id_column: table.id_column.clone(),
            columns: table.column_info(),
            join,
        };
        if let Some(file) = attachment {
            self.attributes_file = Some(file);
        }
        self.attributes = Some(table);
        Ok(segments::Response::AttributesLoaded {
            attributes: summary,
        }
        .into())
    }

    /// Runs `segment` on the current results, keeps the segmentation and answers with its report
    /// and the customer page (tags follow in their own request).
    fn cluster_with(
        &mut self,
        query: &CustomerQuery,
        names: Vec<String>,
        segment: impl FnOnce(
            &ClusterInput<'_>,
            &mut dyn FnMut() -> f64,
        ) -> Result<ClusterAnalysis, ClusterError>,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Reply, SessionError> {
        self.cluster = None;
        self.tags = None;
        let (Some(dataset), Some(analysis)) = (self.dataset.as_ref(), self.analysis.as_ref())
        else {
            return Err(nothing("analysis"));
        };
        let input = ClusterInput {
            dataset,
            rfm: analysis,
            clv: self.clv.as_ref(),
            attributes: self.attributes.as_ref(),
        };
        let cluster = segment(&input, now_ms).map_err(EngineError::from)?;
        let page = self.page(query);
        let report = cluster.report.clone();
        self.cluster = Some(cluster);
        Ok(segments::Response::Clustered {
            report,
            names,
            page,
            elapsed_ms: 0.0,
        }
        .into())
    }

    /// Runs `f` on the current results with the tags built (lazily).
    fn with_analysis<T>(
        &mut self,
        f: impl FnOnce(&Dataset, &Analysis, &[&dyn CustomerColumns], Option<&TagTable>) -> T,
    ) -> Result<T, SessionError> {
        let (Some(d), Some(a)) = (self.dataset.as_ref(), self.analysis.as_ref()) else {
            return Err(nothing("analysis"));
        };
        if self.tags.is_none() {
            self.tags = Some(TagTable::build(
                d,
                a,
                self.clv.as_ref(),
                self.cluster.as_ref(),
            ));
        }
        let sources = self.column_sources();
        let columns: Vec<&dyn CustomerColumns> = sources.iter().map(AsRef::as_ref).collect();
        Ok(f(d, a, &columns, self.tags.as_ref()))
    }
}

fn with_elapsed(mut reply: Reply, elapsed: f64) -> Reply {
    if let Response::Segments(segments::Response::Clustered { elapsed_ms, .. }) =
        &mut reply.response
    {
        *elapsed_ms = elapsed;
    }
    reply
}

/// The preview's head grows (× 4 a step) up to this when it holds no data row yet.
pub const PREVIEW_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Previews the file's head. The head is measured in records, not bytes: when the first
/// [`PREVIEW_BYTES`] hold no data row (megabytes of blank lines after the header, or a first row
/// with a megabyte cell), a head four times longer is read, up to [`PREVIEW_MAX_BYTES`].
impl Session {
    /// Keeps `file` as the transactions file. A workbook is read whole and its sheet (`sheet`, or
    /// the first with cells) kept as CSV text, the workbook itself kept to read another sheet.
    fn keep_file(
        &mut self,
        file: Box<dyn Source>,
        sheet: Option<&str>,
    ) -> Result<(), SessionError> {
        self.files_kept += 1;
        let head = file
            .read_range(0, 512)
            .map_err(|message| SessionError::Read { message })?;
        if ingest::workbook_format(&head).is_none() {
            self.file = Some(file);
            self.workbook = None;
            return Ok(());
        }
        let bytes = file
            .read_all()
            .map_err(|message| SessionError::Read { message })?;
        // Keep the workbook even when the sheet fails, so another sheet can be asked for.
        let read = ingest::sheet_as_csv(&bytes, sheet);
        drop(bytes);
        match read {
            Ok((csv, book)) => {
                self.file = Some(Box::new(BytesSource(csv)));
                self.workbook = Some((file, book));
                Ok(())
            }
            Err(e) => {
                self.file = None;
                self.workbook = None;
                Err(EngineError::from(e).into())
            }
        }
    }

    /// The preview of the kept file, with its workbook's sheets when it is one.
    fn preview_file(&self, params: &PreviewParams) -> Result<Reply, SessionError> {
        let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
        let preview = preview_head(file, params)?;
        Ok(file::Response::Preview {
            file_bytes: self
                .workbook
                .as_ref()
                .map_or(file.size_bytes(), |(original, _)| original.size_bytes()),
            preview,
            workbook: self.workbook.as_ref().map(|(_, book)| book.clone()),
        }
        .into())
    }
}

/// The preview of `file`'s head (grown until it holds a data row; see [`PREVIEW_MAX_BYTES`]).
fn preview_head(
    file: &dyn Source,
    params: &PreviewParams,
) -> Result<ingest::Preview, SessionError> {
    let size = file.size_bytes();
    let mut head_end = size.min(PREVIEW_BYTES);
    let preview = loop {
        let head = file
            .read_range(0, head_end)
            .map_err(|message| SessionError::Read { message })?;
        match ingest::preview(&head, params) {
            Err(ingest::IngestError::HeaderOnly | ingest::IngestError::Empty)
                if head_end < size && head_end < PREVIEW_MAX_BYTES =>
            {
                head_end = size.min(head_end * 4).min(PREVIEW_MAX_BYTES);
            }
            result => break result?,
        }
    };
    Ok(preview)
}

/// Runs `run` on the dataset and the RFM run a lifecycle analysis reads (stage
/// [`Stage::Lifecycle`]; "nothing loaded" before an analysis) and returns its result with the
/// worker's milliseconds: the shared first half of those handlers.
fn on_run_lines<T>(
    session: &Session,
    job: &mut Job<'_>,
    run: impl FnOnce(&crate::Dataset, &crate::rfm::Analysis) -> Result<T, EngineError>,
) -> Result<(T, f64), SessionError> {
    let started = (job.now_ms)();
    job.stage(Stage::Lifecycle)?;
    let (Some(d), Some(a)) = (session.dataset.as_ref(), session.analysis.as_ref()) else {
        return Err(nothing("analysis"));
    };
    let result = run(d, a)?;
    Ok((result, (job.now_ms)() - started))
}

fn nothing(what: &str) -> SessionError {
    SessionError::NothingLoaded {
        what: what.to_string(),
    }
}

#[cfg(test)]
mod tests;

/// Files smaller than this are read by one thread (a second one would not pay for itself).
#[cfg(not(target_arch = "wasm32"))]
const HALVES_MIN_BYTES: u64 = 4 << 20;

/// Reads a UTF-8 file in two halves on two threads when the source offers a second reader
/// ([`Source::reader_from`]): the halves meet at the first line feed after the middle. `None`
/// when it cannot: a small file, another encoding, one thread, or a middle line feed inside a
/// quoted cell (found only after reading; then the whole file is read again by one thread).
#[cfg(not(target_arch = "wasm32"))]
fn ingest_in_halves(
    file: &dyn Source,
    total: u64,
    params: &ingest::IngestParams,
    progress: &mut dyn FnMut(u64),
) -> Result<Option<(crate::Dataset, QualityReport)>, SessionError> {
    if total < HALVES_MIN_BYTES || !matches!(params.encoding, ingest::TextEncoding::Utf8) {
        return Ok(None);
    }
    let middle = total / 2;
    // The first line feed after the middle, in a window freed before the halves are read (it
    // was held through them: 1 MiB more at the ingest's peak).
    let at = match file.read_range(middle, (middle + (1 << 20)).min(total)) {
        Ok(window) => window.iter().position(|&b| b == b'\n'),
        Err(_) => None,
    };
    let Some(at) = at else {
        return Ok(None);
    };
    let split = middle + at as u64 + 1;
    if split >= total {
        return Ok(None);
    }
    let Some(mut second) = file.reader_from(split) else {
        return Ok(None);
    };
    let mut first = file.reader();
    let parsed = ingest::ingest_split(&mut first, split, &mut second, total, params, progress);
    if let Some(message) = first.take_error().or_else(|| second.take_error()) {
        return Err(SessionError::Read { message });
    }
    Ok(parsed?)
}
