//! The Campaigns page's state (the campaign file, the test's settings and results, the
//! calculator) and its intents.

use std::cell::RefCell;

use leptos::prelude::*;
use web_sys::Blob;

use crate::app::state::{export_file_name, Notice};
use crate::app::{browser, AppState};
use crate::engine::calendar;
use crate::engine::experiment::stats::Difference;
use crate::engine::experiment::{
    Correction, ExperimentParams, ExperimentReport, OutcomeSource, PowerMetric, PowerParams,
    PowerReport, RoiParams, SegmentDimension,
};
use crate::engine::rfm::Segment;
use crate::engine::session as msg;
use crate::engine::session::experiment::{CampaignFile, ExperimentTable};
use crate::engine::table_out::ExportFormat;
use crate::i18n::segment_name;
use crate::protocol::{Request, Response, Stage};

thread_local! {
    /// The campaign file, kept so a restarted worker can be given it again.
    static CAMPAIGN_FILE: RefCell<Option<Blob>> = const { RefCell::new(None) };
    /// The demo's campaign file, fetched with the demo.
    static DEMO_CAMPAIGN: RefCell<Option<Blob>> = const { RefCell::new(None) };
}

/// The settings as typed (parsed when the test runs).
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignForm {
    /// The group column ("" = guess).
    pub group_column: String,
    /// The control group ("" = guess).
    pub control: String,
    /// A contact list's start (YYYY-MM-DD; "" = each contact's own date).
    pub start: String,
    /// A contact list's window in days.
    pub window_days: String,
    /// α.
    pub alpha: f64,
    /// Relative or absolute.
    pub difference: Difference,
    /// p-value adjustment.
    pub correction: Correction,
    /// Sequential testing on.
    pub sequential: bool,
    /// Its tuning parameter as typed.
    pub tuning: String,
    /// ROI inputs as typed ("" = no ROI card).
    pub cost_per_contact: String,
    /// Fixed cost.
    pub fixed_cost: String,
    /// Margin %.
    pub margin_percent: String,
}

impl Default for CampaignForm {
    fn default() -> Self {
        Self {
            group_column: String::new(),
            control: String::new(),
            start: String::new(),
            window_days: "30".into(),
            alpha: 0.05,
            difference: Difference::Relative,
            correction: Correction::None,
            sequential: false,
            tuning: "5000".into(),
            cost_per_contact: String::new(),
            fixed_cost: String::new(),
            margin_percent: String::new(),
        }
    }
}

/// A number as typed: `None` for an empty cell, NaN for text (the engine then names the field).
fn typed_number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(crate::engine::ingest::parse_amount(text).unwrap_or(f64::NAN))
}

impl CampaignForm {
    /// The engine's settings for a results file or a contact list.
    pub fn params(&self, contacts: bool) -> ExperimentParams {
        let source = if contacts {
            OutcomeSource::Contacts {
                start_day: calendar::parse_iso_day(self.start.trim()),
                // Text that is not a whole number becomes 0, which the engine refuses naming the
                // window.
                window_days: self.window_days.trim().parse().unwrap_or(0),
                date_column: None,
            }
        } else {
            OutcomeSource::Results {
                metrics: Vec::new(),
            }
        };
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let (cost, fixed, margin) = (
            typed_number(&self.cost_per_contact),
            typed_number(&self.fixed_cost),
            typed_number(&self.margin_percent),
        );
        let roi = (cost.is_some() || fixed.is_some() || margin.is_some()).then(|| RoiParams {
            cost_per_contact: cost.unwrap_or(0.0),
            fixed_cost: fixed.unwrap_or(0.0),
            margin_percent: margin.unwrap_or(100.0),
        });
        ExperimentParams {
            group_column: some(&self.group_column),
            control: some(&self.control),
            alpha: self.alpha,
            difference: self.difference,
            correction: self.correction,
            sequential_tuning: self
                .sequential
                .then(|| typed_number(&self.tuning).unwrap_or(f64::NAN)),
            roi,
            ..ExperimentParams::new(source)
        }
    }
}

/// The calculator's inputs as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct PowerForm {
    /// Rate (true) or mean.
    pub rate: bool,
    /// Baseline rate in percent, or the mean.
    pub baseline: String,
    /// Standard deviation (means).
    pub std_dev: String,
    /// The effect as typed.
    pub mde: String,
    /// Whether the effect is relative (in percent).
    pub relative: bool,
    /// Power in percent.
    pub power: String,
    /// Groups.
    pub variations: String,
}

