//! TEMPORARY stand-in until the Pareto/NBD model lands (branch wip-pareto).
#![allow(missing_docs, clippy::missing_errors_doc)]

use serde::{Deserialize, Serialize};

use super::{ClvError, Convergence, CustomerSummary, PurchaseModel, TimeUnit};

#[derive(Debug, Clone, Default)]
pub struct ParetoNbdParams;
pub struct ParetoNbdValidParams;
impl ParetoNbdParams {
    pub fn new() -> Self {
        Self
    }
    pub fn check(&self) -> Result<ParetoNbdValidParams, ClvError> {
        Ok(ParetoNbdValidParams)
    }
}
impl ParetoNbdValidParams {
    pub fn fit(&self, _summary: &CustomerSummary) -> Result<ParetoNbdModel, ClvError> {
        Err(ClvError::ZeroIterations)
    }
}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdModel;
impl ParetoNbdModel {
    pub fn r(&self) -> f64 {
        1.0
    }
    pub fn alpha(&self) -> f64 {
        1.0
    }
    pub fn s(&self) -> f64 {
        1.0
    }
    pub fn beta(&self) -> f64 {
        1.0
    }
    pub fn log_likelihood(&self) -> Option<f64> {
        None
    }
    pub fn convergence(&self) -> Option<&Convergence> {
        None
    }
}
impl PurchaseModel for ParetoNbdModel {
    fn name(&self) -> &'static str {
        "Pareto/NBD"
    }
    fn time_unit(&self) -> TimeUnit {
        TimeUnit::Days
    }
    fn probability_alive(&self, _: f64, _: f64, _: f64) -> Result<f64, ClvError> {
        Ok(1.0)
    }
    fn expected_purchases(&self, _: f64, _: f64, _: f64, _: f64) -> Result<f64, ClvError> {
        Ok(0.0)
    }
    fn expected_rate_if_alive(&self, _: f64, _: f64) -> f64 {
        0.0
    }
    fn expected_purchases_new_customer(&self, _: f64) -> f64 {
        0.0
    }
}
