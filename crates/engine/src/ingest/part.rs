//! A file read in two parts by two readers that share nothing (the browser's two workers): the
//! second part's rows leave their reader as bytes ([`PartRows::into_bytes`]) and join the first
//! part's reader ([`super::FedIngest::join`]), which then finishes as if it had read the whole
//! file. Natively, [`super::ingest_split`] joins the same rows between two threads, without the
//! bytes.
//!
//! The second reader ([`PartIngest`]) starts after a line feed half-way through the file; the
//! first reads up to it. When that line feed was inside a quoted cell, the first reader is not at
//! a record's end there and refuses the join ([`NotJoined::NotAtRecordEnd`]); its caller then
//! feeds it the rest of the file itself. The result is [`super::ingest`]'s either way, byte for
//! byte: the differential tests below cut the fixtures and random files at every kind of place.

use serde::{Deserialize, Serialize};

use super::fed::Pieces;
use super::intern::InternedValues;
use super::parse::{read_rows_until_blocked, Builder};
use super::records::RecordReader;
use super::{IngestError, IngestParams, QuoteRepair};
use crate::{Codes, Day};

/// What the reader of a later part needs from the first reader: the parameters, the column
/// names (the header is in the first part) and room for the rows it will read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartPlan {
    /// The read's parameters, as the first reader has them.
    pub params: IngestParams,
    /// The file's column names.
    pub columns: Vec<String>,
    /// Rows to reserve room for.
    pub rows: usize,
}

/// The rows one reader read from a part of a file after the first (its builder without the hash
/// tables): [`Builder::into_rows`] makes them, [`Builder::append`] joins them. Their columns are
/// values, or the bytes [`Self::into_bytes`] wrote them as ([`Self::from_source`] does not copy
/// them out: [`Builder::append`] reads them straight into its own columns).
#[derive(Debug, Default)]
pub(super) struct PartRows<'a> {
    pub(super) customers: InternedValues,
    pub(super) customer: Column<'a, u32>,
    pub(super) day: Column<'a, Day>,
    pub(super) amount: Column<'a, f64>,
    /// Empty without an order column.
    pub(super) order_hash: Column<'a, u64>,
    /// Empty without a quantity column.
    pub(super) quantity: Column<'a, f64>,
    /// Product, region, channel and category, each when the file has it.
    pub(super) text: [Option<TextRows<'a>>; 4],
    /// Minutes of the day, when a line of the part had a time.
    pub(super) minute_of_day: Option<Column<'a, u16>>,
    pub(super) record_hash: Column<'a, u64>,
    /// `(row, line)` where `line − row` changes (lines counted from 1 in the part).
    pub(super) lines: Vec<(u64, u64)>,
    pub(super) tally: PartTally,
}

/// One text column of a [`PartRows`].
#[derive(Debug, Default)]
pub(super) struct TextRows<'a> {
    pub(super) values: CodesColumn<'a>,
    pub(super) interned: InternedValues,
    pub(super) missing: u64,
}

/// The counts of a [`PartRows`].
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct PartTally {
    pub(super) rows_read: u64,
    /// `(count, examples)` of each drop reason, in the builder's order.
    pub(super) drops: Vec<(u64, Vec<(u64, String)>)>,
    pub(super) missing_order: u64,
    pub(super) missing_quantity: u64,
    pub(super) bad_quantity: u64,
    pub(super) decimal_comma_amounts: u64,
    pub(super) quote_repairs: Vec<QuoteRepair>,
    pub(super) min_day: Day,
    pub(super) max_day: Day,
    pub(super) replaced: u64,
    pub(super) return_lines: u64,
}

/// The small things of a [`PartRows`], as JSON ahead of the columns' bytes.
#[derive(Serialize, Deserialize)]
struct Header {
    customers: InternedValues,
    /// `(interned values, missing)` of each text column the file has.
    text: [Option<(InternedValues, u64)>; 4],
    lines: Vec<(u64, u64)>,
    tally: PartTally,
}

