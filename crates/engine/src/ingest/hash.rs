//! A small, fast, platform-independent 64-bit hash for order ids and duplicate detection.
//!
//! `std`'s and `rustc-hash`'s hashers either cost more per call or hash to `usize` (32 bits on
//! wasm32, where a million order ids would collide by the hundred). This one works on `u64`
//! words everywhere (the folded multiply of aHash/foldhash), so a million distinct values collide
//! with probability about n²/2⁶⁵ ≈ 3·10⁻⁸. The input is not adversarial, so no random seed.

use std::hash::{BuildHasherDefault, Hasher};

const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const P2: u64 = 0x8ebc_6af0_9c88_c6e3;

/// The folded multiply: high and low halves of the 128-bit product, xored.
///
/// In wasm (no 64 × 64 → 128-bit multiply) the product is built from four 32-bit halves'
/// products, the same bits. A `u128` product is a call to the library's `__multi3` there, which
/// multiplies 128 by 128 bits: measured on the 1M-row ingest in wasm (V8), ≈ 55 ms of ≈ 360.
/// LLVM folds these halves back into that call when `b` is not a constant, so the per-line
/// hashes ([`hash_text`], [`hash_fields`]) multiply by constants.
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        mix_by_halves(a, b)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        mix_wide(a, b)
    }
}

/// [`mix`] by the `u128` product (natively one instruction).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn mix_wide(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// [`mix`] by the products of 32-bit halves: `a·b = hh·2⁶⁴ + (hl + lh)·2³² + ll`; the cross
/// sum cannot overflow (at most (2³² − 1)² + 2·(2³² − 1) = 2⁶⁴ − 1).
#[cfg(any(target_arch = "wasm32", test))]
#[inline]
fn mix_by_halves(a: u64, b: u64) -> u64 {
    const LOW: u64 = 0xffff_ffff;
    let (a_low, a_high, b_low, b_high) = (a & LOW, a >> 32, b & LOW, b >> 32);
    let ll = a_low * b_low;
    let lh = a_low * b_high;
    let hl = a_high * b_low;
    let hh = a_high * b_high;
    let cross = (ll >> 32) + (lh & LOW) + hl;
    let high = hh + (lh >> 32) + (cross >> 32);
    let low = (cross << 32) | (ll & LOW);
    low ^ high
}

/// The little-endian word of exactly 8 bytes.
#[inline]
fn word8(bytes: &[u8]) -> u64 {
    bytes
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The little-endian word of exactly 4 bytes.
#[inline]
fn word4(bytes: &[u8]) -> u64 {
    bytes
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
}

/// Packs up to 8 bytes into a word, reading the input directly (no copy through a stack buffer,
/// which stalls the CPU on store forwarding). Given the length, the bytes can be recovered from
/// the word (4 to 8 bytes: the first and the last four; 1 to 3: first, middle and last byte),
/// so equal words and lengths mean equal bytes. Longer input is cut to its first 8 bytes.
#[inline]
pub(crate) fn pack_upto8(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    match len {
        0 => 0,
        1..=3 => {
            let at = |i: usize| u64::from(bytes.get(i).copied().unwrap_or(0));
            at(0) | at(len / 2) << 8 | at(len - 1) << 16
        }
        4..=7 => word4(bytes) | word4(bytes.get(len - 4..).unwrap_or_default()) << 32,
        _ => word8(bytes),
    }
}

/// Hashes `bytes` with `seed` (different seeds give independent hashes for different uses).
#[inline]
pub(crate) fn hash64(bytes: &[u8], seed: u64) -> u64 {
    hash_words(mix(seed ^ P0, (bytes.len() as u64) ^ P1), bytes)
}

/// Hashes `bytes` with `seed`, every multiply by a constant (see [`mix`]; [`hash64`], whose
/// values order ids keep, has a length-dependent one): a record's text for duplicate detection.
#[inline]
pub(crate) fn hash_text(bytes: &[u8], seed: u64) -> u64 {
    hash_words(mix(seed ^ P0, P1) ^ (bytes.len() as u64), bytes)
}

/// [`hash64`] and [`hash_text`] from their first state `h`: `bytes` a word at a time, the last
/// few packed, then a final mix.
#[inline]
fn hash_words(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(h ^ word8(chunk), P1);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(h ^ pack_upto8(rest), P2);
    }
    mix(h ^ P2, P0)
}

