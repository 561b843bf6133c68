//! Per-customer tags (打标签), the tag filter and export of the customer table, and the customer
//! page (profile, purchase timeline, id suggestions), on hand-built datasets checked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{dataset_from_csv, day};
use segscope::engine::clv::{ChurnRisk, ClvAnalysis, ClvSettings};
use segscope::engine::customers::{
    customer_profile, export_csv_tagged, query, query_tagged, suggest_ids, BandFilter,
    ClusterLabels, CustomerQuery, Predictions, PurchaseCycle, SortKey, TagCounts, TagFilter,
    TagKind, TagTable, TagValueCount, ValueTier, EXPORT_HEADER, TAG_EXPORT_HEADER, TAG_VALUES_MAX,
};
use segscope::engine::rfm::{self, Analysis, RfmParams};
use segscope::engine::{Dataset, Day, Interned};

/// One line: (customer, days after 2024-01-01, amount, order id, product, region, channel).
type Line<'a> = (&'a str, i32, f64, &'a str, &'a str, &'a str, &'a str);

fn intern(table: &mut Interned, text: &str) -> u32 {
    match table.position(text) {
        Some(p) => p as u32,
        None => table.push(text),
    }
}

/// A dataset with order ids, products, regions, channels and quantities (quantity = 1 per line,
/// 2 for product "B").
fn build(lines: &[Line]) -> Dataset {
    let base = day("2024-01-01");
    let mut d = Dataset::default();
    for (id, offset, amount, order, product, region, channel) in lines {
        let c = intern(&mut d.customer_ids, id);
        d.customer.push(c);
        d.day.push(base + offset);
        d.amount.push(*amount);
        d.order_hash
            .push(order.bytes().fold(1469598103934665603u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(1099511628211)
            }));
        let p = intern(&mut d.products, product);
        d.product.push(p);
        d.quantity.push(if *product == "B" { 2.0 } else { 1.0 });
        let r = intern(&mut d.regions, region);
        d.region.push(r);
        let ch = intern(&mut d.channels, channel);
        d.channel.push(ch);
        d.is_exact_duplicate.push(false);
    }
    d
}

/// Ten scored customers with revenues 100, 80, 80, 70, …, 10 and one unscored ("zz", a return
/// only). By hand:
///
/// | id  | revenue | tier   | order days (positive)  | mean gap | cycle     | product | region | channel |
/// |-----|---------|--------|------------------------|----------|-----------|---------|--------|---------|
/// | c01 | 100     | Top    | 0, 35                  | 35       | Monthly   | A       | North  | web     |
/// | c02 | 80      | Top    | 0, 36                  | 36       | Quarterly | A       | North  | web     |
/// | c03 | 80      | Middle | 0 (one order, 2 lines) | –        | OneTime   | A (50 vs B 30) | North | web |
/// | c04 | 70      | Middle | 0, 101                 | 101      | Yearly    | A       | North  | store   |
/// | c05 | 60      | Middle | 0, 401                 | 401      | Rare      | A       | South  | web     |
/// | c06 | 50      | Low    | 0, 10, 10, 60          | 30       | Monthly   | A       | North  | web     |
/// | c07 | 40      | Low    | 0 (+ a return on 300)  | –        | OneTime   | A       | North  | web     |
/// | c08 | 30      | Low    | 0                      | –        | OneTime   | A       | East (15 vs North 15, tie by name) | web |
/// | c09 | 20      | Low    | 0                      | –        | OneTime   | B (A 15 − 10 = 5, B 10, C 5) | North | web (15 vs store 5) |
/// | c10 | 10      | Low    | 5                      | –        | OneTime   | C       | North  | @shop   |
///
/// c02 and c03 tie on 80: the tier boundary (2 Top of 10) goes by id, so c02 is Top.
fn fixture() -> (Dataset, Analysis) {
    let ds = build(&[
        ("c01", 0, 60.0, "o01a", "A", "North", "web"),
        ("c01", 35, 40.0, "o01b", "A", "North", "web"),
        ("c02", 0, 40.0, "o02a", "A", "North", "web"),
        ("c02", 36, 40.0, "o02b", "A", "North", "web"),
        ("c03", 0, 50.0, "o03", "A", "North", "web"),
        ("c03", 0, 30.0, "o03", "B", "North", "web"),
        ("c04", 0, 35.0, "o04a", "A", "North", "store"),
        ("c04", 101, 35.0, "o04b", "A", "North", "store"),
        ("c05", 0, 30.0, "o05a", "A", "South", "web"),
        ("c05", 401, 30.0, "o05b", "A", "South", "web"),
        ("c06", 0, 10.0, "o06a", "A", "North", "web"),
        ("c06", 0, 5.0, "o06a", "B", "North", "web"),
        ("c06", 0, 5.0, "o06a", "A", "North", "web"),
        ("c06", 10, 10.0, "o06b", "A", "North", "web"),
        ("c06", 10, 10.0, "o06c", "C", "North", "web"),
        ("c06", 60, 10.0, "o06d", "A", "North", "web"),
        ("c07", 0, 50.0, "o07a", "A", "North", "web"),
        ("c07", 300, -10.0, "o07r", "A", "North", "web"),
        ("c08", 0, 15.0, "o08", "A", "North", "web"),
        ("c08", 0, 15.0, "o08", "A", "East", "web"),
        ("c09", 0, 15.0, "o09", "A", "North", "web"),
        ("c09", 0, 10.0, "o09", "B", "North", "web"),
        ("c09", 0, -10.0, "o09", "A", "North", "web"),
        ("c09", 0, 5.0, "o09", "C", "North", "store"),
        ("c10", 5, 10.0, "o10", "C", "North", "@shop"),
        ("zz", 3, -5.0, "ozz", "A", "North", "web"),
    ]);
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    (ds, a)
}

