//! The Web Worker: a thin adapter over the engine's [`Session`]. Blobs in, `postMessage` out,
//! progress in between; every decision about what is kept or dropped is the session's.
//!
//! Cancel: a fed read (below) stops at the page's cancel message before its next chunk, and the
//! worker lives on, its code warm. A synchronous job cannot be interrupted from inside: when the
//! cancel is not answered soon, the page terminates the worker, starts a fresh one (a fresh
//! session) and re-sends the file when needed.
//!
//! A UTF-8 CSV is read as the browser delivers it ([`Session::begin`] → [`feed`]): the Blob's
//! stream hands out chunks while the engine parses the ones before, so the browser's read
//! overlaps the parse. Messages that arrive meanwhile wait in a queue and are handled in order
//! after the answer.
//!
//! While it waits for the page's first request, the worker rehearses that request on a small
//! generated file ([`rehearse`]), so that V8 has optimised code for the parse and the RFM run
//! before the user's file arrives.

mod blob_reader;
mod helper;
pub mod stream;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::session::{warm, Begun, Download, FedRead, Job, Reply, Session, Source};
use crate::protocol::{
    decode, encode_response, Envelope, Request, Response, Stage, WorkerError, PROTOCOL_VERSION,
};
use blob_reader::BlobSource;

/// Minimum milliseconds between two progress messages of the same stage.
const PROGRESS_INTERVAL_MS: f64 = 80.0;

/// Bytes of the file read at a time when a fed read cannot stream its Blob ([`feed`]).
const FEED_BYTES: u64 = 4 << 20;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new().with_spreadsheets(crate::xlsx::NEW_SHEET));
    /// (id, generation) of the request being handled, for the panic hook.
    static CURRENT_REQUEST: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
    /// A fed read is under way: its file arrives between events, and other messages wait.
    static FEEDING: Cell<bool> = const { Cell::new(false) };
    /// The messages that arrived during a fed read, in order.
    static QUEUE: RefCell<VecDeque<MessageEvent>> = const { RefCell::new(VecDeque::new()) };
    /// The page has sent a request: the rehearsal stops.
    static ASKED: Cell<bool> = const { Cell::new(false) };
    /// The page cancelled the fed read under way: it stops before its next chunk.
    static STOP_READ: Cell<bool> = const { Cell::new(false) };
    /// The cancels to answer once the read has stopped: (id, generation).
    static CANCELS: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
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
                error: WorkerError::Crashed {
                    message: message.clone(),
                },
            },
            None,
        );
        // A fed read that panicked never ends: answer the messages that waited for it, and let
        // later ones through (each then gets its own answer, as after any panic).
        FEEDING.with(|f| f.set(false));
        let waiting = QUEUE.with(|q| {
            q.try_borrow_mut()
                .map(|mut q| std::mem::take(&mut *q))
                .unwrap_or_default()
        });
        for event in waiting {
            let (json, _) = crate::wire::unpack(&event.data());
            let (id, generation) = json
                .as_deref()
                .map_or((0, 0), crate::protocol::envelope_ids);
            let error = WorkerError::Crashed {
                message: message.clone(),
            };
            post(id, generation, &Response::Failed { error }, None);
        }
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
    let name = scope().name();
    if name == crate::protocol::WORKER_NAME_FIRST {
        // Before any file is chosen: the helper's script is fetched now, never later.
        helper::start();
    }
    if name == crate::protocol::WORKER_NAME_FIRST || name == helper::NAME {
        wasm_bindgen_futures::spawn_local(rehearse());
    }
}

/// Rehearses the page's first request (open a file, read it as streamed pieces, the RFM run, its
/// report encoded) on a generated file in a session of its own ([`warm`]), a few rounds, each
/// after the event loop has let any message through; it stops as soon as the page asks anything.
/// V8 compiles the hot functions again, optimised, in the background; a long call that began as
/// baseline code (the RFM run on the user's file) would otherwise stay so to its end.
async fn rehearse() {
    let mut file = None;
    for _ in 0..warm::ROUNDS {
        gloo_timers::future::TimeoutFuture::new(0).await;
        if ASKED.with(Cell::get) {
            return;
        }
        let file = file.get_or_insert_with(|| warm::rehearsal_file(warm::ROWS));
        // The answer is encoded as a real one would be, and dropped; a failure (none is known:
        // tests/web.rs runs this in the browser) only means less is warm.
        let reply = with_job(&mut |_, _, _| {}, |job| {
            warm::rehearse(file, warm::PIECE_BYTES, job)
        });
        if let Ok(reply) = reply {
            drop(encode_response(0, 0, &reply.response));
        }
    }
}

