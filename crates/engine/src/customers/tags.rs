//! Per-customer tags (打标签) and the tag filter of the customer table.
//!
//! [`TagTable::build`] computes, for every customer the RFM run scored, a value tier, the RFM
//! segment, the cluster, the churn-risk band, the preferred product, the main region and channel
//! and a purchase-cycle band. The table is columnar and compact (one small value per customer and
//! tag; product, region and channel names are interned once), so it is built for a million
//! customers in a fraction of a second and kept beside the analysis.
//!
//! [`TagTable::matches`] applies [`TagFilter`]s (AND across filters, OR within one filter's
//! values) and [`TagTable::tag_values`] lists the values present with their customer counts, for
//! the filter chips.

use serde::{Deserialize, Serialize};

use super::profile::mean_days_between;
use crate::cluster::ClusterAnalysis;
use crate::clv::{ChurnRisk, ClvAnalysis};
use crate::rfm::{Analysis, Segment};
use crate::{Codes, Dataset, Interned};

/// Value tier by net revenue rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueTier {
    /// The top 20 % of customers by revenue.
    Top,
    /// The next 30 %.
    Middle,
    /// The bottom 50 %.
    Low,
}

impl ValueTier {
    /// All tiers, best first.
    pub const ALL: [ValueTier; 3] = [Self::Top, Self::Middle, Self::Low];

    /// Stable snake_case name for CSV ("top", "middle", "low").
    pub fn name(self) -> &'static str {
        match self {
            Self::Top => "top",
            Self::Middle => "middle",
            Self::Low => "low",
        }
    }

    /// Position in [`ValueTier::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The tier of the customer at revenue `rank` (0 = highest revenue) among `customers`: Top
    /// while fewer than 20 % of the customers rank above it, Middle while fewer than 50 % do,
    /// else Low. So 10 customers give 2 Top, 3 Middle, 5 Low; 5 give 1, 2, 2; 1 gives 1 Top.
    pub fn from_rank(rank: usize, customers: usize) -> Self {
        let rank = rank as u128 * 100;
        let customers = customers as u128;
        if rank < 20 * customers {
            Self::Top
        } else if rank < 50 * customers {
            Self::Middle
        } else {
            Self::Low
        }
    }
}

/// Purchase-cycle band from the mean days between orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PurchaseCycle {
    /// Every 35 days or less.
    Monthly,
    /// 36–100 days.
    Quarterly,
    /// 101–400 days.
    Yearly,
    /// More than 400 days.
    Rare,
    /// One order so far.
    OneTime,
}

impl PurchaseCycle {
    /// All bands, shortest cycle first.
    pub const ALL: [PurchaseCycle; 5] = [
        Self::Monthly,
        Self::Quarterly,
        Self::Yearly,
        Self::Rare,
        Self::OneTime,
    ];

    /// Stable snake_case name for CSV ("monthly", …, "one_time").
    pub fn name(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
            Self::Rare => "rare",
            Self::OneTime => "one_time",
        }
    }

    /// Position in [`PurchaseCycle::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The band of a mean gap of `mean_days_between_orders` days between distinct order days
    /// (`None`: a single order day): ≤ 35 Monthly, ≤ 100 Quarterly, ≤ 400 Yearly, else Rare.
    pub fn from_mean_days(mean_days_between_orders: Option<f64>) -> Self {
        match mean_days_between_orders {
            None => Self::OneTime,
            Some(days) if days <= 35.0 => Self::Monthly,
            Some(days) if days <= 100.0 => Self::Quarterly,
            Some(days) if days <= 400.0 => Self::Yearly,
            Some(_) => Self::Rare,
        }
    }
}

/// The kinds of tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TagKind {
    /// [`ValueTier`].
    ValueTier,
    /// RFM segment.
    RfmSegment,
    /// Cluster segment (needs a segmentation run).
    Cluster,
    /// Churn-risk band (needs a prediction run).
    ChurnRisk,
    /// Category (or product) with the largest share of the customer's spend.
    PreferredCategory,
    /// Region the customer spent most in.
    Region,
    /// Channel the customer spent most in.
    Channel,
    /// [`PurchaseCycle`].
    PurchaseCycle,
}

