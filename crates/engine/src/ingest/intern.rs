//! Interning of the text cells (customer ids, products, regions, channels): each distinct value
//! gets an index, in the order values are first seen, looked up by its raw bytes.
//!
//! Three ways in, cheapest first; they give the same indexes (a number the array covers is found
//! there; one added before the array grew over it stays in the hash table and is found there):
//! - **numbers** (a customer or product id like `10218`: digits only, no leading zero, at most 9
//!   digits) below the length of a flat array, indexed by their value. The array stays at most
//!   [`DENSE_SLOTS_PER_VALUE`] slots (4 bytes each) per distinct value, so sparse numbers (phone
//!   numbers, card numbers) take the hash table instead. Hand-written: a customer lookup in a hash
//!   table of 100,000 ids (≈ 4 MB) misses the cache on almost every line of a date-sorted file,
//!   and was most of the interning's time in the profile (≈ 20 % of the one-thread native ingest);
//!   the array for the same ids is 0.5 MB (131,072 slots);
//! - values of at most 16 bytes, packed inline into a hash table's key (three words compared, no
//!   pointer followed);
//! - longer values, by their bytes.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use super::hash::{mix, pack_upto8, BuildPassThrough};
use crate::Interned;

/// The values of an [`Interner`] without its hash tables, as a part of a file read elsewhere
/// hands them over ([`Interner::absorb`]).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct InternedValues {
    /// The distinct values' text, in first-seen order.
    pub(super) values: Interned,
    /// `(index, raw bytes)` of the values that were not valid UTF-8, indexes ascending.
    pub(super) invalid: Vec<(u32, Vec<u8>)>,
}

/// Seeds of the packed keys' hash (any constants; they only place keys in the table).
const SEED_A: u64 = 0x6f72_6465_7220_6964;
const SEED_B: u64 = 0x7265_636f_7264_2121;

/// The flat array of numbers grows to cover a number only while it has at most this many slots
/// per distinct value interned so far (≤ 32 bytes a value, what a hash-table entry costs).
const DENSE_SLOTS_PER_VALUE: usize = 8;
/// …or at most this many slots whatever the count (256 KiB: small numbers are always dense).
const DENSE_MIN_SLOTS: usize = 1 << 16;
/// Never more slots than this (1 GiB, reached only with 2²⁵ ≈ 33.5 million distinct values); larger
/// numbers take the hash table.
const DENSE_MAX_SLOTS: usize = 1 << 28;

/// A value of at most 16 bytes packed into two words plus its length, so the interning table
/// holds it inline: a lookup compares three words and never follows a pointer.
#[derive(Clone, Copy, Eq)]
struct ShortKey([u64; 3]);

/// Word by word in registers: the derived comparison loaded the key just built back from the
/// stack as one 16-byte vector, which stalled on store forwarding (a third of the interning's
/// time at that load in a native profile).
impl PartialEq for ShortKey {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        let ([a0, a1, a2], [b0, b1, b2]) = (self.0, other.0);
        ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2)) == 0
    }
}

impl ShortKey {
    const MAX_LEN: usize = 16;

    #[inline]
    fn new(bytes: &[u8]) -> Option<Self> {
        let len = bytes.len();
        if len > Self::MAX_LEN {
            return None;
        }
        let (first, second) = bytes.split_at(len.min(8));
        Some(Self([pack_upto8(first), pack_upto8(second), len as u64]))
    }
}

