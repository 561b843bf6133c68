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
///
/// The bytes are those of the `csv` crate's `Writer` with its defaults (comma, `\n` after each
/// row, a cell quoted when it holds a comma, a quote, CR or LF, its quotes doubled; a row of one
/// empty cell written `""`; a row of another width than the first is an error, though unlike
/// `csv`'s its line still ends). Written by hand because the cells' kinds are known here: a number
/// never needs quoting, so it goes straight into the buffer. Measured on `segscope clv --out`
/// (100,000 rows of 15 cells): see docs/benchmarks.md, issue 15's fourth pass.
pub struct CsvSink<W: std::io::Write = Vec<u8>> {
    out: W,
    /// Bytes not yet handed to `out`.
    buf: Vec<u8>,
    /// Cells written in the current row.
    cells: u64,
    /// Whether the current row has any byte yet (a delimiter or a cell's).
    row_has_bytes: bool,
    /// The first row's cell count: a later row with another count is an error (as `csv`'s).
    first_row_cells: Option<u64>,
    days: IsoDays,
    cell: String,
    /// The first write error (only a writer other than a `Vec` can fail).
    error: Option<std::io::Error>,
}

/// `buf` is handed to the writer once it holds this many bytes.
const CSV_BUFFER_BYTES: usize = 1 << 16;

impl CsvSink<Vec<u8>> {
    /// A sink with room for about `rows` rows.
    pub fn new(rows: usize) -> Self {
        Self::to_writer(Vec::with_capacity(64 * (rows + 1)))
    }

    /// The CSV text (without the byte-order mark).
    pub fn finish(mut self) -> String {
        let bytes = self.take_bytes();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The CSV text written so far, taken out of the sink (a long export is written to a file
    /// in pieces; the concatenated pieces and [`Self::finish`]'s text are the same bytes).
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.out.extend_from_slice(&self.buf);
        self.buf.clear();
        // What follows is checked as a table of its own (as a fresh `csv::Writer` did).
        self.first_row_cells = None;
        std::mem::take(&mut self.out)
    }
}

impl<W: std::io::Write> CsvSink<W> {
    /// A sink that writes into `writer` (wrap a file in a `BufWriter`).
    pub fn to_writer(writer: W) -> Self {
        Self {
            out: writer,
            buf: Vec::with_capacity(CSV_BUFFER_BYTES + 1024),
            cells: 0,
            row_has_bytes: false,
            first_row_cells: None,
            days: IsoDays::default(),
            cell: String::new(),
            error: None,
        }
    }

    /// Flushes the CSV into the writer and gives it back, or the first write error.
    pub fn into_writer(mut self) -> std::io::Result<W> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }

    /// Starts a cell: the delimiter before every cell but a row's first.
    #[inline]
    fn start_cell(&mut self) {
        if self.cells > 0 {
            self.buf.push(b',');
            self.row_has_bytes = true;
        }
        self.cells += 1;
    }