/// Runs `f` with a [`Job`] that reports to `progress` and is cancelled by the page's cancel of a
/// fed read ([`cancel`]; a synchronous request is cancelled by the page's `terminate()`).
fn with_job<T>(progress: &mut dyn FnMut(Stage, u64, u64), f: impl FnOnce(&mut Job<'_>) -> T) -> T {
    let mut clock = now_ms;
    let cancelled = || STOP_READ.with(Cell::get);
    let mut job = Job {
        progress,
        now_ms: &mut clock,
        cancelled: &cancelled,
    };
    f(&mut job)
}

fn on_message(event: MessageEvent) {
    ASKED.with(|a| a.set(true));
    if let Some((id, generation)) = crate::wire::unpack_cancel(&event.data()) {
        return cancel(id, generation);
    }
    if let Some(request) = crate::wire::unpack_part(&event.data()) {
        // The first worker's request, in its helper.
        return helper::serve(request);
    }
    if FEEDING.with(Cell::get) {
        // A fed read is under way: this message waits for its answer.
        QUEUE.with(|q| q.borrow_mut().push_back(event));
        return;
    }
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
    let mut progress = Progress::new(id, generation);
    let begun = progress
        .with_job(|job| SESSION.with(|s| s.borrow_mut().begin(generation, body, attachment, job)));
    match begun {
        Begun::Answered(result) => answer(id, generation, result),
        Begun::Fed(read) => {
            FEEDING.with(|f| f.set(true));
            wasm_bindgen_futures::spawn_local(async move {
                let result = feed(read, &mut progress).await;
                answer(id, generation, result);
                FEEDING.with(|f| f.set(false));
                STOP_READ.with(|s| s.set(false));
                for (id, generation) in CANCELS.with(|c| std::mem::take(&mut *c.borrow_mut())) {
                    answer_cancel(id, generation);
                }
                // The messages that arrived meanwhile, in order (one may start another read).
                while !FEEDING.with(Cell::get) {
                    let Some(event) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
                        break;
                    };
                    on_message(event);
                }
            });
        }
    }
}

/// The page's cancel ([`crate::wire::pack_cancel`]). A fed read stops before its next chunk (its
/// request is answered `Cancelled`), the messages that waited for it are dropped (the page
/// forgot them when it cancelled; those sent after the cancel queue behind it), and the cancel is
/// answered once the read has stopped. Anything else already ended (a synchronous request is
/// never interrupted by a message: the page terminates the worker when the answer does not come
/// soon), so the cancel is answered at once.
fn cancel(id: u64, generation: u64) {
    if FEEDING.with(Cell::get) {
        STOP_READ.with(|s| s.set(true));
        QUEUE.with(|q| q.borrow_mut().clear());
        CANCELS.with(|c| c.borrow_mut().push((id, generation)));
        helper::abandon();
    } else {
        answer_cancel(id, generation);
    }
}

/// Answers the page's cancel `id`: nothing runs for the page any more.
fn answer_cancel(id: u64, generation: u64) {
    let error = WorkerError::Cancelled;
    post(id, generation, &Response::Failed { error }, None);
}

/// Posts the answer to request `id` (with its download as a Blob).
fn answer(id: u64, generation: u64, result: Result<Reply, WorkerError>) {
    match result.and_then(|reply| {
        let blob = reply.download.map(download_blob).transpose()?;
        Ok((reply.response, blob))
    }) {
        Ok((response, blob)) => post(id, generation, &response, blob.as_ref()),
        Err(error) => post(id, generation, &Response::Failed { error }, None),
    }
}

/// The progress messages of one request, at most one per [`PROGRESS_INTERVAL_MS`] a stage.
struct Progress {
    id: u64,
    generation: u64,
    last: Option<(Stage, f64)>,
}

impl Progress {
    fn new(id: u64, generation: u64) -> Self {
        Self {
            id,
            generation,
            last: None,
        }
    }

    fn report(&mut self, stage: Stage, done: u64, total: u64) {
        let t = now_ms();
        let due = match self.last {
            Some((s, at)) => s != stage || done == 0 || t - at >= PROGRESS_INTERVAL_MS,
            None => true,
        };
        if due {
            self.last = Some((stage, t));
            post(
                self.id,
                self.generation,
                &Response::Progress { stage, done, total },
                None,
            );
        }
    }

