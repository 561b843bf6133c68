//! The Web Worker: owns the user's file, the parsed dataset and the current analysis, and runs
//! engine jobs for the page. All parsing and computing happens here, off the UI thread.
//!
//! Cancel is `Worker.terminate()` on the page side (a synchronous job cannot be interrupted from
//! inside); the page then starts a fresh worker and re-sends the file when needed.

mod blob_reader;

use std::cell::{Cell, RefCell};

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::{
    cluster::{AttributeTable, ClusterAnalysis, ClusterInput, SegmentationModel},
    clv::{ClvAnalysis, ClvReport, HoldoutComparison},
    customers::{self, CustomerQuery, Predictions, TagTable},
    ingest::{self, PreviewParams},
    rfm::{self, Analysis},
    Dataset, EngineError,
};
use crate::protocol::{
    decode, encode, AttributesSummary, Envelope, Request, Response, Stage, WorkerError,
    PROTOCOL_VERSION,
};
use blob_reader::BlobReader;

/// Bytes of the file head given to the preview.
const PREVIEW_BYTES: f64 = 1024.0 * 1024.0;
/// Minimum milliseconds between two progress messages.
const PROGRESS_INTERVAL_MS: f64 = 80.0;

#[derive(Default)]
struct State {
    file: Option<Blob>,
    dataset: Option<Dataset>,
    analysis: Option<Analysis>,
    /// The last prediction run on `dataset` (kept across RFM re-analyses).
    clv: Option<ClvAnalysis>,
    /// The customer attributes file, as given (re-parsed when the id column changes).
    attributes_file: Option<Blob>,
    /// The parsed attributes file.
    attributes: Option<AttributeTable>,
    /// The last segmentation of `analysis`'s customers.
    cluster: Option<ClusterAnalysis>,
    /// Tags of the current analysis, predictions and segmentation; rebuilt lazily after any of
    /// them changes.
    tags: Option<TagTable>,
}

impl State {
    /// Drops everything derived from the dataset (a new file or a new RFM run).
    fn forget_results(&mut self) {
        self.analysis = None;
        self.clv = None;
        self.cluster = None;
        self.tags = None;
    }