    /// A cell of any text, quoted when it must be.
    fn field(&mut self, text: &[u8]) {
        self.start_cell();
        if text.is_empty() {
            return;
        }
        self.row_has_bytes = true;
        if text
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        {
            self.buf.push(b'"');
            for &b in text {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(text);
        }
    }

    /// A number cell: `write` formats it into the cell buffer (digits, `-` and `.` only, so no
    /// quotes are needed), which then goes into the CSV as it is.
    #[inline]
    fn number_field(&mut self, write: impl FnOnce(&mut String)) {
        self.cell.clear();
        write(&mut self.cell);
        self.start_cell();
        self.row_has_bytes |= !self.cell.is_empty();
        self.buf.extend_from_slice(self.cell.as_bytes());
    }

    /// Ends a row; hands the buffer to the writer when it is full.
    fn row_end(&mut self) {
        match self.first_row_cells {
            None => self.first_row_cells = Some(self.cells),
            Some(expected) if expected != self.cells && self.error.is_none() => {
                self.error = Some(std::io::Error::other(format!(
                    "CSV error: found record with {} fields, but the previous record has {expected} fields",
                    self.cells
                )));
            }
            Some(_) => {}
        }
        if !self.row_has_bytes {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.cells = 0;
        self.row_has_bytes = false;
        if self.buf.len() >= CSV_BUFFER_BYTES {
            if let Err(error) = self.out.write_all(&self.buf) {
                self.error.get_or_insert(error);
            }
            self.buf.clear();
        }
    }
}

impl<W: std::io::Write> TableSink for CsvSink<W> {
    fn header(&mut self, columns: &[&str]) {
        for column in columns {
            self.field(column.as_bytes());
        }
        self.row_end();
    }
    fn text(&mut self, text: &str) {
        self.field(csv_out::neutralize_formula(text).as_bytes());
    }
    fn integer(&mut self, value: i64) {
        use std::fmt::Write;
        self.number_field(|cell| {
            let _ = write!(cell, "{value}");
        });
    }
    fn number(&mut self, value: f64, decimals: usize) {
        self.number_field(|cell| csv_out::push_plain(cell, value, decimals));
    }
    fn money(&mut self, value: f64) {
        self.number_field(|cell| csv_out::push_plain(cell, value, 2));
    }
    fn real(&mut self, value: f64) {
        self.field(csv_out::real(value).as_bytes());
    }
    fn day(&mut self, day: Day) {
        self.start_cell();
        let text = self.days.get(day);
        self.row_has_bytes |= !text.is_empty();
        self.buf.extend_from_slice(text.as_bytes());
    }
    fn empty(&mut self) {
        self.field(b"");
    }
    fn end_row(&mut self) {
        self.row_end();
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

    /// Against `csv::Writer` (proptest is native only).
    #[cfg(not(target_arch = "wasm32"))]
    mod against_the_csv_crate {
        use super::*;
        use proptest::prelude::*;

        /// One cell of the property test: how it is given to the sink.
        #[derive(Debug, Clone)]
        enum Cell {
            Text(String),
            Integer(i64),
            Number(f64, usize),
            Money(f64),
            Real(f64),
            Day(Day),
            Empty,
        }

        /// What `csv`'s own writer (the sink's reference) writes for the same cells.
        fn through_csv_writer(header: &[String], rows: &[Vec<Cell>]) -> String {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(header).unwrap();
            for row in rows {
                for cell in row {
                    let text = match cell {
                        Cell::Text(t) => csv_out::neutralize_formula(t).into_owned(),
                        Cell::Integer(v) => v.to_string(),
                        Cell::Number(v, d) => csv_out::plain(*v, *d),
                        Cell::Money(v) => csv_out::plain(*v, 2),
                        Cell::Real(v) => csv_out::real(*v),
                        Cell::Day(d) => calendar::iso_day(*d),
                        Cell::Empty => String::new(),
                    };
                    writer.write_field(text).unwrap();
                }
                writer.write_record(None::<&[u8]>).unwrap();
            }
            String::from_utf8(writer.into_inner().unwrap()).unwrap()
        }

        fn cell() -> impl Strategy<Value = Cell> {
            let text = proptest::collection::vec(
                prop_oneof![
                    Just(','),
                    Just('"'),
                    Just('\n'),
                    Just('\r'),
                    Just(' '),
                    Just('a'),
                    Just('1'),
                    Just('='),
                    Just('-'),
                    Just('中'),
                    Just('\t'),
                    Just(';')
                ],
                0..8,
            )
            .prop_map(|chars| chars.into_iter().collect::<String>());
            let value = prop_oneof![
                any::<f64>(),
                -1e6..1e6f64,
                Just(f64::NAN),
                Just(-0.0),
                Just(0.5)
            ];
            prop_oneof![
                text.prop_map(Cell::Text),
                any::<i64>().prop_map(Cell::Integer),
                (value.clone(), 0..6usize).prop_map(|(v, d)| Cell::Number(v, d)),
                value.clone().prop_map(Cell::Money),
                value.prop_map(Cell::Real),
                (-800_000..800_000i32).prop_map(Cell::Day),
                Just(Cell::Empty),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            /// The hand-written writer gives `csv::Writer`'s bytes: quoting, doubled quotes, a lone
            /// empty cell as `""`, into memory and into a writer, whole or taken in pieces.
            #[test]
            fn the_sink_writes_what_the_csv_crate_writes(
                width in 1..4usize,
                cells in proptest::collection::vec(cell(), 0..40),
                header in proptest::collection::vec("[a,\"\n ]{0,3}", 1..4),
                piece in 1..10usize,
            ) {
                let header: Vec<String> = header.into_iter().cycle().take(width).collect();
                let rows: Vec<Vec<Cell>> = cells.chunks(width)
                    .filter(|row| row.len() == width)
                    .map(<[Cell]>::to_vec)
                    .collect();
                let expected = through_csv_writer(&header, &rows);
                let columns: Vec<&str> = header.iter().map(String::as_str).collect();
                let write = |sink: &mut dyn TableSink, rows: &[Vec<Cell>], header: bool| {
                    if header {
                        sink.header(&columns);
                    }
                    for row in rows {
                        for cell in row {
                            match cell {
                                Cell::Text(t) => sink.text(t),
                                Cell::Integer(v) => sink.integer(*v),
                                Cell::Number(v, d) => sink.number(*v, *d),
                                Cell::Money(v) => sink.money(*v),
                                Cell::Real(v) => sink.real(*v),
                                Cell::Day(d) => sink.day(*d),
                                Cell::Empty => sink.empty(),
                            }
                        }
                        sink.end_row();
                    }
                };
                let mut memory = CsvSink::new(rows.len());
                write(&mut memory, &rows, true);
                prop_assert_eq!(memory.finish(), expected.clone());

                let mut file = CsvSink::to_writer(std::io::BufWriter::new(Vec::new()));
                write(&mut file, &rows, true);
                let bytes = file.into_writer().unwrap().into_inner().unwrap();
                prop_assert_eq!(String::from_utf8(bytes).unwrap(), expected.clone());

                let mut pieces = CsvSink::new(0);
                let mut joined = Vec::new();
                write(&mut pieces, &[], true);
                for part in rows.chunks(piece) {
                    write(&mut pieces, part, false);
                    joined.extend(pieces.take_bytes());
                }
                joined.extend(pieces.take_bytes());
                prop_assert_eq!(String::from_utf8(joined).unwrap(), expected);
            }
        }
    }

    #[test]
    fn rows_of_another_width_are_an_error() {
        let mut sink = CsvSink::to_writer(Vec::new());
        sink.header(&["a", "b"]);
        sink.text("x");
        sink.end_row();
        let error = sink.into_writer().unwrap_err().to_string();
        assert!(
            error.contains("1 fields") && error.contains("2 fields"),
            "{error}"
        );
    }

    #[test]
    fn a_long_export_is_handed_to_the_writer_as_it_goes() {
        let mut sink = CsvSink::to_writer(Vec::new());
        for i in 0..20_000 {
            sink.integer(i);
            sink.end_row();
        }
        assert!(sink.out.len() >= CSV_BUFFER_BYTES, "{}", sink.out.len());
        let text = String::from_utf8(sink.into_writer().unwrap()).unwrap();
        assert_eq!(text.lines().count(), 20_000);
        assert!(text.ends_with("19999\n"));
    }
}