fn index(ds: &Dataset, id: &str) -> u32 {
    ds.customer_ids.position(id).unwrap() as u32
}

fn ids(ds: &Dataset, tags: &TagTable, filters: &[TagFilter]) -> Vec<String> {
    (0..ds.customer_count() as u32)
        .filter(|c| tags.matches(*c, filters))
        .map(|c| ds.customer_ids.get(c).to_string())
        .collect()
}

fn filter(kind: TagKind, values: &[&str]) -> TagFilter {
    TagFilter {
        kind,
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

/// c01–c05 in segment 0, c06–c09 in segment 1, c10 not segmented.
fn labelled(ds: &Dataset, a: &Analysis) -> TagTable {
    let customers: Vec<u32> = (1..=9).map(|i| index(ds, &format!("c{i:02}"))).collect();
    let labels: Vec<u32> = (1..=9).map(|i| u32::from(i > 5)).collect();
    TagTable::build_with_labels(
        ds,
        a,
        None,
        Some(ClusterLabels {
            customers: &customers,
            labels: &labels,
        }),
    )
}

#[test]
fn each_tag_of_the_hand_built_customers() {
    let (ds, a) = fixture();
    assert_eq!(a.customers.len(), 10);
    let tags = TagTable::build(&ds, &a, None, None);
    assert_eq!(tags.len(), 10);
    let get = |id: &str| tags.tags(index(&ds, id)).unwrap();
    use PurchaseCycle::*;
    use ValueTier::*;
    let expected: [(&str, ValueTier, PurchaseCycle, &str, &str, &str); 10] = [
        ("c01", Top, Monthly, "A", "North", "web"),
        ("c02", Top, Quarterly, "A", "North", "web"),
        ("c03", Middle, OneTime, "A", "North", "web"),
        ("c04", Middle, Yearly, "A", "North", "store"),
        ("c05", Middle, Rare, "A", "South", "web"),
        ("c06", Low, Monthly, "A", "North", "web"),
        ("c07", Low, OneTime, "A", "North", "web"),
        ("c08", Low, OneTime, "A", "East", "web"),
        ("c09", Low, OneTime, "B", "North", "web"),
        ("c10", Low, OneTime, "C", "North", "@shop"),
    ];
    for (id, tier, cycle, product, region, channel) in expected {
        let t = get(id);
        assert_eq!(t.value_tier, tier, "{id}");
        assert_eq!(t.purchase_cycle, cycle, "{id}");
        assert_eq!(t.preferred_category.as_deref(), Some(product), "{id}");
        assert_eq!(t.region.as_deref(), Some(region), "{id}");
        assert_eq!(t.channel.as_deref(), Some(channel), "{id}");
        assert_eq!(t.cluster, None, "{id}");
        assert_eq!(t.churn_risk, None, "{id}");
        let position = a
            .customers
            .customer
            .iter()
            .position(|c| *c == index(&ds, id))
            .unwrap();
        assert_eq!(t.rfm_segment, a.customers.segment[position], "{id}");
    }
    // The return-only customer is not scored, so not tagged.
    assert_eq!(tags.tags(index(&ds, "zz")), None);
    assert!(!tags.matches(index(&ds, "zz"), &[]));
    assert_eq!(tags.tags(999), None);
}

/// With a category column (issue "Real-world exports": a category role), the preferred category
/// is the category with the most spend, not the product: c01 spends on product A (category "tea")
/// only; give A and B the category "tea" and C "cups" by hand, and every customer's preferred
/// category follows from the table above: C only for c10.
#[test]
fn a_category_column_is_the_preferred_category() {
    let (mut ds, a) = fixture();
    for code in &ds.product {
        let name = ds.products.get(code).to_string();
        let category = if name == "C" { "cups" } else { "tea" };
        let c = intern(&mut ds.categories, category);
        ds.category.push(c);
    }
    let tags = TagTable::build(&ds, &a, None, None);
    for i in 1..=10 {
        let id = format!("c{i:02}");
        let want = if i == 10 { "cups" } else { "tea" };
        let t = tags.tags(index(&ds, &id)).unwrap();
        assert_eq!(t.preferred_category.as_deref(), Some(want), "{id}");
    }
}

#[test]
fn tier_and_cycle_boundaries() {
    // 10 → 2 Top, 3 Middle, 5 Low; 5 → 1, 2, 2; 1 → Top.
    let tiers =
        |n: usize| -> Vec<ValueTier> { (0..n).map(|r| ValueTier::from_rank(r, n)).collect() };
    use ValueTier::*;
    assert_eq!(
        tiers(10),
        [Top, Top, Middle, Middle, Middle, Low, Low, Low, Low, Low]
    );
    assert_eq!(tiers(5), [Top, Middle, Middle, Low, Low]);
    assert_eq!(tiers(1), [Top]);
    use PurchaseCycle::*;
    let band = |d: f64| PurchaseCycle::from_mean_days(Some(d));
    assert_eq!(
        [
            band(35.0),
            band(35.5),
            band(36.0),
            band(100.0),
            band(100.5),
            band(400.0),
            band(401.0)
        ],
        [Monthly, Quarterly, Quarterly, Quarterly, Yearly, Yearly, Rare]
    );
    assert_eq!(PurchaseCycle::from_mean_days(None), OneTime);
}

/// Equal revenue everywhere: both tier boundaries fall inside one tie, broken by id.
#[test]
fn revenue_ties_across_both_tier_boundaries_go_by_id() {
    let ds = dataset_from_csv(
        "customer_id,date,amount\ne,2024-01-01,5\nd,2024-01-01,5\nc,2024-01-01,5\nb,2024-01-01,5\na,2024-01-01,5\nz,2024-01-01,9\n",
    );
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let tags = TagTable::build(&ds, &a, None, None);
    // n = 6: 2 Top (ceil 1.2), 1 Middle (ceil 3 = 3 first non-Low), 3 Low.
    let tier = |id: &str| tags.tags(index(&ds, id)).unwrap().value_tier;
    use ValueTier::*;
    assert_eq!(
        ["z", "a", "b", "c", "d", "e"].map(tier),
        [Top, Top, Middle, Low, Low, Low]
    );
}

#[test]
fn no_product_region_or_channel_column_gives_no_such_tags() {
    let ds = dataset_from_csv(
        "customer_id,date,amount\na,2024-01-01,5\na,2024-01-20,5\nb,2024-01-02,3\n",
    );
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let tags = TagTable::build(&ds, &a, None, None);
    let t = tags.tags(0).unwrap();
    assert_eq!(
        (t.preferred_category, t.region, t.channel, t.purchase_cycle),
        (None, None, None, PurchaseCycle::Monthly)
    );
    assert!(!tags.matches(0, &[filter(TagKind::Region, &["North"])]));
    let counts = tags.tag_values();
    let region = counts
        .kinds
        .iter()
        .find(|k| k.kind == TagKind::Region)
        .unwrap();
    assert!(region.values.is_empty());
    assert_eq!(region.untagged_customers, 2);
}

#[test]
fn filters_are_and_across_kinds_and_or_within_one() {
    let (ds, a) = fixture();
    let tags = labelled(&ds, &a);
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::ValueTier, &["Top"])]),
        ["c01", "c02"]
    );
    // OR within a kind, AND across kinds.
    let top_or_middle = filter(TagKind::ValueTier, &["Top", "Middle"]);
    assert_eq!(
        ids(&ds, &tags, std::slice::from_ref(&top_or_middle)),
        ["c01", "c02", "c03", "c04", "c05"]
    );
    let quarterly_or_rare = filter(TagKind::PurchaseCycle, &["Quarterly", "Rare"]);
    assert_eq!(
        ids(&ds, &tags, &[top_or_middle.clone(), quarterly_or_rare]),
        ["c02", "c05"]
    );
    // Two filters of the same kind both apply.
    assert_eq!(
        ids(
            &ds,
            &tags,
            &[
                top_or_middle,
                filter(TagKind::ValueTier, &["Middle", "Low"])
            ]
        ),
        ["c03", "c04", "c05"]
    );
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::Region, &["East", "South"])]),
        ["c05", "c08"]
    );
    assert_eq!(
        ids(
            &ds,
            &tags,
            &[filter(TagKind::PreferredCategory, &["B", "C"])]
        ),
        ["c09", "c10"]
    );
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::Channel, &["store"])]),
        ["c04"]
    );
    // Snake_case export names and any case are accepted for enums.
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::PurchaseCycle, &["one_time"])]),
        ["c03", "c07", "c08", "c09", "c10"]
    );
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::PurchaseCycle, &["ONETIME"])]).len(),
        5
    );
    // Clusters by number; the unlabelled c10 matches no cluster filter.
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::Cluster, &["1"])]),
        ["c06", "c07", "c08", "c09"]
    );
    assert_eq!(
        ids(&ds, &tags, &[filter(TagKind::Cluster, &["0", "1"])]).len(),
        9
    );
    assert_eq!(tags.tags(index(&ds, "c10")).unwrap().cluster, None);
    assert_eq!(tags.tags(index(&ds, "c03")).unwrap().cluster, Some(0));
    // Unknown values match nobody; an empty value list keeps everybody.
    assert!(ids(&ds, &tags, &[filter(TagKind::Region, &["Mars"])]).is_empty());
    assert!(ids(&ds, &tags, &[filter(TagKind::ValueTier, &["Gold"])]).is_empty());
    assert_eq!(ids(&ds, &tags, &[filter(TagKind::Region, &[])]).len(), 10);
    // Without a prediction run nobody has a churn-risk band.
    assert!(ids(
        &ds,
        &tags,
        &[filter(TagKind::ChurnRisk, &["Low", "Medium", "High"])]
    )
    .is_empty());
    // The RFM segment by its Debug name.
    let c01 = tags.tags(index(&ds, "c01")).unwrap().rfm_segment;
    let same: Vec<String> = ids(
        &ds,
        &tags,
        &[filter(TagKind::RfmSegment, &[&format!("{c01:?}")])],
    );
    assert!(same.contains(&"c01".to_string()));
    let by_name = ids(&ds, &tags, &[filter(TagKind::RfmSegment, &[c01.name()])]);
    assert_eq!(same, by_name);
}

