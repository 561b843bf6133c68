//! The overview page's state (RFM settings, quality report, dashboard) and its intent.

use leptos::prelude::*;

use crate::app::client;
use crate::app::AppState;
use crate::engine::ingest::QualityReport;
use crate::engine::rfm::{Report, RfmParams};
use crate::engine::session as msg;
use crate::protocol::{Request, Response, Stage, WorkerError};

/// The overview page's state.
#[derive(Clone, Copy)]
pub struct OverviewState {
    /// Analysis parameters.
    pub rfm: RwSignal<RfmParams>,
    /// The analysis parameters of the report on screen (restored when a re-analysis is
    /// cancelled, so the controls keep matching the numbers).
    pub report_rfm: RwSignal<RfmParams>,
    /// Quality report of the last ingest.
    pub quality: RwSignal<Option<QualityReport>>,
    /// Current report.
    pub report: RwSignal<Option<Report>>,
    /// Worker milliseconds for the last analysis.
    pub elapsed_ms: RwSignal<f64>,
}

impl OverviewState {
    pub(crate) fn new() -> Self {
        Self {
            rfm: RwSignal::new(RfmParams::default()),
            report_rfm: RwSignal::new(RfmParams::default()),
            quality: RwSignal::new(None),
            report: RwSignal::new(None),
            elapsed_ms: RwSignal::new(0.0),
        }
    }

    /// Forgets the file's report and settings.
    pub(crate) fn forget(self) {
        self.quality.set(None);
        self.report.set(None);
        self.rfm.set(RfmParams::default());
    }
}

impl AppState {
    /// Analysis parameters changed: re-analyse the cached dataset (or re-ingest after a restart).
    pub fn set_rfm(self, rfm: RfmParams) {
        self.overview.rfm.set(rfm.clone());
        if !self.worker_has_dataset() {
            self.confirm_mapping();
            return;
        }
        self.begin(Some((Stage::Scoring, 0, 1)));
        let mut query = self.customers.query.get_untracked();
        query.offset = 0;
        self.customers.query.set(query.clone());
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
                    self.overview.report.set(Some(report));
                    self.overview.report_rfm.set(applied.clone());
                    self.customers.page.set(page);
                    self.overview.elapsed_ms.set(elapsed_ms);
                    self.error.set(None);
                    self.done();
                    self.refresh_tags();
                    // The segmentation and the baskets were of the previous run's customers and
                    // lines.
                    self.redo_segmentation();
                    self.redo_baskets();
                    self.redo_lifecycle();
                    self.redo_campaign();
                }
                Response::Failed { error } => {
                    self.done();
                    let lost = matches!(error, WorkerError::NothingLoaded { .. });
                    self.fail(error);
                    if lost {
                        self.confirm_mapping();
                    }
                }
                other => {
                    self.done();
                    self.unexpected(&other);
                }
            },
        );
    }

    /// Keep (or drop again) the lines dated far from the file's other dates: the file is read
    /// again with the switch.
    pub fn set_keep_far_dates(self, keep: bool) {
        self.ingest.update(|params| {
            if let Some(params) = params {
                params.keep_far_dates = keep;
            }
        });
        self.confirm_mapping();
    }
}
