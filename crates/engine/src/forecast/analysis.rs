//! The revenue forecast of a run: weekly or monthly revenue and orders, an ETS model chosen by
//! AICc for each, forecasts with 80 % and 95 % intervals, and a rolling-origin backtest against
//! the seasonal-naive forecast.
//!
//! Definitions:
//! - The series are built from the RFM run's orders ([`crate::lines`]) in one pass: per period
//!   ([`super::ForecastPeriod`], the cohorts' calendar), the net revenue of the purchase orders
//!   ([`crate::lines::is_purchase`]; returns are left out) and their count. Periods without a
//!   purchase are 0.
//! - The history runs from the first period with a purchase to the last complete period. The
//!   as-of day's period is complete only when the as-of day is its last day (lines dated up to
//!   the as-of day take part); otherwise it is partial, left out of the fit and named in
//!   [`ForecastAnalysis::partial_period`]. At most [`MAX_HISTORY`] periods are kept (the
//!   latest); older purchases are counted in [`ForecastAnalysis::older_orders`]. The first period
//!   is kept even when the data starts inside it.
//! - Season: [`super::ForecastPeriod::season`] (12 for months, 52 for weeks) when the history holds two
//!   full seasons, otherwise none. Weeks use a fixed 52-week season (an ISO year with 53 weeks
//!   shifts it by one week).
//! - Model: [`ets::auto`] on each series separately (see [`super::ets`]). Weekly series with a
//!   season (at least two full 52-week seasons, i.e. ≥ 104 periods) also get MSTL + a
//!   non-seasonal AutoETS of the seasonally adjusted series ([`super::mstl`]), and the one of the
//!   two with the lower backtest MASE is kept (both backtested on the same origins with the same
//!   52-week seasonal-naive scale; a tie keeps plain AutoETS).
//!   When the backtest cannot decide (no origin leaves MSTL its two seasons of history, or a MASE
//!   is undefined), MSTL is kept when the season strength
//!   `max(0, 1 − var(remainder)/var(seasonal + remainder))` is at least 0.64
//!   ([`super::mstl::STRONG_SEASON`], Hyndman & Athanasopoulos). Monthly series use ETS's own
//!   12-period season only.
//! - Backtest: origins `o = n − h − j` for `j = 0..origins` (`n` periods of history, `h` the
//!   horizon) that leave the model enough history (`k + 2` periods, two seasons for a seasonal
//!   model); at each, the chosen model form is refitted on the first `o` periods and forecasts
//!   periods `o+1..o+h`, and so does the seasonal-naive forecast (the value one season earlier;
//!   one period earlier without season; for the weekly series that weigh MSTL, always 52 weeks
//!   earlier, for both candidates, so that their MASE share a scale). An MSTL model is refitted
//!   at each origin with a fresh decomposition of the first `o` periods. MAPE: mean of `|actual − forecast| / |actual|` over
//!   every forecast, in percent, undefined when an actual is 0. MASE: per origin the mean absolute
//!   error divided by the in-sample mean absolute seasonal-naive error of its history, averaged
//!   over the origins; undefined when that scale is 0.

use serde::{Deserialize, Serialize};

use super::ets::{self, EtsFit, ForecastStep};
use super::mstl::{self, MstlFit};
use super::{ForecastError, ForecastParams, ForecastPeriod};
use crate::lines::RunLines;
use crate::rfm::Analysis;
use crate::{Dataset, Day};

/// Fewest complete periods of history for a forecast.
pub const MIN_PERIODS: u32 = 6;
/// Most periods of history kept (five years of weeks, 21 years of months).
pub const MAX_HISTORY: usize = 260;

/// Which series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeriesKind {
    /// Net revenue of the purchase orders (currency units).
    Revenue,
    /// Number of purchase orders.
    Orders,
}

impl SeriesKind {
    /// Stable name (JSON, export column prefix).
    pub fn key(self) -> &'static str {
        match self {
            Self::Revenue => "revenue",
            Self::Orders => "orders",
        }
    }
}

/// The rolling-origin backtest of one series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// Origins scored.
    pub origins: u32,
    /// Periods forecast from each origin.
    pub horizon: u32,
    /// The seasonal-naive lag (the season; 1 without season).
    pub naive_lag: u32,
    /// The model's MAPE (percent); `None` when an actual is 0.
    pub model_mape: Option<f64>,
    /// The model's MASE; `None` when a scale is 0.
    pub model_mase: Option<f64>,
    /// The seasonal-naive MAPE (percent).
    pub naive_mape: Option<f64>,
    /// The seasonal-naive MASE.
    pub naive_mase: Option<f64>,
}