#[test]
fn tag_values_count_customers_per_value() {
    let (ds, a) = fixture();
    let counts: TagCounts = labelled(&ds, &a).tag_values();
    assert_eq!(counts.customers, 10);
    let kinds: Vec<TagKind> = counts.kinds.iter().map(|k| k.kind).collect();
    assert_eq!(kinds, TagKind::ALL);
    let values = |kind: TagKind| -> (Vec<(String, u64)>, u64) {
        let k = counts.kinds.iter().find(|k| k.kind == kind).unwrap();
        (
            k.values
                .iter()
                .map(|TagValueCount { value, customers }| (value.clone(), *customers))
                .collect(),
            k.untagged_customers,
        )
    };
    let owned = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    };
    assert_eq!(
        values(TagKind::ValueTier),
        (owned(&[("Low", 5), ("Middle", 3), ("Top", 2)]), 0)
    );
    assert_eq!(
        values(TagKind::PurchaseCycle),
        (
            owned(&[
                ("OneTime", 5),
                ("Monthly", 2),
                ("Quarterly", 1),
                ("Yearly", 1),
                ("Rare", 1)
            ]),
            0
        )
    );
    // Ties by name: East before South.
    assert_eq!(
        values(TagKind::Region),
        (owned(&[("North", 8), ("East", 1), ("South", 1)]), 0)
    );
    assert_eq!(values(TagKind::Cluster), (owned(&[("0", 5), ("1", 4)]), 1));
    assert_eq!(values(TagKind::ChurnRisk), (Vec::new(), 10));
    let segments = values(TagKind::RfmSegment).0;
    assert_eq!(segments.iter().map(|(_, n)| n).sum::<u64>(), 10);
    assert!(segments.windows(2).all(|w| w[0].1 >= w[1].1));
}

