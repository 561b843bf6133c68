//! Exponential smoothing state-space models (ETS) and their automatic choice (AutoETS).
//!
//! Why hand-written and not the `augurs` crate (measured 2026-12, `augurs-ets` 0.10.3 added to
//! this crate): `cargo build -p segscope-engine --target wasm32-unknown-unknown` fails — it pulls
//! `rand` 0.8 → `rand_core` 0.6 → `getrandom` 0.2, which refuses wasm32-unknown-unknown unless its
//! `js` feature (wasm-bindgen, a web crate `tests/purity.rs` forbids) is on; it also brings
//! nalgebra, simba, wide, lstsq, tracing and three versions of glam (about 40 crates), and its own
//! documentation says "Seasonal models are not yet implemented", while monthly revenue needs
//! them. No other pure crate gives ETS with seasons, likelihood and intervals, so the models are
//! written here (the models, their intervals, AutoETS and a Nelder–Mead optimiser).
//!
//! The models are statsmodels' `ETSModel` (0.15), reproduced step for step so the two agree to
//! rounding (checked by `crates/engine/tests/forecast.rs` against
//! `tests/fixtures/forecast/make_reference.py`):
//! - error additive or multiplicative; trend none, additive or additive damped; season none,
//!   additive or multiplicative with period `m`.
//! - The recursions are statsmodels' `_ets_smooth` ones (Hyndman et al.'s state-space form written
//!   with `β* = β/α`, `γ* = γ/(1−α)`): with `l` level, `b` trend, `s` the season of this step
//!   (`m` steps back), `φ` damping (1 without damping), `p = l + φb`:
//!   fitted `ŷ = p + s` (additive season) or `p·s` (multiplicative);
//!   `l' = α(y − s) + (1−α)p` or `α·y/s + (1−α)p`; `b' = β*(l' − l) + (1−β*)φb`;
//!   `s' = γ*(y − l') + (1−γ*)s` or `γ*·y/l' + (1−γ*)s`.
//!   The point forecast `h` steps ahead is `(l + (φ + … + φʰ)b)` with the season of that step.
//! - Log-likelihood (concentrated variance): `−n/2·(ln(2π·mean(r²)) + 1) − Σ ln|ŷ|`, the last sum
//!   only for a multiplicative error, where the residual `r` is `(y − ŷ)/ŷ` (else `y − ŷ`).
//!   `k` = the smoothing parameters (+ φ) + the initial states (level, trend, all `m` seasons —
//!   statsmodels counts the one it pins) + 1 for the variance; `AIC = −2ℓ + 2k`,
//!   `AICc = −2ℓ + 2kn/(n − k − 1)`, `BIC = −2ℓ + k·ln n`.
//! - Bounds (statsmodels' defaults): `α, β*, γ* ∈ [10⁻⁴, 1 − 10⁻⁴]`, `φ ∈ [0.8, 0.98]`; the
//!   season of the first observation is pinned to 0 (additive) or 1 (multiplicative).
//! - Estimation: maximum likelihood over the smoothing parameters and the initial states with
//!   Nelder–Mead (bounded parameters through a logistic map, restarted until it stops improving)
//!   — statsmodels uses L-BFGS-B with numerical gradients; both are local, ours reaches its
//!   likelihood or better on the reference series. With a period above
//!   [`MAX_ESTIMATED_SEASONS`] (weeks: 52) the initial seasons are not estimated but taken from
//!   the history's average cycle (estimating 52 states by likelihood is neither stable nor fast);
//!   they still count in `k`.
//! - Intervals: the analytic variance for the six additive-error models with a closed form
//!   (Hyndman & Athanasopoulos, statsmodels' `_relative_forecast_variance`) times `mean(r²)`;
//!   otherwise [`SIMULATED_PATHS`] simulated paths with normal errors (seeded, so deterministic),
//!   and their type-7 quantiles, as statsmodels' `simulate`.
//! - AutoETS ([`auto`]): the candidates of R's `forecast::ets` with its default restrictions (no
//!   additive error with a multiplicative season; multiplicative parts only for a positive
//!   series), fitted each, the lowest AICc kept.
//!
//! Hand-written numerics (optimiser, normal deviates): the engine keeps its dependency tree pure
//! and small (see above); elementary functions go through `libm` so wasm32 and native agree.

use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// Periods above this have their initial seasons set from the data rather than estimated.
pub const MAX_ESTIMATED_SEASONS: usize = 24;
/// Simulated paths for the intervals of models without a closed-form variance.
pub const SIMULATED_PATHS: usize = 10_000;
/// Seed of those simulations (fixed: the same data gives the same intervals).
const SIMULATION_SEED: u64 = 0x5E65_C09E_F0CA_57ED;
/// Standard normal quantiles of 0.9 and 0.975 (80 % and 95 % central intervals).
const Z80: f64 = 1.281_551_565_544_600_4;
const Z95: f64 = 1.959_963_984_540_054;
const LOWER: f64 = 1e-4;
const UPPER: f64 = 1.0 - 1e-4;
const PHI_LOWER: f64 = 0.8;
const PHI_UPPER: f64 = 0.98;

