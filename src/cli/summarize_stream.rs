//! `segscope summarize` over files of any size: the per-customer summary in memory proportional
//! to the customers, not the lines (grace hash aggregation).
//!
//! - **Pass 1** reads each file in chunks of about [`StreamOptions::chunk_bytes`], cut on record
//!   boundaries (the csv crate's own state machine, so a line break inside a quoted cell never
//!   cuts), the header line prepended to every chunk. Each chunk goes through the engine's
//!   [`ingest_part`] (the cleaning rules of the in-memory path: dates, amounts, drops with
//!   reasons), its customers are interned into one table ([`CustomerIds`], in order of first
//!   appearance), and every kept line becomes a 40-byte record in one of `K` partition files
//!   chosen by customer. A histogram of the days gives the far-date fences of the whole input.
//! - **Pass 2** reads one partition at a time into a small [`Dataset`] (its customers, its lines in
//!   file order, far dates dropped, exact duplicates flagged across chunks and files by the
//!   ingest's line hashes) and runs [`summarize`] on it with the as-of day of the whole input;
//!   every per-customer figure depends on the customer's own lines only, so the rows are those
//!   of the in-memory path. Each partition's rows go to a file of their own.
//! - **Merge**: customer `g` lives in partition `g mod K`, so the rows come back in order of first
//!   appearance by reading the row files round-robin, and are written to `--out` in pieces.
//!
//! Memory: the customer-id table, one chunk and its ingest, one partition.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use super::{run_error, CliResult};
use crate::engine::calendar;
use crate::engine::ingest::{
    check_most_rows_bad, far_date_fences_counted, ingest_part, DropReason, DroppedRows,
    IngestError, IngestParams, TextEncoding, PLAUSIBLE_DAYS,
};
use crate::engine::rfm::RfmError;
use crate::engine::session::SessionError;
use crate::engine::summary::{
    summarize_part, write_summary_row, SummaryError, SummaryParams, SummaryRow, SUMMARY_HEADER,
};
use crate::engine::table_out::{CsvSink, TableSink as _};
use crate::engine::{Dataset, Day, EngineError, Interned};

/// Default chunk size: large enough that the per-chunk work (a fresh interner, a sort of the
/// chunk's line hashes) is small, small enough that a chunk's ingest stays near 100 MB.
pub(super) const DEFAULT_CHUNK_BYTES: usize = 48 << 20;
/// Input bytes per partition when `K` is chosen from the input size: a partition's dataset and
/// the summary's working columns then stay within a few hundred MB.
const PARTITION_INPUT_BYTES: u64 = 128 << 20;
/// Examples kept per drop reason and for duplicates (as the ingest).
const MAX_EXAMPLES: usize = 5;
/// Bytes of one partition record: customer u32, day i32, amount f64, order hash u64, line hash
/// u64, line position u64.
const RECORD_BYTES: usize = 40;
/// Bytes of one summary row in a row file.
const ROW_BYTES: usize = 56;
/// A line position packs the file index above this many bits of 1-based line number.
const LINE_BITS: u32 = 40;

/// How to stream.
#[derive(Debug, Clone)]
pub(super) struct StreamOptions {
    /// Bytes read per chunk (at least one whole record; a record longer than this grows it).
    pub chunk_bytes: usize,
    /// Number of partitions; `None`: from the input size.
    pub partitions: Option<usize>,
    /// Where the temporary files go.
    pub temp_dir: PathBuf,
    /// Keep lines dated far from the others (`--keep-far-dates`).
    pub keep_far_dates: bool,
}

/// One input file and how to read it.
#[derive(Debug, Clone)]
pub(super) struct StreamInput {
    /// The file.
    pub path: PathBuf,
    /// Its ingest settings (columns mapped by the first file's header names).
    pub params: IngestParams,
    /// The header text of its date column (named with far-dated lines).
    pub date_header: String,
}

/// Lines dropped for one reason over all inputs, examples as (file index, line, value).
#[derive(Debug, Clone)]
pub(super) struct StreamDrops {
    pub reason: DropReason,
    pub column: String,
    pub count: u64,
    pub examples: Vec<(usize, u64, String)>,
}

