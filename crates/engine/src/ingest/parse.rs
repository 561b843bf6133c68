//! Streaming parse of the whole file into a [`Dataset`] and a [`QualityReport`].
//!
//! The file is read once, in blocks, through a byte-counting reader (progress), a decoder (for
//! UTF-16 and GB18030 only) and the record reader (`records.rs`: plain lines split in place,
//! quoted records through `csv_core`).
//! Only the columns are kept: interned strings, days, amounts and 64-bit order-id hashes. Cells are
//! decoded from bytes only when needed (dates and amounts on a cache miss, new interned values).

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::errors::MAX_PLAUSIBLE_AMOUNT;
use super::hash::{hash64, hash_fields, hash_text, mix, sort_hashes};
use super::intern::{plain_number, same_short_bytes, Interner};
use super::part::{CodesColumn, Column, PartRows, PartTally, TextRows};
use super::records::{would_block, OwnedRecord, Record, RecordReader};
use super::schema::{column_names, truncate_chars};
use super::sniff;
use super::values::{
    parse_amount_detail, parse_date, parse_plain_amount, parse_time_of_day, DateParse,
};
use super::{ColumnMapping, ColumnRole, DropReason, IngestError, IngestParams, TextEncoding};
use crate::{Codes, Dataset, Day, Interned};

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
    /// Quotes opened and never closed on their line: each swallowed the lines after it into one
    /// cell, so those lines were read again without quoting (in file order).
    #[serde(default)]
    pub quote_repairs: Vec<QuoteRepair>,
    /// Lines dated far from the file's other dates, dropped (listed in `dropped` as
    /// [`DropReason::FarFromOtherDates`]) or kept on request; `None` when there are none.
    #[serde(default)]
    pub far_dates: Option<FarDates>,
    /// For a per-customer summary file: what reading it found (`None` for transactions, and then
    /// absent from the JSON, whose key set stays as it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<crate::summary::SummaryFacts>,
}

/// Lines whose date lies far outside the file's main date range ([`far_date_fences`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FarDates {
    /// How many lines.
    pub lines: u64,
    /// The range of dates kept without question (days since 1970-01-01, inclusive): the
    /// quartiles widened by the fence.
    pub first_day: Day,
    /// Its last day.
    pub last_day: Day,
    /// Whether they were kept (`IngestParams::keep_far_dates`) rather than dropped.
    pub kept: bool,
    /// Up to 5 (1-based line, ISO date) examples, in file order.
    pub examples: Vec<(u64, String)>,
}

/// A quote that ran away: a cell opened with `"` on `line` took the following lines (which look
/// like whole rows) into itself, so the `lines` physical lines from `line` on were read again with
/// quotes as plain characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRepair {
    /// 1-based line where the quote opened.
    pub line: u64,
    /// Physical lines read again without quoting (the opening line included).
    pub lines: u64,
}

/// Streams `reader` (the whole file, `total_bytes` long) into a [`Dataset`].
///
/// `progress(bytes_consumed)` is called every few hundred kilobytes so the worker can report.
/// Fails when a required column is unmapped, the file is empty or binary, or more than half the
/// data rows that name a customer cannot be used ([`IngestError::MostRowsBad`], with the first
/// example); rows without a customer id (anonymous sales) are dropped and counted, never fatal.
///
/// Details worth knowing:
///
/// - `progress` gets the number of raw bytes read so far, at least every [`PROGRESS_STEP_BYTES`]
///   and once more at the end of the input; `total_bytes` only sizes the first allocations.
/// - Blank lines (and lines of empty fields only) are skipped and not counted.
/// - A line is dropped for the first problem found among customer id, date and amount, in that
///   order; it is kept otherwise, whatever its optional cells hold.
/// - Empty optional text cells (product, region, channel) are interned as `""`, so every index is
///   valid; [`QualityReport::products`] does not count `""`. An empty or non-numeric quantity is
///   `f64::NAN`. An empty order id is replaced by a hash of the line's day, so such lines group
///   into one order per customer and day (said in [`QualityReport::notes`]).
/// - Order ids are stored as 64-bit hashes (collisions are negligible: about 3·10⁻⁸ for a
///   million distinct ids); the text is never needed again.
/// - Exact duplicates are kept lines whose fields are all byte-for-byte equal to an earlier kept
///   line (compared by a 64-bit hash of the fields).
/// - [`QualityReport::replaced_characters`] counts U+FFFD produced when decoding UTF-16 and
///   GB18030 files (the whole text). For UTF-8 files it counts invalid sequences replaced in the
///   interned text cells (customer, product, region, channel), per line; invalid bytes elsewhere
///   make a date or amount bad or are never decoded.
pub fn ingest<R: Read>(
    reader: R,
    total_bytes: u64,
    params: &IngestParams,
    progress: &mut dyn FnMut(u64),
) -> Result<(Dataset, QualityReport), IngestError> {
    let (dataset, report, _) = ingest_with(reader, total_bytes, params, progress, false)?;
    Ok((dataset, report))
}

/// One part of a larger input read by [`ingest_part`]: its dataset and report, and for each kept
/// line (in the dataset's order) what [`ingest`] compares to find exact duplicates.
#[derive(Debug, Clone)]
pub struct IngestedPart {
    /// The kept lines (exact duplicates flagged within the part only).
    pub dataset: Dataset,
    /// What the part held (no [`IngestError::MostRowsBad`] check: the caller applies
    /// [`check_most_rows_bad`] to the whole input).
    pub report: QualityReport,
    /// `(hash of all the line's fields, 1-based line in the part's text)` of each kept line, in
    /// the dataset's order: two lines are exact duplicates when their hashes are equal.
    pub line_keys: Vec<(u64, u32)>,
}

/// [`ingest`] for one part of a larger input (a chunk of a file cut on record boundaries, its
/// header line prepended): the same reading and cleaning rules, plus each kept line's
/// duplicate-detection hash ([`IngestedPart::line_keys`]), so a caller can find exact duplicates
/// across parts; and no "most rows bad" refusal, which only the whole input can decide.
/// Use `keep_far_dates: true`: whether a date is far depends on the whole input too
/// ([`far_date_fences_counted`]).
pub fn ingest_part<R: Read>(
    reader: R,
    total_bytes: u64,
    params: &IngestParams,
) -> Result<IngestedPart, IngestError> {
    let (dataset, report, line_keys) = ingest_with(reader, total_bytes, params, &mut |_| {}, true)?;
    Ok(IngestedPart {
        dataset,
        report,
        line_keys,
    })
}

/// [`ingest`] of a UTF-8 file read as two parts at once, on two threads (native only: the
/// browser's worker has one): `first` reads the file from its start, `second` from byte `split`,
/// which must follow a line feed. The result is [`ingest`]'s for the whole file, byte for byte
/// (the differential tests check it), or `Ok(None)` when that line feed was inside a quoted cell
/// (the parts cannot be joined: read the file whole instead).
///
/// `progress` gets the bytes of the first part read, scaled to the whole file.
#[cfg(not(target_arch = "wasm32"))]
pub fn ingest_split<R: Read, S: Read + Send>(
    first: R,
    split: u64,
    second: S,
    total_bytes: u64,
    params: &IngestParams,
    progress: &mut dyn FnMut(u64),
) -> Result<Option<(Dataset, QualityReport)>, IngestError> {
    check_roles(&params.mapping)?;
    if !matches!(params.encoding, TextEncoding::Utf8) || split == 0 || split >= total_bytes {
        return Err(IngestError::Io {
            message: "a file read in two parts must be UTF-8, cut inside".to_string(),
        });
    }
    let mut scaled = |n: u64| {
        let whole = (u128::from(n) * u128::from(total_bytes) / u128::from(split)) as u64;
        progress(whole.min(total_bytes));
    };
    let mut counting = CountingReader {
        inner: first.take(split),
        consumed: 0,
        reported: 0,
        progress: &mut scaled,
    };
    let (head, estimated_rows) = read_head(&mut counting, total_bytes, params.encoding)?;
    let mut reader = RecordReader::new(Cursor::new(head).chain(counting), params.delimiter);
    let (columns, first_record) = first_record(&mut reader, params)?;
    check_ranges(&params.mapping, columns.len())?;
    let half = estimated_rows.div_ceil(2) + 1024;
    let mut builder = Builder::new(params, columns.clone(), estimated_rows)?;
    std::thread::scope(|scope| {
        // The first part's builder holds the whole file in the end: reserved for it all.
        let other = scope.spawn(|| -> Result<Builder, IngestError> {
            let mut builder = Builder::new(params, columns, half)?;
            let mut reader = RecordReader::part(second, params.delimiter);
            read_rows(&mut reader, &mut builder, params.delimiter)?;
            // Its lookup tables are freed here, before the join (whose peak would otherwise
            // hold them beside the first part's).
            builder.forget_lookups();
            Ok(builder)
        });
        if let Some((record, line)) = first_record {
            builder.push(&record.as_record(), line);
        }
        let read = read_rows(&mut reader, &mut builder, params.delimiter);
        let joined = other.join();
        read?;
        let other = joined.map_err(|_| IngestError::Io {
            message: "the second reading thread stopped".to_string(),
        })??;
        if !reader.clean_end() {
            return Ok(None);
        }
        builder.append(other.into_rows(), reader.line_feeds());
        builder.threads = 2;
        let (dataset, report, _) = builder.finish(0)?;
        Ok(Some((dataset, report)))
    })
}

/// Reads the head of the input (the first [`HEAD_BYTES`]), checks that it is text and estimates
/// the rows of the whole input from it ([`estimate_rows`]).
pub(super) fn read_head(
    reader: &mut impl Read,
    total_bytes: u64,
    encoding: TextEncoding,
) -> Result<(Vec<u8>, usize), IngestError> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    reader
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    sniff::check_binary(&head, encoding)?;
    let estimated_rows = estimate_rows(&head, total_bytes);
    Ok((head, estimated_rows))
}

