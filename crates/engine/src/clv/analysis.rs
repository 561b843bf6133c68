//! The whole predictive-scoring run the page and the CLI ask for: summarise the dataset up to the
//! calibration end, fit the purchase models and the spend model, and score every customer
//! (probability alive, expected purchases, expected spend, CLV, churn-risk band, expected next
//! purchase date).

use serde::{Deserialize, Serialize};

use super::{
    BgNbdModel, BgNbdParams, Boundary, ClvError, CustomerSummary, GammaGammaModel,
    GammaGammaParams, HorizonUnit, ParetoNbdModel, ParetoNbdParams, PurchaseModel, TimeUnit,
};
use crate::{Dataset, Day};

/// Which purchase model scores the customers (both are fitted when [`ClvSettings::models`] is
/// [`FittedModels::Compare`], so their log-likelihoods can be compared).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PurchaseModelKind {
    /// BG/NBD (Fader, Hardie and Lee 2005), the default.
    #[default]
    BgNbd,
    /// Pareto/NBD (Schmittlein, Morrison and Colombo 1987).
    ParetoNbd,
}

impl PurchaseModelKind {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Self::BgNbd => "BG/NBD",
            Self::ParetoNbd => "Pareto/NBD",
        }
    }
}

/// Which purchase models a scoring run fits ([`ClvSettings::models`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FittedModels {
    /// BG/NBD and Pareto/NBD, for the model table's comparison (the page's predictions tab).
    #[default]
    Compare,
    /// Only the scoring model ([`ClvSettings::purchase_model`]); the other one is fitted only
    /// when the scoring model cannot be, to score with it instead (as with
    /// [`ClvWarning::ScoredWithFallback`]). The scores are the same as with `Compare`; the model
    /// table and the warnings lack the other model. Without BG/NBD (Pareto/NBD scoring), the
    /// dropout warning's BG/NBD checks are not made ([`ClvWarning::DropoutNotIdentified`]).
    ScoringOnly,
}

/// Churn-risk band, from the probability that the customer is still active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChurnRisk {
    /// Probability alive at or above the "low" threshold.
    Low,
    /// Between the two thresholds.
    Medium,
    /// Below the "high" threshold: probably gone.
    High,
}

impl ChurnRisk {
    /// All bands, low risk first.
    pub const ALL: [ChurnRisk; 3] = [Self::Low, Self::Medium, Self::High];

    /// Position in [`ChurnRisk::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Stable snake_case name for CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// Settings of a scoring run. Defaults: calibration end = the last day of the data, days, BG/NBD,
/// a custom horizon of 180 days, CLV over 12 months at 1 % a month, churn risk high below a
/// 30 % chance of a purchase within the horizon and low from 70 %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvSettings {
    /// Last day of the calibration period; `None` = the last day of the data.
    pub calibration_end_day: Option<Day>,
    /// Unit of recency, T and the fitted rate parameters.
    pub time_unit: TimeUnit,
    /// Model used for the per-customer scores.
    pub purchase_model: PurchaseModelKind,
    /// The user's own horizon for expected purchases, in days (besides 30, 90 and 365).
    pub horizon_days: u32,
    /// CLV horizon in months.
    pub clv_horizon_months: u32,
    /// Monthly discount rate of the CLV (0.01 = 1 % a month).
    pub discount_monthly: f64,
    /// Chance of a purchase within `horizon_days` below which the churn risk is high.
    pub churn_high_below: f64,
    /// Chance of a purchase within `horizon_days` from which the churn risk is low.
    pub churn_low_from: f64,
    /// Which purchase models are fitted (default: both, compared).
    #[serde(default)]
    pub models: FittedModels,
}

impl Default for ClvSettings {
    fn default() -> Self {
        Self {
            calibration_end_day: None,
            time_unit: TimeUnit::Days,
            purchase_model: PurchaseModelKind::BgNbd,
            horizon_days: 180,
            clv_horizon_months: 12,
            discount_monthly: 0.01,
            churn_high_below: 0.3,
            churn_low_from: 0.7,
            models: FittedModels::Compare,
        }
    }
}

/// Longest horizon accepted, in days (10 years) and months (10 years).
pub const MAX_HORIZON_DAYS: u32 = 3650;
/// Longest CLV horizon accepted, in months.
pub const MAX_CLV_HORIZON_MONTHS: u32 = 120;

impl ClvSettings {
    /// Checks the settings (not the dates, which need the data).
    pub fn validate(&self) -> Result<(), ClvError> {
        if self.horizon_days == 0 || self.horizon_days > MAX_HORIZON_DAYS {
            return Err(ClvError::InvalidHorizon {
                value: self.horizon_days,
                unit: HorizonUnit::Days,
                max: MAX_HORIZON_DAYS,
            });
        }
        if self.clv_horizon_months == 0 || self.clv_horizon_months > MAX_CLV_HORIZON_MONTHS {
            return Err(ClvError::InvalidHorizon {
                value: self.clv_horizon_months,
                unit: HorizonUnit::Months,
                max: MAX_CLV_HORIZON_MONTHS,
            });
        }
        if !(self.discount_monthly.is_finite() && (0.0..=1.0).contains(&self.discount_monthly)) {
            return Err(ClvError::InvalidDiscountRate {
                value: self.discount_monthly,
            });
        }
        let (high, low) = (self.churn_high_below, self.churn_low_from);
        if !(high.is_finite() && low.is_finite() && 0.0 < high && high <= low && low <= 1.0) {
            return Err(ClvError::InvalidChurnThresholds { high, low });
        }
        Ok(())
    }

    /// The band of a chance of a purchase within the horizon
    /// ([`ClvScores::purchase_chance_horizon`]).
    ///
    /// Not of the probability alive, which it was until a real 4-month file showed a whole
    /// "Lost" RFM segment at low churn risk: BG/NBD counts every customer without a repeat
    /// purchase alive for certain, and a customer alive at a rate of one purchase in five years
    /// is lost to a marketer. On CDNOW cut to 4 months, 88 % of the customers quiet for 60 days
    /// were "low risk" by probability alive, while 20 % of them bought in the next 180 days;
    /// by this chance (predicted 20 %) 98 % of them are high risk (`tests/clv_cdnow.rs`).
    pub fn churn_risk(&self, purchase_chance: f64) -> ChurnRisk {
        if purchase_chance < self.churn_high_below {
            ChurnRisk::High
        } else if purchase_chance < self.churn_low_from {
            ChurnRisk::Medium
        } else {
            ChurnRisk::Low
        }
    }
}

