//! The per-customer feature table: one row per customer scored by the RFM run, one raw column per
//! chosen input (a behaviour feature may give several: one per category or level).
//!
//! Everything that needs the transaction lines is computed in at most three passes over them
//! (product revenue, a counting sort of the lines by customer, one walk per customer with reused
//! scratch buffers), so 1M customers and 10M lines stay fast and allocate per column, never per
//! customer.
//!
//! Lines taking part are those the RFM run counted (defined once in `crate::lines`): dated on or
//! before its as-of day, with a finite amount, and not an exact duplicate when the run removed
//! duplicates. Shares, main levels and
//! order days use the lines with a positive amount (returns do not make a region "main").

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{
    AttributeJoin, BehaviourFeature, ClusterError, ClusterInput, ClusterWarning, FeatureKey,
    Unavailable,
};
use crate::lines::{CustomerLines, RunLines};
use crate::{Codes, Dataset, Day, Interned};

/// Category-share columns at most (the rest of the spend is one "other" column).
pub const MAX_CATEGORY_COLUMNS: usize = 8;

/// Levels of a categorical column at most, "other" included: with more, the rarest levels (by
/// customers) are merged into "other" and [`ClusterWarning::LevelsMerged`] is raised.
pub const MAX_LEVELS: usize = 12;

/// Name of the level (and category column) that collects the rest.
pub const OTHER_LEVEL: &str = "other";

/// A column's values, one per customer of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureValues {
    /// Numbers; NaN = missing.
    Numeric(Vec<f64>),
    /// Codes into `levels`; `None` = missing.
    Categorical {
        /// Level names.
        levels: Vec<String>,
        /// Level of each customer.
        codes: Vec<Option<u32>>,
    },
}

/// One raw input column (before transforms).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureColumn {
    /// The feature it comes from.
    pub key: FeatureKey,
    /// Label (see [`super::FeatureInfo::label`]).
    pub label: String,
    /// The values.
    pub values: FeatureValues,
}

/// Levels of one categorical column as fixed by a fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoricalLevels {
    /// The raw column's label (`main_region`, `attr:city`).
    pub label: String,
    /// The levels, in code order.
    pub levels: Vec<String>,
    /// True when the last level, [`OTHER_LEVEL`], collects merged rare levels: a value that is
    /// not a level then goes there (else it is missing, an all-zero one-hot row).
    pub merged_into_other: bool,
}

/// What a fit fixed about the columns, reused to score another file with the same columns
/// ([`FeatureTable::build_with_levels`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeatureLevels {
    /// Products with their own category-share column, in column order.
    pub category_products: Vec<String>,
    /// Whether there is a `category_share:other` column (more products than columns).
    pub category_other: bool,
    /// Levels of each categorical column.
    pub categorical: Vec<CategoricalLevels>,
}

/// Raw features, one row per customer scored by the RFM run (its order).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    /// Customer index (into `Dataset::customer_ids`) of each row.
    pub customers: Vec<u32>,
    /// The columns.
    pub columns: Vec<FeatureColumn>,
    /// The category products and categorical levels these columns use.
    pub levels: FeatureLevels,
    /// How the attributes file joined, when one was given.
    pub attribute_join: Option<AttributeJoin>,
}

impl FeatureTable {
    /// Builds the columns of `features` for every customer of `input.rfm` (repeated keys are
    /// used once). Category columns are the top [`MAX_CATEGORY_COLUMNS`] products by revenue;
    /// categorical levels are the ones present, the rarest merged above [`MAX_LEVELS`].
    ///
    /// Fails with [`ClusterError::FeatureUnavailable`] when a feature needs a column, the
    /// predictions or the attributes the input lacks, [`ClusterError::AttributesNoneMatched`]
    /// when an attribute feature is asked for and no attribute row matches a customer, and
    /// [`ClusterError::NonFiniteFeature`] for an infinite value.
    pub fn build(
        input: &ClusterInput<'_>,
        features: &[FeatureKey],
    ) -> Result<(Self, Vec<ClusterWarning>), ClusterError> {
        Builder::new(input, None).build(features)
    }

