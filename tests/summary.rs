//! Per-customer summaries (issue 16): `summarize` against hand-computed values of the written
//! definitions (docs/summary.md), a summary read back against the transactions it came from (RFM,
//! segments, predictions, segmentation), lifetimes' CDNOW summary against the published fit, and
//! the bad rows and refusals a summary file can bring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use common::{ask, assert_rel, day};
use segscope::engine::cluster::{ClusterAnalysis, ClusterInput, ClusterSettings};
use segscope::engine::clv::{ClvAnalysis, ClvSettings, TimeUnit};
use segscope::engine::customers::CustomerQuery;
use segscope::engine::ingest::{ingest, preview, DropReason, IngestParams, PreviewParams};
use segscope::engine::rfm::{self, RfmParams};
use segscope::engine::session::{self as msg, Session, SessionError};
use segscope::engine::summary::{
    read_summary, summarize, SummaryError, SummaryLayout, SummaryParams, SummaryTable,
};
use segscope::engine::table_out::CsvSink;
use segscope::engine::{Dataset, EngineError};

/// Transactions text → dataset, with the guessed mapping (as the page proposes it).
fn transactions(csv: &str) -> Dataset {
    let shape = preview(csv.as_bytes(), &PreviewParams::default()).unwrap();
    let params = IngestParams::from_preview(&shape);
    ingest(csv.as_bytes(), csv.len() as u64, &params, &mut |_| {})
        .unwrap()
        .0
}

fn csv_of(table: &SummaryTable) -> String {
    let mut sink = CsvSink::new(table.rows.len());
    table.write(&mut sink);
    sink.finish()
}

/// A summary file's text → its detected layout (with `edit` applied) → dataset.
fn read(csv: &str, edit: impl FnOnce(&mut SummaryLayout)) -> Result<Dataset, SummaryError> {
    let shape = preview(csv.as_bytes(), &PreviewParams::default()).unwrap();
    let mut layout = shape.summary.expect("detected as a summary");
    edit(&mut layout);
    read_summary(csv.as_bytes(), &layout).map(|(d, _, _)| d)
}

/// Every edge of the definition, computed by hand (as-of 2024-01-31, order ids present, so the
/// RFM columns leave exact duplicates out and the purchase-model columns keep them):
/// - A: order 1 (10 + 5 on 01-01), order 2 (20 on 01-05, returned on 01-09 under the same id),
///   order 3 worth 0 on 01-10 (a free sample). Purchase days 01-01 (15), 01-05 (20), 01-10 (0);
///   01-09 nets −20. RFM: orders 1 and 3 are purchases (order 2 nets 0 with a return line).
/// - B: order 4 (30 on 01-02) twice, an exact duplicate; order 5 on 01-03 sold and returned the
///   same day. Day 01-02 is worth 60 with the duplicate, order 4 is worth 30 without.
/// - C: one line after the as-of date: not a row.
/// - D: two lines without order id on 01-04 (one order, keyed by the day), a return-only order
///   on 01-20.
#[test]
fn summarize_follows_the_written_definitions() {
    let csv = "customer_id,order_id,date,amount\n\
        A,1,2024-01-01,10\nA,1,2024-01-01,5\nA,2,2024-01-05,20\nA,2,2024-01-09,-20\n\
        A,3,2024-01-10,0\nB,4,2024-01-02,30\nB,5,2024-01-03,12\nB,5,2024-01-03,-12\n\
        B,4,2024-01-02,30\nC,6,2024-02-01,50\nD,,2024-01-04,8\nD,,2024-01-04,2\n\
        D,7,2024-01-20,-5\n";
    let dataset = transactions(csv);
    let params = SummaryParams {
        as_of_day: Some(day("2024-01-31")),
        ..SummaryParams::default()
    };
    let table = summarize(&dataset, &params).unwrap();
    assert!(table.duplicates_removed);
    assert_eq!(table.customers_after_as_of, 1);
    assert_eq!(table.customers_without_purchase, 0);
    assert_eq!(
        csv_of(&table),
        "customer_id,frequency,recency,T,monetary_value,orders,revenue,first_order,last_order\n\
         A,2,9,30,10,2,15,2024-01-01,2024-01-10\n\
         B,0,0,29,0,1,30,2024-01-02,2024-01-02\n\
         D,0,0,27,0,1,5,2024-01-04,2024-01-04\n"
    );
    // Weeks: recency and T divided by 7, the rest unchanged.
    let weeks = summarize(
        &dataset,
        &SummaryParams {
            time_unit: TimeUnit::Weeks,
            ..params
        },
    )
    .unwrap();
    assert_eq!(weeks.rows[0].recency, 9.0 / 7.0);
    assert_eq!(weeks.rows[0].age, 30.0 / 7.0);
    // Keeping duplicates in the RFM columns too: B's order 4 is worth 60.
    let kept = summarize(
        &dataset,
        &SummaryParams {
            remove_duplicates: Some(false),
            ..params
        },
    )
    .unwrap();
    assert_eq!(kept.rows[1].revenue, 60.0);
}

