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

/// A column of indexes into an [`Interned`] table (a line's product, region, channel or
/// category), each stored in as few bytes as the largest index needs: one byte while every index
/// is below 256, two below 65,536, four beyond. An export's handful of regions and channels then
/// costs a byte a line instead of four, and its few thousand products two (at 1M rows, 7.5 MiB
/// of the 36 MiB of columns; at 10M, 75 MiB of the page's heap). Pushing a wider index widens
/// the column once (a copy of it); nothing ever narrows it, and equality compares the indexes,
/// not how they are stored.
#[derive(Clone)]
pub enum Codes {
    /// Every index below 256.
    U8(Vec<u8>),
    /// Every index below 65,536.
    U16(Vec<u16>),
    /// Any index.
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Self::U8(Vec::new())
    }
}

impl Codes {
    /// An empty column with room for `lines` indexes below 256.
    pub fn with_capacity(lines: usize) -> Self {
        Self::U8(Vec::with_capacity(lines))
    }
    /// Number of lines.
    pub fn len(&self) -> usize {
        match self {
            Self::U8(v) => v.len(),
            Self::U16(v) => v.len(),
            Self::U32(v) => v.len(),
        }
    }
    /// True when the column has no line (the file has no such column).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The index of line `line`; `None` past the end.
    #[inline]
    pub fn get(&self, line: usize) -> Option<u32> {
        match self {
            Self::U8(v) => v.get(line).map(|&c| u32::from(c)),
            Self::U16(v) => v.get(line).map(|&c| u32::from(c)),
            Self::U32(v) => v.get(line).copied(),
        }
    }
    /// The indexes in line order.
    pub fn iter(&self) -> CodesIter<'_> {
        match self {
            Self::U8(v) => CodesIter::U8(v.iter()),
            Self::U16(v) => CodesIter::U16(v.iter()),
            Self::U32(v) => CodesIter::U32(v.iter()),
        }
    }
    /// Appends the index `code`, widening the column first when it does not fit.
    #[inline]
    pub fn push(&mut self, code: u32) {
        match self {
            Self::U8(v) => match u8::try_from(code) {
                Ok(c) => v.push(c),
                Err(_) => {
                    self.widen_for(code);
                    self.push(code);
                }
            },
            Self::U16(v) => match u16::try_from(code) {
                Ok(c) => v.push(c),
                Err(_) => {
                    self.widen_for(code);
                    self.push(code);
                }
            },
            Self::U32(v) => v.push(code),
        }
    }
    /// Stores the column as wide as `code` needs (keeping its room for more lines).
    fn widen_for(&mut self, code: u32) {
        let room = match self {
            Self::U8(v) => v.capacity(),
            Self::U16(v) => v.capacity(),
            Self::U32(v) => v.capacity(),
        };
        *self = if code <= u32::from(u16::MAX) && !matches!(self, Self::U32(_)) {
            let mut wide = Vec::with_capacity(room);
            wide.extend(self.iter().map(|c| u16::try_from(c).unwrap_or(u16::MAX)));
            Self::U16(wide)
        } else {
            let mut wide = Vec::with_capacity(room);
            wide.extend(self.iter());
            Self::U32(wide)
        };
    }
    /// Room for `lines` more lines at the present width.
    pub fn reserve(&mut self, lines: usize) {
        match self {
            Self::U8(v) => v.reserve(lines),
            Self::U16(v) => v.reserve(lines),
            Self::U32(v) => v.reserve(lines),
        }
    }
    /// Room for exactly `lines` more lines at the present width.
    pub fn reserve_exact(&mut self, lines: usize) {
        match self {
            Self::U8(v) => v.reserve_exact(lines),
            Self::U16(v) => v.reserve_exact(lines),
            Self::U32(v) => v.reserve_exact(lines),
        }
    }
    /// Keeps the lines `keep` says true for, in order (`keep` is called once per line, in order).
    pub fn retain_lines(&mut self, mut keep: impl FnMut(usize) -> bool) {
        fn retain<T>(v: &mut Vec<T>, keep: &mut impl FnMut(usize) -> bool) {
            let mut line = 0;
            v.retain(|_| {
                line += 1;
                keep(line - 1)
            });
        }
        match self {
            Self::U8(v) => retain(v, &mut keep),
            Self::U16(v) => retain(v, &mut keep),
            Self::U32(v) => retain(v, &mut keep),
        }
    }
    /// Removes every line (the column is then as if the file had none, one byte wide).
    pub fn clear(&mut self) {
        *self = Self::default();
    }
    /// Frees the room reserved beyond the lines held.
    pub fn shrink_to_fit(&mut self) {
        match self {
            Self::U8(v) => v.shrink_to_fit(),
            Self::U16(v) => v.shrink_to_fit(),
            Self::U32(v) => v.shrink_to_fit(),
        }
    }
    /// The indexes as a `Vec<u32>`.
    pub fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }
    /// Bytes each index takes (1, 2 or 4).
    pub fn width_bytes(&self) -> usize {
        match self {
            Self::U8(_) => 1,
            Self::U16(_) => 2,
            Self::U32(_) => 4,
        }
    }
}

