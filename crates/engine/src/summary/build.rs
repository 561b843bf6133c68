//! Transactions → the per-customer summary ([`summarize`]).
//!
//! No definition of its own: the purchase-model columns are [`CustomerSummary::from_dataset`]'s
//! (the BG/NBD papers' and `lifetimes`' conventions), the RFM columns are [`rfm::analyze`]'s
//! per-customer totals. That is what makes a summary read back ([`super::read_summary`]) give the
//! same scores as the transactions it came from.

use serde::{Deserialize, Serialize};

use super::{SummaryError, SummaryParams, SUMMARY_HEADER};
use crate::clv::{CustomerSummary, TimeUnit};
use crate::rfm::{self, RfmParams};
use crate::table_out::TableSink;
use crate::{Dataset, Day};

/// One customer of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// The customer id as in the file.
    pub customer_id: String,
    /// Repeat purchase days.
    pub frequency: u32,
    /// First to last purchase day, in the time unit.
    pub recency: f64,
    /// First purchase day to the as-of day (T), in the time unit.
    pub age: f64,
    /// Mean value of the repeat purchase days (0 without repeats).
    pub monetary_value: f64,
    /// RFM purchase orders.
    pub orders: u32,
    /// Net revenue (returns deducted).
    pub revenue: f64,
    /// First purchase order day (`None` when the RFM columns count no purchase order).
    pub first_order: Option<Day>,
    /// Last purchase order day.
    pub last_order: Option<Day>,
}

/// The summary of one dataset, customers in order of first appearance in the file (the order a
/// summary read back interns them in, so a segmentation of it starts from the same order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryTable {
    /// One row per customer with a purchase day on or before the as-of day.
    pub rows: Vec<SummaryRow>,
    /// The as-of day (inclusive).
    pub as_of_day: Day,
    /// Unit of `recency` and `T`.
    pub time_unit: TimeUnit,
    /// Whether the RFM columns left exact duplicate lines out.
    pub duplicates_removed: bool,
    /// Customers with lines on or before the as-of day but no purchase (only returns): not rows.
    pub customers_without_purchase: u64,
    /// Customers whose every line is after the as-of day: not rows.
    pub customers_after_as_of: u64,
}

/// Summarises `dataset` as of `params.as_of_day` (see [`SummaryParams`]).
///
/// Fails with [`SummaryError::NoPurchase`] when no customer has a purchase on or before it.
pub fn summarize(dataset: &Dataset, params: &SummaryParams) -> Result<SummaryTable, SummaryError> {
    let last_day = dataset
        .day
        .iter()
        .copied()
        .max()
        .ok_or(SummaryError::NoPurchase)?;
    let as_of_day = params.as_of_day.unwrap_or(last_day);
    let table = build(dataset, params, as_of_day, false)?;
    if table.rows.is_empty() {
        return Err(SummaryError::NoPurchase);
    }
    Ok(table)
}

/// [`summarize`] for some of the customers of a larger input (the CLI's streamed `summarize`
/// runs it on each partition of the customers): every row is the one [`summarize`] gives the
/// customer in the whole input, as every column depends on the customer's own lines alone, given
/// the whole input's `as_of_day`. A part without a purchase is an empty table, not an error.
pub fn summarize_part(
    dataset: &Dataset,
    params: &SummaryParams,
    as_of_day: Day,
) -> Result<SummaryTable, SummaryError> {
    build(dataset, params, as_of_day, true)
}