/// The demo file → summary → read back: every RFM figure, score and segment, every prediction
/// and the segmentation equal the transactions' (the summary keeps the customers' order of first
/// appearance, so k-means starts from the same rows).
#[test]
fn a_summary_read_back_scores_as_the_transactions_it_came_from() {
    let csv = include_str!("../public/demo/transactions.csv");
    let lines = transactions(csv);
    let table = summarize(&lines, &SummaryParams::default()).unwrap();
    let text = csv_of(&table);
    let summary = read(&text, |_| {}).unwrap();
    assert!(summary.is_summary() && !lines.is_summary());
    assert_eq!(summary.customer_ids, lines.customer_ids);

    // RFM with the defaults (as-of the day after the last purchase).
    let a = rfm::analyze(&lines, &RfmParams::default()).unwrap();
    let b = rfm::analyze(&summary, &RfmParams::default()).unwrap();
    assert_eq!(a.report.as_of_day, b.report.as_of_day);
    assert_eq!(a.report.kpis, b.report.kpis);
    assert_eq!(a.report.segments, b.report.segments);
    assert_eq!(a.report.pareto, b.report.pareto);
    let (ca, cb) = (&a.customers, &b.customers);
    assert_eq!(ca.customer, cb.customer);
    assert_eq!(ca.recency_days, cb.recency_days);
    assert_eq!(ca.frequency, cb.frequency);
    assert_eq!(ca.monetary, cb.monetary);
    assert_eq!(ca.first_day, cb.first_day);
    assert_eq!(ca.last_day, cb.last_day);
    assert_eq!(
        (&ca.r_score, &ca.f_score, &ca.m_score),
        (&cb.r_score, &cb.f_score, &cb.m_score)
    );
    assert_eq!(ca.segment, cb.segment);

    // Predictions with the defaults (calibration end: the last day of the data).
    let settings = ClvSettings::default();
    let pa = ClvAnalysis::run(&lines, &settings, &mut || 0.0).unwrap();
    let pb = ClvAnalysis::run(&summary, &settings, &mut || 0.0).unwrap();
    assert_eq!(pa.calibration_end_day, pb.calibration_end_day);
    assert_eq!(pa.summary, pb.summary);
    assert_eq!(pa.bg_nbd, pb.bg_nbd);
    assert_eq!(pa.gamma_gamma, pb.gamma_gamma);
    assert_eq!(pa.scores, pb.scores);

    // Segmentation with the defaults, fed the predictions.
    let cluster = |d: &Dataset, r: &rfm::Analysis, p: &ClvAnalysis| {
        let input = ClusterInput {
            dataset: d,
            rfm: r,
            clv: Some(p),
            attributes: None,
        };
        ClusterAnalysis::run(
            &input,
            &ClusterSettings::default(),
            &mut |_, _, _| {},
            &mut || 0.0,
        )
        .unwrap()
    };
    let (ka, kb) = (cluster(&lines, &a, &pa), cluster(&summary, &b, &pb));
    assert_eq!(ka.customers, kb.customers);
    assert_eq!(ka.labels, kb.labels);
}

/// lifetimes' CDNOW summary (frequency, recency and T in weeks, as its notebooks write them),
/// read as a summary file with the as-of date the papers use: the BG/NBD fit is Fader, Hardie and
/// Lee's (2005): r = 0.243, α = 4.414 weeks, a = 0.793, b = 2.426.
#[test]
fn lifetimes_cdnow_summary_fits_to_the_published_estimates() {
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/clv/golden.json")).unwrap();
    let rows = golden["cdnow"]["rows"].as_array().unwrap();
    // pandas writes the index first, with an empty header.
    let mut csv = String::from(",frequency,recency,T,monetary_value\n");
    for (i, row) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            i + 1,
            row["frequency"],
            row["recency"],
            row["T"],
            row["monetary"]
        ));
    }
    let shape = preview(csv.as_bytes(), &PreviewParams::default()).unwrap();
    let layout = shape.summary.clone().unwrap();
    assert_eq!(layout.time_unit, TimeUnit::Weeks);
    assert!(layout.time_unit_guessed);
    assert_eq!(layout.columns.customer_id, 0);
    // No first_order dates: the as-of date must be given.
    assert_eq!(
        read_summary(csv.as_bytes(), &layout).unwrap_err(),
        SummaryError::AsOfRequired
    );
    let summary = read(&csv, |l| l.as_of_day = Some(day("1997-09-30"))).unwrap();
    assert_eq!(summary.customer_count(), 2_357);
    let run = ClvAnalysis::run(
        &summary,
        &ClvSettings {
            time_unit: TimeUnit::Weeks,
            ..ClvSettings::default()
        },
        &mut || 0.0,
    )
    .unwrap();
    assert_eq!(run.calibration_end_day, day("1997-09-30"));
    let bg = run.bg_nbd.as_ref().unwrap();
    assert_rel(bg.r(), 0.243, 0.01, "r");
    assert_rel(bg.alpha(), 4.414, 0.01, "alpha");
    assert_rel(bg.a(), 0.793, 0.01, "a");
    assert_rel(bg.b(), 2.426, 0.01, "b");
}

