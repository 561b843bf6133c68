//! `.xlsx` exports: the engine's typed tables ([`TableSink`]) written as one Excel sheet with
//! rust_xlsxwriter. Numbers are numbers (full precision; the format only sets what is shown),
//! days are dates, the header row is bold and frozen, and an autofilter covers the table.
//!
//! This lives outside the engine because the writer stamps the workbook with the current time,
//! which on wasm32 comes through js-sys (its `wasm` feature); the session gets it as a
//! [`NewSpreadsheet`] from the worker and the CLI.

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::engine::table_out::{NewSpreadsheet, SpreadsheetSink, TableSink, XLSX_MAX_ROWS};
use crate::engine::Day;

/// The writer the adapters register with the session.
pub const NEW_SHEET: NewSpreadsheet = new_sheet;

/// Excel's serial number of 1970-01-01 (day 0 of [`Day`]) in its 1900 date system.
const EXCEL_SERIAL_OF_EPOCH: f64 = 25_569.0;
/// Excel's longest text cell, in characters.
const MAX_TEXT_CHARS: usize = 32_767;
/// Column widths stop growing here (characters).
const MAX_WIDTH: usize = 50;

fn new_sheet(name: &str) -> Box<dyn SpreadsheetSink> {
    let mut sheet = Worksheet::new();
    let error = sheet.set_name(name).err().map(|e| e.to_string());
    Box::new(XlsxSink {
        sheet,
        row: 0,
        column: 0,
        columns: 0,
        widths: Vec::new(),
        error,
        header: Format::new().set_bold(),
        money: Format::new().set_num_format("#,##0.00"),
        decimals: Format::new().set_num_format("0.0000"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    })
}

struct XlsxSink {
    sheet: Worksheet,
    row: u32,
    column: u16,
    columns: u16,
    /// Widest text seen per column (characters), for the column widths.
    widths: Vec<usize>,
    /// The first write that failed.
    error: Option<String>,
    header: Format,
    money: Format,
    decimals: Format,
    date: Format,
}

impl XlsxSink {
    fn next(
        &mut self,
        width: usize,
        write: impl FnOnce(&mut Worksheet, u32, u16) -> Result<(), String>,
    ) {
        if let Some(w) = self.widths.get_mut(usize::from(self.column)) {
            *w = (*w).max(width.min(MAX_WIDTH));
        }
        if self.error.is_none() {
            if let Err(e) = write(&mut self.sheet, self.row, self.column) {
                self.error = Some(e);
            }
        }
        self.column = self.column.saturating_add(1);
    }

    fn number_with(&mut self, value: f64, format: Format, width: usize) {
        if !value.is_finite() {
            return self.empty();
        }
        self.next(width, |sheet, row, column| {
            sheet
                .write_number_with_format(row, column, value, &format)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    }
}

impl TableSink for XlsxSink {
    fn header(&mut self, columns: &[&str]) {
        self.columns = u16::try_from(columns.len()).unwrap_or(u16::MAX);
        self.widths = vec![0; columns.len()];
        let header = self.header.clone();
        for name in columns {
            self.next(name.chars().count() + 2, |sheet, row, column| {
                sheet
                    .write_string_with_format(row, column, *name, &header)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        }
        self.end_row();
    }

    fn text(&mut self, text: &str) {
        // A typed string cell is never a formula: no neutralising quote is needed.
        let cut: String;
        let text = if text.chars().count() > MAX_TEXT_CHARS {
            cut = text.chars().take(MAX_TEXT_CHARS).collect();
            cut.as_str()
        } else {
            text
        };
        self.next(text.chars().count(), |sheet, row, column| {
            sheet
                .write_string(row, column, text)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    }

    fn integer(&mut self, value: i64) {
        let width = value.to_string().len();
        self.next(width, |sheet, row, column| {
            sheet
                .write_number(row, column, value as f64)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    }

    fn number(&mut self, value: f64, decimals: usize) {
        if decimals == 4 {
            self.number_with(value, self.decimals.clone(), 8);
        } else {
            let format = Format::new().set_num_format(if decimals == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(decimals.min(15)))
            });
            self.number_with(value, format, 4 + decimals);
        }
    }

    fn real(&mut self, value: f64) {
        let width = crate::engine::csv_out::real(value).len();
        self.number_with(value, Format::new(), width);
    }

    fn money(&mut self, value: f64) {
        let width = format!("{value:.2}").len() + 2;
        self.number_with(value, self.money.clone(), width);
    }

    fn day(&mut self, day: Day) {
        self.number_with(
            f64::from(day) + EXCEL_SERIAL_OF_EPOCH,
            self.date.clone(),
            10,
        );
    }

    fn empty(&mut self) {
        self.column = self.column.saturating_add(1);
    }

    fn end_row(&mut self) {
        self.row = self.row.saturating_add(1);
        self.column = 0;
        if u64::from(self.row) > XLSX_MAX_ROWS && self.error.is_none() {
            self.error = Some(format!("more than {XLSX_MAX_ROWS} rows"));
        }
    }
}

impl SpreadsheetSink for XlsxSink {
    fn finish(mut self: Box<Self>) -> Result<Vec<u8>, String> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let last_row = self.row.saturating_sub(1);
        let last_column = self.columns.saturating_sub(1);
        for (column, width) in self.widths.iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            self.sheet
                .set_column_width(column, (*width).max(6) as f64 + 1.0)
                .map_err(|e| e.to_string())?;
        }
        self.sheet
            .set_freeze_panes(1, 0)
            .map_err(|e| e.to_string())?;
        if self.columns > 0 {
            self.sheet
                .autofilter(0, 0, last_row, last_column)
                .map_err(|e| e.to_string())?;
        }
        let mut book = Workbook::new();
        book.push_worksheet(self.sheet);
        book.save_to_buffer().map_err(|e| e.to_string())
    }
}
