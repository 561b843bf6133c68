//! Uplift: the two-model approach (one [`LogisticModel`] on the treated rows, one on the control
//! rows; uplift = the difference of their probabilities), evaluated on held-out rows with Qini and
//! uplift curves and their normalised areas, as scikit-uplift computes them (checked against
//! scikit-uplift 0.5.1 in `tests/experiment_models.rs`).
//!
//! [`UpliftParams::new`] → builder methods → [`UpliftParams::check`] → [`UpliftValidParams::fit`]
//! → [`UpliftModel`] ([`UpliftModel::predict_uplift`], [`UpliftModel::evaluation`]).

// Counts become f64 exactly below 2^52 rows; views are cheap to pass by value (linfa's shape);
// tied scores are grouped by exact equality on purpose.
#![allow(
    clippy::cast_precision_loss,
    clippy::needless_pass_by_value,
    clippy::float_cmp
)]
use ndarray::{ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::response::{
    train_test_split, LogisticModel, LogisticParams, LogisticValidParams, ModelError,
};

/// Settings of a two-model uplift fit, unchecked. Defaults ([`UpliftParams::new`]): both models
/// [`LogisticParams::new`], `test_share` 0.3, `seed` 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UpliftParams {
    treated_model: LogisticParams,
    control_model: LogisticParams,
    test_share: f64,
    seed: u64,
}

impl Default for UpliftParams {
    fn default() -> Self {
        Self::new()
    }
}

impl UpliftParams {
    /// The defaults: both models [`LogisticParams::new`], `test_share` 0.3, `seed` 0.
    #[must_use]
    pub fn new() -> Self {
        Self {
            treated_model: LogisticParams::new(),
            control_model: LogisticParams::new(),
            test_share: 0.3,
            seed: 0,
        }
    }

    /// The same logistic settings for both models.
    #[must_use]
    pub fn models(mut self, params: LogisticParams) -> Self {
        self.treated_model = params;
        self.control_model = params;
        self
    }

    /// The logistic settings of the model fitted on the treated rows.
    #[must_use]
    pub fn treated_model(mut self, params: LogisticParams) -> Self {
        self.treated_model = params;
        self
    }

    /// The logistic settings of the model fitted on the control rows.
    #[must_use]
    pub fn control_model(mut self, params: LogisticParams) -> Self {
        self.control_model = params;
        self
    }

    /// The share of rows held out for the evaluation, in `[0, 1)` (0: no evaluation).
    #[must_use]
    pub fn test_share(mut self, test_share: f64) -> Self {
        self.test_share = test_share;
        self
    }

    /// The seed of the train/test split ([`train_test_split`]).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`ModelError::InvalidTestShare`], or either model's [`LogisticParams::check`] error.
    pub fn check(self) -> Result<UpliftValidParams, ModelError> {
        if !(self.test_share >= 0.0 && self.test_share < 1.0) {
            return Err(ModelError::InvalidTestShare {
                value: self.test_share,
            });
        }
        Ok(UpliftValidParams {
            treated_model: self.treated_model.check()?,
            control_model: self.control_model.check()?,
            test_share: self.test_share,
            seed: self.seed,
        })
    }
}

/// Checked [`UpliftParams`]: the only way to fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UpliftValidParams {
    treated_model: LogisticValidParams,
    control_model: LogisticValidParams,
    test_share: f64,
    seed: u64,
}

