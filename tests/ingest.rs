//! Ingest end to end on small fixtures (made by `tests/fixtures/ingest/make_fixtures.py`):
//! preview detections, then the kept rows, counts, drops and errors of `ingest`.

// Test helpers outside `#[test]` functions unwrap too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segscope::engine::calendar::day_from_ymd;
use segscope::engine::ingest::{
    ingest, preview, ColumnMapping, DateOrder, DropReason, IngestError, IngestParams, Preview,
    PreviewParams, QualityReport, TextEncoding,
};
use segscope::engine::{Dataset, Day};

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/ingest/", $name)).as_slice()
    };
}

fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).unwrap()
}

fn detect(bytes: &[u8]) -> Preview {
    preview(bytes, &PreviewParams::default()).unwrap()
}

fn params_of(shape: &Preview) -> IngestParams {
    IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
        keep_far_dates: false,
    }
}

/// Ingests with the preview's own suggestions.
fn run(bytes: &[u8]) -> Result<(Dataset, QualityReport), IngestError> {
    let params = match preview(bytes, &PreviewParams::default()) {
        Ok(shape) => params_of(&shape),
        Err(_) => IngestParams {
            encoding: TextEncoding::Utf8,
            delimiter: b',',
            has_header: true,
            date_order: DateOrder::Ymd,
            mapping: ColumnMapping {
                customer_id: Some(0),
                date: Some(1),
                amount: Some(2),
                ..ColumnMapping::default()
            },
            keep_far_dates: false,
        },
    };
    run_with(bytes, &params)
}

fn run_with(bytes: &[u8], params: &IngestParams) -> Result<(Dataset, QualityReport), IngestError> {
    ingest(bytes, bytes.len() as u64, params, &mut |_| {})
}

