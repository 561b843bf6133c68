//! Calibration and holdout: fit on the purchases up to a split day, predict the holdout period,
//! and compare with what happened (by calibration frequency, and cumulatively over time), the way
//! Fader, Hardie and Lee validate BG/NBD on CDNOW.

use serde::{Deserialize, Serialize};

use super::analysis::{data_span, fit_models};
use super::summary::purchase_days;
use super::{ClvError, ClvWarning, CustomerSummary, ModelFit, PurchaseModel, TimeUnit};
use crate::{Dataset, Day};

/// Highest calibration frequency with its own bucket; the last bucket is "this many or more".
pub const FREQUENCY_BUCKETS: u32 = 7;

/// Most points of the cumulative curve.
const MAX_CUMULATIVE_POINTS: i32 = 200;

/// Customers with the same calibration frequency (the last bucket holds 7 or more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyBucket {
    /// Repeat purchases in the calibration period (0..=7; 7 means 7 or more).
    pub calibration_frequency: u32,
    /// Customers in the bucket.
    pub customers: u64,
    /// Mean purchases per customer in the holdout period, as happened.
    pub actual_mean: f64,
    /// Mean predicted purchases per customer, one per model in [`HoldoutComparison::models`].
    pub predicted_mean: Vec<f64>,
}

/// Cumulative repeat purchases of the calibration customers up to a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CumulativePoint {
    /// The day (days since 1970-01-01).
    pub day: Day,
    /// Repeat purchases up to and including the day, as happened.
    pub actual: f64,
    /// As each model expects, in [`HoldoutComparison::models`] order.
    pub predicted: Vec<f64>,
}

/// The validation the page shows and the CLI prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutComparison {
    /// Last day of the calibration period.
    pub calibration_end_day: Day,
    /// Last day of the holdout period.
    pub holdout_end_day: Day,
    /// Unit of the fitted parameters.
    pub time_unit: TimeUnit,
    /// Customers with a purchase in the calibration period.
    pub calibration_customers: usize,
    /// Of those, customers with a repeat purchase.
    pub calibration_repeat_customers: usize,
    /// Names of the purchase models compared (BG/NBD first).
    pub models: Vec<String>,
    /// The calibration fits (purchase models and Gamma-Gamma).
    pub fits: Vec<ModelFit>,
    /// Predicted versus actual holdout purchases by calibration frequency.
    pub by_frequency: Vec<FrequencyBucket>,
    /// Cumulative repeat purchases over time, predicted versus actual.
    pub cumulative: Vec<CumulativePoint>,
    /// Holdout purchases of the calibration customers, as happened.
    pub actual_holdout_purchases: f64,
    /// Holdout purchases predicted by each model.
    pub predicted_holdout_purchases: Vec<f64>,
    /// Mean absolute error per customer of each model's holdout prediction.
    pub mean_absolute_error: Vec<f64>,
    /// Mean absolute error per bucket of the frequency comparison (each bucket weighted equally),
    /// for each model.
    pub bucket_mean_absolute_error: Vec<f64>,
    /// What went partly wrong in the calibration fits.
    pub warnings: Vec<ClvWarning>,
}