/// One fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterEstimate {
    /// `r`, `alpha`, ...
    pub name: String,
    /// The estimate (rate parameters in the run's time unit; `v` in currency).
    pub value: f64,
    /// Its standard error from the observed information, when the model computes one and it is
    /// finite (Pareto/NBD does not).
    #[serde(default)]
    pub standard_error: Option<f64>,
}

/// How one model's fit went, for the page's model table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFit {
    /// `BG/NBD`, `Pareto/NBD` or `Gamma-Gamma`.
    pub model: String,
    /// The estimates, in the papers' order.
    pub parameters: Vec<ParameterEstimate>,
    /// Total log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Customers fitted on (repeat customers for Gamma-Gamma).
    pub customers: usize,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Whether the optimiser met its tolerance.
    pub converged: bool,
    /// Wall time of the fit in milliseconds, as measured by the caller's clock.
    pub fit_ms: f64,
    /// Limits of the parameter space the fit reached (the model there is the limiting model).
    #[serde(default)]
    pub boundaries: Vec<Boundary>,
}

/// Something that went partly wrong; the run still produced what it could.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ClvWarning {
    /// A model's optimiser stopped before its tolerance (estimates may be near a boundary).
    NotConverged {
        /// The model.
        model: String,
    },
    /// A fit ended at a limit of its parameter space, where the data are explained by the simpler
    /// limiting model (one purchase rate, no dropout, one spend scale); the parameters are held
    /// there by a bound (see [`Boundary`]).
    AtBoundary {
        /// The model.
        model: String,
        /// The limit.
        boundary: Boundary,
    },
    /// The requested scoring model could not be fitted, so the scores come from another one.
    ScoredWithFallback {
        /// The model asked for.
        requested: PurchaseModelKind,
        /// The model the scores come from.
        used: PurchaseModelKind,
    },
    /// The Gamma-Gamma mean order value of a customer without repeat purchases, `vp/(q − 1)`, is
    /// far above the observed mean repeat order value (more than [`SPEND_MEAN_WARNING_RATIO`]
    /// times), because the fitted `q` is close to 1 (a heavy tail of spend levels): the expected
    /// order value and CLV of customers with few purchases are unreliable.
    UnstableMeanSpend {
        /// `vp/(q − 1)`.
        population_mean: f64,
        /// Mean of the repeat customers' mean repeat order values.
        observed_mean: f64,
    },
    /// A second purchase model could not be fitted (the scoring model was).
    ModelFailed {
        /// The model.
        model: String,
        /// Why.
        error: ClvError,
    },
    /// The spend model could not be fitted or used, so there is no CLV or expected spend.
    SpendModelFailed {
        /// Why.
        error: ClvError,
    },
    /// The file is too short, or shows too little dropout, for the models to tell a customer who
    /// left from one who is between purchases: the window spans fewer than
    /// [`DROPOUT_WINDOW_GAPS`] median gaps between a repeat customer's purchases, or fewer than
    /// [`DROPOUT_WINDOW_MODEL_GAPS`] gaps at the fitted mean purchase rate, or the BG/NBD
    /// chance of dropping out after a purchase, `a / (a + b)`, is under
    /// [`DROPOUT_PER_PURCHASE_FLOOR`]. Probability alive and churn risk are then optimistic.
    DropoutNotIdentified {
        /// Days from the first purchase in the file to the calibration end.
        window_days: i32,
        /// Median days between purchases of the repeat customers (`t_x / x`); 0 without any.
        median_gap_days: f64,
        /// Days between purchases at the BG/NBD mean purchase rate, `α / r` (`1 / E[λ]`); 0 when
        /// not finite.
        model_gap_days: f64,
        /// BG/NBD `a / (a + b)`.
        dropout_per_purchase: f64,
    },
    /// Frequency and spend are correlated among repeat customers, against the Gamma-Gamma
    /// model's independence assumption (|ρ| above 0.3).
    SpendCorrelated {
        /// Pearson correlation of frequency and mean repeat spend.
        correlation: f64,
    },
}

/// Ratio of the Gamma-Gamma population mean order value to the observed one above which
/// [`ClvWarning::UnstableMeanSpend`] is raised.
pub const SPEND_MEAN_WARNING_RATIO: f64 = 5.0;

/// A window shorter than this many median purchase gaps raises
/// [`ClvWarning::DropoutNotIdentified`].
pub const DROPOUT_WINDOW_GAPS: f64 = 3.0;

/// A window shorter than this many gaps at the fitted mean purchase rate (BG/NBD `α / r`) raises
/// [`ClvWarning::DropoutNotIdentified`]. The observed gaps of [`DROPOUT_WINDOW_GAPS`] are cut
/// short by a short window (only quick repeaters repeat in it); the fitted rate counts the
/// customers who have not repeated yet. Checked on CDNOW (`tests/clv_cdnow.rs`): the 2-, 3-, 4-
/// and 6-month cuts are 0.6–1.6 such gaps, the papers' 39-week calibration 2.1, the 18 months 3.6.
pub const DROPOUT_WINDOW_MODEL_GAPS: f64 = 2.0;

/// A BG/NBD dropout chance per purchase, `a / (a + b)`, under this raises
/// [`ClvWarning::DropoutNotIdentified`].
pub const DROPOUT_PER_PURCHASE_FLOOR: f64 = 0.02;

/// |ρ| above which [`ClvWarning::SpendCorrelated`] is raised.
pub const SPEND_CORRELATION_WARNING: f64 = 0.3;

