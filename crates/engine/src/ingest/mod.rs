//! CSV bytes → [`Dataset`](super::Dataset), in two steps that mirror the page:
//!
//! 1. [`preview`] reads the head of the file: detects the encoding, delimiter and header row,
//!    suggests a [`ColumnMapping`] from header names (English and Chinese) and values, and infers the
//!    date order, flagging it when the head cannot tell D/M/Y from M/D/Y.
//! 2. [`ingest`] streams the whole file with the confirmed [`IngestParams`], keeping compact columns
//!    and counting everything it drops in a [`QualityReport`].
//!
//! ```
//! use segscope_engine::ingest::{ingest, preview, IngestParams, PreviewParams};
//!
//! let csv = "客户ID;下单时间;实付金额\nC1;05/03/2024;12,50\nC2;25/03/2024;1.234,56\n";
//! let shape = preview(csv.as_bytes(), &PreviewParams::default())?;
//! assert_eq!(shape.delimiter, b';');
//! let params = IngestParams {
//!     encoding: shape.encoding,
//!     delimiter: shape.delimiter,
//!     has_header: shape.has_header,
//!     date_order: shape.date_order, // D/M/Y: 25/03 settles it
//!     mapping: shape.mapping,
//!     keep_far_dates: false, // drop and list lines dated years away from the others
//! };
//! let (dataset, report) = ingest(csv.as_bytes(), csv.len() as u64, &params, &mut |_| {})?;
//! assert_eq!(dataset.amount, [12.5, 1234.56]);
//! assert_eq!((report.rows_kept, report.customers), (2, 2));
//! # Ok::<(), segscope_engine::ingest::IngestError>(())
//! ```

mod errors;
mod fed;
mod hash;
mod intern;
mod params;
mod parse;
mod part;
mod records;
mod schema;
mod sniff;
mod values;
mod whole;
mod workbook;

pub use errors::{DropReason, IngestError, MAX_PLAUSIBLE_AMOUNT};
pub use fed::FedIngest;
pub use params::{ColumnMapping, ColumnRole, DateOrder, IngestParams, PreviewParams, TextEncoding};
#[cfg(not(target_arch = "wasm32"))]
pub use parse::ingest_split;
pub use parse::{check_most_rows_bad, ingest_part, IngestedPart};
pub use parse::{far_date_fences, far_date_fences_counted, FarDates, FAR_DATE_MIN_GAP_DAYS};
pub use parse::{ingest, ColumnMissing, DroppedRows, QualityReport, QuoteRepair, ReturnsSummary};
pub use parse::{PLAUSIBLE_DAYS, PROGRESS_STEP_BYTES};
pub use part::{NotJoined, PartBytes, PartIngest, PartPlan, PartSource};
pub use schema::HEAD_CUT_MIN_BYTES;
pub use schema::{preview, GuessNote, Preview};
pub use values::{parse_amount, parse_date, parse_time_of_day, DateParse};
pub(crate) use whole::{is_blank_record, read_header, WholeTable};
pub use workbook::{sheet_as_csv, workbook_format, Workbook, WorkbookFormat};
