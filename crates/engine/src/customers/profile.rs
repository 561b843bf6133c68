//! The customer page: one customer's profile (the table row with its prediction and tags, the
//! purchase timeline, summary figures) and the id suggestions of its search box.
//!
//! Orders are grouped exactly as the RFM run groups them: the lines the run used (on or before the
//! as-of day, finite amount, exact duplicates left out when the run removed them), one order per
//! order id hash when the file has order ids, else one order per customer and day.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::columns::{CellInterval, CustomerColumns, Registered};
use super::query::{row, Search};
use super::{CustomerRow, TagTable};
use crate::rfm::Analysis;
use crate::{Dataset, Day};

/// Orders kept in [`CustomerProfile::timeline`] at most (the most recent ones).
pub const TIMELINE_MAX_ORDERS: usize = 500;
/// Product names listed per [`TimelineOrder`] at most.
pub const ORDER_PRODUCTS_MAX: usize = 5;
/// Products in [`CustomerProfile::favourite_products`] at most.
pub const FAVOURITE_PRODUCTS_MAX: usize = 5;

/// One order of the purchase timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineOrder {
    /// Order day (its earliest line day).
    pub day: Day,
    /// Sum of the line amounts (negative lines are returns); not capped at the outlier fence.
    pub net_amount: f64,
    /// Lines in the order.
    pub lines: u32,
    /// Sum of the line quantities; `None` without a quantity column.
    pub quantity: Option<f64>,
    /// Distinct product names in file order, at most [`ORDER_PRODUCTS_MAX`]; empty without a
    /// product column.
    pub products: Vec<String>,
    /// Distinct products of the order not listed in `products`.
    pub other_products: u32,
    /// Region of the order's first line (file order); `None` without a region column.
    pub region: Option<String>,
    /// Channel of the order's first line (file order); `None` without a channel column.
    pub channel: Option<String>,
}

/// A product the customer bought, with the net spend on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSpend {
    /// Product name.
    pub product: String,
    /// Net spend on it over all the customer's lines.
    pub net_spend: f64,
    /// Orders containing it.
    pub orders: u32,
}

/// Everything the customer page shows about one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// The customer as the table shows it (with the prediction and tags when given).
    pub row: CustomerRow,
    /// Orders sorted by day (then file order), the most recent [`TIMELINE_MAX_ORDERS`] at most.
    pub timeline: Vec<TimelineOrder>,
    /// Older orders left out of `timeline`.
    pub timeline_truncated: u64,
    /// Day of the first order (returns included).
    pub first_order_day: Day,
    /// Day of the last order (returns included).
    pub last_order_day: Day,
    /// Orders, returns included (the RFM frequency counts only those with a positive net).
    pub orders: u64,
    /// Orders whose net is zero or less (fully returned, or a return booked on its own).
    pub returned_orders: u64,
    /// Sum of all order nets, not capped at the outlier fence (the row's `monetary` is capped
    /// when the run capped outliers).
    pub net_revenue: f64,
    /// Mean days between distinct days with a positive order; `None` with one such day.
    pub mean_days_between_orders: Option<f64>,
    /// Products by net spend (largest first, ties by name), positive spend only, at most
    /// [`FAVOURITE_PRODUCTS_MAX`]; empty without a product column.
    pub favourite_products: Vec<ProductSpend>,
    /// Intervals around the registered columns' cells (the predictions' 90 % intervals of
    /// P(alive) and CLV).
    #[serde(default)]
    pub intervals: Vec<CellInterval>,
}