#[test]
fn categories_are_capped_in_tag_values() {
    // 60 customers, each with its own product.
    let lines: Vec<(String, String)> = (0..60)
        .map(|i| (format!("k{i:02}"), format!("p{i:02}")))
        .collect();
    let refs: Vec<Line> = lines
        .iter()
        .map(|(c, p)| (c.as_str(), 0, 10.0, c.as_str(), p.as_str(), "North", "web"))
        .collect();
    let ds = build(&refs);
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let counts = TagTable::build(&ds, &a, None, None).tag_values();
    let k = counts
        .kinds
        .iter()
        .find(|k| k.kind == TagKind::PreferredCategory)
        .unwrap();
    assert_eq!(k.values.len(), TAG_VALUES_MAX);
    assert_eq!(k.values_left_out, 10);
    // All tie at 1: by name.
    assert_eq!(k.values[0].value, "p00");
    assert_eq!(k.values[49].value, "p49");
}

#[test]
fn churn_risk_tags_follow_the_prediction_run() {
    let ds = dataset_from_csv(include_str!("fixtures/clv/tx_sample.csv"));
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let clv = ClvAnalysis::run(&ds, &ClvSettings::default(), &mut || 0.0).unwrap();
    let tags = TagTable::build(&ds, &a, Some(&clv), None);
    let mut checked = 0;
    for (row, customer) in clv.summary.customer.iter().enumerate() {
        if let Some(t) = tags.tags(*customer) {
            assert_eq!(t.churn_risk, Some(clv.scores.churn_risk[row]));
            checked += 1;
        }
    }
    assert!(checked > 10);
    let high = filter(TagKind::ChurnRisk, &["High"]);
    let tagged_high = (0..ds.customer_count() as u32)
        .filter(|c| tags.matches(*c, std::slice::from_ref(&high)))
        .count();
    let predictions = Predictions::new(&clv);
    let by_band = query(
        &ds,
        &a,
        &[&predictions],
        &CustomerQuery {
            bands: vec![BandFilter {
                column: "churn_risk".to_string(),
                values: vec![ChurnRisk::High.name().to_string()],
            }],
            limit: 0,
            ..Default::default()
        },
    );
    assert!(tagged_high > 0);
    assert_eq!(tagged_high as u64, by_band.matching);
}

