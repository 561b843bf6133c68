//! CSV bytes → [`Dataset`](super::Dataset), in two steps that mirror the page:
//!
//! 1. [`preview`] reads the head of the file: detects the encoding, delimiter and header row,
//!    suggests a [`ColumnMapping`] from header names (English and Chinese) and values, and infers the
//!    date order, flagging it when the head cannot tell D/M/Y from M/D/Y.
//! 2. [`ingest`] streams the whole file with the confirmed [`IngestParams`], keeping compact columns
//!    and counting everything it drops in a [`QualityReport`].

mod errors;
mod hash;
mod params;
mod parse;
mod schema;
mod sniff;
mod values;

pub use errors::{DropReason, IngestError};
pub use params::{ColumnMapping, ColumnRole, DateOrder, IngestParams, PreviewParams, TextEncoding};
pub use parse::PROGRESS_STEP_BYTES;
pub use parse::{ingest, ColumnMissing, DroppedRows, QualityReport, ReturnsSummary};
pub use schema::HEAD_CUT_MIN_BYTES;
pub use schema::{preview, Preview};
pub use values::{parse_amount, parse_date, DateParse};