/// What the streamed summary read and wrote.
#[derive(Debug, Clone, Default)]
pub(super) struct StreamOutcome {
    /// Data rows read (blank lines excluded), all files.
    pub rows_read: u64,
    /// Rows kept (after far dates).
    pub rows_kept: u64,
    /// Dropped lines by reason, most frequent first.
    pub dropped: Vec<StreamDrops>,
    /// Exact duplicate lines (flagged, used by the purchase-model columns).
    pub exact_duplicates: u64,
    /// Up to 5 ((file, line), (file, line of the first occurrence)) examples.
    pub duplicate_examples: Vec<((usize, u64), (usize, u64))>,
    /// Far-dated lines: count, the kept range, whether kept.
    pub far_dates: Option<(u64, Day, Day, bool)>,
    /// Summary rows written.
    pub customers: u64,
    /// The as-of day.
    pub as_of_day: Day,
    /// Whether the RFM columns left exact duplicates out.
    pub duplicates_removed: bool,
    /// Customers with only returns on or before the as-of day.
    pub customers_without_purchase: u64,
    /// Customers whose every line is after the as-of day.
    pub customers_after_as_of: u64,
    /// Input bytes read (decoded text, all files).
    pub bytes_read: u64,
}

/// A directory of temporary files removed with everything in it when dropped (on success, on
/// error and on panic). Hand-written: the `tempfile` crate is not in the tree and would bring
/// `rustix` and `fastrand` for one `create_dir` and one `remove_dir_all`.
struct TempDir(PathBuf);

impl TempDir {
    fn new(parent: &Path) -> CliResult<Self> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..100u32 {
            let path = parent.join(format!(
                ".segscope-summarize-{}-{stamp:08x}-{attempt}",
                std::process::id()
            ));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(run_error(format!(
                        "cannot create temporary files in {}: {e} (choose a folder with --temp-dir DIR)",
                        parent.display()
                    )))
                }
            }
        }
        Err(run_error(format!(
            "cannot create temporary files in {}",
            parent.display()
        )))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Customer ids in order of first appearance: one byte arena, the end of each id, and a hash
/// table of indices into them (see Cargo.toml for why `hashbrown`'s raw table).
#[derive(Default)]
struct CustomerIds {
    text: Vec<u8>,
    ends: Vec<u64>,
    index: hashbrown::HashTable<u32>,
}

