//! MSTL + ETS for the weekly series with a 52-week season (ETS's own 52 seasonal states are
//! weak there: they are not estimated but taken from the average cycle, see [`super::ets`]).
//!
//! The convention of statsforecast's `MSTL` model (and of R's `forecast::stlf`):
//! - Decompose the series with MSTL (Bandara, Hyndman & Bergmeir 2021) with the one period `m`
//!   (52): `y = seasonal + trend + remainder`. The decomposition is the `stlrs` crate's
//!   (a pure-Rust port of the reference STL Fortran of Cleveland et al. 1990, no dependency,
//!   builds for wasm32), with its MSTL defaults, which are statsmodels' and R's `mstl` ones:
//!   one period → one STL pass (`iterate` 1), seasonal window `7 + 4·1 = 11`, seasonal degree
//!   0, trend and low-pass degree 1, trend window the smallest odd integer
//!   `≥ 1.5m / (1 − 1.5/11)` (91), low-pass window the smallest odd integer `> m` (53), jumps
//!   `⌈window/10⌉`, not robust (2 inner loops, no outer loop), no Box–Cox. Checked against
//!   statsmodels' `STL` with these settings by `crates/engine/tests/forecast.rs`
//!   (`tests/fixtures/forecast/make_mstl_reference.py`).
//! - Fit AutoETS *without season* ([`ets::auto`] with period 1) to the seasonally adjusted
//!   series `trend + remainder`, and forecast it.
//! - Add the seasonal component's last cycle, repeated forward, to the point forecast and to
//!   every interval bound (the seasonal part is treated as known: the intervals are the ETS
//!   part's).
//! - Season strength (Hyndman & Athanasopoulos, *FPP3* §4.3):
//!   `max(0, 1 − var(remainder) / var(seasonal + remainder))`.

use super::ets::{self, EtsFit, EtsSpec, ForecastStep};

/// The season strength at or above which the seasonality counts as strong (FPP3): the
/// analysis uses MSTL on that rule when no backtest can decide (see [`super::analysis`]).
pub const STRONG_SEASON: f64 = 0.64;

/// An additive decomposition `y = seasonal + trend + remainder` (all of `y`'s length).
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// The season length.
    pub period: usize,
    /// Seasonal component.
    pub seasonal: Vec<f64>,
    /// Trend component.
    pub trend: Vec<f64>,
    /// Remainder.
    pub remainder: Vec<f64>,
}

/// Sample variance (`n − 1`); `None` under two values.
fn variance(v: impl Iterator<Item = f64> + Clone) -> Option<f64> {
    let n = v.clone().count();
    if n < 2 {
        return None;
    }
    let mean = v.clone().sum::<f64>() / n as f64;
    Some(v.map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64)
}

