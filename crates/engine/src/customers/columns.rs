//! Columns the analyses add to the customer table, through one registration.
//!
//! The table's own columns are the RFM ones ([`super::EXPORT_HEADER`]). An analysis that scores
//! customers (predictions today; baskets' next item, campaigns' response score and lifecycle's
//! tier and due date to come) implements [`CustomerColumns`] in a file of its own under
//! `customers/` and is listed once, in `Session::column_sources`. The table then shows, sorts,
//! filters (bands) and exports its columns without the table code naming it: [`super::query`]
//! and [`super::export_csv`] only see `&[&dyn CustomerColumns]`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::csv_out;
use crate::Day;

/// How a column's cells read, shown and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// A probability in [0, 1]: shown as a percent, exported with 4 decimals.
    Probability,
    /// A count or rate: shown with `decimals` decimals, exported with 4.
    Number {
        /// Decimals shown in the page.
        decimals: u8,
    },
    /// Money: shown grouped with 2 decimals, exported with 2.
    Money,
    /// A day: an ISO date.
    Day,
    /// A band: one of `codes` (snake_case; the catalog words them, the export writes them),
    /// sorted in this order.
    Band {
        /// The bands' codes, in order.
        codes: Vec<String>,
    },
}

/// One registered column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Stable key: the sort key ([`super::SortKey::Column`]), the band filter's column, the
    /// catalog's key for the title, and the page's `cell-<key>` test id.
    pub key: String,
    /// The export header (may carry the run's settings, e.g. `clv_12m`).
    pub header: String,
    /// How its cells read.
    pub kind: ColumnKind,
    /// Whether the table sorts by it.
    pub sortable: bool,
}

/// One cell of a registered column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    /// A finite number (probability, count, money).
    Number(f64),
    /// A day (days since 1970-01-01).
    Day(Day),
    /// A band: the index of its code in [`ColumnKind::Band`]'s `codes`.
    Band(u8),
}

impl Cell {
    /// The numeric sort key of the cell (a band sorts by its index).
    pub fn sort_value(self) -> f64 {
        match self {
            Self::Number(v) => v,
            Self::Day(d) => f64::from(d),
            Self::Band(b) => f64::from(b),
        }
    }

    /// The export text of the cell in a column of `kind`.
    pub fn export_text(self, kind: &ColumnKind) -> Cow<'static, str> {
        match (self, kind) {
            (Self::Number(v), ColumnKind::Money) => Cow::Owned(csv_out::plain(v, 2)),
            (Self::Number(v), _) => Cow::Owned(csv_out::plain(v, 4)),
            (Self::Day(d), _) => Cow::Owned(calendar::iso_day(d)),
            (Self::Band(b), ColumnKind::Band { codes }) => {
                Cow::Owned(codes.get(usize::from(b)).cloned().unwrap_or_default())
            }
            (Self::Band(b), _) => Cow::Owned(b.to_string()),
        }
    }
}

/// Keep only customers whose cell in column `column` is one of the band codes `values` (a
/// customer without a cell there is left out). Empty `values` = no filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandFilter {
    /// The column's key.
    pub column: String,
    /// Band codes to keep.
    pub values: Vec<String>,
}

/// An analysis's columns in the customer table.
pub trait CustomerColumns {
    /// The columns, in the order shown and exported.
    fn columns(&self) -> Vec<Column>;

    /// Cell `column` (an index into [`columns`](Self::columns)) of customer index `customer`;
    /// `None` when the customer has no value there (e.g. not scored by this run).
    fn cell(&self, customer: u32, column: usize) -> Option<Cell>;

    /// Whether this analysis scored customer index `customer` (the page shows its cells, or
    /// blanks).
    fn covers(&self, customer: u32) -> bool;

    /// Intervals around some of this customer's cells (e.g. 90 % intervals of the predictions),
    /// computed on demand for one customer (the customer page); none by default.
    fn intervals(&self, _customer: u32) -> Vec<CellInterval> {
        Vec::new()
    }
}

/// An interval around one cell of a registered column (the customer page shows it beside the
/// figure).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellInterval {
    /// The column's key.
    pub column: String,
    /// Lower bound, in the column's unit.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// Coverage, e.g. 0.9 for a 90 % interval.
    pub level: f64,
}

/// The registered columns of one query or export, listed once.
pub(super) struct Registered<'a> {
    sources: &'a [&'a dyn CustomerColumns],
    /// Every column, source by source.
    pub(super) columns: Vec<Column>,
    /// Per column: (its source, its index within the source).
    at: Vec<(usize, usize)>,
}

