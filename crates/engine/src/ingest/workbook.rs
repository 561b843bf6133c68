//! Workbooks in: one sheet of an `.xlsx`/`.xlsm`/`.xlsb`, `.xls` or `.ods` file becomes CSV text,
//! which then goes through the same preview, mapping and ingest as a CSV file (one parser, one set
//! of rules, one quality report).
//!
//! Cells keep what they are: a date cell is written as an ISO date (with its time of day when it
//! has one), so no D/M/Y guess is needed; a number is written in Rust's shortest round-trip form,
//! so it parses back to the same `f64` (full precision, no thousands separators, no exponent);
//! text is written as is; an error cell (`#N/A`, `#VALUE!`…) is written as its code, so the
//! quality report names it as a bad value where it is instead of leaving an empty cell.
//!
//! The reading is calamine's: it needs the whole workbook in memory (a zip or a compound file
//! cannot be streamed from the front) and holds the chosen sheet's cells while the CSV is written.

use std::io::Cursor;

use calamine::{Data, Reader};
use serde::{Deserialize, Serialize};

use super::IngestError;

/// The spreadsheet formats read, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkbookFormat {
    /// Office Open XML (`.xlsx`, `.xlsm`) or its binary form (`.xlsb`): a zip.
    Xlsx,
    /// Excel 97–2003 (`.xls`): a compound document.
    Xls,
    /// OpenDocument spreadsheet (`.ods`, LibreOffice, WPS): a zip with an OpenDocument mimetype.
    Ods,
}

impl WorkbookFormat {
    /// The usual file extension, for messages.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
        }
    }
}

/// The workbook a CSV text came from: its format, its sheets in workbook order, and the sheet
/// that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workbook {
    /// The format.
    pub format: WorkbookFormat,
    /// Every sheet's name, in workbook order.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
}

const ZIP: &[u8] = b"PK\x03\x04";
const COMPOUND_DOCUMENT: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// An OpenDocument zip starts with an uncompressed `mimetype` entry naming the document type.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The workbook format of a file from its first bytes (at least the first 100), or `None` for
/// anything else (CSV text, an image, a zip of something else is still `Xlsx` here and fails to
/// open with a clear message).
pub fn workbook_format(head: &[u8]) -> Option<WorkbookFormat> {
    if head.starts_with(COMPOUND_DOCUMENT) {
        Some(WorkbookFormat::Xls)
    } else if head.starts_with(ZIP) {
        let start = head.get(..100).unwrap_or(head);
        let is_ods = start
            .windows(ODS_MIMETYPE.len())
            .any(|window| window == ODS_MIMETYPE);
        Some(if is_ods {
            WorkbookFormat::Ods
        } else {
            WorkbookFormat::Xlsx
        })
    } else {
        None
    }
}

/// One sheet of the workbook `bytes` as CSV text (UTF-8, comma-separated, RFC 4180 quoting), with
/// what was read. `sheet` names the sheet; without it, the sheet with the most rows is read (the
/// first of those on a tie).
///
/// Errors: [`IngestError::Workbook`] when the bytes do not open as a workbook,
/// [`IngestError::SheetNotFound`] for an unknown sheet name.
pub fn sheet_as_csv(bytes: &[u8], sheet: Option<&str>) -> Result<(Vec<u8>, Workbook), IngestError> {
    let format = workbook_format(bytes).ok_or_else(|| IngestError::Workbook {
        message: "not an .xlsx, .xls or .ods file".to_string(),
    })?;
    // calamine 0.36 (and 0.38) panics on two kinds of damaged compound document (.xls), both
    // found by fuzzing: a file cut inside its last sector (it asserts every sector is whole), and
    // a sector chain that points at the sector just past the end of the file (its bounds check is
    // one sector short). The file is padded with zeros to whole sectors plus two, and read through
    // `EarlyEnd`, which reports the end before the two extra sectors: every sector calamine then
    // accepts is there. Natively any other reader panic is caught below; in the browser the worker
    // stops and the page restarts it.
    let padded;
    let bytes = match format {
        WorkbookFormat::Xls => {
            check_difat_capacity(bytes)?;
            padded = padded_to_sectors(bytes);
            padded.as_slice()
        }
        _ => bytes,
    };
    // Natively a panic of the reader on a hostile file becomes this error (in the browser the
    // worker stops and the page restarts it, saying so).
    std::panic::catch_unwind(|| read_sheet(bytes, sheet, format)).unwrap_or_else(|_| {
        Err(IngestError::Workbook {
            message: "the workbook reader failed on this file (is it damaged?)".to_string(),
        })
    })
}

