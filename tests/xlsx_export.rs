//! "Real-world exports: Excel out." Every export can be an `.xlsx` with typed cells, a frozen
//! header and an autofilter. The workbook is read back with calamine (an independent reader) and
//! compared cell by cell with the CSV export of the same request.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use common::ask as try_ask;
use segscope::engine::clv::ClvSettings;
use segscope::engine::customers::CustomerQuery;
use segscope::engine::ingest::{IngestParams, PreviewParams};
use segscope::engine::rfm::RfmParams;
use segscope::engine::session::{self as msg, Download, Session, SessionError};
use segscope::engine::table_out::ExportFormat;

const DEMO: &[u8] = include_bytes!("../public/demo/transactions.csv");

fn ask(session: &mut Session, request: msg::Request, file: Option<&[u8]>) -> msg::Reply {
    try_ask(session, request, file).unwrap()
}

/// The demo, analysed and predicted, in a session with the `.xlsx` writer.
fn demo_session() -> Session {
    demo_in(Session::new().with_spreadsheets(segscope::xlsx::NEW_SHEET))
}

fn demo_in(mut session: Session) -> Session {
    let reply = ask(
        &mut session,
        msg::Request::File(msg::file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(DEMO),
    );
    let msg::Response::File(msg::file::Response::Preview { preview, .. }) = reply.response else {
        panic!()
    };
    ask(
        &mut session,
        msg::Request::File(msg::file::Request::Ingest {
            sheet: None,
            ingest: IngestParams::from_preview(&preview),
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
            summary: None,
        }),
        None,
    );
    ask(
        &mut session,
        msg::Request::Predictions(msg::predictions::Request::Predict {
            settings: ClvSettings::default(),
            query: CustomerQuery::default(),
        }),
        None,
    );
    session
}

fn export(
    session: &mut Session,
    request: impl Fn(ExportFormat) -> msg::Request,
) -> (Download, Download) {
    let csv = ask(session, request(ExportFormat::Csv), None)
        .download
        .unwrap();
    let xlsx = ask(session, request(ExportFormat::Xlsx), None)
        .download
        .unwrap();
    (csv, xlsx)
}

/// Each cell of the workbook's one sheet against the CSV: same header and text; numbers typed as
/// numbers equal to the CSV's (which has 2 or 4 decimals: within half a unit of its last
/// decimal); dates typed as dates with the CSV's ISO day.
#[track_caller]
fn assert_same_table(csv: &Download, xlsx: &Download, sheet: &str) {
    assert_eq!(
        xlsx.mime,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), [sheet]);
    let range = book.worksheet_range(sheet).unwrap();
    let text = csv.text();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(range.height(), rows.len() + 1);
    let sheet_header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(sheet_header, header);
    let (mut numbers, mut dates) = (0, 0);
    for (r, (row, expected)) in range.rows().skip(1).zip(&rows).enumerate() {
        for (c, (cell, want)) in row.iter().zip(expected.iter()).enumerate() {
            let at = format!("row {} column {}", r + 2, header[c]);
            match cell {
                Data::Empty => assert_eq!(want, "", "{at}"),
                Data::String(s) => {
                    // The CSV neutralises formula-like text with a leading quote; a typed
                    // string cell does not need it.
                    assert_eq!(want.strip_prefix('\'').unwrap_or(want), s.as_str(), "{at}")
                }
                Data::Float(v) => {
                    numbers += 1;
                    let want: f64 = want.parse().unwrap_or_else(|_| panic!("{at}: '{want}'"));
                    // The CSV rounds to 2 or 4 decimals; the sheet keeps the full value.
                    assert!((v - want).abs() <= 0.005 + 1e-9, "{at}: {v} vs {want}");
                }
                Data::DateTime(d) => {
                    dates += 1;
                    let day = d.as_datetime().unwrap().date().to_string();
                    assert_eq!(day, want, "{at}");
                }
                other => panic!("{at}: unexpected cell {other:?}"),
            }
        }
    }
    assert!(
        numbers > rows.len() && dates > 0,
        "numbers {numbers}, dates {dates}"
    );
    // The frozen header row and the autofilter over the whole table.
    let mut sheet_xml = String::new();
    zip_entry(&xlsx.bytes, "xl/worksheets/sheet1.xml")
        .read_to_string(&mut sheet_xml)
        .unwrap();
    assert!(sheet_xml.contains(r#"state="frozen""#), "no frozen pane");
    let last_column = column_name(header.len() - 1);
    let autofilter = format!(r#"<autoFilter ref="A1:{last_column}{}"/>"#, rows.len() + 1);
    assert!(sheet_xml.contains(&autofilter), "no {autofilter}");
}

fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut name = String::new();
    while n > 0 {
        let r = (n - 1) % 26;
        name.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    name
}

/// One entry of the workbook's zip.
fn zip_entry(bytes: &[u8], name: &str) -> impl Read {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    Cursor::new(out)
}

#[test]
fn the_target_list_as_xlsx_matches_its_csv_cell_by_cell() {
    let mut session = demo_session();
    let (csv, xlsx) = export(&mut session, |format| {
        msg::Request::Customers(msg::customers::Request::Export {
            query: CustomerQuery::default(),
            format,
        })
    });
    assert_same_table(&csv, &xlsx, "customers");
}

#[test]
fn the_scores_as_xlsx_match_their_csv_cell_by_cell() {
    let mut session = demo_session();
    let (csv, xlsx) = export(&mut session, |format| {
        msg::Request::Predictions(msg::predictions::Request::ExportScores { format })
    });
    assert_same_table(&csv, &xlsx, "scores");
}

#[test]
fn without_a_spreadsheet_writer_an_xlsx_export_says_so() {
    let mut session = demo_in(Session::new());
    let err = try_ask(
        &mut session,
        msg::Request::Customers(msg::customers::Request::Export {
            query: CustomerQuery::default(),
            format: ExportFormat::Xlsx,
        }),
        None,
    )
    .unwrap_err();
    assert!(matches!(err, SessionError::ExportFailed { .. }), "{err:?}");
}
