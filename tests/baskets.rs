//! Baskets against independent references: mlxtend 0.23.4 itemsets and rules, scipy's Fisher and
//! χ² tests, a short Python recommender evaluation, and the generator's planted pairs
//! (`tests/fixtures/baskets/`, made by `make_reference.py` and `reference_recommend.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]

mod common;

use std::collections::BTreeMap;

use segscope::engine::baskets::{
    BasketAnalysis, BasketError, BasketParams, BasketWarning, GroupBy, ItemLevel, MinSupport,
    Preferences, ReasonWords, RecommendParams, Recommender, RuleQuery, Transactions,
};
use segscope::engine::customers::{BoughtFilter, CustomerQuery};
use segscope::engine::session::{self as msg, Session};
use segscope::engine::table_out::ExportFormat;
use segscope::engine::EngineError;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/baskets/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

fn transactions(session: &Session, level: ItemLevel) -> Transactions {
    Transactions::build(
        session.dataset().unwrap(),
        session.analysis().unwrap(),
        level,
    )
    .unwrap()
}

fn run(t: &Transactions, params: &BasketParams) -> Result<BasketAnalysis, BasketError> {
    BasketAnalysis::run(t, params, 0.0, false, &mut || 0.0)
}

fn params(support: f64, confidence: f64, max_length: usize, max_consequent: usize) -> BasketParams {
    BasketParams {
        min_support: MinSupport::Share(support),
        min_confidence: confidence,
        max_length,
        max_consequent,
        ..BasketParams::new()
    }
}

/// Rows of a reference CSV as header → text maps.
fn rows(name: &str) -> Vec<BTreeMap<String, String>> {
    let text = read(name);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[track_caller]
fn close(actual: f64, expected: &str, rel: f64, what: &str) {
    if expected == "inf" {
        assert!(actual.is_infinite(), "{what}: {actual} vs inf");
        return;
    }
    let expected: f64 = expected.parse().unwrap();
    let scale = expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= rel * scale || (actual - expected).abs() < 1e-15,
        "{what}: {actual} vs {expected}"
    );
}

