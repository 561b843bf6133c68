//! The customer table: page, sort, filter, search, export.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::columns::{BandFilter, Cell, Column, ColumnKind, CustomerColumns, Registered};
use super::tags::TagMatcher;
use super::{CustomerTags, TagFilter, TagKind, TagTable};
use crate::baskets::ItemLevel;
use crate::clv::ChurnRisk;
use crate::rfm::{Analysis, Segment};
use crate::table_out::{CsvSink, TableSink};
use crate::{Dataset, Day};

/// Sortable columns: the table's own, or a registered one ([`Column`]) by its key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    /// Customer id (text order).
    CustomerId,
    /// Recency in days.
    RecencyDays,
    /// Orders.
    Frequency,
    /// Net revenue.
    #[default]
    Monetary,
    /// Average order value.
    AverageOrderValue,
    /// R, then F, then M score.
    RfmScore,
    /// Segment in [`Segment::ALL`] order.
    Segment,
    /// A registered column, by [`Column::key`] (customers without a value sort as lowest; an
    /// unknown key sorts by customer id).
    Column(String),
}

/// A page request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerQuery {
    /// Sort column.
    pub sort: SortKey,
    /// Sort descending. Ties are broken by customer id ascending, so pages are stable.
    pub descending: bool,
    /// Keep only these segments; empty = all.
    pub segments: Vec<Segment>,
    /// Keep only customer ids containing this text (case-insensitive); empty = all.
    pub search: String,
    /// Keep only customers in these bands of registered band columns (e.g. the churn risk of
    /// the predictions; customers without a value, or a column not registered, match nobody);
    /// empty = all.
    #[serde(default)]
    pub bands: Vec<BandFilter>,
    /// Keep only customers whose tags pass every filter (AND across filters, OR within one);
    /// needs a [`TagTable`] ([`query_tagged`]): without one, a filter with values matches nobody.
    /// Empty = all.
    #[serde(default)]
    pub tags: Vec<TagFilter>,
    /// Keep only customers who bought every item of `bought` and none of `not_bought` (the
    /// cross-sell list "bought A, not B"); `None` = all.
    #[serde(default)]
    pub bought: Option<BoughtFilter>,
    /// First matching row to return.
    pub offset: usize,
    /// Rows to return (the UI asks for one page).
    pub limit: usize,
}

impl Default for CustomerQuery {
    fn default() -> Self {
        Self {
            sort: SortKey::Monetary,
            descending: true,
            segments: Vec::new(),
            search: String::new(),
            bands: Vec::new(),
            tags: Vec::new(),
            bought: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// Customers by what they bought, as the baskets count it: an item on a line with a
/// non-negative amount of one of their purchase orders (the item is a product or category name,
/// exact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BoughtFilter {
    /// Products or categories.
    pub level: ItemLevel,
    /// Items each kept customer bought (all of them; at most [`BOUGHT_FILTER_ITEMS`]).
    pub bought: Vec<String>,
    /// Items no kept customer bought (at most [`BOUGHT_FILTER_ITEMS`]).
    pub not_bought: Vec<String>,
}

/// Most items on each side of a [`BoughtFilter`] (a rule has at most 10 items).
pub const BOUGHT_FILTER_ITEMS: usize = 32;

impl BoughtFilter {
    /// For each customer index, whether they pass (one pass over the run's lines, grouped into
    /// orders). Names the file does not hold are bought by nobody.
    fn passes(&self, dataset: &Dataset, analysis: &Analysis) -> Vec<bool> {
        let (column, names) = match self.level {
            ItemLevel::Product => (&dataset.product, &dataset.products),
            ItemLevel::Category => (&dataset.category, &dataset.categories),
        };
        let bought = &self.bought[..self.bought.len().min(BOUGHT_FILTER_ITEMS)];
        let not_bought = &self.not_bought[..self.not_bought.len().min(BOUGHT_FILTER_ITEMS)];
        // Each listed name's bit: `bought` in bits 0..32, `not_bought` in 32..64.
        let mut wanted: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for (b, name) in bought.iter().enumerate() {
            *wanted.entry(name.as_str()).or_default() |= 1 << b;
        }
        for (b, name) in not_bought.iter().enumerate() {
            *wanted.entry(name.as_str()).or_default() |= 1 << (32 + b);
        }
        let bit: Vec<u64> = names
            .iter()
            .map(|v| wanted.get(v).copied().unwrap_or(0))
            .collect();
        let need = (1u64 << bought.len()) - 1;
        let banned = ((1u64 << not_bought.len()) - 1) << 32;
        let run = analysis.lines(dataset);
        let mut by_customer = run.by_customer();
        let mut out = vec![false; dataset.customer_count()];
        for (c, pass) in out.iter_mut().enumerate() {
            let mut seen = 0u64;
            run.for_each_order(by_customer.of_mut(c), |order, total| {
                if !total.purchase {
                    return;
                }
                for &line in order {
                    let i = line as usize;
                    if dataset.amount.get(i).is_some_and(|&a| a >= 0.0) {
                        seen |= column
                            .get(i)
                            .and_then(|x| bit.get(x as usize))
                            .copied()
                            .unwrap_or(0);
                    }
                }
            });
            *pass = seen & need == need && seen & banned == 0;
        }
        out
    }
}

/// One customer, as shown and exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// The id from the file.
    pub customer_id: String,
    /// Days since the last order.
    pub recency_days: i32,
    /// Orders.
    pub frequency: u32,
    /// Net revenue.
    pub monetary: f64,
    /// `monetary / frequency`.
    pub average_order_value: f64,
    /// Recency score.
    pub r_score: u8,
    /// Frequency score.
    pub f_score: u8,
    /// Monetary score.
    pub m_score: u8,
    /// Segment.
    pub segment: Segment,
    /// First order day.
    pub first_day: Day,
    /// Last order day.
    pub last_day: Day,
    /// The cells of the registered columns ([`CustomerPage::columns`]), in their order; `None`
    /// where the customer has no value.
    #[serde(default)]
    pub cells: Vec<Option<Cell>>,
    /// The customer's tags, when the table was queried with a [`TagTable`] that tags them.
    #[serde(default)]
    pub tags: Option<CustomerTags>,
}

/// A page of the customer table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    /// All scored customers.
    pub total_customers: u64,
    /// Customers matching the filters.
    pub matching: u64,
    /// Offset of the first row.
    pub offset: usize,
    /// The registered columns the rows' `cells` hold, in order.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<CustomerRow>,
}

