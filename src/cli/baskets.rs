//! `segscope baskets`, `segscope recommend` and `segscope regions`: association rules,
//! cross-sell recommendations with their evaluation, and regional (or channel) preferences.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::session::CliSession;
use super::InputArgs;
use super::{number, path, print_line, run_error, to_json, CliResult};
use crate::engine::baskets::{
    BasketParams, BasketReport, BasketTimings, BasketWarning, GroupBy, ItemLevel, MinSupport,
    ReasonWords, RecommendParams, RecommendReport, RegionParams, RegionReport, RuleQuery, RuleRow,
    MAX_K, MAX_LENGTH,
};
use crate::engine::session::{baskets, Request, Response};
use crate::format;
use crate::i18n::{self, t, Lang};

pub(super) const HELP: &str = "\
segscope baskets — association rules: what sells together

Usage: segscope baskets FILE [options]

A basket is an order (the order id, or a customer's lines on one day without one); its items are
the distinct products (or categories) of its lines with a non-negative amount. Itemsets are mined
depth-first, rules carry mlxtend's metrics, Fisher's exact test (one-sided) and a
Benjamini-Hochberg adjusted p-value.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Rule options:
  --level product|category  what an item is (default product)
  --min-support R           minimum support, a share of the baskets in (0, 1] (default 0.01)
  --min-count N             minimum support as a basket count (instead of --min-support)
  --min-confidence R        minimum confidence, 0..=1 (default 0.1)
  --min-lift R              minimum lift (default 0: any)
  --max-length N            most items in an itemset, 2..=10 (default 4)
  --max-consequent N        most items on a rule's right-hand side (default 1)
  --prune                   drop a rule when a smaller antecedent with the same consequent has
                            at least its confidence

Output options:
  --out PATH                write every rule: antecedent, consequent, antecedent_support,
                            consequent_support, count, support, confidence, lift, leverage,
                            conviction, p_value, p_value_adjusted, zhangs_metric, jaccard,
                            kulczynski (items joined by ' & '; CSV, or .xlsx)
  --pairs-out PATH          write every pair of items bought together: item_a, item_b (item_a
                            first in byte order), baskets, item_a_baskets, item_b_baskets,
                            total_baskets, the most baskets first (what segscope sql --query
                            pairs computes in a warehouse; CSV, or .xlsx)
  --top N                   rules in the summary or the JSON (default 20)
  --json                    print {transactions, items, itemsets, rules, top_rules, timings_ms, ...}
  -h, --help                this help";

pub(super) const RECOMMEND_HELP: &str = "\
segscope recommend — cross-sell: the next items to offer each customer

Usage: segscope recommend FILE [options]

Item-to-item collaborative filtering over customers' baskets (cosine similarity, 50 neighbours per
item), filled from the most popular items. --evaluate hides each repeat customer's last basket,
recommends from the earlier ones and scores hit rate, precision, recall, NDCG at k and catalogue
coverage beside a most-popular baseline.

Input options: as for segscope baskets

Options:
  --level product|category  what an item is (default product)
  --k N                     recommendations per customer, 1..=50 (default 10)
  --repeat                  recommend items already bought (consumables)
  --evaluate                score the recommendations on hidden last baskets
  --out PATH                write customer_id, rank, item, score, reason, because_of,
                            customers_together (CSV, or .xlsx)
  --json                    print {customers, k, evaluation, bought_together}
  -h, --help                this help";

pub(super) const REGIONS_HELP: &str = "\
segscope regions — what each region (or channel) prefers

Usage: segscope regions FILE [options]

Per group and item: the share of the group's baskets holding the item against the share of all
baskets, as an index (100 = average), with a chi-square test and Benjamini-Hochberg adjusted
p-values.

Input options: as for segscope baskets

Options:
  --by region|channel       the column compared (default region)
  --level product|category  what an item is (default product)
  --out PATH                write every group x item cell (CSV, or .xlsx)
  --json                    print {by, groups, cells, significant_cells, ...}
  -h, --help                this help";

/// `--level`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    Product,
    Category,
}

impl From<Level> for ItemLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Product => ItemLevel::Product,
            Level::Category => ItemLevel::Category,
        }
    }
}

/// `--by`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum By {
    Region,
    Channel,
}