    /// As [`Self::build`], with the category products and levels of a saved fit, so a new file
    /// gets exactly the saved columns. A value that is not a saved level goes to "other" when the
    /// fit merged levels there, else it is missing. Unavailable features fail with
    /// [`ClusterError::ModelFeatureUnavailable`].
    pub fn build_with_levels(
        input: &ClusterInput<'_>,
        features: &[FeatureKey],
        levels: &FeatureLevels,
    ) -> Result<(Self, Vec<ClusterWarning>), ClusterError> {
        Builder::new(input, Some(levels))
            .build(features)
            .map_err(|e| match e {
                ClusterError::FeatureUnavailable { feature, reason } => {
                    ClusterError::ModelFeatureUnavailable { feature, reason }
                }
                other => other,
            })
    }

    /// Number of rows (customers).
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// True without customers.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// The column labelled `label`.
    pub fn column(&self, label: &str) -> Option<&FeatureColumn> {
        self.columns.iter().find(|c| c.label == label)
    }
}

fn unavailable(feature: &FeatureKey, reason: Unavailable) -> ClusterError {
    ClusterError::FeatureUnavailable {
        feature: feature.name(),
        reason,
    }
}

/// [`LineView::line_segments`] of a line that does not take part or has no segment.
pub(crate) const NO_SEGMENT: u8 = u8::MAX;
/// Spend cells (customers × levels) of one block of [`LineView::main_levels_blocked`]: 32 KB.
const BLOCK_CELLS: usize = 4_096;
/// No spend cell, in the packed lines of [`LineView::main_levels_blocked`].
const NO_CELL: u32 = 0x1FF;
/// Levels (all columns together) up to which [`LineView::main_levels_blocked`] applies.
pub(crate) const BLOCK_MAX_LEVELS: usize = 256;

/// The dataset lines the RFM run counted ([`crate::lines`]), with each line's table row.
pub(crate) struct LineView<'a> {
    pub(crate) dataset: &'a Dataset,
    /// Table row of each customer index (`u32::MAX` = not segmented).
    pub(crate) row_of: Vec<u32>,
    run: RunLines<'a>,
}

impl<'a> LineView<'a> {
    /// The view of `input`'s dataset for the table rows `customers`.
    pub(crate) fn new(input: &ClusterInput<'a>, customers: &[u32]) -> Self {
        let dataset = input.dataset;
        let mut row_of = vec![u32::MAX; dataset.customer_count()];
        for (row, c) in customers.iter().enumerate() {
            if let Some(slot) = row_of.get_mut(*c as usize) {
                *slot = row as u32;
            }
        }
        Self {
            dataset,
            row_of,
            run: input.rfm.lines(dataset),
        }
    }

    /// The table row of customer index `customer`, `None` when it is not segmented.
    fn row(&self, customer: u32) -> Option<usize> {
        match self.row_of.get(customer as usize) {
            Some(&row) if row != u32::MAX => Some(row as usize),
            _ => None,
        }
    }