/// One series' history, model, forecast and backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesForecast {
    /// Which series.
    pub kind: SeriesKind,
    /// Its values per complete period, oldest first (from [`ForecastAnalysis::first_period`]).
    pub history: Vec<f64>,
    /// The chosen ETS model, fitted on the whole history (on the seasonally adjusted history
    /// when [`Self::mstl`] is chosen).
    pub fit: EtsFit,
    /// Its AICc (of the ETS part, on the series it was fitted to).
    pub aicc: f64,
    /// For the weekly series that weighed MSTL + ETS: that candidate and how it was judged.
    pub mstl: Option<MstlChoice>,
    /// The next `horizon` periods.
    pub forecast: Vec<ForecastStep>,
    /// The backtest; `None` with no origin or a history too short for one.
    pub backtest: Option<Backtest>,
}

/// The MSTL + ETS candidate of a weekly series and the comparison with plain AutoETS.
#[derive(Debug, Clone, PartialEq)]
pub struct MstlChoice {
    /// The candidate, fitted on the whole history.
    pub model: MstlFit,
    /// Its season strength.
    pub strength: f64,
    /// Whether it was chosen (then [`SeriesForecast::forecast`] and `backtest` are its own).
    pub chosen: bool,
    /// Its backtest MASE (52-week scale).
    pub mstl_mase: Option<f64>,
    /// Plain AutoETS's backtest MASE on the same origins and scale.
    pub plain_mase: Option<f64>,
}

impl SeriesForecast {
    /// The chosen model's name: `ETS(M,Ad,M)` or `MSTL(52) + ETS(A,Ad,N)`.
    pub fn model_name(&self) -> String {
        match &self.mstl {
            Some(c) if c.chosen => c.model.name(),
            _ => self.fit.spec.name(),
        }
    }
}

/// A forecast run.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastAnalysis {
    /// Settings used.
    pub params: ForecastParams,
    /// Period number ([`super::ForecastPeriod::index`]) of the first history period.
    pub first_period: i64,
    /// Complete periods in the history.
    pub periods: u32,
    /// The season length used (1: none).
    pub season: u32,
    /// The as-of day's period when partial and left out (its label).
    pub partial_period: Option<String>,
    /// Purchase orders in periods older than the [`MAX_HISTORY`] kept.
    pub older_orders: u64,
    /// Revenue.
    pub revenue: SeriesForecast,
    /// Orders.
    pub orders: SeriesForecast,
}

impl ForecastAnalysis {
    /// The forecast of `analysis`'s run on `dataset`.
    pub fn run(
        dataset: &Dataset,
        analysis: &Analysis,
        params: ForecastParams,
    ) -> Result<Self, ForecastError> {
        Self::from_lines(analysis.lines(dataset), analysis.report.as_of_day, params)
    }