/// The error component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    /// `y = ŷ + ε`.
    Additive,
    /// `y = ŷ(1 + ε)`.
    Multiplicative,
}

/// The trend component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrendKind {
    /// No trend.
    None,
    /// Additive trend.
    Additive,
    /// Additive trend damped by `φ`.
    Damped,
}

/// The season component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SeasonKind {
    /// No season.
    None,
    /// Added to the level.
    Additive,
    /// Multiplies the level.
    Multiplicative,
}

/// One ETS model form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EtsSpec {
    /// Error.
    pub error: ErrorKind,
    /// Trend.
    pub trend: TrendKind,
    /// Season.
    pub season: SeasonKind,
    /// Season length in periods (ignored without a season).
    pub period: usize,
}

impl EtsSpec {
    /// The usual name, e.g. `ETS(A,Ad,M)`.
    pub fn name(&self) -> String {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Damped => "Ad",
        };
        let s = match self.season {
            SeasonKind::None => "N",
            SeasonKind::Additive => "A",
            SeasonKind::Multiplicative => "M",
        };
        format!("ETS({e},{t},{s})")
    }

    /// Whether a part is multiplicative (the series must then be positive).
    pub fn multiplicative(&self) -> bool {
        self.error == ErrorKind::Multiplicative || self.season == SeasonKind::Multiplicative
    }

    /// Seasons in the state (1 without a season).
    pub fn m(&self) -> usize {
        if self.season == SeasonKind::None {
            1
        } else {
            self.period.max(1)
        }
    }

    fn has_trend(&self) -> bool {
        self.trend != TrendKind::None
    }

    fn has_season(&self) -> bool {
        self.season != SeasonKind::None
    }

    fn estimates_seasons(&self) -> bool {
        self.has_season() && self.m() <= MAX_ESTIMATED_SEASONS
    }

    /// `k` of the information criteria: statsmodels' `df_model` (see the module doc).
    pub fn parameter_count(&self) -> usize {
        let smoothing = 1 + usize::from(self.has_trend()) + usize::from(self.has_season());
        let damping = usize::from(self.trend == TrendKind::Damped);
        let states =
            1 + usize::from(self.has_trend()) + if self.has_season() { self.m() } else { 0 };
        smoothing + damping + states + 1
    }
}

/// The parameters and initial states of a model (natural scale, not starred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EtsParams {
    /// Level smoothing α.
    pub alpha: f64,
    /// Trend smoothing β (0 without trend).
    pub beta: f64,
    /// Season smoothing γ (0 without season).
    pub gamma: f64,
    /// Damping φ (1 without damping).
    pub phi: f64,
    /// Initial level (series units).
    pub level: f64,
    /// Initial trend (series units per period; 0 without trend).
    pub trend: f64,
    /// Initial seasons in time order: `[j]` is the season of observation `j` (`m` values; empty
    /// without season). Additive: series units; multiplicative: factors.
    pub season: Vec<f64>,
}

/// The end of a filter run.
#[derive(Debug, Clone, PartialEq)]
struct Filtered {
    /// Mean squared residual (relative residuals for a multiplicative error).
    mse: f64,
    /// Log-likelihood.
    loglik: f64,
    /// Level after the last observation.
    level: f64,
    /// Trend after the last observation.
    trend: f64,
}

/// Runs the recursions over `y`. `ring` (length `m`) holds the initial seasons on entry and on
/// return the last `m` seasons, `ring[t % m]` being the season of step `t`. `None` when a value
/// is not finite.
fn filter(spec: &EtsSpec, p: &EtsParams, y: &[f64], ring: &mut [f64]) -> Option<Filtered> {
    let m = ring.len().max(1);
    let alpha = p.alpha;
    let phi = if spec.trend == TrendKind::Damped {
        p.phi
    } else {
        1.0
    };
    let beta_star = if spec.has_trend() {
        p.beta / alpha
    } else {
        0.0
    };
    let gamma_star = if spec.has_season() {
        p.gamma / (1.0 - alpha)
    } else {
        0.0
    };
    let (mut l, mut b) = (p.level, if spec.has_trend() { p.trend } else { 0.0 });
    let (mut sse, mut log_yhat) = (0.0, 0.0);
    let mul_error = spec.error == ErrorKind::Multiplicative;
    for (t, &yt) in y.iter().enumerate() {
        let slot = ring.get_mut(t % m);
        let lp = l + phi * b;
        let (yhat, l_new) = match (spec.season, &slot) {
            (SeasonKind::Additive, Some(s)) => (lp + **s, alpha * (yt - **s) + (1.0 - alpha) * lp),
            (SeasonKind::Multiplicative, Some(s)) => {
                (lp * **s, alpha * (yt / **s) + (1.0 - alpha) * lp)
            }
            _ => (lp, alpha * yt + (1.0 - alpha) * lp),
        };
        if let Some(s) = slot {
            *s = match spec.season {
                SeasonKind::Additive => gamma_star * (yt - l_new) + (1.0 - gamma_star) * *s,
                SeasonKind::Multiplicative => gamma_star * yt / l_new + (1.0 - gamma_star) * *s,
                SeasonKind::None => *s,
            };
        }
        b = beta_star * (l_new - l) + (1.0 - beta_star) * phi * b;
        l = l_new;
        let r = if mul_error {
            let safe = if yhat == 0.0 { 1e-32 } else { yhat };
            log_yhat += libm::log(safe.abs());
            (yt - yhat) / yhat
        } else {
            yt - yhat
        };
        sse += r * r;
    }
    let n = y.len() as f64;
    let mse = sse / n;
    let loglik = -n / 2.0 * (libm::log(2.0 * std::f64::consts::PI * mse) + 1.0) - log_yhat;
    (loglik.is_finite() && l.is_finite() && b.is_finite()).then_some(Filtered {
        mse,
        loglik,
        level: l,
        trend: b,
    })
}

