//! Membership tiers, checked by hand on a small file (every customer's movement worked out in
//! the comments), through the session as the page and the CLI use it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]

mod common;

use segscope::engine::customers::tiers::{TIER, TIER_MOVEMENT};
use segscope::engine::customers::{BandFilter, CustomerQuery};
use segscope::engine::session::{self as msg, Session};
use segscope::engine::table_out::ExportFormat;
use segscope::engine::tiers::{Movement, TierError, TierParams, TierReport, TierWords};
use segscope::engine::EngineError;

/// The file checked by hand. As-of day 2024-12-31 (the day after the last line); one window (12 months) earlier:
/// 2023-12-31. Windows: before (2022-12-31, 2023-12-31], now (2023-12-31, 2024-12-31].
/// Thresholds 100 and 500: tier 0 below 100, tier 1 from 100, tier 2 from 500.
const FILE: &str = include_str!("fixtures/tiers/hand.csv");
// Before → now, by hand:
// A 600 (tier 2) → 50 (tier 0): down.      B 50 (0) → 600 (2): up.
// C 150 (1) → 120 (1): same.                D 300 (1) → nothing: lapsed.
// E first buys in 2024, 80 (0): new.       F 2022 only before the window: inactive → 1000 (2):
//                                          reactivated.
// G 2022 only: dormant.                     H 200 (1) → 600 − 150 return = 450 (1): same.
// I 100 on the earlier day itself (1) → 100 on 2024-12-30 (1, a threshold counts as reached):
//   same.

fn run(s: &mut Session, params: TierParams) -> Result<TierReport, msg::SessionError> {
    let reply = common::ask(
        s,
        msg::Request::Tiers(msg::tiers::Request::Run { params }),
        None,
    )?;
    let msg::Response::Tiers(msg::tiers::Response::Tiers { report }) = reply.response else {
        panic!("not tiers")
    };
    Ok(report)
}

fn hand_params() -> TierParams {
    TierParams {
        thresholds: vec![100.0, 500.0],
        ..TierParams::default()
    }
}

#[test]
fn migrations_match_the_hand_count() {
    let mut s = common::session_with(FILE.as_bytes());
    let r = run(&mut s, hand_params()).unwrap();
    assert_eq!(r.as_of_day, common::day("2024-12-31"));
    assert_eq!(r.earlier_day, common::day("2023-12-31"));
    assert!(!r.earlier_window_partial);
    assert_eq!(r.customers, 9);
    let movements: Vec<(Movement, u64)> = r.movements.clone();
    assert_eq!(
        movements,
        vec![
            (Movement::New, 1),
            (Movement::Up, 1),
            (Movement::Same, 3),
            (Movement::Down, 1),
            (Movement::Lapsed, 1),
            (Movement::Reactivated, 1),
            (Movement::Dormant, 1),
        ]
    );
    // Rows: not yet, inactive, tier 0, 1, 2; columns: inactive, tier 0, 1, 2.
    assert_eq!(
        r.matrix,
        vec![
            vec![0, 1, 0, 0], // E
            vec![1, 0, 0, 1], // G, F
            vec![0, 0, 0, 1], // B
            vec![1, 0, 3, 0], // D; C, H, I
            vec![0, 1, 0, 0], // A
        ]
    );
    let now: Vec<u64> = r.tiers.iter().map(|t| t.customers_now).collect();
    let before: Vec<u64> = r.tiers.iter().map(|t| t.customers_before).collect();
    assert_eq!(now, vec![2, 3, 2]);
    assert_eq!(before, vec![1, 4, 1]);
    let spend: Vec<f64> = r.tiers.iter().map(|t| t.spend_now).collect();
    assert_eq!(spend, vec![130.0, 670.0, 1600.0]);
    assert!((r.tiers[2].spend_share_now - 1600.0 / 2400.0).abs() < 1e-12);
    assert_eq!(r.tiers[1].lower, 100.0);
    assert_eq!(r.tiers[1].upper, Some(500.0));
    assert_eq!(r.tiers[2].upper, None);
    assert_eq!((r.active_now, r.active_before), (7, 6));
}

