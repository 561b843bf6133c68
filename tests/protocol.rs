//! The wire: every request and every response the session gives survive `encode` → `decode`
//! unchanged; a response holding a non-finite number becomes a typed failure of the same request
//! instead of a message the page cannot read.

#![allow(clippy::unwrap_used)] // helpers of tests

use std::collections::BTreeSet;

use segscope::engine::session as msg;
use segscope::engine::{
    cluster::{ClusterSettings, KChoice},
    clv::{ClvSettings, FittedModels, TimeUnit},
    customers::{BandFilter, Cell, CustomerQuery, SortKey},
    ingest::{IngestParams, PreviewParams},
    rfm::RfmParams,
    session::{BytesSource, Job, Session, Source},
    table_out::ExportFormat,
};
use segscope::protocol::{
    decode, encode, encode_response, Envelope, Request, Response, Stage, WorkerError,
};

use segscope::engine::baskets::{
    BasketParams, ReasonWords, RecommendParams, RegionParams, RuleQuery,
};
use segscope::engine::cohorts::{CohortParams, CohortSplit};
use segscope::engine::experiment::{
    ExperimentParams, OutcomeSource, PowerMetric, PowerParams, RoiParams,
};
use segscope::engine::forecast::ForecastParams;
use segscope::engine::repurchase::RepurchaseParams;
use segscope::engine::sendtime::SendTimeParams;
use segscope::engine::tiers::{TierParams, TierWords};

const DEMO: &[u8] = include_bytes!("../public/demo/transactions.csv");
const DEMO_ATTRIBUTES: &[u8] = include_bytes!("../public/demo/customers.csv");

/// The variant's name; a `match` without a catch-all, so a new variant fails to compile here
/// until it is covered.
fn request_name(r: &Request) -> &'static str {
    match r {
        Request::File(msg::file::Request::Open { .. }) => "Open",
        Request::File(msg::file::Request::Repreview { .. }) => "Repreview",
        Request::File(msg::file::Request::Ingest { .. }) => "Ingest",
        Request::File(msg::file::Request::Read { .. }) => "Read",
        Request::Overview(msg::overview::Request::Analyze { .. }) => "Analyze",
        Request::Customers(msg::customers::Request::Page { .. }) => "Customers",
        Request::Customers(msg::customers::Request::Export { .. }) => "Export",
        Request::Predictions(msg::predictions::Request::Predict { .. }) => "Predict",
        Request::Predictions(msg::predictions::Request::Score { .. }) => "Score",
        Request::Predictions(msg::predictions::Request::Validate { .. }) => "Validate",
        Request::Predictions(msg::predictions::Request::ExportScores { .. }) => "ExportScores",
        Request::Segments(msg::segments::Request::OpenAttributes { .. }) => "OpenAttributes",
        Request::Segments(msg::segments::Request::ClearAttributes) => "ClearAttributes",
        Request::Segments(msg::segments::Request::Cluster { .. }) => "Cluster",
        Request::Segments(msg::segments::Request::ApplySegmentation { .. }) => "ApplySegmentation",
        Request::Segments(msg::segments::Request::SaveSegmentation { .. }) => "SaveSegmentation",
        Request::Customers(msg::customers::Request::Tags { .. }) => "Tags",
        Request::Customers(msg::customers::Request::Profile { .. }) => "CustomerProfile",
        Request::Baskets(msg::baskets::Request::Rules { .. }) => "Rules",
        Request::Baskets(msg::baskets::Request::RulePage { .. }) => "RulePage",
        Request::Baskets(msg::baskets::Request::Recommend { .. }) => "Recommend",
        Request::Baskets(msg::baskets::Request::Regions { .. }) => "Regions",
        Request::Baskets(msg::baskets::Request::ExportRules { .. }) => "ExportRules",
        Request::Baskets(msg::baskets::Request::ExportRecommendations { .. }) => {
            "ExportRecommendations"
        }
        Request::Baskets(msg::baskets::Request::ExportRegions { .. }) => "ExportRegions",
        Request::Cohorts(msg::cohorts::Request::Run { .. }) => "CohortsRun",
        Request::Cohorts(msg::cohorts::Request::Show { .. }) => "CohortsShow",
        Request::Cohorts(msg::cohorts::Request::Export { .. }) => "CohortsExport",
        Request::Repurchase(msg::repurchase::Request::Run { .. }) => "RepurchaseRun",
        Request::Repurchase(msg::repurchase::Request::ExportDue { .. }) => "ExportDue",
        Request::Tiers(msg::tiers::Request::Run { .. }) => "TiersRun",
        Request::Tiers(msg::tiers::Request::Export { .. }) => "TiersExport",
        Request::SendTime(msg::sendtime::Request::Run { .. }) => "SendTimeRun",
        Request::SendTime(msg::sendtime::Request::Export { .. }) => "SendTimeExport",
        Request::Forecast(msg::forecast::Request::Run { .. }) => "ForecastRun",
        Request::Forecast(msg::forecast::Request::Export { .. }) => "ForecastExport",
        Request::Experiment(msg::experiment::Request::Open) => "ExperimentOpen",
        Request::Experiment(msg::experiment::Request::Run { .. }) => "ExperimentRun",
        Request::Experiment(msg::experiment::Request::Export { .. }) => "ExperimentExport",
        Request::Experiment(msg::experiment::Request::Power { .. }) => "Power",
        Request::Warehouse(msg::warehouse::Request::Sql { .. }) => "WarehouseSql",
    }
}

