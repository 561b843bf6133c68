//! The Web Worker: a thin adapter over the engine's [`Session`]. Blobs in, `postMessage` out,
//! progress in between; every decision about what is kept or dropped is the session's.
//!
//! Cancel is `Worker.terminate()` on the page side (a synchronous job cannot be interrupted from
//! inside); the page then starts a fresh worker (a fresh session) and re-sends the file when
//! needed.

mod blob_reader;

use std::cell::{Cell, RefCell};

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::session::{Download, Job, Session, Source};
use crate::protocol::{
    decode, encode_response, Envelope, Request, Response, Stage, WorkerError, PROTOCOL_VERSION,
};
use blob_reader::BlobSource;

/// Minimum milliseconds between two progress messages of the same stage.
const PROGRESS_INTERVAL_MS: f64 = 80.0;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new().with_spreadsheets(crate::xlsx::NEW_SHEET));
    /// (id, generation) of the request being handled, for the panic hook.
    static CURRENT_REQUEST: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(id: u64, generation: u64, body: &Response, blob: Option<&Blob>) {
    let msg = crate::wire::pack(encode_response(id, generation, body), blob);
    if let Err(e) = scope().post_message(&msg) {
        web_sys::console::error_2(&"segscope worker: postMessage failed".into(), &e);
    }
}

/// Entry point of the worker binary.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Tell the page which request died, then let the default hook log it.
        let message = info.to_string();
        let (id, generation) = CURRENT_REQUEST.with(Cell::get);
        post(
            id,
            generation,
            &Response::Failed {
                error: WorkerError::Crashed { message },
            },
            None,
        );
        console_error_panic_hook::hook(info);
    }));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(
        0,
        0,
        &Response::Ready {
            protocol_version: PROTOCOL_VERSION,
        },
        None,
    );
}

fn on_message(event: MessageEvent) {
    let (json, blob) = crate::wire::unpack(&event.data());
    let Some(json) = json else {
        let error = WorkerError::BadMessage {
            message: "message without json".to_string(),
        };
        post(0, 0, &Response::Failed { error }, None);
        return;
    };
    let envelope: Envelope<Request> = match decode(&json) {
        Ok(e) => e,
        Err(error) => {
            // Answer the request that could not be read (e.g. a setting the page sent as
            // `null`), so the page's job ends with a message instead of waiting forever.
            let (id, generation) = crate::protocol::envelope_ids(&json);
            post(id, generation, &Response::Failed { error }, None);
            return;
        }
    };
    let Envelope {
        id,
        generation,
        body,
    } = envelope;
    CURRENT_REQUEST.with(|c| c.set((id, generation)));
    let attachment = blob.map(|b| Box::new(BlobSource(b)) as Box<dyn Source>);
    let mut last: Option<(Stage, f64)> = None;
    let mut progress = |stage: Stage, done: u64, total: u64| {
        let t = now_ms();
        let due = match last {
            Some((s, at)) => s != stage || done == 0 || t - at >= PROGRESS_INTERVAL_MS,
            None => true,
        };
        if due {
            last = Some((stage, t));
            post(
                id,
                generation,
                &Response::Progress { stage, done, total },
                None,
            );
        }
    };
    let mut clock = now_ms;
    let cancelled = || false;
    let mut job = Job {
        progress: &mut progress,
        now_ms: &mut clock,
        cancelled: &cancelled,
    };
    let result = SESSION.with(|s| {
        s.borrow_mut()
            .handle(generation, body, attachment, &mut job)
    });
    match result.and_then(|reply| {
        let blob = reply.download.map(download_blob).transpose()?;
        Ok((reply.response, blob))
    }) {
        Ok((response, blob)) => post(id, generation, &response, blob.as_ref()),
        Err(error) => post(id, generation, &Response::Failed { error }, None),
    }
}

/// The download as a Blob (the prefix, e.g. a CSV's byte-order mark, first).
fn download_blob(download: Download) -> Result<Blob, WorkerError> {
    let bytes = js_sys::Uint8Array::from(download.bytes.as_slice());
    let parts = if download.prefix.is_empty() {
        Array::of1(&bytes)
    } else {
        Array::of2(&download.prefix.into(), &bytes)
    };
    let options = BlobPropertyBag::new();
    options.set_type(download.mime);
    Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| WorkerError::Read {
        message: js_text(&e),
    })
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{v:?}"))
}