    pub(crate) fn from_lines(
        run: RunLines<'_>,
        as_of_day: Day,
        params: ForecastParams,
    ) -> Result<Self, ForecastError> {
        let params = params.check()?;
        let period = params.period;
        let last = period.index(as_of_day);
        let partial = period.index(as_of_day.saturating_add(1)) == last;
        // Sums per period, by distance back from the as-of day's period (0 = that period).
        let mut revenue = vec![0.0f64; MAX_HISTORY + 1];
        let mut orders = vec![0u64; MAX_HISTORY + 1];
        let mut older = 0u64;
        let mut oldest_back: Option<usize> = None;
        let mut cache: (Day, i64) = (Day::MIN, 0);
        let mut by_customer = run.by_customer();
        for c in 0..by_customer.groups() {
            run.for_each_order(by_customer.of_mut(c), |_, total| {
                if !total.purchase {
                    return;
                }
                if cache.0 != total.day {
                    cache = (total.day, period.index(total.day));
                }
                let back = usize::try_from(last - cache.1).unwrap_or(usize::MAX);
                match (revenue.get_mut(back), orders.get_mut(back)) {
                    (Some(r), Some(o)) => {
                        *r += total.net;
                        *o += 1;
                        oldest_back = Some(oldest_back.map_or(back, |b| b.max(back)));
                    }
                    _ => older += 1,
                }
            });
        }
        let oldest_back = if older > 0 {
            Some(MAX_HISTORY)
        } else {
            oldest_back
        };
        let Some(oldest_back) = oldest_back else {
            return Err(ForecastError::NoPurchases);
        };
        let newest_back = usize::from(partial);
        let history_range = || (newest_back..=oldest_back).rev();
        let values_of = |v: &[f64]| -> Vec<f64> {
            history_range()
                .map(|b| v.get(b).copied().unwrap_or(0.0))
                .collect()
        };
        let revenue = values_of(&revenue);
        let orders: Vec<f64> = history_range()
            .map(|b| orders.get(b).copied().unwrap_or(0) as f64)
            .collect();
        let periods = u32::try_from(revenue.len()).unwrap_or(u32::MAX);
        if periods < MIN_PERIODS {
            return Err(ForecastError::TooShort {
                periods,
                needed: MIN_PERIODS,
                period: params.period,
            });
        }
        if params.horizon > periods {
            return Err(ForecastError::HorizonTooLong {
                horizon: params.horizon,
                history: periods,
            });
        }
        let full_season = period.season();
        let season = if revenue.len() >= 2 * full_season {
            full_season
        } else {
            1
        };
        // Weekly data with a season also weighs MSTL (module doc).
        let season_of_mstl = (period == ForecastPeriod::Week && season > 1).then_some(season);
        let revenue = series(
            SeriesKind::Revenue,
            revenue,
            season,
            season_of_mstl,
            &params,
        )?;
        let orders = series(SeriesKind::Orders, orders, season, season_of_mstl, &params)?;
        Ok(Self {
            params,
            first_period: last - oldest_back as i64,
            periods,
            season: season as u32,
            partial_period: partial.then(|| period.label(last)),
            older_orders: older,
            revenue,
            orders,
        })
    }

    /// The label of history period `i` (0 = the first) or of forecast step `i − periods`.
    pub fn label(&self, i: usize) -> String {
        self.params.period.label(self.first_period + i as i64)
    }
}

/// Fits, forecasts and backtests one series; with `mstl_season`, also MSTL + ETS, the better of
/// the two kept (module doc).
fn series(
    kind: SeriesKind,
    history: Vec<f64>,
    season: usize,
    mstl_season: Option<usize>,
    params: &ForecastParams,
) -> Result<SeriesForecast, ForecastError> {
    let horizon = params.horizon as usize;
    let origins = params.backtest_origins as usize;
    // The backtest looks at most a quarter of the history ahead, so that its origins keep three
    // quarters of it to train on (24 months: 6 months ahead from 14–18 months of training).
    let bt_horizon = horizon.min((history.len() / 4).max(1));
    let plain = ets::auto(&history, season, horizon);
    let candidate = mstl_season.and_then(|m| mstl::auto(&history, m, horizon).map(|c| (m, c)));
    let Some((m, (model, steps))) = candidate else {
        let (fit, forecast) = plain.ok_or(ForecastError::NoFit { series: kind })?;
        let aicc = fit.aicc();
        let backtest = ets_backtest(&history, &fit, bt_horizon, origins, fit.spec.m());
        return Ok(SeriesForecast {
            kind,
            history,
            fit,
            aicc,
            mstl: None,
            forecast,
            backtest,
        });
    };
    let strength = model.decomposition.strength();
    let mstl_backtest = {
        let spec = model.fit.spec;
        let min_train = (spec.parameter_count() + 2).max(2 * m);
        backtest(&history, bt_horizon, origins, m, min_train, |train| {
            mstl::refit(spec, train, m).map(|f| f.forecast(bt_horizon))
        })
    };
    let plain_backtest = plain
        .as_ref()
        .and_then(|(fit, _)| ets_backtest(&history, fit, bt_horizon, origins, m));
    let mstl_mase = mstl_backtest.and_then(|b| b.model_mase);
    let plain_mase = plain_backtest.and_then(|b| b.model_mase);
    let chosen = match (&plain, mstl_mase, plain_mase) {
        (None, _, _) => true,
        (Some(_), Some(a), Some(b)) => a < b,
        (Some(_), _, _) => strength >= mstl::STRONG_SEASON,
    };
    let choice = |chosen| MstlChoice {
        model: model.clone(),
        strength,
        chosen,
        mstl_mase,
        plain_mase,
    };
    match plain {
        Some((fit, forecast)) if !chosen => {
            // Too short for a 52-week seasonal-naive comparison (origins need two seasons of
            // training): the plain model's own backtest, against its own naive lag.
            let backtest = plain_backtest
                .or_else(|| ets_backtest(&history, &fit, bt_horizon, origins, fit.spec.m()));
            Ok(SeriesForecast {
                kind,
                history,
                aicc: fit.aicc(),
                fit,
                mstl: Some(choice(false)),
                forecast,
                backtest,
            })
        }
        _ => Ok(SeriesForecast {
            kind,
            history,
            aicc: model.fit.aicc(),
            fit: model.fit.clone(),
            mstl: Some(choice(true)),
            forecast: steps,
            backtest: mstl_backtest,
        }),
    }
}