/// The column names, and without a header the first data row with its line.
pub(super) type FirstRecord = (Vec<String>, Option<(OwnedRecord, u64)>);

/// Reads the first non-blank record: the header's column names (and no data row), or without a
/// header the generated names and the record itself, a data row, with its line.
fn first_record<R: Read>(
    reader: &mut RecordReader<R>,
    params: &IngestParams,
) -> Result<FirstRecord, IngestError> {
    try_first_record(reader, params)?.ok_or_else(stopped_arriving)
}

/// [`first_record`], or `None` when the source has no bytes yet (a fed source: call again
/// when it has more).
pub(super) fn try_first_record<R: Read>(
    reader: &mut RecordReader<R>,
    params: &IngestParams,
) -> Result<Option<FirstRecord>, IngestError> {
    loop {
        let read = match reader.read() {
            Ok(read) => read,
            Err(e) if would_block(&e) => return Ok(None),
            Err(e) => return Err(io_error(e)),
        };
        let Some((record, at)) = read else {
            return Err(IngestError::Empty);
        };
        if record.is_blank() {
            continue;
        }
        return Ok(Some(if params.has_header {
            let header: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            (column_names(&header, header.len()), None)
        } else {
            (
                column_names(&[], record.len()),
                Some((OwnedRecord::of(&record), at.line)),
            )
        }));
    }
}

/// Drops a UTF-8 byte-order mark, or a stray UTF-16 one before UTF-8 text (see
/// `sniff::detect_encoding`), from the head of a UTF-8 file.
pub(super) fn drop_utf8_marks(head: &mut Vec<u8>) {
    if head.starts_with(b"\xEF\xBB\xBF") {
        head.drain(..3);
    } else if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        head.drain(..2);
    }
}

/// The builder of the rows after `first` (the column names, and the first data row of a file
/// without a header), with room for `estimated_rows`.
pub(super) fn start_rows(
    params: &IngestParams,
    (columns, first): FirstRecord,
    estimated_rows: usize,
) -> Result<Builder, IngestError> {
    check_ranges(&params.mapping, columns.len())?;
    let mut builder = Builder::new(params, columns, estimated_rows)?;
    if let Some((record, line)) = first {
        builder.push(&record.as_record(), line);
    }
    Ok(builder)
}

/// A pulled source said it had no bytes yet: only a fed source may, so this is an error.
fn stopped_arriving() -> IngestError {
    io_error(io::ErrorKind::WouldBlock.into())
}

/// Reads every remaining record into `builder`.
fn read_rows<R: Read>(
    reader: &mut RecordReader<R>,
    builder: &mut Builder,
    delimiter: u8,
) -> Result<(), IngestError> {
    if read_rows_until_blocked(reader, builder, delimiter)? {
        Ok(())
    } else {
        Err(stopped_arriving())
    }
}

/// Reads records into `builder` until the end of the input (`true`) or until the source has no
/// bytes yet (`false`: a fed source; call again when it has more).
pub(super) fn read_rows_until_blocked<R: Read>(
    reader: &mut RecordReader<R>,
    builder: &mut Builder,
    delimiter: u8,
) -> Result<bool, IngestError> {
    loop {
        let read = match reader.read() {
            Ok(read) => read,
            Err(e) if would_block(&e) => return Ok(false),
            Err(e) => return Err(io_error(e)),
        };
        let Some((record, at)) = read else {
            return Ok(true);
        };
        if record.is_blank() {
            continue;
        }
        // Only a record that spans lines can be a runaway quote: no cost for the others.
        if at.multiline && runaway_quote(&record, delimiter, builder.columns.len()) {
            builder.reread_unquoted(&record, at.line);
        } else {
            builder.push(&record, at.line);
        }
    }
}

/// What an ingest returns inside this module: with the line keys of [`ingest_part`].
pub(super) type Ingested = (Dataset, QualityReport, Vec<(u64, u32)>);

/// [`ingest`], and with `part` [`ingest_part`]'s differences.
fn ingest_with<R: Read>(
    reader: R,
    total_bytes: u64,
    params: &IngestParams,
    progress: &mut dyn FnMut(u64),
    part: bool,
) -> Result<Ingested, IngestError> {
    check_roles(&params.mapping)?;
    let mut counting = CountingReader {
        inner: reader,
        consumed: 0,
        reported: 0,
        progress,
    };
    let (mut head, estimated_rows) = read_head(&mut counting, total_bytes, params.encoding)?;

    let replaced = Rc::new(Cell::new(0u64));
    let source: Box<dyn Read + '_> = match params.encoding {
        TextEncoding::Utf8 => {
            drop_utf8_marks(&mut head);
            Box::new(Cursor::new(head).chain(counting))
        }
        other => {
            let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(sniff::encoding_rs_of(other)))
                .strip_bom(true)
                .build(Cursor::new(head).chain(counting));
            Box::new(ReplacementCounter {
                inner: decoder,
                matched: 0,
                count: Rc::clone(&replaced),
            })
        }
    };
    let mut reader = RecordReader::new(source, params.delimiter);
    let (columns, first) = first_record(&mut reader, params)?;
    let mut builder = start_rows(params, (columns, first), estimated_rows)?;
    builder.part = part;
    read_rows(&mut reader, &mut builder, params.delimiter)?;
    drop(reader);
    builder.finish(replaced.get())
}

/// The days a kept line can have (1900-01-01 up to, not including, 2200-01-01; others are
/// [`DropReason::ImplausibleDate`]), in days since 1970-01-01.
pub const PLAUSIBLE_DAYS: std::ops::Range<Day> = FIRST_PLAUSIBLE_DAY..FIRST_IMPLAUSIBLE_FUTURE_DAY;
/// 1900-01-01 in days since 1970-01-01: earlier dates are [`DropReason::ImplausibleDate`].
const FIRST_PLAUSIBLE_DAY: Day = -25_567;
/// 2200-01-01 in days since 1970-01-01: this and later dates are [`DropReason::ImplausibleDate`].
const FIRST_IMPLAUSIBLE_FUTURE_DAY: Day = 84_006;

/// A date is far from the others ([`DropReason::FarFromOtherDates`]) when at least this many days
/// without a single line separate it from the file's main run of dates (the run around the
/// median date). Three years: a typo's year (2090, 2032 in a 2023 file) or a placeholder
/// (1900-01-01) stands alone, while a growing business's thin early years, a seasonal file or a
/// pause of a year or two stay one run.
pub const FAR_DATE_MIN_GAP_DAYS: i32 = 3 * 365 + 1;
/// Days are counted in bins of this many days (a histogram: no sort, no copy of the days); a
/// gap is whole empty bins, so it is measured slightly short, never long.
const FAR_DATE_BIN_DAYS: i32 = 30;
/// With fewer lines the median says nothing: nothing is far.
const FAR_DATE_MIN_LINES: usize = 3;

/// The main run of dates, `(first, last)` inclusive: from the bin of the median line's date,
/// outwards in both directions until [`FAR_DATE_MIN_GAP_DAYS`] pass without a line. `None` for
/// fewer than three lines. Hand-written (a gap scan over a histogram): no crate does it, and a
/// sorted copy of 30M days would be 120 MB in a tab.
pub fn far_date_fences(days: &[Day]) -> Option<(Day, Day)> {
    // A run of one day counted at once: a date-sorted file repeats each day for many lines (the
    // histogram's division a line was ≈ 40 ms of the 10M-row ingest in wasm).
    far_date_fences_counted(
        days.chunk_by(|a, b| a == b)
            .filter_map(|run| Some((*run.first()?, run.len() as u64))),
    )
}

/// [`far_date_fences`] over `(day, lines)` pairs, e.g. a histogram of the days of a file read in
/// chunks (the CLI's streamed `summarize`): the same fences as [`far_date_fences`] over the days
/// listed with their multiplicities, in any order.
pub fn far_date_fences_counted(days: impl IntoIterator<Item = (Day, u64)>) -> Option<(Day, Day)> {
    let bin = |day: Day| ((day - FIRST_PLAUSIBLE_DAY).max(0) / FAR_DATE_BIN_DAYS) as usize;
    let mut counts = vec![0u64; bin(FIRST_IMPLAUSIBLE_FUTURE_DAY) + 1];
    let mut lines = 0u64;
    for (day, n) in days {
        if let Some(c) = counts.get_mut(bin(day)) {
            *c += n;
        }
        lines += n;
    }
    if lines < FAR_DATE_MIN_LINES as u64 {
        return None;
    }
    let rank = lines / 2;
    let mut seen = 0u64;
    let median = counts
        .iter()
        .position(|c| {
            seen += c;
            seen > rank
        })
        .unwrap_or(0);
    // Whole empty bins that make a gap (a gap shorter than FAR_DATE_MIN_GAP_DAYS may span one
    // bin more, as its ends fall inside bins with lines).
    let gap_bins = (FAR_DATE_MIN_GAP_DAYS / FAR_DATE_BIN_DAYS) as usize;
    let run_end = |bins: &mut dyn Iterator<Item = usize>| {
        let mut last = median;
        let mut empty = 0;
        for b in bins {
            if counts.get(b).copied().unwrap_or(0) > 0 {
                last = b;
                empty = 0;
            } else {
                empty += 1;
                if empty >= gap_bins {
                    break;
                }
            }
        }
        last
    };
    let first_bin = run_end(&mut (0..median).rev());
    let last_bin = run_end(&mut (median + 1..counts.len()));
    Some((
        FIRST_PLAUSIBLE_DAY + first_bin as i32 * FAR_DATE_BIN_DAYS,
        FIRST_PLAUSIBLE_DAY + (last_bin as i32 + 1) * FAR_DATE_BIN_DAYS - 1,
    ))
}

