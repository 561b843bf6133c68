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
//! | `Ingest` (mapping confirmed, duplicates switch, …) | dataset and every result |
//! | `Analyze` (as-of date, segment grid, …) | the segmentation and the tags (predictions stay: they do not depend on the RFM parameters) |
//! | `Predict` | the predictions and the tags |
//! | `Cluster` / `ApplySegmentation` | the segmentation and the tags |
//! | `OpenAttributes` / `ClearAttributes` | nothing derived (the next segmentation reads them) |
//! | a worker restart | everything (a fresh session; the page re-sends the file, then re-asks) |
//!
//! Every request carries the page's file generation; a request for an older generation than the
//! session's answers [`SessionError::Stale`], and a newer one resets the session first, so no
//! answer ever describes another file.

mod messages;
mod source;

pub use messages::{AttributesSummary, Request, Response, SessionError, Stage};
pub use source::{BytesSource, Source, SourceReader};

use crate::{
    cluster::{AttributeTable, ClusterAnalysis, ClusterError, ClusterInput, SegmentationModel},
    clv::{ClvAnalysis, ClvReport, HoldoutComparison},
    csv_out,
    customers::{self, CustomerPage, CustomerQuery, Predictions, TagTable},
    ingest::{self, PreviewParams, QualityReport},
    rfm::{self, Analysis},
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
    /// Written before `text` (the byte-order mark of CSV exports; empty otherwise).
    pub prefix: &'static str,
    /// The content.
    pub text: String,
    /// Its MIME type.
    pub mime: &'static str,
}