fn names(t: &Transactions, items: &[u32]) -> String {
    items
        .iter()
        .map(|&i| t.items[i as usize].as_str())
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Itemsets equal mlxtend's: same sets, same counts.
fn assert_itemsets(t: &Transactions, a: &BasketAnalysis, reference: &str) {
    let want: BTreeMap<String, u32> = rows(reference)
        .into_iter()
        .map(|r| (r["items"].clone(), r["count"].parse().unwrap()))
        .collect();
    let got: BTreeMap<String, u32> = (0..a.itemsets.len())
        .map(|s| (names(t, a.itemsets.items(s)), a.itemsets.count(s)))
        .collect();
    assert_eq!(got, want, "{reference}");
}

/// Rules equal mlxtend's (every metric) and scipy's p-values, with BH over the same set.
fn assert_rules(t: &Transactions, a: &BasketAnalysis, reference: &str) {
    let want = rows(reference);
    assert_eq!(a.rules.len(), want.len(), "{reference}: rule count");
    let by_key: BTreeMap<(String, String), &BTreeMap<String, String>> = want
        .iter()
        .map(|r| ((r["antecedent"].clone(), r["consequent"].clone()), r))
        .collect();
    for rule in &a.rules {
        let key = (names(t, &rule.antecedent), names(t, &rule.consequent));
        let r = by_key
            .get(&key)
            .unwrap_or_else(|| panic!("{reference}: extra rule {key:?}"));
        let m = rule.metrics(a.baskets);
        let what = |metric: &str| format!("{reference} {key:?} {metric}");
        assert_eq!(rule.count.to_string(), r["count"], "{}", what("count"));
        close(
            m.antecedent_support,
            &r["antecedent_support"],
            1e-12,
            &what("antecedent_support"),
        );
        close(
            m.consequent_support,
            &r["consequent_support"],
            1e-12,
            &what("consequent_support"),
        );
        close(m.support, &r["support"], 1e-12, &what("support"));
        close(m.confidence, &r["confidence"], 1e-12, &what("confidence"));
        close(m.lift, &r["lift"], 1e-12, &what("lift"));
        close(m.leverage, &r["leverage"], 1e-9, &what("leverage"));
        close(
            m.conviction.unwrap_or(f64::INFINITY),
            &r["conviction"],
            1e-9,
            &what("conviction"),
        );
        close(
            m.zhangs_metric,
            &r["zhangs_metric"],
            1e-9,
            &what("zhangs_metric"),
        );
        close(m.jaccard, &r["jaccard"], 1e-12, &what("jaccard"));
        close(m.kulczynski, &r["kulczynski"], 1e-12, &what("kulczynski"));
        close(rule.p_value, &r["p_value"], 1e-7, &what("p_value"));
        close(
            rule.p_value_adjusted,
            &r["p_value_adjusted"],
            1e-7,
            &what("p_value_adjusted"),
        );
    }
}

#[test]
fn the_documentation_example_matches_mlxtend() {
    let session = common::session_with(read("small.csv").as_bytes());
    let t = transactions(&session, ItemLevel::Product);
    assert_eq!(t.len(), 5);
    let a = run(&t, &params(0.6, 0.7, 6, 5)).unwrap();
    assert_itemsets(&t, &a, "small_itemsets.csv");
    assert_rules(&t, &a, "small_rules.csv");
}

#[test]
fn summary_itemsets_and_rules_match_mlxtend_and_scipy() {
    let session = common::session_with(read("tx_baskets.csv").as_bytes());
    let t = transactions(&session, ItemLevel::Product);
    let summary: serde_json::Value = serde_json::from_str(&read("reference_summary.json")).unwrap();
    let a = run(&t, &params(0.01, 0.1, 3, 1)).unwrap();
    let s = &a.report.summary;
    assert_eq!(s.baskets, summary["N"].as_u64().unwrap());
    assert_eq!(s.items, summary["distinct_products"].as_u64().unwrap());
    close(
        s.mean_size,
        &summary["mean_basket_size"].to_string(),
        1e-12,
        "mean size",
    );
    close(
        s.median_size,
        &summary["median_basket_size"].to_string(),
        1e-12,
        "median size",
    );
    close(
        s.single_item_share,
        &summary["single_item_share"].to_string(),
        1e-12,
        "single share",
    );
    for (got, want) in s
        .top_by_baskets
        .iter()
        .zip(summary["top_items_by_baskets"].as_array().unwrap())
    {
        assert_eq!(got.name, want["item"].as_str().unwrap());
        assert_eq!(got.baskets, want["baskets"].as_u64().unwrap());
    }
    for (got, want) in s
        .top_by_revenue
        .iter()
        .zip(summary["top_items_by_revenue"].as_array().unwrap())
    {
        assert_eq!(got.name, want["item"].as_str().unwrap());
        close(got.revenue, &want["revenue"].to_string(), 1e-9, "revenue");
    }
    assert_itemsets(&t, &a, "reference_itemsets.csv");
    assert_rules(&t, &a, "reference_rules.csv");
    assert_eq!(a.report.rules, summary["rules"].as_u64().unwrap());

    // Denser: support 0.002 (10 baskets), two-item consequents, with and without pruning.
    let low = run(&t, &params(0.002, 0.05, 3, 2)).unwrap();
    assert_eq!(low.report.min_count, 10);
    assert_itemsets(&t, &low, "reference_itemsets_low.csv");
    assert_rules(&t, &low, "reference_rules_low.csv");
    let pruned = run(
        &t,
        &BasketParams {
            prune_redundant: true,
            ..params(0.002, 0.05, 3, 2)
        },
    )
    .unwrap();
    assert_rules(&t, &pruned, "reference_rules_low_pruned.csv");
    assert_eq!(
        pruned.report.rules_pruned,
        low.rules.len() as u64 - pruned.rules.len() as u64
    );
}

#[test]
fn the_planted_pairs_are_found_with_their_realised_figures() {
    let session = common::session_with(read("tx_baskets.csv").as_bytes());
    let t = transactions(&session, ItemLevel::Product);
    let truth: serde_json::Value = serde_json::from_str(&read("tx_baskets.truth.json")).unwrap();
    let a = run(&t, &params(0.002, 0.1, 2, 1)).unwrap();
    let mut found = 0;
    for pair in truth["planted_pairs"].as_array().unwrap() {
        let (from, to) = (
            pair["antecedent"].as_str().unwrap(),
            pair["consequent"].as_str().unwrap(),
        );
        let support = pair["support_pair"].as_f64().unwrap();
        let Some(rule) = a
            .rules
            .iter()
            .find(|r| names(&t, &r.antecedent) == from && names(&t, &r.consequent) == to)
        else {
            // Only pairs rarer than the support may be missing.
            assert!(
                support < 0.002,
                "planted {from} ⇒ {to} (support {support}) not found"
            );
            continue;
        };
        found += 1;
        let m = rule.metrics(a.baskets);
        common::assert_rel(m.support, support, 1e-12, "support");
        common::assert_rel(
            m.confidence,
            pair["confidence"].as_f64().unwrap(),
            1e-12,
            "confidence",
        );
        common::assert_rel(m.lift, pair["lift"].as_f64().unwrap(), 1e-12, "lift");
        assert!(rule.p_value_adjusted < 1e-6, "{from} ⇒ {to} is significant");
        // The planted pairs lead the rules by lift.
        assert!(m.lift > 10.0);
    }
    assert!(found >= 4, "{found} planted pairs found");
}

#[test]
fn recommendation_evaluation_matches_the_python_reference() {
    let session = common::session_with(read("tx_baskets.csv").as_bytes());
    let t = transactions(&session, ItemLevel::Product);
    let reference: serde_json::Value =
        serde_json::from_str(&read("reference_recommend.json")).unwrap();
    let customers = session.dataset().unwrap().customer_count();
    for k in [5usize, 10] {
        let p = RecommendParams {
            k,
            ..RecommendParams::new()
        };
        let r = Recommender::fit(&t, customers, &p).unwrap();
        let e = r.evaluation.as_ref().unwrap();
        assert_eq!(e.held_out, reference["held_out"].as_u64().unwrap());
        assert_eq!(e.evaluated, reference["evaluated"].as_u64().unwrap());
        assert_eq!(
            e.skipped_nothing_new,
            reference["skipped_nothing_new"].as_u64().unwrap()
        );
        for (method, scores) in [("cosine", e.model), ("popular", e.popular)] {
            let want = &reference["metrics"][method][format!("k{k}")];
            for (name, got) in [
                ("hit_rate", scores.hit_rate),
                ("precision", scores.precision),
                ("recall", scores.recall),
                ("ndcg", scores.ndcg),
                ("coverage", scores.coverage),
            ] {
                close(
                    got,
                    &want[name].to_string(),
                    1e-9,
                    &format!("{method} k{k} {name}"),
                );
            }
        }
        // On this file (Zipf popularity, few planted pairs) the baseline wins: the report says so.
        assert!(!e.beats_baseline());
    }
}

#[test]
fn region_indexes_and_tests_match_scipy() {
    let session = common::session_with(read("tx_baskets.csv").as_bytes());
    let t = transactions(&session, ItemLevel::Product);
    let p = Preferences::compute(&t, session.dataset().unwrap(), GroupBy::Region).unwrap();
    let want = rows("reference_regions.csv");
    assert_eq!(p.cells.len(), want.len());
    let by_key: BTreeMap<(String, String), &BTreeMap<String, String>> = want
        .iter()
        .map(|r| ((r["region"].clone(), r["item"].clone()), r))
        .collect();
    for cell in &p.cells {
        let key = (
            p.groups[cell.group as usize].name.clone(),
            t.items[cell.item as usize].clone(),
        );
        let r = by_key[&key];
        assert_eq!(cell.baskets.to_string(), r["baskets"]);
        close(cell.index, &r["index"], 1e-12, "index");
        close(cell.p_value, &r["p_value"], 1e-9, &format!("{key:?} p"));
        close(
            cell.p_value_adjusted,
            &r["p_value_adjusted"],
            1e-9,
            &format!("{key:?} q"),
        );
    }
}

fn basket_error(result: Result<msg::Reply, msg::SessionError>) -> BasketError {
    match result {
        Err(msg::SessionError::Engine(EngineError::Baskets(e))) => e,
        other => panic!("expected a basket error, got {other:?}"),
    }
}

fn ask_rules(session: &mut Session, params: BasketParams) -> Result<msg::Reply, msg::SessionError> {
    common::ask(
        session,
        msg::Request::Baskets(msg::baskets::Request::Rules {
            params,
            query: RuleQuery::default(),
        }),
        None,
    )
}

#[test]
fn bad_input_gets_a_named_error() {
    // No product column.
    let mut s = common::session_with(b"customer_id,date,amount\na,2024-01-01,5\nb,2024-01-02,6\n");
    assert_eq!(
        basket_error(ask_rules(&mut s, BasketParams::new())),
        BasketError::NoItemColumn {
            level: ItemLevel::Product
        }
    );
    // One basket.
    let mut s = common::session_with(
        b"customer_id,order_id,date,amount,product\na,1,2024-01-01,5,x\na,1,2024-01-01,6,y\n",
    );
    assert_eq!(
        basket_error(ask_rules(&mut s, BasketParams::new())),
        BasketError::TooFewBaskets { baskets: 1 }
    );
    // Every basket holds one item.
    let mut s = common::session_with(b"customer_id,order_id,date,amount,product\na,1,2024-01-01,5,x\nb,2,2024-01-01,6,y\nc,3,2024-01-02,6,x\n");
    assert_eq!(
        basket_error(ask_rules(&mut s, BasketParams::new())),
        BasketError::AllSingleItem { baskets: 3 }
    );
    // A region column with one value.
    let mut s = common::session_with(b"customer_id,order_id,date,amount,product,region\na,1,2024-01-01,5,x,North\na,1,2024-01-01,6,y,North\nb,2,2024-01-02,6,x,North\n");
    let e = basket_error(common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::Regions {
            params: Default::default(),
        }),
        None,
    ));
    assert_eq!(
        e,
        BasketError::OneGroup {
            by: GroupBy::Region,
            value: "North".into()
        }
    );
    // A support so low it would explode: 40 baskets of the same 22 items.
    let mut csv = String::from("customer_id,order_id,date,amount,product\n");
    for b in 0..40 {
        for i in 0..22 {
            csv.push_str(&format!("c{b},{b},2024-01-01,1,item{i}\n"));
        }
    }
    let mut s = common::session_with(csv.as_bytes());
    let e = basket_error(ask_rules(&mut s, params(0.01, 0.1, 10, 1)));
    let BasketError::TooManyItemsets {
        found,
        estimate,
        suggested_support,
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert!(found > 1_000_000 && estimate > 1e6, "{found} {estimate}");
    // Every itemset is in every basket: no support helps, only shorter itemsets (said so).
    assert_eq!(suggested_support, None);
}