/// `progress` is called at least this often (in raw bytes read).
pub const PROGRESS_STEP_BYTES: u64 = 256 * 1024;
/// Rows reserved up front at most (a guard against a wrong `total_bytes`; about 2.5 GB of
/// columns, more than a wasm32 worker can hold anyway).
const MAX_RESERVED_ROWS: usize = 64 << 20;

/// The row count to reserve the columns for: the file size over the head's own bytes per line,
/// plus 3 % and a little. Measured: a fixed 48 bytes a line under-reserved the benchmark file
/// (46.7 bytes a line), so every column doubled in the last 3 % of the file, and at 10M rows a
/// 4M-row cap made them double twice (890 MB of capacity for 517 MB of data). Reserving from the
/// measured line length avoids the doubling and its copy.
fn estimate_rows(head: &[u8], total_bytes: u64) -> usize {
    let newlines = head.iter().filter(|&&b| b == b'\n').count();
    let bytes_per_line = if newlines > 0 {
        (head.len() as f64 / newlines as f64).max(4.0)
    } else {
        48.0
    };
    let rows = total_bytes as f64 / bytes_per_line * 1.03 + 1024.0;
    if rows.is_finite() && rows > 0.0 {
        (rows as usize).min(MAX_RESERVED_ROWS)
    } else {
        1024
    }
}
/// Bytes read up front to check that the input is text.
pub(super) const HEAD_BYTES: usize = 64 * 1024;
/// Examples kept per drop reason and for duplicates.
const MAX_EXAMPLES: usize = 5;
/// Characters kept of an example cell value.
const EXAMPLE_CHARS: usize = 60;

const SEED_ORDER: u64 = 0x6f72_6465_7220_6964; // "order id"
const SEED_MISSING_ORDER: u64 = 0x6e6f_206f_7264_6572; // "no order"
const SEED_RECORD: u64 = 0x7265_636f_7264_2121; // "record!!"
const SEED_ORDER_KEY: u64 = 0x6f72_6465_726b_6579; // "orderkey"

fn io_error(e: io::Error) -> IngestError {
    IngestError::Io {
        message: e.to_string(),
    }
}

/// Whether a record is a quote that ran away. It spans several lines and either one of its cells
/// holds a line break followed by a line with as many delimiters as a whole row has
/// (`columns - 1`: it swallowed rows), or it has more cells than the header (the quote closed
/// again part-way through a later line). A legitimate multi-line cell (an address, a note, an
/// id) has neither.
fn runaway_quote(record: &Record<'_>, delimiter: u8, columns: usize) -> bool {
    if columns < 2 || !record.text().contains(&b'\n') {
        return false;
    }
    if record.len() > columns {
        return true;
    }
    record.iter().any(|cell| {
        cell.split(|&b| b == b'\n')
            .skip(1)
            .any(|line| line.iter().filter(|&&b| b == delimiter).count() + 1 >= columns)
    })
}

/// Required roles mapped, no column used twice.
pub(super) fn check_roles(mapping: &ColumnMapping) -> Result<(), IngestError> {
    for role in ColumnRole::ALL {
        if role.is_required() && mapping.get(role).is_none() {
            return Err(IngestError::MissingColumn { role });
        }
    }
    for (i, first) in ColumnRole::ALL.into_iter().enumerate() {
        let Some(column) = mapping.get(first) else {
            continue;
        };
        for second in ColumnRole::ALL.into_iter().skip(i + 1) {
            if mapping.get(second) == Some(column) {
                return Err(IngestError::DuplicateMapping {
                    column,
                    first,
                    second,
                });
            }
        }
    }
    Ok(())
}

/// Every mapped column exists in the header (or the first row, without a header).
fn check_ranges(mapping: &ColumnMapping, columns: usize) -> Result<(), IngestError> {
    for role in ColumnRole::ALL {
        if let Some(column) = mapping.get(role) {
            if column >= columns {
                return Err(IngestError::ColumnOutOfRange {
                    role,
                    column,
                    columns,
                });
            }
        }
    }
    Ok(())
}

/// Counts raw bytes and reports progress.
struct CountingReader<'p, R> {
    inner: R,
    consumed: u64,
    reported: u64,
    progress: &'p mut dyn FnMut(u64),
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        if (n == 0 && self.reported != self.consumed)
            || self.consumed - self.reported >= PROGRESS_STEP_BYTES
        {
            self.reported = self.consumed;
            (self.progress)(self.consumed);
        }
        Ok(n)
    }
}

/// Counts U+FFFD (bytes EF BF BD) in decoded UTF-8 passing through.
struct ReplacementCounter<R> {
    inner: R,
    /// How many bytes of EF BF BD the previous block ended with.
    matched: u8,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for ReplacementCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut found = 0u64;
        for &b in buf.get(..n).unwrap_or_default() {
            self.matched = match (self.matched, b) {
                (_, 0xEF) => 1,
                (1, 0xBF) => 2,
                (2, 0xBD) => {
                    found += 1;
                    0
                }
                _ => 0,
            };
        }
        if found > 0 {
            self.count.set(self.count.get() + found);
        }
        Ok(n)
    }
}

/// Lines dropped for one reason.
struct DropTally {
    reason: DropReason,
    column: String,
    count: u64,
    examples: Vec<(u64, String)>,
}

/// An optional text column (product, region, channel): interned values and empties.
struct TextColumn {
    column: usize,
    role: ColumnRole,
    values: Codes,
    interner: Interner,
    missing: u64,
}

impl TextColumn {
    fn new(role: ColumnRole, column: Option<usize>, capacity: usize) -> Option<Self> {
        column.map(|column| Self {
            column,
            role,
            values: Codes::with_capacity(capacity),
            interner: Interner::new(),
            missing: 0,
        })
    }

    /// Interns this column's cell of `record`; returns the replacement characters needed.
    #[inline]
    fn push(&mut self, record: &Record<'_>) -> u32 {
        let cell = record.get(self.column).map_or(&b""[..], <[u8]>::trim_ascii);
        if cell.is_empty() {
            self.missing += 1;
        }
        let (i, replaced) = self.interner.intern(cell);
        self.values.push(i);
        replaced
    }
}

/// The key that finds exact duplicates: equal for records with the same fields, boundaries
/// included, whether a line was quoted or not (`1,"a",b` repeats `1,a,b`).
///
/// A plain record's text is its fields joined by the delimiter, and no field holds the
/// delimiter, so the text names the fields: one hash over the text, a word at a time, each
/// multiply by a constant (see [`mix`]), without finding each field and branching on its length
/// as a hash field by field does (8 multiplies either way for a 46-byte line). Measured on
/// the 1M-row file, the ingest alone, three rounds of 7 runs in wasm (V8, in node): 306–348 ms
/// field by field, 279–286 ms with this key (352–376 ms before [`mix`]'s halves too).
/// A quoted record is joined the same way unless a field holds the delimiter; then its text
/// would not name its fields, and they are hashed one by one (no plain line has such a field).
#[inline]
fn record_key(record: &Record<'_>, delimiter: u8) -> u64 {
    if record.is_plain() {
        return hash_text(record.text(), SEED_RECORD);
    }
    if record.iter().all(|field| !field.contains(&delimiter)) {
        return hash_text(&record.joined(delimiter), SEED_RECORD);
    }
    hash_fields(record.iter(), SEED_RECORD)
}

/// Lines whose numeric customer ids are interned together ([`Builder::intern_pending_customers`]).
const CUSTOMER_BATCH: usize = 64;

/// Per-line state of one ingest.
pub(super) struct Builder {
    encoding: TextEncoding,
    delimiter: u8,
    columns: Vec<String>,
    customer_column: usize,
    date_column: usize,
    amount_column: usize,
    order_column: Option<usize>,
    quantity_column: Option<usize>,
    date_order: super::DateOrder,

    customers: Interner,
    customer: Vec<u32>,
    /// Customer ids that are numbers ([`plain_number`]) of the last lines of `customer`, whose
    /// indexes are written there by [`Self::intern_pending_customers`] (a batch at a time).
    pending_customers: Vec<u32>,
    day: Vec<Day>,
    amount: Vec<f64>,
    order_hash: Vec<u64>,
    quantity: Vec<f64>,
    product: Option<TextColumn>,
    region: Option<TextColumn>,
    channel: Option<TextColumn>,
    category: Option<TextColumn>,
    is_exact_duplicate: Vec<bool>,

    /// The hash of each kept row's whole record (all fields, boundaries included), in row order:
    /// rows with equal hashes are exact duplicates ([`Self::find_duplicates`]). 8 bytes a row;
    /// the row is the position and the line is in [`Self::lines`].
    record_hash: Vec<u64>,
    /// The file line of each kept row.
    lines: RowLines,
    last_date: Vec<u8>,
    last_day: Option<(Day, u16)>,
    /// Minute of the day of each kept line ([`crate::dataset::NO_TIME`] without one).
    minute_of_day: Vec<u16>,
    /// Whether any kept line had a time of day.
    any_time: bool,

    rows_read: u64,
    drops: Vec<DropTally>,
    exact_duplicates: u64,
    duplicate_examples: Vec<(u64, u64)>,
    missing_order: u64,
    missing_quantity: u64,
    bad_quantity: u64,
    decimal_comma_amounts: u64,
    quote_repairs: Vec<QuoteRepair>,
    keep_far_dates: bool,
    far_dates: Option<FarDates>,
    /// Reading one part of a larger input ([`ingest_part`]).
    part: bool,
    /// Threads for the duplicate and order counts at the end (natively, after a two-part read).
    threads: usize,
    /// The file has a header row (no data row read is then [`IngestError::HeaderOnly`]).
    has_header: bool,
    returns: ReturnsSummary,
    min_day: Day,
    max_day: Day,
    replaced: u64,
}

