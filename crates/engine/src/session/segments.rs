//! Segments found in the data: attributes, segmentation runs, saved segmentations.

use serde::{Deserialize, Serialize};

use super::{
    nothing, with_elapsed, AttributesSummary, Download, Job, Reply, Response as SessionResponse,
    Session, SessionError, Source, Stage,
};
use crate::cluster::{ClusterAnalysis, ClusterReport, ClusterSettings, SegmentationModel};
use crate::customers::{CustomerPage, CustomerQuery};
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// A customer attributes file (the attached Blob; without one, the kept file is parsed again,
    /// e.g. with another id column), joined to the dataset's customers.
    OpenAttributes {
        /// Header of the id column; `None` = detect.
        id_column: Option<String>,
    },
    /// Forget the attributes file.
    ClearAttributes,
    /// Segment the customers (k-means) with these settings; the customer table gets the cluster
    /// tag.
    Cluster {
        /// Segmentation settings.
        settings: ClusterSettings,
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
    /// Score the dataset with a saved segmentation (the attached Blob, JSON).
    ApplySegmentation {
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
    /// The current segmentation as a JSON Blob (features, transforms, centroids, names; no
    /// customer rows).
    SaveSegmentation {
        /// The user's segment names ("" = automatic), by segment.
        names: Vec<String>,
    },
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// An attributes file was read and joined.
    AttributesLoaded {
        /// Its summary.
        attributes: AttributesSummary,
    },
    /// The attributes file was forgotten.
    AttributesCleared,
    /// A segmentation run (or a saved segmentation applied) finished.
    Clustered {
        /// What the segmentation section draws.
        report: ClusterReport,
        /// Segment names stored in an applied saved segmentation ("" = automatic); empty after
        /// a fresh run.
        names: Vec<String>,
        /// The customer table page, with the cluster tag.
        page: CustomerPage,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Segments(response).into()
    }
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    attachment: Option<Box<dyn Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    match request {
        Request::OpenAttributes { id_column } => session.open_attributes(attachment, id_column),
        Request::ClearAttributes => {
            session.attributes_file = None;
            session.attributes = None;
            Ok(Response::AttributesCleared.into())
        }
        Request::Cluster { settings, query } => {
            let started = (job.now_ms)();
            if (job.cancelled)() {
                return Err(SessionError::Cancelled);
            }
            let progress = &mut *job.progress;
            let mut on_progress = |stage, done: usize, total: usize| {
                progress(Stage::Clustering(stage), done as u64, total as u64);
            };
            let now_ms = &mut *job.now_ms;
            let reply = session.cluster_with(
                &query,
                Vec::new(),
                |input, now_ms| ClusterAnalysis::run(input, &settings, &mut on_progress, now_ms),
                now_ms,
            )?;
            Ok(with_elapsed(reply, (job.now_ms)() - started))
        }
        Request::ApplySegmentation { query } => {
            let started = (job.now_ms)();
            let file = attachment.ok_or_else(|| nothing("file"))?;
            let bytes = file
                .read_all()
                .map_err(|message| SessionError::Read { message })?;
            let text = String::from_utf8_lossy(&bytes);
            let model = SegmentationModel::from_json(&text).map_err(EngineError::from)?;
            let names = model.names.clone();
            let reply = session.cluster_with(
                &query,
                names,
                |input, now_ms| ClusterAnalysis::apply(input, &model, now_ms),
                job.now_ms,
            )?;
            Ok(with_elapsed(reply, (job.now_ms)() - started))
        }
        Request::SaveSegmentation { names } => {
            let cluster = session
                .cluster
                .as_ref()
                .ok_or_else(|| nothing("analysis"))?;
            let mut model = cluster.model.clone();
            model.names = names;
            Ok(Reply {
                response: SessionResponse::Exported {
                    rows: cluster.report.k as u64,
                },
                download: Some(Download {
                    prefix: "",
                    bytes: model.to_json().into_bytes(),
                    mime: "application/json",
                }),
            })
        }
    }
}