/// The first bytes of [`PartRows::into_bytes`] (with a version, should the layout change).
const MAGIC: &[u8; 8] = b"SGPART01";

/// Where the bytes of a part's rows are read from ([`super::FedIngest::join`]): bytes in this
/// memory, or (in the page) the JavaScript array the helper worker sent, copied from a piece at a
/// time as the columns are appended, so the rows are never held whole here first.
pub trait PartSource {
    /// The number of bytes.
    fn len(&self) -> usize;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies the bytes from `at` into `into`. The caller keeps `at + into.len() ≤ len()`;
    /// past the end, `into` is left as it is.
    fn read_at(&self, at: usize, into: &mut [u8]);
}

impl PartSource for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn read_at(&self, at: usize, into: &mut [u8]) {
        if let Some(bytes) = self.get(at..at.saturating_add(into.len())) {
            into.copy_from_slice(bytes);
        }
    }
}

impl PartSource for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn read_at(&self, at: usize, into: &mut [u8]) {
        (**self).read_at(at, into);
    }
}

impl PartSource for Vec<u8> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn read_at(&self, at: usize, into: &mut [u8]) {
        self.as_slice().read_at(at, into);
    }
}

/// A column of a [`PartRows`]: its values, or where their little-endian bytes are.
pub(super) enum Column<'a, T> {
    Values(Vec<T>),
    /// `len` values from byte `at` of `source`.
    Bytes {
        source: &'a dyn PartSource,
        at: usize,
        len: usize,
    },
}

impl<T> std::fmt::Debug for Column<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Values(values) => write!(f, "Values({} values)", values.len()),
            Self::Bytes { at, len, .. } => write!(f, "Bytes({len} values from byte {at})"),
        }
    }
}

impl<T> Default for Column<'_, T> {
    fn default() -> Self {
        Self::Values(Vec::new())
    }
}

impl<T: Word> Column<'_, T> {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Values(values) => values.len(),
            Self::Bytes { len, .. } => *len,
        }
    }

    /// Hands the bytes of a [`Self::Bytes`] column to `f`, a piece of whole values at a time,
    /// through one buffer (nothing for [`Self::Values`]).
    fn pieces(&self, mut f: impl FnMut(&[u8])) {
        let Self::Bytes { source, at, len } = self else {
            return;
        };
        let total = len.saturating_mul(T::BYTES);
        let mut piece = vec![0u8; total.min(PIECE_BYTES)];
        let mut done = 0;
        while done < total {
            let size = (total - done).min(piece.len());
            let Some(buffer) = piece.get_mut(..size) else {
                break;
            };
            source.read_at(at + done, buffer);
            f(buffer);
            done += size;
        }
    }

    /// Calls `f` with each value, in order.
    pub(super) fn for_each(&self, mut f: impl FnMut(T)) {
        match self {
            Self::Values(values) => values.iter().copied().for_each(f),
            Self::Bytes { .. } => {
                self.pieces(|bytes| bytes.chunks_exact(T::BYTES).for_each(|b| f(T::get(b))));
            }
        }
    }

    /// Appends the values to `to`, each through `map` (values of its own are freed: joining
    /// two halves column by column would otherwise hold the second half to the end).
    pub(super) fn append_mapped(self, to: &mut Vec<T>, map: impl Fn(T) -> T) {
        match self {
            Self::Values(values) => to.extend(values.into_iter().map(map)),
            Self::Bytes { len, .. } => {
                to.reserve(len);
                self.pieces(|bytes| {
                    to.extend(bytes.chunks_exact(T::BYTES).map(|b| map(T::get(b))));
                });
            }
        }
    }

    /// Appends the values to `to` (see [`Self::append_mapped`]).
    pub(super) fn append_to(self, to: &mut Vec<T>) {
        match self {
            Self::Values(mut values) => to.append(&mut values),
            Self::Bytes { len, .. } => {
                to.reserve(len);
                self.pieces(|bytes| to.extend(bytes.chunks_exact(T::BYTES).map(T::get)));
            }
        }
    }
}

