//! Campaigns end to end: the demo campaign file through the session, checked against GrowthBook's
//! gbstats 0.8.0 and statsmodels (tests/fixtures/experiment/make_campaign_reference.py wrote
//! campaign_reference.json from the same file); a contact list joined with hand-made
//! transactions, checked by hand; and the bad inputs, each with its typed error.

#![allow(clippy::unwrap_used)]

use segscope_engine::experiment::{
    Correction, ExperimentError, ExperimentParams, ExperimentReport, OutcomeSource, SegmentLabel,
};
use segscope_engine::ingest::PreviewParams;
use segscope_engine::rfm::RfmParams;
use segscope_engine::session::{
    experiment, file, BytesSource, Job, Reply, Request, Response, Session, SessionError, Source,
};
use segscope_engine::{customers::CustomerQuery, EngineError};
use serde_json::Value;

const CAMPAIGN: &[u8] = include_bytes!("../../../public/demo/campaign.csv");
const DEMO: &[u8] = include_bytes!("../../../public/demo/transactions.csv");
const REFERENCE: &str = include_str!("fixtures/experiment/campaign_reference.json");

fn ask(
    session: &mut Session,
    request: Request,
    attachment: Option<&[u8]>,
) -> Result<Reply, SessionError> {
    let mut progress = |_, _, _| {};
    let mut clock = 0.0;
    let mut now_ms = || {
        clock += 1.0;
        clock
    };
    let mut job = Job {
        progress: &mut progress,
        now_ms: &mut now_ms,
        cancelled: &|| false,
    };
    let attachment = attachment.map(|b| Box::new(BytesSource(b.to_vec())) as Box<dyn Source>);
    session.handle(1, request, attachment, &mut job)
}

fn run(
    session: &mut Session,
    campaign: &[u8],
    params: ExperimentParams,
) -> Result<ExperimentReport, SessionError> {
    ask(
        session,
        Request::Experiment(experiment::Request::Open),
        Some(campaign),
    )?;
    let reply = ask(
        session,
        Request::Experiment(experiment::Request::Run { params }),
        None,
    )?;
    match reply.response {
        Response::Experiment(experiment::Response::Analyzed { report }) => Ok(report),
        other => panic!("unexpected {other:?}"),
    }
}

fn results_params() -> ExperimentParams {
    ExperimentParams::new(OutcomeSource::Results {
        metrics: Vec::new(),
    })
}

fn load_transactions(session: &mut Session, csv: &[u8]) {
    let reply = ask(
        session,
        Request::File(file::Request::Open {
            params: PreviewParams::default(),
        }),
        Some(csv),
    )
    .unwrap();
    let Response::File(file::Response::Preview { preview, .. }) = reply.response else {
        panic!()
    };
    ask(
        session,
        Request::File(file::Request::Ingest {
            sheet: None,
            ingest: segscope_engine::ingest::IngestParams::from_preview(&preview),
            rfm: RfmParams::default(),
            query: CustomerQuery::default(),
            summary: None,
        }),
        None,
    )
    .unwrap();
}

fn close(actual: f64, expected: &Value, what: &str) {
    let expected = expected.as_f64().unwrap();
    let tolerance = 1e-6 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs gbstats {expected}"
    );
}

