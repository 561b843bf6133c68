//! The wire between the page and the worker, and nothing else: the envelope, the version, and the
//! one place that turns messages into JSON and back. The messages themselves are the engine
//! session's typed [`Request`]s and [`Response`]s ([`crate::engine::session`]).
//!
//! Each message travels as a JS object `{ json: string, blob?: Blob }`: the typed part as JSON
//! (small: previews, reports, one table page), plus an optional `Blob` that the browser passes by
//! reference (the user's file going in, an export coming out), so big data is never copied
//! through serde. [`encode`], [`encode_response`] and [`decode`] are the only (de)serialisation
//! points.

use serde::{Deserialize, Serialize};

pub use crate::engine::session::{
    customers, file, overview, predictions, segments, AttributesSummary, Request, Response,
    SessionError as WorkerError, Stage,
};

/// Bumped whenever a message changes shape; the page refuses a worker of another version.
/// 4: envelopes carry the file generation; one nested request and response enum per feature
/// (`Request::Predictions(predictions::Request::Predict { … })`); the session's `Cancelled`,
/// `Stale` and `NotFinite` errors. 5: the customer table's registered columns
/// (`CustomerPage::columns`, `CustomerRow::cells`, `SortKey::Column`, `CustomerQuery::bands`)
/// replace its prediction fields. 6: `CustomerProfile::intervals` (90 % intervals of P(alive)
/// and CLV); the quality report's `far_dates`; `IngestParams::keep_far_dates`. 7:
/// `ClvWarning::DropoutNotIdentified::model_gap_days`, `ClvScores::purchase_chance_horizon` and
/// the customer table's `purchase_chance` column. 8: `Preview::notes`; `ClvAnalysis::scoring`.
/// 9: `TextEncoding::Windows1252`. 10: `rfm::Report::customers_after_as_of`. 11: the baskets
/// feature (`Request::Baskets`, `Response::Baskets`, `Stage::Mining`,
/// `CustomerQuery::bought`). 12: cohorts (`Request::Cohorts`, `Response::Cohorts`,
/// `Stage::Lifecycle`). 13: repurchase cycles (`Request::Repurchase`, `Response::Repurchase`).
/// 15: campaigns (`Request::Experiment`, `Response::Experiment`, `Stage::Testing`).
/// 17: `ClvSettings::models` (which purchase models are fitted); `predictions::Request::Score`
/// and `Response::Scored` (the command line's scoring without the page's report);
/// `file::Request::Read` and `file::Response::Read` (a read without the RFM analysis).
/// 18: `IngestError::Csv` removed (the ingest's own record reader fails only on I/O).
pub const PROTOCOL_VERSION: u32 = 18;

/// The name the page gives the first worker it starts: only that one rehearses the page's first
/// request while it waits (`engine::session::warm`). A worker started again (after a crash or a
/// cancel) gets [`WORKER_NAME_AGAIN`]: the page re-sends its file at once, and a rehearsal that
/// failed would otherwise fail again in every new worker.
pub const WORKER_NAME_FIRST: &str = "segscope";
/// The name of every worker after the first.
pub const WORKER_NAME_AGAIN: &str = "segscope-again";

/// One message on the wire. Every request carries an id that its responses echo, and the page's
/// file generation, which the responses echo too (so an answer about an older file is dropped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Request id (the page's counter).
    pub id: u64,
    /// The page's file generation (bumped when the user opens another file).
    #[serde(default)]
    pub generation: u64,
    /// The message.
    pub body: T,
}

/// Serialises a request (page → worker). Requests hold parameters the page built; serialising
/// them cannot fail, and if it ever did the worker would answer `BadMessage` for it.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_default()
}

/// Serialises a response (worker → page), guaranteeing that the page can decode it: a response
/// that does not survive the round trip (serde_json writes NaN and ∞ as `null`, which then fails
/// to decode) is replaced by a `Failed` answer to the same request, so the page never hangs on a
/// reply it cannot read and no non-finite number crosses the wire.
pub fn encode_response(id: u64, generation: u64, body: &Response) -> String {
    let failed = |error: WorkerError| {
        let envelope = Envelope {
            id,
            generation,
            body: Response::Failed { error },
        };
        // A `Failed` with a plain string cannot fail to serialise; the literal is a last resort
        // that still names the request.
        serde_json::to_string(&envelope).unwrap_or_else(|_| {
            format!(
                r#"{{"id":{id},"generation":{generation},"body":{{"Failed":{{"error":{{"BadMessage":{{"message":"unencodable response"}}}}}}}}}}"#
            )
        })
    };
    let json = match serde_json::to_string(&Envelope {
        id,
        generation,
        body,
    }) {
        Ok(json) => json,
        Err(e) => {
            return failed(WorkerError::BadMessage {
                message: e.to_string(),
            })
        }
    };
    match decode::<Envelope<Response>>(&json) {
        Ok(_) => json,
        Err(WorkerError::BadMessage { message }) => failed(WorkerError::NotFinite { message }),
        Err(error) => failed(error),
    }
}

/// Parses the JSON part of the wire object.
pub fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, WorkerError> {
    serde_json::from_str(json).map_err(|e| WorkerError::BadMessage {
        message: e.to_string(),
    })
}

/// The `id` and `generation` of an envelope whose body could not be decoded (0 for what is
/// missing), so the failure can answer the request that carried it.
pub fn envelope_ids(json: &str) -> (u64, u64) {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(default)]
        id: u64,
        #[serde(default)]
        generation: u64,
    }
    serde_json::from_str::<Ids>(json).map_or((0, 0), |i| (i.id, i.generation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::customers::CustomerQuery;
    use crate::engine::session as msg;

    #[test]
    fn an_undecodable_body_still_names_its_request() {
        let json = r#"{"id":7,"generation":3,"body":{"Baskets":{"Rules":{"params":{"min_support":{"Share":null}}}}}}"#;
        assert!(decode::<Envelope<Request>>(json).is_err());
        assert_eq!(envelope_ids(json), (7, 3));
        assert_eq!(envelope_ids("{not json"), (0, 0));
    }

    #[test]
    fn garbage_decodes_to_a_typed_error() {
        let r: Result<Envelope<Request>, _> = decode("{not json");
        assert!(matches!(r, Err(WorkerError::BadMessage { .. })));
    }

    #[test]
    fn an_old_envelope_without_generation_reads_as_generation_0() {
        let e: Envelope<Request> =
            decode(r#"{"id":3,"body":{"Predictions":{"ExportScores":{}}}}"#).unwrap();
        assert_eq!(
            (e.id, e.generation, e.body),
            (
                3,
                0,
                Request::Predictions(msg::predictions::Request::ExportScores {
                    format: crate::engine::table_out::ExportFormat::Csv
                })
            )
        );
        let e: Envelope<Request> = decode(&encode(&Envelope {
            id: 4,
            generation: 9,
            body: Request::Customers(msg::customers::Request::Page {
                query: CustomerQuery::default(),
            }),
        }))
        .unwrap();
        assert_eq!((e.id, e.generation), (4, 9));
    }
}
