//! The predictions' columns in the customer table (registered in `Session::column_sources`).

use super::columns::{Cell, CellInterval, Column, ColumnKind, CustomerColumns};
use crate::clv::{ChurnRisk, ClvAnalysis};

/// Key of the probability-alive column.
pub const PROBABILITY_ALIVE: &str = "probability_alive";
/// Key of the expected-purchases column (in the run's own horizon).
pub const EXPECTED_PURCHASES: &str = "expected_purchases";
/// Key of the discounted-CLV column.
pub const CLV: &str = "clv";
/// Key of the chance-of-a-purchase column (within the run's own horizon).
pub const PURCHASE_CHANCE: &str = "purchase_chance";
/// Key of the churn-risk band column.
pub const CHURN_RISK: &str = "churn_risk";
/// Key of the expected-next-purchase column.
pub const NEXT_PURCHASE: &str = "next_purchase_date";

/// Every key the predictions register, in column order.
pub const KEYS: [&str; 6] = [
    PROBABILITY_ALIVE,
    EXPECTED_PURCHASES,
    CLV,
    PURCHASE_CHANCE,
    CHURN_RISK,
    NEXT_PURCHASE,
];

/// Predictions joined to the table: the run and the summary row of each customer index.
pub struct Predictions<'a> {
    clv: &'a ClvAnalysis,
    rows: Vec<Option<usize>>,
}

impl<'a> Predictions<'a> {
    /// Indexes `clv` by customer.
    pub fn new(clv: &'a ClvAnalysis) -> Self {
        Self {
            clv,
            rows: clv.rows_by_customer(),
        }
    }

    fn row(&self, customer: u32) -> Option<usize> {
        self.rows.get(customer as usize).copied().flatten()
    }
}

impl CustomerColumns for Predictions<'_> {
    fn columns(&self) -> Vec<Column> {
        let settings = &self.clv.settings;
        let column = |key: &str, header: String, kind, sortable| Column {
            key: key.to_string(),
            header,
            kind,
            sortable,
        };
        vec![
            column(
                PROBABILITY_ALIVE,
                PROBABILITY_ALIVE.to_string(),
                ColumnKind::Probability,
                true,
            ),
            column(
                EXPECTED_PURCHASES,
                format!("expected_purchases_{}d", settings.horizon_days),
                ColumnKind::Number { decimals: 2 },
                true,
            ),
            column(
                CLV,
                format!("clv_{}m", settings.clv_horizon_months),
                ColumnKind::Money,
                true,
            ),
            column(
                PURCHASE_CHANCE,
                format!("purchase_chance_{}d", settings.horizon_days),
                ColumnKind::Probability,
                true,
            ),
            column(
                CHURN_RISK,
                CHURN_RISK.to_string(),
                ColumnKind::Band {
                    codes: ChurnRisk::ALL.map(|r| r.name().to_string()).to_vec(),
                },
                false,
            ),
            column(
                NEXT_PURCHASE,
                NEXT_PURCHASE.to_string(),
                ColumnKind::Day,
                false,
            ),
        ]
    }

    fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
        let row = self.row(customer)?;
        let s = &self.clv.scores;
        match column {
            0 => s.probability_alive.get(row).copied().map(Cell::Number),
            1 => s
                .expected_purchases_horizon
                .get(row)
                .copied()
                .map(Cell::Number),
            2 => s
                .clv
                .as_ref()
                .and_then(|c| c.get(row).copied())
                .map(Cell::Number),
            3 => s
                .purchase_chance_horizon
                .get(row)
                .copied()
                .map(Cell::Number),
            4 => s
                .churn_risk
                .get(row)
                .and_then(|r| u8::try_from(r.index()).ok())
                .map(Cell::Band),
            5 => s
                .next_purchase_day
                .get(row)
                .copied()
                .flatten()
                .map(Cell::Day),
            _ => None,
        }
    }

    fn covers(&self, customer: u32) -> bool {
        self.row(customer).is_some()
    }

    /// 90 % intervals of P(alive) and CLV from the fits' parameter uncertainty
    /// ([`ClvAnalysis::uncertainty`]).
    fn intervals(&self, customer: u32) -> Vec<CellInterval> {
        let Some(u) = self.row(customer).and_then(|row| self.clv.uncertainty(row)) else {
            return Vec::new();
        };
        let interval = |column: &str, (low, high): (f64, f64)| CellInterval {
            column: column.to_string(),
            low,
            high,
            level: 0.9,
        };
        let mut out = vec![interval(PROBABILITY_ALIVE, u.probability_alive)];
        out.extend(u.clv.map(|c| interval(CLV, c)));
        out
    }
}
