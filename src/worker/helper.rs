//! The helper worker: the second core reads the second half of a file while the first worker
//! reads the first half.
//!
//! The browser gives a page no shared-memory threads without cross-origin isolation headers,
//! which plain static hosts do not send. Two workers need no shared memory: the first worker
//! (the session's) starts this one at its own start, before any file is chosen, so nothing is
//! fetched later. For a UTF-8 file of [`MIN_FILE_BYTES`] to [`MAX_FILE_BYTES`], the first worker
//! cuts the file after a line feed a little past its middle ([`cut`]), sends the helper the file and the
//! cut ([`ask`]) and reads the bytes before the cut itself. The helper reads the rest into rows
//! ([`serve`]: [`crate::engine::ingest::PartIngest`]) and sends them back as bytes
//! (transferred, not copied), which the first worker joins to its own
//! ([`crate::engine::session::FedRead::join`]). The result is the one-worker read's, byte for
//! byte (the engine's differential tests). When the join is refused (the cut fell inside a
//! quoted cell), or the helper fails, is busy or is gone, the first worker reads the rest itself.
//!
//! Larger files are read by the first worker alone: the helper's memory would hold its half
//! twice (its rows, then their bytes) and never shrink (a wasm memory only grows), which the
//! 10M-row file's memory target cannot afford.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, FileReaderSync, MessageEvent, Worker, WorkerOptions};

use super::stream::Chunks;
use crate::engine::ingest::{PartBytes, PartIngest, PartPlan};

/// The helper worker's name (it rehearses as the first worker does, and serves part requests).
pub const NAME: &str = "segscope-helper";
/// Files smaller than this are read by one worker (the helper's messages would cost more than
/// half the read saves).
pub const MIN_FILE_BYTES: u64 = 1 << 20;
/// Files larger than this are read by one worker (see the module's comment).
pub const MAX_FILE_BYTES: u64 = 128 << 20;
/// The share of the file the first worker reads: more than half, because the helper's half
/// reaches it later (the helper starts once the header is read, then writes its rows as bytes
/// and sends them) and joining them is the first worker's work. From timelines of the 1M-row file
/// in Chromium: at one half the first worker waited about 60 ms for the helper's rows, at 0.57
/// the helper's rows waited about 40 ms for the first worker (docs/benchmarks.md).
const FIRST_PART_SHARE: f64 = 0.55;
/// Bytes after the cut's aim searched for the line feed to cut after.
const CUT_WINDOW_BYTES: f64 = 64.0 * 1024.0;
/// Where the helper script is, relative to this worker's own (the same loader the page starts).
const LOADER_URL: &str = "./worker_loader.js";

thread_local! {
    static HELPER: RefCell<Option<Helper>> = const { RefCell::new(None) };
}

/// The first worker's view of its helper.
struct Helper {
    worker: Worker,
    /// The helper said it is ready (its first message).
    ready: bool,
    /// The helper failed (a crash or a load error): it is not asked again.
    gone: bool,
    /// The part request it is reading, if any.
    busy: Option<u64>,
    next_id: u64,
    /// The request whose answer is awaited, and the resolver of its promise.
    waiting: Option<(u64, Function)>,
    /// An answer that arrived before it was awaited.
    arrived: Option<(u64, JsValue)>,
    /// A request whose read ended without awaiting it ([`abandon`]): its answer is dropped.
    forgotten: Option<u64>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(JsValue)>,
}

