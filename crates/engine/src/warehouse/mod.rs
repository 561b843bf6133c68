//! Warehouse SQL: the per-customer summary, the cohort matrix and the item-pair counts of issue 16
//! as SQL queries, for teams whose transactions live in a warehouse table rather than a file. Pure string generation: nothing
//! here connects to a database.
//!
//! - [`params`]: [`SqlParams`] (the table, its column names, the observation end, the time unit
//!   and the duplicate rule), [`Dialect`] (DuckDB, Spark, BigQuery, Postgres, Snowflake).
//! - [`summary`]: [`summary_sql`], one row per customer with `customer_id, frequency, recency,
//!   T, monetary_value, orders, revenue, first_order, last_order` (the definitions are in its
//!   module doc; they are those of `segscope summarize`).
//! - [`cohorts`]: [`cohort_sql`], the cohort matrix by month, week or quarter (the rows of
//!   `segscope cohorts --out` without a split).
//! - [`pairs`]: [`pair_sql`], the baskets' item-pair counts with each item's and the total basket
//!   count (`segscope baskets --pairs-out`), from which support, confidence and lift follow.
//! - `lines`: the lines a run uses and its orders, the cohort and pair queries' first steps.
//!
//! The query reads a table whose columns are the file's headers (text or typed), casts the date
//! to `DATE` and the amount to an exact decimal, and keeps every step a named CTE with a comment,
//! so analysts can read and adapt it.

pub mod cohorts;
mod dialect;
mod errors;
mod lines;
pub mod pairs;
pub mod params;
pub mod summary;

pub use cohorts::cohort_sql;
pub use dialect::Dialect;
pub use errors::WarehouseError;
pub use pairs::{pair_sql, PairSqlParams};
pub use params::SqlParams;
pub use summary::summary_sql;

#[cfg(test)]
mod tests {
    use super::lines::test_params;
    use super::*;
    use crate::baskets::ItemLevel;
    use crate::cohorts::CohortPeriod;

    #[test]
    fn every_query_refuses_bad_params() {
        let pairs = PairSqlParams::new(ItemLevel::Product, "product");
        for blank in [0, 1, 2] {
            let mut p = test_params();
            match blank {
                0 => p.customer = String::new(),
                1 => p.date = String::new(),
                _ => p.amount = String::new(),
            }
            assert!(summary_sql(Dialect::DuckDb, &p).is_err());
            assert!(cohort_sql(Dialect::DuckDb, &p, CohortPeriod::Month).is_err());
            assert!(pair_sql(Dialect::DuckDb, &p, &pairs).is_err());
        }
    }
}