impl TagKind {
    /// All kinds, in the order of the export columns.
    pub const ALL: [TagKind; 8] = [
        Self::ValueTier,
        Self::RfmSegment,
        Self::Cluster,
        Self::ChurnRisk,
        Self::PreferredCategory,
        Self::Region,
        Self::Channel,
        Self::PurchaseCycle,
    ];

    /// Stable snake_case name, also the export column header ("value_tier", …).
    pub fn name(self) -> &'static str {
        match self {
            Self::ValueTier => "value_tier",
            Self::RfmSegment => "rfm_segment",
            Self::Cluster => "cluster",
            Self::ChurnRisk => "churn_risk",
            Self::PreferredCategory => "preferred_category",
            Self::Region => "region",
            Self::Channel => "channel",
            Self::PurchaseCycle => "purchase_cycle",
        }
    }
}

/// Keep customers whose tag of `kind` is one of `values` (filters combine with AND, values
/// with OR). Values are the `Debug` names for enums (`Top`, `Champions`, `High`, `Monthly`), the
/// segment number for clusters, the text for categories, regions and channels.
///
/// Enum values are also accepted as their snake_case export names (`cant_lose_them`), in any
/// case. An empty `values` list keeps everybody; unknown values match nobody, and customers
/// without the tag (no prediction, no cluster, no region column…) never match a filter on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagFilter {
    /// The tag.
    pub kind: TagKind,
    /// Accepted values.
    pub values: Vec<String>,
}

/// One customer's tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerTags {
    /// Value tier.
    pub value_tier: ValueTier,
    /// RFM segment.
    pub rfm_segment: Segment,
    /// Cluster segment.
    pub cluster: Option<u32>,
    /// Churn-risk band.
    pub churn_risk: Option<ChurnRisk>,
    /// Preferred category.
    pub preferred_category: Option<String>,
    /// Main region.
    pub region: Option<String>,
    /// Main channel.
    pub channel: Option<String>,
    /// Purchase-cycle band.
    pub purchase_cycle: PurchaseCycle,
}

/// One value of a tag with the customers carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagValueCount {
    /// The value as a [`TagFilter`] takes it (`Top`, `CantLoseThem`, `3`, `Shanghai`).
    pub value: String,
    /// Customers with it.
    pub customers: u64,
}

/// The values of one tag kind present in the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagValues {
    /// The tag.
    pub kind: TagKind,
    /// Values by customers descending (ties in the enum's order, by cluster number or by text);
    /// for categories, regions and channels at most [`TAG_VALUES_MAX`].
    pub values: Vec<TagValueCount>,
    /// Distinct values left out by the cap.
    pub values_left_out: u64,
    /// Customers without this tag (no prediction, no cluster, no such column…).
    pub untagged_customers: u64,
}

/// Per tag kind, the values present and their customer counts: what the filter chips offer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCounts {
    /// Tagged customers (every customer the RFM run scored).
    pub customers: u64,
    /// One entry per kind, in [`TagKind::ALL`] order (kinds nobody carries have no values).
    pub kinds: Vec<TagValues>,
}

/// Values of categories, regions and channels listed at most by [`TagTable::tag_values`].
pub const TAG_VALUES_MAX: usize = 50;

/// "No value" in the `u32` columns.
const NONE: u32 = u32::MAX;

/// The cluster labels a [`TagTable`] reads: `labels[i]` is the segment of customer index
/// `customers[i]` (the `customers`/`labels` fields of a [`ClusterAnalysis`]).
#[derive(Debug, Clone, Copy)]
pub struct ClusterLabels<'a> {
    /// Customer index (into `Dataset::customer_ids`) of each row.
    pub customers: &'a [u32],
    /// Segment of each row.
    pub labels: &'a [u32],
}

