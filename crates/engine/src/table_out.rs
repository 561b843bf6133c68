//! Every export as a typed table: the export code says what each cell is (text, a whole number,
//! a number with so many decimals, money, a day) and a [`TableSink`] writes it. [`CsvSink`]
//! writes the CSV of [`crate::csv_out`]'s rules; a spreadsheet sink ([`SpreadsheetSink`],
//! written outside the engine because the `.xlsx` writer needs the platform's clock) writes typed
//! cells. So one export function serves both formats and they cannot drift apart.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{calendar, csv_out, Day};

/// The format of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    /// UTF-8 CSV with a byte-order mark (opens in Excel with Chinese text intact).
    #[default]
    Csv,
    /// An Excel workbook: typed numbers and dates, a frozen header row and an autofilter.
    Xlsx,
}

impl ExportFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// The most rows an Excel sheet holds (header included).
pub const XLSX_MAX_ROWS: u64 = 1_048_576;

/// Receives one table: the header once, then cells row by row, each row closed by
/// [`end_row`](TableSink::end_row).
pub trait TableSink {
    /// The column headers (called once, first).
    fn header(&mut self, columns: &[&str]);
    /// A text cell (customer ids, names, codes).
    fn text(&mut self, text: &str);
    /// A whole number.
    fn integer(&mut self, value: i64);
    /// A number shown with at most `decimals` decimals; a non-finite one is an empty cell.
    fn number(&mut self, value: f64, decimals: usize);
    /// Money (2 decimals); a non-finite value is an empty cell.
    fn money(&mut self, value: f64);
    /// A number at full precision (statistics, p-values): every digit that round-trips, with an
    /// exponent below 10⁻⁴; a non-finite one is an empty cell.
    fn real(&mut self, value: f64);
    /// A day (days since 1970-01-01).
    fn day(&mut self, day: Day);
    /// No value.
    fn empty(&mut self);
    /// Ends the current row.
    fn end_row(&mut self);
}

/// A sink that makes a spreadsheet file.
pub trait SpreadsheetSink: TableSink {
    /// The file's bytes, or why it could not be written.
    fn finish(self: Box<Self>) -> Result<Vec<u8>, String>;
}

/// Makes a spreadsheet sink for one sheet with this name (the adapters register one with
/// [`crate::session::Session::with_spreadsheets`]).
pub type NewSpreadsheet = fn(sheet_name: &str) -> Box<dyn SpreadsheetSink>;

/// Writes CSV: text cells formula-neutralised ([`csv_out::neutralize_formula`]), numbers plain
/// ([`csv_out::plain`]), days as ISO dates (formatted once per distinct day), RFC 4180 quoting.
/// Into memory ([`CsvSink::new`]) or into any writer ([`CsvSink::to_writer`], e.g. a buffered
/// file), with the same bytes.
pub struct CsvSink<W: std::io::Write = Vec<u8>> {
    out: csv::Writer<W>,
    days: IsoDays,
    cell: String,
    /// The first write error (only a writer other than a `Vec` can fail).
    error: Option<csv::Error>,
}

impl CsvSink<Vec<u8>> {
    /// A sink with room for about `rows` rows.
    pub fn new(rows: usize) -> Self {
        Self::to_writer(Vec::with_capacity(64 * (rows + 1)))
    }

    /// The CSV text (without the byte-order mark).
    pub fn finish(mut self) -> String {
        // Writing into a Vec cannot fail.
        let _ = self.out.flush();
        match self.out.into_inner() {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }

    /// The CSV text written so far, taken out of the sink (a long export is written to a file
    /// in pieces; the concatenated pieces and [`Self::finish`]'s text are the same bytes).
    pub fn take_bytes(&mut self) -> Vec<u8> {
        // A fresh writer for the rest (csv's writer lends its buffer only by value); writing
        // into a Vec cannot fail.
        let written = std::mem::replace(&mut self.out, csv::Writer::from_writer(Vec::new()));
        written.into_inner().unwrap_or_default()
    }
}

impl<W: std::io::Write> CsvSink<W> {
    /// A sink that writes into `writer` (wrap a file in a `BufWriter`).
    pub fn to_writer(writer: W) -> Self {
        Self {
            out: csv::Writer::from_writer(writer),
            days: IsoDays::default(),
            cell: String::new(),
            error: None,
        }
    }

