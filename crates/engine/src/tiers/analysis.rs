//! Trailing spend per customer at two dates (the base, computed once per run and window) and
//! the tiers of one set of thresholds (cheap: a threshold change re-assigns without reading a
//! line).

use chrono::Months;

use super::report::{Movement, TierReport, TierRow, TierState};
use super::{TierError, TierParams};
use crate::lines::RunLines;
use crate::rfm::Analysis;
use crate::{calendar, Dataset, Day};

/// Quantiles of the current spend the suggested thresholds sit at (four tiers).
const SUGGESTED_QUANTILES: [f64; 3] = [0.5, 0.8, 0.95];

/// Each customer's trailing spend at the as-of day and one window earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierBase {
    /// The window, in calendar months.
    pub window_months: u32,
    /// The as-of day.
    pub as_of_day: Day,
    /// The as-of day minus one window.
    pub earlier_day: Day,
    /// The first day of the run's lines.
    pub first_day: Day,
    /// Customer indexes (into `Dataset::customer_ids`) with a purchase, ascending.
    pub customer: Vec<u32>,
    /// Their first purchase day.
    pub first_purchase: Vec<Day>,
    /// Net spend in `(as_of − window, as_of]`, at least 0.
    pub spend_now: Vec<f64>,
    /// Whether they have a purchase order in that window.
    pub active_now: Vec<bool>,
    /// Net spend in `(earlier − window, earlier]`, at least 0.
    pub spend_before: Vec<f64>,
    /// Whether they have a purchase order in that window.
    pub active_before: Vec<bool>,
}

/// `day` minus `months` calendar months (clamped to the month's end); `None` off the calendar.
fn months_before(day: Day, months: u32) -> Option<Day> {
    calendar::date_of(day)?
        .checked_sub_months(Months::new(months))
        .map(calendar::day_of)
}

impl TierBase {
    /// The trailing spends of `analysis`'s run on `dataset`.
    pub fn build(
        dataset: &Dataset,
        analysis: &Analysis,
        window_months: u32,
    ) -> Result<Self, TierError> {
        TierParams {
            window_months,
            ..TierParams::default()
        }
        .check()?;
        Self::from_lines(
            analysis.lines(dataset),
            analysis.report.as_of_day,
            window_months,
        )
    }

    pub(crate) fn from_lines(
        run: RunLines<'_>,
        as_of_day: Day,
        window_months: u32,
    ) -> Result<Self, TierError> {
        let invalid = TierError::InvalidWindow {
            months: window_months,
        };
        let earlier_day = months_before(as_of_day, window_months).ok_or(invalid.clone())?;
        let before_start = months_before(earlier_day, window_months).ok_or(invalid)?;
        let mut base = Self {
            window_months,
            as_of_day,
            earlier_day,
            first_day: as_of_day,
            customer: Vec::new(),
            first_purchase: Vec::new(),
            spend_now: Vec::new(),
            active_now: Vec::new(),
            spend_before: Vec::new(),
            active_before: Vec::new(),
        };
        let mut by_customer = run.by_customer();
        for c in 0..by_customer.groups() {
            let (mut now, mut before) = (0.0, 0.0);
            let (mut active_now, mut active_before) = (false, false);
            let mut first: Option<Day> = None;
            run.for_each_order(by_customer.of_mut(c), |_, total| {
                base.first_day = base.first_day.min(total.day);
                if total.purchase {
                    first = Some(first.map_or(total.day, |f: Day| f.min(total.day)));
                }
                if total.day > earlier_day && total.day <= as_of_day {
                    now += total.net;
                    active_now |= total.purchase;
                }
                if total.day > before_start && total.day <= earlier_day {
                    before += total.net;
                    active_before |= total.purchase;
                }
            });
            let Some(first) = first else { continue };
            base.customer.push(c as u32);
            base.first_purchase.push(first);
            base.spend_now.push(f64::max(now, 0.0));
            base.active_now.push(active_now);
            base.spend_before.push(f64::max(before, 0.0));
            base.active_before.push(active_before);
        }
        Ok(base)
    }

    /// Customers with a purchase.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// True when nobody has a purchase.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// Thresholds at [`SUGGESTED_QUANTILES`] of the current values (spend × `rate`) of the
    /// active customers, rounded to two significant digits and kept strictly increasing.
    pub fn suggest(&self, rate: f64) -> Result<Vec<f64>, TierError> {
        let mut values: Vec<f64> = self
            .spend_now
            .iter()
            .zip(&self.active_now)
            .filter(|(_, &a)| a)
            .map(|(&s, _)| s * rate)
            .collect();
        if values.is_empty() {
            return Err(TierError::NoSpend);
        }
        values.sort_by(f64::total_cmp);
        let mut out: Vec<f64> = Vec::new();
        for q in SUGGESTED_QUANTILES {
            let t = nice(crate::stats::quantile_sorted(&values, q).unwrap_or(0.0));
            if t > 0.0 && out.last().is_none_or(|&l| t > l) {
                out.push(t);
            }
        }
        if out.is_empty() {
            // Everybody's spend is 0 (free orders): one threshold above it.
            out.push(1.0);
        }
        Ok(out)
    }
}