impl UpliftValidParams {
    /// Splits the rows ([`train_test_split`] with the test share and seed), fits one logistic
    /// model on the treated training rows and one on the control training rows, and evaluates
    /// the uplift scores of the held-out rows (when they hold both groups).
    ///
    /// # Errors
    /// [`ModelError::Empty`], [`ModelError::ShapeMismatch`] (`y` or `treated` not one per row),
    /// [`ModelError::NonFinite`] (row and column of `x`), [`ModelError::EmptyGroup`] (no treated
    /// or no control training row), or either model's fit error ([`ModelError::OneClass`]: a
    /// group's training rows all responded, or none did).
    pub fn fit(
        &self,
        x: ArrayView2<f64>,
        y: &[bool],
        treated: &[bool],
    ) -> Result<UpliftModel, ModelError> {
        let n = x.nrows();
        for len in [y.len(), treated.len()] {
            if len != n {
                return Err(ModelError::ShapeMismatch {
                    expected: n,
                    found: len,
                });
            }
        }
        if n == 0 {
            return Err(ModelError::Empty);
        }
        for (row, values) in x.rows().into_iter().enumerate() {
            if let Some(column) = values.iter().position(|v| !v.is_finite()) {
                return Err(ModelError::NonFinite { row, column });
            }
        }
        let (train_rows, test_rows) = train_test_split(n, self.test_share, self.seed);
        let group_fit = |group: bool, params: &LogisticValidParams| {
            let rows: Vec<usize> = train_rows
                .iter()
                .copied()
                .filter(|i| treated.get(*i).copied() == Some(group))
                .collect();
            if rows.is_empty() {
                return Err(ModelError::EmptyGroup { treated: group });
            }
            let labels: Vec<bool> = rows
                .iter()
                .map(|i| y.get(*i).copied().unwrap_or(false))
                .collect();
            params.fit(x.select(Axis(0), &rows).view(), &labels, None)
        };
        let treated_model = group_fit(true, &self.treated_model)?;
        let control_model = group_fit(false, &self.control_model)?;
        let mut model = UpliftModel {
            treated_model,
            control_model,
            train_rows,
            test_rows,
            evaluation: None,
        };
        if !model.test_rows.is_empty() {
            let test_x = x.select(Axis(0), &model.test_rows);
            let scores = model.predict_uplift(test_x.view())?;
            let pick = |values: &[bool]| -> Vec<bool> {
                model
                    .test_rows
                    .iter()
                    .map(|i| values.get(*i).copied().unwrap_or(false))
                    .collect()
            };
            let (test_y, test_t) = (pick(y), pick(treated));
            let has_both = test_t.iter().any(|t| *t) && test_t.iter().any(|t| !*t);
            if has_both {
                model.evaluation = Some(UpliftEvaluation {
                    qini_coefficient: qini_coefficient(&scores, &test_y, &test_t),
                    uplift_auc: uplift_auc(&scores, &test_y, &test_t),
                    qini: qini_curve(&scores, &test_y, &test_t),
                    uplift: uplift_curve(&scores, &test_y, &test_t),
                });
            }
        }
        Ok(model)
    }
}

/// The held-out evaluation of an uplift model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpliftEvaluation {
    /// [`qini_coefficient`] of the held-out rows.
    pub qini_coefficient: Option<f64>,
    /// [`uplift_auc`] of the held-out rows.
    pub uplift_auc: Option<f64>,
    /// [`qini_curve`] of the held-out rows (every threshold; [`downsample`] it for a chart).
    pub qini: Vec<CurvePoint>,
    /// [`uplift_curve`] of the held-out rows.
    pub uplift: Vec<CurvePoint>,
}

/// A fitted two-model uplift model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpliftModel {
    treated_model: LogisticModel,
    control_model: LogisticModel,
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    evaluation: Option<UpliftEvaluation>,
}

impl UpliftModel {
    /// The response model of the treated rows.
    #[must_use]
    pub fn treated_model(&self) -> &LogisticModel {
        &self.treated_model
    }

    /// The response model of the control rows.
    #[must_use]
    pub fn control_model(&self) -> &LogisticModel {
        &self.control_model
    }

    /// Rows (of the fitted matrix) the models were fitted on, ascending.
    #[must_use]
    pub fn train_rows(&self) -> &[usize] {
        &self.train_rows
    }

    /// Rows held out for the evaluation, ascending.
    #[must_use]
    pub fn test_rows(&self) -> &[usize] {
        &self.test_rows
    }

    /// The held-out evaluation; `None` when nothing was held out or the held-out rows lack a
    /// treated or a control row.
    #[must_use]
    pub fn evaluation(&self) -> Option<&UpliftEvaluation> {
        self.evaluation.as_ref()
    }

    /// Uplift per row: `P(response | treated, x) − P(response | control, x)`, in `[−1, 1]`.
    ///
    /// # Errors
    /// As [`LogisticModel::predict_probability`].
    pub fn predict_uplift(&self, x: ArrayView2<f64>) -> Result<Vec<f64>, ModelError> {
        let treated = self.treated_model.predict_probability(x)?;
        let control = self.control_model.predict_probability(x)?;
        Ok(treated.iter().zip(&control).map(|(t, c)| t - c).collect())
    }
}

/// One point of a Qini or uplift curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Rows targeted: those with the highest uplift scores, a whole group of tied scores at once.
    pub targeted: u64,
    /// `targeted / rows`.
    pub share: f64,
    /// The curve's value there (see [`qini_curve`], [`uplift_curve`]).
    pub value: f64,
}