impl<'a> Registered<'a> {
    pub(super) fn new(sources: &'a [&'a dyn CustomerColumns]) -> Self {
        let mut columns = Vec::new();
        let mut at = Vec::new();
        for (s, source) in sources.iter().enumerate() {
            for (c, column) in source.columns().into_iter().enumerate() {
                columns.push(column);
                at.push((s, c));
            }
        }
        Self {
            sources,
            columns,
            at,
        }
    }

    /// The index of the column with `key`.
    pub(super) fn position(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Cell of column `index` for customer index `customer`.
    pub(super) fn cell(&self, index: usize, customer: u32) -> Option<Cell> {
        let (s, c) = *self.at.get(index)?;
        let source = self.sources.get(s)?;
        if source.covers(customer) {
            source.cell(customer, c)
        } else {
            None
        }
    }

    /// Every source's intervals for customer index `customer` (covered customers only).
    pub(super) fn intervals(&self, customer: u32) -> Vec<CellInterval> {
        self.sources
            .iter()
            .filter(|s| s.covers(customer))
            .flat_map(|s| s.intervals(customer))
            .collect()
    }

    /// Every column's cell for customer index `customer`.
    pub(super) fn cells(&self, customer: u32) -> Vec<Option<Cell>> {
        (0..self.columns.len())
            .map(|i| self.cell(i, customer))
            .collect()
    }

    /// The band indexes of column `key` that `values` name; `None` when no registered band
    /// column has that key (the filter then matches nobody).
    pub(super) fn band_filter(&self, filter: &BandFilter) -> Option<(usize, Vec<u8>)> {
        let index = self.position(&filter.column)?;
        let ColumnKind::Band { codes } = &self.columns.get(index)?.kind else {
            return None;
        };
        let wanted = codes
            .iter()
            .enumerate()
            .filter(|(_, code)| filter.values.contains(code))
            .filter_map(|(i, _)| u8::try_from(i).ok())
            .collect();
        Some((index, wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::{export_csv, query, CustomerQuery, SortKey};
    use crate::rfm::fixtures::dataset;
    use crate::rfm::{analyze, RfmParams};

    /// A made-up analysis with two columns (a score and a band), scoring every customer but
    /// "carol": what a new analysis registers, with no edit to the table code.
    struct Scores {
        ids: Vec<String>,
    }

    impl CustomerColumns for Scores {
        fn columns(&self) -> Vec<Column> {
            vec![
                Column {
                    key: "response_score".into(),
                    header: "response_score_30d".into(),
                    kind: ColumnKind::Probability,
                    sortable: true,
                },
                Column {
                    key: "offer".into(),
                    header: "offer".into(),
                    kind: ColumnKind::Band {
                        codes: vec!["coupon".into(), "none".into()],
                    },
                    sortable: false,
                },
            ]
        }

        fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
            let id = self.ids.get(customer as usize)?;
            match column {
                0 => Some(Cell::Number(id.len() as f64 / 10.0)),
                1 => Some(Cell::Band(u8::from(id.len() > 3))),
                _ => None,
            }
        }

        fn covers(&self, customer: u32) -> bool {
            self.ids
                .get(customer as usize)
                .is_some_and(|id| id != "carol")
        }
    }

    #[test]
    fn a_registered_analysis_adds_cells_sort_keys_band_filters_and_export_columns() {
        let ds = dataset(&[
            ("al", "2024-01-01", 5.0, "o1"),
            ("bob", "2024-01-02", 6.0, "o2"),
            ("carol", "2024-01-03", 7.0, "o3"),
            ("dorothy", "2024-01-04", 8.0, "o4"),
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let scores = Scores {
            ids: (0..ds.customer_ids.len() as u32)
                .map(|c| ds.customer_ids.get(c).to_string())
                .collect(),
        };
        let sources: [&dyn CustomerColumns; 1] = [&scores];
        let by_score = CustomerQuery {
            sort: SortKey::Column("response_score".into()),
            descending: true,
            ..Default::default()
        };
        let page = query(&ds, &a, &sources, &by_score);
        let ids: Vec<&str> = page.rows.iter().map(|r| r.customer_id.as_str()).collect();
        // dorothy 0.7, bob 0.3, al 0.2; carol is not scored and sorts as lowest.
        assert_eq!(ids, ["dorothy", "bob", "al", "carol"]);
        assert_eq!(page.columns.len(), 2);
        assert_eq!(
            page.rows[0].cells,
            [Some(Cell::Number(0.7)), Some(Cell::Band(1))]
        );
        assert_eq!(page.rows[3].cells, [None, None]);
        let coupons = CustomerQuery {
            bands: vec![BandFilter {
                column: "offer".into(),
                values: vec!["coupon".into()],
            }],
            sort: SortKey::CustomerId,
            descending: false,
            ..Default::default()
        };
        let page = query(&ds, &a, &sources, &coupons);
        let ids: Vec<&str> = page.rows.iter().map(|r| r.customer_id.as_str()).collect();
        assert_eq!(ids, ["al", "bob"]);
        // A band filter on a column nobody registered matches nobody (not everybody).
        let unknown = CustomerQuery {
            bands: vec![BandFilter {
                column: "churn_risk".into(),
                values: vec!["high".into()],
            }],
            ..Default::default()
        };
        assert_eq!(query(&ds, &a, &sources, &unknown).matching, 0);
        let csv = export_csv(&ds, &a, &sources, &coupons);
        let mut lines = csv.lines();
        assert!(lines
            .next()
            .unwrap()
            .ends_with(",last_order,response_score_30d,offer"));
        assert!(lines.next().unwrap().ends_with(",0.2,coupon"));
        // Without the registration the table has its own columns only.
        let page = query(&ds, &a, &[], &by_score);
        assert!(page.columns.is_empty() && page.rows.iter().all(|r| r.cells.is_empty()));
    }
}