/// The profile of the customer whose id is `customer_id` (trimmed, exact match), or `None` when
/// no such customer was scored by `analysis` (unknown id, or no order with a positive net).
///
/// One pass over the dataset's lines (O(lines)); meant for one customer at a time.
pub fn customer_profile(
    dataset: &Dataset,
    analysis: &Analysis,
    columns: &[&dyn CustomerColumns],
    tags: Option<&TagTable>,
    customer_id: &str,
) -> Option<CustomerProfile> {
    let wanted = customer_id.trim();
    let ids = &dataset.customer_ids;
    // Exactly as typed; else ignoring white space and line breaks, which a search box cannot
    // hold (regression: ids with a line break inside could not be found).
    let position = ids.iter().position(|id| id == wanted).or_else(|| {
        let bare = without_white_space(wanted);
        let mut matches = ids.iter().enumerate().filter(|(_, id)| {
            id.chars().any(char::is_whitespace) && without_white_space(id) == bare
        });
        match (matches.next(), matches.next()) {
            (Some((c, _)), None) if !bare.is_empty() => Some(c),
            _ => None,
        }
    });
    let customer = position.and_then(|c| u32::try_from(c).ok())?;
    let position = analysis.customers.customer.binary_search(&customer).ok()?;
    let registered = Registered::new(columns);
    let row = row(dataset, analysis, &registered, tags, position)?;
    let intervals = registered.intervals(customer);

    let run = analysis.lines(dataset);
    let mut lines = run.lines_of(customer);

    let mut timeline: Vec<(u32, TimelineOrder)> = Vec::new();
    let mut spend: FxHashMap<u32, (f64, u32)> = FxHashMap::default();
    let mut positive_days: Vec<Day> = Vec::new();
    let mut order_products: Vec<u32> = Vec::new();
    run.for_each_order(&mut lines, |order_lines, order| {
        let (day, net_amount) = (order.day, order.net);
        let Some(&first_line) = order_lines.first() else {
            return;
        };
        let mut quantity = 0.0;
        order_products.clear();
        for &line in order_lines {
            let i = line as usize;
            let Some(&amount) = dataset.amount.get(i) else {
                continue;
            };
            quantity += dataset.quantity.get(i).copied().unwrap_or(0.0);
            if let Some(product) = dataset.product.get(i) {
                spend.entry(product).or_insert((0.0, 0)).0 += amount;
                if !order_products.contains(&product) {
                    order_products.push(product);
                }
            }
        }
        for product in &order_products {
            if let Some(entry) = spend.get_mut(product) {
                entry.1 += 1;
            }
        }
        if order.purchase {
            positive_days.push(day);
        }
        let first = first_line as usize;
        let listed = order_products.len().min(ORDER_PRODUCTS_MAX);
        timeline.push((
            first_line,
            TimelineOrder {
                day,
                net_amount,
                lines: u32::try_from(order_lines.len()).unwrap_or(u32::MAX),
                quantity: (!dataset.quantity.is_empty()).then_some(quantity + 0.0),
                products: order_products
                    .iter()
                    .take(listed)
                    .map(|p| dataset.products.get(*p).to_string())
                    .collect(),
                other_products: u32::try_from(order_products.len() - listed).unwrap_or(u32::MAX),
                region: dataset
                    .region
                    .get(first)
                    .map(|r| dataset.regions.get(r).to_string()),
                channel: dataset
                    .channel
                    .get(first)
                    .map(|c| dataset.channels.get(c).to_string()),
            },
        ));
    });
    timeline.sort_by(|(line_a, a), (line_b, b)| a.day.cmp(&b.day).then(line_a.cmp(line_b)));

    let orders = timeline.len() as u64;
    let returned_orders = timeline.iter().filter(|(_, o)| o.net_amount <= 0.0).count() as u64;
    let net_revenue = timeline.iter().map(|(_, o)| o.net_amount).sum::<f64>() + 0.0;
    let first_order_day = timeline.first().map_or(row.first_day, |(_, o)| o.day);
    let last_order_day = timeline.last().map_or(row.last_day, |(_, o)| o.day);
    let mean_days_between_orders = mean_days_between(&mut positive_days);

    let mut favourite_products: Vec<ProductSpend> = spend
        .into_iter()
        .filter(|(_, (net_spend, _))| *net_spend > 0.0)
        .map(|(product, (net_spend, orders))| ProductSpend {
            product: dataset.products.get(product).to_string(),
            net_spend,
            orders,
        })
        .collect();
    favourite_products.sort_by(|a, b| {
        b.net_spend
            .total_cmp(&a.net_spend)
            .then_with(|| a.product.cmp(&b.product))
    });
    favourite_products.truncate(FAVOURITE_PRODUCTS_MAX);

    let timeline_truncated = timeline.len().saturating_sub(TIMELINE_MAX_ORDERS);
    let timeline = timeline
        .into_iter()
        .skip(timeline_truncated)
        .map(|(_, order)| order)
        .collect();
    Some(CustomerProfile {
        row,
        timeline,
        timeline_truncated: timeline_truncated as u64,
        first_order_day,
        last_order_day,
        orders,
        returned_orders,
        net_revenue,
        mean_days_between_orders,
        favourite_products,
        intervals,
    })
}