impl CustomerIds {
    fn hash(bytes: &[u8]) -> u64 {
        use std::hash::{BuildHasher as _, Hasher as _};
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        hasher.write(bytes);
        hasher.finish()
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = match i.checked_sub(1) {
            Some(prev) => self.ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// The index of `id`, interned on first sight.
    fn intern(&mut self, id: &[u8]) -> CliResult<u32> {
        let hash = Self::hash(id);
        let Self { text, ends, index } = self;
        if let Some(&i) = index.find(hash, |&i| id_at(text, ends, i) == id) {
            return Ok(i);
        }
        let i = u32::try_from(ends.len())
            .ok()
            .filter(|i| *i < u32::MAX)
            .ok_or_else(|| run_error("more than 4 billion customers"))?;
        text.extend_from_slice(id);
        ends.push(text.len() as u64);
        let (text, ends) = (&*text, &*ends);
        let rehash = |&i: &u32| Self::hash(id_at(text, ends, i));
        index.insert_unique(hash, i, rehash);
        Ok(i)
    }
}

/// Cuts a file's text into chunks that end on a record boundary (after a `\n` that is not
/// inside a quoted cell).
struct Chunker<R> {
    reader: R,
    pending: Vec<u8>,
    chunk_bytes: usize,
    delimiter: u8,
    eof: bool,
    first: bool,
    /// Raw bytes read (for UTF-8 input: the file's bytes).
    read: u64,
}

impl<R: Read> Chunker<R> {
    fn new(reader: R, chunk_bytes: usize, delimiter: u8) -> Self {
        Self {
            reader,
            pending: Vec::new(),
            chunk_bytes: chunk_bytes.max(1),
            delimiter,
            eof: false,
            first: true,
            read: 0,
        }
    }

    /// Reads until `pending` holds `target` bytes or the input ends.
    fn fill(&mut self, target: usize) -> io::Result<()> {
        while self.pending.len() < target && !self.eof {
            let start = self.pending.len();
            self.pending.resize(target, 0);
            let buffer = self.pending.get_mut(start..).unwrap_or_default();
            let n = loop {
                match self.reader.read(buffer) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            self.pending.truncate(start + n);
            self.read += n as u64;
            self.eof = n == 0;
        }
        Ok(())
    }

    /// The next chunk, or `None` at the end.
    fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut target = self.chunk_bytes;
        loop {
            self.fill(target)?;
            if self.first {
                self.first = false;
                // The byte-order marks the ingest strips at the start of UTF-8 text (a UTF-16
                // one before UTF-8 text included: see the engine's `sniff::detect_encoding`).
                if self.pending.starts_with(b"\xEF\xBB\xBF") {
                    self.pending.drain(..3);
                } else if self.pending.starts_with(b"\xFF\xFE")
                    || self.pending.starts_with(b"\xFE\xFF")
                {
                    self.pending.drain(..2);
                }
            }
            if self.pending.is_empty() {
                return Ok(None);
            }
            let cut = if self.eof {
                Some(self.pending.len())
            } else {
                last_record_end(&self.pending, self.delimiter)
            };
            if let Some(cut) = cut {
                let rest = self.pending.split_off(cut);
                return Ok(Some(std::mem::replace(&mut self.pending, rest)));
            }
            // One record longer than the chunk (or a quote that never closes): read on.
            target = self.pending.len().saturating_mul(2).max(1 << 16);
        }
    }
}

/// The end of the last whole record of `text` that ends with `\n` (the offset after it), or
/// `None`. Text without a quote is cut at its last `\n`; otherwise the csv crate's own state
/// machine (`csv_core`, which the ingest's reader runs) says where records end.
fn last_record_end(text: &[u8], delimiter: u8) -> Option<usize> {
    if !text.contains(&b'"') {
        return text.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
    }
    record_ends(text, delimiter, |_| true).last()
}

/// The ends of `text`'s records that end with `\n` (offsets after it), in order, as the csv
/// crate's reader finds them; after each, `keep(record_was_blank)` says whether to go on.
fn record_ends(text: &[u8], delimiter: u8, mut keep: impl FnMut(bool) -> bool) -> RecordEnds {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut output = vec![0u8; 1 << 16];
    let mut ends = vec![0usize; 1 << 10];
    let mut at = 0usize;
    let mut found = Vec::new();
    let mut blank = true;
    loop {
        let input = text.get(at..).unwrap_or_default();
        let (result, read, written, _) = reader.read_record(input, &mut output, &mut ends);
        at += read;
        blank &= output
            .get(..written)
            .is_none_or(|b| b.iter().all(u8::is_ascii_whitespace));
        match result {
            csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::OutputFull | csv_core::ReadRecordResult::OutputEndsFull => {
            }
            csv_core::ReadRecordResult::Record => {
                let end = match (text.get(at.wrapping_sub(1)), text.get(at)) {
                    (Some(b'\n'), _) => Some(at),
                    (Some(b'\r'), Some(b'\n')) => Some(at + 1),
                    _ => None,
                };
                let was_blank = blank;
                blank = true;
                if let Some(end) = end {
                    found.push(end);
                    if !keep(was_blank) {
                        break;
                    }
                }
            }
        }
    }
    RecordEnds(found)
}

/// Record ends found by [`record_ends`].
struct RecordEnds(Vec<usize>);

impl RecordEnds {
    fn last(&self) -> Option<usize> {
        self.0.last().copied()
    }
}

/// The header line (with any blank lines before it) of a file's first chunk: the text up to the
/// end of its first record with a non-blank cell.
fn header_prefix(chunk: &[u8], delimiter: u8) -> Vec<u8> {
    let ends = record_ends(chunk, delimiter, |blank| blank);
    let end = ends.last().unwrap_or(chunk.len());
    chunk.get(..end).unwrap_or(chunk).to_vec()
}

fn count_newlines(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The file's text as UTF-8: the file itself, or a decoder (as the ingest decodes UTF-16 and
/// GB18030 text).
fn utf8_reader(file: File, encoding: TextEncoding) -> Box<dyn Read> {
    let encoding = match encoding {
        TextEncoding::Utf8 => return Box::new(file),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        TextEncoding::Gb18030 => encoding_rs::GB18030,
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
    };
    Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .strip_bom(true)
            .build(file),
    )
}

/// One kept line in a partition file.
#[derive(Clone, Copy)]
struct Record {
    customer: u32,
    day: Day,
    amount: f64,
    order_hash: u64,
    line_hash: u64,
    position: u64,
}

impl Record {
    fn to_bytes(self) -> [u8; RECORD_BYTES] {
        let mut b = [0u8; RECORD_BYTES];
        let parts: [&[u8]; 6] = [
            &self.customer.to_le_bytes(),
            &self.day.to_le_bytes(),
            &self.amount.to_le_bytes(),
            &self.order_hash.to_le_bytes(),
            &self.line_hash.to_le_bytes(),
            &self.position.to_le_bytes(),
        ];
        let mut at = 0;
        for part in parts {
            if let Some(slot) = b.get_mut(at..at + part.len()) {
                slot.copy_from_slice(part);
            }
            at += part.len();
        }
        b
    }

    fn from_bytes(b: &[u8; RECORD_BYTES]) -> Self {
        let u32_at = |at: usize| le_u32(b, at);
        let u64_at = |at: usize| le_u64(b, at);
        Self {
            customer: u32_at(0),
            day: u32_at(4) as i32,
            amount: f64::from_bits(u64_at(8)),
            order_hash: u64_at(16),
            line_hash: u64_at(24),
            position: u64_at(32),
        }
    }
}

fn position(file: usize, line: u64) -> u64 {
    ((file as u64) << LINE_BITS) | (line & ((1 << LINE_BITS) - 1))
}

fn unpack(position: u64) -> (usize, u64) {
    (
        (position >> LINE_BITS) as usize,
        position & ((1 << LINE_BITS) - 1),
    )
}

/// A summary row in a row file: its customer's index and figures (the id text is in
/// [`CustomerIds`]).
fn row_to_bytes(customer: u32, row: &SummaryRow) -> [u8; ROW_BYTES] {
    let mut b = [0u8; ROW_BYTES];
    let day = |d: Option<Day>| d.unwrap_or(Day::MIN).to_le_bytes();
    let parts: [&[u8]; 9] = [
        &customer.to_le_bytes(),
        &row.frequency.to_le_bytes(),
        &row.recency.to_le_bytes(),
        &row.age.to_le_bytes(),
        &row.monetary_value.to_le_bytes(),
        &row.orders.to_le_bytes(),
        &row.revenue.to_le_bytes(),
        &day(row.first_order),
        &day(row.last_order),
    ];
    let mut at = 0;
    for part in parts {
        if let Some(slot) = b.get_mut(at..at + part.len()) {
            slot.copy_from_slice(part);
        }
        at += part.len();
    }
    b
}

/// The bytes of interned id `i`: `text` holds the ids end to end, `ends[i]` where id `i` ends.
fn id_at<'a>(text: &'a [u8], ends: &[u64], i: u32) -> &'a [u8] {
    let i = i as usize;
    let start = i
        .checked_sub(1)
        .and_then(|p| ends.get(p).copied())
        .unwrap_or(0);
    let end = ends.get(i).copied().unwrap_or(start);
    text.get(start as usize..end as usize).unwrap_or_default()
}