/// calamine 0.36 reserves room for as many DIFAT entries as the header's bytes 62..66 say
/// (fuzzing found 16 GB asked for by a 1.5 KB file, which stops the browser's worker). A file
/// of `n` bytes cannot need more than `n` entries; a valid header's value (a sector id's high
/// half and the mini FAT length's low half) stays far below that bound for real files, whose
/// mini FAT has few sectors.
/// The same holds for the FAT length (bytes 44..48), also reserved as given: a file cannot have
/// more FAT sectors than sectors.
fn check_difat_capacity(bytes: &[u8]) -> Result<(), IngestError> {
    let field = |at: usize| {
        bytes
            .get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let bound = (16 * bytes.len()).max(1 << 20);
    let too_big = |claimed: u32| usize::try_from(claimed).unwrap_or(usize::MAX) > bound;
    let damaged = || IngestError::Workbook {
        message: "the .xls header is damaged (its table sizes exceed the file)".to_string(),
    };
    if too_big(field(62)) || too_big(field(44)) {
        return Err(damaged());
    }
    // The DIFAT chain, walked as calamine walks it (each DIFAT sector's last entry names the
    // next), which it does without a bound: a chain that loops grew its table until the worker
    // ran out of memory (found by fuzzing). A chain longer than the file has sectors loops.
    let sector = sector_size(bytes);
    let sectors = bytes.len() / sector;
    let mut id = field(68);
    let mut steps = 0;
    while id < 0xFFFF_FFFA {
        steps += 1;
        let last = (id as usize + 2) * sector; // sector `id` follows the header sector
        if steps > sectors || last > bytes.len() {
            return Err(damaged());
        }
        id = field(last - 4);
    }
    Ok(())
}

/// A compound document's sector size: 4096 bytes when the header's sector shift (bytes 30..32)
/// is 12, else 512 (shift 9, and whatever a damaged header says).
fn sector_size(bytes: &[u8]) -> usize {
    if bytes.get(30..32) == Some(&[12, 0]) {
        4096
    } else {
        512
    }
}

/// A compound document's bytes, with zeros up to a whole number of its sectors
/// ([`sector_size`]) and two more.
fn padded_to_sectors(bytes: &[u8]) -> Vec<u8> {
    let sector = sector_size(bytes);
    let mut padded = bytes.to_vec();
    let whole = (padded.len().div_ceil(sector).max(1) + 2) * sector;
    padded.resize(whole, 0);
    padded
}

/// A reader over a padded compound document that reports its end two sectors early: calamine
/// takes `end / sector size` as the last sector id it may read, one more than the sectors after
/// the header hold, so a chain pointing there panicked (found by fuzzing). With the two zero
/// sectors of [`padded_to_sectors`] behind the reported end, every id it accepts is there.
struct EarlyEnd<'a> {
    cursor: Cursor<&'a [u8]>,
    end: u64,
}

impl std::io::Read for EarlyEnd<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.cursor.read(out)
    }
}

impl std::io::Seek for EarlyEnd<'_> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        match to {
            std::io::SeekFrom::End(offset) => self.cursor.seek(std::io::SeekFrom::Start(
                self.end.saturating_add_signed(offset),
            )),
            other => self.cursor.seek(other),
        }
    }
}

fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
    format: WorkbookFormat,
) -> Result<(Vec<u8>, Workbook), IngestError> {
    let failed = |e: &dyn std::fmt::Display| IngestError::Workbook {
        message: e.to_string(),
    };
    match format {
        WorkbookFormat::Xls => {
            let sector = sector_size(bytes);
            let reader = EarlyEnd {
                cursor: Cursor::new(bytes),
                end: bytes.len().saturating_sub(2 * sector) as u64,
            };
            let book = calamine::Xls::new(reader).map_err(|e| failed(&e))?;
            sheet_of(calamine::Sheets::Xls(book), sheet, format)
        }
        _ => {
            let book =
                calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| failed(&e))?;
            sheet_of(book, sheet, format)
        }
    }
}