/// Tags of every scored customer, indexed by customer index.
///
/// Row `i` describes `customers[i]`, in the order of the RFM run's customers (customer index
/// ascending); enum tags are stored as enums (one byte), the cluster as a number and texts as
/// indices into the table's own name lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagTable {
    customer: Vec<u32>,
    value_tier: Vec<ValueTier>,
    rfm_segment: Vec<Segment>,
    cluster: Vec<u32>,
    churn_risk: Vec<Option<ChurnRisk>>,
    preferred_category: Vec<u32>,
    region: Vec<u32>,
    channel: Vec<u32>,
    purchase_cycle: Vec<PurchaseCycle>,
    categories: Interned,
    regions: Interned,
    channels: Interned,
}

impl TagTable {
    /// Computes the tags of every customer `rfm` scored, reading the cluster labels straight from
    /// `cluster.customers` / `cluster.labels`. See [`TagTable::build_with_labels`].
    pub fn build(
        dataset: &Dataset,
        rfm: &Analysis,
        clv: Option<&ClvAnalysis>,
        cluster: Option<&ClusterAnalysis>,
    ) -> Self {
        let labels = cluster.map(|c| ClusterLabels {
            customers: &c.customers,
            labels: &c.labels,
        });
        Self::build_with_labels(dataset, rfm, clv, labels)
    }

    /// Computes the tags of every customer `rfm` scored:
    ///
    /// - value tier by net revenue (the RFM monetary) rank, ties by customer id ascending
    ///   ([`ValueTier::from_rank`]);
    /// - the RFM segment; the cluster from `cluster`; the churn-risk band from `clv`'s scores;
    /// - preferred category: the product with the largest positive net spend (ties by name);
    /// - region and channel: the one with the largest positive net spend (ties by name);
    /// - purchase cycle: mean days between distinct days with a positive order
    ///   ([`PurchaseCycle::from_mean_days`]).
    ///
    /// Lines and orders are those of the RFM run (same as-of day, duplicate handling and order
    /// grouping). O(lines + customers log customers).
    pub fn build_with_labels(
        dataset: &Dataset,
        rfm: &Analysis,
        clv: Option<&ClvAnalysis>,
        cluster: Option<ClusterLabels<'_>>,
    ) -> Self {
        let scores = &rfm.customers;
        let n = scores.customer.len();

        let value_tier = value_tiers(dataset, rfm);

        // Cluster: customer index → segment.
        let cluster = cluster.map_or_else(
            || vec![NONE; n],
            |labels| {
                let mut segment_of = vec![NONE; dataset.customer_count()];
                for (c, label) in labels.customers.iter().zip(labels.labels) {
                    if let Some(slot) = segment_of.get_mut(*c as usize) {
                        *slot = *label;
                    }
                }
                scores
                    .customer
                    .iter()
                    .map(|c| segment_of.get(*c as usize).copied().unwrap_or(NONE))
                    .collect()
            },
        );

        let churn_risk = match clv {
            Some(clv) => {
                let rows = clv.rows_by_customer();
                scores
                    .customer
                    .iter()
                    .map(|c| {
                        let row = rows.get(*c as usize).copied().flatten()?;
                        clv.scores.churn_risk.get(row).copied()
                    })
                    .collect()
            }
            None => vec![None; n],
        };

        let spend = SpendTags::build(dataset, rfm);
        Self {
            customer: scores.customer.clone(),
            value_tier,
            rfm_segment: scores.segment.clone(),
            cluster,
            churn_risk,
            preferred_category: spend.preferred_category,
            region: spend.region,
            channel: spend.channel,
            purchase_cycle: spend.purchase_cycle,
            categories: dataset.item_categories().1.clone(),
            regions: dataset.regions.clone(),
            channels: dataset.channels.clone(),
        }
    }

