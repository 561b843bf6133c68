//! The page's state (narrow signals in one `Copy` context) and the user intents that change it.
//! Each intent sends one request to the worker; nothing here parses or computes.

use std::cell::RefCell;

use leptos::prelude::*;
use web_sys::Blob;

use super::{browser, client};
use crate::engine::session as msg;
use crate::engine::{
    cluster::{ClusterReport, ClusterSettings, FeatureKey},
    clv::{ClvReport, ClvSettings, HoldoutComparison, TimeUnit},
    customers::{CustomerPage, CustomerProfile, CustomerQuery, TagCounts},
    ingest::{IngestParams, Preview, PreviewParams, QualityReport},
    rfm::{Report, RfmParams},
};
use crate::i18n::Lang;
use crate::protocol::{AttributesSummary, Request, Response, Stage, WorkerError};

/// The largest file the page reads. The worker is wasm32, whose memory ends at 4 GiB, and the
/// parsed columns take about 1.3–1.5 times the file (measured at 1M and 10M rows), so a larger
/// file would crash the tab part-way (a 3.1 GB file died at 80–90 %). The CLI has no such limit.
pub const MAX_TAB_FILE_BYTES: u64 = 2_000_000_000;

/// Which screen the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Upload area and demo button.
    Start,
    /// Reading the head of a file.
    Opening,
    /// Column mapping on a preview.
    Mapping,
    /// First analysis of a file running (progress shown).
    Working,
    /// The dashboard (further requests may run on top of it).
    Dashboard,
}

/// A failure shown in the error panel, localised when rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum UiError {
    /// From the worker.
    Worker(WorkerError),
    /// The worker could not start.
    WorkerStart(String),
    /// The demo file could not be fetched.
    Demo(String),
    /// The file is larger than a browser tab can analyse ([`MAX_TAB_FILE_BYTES`]).
    TooBigForTab {
        /// The file's size.
        bytes: u64,
    },
}

/// A one-line notice, localised when rendered (so it follows a language switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A running job was cancelled.
    Cancelled,
    /// An export was written.
    Exported {
        /// Customers written.
        rows: u64,
    },
}

/// The page's state: signals, each narrow. `Copy`, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// Dark theme.
    pub dark: RwSignal<bool>,
    /// Current screen.
    pub phase: RwSignal<Phase>,
    /// Name of the open file.
    pub file_name: RwSignal<String>,
    /// Size of the open file.
    pub file_bytes: RwSignal<u64>,
    /// Detection overrides used for the preview.
    pub preview_params: RwSignal<PreviewParams>,
    /// The preview of the open file.
    pub preview: RwSignal<Option<Preview>>,
    /// The mapping being edited / confirmed.
    pub ingest: RwSignal<Option<IngestParams>>,
    /// Analysis parameters.
    pub rfm: RwSignal<RfmParams>,
    /// Quality report of the last ingest.
    pub quality: RwSignal<Option<QualityReport>>,
    /// Current report.
    pub report: RwSignal<Option<Report>>,
    /// Worker milliseconds for the last analysis.
    pub elapsed_ms: RwSignal<f64>,
    /// Current customer table page.
    pub page: RwSignal<CustomerPage>,
    /// Current customer table query.
    pub query: RwSignal<CustomerQuery>,
    /// Progress of the running request: (stage, done, total).
    pub progress: RwSignal<Option<(Stage, u64, u64)>>,
    /// A request that blocks the UI is running (shows the progress bar and Cancel).
    pub busy: RwSignal<bool>,
    /// Error panel.
    pub error: RwSignal<Option<UiError>>,
    /// One-line notice (cancelled, exported).
    pub notice: RwSignal<Option<Notice>>,
    /// The analysis parameters of the report on screen (restored when a re-analysis is
    /// cancelled, so the controls keep matching the numbers).
    pub report_rfm: RwSignal<RfmParams>,
    /// Bumped on window resize and theme change, so charts redraw.
    pub redraw: RwSignal<u32>,
    /// Prediction settings being edited.
    pub clv_settings: RwSignal<ClvSettings>,
    /// The prediction report on screen.
    pub clv_report: RwSignal<Option<ClvReport>>,
    /// Worker milliseconds of the last prediction run.
    pub clv_elapsed_ms: RwSignal<f64>,
    /// The last holdout validation.
    pub validation: RwSignal<Option<HoldoutComparison>>,
    /// Name of the attributes file.
    pub attributes_name: RwSignal<String>,
    /// The loaded attributes file's summary.
    pub attributes: RwSignal<Option<AttributesSummary>>,
    /// Segmentation settings being edited.
    pub cluster_settings: RwSignal<ClusterSettings>,
    /// The segmentation on screen.
    pub cluster_report: RwSignal<Option<ClusterReport>>,
    /// The user's segment names by segment ("" = the automatic name).
    pub cluster_names: RwSignal<Vec<String>>,
    /// Worker milliseconds of the last segmentation.
    pub cluster_elapsed_ms: RwSignal<f64>,
    /// The segmentation on screen came from a saved file.
    pub cluster_applied: RwSignal<bool>,
    /// The customer profile on screen.
    pub profile: RwSignal<Option<ProfileView>>,
    /// The open file is the demo, whose attributes file is at hand.
    pub demo_attributes: RwSignal<bool>,
    /// Tag values with customer counts, for the tag filter.
    pub tag_counts: RwSignal<TagCounts>,
    /// The tag filter is open (the tags are fetched only then: building them for a million
    /// customers takes seconds, which the first dashboard should not wait behind).
    pub tags_open: RwSignal<bool>,
    /// The page of the analysed file on screen (follows the address bar's hash).
    pub route: RwSignal<super::routes::Route>,
}