/// Returns one page of matching customers.
///
/// Filtering is O(n); the page is found with a partial selection (O(n) on average) and only the
/// `offset + limit` first rows are sorted, so asking for the first page of a million customers
/// does not sort them all.
///
/// Without a [`TagTable`]: rows carry no tags, and tag filters with values match nobody (see
/// [`query_tagged`]).
pub fn query(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    q: &CustomerQuery,
) -> CustomerPage {
    query_tagged(dataset, analysis, columns, None, q)
}

/// [`query`] with the customers' tags: filters by `q.tags` too and fills [`CustomerRow::tags`].
/// `tags` should be built from the same `analysis` ([`TagTable::build`]); customers it does not
/// tag get no tags and match no tag filter.
pub fn query_tagged(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    tags: Option<&TagTable>,
    q: &CustomerQuery,
) -> CustomerPage {
    let registered = Registered::new(columns);
    let (matching, total, end) = page_positions(dataset, analysis, &registered, tags, q);
    let rows = matching
        .get(q.offset.min(end)..end)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| row(dataset, analysis, &registered, tags, *i))
        .collect();
    CustomerPage {
        total_customers: analysis.customers.len() as u64,
        matching: total as u64,
        offset: q.offset,
        columns: registered.columns,
        rows,
    }
}

/// The rows of [`query`]'s page, handed to `each` one at a time in the page's order instead of
/// collected: a caller that writes them out (the CLI's `rfm --out`) never holds them all (the
/// 1M-row file's 100,000 rows: ≈ 18 MiB of peak RSS). Returns the number of rows.
pub fn for_each_row(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    q: &CustomerQuery,
    mut each: impl FnMut(&CustomerRow),
) -> usize {
    let registered = Registered::new(columns);
    let (matching, _, end) = page_positions(dataset, analysis, &registered, None, q);
    let mut rows = 0;
    for &i in matching.get(q.offset.min(end)..end).unwrap_or_default() {
        if let Some(row) = row(dataset, analysis, &registered, None, i) {
            each(&row);
            rows += 1;
        }
    }
    rows
}

/// The positions of the customers matching `q`, in its order as far as the page's end; the
/// number matching; the page's end.
fn page_positions(
    dataset: &Dataset,
    analysis: &Analysis,
    registered: &Registered<'_>,
    tags: Option<&TagTable>,
    q: &CustomerQuery,
) -> (Vec<usize>, usize, usize) {
    let mut matching = matching_positions(dataset, analysis, registered, tags, q);
    let total = matching.len();
    let end = q.offset.saturating_add(q.limit).min(total);
    if end <= q.offset {
        matching.clear();
    } else {
        let order = Order::new(dataset, analysis, registered, q);
        if end < total {
            matching.select_nth_unstable_by(end - 1, |a, b| order.cmp(*a, *b));
            matching.truncate(end);
            matching.sort_unstable_by(|a, b| order.cmp(*a, *b));
        } else {
            order.sort(&mut matching);
        }
    }
    (matching, total, end)
}

