//! What the page needs from a purchase model (BG/NBD or Pareto/NBD), and the discounted customer
//! lifetime value built on it.

use super::{BgNbdModel, ClvError, GammaGammaModel, InputProblem, TimeUnit};

/// A fitted purchase-count model: the per-customer predictions both BG/NBD and Pareto/NBD give.
/// All times (`recency`, `t` = T, `horizon`) are in [`time_unit`](PurchaseModel::time_unit).
/// `Sync`: the CLI scores customers on two threads.
pub trait PurchaseModel: Sync {
    /// Display name (`BG/NBD`, `Pareto/NBD`).
    fn name(&self) -> &'static str;
    /// Unit of recency, T and horizons.
    fn time_unit(&self) -> TimeUnit;
    /// Probability the customer is still active at the calibration end.
    fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError>;
    /// Expected purchases in the next `horizon` time units.
    fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError>;
    /// Expected purchases in the next `horizons[i]` time units into `out[i]`, for one customer:
    /// the values of [`expected_purchases`](Self::expected_purchases) one horizon at a time, and
    /// its first error (BG/NBD computes the probability alive once for all of them).
    fn expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        for (slot, horizon) in out.iter_mut().zip(horizons) {
            *slot = self.expected_purchases(*horizon, frequency, recency, t)?;
        }
        Ok(())
    }
    /// For scoring many customers: when the model's expected purchases are the probability alive
    /// times a factor that depends on the frequency and T only (BG/NBD), fills `out` with that
    /// factor for each of `horizons` and returns true, so the factor is computed once per
    /// (frequency, T) and [`expected_purchases_from`](Self::expected_purchases_from) finishes
    /// each customer. False (the default) when the model does not factor so, or for inputs the
    /// predictions refuse: then call [`expected_purchases_at`](Self::expected_purchases_at).
    fn expected_purchases_if_alive_at(
        &self,
        _horizons: &[f64],
        _frequency: f64,
        _t: f64,
        _out: &mut [f64],
    ) -> bool {
        false
    }
    /// [`expected_purchases_at`](Self::expected_purchases_at) from the factors
    /// [`expected_purchases_if_alive_at`](Self::expected_purchases_if_alive_at) filled in
    /// (`if_alive`): the same values, bits and errors. The default ignores them.
    fn expected_purchases_from(
        &self,
        _if_alive: &[f64],
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        self.expected_purchases_at(horizons, frequency, recency, t, out)
    }
    /// Probability of at least one purchase in the next `horizon` time units: the chance the
    /// customer is seen again soon, which the churn-risk band is read from. Unlike the
    /// probability alive, it does not count as safe a customer who is alive but buys too rarely
    /// to show up (under BG/NBD every customer without a repeat purchase is alive for certain).
    fn probability_purchase_within(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError>;
    /// Mean purchase rate per time unit of this customer if still active: the posterior mean
    /// `(r + x) / (alpha + T)` of the Gamma-distributed rate (the same in both models).
    fn expected_rate_if_alive(&self, frequency: f64, t: f64) -> f64;
    /// Expected repeat purchases of a new customer in their first `t` time units (the
    /// unconditional `E[X(t)]`), for the cumulative holdout chart.
    fn expected_purchases_new_customer(&self, t: f64) -> f64;
    /// The four parameters, in the order of [`covariance`](Self::covariance).
    fn parameters(&self) -> [f64; 4];
    /// Covariance of the parameters (row-major 4 × 4) from the fit; `None` for given parameters.
    fn parameter_covariance(&self) -> Option<&[f64]>;
    /// The same model with other parameters (for uncertainty by perturbation).
    fn with_parameters(&self, parameters: [f64; 4]) -> Result<Box<dyn PurchaseModel>, ClvError>;
}

impl PurchaseModel for BgNbdModel {
    fn name(&self) -> &'static str {
        "BG/NBD"
    }
    fn time_unit(&self) -> TimeUnit {
        BgNbdModel::time_unit(self)
    }
    fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        BgNbdModel::probability_alive(self, frequency, recency, t)
    }
    fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        BgNbdModel::expected_purchases(self, horizon, frequency, recency, t)
    }
    fn expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        BgNbdModel::expected_purchases_at(self, horizons, frequency, recency, t, out)
    }
    fn expected_purchases_if_alive_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        t: f64,
        out: &mut [f64],
    ) -> bool {
        // Recency 0 is valid for every frequency and T ≥ 0: this checks the rest.
        if horizons
            .iter()
            .any(|&h| super::purchase::check_prediction_input(frequency, 0.0, t, h).is_err())
        {
            return false;
        }
        for (slot, &horizon) in out.iter_mut().zip(horizons) {
            *slot = self.posterior_expected_if_alive(horizon, frequency, t);
        }
        true
    }
    fn expected_purchases_from(
        &self,
        if_alive: &[f64],
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        BgNbdModel::expected_purchases_from(self, if_alive, horizons, frequency, recency, t, out)
    }
    fn probability_purchase_within(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        BgNbdModel::probability_purchase_within(self, horizon, frequency, recency, t)
    }
    fn expected_rate_if_alive(&self, frequency: f64, t: f64) -> f64 {
        (self.r() + frequency) / (self.alpha() + t)
    }
    /// Eq. 9 of the paper (`lifetimes`' `expected_number_of_purchases_up_to_time`):
    /// `(a+b−1)/(a−1) · [1 − (α/(α+t))^r · 2F1(r, b; a+b−1; t/(α+t))]`.
    fn parameters(&self) -> [f64; 4] {
        [self.r(), self.alpha(), self.a(), self.b()]
    }
    fn parameter_covariance(&self) -> Option<&[f64]> {
        self.covariance()
    }
    fn with_parameters(&self, p: [f64; 4]) -> Result<Box<dyn PurchaseModel>, ClvError> {
        let model = BgNbdModel::from_parameters(p[0], p[1], p[2], p[3], self.time_unit())?;
        Ok(Box::new(model))
    }
    fn expected_purchases_new_customer(&self, t: f64) -> f64 {
        let value = super::bg_nbd::expected_purchases_if_alive(
            self.r(),
            self.alpha(),
            self.a(),
            self.b(),
            t,
        );
        if value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        }
    }
}

