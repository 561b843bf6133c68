//! The typed requests a [`super::Session`] answers and its replies: the page's worker protocol
//! and the CLI speak these. The wire framing (envelope, JSON, version) is the root crate's
//! `protocol` module.

use serde::{Deserialize, Serialize};

use crate::{
    cluster::{AttributeColumnInfo, AttributeJoin, ClusterReport, ClusterSettings, ClusterStage},
    clv::{ClvReport, ClvSettings, HoldoutComparison, TimeUnit},
    customers::{CustomerPage, CustomerProfile, CustomerQuery, TagCounts},
    ingest::{IngestError, IngestParams, Preview, PreviewParams, QualityReport},
    rfm::{Report, RfmParams},
    EngineError,
};

/// What the page asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// A new file (the attached Blob): keep it, drop any previous dataset, preview its head.
    Open {
        /// Detection overrides.
        params: PreviewParams,
    },
    /// Re-preview the kept file with other overrides (encoding, delimiter, header).
    Repreview {
        /// Detection overrides.
        params: PreviewParams,
    },
    /// Parse the kept file with the confirmed mapping, then analyse: the user's "Analyse".
    Ingest {
        /// Confirmed ingest parameters.
        ingest: IngestParams,
        /// Analysis parameters.
        rfm: RfmParams,
        /// First page of the customer table.
        query: CustomerQuery,
    },
    /// Re-analyse the cached dataset with new parameters.
    Analyze {
        /// Analysis parameters.
        rfm: RfmParams,
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
    /// One page of the customer table of the current analysis.
    Customers {
        /// The page.
        query: CustomerQuery,
    },
    /// All matching customers as a CSV Blob (attached to the response).
    Export {
        /// The filter and sort (offset and limit ignored).
        query: CustomerQuery,
    },
    /// Fit the purchase and spend models on the cached dataset and score every customer; the
    /// customer table then shows the predictions.
    Predict {
        /// Prediction settings.
        settings: ClvSettings,
        /// Customer table page to return with it.
        query: CustomerQuery,
    },
    /// Calibration/holdout validation on the cached dataset.
    Validate {
        /// Last day of the calibration period (days since 1970-01-01).
        calibration_end_day: i32,
        /// Last day of the holdout period; `None` = the last day of the data.
        holdout_end_day: Option<i32>,
        /// Time unit of the fits.
        time_unit: TimeUnit,
    },
    /// Every scored customer's predictions as a CSV Blob (attached to the response).
    ExportScores,
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
    /// The tags of every customer (built now if the results changed) with their counts, and the
    /// customer page with its tag badges. The page asks after each analysis, prediction or
    /// segmentation, so those answer without waiting for the tags.
    Tags {
        /// The customer table page to return with them.
        query: CustomerQuery,
    },
    /// One customer's profile and purchase timeline.
    CustomerProfile {
        /// The id as typed.
        customer_id: String,
    },
}

/// What the page shows about a loaded attributes file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributesSummary {
    /// Every header of the file (for the id-column choice).
    pub headers: Vec<String>,
    /// The id column used.
    pub id_column: String,
    /// The other columns.
    pub columns: Vec<AttributeColumnInfo>,
    /// How the ids joined the transactions.
    pub join: AttributeJoin,
}

/// Stages of a long job, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Reading and parsing the file.
    Reading,
    /// Scoring customers and building the report.
    Scoring,
    /// Writing an export.
    Exporting,
    /// Fitting the prediction models.
    Fitting,
    /// Segmenting customers, at this step.
    Clustering(ClusterStage),
}

/// What the session (through the worker) answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// Sent once at start-up (id 0).
    Ready {
        /// The worker's protocol version (the root crate's `protocol::PROTOCOL_VERSION`).
        protocol_version: u32,
    },
    /// Progress of a long request: `done` of `total` units (bytes when reading).
    Progress {
        /// The stage.
        stage: Stage,
        /// Units done.
        done: u64,
        /// Units in all.
        total: u64,
    },
    /// The head of the file with detections.
    Preview {
        /// Size of the whole file in bytes.
        file_bytes: u64,
        /// The preview.
        preview: Preview,
    },
    /// An analysis, after `Ingest` (with the quality report) or `Analyze` (without).
    Analyzed {
        /// Present after an ingest.
        quality: Option<QualityReport>,
        /// The dashboard.
        report: Report,
        /// The first customer page.
        page: CustomerPage,
        /// Milliseconds spent in the worker (parse + analysis).
        elapsed_ms: f64,
    },
    /// A prediction run finished.
    Predicted {
        /// What the predictions tab draws.
        report: ClvReport,
        /// The customer table page, with the prediction columns.
        page: CustomerPage,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
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
    /// The tag counts and the customer page with tags.
    Tagged {
        /// The tag values with counts, for the tag filter.
        tag_counts: TagCounts,
        /// The customer table page.
        page: CustomerPage,
    },
    /// A customer profile (or suggestions when the id is not found).
    Profile {
        /// The profile; `None` when no customer has this id.
        profile: Option<Box<CustomerProfile>>,
        /// Ids resembling the typed one, when not found.
        suggestions: Vec<String>,
    },
    /// A validation finished.
    Validated {
        /// The comparison.
        comparison: HoldoutComparison,
    },
    /// A customer table page.
    Customers {
        /// The page.
        page: CustomerPage,
    },
    /// The export Blob is attached.
    Exported {
        /// Customers written.
        rows: u64,
    },
    /// The request failed; nothing the page holds is invalidated.
    Failed {
        /// Why.
        error: SessionError,
    },
}

/// A failure of a request, as the page and the CLI see it.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SessionError {
    /// The engine refused the data or the parameters (typed, says where).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The request needs a file or dataset the session does not hold (e.g. a worker restarted after a cancel).
    #[error("the worker holds no {what}")]
    NothingLoaded {
        /// "file" or "dataset" or "analysis".
        what: String,
    },
    /// The browser failed to read the file.
    #[error("could not read the file: {message}")]
    Read {
        /// The browser's message.
        message: String,
    },
    /// The worker panicked or died; the page restarts it.
    #[error("the worker stopped: {message}")]
    Crashed {
        /// The panic or error text.
        message: String,
    },
    /// A message that could not be decoded (version skew or a bug), or a result that could not
    /// be encoded (a number that is not finite).
    #[error("bad message: {message}")]
    BadMessage {
        /// The decoder's message.
        message: String,
    },
    /// A result held a number that is not finite (NaN or ∞), which no screen, file or message may
    /// show; the request failed instead of showing it.
    #[error("a result held a number that is not finite ({message})")]
    NotFinite {
        /// Where the encoder found it.
        message: String,
    },
    /// The request was stopped by its cancel flag before it finished; the session keeps what it
    /// held before the request.
    #[error("cancelled")]
    Cancelled,
    /// The request belongs to an older file than the one the session holds (the user opened
    /// another file since); its answer would describe the wrong data.
    #[error("request for file generation {request}, session holds generation {current}")]
    Stale {
        /// The request's generation.
        request: u64,
        /// The session's generation.
        current: u64,
    },
}

impl From<IngestError> for SessionError {
    fn from(e: IngestError) -> Self {
        Self::Engine(EngineError::Ingest(e))
    }
}