    /// Flushes the CSV into the writer and gives it back, or the first write error.
    pub fn into_writer(mut self) -> std::io::Result<W> {
        if let Some(error) = self.error.take() {
            return Err(std::io::Error::other(error));
        }
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }

    fn field(&mut self, text: &str) {
        let written = self.out.write_field(text);
        self.keep_error(written);
    }

    fn keep_error(&mut self, written: csv::Result<()>) {
        if let Err(error) = written {
            self.error.get_or_insert(error);
        }
    }

    /// The cell buffer with `value` written plain ([`csv_out::push_plain`]), as a field.
    fn plain_field(&mut self, value: f64, decimals: usize) {
        self.cell.clear();
        csv_out::push_plain(&mut self.cell, value, decimals);
        let written = self.out.write_field(&self.cell);
        self.keep_error(written);
    }
}

impl<W: std::io::Write> TableSink for CsvSink<W> {
    fn header(&mut self, columns: &[&str]) {
        let written = self.out.write_record(columns);
        self.keep_error(written);
    }
    fn text(&mut self, text: &str) {
        let written = self
            .out
            .write_field(csv_out::neutralize_formula(text).as_bytes());
        self.keep_error(written);
    }
    fn integer(&mut self, value: i64) {
        use std::fmt::Write;
        self.cell.clear();
        let _ = write!(self.cell, "{value}");
        let written = self.out.write_field(&self.cell);
        self.keep_error(written);
    }
    fn number(&mut self, value: f64, decimals: usize) {
        self.plain_field(value, decimals);
    }
    fn money(&mut self, value: f64) {
        self.plain_field(value, 2);
    }
    fn real(&mut self, value: f64) {
        self.field(&csv_out::real(value));
    }
    fn day(&mut self, day: Day) {
        let text = self.days.get(day);
        let written = self.out.write_field(text.as_bytes());
        self.keep_error(written);
    }
    fn empty(&mut self) {
        self.field("");
    }
    fn end_row(&mut self) {
        let written = self.out.write_record(None::<&[u8]>);
        self.keep_error(written);
    }
}

/// ISO texts of days, formatted once each ([`calendar::iso_day`] is slow-ish and an export
/// repeats few distinct days), for days within [`IsoDays::MAX_SPAN`] of the first one seen.
#[derive(Default)]
struct IsoDays {
    first: Option<Day>,
    texts: Vec<Option<String>>,
}

impl IsoDays {
    /// At most this many days are tabulated (about 270 years).
    const MAX_SPAN: usize = 100_000;

    fn get(&mut self, day: Day) -> Cow<'_, str> {
        let first = *self.first.get_or_insert(day.saturating_sub(50_000));
        let Some(offset) = usize::try_from(i64::from(day) - i64::from(first))
            .ok()
            .filter(|o| *o < Self::MAX_SPAN)
        else {
            return Cow::Owned(calendar::iso_day(day));
        };
        if self.texts.len() <= offset {
            self.texts.resize(offset + 1, None);
        }
        match self.texts.get_mut(offset) {
            Some(slot) => Cow::Borrowed(slot.get_or_insert_with(|| calendar::iso_day(day))),
            None => Cow::Owned(calendar::iso_day(day)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_follow_the_csv_rules() {
        let mut sink = CsvSink::new(1);
        sink.header(&["id", "n", "x", "money", "day", "none"]);
        sink.text("=cmd");
        sink.integer(-3);
        sink.number(0.123_456, 4);
        sink.money(f64::NAN);
        sink.day(19_797);
        sink.empty();
        sink.end_row();
        sink.text("中文");
        sink.integer(0);
        sink.number(-0.0, 4);
        sink.money(2.005);
        sink.day(-1);
        sink.day(19_797 + 60_000);
        sink.end_row();
        assert_eq!(
            sink.finish(),
            format!(
                "id,n,x,money,day,none\n'=cmd,-3,0.1235,,2024-03-15,\n中文,0,0,2,1969-12-31,{}\n",
                calendar::iso_day(19_797 + 60_000)
            )
        );
    }
}