/// The log-likelihood of `params` on `y` (statsmodels' `ETSModel.loglike`); `None` when not
/// finite or when `params.season` does not hold `m` values.
pub fn loglik(spec: &EtsSpec, params: &EtsParams, y: &[f64]) -> Option<f64> {
    EtsFit::with_params(*spec, params.clone(), y).map(|f| f.loglik)
}

/// A fitted model: its parameters, fit statistics and the state after the last observation.
#[derive(Debug, Clone, PartialEq)]
pub struct EtsFit {
    /// The model form.
    pub spec: EtsSpec,
    /// Its parameters.
    pub params: EtsParams,
    /// Observations fitted.
    pub n: usize,
    /// Log-likelihood.
    pub loglik: f64,
    /// Mean squared (relative, for a multiplicative error) residual: the variance of ε.
    pub mse: f64,
    /// Level after the last observation.
    pub level: f64,
    /// Trend after the last observation.
    pub trend: f64,
    /// Seasons of the next `m` periods (`[0]` is the next one); `[1.0]`/`[0.0]` without season.
    pub next_seasons: Vec<f64>,
}

/// Point forecast and central intervals of one period ahead (series units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForecastStep {
    /// Point forecast.
    pub mean: f64,
    /// 80 % interval, lower end.
    pub lo80: f64,
    /// 80 % interval, upper end.
    pub hi80: f64,
    /// 95 % interval, lower end.
    pub lo95: f64,
    /// 95 % interval, upper end.
    pub hi95: f64,
}

impl EtsFit {
    /// The model with these parameters run over `y` (no estimation). `None` when the filter
    /// breaks down or `params.season` does not hold `m` values.
    pub fn with_params(spec: EtsSpec, params: EtsParams, y: &[f64]) -> Option<Self> {
        let m = spec.m();
        let mut ring = if spec.has_season() {
            if params.season.len() != m {
                return None;
            }
            params.season.clone()
        } else {
            Vec::new()
        };
        let f = filter(&spec, &params, y, &mut ring)?;
        let n = y.len();
        let next_seasons = if spec.has_season() {
            (0..m)
                .map(|j| ring.get((n + j) % m).copied().unwrap_or(1.0))
                .collect()
        } else {
            Vec::new()
        };
        Some(Self {
            spec,
            params,
            n,
            loglik: f.loglik,
            mse: f.mse,
            level: f.level,
            trend: f.trend,
            next_seasons,
        })
    }

    /// `k` ([`EtsSpec::parameter_count`]).
    pub fn k(&self) -> usize {
        self.spec.parameter_count()
    }

    /// Akaike's criterion.
    pub fn aic(&self) -> f64 {
        -2.0 * self.loglik + 2.0 * self.k() as f64
    }

    /// AIC corrected for small samples; infinite when `n ≤ k + 1`.
    pub fn aicc(&self) -> f64 {
        let (n, k) = (self.n as f64, self.k() as f64);
        if n - k - 1.0 <= 0.0 {
            return f64::INFINITY;
        }
        -2.0 * self.loglik + 2.0 * k * n / (n - k - 1.0)
    }

    /// Schwarz's criterion.
    pub fn bic(&self) -> f64 {
        -2.0 * self.loglik + self.k() as f64 * libm::log(self.n as f64)
    }

    fn phi(&self) -> f64 {
        if self.spec.trend == TrendKind::Damped {
            self.params.phi
        } else {
            1.0
        }
    }

    fn season_of(&self, step: usize) -> f64 {
        let default = if self.spec.season == SeasonKind::Multiplicative {
            1.0
        } else {
            0.0
        };
        if self.next_seasons.is_empty() {
            return default;
        }
        self.next_seasons
            .get(step % self.next_seasons.len())
            .copied()
            .unwrap_or(default)
    }