/// The little-endian `u32` at `at` in a record (0 past its end: records have a fixed size).
fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(
        b.get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default(),
    )
}

/// The little-endian `u64` at `at` in a record.
fn le_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(
        b.get(at..at + 8)
            .and_then(|s| s.try_into().ok())
            .unwrap_or_default(),
    )
}

fn row_from_bytes(b: &[u8; ROW_BYTES]) -> (u32, SummaryRow) {
    let u32_at = |at: usize| le_u32(b, at);
    let f64_at = |at: usize| f64::from_bits(le_u64(b, at));
    let day = |at: usize| Some(u32_at(at) as i32).filter(|d| *d != Day::MIN);
    (
        u32_at(0),
        SummaryRow {
            customer_id: String::new(),
            frequency: u32_at(4),
            recency: f64_at(8),
            age: f64_at(16),
            monetary_value: f64_at(24),
            orders: u32_at(32),
            revenue: f64_at(36),
            first_order: day(44),
            last_order: day(48),
        },
    )
}

/// Days of all kept lines, one count per plausible day.
struct DayHistogram(Vec<u64>);

impl DayHistogram {
    fn new() -> Self {
        Self(vec![
            0;
            (PLAUSIBLE_DAYS.end - PLAUSIBLE_DAYS.start) as usize
        ])
    }
    fn add(&mut self, day: Day) {
        if let Some(c) = self.0.get_mut((day - PLAUSIBLE_DAYS.start) as usize) {
            *c += 1;
        }
    }
    fn days(&self) -> impl Iterator<Item = (Day, u64)> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (PLAUSIBLE_DAYS.start + i as Day, *c))
    }
}

