//! The due-now list's columns in the customer table (registered in `Session::column_sources`):
//! whether a customer is due to buy an item again and when. The lifecycle page's due list opens
//! the table filtered on the band.

use super::columns::{Cell, Column, ColumnKind, CustomerColumns};
use crate::repurchase::RepurchaseAnalysis;

/// Key of the due band (codes `overdue`, `due_soon`).
pub const REPURCHASE_DUE: &str = "repurchase_due";
/// Key of the earliest expected repurchase day among the customer's due items.
pub const REPURCHASE_EXPECTED: &str = "repurchase_expected";
/// The due band's codes: expected before the as-of day, or on/after it (within the window).
pub const DUE_CODES: [&str; 2] = ["overdue", "due_soon"];

/// Due pairs joined to the table: per customer index, the earliest expected day of their due
/// items and how overdue it is.
pub struct DueColumns {
    earliest: Vec<Option<(f64, f64)>>,
}

impl DueColumns {
    /// Indexes the due pairs of `analysis` by customer.
    pub fn new(analysis: &RepurchaseAnalysis) -> Self {
        let n = analysis
            .due
            .iter()
            .map(|d| d.customer as usize + 1)
            .max()
            .unwrap_or(0);
        let mut earliest: Vec<Option<(f64, f64)>> = vec![None; n];
        for d in &analysis.due {
            if let Some(slot) = earliest.get_mut(d.customer as usize) {
                if slot.is_none_or(|(e, _)| d.expected_day < e) {
                    *slot = Some((d.expected_day, d.days_overdue));
                }
            }
        }
        Self { earliest }
    }

    fn due(&self, customer: u32) -> Option<(f64, f64)> {
        self.earliest.get(customer as usize).copied().flatten()
    }
}

impl CustomerColumns for DueColumns {
    fn columns(&self) -> Vec<Column> {
        vec![
            Column {
                key: REPURCHASE_DUE.into(),
                header: REPURCHASE_DUE.into(),
                kind: ColumnKind::Band {
                    codes: DUE_CODES.iter().map(|c| c.to_string()).collect(),
                },
                sortable: true,
            },
            Column {
                key: REPURCHASE_EXPECTED.into(),
                header: REPURCHASE_EXPECTED.into(),
                kind: ColumnKind::Day,
                sortable: true,
            },
        ]
    }

    fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
        let (day, overdue) = self.due(customer)?;
        match column {
            0 => Some(Cell::Band(if overdue > 0.0 { 0 } else { 1 })),
            1 => Some(Cell::Day(day.floor() as crate::Day)),
            _ => None,
        }
    }

    fn covers(&self, customer: u32) -> bool {
        self.due(customer).is_some()
    }
}