impl Decomposition {
    /// `max(0, 1 − var(remainder) / var(seasonal + remainder))`; 0 when not defined.
    pub fn strength(&self) -> f64 {
        let sr = self
            .seasonal
            .iter()
            .zip(&self.remainder)
            .map(|(s, r)| s + r);
        match (variance(self.remainder.iter().copied()), variance(sr)) {
            (Some(r), Some(sr)) if sr > 0.0 => {
                let v = (1.0 - r / sr).max(0.0);
                if v.is_finite() {
                    v
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    /// The seasonally adjusted series `trend + remainder` (= `y − seasonal`).
    pub fn adjusted(&self) -> Vec<f64> {
        self.trend
            .iter()
            .zip(&self.remainder)
            .map(|(t, r)| t + r)
            .collect()
    }

    /// The seasonal component `h` periods after the last one (`h = 0` is the next period): the
    /// last cycle repeated forward.
    pub fn season_ahead(&self, h: usize) -> f64 {
        let n = self.seasonal.len();
        let m = self.period.max(1);
        n.checked_sub(m)
            .and_then(|start| self.seasonal.get(start + h % m))
            .copied()
            .unwrap_or(0.0)
    }
}

/// The MSTL decomposition of `y` with season `period` (module doc). `None` when `period < 2`,
/// `y` holds fewer than two seasons or a value that is not finite, or a component is not finite.
pub fn decompose(y: &[f64], period: usize) -> Option<Decomposition> {
    if period < 2 || y.len() < 2 * period || y.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (seasonal, trend, remainder) = stlrs::MstlParams::new()
        .fit(y, &[period])
        .ok()?
        .into_parts();
    let seasonal = seasonal.into_iter().next()?;
    let finite = |v: &[f64]| v.len() == y.len() && v.iter().all(|x| x.is_finite());
    (finite(&seasonal) && finite(&trend) && finite(&remainder)).then_some(Decomposition {
        period,
        seasonal,
        trend,
        remainder,
    })
}

/// MSTL + a non-seasonal ETS fitted to the seasonally adjusted series.
#[derive(Debug, Clone, PartialEq)]
pub struct MstlFit {
    /// The decomposition of the history.
    pub decomposition: Decomposition,
    /// The ETS model of the adjusted series.
    pub fit: EtsFit,
}

impl MstlFit {
    /// The name, e.g. `MSTL(52) + ETS(A,Ad,N)`.
    pub fn name(&self) -> String {
        format!(
            "MSTL({}) + {}",
            self.decomposition.period,
            self.fit.spec.name()
        )
    }

    /// Point forecasts of the next `horizon` periods.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        self.fit
            .forecast(horizon)
            .into_iter()
            .enumerate()
            .map(|(h, v)| v + self.decomposition.season_ahead(h))
            .collect()
    }

    /// Point forecasts and intervals: the ETS part's, shifted by the season.
    pub fn forecast_with_intervals(&self, horizon: usize) -> Vec<ForecastStep> {
        self.fit
            .forecast_with_intervals(horizon)
            .into_iter()
            .enumerate()
            .map(|(h, s)| {
                let season = self.decomposition.season_ahead(h);
                ForecastStep {
                    mean: s.mean + season,
                    lo80: s.lo80 + season,
                    hi80: s.hi80 + season,
                    lo95: s.lo95 + season,
                    hi95: s.hi95 + season,
                }
            })
            .collect()
    }
}

/// MSTL with season `period`, AutoETS without season on the adjusted series, and the forecast of
/// `horizon` periods. `None` when the decomposition or every fit fails, or a forecast number is
/// not finite.
pub fn auto(y: &[f64], period: usize, horizon: usize) -> Option<(MstlFit, Vec<ForecastStep>)> {
    let decomposition = decompose(y, period)?;
    let (fit, _) = ets::auto(&decomposition.adjusted(), 1, horizon)?;
    let model = MstlFit { decomposition, fit };
    let steps = model.forecast_with_intervals(horizon);
    let finite = steps.iter().all(|s| {
        [s.mean, s.lo80, s.hi80, s.lo95, s.hi95]
            .iter()
            .all(|v| v.is_finite())
    });
    finite.then_some((model, steps))
}

/// The model form `spec` (non-seasonal) refitted after a fresh decomposition of `y` (the
/// backtest's refit).
pub fn refit(spec: EtsSpec, y: &[f64], period: usize) -> Option<MstlFit> {
    let decomposition = decompose(y, period)?;
    let fit = ets::fit(spec, &decomposition.adjusted())?;
    Some(MstlFit { decomposition, fit })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pure_season_is_found_and_repeated_forward() {
        let season = |t: usize| 10.0 * libm::sin(std::f64::consts::TAU * (t % 52) as f64 / 52.0);
        let y: Vec<f64> = (0..156).map(|t| 100.0 + season(t)).collect();
        let d = decompose(&y, 52).unwrap_or_else(|| panic!("no decomposition"));
        assert!(d.strength() > 0.99, "{}", d.strength());
        for h in 0..52 {
            assert!((d.season_ahead(h) - season(156 + h)).abs() < 0.5, "{h}");
        }
        assert!(decompose(&y[..103], 52).is_none());
        assert!(decompose(&y, 1).is_none());
        let mut bad = y.clone();
        bad[3] = f64::NAN;
        assert!(decompose(&bad, 52).is_none());
    }
}
