//! Warehouse SQL: the per-customer summary of issue 16 as one SQL query, for teams whose
//! transactions live in a warehouse table rather than a file. Pure string generation: nothing
//! here connects to a database.
//!
//! - [`params`]: [`SqlParams`] (the table, its column names, the observation end, the time unit
//!   and the duplicate rule), [`Dialect`] (DuckDB, Spark, BigQuery, Postgres, Snowflake).
//! - [`summary`]: [`summary_sql`], one row per customer with `customer_id, frequency, recency,
//!   T, monetary_value, orders, revenue, first_order, last_order` (the definitions are in its
//!   module doc; they are those of `segscope summarize`).
//!
//! The query reads a table whose columns are the file's headers (text or typed), casts the date
//! to `DATE` and the amount to an exact decimal, and keeps every step a named CTE with a comment,
//! so analysts can read and adapt it.

mod dialect;
mod errors;
pub mod params;
pub mod summary;

pub use dialect::Dialect;
pub use errors::WarehouseError;
pub use params::SqlParams;
pub use summary::summary_sql;
