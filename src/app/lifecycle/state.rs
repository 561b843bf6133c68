//! The lifecycle page's state (cohort settings and result, the metric and group shown) and its
//! intents.

use leptos::prelude::*;

use crate::app::state::{export_file_name, Notice};
use crate::app::{browser, AppState};
use crate::charts::CohortMetric;
use crate::engine::cohorts::{CohortParams, CohortReport};
use crate::engine::forecast::{ForecastParams, ForecastReport, SeriesKind};
use crate::engine::repurchase::{RepurchaseParams, RepurchaseReport};
use crate::engine::sendtime::{SendTimeParams, SendTimeReport};
use crate::engine::session as msg;
use crate::engine::table_out::ExportFormat;
use crate::engine::tiers::{TierParams, TierReport};
use crate::i18n::t;
use crate::protocol::{Request, Response, Stage};

/// The lifecycle page's state.
#[derive(Clone, Copy)]
pub struct LifecycleState {
    /// Cohort settings being edited.
    pub params: RwSignal<CohortParams>,
    /// The settings of the cohorts on screen.
    pub applied: RwSignal<CohortParams>,
    /// The cohorts on screen.
    pub report: RwSignal<Option<CohortReport>>,
    /// Worker milliseconds of the last cohort run.
    pub elapsed_ms: RwSignal<f64>,
    /// The metric the heatmap and curves show.
    pub metric: RwSignal<CohortMetric>,
    /// Repurchase settings being edited.
    pub repurchase_params: RwSignal<RepurchaseParams>,
    /// The settings of the repurchase cycles on screen.
    pub repurchase_applied: RwSignal<RepurchaseParams>,
    /// The repurchase cycles on screen.
    pub repurchase: RwSignal<Option<RepurchaseReport>>,
    /// Tier settings being edited (thresholds as typed; empty = suggested).
    pub tier_params: RwSignal<TierParams>,
    /// The thresholds' text as typed (parsed when sent).
    pub tier_thresholds: RwSignal<Vec<String>>,
    /// The settings of the tiers on screen.
    pub tier_applied: RwSignal<TierParams>,
    /// The tiers on screen.
    pub tiers: RwSignal<Option<TierReport>>,
    /// The send times on screen.
    pub sendtime: RwSignal<Option<SendTimeReport>>,
    /// Worker milliseconds of the last send-time run.
    pub sendtime_ms: RwSignal<f64>,
    /// The heatmap shown: 0 the store, `i + 1` the report's segment `i`.
    pub sendtime_view: RwSignal<usize>,
    /// Forecast settings being edited.
    pub forecast_params: RwSignal<ForecastParams>,
    /// The settings of the forecast on screen.
    pub forecast_applied: RwSignal<ForecastParams>,
    /// The forecast on screen.
    pub forecast: RwSignal<Option<ForecastReport>>,
    /// Worker milliseconds of the last forecast.
    pub forecast_ms: RwSignal<f64>,
    /// The series shown.
    pub forecast_series: RwSignal<SeriesKind>,
}

impl LifecycleState {
    pub(crate) fn new() -> Self {
        Self {
            params: RwSignal::new(CohortParams::default()),
            applied: RwSignal::new(CohortParams::default()),
            report: RwSignal::new(None),
            elapsed_ms: RwSignal::new(0.0),
            metric: RwSignal::new(CohortMetric::ActiveShare),
            repurchase_params: RwSignal::new(RepurchaseParams::default()),
            repurchase_applied: RwSignal::new(RepurchaseParams::default()),
            repurchase: RwSignal::new(None),
            tier_params: RwSignal::new(TierParams::default()),
            tier_thresholds: RwSignal::new(Vec::new()),
            tier_applied: RwSignal::new(TierParams::default()),
            tiers: RwSignal::new(None),
            sendtime: RwSignal::new(None),
            sendtime_ms: RwSignal::new(0.0),
            sendtime_view: RwSignal::new(0),
            forecast_params: RwSignal::new(ForecastParams::default()),
            forecast_applied: RwSignal::new(ForecastParams::default()),
            forecast: RwSignal::new(None),
            forecast_ms: RwSignal::new(0.0),
            forecast_series: RwSignal::new(SeriesKind::Revenue),
        }
    }

    /// Forgets the file's cohorts and settings (a new file).
    pub(crate) fn forget(self) {
        self.report.set(None);
        self.params.set(CohortParams::default());
        self.applied.set(CohortParams::default());
        self.repurchase.set(None);
        self.repurchase_params.set(RepurchaseParams::default());
        self.repurchase_applied.set(RepurchaseParams::default());
        self.tiers.set(None);
        self.tier_params.set(TierParams::default());
        self.tier_thresholds.set(Vec::new());
        self.tier_applied.set(TierParams::default());
        self.sendtime.set(None);
        self.sendtime_view.set(0);
        self.forecast.set(None);
        self.forecast_params.set(ForecastParams::default());
        self.forecast_applied.set(ForecastParams::default());
    }
}