impl Download {
    fn csv(text: String) -> Self {
        Self {
            prefix: csv_out::BOM,
            text,
            mime: "text/csv;charset=utf-8",
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
    /// The customer attributes file, as given (re-parsed when the id column changes).
    attributes_file: Option<Box<dyn Source>>,
    attributes: Option<AttributeTable>,
    /// The last segmentation of `analysis`'s customers.
    cluster: Option<ClusterAnalysis>,
    /// Tags of the current analysis, predictions and segmentation; rebuilt lazily.
    tags: Option<TagTable>,
}

impl Session {
    /// An empty session (generation 0, nothing loaded).
    pub fn new() -> Self {
        Self::default()
    }

    /// The file generation of what the session holds.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a dataset is parsed.
    pub fn has_dataset(&self) -> bool {
        self.dataset.is_some()
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

    /// Drops everything (a new file).
    fn reset(&mut self, generation: u64) {
        *self = Self {
            generation,
            ..Self::default()
        };
    }

    /// Drops everything derived from the dataset (a new ingest).
    fn forget_results(&mut self) {
        self.analysis = None;
        self.clv = None;
        self.cluster = None;
        self.tags = None;
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
        if generation < self.generation {
            return Err(SessionError::Stale {
                request: generation,
                current: self.generation,
            });
        }
        if generation > self.generation {
            self.reset(generation);
        }
        match request {
            Request::Open { params } => {
                let file = attachment.ok_or_else(|| nothing("file"))?;
                self.reset(generation);
                let reply = preview(file.as_ref(), &params);
                self.file = Some(file);
                reply
            }
            Request::Repreview { params } => {
                let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
                preview(file, &params)
            }
            Request::Ingest { ingest, rfm, query } => {
                if let Some(file) = attachment {
                    self.file = Some(file);
                }
                self.ingest(&ingest, &rfm, &query, job)
            }
            Request::Analyze { rfm, query } => {
                let started = (job.now_ms)();
                job.stage(Stage::Scoring)?;
                let dataset = self.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
                let analysis = rfm::analyze(dataset, &rfm).map_err(EngineError::from)?;
                Ok(self.finish(analysis, None, &query, started, job))
            }
            Request::Customers { query } => {
                let page =
                    self.with_analysis(|d, a, p, t| customers::query_tagged(d, a, p, t, &query))?;
                Ok(Response::Customers { page }.into())
            }
            Request::Export { query } => {
                job.stage(Stage::Exporting)?;
                let (csv, rows) = self.with_analysis(|d, a, p, t| {
                    let all = CustomerQuery {
                        offset: 0,
                        limit: usize::MAX,
                        ..query.clone()
                    };
                    let count = CustomerQuery {
                        limit: 0,
                        ..all.clone()
                    };
                    let rows = customers::query_tagged(d, a, p, t, &count).matching;
                    (customers::export_csv_tagged(d, a, p, t, &all), rows)
                })?;
                Ok(Reply {
                    response: Response::Exported { rows },
                    download: Some(Download::csv(csv)),
                })
            }
            Request::Predict { settings, query } => {
                let started = (job.now_ms)();
                job.stage(Stage::Fitting)?;
                let dataset = self.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
                let clv =
                    ClvAnalysis::run(dataset, &settings, job.now_ms).map_err(EngineError::from)?;
                let segments = self
                    .analysis
                    .as_ref()
                    .map(|a| (&a.customers.customer[..], &a.customers.segment[..]));
                let report = ClvReport::new(dataset, &clv, segments);
                // Tags follow in their own request (`Tags`), so the predictions answer first.
                let page = self
                    .analysis
                    .as_ref()
                    .map_or_else(CustomerPage::default, |a| {
                        customers::query_tagged(
                            dataset,
                            a,
                            Some(&Predictions::new(&clv)),
                            None,
                            &query,
                        )
                    });
                self.clv = Some(clv);
                self.tags = None;
                Ok(Response::Predicted {
                    report,
                    page,
                    elapsed_ms: (job.now_ms)() - started,
                }
                .into())
            }
            Request::Validate {
                calibration_end_day,
                holdout_end_day,
                time_unit,
            } => {
                job.stage(Stage::Fitting)?;
                let dataset = self.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
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
            Request::ExportScores => {
                job.stage(Stage::Exporting)?;
                let (Some(d), Some(c)) = (self.dataset.as_ref(), self.clv.as_ref()) else {
                    return Err(nothing("analysis"));
                };
                Ok(Reply {
                    response: Response::Exported {
                        rows: c.summary.len() as u64,
                    },
                    download: Some(Download::csv(c.export_scores_csv(d))),
                })
            }
            Request::OpenAttributes { id_column } => self.open_attributes(attachment, id_column),
            Request::ClearAttributes => {
                self.attributes_file = None;
                self.attributes = None;
                Ok(Response::AttributesCleared.into())
            }
            Request::Cluster { settings, query } => {
                let started = (job.now_ms)();
                if (job.cancelled)() {
                    return Err(SessionError::Cancelled);
                }
                let progress = &mut *job.progress;
                let mut on_progress = |stage, done: usize, total: usize| {
                    progress(Stage::Clustering(stage), done as u64, total as u64);
                };
                let now_ms = &mut *job.now_ms;
                let reply = self.cluster_with(
                    &query,
                    Vec::new(),
                    |input, now_ms| {
                        ClusterAnalysis::run(input, &settings, &mut on_progress, now_ms)
                    },
                    now_ms,
                )?;
                Ok(with_elapsed(reply, (job.now_ms)() - started))
            }
            Request::ApplySegmentation { query } => {
                let started = (job.now_ms)();
                let file = attachment.ok_or_else(|| nothing("file"))?;
                let bytes = file
                    .read_all()
                    .map_err(|message| SessionError::Read { message })?;
                let text = String::from_utf8_lossy(&bytes);
                let model = SegmentationModel::from_json(&text).map_err(EngineError::from)?;
                let names = model.names.clone();
                let reply = self.cluster_with(
                    &query,
                    names,
                    |input, now_ms| ClusterAnalysis::apply(input, &model, now_ms),
                    job.now_ms,
                )?;
                Ok(with_elapsed(reply, (job.now_ms)() - started))
            }
            Request::SaveSegmentation { names } => {
                let cluster = self.cluster.as_ref().ok_or_else(|| nothing("analysis"))?;
                let mut model = cluster.model.clone();
                model.names = names;
                Ok(Reply {
                    response: Response::Exported {
                        rows: cluster.report.k as u64,
                    },
                    download: Some(Download {
                        prefix: "",
                        text: model.to_json(),
                        mime: "application/json",
                    }),
                })
            }
            Request::Tags { query } => {
                let (tag_counts, page) = self.with_analysis(|d, a, p, t| {
                    (
                        t.map(TagTable::tag_values).unwrap_or_default(),
                        customers::query_tagged(d, a, p, t, &query),
                    )
                })?;
                Ok(Response::Tagged { tag_counts, page }.into())
            }
            Request::CustomerProfile { customer_id } => {
                let (profile, suggestions) = self.with_analysis(|d, a, p, t| {
                    let profile = customers::customer_profile(d, a, p, t, &customer_id);
                    let suggestions = if profile.is_none() {
                        customers::suggest_ids(d, a, &customer_id, 8)
                    } else {
                        Vec::new()
                    };
                    (profile.map(Box::new), suggestions)
                })?;
                Ok(Response::Profile {
                    profile,
                    suggestions,
                }
                .into())
            }
        }
    }

    /// Parses the kept file with the confirmed mapping, then analyses it.
    fn ingest(
        &mut self,
        params: &ingest::IngestParams,
        rfm_params: &rfm::RfmParams,
        query: &CustomerQuery,
        job: &mut Job<'_>,
    ) -> Result<Reply, SessionError> {
        let file = self.file.as_deref().ok_or_else(|| nothing("file"))?;
        let started = (job.now_ms)();
        if (job.cancelled)() {
            return Err(SessionError::Cancelled);
        }
        let total = file.size_bytes();
        let mut reader = file.reader();
        let progress = &mut *job.progress;
        let mut on_progress = |done: u64| progress(Stage::Reading, done, total);
        let parsed = ingest::ingest(&mut reader, total, params, &mut on_progress);
        if let Some(message) = reader.take_error() {
            return Err(SessionError::Read { message });
        }
        drop(reader);
        let (dataset, quality) = parsed?;
        job.stage(Stage::Scoring)?;
        // Keep the dataset even if scoring fails: the user can change parameters and retry.
        let result = rfm::analyze(&dataset, rfm_params);
        self.dataset = Some(dataset);
        self.forget_results();
        let analysis = result.map_err(EngineError::from)?;
        Ok(self.finish(analysis, Some(quality), query, started, job))
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
        // Tags follow in their own request (`Tags`): the dashboard answers without them.
        let predictions = self.clv.as_ref().map(Predictions::new);
        let page = self
            .dataset
            .as_ref()
            .map(|d| customers::query_tagged(d, &analysis, predictions.as_ref(), None, query))
            .unwrap_or_default();
        drop(predictions);
        self.tags = None;
        let report = analysis.report.clone();
        self.analysis = Some(analysis);
        // The segmentation was of the previous run's customers; the page runs it again.
        self.cluster = None;
        Response::Analyzed {
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
        Ok(Response::AttributesLoaded {
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
        let predictions = self.clv.as_ref().map(Predictions::new);
        let page = customers::query_tagged(dataset, analysis, predictions.as_ref(), None, query);
        let report = cluster.report.clone();
        drop(predictions);
        self.cluster = Some(cluster);
        Ok(Response::Clustered {
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
        f: impl FnOnce(&Dataset, &Analysis, Option<&Predictions>, Option<&TagTable>) -> T,
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
        let predictions = self.clv.as_ref().map(Predictions::new);
        Ok(f(d, a, predictions.as_ref(), self.tags.as_ref()))
    }
}

fn with_elapsed(mut reply: Reply, elapsed: f64) -> Reply {
    if let Response::Clustered { elapsed_ms, .. } = &mut reply.response {
        *elapsed_ms = elapsed;
    }
    reply
}

fn preview(file: &dyn Source, params: &PreviewParams) -> Result<Reply, SessionError> {
    let head_end = file.size_bytes().min(PREVIEW_BYTES);
    let head = file
        .read_range(0, head_end)
        .map_err(|message| SessionError::Read { message })?;
    let preview = ingest::preview(&head, params)?;
    Ok(Response::Preview {
        file_bytes: file.size_bytes(),
        preview,
    }
    .into())
}

fn nothing(what: &str) -> SessionError {
    SessionError::NothingLoaded {
        what: what.to_string(),
    }
}

#[cfg(test)]
mod tests;