/// Cumulative counts at each distinct score, highest first: (targeted, treated, treated
/// responders, control responders). `None` when the lengths differ, there are no rows, or a score
/// is not finite.
fn thresholds(uplift: &[f64], y: &[bool], treated: &[bool]) -> Option<Vec<[u64; 4]>> {
    let n = uplift.len();
    if n == 0 || y.len() != n || treated.len() != n || uplift.iter().any(|u| !u.is_finite()) {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| {
        let (ua, ub) = (uplift.get(*a).copied(), uplift.get(*b).copied());
        ub.partial_cmp(&ua).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut points = Vec::new();
    let mut counts = [0_u64; 4];
    for (position, i) in order.iter().enumerate() {
        let is_treated = treated.get(*i).copied().unwrap_or(false);
        let responded = y.get(*i).copied().unwrap_or(false);
        counts[0] += 1;
        counts[1] += u64::from(is_treated);
        counts[2] += u64::from(is_treated && responded);
        counts[3] += u64::from(!is_treated && responded);
        let next = order.get(position + 1).and_then(|j| uplift.get(*j));
        if next != uplift.get(*i) {
            points.push(counts);
        }
    }
    Some(points)
}

fn curve(
    uplift: &[f64],
    y: &[bool],
    treated: &[bool],
    value: impl Fn([u64; 4]) -> f64,
) -> Vec<CurvePoint> {
    let Some(points) = thresholds(uplift, y, treated) else {
        return Vec::new();
    };
    let n = uplift.len() as f64;
    std::iter::once(CurvePoint {
        targeted: 0,
        share: 0.0,
        value: 0.0,
    })
    .chain(points.into_iter().map(|counts| CurvePoint {
        targeted: counts[0],
        share: counts[0] as f64 / n,
        value: value(counts),
    }))
    .collect()
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    }
}

/// The Qini curve (scikit-uplift's `qini_curve`): rows sorted by descending uplift score and
/// evaluated at every distinct score, after targeting `N` rows of which `Nt` treated (`Yt`
/// responders) and `Nc` control (`Yc` responders):
/// `value = Yt − Yc · Nt / Nc` (0 for the second term while `Nc = 0`), the incremental
/// responders. Starts at (0, 0). Empty when the lengths differ, there are no rows, or a score is
/// not finite.
#[must_use]
pub fn qini_curve(uplift: &[f64], y: &[bool], treated: &[bool]) -> Vec<CurvePoint> {
    curve(uplift, y, treated, qini_value)
}

fn qini_value([all, nt, yt, yc]: [u64; 4]) -> f64 {
    let nc = all - nt;
    yt as f64 - yc as f64 * ratio(nt as f64, nc as f64)
}

/// The uplift curve (scikit-uplift's `uplift_curve`): at each distinct score as in
/// [`qini_curve`], `value = (Yt / Nt − Yc / Nc) · N`, each rate 0 while its group is empty.
/// Starts at (0, 0). Empty on the same inputs as [`qini_curve`].
#[must_use]
pub fn uplift_curve(uplift: &[f64], y: &[bool], treated: &[bool]) -> Vec<CurvePoint> {
    curve(uplift, y, treated, uplift_value)
}

fn uplift_value([all, nt, yt, yc]: [u64; 4]) -> f64 {
    let nc = all - nt;
    (ratio(yt as f64, nt as f64) - ratio(yc as f64, nc as f64)) * all as f64
}

/// Trapezoidal area under a curve over `targeted` (scikit-learn's `auc`).
fn area(points: &[CurvePoint]) -> f64 {
    points
        .windows(2)
        .map(|w| match w {
            [a, b] => (b.targeted - a.targeted) as f64 * (a.value + b.value) / 2.0,
            _ => 0.0,
        })
        .sum()
}

/// `(area(model) − baseline) / (area(perfect) − baseline)`, baseline the straight line from
/// (0, 0) to the perfect curve's last point; `None` when that denominator is 0 or not finite.
fn normalised_area(model: &[CurvePoint], perfect: &[CurvePoint]) -> Option<f64> {
    let last = perfect.last()?;
    let baseline = last.targeted as f64 * last.value / 2.0;
    let score = (area(model) - baseline) / (area(perfect) - baseline);
    score.is_finite().then_some(score)
}

fn has_both_groups(treated: &[bool]) -> bool {
    treated.iter().any(|t| *t) && treated.iter().any(|t| !*t)
}

/// The Qini coefficient, scikit-uplift's `qini_auc_score(…, negative_effect=True)`:
///
/// ```text
/// (A(model) − A(random)) / (A(perfect) − A(random))
/// ```
///
/// where `A` is the trapezoidal area under a [`qini_curve`] over the rows targeted, `A(random)`
/// the area under the straight line from (0, 0) to the curve's last point `(N, Q)` (i.e. `N·Q/2`),
/// and the perfect curve is the Qini curve of the ideal score `y·t − y·(1−t)` (treated
/// responders first, control responders last: the negative effects are included). 1 is the
/// perfect ranking, 0 random, below 0 worse than random. `None` when the lengths differ, there
/// are no rows, a score is not finite, the rows lack a treated or a control row, or the
/// denominator is 0.
#[must_use]
pub fn qini_coefficient(uplift: &[f64], y: &[bool], treated: &[bool]) -> Option<f64> {
    if !has_both_groups(treated) {
        return None;
    }
    let model = qini_curve(uplift, y, treated);
    let ideal: Vec<f64> = y
        .iter()
        .zip(treated)
        .map(|(r, t)| match (*r, *t) {
            (true, true) => 1.0,
            (true, false) => -1.0,
            _ => 0.0,
        })
        .collect();
    normalised_area(&model, &qini_curve(&ideal, y, treated))
}

/// The normalised area under the uplift curve, scikit-uplift's `uplift_auc_score`: as
/// [`qini_coefficient`] with [`uplift_curve`]s, the perfect score being `2·[y = t] + y` when
/// control responders outnumber treated non-responders and `2·[y = t] + t` otherwise. `None` on
/// the same inputs as [`qini_coefficient`].
#[must_use]
pub fn uplift_auc(uplift: &[f64], y: &[bool], treated: &[bool]) -> Option<f64> {
    if !has_both_groups(treated) || y.len() != treated.len() {
        return None;
    }
    let model = uplift_curve(uplift, y, treated);
    let control_responders = y.iter().zip(treated).filter(|(r, t)| **r && !**t).count();
    let treated_non_responders = y.iter().zip(treated).filter(|(r, t)| !**r && **t).count();
    let by_response = control_responders > treated_non_responders;
    let ideal: Vec<f64> = y
        .iter()
        .zip(treated)
        .map(|(r, t)| {
            let agree = if r == t { 2.0 } else { 0.0 };
            let summand = if by_response { *r } else { *t };
            agree + f64::from(u8::from(summand))
        })
        .collect();
    normalised_area(&model, &uplift_curve(&ideal, y, treated))
}

/// At most `max_points` of a curve for charting, evenly spaced by index and always keeping the
/// first and the last point (`max_points` below 2 counts as 2). The points are returned as they
/// are, in order; a curve no longer than `max_points` comes back whole.
#[must_use]
pub fn downsample(points: &[CurvePoint], max_points: usize) -> Vec<CurvePoint> {
    let keep = max_points.max(2);
    if points.len() <= keep {
        return points.to_vec();
    }
    let last = points.len() - 1;
    let steps = keep - 1;
    (0..keep)
        .filter_map(|k| points.get((k * last + steps / 2) / steps).copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsample_keeps_ends() {
        let points: Vec<CurvePoint> = (0..100_u32)
            .map(|i| CurvePoint {
                targeted: u64::from(i),
                share: f64::from(i) / 99.0,
                value: f64::from(i),
            })
            .collect();
        let small = downsample(&points, 7);
        assert_eq!(small.len(), 7);
        assert_eq!(small.first(), points.first());
        assert_eq!(small.last(), points.last());
        assert!(small.windows(2).all(|w| w[0].targeted < w[1].targeted));
        assert_eq!(downsample(&points, 1).len(), 2);
        assert_eq!(downsample(&points, 500), points);
    }

    #[test]
    fn curves_by_hand_and_degenerate_inputs() {
        // Scores 0.9 (treated responder), 0.5 tie (control responder, treated non-responder),
        // 0.1 (control non-responder). At 3 targeted: 1 − 1 · 2 / 1 = −1.
        let u = [0.9, 0.5, 0.5, 0.1];
        let y = [true, true, false, false];
        let t = [true, false, true, false];
        let q: Vec<(u64, f64)> = qini_curve(&u, &y, &t)
            .iter()
            .map(|p| (p.targeted, p.value))
            .collect();
        assert_eq!(q, vec![(0, 0.0), (1, 1.0), (3, -1.0), (4, 0.0)]);
        assert!(qini_curve(&u, &y, &t[..3]).is_empty());
        assert!(qini_curve(&[f64::NAN, 0.0, 0.0, 0.0], &y, &t).is_empty());
        assert_eq!(qini_coefficient(&u, &y, &[true; 4]), None);
        assert!(qini_coefficient(&u, &y, &t).is_some_and(f64::is_finite));
    }
}