#[test]
fn query_tagged_filters_and_fills_rows() {
    let (ds, a) = fixture();
    let tags = labelled(&ds, &a);
    let q = CustomerQuery {
        sort: SortKey::CustomerId,
        descending: false,
        tags: vec![
            filter(TagKind::Cluster, &["1"]),
            filter(TagKind::PurchaseCycle, &["OneTime"]),
        ],
        ..Default::default()
    };
    let page = query_tagged(&ds, &a, &[], Some(&tags), &q);
    assert_eq!(page.matching, 3);
    let got: Vec<&str> = page.rows.iter().map(|r| r.customer_id.as_str()).collect();
    assert_eq!(got, ["c07", "c08", "c09"]);
    let c08 = page.rows[1].tags.as_ref().unwrap();
    assert_eq!(
        (c08.cluster, c08.region.as_deref()),
        (Some(1), Some("East"))
    );
    // Without a tag table: no tags on rows, and tag filters match nobody.
    assert_eq!(query(&ds, &a, &[], &q).matching, 0);
    let all = CustomerQuery::default();
    let plain = query(&ds, &a, &[], &all);
    assert_eq!(plain.matching, 10);
    assert!(plain.rows.iter().all(|r| r.tags.is_none()));
    let tagged = query_tagged(&ds, &a, &[], Some(&tags), &all);
    assert!(tagged.rows.iter().all(|r| r.tags.is_some()));
    // The old request shape (no `tags` field) still deserialises.
    let json =
        r#"{"sort":"Monetary","descending":true,"segments":[],"search":"","offset":0,"limit":5}"#;
    let old: CustomerQuery = serde_json::from_str(json).unwrap();
    assert!(old.tags.is_empty());
}

