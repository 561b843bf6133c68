//! `segscope cluster`: k-means segments with profiles and automatic names, or scoring with a
//! saved segmentation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::session::CliSession;
use super::InputArgs;
use super::{number, path, print_line, run_error, to_json, BadValue, CliError, CliResult};
use crate::engine::cluster::{
    AttributeJoin, BehaviourFeature, ClusterAnalysis, ClusterError, ClusterSettings, ClusterStage,
    ClusterWarning, FeatureInfo, FeatureKey, KChoice, NameTrait, SegmentProfile, SegmentationModel,
    Share, SweepPoint, TransformKind, MAX_K, MIN_K,
};
use crate::engine::clv::ClvSettings;
use crate::engine::customers::CustomerQuery;
use crate::engine::session::{segments, FileSource, Request};
use crate::format;
use crate::i18n::{self, Lang};

pub(super) const HELP: &str = "\
segscope cluster — customer segments found by k-means, profiled and named

Usage: segscope cluster FILE --k N|auto [options]
       segscope cluster FILE --model model.json [options]

Builds per-customer features (from the transactions, the predictions and an optional attributes
file), logs skewed ones (skewness above 1), standardises them, one-hot encodes categories, runs
k-means (k-means++ seeding, seeded restarts) for k = 2..10 and profiles the segments. With
--model, FILE is scored with a saved segmentation instead (nearest centroid, same transforms).

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Segmentation options:
  --k N|auto               segments, 2..=20, or auto: the k of the sweep with the best mean
                           silhouette (default auto)
  --features LIST          comma-separated: recency_days, frequency, monetary,
                           average_order_value, tenure_days, inter_purchase_days, category_shares,
                           main_region, main_channel, clv, probability_alive, attr:HEADER
                           (default recency_days,frequency,monetary)
  --attributes FILE        a customer attributes CSV (any encoding/delimiter the transactions
                           accept), joined on the customer id
  --attributes-id COLUMN   its id column (default: a customer-id header, else the first column)
  --seed S                 seed of every random choice (default 42)
  --restarts N             k-means++ restarts per fit, 1..=100 (default 10)
  --model PATH             score FILE with a saved segmentation (no sweep, no refit)

Output options:
  --out PATH               write customer_id,segment,segment_name for every customer (CSV, or
                           an Excel workbook when PATH ends in .xlsx)
  --save-model PATH        save the segmentation (features, transforms, centroids, names; no
                           customer rows) as JSON
  --json                   print {customers, k, suggested_k, sweep, segments, features,
                           warnings, ...} instead of the human summary
  -h, --help               this help";

fn k_choice(text: &str) -> Result<KChoice, BadValue> {
    if text.eq_ignore_ascii_case("auto") {
        return Ok(KChoice::Auto);
    }
    number("--k", MIN_K..=MAX_K)(text).map(KChoice::Fixed)
}

/// `--features LIST`: one or more features, comma-separated.
#[derive(Debug, Clone)]
struct FeatureList(Vec<FeatureKey>);

fn feature_list(list: &str) -> Result<FeatureList, BadValue> {
    let mut features = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        features.push(FeatureKey::parse(name).ok_or_else(|| {
            let known: Vec<&str> = BehaviourFeature::ALL.iter().map(|f| f.key()).collect();
            BadValue(format!(
                "unknown feature '{name}' in --features; features: {}, attr:HEADER",
                known.join(", ")
            ))
        })?);
    }
    if features.is_empty() {
        return Err(BadValue("--features needs at least one feature".into()));
    }
    Ok(FeatureList(features))
}