/// The text column of a [`TextRows`]: its indexes as the builder stored them, or where their
/// bytes are (written as four bytes each, whatever their width in memory).
pub(super) enum CodesColumn<'a> {
    Values(Codes),
    Bytes(Column<'a, u32>),
}

impl std::fmt::Debug for CodesColumn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Values(codes) => write!(f, "Values({} codes)", codes.len()),
            Self::Bytes(column) => column.fmt(f),
        }
    }
}

impl Default for CodesColumn<'_> {
    fn default() -> Self {
        Self::Values(Codes::default())
    }
}

impl CodesColumn<'_> {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Values(codes) => codes.len(),
            Self::Bytes(column) => column.len(),
        }
    }

    /// Appends the indexes to `to`, each through `map` (see [`Column::append_mapped`]).
    pub(super) fn append_mapped(self, to: &mut Codes, map: impl Fn(u32) -> u32) {
        match self {
            Self::Values(codes) => {
                to.reserve(codes.len());
                codes.iter().for_each(|c| to.push(map(c)));
            }
            Self::Bytes(column) => {
                to.reserve(column.len());
                column.for_each(|c| to.push(map(c)));
            }
        }
    }
}

/// Writes a text column to `sink` as [`put_column`] writes a `u32` column.
fn put_codes(sink: &mut dyn FnMut(&[u8]), codes: &CodesColumn<'_>) {
    match codes {
        CodesColumn::Bytes(column) => put_column(sink, column),
        CodesColumn::Values(codes) => {
            sink(&(codes.len() as u64).to_le_bytes());
            let mut piece = vec![0u8; PIECE_BYTES.min(codes.len() * 4)];
            let mut codes = codes.iter();
            loop {
                let mut filled = 0;
                for (out, code) in piece.chunks_exact_mut(4).zip(codes.by_ref()) {
                    code.put(out);
                    filled += 4;
                }
                match piece.get(..filled) {
                    Some(bytes) if filled > 0 => sink(bytes),
                    _ => break,
                }
            }
        }
    }
}

/// A number of a column, written as its little-endian bytes.
pub(super) trait Word: Copy {
    const BYTES: usize;
    /// Writes the value into `out` (of [`Self::BYTES`] bytes; another length is left as it is).
    fn put(self, out: &mut [u8]);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! word {
    ($t:ty, $n:expr) => {
        impl Word for $t {
            const BYTES: usize = $n;
            #[inline]
            fn put(self, out: &mut [u8]) {
                if let Ok(out) = <&mut [u8; $n]>::try_from(out) {
                    *out = self.to_le_bytes();
                }
            }
            #[inline]
            fn get(bytes: &[u8]) -> Self {
                <[u8; $n]>::try_from(bytes).map_or(0 as $t, <$t>::from_le_bytes)
            }
        }
    };
}
word!(u16, 2);
word!(u32, 4);
word!(i32, 4);
word!(u64, 8);
word!(f64, 8);

/// Bytes of a column's values handed to a sink, or read from a [`PartSource`], at a time (a
/// multiple of every value's size).
#[cfg(not(test))]
const PIECE_BYTES: usize = 1 << 16;
/// In the tests, small: every column is written and read in many pieces.
#[cfg(test)]
const PIECE_BYTES: usize = 40;

/// Writes a column to `sink`: its length, then its values, a piece at a time.
fn put_column<T: Word>(sink: &mut dyn FnMut(&[u8]), values: &Column<'_, T>) {
    sink(&(values.len() as u64).to_le_bytes());
    match values {
        Column::Bytes { .. } => values.pieces(|bytes| sink(bytes)),
        Column::Values(values) => {
            // Each value stored into its place of one buffer, not pushed a value at a time (the
            // helper's writing of its 1M-row part took ≈ 50 ms in a wasm profile, 18 ms of it
            // here; the page's time did not change measurably).
            let mut piece = vec![0u8; PIECE_BYTES.min(values.len() * T::BYTES)];
            for chunk in values.chunks(PIECE_BYTES / T::BYTES) {
                let Some(bytes) = piece.get_mut(..chunk.len() * T::BYTES) else {
                    break;
                };
                for (out, &v) in bytes.chunks_exact_mut(T::BYTES).zip(chunk) {
                    v.put(out);
                }
                sink(bytes);
            }
        }
    }
}

/// Bytes [`put_column`] writes for `values`.
fn column_bytes<T: Word>(values: &Column<'_, T>) -> usize {
    8 + values.len() * T::BYTES
}

/// The column [`put_column`] wrote, from `at` (moved past it): where its bytes are, not a copy.
fn get_column<'a, T: Word>(
    source: &'a dyn PartSource,
    at: &mut usize,
) -> Result<Column<'a, T>, String> {
    let len = read_u64(source, *at).ok_or("a column's length is cut")?;
    *at += 8;
    let len = usize::try_from(len).map_err(|_| "a column is too long")?;
    let size = len.checked_mul(T::BYTES).ok_or("a column is too long")?;
    let end = at
        .checked_add(size)
        .filter(|&end| end <= source.len())
        .ok_or("a column's values are cut")?;
    let column = Column::Bytes {
        source,
        at: *at,
        len,
    };
    *at = end;
    Ok(column)
}

