//! What the page and the CLI show of a cohort run, and its export.

use serde::{Deserialize, Serialize};

use super::{AverageCell, CohortAnalysis, CohortError, CohortParams, CohortRow, CohortSplit};
use crate::table_out::TableSink;

/// The columns of the cohort export ([`CohortReport::export`]) without a split, in order, the
/// warehouse cohort query's columns.
pub const COHORTS_HEADER: [&str; 10] = [
    "cohort",
    "period",
    "customers",
    "active_customers",
    "active_share",
    "orders",
    "revenue",
    "orders_per_customer",
    "revenue_per_customer",
    "cumulative_revenue_per_customer",
];

/// One group's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Its name (`None`: everybody, or the rest of a split when `other`).
    pub name: Option<String>,
    /// The rest of a split.
    pub other: bool,
    /// Its customers.
    pub customers: u64,
    /// Its cohorts.
    pub cohorts: u64,
    /// Its average curve.
    pub average: Vec<AverageCell>,
}

/// A cohort run for the page: every group's curve, one group's matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortReport {
    /// Settings used.
    pub params: CohortParams,
    /// Every group (everybody first).
    pub groups: Vec<GroupSummary>,
    /// The group whose matrix is in `matrix`.
    pub shown_group: usize,
    /// Its cohorts, oldest first.
    pub matrix: Vec<CohortRow>,
    /// Customers without a purchase (no cohort).
    pub customers_without_purchase: u64,
    /// Customers of cohorts older than those kept.
    pub customers_in_older_cohorts: u64,
    /// The run's last period.
    pub last_period: String,
}

impl CohortAnalysis {
    /// The report with group `group`'s matrix.
    pub fn report(&self, group: usize) -> Result<CohortReport, CohortError> {
        let shown = self
            .groups
            .get(group)
            .ok_or(CohortError::NoSuchGroup { group })?;
        Ok(CohortReport {
            params: self.params,
            groups: self
                .groups
                .iter()
                .map(|g| GroupSummary {
                    name: g.name.clone(),
                    other: g.other,
                    customers: g.customers,
                    cohorts: g.cohorts.len() as u64,
                    average: g.average.clone(),
                })
                .collect(),
            shown_group: group,
            matrix: shown.cohorts.clone(),
            customers_without_purchase: self.customers_without_purchase,
            customers_in_older_cohorts: self.customers_in_older_cohorts,
            last_period: self.last_period.clone(),
        })
    }

    /// Rows written by [`Self::export`].
    pub fn export_rows(&self) -> u64 {
        self.groups
            .iter()
            .flat_map(|g| &g.cohorts)
            .map(|c| c.cells.len() as u64)
            .sum()
    }

    /// One row per group, cohort and period: `cohort, period, customers, active_customers,
    /// active_share, orders, revenue, orders_per_customer, revenue_per_customer,
    /// cumulative_revenue_per_customer`, and with a split `group` (`""` for everybody, `other`
    /// for the rest). Returns the rows written.
    pub fn export(&self, other_name: &str, sink: &mut dyn TableSink) -> u64 {
        let split = self.params.split != CohortSplit::None;
        let mut header = COHORTS_HEADER.to_vec();
        if split {
            header.push("group");
        }
        sink.header(&header);
        let mut rows = 0;
        for g in &self.groups {
            let name = match (&g.name, g.other) {
                (Some(n), _) => n.as_str(),
                (None, true) => other_name,
                (None, false) => "",
            };
            for c in &g.cohorts {
                for (p, cell) in c.cells.iter().enumerate() {
                    sink.text(&c.label);
                    sink.integer(p as i64);
                    sink.integer(c.customers as i64);
                    sink.integer(cell.active_customers as i64);
                    sink.real(cell.active_share);
                    sink.integer(cell.orders as i64);
                    sink.money(cell.revenue);
                    sink.real(cell.orders_per_customer);
                    sink.real(cell.revenue_per_customer);
                    sink.real(cell.cumulative_revenue_per_customer);
                    if split {
                        sink.text(name);
                    }
                    sink.end_row();
                    rows += 1;
                }
            }
        }
        rows
    }
}