    /// The tag table of the current results, built if needed.
    fn ensure_tags(&mut self) {
        if self.tags.is_none() {
            if let (Some(d), Some(a)) = (self.dataset.as_ref(), self.analysis.as_ref()) {
                self.tags = Some(TagTable::build(
                    d,
                    a,
                    self.clv.as_ref(),
                    self.cluster.as_ref(),
                ));
            }
        }
    }
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    static CURRENT_REQUEST: Cell<u64> = const { Cell::new(0) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(id: u64, body: &Response, blob: Option<&Blob>) {
    let msg = crate::wire::pack(encode(&Envelope { id, body }), blob);
    if let Err(e) = scope().post_message(&msg) {
        web_sys::console::error_2(&"segscope worker: postMessage failed".into(), &e);
    }
}

/// Entry point of the worker binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Tell the page which request died, then let the default hook log it.
        let message = info.to_string();
        let id = CURRENT_REQUEST.with(Cell::get);
        post(
            id,
            &Response::Failed {
                error: WorkerError::Crashed { message },
            },
            None,
        );
        console_error_panic_hook::hook(info);
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(
        0,
        &Response::Ready {
            protocol_version: PROTOCOL_VERSION,
        },
        None,
    );
}

fn on_message(event: MessageEvent) {
    let (json, blob) = crate::wire::unpack(&event.data());
    let Some(json) = json else {
        post(0, &bad("message without json"), None);
        return;
    };
    let envelope: Envelope<Request> = match decode(&json) {
        Ok(e) => e,
        Err(error) => {
            post(0, &Response::Failed { error }, None);
            return;
        }
    };
    let id = envelope.id;
    CURRENT_REQUEST.with(|c| c.set(id));
    match handle(id, envelope.body, blob) {
        Ok((response, out_blob)) => post(id, &response, out_blob.as_ref()),
        Err(error) => post(id, &Response::Failed { error }, None),
    }
}

fn bad(message: &str) -> Response {
    Response::Failed {
        error: WorkerError::BadMessage {
            message: message.to_string(),
        },
    }
}

type Handled = Result<(Response, Option<Blob>), WorkerError>;

fn handle(id: u64, request: Request, blob: Option<Blob>) -> Handled {
    match request {
        Request::Open { params } => {
            let file = blob.ok_or_else(|| nothing("file"))?;
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.dataset = None;
                s.forget_results();
                s.file = Some(file.clone());
            });
            preview(&file, &params)
        }
        Request::Repreview { params } => {
            let file = STATE
                .with(|s| s.borrow().file.clone())
                .ok_or_else(|| nothing("file"))?;
            preview(&file, &params)
        }
        Request::Ingest {
            ingest: params,
            rfm: rfm_params,
            query,
        } => {
            if let Some(file) = blob {
                STATE.with(|s| s.borrow_mut().file = Some(file));
            }
            let file = STATE
                .with(|s| s.borrow().file.clone())
                .ok_or_else(|| nothing("file"))?;
            let started = now_ms();
            let total = file.size();
            let mut reader = BlobReader::new(file);
            let mut last = 0.0;
            let mut on_progress = |done: u64| {
                let t = now_ms();
                if t - last >= PROGRESS_INTERVAL_MS {
                    last = t;
                    progress(id, Stage::Reading, done, total as u64);
                }
            };
            let parsed = ingest::ingest(&mut reader, total as u64, &params, &mut on_progress);
            if let Some(message) = reader.take_error() {
                return Err(WorkerError::Read { message });
            }
            let (dataset, quality) = parsed?;
            progress(id, Stage::Scoring, 0, 1);
            // Keep the dataset even if scoring fails: the user can change parameters and retry.
            let result = rfm::analyze(&dataset, &rfm_params);
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.dataset = Some(dataset);
                s.forget_results();
            });
            let analysis = result.map_err(crate::engine::EngineError::from)?;
            Ok((finish(analysis, Some(quality), &query, started), None))
        }
        Request::Analyze {
            rfm: rfm_params,
            query,
        } => {
            let started = now_ms();
            progress(id, Stage::Scoring, 0, 1);
            let analysis = STATE.with(|s| {
                let s = s.borrow();
                let dataset = s.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
                rfm::analyze(dataset, &rfm_params)
                    .map_err(|e| WorkerError::Engine(crate::engine::EngineError::from(e)))
            })?;
            Ok((finish(analysis, None, &query, started), None))
        }
        Request::Customers { query } => {
            let page = with_analysis(|d, a, p, t| page_of(d, a, p, t, &query))?;
            Ok((Response::Customers { page }, None))
        }
        Request::Export { query } => {
            progress(id, Stage::Exporting, 0, 1);
            let (csv, rows) = with_analysis(|d, a, p, t| {
                let all = CustomerQuery {
                    offset: 0,
                    limit: usize::MAX,
                    ..query.clone()
                };
                let count = CustomerQuery {
                    limit: 0,
                    ..all.clone()
                };
                let rows = page_of(d, a, p, t, &count).matching;
                (export_of(d, a, p, t, &all), rows)
            })?;
            Ok((Response::Exported { rows }, Some(csv_blob(csv)?)))
        }
        Request::Predict { settings, query } => {
            let started = now_ms();
            progress(id, Stage::Fitting, 0, 1);
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.clv = None;
                s.tags = None;
                let dataset = s.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
                let clv = ClvAnalysis::run(dataset, &settings, &mut now_ms)
                    .map_err(|e| WorkerError::Engine(EngineError::from(e)))?;
                let segments = s
                    .analysis
                    .as_ref()
                    .map(|a| (&a.customers.customer[..], &a.customers.segment[..]));
                let report = ClvReport::new(dataset, &clv, segments);
                // Tags follow in their own request (`Tags`), so the predictions answer first.
                let page = s.analysis.as_ref().map_or_else(Default::default, |a| {
                    page_of(dataset, a, Some(&Predictions::new(&clv)), None, &query)
                });
                s.clv = Some(clv);
                s.tags = None;
                Ok((
                    Response::Predicted {
                        report,
                        page,
                        elapsed_ms: now_ms() - started,
                    },
                    None,
                ))
            })
        }
        Request::Validate {
            calibration_end_day,
            holdout_end_day,
            time_unit,
        } => {
            progress(id, Stage::Fitting, 0, 1);
            let comparison = STATE.with(|s| {
                let s = s.borrow();
                let dataset = s.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
                HoldoutComparison::run(
                    dataset,
                    calibration_end_day,
                    holdout_end_day,
                    time_unit,
                    &mut now_ms,
                )
                .map_err(|e| WorkerError::Engine(EngineError::from(e)))
            })?;
            Ok((Response::Validated { comparison }, None))
        }
        Request::ExportScores => {
            progress(id, Stage::Exporting, 0, 1);
            let (csv, rows) = STATE.with(|s| {
                let s = s.borrow();
                match (s.dataset.as_ref(), s.clv.as_ref()) {
                    (Some(d), Some(c)) => Ok((c.export_scores_csv(d), c.summary.len() as u64)),
                    _ => Err(nothing("analysis")),
                }
            })?;
            Ok((Response::Exported { rows }, Some(csv_blob(csv)?)))
        }
        Request::OpenAttributes { id_column } => open_attributes(blob, id_column),
        Request::ClearAttributes => {
            STATE.with(|s| {
                let mut s = s.borrow_mut();
                s.attributes_file = None;
                s.attributes = None;
            });
            Ok((Response::AttributesCleared, None))
        }
        Request::Cluster { settings, query } => {
            let started = now_ms();
            let mut last = 0.0;
            let mut on_progress = |stage, done: usize, total: usize| {
                let t = now_ms();
                if t - last >= PROGRESS_INTERVAL_MS || done == 0 {
                    last = t;
                    progress(id, Stage::Clustering(stage), done as u64, total as u64);
                }
            };
            cluster_with(&query, started, Vec::new(), |input| {
                ClusterAnalysis::run(input, &settings, &mut on_progress, &mut now_ms)
            })
        }
        Request::ApplySegmentation { query } => {
            let started = now_ms();
            let file = blob.ok_or_else(|| nothing("file"))?;
            let bytes = BlobReader::read_range(&file, 0.0, file.size())
                .map_err(|message| WorkerError::Read { message })?;
            let text = String::from_utf8_lossy(&bytes);
            let model = SegmentationModel::from_json(&text).map_err(EngineError::from)?;
            let names = model.names.clone();
            cluster_with(&query, started, names, |input| {
                ClusterAnalysis::apply(input, &model, &mut now_ms)
            })
        }
        Request::SaveSegmentation { names } => {
            let json = STATE.with(|s| {
                let s = s.borrow();
                let cluster = s.cluster.as_ref().ok_or_else(|| nothing("analysis"))?;
                let mut model = cluster.model.clone();
                model.names = names;
                Ok::<_, WorkerError>(model.to_json())
            })?;
            let rows = STATE.with(|s| s.borrow().cluster.as_ref().map_or(0, |c| c.report.k)) as u64;
            Ok((
                Response::Exported { rows },
                Some(text_blob(json, "application/json")?),
            ))
        }
        Request::Tags { query } => {
            let (tag_counts, page) = with_analysis(|d, a, p, t| {
                (
                    t.map(TagTable::tag_values).unwrap_or_default(),
                    page_of(d, a, p, t, &query),
                )
            })?;
            Ok((Response::Tagged { tag_counts, page }, None))
        }
        Request::CustomerProfile { customer_id } => {
            let (profile, suggestions) = with_analysis(|d, a, p, t| {
                let profile = customers::customer_profile(d, a, p, t, &customer_id);
                let suggestions = if profile.is_none() {
                    customers::suggest_ids(d, a, &customer_id, 8)
                } else {
                    Vec::new()
                };
                (profile.map(Box::new), suggestions)
            })?;
            Ok((
                Response::Profile {
                    profile,
                    suggestions,
                },
                None,
            ))
        }
    }
}

