//! # SegScope
//!
//! Private customer analytics that runs entirely in the browser: drop a transactions CSV, get RFM
//! segments, Pareto figures and a target list; nothing leaves the machine.
//!
//! A short tour, data flowing one way:
//!
//! 1. [`engine`] is pure Rust (no web crates): [`engine::ingest`] sniffs and streams a CSV into a
//!    columnar [`engine::Dataset`]; [`engine::rfm`] turns it into scores, segments and a bounded,
//!    chart-ready [`engine::rfm::Report`]. Everything is deterministic and tested natively.
//! 2. [`protocol`] holds the serde messages between the page and the worker, and nothing else.
//! 3. `worker` (wasm32 only) is the Web Worker that owns the dataset and runs engine jobs with
//!    progress; cancel terminates it.
//! 4. [`charts`] has one drawing function per chart, generic over plotters' `DrawingBackend`
//!    (canvas in the page, SVG in native tests and the CLI).
//! 5. `app` (wasm32 only) is the Leptos UI: components wire signals to plain types.
//! 6. [`i18n`] is the one catalog of UI strings, English and 简体中文; [`format`] formats numbers.
//!
//! The native CLI ([`cli`], native only; `src/bin/segscope.rs` is its `main`) runs the same engine
//! for batch use and benchmarks.

#![warn(missing_docs)]

/// The pure analytics, a crate of its own (`crates/engine`, package `segscope-engine`) so that
/// no web crate can reach it; re-exported here so the app, worker, charts and CLI say `engine::`.
pub use segscope_engine as engine;

pub mod charts;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod format;
pub mod i18n;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod wire;
#[cfg(target_arch = "wasm32")]
pub mod worker;
