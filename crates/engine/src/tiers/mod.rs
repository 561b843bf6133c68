//! Membership tiers (会员等级): each customer's tier on trailing spend at the as-of day and one
//! window earlier, how customers moved between them, and what a change of thresholds would do.
//!
//! Definitions (checked by hand in `tests/tiers.rs`):
//! - A customer's spend at day `D`: the sum of the nets of their orders ([`crate::lines`]) dated
//!   in `(D − window, D]`, `window` being [`TierParams::window_months`] calendar months (the
//!   month arithmetic clamps, e.g. 31 March − 1 month = 28/29 February); returns lower it, never
//!   below 0. Points, when asked for: spend × [`TierParams::points_per_unit`].
//! - Active at `D`: at least one purchase order in that window. An inactive customer has no tier.
//! - Tier: the number of thresholds at or below the customer's value (tier 0 below the first).
//! - The earlier date: the as-of day minus one window. A customer whose first purchase is after
//!   it is *new*; the others move *up*, *down* or stay the *same*, *lapse* (a tier before, none
//!   now), are *reactivated* (none before, a tier now) or stay *dormant* (none at either date).

mod analysis;
mod errors;
mod params;
mod report;

pub use analysis::{TierAnalysis, TierBase};
pub use errors::TierError;
pub use params::{TierParams, MAX_THRESHOLDS};
pub use report::{Movement, TierReport, TierRow, TierState, TierWords};