/// Running sums of one forecaster's backtest errors.
#[derive(Default)]
struct Scores {
    ape: f64,
    ape_defined: bool,
    points: usize,
    scaled: f64,
    scaled_defined: bool,
}

impl Scores {
    fn new() -> Self {
        Self {
            ape_defined: true,
            scaled_defined: true,
            ..Self::default()
        }
    }

    /// Adds one origin's forecasts of `actual` with in-sample scale `scale`.
    fn add(&mut self, actual: &[f64], forecast: &[f64], scale: f64) {
        let mut abs = 0.0;
        for (&a, &f) in actual.iter().zip(forecast) {
            let e = (a - f).abs();
            abs += e;
            if a == 0.0 {
                self.ape_defined = false;
            } else {
                self.ape += e / a.abs();
            }
            self.points += 1;
        }
        if scale > 0.0 && !actual.is_empty() {
            self.scaled += abs / actual.len() as f64 / scale;
        } else {
            self.scaled_defined = false;
        }
    }

    fn mape(&self) -> Option<f64> {
        let v = 100.0 * self.ape / self.points as f64;
        (self.ape_defined && self.points > 0 && v.is_finite()).then_some(v)
    }

    fn mase(&self, origins: usize) -> Option<f64> {
        let v = self.scaled / origins as f64;
        (self.scaled_defined && origins > 0 && v.is_finite()).then_some(v)
    }
}

/// The rolling-origin backtest (module doc) of `fit`'s model form on `y`, scaled by the
/// seasonal-naive forecast of lag `lag`.
fn ets_backtest(
    y: &[f64],
    fit: &EtsFit,
    horizon: usize,
    origins: usize,
    lag: usize,
) -> Option<Backtest> {
    let spec = fit.spec;
    let min_train = (spec.parameter_count() + 2).max(2 * spec.m());
    backtest(y, horizon, origins, lag, min_train, |train| {
        ets::fit(spec, train).map(|f| f.forecast(horizon))
    })
}

/// The rolling-origin backtest (module doc) of `forecaster` (the `horizon` forecasts after a
/// training prefix; `None` when it cannot fit one) on `y`, against the seasonal-naive forecast of
/// lag `lag`; origins stop below `min_train` periods (and below `2·lag`).
fn backtest(
    y: &[f64],
    horizon: usize,
    origins: usize,
    lag: usize,
    min_train: usize,
    mut forecaster: impl FnMut(&[f64]) -> Option<Vec<f64>>,
) -> Option<Backtest> {
    let n = y.len();
    let lag = lag.max(1);
    let min_train = min_train.max(2 * lag);
    let (mut model, mut naive) = (Scores::new(), Scores::new());
    let mut scored = 0usize;
    let mut naive_forecast = Vec::with_capacity(horizon);
    for j in 0..origins {
        let Some(o) = n.checked_sub(horizon + j) else {
            break;
        };
        if o < min_train {
            break;
        }
        let (Some(train), Some(actual)) = (y.get(..o), y.get(o..o + horizon)) else {
            continue;
        };
        let Some(forecast) = forecaster(train) else {
            continue;
        };
        naive_forecast.clear();
        naive_forecast.extend((0..horizon).map(|h| {
            // The value of the same season in the last observed cycle.
            let back = lag - (h % lag);
            train.get(o - back).copied().unwrap_or(0.0)
        }));
        let scale = train
            .iter()
            .zip(train.iter().skip(lag))
            .map(|(a, b)| (b - a).abs())
            .sum::<f64>()
            / (o - lag) as f64;
        model.add(actual, &forecast, scale);
        naive.add(actual, &naive_forecast, scale);
        scored += 1;
    }
    (scored > 0).then(|| Backtest {
        origins: scored as u32,
        horizon: horizon as u32,
        naive_lag: lag as u32,
        model_mape: model.mape(),
        model_mase: model.mase(scored),
        naive_mape: naive.mape(),
        naive_mase: naive.mase(scored),
    })
}