/// A customer-profile answer, with the id asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileView {
    /// The id as typed.
    pub customer_id: String,
    /// The profile, or `None` when not found.
    pub profile: Option<Box<CustomerProfile>>,
    /// Similar ids when not found.
    pub suggestions: Vec<String>,
}

thread_local! {
    /// The user's file, kept on the page so a restarted worker can be given it again.
    static FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// Generation of the newest customer-page request; older answers are ignored.
    static LATEST_PAGE: RefCell<u64> = const { RefCell::new(0) };
    /// The tag counts on screen are older than the results.
    static TAGS_STALE: RefCell<bool> = const { RefCell::new(true) };
    /// Whether the current worker holds the dataset (false after cancel or a crash).
    static WORKER_HAS_DATASET: RefCell<bool> = const { RefCell::new(false) };
    /// The attributes file, kept so a restarted worker can be given it again.
    static ATTRIBUTES_FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// The demo's attributes file, fetched with the demo.
    static DEMO_ATTRIBUTES: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// The saved segmentation applied last (re-applied after a re-analysis or restart).
    static SEGMENTATION_FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
}

impl AppState {
    /// Fresh state, with language and theme from localStorage (or the browser).
    pub fn new() -> Self {
        Self {
            lang: RwSignal::new(browser::stored_lang()),
            dark: RwSignal::new(browser::stored_dark()),
            phase: RwSignal::new(Phase::Start),
            file_name: RwSignal::new(String::new()),
            file_bytes: RwSignal::new(0),
            preview_params: RwSignal::new(PreviewParams::default()),
            preview: RwSignal::new(None),
            ingest: RwSignal::new(None),
            rfm: RwSignal::new(RfmParams::default()),
            quality: RwSignal::new(None),
            report: RwSignal::new(None),
            elapsed_ms: RwSignal::new(0.0),
            page: RwSignal::new(CustomerPage::default()),
            query: RwSignal::new(CustomerQuery::default()),
            progress: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            report_rfm: RwSignal::new(RfmParams::default()),
            redraw: RwSignal::new(0),
            clv_settings: RwSignal::new(ClvSettings::default()),
            clv_report: RwSignal::new(None),
            clv_elapsed_ms: RwSignal::new(0.0),
            validation: RwSignal::new(None),
            attributes_name: RwSignal::new(String::new()),
            attributes: RwSignal::new(None),
            cluster_settings: RwSignal::new(ClusterSettings::default()),
            cluster_report: RwSignal::new(None),
            cluster_names: RwSignal::new(Vec::new()),
            cluster_elapsed_ms: RwSignal::new(0.0),
            cluster_applied: RwSignal::new(false),
            profile: RwSignal::new(None),
            demo_attributes: RwSignal::new(false),
            tag_counts: RwSignal::new(TagCounts::default()),
            tags_open: RwSignal::new(false),
            route: RwSignal::new(super::routes::Route::default()),
        }
    }

