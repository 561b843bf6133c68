//! Segmentation: the feature table on a hand-checked dataset, transforms, the attributes file,
//! the saved model, degenerate data, and an end-to-end recovery of simulated behaviour groups.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::day;
use ndarray::Array2;
use segscope::engine::cluster::features::{FeatureLevels, MAX_CATEGORY_COLUMNS};
use segscope::engine::cluster::model::MODEL_FORMAT_VERSION;
use segscope::engine::cluster::profile::{name_segments, TraitIndexes};
use segscope::engine::cluster::transform::FittedTransform;
use segscope::engine::cluster::{
    AttributeTable, BehaviourFeature, ClusterAnalysis, ClusterError, ClusterInput, ClusterSettings,
    ClusterWarning, FeatureColumn, FeatureKey, FeatureTable, FeatureValues, KChoice, NameTrait,
    SegmentationModel, TransformKind, Unavailable,
};
use segscope::engine::rfm::{self, Analysis, RfmParams};
use segscope::engine::{Dataset, Interned};

// ---------------------------------------------------------------------------------------------
// Helpers

/// One line: (customer, ISO date, amount, product, region, channel).
type Line<'a> = (&'a str, &'a str, f64, &'a str, &'a str, &'a str);

fn intern(table: &mut Interned, value: &str) -> u32 {
    match table.position(value) {
        Some(i) => i as u32,
        None => table.push(value),
    }
}

/// A dataset without order ids (same-day lines of a customer are one order).
fn dataset(lines: &[Line]) -> Dataset {
    let mut d = Dataset::default();
    for (id, date, amount, product, region, channel) in lines {
        let c = intern(&mut d.customer_ids, id);
        d.customer.push(c);
        d.day.push(day(date));
        d.amount.push(*amount);
        let p = intern(&mut d.products, product);
        d.product.push(p);
        let r = intern(&mut d.regions, region);
        d.region.push(r);
        let ch = intern(&mut d.channels, channel);
        d.channel.push(ch);
        d.is_exact_duplicate.push(false);
    }
    d
}

/// A, B, C worked out by hand (as-of = 2024-02-01, the day after the last line):
///
/// - A: 01-01 P1 100 (N, web), 01-11 P2 50 (N, shop), 01-31 P1 30 (S, web) → F 3, M 180,
///   recency 1, tenure 31, AOV 60, days between orders 15; P1 130/180, P2 50/180; main N, web.
/// - B: 01-21 P3 40 (S, shop) → F 1, M 40, recency 11, tenure 11, AOV 40, one order (imputed).
/// - C: 01-05 P1 10 + P2 10 (N, web; one order), 01-25 P3 20 (S, shop) → F 2, M 40, recency 7,
///   tenure 27, AOV 20, days between 20; shares 1/4, 1/4, 1/2; N and S tie (20 each): the first
///   seen (N) wins, likewise web.
fn small() -> Dataset {
    dataset(&[
        ("A", "2024-01-01", 100.0, "P1", "N", "web"),
        ("C", "2024-01-05", 10.0, "P1", "N", "web"),
        ("C", "2024-01-05", 10.0, "P2", "N", "web"),
        ("A", "2024-01-11", 50.0, "P2", "N", "shop"),
        ("B", "2024-01-21", 40.0, "P3", "S", "shop"),
        ("C", "2024-01-25", 20.0, "P3", "S", "shop"),
        ("A", "2024-01-31", 30.0, "P1", "S", "web"),
    ])
}

fn rfm_of(d: &Dataset) -> Analysis {
    rfm::analyze(d, &RfmParams::default()).unwrap()
}

fn input<'a>(d: &'a Dataset, a: &'a Analysis) -> ClusterInput<'a> {
    ClusterInput {
        dataset: d,
        rfm: a,
        clv: None,
        attributes: None,
    }
}

fn b(f: BehaviourFeature) -> FeatureKey {
    FeatureKey::Behaviour(f)
}

fn numeric<'t>(t: &'t FeatureTable, label: &str) -> &'t [f64] {
    match &t
        .column(label)
        .unwrap_or_else(|| panic!("no column {label}"))
        .values
    {
        FeatureValues::Numeric(v) => v,
        other => panic!("{label} is not numeric: {other:?}"),
    }
}

/// Values of `label` by customer id A, B, C.
fn by_id(d: &Dataset, t: &FeatureTable, label: &str) -> Vec<f64> {
    let v = numeric(t, label);
    ["A", "B", "C"]
        .iter()
        .map(|id| {
            let c = d.customer_ids.position(id).unwrap() as u32;
            let row = t.customers.iter().position(|x| *x == c).unwrap();
            v[row]
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 || (a.is_nan() && b.is_nan())
}

#[track_caller]
fn assert_all_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(close(*a, *e), "{actual:?} vs {expected:?}");
    }
}

fn no_clock() -> impl FnMut() -> f64 {
    || 0.0
}

fn table(columns: Vec<FeatureColumn>) -> FeatureTable {
    let rows = match &columns[0].values {
        FeatureValues::Numeric(v) => v.len(),
        FeatureValues::Categorical { codes, .. } => codes.len(),
    };
    FeatureTable {
        customers: (0..rows as u32).collect(),
        columns,
        levels: FeatureLevels::default(),
        attribute_join: None,
    }
}

fn num(label: &str, values: &[f64]) -> FeatureColumn {
    FeatureColumn {
        key: FeatureKey::Attribute(label.to_string()),
        label: label.to_string(),
        values: FeatureValues::Numeric(values.to_vec()),
    }
}

// ---------------------------------------------------------------------------------------------
// Features

