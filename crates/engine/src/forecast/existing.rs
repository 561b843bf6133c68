//! The existing customers' expected orders over the forecast's periods, from the BG/NBD model of
//! the predictions: the "bottom-up" figure shown beside the ETS forecast of all orders (which also
//! holds customers not acquired yet).
//!
//! For forecast period `k` ending on day `e_k` (inclusive), the expectation is
//! `Σ_customers E[X(e_k − as_of)] − E[X(e_{k−1} − as_of)]`: each customer's expected repeat
//! purchases (BG/NBD counts purchase days) between the predictions' as-of day and the period's
//! end, differenced. A period that ends before the as-of day expects 0.

use super::ForecastAnalysis;
use crate::clv::ClvAnalysis;

/// Expected repeat purchases of the customers the predictions scored, per forecast period of
/// `forecast`; `None` without a BG/NBD fit.
pub fn existing_customer_orders(
    forecast: &ForecastAnalysis,
    clv: &ClvAnalysis,
) -> Option<Vec<f64>> {
    let model = clv.bg_nbd.as_ref()?;
    let s = &clv.summary;
    let unit = s.time_unit.days_per_unit();
    let period = forecast.params.period;
    let first = forecast.first_period + i64::from(forecast.periods);
    let mut cumulative = Vec::with_capacity(forecast.params.horizon as usize);
    for k in 0..i64::from(forecast.params.horizon) {
        // Days from the as-of day to the period's last day.
        let end = period.start_day(first + k + 1)? - 1;
        let days = f64::from((end - clv.calibration_end_day).max(0));
        let mut total = 0.0;
        if days > 0.0 {
            for i in 0..s.customer.len() {
                total += model
                    .expected_purchases(days / unit, s.frequency[i], s.recency[i], s.age[i])
                    .unwrap_or(0.0);
            }
        }
        cumulative.push(total);
    }
    let mut previous = 0.0;
    Some(
        cumulative
            .into_iter()
            .map(|c| {
                let v = (c - previous).max(0.0);
                previous = c;
                if v.is_finite() {
                    v
                } else {
                    0.0
                }
            })
            .collect(),
    )
}
