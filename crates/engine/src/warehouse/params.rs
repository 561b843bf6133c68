//! What the warehouse query reads and how: the table, its column names, the settings.

use serde::{Deserialize, Serialize};

use super::WarehouseError;
use crate::clv::TimeUnit;
use crate::Day;

/// The table and the settings of a warehouse query.
///
/// Names are as stored in the warehouse (for a table loaded from the file: the file's headers);
/// they are quoted, so they are exact (see [`super::Dialect::quote`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SqlParams {
    /// The table (or view) of transaction lines; `.` separates its parts
    /// (`project.dataset.table`), each quoted.
    pub table: String,
    /// The customer id column.
    pub customer: String,
    /// The date column (a `DATE`, a `TIMESTAMP`, or ISO text such as `2024-03-05`).
    pub date: String,
    /// The amount column (a number, or text such as `12.50`); negative for returns.
    pub amount: String,
    /// The order id column, if the table has one.
    pub order: Option<String>,
    /// The observation end (inclusive, days since 1970-01-01); `None`: the table's last date.
    pub as_of: Option<Day>,
    /// The unit of `recency` and `T`.
    pub time_unit: TimeUnit,
    /// Remove exact duplicate rows for the RFM columns; `None`: remove them when an order id
    /// column is named, keep them otherwise (the app's default).
    pub remove_duplicates: Option<bool>,
}

impl SqlParams {
    /// Params for `table` with its customer, date and amount columns. Defaults: no order id
    /// column, the table's last date as the observation end, days, the app's duplicate rule.
    pub fn new(
        table: impl Into<String>,
        customer: impl Into<String>,
        date: impl Into<String>,
        amount: impl Into<String>,
    ) -> Self {
        Self {
            table: table.into(),
            customer: customer.into(),
            date: date.into(),
            amount: amount.into(),
            order: None,
            as_of: None,
            time_unit: TimeUnit::Days,
            remove_duplicates: None,
        }
    }

    /// With an order id column.
    #[must_use]
    pub fn order(mut self, order: impl Into<String>) -> Self {
        self.order = Some(order.into());
        self
    }

    /// With an observation end (inclusive).
    #[must_use]
    pub fn as_of(mut self, day: Day) -> Self {
        self.as_of = Some(day);
        self
    }

    /// With a time unit for `recency` and `T`.
    #[must_use]
    pub fn time_unit(mut self, time_unit: TimeUnit) -> Self {
        self.time_unit = time_unit;
        self
    }

    /// With an explicit duplicate rule (`true`: remove exact duplicate rows for the RFM columns).
    #[must_use]
    pub fn remove_duplicates(mut self, remove: bool) -> Self {
        self.remove_duplicates = Some(remove);
        self
    }

    /// Whether the RFM columns are computed without exact duplicate rows: as asked, else when
    /// an order id column is named.
    pub fn removes_duplicates(&self) -> bool {
        self.remove_duplicates.unwrap_or(self.order.is_some())
    }

    /// The column names by role, in the CLI's role names (`customer_id`, `date`, `amount`,
    /// `order_id`).
    pub(super) fn columns(&self) -> Vec<(&'static str, &str)> {
        let mut columns = vec![
            ("customer_id", self.customer.as_str()),
            ("date", self.date.as_str()),
            ("amount", self.amount.as_str()),
        ];
        if let Some(order) = &self.order {
            columns.push(("order_id", order.as_str()));
        }
        columns
    }

    /// Checks the names: none empty (nor a part of the table name), no control character (it
    /// could end a comment or the query), no column named for two roles.
    pub fn check(&self) -> Result<(), WarehouseError> {
        check_name("table", &self.table)?;
        if let Some(part) = self.table.split('.').position(str::is_empty) {
            return Err(WarehouseError::EmptyTablePart {
                table: self.table.clone(),
                part: part + 1,
            });
        }
        let columns = self.columns();
        for (role, name) in &columns {
            check_name(&format!("{role} column"), name)?;
        }
        for (i, (first, name)) in columns.iter().enumerate() {
            let later = columns.iter().skip(i + 1);
            if let Some((second, _)) = later.into_iter().find(|(_, other)| other == name) {
                return Err(WarehouseError::SameColumn {
                    header: (*name).to_string(),
                    first: (*first).to_string(),
                    second: (*second).to_string(),
                });
            }
        }
        Ok(())
    }
}

/// A name is not empty and holds no control character.
pub(super) fn check_name(what: &str, name: &str) -> Result<(), WarehouseError> {
    if name.is_empty() {
        return Err(WarehouseError::EmptyName {
            what: what.to_string(),
        });
    }
    if let Some((index, c)) = name.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(WarehouseError::ControlCharacter {
            what: what.to_string(),
            name: name.escape_default().to_string(),
            code: u32::from(c),
            position: index + 1,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> SqlParams {
        SqlParams::new("sales.tx", "客户 ID", "date", "amount")
    }

    #[test]
    fn good_names_pass() {
        assert_eq!(params().check(), Ok(()));
        assert_eq!(params().order("order \"no\"").check(), Ok(()));
    }

    #[test]
    fn an_empty_table_name_is_refused() {
        let mut p = params();
        p.table = String::new();
        assert_eq!(
            p.check(),
            Err(WarehouseError::EmptyName {
                what: "table".into()
            })
        );
    }

    #[test]
    fn an_empty_table_part_is_refused_with_its_number() {
        let mut p = params();
        p.table = "sales..tx".into();
        assert_eq!(
            p.check(),
            Err(WarehouseError::EmptyTablePart {
                table: "sales..tx".into(),
                part: 2
            })
        );
    }

    #[test]
    fn an_empty_column_name_is_refused_with_its_role() {
        let mut p = params();
        p.amount = String::new();
        let error = p.check().unwrap_err();
        assert_eq!(error.to_string(), "the amount column name is empty");
        let p = params().order("");
        assert_eq!(
            p.check().unwrap_err().to_string(),
            "the order_id column name is empty"
        );
    }

    #[test]
    fn a_control_character_is_refused_with_its_position() {
        let mut p = params();
        p.date = "da\nte".into();
        assert_eq!(
            p.check(),
            Err(WarehouseError::ControlCharacter {
                what: "date column".into(),
                name: "da\\nte".into(),
                code: 10,
                position: 3
            })
        );
    }

    #[test]
    fn a_column_named_for_two_roles_is_refused() {
        let p = params().order("date");
        assert_eq!(
            p.check(),
            Err(WarehouseError::SameColumn {
                header: "date".into(),
                first: "date".into(),
                second: "order_id".into()
            })
        );
    }

    #[test]
    fn duplicates_are_removed_by_default_only_with_order_ids() {
        assert!(!params().removes_duplicates());
        assert!(params().order("o").removes_duplicates());
        assert!(!params()
            .order("o")
            .remove_duplicates(false)
            .removes_duplicates());
        assert!(params().remove_duplicates(true).removes_duplicates());
    }
}
