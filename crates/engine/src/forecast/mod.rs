//! Revenue forecast: weekly or monthly revenue and orders of the run's purchases, an ETS model
//! chosen by AICc for each (AutoETS, statsmodels' `ETSModel` equations, seasonal with two full
//! years of history), forecasts with 80 % and 95 % intervals, and a rolling-origin backtest
//! (MAPE, MASE) beside the seasonal-naive forecast's.
//!
//! - [`params`]: [`ForecastParams`] ([`ForecastPeriod`], horizon, backtest origins).
//! - [`ets`]: the models, their likelihood, fit, forecasts and intervals, AutoETS.
//! - [`mstl`]: MSTL (the `stlrs` crate) + a non-seasonal ETS of the seasonally adjusted series,
//!   weighed for the weekly series with a 52-week season.
//! - [`analysis`]: [`ForecastAnalysis::run`] (the definitions are in its module doc).
//! - [`report`]: [`ForecastReport`] (chart-ready, finite numbers only) and the export.

pub mod analysis;
mod errors;
pub mod ets;
pub mod existing;
pub mod mstl;
mod params;
pub mod report;

pub use analysis::{
    Backtest, ForecastAnalysis, MstlChoice, SeriesForecast, SeriesKind, MAX_HISTORY, MIN_PERIODS,
};
pub use errors::ForecastError;
pub use ets::{EtsFit, EtsParams, EtsSpec, ForecastStep};
pub use params::{ForecastParams, ForecastPeriod, MAX_HORIZON, MAX_ORIGINS};
pub use report::{ForecastPoint, ForecastReport, HistoryPoint, SeriesReport};
