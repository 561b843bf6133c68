//! Settings of [`super::summarize`] and the column layout of a summary file.

use serde::{Deserialize, Serialize};

use crate::clv::TimeUnit;
use crate::Day;

/// The columns `summarize` writes, in order.
pub const SUMMARY_HEADER: [&str; 9] = [
    "customer_id",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "orders",
    "revenue",
    "first_order",
    "last_order",
];

/// How to summarise transactions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryParams {
    /// The observation end, inclusive: lines dated after it are ignored, and `T` runs to it.
    /// `None`: the last day of the data.
    pub as_of_day: Option<Day>,
    /// Unit of `recency` and `T`.
    pub time_unit: TimeUnit,
    /// Whether the RFM columns leave out exact duplicate lines; `None`: when the file has order
    /// ids (RFM's default). The purchase-model columns always keep them (as `lifetimes` does).
    pub remove_duplicates: Option<bool>,
}

/// Where each field of a summary file is (column indices into its header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryColumns {
    /// Customer id.
    pub customer_id: usize,
    /// Repeat purchases.
    pub frequency: usize,
    /// First to last purchase, in the time unit.
    pub recency: usize,
    /// First purchase to the observation end (T), in the time unit.
    pub age: usize,
    /// Mean value of the repeat purchases.
    pub monetary_value: usize,
    /// RFM purchase orders (optional; else `frequency + 1`).
    pub orders: Option<usize>,
    /// Net revenue (optional; else `(frequency + 1) × monetary_value`, said in a note).
    pub revenue: Option<usize>,
    /// First order date (optional).
    pub first_order: Option<usize>,
    /// Last order date (optional).
    pub last_order: Option<usize>,
    /// Region (optional).
    pub region: Option<usize>,
    /// Channel (optional).
    pub channel: Option<usize>,
}

/// A summary file's layout and how to read its times: detected by [`super::detect`] from the
/// header, confirmed (time unit, as-of date) by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryLayout {
    /// The columns.
    pub columns: SummaryColumns,
    /// Unit of `recency` and `T`.
    pub time_unit: TimeUnit,
    /// Whether the time unit was guessed from the values (the page asks to confirm it).
    pub time_unit_guessed: bool,
    /// The observation end. `None`: from the first order dates and `T` when the file has them
    /// (first order + T), else required.
    pub as_of_day: Option<Day>,
}
