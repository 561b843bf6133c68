//! What the page and the CLI show of a forecast run (chart-ready, bounded, only finite numbers),
//! and its export.

use serde::{Deserialize, Serialize};

use super::{Backtest, ForecastAnalysis, ForecastParams, SeriesForecast, SeriesKind};
use crate::table_out::TableSink;

/// One history point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// The period (`2024-03`, or a week's Monday `2024-03-04`).
    pub label: String,
    /// Revenue (currency units) or orders.
    pub value: f64,
}

/// One forecast point (series units). The intervals are the model's, not clipped at 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    /// The period.
    pub label: String,
    /// Point forecast.
    pub mean: f64,
    /// 80 % interval, lower end.
    pub lo80: f64,
    /// 80 % interval, upper end.
    pub hi80: f64,
    /// 95 % interval, lower end.
    pub lo95: f64,
    /// 95 % interval, upper end.
    pub hi95: f64,
}

/// One series for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesReport {
    /// Which series.
    pub kind: SeriesKind,
    /// Complete periods, oldest first (at most [`super::MAX_HISTORY`]).
    pub history: Vec<HistoryPoint>,
    /// The next `horizon` periods (at most [`super::MAX_HORIZON`]).
    pub forecast: Vec<ForecastPoint>,
    /// The chosen model, e.g. `ETS(M,Ad,M)`, or `MSTL(52) + ETS(A,Ad,N)` for a weekly series
    /// decomposed by MSTL (then the AICc and parameters below are the ETS part's, fitted to the
    /// seasonally adjusted series).
    pub model: String,
    /// Its AICc.
    pub aicc: f64,
    /// For the weekly series that weighed MSTL: the season strength of its decomposition
    /// (`max(0, 1 − var(remainder)/var(seasonal + remainder))`), whichever model was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season_strength: Option<f64>,
    /// Its smoothing parameters α, β, γ and damping φ (β = γ = 0 and φ = 1 when absent).
    pub alpha: f64,
    /// β.
    pub beta: f64,
    /// γ.
    pub gamma: f64,
    /// φ.
    pub phi: f64,
    /// The backtest; `None` when the history is too short for an origin.
    pub backtest: Option<Backtest>,
}

/// A forecast run for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastReport {
    /// Settings used.
    pub params: ForecastParams,
    /// Season length used (1: none).
    pub season: u32,
    /// The as-of day's partial period, left out of the fit.
    pub partial_period: Option<String>,
    /// Purchase orders older than the history kept.
    pub older_orders: u64,
    /// Revenue.
    pub revenue: SeriesReport,
    /// Orders.
    pub orders: SeriesReport,
    /// When predictions have run: the BG/NBD expectation of the existing customers' repeat
    /// purchases in each forecast period (from the predictions' as-of day; see
    /// [`super::existing`]), beside the orders forecast. `None` without predictions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_customer_orders: Option<Vec<f64>>,
}

/// `v` when finite, else 0 (the analysis only keeps finite fits; this is the last guard so that
/// no NaN or infinity is ever serialized).
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

fn finite_option(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

impl ForecastAnalysis {
    fn series_report(&self, s: &SeriesForecast) -> SeriesReport {
        let n = s.history.len();
        let p = &s.fit.params;
        SeriesReport {
            kind: s.kind,
            history: s
                .history
                .iter()
                .enumerate()
                .map(|(i, &value)| HistoryPoint {
                    label: self.label(i),
                    value: finite(value),
                })
                .collect(),
            forecast: s
                .forecast
                .iter()
                .enumerate()
                .map(|(h, f)| ForecastPoint {
                    label: self.label(n + h),
                    // Revenue and orders are never negative: a model's mean or interval below 0
                    // (an additive error or a falling trend) is shown at 0.
                    mean: finite(f.mean).max(0.0),
                    lo80: finite(f.lo80).max(0.0),
                    hi80: finite(f.hi80).max(0.0),
                    lo95: finite(f.lo95).max(0.0),
                    hi95: finite(f.hi95).max(0.0),
                })
                .collect(),
            model: s.model_name(),
            aicc: finite(s.aicc),
            season_strength: s.mstl.as_ref().map(|c| finite(c.strength)),
            alpha: finite(p.alpha),
            beta: finite(p.beta),
            gamma: finite(p.gamma),
            phi: finite(p.phi),
            backtest: s.backtest.map(|b| Backtest {
                model_mape: finite_option(b.model_mape),
                model_mase: finite_option(b.model_mase),
                naive_mape: finite_option(b.naive_mape),
                naive_mase: finite_option(b.naive_mase),
                ..b
            }),
        }
    }

    /// The report.
    pub fn report(&self) -> ForecastReport {
        ForecastReport {
            params: self.params,
            season: self.season,
            partial_period: self.partial_period.clone(),
            older_orders: self.older_orders,
            revenue: self.series_report(&self.revenue),
            orders: self.series_report(&self.orders),
            existing_customer_orders: None,
        }
    }

    /// Rows written by [`Self::export`]: history periods + horizon.
    pub fn export_rows(&self) -> u64 {
        (self.revenue.history.len() + self.revenue.forecast.len()) as u64
    }

    /// One row per period, history then forecast: `period, kind` (`history` or `forecast`),
    /// then for `revenue` and `orders` each: the value (the actual, or the point forecast) and
    /// `_lo80, _hi80, _lo95, _hi95` (empty on history rows). Returns the rows written.
    pub fn export(&self, sink: &mut dyn TableSink) -> u64 {
        sink.header(&[
            "period",
            "kind",
            "revenue",
            "revenue_lo80",
            "revenue_hi80",
            "revenue_lo95",
            "revenue_hi95",
            "orders",
            "orders_lo80",
            "orders_hi80",
            "orders_lo95",
            "orders_hi95",
        ]);
        let mut rows = 0;
        let n = self.revenue.history.len();
        for i in 0..n {
            sink.text(&self.label(i));
            sink.text("history");
            for s in [&self.revenue, &self.orders] {
                let v = s.history.get(i).copied().unwrap_or(f64::NAN);
                match s.kind {
                    SeriesKind::Revenue => sink.money(v),
                    SeriesKind::Orders => sink.integer(v as i64),
                }
                for _ in 0..4 {
                    sink.empty();
                }
            }
            sink.end_row();
            rows += 1;
        }
        for h in 0..self.revenue.forecast.len() {
            sink.text(&self.label(n + h));
            sink.text("forecast");
            for s in [&self.revenue, &self.orders] {
                match s.forecast.get(h) {
                    Some(f) => {
                        let cell = |sink: &mut dyn TableSink, v: f64| match s.kind {
                            SeriesKind::Revenue => sink.money(v),
                            SeriesKind::Orders => sink.number(v, 1),
                        };
                        // Never below 0, as in the report.
                        for v in [f.mean, f.lo80, f.hi80, f.lo95, f.hi95] {
                            cell(sink, finite(v).max(0.0));
                        }
                    }
                    None => {
                        for _ in 0..5 {
                            sink.empty();
                        }
                    }
                }
            }
            sink.end_row();
            rows += 1;
        }
        rows
    }
}
