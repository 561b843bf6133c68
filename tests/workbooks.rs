//! "Real-world exports: Excel workbooks in." Workbooks written by real spreadsheet writers
//! (openpyxl, and LibreOffice Calc saving as .xlsx, .xls and .ods; see
//! tests/fixtures/ingest/workbooks/make_workbooks.py) go through the session as a user's file
//! does: the largest sheet is chosen, another can be asked for, and the preview, mapping and
//! ingest are the CSV ones. The expected values are the script's table, written out here by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ask, day};
use segscope::engine::customers::CustomerQuery;
use segscope::engine::dataset::NO_TIME;
use segscope::engine::ingest::{
    ColumnRole, DropReason, IngestError, IngestParams, PreviewParams, QualityReport, WorkbookFormat,
};
use segscope::engine::rfm::RfmParams;
use segscope::engine::session::{self as msg, Reply, Session, SessionError};
use segscope::engine::EngineError;

/// The 16-significant-digit amount of SO-1003 as each file holds it: openpyxl writes 16 digits
/// and BIFF (.xls) stores the double itself, while LibreOffice writes 15 significant digits into
/// the XML of .xlsx and .ods (the files hold `1234.56789012346`; that is its save, not our read).
const SIXTEEN_DIGITS: f64 = 1_234.567_890_123_456;
const FIFTEEN_DIGITS: f64 = 1_234.567_890_123_46;

const WORKBOOKS: [(&str, &[u8], WorkbookFormat, f64); 4] = [
    (
        "openpyxl .xlsx",
        include_bytes!("fixtures/ingest/workbooks/orders_openpyxl.xlsx"),
        WorkbookFormat::Xlsx,
        SIXTEEN_DIGITS,
    ),
    (
        "LibreOffice .xlsx",
        include_bytes!("fixtures/ingest/workbooks/orders_libreoffice.xlsx"),
        WorkbookFormat::Xlsx,
        FIFTEEN_DIGITS,
    ),
    (
        "LibreOffice .xls",
        include_bytes!("fixtures/ingest/workbooks/orders.xls"),
        WorkbookFormat::Xls,
        SIXTEEN_DIGITS,
    ),
    (
        "LibreOffice .ods",
        include_bytes!("fixtures/ingest/workbooks/orders.ods"),
        WorkbookFormat::Ods,
        FIFTEEN_DIGITS,
    ),
];

fn open(session: &mut Session, bytes: &[u8], sheet: Option<&str>) -> Result<Reply, SessionError> {
    ask(
        session,
        msg::Request::File(msg::file::Request::Open {
            params: PreviewParams {
                sheet: sheet.map(str::to_string),
                ..PreviewParams::default()
            },
        }),
        Some(bytes),
    )
}

/// The eight order lines, as written by the script; the 7th has the error #N/A as its amount.
const AMOUNTS: [f64; 7] = [
    128.5,
    59.9,
    SIXTEEN_DIGITS,
    1_234_567.89,
    88.0,
    199.99,
    45.45,
];
const DAYS: [&str; 7] = [
    "2024-03-05",
    "2024-03-05",
    "2024-04-01",
    "2024-04-12",
    "2024-05-20",
    "2024-06-18",
    "2024-07-07",
];