#[test]
fn export_appends_the_tag_columns() {
    let (ds, a) = fixture();
    let tags = labelled(&ds, &a);
    let q = CustomerQuery {
        sort: SortKey::CustomerId,
        descending: false,
        tags: vec![filter(TagKind::ValueTier, &["Low"])],
        ..Default::default()
    };
    let csv = export_csv_tagged(&ds, &a, &[], Some(&tags), &q);
    let mut lines = csv.lines();
    let header: Vec<&str> = EXPORT_HEADER
        .iter()
        .chain(&TAG_EXPORT_HEADER)
        .copied()
        .collect();
    assert_eq!(lines.next().unwrap(), header.join(","));
    assert_eq!(
        TAG_EXPORT_HEADER.join(","),
        "value_tier,rfm_segment,cluster,churn_risk,preferred_category,region,channel,purchase_cycle"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5);
    let c08 = rows.iter().find(|r| r.starts_with("c08,")).unwrap();
    let segment = tags.tags(index(&ds, "c08")).unwrap().rfm_segment.name();
    assert!(
        c08.ends_with(&format!(",low,{segment},1,,A,East,web,one_time")),
        "{c08}"
    );
    // Text tags get the formula-injection guard; a missing cluster is an empty cell.
    let c10 = rows.iter().find(|r| r.starts_with("c10,")).unwrap();
    assert!(c10.ends_with(",,,C,North,'@shop,one_time"), "{c10}");
    // Without a table: the plain export columns, and the tag filter matches nobody.
    let plain = export_csv_tagged(&ds, &a, &[], None, &q);
    assert_eq!(plain.lines().count(), 1);
    assert_eq!(plain.trim_end(), EXPORT_HEADER.join(","));
}

#[test]
fn export_with_predictions_has_one_churn_risk_column() {
    let ds = dataset_from_csv(include_str!("fixtures/clv/tx_sample.csv"));
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let clv = ClvAnalysis::run(&ds, &ClvSettings::default(), &mut || 0.0).unwrap();
    let tags = TagTable::build(&ds, &a, Some(&clv), None);
    let predictions = Predictions::new(&clv);
    let csv = export_csv_tagged(
        &ds,
        &a,
        &[&predictions],
        Some(&tags),
        &CustomerQuery::default(),
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 11 + 6 + 7);
    assert_eq!(header.iter().filter(|h| *h == "churn_risk").count(), 1);
    assert_eq!(&header[17], "value_tier");
    assert_eq!(&header[23], "purchase_cycle");
    let rows = reader.records().count();
    assert_eq!(rows, a.customers.len());
}