fn sheet_of<RS: std::io::Read + std::io::Seek>(
    mut book: calamine::Sheets<RS>,
    sheet: Option<&str>,
    format: WorkbookFormat,
) -> Result<(Vec<u8>, Workbook), IngestError> {
    let sheets = book.sheet_names();
    let read = |book: &mut calamine::Sheets<RS>, name: &str| {
        book.worksheet_range(name)
            .map_err(|e| IngestError::Workbook {
                message: format!("sheet '{name}': {e}"),
            })
    };
    let (name, range) = match sheet {
        Some(name) => {
            if !sheets.iter().any(|s| s == name) {
                return Err(IngestError::SheetNotFound {
                    sheet: name.to_string(),
                    sheets,
                });
            }
            (name.to_string(), read(&mut book, name)?)
        }
        None => {
            // The sheet with the most rows: a notes sheet before the data, or a summary after
            // it, is not the table. The first such sheet on a tie.
            let mut chosen: Option<(String, calamine::Range<Data>)> = None;
            for name in &sheets {
                let range = read(&mut book, name)?;
                if chosen
                    .as_ref()
                    .is_none_or(|(_, best)| range.height() > best.height())
                {
                    chosen = Some((name.clone(), range));
                }
            }
            chosen.ok_or_else(|| IngestError::Workbook {
                message: "the workbook has no sheet".to_string(),
            })?
        }
    };
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::with_capacity(range.get_size().0 * 64));
    let mut cell = String::new();
    let mut write = || -> Result<(), csv::Error> {
        for row in range.rows() {
            for value in row {
                cell.clear();
                write_cell(&mut cell, value);
                out.write_field(&cell)?;
            }
            out.write_record(None::<&[u8]>)?;
        }
        out.flush()?;
        Ok(())
    };
    write().map_err(|e| IngestError::Workbook {
        message: e.to_string(),
    })?;
    let text = out.into_inner().map_err(|e| IngestError::Workbook {
        message: e.to_string(),
    })?;
    Ok((
        text,
        Workbook {
            format,
            sheets,
            sheet: name,
        },
    ))
}

/// One cell's text: see the module docs.
fn write_cell(out: &mut String, value: &Data) {
    use std::fmt::Write;
    match value {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => out.push_str(s),
        // `Display` of f64 is the shortest text that parses back to the same value, never in
        // exponent form.
        Data::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Data::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Data::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if d.is_datetime() => {
                let format = if t.time() == chrono::NaiveTime::MIN {
                    "%Y-%m-%d"
                } else {
                    "%Y-%m-%d %H:%M:%S"
                };
                let _ = write!(out, "{}", t.format(format));
            }
            // A time of day or a duration without a date: its clock text.
            Some(t) => {
                let _ = write!(out, "{}", t.format("%H:%M:%S"));
            }
            None => {
                let _ = write!(out, "{}", d.as_f64());
            }
        },
        Data::Error(e) => {
            let _ = write!(out, "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(
            workbook_format(b"PK\x03\x04\x14\0"),
            Some(WorkbookFormat::Xlsx)
        );
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend_from_slice(&[0; 26]);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(workbook_format(&ods), Some(WorkbookFormat::Ods));
        assert_eq!(
            workbook_format(COMPOUND_DOCUMENT),
            Some(WorkbookFormat::Xls)
        );
        assert_eq!(workbook_format(b"customer,date,amount\n"), None);
    }

    /// Found by fuzzing: calamine panicked on a compound document cut inside a sector.
    #[test]
    fn a_cut_xls_is_an_error_not_a_panic() {
        let bytes = include_bytes!("../../../../tests/fixtures/fuzz/workbook-cut-sector.xls");
        assert_eq!(workbook_format(bytes), Some(WorkbookFormat::Xls));
        assert!(sheet_as_csv(bytes, None).is_err());
        // The padding alone prevents the panic (the browser's wasm cannot catch one).
        let padded = padded_to_sectors(bytes);
        assert_eq!(padded.len(), 2048);
        assert!(read_sheet(&padded, None, WorkbookFormat::Xls).is_err());
        // Headers asking for 16 GB.
        for bytes in [
            &include_bytes!("../../../../tests/fixtures/fuzz/workbook-huge-difat.xls")[..],
            &include_bytes!("../../../../tests/fixtures/fuzz/workbook-huge-fat.xls")[..],
            &include_bytes!("../../../../tests/fixtures/fuzz/workbook-difat-loop.xls")[..],
        ] {
            assert!(matches!(
                sheet_as_csv(bytes, None),
                Err(IngestError::Workbook { .. })
            ));
        }
        // Sector chains pointing at the sector just past the end (of the file; of the padding).
        for bytes in [
            &include_bytes!("../../../../tests/fixtures/fuzz/workbook-sector-past-end.xls")[..],
            &include_bytes!("../../../../tests/fixtures/fuzz/workbook-sector-at-end.xls")[..],
        ] {
            assert!(read_sheet(&padded_to_sectors(bytes), None, WorkbookFormat::Xls).is_err());
        }
    }

    #[test]
    fn a_zip_that_is_not_a_workbook_says_so() {
        let err = sheet_as_csv(b"PK\x03\x04 not really a zip", None).unwrap_err();
        assert!(matches!(err, IngestError::Workbook { .. }), "{err:?}");
    }
}