fn sum(dataset: &Dataset) -> f64 {
    dataset.amount.iter().sum()
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

fn full_mapping() -> ColumnMapping {
    ColumnMapping {
        customer_id: Some(0),
        order_id: Some(1),
        date: Some(2),
        amount: Some(3),
        product: Some(4),
        quantity: None,
        region: Some(5),
        channel: Some(6),
        category: None,
    }
}

/// The same table in four encodings gives the same dataset.
fn check_basic(bytes: &[u8], encoding: TextEncoding) {
    let shape = detect(bytes);
    assert_eq!(shape.encoding, encoding);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(
        shape.columns,
        [
            "customer_id",
            "order_id",
            "date",
            "amount",
            "product",
            "region",
            "channel"
        ]
    );
    assert_eq!(shape.mapping, full_mapping());
    assert_eq!(
        (shape.date_order, shape.date_order_ambiguous),
        (DateOrder::Ymd, false)
    );
    assert_eq!(shape.rows.len(), 6);
    assert_eq!(shape.rows[5][4], "茶叶");

    let (data, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.encoding, encoding);
    assert_eq!((report.rows_read, report.rows_kept), (6, 6));
    assert_eq!(data.customer_ids.to_vec(), ["C001", "C002", "C003"]);
    assert_eq!(data.customer, [0, 0, 1, 2, 1, 0]);
    assert_eq!(
        data.day,
        [
            day(2024, 3, 5),
            day(2024, 3, 5),
            day(2024, 3, 6),
            day(2024, 3, 10),
            day(2024, 4, 1),
            day(2024, 4, 2)
        ]
    );
    assert_eq!(data.amount, [12.5, 7.25, 30.0, 5.0, -7.25, 19.99]);
    assert_close(sum(&data), 67.49);
    assert_eq!(data.products.to_vec(), ["Tea", "Cup", "Teapot", "茶叶"]);
    assert_eq!(data.product.to_vec(), [0, 1, 2, 0, 1, 3]);
    assert_eq!(data.regions.to_vec(), ["North", "South", "East"]);
    assert_eq!(data.channels.to_vec(), ["web", "store", "app"]);
    assert!(data.quantity.is_empty());
    assert_eq!(data.order_hash.len(), 6);
    assert_eq!(data.order_hash[0], data.order_hash[1]);
    assert_ne!(data.order_hash[0], data.order_hash[2]);
    assert_eq!(report.customers, 3);
    assert_eq!(report.orders, 5);
    // The dataset carries the count: the room an RFM run reserves for its orders.
    assert_eq!(data.order_count, Some(5));
    assert_eq!(report.products, 4);
    assert_eq!(report.date_range, Some((day(2024, 3, 5), day(2024, 4, 2))));
    assert_eq!(report.returns.lines, 1);
    assert_close(report.returns.amount, -7.25);
    assert!(report.dropped.is_empty());
    assert_eq!(report.exact_duplicates, 0);
    assert_eq!(data.is_exact_duplicate, [false; 6]);
    assert_eq!(report.replaced_characters, 0);
    assert_eq!(report.missing.len(), 4); // order id, product, region, channel
    assert!(report.missing.iter().all(|m| m.missing == 0));
}

#[test]
fn utf8_without_bom() {
    check_basic(fixture!("basic_utf8.csv"), TextEncoding::Utf8);
}

#[test]
fn utf8_with_bom() {
    check_basic(fixture!("basic_utf8_bom.csv"), TextEncoding::Utf8);
}

#[test]
fn utf16_little_endian_with_bom() {
    check_basic(fixture!("basic_utf16le.csv"), TextEncoding::Utf16Le);
}

#[test]
fn utf16_big_endian_with_bom() {
    check_basic(fixture!("basic_utf16be.csv"), TextEncoding::Utf16Be);
}

#[test]
fn progress_is_reported_up_to_the_whole_file() {
    let bytes = fixture!("basic_utf8.csv");
    let shape = detect(bytes);
    let mut seen = Vec::new();
    ingest(bytes, bytes.len() as u64, &params_of(&shape), &mut |n| {
        seen.push(n)
    })
    .unwrap();
    assert_eq!(seen.last(), Some(&(bytes.len() as u64)));
}

#[test]
fn gbk_with_chinese_headers_and_dates() {
    let bytes = fixture!("gbk_chinese.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Gb18030);
    assert_eq!(shape.columns[0], "客户ID");
    assert_eq!(shape.mapping, full_mapping());
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert!(!shape.date_order_ambiguous);

    let (data, report) = run(bytes).unwrap();
    assert_eq!(report.rows_kept, 4);
    assert_eq!(data.customer_ids.to_vec(), ["张三", "李四", "王五"]);
    assert_eq!(
        data.day,
        [
            day(2024, 3, 5),
            day(2024, 3, 5),
            day(2024, 4, 1),
            day(2024, 4, 2)
        ]
    );
    assert_eq!(data.amount, [128.5, 66.0, 88.0, -20.0]);
    assert_close(sum(&data), 262.5);
    assert_eq!(data.products.to_vec(), ["绿茶", "乌龙茶", "红茶"]);
    assert_eq!(data.regions.to_vec(), ["浙江", "福建", "江苏"]);
    assert_eq!(data.channels.to_vec(), ["天猫", "京东", "门店"]);
    assert_eq!((report.customers, report.orders), (3, 4));
    assert_eq!(report.returns.lines, 1);
    assert_eq!(report.replaced_characters, 0);
}

#[test]
fn semicolons_with_decimal_comma_and_day_first_dates() {
    let bytes = fixture!("semicolon_dmy.csv");
    let shape = detect(bytes);
    assert_eq!(shape.delimiter, b';');
    assert_eq!(
        (shape.date_order, shape.date_order_ambiguous),
        (DateOrder::Dmy, false)
    );
    assert_eq!(
        shape.mapping,
        ColumnMapping {
            customer_id: Some(0),
            date: Some(1),
            amount: Some(2),
            product: Some(3),
            ..ColumnMapping::default()
        }
    );
    let (data, report) = run(bytes).unwrap();
    assert_eq!(data.amount, [12.5, 1234.56, 3.0]);
    assert_eq!(
        data.day,
        [day(2024, 3, 5), day(2024, 3, 25), day(2024, 4, 1)]
    );
    // No order ids: orders are customer-days.
    assert!(!data.has_order_ids());
    assert_eq!((report.customers, report.orders), (2, 3));
    assert!(report.notes.iter().any(|n| n.contains("decimal comma")));
}

#[test]
fn tab_separated() {
    let bytes = fixture!("tab.tsv");
    let shape = detect(bytes);
    assert_eq!(shape.delimiter, b'\t');
    assert_eq!(shape.mapping.channel, Some(3));
    let (data, report) = run(bytes).unwrap();
    assert_eq!(report.rows_kept, 3);
    assert_close(sum(&data), 31.75);
    assert_eq!(data.channels.to_vec(), ["web", "store"]);
}

#[test]
fn pipe_separated_with_commas_in_cells() {
    let bytes = fixture!("pipe.csv");
    let shape = detect(bytes);
    assert_eq!(shape.delimiter, b'|');
    let (data, _) = run(bytes).unwrap();
    assert_eq!(data.products.to_vec(), ["Tea, green", "Tea; black"]);
}

#[test]
fn rfc4180_quotes_newlines_and_crlf() {
    let bytes = fixture!("quoted_crlf.csv");
    let shape = detect(bytes);
    assert_eq!(shape.delimiter, b',');
    assert_eq!(shape.rows[0][3], "Tea, \"Dragon Well\"");
    let (data, report) = run(bytes).unwrap();
    assert_eq!(data.customer_ids.to_vec(), ["C1", "C2", "C4"]);
    assert_eq!(data.amount, [1234.5, 10.0, 2.5]);
    assert_eq!(
        data.products.to_vec(),
        ["Tea, \"Dragon Well\"", "Multi\r\nline note", "a|b;c"]
    );
    // The quoted line break puts C3 on line 5.
    assert_eq!(report.rows_read, 4);
    assert_eq!(report.dropped.len(), 1);
    assert_eq!(report.dropped[0].reason, DropReason::MissingDate);
    assert_eq!(report.dropped[0].column, "date");
    assert_eq!(report.dropped[0].examples, [(5, String::new())]);
}

#[test]
fn excel_serial_dates() {
    let (data, report) = run(fixture!("excel_serial.csv")).unwrap();
    assert_eq!(
        data.day,
        [day(2024, 3, 5), day(2024, 3, 6), day(2024, 4, 1)]
    );
    assert_eq!(report.date_range, Some((day(2024, 3, 5), day(2024, 4, 1))));
}

#[test]
fn month_first_dates_settled_by_a_day_above_12() {
    let bytes = fixture!("mdy.csv");
    let shape = detect(bytes);
    assert_eq!(
        (shape.date_order, shape.date_order_ambiguous),
        (DateOrder::Mdy, false)
    );
    let (data, _) = run(bytes).unwrap();
    assert_eq!(
        data.day,
        [day(2024, 3, 5), day(2024, 3, 25), day(2024, 4, 1)]
    );
}

#[test]
fn ambiguous_dates_are_flagged_and_follow_the_confirmed_order() {
    let bytes = fixture!("ambiguous_dates.csv");
    let shape = detect(bytes);
    assert_eq!(
        (shape.date_order, shape.date_order_ambiguous),
        (DateOrder::Dmy, true)
    );
    let (data, _) = run(bytes).unwrap();
    assert_eq!(data.day, [day(2024, 5, 3), day(2024, 6, 4)]);
    let mut params = params_of(&shape);
    params.date_order = DateOrder::Mdy;
    let (data, _) = run_with(bytes, &params).unwrap();
    assert_eq!(data.day, [day(2024, 3, 5), day(2024, 4, 6)]);
}

#[test]
fn currency_returns_and_exact_duplicates() {
    let bytes = fixture!("currency_returns_duplicates.csv");
    let shape = detect(bytes);
    assert_eq!(shape.mapping.order_id, Some(1));
    let (data, report) = run(bytes).unwrap();
    assert_eq!(data.amount, [1234.5, 1234.5, -12.5, 8.0, -3.0, 8.0]);
    assert_close(sum(&data), 2469.5);
    assert_eq!(report.rows_kept, 6);
    assert_eq!(report.returns.lines, 2);
    assert_close(report.returns.amount, -15.5);
    assert_eq!(report.exact_duplicates, 2);
    assert_eq!(report.duplicate_examples, [(3, 2), (7, 5)]);
    assert_eq!(
        data.is_exact_duplicate,
        [false, true, false, false, false, true]
    );
    assert_eq!((report.customers, report.orders), (3, 4));
}

#[test]
fn drops_are_counted_by_reason_with_line_numbers() {
    let (data, report) = run(fixture!("drops.csv")).unwrap();
    assert_eq!(report.rows_read, 13); // the blank line 9 is not a row
    assert_eq!(report.rows_kept, 7);
    assert_eq!(data.len(), 7);
    let drops: Vec<_> = report
        .dropped
        .iter()
        .map(|d| (d.reason, d.column.as_str(), d.count, d.examples.clone()))
        .collect();
    let one = |line: u64, value: &str| vec![(line, value.to_string())];
    assert_eq!(
        drops,
        [
            (DropReason::MissingCustomerId, "customer_id", 1, one(3, "")),
            (DropReason::MissingDate, "date", 1, one(4, "")),
            (DropReason::BadDate, "date", 1, one(5, "2023-02-29")),
            (DropReason::MissingAmount, "amount", 1, one(6, "")),
            (DropReason::BadAmount, "amount", 1, one(7, "abc")),
            (DropReason::TooFewFields, "", 1, one(8, "F")),
        ]
    );
    assert_eq!(report.date_range, Some((day(2024, 3, 5), day(2024, 3, 12))));
    assert_close(sum(&data), 31.0);
}

/// The same file with Windows line ends (Excel's CSV): the examples name the same lines. The
/// `csv` crate's record positions, used before the ingest read lines itself, were one line low
/// after every CRLF (it counts the LF when it reads the next record).
#[test]
fn line_numbers_are_the_same_with_windows_line_ends() {
    let unix = fixture!("drops.csv");
    let windows = String::from_utf8_lossy(unix).replace('\n', "\r\n");
    let (_, a) = run(unix).unwrap();
    let (_, b) = run(windows.as_bytes()).unwrap();
    assert_eq!(a.dropped, b.dropped);
    assert_eq!(
        b.dropped.first().map(|d| d.examples.clone()),
        Some(vec![(3, String::new())])
    );
}

#[test]
fn no_header_roles_from_values() {
    let bytes = fixture!("no_header.csv");
    let shape = detect(bytes);
    assert!(!shape.has_header);
    assert_eq!(shape.columns, ["column 1", "column 2", "column 3"]);
    assert_eq!(
        (
            shape.mapping.customer_id,
            shape.mapping.date,
            shape.mapping.amount
        ),
        (Some(0), Some(1), Some(2))
    );
    let (data, report) = run(bytes).unwrap();
    assert_eq!(report.rows_kept, 3);
    assert_eq!(data.customer_ids.to_vec(), ["C1", "C2"]);
    assert_close(sum(&data), 23.6);
}

#[test]
fn empty_files_are_refused() {
    assert_eq!(
        preview(fixture!("empty.csv"), &PreviewParams::default()),
        Err(IngestError::Empty)
    );
    assert_eq!(run(fixture!("empty.csv")).unwrap_err(), IngestError::Empty);
    assert_eq!(
        preview(fixture!("whitespace.csv"), &PreviewParams::default()),
        Err(IngestError::Empty)
    );
    assert_eq!(
        run(fixture!("whitespace.csv")).unwrap_err(),
        IngestError::Empty
    );
}

#[test]
fn header_only_is_refused() {
    assert_eq!(
        preview(fixture!("header_only.csv"), &PreviewParams::default()),
        Err(IngestError::HeaderOnly)
    );
    assert_eq!(
        run(fixture!("header_only.csv")).unwrap_err(),
        IngestError::HeaderOnly
    );
}

#[test]
fn binary_is_refused() {
    let bytes = fixture!("binary.png");
    assert_eq!(
        preview(bytes, &PreviewParams::default()),
        Err(IngestError::Binary { byte_offset: 0 })
    );
    assert_eq!(
        run(bytes).unwrap_err(),
        IngestError::Binary { byte_offset: 0 }
    );
}

#[test]
fn no_usable_columns() {
    let bytes = fixture!("no_usable_columns.csv");
    let shape = detect(bytes);
    assert_eq!(shape.mapping, ColumnMapping::default());
    assert_eq!(
        run_with(bytes, &params_of(&shape)).unwrap_err(),
        IngestError::MissingColumn {
            role: segscope::engine::ingest::ColumnRole::CustomerId
        }
    );
}

#[test]
fn most_rows_bad_names_the_first_problem() {
    assert_eq!(
        run(fixture!("most_rows_bad.csv")).unwrap_err(),
        IngestError::MostRowsBad {
            read: 4,
            dropped: 3,
            reason: DropReason::BadDate,
            column: "date".to_string(),
            example_line: 2,
            example_value: "yesterday".to_string(),
        }
    );
}

#[test]
fn mapping_errors() {
    use segscope::engine::ingest::ColumnRole;
    let bytes = fixture!("basic_utf8.csv");
    let mut params = params_of(&detect(bytes));
    params.mapping.region = Some(3);
    assert_eq!(
        run_with(bytes, &params).unwrap_err(),
        IngestError::DuplicateMapping {
            column: 3,
            first: ColumnRole::Amount,
            second: ColumnRole::Region
        }
    );
    params.mapping.region = Some(9);
    assert_eq!(
        run_with(bytes, &params).unwrap_err(),
        IngestError::ColumnOutOfRange {
            role: ColumnRole::Region,
            column: 9,
            columns: 7
        }
    );
    params.mapping.region = None;
    params.mapping.date = None;
    assert_eq!(
        run_with(bytes, &params).unwrap_err(),
        IngestError::MissingColumn {
            role: ColumnRole::Date
        }
    );
}

#[test]
fn preview_overrides_win() {
    let bytes = fixture!("basic_utf8.csv");
    let shape = preview(
        bytes,
        &PreviewParams {
            encoding: Some(TextEncoding::Gb18030),
            delimiter: Some(b';'),
            has_header: Some(false),
            sheet: None,
        },
    )
    .unwrap();
    assert_eq!(shape.encoding, TextEncoding::Gb18030);
    assert_eq!(shape.delimiter, b';');
    assert!(!shape.has_header);
    assert_eq!(shape.columns, ["column 1"]);
    assert_eq!(shape.rows.len(), 7);
}

fn simple_params(mapping: ColumnMapping) -> IngestParams {
    IngestParams {
        encoding: TextEncoding::Utf8,
        delimiter: b',',
        has_header: true,
        date_order: DateOrder::Ymd,
        mapping,
        keep_far_dates: false,
    }
}

#[test]
fn missing_optional_cells_are_counted_not_dropped() {
    use segscope::engine::ingest::ColumnRole;
    let bytes = b"customer,order,date,amount,product,qty\n\
        A,1,2024-03-05,10,Tea,2\n\
        A,,2024-03-05,5,,x\n\
        A,,2024-03-06,5,Cup,\n\
        B,2,2024-03-06,1,Tea,1.5\n";
    let params = simple_params(ColumnMapping {
        customer_id: Some(0),
        order_id: Some(1),
        date: Some(2),
        amount: Some(3),
        product: Some(4),
        quantity: Some(5),
        ..ColumnMapping::default()
    });
    let (data, report) = run_with(bytes, &params).unwrap();
    assert_eq!(report.rows_kept, 4);
    // Empty product cells are interned as "" (a valid index) and not counted as products.
    assert_eq!(data.products.to_vec(), ["Tea", "", "Cup"]);
    assert_eq!(data.product.to_vec(), [0, 1, 2, 0]);
    assert_eq!(report.products, 2);
    assert_eq!(data.quantity[0], 2.0);
    assert!(data.quantity[1].is_nan() && data.quantity[2].is_nan());
    assert_eq!(data.quantity[3], 1.5);
    // Lines without an order id group per customer and day: orders 1, (A, 03-05), (A, 03-06), 2.
    assert_eq!(report.orders, 4);
    let missing: Vec<_> = report
        .missing
        .iter()
        .map(|m| (m.role, m.column.as_str(), m.missing))
        .collect();
    assert_eq!(
        missing,
        [
            (ColumnRole::OrderId, "order", 2),
            (ColumnRole::Product, "product", 1),
            (ColumnRole::Quantity, "qty", 2),
        ]
    );
    assert!(report.notes.iter().any(|n| n.contains("no order id")));
}

#[test]
fn progress_comes_every_256_kilobytes() {
    let mut text = String::from("customer,date,amount\n");
    while text.len() < 1_100_000 {
        text.push_str("C12345,2024-03-05,12.50\n");
    }
    let bytes = text.as_bytes();
    let params = simple_params(ColumnMapping {
        customer_id: Some(0),
        date: Some(1),
        amount: Some(2),
        ..ColumnMapping::default()
    });
    let mut seen = Vec::new();
    let (data, _) = ingest(bytes, bytes.len() as u64, &params, &mut |n| seen.push(n)).unwrap();
    assert_eq!(data.len(), (bytes.len() - 21) / 24);
    assert!(seen.len() >= 4, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[1] > w[0]));
    assert!(seen
        .windows(2)
        .all(|w| w[1] == bytes.len() as u64 || w[1] - w[0] >= 256 * 1024));
    assert_eq!(seen.last(), Some(&(bytes.len() as u64)));
}

#[test]
fn invalid_bytes_are_replaced_and_counted() {
    let params = simple_params(ColumnMapping {
        customer_id: Some(0),
        date: Some(1),
        amount: Some(2),
        ..ColumnMapping::default()
    });
    // UTF-8 with a stray byte in a customer id that occurs twice.
    let bytes = b"customer,date,amount\nA\xff,2024-03-05,1\nA\xff,2024-03-06,2\nB,2024-03-06,3\n";
    let (data, report) = run_with(bytes, &params).unwrap();
    assert_eq!(data.customer_ids.to_vec(), ["A\u{FFFD}", "B"]);
    assert_eq!(report.replaced_characters, 2);

    // GB18030 with a byte that is not valid there.
    let mut gbk = encoding_rs::GB18030
        .encode("客户,日期,金额\n张三,2024-03-05,1\n")
        .0
        .into_owned();
    gbk.extend_from_slice(b"\xff,2024-03-06,2\n");
    let params = IngestParams {
        encoding: TextEncoding::Gb18030,
        ..params
    };
    let (data, report) = run_with(&gbk, &params).unwrap();
    assert_eq!(data.customer_ids.to_vec(), ["张三", "\u{FFFD}"]);
    assert_eq!(report.replaced_characters, 1);
}

#[test]
fn read_failures_are_io_errors() {
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk gone"))
        }
    }
    let params = simple_params(ColumnMapping {
        customer_id: Some(0),
        date: Some(1),
        amount: Some(2),
        ..ColumnMapping::default()
    });
    assert_eq!(
        ingest(Failing, 100, &params, &mut |_| {}).unwrap_err(),
        IngestError::Io {
            message: "disk gone".to_string()
        }
    );
}

