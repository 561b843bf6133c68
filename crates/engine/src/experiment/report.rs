//! What the Campaigns page draws and the CLI prints: bounded, sorted, finite numbers only.

use serde::{Deserialize, Serialize};

use super::data::{ContactSummary, DataWarning};
use super::stats::{Degenerate, MetricKind};
use super::ExperimentParams;
use crate::rfm::Segment;

/// SRM p-values under this make the results untrustworthy (GrowthBook's threshold).
pub const SRM_THRESHOLD: f64 = 0.001;
/// A segment arm with fewer customers than this is flagged as small.
pub const SMALL_SEGMENT_USERS: u64 = 100;

/// One group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// Its name.
    pub name: String,
    /// Customers in it.
    pub users: u64,
    /// Its share of all customers.
    pub observed_share: f64,
    /// Its intended share.
    pub intended_share: f64,
}

/// One outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricInfo {
    /// Its name.
    pub name: String,
    /// Binomial or mean.
    pub kind: MetricKind,
    /// Its CUPED covariate's name.
    pub covariate: Option<String>,
}

/// One variant against control on one metric (plain or CUPED-adjusted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricResult {
    /// The metric.
    pub metric: String,
    /// The variant.
    pub variant: String,
    /// Whether this is the CUPED-adjusted result.
    pub cuped: bool,
    /// Customers with a value, in control.
    pub control_users: u64,
    /// Customers with a value, in the variant.
    pub users: u64,
    /// Control's mean (unadjusted).
    pub control_mean: f64,
    /// The variant's mean (unadjusted).
    pub mean: f64,
    /// Lift relative to control's mean (or the absolute difference, per the settings).
    pub relative_lift: f64,
    /// Its confidence interval (confidence sequence when sequential).
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// After the chosen correction (= `p_value` without one).
    pub p_value_adjusted: f64,
    /// Bayesian probability that the variant beats control.
    pub chance_to_win: f64,
    /// Expected loss of choosing the variant (in the difference's unit).
    pub risk: f64,
    /// Expected loss of keeping control.
    pub risk_control: f64,
    /// The absolute difference of the means (CUPED-adjusted when `cuped`).
    pub absolute_difference: f64,
    /// Its confidence interval.
    pub absolute_ci_low: f64,
    /// Upper end.
    pub absolute_ci_high: f64,
    /// CUPED only: θ pooled over the two arms.
    pub theta: Option<f64>,
    /// CUPED only: 1 − the adjusted variance of the lift over the unadjusted one.
    pub variance_reduction: Option<f64>,
    /// Why no test could be made (the figures are then 0 and p = 1).
    pub degenerate: Option<Degenerate>,
    /// Significant at α after the correction.
    pub significant: bool,
}

/// The dimension a segment breakdown runs along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentDimension {
    /// The RFM segments.
    Rfm,
    /// The segmentation's clusters.
    Cluster,
    /// Value tiers (top 20 %, next 30 %, bottom 50 % by revenue).
    ValueTier,
    /// Churn-risk bands (after predictions).
    ChurnRisk,
    /// Purchase-cycle tags.
    PurchaseCycle,
    /// Main region.
    Region,
    /// Main channel.
    Channel,
    /// Preferred category.
    Category,
}

impl SegmentDimension {
    /// Every dimension, in the page's order.
    pub const ALL: [SegmentDimension; 8] = [
        Self::Rfm,
        Self::Cluster,
        Self::ValueTier,
        Self::ChurnRisk,
        Self::PurchaseCycle,
        Self::Region,
        Self::Channel,
        Self::Category,
    ];

    /// Stable snake_case name (exports, the page's select).
    pub fn code(self) -> &'static str {
        match self {
            Self::Rfm => "rfm",
            Self::Cluster => "cluster",
            Self::ValueTier => "value_tier",
            Self::ChurnRisk => "churn_risk",
            Self::PurchaseCycle => "purchase_cycle",
            Self::Region => "region",
            Self::Channel => "channel",
            Self::Category => "category",
        }
    }
}

/// A segment's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentLabel {
    /// An RFM segment.
    Rfm(Segment),
    /// A segment found in the data (its 0-based number).
    Cluster(u32),
    /// A value tier.
    ValueTier(crate::customers::ValueTier),
    /// A churn-risk band.
    Churn(crate::clv::ChurnRisk),
    /// A purchase cycle.
    Cycle(crate::customers::PurchaseCycle),
    /// A region, channel or category as the file writes it.
    Named(String),
    /// Customers not in the transactions.
    NotInTransactions,
}

/// The effect in one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentUplift {
    /// Along what.
    pub dimension: SegmentDimension,
    /// Which segment.
    pub segment: SegmentLabel,
    /// The variant against control.
    pub variant: String,
    /// Control customers in the segment.
    pub control_users: u64,
    /// Variant customers in the segment.
    pub users: u64,
    /// Control's mean in the segment.
    pub control_mean: f64,
    /// The variant's mean.
    pub mean: f64,
    /// Lift (per the settings' difference).
    pub lift: f64,
    /// Its interval.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// p-value (not corrected).
    pub p_value: f64,
    /// An arm under [`SMALL_SEGMENT_USERS`] customers.
    pub small: bool,
    /// Why no test could be made.
    pub degenerate: Option<Degenerate>,
}

