//! The eleven named RFM segments and the grid that assigns every (R, F, M) score triple to one.

use serde::{Deserialize, Serialize};

/// The widely used named RFM segments, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    /// Bought recently, buy often, spend the most.
    Champions,
    /// Buy often and spend well, responsive to promotions.
    LoyalCustomers,
    /// Recent customers with average frequency who spent a good amount.
    PotentialLoyalists,
    /// Bought most recently, but only once.
    NewCustomers,
    /// Fairly recent, low frequency and spend.
    Promising,
    /// Average recency, frequency and spend.
    NeedAttention,
    /// Below-average recency, low frequency and spend.
    AboutToSleep,
    /// Used to buy often and spend well, but long ago.
    AtRisk,
    /// Were among the best (frequent, high spend) and have not come back for a long time.
    CantLoseThem,
    /// Last purchase long ago, few orders, low spend.
    Hibernating,
    /// The lowest recency, frequency and spend.
    Lost,
}

impl Segment {
    /// All segments, best first (the order of tables and charts).
    pub const ALL: [Segment; 11] = [
        Self::Champions,
        Self::LoyalCustomers,
        Self::PotentialLoyalists,
        Self::NewCustomers,
        Self::Promising,
        Self::NeedAttention,
        Self::AboutToSleep,
        Self::AtRisk,
        Self::CantLoseThem,
        Self::Hibernating,
        Self::Lost,
    ];

    /// Stable snake_case name for CSV and JSON ("champions", "cant_lose_them", ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Champions => "champions",
            Self::LoyalCustomers => "loyal_customers",
            Self::PotentialLoyalists => "potential_loyalists",
            Self::NewCustomers => "new_customers",
            Self::Promising => "promising",
            Self::NeedAttention => "need_attention",
            Self::AboutToSleep => "about_to_sleep",
            Self::AtRisk => "at_risk",
            Self::CantLoseThem => "cant_lose_them",
            Self::Hibernating => "hibernating",
            Self::Lost => "lost",
        }
    }

    /// Parses [`Segment::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name.trim())
    }

    /// Position in [`Segment::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Maps each of the 125 (R, F, M) score triples (scores 1..=5) to one segment.
///
/// The default follows the common "R × FM" scheme: FM is the mean of the F and M scores, rounded
/// half up, and the segment is read from this table (rows R, columns FM):
///
/// | R \ FM | 1 | 2 | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | 5 | New Customers | Potential Loyalists | Potential Loyalists | Champions | Champions |
/// | 4 | Promising | Potential Loyalists | Potential Loyalists | Loyal Customers | Loyal Customers |
/// | 3 | About to Sleep | About to Sleep | Need Attention | Loyal Customers | Loyal Customers |
/// | 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
/// | 1 | Lost | Lost | At Risk | At Risk | Can't Lose Them |
///
/// Every cell is one segment, so the grid is complete with no overlaps; users can reassign cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentGrid {
    /// Index `(r-1)*25 + (f-1)*5 + (m-1)`.
    cells: Vec<Segment>,
}

impl Default for SegmentGrid {
    fn default() -> Self {
        use Segment::*;
        // Rows R = 1..=5, columns FM = 1..=5.
        const BY_R_FM: [[Segment; 5]; 5] = [
            [Lost, Lost, AtRisk, AtRisk, CantLoseThem],
            [Hibernating, Hibernating, AtRisk, AtRisk, CantLoseThem],
            [
                AboutToSleep,
                AboutToSleep,
                NeedAttention,
                LoyalCustomers,
                LoyalCustomers,
            ],
            [
                Promising,
                PotentialLoyalists,
                PotentialLoyalists,
                LoyalCustomers,
                LoyalCustomers,
            ],
            [
                NewCustomers,
                PotentialLoyalists,
                PotentialLoyalists,
                Champions,
                Champions,
            ],
        ];
        let mut cells = Vec::with_capacity(125);
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for m in 1..=5u8 {
                    let fm = (f + m).div_ceil(2);
                    cells.push(BY_R_FM[usize::from(r - 1)][usize::from(fm - 1)]);
                }
            }
        }
        Self { cells }
    }
}