    /// Calls `f(line, row, day, amount)` for every line taking part of a segmented customer.
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize, usize, Day, f64)) {
        self.run.for_each(|line, c, day, amount| {
            if let Some(row) = self.row(c) {
                f(line, row, day, amount);
            }
        });
    }

    /// The lines taking part of each of the `rows` table rows (a counting sort by row): lines of
    /// row `r` are `of(r)`, in file order.
    pub(crate) fn by_row(&self, rows: usize) -> CustomerLines {
        self.run.grouped(rows, |c| self.row(c))
    }

    /// Segment of every dataset line: `labels[row]` (as `u8`) for a line taking part of a
    /// segmented customer, [`NO_SEGMENT`] otherwise. One pass with one lookup per line into a
    /// customer → segment byte table, so later passes over the lines read them in file order
    /// without touching per-customer arrays (two dependent 4 MB lookups per line, `row_of` then
    /// `labels`, made `top_products` cost 835 ms at 10M lines; see [`super::profile`]).
    pub(crate) fn line_segments(&self, labels: &[u32]) -> Vec<u8> {
        // Labels are below MAX_K ≤ 253; clamping keeps any other value "segmented".
        const _: () = assert!(super::MAX_K < NO_SEGMENT as usize);
        let segment_of: Vec<u8> = self
            .row_of
            .iter()
            .map(|row| match labels.get(*row as usize) {
                Some(label) => {
                    u8::try_from(*label).map_or(NO_SEGMENT - 1, |s| s.min(NO_SEGMENT - 1))
                }
                None => NO_SEGMENT,
            })
            .collect();
        let mut out = vec![NO_SEGMENT; self.run.len()];
        self.run.for_each(|line, c, _, _| {
            if let (Some(slot), Some(s)) = (out.get_mut(line), segment_of.get(c as usize)) {
                *slot = *s;
            }
        });
        out
    }

    /// [`LineView::main_levels`] of several line columns `(codes, level_count)` at once, without
    /// grouping the lines by customer: the lines taking part (`line_segments` ≠ [`NO_SEGMENT`])
    /// with a positive amount are bucketed (amount and spend cells, not the line index) by
    /// blocks of customer indices small enough that a block's spend table (customers × levels)
    /// stays in L1, then summed block by block, each customer's lines in file order (so the
    /// sums, and the results, are the ones of `main_levels`). `None` when the
    /// columns have more than [`BLOCK_MAX_LEVELS`] levels in all, or there are more than two
    /// (use `main_levels`).
    ///
    /// Measured on 1M customers × 9.8M lines, 5 regions + 4 channels (native release):
    /// `LineView::by_row` + 2 × `main_levels` took 813 + 419 + 419 ms; this takes ~0.45 s
    /// (the Profiles stage, 0.58–0.61 s, less its other steps).
    pub(crate) fn main_levels_blocked(
        &self,
        line_segments: &[u8],
        rows: usize,
        columns: &[(&Codes, usize)],
    ) -> Option<Vec<Vec<Option<u32>>>> {
        let width: usize = columns.iter().map(|(_, count)| *count).sum();
        if width == 0 || width > BLOCK_MAX_LEVELS || columns.len() > 2 {
            return None;
        }
        let d = self.dataset;
        let per_block = ((BLOCK_CELLS / width).max(1).next_power_of_two() / 2).max(1);
        let shift = per_block.trailing_zeros();
        let blocks = (self.row_of.len() >> shift) + 1;
        let lines = || {
            d.customer
                .iter()
                .zip(&d.amount)
                .zip(line_segments)
                .enumerate()
                .filter(|(_, ((_, amount), segment))| **segment != NO_SEGMENT && **amount > 0.0)
                .map(|(line, ((c, amount), _))| (line, *c, *amount))
        };
        // Counting sort of the lines with a positive amount by block, moving the amount and the
        // spend cells rather than the line index: reading the line columns back at scattered
        // positions cost more than the scatter (1.1 s at 9.8M lines).
        let mut start = vec![0usize; blocks + 1];
        for (_, c, _) in lines() {
            if let Some(count) = start.get_mut((c >> shift) as usize + 1) {
                *count += 1;
            }
        }
        let mut running = 0;
        for s in &mut start {
            running += *s;
            *s = running;
        }
        // Per line: amount, and (customer in block) << 18 | cell 0 << 9 | cell 1 (cells are
        // below BLOCK_MAX_LEVELS; NO_CELL when the line has no valid code).
        let mut amounts = vec![0.0f64; running];
        let mut packed = vec![0u32; running];
        let mut cursor = start.clone();
        let cell = |column: usize, offset: usize, line: usize| {
            columns
                .get(column)
                .and_then(|(codes, count)| {
                    codes
                        .get(line)
                        .filter(|&code| (code as usize) < *count)
                        .map(|code| (offset + code as usize) as u32)
                })
                .unwrap_or(NO_CELL)
        };
        let second_offset = columns.first().map_or(0, |(_, count)| *count);
        for (line, c, amount) in lines() {
            let Some(slot) = cursor.get_mut((c >> shift) as usize) else {
                continue;
            };
            if let (Some(a), Some(p)) = (amounts.get_mut(*slot), packed.get_mut(*slot)) {
                let local = c & (per_block as u32 - 1);
                *a = amount;
                *p = local << 18 | cell(0, 0, line) << 9 | cell(1, second_offset, line);
            }
            *slot += 1;
        }
        let mut out = vec![vec![None; rows]; columns.len()];
        let mut spend = vec![0.0f64; per_block * width];
        for (block, bounds) in start.windows(2).enumerate() {
            let (Some(&from), Some(&to)) = (bounds.first(), bounds.get(1)) else {
                continue;
            };
            let first_customer = block << shift;
            let block_lines = amounts
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .zip(packed.get(from..to).unwrap_or_default());
            for (amount, p) in block_lines {
                let base = (p >> 18) as usize * width;
                for cell in [(p >> 9) & NO_CELL, p & NO_CELL] {
                    if cell != NO_CELL {
                        if let Some(slot) = spend.get_mut(base + cell as usize) {
                            *slot += amount;
                        }
                    }
                }
            }
            for (local, cells) in spend.chunks_mut(width).enumerate() {
                let row = self
                    .row_of
                    .get(first_customer + local)
                    .copied()
                    .unwrap_or(u32::MAX);
                let mut rest: &mut [f64] = cells;
                for (main, (_, count)) in out.iter_mut().zip(columns) {
                    let (mine, tail) = rest.split_at_mut((*count).min(rest.len()));
                    rest = tail;
                    // Largest positive spend; ties to the smaller code (scanned ascending).
                    let mut best: Option<(u32, f64)> = None;
                    for (code, value) in mine.iter().enumerate() {
                        if *value > 0.0 && best.is_none_or(|(_, b)| *value > b) {
                            best = Some((code as u32, *value));
                        }
                    }
                    if let Some(slot) = main.get_mut(row as usize) {
                        *slot = best.map(|(code, _)| code);
                    }
                    mine.fill(0.0);
                }
            }
        }
        Some(out)
    }

    /// Amount of line `line` (0 when out of range).
    pub(crate) fn amount(&self, line: u32) -> f64 {
        self.dataset
            .amount
            .get(line as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// The main level (most positive spend; ties to the smaller code) of each row, for a line
    /// column `codes` with `level_count` levels; `None` without positive spend.
    pub(crate) fn main_levels(
        &self,
        by_customer: &CustomerLines,
        rows: usize,
        codes: &Codes,
        level_count: usize,
    ) -> Vec<Option<u32>> {
        let mut spend = vec![0.0f64; level_count];
        let mut touched: Vec<u32> = Vec::new();
        let mut out = Vec::with_capacity(rows);
        for row in 0..rows {
            for &line in by_customer.of(row) {
                let amount = self.amount(line);
                if amount <= 0.0 {
                    continue;
                }
                let Some(code) = codes.get(line as usize) else {
                    continue;
                };
                let Some(slot) = spend.get_mut(code as usize) else {
                    continue;
                };
                if *slot == 0.0 {
                    touched.push(code);
                }
                *slot += amount;
            }
            let mut best: Option<(u32, f64)> = None;
            for &code in &touched {
                let value = spend.get(code as usize).copied().unwrap_or(0.0);
                let better = match best {
                    None => true,
                    Some((best_code, best_value)) => {
                        value > best_value || (value == best_value && code < best_code)
                    }
                };
                if better {
                    best = Some((code, value));
                }
                if let Some(slot) = spend.get_mut(code as usize) {
                    *slot = 0.0;
                }
            }
            touched.clear();
            out.push(best.map(|(code, _)| code));
        }
        out
    }
}

/// Builds the columns one feature at a time, sharing the per-customer line buckets.
struct Builder<'a, 'b> {
    input: &'b ClusterInput<'a>,
    fixed: Option<&'b FeatureLevels>,
    customers: Vec<u32>,
    view: LineView<'a>,
    by_customer: Option<CustomerLines>,
    columns: Vec<FeatureColumn>,
    levels: FeatureLevels,
    warnings: Vec<ClusterWarning>,
    attribute_join: Option<AttributeJoin>,
    attribute_rows: Option<Vec<Option<usize>>>,
}

impl<'a, 'b> Builder<'a, 'b> {
    fn new(input: &'b ClusterInput<'a>, fixed: Option<&'b FeatureLevels>) -> Self {
        let customers = input.rfm.customers.customer.clone();
        let view = LineView::new(input, &customers);
        Self {
            input,
            fixed,
            customers,
            view,
            by_customer: None,
            columns: Vec::new(),
            levels: FeatureLevels::default(),
            warnings: Vec::new(),
            attribute_join: None,
            attribute_rows: None,
        }
    }

    fn build(
        mut self,
        features: &[FeatureKey],
    ) -> Result<(FeatureTable, Vec<ClusterWarning>), ClusterError> {
        if features.is_empty() {
            return Err(ClusterError::NoFeatures);
        }
        if let Some(attributes) = self.input.attributes {
            let (rows, join) = attributes.join(&self.input.dataset.customer_ids);
            self.attribute_join = Some(join);
            self.attribute_rows = Some(rows);
        }
        let mut seen: Vec<&FeatureKey> = Vec::new();
        for key in features {
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            match key {
                FeatureKey::Behaviour(feature) => self.behaviour(key, *feature)?,
                FeatureKey::Attribute(header) => self.attribute(key, header)?,
            }
        }
        self.check_finite()?;
        let table = FeatureTable {
            customers: self.customers,
            columns: self.columns,
            levels: self.levels,
            attribute_join: self.attribute_join,
        };
        Ok((table, self.warnings))
    }

    fn rows(&self) -> usize {
        self.customers.len()
    }

    fn push_numeric(&mut self, key: &FeatureKey, values: Vec<f64>) {
        self.columns.push(FeatureColumn {
            key: key.clone(),
            label: key.name(),
            values: FeatureValues::Numeric(values),
        });
    }

    fn by_customer(&mut self) -> &CustomerLines {
        let rows = self.rows();
        let view = &self.view;
        self.by_customer.get_or_insert_with(|| view.by_row(rows))
    }

    fn behaviour(
        &mut self,
        key: &FeatureKey,
        feature: BehaviourFeature,
    ) -> Result<(), ClusterError> {
        let input: &'b ClusterInput<'a> = self.input;
        let scores = &input.rfm.customers;
        let as_of_day = input.rfm.report.as_of_day;
        match feature {
            BehaviourFeature::RecencyDays => {
                let v = scores.recency_days.iter().map(|d| f64::from(*d)).collect();
                self.push_numeric(key, v);
            }
            BehaviourFeature::Frequency => {
                let v = scores.frequency.iter().map(|f| f64::from(*f)).collect();
                self.push_numeric(key, v);
            }
            BehaviourFeature::Monetary => {
                let v = scores.monetary.clone();
                self.push_numeric(key, v);
            }
            BehaviourFeature::AverageOrderValue => {
                let v = scores
                    .monetary
                    .iter()
                    .zip(&scores.frequency)
                    .map(|(m, f)| if *f > 0 { m / f64::from(*f) } else { f64::NAN })
                    .collect();
                self.push_numeric(key, v);
            }
            BehaviourFeature::TenureDays => {
                let v = scores
                    .first_day
                    .iter()
                    .map(|first| f64::from(as_of_day.saturating_sub(*first)))
                    .collect();
                self.push_numeric(key, v);
            }
            BehaviourFeature::InterPurchaseDays => {
                let v = self.inter_purchase_days();
                self.push_numeric(key, v);
            }
            BehaviourFeature::CategoryShares => self.category_shares(key)?,
            BehaviourFeature::MainRegion => {
                let d = input.dataset;
                if d.region.is_empty() {
                    return Err(unavailable(key, Unavailable::NoRegionColumn));
                }
                self.main_level(key, &d.region, &d.regions);
            }
            BehaviourFeature::MainChannel => {
                let d = input.dataset;
                if d.channel.is_empty() {
                    return Err(unavailable(key, Unavailable::NoChannelColumn));
                }
                self.main_level(key, &d.channel, &d.channels);
            }
            BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive => {
                let clv = input
                    .clv
                    .ok_or_else(|| unavailable(key, Unavailable::NoPredictions))?;
                let scores = if feature == BehaviourFeature::Clv {
                    clv.scores
                        .clv
                        .as_deref()
                        .ok_or_else(|| unavailable(key, Unavailable::NoPredictions))?
                } else {
                    clv.scores.probability_alive.as_slice()
                };
                let rows = clv.rows_by_customer();
                let v = self
                    .customers
                    .iter()
                    .map(|c| {
                        rows.get(*c as usize)
                            .copied()
                            .flatten()
                            .and_then(|row| scores.get(row).copied())
                            .unwrap_or(f64::NAN)
                    })
                    .collect();
                self.push_numeric(key, v);
            }
        }
        Ok(())
    }

    /// Mean days between the distinct days with a line that is not a return (amount ≥ 0, so a
    /// free sample's day counts, as in [`crate::lines::is_purchase`]), `(last − first) / (days − 1)`;
    /// NaN (imputed later with the median) for customers with a single such day.
    fn inter_purchase_days(&mut self) -> Vec<f64> {
        let rows = self.rows();
        self.by_customer();
        let (Some(by_customer), view) = (self.by_customer.as_ref(), &self.view) else {
            return vec![f64::NAN; rows];
        };
        let mut days: Vec<Day> = Vec::new();
        let mut out = Vec::with_capacity(rows);
        for row in 0..rows {
            days.clear();
            for &line in by_customer.of(row) {
                if view.amount(line) >= 0.0 {
                    if let Some(day) = view.dataset.day.get(line as usize) {
                        days.push(*day);
                    }
                }
            }
            if !days.is_sorted() {
                days.sort_unstable();
            }
            days.dedup();
            out.push(match (days.first(), days.last()) {
                (Some(first), Some(last)) if days.len() >= 2 => {
                    f64::from(last - first) / (days.len() - 1) as f64
                }
                _ => f64::NAN,
            });
        }
        out
    }

    /// Share of each customer's positive spend per top category (+ "other"): the category
    /// column when the file has one, else the product ([`Dataset::item_categories`]).
    fn category_shares(&mut self, key: &FeatureKey) -> Result<(), ClusterError> {
        let d = self.input.dataset;
        let (item, items) = d.item_categories();
        if item.is_empty() {
            return Err(unavailable(key, Unavailable::NoProductColumn));
        }
        let (products, other) = match self.fixed {
            Some(fixed) => (fixed.category_products.clone(), fixed.category_other),
            None => top_products(&self.view, item, items),
        };
        // Column of each category code: its top position, else "other" (or none).
        let width = products.len() + usize::from(other);
        let mut column_of = vec![if other { products.len() } else { usize::MAX }; items.len()];
        let index: FxHashMap<&str, usize> = products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i))
            .collect();
        for (code, name) in items.iter().enumerate() {
            if let (Some(&column), Some(slot)) = (index.get(name), column_of.get_mut(code)) {
                *slot = column;
            }
        }
        let rows = self.rows();
        let mut spend = vec![0.0f64; rows * width];
        let mut total = vec![0.0f64; rows];
        self.view.for_each(|line, row, _, amount| {
            if amount <= 0.0 {
                return;
            }
            if let Some(t) = total.get_mut(row) {
                *t += amount;
            }
            let Some(code) = item.get(line) else {
                return;
            };
            let Some(&column) = column_of.get(code as usize) else {
                return;
            };
            if column == usize::MAX {
                return;
            }
            if let Some(slot) = spend.get_mut(row * width + column) {
                *slot += amount;
            }
        });
        let names = products
            .iter()
            .map(String::as_str)
            .chain(other.then_some(OTHER_LEVEL));
        for (column, name) in names.enumerate() {
            let values = (0..rows)
                .map(|row| {
                    let t = total.get(row).copied().unwrap_or(0.0);
                    let s = spend.get(row * width + column).copied().unwrap_or(0.0);
                    if t > 0.0 {
                        s / t
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            self.columns.push(FeatureColumn {
                key: key.clone(),
                label: format!("category_share:{name}"),
                values: FeatureValues::Numeric(values),
            });
        }
        self.levels.category_products = products;
        self.levels.category_other = other;
        Ok(())
    }

    /// The main region or channel of each customer.
    fn main_level(&mut self, key: &FeatureKey, codes: &Codes, names: &Interned) {
        let rows = self.rows();
        self.by_customer();
        let main = match self.by_customer.as_ref() {
            Some(by_customer) => self.view.main_levels(by_customer, rows, codes, names.len()),
            None => vec![None; rows],
        };
        let label = key.name();
        self.categorical(key, label, &main, |code| names.get(code), names.len());
    }

    /// A categorical column from raw codes into a name table of `name_count` names: levels
    /// are the names present (or the saved ones), ordered by customers descending then name.
    fn categorical<'n>(
        &mut self,
        key: &FeatureKey,
        label: String,
        raw: &[Option<u32>],
        name_of: impl Fn(u32) -> &'n str,
        name_count: usize,
    ) {
        let fixed = self
            .fixed
            .and_then(|f| f.categorical.iter().find(|c| c.label == label))
            .cloned();
        let spec = match fixed {
            Some(spec) => spec,
            None => {
                let (spec, merged) = fit_levels(&label, raw, &name_of, name_count);
                if merged > 0 {
                    self.warnings.push(ClusterWarning::LevelsMerged {
                        label: label.clone(),
                        kept: spec.levels.len().saturating_sub(1),
                        merged,
                    });
                }
                spec
            }
        };
        // Level of each raw name code.
        let index: FxHashMap<&str, u32> = spec
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i as u32))
            .collect();
        let other = spec
            .merged_into_other
            .then(|| spec.levels.len().saturating_sub(1) as u32);
        let level_of: Vec<Option<u32>> = (0..name_count as u32)
            .map(|code| index.get(name_of(code)).copied().or(other))
            .collect();
        let codes = raw
            .iter()
            .map(|c| c.and_then(|c| level_of.get(c as usize).copied().flatten()))
            .collect();
        self.columns.push(FeatureColumn {
            key: key.clone(),
            label,
            values: FeatureValues::Categorical {
                levels: spec.levels.clone(),
                codes,
            },
        });
        self.levels.categorical.push(spec);
    }

    fn attribute(&mut self, key: &FeatureKey, header: &str) -> Result<(), ClusterError> {
        let attributes = self
            .input
            .attributes
            .ok_or_else(|| unavailable(key, Unavailable::NoAttributes))?;
        let column = attributes
            .columns
            .iter()
            .find(|c| c.name == header)
            .ok_or_else(|| unavailable(key, Unavailable::NoSuchAttribute))?;
        if let Some(join) = &self.attribute_join {
            if join.matched == 0 {
                return Err(ClusterError::AttributesNoneMatched {
                    rows: join.rows as usize,
                    example: join.unmatched_examples.first().cloned().unwrap_or_default(),
                });
            }
        }
        let rows_by_customer = self.attribute_rows.take().unwrap_or_default();
        let row_of = |c: &u32| rows_by_customer.get(*c as usize).copied().flatten();
        match &column.values {
            FeatureValues::Numeric(values) => {
                let v = self
                    .customers
                    .iter()
                    .map(|c| {
                        row_of(c)
                            .and_then(|r| values.get(r).copied())
                            .unwrap_or(f64::NAN)
                    })
                    .collect();
                self.push_numeric(key, v);
            }
            FeatureValues::Categorical { levels, codes } => {
                let raw: Vec<Option<u32>> = self
                    .customers
                    .iter()
                    .map(|c| row_of(c).and_then(|r| codes.get(r).copied().flatten()))
                    .collect();
                let names = levels.clone();
                self.categorical(
                    key,
                    key.name(),
                    &raw,
                    |code| names.get(code as usize).map_or("", String::as_str),
                    names.len(),
                );
            }
        }
        self.attribute_rows = Some(rows_by_customer);
        Ok(())
    }

    /// Infinite values are a bug or an overflow: say which customer.
    fn check_finite(&self) -> Result<(), ClusterError> {
        for column in &self.columns {
            let FeatureValues::Numeric(values) = &column.values else {
                continue;
            };
            if let Some(row) = values.iter().position(|v| v.is_infinite()) {
                let customer = self.customers.get(row).copied().unwrap_or(0);
                return Err(ClusterError::NonFiniteFeature {
                    feature: column.label.clone(),
                    customer_id: self.input.dataset.customer_ids.get(customer).to_string(),
                });
            }
        }
        Ok(())
    }
}