/// The little-endian `u64` at byte `at` of `source`, when it is all there.
fn read_u64(source: &dyn PartSource, at: usize) -> Option<u64> {
    let end = at.checked_add(8)?;
    if end > source.len() {
        return None;
    }
    let mut word = [0u8; 8];
    source.read_at(at, &mut word);
    Some(u64::from_le_bytes(word))
}

/// The rows of a part ready to be written as bytes ([`PartIngest::finish`]): their length is
/// known first, so a caller can write them straight into a buffer of its own (the helper worker
/// writes them into a JavaScript array, not into a copy in its own memory first).
pub struct PartBytes {
    json: Vec<u8>,
    customer: Column<'static, u32>,
    day: Column<'static, Day>,
    amount: Column<'static, f64>,
    order_hash: Column<'static, u64>,
    quantity: Column<'static, f64>,
    text: [CodesColumn<'static>; 4],
    minute_of_day: Option<Column<'static, u16>>,
    record_hash: Column<'static, u64>,
}

impl std::fmt::Debug for PartBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartBytes")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl PartBytes {
    /// The number of bytes [`Self::write_to`] writes.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        16 + self.json.len()
            + column_bytes(&self.customer)
            + column_bytes(&self.day)
            + column_bytes(&self.amount)
            + column_bytes(&self.order_hash)
            + column_bytes(&self.quantity)
            + self.text.iter().map(|c| 8 + c.len() * 4).sum::<usize>()
            + 1
            + self.minute_of_day.as_ref().map_or(8, column_bytes)
            + column_bytes(&self.record_hash)
    }

    /// Hands the bytes to `sink` in order, a piece at a time ([`Self::len`] in all): what
    /// [`super::FedIngest::join`] reads.
    pub fn write_to(&self, sink: &mut dyn FnMut(&[u8])) {
        sink(MAGIC);
        sink(&(self.json.len() as u64).to_le_bytes());
        sink(&self.json);
        put_column(sink, &self.customer);
        put_column(sink, &self.day);
        put_column(sink, &self.amount);
        put_column(sink, &self.order_hash);
        put_column(sink, &self.quantity);
        for values in &self.text {
            put_codes(sink, values);
        }
        sink(&[u8::from(self.minute_of_day.is_some())]);
        put_column(
            sink,
            self.minute_of_day.as_ref().unwrap_or(&Column::default()),
        );
        put_column(sink, &self.record_hash);
    }

    /// The bytes in one vector.
    pub fn into_vec(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        self.write_to(&mut |piece| out.extend_from_slice(piece));
        out
    }
}

