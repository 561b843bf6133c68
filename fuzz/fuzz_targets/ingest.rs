//! Any bytes as a transactions file: the preview never panics; when it suggests a mapping, the
//! ingest never panics and accounts for every line (kept + dropped = read) with finite amounts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segscope_engine::ingest::{ingest, preview, IngestParams, PreviewParams};

fuzz_target!(|data: &[u8]| {
    let Ok(shape) = preview(data, &PreviewParams::default()) else {
        return;
    };
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping,
        keep_far_dates: false,
    };
    if let Ok((dataset, report)) = ingest(data, data.len() as u64, &params, &mut |_| {}) {
        let dropped: u64 = report.dropped.iter().map(|d| d.count).sum();
        assert_eq!(report.rows_kept + dropped, report.rows_read);
        assert_eq!(dataset.len() as u64, report.rows_kept);
        assert!(dataset.amount.iter().all(|a| a.is_finite()));
    }
});