/// Ids of scored customers matching `text` (trimmed, case-insensitive), for the search box: ids
/// starting with it first, then ids containing it, each group sorted by id; at most `limit`.
/// Empty text suggests nothing.
pub fn suggest_ids(
    dataset: &Dataset,
    analysis: &Analysis,
    text: &str,
    limit: usize,
) -> Vec<String> {
    let needle = text.trim();
    if needle.is_empty() || limit == 0 {
        return Vec::new();
    }
    let search = Search::new(needle);
    let lower = needle.to_lowercase();
    // (contains-only, id): `false` sorts first, so prefix matches lead.
    let mut found: Vec<(bool, &str)> = analysis
        .customers
        .customer
        .iter()
        .map(|c| dataset.customer_ids.get(*c))
        .filter(|id| search.matches(id))
        .map(|id| (!starts_with_ignoring_case(id, &lower), id))
        .collect();
    if found.len() > limit {
        found.select_nth_unstable(limit - 1);
        found.truncate(limit);
    }
    found.sort_unstable();
    found.into_iter().map(|(_, id)| id.to_string()).collect()
}

fn without_white_space(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn starts_with_ignoring_case(id: &str, lower_needle: &str) -> bool {
    if id.is_ascii() && lower_needle.is_ascii() {
        id.get(..lower_needle.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(lower_needle))
    } else {
        id.to_lowercase().starts_with(lower_needle)
    }
}

/// Mean days between the distinct `days` (one per positive order; sorted and deduplicated in
/// place): `(last − first) / (distinct − 1)`, the mean of the consecutive gaps; `Some(0.0)` for
/// several orders all on one day; `None` for a single order.
pub(super) fn mean_days_between(days: &mut Vec<Day>) -> Option<f64> {
    let orders = days.len();
    days.sort_unstable();
    if orders >= 2 && days.first() == days.last() {
        // Regression: 100,000 orders on one day were tagged "one order".
        return Some(0.0);
    }
    days.dedup();
    let (first, last) = (days.first()?, days.last()?);
    let gaps = days.len().checked_sub(1).filter(|g| *g > 0)?;
    Some(f64::from(last.saturating_sub(*first)) / gaps as f64)
}

#[cfg(test)]
mod mean_days_tests {
    use super::mean_days_between;
    use crate::customers::PurchaseCycle;

    #[test]
    fn many_orders_on_one_day_are_frequent_not_one_order() {
        assert_eq!(mean_days_between(&mut vec![10]), None);
        assert_eq!(mean_days_between(&mut vec![]), None);
        assert_eq!(mean_days_between(&mut vec![10; 100_000]), Some(0.0));
        assert_eq!(mean_days_between(&mut vec![40, 10, 10, 25]), Some(15.0));
        assert_eq!(
            PurchaseCycle::from_mean_days(mean_days_between(&mut vec![7; 3])),
            PurchaseCycle::Monthly
        );
    }
}
