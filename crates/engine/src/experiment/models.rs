//! The campaign's models on customer features: a response model trained on the treated
//! customers (AUC, deciles, calibration on held-out customers; the whole base scored for the next
//! target list) and a two-model uplift model (Qini and uplift curves on held-out customers, and
//! what contacting only the top deciles would have brought).
//!
//! Features are each customer's history before a cut day, so a response never explains itself:
//! the campaign start for a contact list; for a results file the day after the as-of date (the
//! file's outcomes must then lie after the transactions; the page says so). Per customer:
//! purchases, average order value, days since the last purchase, days since the first, whether
//! they have any history, and, when predictions have run, P(alive) and expected purchases.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::data::ExperimentData;
use super::params::RoiParams;
use super::response::{
    auc, calibration_table, decile_table, train_test_split, CalibrationBin, Decile, LogisticModel,
    LogisticParams, ModelError,
};
use super::stats::MetricKind;
use super::uplift::{downsample, CurvePoint, UpliftParams};
use crate::clv::ClvAnalysis;
use crate::rfm::Analysis;
use crate::{Dataset, Day};

/// Customers needed in each fitted group (treated, and control for uplift).
pub const MIN_MODEL_CUSTOMERS: u64 = 50;
/// Responders (and non-responders) needed in each fitted group.
pub const MIN_MODEL_RESPONDERS: u64 = 10;
/// Held-out share.
const TEST_SHARE: f64 = 0.3;
/// The split's seed.
const SEED: u64 = 42;
/// Points kept of each curve for the chart.
const CURVE_POINTS: usize = 200;

/// Feature names, in column order (the catalog words them).
pub const FEATURES: [&str; 7] = [
    "purchases",
    "average_order_value",
    "days_since_last",
    "days_since_first",
    "has_history",
    "probability_alive",
    "expected_purchases",
];

/// Why a model was not fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModelProblem {
    /// No 0/1 outcome to model.
    NoBinaryMetric,
    /// Too few customers (in the transactions) or responders in a group.
    TooFew {
        /// Customers in the group.
        customers: u64,
        /// Responders among them.
        responders: u64,
    },
    /// The fit failed.
    Fit(ModelError),
}

/// The response model's held-out evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseReport {
    /// The modelled outcome.
    pub metric: String,
    /// Treated customers fitted on.
    pub train_customers: u64,
    /// Treated customers held out.
    pub test_customers: u64,
    /// Held-out AUC.
    pub auc: Option<f64>,
    /// Held-out deciles (1 = highest scores).
    pub deciles: Vec<Decile>,
    /// Held-out calibration.
    pub calibration: Vec<CalibrationBin>,
    /// Each feature's coefficient (standardised scale), in [`FEATURES`] order.
    pub coefficients: Vec<f64>,
}

/// What contacting only the top `share` by uplift would have brought (held-out customers,
/// scaled to everyone the campaign treated).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TopShare {
    /// Share of customers contacted (0.1 = the top decile).
    pub share: f64,
    /// Incremental conversions (the Qini curve there, scaled).
    pub incremental_conversions: f64,
    /// With the ROI card's costs: contacting that share of the treated customers (contacts ×
    /// cost per contact + the fixed cost).
    pub cost: Option<f64>,
    /// `cost` per incremental conversion (when they are positive).
    pub cost_per_incremental_conversion: Option<f64>,
}

/// The uplift model's held-out evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpliftReport {
    /// The modelled outcome.
    pub metric: String,
    /// Held-out customers.
    pub test_customers: u64,
    /// Qini coefficient: the area between the model's Qini curve and the random line, over the
    /// same area for the perfect ordering.
    pub qini_coefficient: Option<f64>,
    /// Area under the uplift curve.
    pub uplift_auc: Option<f64>,
    /// The Qini curve (down-sampled).
    pub qini: Vec<CurvePoint>,
    /// The uplift curve (down-sampled).
    pub uplift: Vec<CurvePoint>,
    /// Contacting the top 10 %, 20 %, … 100 %.
    pub top_shares: Vec<TopShare>,
}

