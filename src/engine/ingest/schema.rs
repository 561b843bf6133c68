//! Column-role detection and the preview. (Interface fixed; implementation by the ingest work.)

use serde::{Deserialize, Serialize};

use super::{ColumnMapping, DateOrder, IngestError, PreviewParams, TextEncoding};

/// What the head of the file looks like, with SegScope's guesses for the user to confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Detected (or forced) encoding.
    pub encoding: TextEncoding,
    /// Detected (or forced) delimiter.
    pub delimiter: u8,
    /// Whether the first row looks like (or was said to be) a header.
    pub has_header: bool,
    /// Column names: the header cells, or "column 1", "column 2"... without a header.
    pub columns: Vec<String>,
    /// Up to 20 first data rows, cells as text (truncated to 80 chars).
    pub rows: Vec<Vec<String>>,
    /// Suggested mapping (from header names in English/Chinese, then from values).
    pub mapping: ColumnMapping,
    /// Inferred date order for the suggested date column (Ymd when nothing else is possible).
    pub date_order: DateOrder,
    /// True when the sampled dates fit both D/M/Y and M/D/Y: the UI must ask.
    pub date_order_ambiguous: bool,
}

/// Reads the head of a file (the first megabyte is plenty) and guesses its shape.
pub fn preview(head: &[u8], params: &PreviewParams) -> Result<Preview, IngestError> {
    let _ = (head, params);
    Err(IngestError::Empty)
}