/// Writes every matching customer (ignoring offset/limit) as CSV with the header
/// `customer_id,recency_days,frequency,monetary,average_order_value,r_score,f_score,m_score,segment,first_order,last_order`.
/// Text cells (the customer id) starting with `=` `+` `-` `@`, tab or carriage return are
/// prefixed with `'` (formula injection neutralised); numbers are written as plain numbers.
///
/// Rows come in the query's order. Money has at most 2 decimals ([`crate::csv_out::plain`]), days are
/// ISO dates, the segment is its [`Segment::name`]; cells are quoted per RFC 4180 when needed.
///
/// The registered columns follow, under their [`Column::header`]s (with predictions:
/// `probability_alive`, `expected_purchases_<h>d`, `clv_<m>m`, `churn_risk`,
/// `next_purchase_date`); a missing value is an empty cell. Tag filters with values match nobody
/// here (no [`TagTable`]; see [`export_csv_tagged`]).
pub fn export_csv(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    q: &CustomerQuery,
) -> String {
    export_csv_tagged(dataset, analysis, columns, None, q)
}

/// [`export_csv`] with the customers' tags: filters by `q.tags` too and, when `tags` is given,
/// appends the columns of [`TAG_EXPORT_HEADER`] after the registered columns — except a tag
/// whose name is already a registered column's key (`churn_risk` with predictions). Enum tags are
/// written as their snake_case names ([`ValueTier::name`](super::ValueTier::name),
/// [`Segment::name`], …), the cluster as its number, texts formula-neutralised; a missing tag is
/// an empty cell.
pub fn export_csv_tagged(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    tags: Option<&TagTable>,
    q: &CustomerQuery,
) -> String {
    let mut sink = CsvSink::new(analysis.customers.len());
    export_table(dataset, analysis, columns, tags, q, &mut sink);
    sink.finish()
}

/// The rows and columns of [`export_csv_tagged`] into any [`TableSink`] (a spreadsheet's typed
/// cells: counts and scores as whole numbers, money, probabilities, days as dates); returns the
/// rows written.
pub fn export_table(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    tags: Option<&TagTable>,
    q: &CustomerQuery,
    sink: &mut dyn TableSink,
) -> u64 {
    let registered = Registered::new(columns);
    let mut positions = matching_positions(dataset, analysis, &registered, tags, q);
    let order = Order::new(dataset, analysis, &registered, q);
    order.sort(&mut positions);
    let tag_columns: Vec<TagKind> = match tags {
        Some(_) => TagKind::ALL
            .into_iter()
            .filter(|k| registered.position(k.name()).is_none())
            .collect(),
        None => Vec::new(),
    };
    let header: Vec<&str> = EXPORT_HEADER
        .iter()
        .copied()
        .chain(registered.columns.iter().map(|c| c.header.as_str()))
        .chain(tag_columns.iter().map(|k| k.name()))
        .collect();
    sink.header(&header);
    let mut rows = 0;
    for (position, row) in positions
        .iter()
        .filter_map(|i| Some((*i, row_view(analysis, *i)?)))
    {
        sink.text(dataset.customer_ids.get(row.customer));
        sink.integer(i64::from(row.recency_days));
        sink.integer(i64::from(row.frequency));
        sink.money(row.monetary);
        sink.money(aov(row.monetary, row.frequency));
        for score in [row.r_score, row.f_score, row.m_score] {
            sink.integer(i64::from(score));
        }
        sink.text(row.segment.name());
        sink.day(row.first_day);
        sink.day(row.last_day);
        for (index, column) in registered.columns.iter().enumerate() {
            match (registered.cell(index, row.customer), &column.kind) {
                (None, _) => sink.empty(),
                (Some(Cell::Day(day)), _) => sink.day(day),
                (Some(Cell::Number(v)), ColumnKind::Money) => sink.money(v),
                (Some(Cell::Number(v)), _) => sink.number(v, 4),
                (Some(value @ Cell::Band(_)), kind) => sink.text(&value.export_text(kind)),
            }
        }
        if let Some(table) = tags {
            let customer_tags = table
                .row_of(row.customer, position)
                .and_then(|r| table.tags_at(r));
            for kind in &tag_columns {
                write_tag(sink, customer_tags.as_ref(), *kind);
            }
        }
        sink.end_row();
        rows += 1;
    }
    rows
}