/// `segscope cluster FILE [options]`; unset options keep the defaults of [`ClusterSettings`].
#[derive(Debug, Args)]
pub(super) struct ClusterArgs {
    #[command(flatten)]
    input: InputArgs,
    /// `--k N|auto`.
    #[arg(long = "k", value_name = "N|auto", allow_hyphen_values = true, value_parser = k_choice)]
    k: Option<KChoice>,
    /// `--features LIST`.
    #[arg(long, value_name = "LIST", allow_hyphen_values = true, value_parser = feature_list)]
    features: Option<FeatureList>,
    /// `--attributes FILE`: a customer attributes CSV.
    #[arg(long, value_name = "FILE", allow_hyphen_values = true, value_parser = path())]
    attributes: Option<PathBuf>,
    /// `--attributes-id COLUMN`: its id column.
    #[arg(
        long = "attributes-id",
        value_name = "COLUMN",
        allow_hyphen_values = true
    )]
    attributes_id: Option<String>,
    /// `--seed S`.
    #[arg(long, value_name = "S", allow_hyphen_values = true, value_parser = number("--seed", 0..=u64::MAX))]
    seed: Option<u64>,
    /// `--restarts N`.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = number("--restarts", 1..=100usize))]
    restarts: Option<usize>,
    /// `--model PATH`: score FILE with a saved segmentation.
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    model: Option<PathBuf>,
    /// `--save-model PATH`.
    #[arg(long = "save-model", value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    save_model: Option<PathBuf>,
    /// `--out PATH`: customer_id,segment,segment_name for every customer.
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    /// `--json`: JSON instead of the human summary.
    #[arg(long)]
    json: bool,
}

/// `--json`.
#[derive(Serialize)]
struct ClusterJson<'a> {
    customers: u64,
    k: usize,
    /// `null` when scoring with a saved model (no sweep).
    suggested_k: Option<usize>,
    sweep: Option<&'a [SweepPoint]>,
    inertia: f64,
    silhouette: f64,
    silhouette_sample_size: usize,
    calinski_harabasz: f64,
    stability_ari: Option<f64>,
    bootstrap_resamples: usize,
    iterations: usize,
    features: Vec<FeatureJson<'a>>,
    segments: Vec<SegmentJson<'a>>,
    attributes: Option<&'a AttributeJoin>,
    warnings: &'a [ClusterWarning],
    timings_ms: &'a [(ClusterStage, f64)],
}

#[derive(Serialize)]
struct FeatureJson<'a> {
    label: &'a str,
    /// The feature's key (`recency_days`, `attr:age`, ...).
    feature: String,
    /// `standardise`, `log+standardise` or `one-hot`.
    transform: &'static str,
    skewness: Option<f64>,
    raw_mean: f64,
    raw_median: Option<f64>,
    imputed: u64,
}

/// One segment; the per-feature maps are keyed by feature label.
#[derive(Serialize)]
struct SegmentJson<'a> {
    segment: u32,
    name: String,
    name_traits: &'a [NameTrait],
    customers: u64,
    share: f64,
    revenue: f64,
    revenue_share: f64,
    tiny: bool,
    silhouette: f64,
    stability: Option<f64>,
    centroid_original_units: BTreeMap<&'a str, f64>,
    index: BTreeMap<&'a str, Option<f64>>,
    /// Labels of the features that set the segment apart.
    distinctive: Vec<&'a str>,
    top_products: &'a [Share],
    top_regions: &'a [Share],
    top_channels: &'a [Share],
}

fn transform_name(kind: TransformKind) -> &'static str {
    match kind {
        TransformKind::Standardise => "standardise",
        TransformKind::LogStandardise => "log+standardise",
        TransformKind::OneHot => "one-hot",
    }
}

impl<'a> FeatureJson<'a> {
    fn of(f: &'a FeatureInfo) -> Self {
        Self {
            label: &f.label,
            feature: f.key.name(),
            transform: transform_name(f.transform),
            skewness: f.skewness,
            raw_mean: f.raw_mean,
            raw_median: f.raw_median,
            imputed: f.imputed,
        }
    }
}

