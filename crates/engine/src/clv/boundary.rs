//! Limits of the models' parameter spaces that a fit can run into, and how they are detected.
//!
//! Ordinary files reach them: customers who buy steadily make the purchase rates look the same
//! for everyone (BG/NBD and Pareto/NBD `r, α → ∞`), customers who never stop make dropout vanish
//! (`a → 0`, `s → 0`), equal order values make spend homogeneous (Gamma-Gamma `q → ∞`). There the
//! likelihood keeps rising towards the limit, so an unbounded fit wanders to 1e12 and beyond. The
//! fits bound each parameter (see `optimize::maximise_over_log_parameters`): past a bound a penalty
//! holds the parameter, which leaves the limiting model (one Poisson rate, no dropout, one spend
//! scale) for all practical purposes. A fit that ends within [`NEAR_BOUND`] of a bound reports the
//! limit as a [`Boundary`], so the page and the CLI can say which simplification the data chose.

use serde::{Deserialize, Serialize};

/// A fitted parameter within this factor of its bound is reported as at the limit.
pub const NEAR_BOUND: f64 = 10.0;

/// A limit of the parameter space that a fit reached.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Boundary {
    /// Purchase rates do not vary between customers (`r`, `α` → ∞): one Poisson rate.
    NoRateHeterogeneity,
    /// Nobody drops out (BG/NBD `a` → 0; Pareto/NBD `s` → 0 or `β` → ∞).
    NoDropout,
    /// Dropout does not vary between customers (BG/NBD `a`, `b` → ∞; Pareto/NBD `s`, `β` → ∞).
    NoDropoutHeterogeneity,
    /// Spend does not vary between customers (Gamma-Gamma `q`, `v` → ∞): one spend scale.
    NoSpendHeterogeneity,
    /// Another parameter reached its bound.
    ParameterAtBound {
        /// The parameter (`r`, `alpha`, `a`, `b`, `s`, `beta`, `p`, `q`, `v`).
        parameter: String,
    },
}

/// Which bound a parameter ended near.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Low,
    High,
}

/// For each parameter, the side of its bound it ended near (within [`NEAR_BOUND`]), if any.
pub(crate) fn near_bounds<const N: usize>(
    params: [f64; N],
    bounds: [(f64, f64); N],
) -> [Option<Side>; N] {
    let mut sides = [None; N];
    for ((side, value), (low, high)) in sides.iter_mut().zip(params).zip(bounds) {
        if value <= low * NEAR_BOUND {
            *side = Some(Side::Low);
        } else if value >= high / NEAR_BOUND {
            *side = Some(Side::High);
        }
    }
    sides
}

/// The boundaries of one fit. A parameter near a bound is skipped when `covered` says another
/// parameter's limit explains it (`(index, side, by index, by side)`: α follows r to ∞); otherwise
/// `named` maps its (index, side) to a named limit, and any other becomes
/// [`Boundary::ParameterAtBound`]. Sorted and distinct.
pub(crate) fn classify<const N: usize>(
    names: [&str; N],
    sides: [Option<Side>; N],
    named: &[(usize, Side, Boundary)],
    covered: &[(usize, Side, usize, Side)],
) -> Vec<Boundary> {
    let mut found = Vec::new();
    for (index, side) in sides.iter().enumerate() {
        let Some(side) = *side else { continue };
        let explained = covered.iter().any(|&(i, s, by, by_side)| {
            i == index && s == side && sides.get(by).copied().flatten() == Some(by_side)
        });
        if explained {
            continue;
        }
        match named.iter().find(|(i, s, _)| *i == index && *s == side) {
            Some((_, _, boundary)) => found.push(boundary.clone()),
            None => found.push(Boundary::ParameterAtBound {
                parameter: names.get(index).copied().unwrap_or("?").to_string(),
            }),
        }
    }
    found.sort();
    found.dedup();
    found
}