/// The header of [`export_csv`].
pub const EXPORT_HEADER: [&str; 11] = [
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "average_order_value",
    "r_score",
    "f_score",
    "m_score",
    "segment",
    "first_order",
    "last_order",
];

/// The tag columns [`export_csv_tagged`] appends (the [`TagKind::name`]s, in [`TagKind::ALL`]
/// order).
pub const TAG_EXPORT_HEADER: [&str; 8] = [
    "value_tier",
    "rfm_segment",
    "cluster",
    "churn_risk",
    "preferred_category",
    "region",
    "channel",
    "purchase_cycle",
];

/// Writes the cell of tag `kind` (empty when the customer has no such tag).
fn write_tag(sink: &mut dyn TableSink, tags: Option<&CustomerTags>, kind: TagKind) {
    let Some(t) = tags else {
        return sink.empty();
    };
    let text = |value: &Option<String>| value.as_deref().unwrap_or_default().to_string();
    match kind {
        TagKind::ValueTier => sink.text(t.value_tier.name()),
        TagKind::RfmSegment => sink.text(t.rfm_segment.name()),
        TagKind::Cluster => match t.cluster {
            Some(c) => sink.integer(i64::from(c)),
            None => sink.empty(),
        },
        TagKind::ChurnRisk => sink.text(t.churn_risk.map_or("", ChurnRisk::name)),
        TagKind::PreferredCategory => sink.text(&text(&t.preferred_category)),
        TagKind::Region => sink.text(&text(&t.region)),
        TagKind::Channel => sink.text(&text(&t.channel)),
        TagKind::PurchaseCycle => sink.text(t.purchase_cycle.name()),
    }
}