    /// Tagged customers.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// True when nobody is tagged.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// Row of customer index `customer`; `hint` is the row it is expected at (the position in
    /// the RFM run's columns), checked first.
    pub(crate) fn row_of(&self, customer: u32, hint: usize) -> Option<usize> {
        if self.customer.get(hint) == Some(&customer) {
            Some(hint)
        } else {
            self.customer.binary_search(&customer).ok()
        }
    }

    /// The tags of customer index `customer`, if scored.
    pub fn tags(&self, customer: u32) -> Option<CustomerTags> {
        self.tags_at(self.customer.binary_search(&customer).ok()?)
    }

    /// The tags of row `row`.
    pub(crate) fn tags_at(&self, row: usize) -> Option<CustomerTags> {
        let text = |names: &Interned, index: u32| {
            (index != NONE && (index as usize) < names.len()).then(|| names.get(index).to_string())
        };
        Some(CustomerTags {
            value_tier: *self.value_tier.get(row)?,
            rfm_segment: *self.rfm_segment.get(row)?,
            cluster: self.cluster.get(row).copied().filter(|c| *c != NONE),
            churn_risk: self.churn_risk.get(row).copied().flatten(),
            preferred_category: text(&self.categories, *self.preferred_category.get(row)?),
            region: text(&self.regions, *self.region.get(row)?),
            channel: text(&self.channels, *self.channel.get(row)?),
            purchase_cycle: *self.purchase_cycle.get(row)?,
        })
    }

    /// Whether customer index `customer` passes every filter (false when it is not tagged).
    pub fn matches(&self, customer: u32, filters: &[TagFilter]) -> bool {
        let Ok(row) = self.customer.binary_search(&customer) else {
            return false;
        };
        self.matcher(filters).matches_row(self, row)
    }

    /// The filters parsed once, for testing many rows.
    pub(crate) fn matcher(&self, filters: &[TagFilter]) -> TagMatcher {
        TagMatcher {
            filters: filters
                .iter()
                .filter(|f| !f.values.is_empty())
                .map(|f| (f.kind, self.compile(f)))
                .collect(),
        }
    }

    fn compile(&self, filter: &TagFilter) -> Accepted {
        let values = &filter.values;
        match filter.kind {
            TagKind::ValueTier => Accepted::Small(enum_mask(values, &ValueTier::ALL, |t| {
                (t.index(), t.name())
            })),
            TagKind::RfmSegment => {
                Accepted::Small(enum_mask(values, &Segment::ALL, |s| (s.index(), s.name())))
            }
            TagKind::ChurnRisk => Accepted::Small(enum_mask(values, &ChurnRisk::ALL, |r| {
                (r.index(), r.name())
            })),
            TagKind::PurchaseCycle => {
                Accepted::Small(enum_mask(values, &PurchaseCycle::ALL, |c| {
                    (c.index(), c.name())
                }))
            }
            TagKind::Cluster => {
                let mut segments: Vec<u32> = values
                    .iter()
                    .filter_map(|v| v.trim().parse().ok())
                    .collect();
                segments.sort_unstable();
                segments.dedup();
                Accepted::Numbers(segments)
            }
            TagKind::PreferredCategory | TagKind::Region | TagKind::Channel => {
                let names = self.names(filter.kind);
                let mut accepted = vec![false; names.len()];
                for (slot, name) in accepted.iter_mut().zip(names.iter()) {
                    *slot = values.iter().any(|v| v == name);
                }
                Accepted::Text(filter.kind, accepted)
            }
        }
    }

    fn names(&self, kind: TagKind) -> &Interned {
        match kind {
            TagKind::Region => &self.regions,
            TagKind::Channel => &self.channels,
            _ => &self.categories,
        }
    }

    fn text_column(&self, kind: TagKind) -> &[u32] {
        match kind {
            TagKind::Region => &self.region,
            TagKind::Channel => &self.channel,
            _ => &self.preferred_category,
        }
    }

