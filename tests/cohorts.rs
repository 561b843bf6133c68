//! Cohorts against pandas (`tests/fixtures/cohorts/make_reference.py`, committed beside its
//! outputs; its small file is also checked by hand there), and the cohort errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]

mod common;

use std::collections::BTreeMap;

use segscope::engine::baskets::ItemLevel;
use segscope::engine::cohorts::{
    CohortAnalysis, CohortError, CohortParams, CohortPeriod, CohortSplit,
};
use segscope::engine::session::{self as msg, Session};
use segscope::engine::table_out::ExportFormat;
use segscope::engine::EngineError;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

fn cohorts(
    session: &Session,
    period: CohortPeriod,
    split: CohortSplit,
) -> Result<CohortAnalysis, CohortError> {
    CohortAnalysis::run(
        session.dataset().unwrap(),
        session.analysis().unwrap(),
        CohortParams { period, split },
    )
}

#[track_caller]
fn close(actual: f64, expected: &str, what: &str) {
    let expected: f64 = expected.parse().unwrap();
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {actual} vs {expected}"
    );
}

/// The matrix of everybody equals pandas' cell by cell.
fn assert_matches(session: &Session, period: CohortPeriod, reference: &str) {
    let analysis = cohorts(session, period, CohortSplit::None).unwrap();
    let all = &analysis.groups[0];
    let text = read(reference);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    let cells: usize = all.cohorts.iter().map(|c| c.cells.len()).sum();
    assert_eq!(cells, rows.len(), "{reference}: cells");
    let mut at = rows.iter();
    for c in &all.cohorts {
        for (p, cell) in c.cells.iter().enumerate() {
            let r = at.next().unwrap();
            let what = format!("{reference} {} +{p}", c.label);
            assert_eq!(r["cohort"], c.label, "{what}");
            assert_eq!(r["period"], p.to_string(), "{what}");
            assert_eq!(r["customers"], c.customers.to_string(), "{what}");
            assert_eq!(
                r["active_customers"],
                cell.active_customers.to_string(),
                "{what}"
            );
            assert_eq!(r["orders"], cell.orders.to_string(), "{what}");
            close(cell.active_share, &r["active_share"], &what);
            close(cell.revenue, &r["revenue"], &what);
            close(
                cell.cumulative_revenue_per_customer,
                &r["cumulative_revenue_per_customer"],
                &what,
            );
        }
    }
}

#[test]
fn matrices_equal_pandas_for_months_weeks_and_quarters() {
    let small = common::session_with(read("cohorts/small.csv").as_bytes());
    let tx = common::session_with(read("baskets/tx_baskets.csv").as_bytes());
    for (period, key) in [
        (CohortPeriod::Month, "month"),
        (CohortPeriod::Week, "week"),
        (CohortPeriod::Quarter, "quarter"),
    ] {
        assert_matches(&small, period, &format!("cohorts/small_{key}.csv"));
        assert_matches(&tx, period, &format!("cohorts/tx_baskets_{key}.csv"));
    }
    // The customer with only a return has no cohort.
    let a = cohorts(&small, CohortPeriod::Month, CohortSplit::None).unwrap();
    assert_eq!(a.customers_without_purchase, 1);
}

#[test]
fn the_average_curve_weights_the_cohorts_that_reached_each_period() {
    let tx = common::session_with(read("baskets/tx_baskets.csv").as_bytes());
    let a = cohorts(&tx, CohortPeriod::Month, CohortSplit::None).unwrap();
    let all = &a.groups[0];
    for avg in &all.average {
        let p = avg.period as usize;
        let (mut customers, mut active) = (0u64, 0u64);
        for c in all.cohorts.iter().filter(|c| c.cells.len() > p) {
            customers += c.customers;
            active += c.cells[p].active_customers;
        }
        assert_eq!(avg.customers, customers);
        assert!((avg.active_share - active as f64 / customers as f64).abs() < 1e-12);
    }
    assert_eq!(
        all.average[0].active_share, 1.0,
        "everybody buys in their first period"
    );
}

#[test]
fn splits_partition_the_customers() {
    let tx = common::session_with(read("baskets/tx_baskets.csv").as_bytes());
    for split in [
        CohortSplit::FirstRegion,
        CohortSplit::FirstChannel,
        CohortSplit::FirstItem(ItemLevel::Product),
    ] {
        let a = cohorts(&tx, CohortPeriod::Month, split).unwrap();
        let total = a.groups[0].customers;
        let parts: u64 = a.groups[1..].iter().map(|g| g.customers).sum();
        assert_eq!(parts, total, "{split:?}");
        assert!(a.groups.len() <= 12);
        // Every cell of the parts adds up to everybody's.
        for (i, c) in a.groups[0].cohorts.iter().enumerate() {
            for (p, cell) in c.cells.iter().enumerate() {
                let sum: u64 = a.groups[1..]
                    .iter()
                    .filter_map(|g| g.cohorts.iter().find(|x| x.label == c.label))
                    .map(|x| x.cells[p].active_customers)
                    .sum();
                assert_eq!(sum, cell.active_customers, "{split:?} cohort {i} +{p}");
            }
        }
    }
    // Five regions in the generator: five groups and everybody.
    let a = cohorts(&tx, CohortPeriod::Month, CohortSplit::FirstRegion).unwrap();
    assert_eq!(a.groups.len(), 6);
    assert!(a.groups.iter().all(|g| !g.other));
}