impl AppState {
    /// Form the cohorts with the current settings.
    pub fn form_cohorts(self) {
        if self.retry_when_lost(move || self.form_cohorts()) {
            return;
        }
        self.cohorts_with(self.lifecycle.params.get_untracked(), 0);
    }

    fn cohorts_with(self, params: CohortParams, group: usize) {
        let request = Request::Cohorts(msg::cohorts::Request::Run { params, group });
        self.job(
            &request,
            None,
            Some(Stage::Lifecycle),
            move |response, _| {
                if let Response::Cohorts(msg::cohorts::Response::Cohorts { report, elapsed_ms }) =
                    response
                {
                    self.lifecycle.report.set(Some(report));
                    self.lifecycle.applied.set(params);
                    self.lifecycle.elapsed_ms.set(elapsed_ms);
                }
            },
        );
    }

    /// Show group `group`'s matrix of the cohorts on screen.
    pub fn show_cohort_group(self, group: usize) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let request = Request::Cohorts(msg::cohorts::Request::Show { group });
        self.job(&request, None, None, move |response, _| {
            if let Response::Cohorts(msg::cohorts::Response::Cohorts { report, .. }) = response {
                self.lifecycle.report.set(Some(report));
            }
        });
    }

    /// Re-forms the cohorts on screen with the settings they were made with (after a
    /// re-analysis or a worker restart: the session dropped them); they come off the screen
    /// first, so a failure leaves nothing of the previous run's lines shown.
    pub(crate) fn redo_lifecycle(self) {
        if self.lifecycle.forecast.with_untracked(Option::is_some) {
            self.lifecycle.forecast.set(None);
            self.forecast_with(self.lifecycle.forecast_applied.get_untracked());
        }
        if self.lifecycle.sendtime.with_untracked(Option::is_some) {
            self.lifecycle.sendtime.set(None);
            self.find_send_times();
        }
        if self.lifecycle.tiers.with_untracked(Option::is_some) {
            self.lifecycle.tiers.set(None);
            self.tiers_with(self.lifecycle.tier_applied.get_untracked());
        }
        if self.lifecycle.repurchase.with_untracked(Option::is_some) {
            self.lifecycle.repurchase.set(None);
            self.repurchase_with(self.lifecycle.repurchase_applied.get_untracked());
        }
        let Some(group) = self
            .lifecycle
            .report
            .with_untracked(|r| r.as_ref().map(|r| r.shown_group))
        else {
            return;
        };
        self.lifecycle.report.set(None);
        self.cohorts_with(self.lifecycle.applied.get_untracked(), group);
    }

    /// Compute the repurchase cycles and the due list with the current settings.
    pub fn find_due(self) {
        if self.retry_when_lost(move || self.find_due()) {
            return;
        }
        self.repurchase_with(self.lifecycle.repurchase_params.get_untracked());
    }

    fn repurchase_with(self, params: RepurchaseParams) {
        let request = Request::Repurchase(msg::repurchase::Request::Run { params });
        self.job(
            &request,
            None,
            Some(Stage::Lifecycle),
            move |response, _| {
                if let Response::Repurchase(msg::repurchase::Response::Cycles { report }) = response
                {
                    self.lifecycle.repurchase.set(Some(report));
                    self.lifecycle.repurchase_applied.set(params);
                }
            },
        );
    }

    /// Download the due list.
    pub fn export_due(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let request = Request::Repurchase(msg::repurchase::Request::ExportDue { format });
        self.download(request, "due", format);
    }

    /// Download every group's cohort matrix.
    pub fn export_cohorts(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let other_name = t::COHORTS_OTHER.get(self.lang.get_untracked()).to_string();
        let request = Request::Cohorts(msg::cohorts::Request::Export { format, other_name });
        self.download(request, "cohorts", format);
    }

    /// Assign the tiers with the thresholds as typed (text that is not a number is sent as 0,
    /// which the engine refuses naming the threshold).
    pub fn assign_tiers(self) {
        if self.retry_when_lost(move || self.assign_tiers()) {
            return;
        }
        let mut params = self.lifecycle.tier_params.get_untracked();
        params.thresholds = self
            .lifecycle
            .tier_thresholds
            .get_untracked()
            .iter()
            .map(|t| t.trim().replace(',', "").parse::<f64>().unwrap_or(0.0))
            .map(|v| if v.is_finite() { v } else { 0.0 })
            .collect();
        self.tiers_with(params);
    }

    fn tiers_with(self, params: TierParams) {
        let request = Request::Tiers(msg::tiers::Request::Run {
            params: params.clone(),
        });
        self.job(
            &request,
            None,
            Some(Stage::Lifecycle),
            move |response, _| {
                if let Response::Tiers(msg::tiers::Response::Tiers { report }) = response {
                    // The thresholds applied (the suggested ones on a first run) become the
                    // text being edited, so the user edits from what is shown.
                    self.lifecycle.tier_thresholds.set(
                        report
                            .params
                            .thresholds
                            .iter()
                            .map(|t| crate::format::plain(*t, 2))
                            .collect(),
                    );
                    self.lifecycle.tier_applied.set(report.params.clone());
                    self.lifecycle.tiers.set(Some(report));
                }
            },
        );
    }

    /// Put the suggested thresholds back and assign them.
    pub fn suggest_tiers(self) {
        self.lifecycle.tier_thresholds.set(Vec::new());
        self.assign_tiers();
    }

    /// Download every customer's tier.
    pub fn export_tiers(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let lang = self.lang.get_untracked();
        let tiers = self
            .lifecycle
            .tiers
            .with_untracked(|r| r.as_ref().map_or(0, |r| r.tiers.len()));
        let words = crate::i18n::tier_words(lang, tiers);
        let request = Request::Tiers(msg::tiers::Request::Export { format, words });
        self.download(request, "tiers", format);
    }

    /// The customer table filtered on one band column of a lifecycle analysis (a tier, a
    /// movement, the due list): the other filters go, the page size stays.
    pub fn show_band(self, column: &str, values: Vec<String>) {
        let query = crate::engine::customers::CustomerQuery {
            bands: vec![crate::engine::customers::BandFilter {
                column: column.to_string(),
                values,
            }],
            limit: self.customers.query.get_untracked().limit,
            ..crate::engine::customers::CustomerQuery::default()
        };
        self.set_query(query);
        crate::app::routes::navigate(self, crate::app::routes::Route::Customers);
    }

    /// Learn each customer's best weekday and hour.
    pub fn find_send_times(self) {
        if self.retry_when_lost(move || self.find_send_times()) {
            return;
        }
        let request = Request::SendTime(msg::sendtime::Request::Run {
            params: SendTimeParams::default(),
        });
        self.job(
            &request,
            None,
            Some(Stage::Lifecycle),
            move |response, _| {
                if let Response::SendTime(msg::sendtime::Response::SendTimes {
                    report,
                    elapsed_ms,
                }) = response
                {
                    let segments = report.segments.len();
                    self.lifecycle
                        .sendtime_view
                        .update(|v| *v = if *v > segments { 0 } else { *v });
                    self.lifecycle.sendtime_ms.set(elapsed_ms);
                    self.lifecycle.sendtime.set(Some(report));
                }
            },
        );
    }

    /// Download every customer's best times.
    pub fn export_send_times(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let request = Request::SendTime(msg::sendtime::Request::Export { format });
        self.download(request, "sendtime", format);
    }

    /// Forecast revenue and orders with the current settings.
    pub fn run_forecast(self) {
        if self.retry_when_lost(move || self.run_forecast()) {
            return;
        }
        self.forecast_with(self.lifecycle.forecast_params.get_untracked());
    }

    fn forecast_with(self, params: ForecastParams) {
        let request = Request::Forecast(msg::forecast::Request::Run { params });
        self.job(
            &request,
            None,
            Some(Stage::Lifecycle),
            move |response, _| {
                if let Response::Forecast(msg::forecast::Response::Forecast {
                    report,
                    elapsed_ms,
                }) = response
                {
                    self.lifecycle.forecast_ms.set(elapsed_ms);
                    self.lifecycle.forecast_applied.set(params);
                    self.lifecycle.forecast.set(Some(report));
                }
            },
        );
    }

    /// Download the history and the forecast.
    pub fn export_forecast(self, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_lifecycle()) {
            return;
        }
        let request = Request::Forecast(msg::forecast::Request::Export { format });
        self.download(request, "forecast", format);
    }

    /// Asks for an export and saves the file it brings as `<file>-<what>.<ext>`.
    fn download(self, request: Request, what: &'static str, format: ExportFormat) {
        self.job(&request, None, None, move |response, blob| {
            if let Response::Exported { rows } = response {
                if let Some(blob) = blob {
                    let name =
                        export_file_name(&self.file_name.get_untracked(), what, format.extension());
                    browser::download_blob(&blob, &name);
                }
                self.notice.set(Some(Notice::Exported { rows }));
            }
        });
    }
}