#[test]
fn behaviour_features_by_hand() {
    let d = small();
    let a = rfm_of(&d);
    let features: Vec<FeatureKey> = [
        BehaviourFeature::RecencyDays,
        BehaviourFeature::Frequency,
        BehaviourFeature::Monetary,
        BehaviourFeature::AverageOrderValue,
        BehaviourFeature::TenureDays,
        BehaviourFeature::InterPurchaseDays,
    ]
    .into_iter()
    .map(b)
    .collect();
    let (t, warnings) = FeatureTable::build(&input(&d, &a), &features).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(t.customers, a.customers.customer);
    assert_all_close(&by_id(&d, &t, "recency_days"), &[1.0, 11.0, 7.0]);
    assert_all_close(&by_id(&d, &t, "frequency"), &[3.0, 1.0, 2.0]);
    assert_all_close(&by_id(&d, &t, "monetary"), &[180.0, 40.0, 40.0]);
    assert_all_close(&by_id(&d, &t, "average_order_value"), &[60.0, 40.0, 20.0]);
    assert_all_close(&by_id(&d, &t, "tenure_days"), &[31.0, 11.0, 27.0]);
    assert_all_close(
        &by_id(&d, &t, "inter_purchase_days"),
        &[15.0, f64::NAN, 20.0],
    );

    // The one-order customer gets the median of 15 and 20, with a warning.
    let (fitted, warnings) = FittedTransform::fit(&t).unwrap();
    assert!(warnings.contains(&ClusterWarning::Imputed {
        label: "inter_purchase_days".into(),
        count: 1
    }));
    let info = fitted
        .columns
        .iter()
        .find(|c| c.label == "inter_purchase_days")
        .unwrap();
    assert_eq!(info.raw_median, Some(17.5));
    assert_eq!(info.imputed, 1);
}

#[test]
fn category_shares_and_main_levels_by_hand() {
    let d = small();
    let a = rfm_of(&d);
    let features = vec![
        b(BehaviourFeature::CategoryShares),
        b(BehaviourFeature::MainRegion),
        b(BehaviourFeature::MainChannel),
    ];
    let (t, warnings) = FeatureTable::build(&input(&d, &a), &features).unwrap();
    assert!(warnings.is_empty());
    // Three products (P2 and P3 tie at 60: by name), no "other" column.
    let labels: Vec<&str> = t.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "category_share:P1",
            "category_share:P2",
            "category_share:P3",
            "main_region",
            "main_channel"
        ]
    );
    assert_all_close(
        &by_id(&d, &t, "category_share:P1"),
        &[130.0 / 180.0, 0.0, 0.25],
    );
    assert_all_close(
        &by_id(&d, &t, "category_share:P2"),
        &[50.0 / 180.0, 0.0, 0.25],
    );
    assert_all_close(&by_id(&d, &t, "category_share:P3"), &[0.0, 1.0, 0.5]);
    let FeatureValues::Categorical { levels, codes } = &t.column("main_region").unwrap().values
    else {
        panic!()
    };
    // N is the main region of A and C (2 customers) so it comes first.
    assert_eq!(levels, &["N", "S"]);
    // Rows are in customer-index order: A, C, B.
    assert_eq!(codes, &[Some(0), Some(0), Some(1)]);
    let FeatureValues::Categorical { levels, codes } = &t.column("main_channel").unwrap().values
    else {
        panic!()
    };
    assert_eq!(levels, &["web", "shop"]);
    assert_eq!(codes, &[Some(0), Some(0), Some(1)]);
    assert_eq!(t.levels.category_products, ["P1", "P2", "P3"]);
    assert!(!t.levels.category_other);
}

#[test]
fn many_products_get_an_other_column_and_many_regions_are_merged() {
    let mut lines = Vec::new();
    let ids: Vec<String> = (0..30).map(|i| format!("c{i:02}")).collect();
    let products: Vec<String> = (0..12).map(|i| format!("p{i:02}")).collect();
    let regions: Vec<String> = (0..15).map(|i| format!("r{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        // Product i % 12 for 10 + i, region i % 15.
        lines.push((
            id.as_str(),
            "2024-01-01",
            10.0 + i as f64,
            products[i % 12].as_str(),
            regions[i % 15].as_str(),
            "web",
        ));
    }
    let d = dataset(&lines);
    let a = rfm_of(&d);
    let (t, warnings) = FeatureTable::build(
        &input(&d, &a),
        &[
            b(BehaviourFeature::CategoryShares),
            b(BehaviourFeature::MainRegion),
        ],
    )
    .unwrap();
    let shares: Vec<&FeatureColumn> = t
        .columns
        .iter()
        .filter(|c| c.key == b(BehaviourFeature::CategoryShares))
        .collect();
    assert_eq!(shares.len(), MAX_CATEGORY_COLUMNS + 1);
    assert_eq!(shares.last().unwrap().label, "category_share:other");
    assert!(t.levels.category_other);
    // 15 regions with 2 customers each: 11 kept (ties by name), 4 merged into "other".
    assert_eq!(
        warnings,
        [ClusterWarning::LevelsMerged {
            label: "main_region".into(),
            kept: 11,
            merged: 4
        }]
    );
    let FeatureValues::Categorical { levels, codes } = &t.column("main_region").unwrap().values
    else {
        panic!()
    };
    assert_eq!(levels.len(), 12);
    assert_eq!(levels[0], "r00");
    assert_eq!(levels[11], "other");
    let other = codes.iter().filter(|c| **c == Some(11)).count();
    assert_eq!(other, 8);
}

#[test]
fn saved_levels_are_reused_for_a_new_file() {
    let d = small();
    let a = rfm_of(&d);
    let features = vec![
        b(BehaviourFeature::CategoryShares),
        b(BehaviourFeature::MainRegion),
    ];
    let (t, _) = FeatureTable::build(&input(&d, &a), &features).unwrap();
    let (fitted, _) = FittedTransform::fit(&t).unwrap();
    // Next month: a new product P9 (biggest), a new region W.
    let d2 = dataset(&[
        ("A", "2024-02-03", 500.0, "P9", "W", "web"),
        ("A", "2024-02-04", 100.0, "P1", "N", "web"),
        ("B", "2024-02-05", 40.0, "P3", "S", "shop"),
    ]);
    let a2 = rfm_of(&d2);
    let (t2, _) =
        FeatureTable::build_with_levels(&input(&d2, &a2), &features, &fitted.levels).unwrap();
    let labels: Vec<&str> = t2.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "category_share:P1",
            "category_share:P2",
            "category_share:P3",
            "main_region"
        ]
    );
    // A's P9 spend is in no column (there was no "other" in the fit).
    assert_all_close(numeric(&t2, "category_share:P1"), &[100.0 / 600.0, 0.0]);
    let FeatureValues::Categorical { levels, codes } = &t2.column("main_region").unwrap().values
    else {
        panic!()
    };
    assert_eq!(levels, &["N", "S"]);
    // A's main region W is unknown to the model: missing (all-zero one-hot row).
    assert_eq!(codes, &[None, Some(1)]);
    let x = fitted.apply(&t2).unwrap();
    assert_eq!(x.ncols(), fitted.columns.len());
    let region_columns: Vec<usize> = fitted
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.transform == TransformKind::OneHot)
        .map(|(j, _)| j)
        .collect();
    assert!(region_columns.iter().all(|j| x[[0, *j]] == 0.0));
}