impl PartRows<'static> {
    /// The rows ready to be written as bytes, for another reader ([`Self::from_source`]).
    pub(super) fn into_bytes(self) -> Result<PartBytes, IngestError> {
        let Self {
            customers,
            customer,
            day,
            amount,
            order_hash,
            quantity,
            text,
            minute_of_day,
            record_hash,
            lines,
            tally,
        } = self;
        let mut values: [CodesColumn<'static>; 4] = Default::default();
        let text = {
            let mut header: [Option<(InternedValues, u64)>; 4] = Default::default();
            for ((slot, values), column) in header.iter_mut().zip(&mut values).zip(text) {
                if let Some(column) = column {
                    *values = column.values;
                    *slot = Some((column.interned, column.missing));
                }
            }
            header
        };
        let header = Header {
            customers,
            text,
            lines,
            tally,
        };
        let json = serde_json::to_vec(&header).map_err(|e| IngestError::Io {
            message: format!("a part's rows could not be written: {e}"),
        })?;
        Ok(PartBytes {
            json,
            customer,
            day,
            amount,
            order_hash,
            quantity,
            text: values,
            minute_of_day,
            record_hash,
        })
    }
}

impl<'a> PartRows<'a> {
    /// The rows [`Self::into_bytes`] wrote, read from `source` (the columns as they are
    /// appended), or what is wrong with its bytes.
    pub(super) fn from_source(source: &'a dyn PartSource) -> Result<Self, String> {
        let mut magic = [0u8; 8];
        if source.len() < 16 {
            return Err("not a part's rows".to_string());
        }
        source.read_at(0, &mut magic);
        if &magic != MAGIC {
            return Err("not a part's rows".to_string());
        }
        let json_len = read_u64(source, 8)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or("the header's length is cut")?;
        let json_end = json_len
            .checked_add(16)
            .filter(|&end| end <= source.len())
            .ok_or("the header is cut")?;
        let mut json = vec![0u8; json_len];
        source.read_at(16, &mut json);
        let header: Header = serde_json::from_slice(&json).map_err(|e| e.to_string())?;
        drop(json);
        let mut at = json_end;
        let customer: Column<'_, u32> = get_column(source, &mut at)?;
        let day = get_column(source, &mut at)?;
        let amount = get_column(source, &mut at)?;
        let order_hash = get_column(source, &mut at)?;
        let quantity = get_column(source, &mut at)?;
        let mut text: [Option<TextRows<'_>>; 4] = Default::default();
        for (slot, interned) in text.iter_mut().zip(header.text) {
            let values = CodesColumn::Bytes(get_column(source, &mut at)?);
            *slot = interned.map(|(interned, missing)| TextRows {
                values,
                interned,
                missing,
            });
        }
        if at >= source.len() {
            return Err("the minutes' flag is cut".to_string());
        }
        let mut flag = [0u8; 1];
        source.read_at(at, &mut flag);
        let has_minutes = flag == [1];
        at += 1;
        let minutes: Column<'_, u16> = get_column(source, &mut at)?;
        let record_hash = get_column(source, &mut at)?;
        if at != source.len() {
            return Err("bytes after the last column".to_string());
        }
        let rows = customer.len();
        let full = |len: usize| len == rows;
        let full_or_none = |len: usize| len == rows || len == 0;
        let columns_agree = full(day.len())
            && full(amount.len())
            && full(record_hash.len())
            && full_or_none(order_hash.len())
            && full_or_none(quantity.len())
            && text.iter().flatten().all(|t| full(t.values.len()))
            && (!has_minutes || full(minutes.len()));
        if !columns_agree {
            return Err("the columns have different lengths".to_string());
        }
        Ok(Self {
            customers: header.customers,
            customer,
            day,
            amount,
            order_hash,
            quantity,
            text,
            minute_of_day: has_minutes.then_some(minutes),
            record_hash,
            lines: header.lines,
            tally: header.tally,
        })
    }
}

/// The read of a part of a UTF-8 file after the first, from a line feed on ([`PartPlan`] from
/// the first reader, [`super::FedIngest::plan_part`]): feed it the part's bytes as they arrive
/// ([`Self::feed`]), then [`Self::finish`] gives the rows as bytes for
/// [`super::FedIngest::join`].
pub struct PartIngest {
    reader: RecordReader<Pieces>,
    builder: Box<Builder>,
    delimiter: u8,
}

impl std::fmt::Debug for PartIngest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartIngest").finish_non_exhaustive()
    }
}

