//! The bounded slice of a [`ClvAnalysis`] the page draws (its size does not grow with the number
//! of customers), and the scores CSV.

use serde::{Deserialize, Serialize};

use super::{ChurnRisk, ClvAnalysis, ClvSettings, ClvWarning, ModelFit, PurchaseModel, TimeUnit};
use crate::rfm::{Histogram, Segment};
use crate::table_out::{CsvSink, TableSink};
use crate::{Dataset, Day};

/// Most frequency columns of the model matrices.
const MATRIX_MAX_FREQUENCY: usize = 30;
/// Recency rows of the model matrices.
const MATRIX_RECENCY_BINS: usize = 24;
/// Customers in the top-CLV list.
pub const TOP_CUSTOMERS: usize = 20;

/// A model prediction over a grid of frequency (columns) and recency (rows), for a customer whose
/// first purchase was `t` time units before the calibration end (the longest T of the data), as
/// `lifetimes`' `plot_probability_alive_matrix` draws it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelMatrix {
    /// Column frequencies (repeat purchases), ascending from 0.
    pub frequencies: Vec<u32>,
    /// Row recencies (time units since the first purchase; bin midpoints), ascending.
    pub recencies: Vec<f64>,
    /// The T of the grid.
    pub t: f64,
    /// `values[row][column]`.
    pub values: Vec<Vec<f64>>,
}

/// A customer of the top-CLV list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopCustomer {
    /// The id from the file.
    pub customer_id: String,
    /// Discounted CLV.
    pub clv: f64,
    /// Probability alive.
    pub probability_alive: f64,
    /// Expected purchases in the user's horizon.
    pub expected_purchases: f64,
    /// Chance of a purchase within the user's horizon (what the churn band is read from).
    pub purchase_chance: f64,
    /// Repeat purchases in the calibration period.
    pub frequency: u32,
    /// Churn-risk band.
    pub churn_risk: ChurnRisk,
}

/// Customers and CLV of one RFM segment by churn-risk band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentChurn {
    /// The segment.
    pub segment: Segment,
    /// Customers per band, in [`ChurnRisk::ALL`] order.
    pub customers: [u64; 3],
    /// Their CLV per band (0 without a spend model).
    pub clv: [f64; 3],
}

/// Headline figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClvKpis {
    /// Customers scored.
    pub customers: u64,
    /// Of those, with a repeat purchase.
    pub repeat_customers: u64,
    /// Expected purchases of all customers in the user's horizon.
    pub expected_purchases_horizon: f64,
    /// Mean probability alive.
    pub mean_probability_alive: f64,
    /// Mean chance of a purchase within the user's horizon.
    pub mean_purchase_chance: f64,
    /// Total CLV; `None` without a spend model.
    pub total_clv: Option<f64>,
    /// Customers per churn-risk band.
    pub churn_customers: [u64; 3],
    /// CLV per churn-risk band; `None` without a spend model.
    pub churn_clv: Option<[f64; 3]>,
}

/// What the predictions tab draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    /// The settings of the run.
    pub settings: ClvSettings,
    /// Calibration end used.
    pub calibration_end_day: Day,
    /// Time unit of the parameters.
    pub time_unit: TimeUnit,
    /// The model the scores come from.
    pub scoring_model: String,
    /// The model table.
    pub fits: Vec<ModelFit>,
    /// Partial failures.
    pub warnings: Vec<ClvWarning>,
    /// Pearson correlation of frequency and spend among repeat customers.
    pub spend_correlation: Option<f64>,
    /// Headline figures.
    pub kpis: ClvKpis,
    /// Probability alive over frequency × recency.
    pub probability_alive_matrix: ModelMatrix,
    /// Expected purchases in the user's horizon over frequency × recency.
    pub expected_purchases_matrix: ModelMatrix,
    /// Distribution of positive CLV values (empty without a spend model).
    pub clv_histogram: Histogram,
    /// Highest CLV first (empty without a spend model).
    pub top_customers: Vec<TopCustomer>,
    /// Churn-risk bands by RFM segment (empty when no segments were given).
    pub churn_by_segment: Vec<SegmentChurn>,
}

