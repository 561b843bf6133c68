//! The page's session-wide state (language, theme, file, mapping, phase, route, and the job
//! machinery: busy, progress, error, notice) and its intents (open a file, confirm the mapping,
//! cancel, start over), plus the one job hook every feature's intents use.
//!
//! Each analysis keeps its own state and intents in its page folder (`overview/state.rs`,
//! `customers/state.rs`, `predictions/state.rs`, `segments/state.rs`, `baskets/state.rs`): a `Copy` struct of narrow
//! signals, provided as its own context, and an `impl AppState` block with its intents. Each
//! intent sends one request to the worker; nothing here parses or computes.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use web_sys::Blob;

use super::baskets::state::BasketsState;
use super::campaigns::state::CampaignsState;
use super::customers::state::CustomersState;
use super::lifecycle::state::LifecycleState;
use super::overview::state::OverviewState;
use super::predictions::state::PredictionsState;
use super::segments::state::SegmentsState;
use super::{browser, client};
use crate::engine::ingest::{IngestParams, Preview, PreviewParams, Workbook};
use crate::engine::session as msg;
use crate::engine::summary::SummaryLayout;
use crate::i18n::Lang;
use crate::protocol::{Request, Response, Stage, WorkerError};

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

/// The page's session-wide state, with every feature's state beside it. `Copy`, provided as
/// context (and each feature's state as its own context).
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
    /// When the open file is a workbook: its sheets and the one previewed.
    pub workbook: RwSignal<Option<Workbook>>,
    /// The mapping being edited / confirmed.
    pub ingest: RwSignal<Option<IngestParams>>,
    /// Read the file as a per-customer summary with this layout (offered when the preview
    /// detects one; `None`: as transactions).
    pub summary: RwSignal<Option<SummaryLayout>>,
    /// Progress of the running request: (stage, done, total).
    pub progress: RwSignal<Option<(Stage, u64, u64)>>,
    /// A request that blocks the UI is running (shows the progress bar and Cancel).
    pub busy: RwSignal<bool>,
    /// Error panel.
    pub error: RwSignal<Option<UiError>>,
    /// One-line notice (cancelled, exported).
    pub notice: RwSignal<Option<Notice>>,
    /// Bumped on window resize and theme change, so charts redraw.
    pub redraw: RwSignal<u32>,
    /// The page of the analysed file on screen (follows the address bar's hash).
    pub route: RwSignal<super::routes::Route>,
    /// The overview page: RFM settings, quality report, dashboard.
    pub overview: OverviewState,
    /// The customers page: table, tags, customer profile.
    pub customers: CustomersState,
    /// The predictions page.
    pub predictions: PredictionsState,
    /// The segments page (k-means segmentation).
    pub segments: SegmentsState,
    /// The baskets page (rules, recommendations, regional preferences).
    pub baskets: BasketsState,
    /// The lifecycle page (cohorts).
    pub lifecycle: LifecycleState,
    /// The campaigns page (the campaign file, the test, the calculator).
    pub campaigns: CampaignsState,
}