/// Hashes a record's fields with `seed`, however the fields are laid out (a plain line in place,
/// or `csv_core`'s packed output): for records whose text cannot stand for their fields (a
/// quoted field holds the delimiter). A field of up to 8 bytes is one packed word (no loop); a
/// longer one is [`hash64`]ed. Field lengths and count take part, so `a,bc` and `ab,c` differ.
#[inline]
pub(crate) fn hash_fields<'a>(fields: impl Iterator<Item = &'a [u8]>, seed: u64) -> u64 {
    let mut h = seed ^ P0;
    for field in fields {
        let len = field.len() as u64;
        let word = if field.len() <= 8 {
            pack_upto8(field)
        } else {
            hash64(field, len)
        };
        h = mix(h ^ word ^ len.wrapping_mul(P2), P1);
    }
    mix(h ^ P2, P0)
}

/// A [`Hasher`] for keys that are already good 64-bit hashes: passes them through.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not used for u64 keys; still a valid (slow) hash for anything else.
        self.0 = hash64(bytes, self.0);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Build a [`PassThroughHasher`] for `HashMap<u64, _>` keyed by [`hash64`] values.
pub(crate) type BuildPassThrough = BuildHasherDefault<PassThroughHasher>;

/// Below this many keys [`sort_hashes`] is a plain `sort_unstable`.
const RADIX_MIN_KEYS: usize = 4096;

/// Buckets of at most this many keys are sorted by insertion (hashes leave about eight a bucket).
const INSERTION_MAX_KEYS: usize = 16;

/// Writes `keys` sorted ascending into `out` (of the same length; when it is not, `out` is left
/// as it is), for keys that are hashes, spread evenly below their top `skip` bits (which a caller
/// that partitioned the keys by them says are equal): one pass puts each key into a bucket by
/// its next bits (about eight keys a bucket, at most 2¹⁶ buckets), then each bucket is sorted.
/// Keys that are not spread evenly only make buckets larger; `out` is the same sorted slice.
///
/// Hand-written: the comparison sorts of the keys were ≈ 27 ms of the ≈ 48 ms end of a 1M-row
/// ingest in the page (wasm profile), and natively this is ≈ 3× faster than `sort_unstable` on
/// 123,000 hashes and ≈ 2× on 460,000 (measured: 0.49 against 1.47 ms, 2.95 against 6.09 ms).
/// The radix-sort crates (`radsort`, `rdst`, `voracious_radix_sort`) allocate their own second
/// buffer or bring threads; here the caller lends one where the ingest's peak has room. An
/// in-place pass (American flag sort) was measured slower than `sort_unstable`: each of its
/// moves waits for the cache miss of the one before.
pub(crate) fn sort_hashes(keys: &[u64], out: &mut [u64], skip: u32) {
    let n = keys.len();
    if out.len() != n {
        return;
    }
    let room = 64u32.saturating_sub(skip);
    if n < RADIX_MIN_KEYS || room == 0 {
        out.copy_from_slice(keys);
        out.sort_unstable();
        return;
    }
    let bits = (usize::BITS - (n / 8).leading_zeros())
        .clamp(8, 16)
        .min(room);
    let digit = |key: u64| ((key << skip) >> (64 - bits)) as usize;
    let buckets = 1usize << bits;
    // start[b]..start[b + 1]: bucket b in `out`.
    let mut start = vec![0usize; buckets + 1];
    for &key in keys {
        if let Some(count) = start.get_mut(digit(key) + 1) {
            *count += 1;
        }
    }
    let mut running = 0;
    for slot in &mut start {
        running += *slot;
        *slot = running;
    }
    let mut next = start.clone();
    for &key in keys {
        if let Some(at) = next.get_mut(digit(key)) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = key;
            }
            *at += 1;
        }
    }
    drop(next);
    for bounds in start.windows(2) {
        let (Some(&from), Some(&to)) = (bounds.first(), bounds.get(1)) else {
            continue;
        };
        let Some(bucket) = out.get_mut(from..to) else {
            continue;
        };
        if bucket.len() <= INSERTION_MAX_KEYS {
            insertion_sort(bucket);
        } else {
            bucket.sort_unstable();
        }
    }
}

