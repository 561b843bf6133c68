//! The RFM run and the customer table on a generated dataset of 1M lines and 100k customers,
//! without and with order ids.
//!
//! `cargo bench -p segscope-engine --bench rfm`
//!
//! The data is made in memory (the same generator as the RFM unit tests), so this runs anywhere.

// Bench helpers unwrap: the data is ours and a failure should stop the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use divan::Bencher;
use segscope_engine::calendar::parse_iso_day;
use segscope_engine::customers::{export_csv, query, CustomerQuery, SortKey};
use segscope_engine::rfm::{analyze, Analysis, RfmParams};
use segscope_engine::Dataset;

fn main() {
    divan::main();
}

/// `lines` lines over `customers` customers, dates over two years, customers interleaved (as in
/// a file sorted by date), some returns and duplicates. A copy of `rfm::fixtures::synthetic`
/// (crate-private), so the figures compare with the ones recorded before the benches moved here.
fn synthetic(lines: usize, customers: u32, order_ids: bool) -> Dataset {
    let mut ds = Dataset {
        customer_ids: (0..customers).map(|c| format!("C{c:07}")).collect(),
        ..Dataset::default()
    };
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let start = parse_iso_day("2023-01-01").unwrap();
    for i in 0..lines {
        let r = next();
        // Skewed customer choice: low ids buy more often.
        let c = ((r % u64::from(customers)) * ((r >> 32) % 1000) / 1000) as u32;
        let d = start + (i * 730 / lines) as i32;
        let amount = if r % 50 == 0 {
            -10.0
        } else {
            5.0 + ((r >> 20) % 20_000) as f64 / 100.0
        };
        ds.customer.push(c);
        ds.day.push(d);
        ds.amount.push(amount);
        if order_ids {
            ds.order_hash
                .push(u64::from(c) << 20 | (d as u64 & 0xFFFFF));
        }
        ds.is_exact_duplicate.push(r % 97 == 0);
    }
    ds
}

/// 1M lines, 100k customers: `[without order ids, with order ids]`, each with its RFM run.
static DATA: LazyLock<[(Dataset, Analysis); 2]> = LazyLock::new(|| {
    [false, true].map(|order_ids| {
        let ds = synthetic(1_000_000, 100_000, order_ids);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        (ds, a)
    })
});

fn data(order_ids: bool) -> &'static (Dataset, Analysis) {
    &DATA[usize::from(order_ids)]
}

/// `rfm::analyze` (was the ignored test `timing_1m_lines_100k_customers`).
#[divan::bench(args = [false, true], sample_count = 9, sample_size = 1)]
fn analyze_1m_lines(bencher: Bencher, order_ids: bool) {
    let (ds, _) = data(order_ids);
    bencher.bench_local(|| analyze(ds, &RfmParams::default()).unwrap());
}

/// The customer table (was the ignored test `timing_query_1m_lines_100k_customers`).
#[divan::bench_group(sample_count = 9, sample_size = 1)]
mod customers {
    use super::*;

    /// The first page of 50 rows in the default order.
    #[divan::bench(args = [false, true])]
    fn first_page(bencher: Bencher, order_ids: bool) {
        let (ds, a) = data(order_ids);
        let q = CustomerQuery::default();
        bencher.bench_local(|| query(ds, a, &[], &q));
    }

    /// Every row, by frequency.
    #[divan::bench(args = [false, true])]
    fn all_rows_by_frequency(bencher: Bencher, order_ids: bool) {
        let (ds, a) = data(order_ids);
        let q = CustomerQuery {
            sort: SortKey::Frequency,
            limit: usize::MAX,
            ..CustomerQuery::default()
        };
        bencher.bench_local(|| query(ds, a, &[], &q));
    }

    /// The CSV export of every row, by frequency.
    #[divan::bench(args = [false, true])]
    fn export_by_frequency(bencher: Bencher, order_ids: bool) {
        let (ds, a) = data(order_ids);
        let q = CustomerQuery {
            sort: SortKey::Frequency,
            ..CustomerQuery::default()
        };
        bencher.bench_local(|| export_csv(ds, a, &[], &q));
    }
}