/// The summary as of `as_of_day`; with `part`, a part without RFM customers (no purchase order,
/// or every line after the as-of day) gives rows without the RFM columns instead of an error.
fn build(
    dataset: &Dataset,
    params: &SummaryParams,
    as_of_day: Day,
    part: bool,
) -> Result<SummaryTable, SummaryError> {
    let models = CustomerSummary::from_dataset(dataset, as_of_day, params.time_unit);
    // RFM with the as-of day itself: lines after it are left out, as above (recency is not used).
    let rfm_params = RfmParams {
        as_of_day: Some(as_of_day),
        remove_duplicates: params.remove_duplicates,
        ..Default::default()
    };
    let analysis = match rfm::analyze(dataset, &rfm_params) {
        Ok(analysis) => Some(analysis),
        Err(rfm::RfmError::NoCustomers | rfm::RfmError::AsOfBeforeData { .. }) if part => None,
        Err(rfm::RfmError::NoCustomers) => return Err(SummaryError::NoPurchase),
        Err(other) => return Err(SummaryError::Rfm(other.to_string())),
    };
    let empty = crate::rfm::CustomerScores::default();
    let scores = analysis.as_ref().map_or(&empty, |a| &a.customers);
    // RFM totals by customer index (both lists are sorted by it).
    let mut rfm_at = vec![u32::MAX; dataset.customer_count()];
    for (i, c) in scores.customer.iter().enumerate() {
        if let Some(slot) = rfm_at.get_mut(*c as usize) {
            *slot = i as u32;
        }
    }
    let mut rows = Vec::with_capacity(models.len());
    for (i, c) in models.customer.iter().enumerate() {
        let rfm = rfm_at
            .get(*c as usize)
            .copied()
            .filter(|i| *i != u32::MAX)
            .map(|i| i as usize);
        let get = |values: &[f64]| values.get(i).copied().unwrap_or(0.0);
        rows.push(SummaryRow {
            customer_id: dataset.customer_ids.get(*c).to_string(),
            frequency: get(&models.frequency) as u32,
            recency: get(&models.recency),
            age: get(&models.age),
            monetary_value: get(&models.monetary),
            orders: rfm
                .and_then(|r| scores.frequency.get(r).copied())
                .unwrap_or(0),
            revenue: rfm
                .and_then(|r| scores.monetary.get(r).copied())
                .unwrap_or(0.0),
            first_order: rfm.and_then(|r| scores.first_day.get(r).copied()),
            last_order: rfm.and_then(|r| scores.last_day.get(r).copied()),
        });
    }
    let (customers_after_as_of, duplicates_removed) = match &analysis {
        Some(a) => (
            a.report.customers_after_as_of,
            a.report.duplicates_were_removed,
        ),
        // The customers without a line on or before the as-of day, as RFM counts them.
        None => {
            let mut has_line = vec![false; dataset.customer_count()];
            for (c, d) in dataset.customer.iter().zip(&dataset.day) {
                if *d <= as_of_day {
                    if let Some(h) = has_line.get_mut(*c as usize) {
                        *h = true;
                    }
                }
            }
            (
                has_line.iter().filter(|h| !**h).count() as u64,
                params
                    .remove_duplicates
                    .unwrap_or_else(|| dataset.has_order_ids()),
            )
        }
    };
    Ok(SummaryTable {
        customers_without_purchase: (dataset.customer_count() - rows.len())
            .saturating_sub(customers_after_as_of as usize)
            as u64,
        customers_after_as_of,
        rows,
        as_of_day,
        time_unit: params.time_unit,
        duplicates_removed,
    })
}

impl SummaryTable {
    /// Writes the table with [`SUMMARY_HEADER`]; numbers at full precision (a summary read back
    /// must give the same fits), dates ISO. Returns the rows written.
    pub fn write(&self, sink: &mut dyn TableSink) -> u64 {
        write_summary_rows(sink, &self.rows)
    }
}

/// Writes `rows` as [`SummaryTable::write`] does (the header, then one row each), for rows that
/// come in pieces (the CLI's streamed `summarize`). Returns the rows written.
pub fn write_summary_rows<R: std::borrow::Borrow<SummaryRow>>(
    sink: &mut dyn TableSink,
    rows: impl IntoIterator<Item = R>,
) -> u64 {
    sink.header(&SUMMARY_HEADER);
    let mut written = 0u64;
    for row in rows {
        write_summary_row(sink, row.borrow());
        written += 1;
    }
    written
}

/// Writes one row of a summary whose header [`write_summary_rows`] (or the caller, with
/// [`SUMMARY_HEADER`]) wrote.
pub fn write_summary_row(sink: &mut dyn TableSink, row: &SummaryRow) {
    sink.text(&row.customer_id);
    sink.integer(i64::from(row.frequency));
    sink.real(row.recency);
    sink.real(row.age);
    sink.real(row.monetary_value);
    sink.integer(i64::from(row.orders));
    sink.real(row.revenue);
    for day in [row.first_order, row.last_order] {
        match day {
            Some(day) => sink.day(day),
            None => sink.empty(),
        }
    }
    sink.end_row();
}
