//! The predictions page's state (settings, report, validation) and its intents.

use leptos::prelude::*;

use crate::app::state::{export_file_name, Notice};
use crate::app::{browser, AppState};
use crate::engine::clv::{ClvReport, ClvSettings, HoldoutComparison, TimeUnit};
use crate::engine::session as msg;
use crate::engine::table_out::ExportFormat;
use crate::protocol::{Request, Response, Stage};

/// The predictions page's state.
#[derive(Clone, Copy)]
pub struct PredictionsState {
    /// Prediction settings being edited.
    pub settings: RwSignal<ClvSettings>,
    /// The prediction report on screen.
    pub report: RwSignal<Option<ClvReport>>,
    /// Worker milliseconds of the last prediction run.
    pub elapsed_ms: RwSignal<f64>,
    /// The last holdout validation.
    pub validation: RwSignal<Option<HoldoutComparison>>,
}

impl PredictionsState {
    pub(crate) fn new() -> Self {
        Self {
            settings: RwSignal::new(ClvSettings::default()),
            report: RwSignal::new(None),
            elapsed_ms: RwSignal::new(0.0),
            validation: RwSignal::new(None),
        }
    }

    /// Forgets the file's predictions, validation and settings.
    pub(crate) fn forget(self) {
        self.report.set(None);
        self.validation.set(None);
        self.settings.set(ClvSettings::default());
    }
}

impl AppState {
    /// Fit the prediction models with the current settings and score every customer.
    pub fn predict(self) {
        if self.retry_when_lost(move || self.predict()) {
            return;
        }
        let settings = self.predictions.settings.get_untracked();
        let mut query = self.customers.query.get_untracked();
        query.offset = 0;
        self.customers.query.set(query.clone());
        let request = Request::Predictions(msg::predictions::Request::Predict { settings, query });
        self.job(&request, None, Some(Stage::Fitting), move |response, _| {
            if let Response::Predictions(msg::predictions::Response::Predicted {
                report,
                page,
                elapsed_ms,
            }) = response
            {
                self.predictions.report.set(Some(report));
                self.customers.page.set(page);
                self.predictions.elapsed_ms.set(elapsed_ms);
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
                self.predictions.validation.set(Some(comparison));
            }
        });
    }

    /// Download every scored customer's predictions as CSV or `.xlsx`.
    pub fn export_scores(self, format: ExportFormat) {
        // The re-ingest redoes the predictions; the user clicks again once they are back.
        if self.retry_when_lost(move || self.predict()) {
            return;
        }
        self.job(
            &Request::Predictions(msg::predictions::Request::ExportScores { format }),
            None,
            None,
            move |response, blob| {
                if let Response::Exported { rows } = response {
                    if let Some(blob) = blob {
                        let name = export_file_name(
                            &self.file_name.get_untracked(),
                            "scores",
                            format.extension(),
                        );
                        browser::download_blob(&blob, &name);
                    }
                    self.notice.set(Some(Notice::Exported { rows }));
                }
            },
        );
    }
}