impl HoldoutComparison {
    /// Fits the models on the data up to `calibration_end_day` and compares their predictions with
    /// the purchases in `(calibration_end_day, holdout_end_day]` (`None` = the last day of data).
    pub fn run(
        dataset: &Dataset,
        calibration_end_day: Day,
        holdout_end_day: Option<Day>,
        time_unit: TimeUnit,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClvError> {
        let (first_day, last_day) = data_span(dataset)?;
        if calibration_end_day <= first_day || calibration_end_day >= last_day {
            return Err(ClvError::CalibrationEndOutsideData {
                calibration_end_day,
                first_day,
                last_day: last_day - 1,
            });
        }
        let holdout_end_day = holdout_end_day.unwrap_or(last_day);
        if holdout_end_day <= calibration_end_day {
            return Err(ClvError::HoldoutEndBeforeCalibrationEnd {
                holdout_end_day,
                calibration_end_day,
            });
        }
        let summary = CustomerSummary::from_dataset(dataset, calibration_end_day, time_unit);
        let (bg_nbd, pareto_nbd, _, fits, warnings) = fit_models(&summary, now_ms)?;
        let mut models: Vec<&dyn PurchaseModel> = Vec::new();
        if let Some(bg) = &bg_nbd {
            models.push(bg);
        }
        if let Some(pareto) = &pareto_nbd {
            models.push(pareto);
        }
        let unit = time_unit.days_per_unit();
        let holdout_length = f64::from(holdout_end_day - calibration_end_day) / unit;

        // Actual purchases per customer index: calibration repeats by day, holdout counts.
        let days = purchase_days(dataset, holdout_end_day);
        let customers = dataset.customer_ids.len().max(
            summary
                .customer
                .iter()
                .map(|c| *c as usize + 1)
                .max()
                .unwrap_or(0),
        );
        let mut in_calibration = vec![false; customers];
        for c in &summary.customer {
            if let Some(flag) = in_calibration.get_mut(*c as usize) {
                *flag = true;
            }
        }
        let mut holdout_count = vec![0.0_f64; customers];
        // Repeat purchase days of calibration customers (first purchase excluded).
        let mut repeat_days: Vec<Day> = Vec::new();
        let mut previous_customer = None;
        for &(customer, day, _) in &days {
            let first_of_customer = previous_customer != Some(customer);
            previous_customer = Some(customer);
            if !in_calibration
                .get(customer as usize)
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            if !first_of_customer {
                repeat_days.push(day);
            }
            if day > calibration_end_day {
                if let Some(count) = holdout_count.get_mut(customer as usize) {
                    *count += 1.0;
                }
            }
        }
        repeat_days.sort_unstable();

        // Predictions per customer and the frequency buckets.
        let bucket_count = FREQUENCY_BUCKETS as usize + 1;
        let mut bucket_customers = vec![0u64; bucket_count];
        let mut bucket_actual = vec![0.0; bucket_count];
        let mut bucket_predicted = vec![vec![0.0; bucket_count]; models.len()];
        let mut absolute_error = vec![0.0; models.len()];
        let mut predicted_total = vec![0.0; models.len()];
        let mut actual_total = 0.0;
        for row in 0..summary.len() {
            let (Some(&customer), Some(&x), Some(&recency), Some(&age)) = (
                summary.customer.get(row),
                summary.frequency.get(row),
                summary.recency.get(row),
                summary.age.get(row),
            ) else {
                continue;
            };
            let actual = holdout_count.get(customer as usize).copied().unwrap_or(0.0);
            let bucket = (x as usize).min(FREQUENCY_BUCKETS as usize);
            bucket_customers[bucket] += 1;
            bucket_actual[bucket] += actual;
            actual_total += actual;
            for (m, model) in models.iter().enumerate() {
                let predicted = model.expected_purchases(holdout_length, x, recency, age)?;
                bucket_predicted[m][bucket] += predicted;
                predicted_total[m] += predicted;
                absolute_error[m] += (predicted - actual).abs();
            }
        }
        let n = summary.len().max(1) as f64;
        let by_frequency: Vec<FrequencyBucket> = (0..bucket_count)
            .filter(|b| bucket_customers[*b] > 0)
            .map(|b| {
                let count = bucket_customers[b] as f64;
                FrequencyBucket {
                    calibration_frequency: b as u32,
                    customers: bucket_customers[b],
                    actual_mean: bucket_actual[b] / count,
                    predicted_mean: bucket_predicted.iter().map(|p| p[b] / count).collect(),
                }
            })
            .collect();
        let bucket_mean_absolute_error = (0..models.len())
            .map(|m| {
                by_frequency
                    .iter()
                    .map(|b| (b.predicted_mean[m] - b.actual_mean).abs())
                    .sum::<f64>()
                    / by_frequency.len().max(1) as f64
            })
            .collect();

        let cumulative = cumulative_curve(
            &summary,
            &models,
            &repeat_days,
            calibration_end_day,
            holdout_end_day,
            unit,
        );
        Ok(HoldoutComparison {
            calibration_end_day,
            holdout_end_day,
            time_unit,
            calibration_customers: summary.len(),
            calibration_repeat_customers: summary.frequency.iter().filter(|x| **x > 0.0).count(),
            models: models.iter().map(|m| m.name().to_string()).collect(),
            fits,
            by_frequency,
            cumulative,
            actual_holdout_purchases: actual_total,
            predicted_holdout_purchases: predicted_total,
            mean_absolute_error: absolute_error.iter().map(|e| e / n).collect(),
            bucket_mean_absolute_error,
            warnings,
        })
    }
}

/// Cumulative repeat purchases from the first purchase day of the calibration customers to the
/// holdout end, at most [`MAX_CUMULATIVE_POINTS`] evenly spaced days (the calibration end is always
/// one of them). Predicted: `Σ_i E[X(day − first_i)]` of each model, grouped by first purchase day
/// so each distinct lag is evaluated once.
fn cumulative_curve(
    summary: &CustomerSummary,
    models: &[&dyn PurchaseModel],
    repeat_days: &[Day],
    calibration_end_day: Day,
    holdout_end_day: Day,
    days_per_unit: f64,
) -> Vec<CumulativePoint> {
    // Customers per first purchase day.
    let mut first_days: Vec<Day> = summary
        .age
        .iter()
        .map(|age| calibration_end_day - (age * days_per_unit).round() as Day)
        .collect();
    first_days.sort_unstable();
    let mut cohorts: Vec<(Day, f64)> = Vec::new();
    for day in first_days {
        match cohorts.last_mut() {
            Some(last) if last.0 == day => last.1 += 1.0,
            _ => cohorts.push((day, 1.0)),
        }
    }
    let Some(&(start, _)) = cohorts.first() else {
        return Vec::new();
    };
    let span = holdout_end_day - start;
    let step = (span / MAX_CUMULATIVE_POINTS + 1).max(1);
    let mut points_days: Vec<Day> = (0..)
        .map(|k| start + k * step)
        .take_while(|d| *d < holdout_end_day)
        .collect();
    points_days.push(holdout_end_day);
    points_days.push(calibration_end_day);
    points_days.sort_unstable();
    points_days.dedup();

    // E[X(lag)] of each model for every lag in days 0..=span.
    let max_lag = usize::try_from(span).unwrap_or(0);
    let by_lag: Vec<Vec<f64>> = models
        .iter()
        .map(|model| {
            (0..=max_lag)
                .map(|lag| model.expected_purchases_new_customer(lag as f64 / days_per_unit))
                .collect()
        })
        .collect();
    points_days
        .iter()
        .map(|&day| {
            let actual = repeat_days.partition_point(|d| *d <= day) as f64;
            let predicted = by_lag
                .iter()
                .map(|lags| {
                    cohorts
                        .iter()
                        .take_while(|(first, _)| *first <= day)
                        .map(|(first, count)| {
                            let lag = usize::try_from(day - first).unwrap_or(0);
                            count * lags.get(lag).copied().unwrap_or(0.0)
                        })
                        .sum()
                })
                .collect();
            CumulativePoint {
                day,
                actual,
                predicted,
            }
        })
        .collect()
}