impl Default for PowerForm {
    fn default() -> Self {
        Self {
            rate: true,
            baseline: "20".into(),
            std_dev: String::new(),
            mde: "5".into(),
            relative: false,
            power: "80".into(),
            variations: "2".into(),
        }
    }
}

impl PowerForm {
    /// The engine's inputs: percents become fractions; text that is not a number becomes NaN or
    /// 0, which the engine refuses naming the field.
    pub fn params(&self, alpha: f64) -> PowerParams {
        let number = |s: &str| typed_number(s).unwrap_or(f64::NAN);
        let baseline = number(&self.baseline);
        let metric = if self.rate {
            PowerMetric::Proportion {
                baseline_rate: baseline / 100.0,
            }
        } else {
            PowerMetric::Mean {
                baseline_mean: baseline,
                std_dev: number(&self.std_dev),
            }
        };
        // A rate's absolute effect is typed in points; every relative one in percent.
        let mde = number(&self.mde);
        let mde = if self.rate || self.relative {
            mde / 100.0
        } else {
            mde
        };
        PowerParams {
            mde_relative: self.relative,
            alpha,
            power: number(&self.power) / 100.0,
            variations: self.variations.trim().parse().unwrap_or(0),
            ..PowerParams::new(metric, mde)
        }
    }
}

/// The Campaigns page's state.
#[derive(Clone, Copy)]
pub struct CampaignsState {
    /// The campaign file's name.
    pub file_name: RwSignal<String>,
    /// What the worker read of it.
    pub file: RwSignal<Option<CampaignFile>>,
    /// Whether it is a contact list (else a results file).
    pub contacts: RwSignal<bool>,
    /// The settings as typed.
    pub form: RwSignal<CampaignForm>,
    /// The results on screen.
    pub report: RwSignal<Option<ExperimentReport>>,
    /// The settings of the results on screen.
    pub applied: RwSignal<Option<ExperimentParams>>,
    /// Show the CUPED-adjusted results (where a metric has a covariate).
    pub cuped: RwSignal<bool>,
    /// The segment breakdown shown.
    pub dimension: RwSignal<SegmentDimension>,
    /// The calculator's inputs.
    pub power_form: RwSignal<PowerForm>,
    /// Its answer.
    pub power: RwSignal<Option<PowerReport>>,
    /// The open file is the demo, whose campaign file is at hand.
    pub demo: RwSignal<bool>,
    /// The target list's top deciles.
    pub top_deciles: RwSignal<u8>,
}

impl CampaignsState {
    pub(crate) fn new() -> Self {
        Self {
            file_name: RwSignal::new(String::new()),
            file: RwSignal::new(None),
            contacts: RwSignal::new(false),
            form: RwSignal::new(CampaignForm::default()),
            report: RwSignal::new(None),
            applied: RwSignal::new(None),
            cuped: RwSignal::new(true),
            dimension: RwSignal::new(SegmentDimension::Rfm),
            power_form: RwSignal::new(PowerForm::default()),
            power: RwSignal::new(None),
            demo: RwSignal::new(false),
            top_deciles: RwSignal::new(3),
        }
    }

    /// Forgets the campaign (a new transactions file).
    pub(crate) fn forget(self) {
        CAMPAIGN_FILE.with(|f| *f.borrow_mut() = None);
        DEMO_CAMPAIGN.with(|f| *f.borrow_mut() = None);
        self.demo.set(false);
        self.file_name.set(String::new());
        self.file.set(None);
        self.form.set(CampaignForm::default());
        self.report.set(None);
        self.applied.set(None);
    }
}

impl AppState {
    /// The demo was opened: keep its campaign file for the "use the demo campaign" button
    /// (`None` for any other file).
    pub fn set_demo_campaign(self, blob: Option<Blob>) {
        self.campaigns.demo.set(blob.is_some());
        DEMO_CAMPAIGN.with(|f| *f.borrow_mut() = blob);
    }

    /// Open the demo's campaign (a results file) and test it.
    pub fn open_demo_campaign(self) {
        if let Some(blob) = DEMO_CAMPAIGN.with(|f| f.borrow().clone()) {
            self.open_campaign(blob, "campaign.csv".to_string(), false);
        }
    }

    /// A campaign file was chosen: keep it, read it, and test it with the current settings.
    pub fn open_campaign(self, blob: Blob, name: String, contacts: bool) {
        CAMPAIGN_FILE.with(|f| *f.borrow_mut() = Some(blob.clone()));
        self.campaigns.file_name.set(name);
        self.campaigns.contacts.set(contacts);
        self.campaigns.report.set(None);
        self.campaigns.applied.set(None);
        let retry = blob.clone();
        if self.retry_when_lost(move || self.send_campaign(retry, None)) {
            return;
        }
        self.send_campaign(blob, None);
    }