    /// Runs `f` with a [`Job`] that reports here (see the free [`with_job`]).
    fn with_job<T>(&mut self, f: impl FnOnce(&mut Job<'_>) -> T) -> T {
        with_job(&mut |stage, done, total| self.report(stage, done, total), f)
    }
}

/// How long a fed read goes on between two turns of the event loop (a cancel waits at most about
/// this long; each turn costs about a millisecond).
const YIELD_EVERY_MS: f64 = 50.0;

/// Feeds the kept file to `read` as the browser reads it (`Blob.stream()`: the browser reads on
/// while the engine parses a chunk), then ends the read. Measured on the 1M-row file against
/// `FileReaderSync` and against sliced `arrayBuffer()` reads: see docs/benchmarks.md.
async fn feed(mut read: FedRead, progress: &mut Progress) -> Result<Reply, WorkerError> {
    let total = read.total_bytes();
    let blob = SESSION.with(|s| {
        let session = s.borrow();
        let source = session.file()?.as_any()?.downcast_ref::<BlobSource>()?;
        Some(source.0.clone())
    });
    let Some(blob) = blob else {
        // Not a Blob (not reached: the worker keeps Blobs): the session's own ranges.
        let mut start = 0;
        while start < total {
            let end = (start + FEED_BYTES).min(total);
            let bytes = SESSION.with(|s| {
                let session = s.borrow();
                let file = session.file().ok_or_else(|| WorkerError::Read {
                    message: "the file is gone".to_string(),
                })?;
                file.read_range(start, end)
                    .map_err(|message| WorkerError::Read { message })
            })?;
            progress.with_job(|job| read.feed(bytes, job))?;
            start = end;
        }
        return progress.with_job(|job| SESSION.with(|s| s.borrow_mut().end_fed(read, job)));
    };
    // A file of the right size is cut in two: the helper worker reads the second part while
    // this one reads the first ([`helper`]).
    let cut = helper::cut(&blob, total);
    let mut asked = None;
    match cut {
        Some(cut) => {
            read.read_in_parts(cut);
            let first = slice(&blob, 0, cut)?;
            let first_part = stream_into(&mut read, &first, progress, &mut |read| {
                if asked.is_none() {
                    asked = read
                        .plan_part(cut)
                        .and_then(|plan| helper::ask(&plan, &blob, cut, total));
                }
            })
            .await;
            if first_part.is_err() && asked.is_some() {
                // Cancelled or failed: the helper's rows will not be joined.
                helper::abandon();
            }
            first_part?;
            let rows = match asked {
                Some(id) => helper::answer(id).await,
                None => None,
            };
            // What happened is said on the console (tests/e2e/20-two-workers reads it).
            let joined = rows.is_some_and(|rows| match read.join(&crate::wire::JsBytes(rows)) {
                Ok(()) => {
                    let said = format!(
                        "segscope: the file was read by two workers (cut after byte {cut})"
                    );
                    web_sys::console::debug_1(&said.into());
                    true
                }
                Err(e) => {
                    // The cut fell inside a quoted cell (or a bug): read on alone.
                    let said = format!(
                        "segscope: the helper's part was not joined ({e:?}): read on alone"
                    );
                    web_sys::console::debug_1(&said.into());
                    false
                }
            });
            if !joined {
                let rest = slice(&blob, cut, total)?;
                stream_into(&mut read, &rest, progress, &mut |_| {}).await?;
            }
        }
        None => stream_into(&mut read, &blob, progress, &mut |_| {}).await?,
    }
    progress.with_job(|job| SESSION.with(|s| s.borrow_mut().end_fed(read, job)))
}

/// Bytes `start..end` of `blob`.
fn slice(blob: &Blob, start: u64, end: u64) -> Result<Blob, WorkerError> {
    blob.slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|e| WorkerError::Read {
            message: js_text(&e),
        })
}

/// Feeds `blob`'s bytes to `read` as the browser reads them, calling `after_chunk` after each.
async fn stream_into(
    read: &mut FedRead,
    blob: &Blob,
    progress: &mut Progress,
    after_chunk: &mut dyn FnMut(&FedRead),
) -> Result<(), WorkerError> {
    let read_error = |e: JsValue| WorkerError::Read {
        message: js_text(&e),
    };
    let mut chunks = stream::Chunks::of(blob);
    let streamed: Result<(), WorkerError> = async {
        let mut turned_at = now_ms();
        while let Some(bytes) = chunks.next().await.map_err(read_error)? {
            progress.with_job(|job| read.feed(bytes, job))?;
            after_chunk(read);
            // The stream hands out chunks it already holds as promise reactions, which run
            // before any message: measured, a cancel at 21 % of a 10M-row file waited for the
            // whole read. A timer every so often lets the page's messages (a cancel) through.
            if now_ms() - turned_at >= YIELD_EVERY_MS {
                gloo_timers::future::TimeoutFuture::new(0).await;
                turned_at = now_ms();
            }
        }
        Ok(())
    }
    .await;
    if streamed.is_err() {
        // Stop the browser's read too.
        chunks.cancel();
    }
    streamed
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