    /// Forgets the segmentation, the attributes and the profile (a new file).
    fn forget_segmentation(self) {
        DEMO_ATTRIBUTES.with(|f| *f.borrow_mut() = None);
        self.demo_attributes.set(false);
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
        SEGMENTATION_FILE.with(|f| *f.borrow_mut() = None);
        self.attributes.set(None);
        self.attributes_name.set(String::new());
        self.cluster_settings.set(ClusterSettings::default());
        self.cluster_report.set(None);
        self.cluster_names.set(Vec::new());
        self.cluster_applied.set(false);
        self.profile.set(None);
    }

    /// After the worker lost its state (cancel, crash) and the dataset was parsed again: give it
    /// the attributes back and redo the predictions and the segmentation on screen, in order.
    fn restore_results(self) {
        if self.attributes.with_untracked(Option::is_some) {
            if let Some(blob) = ATTRIBUTES_FILE.with(|f| f.borrow().clone()) {
                let id_column = self
                    .attributes
                    .with_untracked(|a| a.as_ref().map(|a| a.id_column.clone()));
                self.send_attributes(Some(blob), id_column);
            }
        }
        if self.clv_report.with_untracked(Option::is_some) {
            self.predict();
        }
        self.redo_segmentation();
    }

    /// Re-runs (or re-applies) the segmentation on screen, if any.
    fn redo_segmentation(self) {
        if self.cluster_report.with_untracked(Option::is_none) {
            return;
        }
        if self.cluster_applied.get_untracked() {
            if let Some(blob) = SEGMENTATION_FILE.with(|f| f.borrow().clone()) {
                self.apply_segmentation(blob);
                return;
            }
        }
        self.cluster();
    }

    fn fail(self, error: WorkerError) {
        if matches!(
            error,
            WorkerError::Crashed { .. } | WorkerError::NothingLoaded { .. }
        ) {
            WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        }
        self.error.set(Some(UiError::Worker(error)));
    }

    fn done(self) {
        self.busy.set(false);
        self.progress.set(None);
    }

    /// An answer of a kind its request never gets (a bug or a version skew): whatever was waiting
    /// stops waiting, and the page says so instead of showing a progress bar for ever.
    fn unexpected(self, response: &Response) {
        self.done();
        if self.phase.get_untracked() == Phase::Opening {
            self.phase.set(Phase::Start);
        }
        let kind = format!("{response:?}");
        let kind = kind
            .split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_string();
        self.fail(WorkerError::BadMessage {
            message: format!("unexpected answer {kind}"),
        });
    }

    /// Whether the current worker holds the dataset; when it does not (after a cancel or a
    /// crash), the kept file is parsed again first and `retry` runs once it is back. Every
    /// intent that needs the dataset starts with `if self.retry_when_lost(…) { return; }`.
    fn retry_when_lost(self, retry: impl FnOnce() + 'static) -> bool {
        if WORKER_HAS_DATASET.with(|h| *h.borrow()) {
            return false;
        }
        self.ingest_then(retry);
        true
    }

    /// The one job hook: sends a request that blocks the UI (busy, the progress bar with Cancel,
    /// starting at `stage`), routes progress to the bar, shows a failure in words (busy cleared),
    /// and hands every other answer to `on_done` after clearing busy.
    fn job(
        self,
        request: &Request,
        blob: Option<&Blob>,
        stage: Option<Stage>,
        mut on_done: impl FnMut(Response, Option<Blob>) + 'static,
    ) {
        self.error.set(None);
        self.busy.set(true);
        if stage.is_some() {
            self.progress.set(stage.map(|s| (s, 0, 1)));
        }
        client::send(request, blob, move |response, blob| match response {
            Response::Progress { stage, done, total } => {
                self.progress.set(Some((stage, done, total)))
            }
            Response::Failed { error } => {
                self.done();
                self.fail(error);
            }
            other => {
                self.done();
                on_done(other, blob);
            }
        });
    }

