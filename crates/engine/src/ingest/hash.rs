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
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
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
    let mut h = mix(seed ^ P0, (bytes.len() as u64) ^ P1);
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

/// Hashes a record's fields with `seed`: the same value however the fields are laid out (a
/// plain line in place, or `csv_core`'s packed output), so a quoted line and a plain one with the
/// same fields hash alike. A field of up to 8 bytes is one packed word (no loop); a longer one is
/// [`hash64`]ed. Field lengths and count take part, so `a,bc` and `ab,c` differ.
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
        h = mix(h ^ word, P1 ^ len.wrapping_mul(P2));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_differ_by_content_length_and_seed() {
        assert_ne!(hash64(b"abc", 0), hash64(b"abd", 0));
        assert_ne!(hash64(b"abc", 0), hash64(b"abc\0", 0));
        assert_ne!(hash64(b"", 0), hash64(b"\0", 0));
        assert_ne!(hash64(b"abc", 0), hash64(b"abc", 1));
        assert_eq!(hash64(b"12345678901", 7), hash64(b"12345678901", 7));
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
