//! STUB: replaced by the exp-stats branch.
#![allow(missing_docs, clippy::all, clippy::pedantic, unused)]
use serde::{Deserialize, Serialize};
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Binomial,
    Mean,
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub n: u64,
    pub sum: f64,
    pub sum_squares: f64,
}
impl Moments {
    pub fn push(&mut self, value: f64) {
        self.n += 1;
        self.sum += value;
        self.sum_squares += value * value;
    }
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }
    pub fn variance(&self, kind: MetricKind) -> f64 {
        0.0
    }
}
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CupedMoments {
    pub post: Moments,
    pub pre: Moments,
    pub sum_products: f64,
}
impl CupedMoments {
    pub fn push(&mut self, post: f64, pre: f64) {
        self.post.push(post);
        self.pre.push(pre);
        self.sum_products += post * pre;
    }
}
pub fn pooled_theta(
    control: &CupedMoments,
    variant: &CupedMoments,
    post_kind: MetricKind,
    pre_kind: MetricKind,
) -> f64 {
    0.0
}
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    pub n: u64,
    pub mean: f64,
    pub unadjusted_mean: f64,
    pub variance: f64,
}
impl Arm {
    pub fn plain(m: &Moments, kind: MetricKind) -> Self {
        Self {
            n: m.n,
            mean: m.mean(),
            unadjusted_mean: m.mean(),
            variance: m.variance(kind),
        }
    }
    pub fn cuped(
        c: &CupedMoments,
        post_kind: MetricKind,
        pre_kind: MetricKind,
        theta: f64,
    ) -> Self {
        Self::plain(&c.post, post_kind)
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    Relative,
    Absolute,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degenerate {
    BaselineZero,
    ZeroVariance,
    Empty,
}
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TestSettings {
    pub alpha: f64,
    pub difference: Difference,
    pub sequential_tuning: Option<f64>,
}
impl Default for TestSettings {
    fn default() -> Self {
        Self {
            alpha: 0.05,
            difference: Difference::Relative,
            sequential_tuning: None,
        }
    }
}
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub estimate: f64,
    pub std_error: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p_value: f64,
    pub degrees_of_freedom: f64,
    pub chance_to_win: f64,
    pub risk_control: f64,
    pub risk_variant: f64,
    pub degenerate: Option<Degenerate>,
}
pub fn compare(control: &Arm, variant: &Arm, settings: &TestSettings) -> Comparison {
    Comparison {
        estimate: 0.0,
        std_error: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        p_value: 1.0,
        degrees_of_freedom: 0.0,
        chance_to_win: 0.5,
        risk_control: 0.0,
        risk_variant: 0.0,
        degenerate: None,
    }
}
pub fn srm_p_value(users: &[u64], weights: &[f64]) -> f64 {
    1.0
}
pub fn holm(p: &[f64]) -> Vec<f64> {
    p.to_vec()
}
pub fn sample_size_proportions(
    baseline_rate: f64,
    mde_absolute: f64,
    alpha: f64,
    power: f64,
) -> Option<f64> {
    None
}
pub fn sample_size_means(std_dev: f64, mde_absolute: f64, alpha: f64, power: f64) -> Option<f64> {
    None
}
pub fn power_proportions(
    baseline_rate: f64,
    mde_absolute: f64,
    alpha: f64,
    per_variation: f64,
) -> Option<f64> {
    None
}
pub fn normal_quantile(p: f64) -> f64 {
    0.0
}