/// Per-customer scores, in the order of the run's [`CustomerSummary`] rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClvScores {
    /// Probability the customer is still active at the calibration end.
    pub probability_alive: Vec<f64>,
    /// Expected purchases in the next 30 days.
    pub expected_purchases_30_days: Vec<f64>,
    /// Expected purchases in the next 90 days.
    pub expected_purchases_90_days: Vec<f64>,
    /// Expected purchases in the next 365 days.
    pub expected_purchases_365_days: Vec<f64>,
    /// Expected purchases in the next `horizon_days` days (the user's horizon).
    pub expected_purchases_horizon: Vec<f64>,
    /// Chance of at least one purchase in the next `horizon_days` days; the churn-risk band is
    /// read from it ([`ClvSettings::churn_risk`]).
    pub purchase_chance_horizon: Vec<f64>,
    /// Expected mean order value (Gamma-Gamma); `None` when the spend model failed.
    pub expected_order_value: Option<Vec<f64>>,
    /// Discounted CLV over `clv_horizon_months`; `None` when the spend model failed.
    pub clv: Option<Vec<f64>>,
    /// Churn-risk band.
    pub churn_risk: Vec<ChurnRisk>,
    /// Expected day of the next purchase if still active (calibration end + the mean wait
    /// `1 / E[λ]`); `None` for customers at high churn risk.
    pub next_purchase_day: Vec<Option<Day>>,
}

/// A finished scoring run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvAnalysis {
    /// The settings it ran with.
    pub settings: ClvSettings,
    /// The calibration end actually used.
    pub calibration_end_day: Day,
    /// The per-customer summary the models were fitted on.
    pub summary: CustomerSummary,
    /// Customers with at least one repeat purchase.
    pub repeat_customers: usize,
    /// Fitted BG/NBD model, when its fit succeeded.
    pub bg_nbd: Option<BgNbdModel>,
    /// Fitted Pareto/NBD model, when its fit succeeded.
    pub pareto_nbd: Option<ParetoNbdModel>,
    /// The model the scores come from: the one asked for, or the other when that one failed
    /// (then with [`ClvWarning::ScoredWithFallback`]).
    pub scoring: ScoringModel,
    /// Fitted Gamma-Gamma model, when its fit succeeded and `q > 1`.
    pub gamma_gamma: Option<GammaGammaModel>,
    /// The model table: BG/NBD, Pareto/NBD (if fitted), Gamma-Gamma (if fitted).
    pub fits: Vec<ModelFit>,
    /// What went partly wrong.
    pub warnings: Vec<ClvWarning>,
    /// Per-customer scores, row-aligned with `summary`.
    pub scores: ClvScores,
}

#[allow(clippy::too_many_arguments)]
fn fit_row<const N: usize>(
    model: &str,
    names: [&str; N],
    values: [f64; N],
    standard_errors: Option<[f64; N]>,
    log_likelihood: Option<f64>,
    convergence: Option<&super::Convergence>,
    customers: usize,
    fit_ms: f64,
    boundaries: &[Boundary],
) -> ModelFit {
    ModelFit {
        model: model.to_string(),
        parameters: names
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (name, value))| ParameterEstimate {
                name: (*name).to_string(),
                value,
                standard_error: standard_errors
                    .and_then(|se| se.get(i).copied())
                    .filter(|se| se.is_finite()),
            })
            .collect(),
        log_likelihood: log_likelihood.unwrap_or(f64::NAN),
        customers,
        iterations: convergence.map_or(0, |c| c.iterations),
        converged: convergence.is_some_and(|c| c.converged),
        fit_ms,
        boundaries: boundaries.to_vec(),
    }
}

/// Fits the three models on `summary` and returns them with the model table and warnings.
/// `now_ms` is the caller's clock (the engine has none on wasm32). BG/NBD must fit; Pareto/NBD and
/// Gamma-Gamma failures become warnings.
#[allow(clippy::type_complexity)]
pub fn fit_models(
    summary: &CustomerSummary,
    now_ms: &mut dyn FnMut() -> f64,
) -> Result<
    (
        Option<BgNbdModel>,
        Option<ParetoNbdModel>,
        Option<GammaGammaModel>,
        Vec<ModelFit>,
        Vec<ClvWarning>,
    ),
    ClvError,
> {
    fit_chosen_models(
        summary,
        FittedModels::Compare,
        PurchaseModelKind::BgNbd,
        1,
        now_ms,
    )
}

/// One purchase model's fit with its model-table row, or why it failed.
type PurchaseFit<M> = Result<(M, ModelFit), ClvError>;

fn fit_bg_nbd(
    summary: &CustomerSummary,
    threads: usize,
    now_ms: &mut dyn FnMut() -> f64,
) -> PurchaseFit<BgNbdModel> {
    let started = now_ms();
    let model = BgNbdParams::new().threads(threads).check()?.fit(summary)?;
    let row = fit_row(
        "BG/NBD",
        ["r", "alpha", "a", "b"],
        [model.r(), model.alpha(), model.a(), model.b()],
        model.standard_errors(),
        model.log_likelihood(),
        model.convergence(),
        summary.len(),
        now_ms() - started,
        model.boundaries(),
    );
    Ok((model, row))
}

fn fit_pareto_nbd(
    summary: &CustomerSummary,
    now_ms: &mut dyn FnMut() -> f64,
) -> PurchaseFit<ParetoNbdModel> {
    let started = now_ms();
    let model = ParetoNbdParams::new()
        .check()
        .and_then(|p| p.fit(summary))?;
    let row = fit_row(
        "Pareto/NBD",
        ["r", "alpha", "s", "beta"],
        [model.r(), model.alpha(), model.s(), model.beta()],
        model.standard_errors(),
        model.log_likelihood(),
        model.convergence(),
        summary.len(),
        now_ms() - started,
        model.boundaries(),
    );
    Ok((model, row))
}

/// [`fit_models`] with the purchase models `models` asks for: with
/// [`FittedModels::ScoringOnly`], only the `scoring` model, and the other one only when that one
/// fails. A model that is fitted gets the same estimates, row and warnings as in [`fit_models`];
/// the purchase models fail the step only when every one tried failed. The BG/NBD and
/// Gamma-Gamma likelihoods use up to `threads` threads natively, with the same bits as one.
#[allow(clippy::type_complexity)]
pub fn fit_chosen_models(
    summary: &CustomerSummary,
    models: FittedModels,
    scoring: PurchaseModelKind,
    threads: usize,
    now_ms: &mut dyn FnMut() -> f64,
) -> Result<
    (
        Option<BgNbdModel>,
        Option<ParetoNbdModel>,
        Option<GammaGammaModel>,
        Vec<ModelFit>,
        Vec<ClvWarning>,
    ),
    ClvError,