thread_local! {
    /// The user's file, kept on the page so a restarted worker can be given it again.
    static FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// Whether the current worker holds the dataset (false after cancel or a crash).
    static WORKER_HAS_DATASET: RefCell<bool> = const { RefCell::new(false) };
    /// Jobs started and not yet answered: the page stays busy until the last one is done (a
    /// re-analysis asked during predictions runs after them).
    static JOBS: Cell<u32> = const { Cell::new(0) };
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
            workbook: RwSignal::new(None),
            ingest: RwSignal::new(None),
            summary: RwSignal::new(None),
            progress: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            notice: RwSignal::new(None),
            redraw: RwSignal::new(0),
            route: RwSignal::new(super::routes::Route::default()),
            overview: OverviewState::new(),
            customers: CustomersState::new(),
            predictions: PredictionsState::new(),
            segments: SegmentsState::new(),
            baskets: BasketsState::new(),
            lifecycle: LifecycleState::new(),
            campaigns: CampaignsState::new(),
        }
    }

    /// After the worker lost its state (cancel, crash) and the dataset was parsed again: give it
    /// the attributes back and redo the predictions and the segmentation on screen, in order.
    fn restore_results(self) {
        self.restore_attributes();
        if self.predictions.report.with_untracked(Option::is_some) {
            self.predict();
        }
        self.redo_segmentation();
        self.redo_baskets();
        self.redo_lifecycle();
        self.redo_campaign();
    }

    pub(crate) fn fail(self, error: WorkerError) {
        if matches!(
            error,
            WorkerError::Crashed { .. } | WorkerError::NothingLoaded { .. }
        ) {
            WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        }
        self.error.set(Some(UiError::Worker(error)));
    }

    pub(crate) fn done(self) {
        let left = JOBS.with(|j| {
            let left = j.get().saturating_sub(1);
            j.set(left);
            left
        });
        if left == 0 {
            self.busy.set(false);
            self.progress.set(None);
        }
    }

    /// A job starts: the page is busy (progress bar, Cancel) until every started job is done.
    pub(crate) fn begin(self, progress: Option<(Stage, u64, u64)>) {
        JOBS.with(|j| j.set(j.get() + 1));
        self.busy.set(true);
        if progress.is_some() {
            self.progress.set(progress);
        }
    }

    /// Every running job stopped at once (cancel, a new file, a crashed worker).
    fn stop_all(self) {
        JOBS.with(|j| j.set(0));
        self.busy.set(false);
        self.progress.set(None);
    }

    /// Whether the current worker holds the dataset (false after a cancel or a crash).
    pub(crate) fn worker_has_dataset(self) -> bool {
        WORKER_HAS_DATASET.with(|h| *h.borrow())
    }

    /// An answer of a kind its request never gets (a bug or a version skew): whatever was waiting
    /// stops waiting, and the page says so instead of showing a progress bar for ever.
    pub(crate) fn unexpected(self, response: &Response) {
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
    pub(crate) fn retry_when_lost(self, retry: impl FnOnce() + 'static) -> bool {
        if WORKER_HAS_DATASET.with(|h| *h.borrow()) {
            return false;
        }
        self.ingest_then(retry);
        true
    }

    /// The one job hook: sends a request that blocks the UI (busy, the progress bar with Cancel,
    /// starting at `stage`), routes progress to the bar, shows a failure in words (busy cleared),
    /// and hands every other answer to `on_done` after clearing busy.
    pub(crate) fn job(
        self,
        request: &Request,
        blob: Option<&Blob>,
        stage: Option<Stage>,
        mut on_done: impl FnMut(Response, Option<Blob>) + 'static,
    ) {
        self.error.set(None);
        self.begin(stage.map(|s| (s, 0, 1)));
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
        self.workbook.set(None);
        self.forget_results();
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
                workbook,
            }) => {
                self.file_bytes.set(file_bytes);
                self.workbook.set(workbook);
                self.ingest.set(Some(IngestParams::from_preview(&preview)));
                self.summary.set(preview.summary.clone());
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
    pub(crate) fn ingest_then(self, then: impl FnOnce() + 'static) {
        let Some(ingest) = self.ingest.get_untracked() else {
            return;
        };
        let mut then = Some(then);
        let file = FILE.with(|f| f.borrow().clone());
        self.error.set(None);
        self.notice.set(None);
        self.begin(Some((Stage::Reading, 0, self.file_bytes.get_untracked())));
        if self.overview.report.with_untracked(Option::is_none) {
            self.phase.set(Phase::Working);
        }
        let mut query = self.customers.query.get_untracked();
        query.offset = 0;
        let rfm = self.overview.rfm.get_untracked();
        let sheet = self
            .workbook
            .with_untracked(|w| w.as_ref().map(|w| w.sheet.clone()));
        let request = Request::File(msg::file::Request::Ingest {
            sheet,
            ingest,
            rfm: rfm.clone(),
            query,
            summary: self.summary.get_untracked(),
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
                    self.overview.quality.set(quality);
                }
                self.overview.report.set(Some(report));
                self.overview.report_rfm.set(rfm.clone());
                self.customers.page.set(page);
                self.overview.elapsed_ms.set(elapsed_ms);
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
                if self.overview.report.with_untracked(Option::is_none) {
                    self.phase.set(Phase::Mapping);
                }
                self.fail(error);
            }
            other => {
                self.done();
                self.unexpected(&other);
            }
        });
    }

    /// Stop the running request. Nothing the user did is lost: the file, mapping, parameters and
    /// the last dashboard stay; the worker (or a fresh one, when it had to be replaced) is given
    /// the file again when needed.
    pub fn cancel(self) {
        client::cancel();
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        self.stop_all();
        if self.phase.get_untracked() == Phase::Working {
            self.phase.set(Phase::Mapping);
        }
        if self.phase.get_untracked() == Phase::Opening {
            self.phase.set(Phase::Start);
        }
        if self.overview.report.with_untracked(Option::is_some) {
            self.overview
                .rfm
                .set(self.overview.report_rfm.get_untracked());
        }
        self.notice.set(Some(Notice::Cancelled));
    }

    /// Back to the upload screen (the current file is forgotten).
    pub fn reset(self) {
        self.leave_file();
        super::routes::navigate(self, super::routes::Route::Overview);
        FILE.with(|f| *f.borrow_mut() = None);
        self.forget_results();
        self.preview.set(None);
        self.error.set(None);
        self.notice.set(None);
        self.phase.set(Phase::Start);
    }

    /// Forgets every feature's results and settings of the file (a new file, or start over):
    /// one line per feature.
    fn forget_results(self) {
        self.overview.forget();
        self.customers.forget();
        self.predictions.forget();
        self.forget_segmentation();
        self.baskets.forget();
        self.lifecycle.forget();
        self.campaigns.forget();
    }

    /// The user leaves the current file: whatever still runs for it is stopped, and its answers
    /// (a new generation) can no longer reach the page.
    fn leave_file(self) {
        if client::has_pending() {
            client::cancel();
        }
        client::new_generation();
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        super::customers::state::mark_tags_stale();
        self.stop_all();
    }

    /// The worker died and was restarted (called by the client).
    pub fn worker_crashed(self, message: String) {
        WORKER_HAS_DATASET.with(|h| *h.borrow_mut() = false);
        self.stop_all();
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

/// `orders.csv`, "customers", "xlsx" → `orders-customers.xlsx`.
pub fn export_file_name(file_name: &str, what: &str, extension: &str) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let stem = if stem.is_empty() { "segscope" } else { stem };
    format!("{stem}-{what}.{extension}")
}
