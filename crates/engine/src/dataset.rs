//! The parsed, cleaned transactions, stored columnar and compact.
//!
//! One entry per kept input line ("row"). Strings are interned once (`customer_ids`, `products`,
//! ...), dates are whole days since 1970-01-01, order ids are 64-bit hashes (enough to count
//! distinct orders; the text itself is never needed again). Memory grows with the rows kept,
//! never with a copy of the file's text.

use serde::{Deserialize, Serialize};

/// Days since 1970-01-01 (the Unix epoch), in the file's local calendar (no time zones).
pub type Day = i32;

/// Interned string table: index → text, in first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interned {
    /// The distinct values, in the order they were first seen.
    pub values: Vec<String>,
}

impl Interned {
    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// True when no value was interned.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// The text of value `index`, or "" when out of range.
    pub fn get(&self, index: u32) -> &str {
        self.values.get(index as usize).map_or("", String::as_str)
    }
}

/// The kept transaction lines, columnar. All `Vec`s have the same length (`len()`), except the
/// optional columns, which are empty when the file has no such column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Customer ids, interned; `customer[i]` indexes into it.
    pub customer_ids: Interned,
    /// Customer of each line.
    pub customer: Vec<u32>,
    /// Order day of each line.
    pub day: Vec<Day>,
    /// Amount of each line in the file's currency; negative for returns.
    pub amount: Vec<f64>,
    /// Hash of the order id of each line; empty when the file has no order id column.
    pub order_hash: Vec<u64>,
    /// Product of each line (index into `products`); empty without a product column.
    pub product: Vec<u32>,
    /// Product names.
    pub products: Interned,
    /// Quantity of each line; empty without a quantity column.
    pub quantity: Vec<f64>,
    /// Region of each line (index into `regions`); empty without a region column.
    pub region: Vec<u32>,
    /// Region names.
    pub regions: Interned,
    /// Channel of each line (index into `channels`); empty without a channel column.
    pub channel: Vec<u32>,
    /// Channel names.
    pub channels: Interned,
    /// Category of each line (index into `categories`); empty without a category column.
    pub category: Vec<u32>,
    /// Category names.
    pub categories: Interned,
    /// Time of day of each line, in minutes after midnight as written in the file ([`NO_TIME`]
    /// where its date had none); empty when no line had a time (2 bytes a line otherwise).
    pub minute_of_day: Vec<u16>,
    /// `true` for a line that repeats an earlier line exactly (all fields equal).
    pub is_exact_duplicate: Vec<bool>,
    /// `Some(as-of day)` when the lines are synthetic, made from a per-customer summary as of that
    /// day (inclusive; see [`crate::summary::read_summary`]): per-customer aggregates are exact,
    /// the lines themselves are not real.
    pub summary_as_of: Option<Day>,
}

/// [`Dataset::minute_of_day`] of a line whose date had no time of day.
pub const NO_TIME: u16 = u16::MAX;

impl Dataset {
    /// Number of kept lines.
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    /// True when no line was kept.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
    /// What a line's item is for category shares and preferred categories: the category column
    /// when the file has one, else the product (each line's index and the names).
    pub fn item_categories(&self) -> (&[u32], &Interned) {
        if self.category.is_empty() {
            (&self.product, &self.products)
        } else {
            (&self.category, &self.categories)
        }
    }
    /// Whether the file had an order id column.
    pub fn has_order_ids(&self) -> bool {
        !self.order_hash.is_empty()
    }
    /// Whether the lines were made from a per-customer summary ([`Dataset::summary_as_of`]):
    /// analyses that need real lines refuse such a dataset.
    pub fn is_summary(&self) -> bool {
        self.summary_as_of.is_some()
    }
    /// The last day of the data: the last line's, or a summary's as-of day when later.
    pub fn last_day(&self) -> Option<Day> {
        let last = self.day.iter().copied().max();
        match (last, self.summary_as_of) {
            (Some(last), Some(as_of)) => Some(last.max(as_of)),
            (last, _) => last,
        }
    }
    /// Number of distinct customers.
    pub fn customer_count(&self) -> usize {
        self.customer_ids.len()
    }
}