> {
    let mut fits = Vec::new();
    let mut warnings = Vec::new();
    let repeat_customers = summary.frequency.iter().filter(|x| **x > 0.0).count();

    let compare = models == FittedModels::Compare;
    let mut bg_fit = (compare || scoring == PurchaseModelKind::BgNbd)
        .then(|| fit_bg_nbd(summary, threads, now_ms));
    let mut pareto_fit = (compare || scoring == PurchaseModelKind::ParetoNbd)
        .then(|| fit_pareto_nbd(summary, now_ms));
    // The scoring model failed: the other one scores, as when both are fitted.
    if pareto_fit.is_none() && bg_fit.as_ref().is_some_and(Result::is_err) {
        pareto_fit = Some(fit_pareto_nbd(summary, now_ms));
    }
    if bg_fit.is_none() && pareto_fit.as_ref().is_some_and(Result::is_err) {
        bg_fit = Some(fit_bg_nbd(summary, threads, now_ms));
    }

    let bg_nbd = match bg_fit {
        Some(Ok((model, row))) => {
            fits.push(row);
            Some(Ok(model))
        }
        Some(Err(error)) => Some(Err(error)),
        None => None,
    };
    let pareto_nbd = match pareto_fit {
        Some(Ok((model, row))) => {
            fits.push(row);
            Some(model)
        }
        Some(Err(error)) => {
            warnings.push(ClvWarning::ModelFailed {
                model: "Pareto/NBD".to_string(),
                error,
            });
            None
        }
        None => None,
    };
    // BG/NBD's failure ends the step only when Pareto/NBD failed too (its error is the one said:
    // the same data problem usually breaks both).
    let bg_nbd = match (bg_nbd, &pareto_nbd) {
        (Some(Ok(model)), _) => Some(model),
        (Some(Err(error)), Some(_)) => {
            warnings.push(ClvWarning::ModelFailed {
                model: "BG/NBD".to_string(),
                error,
            });
            None
        }
        (Some(Err(error)), None) => return Err(error),
        (None, _) => None,
    };

    let started = now_ms();
    let gamma_gamma = match GammaGammaParams::new()
        .threads(threads)
        .check()
        .and_then(|p| p.fit(summary))
    {
        Ok(model) if model.q() <= 1.0 => {
            warnings.push(ClvWarning::SpendModelFailed {
                error: ClvError::UndefinedMeanSpend { q: model.q() },
            });
            None
        }
        Ok(model) => {
            fits.push(fit_row(
                "Gamma-Gamma",
                ["p", "q", "v"],
                [model.p(), model.q(), model.v()],
                model.standard_errors(),
                model.log_likelihood(),
                model.convergence(),
                repeat_customers,
                now_ms() - started,
                model.boundaries(),
            ));
            let repeat_spend: Vec<f64> = summary
                .frequency
                .iter()
                .zip(&summary.monetary)
                .filter(|(x, _)| **x > 0.0)
                .map(|(_, m)| *m)
                .collect();
            let observed_mean = repeat_spend.iter().sum::<f64>() / repeat_spend.len().max(1) as f64;
            let population_mean = model.v() * model.p() / (model.q() - 1.0);
            if population_mean > SPEND_MEAN_WARNING_RATIO * observed_mean {
                warnings.push(ClvWarning::UnstableMeanSpend {
                    population_mean,
                    observed_mean,
                });
            }
            if let Some(rho) = model.frequency_monetary_correlation() {
                if rho.abs() > SPEND_CORRELATION_WARNING {
                    warnings.push(ClvWarning::SpendCorrelated { correlation: rho });
                }
            }
            Some(model)
        }
        Err(error) => {
            warnings.push(ClvWarning::SpendModelFailed { error });
            None
        }
    };
    for fit in &fits {
        for boundary in &fit.boundaries {
            warnings.push(ClvWarning::AtBoundary {
                model: fit.model.clone(),
                boundary: boundary.clone(),
            });
        }
        if !fit.converged {
            warnings.push(ClvWarning::NotConverged {
                model: fit.model.clone(),
            });
        }
    }
    Ok((bg_nbd, pareto_nbd, gamma_gamma, fits, warnings))
}

/// The purchase model the scores come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ScoringModel {
    /// BG/NBD.
    BgNbd(BgNbdModel),
    /// Pareto/NBD.
    ParetoNbd(ParetoNbdModel),
}

impl ScoringModel {
    /// The model, for its predictions.
    pub fn model(&self) -> &dyn PurchaseModel {
        match self {
            Self::BgNbd(model) => model,
            Self::ParetoNbd(model) => model,
        }
    }
}

/// The model asked for, or the other one with [`ClvWarning::ScoredWithFallback`] when the one
/// asked for was not fitted; `None` when neither was.
fn choose_scoring(
    kind: PurchaseModelKind,
    bg_nbd: Option<&BgNbdModel>,
    pareto_nbd: Option<&ParetoNbdModel>,
    warnings: &mut Vec<ClvWarning>,
) -> Option<ScoringModel> {
    let chosen = match (kind, bg_nbd, pareto_nbd) {
        (PurchaseModelKind::BgNbd, Some(bg), _) => ScoringModel::BgNbd(bg.clone()),
        (PurchaseModelKind::ParetoNbd, _, Some(pareto)) => ScoringModel::ParetoNbd(pareto.clone()),
        (PurchaseModelKind::BgNbd, None, Some(pareto)) => ScoringModel::ParetoNbd(pareto.clone()),
        (PurchaseModelKind::ParetoNbd, Some(bg), None) => ScoringModel::BgNbd(bg.clone()),
        (_, None, None) => return None,
    };
    let used = match chosen {
        ScoringModel::BgNbd(_) => PurchaseModelKind::BgNbd,
        ScoringModel::ParetoNbd(_) => PurchaseModelKind::ParetoNbd,
    };
    if used != kind {
        warnings.push(ClvWarning::ScoredWithFallback {
            requested: kind,
            used,
        });
    }
    Some(chosen)
}