/// Reads and joins an attributes file (the new Blob, or the kept one with another id column).
fn open_attributes(blob: Option<Blob>, id_column: Option<String>) -> Handled {
    let file = match blob {
        Some(b) => b,
        None => STATE
            .with(|s| s.borrow().attributes_file.clone())
            .ok_or_else(|| nothing("file"))?,
    };
    let bytes = BlobReader::read_range(&file, 0.0, file.size())
        .map_err(|message| WorkerError::Read { message })?;
    let table = AttributeTable::parse(&bytes, id_column.as_deref()).map_err(EngineError::from)?;
    let summary = STATE.with(|s| {
        let s = s.borrow();
        let dataset = s.dataset.as_ref().ok_or_else(|| nothing("dataset"))?;
        let (_, join) = table.join(&dataset.customer_ids);
        let mut headers = vec![table.id_column.clone()];
        headers.extend(table.columns.iter().map(|c| c.name.clone()));
        Ok::<_, WorkerError>(AttributesSummary {
            headers,
            id_column: table.id_column.clone(),
            columns: table.column_info(),
            join,
        })
    })?;
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.attributes_file = Some(file);
        s.attributes = Some(table);
    });
    Ok((
        Response::AttributesLoaded {
            attributes: summary,
        },
        None,
    ))
}

