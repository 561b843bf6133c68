//! Property tests of the ingest on random, hostile but legal files: every line is accounted for
//! (kept + dropped = read, and read = a quote-unaware count of the lines, stray quotes included),
//! and the same text in UTF-8, UTF-16 and GB18030 gives the same dataset and report.
//! `PROPTEST_CASES=5000 cargo test -p segscope-engine --test ingest_props` runs a longer search.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)] // helpers of tests

use proptest::prelude::*;
use segscope_engine::ingest::{
    ingest, ColumnMapping, DateOrder, IngestParams, QualityReport, TextEncoding,
};
use segscope_engine::Dataset;

/// One data line's cells: customer, date, amount, product. Every line has all four cells (so a
/// swallowed line always looks like a row), some of them broken.
fn line() -> impl Strategy<Value = String> {
    let customer = prop_oneof![
        4 => (0u32..30).prop_map(|i| format!("C{i}")),
        1 => prop_oneof![Just("张三".to_string()), Just("李四".to_string()), Just(String::new()), Just("=1+1".to_string())],
    ];
    let date = prop_oneof![
        6 => (2020i32..2025, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => prop_oneof![
            Just(String::new()),
            Just("2024-02-30".to_string()),
            Just("9999-12-31".to_string()),
            Just("0001-01-01".to_string()),
            Just("soon".to_string()),
        ],
    ];
    let amount = prop_oneof![
        6 => (-500i32..5000).prop_map(|c| format!("{}.{:02}", c / 100, (c % 100).abs())),
        1 => prop_oneof![Just(String::new()), Just("ten".to_string()), Just("1e307".to_string()), Just("¥1,234.50".to_string())],
    ];
    let product = prop_oneof![
        5 => (0u32..8).prop_map(|p| format!("P{p}")),
        1 => Just("\"stray".to_string()),
        1 => Just("P\"9".to_string()),
    ];
    (customer, date, amount, product).prop_map(|(c, d, a, p)| {
        // Amounts with a comma need quoting to stay one cell.
        let a = if a.contains(',') {
            format!("\"{a}\"")
        } else {
            a
        };
        format!("{c},{d},{a},{p}")
    })
}

fn file() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![20 => line(), 1 => Just(String::new())], 1..120).prop_map(
        |lines| {
            let mut text = String::from("customer_id,date,amount,product\n");
            for l in lines {
                text.push_str(&l);
                text.push('\n');
            }
            text
        },
    )
}

fn params(encoding: TextEncoding) -> IngestParams {
    IngestParams {
        encoding,
        delimiter: b',',
        has_header: true,
        date_order: DateOrder::Ymd,
        mapping: ColumnMapping {
            customer_id: Some(0),
            date: Some(1),
            amount: Some(2),
            product: Some(3),
            ..ColumnMapping::default()
        },
        keep_far_dates: false,
    }
}

fn run(bytes: &[u8], encoding: TextEncoding) -> Option<(Dataset, QualityReport)> {
    ingest(bytes, bytes.len() as u64, &params(encoding), &mut |_| {}).ok()
}

/// Non-blank data lines, counted without regard to quotes.
fn plain_lines(text: &str) -> u64 {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count() as u64
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_line_is_read_and_kept_or_dropped(text in file()) {
        // A file whose every line is unusable fails as a whole ("most rows bad"), in words.
        if let Some((dataset, report)) = run(text.as_bytes(), TextEncoding::Utf8) {
            let dropped: u64 = report.dropped.iter().map(|d| d.count).sum();
            prop_assert_eq!(report.rows_kept + dropped, report.rows_read);
            prop_assert_eq!(report.rows_read, plain_lines(&text), "repairs: {:?}", report.quote_repairs);
            prop_assert_eq!(dataset.len() as u64, report.rows_kept);
            prop_assert!(dataset.amount.iter().all(|a| a.is_finite() && a.abs() < 1e12));
        }
    }

    #[test]
    fn the_same_text_in_utf8_utf16_and_gb18030_gives_the_same_dataset(text in file()) {
        let utf8 = run(text.as_bytes(), TextEncoding::Utf8);
        let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
        prop_assert!(!unmappable);
        for (bytes, encoding) in [(utf16le(&text), TextEncoding::Utf16Le), (gb.into_owned(), TextEncoding::Gb18030)] {
            let other = run(&bytes, encoding);
            match (&utf8, &other) {
                (None, None) => {}
                (Some((d1, r1)), Some((d2, r2))) => {
                    prop_assert_eq!(&d1.customer_ids, &d2.customer_ids);
                    prop_assert_eq!(&d1.customer, &d2.customer);
                    prop_assert_eq!(&d1.day, &d2.day);
                    prop_assert_eq!(&d1.amount, &d2.amount);
                    prop_assert_eq!(&d1.product, &d2.product);
                    prop_assert_eq!((r1.rows_read, r1.rows_kept), (r2.rows_read, r2.rows_kept));
                    prop_assert_eq!(&r1.dropped, &r2.dropped);
                    prop_assert_eq!(&r1.quote_repairs, &r2.quote_repairs);
                }
                _ => prop_assert!(false, "{encoding:?} disagrees with UTF-8 on whether the file can be used"),
            }
        }
    }
}