/// Aggregated drops: one tally per reason, examples in input order.
#[derive(Default)]
struct DropTallies(Vec<StreamDrops>);

impl DropTallies {
    fn add(&mut self, file: usize, rows: &DroppedRows, line: impl Fn(u64) -> u64) {
        let tally = match self.0.iter_mut().position(|t| t.reason == rows.reason) {
            Some(i) => self.0.get_mut(i),
            None => {
                self.0.push(StreamDrops {
                    reason: rows.reason,
                    column: rows.column.clone(),
                    count: 0,
                    examples: Vec::new(),
                });
                self.0.last_mut()
            }
        };
        let Some(tally) = tally else {
            return;
        };
        tally.count += rows.count;
        for (l, value) in &rows.examples {
            if tally.examples.len() < MAX_EXAMPLES {
                tally.examples.push((file, line(*l), value.clone()));
            }
        }
    }
}

fn io_failed(path: &Path, e: &io::Error) -> super::CliError {
    run_error(format!("{}: could not read the file: {e}", path.display()))
}

fn temp_failed(e: &io::Error) -> super::CliError {
    run_error(format!("cannot write temporary files: {e}"))
}

fn engine_error(path: &Path, e: IngestError) -> super::CliError {
    let e = SessionError::Engine(EngineError::from(e));
    run_error(format!("{}: {e}", path.display()))
}