/// Each variant against control on the demo campaign, plain and CUPED, frequentist and
/// Bayesian, the SRM check and both corrections: gbstats' and statsmodels' numbers to 1e-6.
#[test]
fn the_demo_campaign_matches_gbstats() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let mut session = Session::new();
    let report = run(&mut session, CAMPAIGN, results_params()).unwrap();
    let groups: Vec<&str> = report.variants.iter().map(|v| v.name.as_str()).collect();
    let expected_groups: Vec<&str> = reference["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert_eq!(groups, expected_groups, "control first, then sorted");
    let users: Vec<u64> = report.variants.iter().map(|v| v.users).collect();
    let expected_users: Vec<u64> = reference["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_u64().unwrap())
        .collect();
    assert_eq!(users, expected_users);
    close(report.srm_p_value, &reference["srm_p_value"], "SRM");
    assert!(!report.srm_suspect);
    // converted is binomial (0/1), revenue a mean with revenue_pre as its covariate.
    assert_eq!(report.metrics.len(), 2, "{:?}", report.metrics);
    assert_eq!(report.metrics[1].covariate.as_deref(), Some("revenue_pre"));
    for (family, cuped) in [("plain", false), ("cuped", true)] {
        for e in reference[family].as_array().unwrap() {
            let (metric, variant) = (
                e["metric"].as_str().unwrap(),
                e["variant"].as_str().unwrap(),
            );
            let r = report
                .results
                .iter()
                .find(|r| r.metric == metric && r.variant == variant && r.cuped == cuped)
                .unwrap_or_else(|| panic!("no result for {metric} {variant} {family}"));
            let what = format!("{family} {metric} {variant}");
            close(
                r.relative_lift,
                &e["relative_lift"],
                &format!("{what} lift"),
            );
            close(r.ci_low, &e["ci_low"], &format!("{what} ci_low"));
            close(r.ci_high, &e["ci_high"], &format!("{what} ci_high"));
            close(r.p_value, &e["p_value"], &format!("{what} p"));
            close(
                r.chance_to_win,
                &e["chance_to_win"],
                &format!("{what} chance to win"),
            );
            close(r.risk, &e["risk"], &format!("{what} risk"));
            if cuped {
                let reduction = r.variance_reduction.unwrap();
                assert!(
                    reduction > 0.0 && reduction < 1.0,
                    "{what}: CUPED narrows the interval ({reduction})"
                );
            }
        }
    }
    // Sequential testing: gbstats' confidence sequences with τ = 5000.
    let params = ExperimentParams {
        sequential_tuning: Some(5000.0),
        ..results_params()
    };
    let seq = run(&mut session, CAMPAIGN, params).unwrap();
    for e in reference["plain"].as_array().unwrap() {
        let r = seq
            .results
            .iter()
            .find(|r| r.metric == e["metric"] && r.variant == e["variant"] && !r.cuped)
            .unwrap();
        close(r.ci_low, &e["sequential"]["ci_low"], "sequential ci_low");
        close(r.ci_high, &e["sequential"]["ci_high"], "sequential ci_high");
        close(r.p_value, &e["sequential"]["p_value"], "sequential p");
    }
    // The corrections over the four plain comparisons: statsmodels' multipletests.
    for (correction, key) in [(Correction::Holm, "holm"), (Correction::Bh, "bh")] {
        let params = ExperimentParams {
            correction,
            ..results_params()
        };
        let corrected = run(&mut session, CAMPAIGN, params).unwrap();
        let plain: Vec<_> = corrected.results.iter().filter(|r| !r.cuped).collect();
        for (r, q) in plain.iter().zip(reference[key].as_array().unwrap()) {
            close(r.p_value_adjusted, q, key);
        }
    }
    // Unequal intended weights: the split no longer matches, and the banner's flag is up.
    let params = ExperimentParams {
        weights: vec![0.5, 0.25, 0.25],
        ..results_params()
    };
    let skewed = run(&mut session, CAMPAIGN, params).unwrap();
    close(
        skewed.srm_p_value,
        &reference["srm_p_value_weighted"],
        "weighted SRM",
    );
    assert!(skewed.srm_suspect);
}

/// A contact list joined with transactions checked by hand: window [2024-03-01, +10 days), the
/// same length before as the covariate; a contact without any transaction counts as a
/// non-converter with zero revenue and is reported.
#[test]
fn a_contact_list_takes_its_outcomes_from_the_transactions() {
    let transactions = b"customer_id,date,amount\n\
        a,2024-02-25,10\n\
        a,2024-03-02,30\n\
        a,2024-03-05,20\n\
        b,2024-03-20,50\n\
        c,2024-02-20,5\n\
        d,2024-03-03,-8\n\
        d,2024-03-03,40\n\
        e,2024-04-01,1\n";
    let contacts =
        "id,group\na,treatment\nb,treatment\nc,control\nd,control\nzz,control\ne,treatment\n";
    let mut session = Session::new();
    load_transactions(&mut session, transactions);
    let params = ExperimentParams {
        id_column: Some("id".into()),
        ..ExperimentParams::new(OutcomeSource::Contacts {
            start_day: segscope_engine::calendar::parse_iso_day("2024-03-01"),
            window_days: 10,
            date_column: None,
        })
    };
    let report = run(&mut session, contacts.as_bytes(), params).unwrap();
    let k = report.contacts.unwrap();
    assert_eq!((k.contacts, k.matched, k.without_transactions), (6, 5, 1));
    let names: Vec<&str> = report.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["control", "treatment"]);
    let find = |metric: &str| {
        report
            .results
            .iter()
            .find(|r| r.metric == metric && !r.cuped)
            .unwrap()
    };
    // control: c (nothing in the window), d (one order of 32), zz (no transaction) → 1/3;
    // treatment: a (two orders, 50), b (after the window), e (after) → 1/3.
    let converted = find("converted");
    assert!((converted.control_mean - 1.0 / 3.0).abs() < 1e-12);
    assert!((converted.mean - 1.0 / 3.0).abs() < 1e-12);
    let orders = find("orders");
    assert!(
        (orders.control_mean - 1.0 / 3.0).abs() < 1e-12 && (orders.mean - 2.0 / 3.0).abs() < 1e-12
    );
    let revenue = find("revenue");
    assert!(
        (revenue.control_mean - 32.0 / 3.0).abs() < 1e-9,
        "{}",
        revenue.control_mean
    );
    assert!((revenue.mean - 50.0 / 3.0).abs() < 1e-9, "{}", revenue.mean);
    // The pre-period (2024-02-20 .. 2024-02-29): a spent 10, c spent 5.
    let data_pre: Vec<_> = report
        .metrics
        .iter()
        .map(|m| m.covariate.clone().unwrap())
        .collect();
    assert_eq!(data_pre, ["converted_pre", "orders_pre", "revenue_pre"]);
    // The window ends on 2024-03-10, before the last day of data (2024-04-01).
    assert!(!k.window_past_data);
    // RFM segments of the transactions' customers, and the contact outside them.
    assert!(report
        .segments
        .iter()
        .any(|s| s.segment == SegmentLabel::NotInTransactions));
}