#[test]
fn unavailable_features_say_why() {
    let d = small();
    let a = rfm_of(&d);
    let reason = |features: Vec<FeatureKey>, d: &Dataset| {
        let a = rfm_of(d);
        match FeatureTable::build(&input(d, &a), &features) {
            Err(ClusterError::FeatureUnavailable { reason, .. }) => reason,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        reason(vec![FeatureKey::Attribute("age".into())], &d),
        Unavailable::NoAttributes
    );
    assert_eq!(
        reason(vec![b(BehaviourFeature::Clv)], &d),
        Unavailable::NoPredictions
    );
    assert_eq!(
        reason(vec![b(BehaviourFeature::ProbabilityAlive)], &d),
        Unavailable::NoPredictions
    );
    let mut bare = d.clone();
    bare.product.clear();
    bare.region.clear();
    bare.channel.clear();
    assert_eq!(
        reason(vec![b(BehaviourFeature::CategoryShares)], &bare),
        Unavailable::NoProductColumn
    );
    assert_eq!(
        reason(vec![b(BehaviourFeature::MainRegion)], &bare),
        Unavailable::NoRegionColumn
    );
    assert_eq!(
        reason(vec![b(BehaviourFeature::MainChannel)], &bare),
        Unavailable::NoChannelColumn
    );
    let attributes = AttributeTable::parse(b"customer_id,age\nA,30\nB,40\n", None).unwrap();
    let with = ClusterInput {
        attributes: Some(&attributes),
        ..input(&d, &a)
    };
    assert!(matches!(
        FeatureTable::build(&with, &[FeatureKey::Attribute("income".into())]),
        Err(ClusterError::FeatureUnavailable { reason, .. }) if reason == Unavailable::NoSuchAttribute
    ));
}

#[test]
fn attribute_columns_join_on_the_customer_id() {
    let d = small();
    let a = rfm_of(&d);
    let attributes = AttributeTable::parse(
        "会员号,年龄,城市\nC,25,上海\nA,35,北京\nZ,50,深圳\n".as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(attributes.id_column, "会员号");
    let with = ClusterInput {
        attributes: Some(&attributes),
        ..input(&d, &a)
    };
    let features = vec![
        FeatureKey::Attribute("年龄".into()),
        FeatureKey::Attribute("城市".into()),
    ];
    let (t, _) = FeatureTable::build(&with, &features).unwrap();
    assert_all_close(&by_id(&d, &t, "attr:年龄"), &[35.0, f64::NAN, 25.0]);
    let join = t.attribute_join.as_ref().unwrap();
    assert_eq!((join.rows, join.matched, join.unmatched), (3, 2, 1));
    assert_eq!(join.unmatched_examples, ["Z"]);
    assert_eq!(join.customers_without_row, 1);
    let (fitted, warnings) = FittedTransform::fit(&t).unwrap();
    assert!(warnings.contains(&ClusterWarning::Imputed {
        label: "attr:年龄".into(),
        count: 1
    }));
    let labels: Vec<&str> = fitted.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["attr:年龄", "attr:城市=上海", "attr:城市=北京"]);
}

// ---------------------------------------------------------------------------------------------
// Transforms

#[test]
fn skewed_columns_are_logged_then_standardised() {
    let skewed = [1.0, 1.0, 2.0, 2.0, 3.0, 4.0, 100.0];
    let plain = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
    let t = table(vec![num("skewed", &skewed), num("plain", &plain)]);
    let (fitted, warnings) = FittedTransform::fit(&t).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(fitted.columns[0].transform, TransformKind::LogStandardise);
    assert!(fitted.columns[0].skewness.unwrap() > 2.0);
    assert_eq!(fitted.columns[1].transform, TransformKind::Standardise);
    assert!(fitted.columns[1].skewness.unwrap().abs() < 1e-12);
    assert_eq!(fitted.columns[0].raw_median, Some(2.0));
    assert!(close(fitted.columns[0].raw_mean, 113.0 / 7.0));
    let x = fitted.apply(&t).unwrap();
    for j in 0..2 {
        let column = x.column(j);
        let mean = column.sum() / 7.0;
        let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 7.0).sqrt();
        assert!(
            mean.abs() < 1e-12 && (sd - 1.0).abs() < 1e-12,
            "{mean} {sd}"
        );
    }
    // By hand: ln(1 + x − 1), standardised with the population sd.
    let logs: Vec<f64> = skewed.iter().map(|v| (v - 1.0f64).ln_1p()).collect();
    let mean = logs.iter().sum::<f64>() / 7.0;
    let sd = (logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 7.0).sqrt();
    assert!(close(x[[6, 0]], (logs[6] - mean) / sd));
    // Sample skewness (adjusted G1) of 1..7 is 0; of [1,1,2,2,3,4,100] as pandas: 2.641145…
    assert!((fitted.columns[0].skewness.unwrap() - 2.641_145).abs() < 1e-5);
}

