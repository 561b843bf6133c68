//! The cohorts' column in the customer table (registered in `Session::column_sources`): each
//! customer's cohort (the period of their first purchase), a band whose codes are the cohorts'
//! labels, so that a row of the cohort table opens the table on its customers.

use super::columns::{Cell, Column, ColumnKind, CustomerColumns};
use crate::cohorts::CohortAnalysis;

/// Key of the cohort band column (codes: the cohorts' labels, `2024-03`, …).
pub const COHORT: &str = "cohort";

/// Cohorts joined to the table.
pub struct CohortColumns<'a> {
    analysis: &'a CohortAnalysis,
}

impl<'a> CohortColumns<'a> {
    /// Joins `analysis`.
    pub fn new(analysis: &'a CohortAnalysis) -> Self {
        Self { analysis }
    }

    fn cohort(&self, customer: u32) -> Option<u8> {
        let rows = &self.analysis.customer_cohorts;
        let i = rows.binary_search_by_key(&customer, |r| r.0).ok()?;
        rows.get(i).map(|r| r.1)
    }
}

impl CustomerColumns for CohortColumns<'_> {
    fn columns(&self) -> Vec<Column> {
        vec![Column {
            key: COHORT.into(),
            header: format!("cohort_{}", self.analysis.params.period.key()),
            kind: ColumnKind::Band {
                codes: self.analysis.cohort_labels.clone(),
            },
            sortable: true,
        }]
    }

    fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
        (column == 0)
            .then(|| self.cohort(customer))
            .flatten()
            .map(Cell::Band)
    }

    fn covers(&self, customer: u32) -> bool {
        self.cohort(customer).is_some()
    }
}