/// Bad rows are left out with their line, column and value, never silently: a negative or
/// fractional frequency, a recency above T, a repeated id, an empty id, a bad date; the rest
/// are read.
#[test]
fn bad_summary_rows_are_left_out_and_said() {
    let csv = "customer_id,frequency,recency,T,monetary_value,first_order\n\
        a,1,10,20,5,2024-01-01\n\
        b,-1,0,20,5,2024-01-01\n\
        c,1.5,10,20,5,2024-01-01\n\
        d,2,30,20,5,2024-01-01\n\
        a,0,0,20,0,2024-01-01\n\
        ,0,0,20,0,2024-01-01\n\
        e,0,0,5,0,soon\n\
        f,0,0,21,0,2023-12-31\n";
    let shape = preview(csv.as_bytes(), &PreviewParams::default()).unwrap();
    let layout = shape.summary.unwrap();
    assert_eq!(layout.time_unit, TimeUnit::Days);
    let (dataset, quality, facts) = read_summary(csv.as_bytes(), &layout).unwrap();
    assert_eq!(dataset.customer_ids.to_vec(), ["a", "f"]);
    assert_eq!((quality.rows_read, quality.rows_kept), (8, 2));
    assert_eq!(facts.as_of_day, day("2024-01-21"));
    type Examples = (u64, Vec<(u64, String)>);
    let dropped: HashMap<(DropReason, &str), Examples> = quality
        .dropped
        .iter()
        .map(|d| ((d.reason, d.column.as_str()), (d.count, d.examples.clone())))
        .collect();
    let at = |reason, column| dropped.get(&(reason, column)).unwrap().clone();
    assert_eq!(
        at(DropReason::BadSummaryValue, "frequency"),
        (2, vec![(3, "-1".into()), (4, "1.5".into())])
    );
    assert_eq!(
        at(DropReason::BadSummaryValue, "recency"),
        (1, vec![(5, "30".into())])
    );
    assert_eq!(
        at(DropReason::RepeatedCustomerId, "customer_id"),
        (1, vec![(6, "a".into())])
    );
    assert_eq!(
        at(DropReason::MissingCustomerId, "customer_id"),
        (1, vec![(7, String::new())])
    );
    assert_eq!(
        at(DropReason::BadDate, "first_order"),
        (1, vec![(8, "soon".into())])
    );
    // No usable row at all: an error that names the first one.
    let none = "customer_id,frequency,recency,T,monetary_value\nx,-1,0,1,0\n";
    let err = read(none, |l| l.as_of_day = Some(day("2024-01-01"))).unwrap_err();
    assert_eq!(
        err,
        SummaryError::NoUsableRow {
            dropped: 1,
            line: 2,
            column: "frequency".into(),
            value: "-1".into()
        }
    );
}

/// Through the session, as the page does: the summary is analysed; the analyses that need lines
/// refuse it with a typed error naming the analysis.
#[test]
fn the_session_reads_a_summary_and_refuses_line_analyses() {
    let lines = transactions(include_str!("../public/demo/transactions.csv"));
    let text = csv_of(&summarize(&lines, &SummaryParams::default()).unwrap());
    let mut session = Session::new();
    let reply = ask(
        &mut session,
        msg::Request::File(msg::file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(text.as_bytes()),
    )
    .unwrap();
    let msg::Response::File(msg::file::Response::Preview { preview, .. }) = reply.response else {
        panic!("no preview")
    };
    let layout = preview.summary.clone().unwrap();
    let reply = ask(
        &mut session,
        msg::Request::File(msg::file::Request::Ingest {
            sheet: None,
            ingest: IngestParams::from_preview(&preview),
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
            summary: Some(layout),
        }),
        None,
    )
    .unwrap();
    let msg::Response::Overview(msg::overview::Response::Analyzed {
        quality: Some(quality),
        report,
        ..
    }) = reply.response
    else {
        panic!("not analysed")
    };
    assert_eq!(quality.summary.as_ref().unwrap().customers, 2_000);
    assert!(report.monthly.is_empty());
    let refused = ask(
        &mut session,
        msg::Request::Cohorts(msg::cohorts::Request::Run {
            params: Default::default(),
            group: 0,
        }),
        None,
    )
    .unwrap_err();
    assert_eq!(
        refused,
        SessionError::Engine(EngineError::Summary(SummaryError::NeedsTransactions {
            analysis: "cohorts".into()
        }))
    );
}
