//! The session natively: every request, the invalidation matrix, cancel, a restarted worker
//! (a fresh session given the file again), and stale generations.

#![allow(clippy::unwrap_used)] // helpers of tests

use std::cell::Cell;

use super::*;
use crate::{
    cluster::{ClusterSettings, KChoice},
    clv::{ClvSettings, TimeUnit},
    ingest::IngestParams,
    rfm::RfmParams,
};

const DEMO: &[u8] = include_bytes!("../../../../public/demo/transactions.csv");
const DEMO_ATTRIBUTES: &[u8] = include_bytes!("../../../../public/demo/customers.csv");

/// Runs requests with a recording progress sink, a fake clock and a cancel flag.
struct Harness {
    session: Session,
    stages: Vec<Stage>,
    cancel: Cell<bool>,
}

impl Harness {
    fn new() -> Self {
        Self {
            session: Session::new(),
            stages: Vec::new(),
            cancel: Cell::new(false),
        }
    }

    /// Runs `f` on the session with a job that records the stages, a fake clock and the
    /// harness's cancel flag (which `f` may set).
    fn with_job<T>(&mut self, f: impl FnOnce(&mut Session, &mut Job<'_>, &Cell<bool>) -> T) -> T {
        let stages = &mut self.stages;
        let mut progress = |stage: Stage, _done: u64, _total: u64| {
            if stages.last() != Some(&stage) {
                stages.push(stage);
            }
        };
        let mut clock = 0.0;
        let mut now_ms = || {
            clock += 1.0;
            clock
        };
        let cancel = &self.cancel;
        let cancelled = || cancel.get();
        let mut job = Job {
            progress: &mut progress,
            now_ms: &mut now_ms,
            cancelled: &cancelled,
        };
        f(&mut self.session, &mut job, cancel)
    }

    fn ask(
        &mut self,
        generation: u64,
        request: Request,
        attachment: Option<&[u8]>,
    ) -> Result<Reply, SessionError> {
        let attachment = attachment.map(|b| Box::new(BytesSource(b.to_vec())) as Box<dyn Source>);
        self.with_job(|session, job, _| session.handle(generation, request, attachment, job))
    }

    /// Opens `file` (generation `generation`) and returns its preview.
    fn open(&mut self, generation: u64, file: &[u8]) -> ingest::Preview {
        let open = Request::File(file::Request::Open {
            params: PreviewParams::default(),
        });
        let Response::File(file::Response::Preview { preview, .. }) =
            self.ask(generation, open, Some(file)).unwrap().response
        else {
            panic!("no preview");
        };
        preview
    }

    /// Opens the demo and confirms the suggested mapping.
    fn load_demo(&mut self, generation: u64) -> Reply {
        let preview = self.open(generation, DEMO);
        self.ask(generation, ingest_request(&preview), None)
            .unwrap()
    }
}

fn ingest_request(preview: &ingest::Preview) -> Request {
    Request::File(file::Request::Ingest {
        sheet: None,
        ingest: IngestParams::from_preview(preview),
        rfm: RfmParams::default(),
        query: CustomerQuery::default(),
        summary: None,
    })
}

fn quick_clusters() -> ClusterSettings {
    ClusterSettings {
        k: KChoice::Fixed(3),
        sweep: false,
        restarts: 2,
        bootstrap_resamples: 0,
        ..ClusterSettings::default()
    }
}

/// Analyses the file again with the default settings (generation 1).
fn reanalyze(h: &mut Harness) {
    h.ask(
        1,
        Request::Overview(overview::Request::Analyze {
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
        }),
        None,
    )
    .unwrap();
}

fn predict() -> Request {
    Request::Predictions(predictions::Request::Predict {
        settings: ClvSettings::default(),
        query: CustomerQuery::default(),
    })
}

fn cluster() -> Request {
    Request::Segments(segments::Request::Cluster {
        settings: quick_clusters(),
        query: CustomerQuery::default(),
    })
}

/// What the session holds, as (dataset, analysis, predictions, segmentation).
fn held(s: &Session) -> (bool, bool, bool, bool) {
    (
        s.dataset().is_some(),
        s.analysis().is_some(),
        s.predictions().is_some(),
        s.segmentation().is_some(),
    )
}

#[test]
fn every_request_answers_with_its_reply() {
    let mut h = Harness::new();
    let Reply {
        response:
            Response::Overview(overview::Response::Analyzed {
                quality: Some(quality),
                report,
                page,
                ..
            }),
        download: None,
    } = h.load_demo(1)
    else {
        panic!("no analysis");
    };
    assert_eq!(quality.rows_read, 15_651);
    assert_eq!(report.kpis.customers, page.matching);
    assert_eq!(h.stages, [Stage::Reading, Stage::Scoring]);

    let r = h.ask(
        1,
        Request::File(file::Request::Repreview {
            params: PreviewParams::default(),
        }),
        None,
    );
    assert!(matches!(
        r.unwrap().response,
        Response::File(file::Response::Preview { .. })
    ));

    let r = h.ask(
        1,
        Request::Overview(overview::Request::Analyze {
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
        }),
        None,
    );
    assert!(matches!(
        r.unwrap().response,
        Response::Overview(overview::Response::Analyzed { quality: None, .. })
    ));

    let query = CustomerQuery {
        limit: 5,
        ..CustomerQuery::default()
    };
    let Response::Customers(customers::Response::Page { page }) = h
        .ask(
            1,
            Request::Customers(customers::Request::Page { query }),
            None,
        )
        .unwrap()
        .response
    else {
        panic!("no page");
    };
    assert_eq!(page.rows.len(), 5);
    let customers = page.matching as usize;

    let export = h
        .ask(
            1,
            Request::Customers(customers::Request::Export {
                query: CustomerQuery::default(),
                format: ExportFormat::Csv,
            }),
            None,
        )
        .unwrap();
    assert_eq!(
        export.response,
        Response::Exported {
            rows: customers as u64
        }
    );
    let download = export.download.unwrap();
    assert_eq!(
        (download.prefix, download.mime),
        (csv_out::BOM, "text/csv;charset=utf-8")
    );
    // Header plus one line per customer.
    assert_eq!(download.text().lines().count(), customers + 1);

    let r = h.ask(1, predict(), None).unwrap();
    assert!(matches!(
        r.response,
        Response::Predictions(predictions::Response::Predicted { .. })
    ));
    let r = h
        .ask(
            1,
            Request::Predictions(predictions::Request::Validate {
                calibration_end_day: h
                    .session
                    .dataset()
                    .unwrap()
                    .day
                    .iter()
                    .max()
                    .copied()
                    .unwrap()
                    - 90,
                holdout_end_day: None,
                time_unit: TimeUnit::Weeks,
            }),
            None,
        )
        .unwrap();
    assert!(matches!(
        r.response,
        Response::Predictions(predictions::Response::Validated { .. })
    ));
    let scores = h
        .ask(
            1,
            Request::Predictions(predictions::Request::ExportScores {
                format: ExportFormat::Csv,
            }),
            None,
        )
        .unwrap();
    assert!(matches!(scores.response, Response::Exported { rows } if rows as usize == customers));
    assert!(scores.download.unwrap().text().starts_with("customer_id,"));

    let r = h
        .ask(
            1,
            Request::Segments(segments::Request::OpenAttributes { id_column: None }),
            Some(DEMO_ATTRIBUTES),
        )
        .unwrap();
    let Response::Segments(segments::Response::AttributesLoaded { attributes }) = r.response else {
        panic!("no attributes")
    };
    assert_eq!(attributes.id_column, "customer_id");
    // The kept file is joined again on another column without being sent again.
    let r = h.ask(
        1,
        Request::Segments(segments::Request::OpenAttributes {
            id_column: Some("customer_id".into()),
        }),
        None,
    );
    assert!(matches!(
        r.unwrap().response,
        Response::Segments(segments::Response::AttributesLoaded { .. })
    ));

    let Response::Segments(segments::Response::Clustered { report, names, .. }) =
        h.ask(1, cluster(), None).unwrap().response
    else {
        panic!("no segments");
    };
    assert_eq!((report.k, names.len()), (3, 0));
    let saved = h
        .ask(
            1,
            Request::Segments(segments::Request::SaveSegmentation {
                names: vec!["A".into(), String::new(), "C".into()],
            }),
            None,
        )
        .unwrap();
    assert_eq!(saved.response, Response::Exported { rows: 3 });
    let model = saved.download.unwrap();
    assert_eq!((model.prefix, model.mime), ("", "application/json"));
    let Response::Segments(segments::Response::Clustered { names, .. }) = h
        .ask(
            1,
            Request::Segments(segments::Request::ApplySegmentation {
                query: CustomerQuery::default(),
            }),
            Some(&model.bytes),
        )
        .unwrap()
        .response
    else {
        panic!("not applied");
    };
    assert_eq!(names, ["A", "", "C"]);

    let Response::Customers(customers::Response::Tagged { tag_counts, page }) = h
        .ask(
            1,
            Request::Customers(customers::Request::Tags {
                query: CustomerQuery::default(),
            }),
            None,
        )
        .unwrap()
        .response
    else {
        panic!("no tags");
    };
    assert!(!tag_counts.kinds.is_empty());
    assert!(page.rows.iter().all(|r| r.tags.is_some()));

    let id = page.rows[0].customer_id.clone();
    let Response::Customers(customers::Response::Profile {
        profile,
        suggestions,
    }) = h
        .ask(
            1,
            Request::Customers(customers::Request::Profile {
                customer_id: id.clone(),
            }),
            None,
        )
        .unwrap()
        .response
    else {
        panic!("no profile");
    };
    assert_eq!(profile.unwrap().row.customer_id, id);
    assert!(suggestions.is_empty());
    let Response::Customers(customers::Response::Profile { profile: None, .. }) = h
        .ask(
            1,
            Request::Customers(customers::Request::Profile {
                customer_id: "nobody".into(),
            }),
            None,
        )
        .unwrap()
        .response
    else {
        panic!("found nobody");
    };

    let r = h
        .ask(
            1,
            Request::Segments(segments::Request::ClearAttributes),
            None,
        )
        .unwrap();
    assert_eq!(
        r.response,
        Response::Segments(segments::Response::AttributesCleared)
    );
    // Without a file the attributes cannot be joined again.
    let r = h.ask(
        1,
        Request::Segments(segments::Request::OpenAttributes { id_column: None }),
        None,
    );
    assert!(matches!(r, Err(SessionError::NothingLoaded { .. })));
}

#[test]
fn invalidation_matrix() {
    let mut h = Harness::new();
    h.load_demo(1);
    h.ask(1, predict(), None).unwrap();
    h.ask(1, cluster(), None).unwrap();
    h.ask(
        1,
        Request::Customers(customers::Request::Tags {
            query: CustomerQuery::default(),
        }),
        None,
    )
    .unwrap();
    assert_eq!(held(&h.session), (true, true, true, true));
    assert!(h.session.tags().is_some());

    // Attributes change nothing derived.
    h.ask(
        1,
        Request::Segments(segments::Request::OpenAttributes { id_column: None }),
        Some(DEMO_ATTRIBUTES),
    )
    .unwrap();
    h.ask(
        1,
        Request::Segments(segments::Request::ClearAttributes),
        None,
    )
    .unwrap();
    assert_eq!(held(&h.session), (true, true, true, true));
    assert!(h.session.tags().is_some());

    // A table page reuses the tags; a new segmentation drops them (and only them).
    h.ask(1, cluster(), None).unwrap();
    assert_eq!(held(&h.session), (true, true, true, true));
    assert!(h.session.tags().is_none());

    // New predictions keep the segmentation, drop the tags.
    h.ask(
        1,
        Request::Customers(customers::Request::Tags {
            query: CustomerQuery::default(),
        }),
        None,
    )
    .unwrap();
    h.ask(1, predict(), None).unwrap();
    assert_eq!(held(&h.session), (true, true, true, true));
    assert!(h.session.tags().is_none());

    // A re-analysis (other RFM parameters) keeps the predictions, drops the segmentation.
    reanalyze(&mut h);
    assert_eq!(held(&h.session), (true, true, true, false));

    // A new ingest (e.g. the duplicates switch) drops every result.
    h.ask(1, cluster(), None).unwrap();
    let Response::File(file::Response::Preview { preview, .. }) = h
        .ask(
            1,
            Request::File(file::Request::Repreview {
                params: PreviewParams::default(),
            }),
            None,
        )
        .unwrap()
        .response
    else {
        panic!()
    };
    h.ask(1, ingest_request(&preview), None).unwrap();
    assert_eq!(held(&h.session), (true, true, false, false));

    // A new file drops everything, attributes included.
    h.ask(
        1,
        Request::Segments(segments::Request::OpenAttributes { id_column: None }),
        Some(DEMO_ATTRIBUTES),
    )
    .unwrap();
    h.ask(
        2,
        Request::File(file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(DEMO),
    )
    .unwrap();
    assert_eq!(held(&h.session), (false, false, false, false));
    assert!(matches!(
        h.ask(
            2,
            Request::Segments(segments::Request::OpenAttributes { id_column: None }),
            None
        ),
        Err(SessionError::NothingLoaded { .. })
    ));
}

#[test]
fn a_failed_request_keeps_what_the_session_held() {
    let mut h = Harness::new();
    h.load_demo(1);
    h.ask(1, predict(), None).unwrap();
    let bad = RfmParams {
        as_of_day: Some(-1_000_000),
        ..RfmParams::default()
    };
    let r = h.ask(
        1,
        Request::Overview(overview::Request::Analyze {
            rfm: bad,
            query: CustomerQuery::default(),
        }),
        None,
    );
    assert!(matches!(r, Err(SessionError::Engine(_))), "{r:?}");
    assert_eq!(held(&h.session), (true, true, true, false));
    let r = h.ask(
        1,
        Request::Segments(segments::Request::ApplySegmentation {
            query: CustomerQuery::default(),
        }),
        Some(b"{not json"),
    );
    assert!(
        matches!(r, Err(SessionError::Engine(EngineError::Cluster(_)))),
        "{r:?}"
    );
    assert_eq!(held(&h.session), (true, true, true, false));
}

#[test]
fn cancel_stops_between_stages_and_keeps_the_dataset() {
    let mut h = Harness::new();
    h.load_demo(1);
    h.cancel.set(true);
    for request in [
        predict(),
        cluster(),
        Request::Customers(customers::Request::Export {
            query: CustomerQuery::default(),
            format: ExportFormat::Xlsx,
        }),
        Request::Overview(overview::Request::Analyze {
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
        }),
    ] {
        assert_eq!(h.ask(1, request, None), Err(SessionError::Cancelled));
    }
    assert_eq!(held(&h.session), (true, true, false, false));
    h.cancel.set(false);
    assert!(h.ask(1, predict(), None).is_ok());
}

#[test]
fn a_restarted_worker_is_given_the_file_again() {
    let mut h = Harness::new();
    let preview = h.open(3, DEMO);
    // Cancel terminates the worker: the page talks to a fresh session.
    h.session = Session::new();
    for request in [
        Request::Customers(customers::Request::Page {
            query: CustomerQuery::default(),
        }),
        predict(),
        Request::File(file::Request::Repreview {
            params: PreviewParams::default(),
        }),
    ] {
        assert!(matches!(
            h.ask(3, request, None),
            Err(SessionError::NothingLoaded { .. })
        ));
    }
    // The page re-sends the file with the ingest, then asks again.
    let r = h.ask(3, ingest_request(&preview), Some(DEMO)).unwrap();
    assert!(matches!(
        r.response,
        Response::Overview(overview::Response::Analyzed { .. })
    ));
    assert_eq!(h.session.generation(), 3);
    assert!(h.ask(3, predict(), None).is_ok());
}

#[test]
fn requests_for_an_older_file_are_refused_and_a_newer_file_resets() {
    let mut h = Harness::new();
    h.load_demo(1);
    h.ask(1, predict(), None).unwrap();
    // The user opened another file (generation 2); a table page of file 1 arrives late.
    h.ask(
        2,
        Request::File(file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(DEMO),
    )
    .unwrap();
    for request in [
        Request::Customers(customers::Request::Page {
            query: CustomerQuery::default(),
        }),
        predict(),
        cluster(),
        Request::Customers(customers::Request::Tags {
            query: CustomerQuery::default(),
        }),
    ] {
        assert_eq!(
            h.ask(1, request, None),
            Err(SessionError::Stale {
                request: 1,
                current: 2
            })
        );
    }
    // A request of a newer generation than the session's drops what it held.
    h.load_demo(2);
    h.ask(2, predict(), None).unwrap();
    let r = h.ask(
        5,
        Request::Customers(customers::Request::Page {
            query: CustomerQuery::default(),
        }),
        None,
    );
    assert!(matches!(r, Err(SessionError::NothingLoaded { .. })));
    assert_eq!(
        (h.session.generation(), held(&h.session)),
        (5, (false, false, false, false))
    );
}

/// Issue "Real-world exports": a header, then more than a megabyte of blank lines, then data, said
/// "no data rows"; so did a first row with a megabyte cell. The preview's head grows until it
/// holds data rows, and the ingest reads them all.
#[test]
fn the_preview_head_is_measured_in_records() {
    let data = "C1,2024-01-01,10,ok\nC2,2024-01-02,20,ok\nC1,2024-02-01,5,ok\n";
    let blank_lines = format!(
        "customer_id,date,amount,note\n{}{data}",
        "\n".repeat(1_200_000)
    );
    let big_cell = format!(
        "customer_id,date,amount,note\nC0,2024-01-01,1,{}\n{data}",
        "x".repeat(1_100_000)
    );
    for (file, rows) in [(blank_lines, 3), (big_cell, 4)] {
        let mut h = Harness::new();
        let Response::File(file::Response::Preview { preview, .. }) = h
            .ask(
                1,
                Request::File(file::Request::Open {
                    params: PreviewParams::default(),
                }),
                Some(file.as_bytes()),
            )
            .unwrap()
            .response
        else {
            panic!("no preview");
        };
        assert_eq!(preview.rows.len(), rows);
        assert_eq!(preview.mapping.amount, Some(2));
        let reply = h.ask(1, ingest_request(&preview), None).unwrap();
        let Response::Overview(overview::Response::Analyzed { quality, .. }) = reply.response
        else {
            panic!("no analysis");
        };
        assert_eq!(quality.map(|q| q.rows_kept), Some(rows as u64));
    }
}

fn baskets_held(s: &Session) -> (bool, bool, bool) {
    (
        s.basket_rules().is_some(),
        s.recommendations().is_some(),
        s.preferences().is_some(),
    )
}

fn basket_requests() -> [Request; 3] {
    use crate::baskets::{BasketParams, RecommendParams, RegionParams};
    [
        Request::Baskets(super::baskets::Request::Rules {
            params: BasketParams::new(),
            query: crate::baskets::RuleQuery::default(),
        }),
        Request::Baskets(super::baskets::Request::Recommend {
            params: RecommendParams {
                evaluate: false,
                ..RecommendParams::new()
            },
        }),
        Request::Baskets(super::baskets::Request::Regions {
            params: RegionParams::default(),
        }),
    ]
}

/// The baskets row of the invalidation table: predictions and segments keep them, a re-analysis
/// or an ingest drops them, a failed basket request keeps the previous result.
#[test]
fn baskets_invalidation() {
    let mut h = Harness::new();
    h.load_demo(1);
    for r in basket_requests() {
        h.ask(1, r, None).unwrap();
    }
    assert_eq!(baskets_held(&h.session), (true, true, true));
    h.ask(1, predict(), None).unwrap();
    h.ask(1, cluster(), None).unwrap();
    assert_eq!(baskets_held(&h.session), (true, true, true));
    // A failed rules run (a setting out of range) keeps the rules held.
    let bad = crate::baskets::BasketParams {
        min_confidence: 2.0,
        ..crate::baskets::BasketParams::new()
    };
    assert!(h
        .ask(
            1,
            Request::Baskets(super::baskets::Request::Rules {
                params: bad,
                query: crate::baskets::RuleQuery::default(),
            }),
            None
        )
        .is_err());
    assert_eq!(baskets_held(&h.session), (true, true, true));
    // A re-analysis reads other lines (as-of day, duplicates): every basket result goes.
    reanalyze(&mut h);
    assert_eq!(baskets_held(&h.session), (false, false, false));
    assert!(h
        .session
        .basket_transactions(crate::baskets::ItemLevel::Product)
        .is_none());
    for r in basket_requests() {
        h.ask(1, r, None).unwrap();
    }
    // A new file drops them too.
    h.ask(
        2,
        Request::File(file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(DEMO),
    )
    .unwrap();
    assert_eq!(baskets_held(&h.session), (false, false, false));
}

/// The cohorts row of the invalidation table: predictions, segments and baskets keep them; a
/// re-analysis drops them; a failed cohort request keeps them.
#[test]
fn cohorts_invalidation() {
    use crate::cohorts::{CohortParams, CohortSplit};
    let mut h = Harness::new();
    h.load_demo(1);
    let run = |split| {
        Request::Cohorts(super::cohorts::Request::Run {
            params: CohortParams {
                split,
                ..CohortParams::default()
            },
            group: 0,
        })
    };
    h.ask(1, run(CohortSplit::None), None).unwrap();
    h.ask(1, predict(), None).unwrap();
    h.ask(1, cluster(), None).unwrap();
    for r in basket_requests() {
        h.ask(1, r, None).unwrap();
    }
    assert!(h.session.cohorts().is_some());
    // The demo has no category column: the split fails, the cohorts stay.
    assert!(h
        .ask(
            1,
            run(CohortSplit::FirstItem(crate::baskets::ItemLevel::Category)),
            None
        )
        .is_err());
    assert!(h.session.cohorts().is_some());
    reanalyze(&mut h);
    assert!(h.session.cohorts().is_none());
}

/// The repurchase row of the invalidation table: a re-analysis drops the cycles.
#[test]
fn repurchase_invalidation() {
    let mut h = Harness::new();
    h.load_demo(1);
    h.ask(
        1,
        Request::Repurchase(super::repurchase::Request::Run {
            params: crate::repurchase::RepurchaseParams::default(),
        }),
        None,
    )
    .unwrap();
    h.ask(1, predict(), None).unwrap();
    assert!(h.session.repurchase().is_some());
    reanalyze(&mut h);
    assert!(h.session.repurchase().is_none());
}

/// The tiers row of the invalidation table: a threshold change keeps the spends, a window
/// change rebuilds them, a re-analysis drops both.
#[test]
fn tiers_invalidation() {
    use crate::tiers::TierParams;
    let mut h = Harness::new();
    h.load_demo(1);
    let run = |h: &mut Harness, params: TierParams| {
        h.ask(
            1,
            Request::Tiers(super::tiers::Request::Run { params }),
            None,
        )
        .unwrap();
    };
    run(&mut h, TierParams::default());
    let spends = h.session.tiers().unwrap().base.clone();
    run(
        &mut h,
        TierParams {
            thresholds: vec![10.0, 20.0],
            ..TierParams::default()
        },
    );
    assert_eq!(h.session.tiers().unwrap().base, spends);
    assert_eq!(h.session.tiers().unwrap().analysis.report.tiers.len(), 3);
    run(
        &mut h,
        TierParams {
            window_months: 6,
            ..TierParams::default()
        },
    );
    assert_eq!(h.session.tiers().unwrap().base.window_months, 6);
    h.ask(1, predict(), None).unwrap();
    assert!(h.session.tiers().is_some(), "predictions keep the tiers");
    reanalyze(&mut h);
    assert!(h.session.tiers().is_none());
}

/// The send-timing row of the invalidation table: a re-analysis drops the send times; while
/// they are there the customer table carries their columns.
#[test]
fn sendtime_invalidation_and_columns() {
    use crate::customers::sendtime::{SEND_CONFIDENCE, SEND_WEEKDAY};
    let mut h = Harness::new();
    h.load_demo(1);
    h.ask(
        1,
        Request::SendTime(super::sendtime::Request::Run {
            params: crate::sendtime::SendTimeParams::default(),
        }),
        None,
    )
    .unwrap();
    assert!(h.session.sendtime().is_some());
    let page = h.session.page(&CustomerQuery {
        bands: vec![crate::customers::BandFilter {
            column: SEND_WEEKDAY.into(),
            values: vec!["saturday".into()],
        }],
        ..CustomerQuery::default()
    });
    let keys: Vec<&str> = page.columns.iter().map(|c| c.key.as_str()).collect();
    assert!(
        keys.contains(&SEND_WEEKDAY) && keys.contains(&SEND_CONFIDENCE),
        "{keys:?}"
    );
    let saturday = h
        .session
        .sendtime()
        .unwrap()
        .customers
        .iter()
        .filter(|c| c.best_weekday == 5)
        .count() as u64;
    assert!(saturday > 0);
    assert_eq!(page.matching, saturday);
    reanalyze(&mut h);
    assert!(h.session.sendtime().is_none());
}

/// The forecast row of the invalidation table, and the existing customers' expectation: absent
/// without predictions; with them, one non-negative figure per forecast period that sums to every
/// scored customer's BG/NBD expected purchases from the as-of day to the last period's end.
#[test]
fn forecast_invalidation_and_existing_customers() {
    use crate::forecast::{ForecastParams, ForecastReport};
    let mut h = Harness::new();
    h.load_demo(1);
    let run = |h: &mut Harness| -> ForecastReport {
        let reply = h
            .ask(
                1,
                Request::Forecast(super::forecast::Request::Run {
                    params: ForecastParams::default(),
                }),
                None,
            )
            .unwrap();
        let Response::Forecast(super::forecast::Response::Forecast { report, .. }) = reply.response
        else {
            panic!("not a forecast")
        };
        report
    };
    assert_eq!(run(&mut h).existing_customer_orders, None);
    h.ask(1, predict(), None).unwrap();
    let report = run(&mut h);
    let existing = report.existing_customer_orders.clone().unwrap();
    assert_eq!(existing.len(), report.orders.forecast.len());
    assert!(existing.iter().all(|v| v.is_finite() && *v >= 0.0));
    let clv = h.session.clv.as_ref().unwrap();
    let model = clv.bg_nbd.as_ref().unwrap();
    // The demo's history ends with 2024-12: twelve months ahead end on 2025-12-31.
    assert_eq!(report.orders.forecast.last().unwrap().label, "2025-12");
    let end = crate::calendar::day_from_ymd(2025, 12, 31).unwrap();
    let days = f64::from(end - clv.calibration_end_day);
    let unit = clv.summary.time_unit.days_per_unit();
    let s = &clv.summary;
    let direct: f64 = (0..s.customer.len())
        .map(|i| {
            model
                .expected_purchases(days / unit, s.frequency[i], s.recency[i], s.age[i])
                .unwrap()
        })
        .sum();
    let total: f64 = existing.iter().sum();
    assert!(
        (total - direct).abs() < 1e-6 * direct.max(1.0),
        "{total} vs {direct}"
    );
    reanalyze(&mut h);
    assert!(h.session.forecast().is_none());
}

/// The campaigns row of the invalidation table: predictions keep the campaign's results; a
/// re-analysis drops them (and the model behind the target list) but keeps the campaign file,
/// so the page re-runs without sending it again; a new file drops everything.
#[test]
fn experiment_invalidation() {
    use crate::experiment::{ExperimentParams, OutcomeSource};
    let mut h = Harness::new();
    h.load_demo(1);
    let campaign: &[u8] = include_bytes!("../../../../public/demo/campaign.csv");
    let params = ExperimentParams::new(OutcomeSource::Results {
        metrics: Vec::new(),
    });
    h.ask(
        1,
        Request::Experiment(super::experiment::Request::Open),
        Some(campaign),
    )
    .unwrap();
    let run = |h: &mut Harness| {
        h.ask(
            1,
            Request::Experiment(super::experiment::Request::Run {
                params: params.clone(),
            }),
            None,
        )
    };
    run(&mut h).unwrap();
    assert!(h.session.experiment().is_some_and(|r| r.models.is_some()));
    h.ask(1, predict(), None).unwrap();
    assert!(
        h.session.experiment().is_some(),
        "predictions keep the campaign"
    );
    reanalyze(&mut h);
    assert!(h.session.experiment().is_none());
    assert!(h.session.experiment_models.is_none());
    run(&mut h).unwrap();
    assert!(
        h.session.experiment().is_some(),
        "the campaign file is kept"
    );
    h.load_demo(2);
    assert!(h.session.experiment().is_none());
    let again = h.ask(
        2,
        Request::Experiment(super::experiment::Request::Run { params }),
        None,
    );
    assert!(matches!(again, Err(SessionError::NothingLoaded { .. })));
}

/// Native only: files on disk and a second thread.
#[cfg(not(target_arch = "wasm32"))]
mod halves {
    use super::*;
    /// A file of `lines` transaction lines (several customers, orders, returns), with `middle`
    /// inserted as one line after half of them.
    fn big_file(lines: usize, middle: &str) -> Vec<u8> {
        let mut text = String::from("customer,order,date,amount,product\n");
        for i in 0..lines {
            if i == lines / 2 {
                text.push_str(middle);
            }
            let amount = if i % 97 == 0 {
                -3.5
            } else {
                (i % 50) as f64 + 0.25
            };
            text.push_str(&format!(
                "C{},O{},2024-{:02}-{:02},{amount},P{}\n",
                i % 5003,
                i / 3,
                i % 12 + 1,
                i % 28 + 1,
                i % 41
            ));
        }
        text.into_bytes()
    }

    /// Reads `bytes` from a file through [`ingest_in_halves`] with `threads`, and whole.
    fn halves_and_whole(
        bytes: &[u8],
        threads: usize,
    ) -> (
        Option<(crate::Dataset, QualityReport)>,
        (crate::Dataset, QualityReport),
    ) {
        let path = std::env::temp_dir().join(format!(
            "segscope-halves-{}-{threads}-{}.csv",
            std::process::id(),
            bytes.len()
        ));
        std::fs::write(&path, bytes).unwrap();
        let source = FileSource::open(&path).unwrap().with_threads(threads);
        let preview = ingest::preview(bytes, &PreviewParams::default()).unwrap();
        let params = IngestParams::from_preview(&preview);
        let total = bytes.len() as u64;
        let halves = ingest_in_halves(&source, total, &params, &mut |_| {}).unwrap();
        let whole = ingest::ingest(bytes, total, &params, &mut |_| {}).unwrap();
        std::fs::remove_file(&path).ok();
        (halves, whole)
    }

    #[test]
    fn a_large_file_read_in_halves_equals_it_read_whole() {
        let bytes = big_file(140_000, "");
        assert!(bytes.len() as u64 > HALVES_MIN_BYTES);
        let (halves, whole) = halves_and_whole(&bytes, 2);
        assert_eq!(halves, Some(whole));
        // One thread: no second reader, read whole by the caller.
        assert_eq!(halves_and_whole(&bytes, 1).0, None);
    }

    #[test]
    fn a_middle_inside_a_quoted_cell_is_read_whole() {
        // A note of 20,000 lines around the middle: the first line feed after it is inside the cell.
        let note = format!(
            "C1,O1,2024-01-01,5,\"{}\"\n",
            "a note line\n".repeat(20_000)
        );
        let bytes = big_file(140_000, &note);
        let (halves, _) = halves_and_whole(&bytes, 2);
        assert_eq!(halves, None);
    }
}

/// The adapter's thread count is kept when a new file resets the session (it was lost, so the
/// CLI scored on one thread).
#[test]
fn the_threads_setting_outlives_a_new_file() {
    let mut h = Harness::new();
    h.session = Session::new().with_threads(2);
    h.load_demo(1);
    assert_eq!(h.session.threads, 2);
    h.load_demo(2);
    assert_eq!(h.session.threads, 2);
}

/// What happens during a fed read in [`Harness::ask_fed`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum During {
    /// Nothing: every byte is fed.
    Nothing,
    /// The last byte never arrives.
    CutShort,
    /// The job is cancelled after the first piece.
    Cancel,
    /// After the first piece, the session gets a request of a newer file generation.
    NewerFile,
    /// After the first piece, the session opens the demo again (same generation).
    OpenAgain,
}

impl Harness {
    /// [`Session::begin`] with `request`; a [`Begun::Fed`] read is fed the kept file in pieces
    /// of `piece` bytes, with what happens `during` it, and ended with [`Session::end_fed`].
    /// Returns whether the read was fed, and the answer.
    fn ask_fed(
        &mut self,
        generation: u64,
        request: Request,
        attachment: Option<&[u8]>,
        piece: usize,
        during: During,
    ) -> (bool, Result<Reply, SessionError>) {
        let attachment = attachment.map(|b| Box::new(BytesSource(b.to_vec())) as Box<dyn Source>);
        self.with_job(|session, job, cancel| {
            let mut read = match session.begin(generation, request, attachment, job) {
                Begun::Answered(answer) => return (false, answer),
                Begun::Fed(read) => read,
            };
            let bytes = session.file().unwrap().read_all().unwrap();
            let end = if during == During::CutShort {
                bytes.len() - 1
            } else {
                bytes.len()
            };
            assert_eq!(read.total_bytes(), bytes.len() as u64);
            for (i, piece) in bytes[..end].chunks(piece).enumerate() {
                if let Err(e) = read.feed(piece.to_vec(), job) {
                    return (true, Err(e));
                }
                if i == 0 {
                    match during {
                        During::Cancel => cancel.set(true),
                        During::NewerFile => {
                            let r = session.handle(generation + 1, predict(), None, job);
                            assert!(r.is_err(), "nothing loaded in the newer generation");
                        }
                        During::OpenAgain => {
                            let open = Request::File(file::Request::Open {
                                params: PreviewParams::default(),
                            });
                            let demo = Box::new(BytesSource(DEMO.to_vec())) as Box<dyn Source>;
                            assert!(session.handle(generation, open, Some(demo), job).is_ok());
                        }
                        During::Nothing | During::CutShort => {}
                    }
                }
            }
            (true, session.end_fed(read, job))
        })
    }
}

/// The parts of an answer that do not depend on the clock.
fn timeless(reply: &Reply) -> String {
    let mut response = reply.response.clone();
    match &mut response {
        Response::Overview(overview::Response::Analyzed { elapsed_ms, .. })
        | Response::File(file::Response::Read { elapsed_ms, .. }) => *elapsed_ms = 0.0,
        _ => {}
    }
    format!("{response:?}")
}

#[test]
fn a_fed_read_answers_as_the_pulled_read() {
    let mut pulled = Harness::new();
    let want = pulled.load_demo(1);
    let preview = pulled.open(1, DEMO);
    let read_request = Request::File(file::Request::Read {
        sheet: None,
        ingest: IngestParams::from_preview(&preview),
        summary: None,
    });
    let want_read = pulled.ask(1, read_request.clone(), None).unwrap();
    for piece in [1, 999, 1 << 16, 1 << 30] {
        let mut h = Harness::new();
        // The file comes with the request (a restarted worker) or was opened before.
        let (fed, got) = h.ask_fed(
            1,
            ingest_request(&preview),
            Some(DEMO),
            piece,
            During::Nothing,
        );
        assert!(fed);
        assert_eq!(
            timeless(&got.unwrap()),
            timeless(&want),
            "pieces of {piece}"
        );
        assert_eq!(h.stages, [Stage::Reading, Stage::Scoring]);
        assert!(h.session.dataset().is_some() && h.session.analysis().is_some());
        let (fed, got) = h.ask_fed(1, read_request.clone(), None, piece, During::Nothing);
        assert!(fed);
        assert_eq!(
            timeless(&got.unwrap()),
            timeless(&want_read),
            "pieces of {piece}"
        );
        assert!(h.session.dataset().is_some() && h.session.analysis().is_none());
    }
}

#[test]
fn only_a_utf8_csv_of_transactions_is_fed() {
    let mut h = Harness::new();
    h.load_demo(1);
    // Another request: answered at once.
    let (fed, answer) = h.ask_fed(1, predict(), None, 1000, During::Nothing);
    assert!(!fed && answer.is_ok());
    // Another encoding: read by the session, with the same answer.
    let gbk: &[u8] = include_bytes!("../../../../tests/fixtures/ingest/gbk_chinese.csv");
    let preview = h.open(2, gbk);
    assert!(!matches!(preview.encoding, ingest::TextEncoding::Utf8));
    let (fed, answer) = h.ask_fed(2, ingest_request(&preview), None, 1000, During::Nothing);
    assert!(!fed);
    let pulled = h.ask(2, ingest_request(&preview), None).unwrap();
    assert_eq!(timeless(&answer.unwrap()), timeless(&pulled));
    // An older generation: refused before anything is read.
    let (fed, answer) = h.ask_fed(1, ingest_request(&preview), None, 1000, During::Nothing);
    assert!(!fed && matches!(answer, Err(SessionError::Stale { .. })));
}

#[test]
fn a_fed_read_that_fails_keeps_what_the_session_held() {
    let mut h = Harness::new();
    h.load_demo(1);
    let before = format!("{:?}", h.session.dataset());
    let preview = ingest::preview(DEMO, &PreviewParams::default()).unwrap();
    // The file stopped arriving: an error that says so, the old dataset kept.
    let (fed, answer) = h.ask_fed(1, ingest_request(&preview), None, 4096, During::CutShort);
    assert!(fed);
    let Err(SessionError::Read { message }) = answer else {
        panic!("{answer:?}");
    };
    assert!(message.contains(&format!("{} of the file's {}", DEMO.len() - 1, DEMO.len())));
    assert_eq!(format!("{:?}", h.session.dataset()), before);
    // Cancelled between pieces.
    let (fed, answer) = h.ask_fed(1, ingest_request(&preview), None, 4096, During::Cancel);
    assert!(fed);
    assert_eq!(answer.err(), Some(SessionError::Cancelled));
    assert_eq!(format!("{:?}", h.session.dataset()), before);
    h.cancel.set(false);
    // The same file opened again during the read: the read ends with an error, and the
    // dataset of the first opening is not kept for the second.
    let (_, answer) = h.ask_fed(1, ingest_request(&preview), None, 4096, During::OpenAgain);
    assert!(
        matches!(answer, Err(SessionError::Read { .. })),
        "{answer:?}"
    );
    assert!(h.session.dataset().is_none());
    h.load_demo(1);
    // A newer file generation during the read: stale.
    let (_, answer) = h.ask_fed(1, ingest_request(&preview), None, 4096, During::NewerFile);
    assert!(
        matches!(answer, Err(SessionError::Stale { .. })),
        "{answer:?}"
    );
    assert!(h.session.dataset().is_none());
    h.load_demo(3);
    let before = format!("{:?}", h.session.dataset());
    // A mapping that cannot be read: refused as the pulled read refuses it.
    let mut bad = IngestParams::from_preview(&preview);
    bad.mapping.date = None;
    let request = Request::File(file::Request::Read {
        sheet: None,
        ingest: bad,
        summary: None,
    });
    let (fed, answer) = h.ask_fed(3, request.clone(), None, 4096, During::Nothing);
    assert!(!fed);
    assert_eq!(answer.err(), h.ask(3, request, None).err());
    assert_eq!(format!("{:?}", h.session.dataset()), before);
}

#[test]
fn a_workbook_is_not_fed_and_answers_as_pulled() {
    let book: &[u8] =
        include_bytes!("../../../../tests/fixtures/ingest/workbooks/orders_openpyxl.xlsx");
    let mut pulled = Harness::new();
    let preview = pulled.open(1, book);
    let want = pulled.ask(1, ingest_request(&preview), None).unwrap();
    // Its sheet is CSV text in memory already: read in one go, with the pulled answer, whether
    // the workbook was opened before or comes with the request.
    for attached in [false, true] {
        let mut h = Harness::new();
        h.open(1, book);
        let attachment = attached.then_some(book);
        let (fed, got) = h.ask_fed(
            1,
            ingest_request(&preview),
            attachment,
            1000,
            During::Nothing,
        );
        assert!(!fed);
        assert_eq!(timeless(&got.unwrap()), timeless(&want));
    }
}

/// A fed read cut in two (the browser's two workers: the bytes before the cut fed here, the rest
/// read by a [`ingest::PartIngest`] and joined) answers as a read by one reader, and its progress
/// runs over the whole file while only the first part is fed.
#[test]
fn a_fed_read_joined_with_a_part_answers_as_one_reader() {
    let text = warm::rehearsal_file(20_000);
    let mut one = Harness::new();
    let preview = one.open(1, &text);
    let (fed, want) = one.ask_fed(1, ingest_request(&preview), None, 1 << 16, During::Nothing);
    assert!(fed);
    let cut = (text.len() / 2..text.len())
        .find(|&at| text[at - 1] == b'\n')
        .unwrap();
    let mut h = Harness::new();
    h.open(1, &text);
    let mut seen = Vec::new();
    let got = {
        let mut progress = |stage: Stage, done: u64, total: u64| seen.push((stage, done, total));
        let mut clock = 0.0;
        let mut now_ms = || {
            clock += 1.0;
            clock
        };
        let cancelled = || false;
        let mut job = Job {
            progress: &mut progress,
            now_ms: &mut now_ms,
            cancelled: &cancelled,
        };
        let Begun::Fed(mut read) = h.session.begin(1, ingest_request(&preview), None, &mut job)
        else {
            panic!("a UTF-8 CSV is fed");
        };
        read.read_in_parts(cut as u64);
        // Nothing to join before the bytes before the cut are all fed.
        let mut plan = None;
        let pieces: Vec<&[u8]> = text[..cut].chunks(1 << 16).collect();
        for (i, piece) in pieces.iter().enumerate() {
            if i + 1 == pieces.len() {
                assert_eq!(
                    read.join(&b"SGPART01".to_vec()),
                    Err(ingest::NotJoined::NotAtRecordEnd)
                );
            }
            read.feed(piece.to_vec(), &mut job).unwrap();
            plan = plan.or_else(|| read.plan_part(cut as u64));
        }
        let mut part =
            ingest::PartIngest::new(&plan.expect("a plan once the header is read")).unwrap();
        part.feed(text[cut..].to_vec()).unwrap();
        read.join(&part.finish().unwrap().into_vec()).unwrap();
        h.session.end_fed(read, &mut job)
    };
    assert_eq!(timeless(&got.unwrap()), timeless(&want.unwrap()));
    let total = text.len() as u64;
    let reading: Vec<u64> = seen
        .iter()
        .filter(|(stage, _, _)| *stage == Stage::Reading)
        .map(|&(_, done, t)| {
            assert_eq!(t, total);
            done
        })
        .collect();
    assert!(reading.windows(2).all(|w| w[0] <= w[1]), "{reading:?}");
    assert_eq!(
        reading.last(),
        Some(&total),
        "the first part fed is the whole file's progress"
    );
}