/// [`ClvWarning::DropoutNotIdentified`] when the window or the fit cannot identify dropout. The
/// mean purchase gap `α / r` comes from BG/NBD, or from the scoring model without one; the
/// dropout floor needs BG/NBD.
fn dropout_warning(
    summary: &CustomerSummary,
    window_days: i32,
    bg_nbd: Option<&BgNbdModel>,
    scoring: &dyn PurchaseModel,
) -> Option<ClvWarning> {
    let days = summary.time_unit.days_per_unit();
    let mut gaps: Vec<f64> = summary
        .frequency
        .iter()
        .zip(&summary.recency)
        .filter(|(x, _)| **x > 0.0)
        .map(|(x, t)| t / x * days)
        .filter(|g| g.is_finite())
        .collect();
    gaps.sort_by(f64::total_cmp);
    let median_gap_days = match gaps.len() {
        0 => 0.0,
        n if n % 2 == 1 => gaps.get(n / 2).copied().unwrap_or(0.0),
        n => {
            (gaps.get(n / 2 - 1).copied().unwrap_or(0.0) + gaps.get(n / 2).copied().unwrap_or(0.0))
                / 2.0
        }
    };
    let (dropout_per_purchase, [r, alpha, _, _]) = match bg_nbd {
        Some(bg) => (bg.a() / (bg.a() + bg.b()), bg.parameters()),
        None => (f64::NAN, scoring.parameters()),
    };
    let model_gap_days = alpha / r * days;
    let model_gap_days = if model_gap_days.is_finite() {
        model_gap_days
    } else {
        0.0
    };
    let short = (median_gap_days > 0.0
        && f64::from(window_days) < DROPOUT_WINDOW_GAPS * median_gap_days)
        || (model_gap_days > 0.0
            && f64::from(window_days) < DROPOUT_WINDOW_MODEL_GAPS * model_gap_days);
    let flat =
        dropout_per_purchase.is_finite() && dropout_per_purchase < DROPOUT_PER_PURCHASE_FLOOR;
    (short || flat).then(|| ClvWarning::DropoutNotIdentified {
        window_days,
        median_gap_days,
        model_gap_days,
        dropout_per_purchase: if dropout_per_purchase.is_finite() {
            dropout_per_purchase
        } else {
            0.0
        },
    })
}

pub(crate) fn data_span(dataset: &Dataset) -> Result<(Day, Day), ClvError> {
    let first = dataset.day.iter().copied().min();
    let last = dataset.last_day();
    match (first, last) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(ClvError::TooFewCustomers { count: 0 }),
    }
}

