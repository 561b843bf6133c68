//! One segmentation run. SKELETON.

use super::AttributeTable;
use super::{ClusterError, ClusterReport, ClusterSettings, ClusterStage, SegmentationModel};
use crate::engine::clv::ClvAnalysis;
use crate::engine::rfm::Analysis;
use crate::engine::Dataset;

/// What a run reads.
#[derive(Clone, Copy)]
pub struct ClusterInput<'a> {
    /// The transactions.
    pub dataset: &'a Dataset,
    /// The RFM run (its customers are the ones segmented).
    pub rfm: &'a Analysis,
    /// The prediction run, if any (CLV and probability-alive features, churn tag).
    pub clv: Option<&'a ClvAnalysis>,
    /// The attributes file, if any.
    pub attributes: Option<&'a AttributeTable>,
}

/// A finished segmentation: per-customer labels, the saved model and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterAnalysis {
    /// The settings it ran with.
    pub settings: ClusterSettings,
    /// Customer index of each row.
    pub customers: Vec<u32>,
    /// Segment of each row.
    pub labels: Vec<u32>,
    /// What "Save segmentation" writes.
    pub model: SegmentationModel,
    /// What the page draws.
    pub report: ClusterReport,
}

impl ClusterAnalysis {
    /// Features → transforms → sweep → fit → stability → profiles.
    pub fn run(
        input: &ClusterInput<'_>,
        settings: &ClusterSettings,
        progress: &mut dyn FnMut(ClusterStage, usize, usize),
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClusterError> {
        let _ = (input, settings, progress, now_ms);
        todo!()
    }

    /// Scores `input` with a saved segmentation (nearest centroid; no sweep, no refit).
    pub fn apply(
        input: &ClusterInput<'_>,
        model: &SegmentationModel,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClusterError> {
        let _ = (input, model, now_ms);
        todo!()
    }

    /// Segment of customer index `customer`, if segmented.
    pub fn segment_of(&self, customer: u32) -> Option<u32> {
        let _ = customer;
        todo!()
    }

    /// `customer_id,segment,segment_name` for every segmented customer (names in English,
    /// or the user's).
    pub fn export_csv(&self, dataset: &Dataset) -> String {
        let _ = dataset;
        todo!()
    }
}