    /// Point forecasts of the next `horizon` periods.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        let phi = self.phi();
        let mut damp = 0.0;
        let mut power = 1.0;
        (0..horizon)
            .map(|h| {
                power *= phi;
                damp += power;
                let lp = self.level + damp * self.trend;
                match self.spec.season {
                    SeasonKind::Multiplicative => lp * self.season_of(h),
                    SeasonKind::Additive => lp + self.season_of(h),
                    SeasonKind::None => lp,
                }
            })
            .collect()
    }

    /// Point forecasts with 80 % and 95 % intervals for the next `horizon` periods: analytic
    /// for the additive-error models that have a closed form, simulated otherwise.
    pub fn forecast_with_intervals(&self, horizon: usize) -> Vec<ForecastStep> {
        let mean = self.forecast(horizon);
        if let Some(variances) = self.analytic_variances(horizon) {
            return mean
                .iter()
                .zip(variances)
                .map(|(&mean, v)| {
                    let sd = (self.mse * v).sqrt();
                    ForecastStep {
                        mean,
                        lo80: mean - Z80 * sd,
                        hi80: mean + Z80 * sd,
                        lo95: mean - Z95 * sd,
                        hi95: mean + Z95 * sd,
                    }
                })
                .collect();
        }
        self.simulated(&mean)
    }

    /// statsmodels' `_relative_forecast_variance` for ANN, AAN, AAdN, ANA, AAA, AAdA.
    fn analytic_variances(&self, horizon: usize) -> Option<Vec<f64>> {
        if self.spec.error != ErrorKind::Additive || self.spec.season == SeasonKind::Multiplicative
        {
            return None;
        }
        let p = &self.params;
        let (alpha, beta, gamma, phi) = (p.alpha, p.beta, p.gamma, p.phi);
        let m = self.spec.m() as f64;
        let seasonal = self.spec.has_season();
        Some(
            (1..=horizon)
                .map(|h| {
                    let h = h as f64;
                    let k = if seasonal {
                        ((h - 1.0) / m).floor()
                    } else {
                        0.0
                    };
                    let season = if seasonal {
                        gamma * k * (2.0 * alpha + gamma)
                    } else {
                        0.0
                    };
                    match self.spec.trend {
                        TrendKind::None => 1.0 + alpha * alpha * (h - 1.0) + season,
                        TrendKind::Additive => {
                            let trend_season = if seasonal {
                                gamma * k * beta * m * (k + 1.0)
                            } else {
                                0.0
                            };
                            1.0 + (h - 1.0)
                                * (alpha * alpha
                                    + alpha * beta * h
                                    + beta * beta / 6.0 * h * (2.0 * h - 1.0))
                                + season
                                + trend_season
                        }
                        TrendKind::Damped => {
                            let phi_h = libm::pow(phi, h);
                            let one = 1.0 - phi;
                            let mut v = 1.0
                                + alpha * alpha * (h - 1.0)
                                + season
                                + beta * phi * h / (one * one) * (2.0 * alpha * one + beta * phi)
                                - beta * phi * (1.0 - phi_h) / (one * one * (1.0 - phi * phi))
                                    * (2.0 * alpha * (1.0 - phi * phi)
                                        + beta * phi * (1.0 + 2.0 * phi - phi_h));
                            if seasonal {
                                let phi_m = libm::pow(phi, m);
                                v += 2.0 * beta * gamma * phi / (one * (1.0 - phi_m))
                                    * (k * (1.0 - phi_m) - phi_m * (1.0 - libm::pow(phi, m * k)));
                            }
                            v
                        }
                    }
                })
                .collect(),
        )
    }

    /// Intervals from [`SIMULATED_PATHS`] paths with `N(0, mse)` errors, around the point
    /// forecasts `mean`: statsmodels' `simulate`, i.e. the error-correction form of the state
    /// space (with `L = l + φb`, `S` the season, `Y = L + S` or `L·S`; additive error:
    /// `y = Y + ε`, `l' = L + α·κₗ·ε`, `b' = φb + β·κₗ·ε`, `s' = S + γ·κₛ·ε` with `κₗ = 1/S`,
    /// `κₛ = 1/L` for a multiplicative season, else 1; multiplicative error: `y = Y(1 + ε)`,
    /// `l' = L + α(L + κₗ)ε`, `b' = φb + β(φb + κₗ + l)ε`, `s' = S + γ(S + κₛ)ε` with
    /// `κₗ = S`, `κₛ = L` for an additive season, else 0).
    fn simulated(&self, mean: &[f64]) -> Vec<ForecastStep> {
        let horizon = mean.len();
        let paths = SIMULATED_PATHS;
        let mut rng = Pcg64Mcg::seed_from_u64(SIMULATION_SEED);
        let sigma = self.mse.sqrt();
        let m = self.next_seasons.len().max(1);
        let p = &self.params;
        let phi = self.phi();
        let beta = if self.spec.has_trend() { p.beta } else { 0.0 };
        let gamma = if self.spec.has_season() { p.gamma } else { 0.0 };
        let mul_season = self.spec.season == SeasonKind::Multiplicative;
        let mul_error = self.spec.error == ErrorKind::Multiplicative;
        let mut values = vec![0.0; horizon * paths];
        let mut ring = self.next_seasons.clone();
        let mut spare: Option<f64> = None;
        for path in 0..paths {
            ring.clone_from(&self.next_seasons);
            let (mut l, mut b) = (self.level, self.trend);
            for h in 0..horizon {
                let e = sigma * normal(&mut rng, &mut spare);
                let slot = ring.get_mut(h % m);
                let s = slot.as_deref().copied().unwrap_or(0.0);
                let damped = phi * b;
                let lp = l + damped;
                let yhat = if mul_season { lp * s } else { lp + s };
                let (y, l_new, b_new, s_new) = if mul_error {
                    let (kl, ks) = if mul_season { (0.0, 0.0) } else { (s, lp) };
                    (
                        yhat * (1.0 + e),
                        lp + p.alpha * (lp + kl) * e,
                        damped + beta * (damped + kl + l) * e,
                        s + gamma * (s + ks) * e,
                    )
                } else {
                    let (kl, ks) = if mul_season {
                        (1.0 / s, 1.0 / lp)
                    } else {
                        (1.0, 1.0)
                    };
                    (
                        yhat + e,
                        lp + p.alpha * kl * e,
                        damped + beta * kl * e,
                        s + gamma * ks * e,
                    )
                };
                if let Some(slot) = slot {
                    *slot = s_new;
                }
                (l, b) = (l_new, b_new);
                if let Some(v) = values.get_mut(h * paths + path) {
                    *v = y;
                }
            }
        }
        mean.iter()
            .enumerate()
            .map(|(h, &mean)| {
                let row = values
                    .get_mut(h * paths..(h + 1) * paths)
                    .unwrap_or_default();
                row.sort_unstable_by(f64::total_cmp);
                let q = |p: f64| crate::stats::quantile_sorted(row, p).unwrap_or(mean);
                ForecastStep {
                    mean,
                    lo80: q(0.1),
                    hi80: q(0.9),
                    lo95: q(0.025),
                    hi95: q(0.975),
                }
            })
            .collect()
    }
}