    /// A file was chosen (or the demo fetched): keep it and preview its head.
    pub fn open_file(self, blob: Blob, name: String) {
        self.leave_file();
        let bytes = blob.size() as u64;
        if bytes > MAX_TAB_FILE_BYTES {
            // Said before reading anything: the tab would run out of memory part-way through.
            self.phase.set(Phase::Start);
            self.error.set(Some(UiError::TooBigForTab { bytes }));
            return;
        }
        FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        self.file_name.set(name);
        self.file_bytes.set(blob.size() as u64);
        self.error.set(None);
        self.notice.set(None);
        self.preview.set(None);
        self.quality.set(None);
        self.report.set(None);
        self.clv_report.set(None);
        self.validation.set(None);
        self.clv_settings.set(ClvSettings::default());
        self.forget_segmentation();
        self.tag_counts.set(TagCounts::default());
        self.rfm.set(RfmParams::default());
        self.query.set(CustomerQuery::default());
        self.preview_params.set(PreviewParams::default());
        self.phase.set(Phase::Opening);
        let request = Request::File(msg::file::Request::Open {
            params: PreviewParams::default(),
        });
        client::send(&request, Some(&blob), move |response, _| {
            self.on_preview(response)
        });
    }

    /// Preview again with other encoding / delimiter / header settings.
    pub fn repreview(self, params: PreviewParams) {
        self.preview_params.set(params.clone());
        let file = FILE.with(|f| f.borrow().clone());
        let Some(file) = file else { return };
        // `Open` re-attaches the file, so this works after a cancel too.
        client::send(
            &Request::File(msg::file::Request::Open { params }),
            Some(&file),
            move |response, _| self.on_preview(response),
        );
    }

    fn on_preview(self, response: Response) {
        match response {
            Response::File(msg::file::Response::Preview {
                file_bytes,
                preview,
            }) => {
                self.file_bytes.set(file_bytes);
                self.ingest.set(Some(IngestParams {
                    encoding: preview.encoding,
                    delimiter: preview.delimiter,
                    has_header: preview.has_header,
                    date_order: preview.date_order,
                    mapping: preview.mapping.clone(),
                }));
                self.preview.set(Some(preview));
                self.error.set(None);
                self.phase.set(Phase::Mapping);
            }
            Response::Failed { error } => {
                // Keep an existing preview if there is one (a bad override), else back to start.
                if self.preview.with_untracked(Option::is_none) {
                    self.phase.set(Phase::Start);
                }
                self.fail(error);
            }
            other => self.unexpected(&other),
        }
    }

    /// The user confirmed the mapping: parse the whole file and analyse it.
    pub fn confirm_mapping(self) {
        self.ingest_then(|| {});
    }