/// Whether `a` and `b` are the same bytes: compared as [`ShortKey`]s (three words) when both
/// fit. Hand-written: in wasm, comparing slices is a call to `memcmp`, a byte loop; with this on
/// each line's date cell the ingest alone took 268–283 ms against 281–298 (medians of 7, three
/// rounds, V8 in node, the 1M-row file).
#[inline]
pub(super) fn same_short_bytes(a: &[u8], b: &[u8]) -> bool {
    match (ShortKey::new(a), ShortKey::new(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

impl ShortKey {
    /// No value's key (a length no value has): an empty slot of [`Interner::recent`].
    const EMPTY: Self = Self([0, 0, u64::MAX]);

    /// The slot of [`Interner::recent`] for this key: a multiplicative hash of its words (one
    /// 64-bit multiply, where the table's hash takes a 128-bit one, a library call in wasm).
    #[inline]
    fn slot(&self) -> usize {
        let [a, b, len] = self.0;
        let mixed =
            (a ^ b.rotate_left(29) ^ len.rotate_left(58)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> (64 - RECENT_SLOTS.trailing_zeros())) as usize
    }
}

/// Slots of [`Interner::recent`] (a power of two; 32 KiB). Hand-written: in front of the hash
/// table, a direct-mapped cache catches the few hundred products and the handful of regions and
/// channels of an export on almost every line, for one multiply and one compare (the first
/// worker's interning in wasm profiles of the 1M-row read: 58–79 ms without it, 38–48 ms with
/// it; natively the ingest is ≈ 2 % faster).
const RECENT_SLOTS: usize = 1 << 10;

impl std::hash::Hash for ShortKey {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, len] = self.0;
        state.write_u64(mix(a ^ SEED_A, b ^ len ^ SEED_B));
    }
}

/// The value of `bytes` when they are a number written the one way (ASCII digits, no sign, no
/// leading zero unless it is `0`, at most 9 digits), so that equal numbers are equal bytes.
#[inline]
pub(super) fn plain_number(bytes: &[u8]) -> Option<usize> {
    let (&first, rest) = bytes.split_first()?;
    if !first.is_ascii_digit() || rest.len() > 8 || (first == b'0' && !rest.is_empty()) {
        return None;
    }
    let mut n = usize::from(first - b'0');
    for &b in rest {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + usize::from(b - b'0');
    }
    Some(n)
}

/// Interned strings looked up by their raw bytes, so a value seen before costs one lookup and no
/// UTF-8 check or allocation.
pub(super) struct Interner {
    /// For the numbers below its length ([`plain_number`]): the value's index + 1, 0 when the
    /// number has not been seen through the array (it may still be in `short`, from before the
    /// array covered it).
    dense: Vec<u32>,
    short: HashMap<ShortKey, u32, BuildPassThrough>,
    long: FxHashMap<Box<[u8]>, u32>,
    pub(super) table: Interned,
    /// U+FFFD introduced when decoding each value; empty until a value needed one (then one
    /// entry a value: 4 bytes a customer saved in the usual all-valid file).
    replaced: Vec<u32>,
    any_replaced: bool,
    /// The value looked up last (consecutive lines of one order often repeat it).
    last: Option<(ShortKey, u32)>,
    /// Short values found recently in `short`, by [`ShortKey::slot`] ([`RECENT_SLOTS`] once a
    /// value has been looked up there; empty before).
    recent: Vec<(ShortKey, u32)>,
    /// The bytes of the values that were not valid UTF-8 (the others' are their text), to look
    /// them up again when two parts of a file are joined.
    invalid: FxHashMap<u32, Box<[u8]>>,
    /// Set by [`Self::forget_lookups`]: a value interned after it would be added again.
    forgotten: bool,
}

impl Interner {
    pub(super) fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An interner with room for `values` without growing (each growth re-inserts every value).
    pub(super) fn with_capacity(values: usize) -> Self {
        Self {
            dense: Vec::new(),
            short: HashMap::with_capacity_and_hasher(values, BuildPassThrough::default()),
            long: FxHashMap::default(),
            // The values' ends too (growing them copies them all); their text grows as needed.
            table: {
                let mut table = Interned::default();
                table.reserve(values);
                table
            },
            replaced: Vec::new(),
            any_replaced: false,
            last: None,
            recent: Vec::new(),
            invalid: FxHashMap::default(),
            forgotten: false,
        }
    }

    /// Frees the tables that look values up (keeping the values, and the bytes of those that
    /// were not valid UTF-8 for [`Self::into_values`]): called once no value will be interned
    /// again, so they are not held through the ingest's last steps (the 1M-row file's
    /// 100,000 customer ids: ≈ 4 MiB of hash table, resident through the duplicate search that
    /// is the one-thread ingest's peak).
    pub(super) fn forget_lookups(&mut self) {
        self.dense = Vec::new();
        self.short = HashMap::default();
        self.long = FxHashMap::default();
        self.last = None;
        self.recent = Vec::new();
        self.forgotten = true;
    }

    /// The values in their order, and the bytes of those that were not valid UTF-8: what
    /// [`Self::absorb`] needs of a part's interner (the hash tables are dropped).
    pub(super) fn into_values(self) -> InternedValues {
        let mut invalid: Vec<(u32, Vec<u8>)> = self
            .invalid
            .into_iter()
            .map(|(i, bytes)| (i, bytes.into_vec()))
            .collect();
        invalid.sort_unstable_by_key(|&(i, _)| i);
        InternedValues {
            values: self.table,
            invalid,
        }
    }

    /// For each of `other`'s values, in its order, its index here (values new here are added in
    /// `other`'s order, so joining two parts of a file numbers values as reading it whole does).
    pub(super) fn absorb(&mut self, other: &InternedValues) -> Vec<u32> {
        let mut invalid = other.invalid.iter().peekable();
        other
            .values
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let bytes = match invalid.peek() {
                    Some((at, raw)) if *at as usize == i => {
                        invalid.next();
                        raw.as_slice()
                    }
                    _ => text.as_bytes(),
                };
                self.intern(bytes).0
            })
            .collect()
    }

    /// The index of `bytes` and the replacement characters its text needed.
    #[inline]
    pub(super) fn intern(&mut self, bytes: &[u8]) -> (u32, u32) {
        // Its callers never intern after forgetting (the builder finishes, or a part is joined
        // and nothing is fed after): checked in the tests' debug builds.
        debug_assert!(
            !self.forgotten,
            "a value interned after the lookups were freed"
        );
        let number = plain_number(bytes);
        if let Some(&slot) = number.and_then(|n| self.dense.get(n)) {
            if slot != 0 {
                // A number is valid UTF-8: nothing replaced.
                return (slot - 1, 0);
            }
        }
        let found = self.find(bytes);
        if let Some((i, replaced)) = found {
            if let Some(slot) = number.and_then(|n| self.dense.get_mut(n)) {
                // Seen before the array covered it: from now on through the array.
                *slot = i + 1;
            }
            return (i, replaced);
        }
        let (i, replaced) = self.insert(bytes);
        // A number the array covers is found there alone; the others in the hash tables.
        if !number.is_some_and(|n| self.cover(n, i)) {
            self.index(bytes, i);
        }
        (i, replaced)
    }

    /// Interns, in order, the numbers `numbers` ([`plain_number`]s of cells, so below 10⁹),
    /// writing each one's index to its place in `indexes`: the same indexes and the same state
    /// as [`Self::intern`] of each number's digits in turn.
    ///
    /// Hand-written, for the customer column: one line at a time, the flat array's load of a
    /// customer (a random read; 4 MiB for 1M customers) stalled the parse on every line, 60 % of
    /// the interning's samples at that load (native `perf`, the 10M-row file, where interning was
    /// 25 % of `segscope bench`). A batch of lines' numbers looked up in a loop of their own lets
    /// the processor have many of those reads in flight at once.
    pub(super) fn intern_plain_numbers(&mut self, numbers: &[u32], indexes: &mut [u32]) {
        for (&n, index) in numbers.iter().zip(indexes) {
            *index = match self.dense.get(n as usize) {
                Some(&slot) if slot != 0 => slot - 1,
                _ => self.intern_number(n),
            };
        }
    }

    /// [`Self::intern`] of the digits of `n` (without a leading zero, as [`plain_number`] reads).
    #[cold]
    fn intern_number(&mut self, n: u32) -> u32 {
        let mut digits = [0u8; 10];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        self.intern(digits.get(at..).unwrap_or_default()).0
    }

    /// Looks `bytes` up in the hash tables.
    #[inline]
    fn find(&mut self, bytes: &[u8]) -> Option<(u32, u32)> {
        let key = ShortKey::new(bytes);
        let found = match key {
            Some(key) => match self.last {
                Some((last, i)) if last == key => Some(i),
                _ => {
                    let slot = key.slot();
                    match self.recent.get(slot) {
                        Some(&(recent, i)) if recent == key => {
                            self.last = Some((key, i));
                            Some(i)
                        }
                        _ => {
                            let found = self.short.get(&key).copied();
                            if let Some(i) = found {
                                self.last = Some((key, i));
                                self.remember(slot, key, i);
                            }
                            found
                        }
                    }
                }
            },
            None => self.long.get(bytes).copied(),
        }?;
        let replaced = if self.any_replaced {
            self.replaced.get(found as usize).copied().unwrap_or(0)
        } else {
            0
        };
        Some((found, replaced))
    }

    /// Keeps `key` (value `i`, found in `short`) in its slot of `recent`.
    #[cold]
    fn remember(&mut self, slot: usize, key: ShortKey, i: u32) {
        if self.recent.is_empty() {
            self.recent = vec![(ShortKey::EMPTY, 0); RECENT_SLOTS];
        }
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = (key, i);
        }
    }

    /// Records the new value `i`, the number `n`, in the array, growing it to cover `n` while it
    /// stays within its budget of slots per value. False when it does not (the hash table has
    /// it then).
    #[cold]
    fn cover(&mut self, n: usize, i: u32) -> bool {
        if n >= self.dense.len() {
            let budget = self
                .table
                .len()
                .saturating_mul(DENSE_SLOTS_PER_VALUE)
                .clamp(DENSE_MIN_SLOTS, DENSE_MAX_SLOTS);
            if n >= budget {
                return false;
            }
            let slots = (n + 1).next_power_of_two().min(budget);
            // Exactly: `resize` alone may double the capacity past the budget.
            self.dense.reserve_exact(slots - self.dense.len());
            self.dense.resize(slots, 0);
        }
        match self.dense.get_mut(n) {
            Some(slot) => {
                *slot = i + 1;
                true
            }
            None => false,
        }
    }

    /// Adds a value not seen before to the values ([`Self::index`] makes the hash tables find it).
    #[cold]
    fn insert(&mut self, bytes: &[u8]) -> (u32, u32) {
        let text = String::from_utf8_lossy(bytes);
        let replaced = match &text {
            std::borrow::Cow::Borrowed(_) => 0,
            std::borrow::Cow::Owned(text) => {
                let replaced = text.chars().filter(|&c| c == '\u{FFFD}').count();
                u32::try_from(replaced).unwrap_or(u32::MAX)
            }
        };
        let i = self.table.push(&text);
        if replaced > 0 && !self.any_replaced {
            // The values before this one needed none.
            self.replaced.resize(i as usize, 0);
        }
        self.any_replaced |= replaced > 0;
        if self.any_replaced {
            self.replaced.push(replaced);
        }
        if replaced > 0 {
            self.invalid.insert(i, bytes.into());
        }
        (i, replaced)
    }

    /// Makes the hash tables find value `i`, `bytes`.
    #[cold]
    fn index(&mut self, bytes: &[u8], i: u32) {
        match ShortKey::new(bytes) {
            Some(key) => {
                self.short.insert(key, i);
            }
            None => {
                self.long.insert(bytes.into(), i);
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;

    /// The reference: first-appearance numbering in a plain map of byte strings.
    fn reference(values: &[Vec<u8>]) -> Vec<u32> {
        let mut seen: HashMap<Vec<u8>, u32> = HashMap::new();
        values
            .iter()
            .map(|v| {
                let next = seen.len() as u32;
                *seen.entry(v.clone()).or_insert(next)
            })
            .collect()
    }

    fn interned(values: &[Vec<u8>]) -> (Vec<u32>, Interner) {
        let mut interner = Interner::new();
        let indexes = values.iter().map(|v| interner.intern(v).0).collect();
        (indexes, interner)
    }

    /// The replacement characters a value needed are given again each time it is found, before
    /// and after the first value that needed any (the counts are kept only from then on).
    #[test]
    fn replaced_characters_are_found_again_with_their_value() {
        let mut interner = Interner::new();
        let cells: [&[u8]; 8] = [
            b"a",
            b"b\xff\xfe",
            b"c",
            b"a",
            b"b\xff\xfe",
            b"\xffd",
            b"c",
            b"\xffd",
        ];
        let got: Vec<(u32, u32)> = cells.iter().map(|c| interner.intern(c)).collect();
        assert_eq!(
            got,
            [
                (0, 0),
                (1, 2),
                (2, 0),
                (0, 0),
                (1, 2),
                (3, 1),
                (2, 0),
                (3, 1)
            ]
        );
        assert_eq!(
            interner.table.to_vec(),
            ["a", "b\u{FFFD}\u{FFFD}", "c", "\u{FFFD}d"]
        );
        // A file whose values are all valid keeps no count at all.
        let mut valid = Interner::new();
        for c in [&b"x"[..], b"y", b"x"] {
            assert_eq!(valid.intern(c).1, 0);
        }
        assert!(valid.replaced.is_empty());
    }

    #[test]
    fn plain_numbers_are_the_canonical_digit_strings() {
        assert_eq!(plain_number(b"0"), Some(0));
        assert_eq!(plain_number(b"10218"), Some(10218));
        assert_eq!(plain_number(b"999999999"), Some(999_999_999));
        for not in [
            &b""[..],
            b"00",
            b"012",
            b"-1",
            b"+1",
            b"1.0",
            b"1 ",
            b"1e3",
            b"1000000000",
            "１２".as_bytes(),
        ] {
            assert_eq!(
                plain_number(not),
                None,
                "{:?}",
                String::from_utf8_lossy(not)
            );
        }
    }

    #[test]
    fn numbers_interned_in_a_batch_are_interned_as_their_digits() {
        let numbers: Vec<u32> = vec![0, 9, 10, 7, 999_999_999, 100_000, 10, 0, 123_456_789, 9];
        let values: Vec<Vec<u8>> = numbers.iter().map(|n| n.to_string().into_bytes()).collect();
        let (one_by_one, sequential) = interned(&values);
        let mut batched = Interner::new();
        let mut indexes = vec![u32::MAX; numbers.len()];
        for (part, out) in numbers.chunks(3).zip(indexes.chunks_mut(3)) {
            batched.intern_plain_numbers(part, out);
        }
        assert_eq!(indexes, one_by_one);
        assert_eq!(batched.table, sequential.table);
    }

    #[test]
    fn numbers_and_their_look_alikes_are_different_values() {
        let values: Vec<Vec<u8>> = ["7", "07", "7 ", "007", "7", "0", "00", "0", "07"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        let (indexes, interner) = interned(&values);
        assert_eq!(indexes, vec![0, 1, 2, 3, 0, 4, 5, 4, 1]);
        assert_eq!(interner.table.to_vec(), ["7", "07", "7 ", "007", "0", "00"]);
    }

    #[test]
    fn numbers_seen_before_the_array_covered_them_keep_their_index() {
        // A large number first (beyond the array's budget for one value), then enough small ones
        // for the array to grow over it: the large one must be found, not added again.
        let big = 600_000usize;
        let mut values: Vec<Vec<u8>> = vec![big.to_string().into_bytes()];
        values.extend((0..700_000usize).map(|n| n.to_string().into_bytes()));
        values.push(big.to_string().into_bytes());
        values.push(b"12".to_vec());
        let (indexes, interner) = interned(&values);
        assert!(
            interner.dense.len() > big,
            "the array grew over the first number"
        );
        assert_eq!(indexes[0], 0);
        assert_eq!(indexes[big + 1], 0);
        assert_eq!(indexes, reference(&values));
        assert_eq!(interner.table.len(), 700_000);
        assert_eq!(
            interner.short.len(),
            1,
            "the array alone holds the numbers it covered when they were added"
        );
    }

    #[test]
    fn sparse_numbers_stay_in_the_hash_table() {
        // Phone-like numbers of 9 digits: the array never grows past its budget.
        let values: Vec<Vec<u8>> = (0..2_000u64)
            .map(|i| (100_000_000 + i * 449_999).to_string().into_bytes())
            .collect();
        let (indexes, interner) = interned(&values);
        assert_eq!(indexes, reference(&values));
        assert!(interner.dense.len() <= 2_000 * DENSE_SLOTS_PER_VALUE);
    }

    fn value() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            // Numbers, small and large, with and without leading zeros.
            (0u32..200_000).prop_map(|n| n.to_string().into_bytes()),
            (0u32..2_000).prop_map(|n| format!("0{n}").into_bytes()),
            (0u64..5_000_000_000).prop_map(|n| n.to_string().into_bytes()),
            // Short and long text, invalid UTF-8 included.
            proptest::collection::vec(any::<u8>(), 0..24),
            "[A-Z]{1,3}[0-9]{0,4}".prop_map(String::into_bytes),
        ]
    }

    proptest! {
        #[test]
        fn indexes_are_first_appearance_order(
            values in proptest::collection::vec(value(), 0..400),
            repeats in proptest::collection::vec(any::<prop::sample::Index>(), 0..400),
        ) {
            // Repeat earlier values in a random order, so lookups hit every path.
            let mut all = values.clone();
            if !values.is_empty() {
                all.extend(repeats.iter().map(|i| values[i.index(values.len())].clone()));
            }
            let (indexes, interner) = interned(&all);
            prop_assert_eq!(&indexes, &reference(&all));
            for (v, &i) in all.iter().zip(&indexes) {
                let text = String::from_utf8_lossy(v);
                prop_assert_eq!(interner.table.value(i as usize).unwrap(), &*text);
            }
        }
    }
}