impl PartIngest {
    /// A read of a part with `plan`'s parameters and columns.
    pub fn new(plan: &PartPlan) -> Result<Self, IngestError> {
        super::parse::check_roles(&plan.params.mapping)?;
        let builder = Builder::new(&plan.params, plan.columns.clone(), plan.rows)?;
        Ok(Self {
            reader: RecordReader::part(Pieces::default(), plan.params.delimiter),
            builder: Box::new(builder),
            delimiter: plan.params.delimiter,
        })
    }

    /// Reads `bytes`, the part's next piece, as far as its last whole record.
    pub fn feed(&mut self, bytes: Vec<u8>) -> Result<(), IngestError> {
        self.reader.source_mut().queue.push_back(bytes);
        read_rows_until_blocked(&mut self.reader, &mut self.builder, self.delimiter)?;
        Ok(())
    }

    /// The end of the part: reads what is left; the rows, to be written as bytes for
    /// [`super::FedIngest::join`].
    pub fn finish(mut self) -> Result<PartBytes, IngestError> {
        self.reader.source_mut().ended = true;
        read_rows_until_blocked(&mut self.reader, &mut self.builder, self.delimiter)?;
        drop(self.reader);
        self.builder.into_rows().into_bytes()
    }
}

/// Why [`super::FedIngest::join`] did not join a part: feed the rest of the file instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotJoined {
    /// The bytes fed so far do not end at a record's end (the cut was inside a quoted cell), or
    /// the read is not reading rows yet, or is over.
    NotAtRecordEnd,
    /// The part's bytes are not [`PartIngest::finish`]'s (a bug: said in the message).
    BadPart(String),
}