impl Builder {
    pub(super) fn new(
        params: &IngestParams,
        columns: Vec<String>,
        capacity: usize,
    ) -> Result<Self, IngestError> {
        let mapping = &params.mapping;
        let required =
            |role: ColumnRole| mapping.get(role).ok_or(IngestError::MissingColumn { role });
        let with_capacity = |column: Option<usize>| {
            if column.is_some() {
                capacity
            } else {
                0
            }
        };
        let drops = [
            DropReason::MissingCustomerId,
            DropReason::MissingDate,
            DropReason::BadDate,
            DropReason::MissingAmount,
            DropReason::BadAmount,
            DropReason::TooFewFields,
            DropReason::ImplausibleDate,
            DropReason::ImplausibleAmount,
            DropReason::FarFromOtherDates,
        ]
        .into_iter()
        .map(|reason| {
            let column = match reason {
                DropReason::MissingCustomerId => mapping.customer_id,
                DropReason::MissingDate
                | DropReason::BadDate
                | DropReason::ImplausibleDate
                | DropReason::FarFromOtherDates => mapping.date,
                DropReason::MissingAmount
                | DropReason::BadAmount
                | DropReason::ImplausibleAmount => mapping.amount,
                // Summary files only (`crate::summary`): never a transactions line's reason.
                DropReason::TooFewFields
                | DropReason::BadSummaryValue
                | DropReason::RepeatedCustomerId => None,
            };
            DropTally {
                reason,
                column: column
                    .and_then(|c| columns.get(c).cloned())
                    .unwrap_or_default(),
                count: 0,
                examples: Vec::new(),
            }
        })
        .collect();
        Ok(Self {
            encoding: params.encoding,
            delimiter: params.delimiter,
            customer_column: required(ColumnRole::CustomerId)?,
            date_column: required(ColumnRole::Date)?,
            amount_column: required(ColumnRole::Amount)?,
            order_column: mapping.order_id,
            quantity_column: mapping.quantity,
            date_order: params.date_order,
            // Room for a customer in 16 lines: the benchmark file has about 10 lines a customer,
            // so its table never grows, and is not over-sized (that costs cache misses).
            customers: Interner::with_capacity(capacity / 16),
            customer: Vec::with_capacity(capacity),
            pending_customers: Vec::with_capacity(CUSTOMER_BATCH),
            day: Vec::with_capacity(capacity),
            amount: Vec::with_capacity(capacity),
            order_hash: Vec::with_capacity(with_capacity(mapping.order_id)),
            quantity: Vec::with_capacity(with_capacity(mapping.quantity)),
            product: TextColumn::new(ColumnRole::Product, mapping.product, capacity),
            region: TextColumn::new(ColumnRole::Region, mapping.region, capacity),
            channel: TextColumn::new(ColumnRole::Channel, mapping.channel, capacity),
            category: TextColumn::new(ColumnRole::Category, mapping.category, capacity),
            is_exact_duplicate: Vec::new(),
            record_hash: Vec::with_capacity(capacity),
            lines: RowLines::default(),
            last_date: Vec::new(),
            last_day: None,
            minute_of_day: Vec::new(),
            any_time: false,
            rows_read: 0,
            drops,
            exact_duplicates: 0,
            duplicate_examples: Vec::new(),
            missing_order: 0,
            missing_quantity: 0,
            bad_quantity: 0,
            decimal_comma_amounts: 0,
            quote_repairs: Vec::new(),
            keep_far_dates: params.keep_far_dates,
            far_dates: None,
            part: false,
            threads: 1,
            has_header: params.has_header,
            returns: ReturnsSummary::default(),
            min_day: Day::MAX,
            max_day: Day::MIN,
            replaced: 0,
            columns,
        })
    }

    /// The file's column names.
    pub(super) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The rows there is room for without growing.
    pub(super) fn reserved_rows(&self) -> usize {
        self.customer.capacity()
    }

    /// Records a dropped line.
    #[cold]
    fn drop_line(&mut self, reason: DropReason, line: u64, value: &[u8]) {
        if let Some(tally) = self.drops.iter_mut().find(|t| t.reason == reason) {
            tally.count += 1;
            if tally.examples.len() < MAX_EXAMPLES {
                let text = String::from_utf8_lossy(value);
                tally
                    .examples
                    .push((line, truncate_chars(&text, EXAMPLE_CHARS)));
            }
        }
    }

    /// Reads a runaway-quote record again as the lines it swallowed, quotes as plain characters
    /// (the opening quote itself was already removed by the reader), and records the repair.
    fn reread_unquoted(&mut self, record: &Record<'_>, line: u64) {
        let joined = record.joined(self.delimiter);
        let text: &[u8] = &joined;
        // A quote never closed runs to the end of the file, its last line break included.
        let body = text.trim_ascii_end();
        let physical = body.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        self.quote_repairs.push(QuoteRepair {
            line,
            lines: physical,
        });
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .from_reader(text);
        let mut again = csv::ByteRecord::new();
        // Reading bytes in memory without quoting cannot fail; stop at the end either way.
        while let Ok(true) = reader.read_byte_record(&mut again) {
            let offset = again.position().map_or(0, |p| p.line().saturating_sub(1));
            let owned = OwnedRecord::from_fields(again.iter(), self.delimiter);
            let record = owned.as_record();
            if record.is_blank() {
                continue;
            }
            self.push(&record, line + offset);
        }
    }

    /// The day and minute of the day ([`crate::dataset::NO_TIME`] without a time) of a date cell
    /// (cached: consecutive lines often share a date).
    #[inline]
    fn day_of(&mut self, cell: &[u8]) -> Option<(Day, u16)> {
        if let Some(day) = self.last_day {
            if same_short_bytes(&self.last_date, cell) {
                return Some(day);
            }
        }
        let text = std::str::from_utf8(cell).ok()?;
        let DateParse::Day(day) = parse_date(text, self.date_order) else {
            return None;
        };
        // `YYYY-MM-DD` and shorter cells have no time: skip the scan.
        let minute = if cell.len() > 10 || cell.contains(&b'.') {
            parse_time_of_day(text).unwrap_or(crate::dataset::NO_TIME)
        } else {
            crate::dataset::NO_TIME
        };
        self.last_date.clear();
        self.last_date.extend_from_slice(cell);
        self.last_day = Some((day, minute));
        Some((day, minute))
    }

    /// The optional text columns the file has (product, region, channel, category).
    fn text_columns_mut(&mut self) -> impl Iterator<Item = &mut TextColumn> {
        [
            &mut self.product,
            &mut self.region,
            &mut self.channel,
            &mut self.category,
        ]
        .into_iter()
        .flatten()
    }

    /// Reads one non-blank data record at 1-based `line`.
    pub(super) fn push(&mut self, record: &Record<'_>, line: u64) {
        self.rows_read += 1;
        let (Some(customer), Some(date), Some(amount)) = (
            record.get(self.customer_column),
            record.get(self.date_column),
            record.get(self.amount_column),
        ) else {
            let joined = record.joined(self.delimiter);
            self.drop_line(DropReason::TooFewFields, line, &joined);
            return;
        };
        let customer = customer.trim_ascii();
        if customer.is_empty() {
            self.drop_line(DropReason::MissingCustomerId, line, b"");
            return;
        }
        let date = date.trim_ascii();
        if date.is_empty() {
            self.drop_line(DropReason::MissingDate, line, b"");
            return;
        }
        let Some((day, minute)) = self.day_of(date) else {
            self.drop_line(DropReason::BadDate, line, date);
            return;
        };
        if !(FIRST_PLAUSIBLE_DAY..FIRST_IMPLAUSIBLE_FUTURE_DAY).contains(&day) {
            self.drop_line(DropReason::ImplausibleDate, line, date);
            return;
        }
        let amount_cell = amount.trim_ascii();
        if amount_cell.is_empty() {
            self.drop_line(DropReason::MissingAmount, line, b"");
            return;
        }
        let parsed = match parse_plain_amount(amount_cell) {
            Some(amount) => Some((amount, false)),
            None => std::str::from_utf8(amount_cell)
                .ok()
                .and_then(parse_amount_detail),
        };
        let Some((amount, decimal_comma)) = parsed else {
            self.drop_line(DropReason::BadAmount, line, amount_cell);
            return;
        };
        if !amount.is_finite() || amount.abs() >= MAX_PLAUSIBLE_AMOUNT {
            self.drop_line(DropReason::ImplausibleAmount, line, amount_cell);
            return;
        }

        // Kept. A customer id that is a number is interned with the next ones in a batch
        // (any other is interned at once, after the batch before it, so the order is kept).
        let mut replaced = 0;
        match plain_number(customer).and_then(|n| u32::try_from(n).ok()) {
            Some(number) => {
                self.pending_customers.push(number);
                self.customer.push(0);
                if self.pending_customers.len() >= CUSTOMER_BATCH {
                    self.intern_pending_customers();
                }
            }
            None => {
                self.intern_pending_customers();
                let (customer_index, customer_replaced) = self.customers.intern(customer);
                replaced += u64::from(customer_replaced);
                self.customer.push(customer_index);
            }
        }
        self.day.push(day);
        // Times are kept from the first line that has one (the lines before get NO_TIME), so a
        // file of plain dates spends no memory on them.
        if minute != crate::dataset::NO_TIME && !self.any_time {
            self.any_time = true;
            self.minute_of_day = vec![crate::dataset::NO_TIME; self.day.len().saturating_sub(1)];
            self.minute_of_day
                .reserve(self.day.capacity() - self.day.len());
        }
        if self.any_time {
            self.minute_of_day.push(minute);
        }
        self.amount.push(amount);
        self.min_day = self.min_day.min(day);
        self.max_day = self.max_day.max(day);
        if decimal_comma {
            self.decimal_comma_amounts += 1;
        }
        if amount < 0.0 {
            self.returns.lines += 1;
            self.returns.amount += amount;
        }
        if let Some(column) = self.order_column {
            let cell = record.get(column).map_or(&b""[..], <[u8]>::trim_ascii);
            let hash = if cell.is_empty() {
                self.missing_order += 1;
                mix(u64::from(day as u32) ^ SEED_MISSING_ORDER, SEED_ORDER_KEY)
            } else {
                hash64(cell, SEED_ORDER)
            };
            self.order_hash.push(hash);
        }
        if let Some(column) = self.quantity_column {
            let cell = record.get(column).map_or(&b""[..], <[u8]>::trim_ascii);
            let quantity = if cell.is_empty() {
                self.missing_quantity += 1;
                f64::NAN
            } else if let Some((q, _)) =
                std::str::from_utf8(cell).ok().and_then(parse_amount_detail)
            {
                q
            } else {
                self.bad_quantity += 1;
                f64::NAN
            };
            self.quantity.push(quantity);
        }
        for column in self.text_columns_mut() {
            replaced += u64::from(column.push(record));
        }
        if matches!(self.encoding, TextEncoding::Utf8) {
            self.replaced += replaced;
        }

        let key = record_key(record, self.delimiter);
        self.record_hash.push(key);
        self.lines.push(self.customer.len() - 1, line);
    }