/// A standard normal deviate (Box–Muller, both values used).
fn normal(rng: &mut Pcg64Mcg, spare: &mut Option<f64>) -> f64 {
    if let Some(z) = spare.take() {
        return z;
    }
    // u1 in (0, 1]: ln never sees 0.
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    let r = libm::sqrt(-2.0 * libm::log(u1));
    let theta = 2.0 * std::f64::consts::PI * u2;
    *spare = Some(r * libm::sin(theta));
    r * libm::cos(theta)
}

/// Maps an unbounded value into `[lo, hi]` (logistic).
fn squash(u: f64, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) / (1.0 + libm::exp(-u))
}

/// The inverse of [`squash`] (the value clamped just inside the bounds).
fn unsquash(v: f64, lo: f64, hi: f64) -> f64 {
    let x = ((v - lo) / (hi - lo)).clamp(1e-6, 1.0 - 1e-6);
    libm::log(x / (1.0 - x))
}

/// Starting initial states: level, trend and the seasons of the first `m` observations, from
/// the history's full cycles (each cycle's mean removed, averaged over the cycles, normalised to
/// mean 0 or 1); without season the first value and the first difference.
fn start_states(spec: &EtsSpec, y: &[f64]) -> (f64, f64, Vec<f64>) {
    let first = y.first().copied().unwrap_or(0.0);
    if !spec.has_season() {
        let trend = match (y.first(), y.get(1)) {
            (Some(a), Some(b)) if spec.has_trend() => b - a,
            _ => 0.0,
        };
        return (first, trend, Vec::new());
    }
    let m = spec.m();
    let cycles = (y.len() / m).max(1);
    let mut season = vec![0.0; m];
    let mut means = Vec::with_capacity(cycles);
    for c in 0..cycles {
        let cycle = y.get(c * m..(c + 1) * m).unwrap_or_default();
        if cycle.is_empty() {
            continue;
        }
        let mean = cycle.iter().sum::<f64>() / cycle.len() as f64;
        means.push(mean);
        for (s, &v) in season.iter_mut().zip(cycle) {
            *s += match spec.season {
                SeasonKind::Multiplicative => v / mean,
                _ => v - mean,
            } / cycles as f64;
        }
    }
    let level = means.first().copied().unwrap_or(first);
    let trend = match (means.first(), means.get(1)) {
        (Some(a), Some(b)) if spec.has_trend() => (b - a) / m as f64,
        _ => 0.0,
    };
    let centre = season.iter().sum::<f64>() / m as f64;
    for s in &mut season {
        match spec.season {
            SeasonKind::Multiplicative => *s /= centre,
            _ => *s -= centre,
        }
    }
    (level, trend, season)
}

/// The free parameters of a fit, unbounded, and how to read them back.
struct Layout {
    spec: EtsSpec,
    /// Series scale (mean |y|): states are optimised in these units.
    scale: f64,
    /// Initial seasons when not estimated (period above [`MAX_ESTIMATED_SEASONS`]).
    fixed_season: Vec<f64>,
}