/// The CLI's name of segment `s`: the user's, else the automatic one in English, numbered when
/// shared ("Low value 2"). The engine gives the traits; the page words them through its catalog,
/// the CLI here (its English predates the catalog and scripts read it).
fn segment_name(analysis: &ClusterAnalysis, s: &SegmentProfile) -> String {
    match analysis.custom_name(s.segment) {
        Some(name) => name.to_string(),
        None => numbered_names_en(&s.name_traits, s.name_ordinal),
    }
}

/// [`segment_name`] of every segment, by segment number.
fn segment_names(analysis: &ClusterAnalysis) -> Vec<String> {
    let mut names = vec![String::new(); analysis.report.segments.len()];
    for s in &analysis.report.segments {
        if let Some(slot) = names.get_mut(s.segment as usize) {
            *slot = segment_name(analysis, s);
        }
    }
    names
}

/// [`trait_names_en`] with the segment's number when its name is shared (`ordinal` > 0).
pub fn numbered_names_en(traits: &[NameTrait], ordinal: u32) -> String {
    let name = trait_names_en(traits);
    if ordinal > 0 {
        format!("{name} {ordinal}")
    } else {
        name
    }
}

/// English name of a trait, lower case ("high value").
fn trait_name_en(name: NameTrait) -> &'static str {
    match name {
        NameTrait::HighValue => "high value",
        NameTrait::LowValue => "low value",
        NameTrait::Frequent => "frequent",
        NameTrait::OneTimers => "one-timers",
        NameTrait::Recent => "recent",
        NameTrait::Lapsed => "lapsed",
        NameTrait::BigBaskets => "big baskets",
        NameTrait::New => "new",
        NameTrait::Loyal => "loyal",
        NameTrait::Average => "average",
    }
}