/// Positions (into the columns of `analysis.customers`) of the customers matching the segment,
/// band and tag filters and the case-insensitive search (the search text is trimmed first).
fn matching_positions(
    dataset: &Dataset,
    analysis: &Analysis,
    registered: &Registered<'_>,
    tags: Option<&TagTable>,
    q: &CustomerQuery,
) -> Vec<usize> {
    let c = &analysis.customers;
    let matcher: Option<(&TagTable, TagMatcher)> = tags.map(|t| (t, t.matcher(&q.tags)));
    let tag_filtered = q.tags.iter().any(|f| !f.values.is_empty());
    let passes_tags = |position: usize, customer: u32| match &matcher {
        Some((_, m)) if m.is_empty() => true,
        Some((table, m)) => table
            .row_of(customer, position)
            .is_some_and(|r| m.matches_row(table, r)),
        None => !tag_filtered,
    };
    // Each band filter with values: the column and the wanted band indexes, or `None` (no such
    // band column: nobody matches).
    let bands: Vec<Option<(usize, Vec<u8>)>> = q
        .bands
        .iter()
        .filter(|f| !f.values.is_empty())
        .map(|f| registered.band_filter(f))
        .collect();
    let passes_bands = |customer: u32| {
        bands.iter().all(|band| {
            band.as_ref().is_some_and(|(column, wanted)| {
                matches!(registered.cell(*column, customer), Some(Cell::Band(b)) if wanted.contains(&b))
            })
        })
    };
    let bought = q.bought.as_ref().map(|f| f.passes(dataset, analysis));
    let passes_bought = |customer: u32| {
        bought
            .as_ref()
            .is_none_or(|b| b.get(customer as usize).copied().unwrap_or(false))
    };
    let needle = q.search.trim();
    let search = Search::new(needle);
    let mut wanted = [q.segments.is_empty(); 11];
    for s in &q.segments {
        if let Some(w) = wanted.get_mut(s.index()) {
            *w = true;
        }
    }
    c.segment
        .iter()
        .zip(&c.customer)
        .enumerate()
        .filter(|(position, (segment, customer))| {
            wanted.get(segment.index()).copied().unwrap_or(false)
                && passes_bands(**customer)
                && search.matches(dataset.customer_ids.get(**customer))
                && passes_tags(*position, **customer)
                && passes_bought(**customer)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Case-insensitive substring search (ASCII fast path, Unicode lower-casing otherwise).
pub(super) enum Search {
    All,
    Ascii(String),
    Unicode(String),
}

impl Search {
    pub(super) fn new(needle: &str) -> Self {
        if needle.is_empty() {
            Self::All
        } else if needle.is_ascii() {
            Self::Ascii(needle.to_ascii_lowercase())
        } else {
            Self::Unicode(needle.to_lowercase())
        }
    }

    pub(super) fn matches(&self, id: &str) -> bool {
        match self {
            Self::All => true,
            Self::Ascii(needle) if id.is_ascii() => id.as_bytes().windows(needle.len()).any(|w| {
                w.iter()
                    .zip(needle.as_bytes())
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
            }),
            Self::Ascii(needle) | Self::Unicode(needle) => {
                id.to_lowercase().contains(needle.as_str())
            }
        }
    }
}

/// The sort order of a query: a precomputed numeric key per customer, then the customer id
/// ascending, then the position (so the order is total and pages are stable).
struct Order<'a> {
    ids: Vec<&'a str>,
    /// Numeric key per position (all keys are exact in f64); empty when sorting by id.
    key: Vec<f64>,
    descending: bool,
}

impl<'a> Order<'a> {
    fn new(
        dataset: &'a Dataset,
        analysis: &Analysis,
        registered: &Registered<'_>,
        q: &CustomerQuery,
    ) -> Self {
        let c = &analysis.customers;
        let ids = c
            .customer
            .iter()
            .map(|i| dataset.customer_ids.get(*i))
            .collect();
        let key = match &q.sort {
            SortKey::CustomerId => Vec::new(),
            SortKey::RecencyDays => c.recency_days.iter().map(|r| f64::from(*r)).collect(),
            SortKey::Frequency => c.frequency.iter().map(|f| f64::from(*f)).collect(),
            SortKey::Monetary => c.monetary.clone(),
            SortKey::AverageOrderValue => c
                .monetary
                .iter()
                .zip(&c.frequency)
                .map(|(m, f)| aov(*m, *f))
                .collect(),
            SortKey::RfmScore => c
                .r_score
                .iter()
                .zip(&c.f_score)
                .zip(&c.m_score)
                .map(|((r, f), m)| {
                    f64::from(u16::from(*r) * 100 + u16::from(*f) * 10 + u16::from(*m))
                })
                .collect(),
            SortKey::Segment => c.segment.iter().map(|s| s.index() as f64).collect(),
            SortKey::Column(key) => match registered.position(key) {
                // Customers without a value sort as lowest.
                Some(index) => c
                    .customer
                    .iter()
                    .map(|customer| {
                        registered
                            .cell(index, *customer)
                            .map_or(f64::NEG_INFINITY, Cell::sort_value)
                    })
                    .collect(),
                None => Vec::new(),
            },
        };
        Self {
            ids,
            key,
            descending: q.descending,
        }
    }

    /// Sorts all of `positions`: by id first (the tie-break), then a stable sort by the key, so
    /// the many ties of coarse keys (frequency, scores, segment) cost no string comparisons.
    fn sort(&self, positions: &mut [usize]) {
        if self.key.is_empty() {
            positions.sort_unstable_by(|a, b| self.cmp(*a, *b));
            return;
        }
        let id = |i: usize| self.ids.get(i).copied().unwrap_or_default();
        positions.sort_unstable_by(|a, b| id(*a).cmp(id(*b)).then(a.cmp(b)));
        let k = |i: usize| self.key.get(i).copied().unwrap_or(0.0);
        if self.descending {
            positions.sort_by(|a, b| k(*b).total_cmp(&k(*a)));
        } else {
            positions.sort_by(|a, b| k(*a).total_cmp(&k(*b)));
        }
    }

    fn cmp(&self, a: usize, b: usize) -> Ordering {
        let id = |i: usize| self.ids.get(i).copied().unwrap_or_default();
        let primary = if self.key.is_empty() {
            id(a).cmp(id(b))
        } else {
            let k = |i: usize| self.key.get(i).copied().unwrap_or(0.0);
            k(a).total_cmp(&k(b))
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(|| id(a).cmp(id(b))).then(a.cmp(&b))
    }
}

fn aov(monetary: f64, frequency: u32) -> f64 {
    if frequency == 0 {
        0.0
    } else {
        monetary / f64::from(frequency)
    }
}

/// One customer's columns, borrowed (no id text).
struct RowView {
    customer: u32,
    recency_days: i32,
    frequency: u32,
    monetary: f64,
    r_score: u8,
    f_score: u8,
    m_score: u8,
    segment: Segment,
    first_day: Day,
    last_day: Day,
}

fn row_view(analysis: &Analysis, i: usize) -> Option<RowView> {
    let c = &analysis.customers;
    Some(RowView {
        customer: *c.customer.get(i)?,
        recency_days: *c.recency_days.get(i)?,
        frequency: *c.frequency.get(i)?,
        monetary: *c.monetary.get(i)?,
        r_score: *c.r_score.get(i)?,
        f_score: *c.f_score.get(i)?,
        m_score: *c.m_score.get(i)?,
        segment: *c.segment.get(i)?,
        first_day: *c.first_day.get(i)?,
        last_day: *c.last_day.get(i)?,
    })
}

/// The table row at position `i` of `analysis.customers`.
pub(super) fn row(
    dataset: &Dataset,
    analysis: &Analysis,
    registered: &Registered<'_>,
    tags: Option<&TagTable>,
    i: usize,
) -> Option<CustomerRow> {
    let c = &analysis.customers;
    let customer = *c.customer.get(i)?;
    let monetary = *c.monetary.get(i)?;
    let frequency = *c.frequency.get(i)?;
    Some(CustomerRow {
        customer_id: dataset.customer_ids.get(*c.customer.get(i)?).to_string(),
        recency_days: *c.recency_days.get(i)?,
        frequency,
        monetary,
        average_order_value: aov(monetary, frequency),
        r_score: *c.r_score.get(i)?,
        f_score: *c.f_score.get(i)?,
        m_score: *c.m_score.get(i)?,
        segment: *c.segment.get(i)?,
        first_day: *c.first_day.get(i)?,
        last_day: *c.last_day.get(i)?,
        cells: registered.cells(customer),
        tags: tags.and_then(|t| t.tags_at(t.row_of(customer, i)?)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_out::neutralize_formula;
    use crate::rfm::fixtures::dataset;
    use crate::rfm::{analyze, RfmParams};

    /// As-of 2024-03-11 (day after the last line). By hand (n = 5):
    ///
    /// | id    | R days | F | M    | r | f | m | segment (R × FM)         |
    /// |-------|--------|---|------|---|---|---|--------------------------|
    /// | alice | 10     | 2 | 150  | 2 | 4 | 5 | Can't Lose Them (FM 5)   |
    /// | Bob   | 39     | 1 | 20   | 1 | 1 | 3 | Lost (FM 2)              |
    /// | =cmd  | 6      | 1 | −20  | 4 | 1 | 1 | Promising (FM 1)         |
    /// | carol | 1      | 1 | 20   | 5 | 1 | 3 | Potential Loyalists (FM 2)|
    /// | dave  | 10     | 3 | 15   | 2 | 5 | 2 | At Risk (FM 4)           |
    ///
    /// =cmd's return is booked under its own order id, so its monetary is negative.
    fn fixture() -> (Dataset, Analysis) {
        let ds = dataset(&[
            ("dave", "2024-01-01", 5.0, "o7"),
            ("alice", "2024-01-10", 100.0, "o1"),
            ("Bob", "2024-02-01", 20.0, "o3"),
            ("dave", "2024-02-01", 5.0, "o8"),
            ("alice", "2024-03-01", 50.0, "o2"),
            ("dave", "2024-03-01", 5.0, "o9"),
            ("=cmd", "2024-03-05", 10.0, "o4"),
            ("=cmd", "2024-03-06", -30.0, "o5"),
            ("carol", "2024-03-10", 20.0, "o6"),
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        (ds, a)
    }

    fn ids(page: &CustomerPage) -> Vec<&str> {
        page.rows.iter().map(|r| r.customer_id.as_str()).collect()
    }

    fn q(sort: SortKey, descending: bool) -> CustomerQuery {
        CustomerQuery {
            sort,
            descending,
            ..Default::default()
        }
    }

    #[test]
    fn sorts_with_ties_broken_by_id_ascending() {
        let (ds, a) = fixture();
        let page = query(&ds, &a, &[], &CustomerQuery::default());
        assert_eq!(
            (page.total_customers, page.matching, page.offset),
            (5, 5, 0)
        );
        // Bob and carol tie on 20: id ascending in both directions ('B' < 'c').
        assert_eq!(ids(&page), ["alice", "Bob", "carol", "dave", "=cmd"]);
        let page = query(&ds, &a, &[], &q(SortKey::Monetary, false));
        assert_eq!(ids(&page), ["=cmd", "dave", "Bob", "carol", "alice"]);
        let page = query(&ds, &a, &[], &q(SortKey::RfmScore, true));
        assert_eq!(ids(&page), ["carol", "=cmd", "dave", "alice", "Bob"]);
        let page = query(&ds, &a, &[], &q(SortKey::Segment, false));
        assert_eq!(ids(&page), ["carol", "=cmd", "dave", "alice", "Bob"]);
        let page = query(&ds, &a, &[], &q(SortKey::CustomerId, false));
        assert_eq!(ids(&page), ["=cmd", "Bob", "alice", "carol", "dave"]);
        let page = query(&ds, &a, &[], &q(SortKey::CustomerId, true));
        assert_eq!(ids(&page), ["dave", "carol", "alice", "Bob", "=cmd"]);
        // Recency ascending: carol 1, =cmd 6, alice 10 = dave 10, Bob 39.
        let page = query(&ds, &a, &[], &q(SortKey::RecencyDays, false));
        assert_eq!(ids(&page), ["carol", "=cmd", "alice", "dave", "Bob"]);
        // Frequency descending: dave 3, alice 2, then the 1s by id.
        let page = query(&ds, &a, &[], &q(SortKey::Frequency, true));
        assert_eq!(ids(&page), ["dave", "alice", "=cmd", "Bob", "carol"]);
        // AOV descending: alice 75, Bob 20, carol 20, dave 5, =cmd −20.
        let page = query(&ds, &a, &[], &q(SortKey::AverageOrderValue, true));
        assert_eq!(ids(&page), ["alice", "Bob", "carol", "dave", "=cmd"]);
        let alice = &page.rows[0];
        assert_eq!(
            (
                alice.recency_days,
                alice.frequency,
                alice.r_score,
                alice.f_score,
                alice.m_score
            ),
            (10, 2, 2, 4, 5)
        );
        assert_eq!(alice.segment, Segment::CantLoseThem);
        assert_eq!(alice.average_order_value, 75.0);
        assert_eq!(crate::calendar::iso_day(alice.first_day), "2024-01-10");
    }

    /// The rows handed out one at a time are the page's rows, in its order, for a page of all
    /// customers in several orders, a filtered one and one cut by offset and limit.
    #[test]
    fn rows_one_at_a_time_are_the_pages_rows() {
        let (ds, a) = fixture();
        let queries = [
            CustomerQuery {
                sort: SortKey::CustomerId,
                limit: usize::MAX,
                ..Default::default()
            },
            CustomerQuery {
                sort: SortKey::Monetary,
                descending: true,
                limit: usize::MAX,
                ..Default::default()
            },
            CustomerQuery {
                search: "O".into(),
                ..Default::default()
            },
            CustomerQuery {
                offset: 1,
                limit: 2,
                ..Default::default()
            },
            CustomerQuery {
                offset: 9,
                ..Default::default()
            },
        ];
        for q in &queries {
            let page = query(&ds, &a, &[], q);
            let mut rows = Vec::new();
            let n = for_each_row(&ds, &a, &[], q, |row| rows.push(row.clone()));
            assert_eq!(n, page.rows.len());
            assert_eq!(rows, page.rows, "{q:?}");
        }
    }

    #[test]
    fn filters_searches_and_pages() {
        let (ds, a) = fixture();
        let search = CustomerQuery {
            search: "O".into(),
            ..Default::default()
        };
        let page = query(&ds, &a, &[], &search);
        assert_eq!((page.matching, ids(&page)), (2, vec!["Bob", "carol"]));
        let segments = CustomerQuery {
            segments: vec![Segment::Lost, Segment::Promising],
            sort: SortKey::CustomerId,
            descending: false,
            ..Default::default()
        };
        assert_eq!(ids(&query(&ds, &a, &[], &segments)), ["=cmd", "Bob"]);
        let both = CustomerQuery {
            search: "b".into(),
            ..segments
        };
        assert_eq!(ids(&query(&ds, &a, &[], &both)), ["Bob"]);
        let paged = CustomerQuery {
            offset: 1,
            limit: 2,
            ..Default::default()
        };
        let page = query(&ds, &a, &[], &paged);
        assert_eq!(
            (page.matching, page.offset, ids(&page)),
            (5, 1, vec!["Bob", "carol"])
        );
        let last = CustomerQuery {
            offset: 4,
            limit: 10,
            ..Default::default()
        };
        assert_eq!(ids(&query(&ds, &a, &[], &last)), ["=cmd"]);
        let past = CustomerQuery {
            offset: 10,
            limit: 10,
            ..Default::default()
        };
        let page = query(&ds, &a, &[], &past);
        assert_eq!((page.matching, page.rows.len()), (5, 0));
        let none = CustomerQuery {
            limit: 0,
            ..Default::default()
        };
        assert!(query(&ds, &a, &[], &none).rows.is_empty());
    }

    #[test]
    fn export_writes_all_rows_in_order_with_injection_neutralised() {
        let (ds, a) = fixture();
        let paged = CustomerQuery {
            offset: 3,
            limit: 1,
            ..Default::default()
        };
        let csv = export_csv(&ds, &a, &[], &paged);
        let expected = "\
customer_id,recency_days,frequency,monetary,average_order_value,r_score,f_score,m_score,segment,first_order,last_order
alice,10,2,150,75,2,4,5,cant_lose_them,2024-01-10,2024-03-01
Bob,39,1,20,20,1,1,3,lost,2024-02-01,2024-02-01
carol,1,1,20,20,5,1,3,potential_loyalists,2024-03-10,2024-03-10
dave,10,3,15,5,2,5,2,at_risk,2024-01-01,2024-03-01
'=cmd,6,1,-20,-20,4,1,1,promising,2024-03-05,2024-03-05
";
        assert_eq!(csv, expected);
    }

    #[test]
    fn export_quotes_per_rfc_4180_and_neutralises_every_formula_prefix() {
        let ds = dataset(&[
            ("x,\"y", "2024-01-01", 10.5, ""),
            ("+1", "2024-01-02", 1.0 / 3.0, ""),
            ("-2", "2024-01-02", 1.0, ""),
            ("@sum", "2024-01-02", 1.0, ""),
            ("\tt", "2024-01-02", 1.0, ""),
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let q = CustomerQuery {
            sort: SortKey::CustomerId,
            descending: false,
            ..Default::default()
        };
        let csv = export_csv(&ds, &a, &[], &q);
        let lines: Vec<&str> = csv.lines().skip(1).collect();
        // A tab needs no quoting in RFC 4180; the csv crate quotes only when needed.
        assert!(lines[0].starts_with("'\tt,"), "{}", lines[0]);
        assert!(lines[1].starts_with("'+1,"));
        assert!(lines[1].contains(",0.33,"));
        assert!(lines[2].starts_with("'-2,"));
        assert!(lines[3].starts_with("'@sum,"));
        assert!(
            lines[4].starts_with("\"x,\"\"y\",2,1,10.5,10.5,"),
            "{}",
            lines[4]
        );
        assert_eq!(neutralize_formula("\rx"), "'\rx");
        assert_eq!(neutralize_formula("a=b"), "a=b");
    }

    /// Pages use partial selection and the comparator; whole lists use an id sort followed by a
    /// stable key sort. Both must give the same order.
    #[test]
    fn pages_concatenate_to_the_full_order_for_every_key() {
        let ds = crate::rfm::fixtures::synthetic(3_000, 300, true);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let keys = [
            SortKey::CustomerId,
            SortKey::RecencyDays,
            SortKey::Frequency,
            SortKey::Monetary,
            SortKey::AverageOrderValue,
            SortKey::RfmScore,
            SortKey::Segment,
        ];
        for sort in keys {
            for descending in [false, true] {
                let all = CustomerQuery {
                    sort: sort.clone(),
                    descending,
                    limit: usize::MAX,
                    ..Default::default()
                };
                let full = query(&ds, &a, &[], &all);
                let mut paged = Vec::new();
                for offset in (0..a.customers.len()).step_by(37) {
                    let q = CustomerQuery {
                        offset,
                        limit: 37,
                        ..all.clone()
                    };
                    paged.extend(query(&ds, &a, &[], &q).rows);
                }
                assert_eq!(paged, full.rows, "{sort:?} descending {descending}");
                let exported: Vec<String> = export_csv(&ds, &a, &[], &all)
                    .lines()
                    .skip(1)
                    .map(|l| l.split(',').next().unwrap_or_default().to_string())
                    .collect();
                let ids: Vec<String> = full.rows.iter().map(|r| r.customer_id.clone()).collect();
                assert_eq!(exported, ids);
            }
        }
    }

    #[test]
    fn unicode_search_is_case_insensitive() {
        let ds = dataset(&[
            ("Ärger", "2024-01-01", 1.0, ""),
            ("客户A", "2024-01-01", 2.0, ""),
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let q = |s: &str| CustomerQuery {
            search: s.into(),
            ..Default::default()
        };
        assert_eq!(ids(&query(&ds, &a, &[], &q("är"))), ["Ärger"]);
        assert_eq!(ids(&query(&ds, &a, &[], &q("a"))), ["客户A"]);
        assert_eq!(ids(&query(&ds, &a, &[], &q("客户"))), ["客户A"]);
    }
}
