//! The per-customer summary: one row per customer with the purchase models' columns
//! (`frequency, recency, T, monetary_value`, the shape `lifetimes` and PyMC-Marketing read) and
//! RFM's (`orders, revenue, first_order, last_order`).
//!
//! Two directions, one definition (docs/summary.md):
//! - [`summarize`] writes it from transactions (the CLI's `segscope summarize`, and the reference
//!   the warehouse SQL is tested against);
//! - [`read_summary`] reads one back (a file from `summarize`, the warehouse, or an analyst's
//!   `lifetimes` notebook) into a [`crate::Dataset`] whose every per-customer aggregate equals the
//!   summary's, so RFM, predictions, segmentation and tags run on it unchanged. Analyses that need
//!   the lines themselves (baskets, cohorts, repurchase, send timing, tiers, forecast, contact
//!   lists) refuse such a dataset ([`crate::Dataset::is_summary`]).

mod build;
mod errors;
mod input;
mod params;

pub use build::{summarize, summarize_part, write_summary_row, write_summary_rows};
pub use build::{SummaryRow, SummaryTable};
pub use errors::SummaryError;
pub use input::{detect, read_summary, SummaryFacts};
pub use params::{SummaryColumns, SummaryLayout, SummaryParams, SUMMARY_HEADER};
