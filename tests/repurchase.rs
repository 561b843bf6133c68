//! Repurchase cycles against lifelines 0.27.8 (`tests/fixtures/repurchase/make_reference.py`,
//! committed beside its outputs, with a small file checked by hand there).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]

mod common;

use segscope::engine::baskets::ItemLevel;
use segscope::engine::repurchase::{RepurchaseAnalysis, RepurchaseError, RepurchaseParams};
use segscope::engine::session::{self as msg};
use segscope::engine::table_out::ExportFormat;
use segscope::engine::EngineError;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

fn time(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
}

fn check(
    file: &str,
    km: &serde_json::Value,
    due: &[(String, String, f64, f64)],
    expected: Option<u64>,
) {
    let s = common::session_with(read(file).as_bytes());
    let a = RepurchaseAnalysis::run(
        s.dataset().unwrap(),
        s.analysis().unwrap(),
        RepurchaseParams::default(),
    )
    .unwrap();
    assert_eq!(
        i64::from(a.report.as_of_day),
        km["as_of_day"].as_i64().unwrap(),
        "{file}: as-of day"
    );
    for p in km["products"].as_array().unwrap() {
        let name = p["product"].as_str().unwrap();
        let (_, curve) = a.curves.iter().find(|(n, _)| n == name).unwrap();
        assert_eq!(curve.spells, p["spells"].as_u64().unwrap(), "{name} spells");
        assert_eq!(curve.events, p["events"].as_u64().unwrap(), "{name} events");
        assert_eq!(curve.median(), time(&p["median"]), "{name} median");
        assert_eq!(
            curve.quantile_time(0.75),
            time(&p["time_25pct_repurchased"]),
            "{name} q25"
        );
        assert_eq!(
            curve.quantile_time(0.25),
            time(&p["time_75pct_repurchased"]),
            "{name} q75"
        );
        let points = p["survival"].as_array().unwrap();
        assert_eq!(curve.times.len(), points.len(), "{name} event times");
        for ((t, s), point) in curve.times.iter().zip(&curve.survival).zip(points) {
            assert_eq!(*t, point[0].as_f64().unwrap(), "{name} time");
            assert!(
                (s - point[1].as_f64().unwrap()).abs() < 1e-12,
                "{name} S({t}) {s} vs {}",
                point[1]
            );
        }
    }
    let got: Vec<(String, String, f64, f64)> = a
        .due
        .iter()
        .map(|d| {
            (
                d.customer_id.clone(),
                d.item.clone(),
                d.expected_day,
                d.days_overdue,
            )
        })
        .collect();
    assert_eq!(got.len(), due.len(), "{file}: due");
    for (g, w) in got.iter().zip(due) {
        assert_eq!((&g.0, &g.1), (&w.0, &w.1), "{file}: due order");
        assert!(
            (g.2 - w.2).abs() < 1e-9 && (g.3 - w.3).abs() < 1e-9,
            "{file}: {g:?} vs {w:?}"
        );
    }
    if let Some(n) = expected {
        assert_eq!(a.report.expected, n, "{file}: expected next purchases");
    }
}

#[test]
fn curves_medians_and_due_lists_equal_lifelines() {
    let small: serde_json::Value = serde_json::from_str(&read("repurchase/small_km.json")).unwrap();
    let due: Vec<(String, String, f64, f64)> = small["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["customer_id"].as_str().unwrap().to_string(),
                d["product"].as_str().unwrap().to_string(),
                d["expected_day"].as_f64().unwrap(),
                d["days_overdue"].as_f64().unwrap(),
            )
        })
        .collect();
    check(
        "repurchase/small.csv",
        &small,
        &due,
        Some(small["expected"].as_array().unwrap().len() as u64),
    );

    let km: serde_json::Value =
        serde_json::from_str(&read("repurchase/reference_km.json")).unwrap();
    let text = read("repurchase/reference_due.csv");
    let due: Vec<(String, String, f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].into(),
                f[1].into(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
            )
        })
        .collect();
    // Every pair of a product whose curve reaches one half has an expected next purchase:
    // lifelines over every product (`all_medians.py`) finds P0001, P0002 and P0454, 1,128 pairs.
    check("baskets/tx_baskets.csv", &km, &due, Some(1128));
}

#[test]
fn bad_input_is_named_and_the_due_list_exports() {
    let mut s = common::session_with(b"customer_id,date,amount\na,2024-01-01,5\na,2024-02-01,6\n");
    let run = |level| {
        msg::Request::Repurchase(msg::repurchase::Request::Run {
            params: RepurchaseParams {
                level,
                ..RepurchaseParams::default()
            },
        })
    };
    let err = |r: Result<msg::Reply, msg::SessionError>| match r {
        Err(msg::SessionError::Engine(EngineError::Repurchase(e))) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err(common::ask(&mut s, run(ItemLevel::Product), None)),
        RepurchaseError::NoItemColumn {
            level: ItemLevel::Product
        }
    );
    let mut s = common::session_with(
        b"customer_id,date,amount,product\na,2024-01-01,5,x\nb,2024-02-01,6,y\n",
    );
    assert_eq!(
        err(common::ask(&mut s, run(ItemLevel::Product), None)),
        RepurchaseError::NoRepeats
    );
    let mut s = common::session_with(read("repurchase/small.csv").as_bytes());
    common::ask(&mut s, run(ItemLevel::Product), None).unwrap();
    let reply = common::ask(
        &mut s,
        msg::Request::Repurchase(msg::repurchase::Request::ExportDue {
            format: ExportFormat::Csv,
        }),
        None,
    )
    .unwrap();
    let text = reply.download.unwrap().text().into_owned();
    assert_eq!(
        text.lines().next().unwrap(),
        "customer_id,item,last_purchase,expected_date,days_overdue,own_intervals"
    );
    assert_eq!(text.lines().count(), 3);
}