/// Issue "Real-world exports": one NUL byte in a cell made the whole file "not a text table".
/// It is a bad cell now: the file is read, every line counted. Many of them still mean binary.
#[test]
fn a_nul_byte_in_a_cell_is_not_a_binary_file() {
    let bytes = b"customer,date,amount\nA,2024-03-05,1\nB\0,2024-03-06,2\n";
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    let (dataset, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_read, 2);
    assert_eq!(
        dataset.len() as u64 + report.dropped.iter().map(|d| d.count).sum::<u64>(),
        2
    );
    let mut binary = b"customer,date,amount\n".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 40));
    assert!(matches!(
        preview(&binary, &PreviewParams::default()),
        Err(IngestError::Binary { .. })
    ));
}

/// `rows` data lines `C{i},2024-01-{d},{amount},P{i}` after a header; `stray(i)` may replace a
/// line's text.
fn quote_file(rows: usize, stray: impl Fn(usize) -> Option<String>) -> String {
    let mut out = String::from("customer_id,date,amount,product\n");
    for i in 0..rows {
        let line = stray(i).unwrap_or_else(|| {
            format!(
                "C{},2024-01-{:02},{}.50,P{}",
                i % 40,
                1 + i % 28,
                10 + i % 7,
                i % 5
            )
        });
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A quote-unaware count of the non-blank lines after the header.
fn plain_line_count(text: &str) -> u64 {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count() as u64
}

// Regression: a quote opened in a cell and never closed swallowed the rest of the file into one
// cell; a 300-row file reported "30 read, 30 kept, 0 dropped" with no note.
#[test]
fn a_quote_never_closed_is_read_again_unquoted_and_named() {
    let text = quote_file(300, |i| {
        (i == 29).then(|| "C7,2024-01-05,\"12.50,P1".to_string())
    });
    let (dataset, report) = run(text.as_bytes()).unwrap();
    assert_eq!(report.rows_read, plain_line_count(&text), "every line read");
    assert_eq!(report.rows_read, 300);
    assert_eq!(report.rows_kept, 300);
    assert_eq!(dataset.len(), 300);
    // Line 31 (header = line 1) opened the quote; lines 31..=301 were read again.
    assert_eq!(
        report.quote_repairs,
        [segscope::engine::ingest::QuoteRepair {
            line: 31,
            lines: 271
        }]
    );
    assert!(
        (dataset.amount[29] - 12.5).abs() < 1e-9,
        "the opening line's amount is read"
    );
}

#[test]
fn a_stray_quote_closed_by_a_later_one_loses_no_line() {
    let text = quote_file(200, |i| match i {
        50 => Some("C1,2024-01-05,\"9.00,P1".into()),
        120 => Some("C2,2024-01-06,8.00,P\"2".into()),
        _ => None,
    });
    let (_, report) = run(text.as_bytes()).unwrap();
    assert_eq!(report.rows_read, 200);
    assert_eq!(report.rows_read, plain_line_count(&text));
    assert_eq!(report.quote_repairs.len(), 1);
    assert_eq!(report.quote_repairs[0].line, 52);
    let kept_or_dropped: u64 =
        report.rows_kept + report.dropped.iter().map(|d| d.count).sum::<u64>();
    assert_eq!(kept_or_dropped, report.rows_read, "kept + dropped = read");
}

#[test]
fn a_real_multi_line_cell_stays_one_row() {
    let text = "customer_id,date,amount,note\nC1,2024-01-05,10.00,\"deliver to\n12 Main Street\nback door\"\nC2,2024-01-06,20.00,plain\n";
    let (dataset, report) = run(text.as_bytes()).unwrap();
    assert_eq!((report.rows_read, dataset.len()), (2, 2));
    assert!(report.quote_repairs.is_empty());
}

// Regression: one amount of 1e307 made the analysis die on the wire ("invalid type: null,
// expected f64"), and the CLI printed "Revenue –" and "Gini NaN". Now the line is dropped with
// its line number and value, and every figure stays finite.
#[test]
fn an_implausible_amount_is_dropped_with_its_line_and_figures_stay_finite() {
    let text = quote_file(60, |i| match i {
        10 => Some("C3,2024-01-05,1e307,P1".into()),
        20 => Some("C4,2024-01-06,-2e12,P1".into()),
        _ => None,
    });
    let (dataset, report) = run(text.as_bytes()).unwrap();
    assert_eq!((report.rows_read, report.rows_kept), (60, 58));
    let drop = report
        .dropped
        .iter()
        .find(|d| d.reason == DropReason::ImplausibleAmount)
        .unwrap();
    assert_eq!(drop.count, 2);
    assert_eq!(drop.column, "amount");
    assert_eq!(
        drop.examples,
        [(12, "1e307".to_string()), (22, "-2e12".to_string())]
    );
    let analysis = segscope::engine::rfm::analyze(&dataset, &Default::default()).unwrap();
    let k = &analysis.report.kpis;
    assert!(k.revenue.is_finite() && k.revenue > 0.0);
    assert!(analysis.report.pareto.gini.is_finite());
}

// Regression: one date of 9999-12-31 moved the as-of date to the year 10000 and every recency
// became about 2.9 million days; year 1 and 1899 (Excel's empty date) did the opposite.
#[test]
fn implausible_dates_are_dropped_with_their_lines() {
    let text = quote_file(40, |i| match i {
        3 => Some("C1,9999-12-31,10.00,P1".into()),
        4 => Some("C1,2200-01-01,10.00,P1".into()),
        5 => Some("C2,0001-01-01,10.00,P1".into()),
        6 => Some("C2,1899-12-31,10.00,P1".into()),
        7 => Some("C2,1900-01-01,10.00,P1".into()),
        _ => None,
    });
    let (dataset, report) = run(text.as_bytes()).unwrap();
    let drop = report
        .dropped
        .iter()
        .find(|d| d.reason == DropReason::ImplausibleDate)
        .unwrap();
    assert_eq!(drop.count, 4);
    assert_eq!(
        drop.examples.iter().map(|e| e.0).collect::<Vec<_>>(),
        [5, 6, 7, 8],
        "lines named"
    );
    // 1900-01-01 is a plausible date on its own, but 124 years before this file's other dates.
    let far = report
        .dropped
        .iter()
        .find(|d| d.reason == DropReason::FarFromOtherDates)
        .unwrap();
    assert_eq!((far.count, far.examples[0].0), (1, 9));
    assert_eq!(report.rows_kept, 35);
    let analysis = segscope::engine::rfm::analyze(&dataset, &Default::default()).unwrap();
    assert_eq!(
        analysis.report.as_of_day,
        day(2024, 1, 29),
        "the day after the last real date"
    );
}

// Regression (found by the `ingest` fuzz target): the preview's amount guess divided by the
// number of cells of a column before checking that there were any (`then_some` evaluates its
// argument eagerly), so a header row wider than every data row panicked.
#[test]
fn a_header_wider_than_the_data_rows_does_not_panic_the_preview() {
    let file = include_bytes!("fixtures/fuzz/ingest-divide-by-zero-empty-column.csv");
    let _ = preview(file, &PreviewParams::default());
    let _ = run(file);
    let _ = preview(b"a,b,c,d\n1,2\n", &PreviewParams::default());
}

/// A file of `lines` sales spread evenly over `years` years from 2015 on, with `extra` lines
/// appended (customer, date).
fn dated_file(lines: usize, years: i32, extra: &[(&str, &str)]) -> String {
    let mut text = String::from("customer_id,date,amount\n");
    let span = 365 * years;
    let first = day(2015, 1, 1);
    for i in 0..lines {
        let d = first + (i as i32 * span) / lines as i32;
        text.push_str(&format!(
            "c{},{},{}.25\n",
            i % 50,
            segscope::engine::calendar::iso_day(d),
            5 + i % 20
        ));
    }
    for (customer, date) in extra {
        text.push_str(&format!("{customer},{date},10\n"));
    }
    text
}

// Regression ("Numbers you can trust"): one stray 2090 or a 1900-01-01 placeholder in a file of
// other years moved the as-of date, every recency and every customer's age.
#[test]
fn dates_far_from_the_others_are_dropped_with_their_lines_unless_kept() {
    let text = dated_file(
        200,
        1,
        &[
            ("c1", "2090-06-01"),
            ("ghost", "1900-01-01"),
            ("c2", "2015-06-01"),
        ],
    );
    let (dataset, report) = run(text.as_bytes()).unwrap();
    let far = report.far_dates.clone().expect("far dates reported");
    assert_eq!((far.lines, far.kept), (2, false));
    assert_eq!(
        far.examples,
        [
            (202, "2090-06-01".to_string()),
            (203, "1900-01-01".to_string())
        ]
    );
    // The range kept is the file's run of dates (to the 30-day bins it falls in).
    assert!(
        far.first_day <= day(2015, 1, 1)
            && far.first_day > day(2014, 11, 30)
            && far.last_day >= day(2015, 12, 30)
            && far.last_day < day(2016, 2, 1),
        "{:?}",
        (far.first_day, far.last_day)
    );
    let drop = report
        .dropped
        .iter()
        .find(|d| d.reason == DropReason::FarFromOtherDates)
        .unwrap();
    assert_eq!((drop.count, drop.column.as_str()), (2, "date"));
    assert_eq!(
        report.rows_kept + 2,
        report.rows_read,
        "kept + dropped = read"
    );
    assert_eq!(dataset.len() as u64, report.rows_kept);
    assert_eq!(
        report.date_range,
        Some((day(2015, 1, 1), day(2015, 12, 30))),
        "the range of the kept lines"
    );
    // "ghost" had only the 1900 line: no customer left without a line is counted.
    assert_eq!(report.customers, 50);
    let analysis = segscope::engine::rfm::analyze(&dataset, &Default::default()).unwrap();
    assert_eq!(analysis.report.as_of_day, day(2015, 12, 31));

    let shape = detect(text.as_bytes());
    let keep = IngestParams {
        keep_far_dates: true,
        ..params_of(&shape)
    };
    let (dataset, report) = run_with(text.as_bytes(), &keep).unwrap();
    assert_eq!(report.far_dates.map(|f| (f.lines, f.kept)), Some((2, true)));
    assert_eq!(report.rows_kept, report.rows_read);
    assert_eq!(dataset.day.iter().max(), Some(&day(2090, 6, 1)));
}

#[test]
fn long_or_uneven_histories_keep_every_date() {
    // Ten even years; thin early years (40 lines over 2015–2020, then 400 over 2021–2022); a
    // pause of two years (2015, then 2018); two lines (no median to speak of).
    let body = |text: String| text["customer_id,date,amount\n".len()..].to_string();
    let even = dated_file(500, 10, &[]);
    let later = body(dated_file(400, 2, &[]))
        .replace(",2015-", ",2021-")
        .replace(",2016-", ",2022-");
    let growth = dated_file(40, 6, &[]) + &later;
    let paused =
        dated_file(100, 1, &[]) + &body(dated_file(100, 1, &[])).replace(",2015-", ",2018-");
    let two = dated_file(1, 1, &[("c1", "2090-01-01")]);
    for text in [even, growth, paused, two] {
        let (_, report) = run(text.as_bytes()).unwrap();
        assert_eq!(report.far_dates, None, "{}", &text[..80]);
        assert_eq!(report.rows_kept, report.rows_read);
    }
}

// Issue "Real-world exports": guesses that trust the values. Each of these files was guessed
// wrong before: the header's words beat the values.

/// A column of ISO dates headed `transaction_dt` was guessed as the order id ("transaction"), and
/// no column as the date. Now the values rule the order id out and find the date.
#[test]
fn a_date_column_is_found_whatever_its_header() {
    let bytes = fixture!("transaction_dt.csv");
    let shape = detect(bytes);
    assert_eq!(shape.mapping.date, Some(1));
    assert_eq!(shape.mapping.order_id, None);
    assert_eq!(shape.mapping.customer_id, Some(0));
    assert_eq!(shape.mapping.amount, Some(2));
    let (dataset, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_kept, 8);
    assert_eq!(dataset.len(), 8);
}

/// `transaction_timestamp` holding `2017-01-01 11:53:26` was taken by the order-id guess too.
#[test]
fn a_timestamp_column_is_the_date() {
    let bytes = fixture!("transaction_timestamp.csv");
    let shape = detect(bytes);
    assert_eq!(shape.mapping.customer_id, Some(0));
    assert_eq!(shape.mapping.date, Some(1));
    assert_eq!(shape.mapping.order_id, None);
    assert_eq!(shape.mapping.product, Some(2));
    assert_eq!(shape.mapping.amount, Some(3));
    let (dataset, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_kept, 6);
    assert_eq!(dataset.len(), 6);
    // The times of day are kept (minutes after midnight), read off the file by hand.
    let hm = |h: u16, m: u16| h * 60 + m;
    assert_eq!(dataset.minute_of_day, TIMES.map(|(h, m)| hm(h, m)));
}

const TIMES: [(u16, u16); 6] = [(11, 53), (12, 5), (17, 40), (9, 12), (10, 31), (15, 8)];

/// A file of plain dates keeps no times at all (no memory for them).
#[test]
fn dates_without_times_keep_no_time_column() {
    let bytes = fixture!("transaction_dt.csv");
    let (dataset, _) = run_with(bytes, &params_of(&detect(bytes))).unwrap();
    assert!(!dataset.is_empty());
    assert!(dataset.minute_of_day.is_empty());
}

/// A `basket_id` is the order id, and an `amount` of small whole numbers beside a money-like
/// `sales_price` is the quantity: the money is the amount, and the preview says why.
#[test]
fn basket_ids_and_money_beside_quantities() {
    use segscope::engine::ingest::GuessNote;
    let bytes = fixture!("basket_quantity.csv");
    let shape = detect(bytes);
    assert_eq!(shape.mapping.customer_id, Some(0));
    assert_eq!(shape.mapping.order_id, Some(1));
    assert_eq!(shape.mapping.date, Some(2));
    assert_eq!(shape.mapping.amount, Some(5));
    assert_eq!(shape.mapping.quantity, Some(4));
    assert_eq!(
        shape.notes,
        vec![GuessNote::AmountLooksLikeQuantity {
            quantity_column: 4,
            amount_column: 5,
        }]
    );
    let (dataset, _) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_close(
        sum(&dataset),
        1.39 + 0.82 + 0.99 + 2.19 + 2.99 + 3.09 + 0.60 + 1.50,
    );
}

/// Money named as money stays the amount, whole or not; small whole numbers named `amount` stay
/// the amount when no other column looks like money.
#[test]
fn the_amount_guess_leaves_ordinary_files_alone() {
    let whole_money = b"customer_id,date,amount,quantity\nC1,2024-01-02,120,1\nC2,2024-01-03,45,2\nC1,2024-01-09,300,1\n";
    let shape = detect(whole_money);
    assert_eq!(
        (shape.mapping.amount, shape.mapping.quantity),
        (Some(2), Some(3))
    );
    assert!(shape.notes.is_empty());
    let small = b"customer_id,date,amount,store\nC1,2024-01-02,3,North\nC2,2024-01-03,5,South\nC1,2024-01-09,2,North\n";
    let shape = detect(small);
    assert_eq!(shape.mapping.amount, Some(2));
    assert!(shape.notes.is_empty());
}

// Issue "Real-world exports": encodings that survive one bad byte.

/// A valid UTF-8 Chinese export with one broken byte was read whole as GB18030: every id became
/// mojibake and the header was lost. It stays UTF-8, with one character replaced.
#[test]
fn one_broken_byte_keeps_a_utf8_file_utf8() {
    let bytes = fixture!("utf8_one_bad_byte.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.columns[0], "订单号");
    assert_eq!(
        (
            shape.mapping.order_id,
            shape.mapping.date,
            shape.mapping.customer_id,
            shape.mapping.amount
        ),
        (Some(0), Some(1), Some(2), Some(3))
    );
    let (dataset, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_kept, 6);
    let mut ids: Vec<&str> = dataset.customer_ids.iter().collect();
    ids.sort_unstable();
    assert_eq!(ids, ["张伟", "李娜", "王芳", "赵磊"]);
}

/// A Latin-1 file was read as GB18030 ("Jos� Mu駉z"). Bytes above 127 that stand alone between
/// ASCII are a single-byte code page: Windows-1252, the superset of Latin-1.
#[test]
fn a_latin1_file_is_read_as_windows_1252() {
    let bytes = fixture!("latin1.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Windows1252);
    assert_eq!(shape.rows[0][0], "José Muñoz");
    let (dataset, _) = run_with(bytes, &params_of(&shape)).unwrap();
    let mut ids: Vec<&str> = dataset.customer_ids.iter().collect();
    ids.sort_unstable();
    assert_eq!(ids, ["José Muñoz", "Jürgen Müller", "Renée Dubois"]);
    // A real GBK file stays GB18030.
    let (gbk, _, _) = encoding_rs::GB18030
        .encode("客户,日期,金额\n张三,2024-01-10,120.50\n李四,2024-02-20,200.00\n");
    assert_eq!(detect(&gbk).encoding, TextEncoding::Gb18030);
}

/// UTF-16 without a BOM was refused as "not a text table"; a UTF-8 file behind a UTF-16 BOM said
/// "no data rows". UTF-16 is found by its NUL bytes; a stray BOM is skipped.
#[test]
fn utf16_without_a_bom_and_a_stray_bom() {
    let text =
        "customer_id,date,amount\n客户1,2024-03-01,12.50\nC2,2024-03-02,8.00\nC3,2024-03-05,4.20\n";
    for (encoding, bytes) in [
        (
            TextEncoding::Utf16Le,
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
        ),
        (
            TextEncoding::Utf16Be,
            text.encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<u8>>(),
        ),
    ] {
        let shape = detect(&bytes);
        assert_eq!(shape.encoding, encoding);
        let (dataset, report) = run_with(&bytes, &params_of(&shape)).unwrap();
        assert_eq!(report.rows_kept, 3);
        assert_eq!(dataset.customer_ids.get(0), "客户1");
    }
    let mut stray = b"\xFF\xFE".to_vec();
    stray.extend_from_slice(text.as_bytes());
    let shape = detect(&stray);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.columns[0], "customer_id");
    let (_, report) = run_with(&stray, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_kept, 3);
}

/// Issue "Real-world exports": dates and numbers from real systems. English month names
/// (`5-Mar-2024`, `March 5, 2024`), Indian digit grouping (`1,23,456.00`) and full-width digits
/// (`１２３．５０`) were all bad values before.
#[test]
fn month_names_indian_grouping_and_full_width_digits() {
    use segscope::engine::ingest::{parse_amount, parse_date, DateParse};
    let day = |text: &str| match parse_date(text, DateOrder::Dmy) {
        DateParse::Day(d) => Some(d),
        _ => None,
    };
    let march_5 = day("2024-03-05");
    for text in [
        "5-Mar-2024",
        "05-Mar-24",
        "5 March 2024",
        "05/Mar/2024",
        "March 5, 2024",
        "Mar 5 2024",
        "mar 5th, 2024",
        "Sept 5, 2024",
        "5-Mar-2024 10:30",
        "March 5, 2024 10:30 AM",
        "２０２４－０３－０５",
    ] {
        let expected = if text.starts_with("Sept") {
            day("2024-09-05")
        } else {
            march_5
        };
        assert_eq!(day(text), expected, "{text}");
        // The day order does not matter with a month name.
        assert_eq!(
            parse_date(text, DateOrder::Mdy),
            parse_date(text, DateOrder::Dmy),
            "{text}"
        );
    }
    for text in [
        "Mar 2024",
        "5-Marx-2024",
        "Ma 5, 2024",
        "March",
        "5 May",
        "Mayday 5 2024",
    ] {
        assert_eq!(day(text), None, "{text}");
    }
    for (text, value) in [
        ("1,23,456.00", 123_456.0),
        ("12,34,567", 1_234_567.0),
        ("₹1,00,000", f64::NAN),
        ("1,00,000", 100_000.0),
        ("１２３．５０", 123.5),
        ("￥１，２３４", 1_234.0),
    ] {
        match parse_amount(text) {
            Some(v) => assert_eq!(v, value, "{text}"),
            None => assert!(value.is_nan(), "{text}"),
        }
    }
    // Groups that fit neither system stay bad values.
    for text in ["1,23,4", "1,2345,678", "12,34,56", "123,45,678"] {
        assert_eq!(parse_amount(text), None, "{text}");
    }

    // Through the importer, with the date order left to detection.
    let bytes = "customer_id,date,amount\nC1,5-Mar-2024,\"1,23,456.00\"\nC2,6-Mar-2024,１２３．５０\nC1,7-Apr-2024,10\n".as_bytes();
    let shape = detect(bytes);
    assert_eq!(shape.mapping.date, Some(1));
    let (dataset, report) = run_with(bytes, &params_of(&shape)).unwrap();
    assert_eq!(report.rows_kept, 3);
    assert_close(sum(&dataset), 123_456.0 + 123.5 + 10.0);
}

/// The page shows the encoding choice when detection had doubts (issue "Real-world exports"):
/// never for a byte-order mark or clean UTF-8, always for a legacy code page or broken UTF-8.
#[test]
fn encoding_doubts_are_flagged() {
    let doubtful = |bytes: &[u8]| detect(bytes).encoding_doubtful;
    assert!(!doubtful(fixture!("basic_utf8.csv")));
    assert!(!doubtful(fixture!("basic_utf8_bom.csv")));
    assert!(!doubtful(fixture!("basic_utf16le.csv")));
    assert!(doubtful(fixture!("gbk_chinese.csv")));
    assert!(doubtful(fixture!("latin1.csv")));
    assert!(doubtful(fixture!("utf8_one_bad_byte.csv")));
    // A forced encoding is the user's choice, not a doubt.
    let forced = preview(
        fixture!("latin1.csv"),
        &PreviewParams {
            encoding: Some(TextEncoding::Windows1252),
            ..PreviewParams::default()
        },
    )
    .unwrap();
    assert!(!forced.encoding_doubtful);
}

/// Exact duplicates compare fields, not how they were written: a quoted line (read by
/// `csv_core`, its fields packed) and a plain one (read in place) with the same fields are
/// duplicates; fields that only join to the same text (`a,b` / `"a,b"`) are not.
#[test]
fn quoted_and_plain_lines_with_the_same_fields_are_duplicates() {
    let bytes = b"customer_id,date,amount,note\n\
        C1,2024-03-05,10.00,x\n\
        \"C1\",\"2024-03-05\",\"10.00\",\"x\"\n\
        C1,2024-03-05,10.00,\"x,y\"\n\
        C1,2024-03-05,10.00,x,y\n\
        \"C1\",2024-03-05,10.00,\"x\"\n";
    let (data, report) = run(bytes).unwrap();
    assert_eq!(report.rows_kept, 5);
    assert_eq!(report.exact_duplicates, 2);
    assert_eq!(report.duplicate_examples, [(3, 2), (6, 2)]);
    assert_eq!(data.is_exact_duplicate, [false, true, false, false, true]);
}

/// The duplicate key hashes a record's text when the text names its fields, and its fields one
/// by one when a quoted field holds the delimiter: each way, equal fields are duplicates and
/// fields that only join alike, or differ in count, are not.
#[test]
fn duplicates_of_records_whose_fields_hold_the_delimiter_or_differ_in_count() {
    let bytes = b"customer_id,date,amount,note,more\n\
        C1,2024-03-05,10.00,\"x,y\",z\n\
        C1,2024-03-05,10.00,x,\"y,z\"\n\
        C1,2024-03-05,10.00,\"x,y\",z\n\
        C1,2024-03-05,10.00,x,y,z\n\
        C1,2024-03-05,10.00,x,y,z,\n\
        C1,2024-03-05,10.00,\"x\ny\",z\n\
        C1,2024-03-05,10.00,\"x\ny\",\"z\"\n\
        C1,2024-03-05,10.00,x,yz\n\
        C1,2024-03-05,10.00,xy,z\n";
    let (data, report) = run(bytes).unwrap();
    assert_eq!(report.rows_kept, 9);
    assert_eq!(report.exact_duplicates, 2);
    assert_eq!(
        data.is_exact_duplicate,
        [false, false, true, false, false, false, true, false, false]
    );
}

/// Customer ids that are numbers are interned in batches (the parse's customer lookups), the
/// others one at a time: mixed in one file, with dropped lines between, every kept line still
/// names its own id and ids are numbered in the order they are first seen among kept lines.
#[test]
fn numeric_and_text_customer_ids_mixed_keep_first_seen_order() {
    let mut state: u64 = 0x05ee_d1d5;
    let mut next = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    let mut csv = String::from("customer,date,amount\n");
    let mut kept_ids: Vec<String> = Vec::new();
    for _ in 0..5_000 {
        let id = match next(6) {
            // Small numbers (the flat array), large sparse ones (the hash table), look-alikes
            // with a leading zero or a sign, and text.
            0 | 1 => next(3_000).to_string(),
            2 => (100_000_000 + next(899_999_999)).to_string(),
            3 => format!("0{}", next(50)),
            4 => format!("+{}", next(50)),
            _ => format!("C{}", next(300)),
        };
        if next(10) == 0 {
            // Dropped (a bad date): takes no index.
            csv.push_str(&format!("{id},not a date,1.00\n"));
        } else {
            csv.push_str(&format!("{id},2024-03-0{},2.50\n", 1 + next(9)));
            kept_ids.push(id);
        }
    }
    let (data, _) = run(csv.as_bytes()).expect("ingests");
    let mut first_seen: Vec<String> = Vec::new();
    for id in &kept_ids {
        if !first_seen.contains(id) {
            first_seen.push(id.clone());
        }
    }
    assert_eq!(data.customer_ids.to_vec(), first_seen);
    let named: Vec<&str> = data
        .customer
        .iter()
        .map(|&c| data.customer_ids.value(c as usize).unwrap())
        .collect();
    assert_eq!(named, kept_ids);
}
