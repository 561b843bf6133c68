//! Helpers shared by the CLV test files.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod random;

use chrono::NaiveDate;
use segscope::engine::{Dataset, Day};

/// Days since 1970-01-01 of an ISO date.
pub fn day(text: &str) -> Day {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    Day::try_from((date - epoch).num_days()).unwrap()
}

/// A dataset from `customer_id,date,amount` CSV text (ISO dates), customers numbered in order of
/// first appearance.
pub fn dataset_from_csv(text: &str) -> Dataset {
    let mut d = Dataset::default();
    let mut index = std::collections::HashMap::new();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        let id = record[0].to_string();
        let next = index.len() as u32;
        let customer = *index.entry(id.clone()).or_insert_with(|| {
            d.customer_ids.push(&id);
            next
        });
        d.customer.push(customer);
        d.day.push(day(&record[1]));
        d.amount.push(record[2].parse().unwrap());
    }
    d
}

/// Asserts `actual` is within `rel` relative of `expected`.
#[track_caller]
pub fn assert_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    let err = (actual - expected).abs() / expected.abs().max(1e-12);
    assert!(
        err <= rel,
        "{what}: {actual} vs reference {expected} (rel {err:.2e} > {rel:.0e})"
    );
}

/// The demo file's predictions with the default settings, as a list of numbers compared across
/// platforms ("Native = wasm"): the fitted parameters of the three models and sums of the
/// per-customer scores. `tests/clv_analysis.rs` pins them natively, `tests/web.rs` in wasm.
pub fn demo_prediction_fingerprint() -> Vec<f64> {
    use segscope::engine::clv::{ClvAnalysis, ClvSettings};
    use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};
    let csv = include_bytes!("../../public/demo/transactions.csv");
    let shape = preview(csv, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping,
        keep_far_dates: false,
    };
    let (dataset, _) = ingest(&csv[..], csv.len() as u64, &params, &mut |_| {}).unwrap();
    let run = ClvAnalysis::run(&dataset, &ClvSettings::default(), &mut || 0.0).unwrap();
    let bg = run.bg_nbd.as_ref().unwrap();
    let pareto = run.pareto_nbd.as_ref().unwrap();
    let gg = run.gamma_gamma.as_ref().unwrap();
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    vec![
        bg.r(),
        bg.alpha(),
        bg.a(),
        bg.b(),
        pareto.r(),
        pareto.alpha(),
        pareto.s(),
        pareto.beta(),
        gg.p(),
        gg.q(),
        gg.v(),
        sum(&run.scores.probability_alive),
        sum(&run.scores.expected_purchases_90_days),
        sum(run.scores.clv.as_deref().unwrap()),
        sum(&run.scores.purchase_chance_horizon),
        // Pareto/NBD's chance comes from a quadrature: the same bits in wasm too.
        (0..run.summary.len())
            .map(|i| {
                let s = &run.summary;
                pareto
                    .probability_purchase_within(180.0, s.frequency[i], s.recency[i], s.age[i])
                    .unwrap()
            })
            .sum::<f64>(),
    ]
}

/// The native values of [`demo_prediction_fingerprint`], recorded from a native run.
pub const DEMO_PREDICTION_FINGERPRINT: [f64; 16] = [
    0.4232011080799972,
    25.347892801589577,
    0.8883329340192381,
    3.0928381484842693,
    0.8247834992081031,
    59.76504100652344,
    0.8900979383754343,
    200.46132652437404,
    6.177026334611506,
    4.082826455298374,
    30.802727453245996,
    1274.346557241446,
    802.7197863842534,
    153236.80848120307,
    544.6367229365788,
    507.66791559736055,
];

/// Asserts [`demo_prediction_fingerprint`] equals [`DEMO_PREDICTION_FINGERPRINT`] to 1e-9.
pub fn assert_demo_predictions_pinned() {
    let got = demo_prediction_fingerprint();
    assert_eq!(got.len(), DEMO_PREDICTION_FINGERPRINT.len());
    for (i, (g, pinned)) in got.iter().zip(DEMO_PREDICTION_FINGERPRINT).enumerate() {
        assert!(
            (g - pinned).abs() <= 1e-9 * pinned.abs().max(1.0),
            "value {i}: {g} vs the native {pinned}"
        );
    }
}

/// Asks `session` (file generation 0) with an optional attached file, as the worker does.
pub fn ask(
    session: &mut segscope::engine::session::Session,
    request: segscope::engine::session::Request,
    file: Option<&[u8]>,
) -> Result<segscope::engine::session::Reply, segscope::engine::session::SessionError> {
    use segscope::engine::session::{BytesSource, Job, Source};
    let mut progress = |_, _, _| {};
    let mut now_ms = || 0.0;
    let mut job = Job {
        progress: &mut progress,
        now_ms: &mut now_ms,
        cancelled: &|| false,
    };
    let file = file.map(|b| Box::new(BytesSource(b.to_vec())) as Box<dyn Source>);
    session.handle(0, request, file, &mut job)
}

/// A session holding `csv` ingested with the guessed mapping and analysed with the defaults (as
/// a user who confirms the mapping the page proposes).
pub fn session_with(csv: &[u8]) -> segscope::engine::session::Session {
    use segscope::engine::customers::CustomerQuery;
    use segscope::engine::ingest::{IngestParams, PreviewParams};
    use segscope::engine::rfm::RfmParams;
    use segscope::engine::session::{self as msg, Session};
    let mut session = Session::new();
    let reply = ask(
        &mut session,
        msg::Request::File(msg::file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(csv),
    )
    .unwrap();
    let msg::Response::File(msg::file::Response::Preview { preview, .. }) = reply.response else {
        panic!("no preview")
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
    )
    .unwrap();
    session
}