/// A figure with its confidence interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// What one variant earned against control, scaled to its customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoiVariant {
    /// The variant.
    pub variant: String,
    /// Its customers (contacted).
    pub contacted: u64,
    /// The campaign's cost: contacts × cost per contact + fixed cost.
    pub cost: f64,
    /// Incremental conversions (the conversion metric's difference × contacted).
    pub incremental_conversions: Option<Estimate>,
    /// Incremental revenue (the revenue metric's difference × contacted).
    pub incremental_revenue: Option<Estimate>,
    /// Incremental profit: incremental revenue × margin − cost.
    pub incremental_profit: Option<Estimate>,
    /// Return on investment: incremental profit / cost.
    pub roi: Option<Estimate>,
    /// Cost per acquisition: cost / the variant's conversions.
    pub cost_per_conversion: Option<f64>,
    /// Cost / incremental conversions (when they are positive).
    pub cost_per_incremental_conversion: Option<f64>,
}

/// The ROI card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoiReport {
    /// The conversion metric used.
    pub conversion_metric: Option<String>,
    /// The revenue metric used.
    pub revenue_metric: Option<String>,
    /// Per variant.
    pub variants: Vec<RoiVariant>,
}

/// A campaign's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentReport {
    /// The settings.
    pub params: ExperimentParams,
    /// The group column.
    pub group_column: String,
    /// The groups, control first.
    pub variants: Vec<VariantSummary>,
    /// The χ² p-value of the observed split against the intended weights.
    pub srm_p_value: f64,
    /// `srm_p_value` < [`SRM_THRESHOLD`]: the results are not trustworthy.
    pub srm_suspect: bool,
    /// The outcomes.
    pub metrics: Vec<MetricInfo>,
    /// Each variant against control per metric: plain results, then CUPED ones.
    pub results: Vec<MetricResult>,
    /// The first metric's effect per segment (customers in the transactions only).
    pub segments: Vec<SegmentUplift>,
    /// The ROI card, when costs were given.
    pub roi: Option<RoiReport>,
    /// A contact list's join with the transactions.
    pub contacts: Option<ContactSummary>,
    /// The response and uplift models (when the customers are in the transactions).
    pub models: Option<super::ModelReport>,
    /// What was worked around.
    pub warnings: Vec<DataWarning>,
    /// Customers analysed.
    pub customers: u64,
    /// Milliseconds the analysis took.
    pub elapsed_ms: f64,
}

impl ExperimentReport {
    /// The results table: one row per metric, variant and adjustment, with the column names of
    /// the CLI's JSON. Returns the rows written.
    pub fn export_results(&self, sink: &mut dyn crate::table_out::TableSink) -> u64 {
        sink.header(&[
            "metric",
            "variant",
            "cuped",
            "control_users",
            "users",
            "control_mean",
            "mean",
            "relative_lift",
            "ci_low",
            "ci_high",
            "p_value",
            "p_value_adjusted",
            "chance_to_win",
            "risk",
            "absolute_difference",
            "absolute_ci_low",
            "absolute_ci_high",
            "variance_reduction",
            "significant",
        ]);
        for r in &self.results {
            sink.text(&r.metric);
            sink.text(&r.variant);
            sink.text(if r.cuped { "true" } else { "false" });
            sink.integer(i64::try_from(r.control_users).unwrap_or(i64::MAX));
            sink.integer(i64::try_from(r.users).unwrap_or(i64::MAX));
            sink.real(r.control_mean);
            sink.real(r.mean);
            sink.real(r.relative_lift);
            sink.real(r.ci_low);
            sink.real(r.ci_high);
            sink.real(r.p_value);
            sink.real(r.p_value_adjusted);
            sink.real(r.chance_to_win);
            sink.real(r.risk);
            sink.real(r.absolute_difference);
            sink.real(r.absolute_ci_low);
            sink.real(r.absolute_ci_high);
            match r.variance_reduction {
                Some(v) => sink.real(v),
                None => sink.empty(),
            }
            sink.text(if r.significant { "true" } else { "false" });
            sink.end_row();
        }
        self.results.len() as u64
    }

    /// The segment breakdown, one row per segment and variant; `segment_name` words a segment
    /// (the page's language).
    pub fn export_segments(
        &self,
        segment_name: &dyn Fn(&SegmentLabel) -> String,
        sink: &mut dyn crate::table_out::TableSink,
    ) -> u64 {
        sink.header(&[
            "dimension",
            "segment",
            "variant",
            "control_users",
            "users",
            "control_mean",
            "mean",
            "lift",
            "ci_low",
            "ci_high",
            "p_value",
            "small",
        ]);
        for s in &self.segments {
            sink.text(s.dimension.code());
            sink.text(&segment_name(&s.segment));
            sink.text(&s.variant);
            sink.integer(i64::try_from(s.control_users).unwrap_or(i64::MAX));
            sink.integer(i64::try_from(s.users).unwrap_or(i64::MAX));
            sink.real(s.control_mean);
            sink.real(s.mean);
            sink.real(s.lift);
            sink.real(s.ci_low);
            sink.real(s.ci_high);
            sink.real(s.p_value);
            sink.text(if s.small { "true" } else { "false" });
            sink.end_row();
        }
        self.segments.len() as u64
    }
}

/// Default words for segments in exports (English; the page passes its own).
pub fn segment_key(label: &SegmentLabel) -> String {
    match label {
        SegmentLabel::Rfm(s) => format!("{s:?}"),
        SegmentLabel::Cluster(n) => format!("segment {}", n + 1),
        SegmentLabel::ValueTier(v) => v.name().to_string(),
        SegmentLabel::Churn(c) => format!("{c:?}").to_lowercase(),
        SegmentLabel::Cycle(c) => c.name().to_string(),
        SegmentLabel::Named(name) => name.clone(),
        SegmentLabel::NotInTransactions => "not in transactions".to_string(),
    }
}