#[test]
fn a_hundred_thousand_products_run_and_say_so() {
    // 100k products, each bought in two baskets; one pair bought together often.
    let mut csv = String::from("customer_id,order_id,date,amount,product\n");
    for p in 0..100_000u32 {
        for copy in 0..2 {
            let order = p * 2 + copy;
            csv.push_str(&format!("c{},{order},2024-01-01,1,p{p}\n", order % 5000));
            csv.push_str(&format!(
                "c{},{order},2024-01-01,1,p{}\n",
                order % 5000,
                (p + 1) % 100_000
            ));
        }
    }
    let mut s = common::session_with(csv.as_bytes());
    let reply = ask_rules(&mut s, params(0.00001, 0.1, 3, 1)).unwrap();
    let msg::Response::Baskets(msg::baskets::Response::Mined { report, .. }) = reply.response
    else {
        panic!()
    };
    assert_eq!(report.summary.items, 100_000);
    assert!(report
        .warnings
        .iter()
        .any(|w| matches!(w, BasketWarning::ManyItems { items: 100_000, .. })));
}

#[test]
fn exports_have_the_documented_columns_and_the_cross_sell_filter_works() {
    let mut s = common::session_with(read("tx_baskets.csv").as_bytes());
    ask_rules(&mut s, params(0.01, 0.1, 3, 1)).unwrap();
    let reply = common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::ExportRules {
            format: ExportFormat::Csv,
        }),
        None,
    )
    .unwrap();
    let text = reply.download.unwrap().text().into_owned();
    assert!(text.starts_with(
        "antecedent,consequent,antecedent_support,consequent_support,count,support,confidence,lift,leverage,conviction,p_value,p_value_adjusted"
    ));
    assert_eq!(text.lines().count(), 16);
    assert!(text.contains("P0009,P0181,"));

    common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::Recommend {
            params: RecommendParams {
                k: 3,
                evaluate: false,
                ..RecommendParams::new()
            },
        }),
        None,
    )
    .unwrap();
    let words = ReasonWords {
        together: "with {item} by {customers}".into(),
        popular: "popular".into(),
    };
    let reply = common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::ExportRecommendations {
            format: ExportFormat::Csv,
            words,
        }),
        None,
    )
    .unwrap();
    let text = reply.download.unwrap().text().into_owned();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "customer_id,rank,item,score,reason,because_of,customers_together"
    );
    assert_eq!(text.lines().count(), 1 + 3 * 1000);
    assert!(text.contains(",with P0"));

    // "Bought P0009, not P0181": the cross-sell list, checked against a plain count.
    let query = CustomerQuery {
        bought: Some(BoughtFilter {
            level: ItemLevel::Product,
            bought: vec!["P0009".into()],
            not_bought: vec!["P0181".into()],
        }),
        ..CustomerQuery::default()
    };
    let reply = common::ask(
        &mut s,
        msg::Request::Customers(msg::customers::Request::Page { query }),
        None,
    )
    .unwrap();
    let msg::Response::Customers(msg::customers::Response::Page { page }) = reply.response else {
        panic!()
    };
    let raw = read("tx_baskets.csv");
    let mut bought: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for line in raw.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let e = bought.entry(f[0]).or_default();
        e.0 |= f[4] == "P0009";
        e.1 |= f[4] == "P0181";
    }
    let want = bought.values().filter(|(a, b)| *a && !*b).count() as u64;
    assert!(want > 0);
    assert_eq!(page.matching, want);
}