impl SegmentGrid {
    fn index(r: u8, f: u8, m: u8) -> Option<usize> {
        let ok = |s: u8| (1..=5).contains(&s);
        (ok(r) && ok(f) && ok(m))
            .then(|| usize::from(r - 1) * 25 + usize::from(f - 1) * 5 + usize::from(m - 1))
    }

    /// The segment of a score triple; `None` when a score is outside 1..=5.
    pub fn segment(&self, r: u8, f: u8, m: u8) -> Option<Segment> {
        Self::index(r, f, m).and_then(|i| self.cells.get(i).copied())
    }

    /// Reassigns one cell; returns false (and changes nothing) when a score is outside 1..=5.
    pub fn set(&mut self, r: u8, f: u8, m: u8, segment: Segment) -> bool {
        match Self::index(r, f, m).and_then(|i| self.cells.get_mut(i)) {
            Some(cell) => {
                *cell = segment;
                true
            }
            None => false,
        }
    }

    /// True when the grid has exactly 125 cells (a deserialized grid may not).
    pub fn is_complete(&self) -> bool {
        self.cells.len() == 125
    }

    /// How many of the 125 cells each segment owns, in [`Segment::ALL`] order.
    pub fn cells_per_segment(&self) -> [usize; 11] {
        let mut counts = [0; 11];
        for s in &self.cells {
            if let Some(c) = counts.get_mut(s.index()) {
                *c += 1;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grid_maps_all_125_triples_and_every_segment_gets_cells() {
        let grid = SegmentGrid::default();
        assert!(grid.is_complete());
        let mut seen = std::collections::BTreeMap::new();
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    let s = grid.segment(r, f, m).expect("every triple maps");
                    *seen.entry(s).or_insert(0) += 1;
                }
            }
        }
        assert_eq!(seen.values().sum::<i32>(), 125);
        for s in Segment::ALL {
            assert!(seen.get(&s).copied().unwrap_or(0) > 0, "{s:?} owns no cell");
        }
        assert_eq!(grid.cells_per_segment().iter().sum::<usize>(), 125);
    }

    #[test]
    fn default_grid_matches_the_documented_table() {
        let g = SegmentGrid::default();
        assert_eq!(g.segment(5, 5, 5), Some(Segment::Champions));
        assert_eq!(g.segment(5, 1, 1), Some(Segment::NewCustomers));
        assert_eq!(g.segment(4, 1, 1), Some(Segment::Promising));
        assert_eq!(g.segment(1, 1, 1), Some(Segment::Lost));
        assert_eq!(g.segment(2, 1, 2), Some(Segment::Hibernating));
        assert_eq!(g.segment(1, 5, 5), Some(Segment::CantLoseThem));
        assert_eq!(g.segment(2, 3, 4), Some(Segment::AtRisk)); // FM = 4 (3.5 rounds up)
        assert_eq!(g.segment(3, 3, 3), Some(Segment::NeedAttention));
        assert_eq!(g.segment(3, 2, 1), Some(Segment::AboutToSleep)); // FM = 2 (1.5 rounds up)
        assert_eq!(g.segment(3, 5, 4), Some(Segment::LoyalCustomers));
        assert_eq!(g.segment(4, 3, 2), Some(Segment::PotentialLoyalists));
    }

    #[test]
    fn scores_outside_one_to_five_are_refused() {
        let mut g = SegmentGrid::default();
        assert_eq!(g.segment(0, 1, 1), None);
        assert_eq!(g.segment(1, 6, 1), None);
        assert!(!g.set(6, 1, 1, Segment::Lost));
        assert!(g.set(1, 1, 1, Segment::Champions));
        assert_eq!(g.segment(1, 1, 1), Some(Segment::Champions));
    }

    #[test]
    fn names_round_trip() {
        for s in Segment::ALL {
            assert_eq!(Segment::from_name(s.name()), Some(s));
        }
    }
}