/// The models' report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelReport {
    /// The cut day of the features.
    pub features_day: Day,
    /// Whether predictions' figures were among the features.
    pub with_predictions: bool,
    /// The response model, or why not.
    pub response: Result<ResponseReport, ModelProblem>,
    /// The uplift model, or why not.
    pub uplift: Result<UpliftReport, ModelProblem>,
}

/// The fitted response model, kept for the target list.
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    /// What the page draws.
    pub report: ModelReport,
    /// The response model fitted on every treated customer.
    pub response_model: Option<LogisticModel>,
}

/// Each dataset customer's features as of `cut` (customers without a purchase before it: zeros
/// and `has_history` 0).
pub(crate) fn customer_features(
    dataset: &Dataset,
    analysis: &Analysis,
    clv: Option<&ClvAnalysis>,
    cut: Day,
) -> Array2<f64> {
    let customers = dataset.customer_ids.len();
    let mut x = Array2::<f64>::zeros((customers, FEATURES.len()));
    let run = analysis.lines(dataset);
    let mut by_customer = run.by_customer();
    for c in 0..by_customer.groups().min(customers) {
        let (mut purchases, mut spend) = (0.0, 0.0);
        let (mut first, mut last): (Option<Day>, Option<Day>) = (None, None);
        run.for_each_order(by_customer.of_mut(c), |_, total| {
            if total.day < cut && total.purchase {
                purchases += 1.0;
                spend += total.net;
                first = Some(first.map_or(total.day, |f| f.min(total.day)));
                last = Some(last.map_or(total.day, |l| l.max(total.day)));
            }
        });
        if let (Some(first), Some(last)) = (first, last) {
            x[[c, 0]] = purchases;
            x[[c, 1]] = spend / purchases;
            x[[c, 2]] = f64::from(cut - last);
            x[[c, 3]] = f64::from(cut - first);
            x[[c, 4]] = 1.0;
        }
    }
    if let Some(clv) = clv {
        let rows = &clv.summary.customer;
        for (i, c) in rows.iter().enumerate() {
            let c = *c as usize;
            if c >= customers {
                continue;
            }
            let alive = clv.scores.probability_alive.get(i).copied().unwrap_or(0.0);
            let expected = clv
                .scores
                .expected_purchases_90_days
                .get(i)
                .copied()
                .unwrap_or(0.0);
            x[[c, 5]] = if alive.is_finite() { alive } else { 0.0 };
            x[[c, 6]] = if expected.is_finite() { expected } else { 0.0 };
        }
    }
    x
}