impl ClvAnalysis {
    /// Runs the scoring: summary up to the calibration end, the fits, the per-customer scores.
    ///
    /// Errors: invalid settings, a calibration end outside the data, fewer than 2 customers or no
    /// repeat purchase before it, both purchase models failing. One purchase model's failure (the
    /// other then scores) and the Gamma-Gamma's are [`ClvWarning`]s.
    pub fn run(
        dataset: &Dataset,
        settings: &ClvSettings,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClvError> {
        Self::run_on(dataset, settings, 1, now_ms)
    }

    /// [`Self::run`] with up to `threads` threads (natively; the browser's worker has one). The
    /// result is the same bits with any number: the parts run in parallel are independent.
    pub fn run_on(
        dataset: &Dataset,
        settings: &ClvSettings,
        threads: usize,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClvError> {
        settings.validate()?;
        let (first_day, last_day) = data_span(dataset)?;
        let calibration_end_day = settings.calibration_end_day.unwrap_or(last_day);
        if calibration_end_day <= first_day || calibration_end_day > last_day {
            return Err(ClvError::CalibrationEndOutsideData {
                calibration_end_day,
                first_day,
                last_day,
            });
        }
        let summary = CustomerSummary::from_dataset_on(
            dataset,
            calibration_end_day,
            settings.time_unit,
            threads,
        );
        let (bg_nbd, pareto_nbd, gamma_gamma, fits, mut warnings) = fit_chosen_models(
            &summary,
            settings.models,
            settings.purchase_model,
            threads,
            now_ms,
        )?;
        let repeat_customers = summary.frequency.iter().filter(|x| **x > 0.0).count();
        let scoring = choose_scoring(
            settings.purchase_model,
            bg_nbd.as_ref(),
            pareto_nbd.as_ref(),
            &mut warnings,
        )
        // Not reached: `fit_models` fails when neither purchase model fitted.
        .ok_or_else(|| ClvError::NonFiniteLikelihood {
            model: "BG/NBD, Pareto/NBD".to_string(),
            parameters: String::new(),
        })?;
        if let Some(warning) = dropout_warning(
            &summary,
            calibration_end_day - first_day,
            bg_nbd.as_ref(),
            scoring.model(),
        ) {
            warnings.push(warning);
        }
        let scores = score(
            &summary,
            scoring.model(),
            gamma_gamma.as_ref(),
            settings,
            calibration_end_day,
            threads,
            &mut warnings,
        )?;
        Ok(ClvAnalysis {
            settings: settings.clone(),
            calibration_end_day,
            summary,
            repeat_customers,
            bg_nbd,
            pareto_nbd,
            scoring,
            gamma_gamma,
            fits,
            warnings,
            scores,
        })
    }

    /// 90 % intervals for summary row `row`'s probability alive and CLV from the uncertainty of
    /// the fitted parameters (the delta method: the scores' gradients in the parameters, by central
    /// differences, through the fits' covariance; P(alive) on the logit scale and CLV on the log
    /// scale, so the bounds stay in [0, 1] and ≥ 0). Computed on demand (a few dozen model
    /// evaluations a customer); `None` without a covariance (given parameters, a singular
    /// information) or for an unknown row. The spread is the parameters' only: it says how sure
    /// the model is of this customer's figure, not how the customer will behave.
    pub fn uncertainty(&self, row: usize) -> Option<Uncertainty> {
        let s = &self.summary;
        let (x, recency, age) = (
            *s.frequency.get(row)?,
            *s.recency.get(row)?,
            *s.age.get(row)?,
        );
        let model = self.scoring_model();
        let covariance = model.parameter_covariance()?;
        let theta = model.parameters();
        let perturbed = |j: usize, sign: f64| -> Option<(Box<dyn PurchaseModel>, f64)> {
            let h = UNCERTAINTY_STEP * theta.get(j)?.abs();
            let mut p = theta;
            *p.get_mut(j)? += sign * h;
            Some((model.with_parameters(p).ok()?, h))
        };
        let spread = |f: &dyn Fn(&dyn PurchaseModel) -> Option<f64>| -> Option<f64> {
            let mut gradient = [0.0; 4];
            for (j, g) in gradient.iter_mut().enumerate() {
                let (up, h) = perturbed(j, 1.0)?;
                let (down, _) = perturbed(j, -1.0)?;
                *g = (f(up.as_ref())? - f(down.as_ref())?) / (2.0 * h);
            }
            quadratic_form(&gradient, covariance)
        };
        let alive = model.probability_alive(x, recency, age).ok()?;
        let probability_alive = if !(1e-12..=1.0 - 1e-12).contains(&alive) {
            (alive, alive)
        } else {
            let logit = |m: &dyn PurchaseModel| {
                let p = m.probability_alive(x, recency, age).ok()?;
                (p > 0.0 && p < 1.0).then(|| (p / (1.0 - p)).ln())
            };
            let sd = spread(&logit)?.sqrt();
            let centre = (alive / (1.0 - alive)).ln();
            let logistic = |l: f64| 1.0 / (1.0 + (-l).exp());
            (
                logistic(centre - INTERVAL_Z * sd),
                logistic(centre + INTERVAL_Z * sd),
            )
        };
        let clv = self
            .scores
            .clv
            .as_ref()
            .and_then(|c| c.get(row).copied())
            .zip(self.gamma_gamma.as_ref())
            .and_then(|(clv, spend)| {
                if clv <= 0.0 {
                    return Some((clv, clv));
                }
                let settings = &self.settings;
                let log_purchases = |m: &dyn PurchaseModel| {
                    let d = super::customer_lifetime_value(
                        m,
                        1.0,
                        x,
                        recency,
                        age,
                        settings.clv_horizon_months,
                        settings.discount_monthly,
                    )
                    .ok()?;
                    (d > 0.0).then(|| d.ln())
                };
                let purchases_variance = spread(&log_purchases)?;
                let monetary = *s.monetary.get(row)?;
                let spend_variance = spend_log_variance(spend, x, monetary)?;
                let sd = (purchases_variance + spend_variance).sqrt();
                Some((
                    clv * (-INTERVAL_Z * sd).exp(),
                    clv * (INTERVAL_Z * sd).exp(),
                ))
            });
        Some(Uncertainty {
            probability_alive,
            clv,
        })
    }

    /// The model the scores come from.
    pub fn scoring_model(&self) -> &dyn PurchaseModel {
        self.scoring.model()
    }
}

/// A customer's 90 % intervals from the parameters' uncertainty ([`ClvAnalysis::uncertainty`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// (low, high) of the probability alive.
    pub probability_alive: (f64, f64),
    /// (low, high) of the CLV; `None` without a spend model.
    pub clv: Option<(f64, f64)>,
}

/// The normal quantile of a two-sided 90 % interval.
pub const INTERVAL_Z: f64 = 1.644_853_626_951_472_2;

/// Relative step of the central differences in [`ClvAnalysis::uncertainty`].
const UNCERTAINTY_STEP: f64 = 1e-4;

/// `gᵀ C g` for a row-major covariance `C` of `g.len()` parameters; `None` unless finite and ≥ 0.
fn quadratic_form(g: &[f64], covariance: &[f64]) -> Option<f64> {
    let n = g.len();
    let mut total = 0.0;
    for i in 0..n {
        for j in 0..n {
            total += g.get(i)? * covariance.get(i * n + j)? * g.get(j)?;
        }
    }
    (total.is_finite() && total >= 0.0).then_some(total.max(0.0))
}

/// Variance of the log of the Gamma-Gamma expected order value of a customer with `frequency`
/// repeat purchases of mean `monetary`, from the spend model's covariance (central differences).
fn spend_log_variance(spend: &GammaGammaModel, frequency: f64, monetary: f64) -> Option<f64> {
    let covariance = spend.covariance()?;
    let theta = [spend.p(), spend.q(), spend.v()];
    let mut gradient = [0.0; 3];
    for (j, g) in gradient.iter_mut().enumerate() {
        let h = UNCERTAINTY_STEP * theta.get(j)?.abs();
        let at = |sign: f64| -> Option<f64> {
            let mut p = theta;
            *p.get_mut(j)? += sign * h;
            let model = GammaGammaModel::from_parameters(p[0], p[1], p[2]).ok()?;
            let value = model.expected_average_value(frequency, monetary).ok()?;
            (value > 0.0).then(|| value.ln())
        };
        *g = (at(1.0)? - at(-1.0)?) / (2.0 * h);
    }
    quadratic_form(&gradient, covariance)
}

/// Predictions of one distinct (x, t_x, T) pattern.
struct PatternScores {
    probability_alive: f64,
    expected: [f64; 4],
    /// Chance of a purchase within the user's horizon.
    purchase_chance: f64,
    /// Discounted expected purchases over the CLV horizon (CLV = this × expected order value).
    discounted_purchases: f64,
    next_purchase_wait_days: f64,
}

/// The horizons every customer is scored at, in the model's time unit.
struct ScoringHorizons {
    /// 30, 90 and 365 days and the user's horizon, then the CLV's month ends not among them
    /// (each computed once: a month end equal to one of the first four takes its value).
    all: Vec<f64>,
    /// The CLV's month ends (`customer_lifetime_value`'s horizons).
    month_ends: Vec<f64>,
}

/// How many of [`ScoringHorizons::all`] come before the month ends.
const FIXED_HORIZONS: usize = 4;

impl ScoringHorizons {
    fn new(model: &dyn PurchaseModel, settings: &ClvSettings) -> Self {
        let days_per_unit = settings.time_unit.days_per_unit();
        let fixed =
            [30.0, 90.0, 365.0, f64::from(settings.horizon_days)].map(|d| d / days_per_unit);
        let month = super::units_per_month(model.time_unit());
        let month_ends: Vec<f64> = (1..=settings.clv_horizon_months)
            .map(|m| f64::from(m) * month)
            .collect();
        let mut all = fixed.to_vec();
        all.extend(month_ends.iter().copied().filter(|h| !fixed.contains(h)));
        Self { all, month_ends }
    }
}

/// Scores one (x, t_x, T) pattern; `if_alive` holds the model's expected purchases if alive at
/// each of `horizons.all` for this x and T when the model factors so
/// ([`PurchaseModel::expected_purchases_if_alive_at`]).
fn score_pattern(
    model: &dyn PurchaseModel,
    settings: &ClvSettings,
    horizons: &ScoringHorizons,
    if_alive: Option<&[f64]>,
    x: f64,
    recency: f64,
    t: f64,
) -> Result<PatternScores, ClvError> {
    let days_per_unit = settings.time_unit.days_per_unit();
    let probability_alive = model.probability_alive(x, recency, t)?;
    let mut values = vec![0.0; horizons.all.len()];
    // The fixed horizons, the purchase chance, then the month ends: a pattern's first error is
    // the one it always was.
    let fixed_count = FIXED_HORIZONS.min(values.len());
    let (fixed, month_ends) = values.split_at_mut(fixed_count);
    let (fixed_horizons, month_horizons) = horizons.all.split_at(fixed_count);
    let predict = |range: std::ops::Range<usize>, h: &[f64], out: &mut [f64]| match if_alive {
        Some(if_alive) => {
            let factors = if_alive.get(range).unwrap_or_default();
            model.expected_purchases_from(factors, h, x, recency, t, out)
        }
        None => model.expected_purchases_at(h, x, recency, t, out),
    };
    predict(0..fixed_count, fixed_horizons, fixed)?;
    let purchase_chance = model.probability_purchase_within(
        f64::from(settings.horizon_days) / days_per_unit,
        x,
        recency,
        t,
    )?;
    predict(fixed_count..horizons.all.len(), month_horizons, month_ends)?;
    let mut expected = [0.0; FIXED_HORIZONS];
    for (slot, value) in expected.iter_mut().zip(&values) {
        *slot = *value;
    }
    let fixed = horizons.all.get(..FIXED_HORIZONS).unwrap_or_default();
    let mut next_fresh = values.iter().skip(FIXED_HORIZONS);
    let cumulative: Vec<f64> = horizons
        .month_ends
        .iter()
        .map(|h| {
            let value = match fixed.iter().position(|known| known == h) {
                Some(k) => expected.get(k).copied(),
                None => next_fresh.next().copied(),
            };
            value.unwrap_or(f64::NAN)
        })
        .collect();
    let discounted_purchases = super::purchase::discounted_value(
        1.0,
        settings.clv_horizon_months,
        settings.discount_monthly,
        |m| Ok(cumulative.get(m as usize - 1).copied().unwrap_or(f64::NAN)),
    )?;
    let rate = model.expected_rate_if_alive(x, t);
    let next_purchase_wait_days = if rate > 0.0 && rate.is_finite() {
        days_per_unit / rate
    } else {
        f64::INFINITY
    };
    Ok(PatternScores {
        probability_alive,
        expected,
        purchase_chance,
        discounted_purchases,
        next_purchase_wait_days,
    })
}

/// The scores of each distinct (x, t_x, T) of `keyed` (sorted by x, T, t_x), in order.
fn score_patterns(
    model: &dyn PurchaseModel,
    settings: &ClvSettings,
    horizons: &ScoringHorizons,
    keyed: &[((f64, f64, f64), usize)],
) -> Result<Vec<PatternScores>, ClvError> {
    let mut patterns = Vec::new();
    // The expected purchases if alive of the current (x, T), when the model factors so.
    let mut if_alive = vec![0.0; horizons.all.len()];
    let mut if_alive_of: Option<((f64, f64), bool)> = None;
    let mut previous = None;
    for &(k, _) in keyed {
        if previous == Some(k) {
            continue;
        }
        previous = Some(k);
        let (x, recency, t) = k;
        let factored = match if_alive_of {
            Some((of, factored)) if of == (x, t) => factored,
            _ => {
                let factored =
                    model.expected_purchases_if_alive_at(&horizons.all, x, t, &mut if_alive);
                if_alive_of = Some(((x, t), factored));
                factored
            }
        };
        let factors = factored.then_some(&if_alive[..]);
        patterns.push(score_pattern(
            model, settings, horizons, factors, x, recency, t,
        )?);
    }
    Ok(patterns)
}

/// Below this many customers scoring stays on one thread (a thread costs more than it saves).
const MIN_ROWS_PER_SCORING_THREAD: usize = 20_000;

/// [`score_patterns`], natively on two threads when `threads` ≥ 2 and there are enough rows:
/// each pattern's scores depend on it alone, so the result is the same bits, and the error is
/// the first one in `keyed`'s order, as on one thread.
fn score_patterns_in_parts(
    model: &dyn PurchaseModel,
    settings: &ClvSettings,
    horizons: &ScoringHorizons,
    keyed: &[((f64, f64, f64), usize)],
    threads: usize,
) -> Result<Vec<PatternScores>, ClvError> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads >= 2 && keyed.len() >= 2 * MIN_ROWS_PER_SCORING_THREAD {
        // Cut where half of the work is done, between two patterns (each is scored by one side
        // only). A pattern's work is counted as 1, a new (x, T)'s as 6 more (its expected
        // purchases if alive, a series per horizon): the customers without a repeat purchase,
        // first in the order, are many with few distinct (x, T).
        const PATTERN_WORK: usize = 1;
        const NEW_X_T_WORK: usize = 6;
        let work = |i: usize| -> usize {
            let (Some(&(k, _)), previous) =
                (keyed.get(i), i.checked_sub(1).and_then(|j| keyed.get(j)))
            else {
                return 0;
            };
            match previous {
                Some(&(p, _)) if p == k => 0,
                Some(&(p, _)) if (p.0, p.2) == (k.0, k.2) => PATTERN_WORK,
                _ => PATTERN_WORK + NEW_X_T_WORK,
            }
        };
        let total: usize = (0..keyed.len()).map(work).sum();
        let mut done = 0;
        let mut middle = 0;
        while middle < keyed.len() && (done < total / 2 || work(middle) == 0) {
            done += work(middle);
            middle += 1;
        }
        let (first, second) = keyed.split_at(middle);
        let (first, second) = crate::parallel::join(
            || score_patterns(model, settings, horizons, first),
            || score_patterns(model, settings, horizons, second),
        );
        let mut patterns = first?;
        patterns.extend(second?);
        return Ok(patterns);
    }
    let _ = (threads, MIN_ROWS_PER_SCORING_THREAD);
    score_patterns(model, settings, horizons, keyed)
}