const REQUESTS: usize = 41;

fn response_name(r: &Response) -> &'static str {
    match r {
        Response::Ready { .. } => "Ready",
        Response::Progress { .. } => "Progress",
        Response::File(msg::file::Response::Preview { .. }) => "Preview",
        Response::File(msg::file::Response::Read { .. }) => "Read",
        Response::Overview(msg::overview::Response::Analyzed { .. }) => "Analyzed",
        Response::Predictions(msg::predictions::Response::Predicted { .. }) => "Predicted",
        Response::Segments(msg::segments::Response::AttributesLoaded { .. }) => "AttributesLoaded",
        Response::Segments(msg::segments::Response::AttributesCleared) => "AttributesCleared",
        Response::Segments(msg::segments::Response::Clustered { .. }) => "Clustered",
        Response::Customers(msg::customers::Response::Tagged { .. }) => "Tagged",
        Response::Customers(msg::customers::Response::Profile { .. }) => "Profile",
        Response::Predictions(msg::predictions::Response::Scored { .. }) => "Scored",
        Response::Predictions(msg::predictions::Response::Validated { .. }) => "Validated",
        Response::Customers(msg::customers::Response::Page { .. }) => "Customers",
        Response::Exported { .. } => "Exported",
        Response::Failed { .. } => "Failed",
        Response::Baskets(msg::baskets::Response::Mined { .. }) => "Mined",
        Response::Baskets(msg::baskets::Response::Rules { .. }) => "RulesPage",
        Response::Baskets(msg::baskets::Response::Recommended { .. }) => "Recommended",
        Response::Baskets(msg::baskets::Response::Regions { .. }) => "RegionsCompared",
        Response::Cohorts(msg::cohorts::Response::Cohorts { .. }) => "Cohorts",
        Response::Repurchase(msg::repurchase::Response::Cycles { .. }) => "Cycles",
        Response::Tiers(msg::tiers::Response::Tiers { .. }) => "Tiers",
        Response::SendTime(msg::sendtime::Response::SendTimes { .. }) => "SendTimes",
        Response::Forecast(msg::forecast::Response::Forecast { .. }) => "Forecast",
        Response::Experiment(msg::experiment::Response::Opened { .. }) => "CampaignOpened",
        Response::Experiment(msg::experiment::Response::Analyzed { .. }) => "Experiment",
        Response::Experiment(msg::experiment::Response::Power { .. }) => "PowerAnswer",
        Response::Warehouse(msg::warehouse::Response::Sql { .. }) => "WarehouseSqlText",
    }
}

const RESPONSES: usize = 29;

fn round_trip_response(id: u64, response: &Response) {
    let json = encode_response(id, 7, response);
    let back: Envelope<Response> = decode(&json).unwrap();
    assert_eq!(
        (back.id, back.generation, &back.body),
        (id, 7, response),
        "{}",
        response_name(response)
    );
}