#[test]
fn a_skewed_column_with_two_values_is_not_logged() {
    let t = table(vec![num("flag", &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0])]);
    let (fitted, _) = FittedTransform::fit(&t).unwrap();
    assert!(fitted.columns[0].skewness.unwrap() > 1.0);
    assert_eq!(fitted.columns[0].transform, TransformKind::Standardise);
}

#[test]
fn categorical_columns_become_unscaled_one_hot() {
    let t = table(vec![
        num("n", &[1.0, 2.0, 3.0, 4.0]),
        FeatureColumn {
            key: FeatureKey::Attribute("city".into()),
            label: "attr:city".into(),
            values: FeatureValues::Categorical {
                levels: vec!["a".into(), "b".into(), "c".into()],
                codes: vec![Some(0), Some(1), None, Some(0)],
            },
        },
    ]);
    let (fitted, warnings) = FittedTransform::fit(&t).unwrap();
    // Level c is nobody's: dropped as constant; the missing row is all-zero.
    assert!(warnings.contains(&ClusterWarning::ConstantFeatureDropped {
        label: "attr:city=c".into()
    }));
    assert!(warnings.contains(&ClusterWarning::Imputed {
        label: "attr:city".into(),
        count: 1
    }));
    let labels: Vec<&str> = fitted.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["n", "attr:city=a", "attr:city=b"]);
    assert_eq!(fitted.columns[1].transform, TransformKind::OneHot);
    assert!(close(fitted.columns[1].raw_mean, 0.5));
    let x = fitted.apply(&t).unwrap();
    let one_hot: Vec<[f64; 2]> = (0..4).map(|i| [x[[i, 1]], x[[i, 2]]]).collect();
    assert_eq!(one_hot, [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]);
}

#[test]
fn constant_columns_are_dropped_and_all_constant_fails() {
    let t = table(vec![
        num("same", &[3.0; 5]),
        num("n", &[1.0, 2.0, 3.0, 4.0, 5.0]),
    ]);
    let (fitted, warnings) = FittedTransform::fit(&t).unwrap();
    assert_eq!(fitted.columns.len(), 1);
    assert_eq!(
        warnings,
        [ClusterWarning::ConstantFeatureDropped {
            label: "same".into()
        }]
    );
    let t = table(vec![
        num("same", &[3.0; 5]),
        num("also", &[f64::NAN, 1.0, 1.0, 1.0, 1.0]),
    ]);
    assert_eq!(
        FittedTransform::fit(&t).unwrap_err(),
        ClusterError::AllFeaturesConstant {
            names: "same, also".into()
        }
    );
}

#[test]
fn infinite_values_are_refused() {
    let t = table(vec![num("n", &[1.0, f64::INFINITY, 3.0])]);
    assert!(matches!(
        FittedTransform::fit(&t),
        Err(ClusterError::NonFiniteFeature { feature, .. }) if feature == "n"
    ));
}

// ---------------------------------------------------------------------------------------------
// Attributes file

#[test]
fn gbk_semicolon_file_with_thousands_and_duplicates() {
    // 客户ID;消费能力;城市;备注 in GBK, with a repeated id, a blank line and empty cells.
    let bytes = include_bytes!("fixtures/cluster/attributes/gbk_semicolon.csv");
    let t = AttributeTable::parse(bytes, None).unwrap();
    assert_eq!(t.id_column, "客户ID");
    assert_eq!(t.ids, ["A", "B", "C"]);
    assert_eq!((t.rows_read, t.duplicate_ids), (4, 1));
    let FeatureValues::Numeric(v) = &t.column("消费能力").unwrap().values else {
        panic!("numeric expected")
    };
    assert_all_close(v, &[1234.5, 12.5, f64::NAN]);
    let FeatureValues::Categorical { levels, codes } = &t.column("城市").unwrap().values else {
        panic!("categorical expected")
    };
    assert_eq!(levels, &["北京", "上海"]);
    assert_eq!(codes, &[Some(0), Some(1), Some(0)]);
    let info = t.column_info();
    assert_eq!(info.len(), 3);
    assert!(info[0].numeric && !info[1].numeric && !info[2].numeric);
    assert_eq!((info[0].distinct, info[0].missing), (2, 1));
    assert_eq!((info[2].distinct, info[2].missing), (1, 2));
}

#[test]
fn utf16_tab_file_with_a_named_id_column() {
    let text = "segment\tmember\tage\nx\tA\t30\ny\tB\t40\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let t = AttributeTable::parse(&bytes, Some("MEMBER")).unwrap();
    assert_eq!(t.id_column, "member");
    assert_eq!(t.ids, ["A", "B"]);
    assert_eq!(t.columns.len(), 2);
    // Without a recognisable id header and no choice, the first column is the id.
    let t = AttributeTable::parse(b"\xEF\xBB\xBFfoo,bar\n1,x\n2,y\n", None).unwrap();
    assert_eq!((t.id_column.as_str(), t.ids.len()), ("foo", 2));
}