/// Fits and evaluates both models on the campaign's customers found in the transactions.
pub fn fit_models(
    data: &ExperimentData,
    dataset: &Dataset,
    analysis: &Analysis,
    clv: Option<&ClvAnalysis>,
    roi: Option<RoiParams>,
) -> Models {
    let cut = match &data.contacts {
        Some(k) => k.start_day,
        None => analysis.report.as_of_day + 1,
    };
    let features = customer_features(dataset, analysis, clv, cut);
    let mut report = ModelReport {
        features_day: cut,
        with_predictions: clv.is_some(),
        response: Err(ModelProblem::NoBinaryMetric),
        uplift: Err(ModelProblem::NoBinaryMetric),
    };
    let Some(metric) = data.metrics.iter().find(|m| m.kind == MetricKind::Binomial) else {
        return Models {
            report,
            response_model: None,
        };
    };
    // The campaign's customers in the transactions with a value: treated (any variant) or not.
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut treated = Vec::new();
    for ((g, c), v) in data.group_of.iter().zip(&data.customer).zip(&metric.values) {
        if let (Some(c), false) = (c, v.is_nan()) {
            rows.push(*c as usize);
            labels.push(*v > 0.0);
            treated.push(*g != 0);
        }
    }
    let pick = |which: &[usize]| -> Array2<f64> {
        let mut out = Array2::<f64>::zeros((which.len(), FEATURES.len()));
        for (r, &i) in which.iter().enumerate() {
            if let Some(&c) = rows.get(i) {
                out.row_mut(r).assign(&features.row(c));
            }
        }
        out
    };
    let count = |filter: &dyn Fn(usize) -> bool| -> (u64, u64) {
        let idx: Vec<usize> = (0..rows.len()).filter(|&i| filter(i)).collect();
        let responders = idx
            .iter()
            .filter(|&&i| labels.get(i).copied().unwrap_or(false))
            .count() as u64;
        (idx.len() as u64, responders)
    };
    let enough = |(n, r): (u64, u64)| {
        n >= MIN_MODEL_CUSTOMERS && r >= MIN_MODEL_RESPONDERS && n - r >= MIN_MODEL_RESPONDERS
    };
    let treated_idx: Vec<usize> = (0..rows.len())
        .filter(|&i| treated.get(i).copied().unwrap_or(false))
        .collect();
    let (t_n, t_r) = count(&|i| treated.get(i).copied().unwrap_or(false));
    let (c_n, c_r) = count(&|i| !treated.get(i).copied().unwrap_or(true));
    let params = LogisticParams::new().max_iterations(200);
    let mut response_model = None;
    report.response = if enough((t_n, t_r)) {
        response(&treated_idx, &labels, &pick, params, &metric.name).map(|(r, m)| {
            response_model = Some(m);
            r
        })
    } else {
        Err(ModelProblem::TooFew {
            customers: t_n,
            responders: t_r,
        })
    };
    report.uplift = if !enough((t_n, t_r)) {
        Err(ModelProblem::TooFew {
            customers: t_n,
            responders: t_r,
        })
    } else if !enough((c_n, c_r)) {
        Err(ModelProblem::TooFew {
            customers: c_n,
            responders: c_r,
        })
    } else {
        uplift(
            &rows,
            &labels,
            &treated,
            &pick,
            params,
            &metric.name,
            t_n,
            roi,
        )
    };
    Models {
        report,
        response_model,
    }
}

type Pick<'a> = dyn Fn(&[usize]) -> Array2<f64> + 'a;

fn response(
    treated_idx: &[usize],
    labels: &[bool],
    pick: &Pick<'_>,
    params: LogisticParams,
    metric: &str,
) -> Result<(ResponseReport, LogisticModel), ModelProblem> {
    let valid = params.check().map_err(ModelProblem::Fit)?;
    let (train, test) = train_test_split(treated_idx.len(), TEST_SHARE, SEED);
    let global = |local: &[usize]| -> Vec<usize> {
        local
            .iter()
            .filter_map(|&i| treated_idx.get(i).copied())
            .collect()
    };
    let (train, test) = (global(&train), global(&test));
    let y = |which: &[usize]| -> Vec<bool> {
        which
            .iter()
            .map(|&i| labels.get(i).copied().unwrap_or(false))
            .collect()
    };
    let model = valid
        .fit(pick(&train).view(), &y(&train), None)
        .map_err(ModelProblem::Fit)?;
    let scores = model
        .predict_probability(pick(&test).view())
        .map_err(ModelProblem::Fit)?;
    let test_y = y(&test);
    // The target list's model: every treated customer.
    let full = valid
        .fit(pick(treated_idx).view(), &y(treated_idx), None)
        .map_err(ModelProblem::Fit)?;
    Ok((
        ResponseReport {
            metric: metric.to_string(),
            train_customers: train.len() as u64,
            test_customers: test.len() as u64,
            auc: auc(&scores, &test_y),
            deciles: decile_table(&scores, &test_y),
            calibration: calibration_table(&scores, &test_y, 10),
            coefficients: model.coefficients().to_vec(),
        },
        full,
    ))
}

