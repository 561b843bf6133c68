//! Transforms fitted on the base and re-applied to new data.
//!
//! - **Numeric** columns: missing values (NaN) are imputed with the base median
//!   ([`ClusterWarning::Imputed`]). When the sample skewness (the adjusted Fisher-Pearson
//!   coefficient G1, as pandas' `skew`) of the observed values is above [`LOG_SKEWNESS`] and the
//!   column has at least 3 distinct values, `ln(1 + x − min)` is taken (min = base minimum;
//!   values below it on new data are clamped to it). Then the column is standardised with the
//!   population standard deviation (as scikit-learn's `StandardScaler`).
//! - **Categorical** columns: one 0/1 column per level, **not rescaled**. A 0/1 column has a
//!   natural unit (a customer who differs in one level is at squared distance 2 from one who does
//!   not); standardising would divide a rare level by its small standard deviation and let it
//!   dominate the distances. Missing values leave the row all-zero.
//! - Constant columns (one distinct value, or a level everybody or nobody has) are dropped
//!   ([`ClusterWarning::ConstantFeatureDropped`]); when all are, the fit fails with
//!   [`ClusterError::AllFeaturesConstant`].

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::features::FeatureLevels;
use super::{
    ClusterError, ClusterWarning, FeatureInfo, FeatureTable, FeatureValues, TransformKind,
    Unavailable,
};

/// Skewness above which a numeric column is logged.
pub const LOG_SKEWNESS: f64 = 1.0;

/// How to recompute one output column from a raw column (serialised with the model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnParams {
    /// Label of the raw column it reads ([`super::FeatureColumn::label`]).
    pub source: String,
    /// For one-hot columns: the level.
    pub level: Option<String>,
    /// Value that replaces a missing one (the base median; numeric columns).
    pub impute_value: f64,
    /// For logged columns: the base minimum subtracted before `ln(1 + x)`.
    pub log_min: Option<f64>,
    /// Mean subtracted (after the log), 0 for one-hot.
    pub mean: f64,
    /// Standard deviation divided by (population), 1 for one-hot.
    pub sd: f64,
}

/// The fitted transforms of every input column (serialised in the saved segmentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedTransform {
    /// One per output column, in matrix column order.
    pub columns: Vec<FeatureInfo>,
    /// How to recompute each output column (same order as `columns`).
    pub params: Vec<ColumnParams>,
    /// Category products and levels of the base, so new data gets the same columns.
    pub levels: FeatureLevels,
}

/// Moments of the observed values of a numeric column.
struct Observed {
    mean: f64,
    median: f64,
    min: f64,
    skewness: f64,
    distinct_at_least_3: bool,
    constant: bool,
    missing: u64,
}

fn observe(values: &[f64]) -> Option<Observed> {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let n = finite.len() as f64;
    let mean = finite.iter().sum::<f64>() / n;
    let (mut m2, mut m3) = (0.0, 0.0);
    for v in &finite {
        let d = v - mean;
        m2 += d * d;
        m3 += d * d * d;
    }
    m2 /= n;
    m3 /= n;
    let count = finite.len();
    let skewness = if count >= 3 && m2 > 0.0 {
        let g1 = m3 / m2.powf(1.5);
        g1 * (n * (n - 1.0)).sqrt() / (n - 2.0)
    } else {
        0.0
    };
    // Min, max and "at least 3 distinct values" in one scan; the median by selection (O(n)).
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut seen: [Option<f64>; 2] = [None, None];
    let mut distinct_at_least_3 = false;
    for v in &finite {
        min = min.min(*v);
        max = max.max(*v);
        if !distinct_at_least_3 {
            match seen {
                [None, _] => seen[0] = Some(*v),
                [Some(a), None] if a != *v => seen[1] = Some(*v),
                [Some(a), Some(b)] if a != *v && b != *v => distinct_at_least_3 = true,
                _ => {}
            }
        }
    }
    let median = median_of(&mut finite).unwrap_or(mean);
    Some(Observed {
        mean,
        median,
        min,
        skewness,
        distinct_at_least_3,
        constant: min == max,
        missing: (values.len() - count) as u64,
    })
}