#[test]
fn join_reports_unmatched_missing_and_duplicates() {
    let t = AttributeTable::parse(b"customer_id,age\nA,1\nX,2\nA,3\nB,4\nY,5\n", None).unwrap();
    let ids = Interned::from(vec!["A", "B", "C"]);
    let (rows, join) = t.join(&ids);
    assert_eq!(rows, [Some(0), Some(2), None]);
    assert_eq!(join.rows, 5);
    assert_eq!((join.matched, join.unmatched), (2, 2));
    assert_eq!(join.unmatched_examples, ["X", "Y"]);
    assert_eq!((join.customers_without_row, join.duplicate_ids), (1, 1));
}

#[test]
fn bad_attribute_files_say_where() {
    assert_eq!(
        AttributeTable::parse(b"", None).unwrap_err(),
        ClusterError::AttributesEmpty
    );
    assert_eq!(
        AttributeTable::parse(b"customer_id,age\n", None).unwrap_err(),
        ClusterError::AttributesEmpty
    );
    assert_eq!(
        AttributeTable::parse(b"customer_id,age\nA,1\n", Some("member")).unwrap_err(),
        ClusterError::AttributesNoIdColumn {
            column: "member".into()
        }
    );
    let e = AttributeTable::parse(
        include_bytes!("fixtures/cluster/attributes/extra_field.csv"),
        None,
    )
    .unwrap_err();
    assert_eq!(
        e,
        ClusterError::AttributesParse {
            line: 3,
            message: "3 fields, the header has 2".into()
        }
    );
    assert!(e.to_string().contains("line 3"));
    assert!(matches!(
        AttributeTable::parse(b"PK\x03\x04binary", None),
        Err(ClusterError::AttributesParse { line: 1, .. })
    ));
}