/// The indexes of a [`Codes`] column, in line order.
#[derive(Clone)]
pub enum CodesIter<'a> {
    /// Of a one-byte column.
    U8(std::slice::Iter<'a, u8>),
    /// Of a two-byte column.
    U16(std::slice::Iter<'a, u16>),
    /// Of a four-byte column.
    U32(std::slice::Iter<'a, u32>),
}

impl Iterator for CodesIter<'_> {
    type Item = u32;
    #[inline]
    fn next(&mut self) -> Option<u32> {
        match self {
            Self::U8(i) => i.next().map(|&c| u32::from(c)),
            Self::U16(i) => i.next().map(|&c| u32::from(c)),
            Self::U32(i) => i.next().copied(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = match self {
            Self::U8(i) => i.len(),
            Self::U16(i) => i.len(),
            Self::U32(i) => i.len(),
        };
        (len, Some(len))
    }
    // Folded per width (one match for the whole column, not one per line): `for_each`, `sum`,
    // `zip(..).for_each` over a column go through here.
    fn fold<B, F: FnMut(B, u32) -> B>(self, init: B, mut f: F) -> B {
        match self {
            Self::U8(i) => i.fold(init, |acc, &c| f(acc, u32::from(c))),
            Self::U16(i) => i.fold(init, |acc, &c| f(acc, u32::from(c))),
            Self::U32(i) => i.fold(init, |acc, &c| f(acc, c)),
        }
    }
}

impl ExactSizeIterator for CodesIter<'_> {}

impl<'a> IntoIterator for &'a Codes {
    type Item = u32;
    type IntoIter = CodesIter<'a>;
    fn into_iter(self) -> CodesIter<'a> {
        self.iter()
    }
}

impl PartialEq for Codes {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Codes {}

impl std::fmt::Debug for Codes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<u32> for Codes {
    fn from_iter<I: IntoIterator<Item = u32>>(codes: I) -> Self {
        let codes = codes.into_iter();
        let mut column = Self::with_capacity(codes.size_hint().0);
        for code in codes {
            column.push(code);
        }
        column
    }
}

impl From<Vec<u32>> for Codes {
    fn from(codes: Vec<u32>) -> Self {
        codes.into_iter().collect()
    }
}

/// The kept transaction lines, columnar. All columns (`Vec`s and [`Codes`]) have the same length
/// (`len()`), except the optional columns, which are empty when the file has no such column.
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
    pub product: Codes,
    /// Product names.
    pub products: Interned,
    /// Quantity of each line; empty without a quantity column.
    pub quantity: Vec<f64>,
    /// Region of each line (index into `regions`); empty without a region column.
    pub region: Codes,
    /// Region names.
    pub regions: Interned,
    /// Channel of each line (index into `channels`); empty without a channel column.
    pub channel: Codes,
    /// Channel names.
    pub channels: Interned,
    /// Category of each line (index into `categories`); empty without a category column.
    pub category: Codes,
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
    pub fn item_categories(&self) -> (&Codes, &Interned) {
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

    /// A column of indexes widens as the values need (255 → 256 → 65,536), reads back what was
    /// pushed at every width, keeps its lines through a retain, and compares by value whatever
    /// its width.
    #[test]
    fn a_codes_column_widens_and_reads_back_its_indexes() {
        let values: Vec<u32> = (0..300).chain([65_535, 7, 65_536, u32::MAX, 0]).collect();
        let mut codes = Codes::default();
        for (i, &v) in values.iter().enumerate() {
            codes.push(v);
            assert_eq!(codes.get(i), Some(v));
            let width = match values[..=i].iter().max() {
                Some(&m) if m > 65_535 => 4,
                Some(&m) if m > 255 => 2,
                _ => 1,
            };
            assert_eq!(codes.width_bytes(), width, "after {i} values");
            assert!(codes.iter().eq(values[..=i].iter().copied()));
        }
        assert_eq!(codes.len(), values.len());
        assert_eq!(codes.get(values.len()), None);
        assert_eq!(codes.to_vec(), values);
        assert_eq!(codes.iter().len(), values.len());
        assert_eq!(
            codes.iter().map(u64::from).sum::<u64>(),
            values.iter().map(|&v| u64::from(v)).sum::<u64>()
        );
        assert_eq!(Codes::from(values.clone()), codes);
        // Equal values at different widths are equal; different values are not.
        let narrow: Codes = vec![1, 2, 3].into();
        let mut wide = Codes::default();
        wide.push(70_000);
        wide.clear();
        assert!(wide.is_empty());
        for v in [1, 2, 3] {
            wide.push(v);
        }
        assert_eq!(narrow.width_bytes(), 1);
        let mut wider: Codes = vec![1, 2, 300].into();
        assert_ne!(narrow, wider);
        wider.retain_lines(|line| line != 2);
        wider.push(3);
        assert_eq!(wider.width_bytes(), 2);
        assert_eq!(wider, narrow);
        assert_eq!(format!("{wider:?}"), "[1, 2, 3]");
        let mut kept = codes.clone();
        kept.retain_lines(|line| line % 2 == 0);
        assert!(kept.iter().eq(values.iter().copied().step_by(2)));
    }

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