/// Time units in a month, as `lifetimes`' `customer_lifetime_value` counts them (30 days, 4.345
/// weeks).
pub fn units_per_month(time_unit: TimeUnit) -> f64 {
    match time_unit {
        TimeUnit::Days => 30.0,
        TimeUnit::Weeks => 4.345,
    }
}

/// Discounted customer lifetime value over `horizon_months` months (`lifetimes`'
/// `customer_lifetime_value`): for each month m = 1..=horizon, the expected purchases during that
/// month times `expected_spend`, divided by `(1 + discount_monthly)^m`.
///
/// Errors when `discount_monthly` is negative or not finite, or the model refuses the inputs.
pub fn customer_lifetime_value(
    model: &dyn PurchaseModel,
    expected_spend: f64,
    frequency: f64,
    recency: f64,
    t: f64,
    horizon_months: u32,
    discount_monthly: f64,
) -> Result<f64, ClvError> {
    if !(discount_monthly.is_finite() && discount_monthly >= 0.0) {
        return Err(ClvError::InvalidDiscountRate {
            value: discount_monthly,
        });
    }
    let month = units_per_month(model.time_unit());
    discounted_value(expected_spend, horizon_months, discount_monthly, |m| {
        model.expected_purchases(f64::from(m) * month, frequency, recency, t)
    })
}

/// The sum of [`customer_lifetime_value`] from the cumulative expected purchases at the end of
/// each month m = 1..=`horizon_months` (`cumulative(m)`), for callers that have them already.
pub(super) fn discounted_value(
    expected_spend: f64,
    horizon_months: u32,
    discount_monthly: f64,
    mut cumulative: impl FnMut(u32) -> Result<f64, ClvError>,
) -> Result<f64, ClvError> {
    let mut value = 0.0;
    let mut previous = 0.0;
    for m in 1..=horizon_months {
        let cumulative = cumulative(m)?;
        value += expected_spend * (cumulative - previous) / (1.0 + discount_monthly).powi(m as i32);
        previous = cumulative;
    }
    Ok(value)
}

/// Convenience: the Gamma-Gamma expected spend, then [`customer_lifetime_value`].
#[allow(clippy::too_many_arguments)]
pub fn customer_lifetime_value_with_spend_model(
    model: &dyn PurchaseModel,
    spend: &GammaGammaModel,
    frequency: f64,
    recency: f64,
    t: f64,
    monetary: f64,
    horizon_months: u32,
    discount_monthly: f64,
) -> Result<f64, ClvError> {
    let expected_spend = spend.expected_average_value(frequency, monetary)?;
    customer_lifetime_value(
        model,
        expected_spend,
        frequency,
        recency,
        t,
        horizon_months,
        discount_monthly,
    )
}

/// `value` when it is a finite number, else the `ExpectationNotFinite` error for this customer's
/// `[frequency, recency, T, horizon]`. Check before any `max(0.0)`: `f64::max` turns NaN into
/// the other argument.
pub(super) fn finite_prediction(
    value: f64,
    [frequency, recency, age, horizon]: [f64; 4],
) -> Result<f64, ClvError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ClvError::InvalidPredictionInput {
            frequency,
            recency,
            age,
            horizon,
            reason: InputProblem::ExpectationNotFinite,
        })
    }
}

/// Checks one customer's prediction inputs (finite, frequency ≥ 0, 0 ≤ recency ≤ T, horizon ≥ 0),
/// for both purchase models.
pub(super) fn check_prediction_input(
    frequency: f64,
    recency: f64,
    age: f64,
    horizon: f64,
) -> Result<(), ClvError> {
    let reason = if ![frequency, recency, age, horizon]
        .iter()
        .all(|v| v.is_finite())
    {
        Some(InputProblem::NotFinite)
    } else if frequency < 0.0 {
        Some(InputProblem::NegativeFrequency)
    } else if recency < 0.0 || recency > age {
        Some(InputProblem::RecencyOutsideAge)
    } else if horizon < 0.0 {
        Some(InputProblem::NegativeHorizon)
    } else {
        None
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(ClvError::InvalidPredictionInput {
            frequency,
            recency,
            age,
            horizon,
            reason,
        }),
    }
}
