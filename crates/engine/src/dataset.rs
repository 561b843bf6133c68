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
///
/// The texts are kept one after another in one string, with where each ends: a `Vec<String>`
/// cost a 24-byte `String` and an allocation of its own per value (≈ 56 bytes a short customer
/// id natively, 5.6 MB of the 1M-row file's 100,000 customers and ≈ 50 MB at 10M rows), where
/// this costs the text and 8 bytes (4 in wasm).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Interned {
    /// Every value's text, one after another.
    text: String,
    /// Where each value ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl Interned {
    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True when no value was interned.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The text of value `index`, or "" when out of range.
    pub fn get(&self, index: u32) -> &str {
        self.value(index as usize).unwrap_or("")
    }
    /// The text of value `index`; `None` when out of range.
    pub fn value(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }
    /// The values in their order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone {
        (0..self.len()).map(|index| self.value(index).unwrap_or(""))
    }
    /// Adds `text` as a new value (whether or not it is there already) and returns its index.
    pub fn push(&mut self, text: &str) -> u32 {
        let index = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(text);
        self.ends.push(self.text.len());
        index
    }
    /// Room for `values` more values without growing the index of ends.
    pub fn reserve(&mut self, values: usize) {
        self.ends.reserve(values);
    }
    /// Room for exactly `values` more values and `bytes` more bytes of text.
    pub fn reserve_exact(&mut self, values: usize, bytes: usize) {
        self.ends.reserve_exact(values);
        self.text.reserve_exact(bytes);
    }
    /// The index of the first value equal to `text` (a linear search: for tests and small tables).
    pub fn position(&self, text: &str) -> Option<usize> {
        self.iter().position(|v| v == text)
    }
    /// The values as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
    /// Frees the room reserved beyond the values held.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl std::fmt::Debug for Interned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Interned {
    fn from_iter<I: IntoIterator<Item = S>>(values: I) -> Self {
        let mut table = Self::default();
        for value in values {
            table.push(value.as_ref());
        }
        table
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Interned {
    fn from(values: Vec<S>) -> Self {
        values.iter().collect()
    }
}

/// As a list of the values' texts (`["C001","C002"]`).
impl Serialize for Interned {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// From a list of strings, each pushed as it is read (no `Vec<String>` between).
impl<'de> Deserialize<'de> for Interned {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Values;
        impl<'de> serde::de::Visitor<'de> for Values {
            type Value = Interned;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Interned, A::Error> {
                let mut table = Interned::default();
                table.reserve(seq.size_hint().unwrap_or(0));
                while let Some(value) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    table.push(&value);
                }
                Ok(table)
            }
        }
        deserializer.deserialize_seq(Values)
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
    /// Distinct orders among the lines as the ingest counted them (order ids hashed with their
    /// customer, else customer-days); `None` when not counted. Room an analysis reserves for its
    /// orders, never a result: a run with an earlier as-of day has fewer.
    pub order_count: Option<u64>,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The packed table reads back what was pushed, as a `Vec<String>` of the same values would
    /// (empty values, multi-byte text, a value pushed twice), forwards and backwards.
    #[test]
    fn an_interned_table_reads_back_its_values_in_order() {
        let values = ["C001", "", "张三", "C001", "a,b", "\u{FFFD}"];
        let mut table = Interned::default();
        for (i, v) in values.iter().enumerate() {
            assert_eq!(table.push(v), i as u32);
        }
        assert_eq!(table.len(), values.len());
        assert_eq!(table.to_vec(), values);
        assert_eq!(table.iter().len(), values.len());
        assert!(table.iter().rev().eq(values.iter().rev().copied()));
        for (i, v) in values.iter().enumerate() {
            assert_eq!(table.get(i as u32), *v);
            assert_eq!(table.value(i), Some(*v));
        }
        assert_eq!(table.get(99), "");
        assert_eq!(table.value(values.len()), None);
        assert_eq!(table.position("张三"), Some(2));
        assert_eq!(table.position("C001"), Some(0));
        assert_eq!(table.position("nope"), None);
        assert_eq!(Interned::from(values.to_vec()), table);
        assert_eq!(format!("{table:?}"), format!("{values:?}"));
        // Serialized as the list of its values, and back.
        let json = serde_json::to_string(&table).unwrap();
        assert_eq!(json, serde_json::to_string(&values).unwrap());
        assert_eq!(serde_json::from_str::<Interned>(&json).unwrap(), table);
        assert!(Interned::default().is_empty());
        assert_eq!(Interned::default().iter().next(), None);
    }
}