    /// Sends the campaign file, then runs the test with `params` (the current settings when
    /// `None`) once it is read.
    fn send_campaign(self, blob: Blob, params: Option<ExperimentParams>) {
        let request = Request::Experiment(msg::experiment::Request::Open);
        self.job(
            &request,
            Some(&blob),
            Some(Stage::Reading),
            move |response, _| {
                if let Response::Experiment(msg::experiment::Response::Opened { file }) = response {
                    self.campaigns.file.set(Some(file));
                    let params = params.clone().unwrap_or_else(|| self.campaign_params());
                    self.test_campaign(params);
                }
            },
        );
    }

    fn campaign_params(self) -> ExperimentParams {
        let contacts = self.campaigns.contacts.get_untracked();
        self.campaigns.form.with_untracked(|f| f.params(contacts))
    }

    /// Test the kept campaign file with the current settings.
    pub fn run_campaign(self) {
        let params = self.campaign_params();
        if self.retry_when_lost(move || self.redo_campaign_with(Some(params))) {
            return;
        }
        self.test_campaign(self.campaign_params());
    }

    fn test_campaign(self, params: ExperimentParams) {
        let request = Request::Experiment(msg::experiment::Request::Run {
            params: params.clone(),
        });
        self.job(&request, None, Some(Stage::Testing), move |response, _| {
            if let Response::Experiment(msg::experiment::Response::Analyzed { report }) = response {
                self.campaigns.report.set(Some(report));
                self.campaigns.applied.set(Some(params.clone()));
            }
        });
    }

    /// Re-tests the campaign on screen with the settings it was tested with (after a
    /// re-analysis or a worker restart: the session dropped the results, or the file); the
    /// results come off the screen first.
    pub(crate) fn redo_campaign(self) {
        let applied = self.campaigns.applied.get_untracked();
        if applied.is_none() {
            return;
        }
        self.redo_campaign_with(applied);
    }

    fn redo_campaign_with(self, params: Option<ExperimentParams>) {
        let Some(blob) = CAMPAIGN_FILE.with(|f| f.borrow().clone()) else {
            return;
        };
        self.campaigns.report.set(None);
        self.send_campaign(blob, params);
    }

    /// Download a table of the results on screen.
    pub fn export_campaign(self, table: ExperimentTable, format: ExportFormat) {
        if self.retry_when_lost(move || self.redo_campaign()) {
            return;
        }
        let lang = self.lang.get_untracked();
        let segment_words = Segment::ALL
            .iter()
            .map(|s| segment_name(lang, *s).to_string())
            .collect();
        let request = Request::Experiment(msg::experiment::Request::Export {
            format,
            table,
            segment_words,
            top_deciles: self.campaigns.top_deciles.get_untracked(),
        });
        let what = match table {
            ExperimentTable::Results => "campaign-results",
            ExperimentTable::Segments => "campaign-segments",
            ExperimentTable::Targets => "target-list",
        };
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

    /// The calculator.
    pub fn calculate_power(self) {
        let alpha = self.campaigns.form.with_untracked(|f| f.alpha);
        let params = self
            .campaigns
            .power_form
            .with_untracked(|f| f.params(alpha));
        let request = Request::Experiment(msg::experiment::Request::Power { params });
        self.job(&request, None, None, move |response, _| {
            if let Response::Experiment(msg::experiment::Response::Power { report }) = response {
                self.campaigns.power.set(Some(report));
            }
        });
    }
}

/// Where a confidence interval sits on a row's bar, in percent of the bar's width: the left end,
/// the width, and where 0 falls. `scale` is the largest |end| of the rows shown (the bar spans
/// −scale..scale); non-finite ends and a zero scale give an empty bar at the middle.
pub fn ci_bar(low: f64, high: f64, scale: f64) -> (f64, f64, f64) {
    if !(low.is_finite() && high.is_finite() && scale.is_finite() && scale > 0.0) {
        return (50.0, 0.0, 50.0);
    }
    let at = |v: f64| ((v / scale).clamp(-1.0, 1.0) + 1.0) * 50.0;
    let (l, h) = (at(low.min(high)), at(low.max(high)));
    (l, (h - l).max(0.5), 50.0)
}

/// The largest |interval end| of `rows` (the bars' common scale).
pub fn ci_scale<'a>(rows: impl IntoIterator<Item = (&'a f64, &'a f64)>) -> f64 {
    rows.into_iter()
        .flat_map(|(l, h)| [l.abs(), h.abs()])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}
