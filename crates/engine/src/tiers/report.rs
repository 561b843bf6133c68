//! The tiers' report (bounded: one row per tier, one matrix cell per pair of states) and the
//! export of every customer's tier.

use serde::{Deserialize, Serialize};

use super::analysis::{TierAnalysis, TierBase};
use super::TierParams;
use crate::table_out::TableSink;
use crate::{Dataset, Day};

/// A customer's state at the earlier date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierState {
    /// Their first purchase came later.
    NotYet,
    /// No purchase in that window.
    Inactive,
    /// This tier.
    Tier(u8),
}

/// How a customer moved between the two dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Movement {
    /// First purchase after the earlier date.
    New,
    /// A higher tier now.
    Up,
    /// The same tier.
    Same,
    /// A lower tier now.
    Down,
    /// A tier before, no purchase in the current window.
    Lapsed,
    /// No purchase in the earlier window, a tier now.
    Reactivated,
    /// No purchase in either window.
    Dormant,
}

impl Movement {
    /// Every movement, in the report's order.
    pub const ALL: [Movement; 7] = [
        Self::New,
        Self::Up,
        Self::Same,
        Self::Down,
        Self::Lapsed,
        Self::Reactivated,
        Self::Dormant,
    ];

    /// The snake_case code (band code, export, catalog key).
    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Up => "up",
            Self::Same => "same",
            Self::Down => "down",
            Self::Lapsed => "lapsed",
            Self::Reactivated => "reactivated",
            Self::Dormant => "dormant",
        }
    }

    /// The movement from `before` to `now` (`None`: inactive now).
    pub fn between(before: TierState, now: Option<u8>) -> Self {
        match (before, now) {
            (TierState::NotYet, _) => Self::New,
            (TierState::Inactive, None) => Self::Dormant,
            (TierState::Inactive, Some(_)) => Self::Reactivated,
            (TierState::Tier(_), None) => Self::Lapsed,
            (TierState::Tier(b), Some(n)) if n > b => Self::Up,
            (TierState::Tier(b), Some(n)) if n < b => Self::Down,
            (TierState::Tier(_), Some(_)) => Self::Same,
        }
    }
}

/// One tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRow {
    /// 0 = the lowest.
    pub tier: u8,
    /// Its lower bound (0 for tier 0), in the value's unit.
    pub lower: f64,
    /// The next tier's lower bound; `None` for the top tier.
    pub upper: Option<f64>,
    /// Customers in it now.
    pub customers_now: u64,
    /// Their spend in the current window (money).
    pub spend_now: f64,
    /// Its share of the active customers now.
    pub customer_share_now: f64,
    /// Its share of the current window's spend.
    pub spend_share_now: f64,
    /// Customers in it one window earlier.
    pub customers_before: u64,
    /// Their spend in the earlier window.
    pub spend_before: f64,
}

/// What the page and the CLI show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierReport {
    /// Settings used, with the thresholds applied (the suggested ones when none were given).
    pub params: TierParams,
    /// Thresholds suggested from the current spend's quantiles (50 %, 80 %, 95 %).
    pub suggested: Vec<f64>,
    /// The as-of day.
    pub as_of_day: Day,
    /// One window earlier.
    pub earlier_day: Day,
    /// Whether the file starts inside the earlier window (earlier tiers then undercount).
    pub earlier_window_partial: bool,
    /// Customers with a purchase.
    pub customers: u64,
    /// Customers with a tier now.
    pub active_now: u64,
    /// Customers with a tier one window earlier.
    pub active_before: u64,
    /// One row per tier, lowest first.
    pub tiers: Vec<TierRow>,
    /// Customers by (earlier state, state now): rows are not-yet-a-customer, inactive, then
    /// tier 0..; columns are inactive, then tier 0...
    pub matrix: Vec<Vec<u64>>,
    /// Customers per movement, in [`Movement::ALL`]'s order.
    pub movements: Vec<(Movement, u64)>,
    /// Milliseconds in the worker.
    pub elapsed_ms: f64,
}

/// The words the export writes for tiers, states and movements (the page passes its language's;
/// the default is the codes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierWords {
    /// Tier names, lowest first (codes `tier_0`… when short).
    pub tiers: Vec<String>,
    /// No purchase in the window.
    pub inactive: String,
    /// Not yet a customer.
    pub not_yet: String,
    /// Movement names in [`Movement::ALL`]'s order.
    pub movements: Vec<String>,
}

impl Default for TierWords {
    fn default() -> Self {
        Self {
            tiers: Vec::new(),
            inactive: "inactive".into(),
            not_yet: "not_yet".into(),
            movements: Movement::ALL.iter().map(|m| m.code().to_string()).collect(),
        }
    }
}

impl TierWords {
    fn tier(&self, t: u8) -> String {
        self.tiers
            .get(usize::from(t))
            .cloned()
            .unwrap_or_else(|| format!("tier_{t}"))
    }

    fn state(&self, s: TierState) -> String {
        match s {
            TierState::NotYet => self.not_yet.clone(),
            TierState::Inactive => self.inactive.clone(),
            TierState::Tier(t) => self.tier(t),
        }
    }

    fn movement(&self, m: Movement) -> String {
        self.movements
            .get(m as usize)
            .cloned()
            .unwrap_or_else(|| m.code().to_string())
    }
}

impl TierAnalysis {
    /// Writes one row per customer with a purchase, highest current spend first: `customer_id,
    /// spend_before, tier_before, spend_now, tier_now, movement` (spend in money, over the
    /// window ending at each date). Returns the rows written.
    pub fn export(
        &self,
        dataset: &Dataset,
        base: &TierBase,
        words: &TierWords,
        sink: &mut dyn TableSink,
    ) -> u64 {
        sink.header(&[
            "customer_id",
            "spend_before",
            "tier_before",
            "spend_now",
            "tier_now",
            "movement",
        ]);
        let mut order: Vec<usize> = (0..base.len()).collect();
        order.sort_by(|&a, &b| {
            base.spend_now[b]
                .total_cmp(&base.spend_now[a])
                .then(base.customer[a].cmp(&base.customer[b]))
        });
        for &i in &order {
            sink.text(dataset.customer_ids.get(base.customer[i]));
            sink.money(base.spend_before[i]);
            sink.text(&words.state(self.before[i]));
            sink.money(base.spend_now[i]);
            sink.text(&self.now[i].map_or_else(|| words.inactive.clone(), |t| words.tier(t)));
            sink.text(&words.movement(self.movement[i]));
            sink.end_row();
        }
        order.len() as u64
    }
}
