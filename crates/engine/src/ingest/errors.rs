//! Ingest errors (the file cannot be used) and drop reasons (one line cannot be used).

use serde::{Deserialize, Serialize};

use super::ColumnRole;

/// Why a single line was dropped. Counted in the [`QualityReport`](super::QualityReport).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DropReason {
    /// The customer id cell is empty.
    MissingCustomerId,
    /// The date cell is empty.
    MissingDate,
    /// The date cell is not a date in any accepted format (for the chosen date order).
    BadDate,
    /// The amount cell is empty.
    MissingAmount,
    /// The amount cell is not a number.
    BadAmount,
    /// The line has fewer fields than a mapped column needs.
    TooFewFields,
    /// The date is a real date but not a plausible transaction date: before 1900 (year 1, Excel's
    /// empty date 1899-12-31) or from 2200 on (9999-12-31 placeholders). Kept, it would move the
    /// as-of date and every recency by centuries.
    ImplausibleDate,
    /// The amount's size is at least [`MAX_PLAUSIBLE_AMOUNT`] (1e12): no single line of a sale
    /// is that large, and sums of such values overflow what a screen, a file or a message can
    /// hold.
    ImplausibleAmount,
    /// The date is plausible on its own but far from the file's other dates (a stray 2090 or a
    /// 1900-01-01 placeholder in a 2023 export): three years or more without a single line
    /// separate it from the main run of the file's dates ([`super::far_date_fences`]). Kept, it would move the as-of date, every recency and
    /// every customer's age. Kept on request (`IngestParams::keep_far_dates`).
    FarFromOtherDates,
    /// A per-customer summary's number is missing, not a number, negative, not whole where it
    /// must be (frequency, orders) or inconsistent (recency above T; repeat purchases without
    /// recency, or recency without repeats).
    BadSummaryValue,
    /// A per-customer summary's row repeats an earlier row's customer id (the first is kept).
    RepeatedCustomerId,
}

/// Amounts of this size or more are dropped as [`DropReason::ImplausibleAmount`].
pub const MAX_PLAUSIBLE_AMOUNT: f64 = 1e12;

/// A file that cannot be used. Each variant says where, with examples, for the UI to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum IngestError {
    /// Zero bytes, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// A header row and no data.
    #[error("the file has a header row but no data rows")]
    HeaderOnly,
    /// NUL bytes or undecodable content: not a text table (an Excel .xlsx, an image...).
    #[error("the file is not a text table (binary data near byte {byte_offset})")]
    Binary {
        /// Offset of the first offending byte.
        byte_offset: u64,
    },
    /// A required role is not mapped to any column.
    #[error("no column is mapped to the required role {role:?}")]
    MissingColumn {
        /// The unmapped role.
        role: ColumnRole,
    },
    /// A mapping points past the last column.
    #[error("column {column} mapped to {role:?} does not exist (the file has {columns} columns)")]
    ColumnOutOfRange {
        /// The role.
        role: ColumnRole,
        /// The zero-based column index.
        column: usize,
        /// Number of columns in the header.
        columns: usize,
    },
    /// Two roles mapped to the same column.
    #[error("column {column} is mapped to both {first:?} and {second:?}")]
    DuplicateMapping {
        /// The column index.
        column: usize,
        /// One role.
        first: ColumnRole,
        /// The other role.
        second: ColumnRole,
    },
    /// More than half of the lines were dropped: the mapping or date order is probably wrong.
    #[error("{dropped} of {read} rows could not be used; first problem: {reason:?} at line {example_line}, column '{column}', value '{example_value}'")]
    MostRowsBad {
        /// Data rows read.
        read: u64,
        /// Data rows dropped.
        dropped: u64,
        /// The most frequent drop reason.
        reason: DropReason,
        /// Column name (header text, or "column N") for that reason.
        column: String,
        /// A 1-based line number with that problem.
        example_line: u64,
        /// The offending cell value (truncated to 60 characters).
        example_value: String,
    },
    /// Reading the input failed.
    #[error("could not read the file: {message}")]
    Io {
        /// The reader's message.
        message: String,
    },
    /// A workbook (.xlsx, .xls, .ods) that could not be opened: damaged, password-protected, or
    /// a format the reader does not know.
    #[error("the workbook could not be opened: {message}")]
    Workbook {
        /// The reader's message.
        message: String,
    },
    /// The sheet asked for is not in the workbook.
    #[error("the workbook has no sheet named '{sheet}' (its sheets: {sheets:?})")]
    SheetNotFound {
        /// The name asked for.
        sheet: String,
        /// The workbook's sheets.
        sheets: Vec<String>,
    },
}