    /// Writes the indexes of the customers in [`Self::pending_customers`] (the last lines').
    fn intern_pending_customers(&mut self) {
        if self.pending_customers.is_empty() {
            return;
        }
        let from = self.customer.len() - self.pending_customers.len();
        if let Some(indexes) = self.customer.get_mut(from..) {
            self.customers
                .intern_plain_numbers(&self.pending_customers, indexes);
        }
        self.pending_customers.clear();
    }

    /// Flags exact duplicates: equal record hashes, all but the first (in file order).
    fn find_duplicates(&mut self) {
        self.is_exact_duplicate = vec![false; self.customer.len()];
        let repeated = repeated_keys(&self.record_hash, self.threads);
        if repeated.is_empty() {
            return;
        }
        // The few rows whose hash is repeated, in row (file) order: the first of each hash is
        // the original, the others its duplicates.
        let mut first_line: FxHashMap<u64, u64> = FxHashMap::default();
        let mut examples: Vec<(u64, u64)> = Vec::new();
        let lines = self.lines.iter(self.record_hash.len());
        for (row, (hash, line)) in self.record_hash.iter().zip(lines).enumerate() {
            if !repeated.contains(hash) {
                continue;
            }
            match first_line.get(hash) {
                None => {
                    first_line.insert(*hash, line);
                }
                Some(&first) => {
                    if let Some(flag) = self.is_exact_duplicate.get_mut(row) {
                        *flag = true;
                    }
                    self.exact_duplicates += 1;
                    if examples.len() < MAX_EXAMPLES {
                        examples.push((line, first));
                    }
                }
            }
        }
        self.duplicate_examples = examples;
    }

    /// Drops (or, on request, only reports) the lines dated far from the others
    /// ([`far_date_fences`]), before duplicates and orders are counted.
    fn drop_far_dates(&mut self) {
        let Some((first, last)) = far_date_fences(&self.day) else {
            return;
        };
        let near = |day: &Day| (first..=last).contains(day);
        // The kept lines' first and last days are known: no need to look at every line.
        if self.day.is_empty() || (near(&self.min_day) && near(&self.max_day)) {
            return;
        }
        let keep: Vec<bool> = self.day.iter().map(near).collect();
        let mut lines = 0u64;
        let mut examples = Vec::new();
        let rows = self.day.len();
        for (row, line) in self.lines.iter(rows).enumerate() {
            if keep.get(row) == Some(&false) {
                lines += 1;
                if examples.len() < MAX_EXAMPLES {
                    let day = self.day.get(row).copied().unwrap_or_default();
                    examples.push((line, crate::calendar::iso_day(day)));
                }
            }
        }
        self.far_dates = Some(FarDates {
            lines,
            first_day: first,
            last_day: last,
            kept: self.keep_far_dates,
            examples: examples.clone(),
        });
        if self.keep_far_dates {
            return;
        }
        if let Some(tally) = self
            .drops
            .iter_mut()
            .find(|t| t.reason == DropReason::FarFromOtherDates)
        {
            tally.count += lines;
            tally.examples = examples;
        }
        retain(&mut self.customer, &keep);
        retain(&mut self.day, &keep);
        retain(&mut self.amount, &keep);
        retain(&mut self.order_hash, &keep);
        retain(&mut self.quantity, &keep);
        retain(&mut self.minute_of_day, &keep);
        for text in self.text_columns_mut() {
            (text.values).retain_lines(|row| keep.get(row).copied().unwrap_or(true));
        }
        retain(&mut self.record_hash, &keep);
        self.lines = self.lines.retain(rows, &keep);
        self.min_day = self.day.iter().copied().min().unwrap_or(self.min_day);
        self.max_day = self.day.iter().copied().max().unwrap_or(self.max_day);
    }

    /// Interns the customers still pending, then frees the interners' lookup tables: no value
    /// is interned after this ([`Self::finish`], or a part about to be joined).
    fn forget_lookups(&mut self) {
        self.intern_pending_customers();
        self.customers.forget_lookups();
        for text in self.text_columns_mut() {
            text.interner.forget_lookups();
        }
    }