fn model_matrix(
    model: &dyn PurchaseModel,
    analysis: &ClvAnalysis,
    value: &dyn Fn(f64, f64, f64) -> f64,
) -> ModelMatrix {
    let s = &analysis.summary;
    let t = s.age.iter().copied().fold(0.0_f64, f64::max);
    let mut frequencies: Vec<f64> = s.frequency.clone();
    frequencies.sort_unstable_by(f64::total_cmp);
    let p99 = crate::stats::quantile_sorted(&frequencies, 0.99).unwrap_or(0.0);
    let max_frequency = (p99.ceil().max(1.0) as usize).min(MATRIX_MAX_FREQUENCY);
    if t <= 0.0 {
        return ModelMatrix::default();
    }
    let width = t / MATRIX_RECENCY_BINS as f64;
    let recencies: Vec<f64> = (0..MATRIX_RECENCY_BINS)
        .map(|k| (k as f64 + 0.5) * width)
        .collect();
    let values = recencies
        .iter()
        .map(|recency| {
            (0..=max_frequency)
                .map(|x| {
                    let x = x as f64;
                    // Without repeats the recency is 0 by definition.
                    let recency = if x == 0.0 { 0.0 } else { *recency };
                    let v = value(x, recency, t);
                    if v.is_finite() {
                        v
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let _ = model;
    ModelMatrix {
        frequencies: (0..=max_frequency as u32).collect(),
        recencies,
        t,
        values,
    }
}

impl ClvKpis {
    /// The headline figures of a run.
    pub fn of(analysis: &ClvAnalysis) -> Self {
        let scores = &analysis.scores;
        let n = analysis.summary.len();
        let mut churn_customers = [0u64; 3];
        let mut churn_clv = [0.0; 3];
        for (i, risk) in scores.churn_risk.iter().enumerate() {
            churn_customers[risk.index()] += 1;
            if let Some(clv) = scores.clv.as_ref().and_then(|c| c.get(i)) {
                churn_clv[risk.index()] += clv;
            }
        }
        ClvKpis {
            customers: n as u64,
            repeat_customers: analysis.repeat_customers as u64,
            expected_purchases_horizon: scores.expected_purchases_horizon.iter().sum(),
            mean_probability_alive: scores.probability_alive.iter().sum::<f64>() / n.max(1) as f64,
            mean_purchase_chance: scores.purchase_chance_horizon.iter().sum::<f64>()
                / n.max(1) as f64,
            total_clv: scores.clv.as_ref().map(|c| c.iter().sum()),
            churn_customers,
            churn_clv: scores.clv.as_ref().map(|_| churn_clv),
        }
    }
}

impl ClvReport {
    /// Whether the run warned that dropout is hardly identified
    /// ([`ClvWarning::DropoutNotIdentified`]): churn risk and the at-risk preset then carry a
    /// caveat.
    pub fn dropout_not_identified(&self) -> bool {
        self.warnings
            .iter()
            .any(|w| matches!(w, ClvWarning::DropoutNotIdentified { .. }))
    }

    /// Builds the report. `segments` gives each RFM-scored customer's segment as
    /// `(customer indexes, segments)` columns, for the churn-by-segment chart.
    pub fn new(
        dataset: &Dataset,
        analysis: &ClvAnalysis,
        segments: Option<(&[u32], &[Segment])>,
    ) -> Self {
        let model = analysis.scoring_model();
        let scores = &analysis.scores;
        let settings = &analysis.settings;
        let horizon = f64::from(settings.horizon_days) / settings.time_unit.days_per_unit();
        let n = analysis.summary.len();

        let kpis = ClvKpis::of(analysis);

        let probability_alive_matrix = model_matrix(model, analysis, &|x, recency, t| {
            model.probability_alive(x, recency, t).unwrap_or(f64::NAN)
        });
        let expected_purchases_matrix = model_matrix(model, analysis, &|x, recency, t| {
            model
                .expected_purchases(horizon, x, recency, t)
                .unwrap_or(f64::NAN)
        });

        let (clv_histogram, top_customers) = match &scores.clv {
            Some(clv) => {
                let histogram = crate::rfm::positive_value_histogram(clv);
                let mut rows: Vec<usize> = (0..n).collect();
                let id = |i: usize| {
                    analysis
                        .summary
                        .customer
                        .get(i)
                        .map_or("", |c| dataset.customer_ids.get(*c))
                };
                let value = |i: usize| clv.get(i).copied().unwrap_or(0.0);
                rows.sort_unstable_by(|a, b| {
                    value(*b)
                        .total_cmp(&value(*a))
                        .then_with(|| id(*a).cmp(id(*b)))
                });
                let top = rows
                    .iter()
                    .take(TOP_CUSTOMERS)
                    .map(|&i| TopCustomer {
                        customer_id: id(i).to_string(),
                        clv: value(i),
                        probability_alive: scores.probability_alive.get(i).copied().unwrap_or(0.0),
                        expected_purchases: scores
                            .expected_purchases_horizon
                            .get(i)
                            .copied()
                            .unwrap_or(0.0),
                        purchase_chance: scores
                            .purchase_chance_horizon
                            .get(i)
                            .copied()
                            .unwrap_or(0.0),
                        frequency: analysis.summary.frequency.get(i).copied().unwrap_or(0.0) as u32,
                        churn_risk: scores.churn_risk.get(i).copied().unwrap_or(ChurnRisk::Low),
                    })
                    .collect();
                (histogram, top)
            }
            None => (Histogram::default(), Vec::new()),
        };

        let churn_by_segment = segments
            .map(|(customers, segments)| churn_by_segment(analysis, customers, segments))
            .unwrap_or_default();

        ClvReport {
            settings: settings.clone(),
            calibration_end_day: analysis.calibration_end_day,
            time_unit: settings.time_unit,
            scoring_model: model.name().to_string(),
            fits: analysis.fits.clone(),
            warnings: analysis.warnings.clone(),
            spend_correlation: analysis
                .gamma_gamma
                .as_ref()
                .and_then(|g| g.frequency_monetary_correlation()),
            kpis,
            probability_alive_matrix,
            expected_purchases_matrix,
            clv_histogram,
            top_customers,
            churn_by_segment,
        }
    }
}

fn churn_by_segment(
    analysis: &ClvAnalysis,
    customers: &[u32],
    segments: &[Segment],
) -> Vec<SegmentChurn> {
    let rows = analysis.rows_by_customer();
    let mut table: Vec<SegmentChurn> = Segment::ALL
        .iter()
        .map(|segment| SegmentChurn {
            segment: *segment,
            customers: [0; 3],
            clv: [0.0; 3],
        })
        .collect();
    for (customer, segment) in customers.iter().zip(segments) {
        let Some(row) = rows.get(*customer as usize).copied().flatten() else {
            continue;
        };
        let Some(risk) = analysis.scores.churn_risk.get(row) else {
            continue;
        };
        if let Some(entry) = table.get_mut(segment.index()) {
            entry.customers[risk.index()] += 1;
            if let Some(clv) = analysis.scores.clv.as_ref().and_then(|c| c.get(row)) {
                entry.clv[risk.index()] += clv;
            }
        }
    }
    table.retain(|s| s.customers.iter().sum::<u64>() > 0);
    table
}

impl ClvAnalysis {
    /// Summary row of each dataset customer index (`None` for customers without a calibration
    /// purchase).
    pub fn rows_by_customer(&self) -> Vec<Option<usize>> {
        let len = self
            .summary
            .customer
            .iter()
            .map(|c| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut rows = vec![None; len];
        for (row, customer) in self.summary.customer.iter().enumerate() {
            if let Some(slot) = rows.get_mut(*customer as usize) {
                *slot = Some(row);
            }
        }
        rows
    }

    /// Header of [`export_scores_csv`](ClvAnalysis::export_scores_csv); `{h}` is the user's horizon in days.
    pub fn scores_header(&self) -> Vec<String> {
        let unit = match self.settings.time_unit {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        };
        vec![
            "customer_id".to_string(),
            "frequency".to_string(),
            format!("recency_{unit}"),
            format!("t_{unit}"),
            "monetary_value".to_string(),
            "probability_alive".to_string(),
            "expected_purchases_30d".to_string(),
            "expected_purchases_90d".to_string(),
            "expected_purchases_365d".to_string(),
            format!("expected_purchases_{}d", self.settings.horizon_days),
            "expected_order_value".to_string(),
            format!("clv_{}m", self.settings.clv_horizon_months),
            format!("purchase_chance_{}d", self.settings.horizon_days),
            "churn_risk".to_string(),
            "next_purchase_date".to_string(),
        ]
    }

    /// Every scored customer as CSV, highest CLV first (then customer id), with the header of
    /// [`scores_header`](ClvAnalysis::scores_header). Probabilities and expectations have 4
    /// decimals, money 2; cells without a value (no spend model, no next date) are empty; the
    /// customer id is neutralised against formula injection.
    pub fn export_scores_csv(&self, dataset: &Dataset) -> String {
        let mut sink = CsvSink::new(self.summary.len());
        self.export_scores(dataset, &mut sink);
        sink.finish()
    }

    /// The rows of [`export_scores_csv`](Self::export_scores_csv) into any [`TableSink`];
    /// returns the rows written.
    pub fn export_scores(&self, dataset: &Dataset, sink: &mut dyn TableSink) -> u64 {
        let order = self.scores_order(dataset);
        self.export_score_rows(dataset, &order, true, sink)
    }

    /// The summary rows in the order of [`export_scores`](Self::export_scores): highest CLV
    /// first, then by customer id.
    pub fn scores_order(&self, dataset: &Dataset) -> Vec<usize> {
        let s = &self.summary;
        let c = &self.scores;
        let id = |i: usize| {
            s.customer
                .get(i)
                .map_or("", |c| dataset.customer_ids.get(*c))
        };
        let clv = |i: usize| {
            c.clv
                .as_ref()
                .and_then(|v| v.get(i))
                .copied()
                .unwrap_or(0.0)
        };
        // Sorted with each row's CLV beside it (the ties, by id, read the ids).
        let mut keyed: Vec<(f64, usize)> = (0..s.len()).map(|i| (clv(i), i)).collect();
        keyed
            .sort_unstable_by(|(va, a), (vb, b)| vb.total_cmp(va).then_with(|| id(*a).cmp(id(*b))));
        keyed.into_iter().map(|(_, i)| i).collect()
    }

    /// The summary rows `rows` (a part of [`scores_order`](Self::scores_order)) as
    /// [`export_scores`](Self::export_scores) writes them, after its header when `header`: the
    /// parts of the order written one after the other are its bytes (the CLI writes two parts at
    /// once). Returns the rows written.
    pub fn export_score_rows(
        &self,
        dataset: &Dataset,
        rows: &[usize],
        header: bool,
        sink: &mut dyn TableSink,
    ) -> u64 {
        let s = &self.summary;
        let id = |i: usize| {
            s.customer
                .get(i)
                .map_or("", |c| dataset.customer_ids.get(*c))
        };
        if header {
            let header = self.scores_header();
            sink.header(&header.iter().map(String::as_str).collect::<Vec<_>>());
        }
        self.write_score_rows(rows, &id, sink)
    }

    fn write_score_rows<'d>(
        &self,
        rows: &[usize],
        id: &dyn Fn(usize) -> &'d str,
        sink: &mut dyn TableSink,
    ) -> u64 {
        let s = &self.summary;
        let c = &self.scores;
        let optional = |v: Option<&Vec<f64>>, i: usize| v.and_then(|v| v.get(i)).copied();
        let columns: [&dyn Fn(usize) -> Option<f64>; 11] = [
            &|i| s.recency.get(i).copied(),
            &|i| s.age.get(i).copied(),
            &|i| s.monetary.get(i).copied(),
            &|i| c.probability_alive.get(i).copied(),
            &|i| c.expected_purchases_30_days.get(i).copied(),
            &|i| c.expected_purchases_90_days.get(i).copied(),
            &|i| c.expected_purchases_365_days.get(i).copied(),
            &|i| c.expected_purchases_horizon.get(i).copied(),
            &|i| optional(c.expected_order_value.as_ref(), i),
            &|i| optional(c.clv.as_ref(), i),
            &|i| c.purchase_chance_horizon.get(i).copied(),
        ];
        // Money columns (2 decimals); the others have 4.
        const MONEY: [usize; 3] = [2, 8, 9];
        // The rows go out in CLV order, which reads every column at random: a block of rows'
        // cells is gathered first, column by column (many reads in flight), then written.
        const BLOCK: usize = 2048;
        let mut cells: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(BLOCK); columns.len()];
        let mut ids: Vec<&str> = Vec::with_capacity(BLOCK);
        let mut frequencies: Vec<i64> = Vec::with_capacity(BLOCK);
        let mut risks: Vec<&str> = Vec::with_capacity(BLOCK);
        let mut next_days: Vec<Option<Day>> = Vec::with_capacity(BLOCK);
        for block in rows.chunks(BLOCK) {
            for (column, cell) in columns.iter().zip(cells.iter_mut()) {
                cell.clear();
                cell.extend(block.iter().map(|&i| column(i)));
            }
            ids.clear();
            ids.extend(block.iter().map(|&i| id(i)));
            frequencies.clear();
            frequencies.extend(
                block
                    .iter()
                    .map(|&i| s.frequency.get(i).copied().unwrap_or(0.0) as i64),
            );
            risks.clear();
            risks.extend(
                block
                    .iter()
                    .map(|&i| c.churn_risk.get(i).map_or("", |r| r.name())),
            );
            next_days.clear();
            next_days.extend(
                block
                    .iter()
                    .map(|&i| c.next_purchase_day.get(i).copied().flatten()),
            );
            for k in 0..block.len() {
                sink.text(ids.get(k).copied().unwrap_or(""));
                sink.integer(frequencies.get(k).copied().unwrap_or(0));
                for (j, cell) in cells.iter().enumerate() {
                    match cell.get(k).copied().flatten() {
                        Some(v) if MONEY.contains(&j) => sink.money(v),
                        Some(v) => sink.number(v, 4),
                        None => sink.empty(),
                    }
                }
                sink.text(risks.get(k).copied().unwrap_or(""));
                match next_days.get(k).copied().flatten() {
                    Some(day) => sink.day(day),
                    None => sink.empty(),
                }
                sink.end_row();
            }
        }
        rows.len() as u64
    }
}