/// `segscope baskets FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct BasketsArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    level: Option<Level>,
    #[arg(long = "min-support", value_name = "R", allow_hyphen_values = true, value_parser = number("--min-support", 0.0..=1.0f64))]
    min_support: Option<f64>,
    #[arg(long = "min-count", value_name = "N", allow_hyphen_values = true, value_parser = number("--min-count", 1..=u64::MAX))]
    min_count: Option<u64>,
    #[arg(long = "min-confidence", value_name = "R", allow_hyphen_values = true, value_parser = number("--min-confidence", 0.0..=1.0f64))]
    min_confidence: Option<f64>,
    #[arg(long = "min-lift", value_name = "R", allow_hyphen_values = true, value_parser = number("--min-lift", 0.0..=f64::MAX))]
    min_lift: Option<f64>,
    #[arg(long = "max-length", value_name = "N", allow_hyphen_values = true, value_parser = number("--max-length", 2..=MAX_LENGTH))]
    max_length: Option<usize>,
    #[arg(long = "max-consequent", value_name = "N", allow_hyphen_values = true, value_parser = number("--max-consequent", 1..=MAX_LENGTH - 1))]
    max_consequent: Option<usize>,
    #[arg(long)]
    prune: bool,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    /// `--pairs-out PATH`: every pair's basket counts.
    #[arg(long = "pairs-out", value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    pairs_out: Option<PathBuf>,
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = number("--top", 0..=10_000usize))]
    top: Option<usize>,
    #[arg(long)]
    json: bool,
}

/// `--json` of `segscope baskets`.
#[derive(Serialize)]
struct BasketsJson<'a> {
    level: &'static str,
    transactions: u64,
    items: u64,
    customers: u64,
    mean_basket_size: f64,
    median_basket_size: f64,
    single_item_share: f64,
    min_support: f64,
    min_count: u32,
    itemsets: u64,
    itemsets_by_length: &'a [u64],
    rules: u64,
    rules_pruned: u64,
    rules_significant: u64,
    top_rules: Vec<RuleJson<'a>>,
    warnings: &'a [BasketWarning],
    timings_ms: BasketTimings,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    antecedent: &'a [String],
    consequent: &'a [String],
    count: u64,
    support: f64,
    confidence: f64,
    lift: f64,
    leverage: f64,
    conviction: Option<f64>,
    p_value: f64,
    p_value_adjusted: f64,
}

impl<'a> RuleJson<'a> {
    fn of(r: &'a RuleRow) -> Self {
        Self {
            antecedent: &r.antecedent,
            consequent: &r.consequent,
            count: r.count,
            support: r.metrics.support,
            confidence: r.metrics.confidence,
            lift: r.metrics.lift,
            leverage: r.metrics.leverage,
            conviction: r.metrics.conviction,
            p_value: r.p_value,
            p_value_adjusted: r.p_value_adjusted,
        }
    }
}

impl BasketsArgs {
    fn params(&self) -> BasketParams {
        let d = BasketParams::new();
        BasketParams {
            level: self.level.map_or(d.level, Into::into),
            min_support: match (self.min_count, self.min_support) {
                (Some(c), _) => MinSupport::Count(c),
                (None, Some(s)) => MinSupport::Share(s),
                (None, None) => d.min_support,
            },
            min_confidence: self.min_confidence.unwrap_or(d.min_confidence),
            min_lift: self.min_lift.unwrap_or(d.min_lift),
            max_length: self.max_length.unwrap_or(d.max_length),
            max_consequent: self.max_consequent.unwrap_or(d.max_consequent),
            prune_redundant: self.prune,
        }
    }

    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let top = self.top.unwrap_or(20);
        let query = RuleQuery {
            limit: top,
            ..RuleQuery::default()
        };
        let reply = cli.ask_about(
            file,
            Request::Baskets(baskets::Request::Rules {
                params: self.params(),
                query,
            }),
            None,
        )?;
        let Response::Baskets(baskets::Response::Mined { report, page, .. }) = reply.response
        else {
            return Err(run_error(format!("{}: no rules", file.display())));
        };
        if let Some(out) = &self.out {
            let session = cli.session();
            let (Some(analysis), Some(t)) = (
                session.basket_rules(),
                session.basket_transactions(report.summary.level),
            ) else {
                return Err(run_error(format!("{}: no rules", file.display())));
            };
            super::write_export(out, "rules", |sink| analysis.export_rules(&t.items, sink))?;
        }
        if let Some(out) = &self.pairs_out {
            let Some(t) = cli.session().basket_transactions(report.summary.level) else {
                return Err(run_error(format!("{}: no baskets", file.display())));
            };
            super::write_export(out, "pairs", |sink| t.export_pairs(1, sink))?;
        }
        let text = if self.json {
            let r = &report;
            to_json(&BasketsJson {
                level: r.summary.level.key(),
                transactions: r.summary.baskets,
                items: r.summary.items,
                customers: r.summary.customers,
                mean_basket_size: r.summary.mean_size,
                median_basket_size: r.summary.median_size,
                single_item_share: r.summary.single_item_share,
                min_support: r.min_support,
                min_count: r.min_count,
                itemsets: r.itemsets,
                itemsets_by_length: &r.itemsets_by_length,
                rules: r.rules,
                rules_pruned: r.rules_pruned,
                rules_significant: r.rules_significant,
                top_rules: page.rows.iter().map(RuleJson::of).collect(),
                warnings: &r.warnings,
                timings_ms: r.timings,
            })?
        } else {
            baskets_human(&report, &page.rows)
        };
        print_line(&text)
    }
}