impl Layout {
    fn params(&self, u: &[f64], out: &mut EtsParams) {
        let spec = &self.spec;
        let mut it = u.iter().copied();
        let mut next = || it.next().unwrap_or(0.0);
        out.alpha = squash(next(), LOWER, UPPER);
        out.beta = if spec.has_trend() {
            squash(next(), LOWER, UPPER) * out.alpha
        } else {
            0.0
        };
        out.gamma = if spec.has_season() {
            squash(next(), LOWER, UPPER) * (1.0 - out.alpha)
        } else {
            0.0
        };
        out.phi = if spec.trend == TrendKind::Damped {
            squash(next(), PHI_LOWER, PHI_UPPER)
        } else {
            1.0
        };
        out.level = next() * self.scale;
        out.trend = if spec.has_trend() {
            next() * self.scale
        } else {
            0.0
        };
        out.season.clear();
        if spec.estimates_seasons() {
            let (pinned, unit) = match spec.season {
                SeasonKind::Multiplicative => (1.0, 1.0),
                _ => (0.0, self.scale),
            };
            out.season.push(pinned);
            for _ in 1..spec.m() {
                out.season.push(next() * unit);
            }
        } else {
            out.season.extend_from_slice(&self.fixed_season);
        }
    }

    /// The starting point and the simplex steps.
    fn start(&self, y: &[f64], alpha: f64, gamma_star: f64) -> (Vec<f64>, Vec<f64>) {
        let spec = &self.spec;
        let (level, trend, season) = start_states(spec, y);
        let (mut x, mut step) = (Vec::new(), Vec::new());
        x.push(unsquash(alpha, LOWER, UPPER));
        step.push(1.0);
        if spec.has_trend() {
            x.push(unsquash(0.1, LOWER, UPPER));
            step.push(1.0);
        }
        if spec.has_season() {
            x.push(unsquash(gamma_star, LOWER, UPPER));
            step.push(1.0);
        }
        if spec.trend == TrendKind::Damped {
            x.push(unsquash(0.97, PHI_LOWER, PHI_UPPER));
            step.push(1.0);
        }
        // Pin the first season as statsmodels does, moving its value into the level.
        let first = season.first().copied().unwrap_or(0.0);
        let (level, season): (f64, Vec<f64>) = match spec.season {
            SeasonKind::Multiplicative if spec.estimates_seasons() && first > 0.0 => {
                (level * first, season.iter().map(|s| s / first).collect())
            }
            SeasonKind::Additive if spec.estimates_seasons() => {
                (level + first, season.iter().map(|s| s - first).collect())
            }
            _ => (level, season),
        };
        x.push(level / self.scale);
        step.push(0.1);
        if spec.has_trend() {
            x.push(trend / self.scale);
            step.push(0.01);
        }
        if spec.estimates_seasons() {
            let unit = if spec.season == SeasonKind::Multiplicative {
                1.0
            } else {
                self.scale
            };
            for s in season.iter().skip(1) {
                x.push(s / unit);
                step.push(0.05);
            }
        }
        (x, step)
    }
}

/// Starting (α, γ*) of the fits without and with a season.
const STARTS: [(f64, f64); 2] = [(0.1, 0.01), (0.5, 0.01)];
const STARTS_SEASONAL: [(f64, f64); 4] = [(0.1, 0.01), (0.5, 0.01), (0.1, 0.5), (0.5, 0.5)];

/// Fits `spec` to `y` by maximum likelihood. `None` when `y` is too short for the model (fewer
/// than `k + 2` observations, or fewer than two cycles for a seasonal one), not positive for a
/// multiplicative model, or when no parameter gives a finite likelihood.
pub fn fit(spec: EtsSpec, y: &[f64]) -> Option<EtsFit> {
    let starts: &[(f64, f64)] = if spec.has_season() {
        &STARTS_SEASONAL
    } else {
        &STARTS
    };
    fit_with(spec, y, starts, 400, 4)
}

/// AICc margin within which a seasonal candidate's quick fit earns a full fit in [`auto`].
const SCREEN_AICC: f64 = 10.0;

