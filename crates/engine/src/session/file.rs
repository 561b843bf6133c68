//! The file: open it, preview it with other detections, parse it with the confirmed mapping.

use serde::{Deserialize, Serialize};

use super::{nothing, preview, Job, Reply, Session, SessionError, Source};
use crate::customers::CustomerQuery;
use crate::ingest::{IngestParams, Preview, PreviewParams};
use crate::rfm::RfmParams;

/// What the page asks of this feature.
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
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// The head of the file with detections.
    Preview {
        /// Size of the whole file in bytes.
        file_bytes: u64,
        /// The preview.
        preview: Preview,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::File(response).into()
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
        Request::Open { params } => {
            let file = attachment.ok_or_else(|| nothing("file"))?;
            session.reset(session.generation);
            let reply = preview(file.as_ref(), &params);
            session.file = Some(file);
            reply
        }
        Request::Repreview { params } => {
            let file = session.file.as_deref().ok_or_else(|| nothing("file"))?;
            preview(file, &params)
        }
        Request::Ingest { ingest, rfm, query } => {
            if let Some(file) = attachment {
                session.file = Some(file);
            }
            session.ingest(&ingest, &rfm, &query, job)
        }
    }
}