fn baskets_human(r: &BasketReport, top: &[RuleRow]) -> String {
    let n = |v: f64| format::grouped(v, 0, ',');
    let s = &r.summary;
    let mut lines = vec![
        format!(
            "Baskets {} ({} items, {} customers); mean size {}, median {}, single-item {}",
            n(s.baskets as f64),
            n(s.items as f64),
            n(s.customers as f64),
            format::plain(s.mean_size, 2),
            format::plain(s.median_size, 1),
            format::percent(s.single_item_share)
        ),
        format!(
            "Itemsets {} at support >= {} ({} baskets); rules {} ({} significant, {} pruned)",
            n(r.itemsets as f64),
            i18n::support_text(r.min_support),
            n(f64::from(r.min_count)),
            n(r.rules as f64),
            n(r.rules_significant as f64),
            n(r.rules_pruned as f64)
        ),
        format!(
            "Timings: baskets {} ms, mining {} ms, rules {} ms",
            format::plain(r.timings.baskets_ms, 1),
            format::plain(r.timings.mine_ms, 1),
            format::plain(r.timings.rules_ms, 1)
        ),
    ];
    for w in &r.warnings {
        lines.push(format!("Note: {}", i18n::basket_warning_text(Lang::En, w)));
    }
    if !top.is_empty() {
        lines.push("Top rules (lift, confidence, support, adjusted p):".to_string());
    }
    for row in top {
        lines.push(format!(
            "  {} => {}  lift {}  conf {}  supp {}  p {}",
            row.antecedent.join(" & "),
            row.consequent.join(" & "),
            format::plain(row.metrics.lift, 2),
            format::percent(row.metrics.confidence),
            i18n::support_text(row.metrics.support),
            format_args!("{:.2e}", row.p_value_adjusted)
        ));
    }
    lines.join("\n")
}

/// `segscope recommend FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct RecommendArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    level: Option<Level>,
    #[arg(long = "k", value_name = "N", allow_hyphen_values = true, value_parser = number("--k", 1..=MAX_K))]
    k: Option<usize>,
    #[arg(long)]
    repeat: bool,
    #[arg(long)]
    evaluate: bool,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl RecommendArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let d = RecommendParams::new();
        let params = RecommendParams {
            level: self.level.map_or(d.level, Into::into),
            k: self.k.unwrap_or(d.k),
            repeat_purchases: self.repeat,
            evaluate: self.evaluate,
            ..d
        };
        let reply = cli.ask_about(
            file,
            Request::Baskets(baskets::Request::Recommend { params }),
            None,
        )?;
        let Response::Baskets(baskets::Response::Recommended { report }) = reply.response else {
            return Err(run_error(format!("{}: no recommendations", file.display())));
        };
        if let Some(out) = &self.out {
            let session = cli.session();
            let (Some(r), Some(items), Some(d)) = (
                session.recommendations(),
                session.basket_transactions(report.level),
                session.dataset(),
            ) else {
                return Err(run_error(format!("{}: no recommendations", file.display())));
            };
            let words = ReasonWords {
                together: t::RECS_REASON_TOGETHER.get(Lang::En).to_string(),
                popular: t::RECS_REASON_POPULAR.get(Lang::En).to_string(),
            };
            super::write_export(out, "recommendations", |sink| {
                r.export(items, d, &words, sink)
            })?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            recommend_human(&report)
        };
        print_line(&text)
    }
}