#[test]
fn customer_profile_groups_orders_like_the_rfm_run() {
    let (ds, a) = fixture();
    let tags = labelled(&ds, &a);
    let p = customer_profile(&ds, &a, &[], Some(&tags), "  c06 ").unwrap();
    assert_eq!(p.row.customer_id, "c06");
    assert_eq!(p.row.frequency, 4);
    assert_eq!(
        p.row.tags.as_ref().unwrap().purchase_cycle,
        PurchaseCycle::Monthly
    );
    assert_eq!(p.row.tags.as_ref().unwrap().cluster, Some(1));
    let base = day("2024-01-01");
    type Order = (Day, f64, u32, Option<f64>, Vec<String>);
    let summary: Vec<Order> = p
        .timeline
        .iter()
        .map(|o| {
            (
                o.day - base,
                o.net_amount,
                o.lines,
                o.quantity,
                o.products.clone(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        summary,
        [
            (0, 20.0, 3, Some(4.0), s(&["A", "B"])),
            (10, 10.0, 1, Some(1.0), s(&["A"])),
            (10, 10.0, 1, Some(1.0), s(&["C"])),
            (60, 10.0, 1, Some(1.0), s(&["A"])),
        ]
    );
    assert!(p
        .timeline
        .iter()
        .all(|o| o.region.as_deref() == Some("North")));
    assert!(p
        .timeline
        .iter()
        .all(|o| o.channel.as_deref() == Some("web")));
    assert_eq!(p.timeline_truncated, 0);
    assert_eq!((p.first_order_day - base, p.last_order_day - base), (0, 60));
    assert_eq!((p.orders, p.returned_orders), (4, 0));
    assert_eq!(p.net_revenue, 50.0);
    assert_eq!(p.mean_days_between_orders, Some(30.0));
    let favourites: Vec<(&str, f64, u32)> = p
        .favourite_products
        .iter()
        .map(|f| (f.product.as_str(), f.net_spend, f.orders))
        .collect();
    assert_eq!(favourites, [("A", 35.0, 3), ("C", 10.0, 1), ("B", 5.0, 1)]);

    // A return booked as its own order is in the timeline but not a purchase day.
    let p = customer_profile(&ds, &a, &[], None, "c07").unwrap();
    assert_eq!((p.orders, p.returned_orders, p.net_revenue), (2, 1, 40.0));
    assert_eq!(p.timeline[1].net_amount, -10.0);
    assert_eq!(p.mean_days_between_orders, None);
    assert!(p.row.tags.is_none());
    // c09: one order; returns net against the product.
    let p = customer_profile(&ds, &a, &[], None, "c09").unwrap();
    assert_eq!(p.timeline.len(), 1);
    assert_eq!(p.timeline[0].products, s(&["A", "B", "C"]));
    assert_eq!(p.favourite_products[0].product, "B");
}

#[test]
fn customer_profile_without_order_ids_groups_by_day() {
    let ds = dataset_from_csv(
        "customer_id,date,amount\nx,2024-01-01,5\ny,2024-01-02,1\nx,2024-01-01,7\nx,2024-01-06,3\n",
    );
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let p = customer_profile(&ds, &a, &[], None, "x").unwrap();
    let orders: Vec<(f64, u32, Option<f64>)> = p
        .timeline
        .iter()
        .map(|o| (o.net_amount, o.lines, o.quantity))
        .collect();
    assert_eq!(orders, [(12.0, 2, None), (3.0, 1, None)]);
    assert!(p
        .timeline
        .iter()
        .all(|o| o.products.is_empty() && o.region.is_none()));
    assert_eq!(p.mean_days_between_orders, Some(5.0));
    assert!(p.favourite_products.is_empty());
}

#[test]
fn unknown_or_unscored_ids_have_no_profile() {
    let (ds, a) = fixture();
    assert!(customer_profile(&ds, &a, &[], None, "nobody").is_none());
    assert!(customer_profile(&ds, &a, &[], None, "").is_none());
    // Exact match only.
    assert!(customer_profile(&ds, &a, &[], None, "c0").is_none());
    assert!(customer_profile(&ds, &a, &[], None, "C01").is_none());
    // Known, but no order with a positive net: not scored.
    assert!(customer_profile(&ds, &a, &[], None, "zz").is_none());
}

#[test]
fn long_timelines_keep_the_most_recent_orders() {
    let orders: Vec<String> = (0..505).map(|i| format!("o{i}")).collect();
    let lines: Vec<Line> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| ("busy", i as i32, 1.0, o.as_str(), "A", "North", "web"))
        .collect();
    let ds = build(&lines);
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let p = customer_profile(&ds, &a, &[], None, "busy").unwrap();
    assert_eq!(p.timeline.len(), 500);
    assert_eq!(p.timeline_truncated, 5);
    assert_eq!(p.orders, 505);
    let base = day("2024-01-01");
    assert_eq!(p.timeline[0].day - base, 5);
    assert_eq!(p.timeline[499].day - base, 504);
    assert_eq!(
        (p.first_order_day - base, p.last_order_day - base),
        (0, 504)
    );
}

#[test]
fn suggest_ids_lists_prefix_matches_first() {
    let ds = build(&[
        ("ab7", 0, 1.0, "1", "A", "N", "w"),
        ("7ab", 0, 1.0, "2", "A", "N", "w"),
        ("AB1", 0, 1.0, "3", "A", "N", "w"),
        ("xab", 0, 1.0, "4", "A", "N", "w"),
        ("zzz", 0, 1.0, "5", "A", "N", "w"),
        ("ab-return", 0, -1.0, "6", "A", "N", "w"),
    ]);
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    assert_eq!(
        suggest_ids(&ds, &a, " ab ", 10),
        ["AB1", "ab7", "7ab", "xab"]
    );
    assert_eq!(suggest_ids(&ds, &a, "ab", 3), ["AB1", "ab7", "7ab"]);
    assert_eq!(suggest_ids(&ds, &a, "ab", 1), ["AB1"]);
    assert!(suggest_ids(&ds, &a, "", 10).is_empty());
    assert!(suggest_ids(&ds, &a, "ab", 0).is_empty());
    assert!(suggest_ids(&ds, &a, "q", 10).is_empty());
}

// Regression: the profile search could not find an id with a line break inside (a search box
// cannot hold one), and a customer with many orders on one day was tagged "one order".
#[test]
fn ids_with_line_breaks_are_found_and_same_day_orders_are_not_one_order() {
    use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};
    let csv = "customer_id,order_id,date,amount\n\"A\nB\",1,2024-01-05,10\n\"A\nB\",2,2024-01-05,12\nC,3,2024-01-05,5\nC,4,2024-02-05,5\nD,5,2024-02-05,5\n";
    let shape = preview(csv.as_bytes(), &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping,
        keep_far_dates: false,
    };
    let (ds, _) = ingest(csv.as_bytes(), csv.len() as u64, &params, &mut |_| {}).unwrap();
    let a = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    for typed in ["A\nB", "AB", "A B", " A\r\nB "] {
        let p = customer_profile(&ds, &a, &[], None, typed).unwrap();
        assert_eq!(p.row.customer_id, "A\nB", "{typed:?}");
    }
    assert!(customer_profile(&ds, &a, &[], None, "A").is_none());
    let tags = TagTable::build(&ds, &a, None, None);
    let cycle_of = |id: &str| tags.tags(index(&ds, id)).map(|t| t.purchase_cycle);
    assert_eq!(
        cycle_of("A\nB"),
        Some(PurchaseCycle::Monthly),
        "two orders on one day"
    );
    assert_eq!(cycle_of("D"), Some(PurchaseCycle::OneTime));
}