/// Sorts a few keys ascending.
#[inline]
fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let Some(&key) = keys.get(i) else { break };
        let mut j = i;
        while let Some(&before) = keys.get(j.wrapping_sub(1)) {
            if before <= key {
                break;
            }
            if let Some(slot) = keys.get_mut(j) {
                *slot = before;
            }
            j -= 1;
        }
        if let Some(slot) = keys.get_mut(j) {
            *slot = key;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The radix sort gives `sort_unstable`'s slice: hashes, few distinct values, small
        /// numbers, with their top `skip` bits made equal (as `repeated_keys` partitions them),
        /// skips from 0 to 64.
        #[test]
        fn sort_hashes_sorts_like_sort_unstable(
            seeds in proptest::collection::vec(any::<u64>(), 0..12_000),
            shape in 0u8..4,
            skip in prop_oneof![Just(0u32), Just(1u32), Just(3u32), 0u32..=64],
        ) {
            let keys: Vec<u64> = seeds
                .iter()
                .map(|&s| match shape {
                    0 | 1 => mix(s ^ P0, P1),
                    // Few distinct values: long equal runs, crowded buckets.
                    2 => mix(s % 7, P1),
                    _ => s % 1000,
                })
                .map(|key| {
                    let top = 0xa5a5_a5a5_a5a5_a5a5u64;
                    match skip {
                        0 => key,
                        64.. => top,
                        _ => key >> skip | top << (64 - skip),
                    }
                })
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            let mut got = vec![0; keys.len()];
            sort_hashes(&keys, &mut got, skip);
            prop_assert_eq!(got, expected);
            // A buffer of another length is left as it is.
            let mut other = vec![7u64; keys.len() + 1];
            sort_hashes(&keys, &mut other, skip);
            prop_assert!(other.iter().all(|&k| k == 7));
        }
    }

    proptest! {
        /// The wasm build's folded multiply (32-bit halves) gives the `u128` product's bits.
        #[test]
        fn the_halves_give_the_wide_products_bits(a: u64, b: u64, edge in 0usize..6) {
            let edges = [0, 1, u64::MAX, u64::MAX - 1, 0xffff_ffff, 1 << 32];
            let e = edges.get(edge).copied().unwrap_or(0);
            for (x, y) in [(a, b), (e, b), (a, e), (e, e)] {
                prop_assert_eq!(mix_by_halves(x, y), mix_wide(x, y));
            }
        }
    }

    #[test]
    fn hashes_differ_by_content_length_and_seed() {
        for hash in [hash64 as fn(&[u8], u64) -> u64, hash_text] {
            assert_ne!(hash(b"abc", 0), hash(b"abd", 0));
            assert_ne!(hash(b"abc", 0), hash(b"abc\0", 0));
            assert_ne!(hash(b"", 0), hash(b"\0", 0));
            assert_ne!(hash(b"abc", 0), hash(b"abc", 1));
            assert_ne!(hash(b"12345678", 0), hash(b"12345678\0", 0));
            assert_eq!(hash(b"12345678901", 7), hash(b"12345678901", 7));
        }
        let mut seen: Vec<u64> = (0..200_000u32)
            .map(|i| hash_text(format!("C{i},2024-03-05,{}.50", i % 97).as_bytes(), 4))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 200_000);
    }

    #[test]
    fn field_hashes_see_boundaries_lengths_and_counts() {
        let h = |fields: &[&[u8]]| hash_fields(fields.iter().copied(), 7);
        assert_eq!(h(&[b"a", b"bc"]), h(&[b"a", b"bc"]));
        assert_ne!(h(&[b"a", b"bc"]), h(&[b"ab", b"c"]));
        assert_ne!(h(&[b"a"]), h(&[b"a", b""]));
        assert_ne!(h(&[b"", b"a"]), h(&[b"a", b""]));
        assert_ne!(h(&[b"abc"]), h(&[b"abc\0"]));
        assert_ne!(h(&[b"long field one", b"x"]), h(&[b"long field onx", b"x"]));
        let mut seen: Vec<u64> = (0..100_000u32)
            .map(|i| {
                let (a, b) = (i.to_string(), (i % 7).to_string());
                h(&[a.as_bytes(), b.as_bytes()])
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 100_000);
    }

    #[test]
    fn packing_is_injective_for_each_length() {
        assert_eq!(pack_upto8(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
        assert_ne!(pack_upto8(b"abcde"), pack_upto8(b"abcdf"));
        assert_ne!(pack_upto8(b"abcde"), pack_upto8(b"bbcde"));
        assert_ne!(pack_upto8(b"abc"), pack_upto8(b"abd"));
        assert_ne!(pack_upto8(b"abc"), pack_upto8(b"axc"));
        let mut seen: Vec<u64> = (0..=u16::MAX)
            .map(|n| pack_upto8(&n.to_le_bytes()))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 65_536);
    }

    #[test]
    fn no_collisions_among_many_short_ids() {
        let mut seen: Vec<u64> = (0..200_000u32)
            .map(|i| hash64(i.to_string().as_bytes(), 0))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 200_000);
    }
}