    /// Per tag kind, the values present with their customer counts (for the filter chips).
    pub fn tag_values(&self) -> TagCounts {
        let n = self.len() as u64;
        let kinds = TagKind::ALL
            .into_iter()
            .map(|kind| {
                // (value, customers) in the tie order, then sorted by customers descending.
                let mut counted: Vec<(String, u64)> = match kind {
                    TagKind::ValueTier => {
                        count_enum(&self.value_tier, &ValueTier::ALL, ValueTier::index)
                    }
                    TagKind::RfmSegment => {
                        count_enum(&self.rfm_segment, &Segment::ALL, Segment::index)
                    }
                    TagKind::PurchaseCycle => {
                        count_enum(&self.purchase_cycle, &PurchaseCycle::ALL, |c| c.index())
                    }
                    TagKind::ChurnRisk => {
                        let risks: Vec<ChurnRisk> =
                            self.churn_risk.iter().flatten().copied().collect();
                        count_enum(&risks, &ChurnRisk::ALL, ChurnRisk::index)
                    }
                    TagKind::Cluster => {
                        let mut segments: Vec<u32> = self
                            .cluster
                            .iter()
                            .copied()
                            .filter(|c| *c != NONE)
                            .collect();
                        segments.sort_unstable();
                        let mut counted: Vec<(String, u64)> = Vec::new();
                        for run in segments.chunk_by(|a, b| a == b) {
                            if let Some(segment) = run.first() {
                                counted.push((segment.to_string(), run.len() as u64));
                            }
                        }
                        counted
                    }
                    TagKind::PreferredCategory | TagKind::Region | TagKind::Channel => {
                        let names = self.names(kind);
                        let mut counts = vec![0u64; names.len()];
                        for index in self.text_column(kind) {
                            if let Some(count) = counts.get_mut(*index as usize) {
                                *count += 1;
                            }
                        }
                        let mut counted: Vec<(String, u64)> = names
                            .iter()
                            .zip(counts)
                            .filter(|(_, count)| *count > 0)
                            .map(|(name, count)| (name.to_owned(), count))
                            .collect();
                        counted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                        counted
                    }
                };
                let tagged: u64 = counted.iter().map(|(_, count)| count).sum();
                counted.sort_by_key(|c| std::cmp::Reverse(c.1));
                let capped = matches!(
                    kind,
                    TagKind::PreferredCategory | TagKind::Region | TagKind::Channel
                );
                let left_out = if capped {
                    let left_out = counted.len().saturating_sub(TAG_VALUES_MAX);
                    counted.truncate(TAG_VALUES_MAX);
                    left_out
                } else {
                    0
                };
                TagValues {
                    kind,
                    values: counted
                        .into_iter()
                        .map(|(value, customers)| TagValueCount { value, customers })
                        .collect(),
                    values_left_out: left_out as u64,
                    untagged_customers: n.saturating_sub(tagged),
                }
            })
            .collect();
        TagCounts {
            customers: n,
            kinds,
        }
    }
}

/// The value tier of every RFM position: rank by net revenue descending, ties by customer id
/// ascending (then position).
///
/// Sorting (key, position) pairs is cheap; only a run of equal revenue that straddles a tier
/// boundary is re-sorted by id, since the order inside a run matters nowhere else.
fn value_tiers(dataset: &Dataset, rfm: &Analysis) -> Vec<ValueTier> {
    let scores = &rfm.customers;
    let n = scores.customer.len();
    // Descending total order of f64 as an ascending u64.
    let key = |m: f64| {
        let bits = m.to_bits();
        let ascending = if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        };
        u64::MAX - ascending
    };
    let mut ranked: Vec<(u64, u32)> = scores
        .monetary
        .iter()
        .zip(0u32..)
        .map(|(m, position)| (key(*m), position))
        .collect();
    ranked.sort_unstable();
    let id = |position: u32| {
        scores
            .customer
            .get(position as usize)
            .map_or("", |c| dataset.customer_ids.get(*c))
    };
    // First ranks of Middle and Low (see `ValueTier::from_rank`).
    let first_rank_below = |percent: u64| ((n as u64 * percent).div_ceil(100)) as usize;
    for boundary in [first_rank_below(20), first_rank_below(50)] {
        let (Some(before), Some(at)) = (
            boundary.checked_sub(1).and_then(|b| ranked.get(b)),
            ranked.get(boundary),
        ) else {
            continue;
        };
        if before.0 != at.0 {
            continue;
        }
        let tied = at.0;
        let from = ranked.partition_point(|r| r.0 < tied);
        let to = ranked.partition_point(|r| r.0 <= tied);
        if let Some(run) = ranked.get_mut(from..to) {
            run.sort_unstable_by(|a, b| id(a.1).cmp(id(b.1)).then(a.1.cmp(&b.1)));
        }
    }
    let mut tiers = vec![ValueTier::Low; n];
    for (rank, (_, position)) in ranked.into_iter().enumerate() {
        if let Some(tier) = tiers.get_mut(position as usize) {
            *tier = ValueTier::from_rank(rank, n);
        }
    }
    tiers
}