/// Streams `inputs` into the summary and writes it with `write` (given the rows in order of
/// first appearance); see the module docs.
pub(super) fn summarize_streamed(
    inputs: &[StreamInput],
    params: &SummaryParams,
    options: &StreamOptions,
    write: impl FnOnce(&mut dyn Iterator<Item = SummaryRow>) -> CliResult<u64>,
) -> CliResult<StreamOutcome> {
    let Some(first) = inputs.first() else {
        return Err(run_error("no input file"));
    };
    let name = |file: usize| inputs.get(file).map_or(first.path.as_path(), |i| &i.path);
    let total_bytes: u64 = inputs
        .iter()
        .map(|i| fs::metadata(&i.path).map_or(0, |m| m.len()))
        .sum();
    let k = options
        .partitions
        .unwrap_or_else(|| total_bytes.div_ceil(PARTITION_INPUT_BYTES).max(1) as usize)
        .max(1);
    let temp = TempDir::new(&options.temp_dir)?;
    let has_orders = first.params.mapping.order_id.is_some();

    // Pass 1.
    let mut ids = CustomerIds::default();
    let mut days = DayHistogram::new();
    let mut drops = DropTallies::default();
    let mut outcome = StreamOutcome::default();
    let mut kept_before_far = 0u64;
    let mut any_text = false;
    let mut writers = (0..k)
        .map(|p| {
            File::create(temp.file(&format!("lines-{p}")))
                .map(|f| BufWriter::with_capacity(1 << 16, f))
        })
        .collect::<io::Result<Vec<_>>>()
        .map_err(|e| temp_failed(&e))?;
    for (file_index, input) in inputs.iter().enumerate() {
        let path = &input.path;
        let file = File::open(path)
            .map_err(|e| run_error(format!("cannot open {}: {e}", path.display())))?;
        let mut chunker = Chunker::new(
            utf8_reader(file, input.params.encoding),
            options.chunk_bytes,
            input.params.delimiter,
        );
        let params = IngestParams {
            encoding: TextEncoding::Utf8,
            keep_far_dates: true,
            ..input.params.clone()
        };
        let mut header: Vec<u8> = Vec::new();
        let mut header_lines = 0u64;
        let mut lines_before = 0u64;
        let mut first_chunk = true;
        while let Some(chunk) = chunker.next_chunk().map_err(|e| io_failed(path, &e))? {
            if first_chunk && params.has_header {
                header = header_prefix(&chunk, params.delimiter);
                header_lines = count_newlines(&header);
            }
            // The chunk's text: the header line, then the chunk (the first chunk has its own).
            let prefix: &[u8] = if first_chunk { &[] } else { &header };
            let prefix_lines = if first_chunk { 0 } else { header_lines };
            let real_line = |line: u64| line.saturating_sub(prefix_lines) + lines_before;
            let text = Cursor::new(prefix).chain(Cursor::new(&chunk[..]));
            let length = (prefix.len() + chunk.len()) as u64;
            let part = match ingest_part(text, length, &params) {
                Ok(part) => part,
                // A chunk of blank lines, or of the header alone (said below when no chunk of
                // any file has a data row).
                Err(e @ (IngestError::HeaderOnly | IngestError::Empty)) => {
                    any_text |= matches!(e, IngestError::HeaderOnly);
                    first_chunk = false;
                    lines_before += count_newlines(&chunk);
                    continue;
                }
                Err(e) => return Err(engine_error(path, e)),
            };
            first_chunk = false;
            any_text = true;
            let report = &part.report;
            outcome.rows_read += report.rows_read;
            kept_before_far += report.rows_kept;
            for d in &report.dropped {
                drops.add(file_index, d, real_line);
            }
            let dataset = &part.dataset;
            let global = dataset
                .customer_ids
                .iter()
                .map(|id| ids.intern(id.as_bytes()))
                .collect::<CliResult<Vec<u32>>>()?;
            for (row, (key, line)) in part.line_keys.iter().enumerate() {
                let (Some(&customer), Some(&day), Some(&amount)) = (
                    dataset.customer.get(row),
                    dataset.day.get(row),
                    dataset.amount.get(row),
                ) else {
                    continue;
                };
                let customer = global.get(customer as usize).copied().unwrap_or(0);
                days.add(day);
                let record = Record {
                    customer,
                    day,
                    amount,
                    order_hash: dataset.order_hash.get(row).copied().unwrap_or(0),
                    line_hash: *key,
                    position: position(file_index, real_line(u64::from(*line))),
                };
                if let Some(w) = writers.get_mut(customer as usize % k) {
                    w.write_all(&record.to_bytes())
                        .map_err(|e| temp_failed(&e))?;
                }
            }
            lines_before += count_newlines(&chunk);
        }
        outcome.bytes_read += chunker.read;
    }
    for w in &mut writers {
        w.flush().map_err(|e| temp_failed(&e))?;
    }
    drop(writers);

    // The whole input's checks and settings, as the in-memory ingest and summary decide them.
    let fences = far_date_fences_counted(days.days());
    let near = |day: Day| fences.is_none_or(|(from, to)| (from..=to).contains(&day));
    let far_lines: u64 = days.days().filter(|(d, _)| !near(*d)).map(|(_, n)| n).sum();
    let drop_far = far_lines > 0 && !options.keep_far_dates;
    let kept_day = |day: Day| !drop_far || near(day);
    outcome.rows_kept = kept_before_far - if drop_far { far_lines } else { 0 };
    if drop_far {
        drops.0.push(StreamDrops {
            reason: DropReason::FarFromOtherDates,
            column: first.date_header.clone(),
            count: far_lines,
            examples: Vec::new(),
        });
    }
    drops
        .0
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    let as_dropped: Vec<DroppedRows> = drops
        .0
        .iter()
        .map(|t| DroppedRows {
            reason: t.reason,
            column: t.column.clone(),
            count: t.count,
            examples: t
                .examples
                .iter()
                .map(|(_, line, value)| (*line, value.clone()))
                .collect(),
        })
        .collect();
    if outcome.rows_read == 0 {
        let e = match (any_text, first.params.has_header) {
            (true, true) => IngestError::HeaderOnly,
            _ => IngestError::Empty,
        };
        return Err(engine_error(&first.path, e));
    }
    check_most_rows_bad(outcome.rows_read, &as_dropped).map_err(|e| {
        let file = drops
            .0
            .first()
            .and_then(|t| t.examples.first())
            .map_or(0, |e| e.0);
        engine_error(name(file), e)
    })?;
    let kept_days: Vec<Day> = days
        .days()
        .map(|(d, _)| d)
        .filter(|d| kept_day(*d))
        .collect();
    let (Some(&first_day), Some(&last_day)) = (kept_days.first(), kept_days.last()) else {
        return Err(run_error(format!(
            "{}: {}",
            first.path.display(),
            SummaryError::NoPurchase
        )));
    };
    let as_of_day = params.as_of_day.unwrap_or(last_day);
    if as_of_day < first_day {
        let e = RfmError::AsOfBeforeData {
            as_of: calendar::iso_day(as_of_day),
            first: calendar::iso_day(first_day),
        };
        return Err(run_error(format!(
            "{}: {}",
            first.path.display(),
            SummaryError::Rfm(e.to_string())
        )));
    }
    outcome.as_of_day = as_of_day;
    outcome.duplicates_removed = params.remove_duplicates.unwrap_or(has_orders);
    if let Some((from, to)) = fences.filter(|_| far_lines > 0) {
        outcome.far_dates = Some((far_lines, from, to, options.keep_far_dates));
    }

    // Pass 2.
    let mut far_examples: Vec<(u64, Day)> = Vec::new();
    let mut duplicate_examples: Vec<(u64, u64)> = Vec::new();
    for p in 0..k {
        let lines_path = temp.file(&format!("lines-{p}"));
        let mut reader = BufReader::with_capacity(
            1 << 16,
            File::open(&lines_path).map_err(|e| temp_failed(&e))?,
        );
        // Customers g = p, p + k, p + 2k, … are the partition's 0, 1, 2, … Their "ids" here are
        // the global indices as text: the rows say whose they are, and the merge writes the
        // real id.
        let customers: Vec<String> = (p..ids.len()).step_by(k).map(|g| g.to_string()).collect();
        let mut dataset = Dataset {
            customer_ids: Interned::from(customers),
            ..Dataset::default()
        };
        let mut keys: Vec<(u64, u32, u64)> = Vec::new();
        let mut bytes = [0u8; RECORD_BYTES];
        loop {
            match reader.read_exact(&mut bytes) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(temp_failed(&e)),
            }
            let r = Record::from_bytes(&bytes);
            if !kept_day(r.day) {
                if far_examples.len() < MAX_EXAMPLES
                    || far_examples.last().is_some_and(|l| r.position < l.0)
                {
                    far_examples.push((r.position, r.day));
                    far_examples.sort_unstable();
                    far_examples.truncate(MAX_EXAMPLES);
                }
                continue;
            }
            let row = u32::try_from(dataset.customer.len()).unwrap_or(u32::MAX);
            dataset.customer.push(r.customer / k as u32);
            dataset.day.push(r.day);
            dataset.amount.push(r.amount);
            if has_orders {
                dataset.order_hash.push(r.order_hash);
            }
            keys.push((r.line_hash, row, r.position));
        }
        drop(reader);
        let _ = fs::remove_file(&lines_path);
        // Exact duplicates: equal line hashes, all but the first in input order (the
        // ingest's `find_duplicates`, over the partition: a line and its duplicates have the
        // same customer, so the same partition).
        dataset.is_exact_duplicate = vec![false; dataset.customer.len()];
        keys.sort_unstable_by_key(|&(key, row, _)| (key, row));
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            let Some((&(_, _, first_position), rest)) = run.split_first() else {
                continue;
            };
            for &(_, row, position) in rest {
                if let Some(flag) = dataset.is_exact_duplicate.get_mut(row as usize) {
                    *flag = true;
                }
                outcome.exact_duplicates += 1;
                if duplicate_examples.len() < 4 * MAX_EXAMPLES {
                    duplicate_examples.push((position, first_position));
                } else {
                    duplicate_examples.push((position, first_position));
                    duplicate_examples.sort_unstable();
                    duplicate_examples.truncate(MAX_EXAMPLES);
                }
            }
        }
        drop(keys);
        let rows_path = temp.file(&format!("rows-{p}"));
        let mut rows_out = BufWriter::with_capacity(
            1 << 16,
            File::create(&rows_path).map_err(|e| temp_failed(&e))?,
        );
        let table = summarize_part(&dataset, params, as_of_day)
            .map_err(|e| run_error(format!("{}: {e}", first.path.display())))?;
        drop(dataset);
        outcome.customers_without_purchase += table.customers_without_purchase;
        outcome.customers_after_as_of += table.customers_after_as_of;
        for row in &table.rows {
            let customer = row.customer_id.parse::<u32>().unwrap_or(u32::MAX);
            rows_out
                .write_all(&row_to_bytes(customer, row))
                .map_err(|e| temp_failed(&e))?;
        }
        rows_out.flush().map_err(|e| temp_failed(&e))?;
    }
    duplicate_examples.sort_unstable();
    duplicate_examples.truncate(MAX_EXAMPLES);
    outcome.duplicate_examples = duplicate_examples
        .into_iter()
        .map(|(a, b)| (unpack(a), unpack(b)))
        .collect();
    if let Some(t) = drops
        .0
        .iter_mut()
        .find(|t| t.reason == DropReason::FarFromOtherDates)
    {
        t.column = first.date_header.clone();
        t.examples = far_examples
            .iter()
            .map(|&(position, day)| {
                let (file, line) = unpack(position);
                (file, line, calendar::iso_day(day))
            })
            .collect();
    }
    outcome.dropped = drops.0;

    // Merge.
    let mut merged = MergedRows::open(&temp, k, &ids)?;
    let written = write(&mut merged)?;
    if let Some(e) = merged.error.take() {
        return Err(temp_failed(&e));
    }
    outcome.customers = written;
    Ok(outcome)
}

