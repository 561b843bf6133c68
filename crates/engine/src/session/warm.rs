//! A rehearsal of the page's first request on a small generated file, for the browser's worker
//! to run while it waits for the user's file.
//!
//! Why: V8 first runs a WebAssembly function as baseline code (Liftoff) and compiles the busy
//! ones again, optimised (TurboFan), in the background; a call that is already running keeps its
//! baseline code (there is no on-stack replacement for wasm). The RFM run on the user's file is
//! one long call, and the parse of each streamed chunk a short one, so on a cold worker both run
//! largely as baseline code. Rehearsing them on a small file first gets the optimised code
//! compiled while the user is still choosing a file. Measured (docs/benchmarks.md, issue 15's
//! sixth pass): in Node's V8, ingest + RFM of the 1M-row file 0.80–0.83 s cold, 0.62–0.63 s after
//! three rounds on a 1 MB file.
//!
//! The rehearsal uses a session of its own, so it never touches the user's.

use super::{file, Begun, BytesSource, Job, Reply, Session, SessionError};
use crate::customers::CustomerQuery;
use crate::ingest::{IngestParams, PreviewParams};
use crate::rfm::RfmParams;

/// Lines of the file the browser's worker rehearses on (≈ 0.9 MB).
pub const ROWS: usize = 20_000;
/// Bytes fed at a time in the rehearsal: small pieces, so that the functions a piece goes
/// through are entered many times (V8 counts calls and loop turns toward recompiling them).
pub const PIECE_BYTES: usize = 64 << 10;
/// Rounds of the rehearsal.
pub const ROUNDS: usize = 4;

/// Regions and channels of the generated file.
const REGIONS: [&str; 4] = ["North", "South", "East", "West"];
const CHANNELS: [&str; 3] = ["web", "store", "app"];

/// A generated transactions file of `rows` lines after the header (the demo's columns:
/// `customer_id,order_id,date,amount,product,region,channel`), the same bytes on every call.
/// Its customers buy one to a few lines per order on dates across two years.
pub fn rehearsal_file(rows: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(48 * rows + 64);
    text.push_str("customer_id,order_id,date,amount,product,region,channel\n");
    // A linear congruential generator (Knuth's MMIX constants): test data, not statistics.
    let mut state: u64 = 0x5e95_c09e;
    let mut next = |below: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    let customers = (rows / 8).max(1) as u64;
    let mut order = 0u64;
    let mut written = 0;
    while written < rows {
        order += 1;
        let customer = 1000 + next(customers);
        let day = next(730);
        let (year, day_of_year) = (2023 + day / 365, day % 365);
        let (month, day_of_month) = (1 + day_of_year / 31 % 12, 1 + day_of_year % 28);
        let region = REGIONS[(customer % 4) as usize];
        let channel = CHANNELS[next(3) as usize];
        for _ in 0..(1 + next(3)).min((rows - written) as u64) {
            let cents = 100 + next(20_000);
            let product = next(400);
            // Writing to a String cannot fail.
            let _ = writeln!(
                text,
                "{customer},{order},{year}-{month:02}-{day_of_month:02},{}.{:02},P{product:04},{region},{channel}",
                cents / 100,
                cents % 100
            );
            written += 1;
        }
    }
    text.into_bytes()
}

/// Opens `file` in a session of its own and sends it the page's first request, an `Ingest` with
/// the preview's detections and the default RFM settings, read as the worker reads a UTF-8 CSV:
/// fed in pieces of `piece` bytes. Returns the answer (the worker encodes it, as it would
/// encode a real one, and drops it).
pub fn rehearse(file: &[u8], piece: usize, job: &mut Job<'_>) -> Result<Reply, SessionError> {
    let mut session = Session::new();
    let mut read = match begin_ingest(&mut session, file, job)? {
        Begun::Answered(answer) => return answer,
        Begun::Fed(read) => read,
    };
    for bytes in file.chunks(piece.max(1)) {
        read.feed(bytes.to_vec(), job)?;
    }
    session.end_fed(read, job)
}

/// Opens `file` in `session` and begins the `Ingest` of [`rehearse`] (the preview's detections,
/// the default RFM settings).
fn begin_ingest(
    session: &mut Session,
    file: &[u8],
    job: &mut Job<'_>,
) -> Result<Begun, SessionError> {
    let open = super::Request::File(file::Request::Open {
        params: PreviewParams::default(),
    });
    let attachment = Box::new(BytesSource(file.to_vec()));
    let reply = session.handle(1, open, Some(attachment), job)?;
    let super::Response::File(file::Response::Preview { preview, .. }) = reply.response else {
        return Err(SessionError::Read {
            message: "the rehearsal file has no preview".to_string(),
        });
    };
    let ingest = super::Request::File(file::Request::Ingest {
        sheet: None,
        ingest: IngestParams::from_preview(&preview),
        rfm: RfmParams::default(),
        query: CustomerQuery::default(),
        summary: None,
    });
    Ok(session.begin(1, ingest, None, job))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::ingest::{ingest, preview};
    use crate::session::{overview, Response};

    fn quiet_job<T>(f: impl FnOnce(&mut Job<'_>) -> T) -> T {
        let mut progress = |_: super::super::Stage, _: u64, _: u64| {};
        let mut now_ms = || 0.0;
        let cancelled = || false;
        f(&mut Job {
            progress: &mut progress,
            now_ms: &mut now_ms,
            cancelled: &cancelled,
        })
    }

    #[test]
    fn the_rehearsal_file_is_read_whole_with_every_column_mapped() {
        let file = rehearsal_file(5000);
        assert_eq!(file, rehearsal_file(5000), "the same bytes each time");
        let text = std::str::from_utf8(&file).unwrap();
        assert_eq!(text.lines().count(), 5001);
        let preview = preview(&file, &PreviewParams::default()).unwrap();
        let params = IngestParams::from_preview(&preview);
        for role in [
            crate::ingest::ColumnRole::CustomerId,
            crate::ingest::ColumnRole::Date,
            crate::ingest::ColumnRole::Amount,
            crate::ingest::ColumnRole::OrderId,
            crate::ingest::ColumnRole::Product,
            crate::ingest::ColumnRole::Region,
            crate::ingest::ColumnRole::Channel,
        ] {
            assert!(params.mapping.get(role).is_some(), "{role:?} not mapped");
        }
        let (dataset, report) = ingest(&file[..], file.len() as u64, &params, &mut |_| {}).unwrap();
        assert_eq!(report.rows_read, 5000);
        assert_eq!(report.rows_kept, 5000, "{:?}", report.dropped);
        assert!(
            dataset.customer_ids.len() > 400,
            "{}",
            dataset.customer_ids.len()
        );
    }

    /// The rehearsal goes the fed way the worker reads a user's CSV, not the pulled one.
    #[test]
    fn the_rehearsal_file_is_read_the_fed_way() {
        let file = rehearsal_file(1000);
        let begun = quiet_job(|job| begin_ingest(&mut Session::new(), &file, job)).unwrap();
        assert!(matches!(begun, Begun::Fed(_)));
    }

    #[test]
    fn the_rehearsal_answers_an_ingest_in_pieces() {
        let file = rehearsal_file(3000);
        let reply = quiet_job(|job| rehearse(&file, 4096, job)).unwrap();
        let Response::Overview(overview::Response::Analyzed {
            quality, report, ..
        }) = reply.response
        else {
            panic!("not an analysis: {:?}", reply.response);
        };
        assert_eq!(quality.unwrap().rows_kept, 3000);
        assert!(report.kpis.customers > 300, "{}", report.kpis.customers);
    }
}
