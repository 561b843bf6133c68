//! Kaplan–Meier survival curves of right-censored durations, with lifelines' conventions: ties
//! of events and censorings at one time count the censored as at risk at that time, and the
//! q-th survival time is the first time where S(t) ≤ q (none when S never falls that far).

use serde::{Deserialize, Serialize};

/// A fitted Kaplan–Meier curve: S(t) just after each distinct event time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct KaplanMeier {
    /// Distinct event times, ascending.
    pub times: Vec<f64>,
    /// S(t) at each of `times`.
    pub survival: Vec<f64>,
    /// Spells at risk just before each of `times`.
    pub at_risk: Vec<u64>,
    /// Spells observed.
    pub spells: u64,
    /// Events among them (the rest are censored).
    pub events: u64,
}

impl KaplanMeier {
    /// Fits the curve of `spells` (duration, event observed); sorts them.
    pub fn fit(spells: &mut [(u32, bool)]) -> Self {
        spells.sort_unstable();
        let mut km = Self {
            spells: spells.len() as u64,
            events: spells.iter().filter(|s| s.1).count() as u64,
            ..Self::default()
        };
        let mut at_risk = spells.len() as u64;
        let mut s = 1.0;
        let mut i = 0;
        while i < spells.len() {
            let t = spells.get(i).map_or(0, |x| x.0);
            let (mut events, mut all) = (0u64, 0u64);
            while let Some(&(d, e)) = spells.get(i) {
                if d != t {
                    break;
                }
                events += u64::from(e);
                all += 1;
                i += 1;
            }
            if events > 0 {
                s *= 1.0 - events as f64 / at_risk as f64;
                km.times.push(f64::from(t));
                km.survival.push(s);
                km.at_risk.push(at_risk);
            }
            at_risk -= all;
        }
        km
    }

    /// The first time where S(t) ≤ `q`; `None` when it never gets that low.
    pub fn quantile_time(&self, q: f64) -> Option<f64> {
        self.survival
            .iter()
            .position(|&s| s <= q)
            .and_then(|i| self.times.get(i).copied())
    }

    /// The median time (S ≤ 0.5).
    pub fn median(&self) -> Option<f64> {
        self.quantile_time(0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_textbook_curve() {
        // Durations 1, 2+, 3, 3, 4+, 5 (+ = censored): S(1) = 5/6, S(3) = 5/6 · (1 − 2/4) = 5/12,
        // S(5) = 0.
        let mut spells = vec![
            (3, true),
            (1, true),
            (2, false),
            (3, true),
            (4, false),
            (5, true),
        ];
        let km = KaplanMeier::fit(&mut spells);
        assert_eq!(km.times, vec![1.0, 3.0, 5.0]);
        assert!((km.survival[0] - 5.0 / 6.0).abs() < 1e-12);
        assert!((km.survival[1] - 5.0 / 12.0).abs() < 1e-12);
        assert_eq!(km.survival[2], 0.0);
        assert_eq!(km.at_risk, vec![6, 4, 1]);
        assert_eq!(km.median(), Some(3.0));
        assert_eq!(km.quantile_time(0.9), Some(1.0));
        let mut censored = vec![(4, false), (9, false)];
        assert_eq!(KaplanMeier::fit(&mut censored).median(), None);
    }
}