    /// Parses and analyses the kept file, then runs `then` (used to redo a table or export
    /// request after a cancel or crash left the worker without the dataset).
    fn ingest_then(self, then: impl FnOnce() + 'static) {
        let Some(ingest) = self.ingest.get_untracked() else {
            return;
        };
        let mut then = Some(then);
        let file = FILE.with(|f| f.borrow().clone());
        self.error.set(None);
        self.notice.set(None);
        self.busy.set(true);
        self.progress
            .set(Some((Stage::Reading, 0, self.file_bytes.get_untracked())));
        if self.report.with_untracked(Option::is_none) {
            self.phase.set(Phase::Working);
        }
        let mut query = self.query.get_untracked();
        query.offset = 0;
        let rfm = self.rfm.get_untracked();
        let request = Request::File(msg::file::Request::Ingest {
            ingest,
            rfm: rfm.clone(),
            query,
        });
        client::send(&request, file.as_ref(), move |response, _| match response {
            Response::Progress { stage, done, total } => {
                self.progress.set(Some((stage, done, total)))
            }
            Response::Overview(msg::overview::Response::Analyzed {
                quality,
                report,
                page,
                elapsed_ms,
            }) => {
                WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = true);
                if quality.is_some() {
                    self.quality.set(quality);
                }
                self.report.set(Some(report));
                self.report_rfm.set(rfm.clone());
                self.page.set(page);
                self.elapsed_ms.set(elapsed_ms);
                self.phase.set(Phase::Dashboard);
                self.done();
                self.refresh_tags();
                if let Some(then) = then.take() {
                    then();
                } else {
                    // A restarted worker lost the predictions and segments on screen: redo them.
                    self.restore_results();
                }
            }
            Response::Failed { error } => {
                self.done();
                if self.report.with_untracked(Option::is_none) {
                    self.phase.set(Phase::Mapping);
                }
                self.fail(error);
            }
            other => self.unexpected(&other),
        });
    }

    /// Analysis parameters changed: re-analyse the cached dataset (or re-ingest after a restart).
    pub fn set_rfm(self, rfm: RfmParams) {
        self.rfm.set(rfm.clone());
        if !WORKER_HAS_DATASET.with(|h| *h.borrow()) {
            self.confirm_mapping();
            return;
        }
        self.busy.set(true);
        self.progress.set(Some((Stage::Scoring, 0, 1)));
        let mut query = self.query.get_untracked();
        query.offset = 0;
        self.query.set(query.clone());
        let applied = rfm.clone();
        client::send(
            &Request::Overview(msg::overview::Request::Analyze { rfm, query }),
            None,
            move |response, _| match response {
                Response::Progress { stage, done, total } => {
                    self.progress.set(Some((stage, done, total)))
                }
                Response::Overview(msg::overview::Response::Analyzed {
                    report,
                    page,
                    elapsed_ms,
                    ..
                }) => {
                    self.report.set(Some(report));
                    self.report_rfm.set(applied.clone());
                    self.page.set(page);
                    self.elapsed_ms.set(elapsed_ms);
                    self.error.set(None);
                    self.done();
                    self.refresh_tags();
                    // The segmentation was of the previous run's customers.
                    self.redo_segmentation();
                }
                Response::Failed { error } => {
                    self.done();
                    let lost = matches!(error, WorkerError::NothingLoaded { .. });
                    self.fail(error);
                    if lost {
                        self.confirm_mapping();
                    }
                }
                other => self.unexpected(&other),
            },
        );
    }

    /// The customer table query changed: fetch that page. Answers to older queries are ignored.
    pub fn set_query(self, query: CustomerQuery) {
        self.query.set(query.clone());
        if !WORKER_HAS_DATASET.with(|h| *h.borrow()) {
            // The ingest answers with the page of the current query.
            self.confirm_mapping();
            return;
        }
        let generation = LATEST_PAGE.with(|l| {
            let mut l = l.borrow_mut();
            *l += 1;
            *l
        });
        client::send(
            &Request::Customers(msg::customers::Request::Page { query }),
            None,
            move |response, _| {
                if LATEST_PAGE.with(|l| *l.borrow()) != generation {
                    return;
                }
                match response {
                    Response::Customers(msg::customers::Response::Page { page }) => {
                        self.page.set(page)
                    }
                    Response::Failed { error } => self.fail(error),
                    other => self.unexpected(&other),
                }
            },
        );
    }

    /// The results changed: the tags are stale; fetch them now if the tag filter is open.
    fn refresh_tags(self) {
        TAGS_STALE.with(|s| *s.borrow_mut() = true);
        if self.tags_open.get_untracked() {
            self.fetch_tags();
        }
    }

    /// The tag filter was opened or closed.
    pub fn set_tags_open(self, open: bool) {
        self.tags_open.set(open);
        if open && TAGS_STALE.with(|s| *s.borrow()) {
            self.fetch_tags();
        }
    }

    /// Ask for the tags of the results on screen (built in the worker) and the current page with
    /// its tag badges.
    fn fetch_tags(self) {
        if !WORKER_HAS_DATASET.with(|h| *h.borrow()) {
            return;
        }
        TAGS_STALE.with(|s| *s.borrow_mut() = false);
        let generation = LATEST_PAGE.with(|l| {
            let mut l = l.borrow_mut();
            *l += 1;
            *l
        });
        let query = self.query.get_untracked();
        client::send(
            &Request::Customers(msg::customers::Request::Tags { query }),
            None,
            move |response, _| match response {
                Response::Customers(msg::customers::Response::Tagged { tag_counts, page }) => {
                    self.tag_counts.set(tag_counts);
                    if LATEST_PAGE.with(|l| *l.borrow()) == generation {
                        self.page.set(page);
                    }
                }
                // After a cancel the next intent reloads the dataset and asks again.
                Response::Failed {
                    error: WorkerError::NothingLoaded { .. },
                } => {}
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }

    /// Export every customer matching the current filters as CSV.
    pub fn export(self) {
        if self.retry_when_lost(move || self.export()) {
            return;
        }
        let query = self.query.get_untracked();
        self.job(
            &Request::Customers(msg::customers::Request::Export { query }),
            None,
            None,
            move |response, blob| {
                if let Response::Exported { rows } = response {
                    if let Some(blob) = blob {
                        browser::download_blob(
                            &blob,
                            &export_file_name(&self.file_name.get_untracked()),
                        );
                    }
                    self.notice.set(Some(Notice::Exported { rows }));
                }
            },
        );
    }

    /// Fit the prediction models with the current settings and score every customer.
    pub fn predict(self) {
        if self.retry_when_lost(move || self.predict()) {
            return;
        }
        let settings = self.clv_settings.get_untracked();
        let mut query = self.query.get_untracked();
        query.offset = 0;
        self.query.set(query.clone());
        let request = Request::Predictions(msg::predictions::Request::Predict { settings, query });
        self.job(&request, None, Some(Stage::Fitting), move |response, _| {
            if let Response::Predictions(msg::predictions::Response::Predicted {
                report,
                page,
                elapsed_ms,
            }) = response
            {
                self.clv_report.set(Some(report));
                self.page.set(page);
                self.clv_elapsed_ms.set(elapsed_ms);
                self.refresh_tags();
            }
        });
    }

    /// Fit on the purchases up to `calibration_end_day` and compare with the holdout period.
    pub fn validate(
        self,
        calibration_end_day: i32,
        holdout_end_day: Option<i32>,
        time_unit: TimeUnit,
    ) {
        if self
            .retry_when_lost(move || self.validate(calibration_end_day, holdout_end_day, time_unit))
        {
            return;
        }
        let request = Request::Predictions(msg::predictions::Request::Validate {
            calibration_end_day,
            holdout_end_day,
            time_unit,
        });
        self.job(&request, None, Some(Stage::Fitting), move |response, _| {
            if let Response::Predictions(msg::predictions::Response::Validated { comparison }) =
                response
            {
                self.validation.set(Some(comparison));
            }
        });
    }

    /// Download every scored customer's predictions as CSV.
    pub fn export_scores(self) {
        // The re-ingest redoes the predictions; the user clicks again once they are back.
        if self.retry_when_lost(move || self.predict()) {
            return;
        }
        self.job(
            &Request::Predictions(msg::predictions::Request::ExportScores),
            None,
            None,
            move |response, blob| {
                if let Response::Exported { rows } = response {
                    if let Some(blob) = blob {
                        let name = export_file_name(&self.file_name.get_untracked())
                            .replace("-customers.csv", "-scores.csv");
                        browser::download_blob(&blob, &name);
                    }
                    self.notice.set(Some(Notice::Exported { rows }));
                }
            },
        );
    }

    /// The demo was opened: keep its attributes file for the "use the demo attributes" button
    /// (`None` for any other file).
    pub fn set_demo_attributes(self, blob: Option<Blob>) {
        self.demo_attributes.set(blob.is_some());
        DEMO_ATTRIBUTES.with(|f| *f.borrow_mut() = blob);
    }

    /// Join the demo's attributes file.
    pub fn open_demo_attributes(self) {
        if let Some(blob) = DEMO_ATTRIBUTES.with(|f| f.borrow().clone()) {
            self.open_attributes(blob, "customers.csv".to_string());
        }
    }

    /// An attributes file was chosen: keep it and join it to the customers.
    pub fn open_attributes(self, blob: Blob, name: String) {
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        self.attributes_name.set(name);
        let retry = blob.clone();
        if self.retry_when_lost(move || self.send_attributes(Some(retry), None)) {
            return;
        }
        self.send_attributes(Some(blob), None);
    }

    /// Join the kept attributes file again on another id column.
    pub fn set_attributes_id(self, id_column: String) {
        let blob = ATTRIBUTES_FILE.with(|f| f.borrow().clone());
        let (retry_blob, retry_id) = (blob.clone(), id_column.clone());
        if self.retry_when_lost(move || self.send_attributes(retry_blob, Some(retry_id))) {
            return;
        }
        // The blob goes along: a restarted worker may not hold it.
        self.send_attributes(blob, Some(id_column));
    }

    fn send_attributes(self, blob: Option<Blob>, id_column: Option<String>) {
        self.error.set(None);
        client::send(
            &Request::Segments(msg::segments::Request::OpenAttributes { id_column }),
            blob.as_ref(),
            move |response, _| match response {
                Response::Segments(msg::segments::Response::AttributesLoaded { attributes }) => {
                    // Attribute features the new file lacks are dropped from the settings.
                    let headers = attributes.headers.clone();
                    self.cluster_settings.update(|s| {
                        s.features.retain(|f| match f {
                            FeatureKey::Attribute(h) => headers.contains(h),
                            FeatureKey::Behaviour(_) => true,
                        })
                    });
                    self.attributes.set(Some(attributes));
                }
                Response::Failed { error } => {
                    ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
                    self.attributes.set(None);
                    self.attributes_name.set(String::new());
                    self.fail(error);
                }
                other => self.unexpected(&other),
            },
        );
    }

    /// Forget the attributes file (attribute features are dropped from the settings).
    pub fn clear_attributes(self) {
        ATTRIBUTES_FILE.with(|f| *f.borrow_mut() = None);
        self.attributes.set(None);
        self.attributes_name.set(String::new());
        self.cluster_settings
            .update(|s| s.features.retain(|f| matches!(f, FeatureKey::Behaviour(_))));
        client::send(
            &Request::Segments(msg::segments::Request::ClearAttributes),
            None,
            move |response, _| {
                if let Response::Failed { error } = response {
                    self.fail(error);
                }
            },
        );
    }

    fn on_clustered(self, response: Response, applied: bool) {
        let Response::Segments(msg::segments::Response::Clustered {
            report,
            names,
            page,
            elapsed_ms,
        }) = response
        else {
            return;
        };
        let k = report.k;
        // Keep the user's names when the segments are re-made with the same k.
        let keep = !applied
            && self
                .cluster_report
                .with_untracked(|r| r.as_ref().map(|r| r.k))
                == Some(k);
        if applied {
            let mut names = names;
            names.resize(k, String::new());
            self.cluster_names.set(names);
        } else if !keep {
            self.cluster_names.set(vec![String::new(); k]);
        }
        self.cluster_applied.set(applied);
        self.cluster_report.set(Some(report));
        self.page.set(page);
        self.cluster_elapsed_ms.set(elapsed_ms);
        self.refresh_tags();
    }

    /// Segment the customers with the current settings.
    pub fn cluster(self) {
        if self.retry_when_lost(move || self.cluster()) {
            return;
        }
        let settings = self.cluster_settings.get_untracked();
        let mut query = self.query.get_untracked();
        query.offset = 0;
        self.query.set(query.clone());
        self.job(
            &Request::Segments(msg::segments::Request::Cluster { settings, query }),
            None,
            Some(Stage::Clustering(
                crate::engine::cluster::ClusterStage::Features,
            )),
            move |response, _| self.on_clustered(response, false),
        );
    }

    /// Score the customers with a saved segmentation file.
    pub fn apply_segmentation(self, blob: Blob) {
        SEGMENTATION_FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        let retry = blob.clone();
        if self.retry_when_lost(move || self.apply_segmentation(retry)) {
            return;
        }
        let mut query = self.query.get_untracked();
        query.offset = 0;
        self.query.set(query.clone());
        self.job(
            &Request::Segments(msg::segments::Request::ApplySegmentation { query }),
            Some(&blob),
            None,
            move |response, _| self.on_clustered(response, true),
        );
    }

    /// Download the segmentation (with the user's names) as JSON.
    pub fn save_segmentation(self) {
        if self.retry_when_lost(move || self.save_segmentation()) {
            return;
        }
        let names = self.cluster_names.get_untracked();
        client::send(
            &Request::Segments(msg::segments::Request::SaveSegmentation { names }),
            None,
            move |response, blob| match response {
                Response::Exported { .. } => {
                    if let Some(blob) = blob {
                        let name = export_file_name(&self.file_name.get_untracked())
                            .replace("-customers.csv", "-segmentation.json");
                        browser::download_blob(&blob, &name);
                    }
                }
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }

    /// Show the profile of a customer id.
    pub fn show_profile(self, customer_id: String) {
        let customer_id = customer_id.trim().to_string();
        if customer_id.is_empty() {
            return;
        }
        let retry = customer_id.clone();
        if self.retry_when_lost(move || self.show_profile(retry)) {
            return;
        }
        let asked = customer_id.clone();
        client::send(
            &Request::Customers(msg::customers::Request::Profile { customer_id }),
            None,
            move |response, _| match response {
                Response::Customers(msg::customers::Response::Profile {
                    profile,
                    suggestions,
                }) => self.profile.set(Some(ProfileView {
                    customer_id: asked.clone(),
                    profile,
                    suggestions,
                })),
                Response::Failed { error } => self.fail(error),
                other => self.unexpected(&other),
            },
        );
    }

    /// Stop the running request. Nothing the user did is lost: the file, mapping, parameters and
    /// the last dashboard stay; the fresh worker is given the file again when needed.
    pub fn cancel(self) {
        client::cancel();
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        self.done();
        if self.phase.get_untracked() == Phase::Working {
            self.phase.set(Phase::Mapping);
        }
        if self.phase.get_untracked() == Phase::Opening {
            self.phase.set(Phase::Start);
        }
        if self.report.with_untracked(Option::is_some) {
            self.rfm.set(self.report_rfm.get_untracked());
        }
        self.notice.set(Some(Notice::Cancelled));
    }

    /// Back to the upload screen (the current file is forgotten).
    pub fn reset(self) {
        self.leave_file();
        super::routes::navigate(self, super::routes::Route::Overview);
        FILE.with(|f| *f.borrow_mut() = None);
        self.forget_segmentation();
        self.preview.set(None);
        self.report.set(None);
        self.clv_report.set(None);
        self.validation.set(None);
        self.quality.set(None);
        self.error.set(None);
        self.notice.set(None);
        self.phase.set(Phase::Start);
    }

    /// The user leaves the current file: whatever still runs for it is stopped, and its answers
    /// (a new generation) can no longer reach the page.
    fn leave_file(self) {
        if client::has_pending() {
            client::cancel();
        }
        client::new_generation();
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        TAGS_STALE.with(|s| *s.borrow_mut() = true);
        self.done();
    }

    /// The worker died and was restarted (called by the client).
    pub fn worker_crashed(self, message: String) {
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        self.done();
        if self.phase.get_untracked() == Phase::Working {
            self.phase.set(Phase::Mapping);
        }
        self.error
            .set(Some(UiError::Worker(WorkerError::Crashed { message })));
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// `orders.csv` → `orders-customers.csv`.
pub fn export_file_name(file_name: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let stem = if stem.is_empty() { "segscope" } else { stem };
    format!("{stem}-customers.csv")
}
