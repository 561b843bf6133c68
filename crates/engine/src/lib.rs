//! Pure analytics: bytes in, typed results out. No web crate is reachable from here, so all of it
//! is tested natively with `cargo test`.
//!
//! Start with [`ingest`] (a CSV to a [`Dataset`]), then [`rfm::analyze`] (an [`rfm::Analysis`]);
//! the predictions, segments and the customer table take those two as input. The page and the
//! CLI reach all of it through one door, [`session::Session`]. Dependencies point one way:
//! `session` reads everything; `customers` reads `rfm`, `clv` and `cluster`; `cluster` reads
//! `rfm`, `clv` and `ingest` (for attributes files); `clv` reads `rfm`; `rfm`, `cluster`,
//! `customers` and `baskets` share `lines`; `baskets` reads `rfm` (the run's lines). Only `session` reads `customers`.
//!
//! - [`ingest`]: sniff a CSV (encoding, delimiter, header, column roles, date order), then stream it
//!   into a columnar [`Dataset`] with a [`ingest::QualityReport`].
//! - [`dataset`]: the columnar, interned transactions ([`Dataset`], [`Day`], [`Interned`]).
//! - `lines` (crate-internal): which lines a run uses, its orders, and those lines grouped by
//!   customer, written once for `rfm`, `customers` and `cluster`.
//! - [`rfm`]: orders, RFM scores, the eleven named segments, Pareto/Lorenz and the dashboard
//!   [`rfm::Report`].
//! - [`clv`]: BG/NBD, Pareto/NBD and Gamma-Gamma models (probability alive, expected purchases
//!   and spend).
//! - [`cluster`]: k-means segments found in the data, with their evaluation and named profiles.
//! - [`customers`]: the customer table (page, sort, filter, export) with the columns analyses
//!   register ([`customers::CustomerColumns`]), per-customer tags and value tiers, and the
//!   customer page.
//! - [`baskets`]: baskets from the run's orders, frequent itemsets, association rules with
//!   significance, cross-sell recommendations with their evaluation, regional preferences.
//! - [`cohorts`]: cohorts by first purchase (month, week, quarter): activity, orders, revenue and
//!   the LTV curve per period since, split by the first purchase's item, region or channel.
//! - [`repurchase`]: repurchase cycles per item (Kaplan–Meier), expected next purchases, the
//!   customers due now.
//! - [`sendtime`]: send timing: each customer's best weekday and hour, shrunk toward the store's
//!   profile (empirical Bayes), and weekday × hour heatmaps for the store and per RFM segment.
//! - [`forecast`]: weekly or monthly revenue and orders forecast with ETS models (AutoETS),
//!   80 % and 95 % intervals and a rolling-origin backtest against the seasonal-naive forecast.
//! - [`experiment`]: campaigns: A/B tests (GrowthBook's conventions, CUPED, sample-ratio
//!   mismatch, corrections, sequential testing), the effect per segment, ROI, sample sizes; a
//!   regularised logistic response model and a two-model uplift model with Qini curves.
//! - [`summary`]: the per-customer summary (`frequency, recency, T, monetary_value, orders,
//!   revenue, first_order, last_order`): made from transactions, or read back as a dataset.
//! - [`warehouse`]: the per-customer summary (`segscope summarize`'s) as SQL for DuckDB, Spark,
//!   BigQuery, Postgres and Snowflake tables.
//! - [`calendar`]: days since 1970-01-01 to and from calendar dates and ISO text.
//! - [`csv_out`]: the CSV cell rules of every export (byte-order mark, plain numbers, formula
//!   neutralisation).
//! - [`session`]: the [`session::Session`] that owns the file, the dataset, every cached result
//!   and the invalidation rules, and answers typed requests with progress and cancel.
//! - [`error`]: the engine's error type ([`EngineError`], [`Result`]).
//! - [`stats`]: shared numerics.

#![warn(missing_docs)]

pub mod baskets;
pub mod calendar;
pub mod cluster;
pub mod clv;
pub mod cohorts;
pub mod csv_out;
pub mod customers;
pub mod dataset;
pub mod error;
pub mod experiment;
pub mod forecast;
pub mod ingest;
mod lines;
pub mod parallel;
pub mod repurchase;
pub mod rfm;
pub mod sendtime;
pub mod session;
pub mod stats;
pub mod summary;
pub mod table_out;
pub mod tiers;
pub mod warehouse;

pub use dataset::{Codes, Dataset, Day, Interned};
pub use error::{EngineError, Result};