/// The partitions' rows in order of first appearance: customer `g` is in row file `g mod k`.
struct MergedRows<'a> {
    readers: Vec<BufReader<File>>,
    heads: Vec<Option<(u32, SummaryRow)>>,
    next: usize,
    ids: &'a CustomerIds,
    error: Option<io::Error>,
}

impl<'a> MergedRows<'a> {
    fn open(temp: &TempDir, k: usize, ids: &'a CustomerIds) -> CliResult<Self> {
        let mut merged = Self {
            readers: Vec::with_capacity(k),
            heads: Vec::with_capacity(k),
            next: 0,
            ids,
            error: None,
        };
        for p in 0..k {
            let file = File::open(temp.file(&format!("rows-{p}"))).map_err(|e| temp_failed(&e))?;
            merged.readers.push(BufReader::with_capacity(1 << 16, file));
            let head = merged.read(p);
            merged.heads.push(head);
        }
        Ok(merged)
    }

    fn read(&mut self, p: usize) -> Option<(u32, SummaryRow)> {
        let reader = self.readers.get_mut(p)?;
        let mut bytes = [0u8; ROW_BYTES];
        match reader.read_exact(&mut bytes) {
            Ok(()) => Some(row_from_bytes(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => None,
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}

impl Iterator for MergedRows<'_> {
    type Item = SummaryRow;

    fn next(&mut self) -> Option<SummaryRow> {
        let k = self.readers.len();
        while self.next < self.ids.len() && self.error.is_none() {
            let g = self.next;
            self.next += 1;
            let p = g % k;
            let matches = self
                .heads
                .get(p)
                .and_then(Option::as_ref)
                .is_some_and(|(c, _)| *c as usize == g);
            if !matches {
                continue;
            }
            let next = self.read(p);
            let head = self
                .heads
                .get_mut(p)
                .and_then(|h| std::mem::replace(h, next));
            if let Some((_, mut row)) = head {
                row.customer_id = String::from_utf8_lossy(self.ids.get(g)).into_owned();
                return Some(row);
            }
        }
        None
    }
}

/// Writes the rows to `path` as CSV, in pieces (the whole text is never held): the bytes
/// [`crate::engine::summary::SummaryTable::write`] gives a [`CsvSink`].
pub(super) fn write_csv_streamed(
    path: &Path,
    rows: &mut dyn Iterator<Item = SummaryRow>,
) -> CliResult<u64> {
    let failed = |e: &io::Error| run_error(format!("cannot write {}: {e}", path.display()));
    let mut out = BufWriter::new(File::create(path).map_err(|e| failed(&e))?);
    let mut sink = CsvSink::new(0);
    sink.header(&SUMMARY_HEADER);
    let mut written = 0u64;
    for row in rows {
        write_summary_row(&mut sink, &row);
        written += 1;
        if written % (1 << 14) == 0 {
            out.write_all(&sink.take_bytes()).map_err(|e| failed(&e))?;
        }
    }
    out.write_all(&sink.take_bytes()).map_err(|e| failed(&e))?;
    out.flush().map_err(|e| failed(&e))?;
    Ok(written)
}