/// [`fit`] from the given starts, each a Nelder–Mead run of `budget` × (dimension + 1)
/// evaluations restarted at most `restarts` times while it improves.
fn fit_with(
    spec: EtsSpec,
    y: &[f64],
    starts: &[(f64, f64)],
    budget: usize,
    restarts: usize,
) -> Option<EtsFit> {
    let n = y.len();
    if n < spec.parameter_count() + 2
        || (spec.has_season() && n < 2 * spec.m())
        || (spec.multiplicative() && y.iter().any(|&v| v <= 0.0))
        || y.iter().any(|v| !v.is_finite())
    {
        return None;
    }
    let scale = {
        let s = y.iter().map(|v| v.abs()).sum::<f64>() / n as f64;
        if s > 0.0 {
            s
        } else {
            1.0
        }
    };
    let fixed_season = if spec.has_season() && !spec.estimates_seasons() {
        start_states(&spec, y).2
    } else {
        Vec::new()
    };
    let layout = Layout {
        spec,
        scale,
        fixed_season,
    };
    let mut params = EtsParams {
        alpha: 0.5,
        beta: 0.0,
        gamma: 0.0,
        phi: 1.0,
        level: 0.0,
        trend: 0.0,
        season: Vec::with_capacity(spec.m()),
    };
    let mut ring = vec![0.0; if spec.has_season() { spec.m() } else { 0 }];
    let mut objective = |u: &[f64]| -> f64 {
        layout.params(u, &mut params);
        ring.clear();
        ring.extend_from_slice(&params.season);
        filter(&spec, &params, y, &mut ring).map_or(f64::INFINITY, |f| -f.loglik)
    };
    let mut best: Option<(Vec<f64>, f64)> = None;
    // Starts (slow and fast level and season), each restarted until it stops improving.
    for &(alpha, gamma_star) in starts {
        let (x0, step) = layout.start(y, alpha, gamma_star);
        let (x, f) = minimise(&mut objective, x0, &step, budget, restarts);
        if best.as_ref().is_none_or(|(_, b)| f < *b) {
            best = Some((x, f));
        }
    }
    let (x, f) = best?;
    if !f.is_finite() {
        return None;
    }
    let mut params = EtsParams {
        alpha: 0.5,
        beta: 0.0,
        gamma: 0.0,
        phi: 1.0,
        level: 0.0,
        trend: 0.0,
        season: Vec::new(),
    };
    layout.params(&x, &mut params);
    EtsFit::with_params(spec, params, y)
}

/// Nelder–Mead from `x0`, restarted from its best point while that improves the value.
fn minimise(
    f: &mut impl FnMut(&[f64]) -> f64,
    x0: Vec<f64>,
    step: &[f64],
    budget: usize,
    restarts: usize,
) -> (Vec<f64>, f64) {
    let dim = x0.len();
    let budget = budget * (dim + 1);
    let (mut x, mut fx) = nelder_mead(f, x0, step, budget);
    for _ in 0..restarts {
        let (y, fy) = nelder_mead(f, x.clone(), step, budget);
        let improved = fy < fx - 1e-9 * (1.0 + fx.abs());
        if fy < fx {
            (x, fx) = (y, fy);
        }
        if !improved {
            break;
        }
    }
    (x, fx)
}