/// Scores every summary row; the predictions are computed once per distinct (x, t_x, T).
fn score(
    summary: &CustomerSummary,
    model: &dyn PurchaseModel,
    spend: Option<&GammaGammaModel>,
    settings: &ClvSettings,
    calibration_end_day: Day,
    threads: usize,
    warnings: &mut Vec<ClvWarning>,
) -> Result<ClvScores, ClvError> {
    let n = summary.len();
    let key = |i: usize| {
        (
            summary.frequency.get(i).copied().unwrap_or(0.0),
            summary.recency.get(i).copied().unwrap_or(0.0),
            summary.age.get(i).copied().unwrap_or(0.0),
        )
    };
    // Sorted with the keys beside the rows, by x, T and then t_x, so the patterns of one (x, T)
    // are together and share its expected purchases if alive; the rows of one pattern share its
    // scores, so their order among themselves does not matter.
    let mut keyed: Vec<((f64, f64, f64), usize)> = (0..n).map(|i| (key(i), i)).collect();
    keyed.sort_unstable_by(|(ka, _), (kb, _)| {
        ka.0.total_cmp(&kb.0)
            .then(ka.2.total_cmp(&kb.2))
            .then(ka.1.total_cmp(&kb.1))
    });
    let horizons = ScoringHorizons::new(model, settings);
    let patterns = score_patterns_in_parts(model, settings, &horizons, &keyed, threads)?;

    let mut scores = ClvScores {
        probability_alive: vec![0.0; n],
        expected_purchases_30_days: vec![0.0; n],
        expected_purchases_90_days: vec![0.0; n],
        expected_purchases_365_days: vec![0.0; n],
        expected_purchases_horizon: vec![0.0; n],
        purchase_chance_horizon: vec![0.0; n],
        expected_order_value: None,
        clv: None,
        churn_risk: vec![ChurnRisk::Low; n],
        next_purchase_day: vec![None; n],
    };
    let mut discounted = vec![0.0; n];
    let mut pattern = patterns.iter();
    let mut current: Option<((f64, f64, f64), &PatternScores)> = None;
    for (k, i) in keyed {
        let fresh = match &current {
            Some((previous, _)) => *previous != k,
            None => true,
        };
        if fresh {
            let Some(p) = pattern.next() else { break };
            current = Some((k, p));
        }
        let Some((_, p)) = current else { continue };
        let risk = settings.churn_risk(p.purchase_chance);
        scores.probability_alive[i] = p.probability_alive;
        scores.expected_purchases_30_days[i] = p.expected[0];
        scores.expected_purchases_90_days[i] = p.expected[1];
        scores.expected_purchases_365_days[i] = p.expected[2];
        scores.expected_purchases_horizon[i] = p.expected[3];
        scores.purchase_chance_horizon[i] = p.purchase_chance;
        scores.churn_risk[i] = risk;
        scores.next_purchase_day[i] = (risk != ChurnRisk::High
            && p.next_purchase_wait_days.is_finite())
        .then(|| calibration_end_day.saturating_add(p.next_purchase_wait_days.ceil() as Day));
        discounted[i] = p.discounted_purchases;
    }
    if let Some(spend) = spend {
        let values: Result<Vec<f64>, ClvError> = summary
            .frequency
            .iter()
            .zip(&summary.monetary)
            .map(|(x, m)| spend.expected_average_value(*x, *m))
            .collect();
        match values {
            Ok(values) => {
                scores.clv = Some(values.iter().zip(&discounted).map(|(v, d)| v * d).collect());
                scores.expected_order_value = Some(values);
            }
            Err(error) => warnings.push(ClvWarning::SpendModelFailed { error }),
        }
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A model that could not be fitted is replaced by the other, and the page is told which
    /// ("The fallback is named"); the one asked for is used whenever it was fitted.
    #[test]
    fn the_scoring_model_falls_back_to_the_other_and_says_so() {
        let bg = BgNbdModel::from_parameters(0.24, 4.4, 0.79, 2.43, TimeUnit::Weeks).unwrap();
        let pareto =
            ParetoNbdModel::from_parameters(0.55, 10.6, 0.61, 11.7, TimeUnit::Weeks).unwrap();
        let cases = [
            (PurchaseModelKind::BgNbd, true, true, Some("BG/NBD"), None),
            (
                PurchaseModelKind::ParetoNbd,
                true,
                true,
                Some("Pareto/NBD"),
                None,
            ),
            (
                PurchaseModelKind::BgNbd,
                false,
                true,
                Some("Pareto/NBD"),
                Some(PurchaseModelKind::ParetoNbd),
            ),
            (
                PurchaseModelKind::ParetoNbd,
                true,
                false,
                Some("BG/NBD"),
                Some(PurchaseModelKind::BgNbd),
            ),
            (PurchaseModelKind::BgNbd, false, false, None, None),
        ];
        for (kind, with_bg, with_pareto, expected, fallback) in cases {
            let mut warnings = Vec::new();
            let chosen = choose_scoring(
                kind,
                with_bg.then_some(&bg),
                with_pareto.then_some(&pareto),
                &mut warnings,
            );
            assert_eq!(chosen.as_ref().map(|c| c.model().name()), expected);
            let expected_warnings: Vec<ClvWarning> = fallback
                .map(|used| ClvWarning::ScoredWithFallback {
                    requested: kind,
                    used,
                })
                .into_iter()
                .collect();
            assert_eq!(warnings, expected_warnings, "{kind:?}");
        }
    }
}
