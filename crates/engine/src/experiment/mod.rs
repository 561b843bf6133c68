//! A/B-test analysis: one variant against control on a metric's per-arm sufficient statistics.
//! [`stats`] holds the statistics core, matched to GrowthBook's gbstats 0.8.0 (Welch and
//! sequential t-tests, the flat-prior Bayesian chance to win and risk, CUPED, the sample-ratio
//! mismatch check), with Holm's correction and the sample-size and power planning figures.

pub mod stats;