/// A name in English, traits joined by ", " with the first letter capitalised ("High value,
/// frequent"); "Average" for no trait.
pub fn trait_names_en(traits: &[NameTrait]) -> String {
    let joined = if traits.is_empty() {
        trait_name_en(NameTrait::Average).to_string()
    } else {
        traits
            .iter()
            .map(|t| trait_name_en(*t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

impl<'a> SegmentJson<'a> {
    fn of(analysis: &'a ClusterAnalysis, labels: &[&'a str], s: &'a SegmentProfile) -> Self {
        Self {
            segment: s.segment,
            name: segment_name(analysis, s),
            name_traits: &s.name_traits,
            customers: s.customers,
            share: s.share,
            revenue: s.revenue,
            revenue_share: s.revenue_share,
            tiny: s.tiny,
            silhouette: s.silhouette,
            stability: s.stability,
            centroid_original_units: labels
                .iter()
                .copied()
                .zip(s.raw_means.iter().copied())
                .collect(),
            index: labels
                .iter()
                .copied()
                .zip(s.index.iter().copied())
                .collect(),
            distinctive: s
                .distinctive
                .iter()
                .filter_map(|j| labels.get(*j).copied())
                .collect(),
            top_products: &s.top_products,
            top_regions: &s.top_regions,
            top_channels: &s.top_channels,
        }
    }
}

fn cluster_json(analysis: &ClusterAnalysis) -> ClusterJson<'_> {
    let r = &analysis.report;
    let labels: Vec<&str> = r.features.iter().map(|f| f.label.as_str()).collect();
    ClusterJson {
        customers: r.customers,
        k: r.k,
        suggested_k: r.sweep.as_ref().map(|s| s.suggested_k),
        sweep: r.sweep.as_ref().map(|s| s.points.as_slice()),
        inertia: r.inertia,
        silhouette: r.silhouette,
        silhouette_sample_size: r.silhouette_sample_size,
        calinski_harabasz: r.calinski_harabasz,
        stability_ari: r.stability_ari,
        bootstrap_resamples: r.bootstrap_resamples,
        iterations: r.iterations,
        features: r.features.iter().map(FeatureJson::of).collect(),
        segments: r
            .segments
            .iter()
            .map(|s| SegmentJson::of(analysis, &labels, s))
            .collect(),
        attributes: r.attributes.as_ref(),
        warnings: &r.warnings,
        timings_ms: &r.timings_ms,
    }
}

/// A segmentation failure in the page's English wording.
fn cluster_error(file: &Path, e: &ClusterError) -> CliError {
    run_error(format!(
        "{}: {}",
        file.display(),
        i18n::describe_cluster_error(Lang::En, e)
    ))
}

impl ClusterArgs {
    fn settings(&self) -> ClusterSettings {
        let defaults = ClusterSettings::default();
        ClusterSettings {
            k: self.k.unwrap_or(defaults.k),
            features: self
                .features
                .as_ref()
                .map_or_else(|| defaults.features.clone(), |f| f.0.clone()),
            seed: self.seed.unwrap_or(defaults.seed),
            restarts: self.restarts.unwrap_or(defaults.restarts),
            ..defaults
        }
    }

    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let settings = self.settings();
        // The saved segmentation is checked before the transactions are read (a bad model file
        // fails fast); the session reads it again when it applies it.
        let model = match &self.model {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| run_error(format!("cannot read {}: {e}", path.display())))?;
                Some(SegmentationModel::from_json(&text).map_err(|e| cluster_error(path, &e))?)
            }
            None => None,
        };
        let attributes = match &self.attributes {
            Some(path) => Some((
                path,
                FileSource::open(path)
                    .map_err(|e| run_error(format!("cannot open {}: {e}", path.display())))?,
            )),
            None => None,
        };
        let mut cli = CliSession::load_analysed(&self.input)?;
        if let Some((path, source)) = attributes {
            let id_column = self.attributes_id.clone();
            cli.ask_about(
                path,
                Request::Segments(segments::Request::OpenAttributes { id_column }),
                Some(source),
            )?;
        }
        let features = model.as_ref().map_or(&settings.features, |m| &m.features);
        let needs_predictions = features.iter().any(|f| {
            matches!(
                f,
                FeatureKey::Behaviour(BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive)
            )
        });
        if needs_predictions {
            cli.predict(ClvSettings::default())?;
        }
        let query = CustomerQuery {
            limit: 0,
            ..CustomerQuery::default()
        };
        match &self.model {
            Some(path) => {
                let source = FileSource::open(path)
                    .map_err(|e| run_error(format!("cannot read {}: {e}", path.display())))?;
                cli.ask_about(
                    file,
                    Request::Segments(segments::Request::ApplySegmentation { query }),
                    Some(source),
                )?
            }
            None => cli.ask_about(
                file,
                Request::Segments(segments::Request::Cluster { settings, query }),
                None,
            )?,
        };
        let session = cli.session();
        let (Some(dataset), Some(analysis)) = (session.dataset(), session.segmentation()) else {
            return Err(run_error(format!("{}: nothing segmented", file.display())));
        };
        if let Some(path) = &self.save_model {
            std::fs::write(path, analysis.model.to_json())
                .map_err(|e| run_error(format!("cannot write {}: {e}", path.display())))?;
        }
        if let Some(path) = &self.out {
            let names = segment_names(analysis);
            super::write_export(path, "segments", |sink| {
                analysis.export_table(dataset, &names, sink)
            })?;
        }
        let text = if self.json {
            to_json(&cluster_json(analysis))?
        } else {
            cluster_human(analysis, self)
        };
        print_line(&text)
    }
}