// Native only: proptest and the fixture files are not there on wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::ingest::parse::tests::{random_file_params, random_line, utf8_fixtures};
    use crate::ingest::parse::HEAD_BYTES;
    use crate::ingest::{ingest, FedIngest, QualityReport};
    use crate::Dataset;
    use proptest::prelude::*;

    /// Feeds `text` to `feed` in pieces of the `sizes` in turn (the last one repeated).
    fn feed_pieces(
        text: &[u8],
        sizes: &[usize],
        mut feed: impl FnMut(Vec<u8>) -> Result<(), IngestError>,
    ) -> Result<(), IngestError> {
        let mut sizes = sizes
            .iter()
            .copied()
            .chain(std::iter::repeat(sizes.last().copied().unwrap_or(1)));
        let mut rest = text;
        while !rest.is_empty() {
            let n = sizes.next().unwrap_or(1).clamp(1, rest.len());
            let (piece, after) = rest.split_at(n);
            rest = after;
            feed(piece.to_vec())?;
        }
        Ok(())
    }

    /// How a read in two parts went.
    #[derive(Debug, PartialEq)]
    enum Way {
        Joined,
        /// The first reader refused the join (the cut was inside a quoted cell) and read on.
        ReadOn,
        /// The first reader was not reading rows at the cut (still gathering its head).
        NoPlan,
    }

    /// The file read as the browser's two workers read it: the first reader fed `text[..cut]`,
    /// a part reader `text[cut..]` (both in pieces of `sizes`), joined (or read on when the
    /// join is refused).
    fn two_readers(
        text: &[u8],
        cut: usize,
        params: &IngestParams,
        sizes: &[usize],
    ) -> (Result<(Dataset, QualityReport), IngestError>, Way) {
        let Some(mut first) = FedIngest::new(text.len() as u64, params).unwrap() else {
            panic!("UTF-8");
        };
        let (head, tail) = text.split_at(cut);
        let fed = feed_pieces(head, sizes, |piece| first.feed(piece));
        let way = match (&fed, first.plan_part(cut as u64)) {
            (Ok(()), Some(plan)) => {
                let mut part = PartIngest::new(&plan).unwrap();
                feed_pieces(tail, sizes, |piece| part.feed(piece)).unwrap();
                let part = part.finish().unwrap();
                // The helper sizes its buffer by `len`: exactly what is written.
                let len = part.len();
                let bytes = part.into_vec();
                assert_eq!(bytes.len(), len);
                match first.join(&bytes) {
                    Ok(()) => Way::Joined,
                    Err(NotJoined::NotAtRecordEnd) => Way::ReadOn,
                    Err(e) => panic!("{e:?}"),
                }
            }
            _ => Way::NoPlan,
        };
        if way != Way::Joined {
            let rest = feed_pieces(tail, sizes, |piece| first.feed(piece));
            if let Err(e) = fed.and(rest) {
                return (Err(e), way);
            }
        }
        (first.finish(), way)
    }

    /// [`ingest`] of `text` against [`two_readers`] cut after line feeds (at most 40, spread
    /// over the file): the same dataset and report or error; the join refused only after a
    /// quote. Returns how many cuts were joined.
    fn parts_agree(text: &[u8], params: &IngestParams, sizes: &[usize]) -> usize {
        let whole = ingest(text, text.len() as u64, params, &mut |_| {});
        let cuts: Vec<usize> = (0..text.len())
            .filter(|&at| text[at] == b'\n')
            .map(|at| at + 1)
            .filter(|&at| at < text.len())
            .collect();
        let step = cuts.len().div_ceil(40).max(1);
        let mut joined = 0;
        for &cut in cuts.iter().step_by(step) {
            let (parts, way) = two_readers(text, cut, params, sizes);
            assert_eq!(whole, parts, "cut at {cut}, {way:?}");
            match way {
                Way::Joined => joined += 1,
                Way::ReadOn => assert!(text[..cut].contains(&b'"'), "refused a cut at {cut}"),
                Way::NoPlan => assert!(cut <= HEAD_BYTES + 1 || whole.is_err(), "cut at {cut}"),
            }
        }
        joined
    }

    #[test]
    fn two_readers_read_as_the_whole_file_over_the_fixtures() {
        let fixtures = utf8_fixtures(&["csv", "tsv", "txt"], 400_000);
        let mut joined = 0;
        for (text, params) in &fixtures {
            joined += parts_agree(text, params, &[4096, 7]);
        }
        assert!(fixtures.len() >= 30, "{} fixtures checked", fixtures.len());
        assert!(
            joined > 0,
            "no fixture is longer than the head: nothing joined"
        );
    }

    /// Quoted cells across line breaks, CRLF, a byte-order mark: some cuts fall inside a cell
    /// (the join is refused and the first reader reads on), the others join.
    #[test]
    fn quoted_line_breaks_refuse_the_join_only_inside_a_cell() {
        let text = crate::ingest::fed::tests::quoted_line_breaks_file();
        let text = text.as_bytes();
        let params = IngestParams::from_preview(
            &crate::ingest::preview(text, &crate::ingest::PreviewParams::default()).unwrap(),
        );
        let whole = ingest(text, text.len() as u64, &params, &mut |_| {});
        let (mut joined, mut refused) = (0, 0);
        // Every line feed from 70,000 bytes on, for 3,000 bytes: cuts inside and outside cells.
        for cut in (70_000..73_000).filter(|&at| text[at - 1] == b'\n') {
            let (parts, way) = two_readers(text, cut, &params, &[65_536, 1000]);
            assert_eq!(whole, parts, "cut at {cut}");
            match way {
                Way::Joined => joined += 1,
                Way::ReadOn => refused += 1,
                Way::NoPlan => panic!("no plan at {cut}"),
            }
        }
        assert!(
            joined > 10 && refused > 0,
            "{joined} joined, {refused} refused"
        );
    }

    #[test]
    fn a_part_that_is_not_one_is_refused_and_nothing_changes() {
        let mut text = "customer,date,amount\n".to_string();
        for i in 0..5000 {
            text.push_str(&format!("C{},2024-01-{:02},{i}\n", i % 30, i % 28 + 1));
        }
        let text = text.as_bytes();
        let params = IngestParams::from_preview(
            &crate::ingest::preview(text, &crate::ingest::PreviewParams::default()).unwrap(),
        );
        let cut = (HEAD_BYTES + 10..text.len())
            .find(|&at| text[at - 1] == b'\n')
            .unwrap();
        let mut first = FedIngest::new(text.len() as u64, &params).unwrap().unwrap();
        first.feed(text[..cut].to_vec()).unwrap();
        let plan = first.plan_part(cut as u64).unwrap();
        let mut part = PartIngest::new(&plan).unwrap();
        part.feed(text[cut..].to_vec()).unwrap();
        let mut bytes = part.finish().unwrap().into_vec();
        for bad in [&b""[..], b"SGPART01", &bytes[..bytes.len() - 1]] {
            assert!(matches!(first.join(&bad), Err(NotJoined::BadPart(_))));
        }
        bytes.push(0);
        assert!(matches!(first.join(&bytes), Err(NotJoined::BadPart(_))));
        bytes.pop();
        first.join(&bytes).unwrap();
        // Joined once: no second join, no more bytes.
        assert_eq!(first.join(&bytes), Err(NotJoined::NotAtRecordEnd));
        assert!(first.feed(b"C1,2024-01-01,5\n".to_vec()).is_err());
        let whole = ingest(text, text.len() as u64, &params, &mut |_| {});
        assert_eq!(whole, first.finish());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn two_readers_read_as_the_whole_of_random_files(
            before in proptest::collection::vec(random_line(), 0..12),
            after in proptest::collection::vec(random_line(), 1..20),
            sizes in proptest::collection::vec(1usize..4000, 1..6),
            header in any::<bool>(),
            semicolon in any::<bool>(),
        ) {
            // Padding past the head, so the first reader is reading rows at the cuts.
            let padding: String =
                (0..3600).map(|i| format!("P{i},2024-02-01,1,P1\n")).collect();
            let head = if header { "customer,date,amount,product\n" } else { "" };
            let mut text = format!("{head}{padding}{}{}", before.concat(), after.concat());
            let delimiter = if semicolon {
                text = text.replace(',', ";");
                b';'
            } else {
                b','
            };
            let params = random_file_params(delimiter, header);
            let text = text.as_bytes();
            let whole = ingest(text, text.len() as u64, &params, &mut |_| {});
            // Every cut in the random lines.
            let start = text.len() - after.concat().len() - before.concat().len();
            for cut in (start.max(1)..text.len()).filter(|&at| text[at - 1] == b'\n') {
                let (parts, way) = two_readers(text, cut, &params, &sizes);
                prop_assert_eq!(&whole, &parts, "cut at {}, {:?}", cut, way);
                prop_assert!(way != Way::NoPlan);
                if way == Way::ReadOn {
                    prop_assert!(text[..cut].contains(&b'"'));
                }
            }
        }
    }
}