#[test]
fn the_region_report_finds_the_planted_preferences_and_draws_them() {
    let mut s = common::session_with(read("tx_baskets.csv").as_bytes());
    let reply = common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::Regions {
            params: Default::default(),
        }),
        None,
    )
    .unwrap();
    let msg::Response::Baskets(msg::baskets::Response::Regions { report }) = reply.response else {
        panic!()
    };
    let truth: serde_json::Value = serde_json::from_str(&read("tx_baskets.truth.json")).unwrap();
    // The generator boosts three products per region; the strongest significant over-index of
    // North is one of them, and the heatmap shows it.
    let planted: Vec<&str> = truth["regions"]["preferences"]["North"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["product"].as_str().unwrap())
        .collect();
    let north = report.groups.iter().find(|g| g.name == "North").unwrap();
    let best = &north.over_indexed[0].item;
    assert!(
        planted.contains(&best.as_str()),
        "{best} not in {planted:?}"
    );
    assert!(report.items.contains(best));
    assert_eq!(report.items.len(), 20);
    assert_eq!(report.index.len(), report.groups.len());
}

#[test]
fn review_findings_stay_fixed() {
    // Every customer has one basket: the recommendations stand, their check is said to be
    // impossible (it used to fail the whole request).
    let mut s = common::session_with(
        b"customer_id,order_id,date,amount,product\na,1,2024-01-01,5,x\na,1,2024-01-01,6,y\nb,2,2024-01-02,6,x\nc,3,2024-01-03,2,z\n",
    );
    let reply = common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::Recommend {
            params: RecommendParams::new(),
        }),
        None,
    )
    .unwrap();
    let msg::Response::Baskets(msg::baskets::Response::Recommended { report }) = reply.response
    else {
        panic!()
    };
    assert!(report.evaluation.is_none() && report.evaluation_unavailable);
    assert_eq!(report.customers, 3);

    // A region of 10 baskets, one of which holds an item nobody else bought: index 100 × 1000 /
    // 10, a χ² p of about 0, but an expected count far below 5: not an over-index.
    let mut csv = String::from("customer_id,order_id,date,amount,product,region\n");
    for b in 0..1000 {
        let region = if b < 10 { "Small" } else { "Big" };
        let item = if b == 0 { "rare" } else { "common" };
        csv.push_str(&format!("c{b},{b},2024-01-01,5,{item},{region}\n"));
        csv.push_str(&format!("c{b},{b},2024-01-01,5,other,{region}\n"));
    }
    let mut s = common::session_with(csv.as_bytes());
    let t = transactions(&s, ItemLevel::Product);
    let p = Preferences::compute(&t, s.dataset().unwrap(), GroupBy::Region).unwrap();
    let rare = t.items.iter().position(|i| i == "rare").unwrap() as u32;
    let cell = p
        .cells
        .iter()
        .find(|c| c.item == rare && c.baskets == 1)
        .unwrap();
    assert!(cell.index > 1000.0 && cell.p_value < 1e-6, "{cell:?}");
    assert!(!cell.reliable() && !cell.is_over_index());
    let reply = common::ask(
        &mut s,
        msg::Request::Baskets(msg::baskets::Request::Regions {
            params: Default::default(),
        }),
        None,
    )
    .unwrap();
    let msg::Response::Baskets(msg::baskets::Response::Regions { report }) = reply.response else {
        panic!()
    };
    assert!(report.groups.iter().all(|g| g.over_indexed.is_empty()));

    // "Bought" counts purchase orders only, as the baskets do: x on a sale returned in the same
    // order (the order nets below 0) is not bought.
    let mut s = common::session_with(
        b"customer_id,order_id,date,amount,product\na,1,2024-01-01,5,x\na,1,2024-01-01,-9,y\na,2,2024-01-02,5,z\nb,3,2024-01-02,6,x\n",
    );
    let query = CustomerQuery {
        bought: Some(BoughtFilter {
            level: ItemLevel::Product,
            bought: vec!["x".into()],
            not_bought: Vec::new(),
        }),
        ..CustomerQuery::default()
    };
    let reply = common::ask(
        &mut s,
        msg::Request::Customers(msg::customers::Request::Page { query }),
        None,
    )
    .unwrap();
    let msg::Response::Customers(msg::customers::Response::Page { page }) = reply.response else {
        panic!()
    };
    assert_eq!(page.matching, 1);
}
