//! The membership tiers' columns in the customer table (registered in `Session::column_sources`):
//! the tier now, the movement since one window earlier, and the window's spend. The tiers page's
//! lists open the table filtered on these bands.

use super::columns::{Cell, Column, ColumnKind, CustomerColumns};
use crate::tiers::{Movement, TierAnalysis, TierBase};

/// Key of the current tier's band column (codes `inactive`, `tier_0`, `tier_1`, …).
pub const TIER: &str = "tier";
/// Key of the movement's band column (codes of [`Movement::code`]).
pub const TIER_MOVEMENT: &str = "tier_movement";
/// Key of the current window's spend.
pub const TIER_SPEND: &str = "tier_spend";

/// The band code of tier `t` (`inactive` for none).
pub fn tier_code(t: Option<u8>) -> String {
    t.map_or_else(|| "inactive".to_string(), |t| format!("tier_{t}"))
}

/// Tiers joined to the table.
pub struct TierColumns<'a> {
    base: &'a TierBase,
    analysis: &'a TierAnalysis,
}

impl<'a> TierColumns<'a> {
    /// Joins `analysis` (assigned over `base`).
    pub fn new(base: &'a TierBase, analysis: &'a TierAnalysis) -> Self {
        Self { base, analysis }
    }
}

impl CustomerColumns for TierColumns<'_> {
    fn columns(&self) -> Vec<Column> {
        let tiers = self.analysis.report.tiers.len();
        let mut codes = vec![tier_code(None)];
        codes.extend((0..tiers).map(|t| tier_code(Some(t as u8))));
        vec![
            Column {
                key: TIER.into(),
                header: TIER.into(),
                kind: ColumnKind::Band { codes },
                sortable: true,
            },
            Column {
                key: TIER_MOVEMENT.into(),
                header: TIER_MOVEMENT.into(),
                kind: ColumnKind::Band {
                    codes: Movement::ALL.iter().map(|m| m.code().to_string()).collect(),
                },
                sortable: true,
            },
            Column {
                key: TIER_SPEND.into(),
                header: format!("spend_{}m", self.base.window_months),
                kind: ColumnKind::Money,
                sortable: true,
            },
        ]
    }

    fn cell(&self, customer: u32, column: usize) -> Option<Cell> {
        let row = TierAnalysis::row_of(self.base, customer)?;
        match column {
            0 => Some(Cell::Band(self.analysis.now.get(row)?.map_or(0, |t| t + 1))),
            1 => Some(Cell::Band(*self.analysis.movement.get(row)? as u8)),
            2 => self.base.spend_now.get(row).map(|&s| Cell::Number(s)),
            _ => None,
        }
    }

    fn covers(&self, customer: u32) -> bool {
        TierAnalysis::row_of(self.base, customer).is_some()
    }
}