/// Every request the page can send, answered by a real session on the demo data; every request
/// and every answer (and the progress messages) round-trips.
#[test]
fn every_request_and_response_round_trips() {
    let mut session = Session::new().with_spreadsheets(segscope::xlsx::NEW_SHEET);
    let mut requests = BTreeSet::new();
    let mut responses = BTreeSet::new();
    let mut progress_seen = Vec::new();
    let mut ask = |session: &mut Session, request: Request, attachment: Option<&[u8]>| {
        let envelope = Envelope {
            id: 3,
            generation: 1,
            body: request.clone(),
        };
        let back: Envelope<Request> = decode(&encode(&envelope)).unwrap();
        assert_eq!(back, envelope);
        requests.insert(request_name(&request));
        let mut progress = |stage, done, total| progress_seen.push((stage, done, total));
        let mut now_ms = || 0.0;
        let mut job = Job {
            progress: &mut progress,
            now_ms: &mut now_ms,
            cancelled: &|| false,
        };
        let attachment = attachment.map(|b| Box::new(BytesSource(b.to_vec())) as Box<dyn Source>);
        let response = match session.handle(1, request, attachment, &mut job) {
            Ok(reply) => reply.response,
            Err(error) => Response::Failed { error },
        };
        round_trip_response(3, &response);
        responses.insert(response_name(&response));
        response
    };
    let Response::File(msg::file::Response::Preview { preview, .. }) = ask(
        &mut session,
        Request::File(msg::file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(DEMO),
    ) else {
        panic!("no preview")
    };
    ask(
        &mut session,
        Request::File(msg::file::Request::Repreview {
            params: PreviewParams::default(),
        }),
        None,
    );
    // The command line's read without the analysis, then the page's ingest.
    ask(
        &mut session,
        Request::File(msg::file::Request::Read {
            sheet: Some("Sheet1".to_string()),
            ingest: IngestParams::from_preview(&preview),
            summary: None,
        }),
        None,
    );
    ask(
        &mut session,
        Request::File(msg::file::Request::Ingest {
            sheet: Some("Sheet1".to_string()),
            ingest: IngestParams::from_preview(&preview),
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
            summary: None,
        }),
        None,
    );
    let query = CustomerQuery::default;
    ask(
        &mut session,
        Request::Overview(msg::overview::Request::Analyze {
            rfm: RfmParams::default(),
            query: query(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Customers(msg::customers::Request::Page { query: query() }),
        None,
    );
    ask(
        &mut session,
        Request::Customers(msg::customers::Request::Export {
            query: query(),
            format: ExportFormat::Csv,
        }),
        None,
    );
    // The command line's scoring without the page's report, then the page's run (kept).
    ask(
        &mut session,
        Request::Predictions(msg::predictions::Request::Score {
            settings: ClvSettings {
                models: FittedModels::ScoringOnly,
                ..ClvSettings::default()
            },
        }),
        None,
    );
    ask(
        &mut session,
        Request::Predictions(msg::predictions::Request::Predict {
            settings: ClvSettings::default(),
            query: query(),
        }),
        None,
    );
    let last_day = session
        .dataset()
        .unwrap()
        .day
        .iter()
        .max()
        .copied()
        .unwrap();
    ask(
        &mut session,
        Request::Predictions(msg::predictions::Request::Validate {
            calibration_end_day: last_day - 120,
            holdout_end_day: Some(last_day),
            time_unit: TimeUnit::Weeks,
        }),
        None,
    );
    ask(
        &mut session,
        Request::Predictions(msg::predictions::Request::ExportScores {
            format: ExportFormat::Xlsx,
        }),
        None,
    );
    // A page sorted by a registered column and filtered on a registered band: the rows carry
    // every kind of cell (number, day, band, none) across the wire.
    let Response::Customers(msg::customers::Response::Page { page }) = ask(
        &mut session,
        Request::Customers(msg::customers::Request::Page {
            query: CustomerQuery {
                sort: SortKey::Column("clv".into()),
                bands: vec![BandFilter {
                    column: "churn_risk".into(),
                    values: vec!["low".into(), "medium".into()],
                }],
                ..query()
            },
        }),
        None,
    ) else {
        panic!("no page")
    };
    assert_eq!(page.columns.len(), 6);
    assert!(page.rows.iter().all(|r| r.cells.len() == 6));
    assert!(page
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| matches!(c, Some(Cell::Day(_))))));
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::OpenAttributes { id_column: None }),
        Some(DEMO_ATTRIBUTES),
    );
    let settings = ClusterSettings {
        k: KChoice::Fixed(3),
        restarts: 2,
        bootstrap_resamples: 2,
        ..ClusterSettings::default()
    };
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::Cluster {
            settings,
            query: query(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::SaveSegmentation {
            names: vec!["A".into()],
        }),
        None,
    );
    let model = session.segmentation().unwrap().model.to_json();
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::ApplySegmentation { query: query() }),
        Some(model.as_bytes()),
    );
    ask(
        &mut session,
        Request::Customers(msg::customers::Request::Tags { query: query() }),
        None,
    );
    ask(
        &mut session,
        Request::Customers(msg::customers::Request::Profile {
            customer_id: "1208".into(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::ClearAttributes),
        None,
    );
    // Baskets: rules and their pages, recommendations, regions, their exports.
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::Rules {
            params: BasketParams::new(),
            query: RuleQuery::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::RulePage {
            query: RuleQuery {
                search: "p00".into(),
                ..RuleQuery::default()
            },
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::Recommend {
            params: RecommendParams::new(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::Regions {
            params: RegionParams::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::ExportRules {
            format: ExportFormat::Csv,
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::ExportRecommendations {
            format: ExportFormat::Csv,
            words: ReasonWords {
                together: "with {item} ({customers})".into(),
                popular: "popular".into(),
            },
        }),
        None,
    );
    ask(
        &mut session,
        Request::Baskets(msg::baskets::Request::ExportRegions {
            format: ExportFormat::Csv,
        }),
        None,
    );
    // Cohorts, split by region: run, another group, the export.
    ask(
        &mut session,
        Request::Cohorts(msg::cohorts::Request::Run {
            params: CohortParams {
                split: CohortSplit::FirstRegion,
                ..CohortParams::default()
            },
            group: 0,
        }),
        None,
    );
    ask(
        &mut session,
        Request::Cohorts(msg::cohorts::Request::Show { group: 1 }),
        None,
    );
    ask(
        &mut session,
        Request::Cohorts(msg::cohorts::Request::Export {
            format: ExportFormat::Csv,
            other_name: "other".into(),
        }),
        None,
    );
    // Repurchase cycles and the due list.
    ask(
        &mut session,
        Request::Repurchase(msg::repurchase::Request::Run {
            params: RepurchaseParams::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Repurchase(msg::repurchase::Request::ExportDue {
            format: ExportFormat::Csv,
        }),
        None,
    );
    // Membership tiers and their export.
    ask(
        &mut session,
        Request::Tiers(msg::tiers::Request::Run {
            params: TierParams::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Tiers(msg::tiers::Request::Export {
            format: ExportFormat::Csv,
            words: TierWords::default(),
        }),
        None,
    );
    // Send timing and its export.
    ask(
        &mut session,
        Request::SendTime(msg::sendtime::Request::Run {
            params: SendTimeParams::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::SendTime(msg::sendtime::Request::Export {
            format: ExportFormat::Csv,
        }),
        None,
    );
    // The forecast (after the predictions: with the existing customers' expectation) and its
    // export.
    ask(
        &mut session,
        Request::Forecast(msg::forecast::Request::Run {
            params: ForecastParams::default(),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Forecast(msg::forecast::Request::Export {
            format: ExportFormat::Csv,
        }),
        None,
    );
    // A campaign: its file, the test (with the ROI card), its exports, the calculator.
    ask(
        &mut session,
        Request::Experiment(msg::experiment::Request::Open),
        Some(include_bytes!("../public/demo/campaign.csv")),
    );
    let mut campaign = ExperimentParams::new(OutcomeSource::Results {
        metrics: Vec::new(),
    });
    campaign.roi = Some(RoiParams {
        cost_per_contact: 0.5,
        fixed_cost: 100.0,
        margin_percent: 40.0,
    });
    ask(
        &mut session,
        Request::Experiment(msg::experiment::Request::Run { params: campaign }),
        None,
    );
    ask(
        &mut session,
        Request::Experiment(msg::experiment::Request::Export {
            format: ExportFormat::Csv,
            table: msg::experiment::ExperimentTable::Segments,
            segment_words: Vec::new(),
            top_deciles: 3,
        }),
        None,
    );
    ask(
        &mut session,
        Request::Experiment(msg::experiment::Request::Power {
            params: PowerParams::new(PowerMetric::Proportion { baseline_rate: 0.2 }, 0.05),
        }),
        None,
    );
    ask(
        &mut session,
        Request::Warehouse(msg::warehouse::Request::Sql {
            dialect: segscope::engine::warehouse::Dialect::Spark,
            params: segscope::engine::warehouse::SqlParams::new(
                "sales.orders",
                "customer_id",
                "date",
                "amount",
            ),
        }),
        None,
    );
    // A failure, typed.
    ask(
        &mut session,
        Request::Segments(msg::segments::Request::OpenAttributes { id_column: None }),
        None,
    );
    assert_eq!(requests.len(), REQUESTS, "{requests:?}");

    // The progress messages the session sent, and the two the worker makes itself.
    assert!(progress_seen
        .iter()
        .any(|(s, ..)| matches!(s, Stage::Clustering(_))));
    for (stage, done, total) in progress_seen {
        let r = Response::Progress { stage, done, total };
        round_trip_response(9, &r);
        responses.insert(response_name(&r));
    }
    for r in [
        Response::Ready {
            protocol_version: segscope::protocol::PROTOCOL_VERSION,
        },
        Response::Failed {
            error: WorkerError::Crashed {
                message: "panicked at \"x\"\n".into(),
            },
        },
    ] {
        round_trip_response(0, &r);
        responses.insert(response_name(&r));
    }
    assert_eq!(responses.len(), RESPONSES, "{responses:?}");
}

/// Regression: serde_json writes NaN as `null`, which the page then failed to decode ("invalid
/// type: null, expected f64"), and the worker posted an unescaped fallback with id 0 that the
/// page could not route, so it hung. Now the same request gets a typed failure.
#[test]
fn a_response_with_a_non_finite_number_fails_the_same_request_in_words() {
    let response = Response::Progress {
        stage: Stage::Reading,
        done: 1,
        total: 2,
    };
    round_trip_response(5, &response);
    let mut session = Session::new();
    let mut job = Job {
        progress: &mut |_, _, _| {},
        now_ms: &mut || f64::NAN,
        cancelled: &|| false,
    };
    let preview = session
        .handle(
            1,
            Request::File(msg::file::Request::Open {
                params: PreviewParams::default(),
            }),
            Some(Box::new(BytesSource(DEMO.to_vec()))),
            &mut job,
        )
        .unwrap();
    let Response::File(msg::file::Response::Preview { preview, .. }) = preview.response else {
        panic!()
    };
    let reply = session
        .handle(
            1,
            Request::File(msg::file::Request::Ingest {
                sheet: None,
                ingest: IngestParams {
                    encoding: preview.encoding,
                    delimiter: preview.delimiter,
                    has_header: preview.has_header,
                    date_order: preview.date_order,
                    mapping: preview.mapping,
                    keep_far_dates: false,
                },
                rfm: RfmParams::default(),
                query: CustomerQuery::default(),
                summary: None,
            }),
            None,
            &mut job,
        )
        .unwrap();
    // The clock gave NaN, so `elapsed_ms` is not finite.
    let json = encode_response(42, 3, &reply.response);
    let back: Envelope<Response> = decode(&json).unwrap();
    assert_eq!((back.id, back.generation), (42, 3));
    let Response::Failed {
        error: WorkerError::NotFinite { message },
    } = back.body
    else {
        panic!("{:?}", back.body)
    };
    assert!(message.contains("null"), "{message}");
}