    /// What this builder read, without its hash tables: the rows of a later part of a file, to
    /// be [`Self::append`]ed to the builder of the part before (here, or in another worker after
    /// [`PartRows::into_bytes`]).
    pub(super) fn into_rows(mut self) -> PartRows<'static> {
        self.intern_pending_customers();
        let text = |column: Option<TextColumn>| {
            column.map(|c| TextRows {
                values: CodesColumn::Values(c.values),
                interned: c.interner.into_values(),
                missing: c.missing,
            })
        };
        let drops = self
            .drops
            .into_iter()
            .map(|d| (d.count, d.examples))
            .collect();
        PartRows {
            customers: self.customers.into_values(),
            customer: Column::Values(self.customer),
            day: Column::Values(self.day),
            amount: Column::Values(self.amount),
            order_hash: Column::Values(self.order_hash),
            quantity: Column::Values(self.quantity),
            text: [
                text(self.product),
                text(self.region),
                text(self.channel),
                text(self.category),
            ],
            minute_of_day: self.any_time.then_some(Column::Values(self.minute_of_day)),
            record_hash: Column::Values(self.record_hash),
            lines: self
                .lines
                .starts
                .into_iter()
                .map(|(row, line)| (row as u64, line))
                .collect(),
            tally: PartTally {
                rows_read: self.rows_read,
                drops,
                missing_order: self.missing_order,
                missing_quantity: self.missing_quantity,
                bad_quantity: self.bad_quantity,
                decimal_comma_amounts: self.decimal_comma_amounts,
                quote_repairs: self.quote_repairs,
                min_day: self.min_day,
                max_day: self.max_day,
                replaced: self.replaced,
                return_lines: self.returns.lines,
            },
        }
    }

    /// Appends what another builder read from the part of the file after this one's
    /// ([`Self::into_rows`]; `line_offset` line feeds later): the same builder as reading both
    /// parts in one go would have made, before [`Self::finish`] (far dates and duplicates are
    /// decided there, over the whole). Nothing is interned after it: its lookup tables are
    /// freed once the other part's values are found in them, before the columns are joined.
    pub(super) fn append(&mut self, other: PartRows<'_>, line_offset: u64) {
        self.intern_pending_customers();
        let PartRows {
            customers: other_customers,
            customer: other_customer,
            day: other_day,
            amount: other_amount,
            order_hash: other_order_hash,
            quantity: other_quantity,
            text: other_text,
            minute_of_day: other_minutes,
            record_hash: other_record_hash,
            lines: other_lines,
            tally,
        } = other;
        let rows = self.customer.len();
        let customers = self.customers.absorb(&other_customers);
        // Freed before the columns are joined (the peak of a two-halves read is there), with
        // the text columns' values and this builder's lookup tables (the 1M-row file's
        // customers: ≈ 4 MiB).
        drop(other_customers);
        let [product, region, channel, category] = other_text;
        let text = [
            (&mut self.product, product),
            (&mut self.region, region),
            (&mut self.channel, channel),
            (&mut self.category, category),
        ]
        .map(|(mine, theirs)| match (mine, theirs) {
            (Some(mine), Some(theirs)) => {
                let to = mine.interner.absorb(&theirs.interned);
                mine.missing += theirs.missing;
                Some((theirs.values, to))
            }
            _ => None,
        });
        self.forget_lookups();
        let remap = |v: u32, to: &[u32]| to.get(v as usize).copied().unwrap_or(v);
        other_customer.append_mapped(&mut self.customer, |v| remap(v, &customers));
        other_day.append_to(&mut self.day);
        // Return amounts are summed in file order, as one reader does.
        let returns = &mut self.returns.amount;
        other_amount.for_each(|amount| {
            if amount < 0.0 {
                *returns += amount;
            }
        });
        self.returns.lines += tally.return_lines;
        other_amount.append_to(&mut self.amount);
        other_order_hash.append_to(&mut self.order_hash);
        other_quantity.append_to(&mut self.quantity);
        for (mine, theirs) in [
            &mut self.product,
            &mut self.region,
            &mut self.channel,
            &mut self.category,
        ]
        .into_iter()
        .zip(text)
        {
            if let (Some(mine), Some((values, to))) = (mine, theirs) {
                values.append_mapped(&mut mine.values, |v| remap(v, &to));
            }
        }
        if other_minutes.is_some() && !self.any_time {
            self.any_time = true;
            self.minute_of_day = vec![crate::dataset::NO_TIME; rows];
        }
        if self.any_time {
            if let Some(minutes) = other_minutes {
                minutes.append_to(&mut self.minute_of_day);
            } else {
                let len = self.customer.len();
                self.minute_of_day.resize(len, crate::dataset::NO_TIME);
            }
        }
        let line = |l: u64| l + line_offset;
        other_record_hash.append_to(&mut self.record_hash);
        let other_lines = other_lines.into_iter().map(|(row, l)| (row as usize, l));
        self.lines.append(other_lines, rows, line_offset);
        self.rows_read += tally.rows_read;
        for (mine, (count, examples)) in self.drops.iter_mut().zip(tally.drops) {
            mine.count += count;
            let room = MAX_EXAMPLES.saturating_sub(mine.examples.len());
            mine.examples.extend(
                examples
                    .into_iter()
                    .take(room)
                    .map(|(l, value)| (line(l), value)),
            );
        }
        self.missing_order += tally.missing_order;
        self.missing_quantity += tally.missing_quantity;
        self.bad_quantity += tally.bad_quantity;
        self.decimal_comma_amounts += tally.decimal_comma_amounts;
        self.quote_repairs
            .extend(tally.quote_repairs.iter().map(|r| QuoteRepair {
                line: line(r.line),
                lines: r.lines,
            }));
        self.min_day = self.min_day.min(tally.min_day);
        self.max_day = self.max_day.max(tally.max_day);
        self.replaced += tally.replaced;
    }

    /// Fails with [`IngestError::HeaderOnly`] (or [`IngestError::Empty`] without a header) when
    /// no data row was read.
    pub(super) fn finish(mut self, decoder_replaced: u64) -> Result<Ingested, IngestError> {
        self.intern_pending_customers();
        if self.rows_read == 0 {
            return Err(if self.has_header {
                IngestError::HeaderOnly
            } else {
                IngestError::Empty
            });
        }
        self.drop_far_dates();
        let rows_kept = self.customer.len() as u64;
        self.drops.retain(|t| t.count > 0);
        // Most frequent first; equal counts in the order of `DropReason`.
        self.drops
            .sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        let dropped: Vec<DroppedRows> = std::mem::take(&mut self.drops)
            .into_iter()
            .map(|t| DroppedRows {
                reason: t.reason,
                column: t.column,
                count: t.count,
                examples: t.examples,
            })
            .collect();
        if !self.part {
            check_most_rows_bad(self.rows_read, &dropped)?;
        }
        // A part's caller finds duplicates across parts: it gets the keys (the whole input's
        // ingest never copies them).
        let line_keys = if self.part {
            let lines = self.lines.iter(self.record_hash.len());
            self.record_hash
                .iter()
                .zip(lines)
                .map(|(&key, line)| (key, u32::try_from(line).unwrap_or(u32::MAX)))
                .collect()
        } else {
            Vec::new()
        };

        // No value is interned from here on: the lookup tables go before the duplicate search.
        self.forget_lookups();
        self.find_duplicates();
        let scratch = std::mem::take(&mut self.record_hash);
        let orders = if self.order_column.is_some() {
            distinct_keys(
                self.customer
                    .iter()
                    .zip(&self.order_hash)
                    .map(|(&c, &h)| mix(u64::from(c) ^ SEED_ORDER_KEY, h ^ SEED_RECORD)),
                scratch,
                self.threads,
            )
        } else {
            distinct_keys(
                self.customer.iter().zip(&self.day).map(|(&c, &d)| {
                    mix(
                        (u64::from(c) << 32 | u64::from(d as u32)) ^ SEED_ORDER_KEY,
                        SEED_RECORD,
                    )
                }),
                scratch,
                self.threads,
            )
        };

        let mut missing = Vec::new();
        if let Some(column) = self.order_column {
            missing.push(self.missing_column(ColumnRole::OrderId, column, self.missing_order));
        }
        if let Some(column) = self.quantity_column {
            let count = self.missing_quantity + self.bad_quantity;
            missing.push(self.missing_column(ColumnRole::Quantity, column, count));
        }
        for text in [&self.product, &self.region, &self.channel, &self.category]
            .into_iter()
            .flatten()
        {
            missing.push(self.missing_column(text.role, text.column, text.missing));
        }
        missing.sort_by_key(|m| m.role);

        let mut notes = Vec::new();
        if self.decimal_comma_amounts > 0 {
            notes.push(format!(
                "{} amounts used a decimal comma (12,5 was read as 12.5)",
                self.decimal_comma_amounts
            ));
        }
        if self.missing_order > 0 {
            notes.push(format!(
                "{} kept lines have no order id; they were grouped into one order per customer and day",
                self.missing_order
            ));
        }
        if self.bad_quantity > 0 {
            notes.push(format!(
                "{} quantities are not numbers and count as missing",
                self.bad_quantity
            ));
        }
        let replaced_characters = match self.encoding {
            TextEncoding::Utf8 => self.replaced,
            _ => decoder_replaced,
        };
        if replaced_characters > 0 {
            notes.push(format!(
                "{replaced_characters} characters were not valid {} and were replaced by �; \
                 check the encoding",
                self.encoding.name()
            ));
        }

        let products = self.product.as_ref().map_or(0, |p| {
            p.interner.table.iter().filter(|v| !v.is_empty()).count() as u64
        });
        let date_range = (rows_kept > 0).then_some((self.min_day, self.max_day));
        let (product, products_table) = split_text(self.product);
        let (region, regions) = split_text(self.region);
        let (channel, channels) = split_text(self.channel);
        let (category, categories) = split_text(self.category);

        let mut dataset = Dataset {
            customer_ids: self.customers.table,
            customer: self.customer,
            day: self.day,
            amount: self.amount,
            order_hash: self.order_hash,
            product,
            products: products_table,
            quantity: self.quantity,
            region,
            regions,
            channel,
            channels,
            category,
            categories,
            minute_of_day: self.minute_of_day,
            is_exact_duplicate: self.is_exact_duplicate,
            summary_as_of: None,
            order_count: Some(orders),
        };
        shrink(&mut dataset);
        // Customers whose every line was dropped as far-dated keep their interned id with no
        // line: then count the customers that have lines.
        let customers = if self.far_dates.as_ref().is_some_and(|f| !f.kept) {
            let mut seen = vec![false; dataset.customer_ids.len()];
            for &c in &dataset.customer {
                if let Some(s) = seen.get_mut(c as usize) {
                    *s = true;
                }
            }
            seen.iter().filter(|s| **s).count() as u64
        } else {
            dataset.customer_ids.len() as u64
        };
        let report = QualityReport {
            encoding: self.encoding,
            delimiter: self.delimiter,
            rows_read: self.rows_read,
            rows_kept,
            dropped,
            exact_duplicates: self.exact_duplicates,
            duplicate_examples: self.duplicate_examples,
            missing,
            returns: self.returns,
            date_range,
            customers,
            orders,
            products,
            replaced_characters,
            notes,
            quote_repairs: self.quote_repairs,
            far_dates: self.far_dates,
            summary: None,
        };
        Ok((dataset, report, line_keys))
    }

    fn missing_column(&self, role: ColumnRole, column: usize, missing: u64) -> ColumnMissing {
        ColumnMissing {
            role,
            column: self.columns.get(column).cloned().unwrap_or_default(),
            missing,
        }
    }
}

/// [`ingest`]'s refusal of an unusable input: more than half the data rows that name a customer
/// were dropped ([`IngestError::MostRowsBad`], with the most frequent reason's first example).
/// `dropped` is sorted most frequent first, as [`QualityReport::dropped`]. Lines without a
/// customer id are anonymous sales (most POS sales are) or a report's detail rows: dropped and
/// listed, but they do not make the input unusable, so the rule looks at the lines that name a
/// customer.
pub fn check_most_rows_bad(rows_read: u64, dropped: &[DroppedRows]) -> Result<(), IngestError> {
    let dropped_total: u64 = dropped.iter().map(|t| t.count).sum();
    let anonymous: u64 = dropped
        .iter()
        .filter(|t| t.reason == DropReason::MissingCustomerId)
        .map(|t| t.count)
        .sum();
    if (dropped_total - anonymous) * 2 > rows_read.saturating_sub(anonymous) {
        if let Some(worst) = dropped.first() {
            let (example_line, example_value) = worst.examples.first().cloned().unwrap_or_default();
            return Err(IngestError::MostRowsBad {
                read: rows_read,
                dropped: dropped_total,
                reason: worst.reason,
                column: worst.column.clone(),
                example_line,
                example_value,
            });
        }
    }
    Ok(())
}

/// Keeps the values whose `keep` flag is set (a column that is empty, because the file lacks it,
/// stays empty).
fn retain<T>(values: &mut Vec<T>, keep: &[bool]) {
    if values.is_empty() {
        return;
    }
    let mut flags = keep.iter();
    values.retain(|_| flags.next().copied().unwrap_or(true));
}

/// The number of distinct keys (orders: each line's customer and order id hashed together).
/// `scratch` is a spent buffer reused for the keys, and for their sorted copy when it has room
/// for both (lines of one order are usually adjacent, which leaves half of it free; else they
/// are sorted in place, more slowly). With `threads` ≥ 2 and many keys (natively) the keys are
/// split in place by their top bit (keys of the two sides cannot be equal) and each side is
/// sorted and counted on a thread of its own.
fn distinct_keys(keys: impl Iterator<Item = u64>, mut scratch: Vec<u64>, threads: usize) -> u64 {
    scratch.clear();
    // Lines of one order are usually adjacent: skip repeats of the previous key before sorting.
    let mut previous = None;
    for key in keys {
        if previous != Some(key) {
            scratch.push(key);
            previous = Some(key);
        }
    }
    let n = scratch.len();
    let sorted_beside = scratch.capacity() >= 2 * n;
    if sorted_beside {
        scratch.resize(2 * n, 0);
    }
    let (keys, room) = scratch.split_at_mut(n);
    let room = sorted_beside.then_some(room);
    #[cfg(not(target_arch = "wasm32"))]
    if threads >= 2 && n >= 2 * MIN_KEYS_PER_THREAD {
        let low = partition_by_top_bit(keys);
        let (low_keys, high_keys) = keys.split_at_mut(low);
        let (low_room, high_room) = match room {
            Some(room) => {
                let (a, b) = room.split_at_mut(low);
                (Some(a), Some(b))
            }
            None => (None, None),
        };
        let (a, b) = crate::parallel::join(
            || distinct_of_sorted(low_keys, low_room, 1),
            || distinct_of_sorted(high_keys, high_room, 1),
        );
        return a + b;
    }
    let _ = threads;
    distinct_of_sorted(keys, room, 0)
}

