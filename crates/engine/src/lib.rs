//! Pure analytics: bytes in, typed results out. No web crate is reachable from here, so all of it
//! is tested natively with `cargo test`.
//!
//! - [`ingest`]: sniff a CSV (encoding, delimiter, header, column roles, date order), then stream it
//!   into a columnar [`Dataset`] with a [`ingest::QualityReport`].
//! - [`rfm`]: orders, RFM scores, the eleven named segments, Pareto/Lorenz, and the dashboard
//!   [`rfm::Report`]; [`rfm::query`] pages, sorts, filters and exports the customer table.
//! - [`clv`]: BG/NBD and Gamma-Gamma models (probability alive, expected purchases and spend).
//! - [`cluster`]: k-means segments found in the data, their profiles and per-customer tags.
//! - [`stats`]: shared numerics.

#![warn(missing_docs)]

pub mod calendar;
pub mod cluster;
pub mod clv;
pub mod csv_out;
pub mod dataset;
pub mod error;
pub mod ingest;
mod lines;
pub mod rfm;
pub mod stats;

pub use dataset::{Dataset, Day, Interned};
pub use error::{EngineError, Result};