/// Runs `segment` on the current results, keeps the segmentation and answers with its report and
/// the customer page (tags rebuilt with the cluster).
fn cluster_with(
    query: &CustomerQuery,
    started: f64,
    names: Vec<String>,
    segment: impl FnOnce(
        &ClusterInput<'_>,
    ) -> Result<ClusterAnalysis, crate::engine::cluster::ClusterError>,
) -> Handled {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.cluster = None;
        s.tags = None;
        let s = &mut *s;
        let (Some(dataset), Some(analysis)) = (s.dataset.as_ref(), s.analysis.as_ref()) else {
            return Err(nothing("analysis"));
        };
        let input = ClusterInput {
            dataset,
            rfm: analysis,
            clv: s.clv.as_ref(),
            attributes: s.attributes.as_ref(),
        };
        let cluster = segment(&input).map_err(EngineError::from)?;
        let predictions = s.clv.as_ref().map(Predictions::new);
        let page = page_of(dataset, analysis, predictions.as_ref(), None, query);
        let report = cluster.report.clone();
        drop(predictions);
        s.cluster = Some(cluster);
        // Tags (now with the cluster) follow in their own request (`Tags`).
        s.tags = None;
        Ok((
            Response::Clustered {
                report,
                names,
                page,
                elapsed_ms: now_ms() - started,
            },
            None,
        ))
    })
}

/// A CSV Blob with a UTF-8 BOM (so that Excel opens Chinese ids correctly).
fn csv_blob(csv: String) -> Result<Blob, WorkerError> {
    let parts = Array::of2(&"\u{feff}".into(), &csv.into());
    let options = BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| WorkerError::Read {
        message: js_text(&e),
    })
}

/// A text Blob of the given MIME type.
fn text_blob(text: String, mime: &str) -> Result<Blob, WorkerError> {
    let parts = Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| WorkerError::Read {
        message: js_text(&e),
    })
}

fn finish(
    analysis: Analysis,
    quality: Option<ingest::QualityReport>,
    query: &CustomerQuery,
    started: f64,
) -> Response {
    let page = STATE.with(|s| {
        let mut s = s.borrow_mut();
        // Tags follow in their own request (`Tags`): the dashboard answers without them.
        let predictions = s.clv.as_ref().map(Predictions::new);
        let page = s
            .dataset
            .as_ref()
            .map(|d| page_of(d, &analysis, predictions.as_ref(), None, query))
            .unwrap_or_default();
        drop(predictions);
        s.tags = None;
        let report = analysis.report.clone();
        s.analysis = Some(analysis);
        // The segmentation was of the previous run's customers; the page runs it again.
        s.cluster = None;
        (report, page)
    });
    Response::Analyzed {
        quality,
        report: page.0,
        page: page.1,
        elapsed_ms: now_ms() - started,
    }
}

fn with_analysis<T>(
    f: impl FnOnce(&Dataset, &Analysis, Option<&Predictions>, Option<&TagTable>) -> T,
) -> Result<T, WorkerError> {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.ensure_tags();
        let predictions = s.clv.as_ref().map(Predictions::new);
        match (s.dataset.as_ref(), s.analysis.as_ref()) {
            (Some(d), Some(a)) => Ok(f(d, a, predictions.as_ref(), s.tags.as_ref())),
            _ => Err(nothing("analysis")),
        }
    })
}

/// One customer table page with the tag columns and filters.
fn page_of(
    dataset: &Dataset,
    analysis: &Analysis,
    predictions: Option<&Predictions>,
    tags: Option<&TagTable>,
    query: &CustomerQuery,
) -> customers::CustomerPage {
    customers::query_tagged(dataset, analysis, predictions, tags, query)
}

/// The export of every customer matching `query`, with the tag columns.
fn export_of(
    dataset: &Dataset,
    analysis: &Analysis,
    predictions: Option<&Predictions>,
    tags: Option<&TagTable>,
    query: &CustomerQuery,
) -> String {
    customers::export_csv_tagged(dataset, analysis, predictions, tags, query)
}

fn preview(file: &Blob, params: &PreviewParams) -> Handled {
    let head_end = file.size().min(PREVIEW_BYTES);
    let head = BlobReader::read_range(file, 0.0, head_end)
        .map_err(|message| WorkerError::Read { message })?;
    let preview = ingest::preview(&head, params)?;
    Ok((
        Response::Preview {
            file_bytes: file.size() as u64,
            preview,
        },
        None,
    ))
}

fn nothing(what: &str) -> WorkerError {
    WorkerError::NothingLoaded {
        what: what.to_string(),
    }
}

fn progress(id: u64, stage: Stage, done: u64, total: u64) {
    post(id, &Response::Progress { stage, done, total }, None);
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{v:?}"))
}