/// Sorts `keys` (hashes whose top `skip` bits may all be equal) into `room` (of their length),
/// or in place without it, and counts the distinct ones.
fn distinct_of_sorted(keys: &mut [u64], room: Option<&mut [u64]>, skip: u32) -> u64 {
    let keys = match room {
        Some(room) if room.len() == keys.len() => {
            sort_hashes(keys, room, skip);
            room
        }
        _ => {
            keys.sort_unstable();
            keys
        }
    };
    let repeats = keys
        .windows(2)
        .filter(|pair| pair.first() == pair.get(1))
        .count();
    (keys.len() - repeats) as u64
}

/// Moves the keys whose top bit is clear before the others; returns how many there are.
#[cfg(not(target_arch = "wasm32"))]
fn partition_by_top_bit(keys: &mut [u64]) -> usize {
    let (mut low, mut high) = (0, keys.len());
    while low < high {
        if keys.get(low).is_some_and(|k| k >> 63 == 0) {
            low += 1;
        } else {
            high -= 1;
            keys.swap(low, high);
        }
    }
    low
}

/// The keys that occur more than once (usually none).
///
/// Radix-partitioned: the keys are split by their top bits into [`KEY_PARTITIONS`] passes, each
/// sorting only its share, so the scratch is an eighth of the keys (sorting a copy of all of them
/// would hold 8 more bytes a line at the ingest's peak). With `threads` ≥ 2 and many keys
/// (natively) half the passes run on another thread, with a scratch of its own.
fn repeated_keys(keys: &[u64], threads: usize) -> FxHashSet<u64> {
    let shift = 64 - KEY_PARTITIONS.trailing_zeros();
    // Keys in each partition, counted in one pass: each pass below then copies its keys without
    // a branch (every key is written at the end and kept when it belongs). Hand-written: the
    // copies with `filter`, eight passes each mispredicting the one key in eight that belongs,
    // were ≈ 205 ms of the 10M-row ingest in wasm (V8 in node); finding the repeated keys took
    // 384–395 ms then, 330–353 ms now.
    let mut in_partition = [0usize; KEY_PARTITIONS];
    for &key in keys {
        if let Some(count) = in_partition.get_mut((key >> shift) as usize) {
            *count += 1;
        }
    }
    let passes = |partitions: std::ops::Range<u64>| {
        let mut repeated = Vec::new();
        let largest = partitions
            .clone()
            .filter_map(|p| in_partition.get(p as usize).copied())
            .max()
            .unwrap_or(0);
        // Room for the largest partition's keys and the one written past them. (Two partitions
        // a pass, for one more partition's room, were no faster: 330–340 ms either way.)
        let mut scratch = vec![0u64; largest + 1];
        let mut sorted = vec![0u64; largest];
        for partition in partitions {
            let mut len = 0;
            for &key in keys {
                if let Some(slot) = scratch.get_mut(len) {
                    *slot = key;
                }
                len += usize::from(key >> shift == partition);
            }
            let (Some(part), Some(sorted)) = (scratch.get(..len), sorted.get_mut(..len)) else {
                continue;
            };
            sort_hashes(part, sorted, 64 - shift);
            for pair in sorted.windows(2) {
                if let [a, b] = pair {
                    // Each repeated key once (a file of copies of one line holds one).
                    if a == b && repeated.last() != Some(a) {
                        repeated.push(*a);
                    }
                }
            }
        }
        repeated
    };
    let all = 0..KEY_PARTITIONS as u64;
    #[cfg(not(target_arch = "wasm32"))]
    if threads >= 2 && keys.len() >= 2 * MIN_KEYS_PER_THREAD {
        let half = KEY_PARTITIONS as u64 / 2;
        let (a, b) = crate::parallel::join(|| passes(0..half), || passes(half..all.end));
        return a.into_iter().chain(b).collect();
    }
    let _ = threads;
    passes(all).into_iter().collect()
}

/// Below twice this many keys, [`repeated_keys`] and [`distinct_keys`] stay on one thread (the
/// tests split every input).
#[cfg(all(not(target_arch = "wasm32"), not(test)))]
const MIN_KEYS_PER_THREAD: usize = 50_000;
#[cfg(all(not(target_arch = "wasm32"), test))]
const MIN_KEYS_PER_THREAD: usize = 1;

/// Passes of [`repeated_keys`] (a power of two).
const KEY_PARTITIONS: usize = 8;

/// The 1-based file line of each kept row, stored as the rows where `line − row` changes: one
/// entry for a file without dropped lines, blank lines or records over several lines, instead of
/// 4 bytes a row.
#[derive(Debug, Default)]
struct RowLines {
    /// `(row, line)`, rows ascending.
    starts: Vec<(usize, u64)>,
}

impl RowLines {
    /// Row `row` (the next one: rows come in order) is at `line`.
    #[inline]
    fn push(&mut self, row: usize, line: u64) {
        let follows = self
            .starts
            .last()
            .is_some_and(|&(r, l)| l + (row - r) as u64 == line);
        if !follows {
            self.starts.push((row, line));
        }
    }

    /// The lines of rows `0..rows`, in order.
    fn iter(&self, rows: usize) -> impl Iterator<Item = u64> + '_ {
        let mut next = 0usize;
        let mut base = (0usize, 0u64);
        (0..rows).map(move |row| {
            while let Some(&start) = self.starts.get(next) {
                if start.0 > row {
                    break;
                }
                base = start;
                next += 1;
            }
            base.1 + (row - base.0) as u64
        })
    }

    /// The lines of the rows `keep` keeps (of `rows`), renumbered.
    fn retain(&self, rows: usize, keep: &[bool]) -> Self {
        let mut kept = Self::default();
        let lines = self.iter(rows).zip(keep).filter(|(_, k)| **k);
        for (row, (line, _)) in lines.enumerate() {
            kept.push(row, line);
        }
        kept
    }

    /// Appends the rows of `other` (its `(row, line)` starts) after this one's `rows`,
    /// `line_offset` lines later.
    fn append(
        &mut self,
        other: impl IntoIterator<Item = (usize, u64)>,
        rows: usize,
        line_offset: u64,
    ) {
        for (row, line) in other {
            self.push(rows + row, line + line_offset);
        }
    }
}

fn split_text(column: Option<TextColumn>) -> (Codes, Interned) {
    column.map_or_else(Default::default, |c| (c.values, c.interner.table))
}

fn shrink(dataset: &mut Dataset) {
    dataset.customer.shrink_to_fit();
    dataset.day.shrink_to_fit();
    dataset.amount.shrink_to_fit();
    dataset.order_hash.shrink_to_fit();
    dataset.product.shrink_to_fit();
    dataset.quantity.shrink_to_fit();
    dataset.region.shrink_to_fit();
    dataset.channel.shrink_to_fit();
    dataset.category.shrink_to_fit();
    dataset.minute_of_day.shrink_to_fit();
    dataset.is_exact_duplicate.shrink_to_fit();
    for table in [
        &mut dataset.customer_ids,
        &mut dataset.products,
        &mut dataset.regions,
        &mut dataset.channels,
        &mut dataset.categories,
    ] {
        table.shrink_to_fit();
    }
}