fn cluster_human(analysis: &ClusterAnalysis, args: &ClusterArgs) -> String {
    let r = &analysis.report;
    let n = |v: f64| format::grouped(v, 0, ',');
    let features: Vec<String> = r
        .features
        .iter()
        .map(|f| match f.transform {
            TransformKind::Standardise => f.label.clone(),
            TransformKind::LogStandardise => format!("{} (log)", f.label),
            TransformKind::OneHot => format!("{} (0/1)", f.label),
        })
        .collect();
    let mut lines = vec![
        format!("Customers {}", n(r.customers as f64)),
        format!("Features: {}", features.join(", ")),
    ];
    if let Some(model) = &args.model {
        lines.push(format!(
            "Scored with the saved segmentation {}",
            model.display()
        ));
    }
    if let Some(join) = &r.attributes {
        lines.push(format!(
            "Attributes: {} rows, {} matched, {} not in the transactions{}, {} customers without a row, {} repeated ids",
            n(join.rows as f64),
            n(join.matched as f64),
            n(join.unmatched as f64),
            join.unmatched_examples
                .first()
                .map_or(String::new(), |e| format!(" (e.g. {e})")),
            n(join.customers_without_row as f64),
            n(join.duplicate_ids as f64)
        ));
    }
    if let Some(sweep) = &r.sweep {
        lines.push(String::new());
        lines.push(format!(
            "{:>4}{:>16}{:>12}{:>20}",
            "k", "inertia", "silhouette", "Calinski-Harabasz"
        ));
        for p in &sweep.points {
            lines.push(format!(
                "{:>4}{:>16.2}{:>12.3}{:>20.1}{}",
                p.k,
                p.inertia,
                p.silhouette,
                p.calinski_harabasz,
                if p.k == sweep.suggested_k {
                    "  <- suggested"
                } else {
                    ""
                }
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(
        "k = {}{}: silhouette {:.3} (sample of {}), Calinski-Harabasz {:.1}{}",
        r.k,
        match (&r.sweep, analysis.settings.k) {
            (Some(_), KChoice::Auto) => " (auto)".to_string(),
            (Some(s), KChoice::Fixed(_)) => format!(" (suggested {})", s.suggested_k),
            (None, _) => String::new(),
        },
        r.silhouette,
        n(r.silhouette_sample_size as f64),
        r.calinski_harabasz,
        r.stability_ari.map_or(String::new(), |a| format!(
            ", stability ARI {a:.2} ({} resamples)",
            r.bootstrap_resamples
        ))
    ));
    lines.push(String::new());
    lines.push(format!(
        "{:>3}  {:<32}{:>11}{:>8}{:>9}{:>11}{:>10}  {}",
        "#", "name", "customers", "share", "revenue", "silhouette", "stability", "key indexes"
    ));
    for s in &r.segments {
        let key: Vec<String> = s
            .distinctive
            .iter()
            .filter_map(|j| {
                let label = r.features.get(*j)?.label.as_str();
                let index = s.index.get(*j).copied().flatten()?;
                Some(format!("{label} {index:.0}"))
            })
            .collect();
        let name = segment_name(analysis, s);
        lines.push(format!(
            "{:>3}  {:<32}{:>11}{:>8}{:>9}{:>11.3}{:>10}  {}{}",
            s.segment,
            name,
            n(s.customers as f64),
            format::percent(s.share),
            format::percent(s.revenue_share),
            s.silhouette,
            s.stability.map_or("-".to_string(), |v| format!("{v:.2}")),
            key.join(", "),
            if s.tiny { " (tiny)" } else { "" }
        ));
    }
    for warning in &r.warnings {
        lines.push(format!(
            "warning: {}",
            i18n::cluster_warning_text(Lang::En, warning, analysis.settings.tiny_share)
        ));
    }
    if let Some(out) = &args.out {
        lines.push(format!(
            "Wrote {} customers to {}",
            n(r.customers as f64),
            out.display()
        ));
    }
    if let Some(path) = &args.save_model {
        lines.push(format!("Saved the segmentation to {}", path.display()));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The engine numbers shared automatic names (`profile::name_ordinals`, tested there); the
    // CLI words the traits in English and shows the number.
    #[test]
    fn automatic_names_read_in_english_with_their_number() {
        use NameTrait::{HighValue, LowValue, Recent};
        assert_eq!(numbered_names_en(&[LowValue], 2), "Low value 2");
        assert_eq!(
            numbered_names_en(&[HighValue, Recent], 0),
            "High value, recent"
        );
        assert_eq!(numbered_names_en(&[], 0), "Average");
    }
}