/// One Nelder–Mead run (Gao & Han's dimension-adapted coefficients) of at most `budget`
/// evaluations; stops when the simplex's values and points agree to 1e-10 / 1e-8.
fn nelder_mead(
    f: &mut impl FnMut(&[f64]) -> f64,
    x0: Vec<f64>,
    step: &[f64],
    budget: usize,
) -> (Vec<f64>, f64) {
    let n = x0.len();
    if n == 0 {
        let v = f(&x0);
        return (x0, v);
    }
    let nf = n as f64;
    let (reflect, expand, contract, shrink) =
        (1.0, 1.0 + 2.0 / nf, 0.75 - 1.0 / (2.0 * nf), 1.0 - 1.0 / nf);
    let mut simplex: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    simplex.push(x0.clone());
    for i in 0..n {
        let mut x = x0.clone();
        if let Some(v) = x.get_mut(i) {
            *v += step.get(i).copied().unwrap_or(0.1);
        }
        simplex.push(x);
    }
    let mut values: Vec<f64> = simplex.iter().map(|x| f(x)).collect();
    let mut evals = n + 1;
    let mut order: Vec<usize> = (0..=n).collect();
    let (mut centroid, mut trial, mut trial2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let value = |values: &[f64], i: usize| values.get(i).copied().unwrap_or(f64::INFINITY);
    while evals < budget {
        order.sort_by(|&a, &b| value(&values, a).total_cmp(&value(&values, b)));
        let (best, worst, second) = (order[0], order[n], order[n - 1]);
        let (fb, fw, fs) = (
            value(&values, best),
            value(&values, worst),
            value(&values, second),
        );
        let spread = simplex
            .iter()
            .flat_map(|x| x.iter().zip(&simplex[best]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if (fw - fb).abs() <= 1e-10 * (1.0 + fb.abs()) && spread <= 1e-8 {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for &i in order.iter().take(n) {
            for (c, v) in centroid.iter_mut().zip(&simplex[i]) {
                *c += v / nf;
            }
        }
        let point = |coef: f64, out: &mut Vec<f64>, simplex: &[Vec<f64>]| {
            for ((o, c), w) in out.iter_mut().zip(&centroid).zip(&simplex[worst]) {
                *o = c + coef * (c - w);
            }
        };
        point(reflect, &mut trial, &simplex);
        let fr = f(&trial);
        evals += 1;
        if fr < fb {
            point(reflect * expand, &mut trial2, &simplex);
            let fe = f(&trial2);
            evals += 1;
            if fe < fr {
                simplex[worst].clone_from(&trial2);
                values[worst] = fe;
            } else {
                simplex[worst].clone_from(&trial);
                values[worst] = fr;
            }
        } else if fr < fs {
            simplex[worst].clone_from(&trial);
            values[worst] = fr;
        } else {
            let outside = fr < fw;
            point(
                if outside {
                    reflect * contract
                } else {
                    -contract
                },
                &mut trial2,
                &simplex,
            );
            let fc = f(&trial2);
            evals += 1;
            if (outside && fc <= fr) || (!outside && fc < fw) {
                simplex[worst].clone_from(&trial2);
                values[worst] = fc;
            } else {
                let anchor = simplex[best].clone();
                for &i in order.iter().skip(1) {
                    for (v, a) in simplex[i].iter_mut().zip(&anchor) {
                        *v = a + shrink * (*v - a);
                    }
                    values[i] = f(&simplex[i]);
                    evals += 1;
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| value(&values, a).total_cmp(&value(&values, b)))
        .unwrap_or(0);
    (simplex.swap_remove(best), value(&values, best))
}

/// The AutoETS candidates for a series with season length `period` (1: none), in a fixed order.
pub fn candidates(period: usize, positive: bool) -> Vec<EtsSpec> {
    let mut out = Vec::new();
    let errors: &[ErrorKind] = if positive {
        &[ErrorKind::Additive, ErrorKind::Multiplicative]
    } else {
        &[ErrorKind::Additive]
    };
    let seasons: &[SeasonKind] = match (period > 1, positive) {
        (false, _) => &[SeasonKind::None],
        (true, false) => &[SeasonKind::None, SeasonKind::Additive],
        (true, true) => &[
            SeasonKind::None,
            SeasonKind::Additive,
            SeasonKind::Multiplicative,
        ],
    };
    for &error in errors {
        for trend in [TrendKind::None, TrendKind::Additive, TrendKind::Damped] {
            for &season in seasons {
                if error == ErrorKind::Additive && season == SeasonKind::Multiplicative {
                    continue;
                }
                out.push(EtsSpec {
                    error,
                    trend,
                    season,
                    period: if season == SeasonKind::None {
                        1
                    } else {
                        period
                    },
                });
            }
        }
    }
    out
}

/// AutoETS: every [`candidates`] model that fits and forecasts `horizon` periods with finite
/// intervals, the lowest AICc kept (the first on a tie). `None` when none fits.
pub fn auto(y: &[f64], period: usize, horizon: usize) -> Option<(EtsFit, Vec<ForecastStep>)> {
    let positive = y.iter().all(|&v| v > 0.0);
    let mut best: Option<(EtsFit, f64)> = None;
    for spec in candidates(period, positive) {
        // A seasonal model is first fitted quickly (one start, a small budget: an upper bound on
        // its AICc); only one within SCREEN_AICC of the best so far is fitted in full. Measured
        // on the 1M-row file's 24 months: the full fits of the nine seasonal candidates took
        // 0.5 s a series and none came within 70 of the best non-seasonal AICc.
        if spec.has_season() {
            let Some(quick) = fit_with(spec, y, &STARTS_SEASONAL[..1], 100, 0) else {
                continue;
            };
            if best.as_ref().is_some_and(|(_, b)| {
                quick.aicc().partial_cmp(&(*b + SCREEN_AICC)) != Some(std::cmp::Ordering::Less)
            }) {
                continue;
            }
        }
        let Some(fit) = fit(spec, y) else { continue };
        // A model with a multiplicative part is only defined while its level stays positive: one
        // whose point forecast reaches 0 within the horizon (a steep fall extrapolated) is left
        // out, as its intervals would be simulated from a negative level.
        if spec.multiplicative()
            && fit
                .forecast(horizon)
                .iter()
                .any(|&m| m.is_nan() || m <= 0.0)
        {
            continue;
        }
        let aicc = fit.aicc();
        if !aicc.is_finite() || best.as_ref().is_some_and(|(_, b)| aicc >= *b) {
            continue;
        }
        best = Some((fit, aicc));
    }
    let (fit, _) = best?;
    let steps = fit.forecast_with_intervals(horizon);
    let finite = steps.iter().all(|s| {
        [s.mean, s.lo80, s.hi80, s.lo95, s.hi95]
            .iter()
            .all(|v| v.is_finite())
    });
    if finite {
        Some((fit, steps))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_parameter_counts_follow_statsmodels() {
        let spec = EtsSpec {
            error: ErrorKind::Additive,
            trend: TrendKind::Damped,
            season: SeasonKind::Multiplicative,
            period: 12,
        };
        assert_eq!(spec.name(), "ETS(A,Ad,M)");
        // α β γ φ + l b s×12 + σ².
        assert_eq!(spec.parameter_count(), 19);
        let ann = EtsSpec {
            error: ErrorKind::Additive,
            trend: TrendKind::None,
            season: SeasonKind::None,
            period: 12,
        };
        assert_eq!(ann.parameter_count(), 3);
        assert_eq!(candidates(12, true).len(), 15);
        assert_eq!(candidates(1, false).len(), 3);
    }

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_quadratic() {
        let mut f = |x: &[f64]| (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2);
        let (x, v) = minimise(&mut f, vec![0.0, 0.0], &[1.0, 1.0], 400, 4);
        assert!(
            (x[0] - 3.0).abs() < 1e-4 && (x[1] + 1.0).abs() < 1e-4,
            "{x:?}"
        );
        assert!(v < 1e-8);
    }
}