#[test]
fn each_workbook_is_read_from_its_largest_sheet_with_exact_numbers_and_dates() {
    for (name, bytes, format, precise) in WORKBOOKS {
        let mut session = Session::new();
        let reply = open(&mut session, bytes, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let msg::Response::File(msg::file::Response::Preview {
            preview, workbook, ..
        }) = reply.response
        else {
            panic!("{name}: no preview")
        };
        let workbook = workbook.unwrap_or_else(|| panic!("{name}: not seen as a workbook"));
        assert_eq!(workbook.format, format, "{name}");
        assert_eq!(workbook.sheets, ["说明", "订单明细", "汇总"], "{name}");
        assert_eq!(workbook.sheet, "订单明细", "{name}");
        assert_eq!(
            preview.columns,
            [
                "订单号",
                "客户ID",
                "下单时间",
                "实付金额",
                "数量",
                "商品名称"
            ],
            "{name}"
        );
        let m = &preview.mapping;
        let guessed: Vec<Option<usize>> = [
            ColumnRole::OrderId,
            ColumnRole::CustomerId,
            ColumnRole::Date,
            ColumnRole::Amount,
            ColumnRole::Quantity,
            ColumnRole::Product,
        ]
        .into_iter()
        .map(|r| m.get(r))
        .collect();
        assert_eq!(
            guessed,
            [Some(0), Some(1), Some(2), Some(3), Some(4), Some(5)],
            "{name}"
        );

        let reply = ask(
            &mut session,
            msg::Request::File(msg::file::Request::Ingest {
                sheet: None,
                ingest: IngestParams::from_preview(&preview),
                rfm: RfmParams::default(),
                query: CustomerQuery::default(),
                summary: None,
            }),
            None,
        )
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let msg::Response::Overview(msg::overview::Response::Analyzed {
            quality: Some(quality),
            ..
        }) = reply.response
        else {
            panic!("{name}: not analysed")
        };
        let d = session.dataset().unwrap();
        let mut amounts = AMOUNTS;
        amounts[2] = precise;
        assert_eq!(d.amount, amounts, "{name}: amounts keep every digit");
        let days: Vec<_> = DAYS.iter().map(|s| day(s)).collect();
        assert_eq!(d.day, days, "{name}");
        assert_eq!(d.quantity, [2.0, 1.0, 1.0, 3.0, 1.0, 2.0, 5.0], "{name}");
        // The date cells' times of day (SO-1004's 00:00:00 reads as a date without a time).
        let minutes: Vec<u16> = [
            (9, 15),
            (14, 2),
            (20, 45),
            (99, 0),
            (11, 30),
            (23, 59),
            (7, 7),
        ]
        .iter()
        .map(|&(h, m)| if h == 99 { NO_TIME } else { h * 60 + m })
        .collect();
        assert_eq!(d.minute_of_day, minutes, "{name}");
        assert_the_error_cell_is_named(name, &quality);
        // C005's only line is the #N/A one.
        assert_eq!(quality.customers, 4, "{name}");
    }
}

/// The #N/A amount drops its line, named with its line and column. LibreOffice's .ods stores the
/// error as the formula `of:=#N/A` with an empty string value, so there the cell reads empty.
#[track_caller]
fn assert_the_error_cell_is_named(name: &str, quality: &QualityReport) {
    assert_eq!((quality.rows_read, quality.rows_kept), (8, 7), "{name}");
    let [dropped] = quality.dropped.as_slice() else {
        panic!("{name}: {:?}", quality.dropped)
    };
    let (reason, value) = if name.ends_with(".ods") {
        (DropReason::MissingAmount, "")
    } else {
        (DropReason::BadAmount, "#N/A")
    };
    assert_eq!(dropped.reason, reason, "{name}");
    assert_eq!(dropped.column, "实付金额", "{name}");
    // Line 8: the header is line 1.
    assert_eq!(dropped.examples, [(8, value.to_string())], "{name}");
}

#[test]
fn another_sheet_can_be_chosen_and_an_unknown_one_is_named() {
    let (_, bytes, _, _) = WORKBOOKS[0];
    let mut session = Session::new();
    let reply = open(&mut session, bytes, Some("汇总")).unwrap();
    let msg::Response::File(msg::file::Response::Preview {
        preview, workbook, ..
    }) = reply.response
    else {
        panic!("no preview")
    };
    assert_eq!(workbook.unwrap().sheet, "汇总");
    assert_eq!(preview.columns.len(), 2);
    assert!(
        preview.rows.iter().flatten().any(|c| c == "订单数") || preview.columns[0] == "订单数",
        "{preview:?}"
    );
    // Back to the order lines with a re-preview of the kept workbook.
    let reply = ask(
        &mut session,
        msg::Request::File(msg::file::Request::Repreview {
            params: PreviewParams {
                sheet: Some("订单明细".to_string()),
                ..PreviewParams::default()
            },
        }),
        None,
    )
    .unwrap();
    let msg::Response::File(msg::file::Response::Preview { preview, .. }) = reply.response else {
        panic!("no preview")
    };
    assert_eq!(preview.rows.len(), 8);

    let err = open(&mut session, bytes, Some("Sheet9")).unwrap_err();
    assert_eq!(
        err,
        SessionError::Engine(EngineError::Ingest(IngestError::SheetNotFound {
            sheet: "Sheet9".to_string(),
            sheets: vec!["说明".into(), "订单明细".into(), "汇总".into()],
        }))
    );
}

#[test]
fn a_damaged_workbook_says_it_could_not_be_opened() {
    let (_, bytes, _, _) = WORKBOOKS[0];
    let cut = &bytes[..bytes.len() / 2];
    let err = open(&mut Session::new(), cut, None).unwrap_err();
    assert!(
        matches!(
            err,
            SessionError::Engine(EngineError::Ingest(IngestError::Workbook { .. }))
        ),
        "{err:?}"
    );
}