/// `v` rounded to two significant digits (1234 → 1200, 0.0456 → 0.046).
fn nice(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 0.0;
    }
    let magnitude = 10f64.powi(v.log10().floor() as i32 - 1);
    (v / magnitude).round() * magnitude
}

/// The tiers of one set of thresholds over a [`TierBase`].
#[derive(Debug, Clone, PartialEq)]
pub struct TierAnalysis {
    /// The report.
    pub report: TierReport,
    /// Per base row: the tier now (`None`: inactive).
    pub now: Vec<Option<u8>>,
    /// Per base row: the state one window earlier.
    pub before: Vec<TierState>,
    /// Per base row: the movement.
    pub movement: Vec<Movement>,
}

impl TierAnalysis {
    /// Assigns the tiers of `params` (its thresholds, or suggested ones when empty) over `base`
    /// (built with the same window).
    pub fn assign(base: &TierBase, params: &TierParams) -> Result<Self, TierError> {
        params.check()?;
        let rate = params.points_per_unit.unwrap_or(1.0);
        let suggested = base.suggest(rate)?;
        let thresholds = if params.thresholds.is_empty() {
            suggested.clone()
        } else {
            params.thresholds.clone()
        };
        let tier_of = |spend: f64| -> u8 {
            let value = spend * rate;
            thresholds.iter().take_while(|&&t| t <= value).count() as u8
        };
        let tiers = thresholds.len() + 1;
        // Matrix rows: not yet a customer, inactive, tier 0..; columns: inactive, tier 0...
        let mut matrix = vec![vec![0u64; tiers + 1]; tiers + 2];
        let mut rows: Vec<TierRow> = (0..tiers)
            .map(|t| TierRow {
                tier: t as u8,
                lower: if t == 0 { 0.0 } else { thresholds[t - 1] },
                upper: thresholds.get(t).copied(),
                customers_now: 0,
                spend_now: 0.0,
                customer_share_now: 0.0,
                spend_share_now: 0.0,
                customers_before: 0,
                spend_before: 0.0,
            })
            .collect();
        let n = base.len();
        let (mut now, mut before, mut movement) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut movements = [0u64; Movement::ALL.len()];
        for i in 0..n {
            let t_now = base.active_now[i].then(|| tier_of(base.spend_now[i]));
            let t_before = if base.first_purchase[i] > base.earlier_day {
                TierState::NotYet
            } else if base.active_before[i] {
                TierState::Tier(tier_of(base.spend_before[i]))
            } else {
                TierState::Inactive
            };
            let m = Movement::between(t_before, t_now);
            if let Some(t) = t_now {
                let row = &mut rows[usize::from(t)];
                row.customers_now += 1;
                row.spend_now += base.spend_now[i];
            }
            if let TierState::Tier(t) = t_before {
                let row = &mut rows[usize::from(t)];
                row.customers_before += 1;
                row.spend_before += base.spend_before[i];
            }
            let r = match t_before {
                TierState::NotYet => 0,
                TierState::Inactive => 1,
                TierState::Tier(t) => 2 + usize::from(t),
            };
            let c = t_now.map_or(0, |t| 1 + usize::from(t));
            matrix[r][c] += 1;
            movements[m as usize] += 1;
            now.push(t_now);
            before.push(t_before);
            movement.push(m);
        }
        let active_now: u64 = rows.iter().map(|r| r.customers_now).sum();
        let spend_now: f64 = rows.iter().map(|r| r.spend_now).sum();
        for r in &mut rows {
            r.customer_share_now = share(r.customers_now as f64, active_now as f64);
            r.spend_share_now = share(r.spend_now, spend_now);
        }
        let before_start = months_before(base.earlier_day, base.window_months);
        let report = TierReport {
            params: TierParams {
                thresholds,
                ..params.clone()
            },
            suggested,
            as_of_day: base.as_of_day,
            earlier_day: base.earlier_day,
            earlier_window_partial: before_start.is_none_or(|s| base.first_day > s + 1),
            customers: n as u64,
            active_now,
            active_before: rows.iter().map(|r| r.customers_before).sum(),
            tiers: rows,
            matrix,
            movements: Movement::ALL
                .iter()
                .map(|&m| (m, movements[m as usize]))
                .collect(),
            elapsed_ms: 0.0,
        };
        Ok(Self {
            report,
            now,
            before,
            movement,
        })
    }

    /// The base row of customer index `customer` (base rows are sorted by it).
    pub fn row_of(base: &TierBase, customer: u32) -> Option<usize> {
        base.customer.binary_search(&customer).ok()
    }
}

/// `part / whole`, 0 when the whole is 0.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_keeps_two_digits() {
        assert_eq!(nice(1234.0), 1200.0);
        assert_eq!(nice(96.0), 96.0);
        assert_eq!(nice(0.0), 0.0);
        assert!((nice(0.0456) - 0.046).abs() < 1e-12);
    }

    #[test]
    fn months_clamp_at_the_month_end() {
        let d = |y, m, dd| calendar::day_from_ymd(y, m, dd).unwrap();
        assert_eq!(months_before(d(2024, 3, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(months_before(d(2024, 3, 31), 12), Some(d(2023, 3, 31)));
    }
}
