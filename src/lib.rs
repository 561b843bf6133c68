//! # SegScope
//!
//! Private customer analytics that runs entirely in the browser: drop a transactions CSV, get RFM
//! segments, Pareto figures and a target list; nothing leaves the machine.
//!
//! A short tour, data flowing one way (`docs/architecture.md` has the whole map and how to add an
//! analysis):
//!
//! 1. [`engine`] (the `segscope-engine` crate, no web crate in its tree) is the pure analytics:
//!    [`engine::ingest`] sniffs and streams a CSV into a columnar [`engine::Dataset`];
//!    [`engine::rfm`] scores, segments and reports; [`engine::clv`] predicts (BG/NBD, Pareto/NBD,
//!    Gamma-Gamma); [`engine::cluster`] finds segments, profiles and tags; [`engine::calendar`]
//!    and [`engine::csv_out`] hold the date maths and the export cell rules. Its
//!    [`engine::session::Session`] owns the dataset and every cached result, with the
//!    invalidation rules, and answers typed requests.
//! 2. [`protocol`] is the wire between page and worker: the envelope (id, file generation), the
//!    version, and the one encoder that keeps non-finite numbers off the wire.
//! 3. `worker` (wasm32 only) is the Web Worker: a thin adapter from `Blob`s and messages to the
//!    session; cancel terminates it.
//! 4. [`charts`] has one drawing function per chart, generic over plotters' `DrawingBackend`
//!    (canvas in the page, SVG in native tests and the CLI).
//! 5. `app` (wasm32 only) is the Leptos UI: components wire signals to plain types; `app::client`
//!    is the only door to the worker.
//! 6. [`i18n`] is the one catalog of UI strings, English and 简体中文; [`format`](mod@format) formats numbers
//!    for people.
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
pub mod route;
pub mod xlsx;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod wire;
#[cfg(target_arch = "wasm32")]
pub mod worker;
