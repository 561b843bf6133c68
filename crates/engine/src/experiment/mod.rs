//! Campaign experiments: [`response`] (a regularised logistic-regression response model with its
//! AUC, decile and calibration tables, and a seeded train/test split) and [`uplift`] (a two-model
//! uplift model with Qini and uplift curves). Pure functions on feature matrices; wiring them to
//! customers is left to the callers.

pub mod response;
pub mod uplift;