/// Enum values present, in `all` order, with their counts (Debug names).
fn count_enum<T: Copy + std::fmt::Debug>(
    column: &[T],
    all: &[T],
    index: impl Fn(T) -> usize,
) -> Vec<(String, u64)> {
    let mut counts = vec![0u64; all.len()];
    for value in column {
        if let Some(count) = counts.get_mut(index(*value)) {
            *count += 1;
        }
    }
    all.iter()
        .zip(counts)
        .filter(|(_, count)| *count > 0)
        .map(|(value, count)| (format!("{value:?}"), count))
        .collect()
}

/// Letters and digits, lower-cased: `CantLoseThem`, `cant_lose_them` and `Cant Lose Them` agree.
fn normalised(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Bit `index` set for every enum value named in `values` (Debug or snake_case name, any case).
fn enum_mask<T: Copy>(
    values: &[String],
    all: &[T],
    key: impl Fn(T) -> (usize, &'static str),
) -> u32 {
    let wanted: Vec<String> = values.iter().map(|v| normalised(v)).collect();
    let mut mask = 0u32;
    for value in all {
        let (index, name) = key(*value);
        if wanted.contains(&normalised(name)) {
            mask |= 1 << index;
        }
    }
    mask
}

/// What one filter accepts.
#[derive(Debug)]
enum Accepted {
    /// Enum tags: bit `index` set for accepted values.
    Small(u32),
    /// Cluster numbers, sorted.
    Numbers(Vec<u32>),
    /// Text tags: accepted name indices.
    Text(TagKind, Vec<bool>),
}

/// Tag filters parsed once ([`TagTable::matcher`]).
#[derive(Debug)]
pub(crate) struct TagMatcher {
    filters: Vec<(TagKind, Accepted)>,
}

impl TagMatcher {
    /// True when there is nothing to test.
    pub(crate) fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// Whether row `row` of `table` passes every filter.
    pub(crate) fn matches_row(&self, table: &TagTable, row: usize) -> bool {
        self.filters.iter().all(|(kind, accepted)| {
            let bit = |index: Option<usize>| {
                matches!(accepted, Accepted::Small(mask) if index.is_some_and(|i| mask & (1 << i) != 0))
            };
            match (kind, accepted) {
                (TagKind::ValueTier, _) => bit(table.value_tier.get(row).map(|t| t.index())),
                (TagKind::RfmSegment, _) => bit(table.rfm_segment.get(row).map(|s| s.index())),
                (TagKind::ChurnRisk, _) => {
                    bit(table.churn_risk.get(row).copied().flatten().map(ChurnRisk::index))
                }
                (TagKind::PurchaseCycle, _) => {
                    bit(table.purchase_cycle.get(row).map(|c| c.index()))
                }
                (TagKind::Cluster, Accepted::Numbers(segments)) => table
                    .cluster
                    .get(row)
                    .is_some_and(|c| *c != NONE && segments.binary_search(c).is_ok()),
                (_, Accepted::Text(kind, accepted)) => table
                    .text_column(*kind)
                    .get(row)
                    .and_then(|index| accepted.get(*index as usize))
                    .copied()
                    .unwrap_or(false),
                _ => false,
            }
        })
    }
}

/// The tags read from the lines: preferred category, region, channel, purchase cycle.
struct SpendTags {
    preferred_category: Vec<u32>,
    region: Vec<u32>,
    channel: Vec<u32>,
    purchase_cycle: Vec<PurchaseCycle>,
}

impl SpendTags {
    fn build(dataset: &Dataset, rfm: &Analysis) -> Self {
        let customers = &rfm.customers.customer;
        let n = customers.len();
        let run = rfm.lines(dataset);
        let mut by_customer = run.by_customer();
        // The category column when the file has one, else the product.
        let (item, items) = dataset.item_categories();
        let mut products = Tally::new(item, items);
        let mut regions = Tally::new(&dataset.region, &dataset.regions);
        let mut channels = Tally::new(&dataset.channel, &dataset.channels);
        let mut tags = Self {
            preferred_category: Vec::with_capacity(n),
            region: Vec::with_capacity(n),
            channel: Vec::with_capacity(n),
            purchase_cycle: Vec::with_capacity(n),
        };
        let mut positive_days = Vec::new();
        for c in customers {
            let lines = by_customer.of_mut(*c as usize);
            for line in lines.iter() {
                let i = *line as usize;
                let amount = dataset.amount.get(i).copied().unwrap_or(0.0);
                products.add(i, amount);
                regions.add(i, amount);
                channels.add(i, amount);
            }
            positive_days.clear();
            run.for_each_order(lines, |_, order| {
                if order.purchase {
                    positive_days.push(order.day);
                }
            });
            let cycle = PurchaseCycle::from_mean_days(mean_days_between(&mut positive_days));
            tags.push(products.take(), regions.take(), channels.take(), cycle);
        }
        tags
    }

    fn push(&mut self, category: u32, region: u32, channel: u32, cycle: PurchaseCycle) {
        self.preferred_category.push(category);
        self.region.push(region);
        self.channel.push(channel);
        self.purchase_cycle.push(cycle);
    }
}

/// Net spend per value of one interned line column, for one customer at a time (dense scratch
/// arrays and a list of the values touched, so each customer costs O(its lines)).
struct Tally<'a> {
    column: &'a Codes,
    names: &'a Interned,
    spend: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl<'a> Tally<'a> {
    fn new(column: &'a Codes, names: &'a Interned) -> Self {
        Self {
            column,
            names,
            spend: if column.is_empty() {
                Vec::new()
            } else {
                vec![0.0; names.len()]
            },
            seen: if column.is_empty() {
                Vec::new()
            } else {
                vec![false; names.len()]
            },
            touched: Vec::new(),
        }
    }

    fn add(&mut self, line: usize, amount: f64) {
        let Some(value) = self.column.get(line) else {
            return;
        };
        let (Some(spend), Some(seen)) = (
            self.spend.get_mut(value as usize),
            self.seen.get_mut(value as usize),
        ) else {
            return;
        };
        if !*seen {
            *seen = true;
            self.touched.push(value);
        }
        *spend += amount;
    }

    /// The value with the largest positive spend (ties by name), then resets the scratch.
    fn take(&mut self) -> u32 {
        let mut best = NONE;
        let mut best_spend = 0.0;
        for value in self.touched.drain(..) {
            if let Some(seen) = self.seen.get_mut(value as usize) {
                *seen = false;
            }
            let Some(spend) = self.spend.get_mut(value as usize) else {
                continue;
            };
            let s = std::mem::take(spend);
            let better = s > best_spend
                || (s == best_spend
                    && best != NONE
                    && self.names.get(value) < self.names.get(best));
            if s > 0.0 && better {
                best = value;
                best_spend = s;
            }
        }
        best
    }
}