fn recommend_human(r: &RecommendReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let mut lines = vec![format!(
        "Recommendations for {} customers, {} each ({}); {} ms",
        n(r.customers),
        r.k,
        if r.repeat_purchases {
            "repeats allowed"
        } else {
            "new items only"
        },
        format::plain(r.elapsed_ms, 1)
    )];
    if r.evaluation_unavailable {
        lines.push(t::RECS_EVAL_UNAVAILABLE.get(Lang::En).to_string());
    }
    if r.heavy_customers > 0 {
        lines.push(crate::i18n::fill(
            Lang::En,
            t::RECS_HEAVY,
            &[&n(r.heavy_customers)],
        ));
    }
    if let Some(e) = &r.evaluation {
        lines.push(format!(
            "Evaluation on hidden last baskets: {} customers held out, {} scored, {} skipped (nothing new)",
            n(e.held_out),
            n(e.evaluated),
            n(e.skipped_nothing_new)
        ));
        lines.push(format!(
            "  {:<24} {:>10} {:>12} {:>10} {:>8} {:>9}",
            "method",
            format!("hit@{}", e.k),
            format!("precision@{}", e.k),
            format!("recall@{}", e.k),
            format!("ndcg@{}", e.k),
            "coverage"
        ));
        for (name, s) in [
            ("item-to-item (cosine)", e.model),
            ("most popular (baseline)", e.popular),
        ] {
            lines.push(format!(
                "  {:<24} {:>10} {:>12} {:>10} {:>8} {:>9}",
                name,
                format::percent(s.hit_rate),
                format::percent(s.precision),
                format::percent(s.recall),
                format::plain(s.ndcg, 4),
                format::percent(s.coverage)
            ));
        }
        lines.push(
            if e.beats_baseline() {
                t::RECS_BEATS
            } else {
                t::RECS_LOSES
            }
            .get(Lang::En)
            .to_string(),
        );
    }
    lines.join("\n")
}

/// `segscope regions FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct RegionsArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    by: Option<By>,
    #[arg(long, value_enum)]
    level: Option<Level>,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl RegionsArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = RegionParams {
            level: self.level.map_or(ItemLevel::Product, Into::into),
            by: match self.by {
                Some(By::Channel) => GroupBy::Channel,
                _ => GroupBy::Region,
            },
        };
        let reply = cli.ask_about(
            file,
            Request::Baskets(baskets::Request::Regions {
                params: params.clone(),
            }),
            None,
        )?;
        let Response::Baskets(baskets::Response::Regions { report }) = reply.response else {
            return Err(run_error(format!("{}: no regions", file.display())));
        };
        if let Some(out) = &self.out {
            let session = cli.session();
            let (Some(p), Some(t)) = (
                session.preferences(),
                session.basket_transactions(params.level),
            ) else {
                return Err(run_error(format!("{}: no regions", file.display())));
            };
            super::write_export(out, "preferences", |sink| p.export(t, sink))?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            regions_human(&report)
        };
        print_line(&text)
    }
}

fn regions_human(r: &RegionReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let mut lines = vec![format!(
        "{} {}s, {} baskets; {} of {} cells differ significantly (adjusted p < 0.05)",
        r.groups.len(),
        r.by.key(),
        n(r.baskets),
        n(r.significant_cells),
        n(r.cells)
    )];
    for g in &r.groups {
        let over: Vec<String> = g
            .over_indexed
            .iter()
            .map(|p| format!("{} ({})", p.item, format::plain(p.index, 0)))
            .collect();
        lines.push(format!(
            "  {} ({} baskets): {}",
            g.name,
            n(g.baskets),
            if over.is_empty() {
                "nothing significant".to_string()
            } else {
                over.join(", ")
            }
        ));
    }
    lines.join("\n")
}