fn engine_error(e: SessionError) -> ExperimentError {
    match e {
        SessionError::Engine(EngineError::Experiment(e)) => e,
        other => panic!("not a campaign error: {other:?}"),
    }
}

/// Every malformed campaign file or setting gets its own error, which says where.
#[test]
fn bad_campaign_files_say_what_is_wrong() {
    let mut session = Session::new();
    let cases: [(&str, ExperimentParams, ExperimentError); 6] = [
        (
            "id,group,converted\n",
            results_params(),
            ExperimentError::Empty,
        ),
        (
            "id,converted\n1,0\n2,1\n",
            results_params(),
            ExperimentError::NoGroupColumn,
        ),
        (
            "id,group,converted\n1,a,0\n2,a,1\n",
            results_params(),
            ExperimentError::OneGroup { group: "a".into() },
        ),
        (
            "id,group,note\n1,a,x\n2,b,y\n",
            results_params(),
            ExperimentError::NoMetrics,
        ),
        (
            "id,group,converted\n1,a,0\n2,b,1\n",
            ExperimentParams {
                control: Some("holdout".into()),
                ..results_params()
            },
            ExperimentError::NoControl {
                control: "holdout".into(),
                groups: vec!["a".into(), "b".into()],
            },
        ),
        (
            "id,group,converted\n1,a,0\n2,b,1\n",
            ExperimentParams {
                weights: vec![1.0, 1.0, 1.0],
                ..results_params()
            },
            ExperimentError::WeightsCount {
                weights: 3,
                groups: 2,
            },
        ),
    ];
    for (file, params, expected) in cases {
        let got = run(&mut session, file.as_bytes(), params)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(engine_error(got), expected, "{file}");
    }
    // A named metric column with text in it names the column, the row and the value.
    let params = ExperimentParams {
        source: OutcomeSource::Results {
            metrics: vec![segscope_engine::experiment::MetricChoice {
                column: "revenue".into(),
                kind: None,
                covariate: None,
            }],
        },
        ..results_params()
    };
    let got = run(&mut session, b"id,group,revenue\n1,a,3\n2,b,n/a\n", params)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        engine_error(got),
        ExperimentError::MetricNotNumeric {
            column: "revenue".into(),
            row: 2,
            value: "n/a".into()
        }
    );
    // A contact list without dates and without a start.
    load_transactions(&mut session, DEMO);
    let params = ExperimentParams::new(OutcomeSource::Contacts {
        start_day: None,
        window_days: 30,
        date_column: None,
    });
    let got = run(&mut session, b"customer_id,group\n1,a\n2,b\n", params)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(engine_error(got), ExperimentError::NoStart);
}

/// Evan Miller's calculator: 20 % baseline, +5 points, α 0.05, 80 % power → 1,030 per variation.
#[test]
fn the_calculator_gives_evan_millers_sample_size() {
    use segscope_engine::experiment::{sample_size, PowerMetric, PowerParams};
    let report = sample_size(&PowerParams::new(
        PowerMetric::Proportion { baseline_rate: 0.2 },
        0.05,
    ))
    .unwrap();
    assert_eq!(report.per_variation, 1_030);
    assert_eq!(report.total, 2_060);
}