/// Starts the helper worker (in the first worker, at its start), where the browser says it has
/// two cores or more. Without one, files are read by one worker.
pub fn start() {
    // One core: the helper would only take turns with the first worker.
    let cores = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()))
        .ok()
        .and_then(|c| c.as_f64())
        .unwrap_or(1.0);
    if cores < 2.0 {
        return;
    }
    let options = WorkerOptions::new();
    options.set_name(NAME);
    let worker = match Worker::new_with_options(LOADER_URL, &options) {
        Ok(worker) => worker,
        Err(e) => {
            web_sys::console::warn_2(&"segscope: no helper worker".into(), &e);
            return;
        }
    };
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        on_answer(event.data());
    });
    let on_error = Closure::<dyn Fn(JsValue)>::new(|e: JsValue| {
        web_sys::console::warn_2(&"segscope: the helper worker failed".into(), &e);
        gone();
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    HELPER.with(|h| {
        *h.borrow_mut() = Some(Helper {
            worker,
            ready: false,
            gone: false,
            busy: None,
            next_id: 1,
            waiting: None,
            arrived: None,
            forgotten: None,
            _on_message: on_message,
            _on_error: on_error,
        });
    });
}

/// A message from the helper: its first says it is ready; then the answers to part requests.
/// Anything else (the answer of its panic hook) means it crashed.
fn on_answer(data: JsValue) {
    let crashed = HELPER.with(|h| {
        let mut h = h.borrow_mut();
        let Some(helper) = h.as_mut() else {
            return false;
        };
        if !helper.ready {
            helper.ready = true;
            return false;
        }
        let Some(id) = crate::wire::part_rows_id(&data) else {
            return true;
        };
        if helper.busy == Some(id) {
            helper.busy = None;
        }
        if helper.forgotten == Some(id) {
            // Nobody waits for it: its rows are let go at once.
            helper.forgotten = None;
            return false;
        }
        match helper.waiting.take() {
            Some((awaited, resolve)) if awaited == id => {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
            other => {
                helper.waiting = other;
                helper.arrived = Some((id, data));
            }
        }
        false
    });
    if crashed {
        gone();
    }
}

/// The helper is gone: not asked again; an awaited answer is none.
fn gone() {
    HELPER.with(|h| {
        if let Some(helper) = h.borrow_mut().as_mut() {
            helper.gone = true;
            helper.busy = None;
            if let Some((_, resolve)) = helper.waiting.take() {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            }
        }
    });
}

/// Where to cut a file of `total` bytes for the helper: after the first line feed past
/// [`FIRST_PART_SHARE`] of it; `None` when the file is read by one worker (its size, a helper not ready, busy or
/// gone, no line feed near the middle).
pub fn cut(blob: &Blob, total: u64) -> Option<u64> {
    let available = HELPER.with(|h| {
        h.borrow()
            .as_ref()
            .is_some_and(|h| h.ready && !h.gone && h.busy.is_none())
    });
    if !available || !(MIN_FILE_BYTES..=MAX_FILE_BYTES).contains(&total) {
        return None;
    }
    let middle = (total as f64 * FIRST_PART_SHARE).floor();
    let end = (middle + CUT_WINDOW_BYTES).min(total as f64);
    let window = blob.slice_with_f64_and_f64(middle, end).ok()?;
    let bytes = FileReaderSync::new()
        .ok()?
        .read_as_array_buffer(&window)
        .ok()?;
    let at = Uint8Array::new(&bytes)
        .to_vec()
        .iter()
        .position(|&b| b == b'\n')?;
    let cut = middle as u64 + at as u64 + 1;
    (cut < total).then_some(cut)
}

/// Asks the helper to read `blob`'s bytes from `start` to `end` as `plan` says; the request's
/// id, or `None` when it cannot be sent.
pub fn ask(plan: &PartPlan, blob: &Blob, start: u64, end: u64) -> Option<u64> {
    let plan = serde_json::to_string(plan).ok()?;
    HELPER.with(|h| {
        let mut h = h.borrow_mut();
        let helper = h
            .as_mut()
            .filter(|h| h.ready && !h.gone && h.busy.is_none())?;
        let id = helper.next_id;
        helper.next_id += 1;
        let message = crate::wire::pack_part(id, plan, blob, start, end);
        helper.worker.post_message(&message).ok()?;
        helper.busy = Some(id);
        helper.arrived = None;
        Some(id)
    })
}

/// The rows of part request `id` once the helper has read them; `None` when it failed, is gone,
/// or the read was cancelled meanwhile ([`abandon`]).
pub async fn answer(id: u64) -> Option<Uint8Array> {
    let arrived = HELPER.with(|h| {
        let mut h = h.borrow_mut();
        let helper = h.as_mut()?;
        match helper.arrived.take() {
            Some((got, data)) if got == id => Some(Some(data)),
            _ if helper.gone || helper.busy != Some(id) => Some(None),
            _ => None,
        }
    });
    let data = match arrived {
        Some(data) => data?,
        None => {
            let promise = Promise::new(&mut |resolve, _reject| {
                HELPER.with(|h| {
                    if let Some(helper) = h.borrow_mut().as_mut() {
                        helper.waiting = Some((id, resolve));
                    }
                });
            });
            JsFuture::from(promise).await.ok()?
        }
    };
    match crate::wire::unpack_part_rows(&data)? {
        (_, Ok(bytes)) => Some(bytes),
        (_, Err(message)) => {
            web_sys::console::warn_2(
                &"segscope: the helper could not read".into(),
                &message.into(),
            );
            None
        }
    }
}

/// The read that asked the helper was cancelled or failed: a wait for its answer ends now, and
/// the answer is dropped when it comes (the helper reads on, and is not asked again before it
/// has answered).
pub fn abandon() {
    HELPER.with(|h| {
        if let Some(helper) = h.borrow_mut().as_mut() {
            helper.forgotten = helper.busy;
            helper.arrived = None;
            if let Some((_, resolve)) = helper.waiting.take() {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            }
        }
    });
}

/// In the helper: reads the part `request` names and answers with its rows (their buffer
/// transferred) or the error.
pub fn serve(request: crate::wire::PartRequest) {
    wasm_bindgen_futures::spawn_local(async move {
        let id = request.id;
        let message = match read_part(request).await {
            Ok(part) => {
                // Written straight into a JavaScript array (no copy of the rows in the helper's
                // own memory, which never shrinks), whose buffer is then transferred.
                let bytes = Uint8Array::new_with_length(part.len() as u32);
                let mut at = 0u32;
                part.write_to(&mut |piece| {
                    let end = at + piece.len() as u32;
                    bytes.subarray(at, end).copy_from(piece);
                    at = end;
                });
                drop(part);
                let transfer = Array::of1(&bytes.buffer());
                let message = crate::wire::pack_part_rows(id, Ok(&bytes));
                super::scope().post_message_with_transfer(&message, &transfer)
            }
            Err(error) => {
                let message = crate::wire::pack_part_rows(id, Err(&error));
                super::scope().post_message(&message)
            }
        };
        if let Err(e) = message {
            web_sys::console::error_2(&"segscope helper: postMessage failed".into(), &e);
        }
    });
}

/// Reads `request`'s part of its Blob into rows.
async fn read_part(request: crate::wire::PartRequest) -> Result<PartBytes, String> {
    let plan: PartPlan = serde_json::from_str(&request.plan).map_err(|e| e.to_string())?;
    let mut part = PartIngest::new(&plan).map_err(|e| e.to_string())?;
    let slice = request
        .blob
        .slice_with_f64_and_f64(request.start as f64, request.end as f64)
        .map_err(|e| super::js_text(&e))?;
    let mut chunks = Chunks::of(&slice);
    while let Some(bytes) = chunks.next().await.map_err(|e| super::js_text(&e))? {
        if let Err(e) = part.feed(bytes) {
            chunks.cancel();
            return Err(e.to_string());
        }
    }
    part.finish().map_err(|e| e.to_string())
}