/// The top [`MAX_CATEGORY_COLUMNS`] products by positive revenue of the segmented customers
/// (ties by name), and whether other products had revenue.
fn top_products(view: &LineView<'_>, product: &Codes, products: &Interned) -> (Vec<String>, bool) {
    let mut revenue = vec![0.0f64; products.len()];
    view.for_each(|line, _, _, amount| {
        if amount <= 0.0 {
            return;
        }
        if let Some(slot) = product
            .get(line)
            .and_then(|code| revenue.get_mut(code as usize))
        {
            *slot += amount;
        }
    });
    let mut ranked: Vec<(f64, &str)> = revenue
        .iter()
        .zip(products.iter())
        .filter(|(r, _)| **r > 0.0)
        .map(|(r, name)| (*r, name))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let other = ranked.len() > MAX_CATEGORY_COLUMNS;
    let top = ranked
        .iter()
        .take(MAX_CATEGORY_COLUMNS)
        .map(|(_, name)| (*name).to_string())
        .collect();
    (top, other)
}

/// Levels of a categorical column: the names present, by customers descending then name; with
/// more than [`MAX_LEVELS`], the `MAX_LEVELS − 1` commonest and [`OTHER_LEVEL`]. Returns the
/// levels and how many names were merged.
fn fit_levels<'n>(
    label: &str,
    raw: &[Option<u32>],
    name_of: &impl Fn(u32) -> &'n str,
    name_count: usize,
) -> (CategoricalLevels, usize) {
    // Names can repeat in a table (they never do in an `Interned`), so count by name.
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    let mut by_code = vec![0u64; name_count];
    for code in raw.iter().flatten() {
        if let Some(slot) = by_code.get_mut(*code as usize) {
            *slot += 1;
        }
    }
    for (code, count) in by_code.iter().enumerate() {
        if *count > 0 {
            *counts.entry(name_of(code as u32)).or_insert(0) += count;
        }
    }
    let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if ranked.len() <= MAX_LEVELS {
        let levels = ranked.iter().map(|(n, _)| (*n).to_string()).collect();
        return (
            CategoricalLevels {
                label: label.to_string(),
                levels,
                merged_into_other: false,
            },
            0,
        );
    }
    let keep = MAX_LEVELS - 1;
    let mut levels: Vec<String> = ranked
        .iter()
        .take(keep)
        .filter(|(n, _)| *n != OTHER_LEVEL)
        .map(|(n, _)| (*n).to_string())
        .collect();
    let merged = ranked.len() - levels.len();
    levels.push(OTHER_LEVEL.to_string());
    (
        CategoricalLevels {
            label: label.to_string(),
            levels,
            merged_into_other: true,
        },
        merged,
    )
}