#[allow(
    clippy::too_many_arguments,
    reason = "the campaign's customers, their labels and groups, the features, the fit settings and the ROI inputs"
)]
fn uplift(
    rows: &[usize],
    labels: &[bool],
    treated: &[bool],
    pick: &Pick<'_>,
    params: LogisticParams,
    metric: &str,
    treated_customers: u64,
    roi: Option<RoiParams>,
) -> Result<UpliftReport, ModelProblem> {
    let all: Vec<usize> = (0..rows.len()).collect();
    let x = pick(&all);
    let valid = UpliftParams::new()
        .models(params)
        .test_share(TEST_SHARE)
        .seed(SEED)
        .check()
        .map_err(ModelProblem::Fit)?;
    let model = valid
        .fit(x.view(), labels, treated)
        .map_err(ModelProblem::Fit)?;
    let test_treated = model
        .test_rows()
        .iter()
        .filter(|&&i| treated.get(i).copied().unwrap_or(false))
        .count();
    let Some(eval) = model.evaluation() else {
        return Err(ModelProblem::TooFew {
            customers: model.test_rows().len() as u64,
            responders: 0,
        });
    };
    // The Qini curve counts incremental responders among the held-out treated: scale them to
    // every treated customer.
    let scale = if test_treated > 0 {
        treated_customers as f64 / test_treated as f64
    } else {
        0.0
    };
    let top_shares = (1..=10)
        .map(|k| {
            let share = f64::from(k) / 10.0;
            let at = eval
                .qini
                .iter()
                .take_while(|p| p.share <= share + 1e-12)
                .last()
                .map_or(0.0, |p| p.value);
            let incremental_conversions = at * scale;
            let cost =
                roi.map(|r| share * treated_customers as f64 * r.cost_per_contact + r.fixed_cost);
            TopShare {
                share,
                incremental_conversions,
                cost,
                cost_per_incremental_conversion: cost
                    .filter(|_| incremental_conversions > 0.0)
                    .map(|c| c / incremental_conversions),
            }
        })
        .collect();
    Ok(UpliftReport {
        metric: metric.to_string(),
        test_customers: model.test_rows().len() as u64,
        qini_coefficient: eval.qini_coefficient,
        uplift_auc: eval.uplift_auc,
        qini: downsample(&eval.qini, CURVE_POINTS),
        uplift: downsample(&eval.uplift, CURVE_POINTS),
        top_shares,
    })
}

impl Models {
    /// Scores every customer of the transactions with the response model (features as of the
    /// day after the as-of date) and writes the top `deciles` deciles, best first:
    /// `customer_id, response_score, decile`. Returns the rows written.
    pub fn export_targets(
        &self,
        dataset: &Dataset,
        analysis: &Analysis,
        clv: Option<&ClvAnalysis>,
        deciles: u8,
        sink: &mut dyn crate::table_out::TableSink,
    ) -> u64 {
        sink.header(&["customer_id", "response_score", "decile"]);
        let Some(model) = &self.response_model else {
            return 0;
        };
        let x = customer_features(dataset, analysis, clv, analysis.report.as_of_day + 1);
        // Customers who ever bought (the table's customers).
        let customers: Vec<usize> = analysis
            .customers
            .customer
            .iter()
            .map(|&c| c as usize)
            .collect();
        let mut rows = Array2::<f64>::zeros((customers.len(), FEATURES.len()));
        for (r, &c) in customers.iter().enumerate() {
            if c < x.nrows() {
                rows.row_mut(r).assign(&x.row(c));
            }
        }
        let Ok(scores) = model.predict_probability(rows.view()) else {
            return 0;
        };
        let mut order: Vec<usize> = (0..customers.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let n = order.len();
        let mut written = 0;
        for (rank, &i) in order.iter().enumerate() {
            // Deciles as the table's: position 0 is decile 1, then ⌈10·rank/(n−1)⌉.
            let decile = if rank == 0 || n <= 1 {
                1
            } else {
                (10 * rank).div_ceil(n - 1).clamp(1, 10)
            };
            if decile > usize::from(deciles) {
                break;
            }
            let Some(&c) = customers.get(i) else { continue };
            sink.text(dataset.customer_ids.get(c as u32));
            sink.real(scores.get(i).copied().unwrap_or(0.0));
            sink.integer(decile as i64);
            sink.end_row();
            written += 1;
        }
        written
    }
}