// Native only: proptest and the fixture files are not there on wasm32 (nor is the two-threads
// ingest).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod tests {
    use super::*;
    use crate::calendar::day_from_ymd;
    use crate::ingest::{preview, PreviewParams};
    use proptest::prelude::*;

    proptest! {
        /// The two-word comparison of short cells agrees with comparing the bytes.
        #[test]
        fn short_bytes_compare_as_bytes(
            a in proptest::collection::vec(
                prop_oneof![Just(0u8), Just(b'1'), Just(b'-'), any::<u8>()],
                0..20,
            ),
            change in 0usize..21,
            grow: bool,
        ) {
            let mut b = a.clone();
            if grow {
                b.push(0);
            } else if let Some(byte) = b.get_mut(change) {
                *byte = byte.wrapping_add(1);
            }
            prop_assert_eq!(same_short_bytes(&a, &b), a == b);
            prop_assert!(same_short_bytes(&a, &a));
        }
    }

    /// [`ingest`] of `text` against [`ingest_split`] cut after every line feed: the same dataset
    /// and report, or `None` (read whole) only where the cut falls inside a quoted cell. Returns
    /// how many cuts were joined.
    fn split_agrees(text: &[u8], params: &IngestParams) -> usize {
        let whole = ingest(text, text.len() as u64, params, &mut |_| {});
        let mut joined = 0;
        let cuts: Vec<usize> = (0..text.len()).filter(|&at| text[at] == b'\n').collect();
        // At most 40 cuts a file, spread over it.
        let step = cuts.len().div_ceil(40).max(1);
        for split in cuts.iter().step_by(step).map(|at| at + 1) {
            if split >= text.len() {
                continue;
            }
            let parts = ingest_split(
                text,
                split as u64,
                &text[split..],
                text.len() as u64,
                params,
                &mut |_| {},
            );
            match (&whole, parts) {
                (Ok(whole), Ok(Some(parts))) => {
                    assert_eq!(whole.0, parts.0, "dataset, cut at {split}");
                    assert_eq!(whole.1, parts.1, "report, cut at {split}");
                    joined += 1;
                }
                (_, Ok(None)) => {
                    // Only a quote before the cut can make it fall inside a cell.
                    assert!(text[..split].contains(&b'"'), "refused a cut at {split}");
                }
                (Err(a), Err(b)) => assert_eq!(*a, b, "error, cut at {split}"),
                (a, b) => panic!("cut at {split}: whole {a:?}, parts {b:?}"),
            }
        }
        joined
    }

    /// Text columns are stored as narrow as their values allow ([`Codes`]): 300 regions take
    /// two bytes a line, 70,050 products four, 3 channels one; every line still reads back its
    /// own text, and two parts joined (the first with fewer values than the second, so the join
    /// widens the first part's columns) give the whole file's dataset.
    #[test]
    fn text_columns_widen_as_their_values_need_and_read_back_the_file() {
        let lines = 140_000;
        let mut text = String::from("customer,date,amount,product,region,channel\n");
        for i in 0..lines {
            // The first half repeats 50 products and 20 regions; the second brings the rest.
            let (product, region) = if i < lines / 2 {
                (i % 50, i % 20)
            } else {
                (i, i % 300)
            };
            let channel = ["web", "store", "app"][i % 3];
            text.push_str(&format!(
                "C{},2024-01-{:02},{}.50,P{product},R{region},{channel}\n",
                i % 997,
                i % 28 + 1,
                i % 90 + 1
            ));
        }
        let bytes = text.as_bytes();
        let shape = preview(bytes, &PreviewParams::default()).unwrap();
        let params = IngestParams::from_preview(&shape);
        let (d, _) = ingest(bytes, bytes.len() as u64, &params, &mut |_| {}).unwrap();
        assert_eq!(d.len(), lines);
        assert_eq!(
            (
                d.product.width_bytes(),
                d.region.width_bytes(),
                d.channel.width_bytes()
            ),
            (4, 2, 1)
        );
        for (i, line) in text.lines().skip(1).enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(
                d.products.get(d.product.get(i).unwrap()),
                cells[3],
                "line {i}"
            );
            assert_eq!(
                d.regions.get(d.region.get(i).unwrap()),
                cells[4],
                "line {i}"
            );
            assert_eq!(
                d.channels.get(d.channel.get(i).unwrap()),
                cells[5],
                "line {i}"
            );
        }
        assert!(split_agrees(bytes, &params) > 30);
    }

    #[test]
    fn two_parts_read_as_the_whole_file_over_the_fixtures() {
        let mut checked = 0;
        for (text, params) in utf8_fixtures(&["csv", "tsv"], 200_000) {
            if split_agrees(&text, &params) > 0 {
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked} fixtures checked");
    }

    /// The UTF-8 transaction fixtures (files with one of `extensions`, up to `max_bytes`) with
    /// the ingest parameters their preview suggests (those with an amount and valid roles).
    pub(in crate::ingest) fn utf8_fixtures(
        extensions: &[&str],
        max_bytes: usize,
    ) -> Vec<(Vec<u8>, IngestParams)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut found = Vec::new();
        for dir in [
            "ingest",
            "ingest/systems",
            "clv",
            "baskets",
            "cohorts",
            "tiers",
        ] {
            for entry in std::fs::read_dir(root.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = entry.path();
                let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !extensions.contains(&extension) {
                    continue;
                }
                let Ok(text) = std::fs::read(&path) else {
                    continue;
                };
                if text.len() > max_bytes {
                    continue;
                }
                let Ok(shape) = preview(&text, &PreviewParams::default()) else {
                    continue;
                };
                if !matches!(shape.encoding, TextEncoding::Utf8) || shape.mapping.amount.is_none() {
                    continue;
                }
                let params = IngestParams::from_preview(&shape);
                if check_roles(&params.mapping).is_ok() {
                    found.push((text, params));
                }
            }
        }
        found
    }

    /// A line of a random export: quoted or plain cells, returns, bad values, blank lines,
    /// CRLF, invalid UTF-8, cells with line breaks, repeated lines.
    /// The parameters of the random files' tests: customer, date, amount and product in the
    /// first four columns, dates year first.
    pub(in crate::ingest) fn random_file_params(delimiter: u8, has_header: bool) -> IngestParams {
        IngestParams {
            encoding: TextEncoding::Utf8,
            delimiter,
            has_header,
            date_order: crate::ingest::DateOrder::Ymd,
            mapping: crate::ingest::ColumnMapping {
                customer_id: Some(0),
                date: Some(1),
                amount: Some(2),
                product: Some(3),
                ..Default::default()
            },
            keep_far_dates: false,
        }
    }

    pub(in crate::ingest) fn random_line() -> impl Strategy<Value = String> {
        let customer = prop_oneof![
            Just("C1".to_string()),
            Just("C2".to_string()),
            Just("\"C3\"".to_string()),
            Just(String::new()),
            Just("客户4".to_string()),
            Just("\"C\n5\"".to_string()),
        ];
        let date = prop_oneof![
            Just("2024-03-05"),
            Just("2024-03-06 10:30"),
            Just("2031-01-01"),
            Just("bad"),
            Just(""),
            Just("1890-01-01"),
            Just("\"2024-03-07\""),
        ];
        let amount = prop_oneof![
            Just("12.50"),
            Just("-3"),
            Just("\"1,5\""),
            Just("x"),
            Just(""),
            Just("7"),
        ];
        let product = prop_oneof![Just("P1"), Just("\"P, 2\""), Just(""), Just("P\u{FFFD}3")];
        let end = prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n")];
        (
            customer,
            date,
            amount,
            product,
            end,
            prop::bool::weighted(0.1),
        )
            .prop_map(|(c, d, a, p, e, short)| {
                if short {
                    format!("{c},{d}{e}")
                } else {
                    format!("{c},{d},{a},{p}{e}")
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn two_parts_read_as_the_whole_of_random_files(
            lines in proptest::collection::vec(random_line(), 1..30),
        ) {
            let text = format!("customer,date,amount,product\n{}", lines.concat());
            let params = random_file_params(b',', true);
            split_agrees(text.as_bytes(), &params);
        }
    }

    #[test]
    fn plausible_date_bounds_are_1900_and_2200() {
        assert_eq!(day_from_ymd(1900, 1, 1), Some(FIRST_PLAUSIBLE_DAY));
        assert_eq!(day_from_ymd(2200, 1, 1), Some(FIRST_IMPLAUSIBLE_FUTURE_DAY));
    }

    /// [`repeated_keys`] and [`distinct_keys`] against a hash map's count of `keys`, on one
    /// thread and two, with the scratch as `finish` gives it (a spent buffer of one key a line)
    /// and with none.
    fn keys_agree_with_a_hash_map(keys: &[u64]) -> Result<(), TestCaseError> {
        let mut counts: FxHashMap<u64, usize> = FxHashMap::default();
        for &k in keys {
            *counts.entry(k).or_default() += 1;
        }
        let repeated: FxHashSet<u64> = counts
            .iter()
            .filter(|(_, &n)| n > 1)
            .map(|(&k, _)| k)
            .collect();
        for threads in [1, 2] {
            prop_assert_eq!(&repeated_keys(keys, threads), &repeated);
            for scratch in [vec![u64::MAX; keys.len()], Vec::new()] {
                prop_assert_eq!(
                    distinct_keys(keys.iter().copied(), scratch, threads),
                    counts.len() as u64
                );
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// The partitioned passes against a hash map's count (keys drawn from a few values, so
        /// repeats are common; high bits vary so every partition is used).
        #[test]
        fn partitioned_keys_agree_with_a_hash_map(
            keys in proptest::collection::vec((0u64..8, 0u64..40), 0..400),
        ) {
            let keys: Vec<u64> = keys.iter().map(|&(high, low)| high << 61 | low).collect();
            keys_agree_with_a_hash_map(&keys)?;
        }

        /// The same with enough keys for the radix sort (and the sorted copy beside the keys
        /// in the scratch, or in place when adjacent repeats do not leave room).
        #[test]
        fn many_keys_agree_with_a_hash_map(
            seed in any::<u64>(),
            lines in 5_000usize..40_000,
            orders_per_line in 0.2f64..1.0,
        ) {
            let orders = ((lines as f64 * orders_per_line) as u64).max(1);
            // Lines of one order mostly adjacent, some repeated far apart.
            let keys: Vec<u64> = (0..lines as u64)
                .map(|i| {
                    let order = if i % 97 == 0 {
                        mix(i, seed) % orders
                    } else {
                        i * orders / lines as u64
                    };
                    mix(order ^ seed, 0x9e37_79b9_7f4a_7c15)
                })
                .collect();
            keys_agree_with_a_hash_map(&keys)?;
        }

        /// The row-to-line map against a plain list of lines: pushed, kept in part, appended.
        #[test]
        fn row_lines_agree_with_a_list(
            steps in proptest::collection::vec(1u64..4, 0..60),
            more in proptest::collection::vec(1u64..4, 0..60),
            keep in proptest::collection::vec(any::<bool>(), 60),
            offset in 0u64..100,
        ) {
            let list = |steps: &[u64]| -> Vec<u64> {
                steps.iter().scan(1u64, |line, step| { *line += step; Some(*line) }).collect()
            };
            let (first, second) = (list(&steps), list(&more));
            let mut lines = RowLines::default();
            for (row, &line) in first.iter().enumerate() {
                lines.push(row, line);
            }
            prop_assert_eq!(lines.iter(first.len()).collect::<Vec<_>>(), first.clone());

            let flags = &keep[..first.len()];
            let kept: Vec<u64> =
                first.iter().zip(flags).filter(|(_, k)| **k).map(|(l, _)| *l).collect();
            let retained = lines.retain(first.len(), flags);
            prop_assert_eq!(retained.iter(kept.len()).collect::<Vec<_>>(), kept);

            let mut tail = RowLines::default();
            for (row, &line) in second.iter().enumerate() {
                tail.push(row, line);
            }
            lines.append(tail.starts, first.len(), offset);
            let mut joined = first.clone();
            joined.extend(second.iter().map(|l| l + offset));
            prop_assert_eq!(lines.iter(joined.len()).collect::<Vec<_>>(), joined);
        }
    }
}
