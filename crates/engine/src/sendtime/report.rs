//! What the page and the CLI show of a send-timing run, and its export.

use serde::{Deserialize, Serialize};

use super::{weekday_key, PriorFit, SendTimeAnalysis, SendTimeParams, HOURS, WEEKDAYS};
use crate::rfm::Segment;
use crate::table_out::TableSink;
use crate::Dataset;

/// One RFM segment's heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentGrid {
    /// The segment.
    pub segment: Segment,
    /// Its scored customers.
    pub customers: u64,
    /// The orders in its grid (timed purchase orders with times, all purchase orders without).
    pub orders: u64,
    /// 7 rows (Monday first) × [`SendTimeReport::columns`]: shares of `orders` (all zero when
    /// it is 0).
    pub grid: Vec<Vec<f64>>,
}

/// One dimension (weekdays or hours) of the shrinkage, over the customers with a row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionSummary {
    /// The prior (κ, in orders, and where it came from).
    pub prior: PriorFit,
    /// Customers whose best cell is each weekday (7) or hour (24).
    pub best_customers: Vec<u64>,
    /// Customers whose own orders weigh at least as much as the store's profile (`N ≥ κ`).
    pub mostly_own: u64,
    /// The others (`N < κ`): mostly the store's profile.
    pub mostly_store: u64,
    /// Mean confidence in the best cell, in [0, 1]; `None` without customers.
    pub mean_confidence: Option<f64>,
}

/// A send-timing run for the page: bounded (at most 12 heatmaps of 7 × 24), chart-ready, every
/// number finite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendTimeReport {
    /// Settings used.
    pub params: SendTimeParams,
    /// Whether the file carries times of day; without, weekdays only (`columns` 1, `hour` None).
    pub has_times: bool,
    /// Heatmap columns: 24 hours, or 1 without times.
    pub columns: u8,
    /// Customers with a row (at least `min_orders` purchase orders).
    pub customers: u64,
    /// Purchase orders of all scored customers.
    pub orders: u64,
    /// Those with a time of day.
    pub timed_orders: u64,
    /// The store's heatmap: 7 rows (Monday first) × `columns`, shares of its orders (timed
    /// orders with times, all orders without).
    pub grid: Vec<Vec<f64>>,
    /// The store's weekday profile: shares of all purchase orders, Monday first (7).
    pub weekday_shares: Vec<f64>,
    /// The store's hour profile: shares of timed orders, hour 0 first (24; empty without times).
    pub hour_shares: Vec<f64>,
    /// The heatmaps of the RFM segments present, in [`Segment::ALL`] order (best first).
    pub segments: Vec<SegmentGrid>,
    /// The weekday shrinkage.
    pub weekday: DimensionSummary,
    /// The hour shrinkage (`None` without times).
    pub hour: Option<DimensionSummary>,
}

/// Counts as shares of their sum (zeros when the sum is 0).
fn shares(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            if total > 0 {
                c as f64 / total as f64
            } else {
                0.0
            }
        })
        .collect()
}

/// A weekday-major grid of counts as 7 rows of shares of the whole.
fn grid_rows(counts: &[u64], columns: usize) -> Vec<Vec<f64>> {
    let flat = shares(counts);
    flat.chunks(columns.max(1)).map(<[f64]>::to_vec).collect()
}

impl SendTimeAnalysis {
    /// The report.
    pub fn report(&self) -> SendTimeReport {
        let columns = self.columns();
        let mean = |values: &mut dyn Iterator<Item = f64>| {
            let (sum, n) = values.fold((0.0, 0u64), |(s, n), v| (s + v, n + 1));
            (n > 0).then(|| sum / n as f64).filter(|m| m.is_finite())
        };
        let mut weekday_best = vec![0u64; WEEKDAYS];
        let (mut own, mut store) = (0u64, 0u64);
        for c in &self.customers {
            if let Some(n) = weekday_best.get_mut(usize::from(c.best_weekday)) {
                *n += 1;
            }
            if c.weekday_own_weight >= 0.5 {
                own += 1;
            } else {
                store += 1;
            }
        }
        let weekday = DimensionSummary {
            prior: self.weekday_prior,
            best_customers: weekday_best,
            mostly_own: own,
            mostly_store: store,
            mean_confidence: mean(&mut self.customers.iter().map(|c| c.weekday_confidence)),
        };
        let hour = self.hour_prior.map(|prior| {
            let mut best = vec![0u64; HOURS];
            let (mut own, mut store) = (0u64, 0u64);
            for c in &self.customers {
                if let Some(n) = c.best_hour.and_then(|h| best.get_mut(usize::from(h))) {
                    *n += 1;
                }
                if c.hour_own_weight.unwrap_or(0.0) >= 0.5 {
                    own += 1;
                } else {
                    store += 1;
                }
            }
            DimensionSummary {
                prior,
                best_customers: best,
                mostly_own: own,
                mostly_store: store,
                mean_confidence: mean(&mut self.customers.iter().filter_map(|c| c.hour_confidence)),
            }
        });
        SendTimeReport {
            params: self.params,
            has_times: self.has_times,
            columns: columns as u8,
            customers: self.customers.len() as u64,
            orders: self.orders,
            timed_orders: self.timed_orders,
            grid: grid_rows(&self.grid, columns),
            weekday_shares: shares(&self.weekday_counts),
            hour_shares: if self.has_times {
                shares(&self.hour_counts)
            } else {
                Vec::new()
            },
            segments: self
                .segment_grids
                .iter()
                .map(|(segment, customers, g)| SegmentGrid {
                    segment: *segment,
                    customers: *customers,
                    orders: g.iter().sum(),
                    grid: grid_rows(g, columns),
                })
                .collect(),
            weekday,
            hour,
        }
    }

    /// Rows written by [`Self::export`].
    pub fn export_rows(&self) -> u64 {
        self.customers.len() as u64
    }

    /// One row per customer with a row: `customer_id, segment, orders, timed_orders,
    /// best_weekday` (`monday` … `sunday`), `weekday_confidence, best_hour` (0..=23, empty without
    /// times), `hour_confidence` (empty without times). Returns the rows written.
    pub fn export(&self, dataset: &Dataset, sink: &mut dyn TableSink) -> u64 {
        sink.header(&[
            "customer_id",
            "segment",
            "orders",
            "timed_orders",
            "best_weekday",
            "weekday_confidence",
            "best_hour",
            "hour_confidence",
        ]);
        for c in &self.customers {
            sink.text(dataset.customer_ids.get(c.customer));
            sink.text(c.segment.name());
            sink.integer(i64::from(c.orders));
            sink.integer(i64::from(c.timed_orders));
            sink.text(weekday_key(c.best_weekday));
            sink.number(c.weekday_confidence, 3);
            match c.best_hour {
                Some(h) => sink.integer(i64::from(h)),
                None => sink.empty(),
            }
            match c.hour_confidence {
                Some(x) => sink.number(x, 3),
                None => sink.empty(),
            }
            sink.end_row();
        }
        self.customers.len() as u64
    }
}