#[test]
fn attributes_matching_nobody_fail_the_run() {
    let d = small();
    let a = rfm_of(&d);
    let attributes = AttributeTable::parse(b"customer_id,age\nX,1\nY,2\n", None).unwrap();
    let with = ClusterInput {
        attributes: Some(&attributes),
        ..input(&d, &a)
    };
    let settings = ClusterSettings {
        features: vec![FeatureKey::Attribute("age".into())],
        ..ClusterSettings::default()
    };
    assert_eq!(
        ClusterAnalysis::run(&with, &settings, &mut |_, _, _| {}, &mut no_clock()).unwrap_err(),
        ClusterError::AttributesNoneMatched {
            rows: 2,
            example: "X".into()
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Saved model

fn saved_model() -> SegmentationModel {
    let t = table(vec![
        num("a", &[1.0, 2.0, 3.0, 10.0]),
        num("b", &[5.0, 1.0, 4.0, 2.0]),
    ]);
    let (transform, _) = FittedTransform::fit(&t).unwrap();
    SegmentationModel {
        format_version: MODEL_FORMAT_VERSION,
        features: vec![
            FeatureKey::Attribute("a".into()),
            FeatureKey::Attribute("b".into()),
        ],
        transform,
        centroids: vec![vec![-1.0, 0.5], vec![1.5, -0.5]],
        name_traits: vec![
            vec![NameTrait::HighValue, NameTrait::Frequent],
            vec![NameTrait::Average],
        ],
        names: vec!["VIP".into(), String::new()],
    }
}

#[test]
fn model_json_round_trips() {
    let model = saved_model();
    let json = model.to_json();
    assert!(json.contains("\"format_version\": 1"));
    assert_eq!(SegmentationModel::from_json(&json).unwrap(), model);
    let x = Array2::from_shape_vec((3, 2), vec![-1.0, 0.4, 2.0, 0.0, 0.25, 0.0]).unwrap();
    assert_eq!(model.assign(x.view()), [0, 1, 0]);
}

#[test]
fn model_json_errors_say_what_is_wrong() {
    let model = saved_model();
    let mut value: serde_json::Value = serde_json::from_str(&model.to_json()).unwrap();
    value["format_version"] = 2.into();
    assert_eq!(
        SegmentationModel::from_json(&value.to_string()).unwrap_err(),
        ClusterError::ModelVersion {
            found: 2,
            expected: 1
        }
    );
    let e = SegmentationModel::from_json("{\n  \"format_version\": 1,\n  \"features\": 3\n}")
        .unwrap_err();
    let ClusterError::ModelInvalid { message } = e else {
        panic!("{e:?}")
    };
    assert!(message.starts_with("line 3, column"), "{message}");
    assert!(matches!(
        SegmentationModel::from_json("not json"),
        Err(ClusterError::ModelInvalid { .. })
    ));
    let mut wide = model.clone();
    wide.centroids[1].push(0.0);
    let ClusterError::ModelInvalid { message } =
        SegmentationModel::from_json(&wide.to_json()).unwrap_err()
    else {
        panic!()
    };
    assert!(message.contains("centroid 1 has 3 values"), "{message}");
    let mut unnamed = model;
    unnamed.names.pop();
    assert!(matches!(
        SegmentationModel::from_json(&unnamed.to_json()),
        Err(ClusterError::ModelInvalid { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Names

fn indexes(m: f64, f: f64, r: f64, one_timers: f64) -> TraitIndexes {
    TraitIndexes {
        monetary: m,
        frequency: f,
        recency_days: r,
        average_order_value: 100.0,
        tenure_days: 100.0,
        one_timer_share: one_timers,
        base_one_timer_share: 0.4,
    }
}

#[test]
fn names_follow_the_documented_thresholds() {
    let names = name_segments(&[
        indexes(400.0, 250.0, 30.0, 0.0),
        indexes(40.0, 50.0, 180.0, 1.0),
        indexes(100.0, 100.0, 100.0, 0.4),
    ]);
    assert_eq!(names[0], [NameTrait::HighValue, NameTrait::Recent]);
    assert!(names[1].contains(&NameTrait::OneTimers), "{names:?}");
    assert_eq!(names[2], [NameTrait::Average]);
}

#[test]
fn equal_names_get_their_next_trait() {
    // Both high value and frequent; the first is also a little lapsed (recency index 130, past
    // the weak threshold 125 only), which tells them apart.
    let names = name_segments(&[
        indexes(300.0, 200.0, 130.0, 0.0),
        indexes(300.0, 200.0, 100.0, 0.0),
    ]);
    assert_eq!(
        names[0],
        [NameTrait::HighValue, NameTrait::Frequent, NameTrait::Lapsed]
    );
    assert_eq!(names[1], [NameTrait::HighValue, NameTrait::Frequent]);
}

// ---------------------------------------------------------------------------------------------
// Degenerate data (fail before any k-means)

#[test]
fn fewer_customers_than_k_fails() {
    let d = small();
    let a = rfm_of(&d);
    let settings = ClusterSettings {
        k: KChoice::Fixed(4),
        ..ClusterSettings::default()
    };
    assert_eq!(
        ClusterAnalysis::run(
            &input(&d, &a),
            &settings,
            &mut |_, _, _| {},
            &mut no_clock()
        )
        .unwrap_err(),
        ClusterError::TooFewCustomers { customers: 3, k: 4 }
    );
}

#[test]
fn identical_customers_fail_with_all_features_constant() {
    let d = dataset(&[
        ("A", "2024-01-01", 10.0, "P1", "N", "web"),
        ("B", "2024-01-01", 10.0, "P1", "N", "web"),
        ("C", "2024-01-01", 10.0, "P1", "N", "web"),
    ]);
    let a = rfm_of(&d);
    let e = ClusterAnalysis::run(
        &input(&d, &a),
        &ClusterSettings::default(),
        &mut |_, _, _| {},
        &mut no_clock(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        ClusterError::AllFeaturesConstant {
            names: "recency_days, frequency, monetary".into()
        }
    );
}

#[test]
fn an_attribute_feature_without_a_file_is_unavailable() {
    let d = small();
    let a = rfm_of(&d);
    let settings = ClusterSettings {
        features: vec![
            b(BehaviourFeature::Monetary),
            FeatureKey::Attribute("age".into()),
        ],
        ..ClusterSettings::default()
    };
    assert_eq!(
        ClusterAnalysis::run(
            &input(&d, &a),
            &settings,
            &mut |_, _, _| {},
            &mut no_clock()
        )
        .unwrap_err(),
        ClusterError::FeatureUnavailable {
            feature: "attr:age".into(),
            reason: Unavailable::NoAttributes
        }
    );
}

// ---------------------------------------------------------------------------------------------
// The demo files

fn demo_dataset() -> Dataset {
    use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};
    let csv = include_bytes!("../public/demo/transactions.csv");
    let shape = preview(csv, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping,
        keep_far_dates: false,
    };
    ingest(&csv[..], csv.len() as u64, &params, &mut |_| {})
        .unwrap()
        .0
}

#[test]
fn demo_customers_file_joins_the_demo_transactions() {
    let attributes =
        AttributeTable::parse(include_bytes!("../public/demo/customers.csv"), None).unwrap();
    assert_eq!(attributes.id_column, "customer_id");
    let info = attributes.column_info();
    let kinds: Vec<(&str, bool)> = info.iter().map(|c| (c.name.as_str(), c.numeric)).collect();
    assert_eq!(
        kinds,
        [
            ("age", true),
            ("gender", false),
            ("city", false),
            ("income_band", false),
            ("membership_level", false)
        ]
    );
    assert!(info.iter().any(|c| c.missing > 0), "a few empty cells");
    let d = demo_dataset();
    let a = rfm_of(&d);
    let with = ClusterInput {
        attributes: Some(&attributes),
        ..input(&d, &a)
    };
    let features = vec![
        b(BehaviourFeature::Monetary),
        FeatureKey::Attribute("age".into()),
        FeatureKey::Attribute("membership_level".into()),
    ];
    let (t, _) = FeatureTable::build(&with, &features).unwrap();
    let join = t.attribute_join.unwrap();
    let rows = join.rows as f64;
    let customers = d.customer_count() as f64;
    // About 2 % of the rows are strangers and about 3 % of the customers have no row.
    assert!(
        (0.01..0.04).contains(&(join.unmatched as f64 / rows)),
        "{join:?}"
    );
    assert!(
        (0.015..0.05).contains(&(join.customers_without_row as f64 / customers)),
        "{join:?}"
    );
    assert_eq!(
        join.unmatched_examples.len(),
        20.min(join.unmatched as usize)
    );
}

// ---------------------------------------------------------------------------------------------
// End to end (needs k-means, the sweep, the metrics, PCA and the bootstrap)

/// A small deterministic generator (64-bit LCG, top bits), so the test needs no RNG crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 3 × 60 customers over 2024: weekly big spenders (~200 every 7 days, last order in the last
/// week), monthly mid spenders (~50 every ~30 days, last order 10–30 days ago), one-time small
/// buyers (~10 once, 150–210 days ago).
/// Returns the dataset and the true group of each customer index.
fn three_groups() -> (Dataset, Vec<u32>) {
    let mut rng = Lcg(7);
    let start = day("2024-01-01");
    let end = day("2024-12-31");
    let mut d = Dataset::default();
    let mut truth = Vec::new();
    let push = |d: &mut Dataset, c: u32, when: i32, amount: f64| {
        d.customer.push(c);
        d.day.push(when);
        d.amount.push((amount * 100.0).round() / 100.0);
        d.is_exact_duplicate.push(false);
    };
    for group in 0..3u32 {
        for i in 0..60 {
            let c = d.customer_ids.len() as u32;
            d.customer_ids.push(&format!("g{group}-{i:02}"));
            truth.push(group);
            match group {
                0 => {
                    let mut when = end - (rng.next() * 6.0) as i32;
                    while when >= start {
                        push(&mut d, c, when, 200.0 * (0.8 + 0.4 * rng.next()));
                        when -= 7;
                    }
                }
                1 => {
                    let mut when = end - 10 - (rng.next() * 20.0) as i32;
                    while when >= start {
                        push(&mut d, c, when, 50.0 * (0.8 + 0.4 * rng.next()));
                        when -= 28 + (rng.next() * 5.0) as i32;
                    }
                }
                _ => {
                    let when = end - 150 - (rng.next() * 60.0) as i32;
                    push(&mut d, c, when, 10.0 * (0.8 + 0.4 * rng.next()));
                }
            }
        }
    }
    (d, truth)
}

#[test]
fn auto_k_recovers_three_behaviour_groups_and_names_them() {
    use segscope::engine::cluster::metrics::adjusted_rand_index;
    use segscope::engine::cluster::ClusterStage;

    let (d, truth) = three_groups();
    let a = rfm_of(&d);
    let settings = ClusterSettings {
        bootstrap_resamples: 3,
        ..ClusterSettings::default()
    };
    let mut stages = Vec::new();
    let run = ClusterAnalysis::run(
        &input(&d, &a),
        &settings,
        &mut |stage, _, _| {
            if stages.last() != Some(&stage) {
                stages.push(stage);
            }
        },
        &mut no_clock(),
    )
    .unwrap();
    let r = &run.report;
    assert_eq!(r.k, 3, "sweep {:?}", r.sweep);
    assert_eq!(r.sweep.as_ref().unwrap().suggested_k, 3);
    assert_eq!(r.customers, 180);
    assert_eq!(
        stages,
        [
            ClusterStage::Features,
            ClusterStage::Sweep,
            ClusterStage::Fit,
            ClusterStage::Stability,
            ClusterStage::Profiles
        ]
    );
    let labels: Vec<&str> = r.features.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["recency_days", "frequency", "monetary"]);
    assert!(r.features.iter().all(|f| f.skewness.is_some()));
    let truth_rows: Vec<u32> = run.customers.iter().map(|c| truth[*c as usize]).collect();
    let ari = adjusted_rand_index(&run.labels, &truth_rows);
    assert!(ari >= 0.95, "ARI {ari}");
    assert!(r.silhouette > 0.5, "{}", r.silhouette);
    assert!(r.stability_ari.unwrap() > 0.9);

    // The segment holding most of each group, and its name.
    let segment_of_group = |g: u32| {
        let row = truth_rows.iter().position(|t| *t == g).unwrap();
        run.labels[row]
    };
    let profile = |g: u32| &r.segments[segment_of_group(g) as usize];
    let weekly = &profile(0).name_traits;
    assert!(
        weekly.contains(&NameTrait::HighValue) || weekly.contains(&NameTrait::Frequent),
        "{weekly:?}"
    );
    assert!(profile(2).name_traits.contains(&NameTrait::OneTimers));
    assert_eq!(profile(0).customers, 60);
    assert!(profile(0).revenue_share > 0.8);
    // Index of monetary (column 2) far above the base for the weekly group.
    assert!(profile(0).index[2].unwrap() > 200.0);
    let shares: f64 = r.segments.iter().map(|s| s.share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    assert_eq!(r.projection.points.len(), 180);
    assert_eq!(r.projection.centroids.len(), 3);

    // The export: one row per customer, with the caller's names (the page's language or the
    // CLI's English); a name with a comma is quoted, a formula neutralised.
    let names: Vec<String> = (0..r.segments.len())
        .map(|s| format!("=name, {s}"))
        .collect();
    let csv = run.export_csv(&d, &names);
    assert_eq!(csv.lines().count(), 181);
    assert!(csv.starts_with("customer_id,segment,segment_name\n"));
    let s2 = segment_of_group(2);
    assert!(
        csv.contains(&format!("g2-00,{s2},\"'=name, {s2}\"")),
        "{}",
        &csv[..200]
    );
    let c = d.customer_ids.position("g0-00").unwrap() as u32;
    assert_eq!(run.segment_of(c), Some(segment_of_group(0)));

    // Scoring the same data with the model (in memory and saved/loaded) gives the same labels.
    let applied = ClusterAnalysis::apply(&input(&d, &a), &run.model, &mut no_clock()).unwrap();
    assert_eq!(applied.labels, run.labels);
    assert_eq!(applied.report.stability_ari, None);
    assert!(applied.report.sweep.is_none());
    let names: Vec<&Vec<NameTrait>> = applied
        .report
        .segments
        .iter()
        .map(|s| &s.name_traits)
        .collect();
    let run_names: Vec<&Vec<NameTrait>> = r.segments.iter().map(|s| &s.name_traits).collect();
    assert_eq!(names, run_names);
    let loaded = SegmentationModel::from_json(&run.model.to_json()).unwrap();
    assert_eq!(loaded, run.model);
    let reloaded = ClusterAnalysis::apply(&input(&d, &a), &loaded, &mut no_clock()).unwrap();
    assert_eq!(reloaded, applied);
}

#[test]
fn a_fixed_k_run_is_deterministic_and_reuses_the_sweep_fit() {
    let (d, _) = three_groups();
    let a = rfm_of(&d);
    let settings = ClusterSettings {
        k: KChoice::Fixed(4),
        bootstrap_resamples: 0,
        ..ClusterSettings::default()
    };
    let run = || {
        ClusterAnalysis::run(
            &input(&d, &a),
            &settings,
            &mut |_, _, _| {},
            &mut no_clock(),
        )
        .unwrap()
    };
    let first = run();
    assert_eq!(first.report.k, 4);
    assert_eq!(first.report.sweep.as_ref().unwrap().suggested_k, 3);
    assert!(first.report.stability_ari.is_none());
    assert!(first.report.segments.iter().all(|s| s.stability.is_none()));
    let point = first.report.sweep.as_ref().unwrap().points[2];
    assert_eq!(point.k, 4);
    assert_eq!(point.inertia, first.report.inertia);
    assert_eq!(run(), first);
    // Segments are numbered by size, largest first.
    let sizes: Vec<u64> = first.report.segments.iter().map(|s| s.customers).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

#[test]
fn the_demo_runs_with_every_kind_of_feature() {
    let d = demo_dataset();
    let a = rfm_of(&d);
    let attributes =
        AttributeTable::parse(include_bytes!("../public/demo/customers.csv"), None).unwrap();
    let with = ClusterInput {
        attributes: Some(&attributes),
        ..input(&d, &a)
    };
    let mut features: Vec<FeatureKey> = BehaviourFeature::ALL
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive
            )
        })
        .map(b)
        .collect();
    features.push(FeatureKey::Attribute("age".into()));
    features.push(FeatureKey::Attribute("membership_level".into()));
    let settings = ClusterSettings {
        features,
        k: KChoice::Fixed(5),
        sweep: false,
        bootstrap_resamples: 2,
        restarts: 3,
        ..ClusterSettings::default()
    };
    let run = ClusterAnalysis::run(&with, &settings, &mut |_, _, _| {}, &mut no_clock()).unwrap();
    let r = &run.report;
    assert_eq!(r.k, 5);
    assert!(r.sweep.is_none());
    assert!(r
        .features
        .iter()
        .any(|f| f.label.starts_with("main_region=") && f.transform == TransformKind::OneHot));
    assert!(r.features.iter().any(|f| f.label == "category_share:other"));
    assert!(r
        .warnings
        .iter()
        .any(|w| matches!(w, ClusterWarning::AttributesUnmatched { .. })));
    assert!(r.warnings.iter().any(
        |w| matches!(w, ClusterWarning::Imputed { label, .. } if label == "inter_purchase_days")
    ));
    for s in &r.segments {
        assert_eq!(s.raw_means.len(), r.features.len());
        assert!(s.distinctive.len() <= 3);
        assert!(!s.top_products.is_empty() && s.top_products.len() <= 5);
        assert!(!s.top_regions.is_empty());
        assert!(!s.name_traits.is_empty());
    }
    // Next month's file gets the saved columns.
    let applied = ClusterAnalysis::apply(&with, &run.model, &mut no_clock()).unwrap();
    assert_eq!(applied.labels, run.labels);
}

#[test]
fn profiles_by_hand_for_a_given_partition() {
    use segscope::engine::cluster::profile::{profiles, ProfileInput};
    let d = small();
    let a = rfm_of(&d);
    let inp = input(&d, &a);
    let (t, _) = FeatureTable::build(&inp, &[b(BehaviourFeature::Monetary)]).unwrap();
    let (fitted, _) = FittedTransform::fit(&t).unwrap();
    let x = fitted.apply(&t).unwrap();
    // Rows are A, C, B: segment 0 = {A}, segment 1 = {C, B}.
    let labels = [0, 1, 1];
    let p = profiles(&ProfileInput {
        input: &inp,
        table: &t,
        transform: &fitted,
        x: x.view(),
        labels: &labels,
        k: 2,
        silhouette_rows: &[0, 2],
        silhouettes: &[0.5, 0.25],
        stability: Some(&[0.9, 0.8]),
        tiny_share: 0.4,
    });
    let (s0, s1) = (&p[0], &p[1]);
    assert_eq!((s0.customers, s1.customers), (1, 2));
    assert!(close(s0.revenue, 180.0) && close(s0.revenue_share, 180.0 / 260.0));
    assert!(s0.tiny && !s1.tiny);
    assert_eq!((s0.silhouette, s1.silhouette), (0.5, 0.25));
    assert_eq!((s0.stability, s1.stability), (Some(0.9), Some(0.8)));
    // Monetary: base mean 260 / 3; A has 180 → index 207.7.
    assert!(close(s0.raw_means[0], 180.0));
    assert!(close(s0.index[0].unwrap(), 180.0 / (260.0 / 3.0) * 100.0));
    assert!(close(s1.raw_means[0], 40.0));
    // Centroids are the mean transformed rows; both above |z| 0.25 so distinctive.
    assert!(close(s0.centroid[0], x[[0, 0]]));
    assert_eq!(s0.distinctive, [0]);
    // Products: A spends 130 of 180 on P1 (base 140 of 260).
    assert_eq!(s0.top_products[0].name, "P1");
    assert!(close(s0.top_products[0].share, 130.0 / 180.0));
    assert!(close(
        s0.top_products[0].index,
        (130.0 / 180.0) / (140.0 / 260.0) * 100.0
    ));
    assert_eq!(s1.top_products[0].name, "P3");
    assert!(close(s1.top_products[0].share, 0.75));
    // Main regions: C → N, B → S (base: N 2/3, S 1/3); ties in share by name.
    let regions: Vec<(&str, f64, f64)> = s1
        .top_regions
        .iter()
        .map(|s| (s.name.as_str(), s.share, s.index))
        .collect();
    assert_eq!(regions.len(), 2);
    assert_eq!((regions[0].0, regions[1].0), ("N", "S"));
    assert!(close(regions[0].2, 75.0) && close(regions[1].2, 150.0));
    assert_eq!(s0.top_channels[0].name, "web");
    // A: monetary index 208 and frequency index 3 / 2 × 100 = 150, recency 1 vs mean 19/3.
    assert!(
        s0.name_traits.contains(&NameTrait::HighValue),
        "{:?}",
        s0.name_traits
    );
}