#[test]
fn points_scale_the_value_and_a_threshold_change_reuses_the_spends() {
    let mut s = common::session_with(FILE.as_bytes());
    run(&mut s, hand_params()).unwrap();
    let spends = s.tiers().unwrap().base.clone();
    // 2 points per unit with thresholds 200 and 1000 in points: the same tiers.
    let r = run(
        &mut s,
        TierParams {
            thresholds: vec![200.0, 1000.0],
            points_per_unit: Some(2.0),
            ..TierParams::default()
        },
    )
    .unwrap();
    assert_eq!(s.tiers().unwrap().base, spends);
    let now: Vec<u64> = r.tiers.iter().map(|t| t.customers_now).collect();
    assert_eq!(now, vec![2, 3, 2]);
    // One threshold at 1000 points (500 money): B, F and... nobody else reaches it.
    let r = run(
        &mut s,
        TierParams {
            thresholds: vec![1000.0],
            points_per_unit: Some(2.0),
            ..TierParams::default()
        },
    )
    .unwrap();
    let now: Vec<u64> = r.tiers.iter().map(|t| t.customers_now).collect();
    assert_eq!(now, vec![5, 2]);
}

#[test]
fn thresholds_out_of_order_say_which_and_keep_the_tiers_shown() {
    let mut s = common::session_with(FILE.as_bytes());
    let shown = run(&mut s, hand_params()).unwrap();
    let err = run(
        &mut s,
        TierParams {
            thresholds: vec![500.0, 100.0],
            ..TierParams::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err,
        msg::SessionError::Engine(EngineError::Tiers(TierError::ThresholdsOutOfOrder {
            position: 2,
            value: 100.0,
            previous: 500.0
        }))
    );
    assert_eq!(
        s.tiers().unwrap().analysis.report.tiers,
        shown.tiers,
        "the failed request kept the tiers"
    );
}

#[test]
fn suggested_thresholds_sit_at_the_quantiles() {
    let mut s = common::session_with(FILE.as_bytes());
    let r = run(&mut s, TierParams::default()).unwrap();
    // Current spends of the 7 active customers, sorted: 50, 80, 100, 120, 450, 600, 1000.
    // Linear quantiles: 50 % = 120, 80 % = 450 + 0.8·(600 − 450) = 570, 95 % = 600 + 0.7·400 = 880.
    assert_eq!(r.suggested, vec![120.0, 570.0, 880.0]);
    assert_eq!(r.params.thresholds, r.suggested);
    assert_eq!(r.tiers.len(), 4);
}

#[test]
fn the_export_lists_every_customer_and_the_table_filters_on_tiers() {
    let mut s = common::session_with(FILE.as_bytes());
    run(&mut s, hand_params()).unwrap();
    let reply = common::ask(
        &mut s,
        msg::Request::Tiers(msg::tiers::Request::Export {
            format: ExportFormat::Csv,
            words: TierWords::default(),
        }),
        None,
    )
    .unwrap();
    let text = String::from_utf8(reply.download.unwrap().bytes).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "customer_id,spend_before,tier_before,spend_now,tier_now,movement"
    );
    assert_eq!(lines.len(), 10);
    assert_eq!(lines[1], "F,0,inactive,1000,tier_2,reactivated");
    assert!(lines.contains(&"E,0,not_yet,80,tier_0,new"));
    assert!(lines.contains(&"H,200,tier_1,450,tier_1,same"));

    let page = |s: &mut Session, column: &str, values: &[&str]| {
        let query = CustomerQuery {
            bands: vec![BandFilter {
                column: column.into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            }],
            ..CustomerQuery::default()
        };
        let reply = common::ask(
            s,
            msg::Request::Customers(msg::customers::Request::Page { query }),
            None,
        )
        .unwrap();
        let msg::Response::Customers(msg::customers::Response::Page { page }) = reply.response
        else {
            panic!()
        };
        let mut ids: Vec<String> = page.rows.into_iter().map(|r| r.customer_id).collect();
        ids.sort();
        ids
    };
    assert_eq!(page(&mut s, TIER, &["tier_2"]), vec!["B", "F"]);
    assert_eq!(page(&mut s, TIER, &["inactive"]), vec!["D", "G"]);
    assert_eq!(
        page(&mut s, TIER_MOVEMENT, &["lapsed", "down"]),
        vec!["A", "D"]
    );
}
