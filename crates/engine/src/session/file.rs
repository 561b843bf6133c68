//! The file: open it, preview it with other detections, parse it with the confirmed mapping.

use serde::{Deserialize, Serialize};

use super::{nothing, Job, Reply, Session, SessionError, Source, Stage};
use crate::customers::CustomerQuery;
use crate::ingest::{
    self, FedIngest, IngestParams, Preview, PreviewParams, QualityReport, Workbook,
};
use crate::rfm::RfmParams;
use crate::summary::SummaryLayout;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// A new file (the attached Blob): keep it, drop any previous dataset, preview its head.
    Open {
        /// Detection overrides.
        params: PreviewParams,
    },
    /// Re-preview the kept file with other overrides (encoding, delimiter, header, sheet).
    Repreview {
        /// Detection overrides.
        params: PreviewParams,
    },
    /// Parse the kept file with the confirmed mapping, then analyse: the user's "Analyse".
    /// With an attached file (after a restart), a workbook's `sheet` is read again.
    Ingest {
        /// For an attached workbook: the sheet the mapping was made on.
        #[serde(default)]
        sheet: Option<String>,
        /// Confirmed ingest parameters.
        ingest: IngestParams,
        /// Analysis parameters.
        rfm: RfmParams,
        /// First page of the customer table.
        query: CustomerQuery,
        /// Read the file as a per-customer summary with this layout (the preview's
        /// [`Preview::summary`], confirmed) instead of as transactions.
        #[serde(default)]
        summary: Option<SummaryLayout>,
    },
    /// [`Request::Ingest`] without the RFM analysis: keep the dataset (and drop every result)
    /// for an analysis that needs only the dataset, as the command line's `clv`.
    Read {
        /// For an attached workbook: the sheet the mapping was made on.
        #[serde(default)]
        sheet: Option<String>,
        /// Confirmed ingest parameters.
        ingest: IngestParams,
        /// Read the file as a per-customer summary with this layout instead of as transactions.
        #[serde(default)]
        summary: Option<SummaryLayout>,
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
        /// When the file is a workbook: its sheets and the one previewed.
        #[serde(default)]
        workbook: Option<Workbook>,
    },
    /// The file was read and its dataset kept ([`Request::Read`]).
    Read {
        /// The data-quality report.
        quality: QualityReport,
        /// Milliseconds spent in the worker.
        elapsed_ms: f64,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::File(response).into()
    }
}

/// What [`Session::begin`] did with a request.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Begun {
    /// It answered it, as [`Session::handle`] does.
    Answered(Result<Reply, SessionError>),
    /// It is a read of the kept file ([`Session::file`]): feed it the file's bytes in order
    /// ([`FedRead::feed`]), all of them, then answer with [`Session::end_fed`].
    Fed(FedRead),
}

/// A read of the kept file fed as it arrives ([`Session::begin`]).
#[derive(Debug)]
pub struct FedRead {
    pub(super) ingest: FedIngest,
    /// The RFM parameters and first customer page of an `Ingest` (`None`: a `Read`).
    pub(super) analyse: Option<(RfmParams, CustomerQuery)>,
    pub(super) started: f64,
    pub(super) total_bytes: u64,
    pub(super) fed_bytes: u64,
    pub(super) generation: u64,
    /// The session's count of files kept when the read began.
    pub(super) file: u64,
    /// Only the bytes before this are fed here ([`FedRead::read_in_parts`]): progress is scaled
    /// to the whole file.
    pub(super) first_part_bytes: Option<u64>,
}

impl FedRead {
    /// The size of the file to feed, in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Parses `bytes`, the next piece of the file, and reports the bytes fed so far
    /// ([`Stage::Reading`]). Stops with [`SessionError::Cancelled`] when the job is cancelled;
    /// after an error, feed nothing more (the session keeps what it held).
    pub fn feed(&mut self, bytes: Vec<u8>, job: &mut Job<'_>) -> Result<(), SessionError> {
        if (job.cancelled)() {
            return Err(SessionError::Cancelled);
        }
        self.fed_bytes += bytes.len() as u64;
        if self.fed_bytes > self.total_bytes {
            return Err(SessionError::Read {
                message: format!("more than the file's {} bytes arrived", self.total_bytes),
            });
        }
        self.ingest.feed(bytes)?;
        let done = match self.first_part_bytes {
            Some(part) => {
                let scaled = u128::from(self.fed_bytes) * u128::from(self.total_bytes)
                    / u128::from(part.max(1));
                u64::try_from(scaled)
                    .unwrap_or(u64::MAX)
                    .min(self.total_bytes)
            }
            None => self.fed_bytes,
        };
        (job.progress)(Stage::Reading, done, self.total_bytes);
        Ok(())
    }

    /// Says that the file's bytes from `cut` on are to be read by another reader
    /// ([`ingest::PartIngest`]) while the bytes before it are fed here: progress then counts the
    /// bytes fed here as their share of the whole. Without a [`Self::join`] later, feed the rest.
    pub fn read_in_parts(&mut self, cut: u64) {
        self.first_part_bytes = Some(cut).filter(|&c| c > 0 && c < self.total_bytes);
    }

    /// What the reader of the bytes from `cut` on needs, once the bytes fed so far include the
    /// header ([`ingest::FedIngest::plan_part`]).
    pub fn plan_part(&self, cut: u64) -> Option<ingest::PartPlan> {
        self.ingest.plan_part(cut)
    }

    /// Joins `part`, the rows another reader read from the byte after the last one fed here to
    /// the end of the file ([`ingest::FedIngest::join`]); then end the read
    /// ([`super::Session::end_fed`]). When refused, nothing changed: feed the rest of the file.
    pub fn join(&mut self, part: &dyn ingest::PartSource) -> Result<(), ingest::NotJoined> {
        if self.first_part_bytes != Some(self.fed_bytes) {
            // Not every byte before the cut was fed: the part would not follow them.
            return Err(ingest::NotJoined::NotAtRecordEnd);
        }
        self.ingest.join(part)?;
        self.fed_bytes = self.total_bytes;
        Ok(())
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
            session.keep_file(file, params.sheet.as_deref())?;
            session.preview_file(&params)
        }
        Request::Repreview { params } => {
            let other_sheet = session
                .workbook
                .as_ref()
                .is_some_and(|(_, book)| params.sheet.as_ref().is_some_and(|s| *s != book.sheet));
            if other_sheet {
                let (original, _) = session.workbook.take().ok_or_else(|| nothing("file"))?;
                session.keep_file(original, params.sheet.as_deref())?;
            }
            session.preview_file(&params)
        }
        Request::Ingest {
            sheet,
            ingest,
            rfm,
            query,
            summary,
        } => {
            if let Some(file) = attachment {
                session.keep_file(file, sheet.as_deref())?;
            }
            let analyse = Some((&rfm, &query));
            match summary {
                Some(layout) => session.ingest_summary(&layout, analyse, job),
                None => session.ingest(&ingest, analyse, job),
            }
        }
        Request::Read {
            sheet,
            ingest,
            summary,
        } => {
            if let Some(file) = attachment {
                session.keep_file(file, sheet.as_deref())?;
            }
            match summary {
                Some(layout) => session.ingest_summary(&layout, None, job),
                None => session.ingest(&ingest, None, job),
            }
        }
    }
}
