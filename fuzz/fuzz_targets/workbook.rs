//! Any bytes as a workbook (.xlsx, .xls, .ods): reading its largest sheet as CSV never panics,
//! and whatever it yields previews without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segscope_engine::ingest::{preview, sheet_as_csv, PreviewParams};

fuzz_target!(|data: &[u8]| {
    if let Ok((csv, book)) = sheet_as_csv(data, None) {
        assert!(book.sheets.contains(&book.sheet));
        let _ = preview(&csv, &PreviewParams::default());
    }
});