fn cohort_error(result: Result<msg::Reply, msg::SessionError>) -> CohortError {
    match result {
        Err(msg::SessionError::Engine(EngineError::Cohorts(e))) => e,
        other => panic!("expected a cohort error, got {other:?}"),
    }
}

#[test]
fn bad_input_is_named_and_the_export_has_the_documented_columns() {
    // One month of data.
    let mut s = common::session_with(b"customer_id,date,amount\na,2024-01-01,5\nb,2024-01-20,6\n");
    let run = |period| {
        msg::Request::Cohorts(msg::cohorts::Request::Run {
            params: CohortParams {
                period,
                split: CohortSplit::None,
            },
            group: 0,
        })
    };
    assert_eq!(
        cohort_error(common::ask(&mut s, run(CohortPeriod::Month), None)),
        CohortError::OnePeriod {
            period: CohortPeriod::Month,
            label: "2024-01".into()
        }
    );
    // Weeks split the same file.
    assert!(common::ask(&mut s, run(CohortPeriod::Week), None).is_ok());
    // A split without its column.
    let e = cohort_error(common::ask(
        &mut s,
        msg::Request::Cohorts(msg::cohorts::Request::Run {
            params: CohortParams {
                period: CohortPeriod::Week,
                split: CohortSplit::FirstRegion,
            },
            group: 0,
        }),
        None,
    ));
    assert_eq!(
        e,
        CohortError::NoSplitColumn {
            split: CohortSplit::FirstRegion
        }
    );

    // The export: one row per cohort and period, the columns first.
    let mut s = common::session_with(read("cohorts/small.csv").as_bytes());
    common::ask(&mut s, run(CohortPeriod::Month), None).unwrap();
    let reply = common::ask(
        &mut s,
        msg::Request::Cohorts(msg::cohorts::Request::Export {
            format: ExportFormat::Csv,
            other_name: "other".into(),
        }),
        None,
    )
    .unwrap();
    let text = reply.download.unwrap().text().into_owned();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "cohort,period,customers,active_customers,active_share,orders,revenue,orders_per_customer,revenue_per_customer,cumulative_revenue_per_customer"
    );
    assert_eq!(
        lines.next().unwrap().split(',').take(7).collect::<Vec<_>>(),
        ["2024-01", "0", "2", "2", "1", "3", "27.75"]
    );
    assert_eq!(
        text.lines().count(),
        1 + read("cohorts/small_month.csv").lines().count() - 1
    );
}

/// A cohort opens the customer table on its customers: the band filter on a cohort's label
/// matches as many customers as the pandas reference puts in that cohort.
#[test]
fn a_cohort_filters_the_customer_table_to_its_customers() {
    use segscope::engine::customers::cohorts::COHORT;
    use segscope::engine::customers::{BandFilter, CustomerQuery};
    let mut s = common::session_with(read("baskets/tx_baskets.csv").as_bytes());
    common::ask(
        &mut s,
        msg::Request::Cohorts(msg::cohorts::Request::Run {
            params: CohortParams {
                period: CohortPeriod::Month,
                split: CohortSplit::None,
            },
            group: 0,
        }),
        None,
    )
    .unwrap();
    // The pandas reference's cohort sizes (its rows of period 0).
    let text = read("cohorts/tx_baskets_month.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let sizes: Vec<(String, u64)> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[1] == "0")
        .map(|r| (r[0].to_string(), r[2].parse().unwrap()))
        .collect();
    assert!(sizes.len() > 3);
    for (label, size) in sizes.iter().take(4) {
        let query = CustomerQuery {
            bands: vec![BandFilter {
                column: COHORT.into(),
                values: vec![label.clone()],
            }],
            ..CustomerQuery::default()
        };
        let reply = common::ask(
            &mut s,
            msg::Request::Customers(msg::customers::Request::Page { query }),
            None,
        )
        .unwrap();
        let msg::Response::Customers(msg::customers::Response::Page { page }) = reply.response
        else {
            panic!()
        };
        assert_eq!(page.matching, *size, "cohort {label}");
    }
}
