//! The customer table: page, sort, filter, search, export. (Interface fixed; implementation by the
//! RFM work.)

use serde::{Deserialize, Serialize};

use super::{Analysis, Segment};
use crate::engine::{Dataset, Day};

/// Sortable columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    /// Customer id (text order).
    CustomerId,
    /// Recency in days.
    RecencyDays,
    /// Orders.
    Frequency,
    /// Net revenue.
    #[default]
    Monetary,
    /// Average order value.
    AverageOrderValue,
    /// R, then F, then M score.
    RfmScore,
    /// Segment in [`Segment::ALL`] order.
    Segment,
}

/// A page request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerQuery {
    /// Sort column.
    pub sort: SortKey,
    /// Sort descending. Ties are broken by customer id ascending, so pages are stable.
    pub descending: bool,
    /// Keep only these segments; empty = all.
    pub segments: Vec<Segment>,
    /// Keep only customer ids containing this text (case-insensitive); empty = all.
    pub search: String,
    /// First matching row to return.
    pub offset: usize,
    /// Rows to return (the UI asks for one page).
    pub limit: usize,
}

impl Default for CustomerQuery {
    fn default() -> Self {
        Self {
            sort: SortKey::Monetary,
            descending: true,
            segments: Vec::new(),
            search: String::new(),
            offset: 0,
            limit: 50,
        }
    }
}

/// One customer, as shown and exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// The id from the file.
    pub customer_id: String,
    /// Days since the last order.
    pub recency_days: i32,
    /// Orders.
    pub frequency: u32,
    /// Net revenue.
    pub monetary: f64,
    /// `monetary / frequency`.
    pub average_order_value: f64,
    /// Recency score.
    pub r_score: u8,
    /// Frequency score.
    pub f_score: u8,
    /// Monetary score.
    pub m_score: u8,
    /// Segment.
    pub segment: Segment,
    /// First order day.
    pub first_day: Day,
    /// Last order day.
    pub last_day: Day,
}

/// A page of the customer table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    /// All scored customers.
    pub total_customers: u64,
    /// Customers matching the filters.
    pub matching: u64,
    /// Offset of the first row.
    pub offset: usize,
    /// The rows.
    pub rows: Vec<CustomerRow>,
}

/// Returns one page of matching customers.
pub fn query(dataset: &Dataset, analysis: &Analysis, q: &CustomerQuery) -> CustomerPage {
    let _ = (dataset, analysis, q);
    CustomerPage::default()
}

/// Writes every matching customer (ignoring offset/limit) as CSV with the header
/// `customer_id,recency_days,frequency,monetary,average_order_value,r_score,f_score,m_score,segment,first_order,last_order`.
/// Text cells (the customer id) starting with `=` `+` `-` `@`, tab or carriage return are
/// prefixed with `'` (formula injection neutralised); numbers are written as plain numbers.
pub fn export_csv(dataset: &Dataset, analysis: &Analysis, q: &CustomerQuery) -> String {
    let _ = (dataset, analysis, q);
    String::new()
}
