//! Streaming parse of the whole file into a [`Dataset`] and a [`QualityReport`].
//! (Interface fixed; implementation by the ingest work.)

use std::io::Read;

use serde::{Deserialize, Serialize};

use super::{ColumnRole, DropReason, IngestError, IngestParams, TextEncoding};
use crate::engine::{Dataset, Day};

/// Lines dropped for one reason, with up to 5 examples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DroppedRows {
    /// Why.
    pub reason: DropReason,
    /// Header text of the column concerned ("" for [`DropReason::TooFewFields`]).
    pub column: String,
    /// How many lines.
    pub count: u64,
    /// Up to 5 (1-based line number, cell value truncated to 60 chars) examples, in file order.
    pub examples: Vec<(u64, String)>,
}

/// Empty cells in one mapped column (among lines otherwise read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMissing {
    /// The role the column plays.
    pub role: ColumnRole,
    /// Header text.
    pub column: String,
    /// Empty cells.
    pub missing: u64,
}

/// Negative-amount lines (returns), netted per order by the analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnsSummary {
    /// Lines with a negative amount.
    pub lines: u64,
    /// Sum of their amounts (a negative number).
    pub amount: f64,
}

/// What the ingest saw: shown before the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Encoding used.
    pub encoding: TextEncoding,
    /// Delimiter used.
    pub delimiter: u8,
    /// Data rows read (header excluded; blank lines skipped and not counted).
    pub rows_read: u64,
    /// Rows kept in the dataset (duplicates included; they are flagged, not dropped).
    pub rows_kept: u64,
    /// Dropped lines by reason, most frequent first.
    pub dropped: Vec<DroppedRows>,
    /// Lines that repeat an earlier line exactly.
    pub exact_duplicates: u64,
    /// Up to 5 (line number, line number of the first occurrence) examples.
    pub duplicate_examples: Vec<(u64, u64)>,
    /// Empty cells per mapped optional column (required columns' empties are drops).
    pub missing: Vec<ColumnMissing>,
    /// Return lines.
    pub returns: ReturnsSummary,
    /// First and last day among kept rows.
    pub date_range: Option<(Day, Day)>,
    /// Distinct customers among kept rows.
    pub customers: u64,
    /// Distinct orders among kept rows (order ids when mapped, else customer-days).
    pub orders: u64,
    /// Distinct products (0 without a product column).
    pub products: u64,
    /// Cells whose bytes were not valid in the encoding and were replaced by U+FFFD.
    pub replaced_characters: u64,
    /// Non-fatal notes (e.g. "amounts used decimal comma").
    pub notes: Vec<String>,
}

/// Streams `reader` (the whole file, `total_bytes` long) into a [`Dataset`].
///
/// `progress(bytes_consumed)` is called every few hundred kilobytes so the worker can report.
/// Fails when a required column is unmapped, the file is empty or binary, or more than half the
/// data rows cannot be used ([`IngestError::MostRowsBad`], with the first example).
pub fn ingest<R: Read>(
    reader: R,
    total_bytes: u64,
    params: &IngestParams,
    progress: &mut dyn FnMut(u64),
) -> Result<(Dataset, QualityReport), IngestError> {
    let _ = (reader, total_bytes, params, progress);
    Err(IngestError::Empty)
}