/// The median (mean of the two middle values for an even count, as
/// [`crate::stats::quantile_sorted`]
/// at 0.5), by selection. Reorders `values`.
fn median_of(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (below, middle, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *middle;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = below.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(lower + (upper - lower) / 2.0)
}

/// Transformed value of raw `x` before standardising.
fn pre(x: f64, impute_value: f64, log_min: Option<f64>) -> f64 {
    let x = if x.is_nan() { impute_value } else { x };
    match log_min {
        Some(min) => (x - min).max(0.0).ln_1p(),
        None => x,
    }
}

impl FittedTransform {
    /// Fits on `table`: log for skewed numeric columns, standardise, one-hot (see the module
    /// documentation for the rules).
    pub fn fit(table: &FeatureTable) -> Result<(Self, Vec<ClusterWarning>), ClusterError> {
        let mut fitted = Self {
            columns: Vec::new(),
            params: Vec::new(),
            levels: table.levels.clone(),
        };
        let mut warnings = Vec::new();
        let mut dropped: Vec<String> = Vec::new();
        let rows = table.customers.len();
        for column in &table.columns {
            match &column.values {
                FeatureValues::Numeric(values) => {
                    if let Some(row) = values.iter().position(|v| v.is_infinite()) {
                        return Err(ClusterError::NonFiniteFeature {
                            feature: column.label.clone(),
                            customer_id: format!("#{}", table.customers.get(row).unwrap_or(&0)),
                        });
                    }
                    let Some(o) = observe(values) else {
                        warnings.push(ClusterWarning::ConstantFeatureDropped {
                            label: column.label.clone(),
                        });
                        dropped.push(column.label.clone());
                        continue;
                    };
                    // Imputed values sit at the median, so a column observed constant stays so.
                    if o.constant {
                        warnings.push(ClusterWarning::ConstantFeatureDropped {
                            label: column.label.clone(),
                        });
                        dropped.push(column.label.clone());
                        continue;
                    }
                    let log_min =
                        (o.skewness > LOG_SKEWNESS && o.distinct_at_least_3).then_some(o.min);
                    let n = rows.max(1) as f64;
                    let mean = values
                        .iter()
                        .map(|x| pre(*x, o.median, log_min))
                        .sum::<f64>()
                        / n;
                    let variance = values
                        .iter()
                        .map(|x| (pre(*x, o.median, log_min) - mean).powi(2))
                        .sum::<f64>()
                        / n;
                    let sd = variance.sqrt();
                    if sd.is_nan() || sd <= 1e-12 * mean.abs().max(1.0) {
                        warnings.push(ClusterWarning::ConstantFeatureDropped {
                            label: column.label.clone(),
                        });
                        dropped.push(column.label.clone());
                        continue;
                    }
                    if o.missing > 0 {
                        warnings.push(ClusterWarning::Imputed {
                            label: column.label.clone(),
                            count: o.missing,
                        });
                    }
                    fitted.columns.push(FeatureInfo {
                        key: column.key.clone(),
                        label: column.label.clone(),
                        transform: if log_min.is_some() {
                            TransformKind::LogStandardise
                        } else {
                            TransformKind::Standardise
                        },
                        skewness: Some(o.skewness),
                        raw_mean: o.mean,
                        raw_median: Some(o.median),
                        imputed: o.missing,
                    });
                    fitted.params.push(ColumnParams {
                        source: column.label.clone(),
                        level: None,
                        impute_value: o.median,
                        log_min,
                        mean,
                        sd,
                    });
                }
                FeatureValues::Categorical { levels, codes } => {
                    let mut counts = vec![0u64; levels.len()];
                    for code in codes.iter().flatten() {
                        if let Some(c) = counts.get_mut(*code as usize) {
                            *c += 1;
                        }
                    }
                    let missing = codes.iter().filter(|c| c.is_none()).count() as u64;
                    if missing > 0 {
                        warnings.push(ClusterWarning::Imputed {
                            label: column.label.clone(),
                            count: missing,
                        });
                    }
                    for (level, count) in levels.iter().zip(&counts) {
                        let label = format!("{}={level}", column.label);
                        if *count == 0 || *count == rows as u64 {
                            warnings.push(ClusterWarning::ConstantFeatureDropped {
                                label: label.clone(),
                            });
                            dropped.push(label);
                            continue;
                        }
                        fitted.columns.push(FeatureInfo {
                            key: column.key.clone(),
                            label,
                            transform: TransformKind::OneHot,
                            skewness: None,
                            raw_mean: *count as f64 / rows.max(1) as f64,
                            raw_median: None,
                            imputed: missing,
                        });
                        fitted.params.push(ColumnParams {
                            source: column.label.clone(),
                            level: Some(level.clone()),
                            impute_value: 0.0,
                            log_min: None,
                            mean: 0.0,
                            sd: 1.0,
                        });
                    }
                }
            }
        }
        if fitted.columns.is_empty() {
            return Err(ClusterError::AllFeaturesConstant {
                names: dropped.join(", "),
            });
        }
        Ok((fitted, warnings))
    }

    /// The transformed matrix (rows = `table.customers`). Unknown levels give all-zero one-hot
    /// parts; a raw column the table lacks fails with [`ClusterError::ModelFeatureUnavailable`].
    pub fn apply(&self, table: &FeatureTable) -> Result<Array2<f64>, ClusterError> {
        let rows = table.customers.len();
        let mut x = Array2::<f64>::zeros((rows, self.params.len()));
        for (j, p) in self.params.iter().enumerate() {
            let column =
                table
                    .column(&p.source)
                    .ok_or_else(|| ClusterError::ModelFeatureUnavailable {
                        feature: p.source.clone(),
                        reason: Unavailable::MissingColumn,
                    })?;
            let mut out = x.column_mut(j);
            match (&column.values, &p.level) {
                (FeatureValues::Numeric(values), None) => {
                    for (slot, v) in out.iter_mut().zip(values) {
                        *slot = (pre(*v, p.impute_value, p.log_min) - p.mean) / p.sd;
                    }
                }
                (FeatureValues::Categorical { levels, codes }, Some(level)) => {
                    let Some(code) = levels.iter().position(|l| l == level) else {
                        continue; // unknown level here: all zero
                    };
                    for (slot, c) in out.iter_mut().zip(codes) {
                        *slot = if *c == Some(code as u32) { 1.0 } else { 0.0 };
                    }
                }
                _ => {
                    return Err(ClusterError::ModelFeatureUnavailable {
                        feature: p.source.clone(),
                        reason: Unavailable::ColumnTypeChanged,
                    })
                }
            }
        }
        // `x` is in standard (row-major) layout, so a flat position is `row × width + column`.
        let width = self.params.len().max(1);
        if let Some((row, j)) = x
            .iter()
            .position(|v| !v.is_finite())
            .map(|at| (at / width, at % width))
        {
            return Err(ClusterError::NonFiniteFeature {
                feature: self
                    .columns
                    .get(j)
                    .map_or_else(String::new, |c| c.label.clone()),
                customer_id: format!("#{}", table.customers.get(row).unwrap_or(&0)),
            });
        }
        Ok(x)
    }

    /// Output columns.
    pub fn width(&self) -> usize {
        self.columns.len()
    }
}
