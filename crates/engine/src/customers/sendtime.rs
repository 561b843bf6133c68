//! The send timing's columns in the customer table (registered in `Session::column_sources`):
//! each customer's best weekday and hour (bands, so the table filters on them: "everybody best
//! reached on Saturday at 10:00") and the confidence of the hour (of the weekday, without times).

use super::columns::{Cell, Column, ColumnKind, CustomerColumns};
use crate::sendtime::{weekday_key, SendTimeAnalysis};

/// Key of the best weekday's band column (codes `monday` … `sunday`).
pub const SEND_WEEKDAY: &str = "send_weekday";
/// Key of the best hour's band column (codes `00` … `23`; only for files with times).
pub const SEND_HOUR: &str = "send_hour";
/// Key of the confidence column.
pub const SEND_CONFIDENCE: &str = "send_confidence";

/// Send times joined to the table.
pub struct SendTimeColumns<'a> {
    analysis: &'a SendTimeAnalysis,
}

impl<'a> SendTimeColumns<'a> {
    /// Joins `analysis`.
    pub fn new(analysis: &'a SendTimeAnalysis) -> Self {
        Self { analysis }
    }

    fn row(&self, customer: u32) -> Option<&crate::sendtime::CustomerSendTime> {
        let rows = &self.analysis.customers;
        rows.binary_search_by_key(&customer, |r| r.customer)
            .ok()
            .and_then(|i| rows.get(i))
    }
}

impl CustomerColumns for SendTimeColumns<'_> {
    fn columns(&self) -> Vec<Column> {
        let mut columns = vec![Column {
            key: SEND_WEEKDAY.into(),
            header: "best_weekday".into(),
            kind: ColumnKind::Band {
                codes: (0..7).map(|w| weekday_key(w).to_string()).collect(),
            },
            sortable: true,
        }];
        if self.analysis.has_times {
            columns.push(Column {
                key: SEND_HOUR.into(),
                header: "best_hour".into(),
                kind: ColumnKind::Band {
                    codes: (0..24).map(|h| format!("{h:02}")).collect(),
                },
                sortable: true,
            });
        }
        columns.push(Column {
            key: SEND_CONFIDENCE.into(),
            header: "send_time_confidence".into(),
            kind: ColumnKind::Probability,
            sortable: true,
        });
        columns
    }

    fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
        let r = self.row(customer)?;
        let confidence = if self.analysis.has_times { 2 } else { 1 };
        match column {
            0 => Some(Cell::Band(r.best_weekday)),
            c if c == confidence => Some(Cell::Number(
                r.hour_confidence.unwrap_or(r.weekday_confidence),
            )),
            1 => r.best_hour.map(Cell::Band),
            _ => None,
        }
    }

    fn covers(&self, customer: u32) -> bool {
        self.row(customer).is_some()
    }
}
