//! The page's side of the worker protocol: spawns the worker, queues requests until it is ready,
//! routes each response to the callback of the request it answers, and cancels: it asks the
//! worker to stop (a file being read stops between two chunks, and the worker, its code warm and
//! its bundle not fetched again, goes on), and terminates it and starts a fresh one when the
//! worker does not answer within [`CANCEL_WAIT_MS`] (a synchronous request runs to its end).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use js_sys::Object;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker, WorkerOptions};

use crate::protocol::{
    decode, encode, Envelope, Request, Response, WorkerError, PROTOCOL_VERSION, WORKER_NAME_AGAIN,
    WORKER_NAME_FIRST,
};

/// Where Trunk puts the worker's loader (relative, so any path prefix works).
const WORKER_URL: &str = "./worker_loader.js";

/// How long a cancel waits for the worker's answer before terminating it. A fed read answers
/// within a chunk's parse (1 MiB: ≈ 15 ms); a synchronous request does not answer until it ends.
const CANCEL_WAIT_MS: u32 = 400;

type Callback = Box<dyn FnMut(Response, Option<Blob>)>;
type CrashHandler = Box<dyn Fn(String)>;

struct Client {
    worker: Worker,
    ready: bool,
    /// The id of the cancel the worker has not answered yet: requests wait in `queue` meanwhile.
    stopping: Option<u64>,
    /// Requests a cancel forgot whose final answer has not come yet.
    forgotten: HashSet<u64>,
    /// One of them ended otherwise than failed before the cancel was answered: the worker's
    /// session may hold what the page forgot (an attributes file, say), so it is replaced.
    forgotten_ran: bool,
    queue: Vec<Object>,
    pending: HashMap<u64, Callback>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(ErrorEvent)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    static NEXT_ID: RefCell<u64> = const { RefCell::new(1) };
    static ON_CRASH: RefCell<Option<CrashHandler>> = const { RefCell::new(None) };
    /// The page's file generation: stamped on every request, echoed by every response; answers
    /// of an older generation (a file the user has since left) are dropped here, in one place.
    static GENERATION: RefCell<u64> = const { RefCell::new(1) };
    /// Whether a worker was started before (the next one is named [`WORKER_NAME_AGAIN`]).
    static STARTED_BEFORE: Cell<bool> = const { Cell::new(false) };
}

/// The user left the current file (a new file, or back to the start): requests from now on
/// belong to a new generation, and answers to older requests will be dropped unseen.
pub fn new_generation() -> u64 {
    GENERATION.with(|g| {
        let mut g = g.borrow_mut();
        *g += 1;
        *g
    })
}

fn generation() -> u64 {
    GENERATION.with(|g| *g.borrow())
}

/// Whether any request is still waiting for its answer.
pub fn has_pending() -> bool {
    CLIENT.with(|c| c.borrow().as_ref().is_some_and(|c| !c.pending.is_empty()))
}

/// Called with a message when the worker dies (after it was restarted).
pub fn on_crash(f: impl Fn(String) + 'static) {
    ON_CRASH.with(|c| *c.borrow_mut() = Some(Box::new(f)));
}

fn spawn() -> Result<Client, String> {
    let options = WorkerOptions::new();
    options.set_name(if STARTED_BEFORE.with(|s| s.replace(true)) {
        WORKER_NAME_AGAIN
    } else {
        WORKER_NAME_FIRST
    });
    let worker = Worker::new_with_options(WORKER_URL, &options).map_err(|e| format!("{e:?}"))?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(|e: ErrorEvent| {
        e.prevent_default();
        crash(e.message());
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Client {
        worker,
        ready: false,
        stopping: None,
        forgotten: HashSet::new(),
        forgotten_ran: false,
        queue: Vec::new(),
        pending: HashMap::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Starts the worker (idempotent).
pub fn start() -> Result<(), String> {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(spawn()?);
        }
        Ok(())
    })
}

/// Sends a request (with an optional Blob passed by reference) and calls `on_reply` with every
/// response to it: zero or more `Progress`, then exactly one final response. Returns the id.
pub fn send(
    request: &Request,
    blob: Option<&Blob>,
    on_reply: impl FnMut(Response, Option<Blob>) + 'static,
) -> u64 {
    let id = next_id();
    let msg = crate::wire::pack(
        encode(&Envelope {
            id,
            generation: generation(),
            body: request,
        }),
        blob,
    );
    let mut on_reply: Callback = Box::new(on_reply);
    let started = start();
    let failed = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else {
            return true;
        };
        if client.ready && client.stopping.is_none() {
            if client.worker.post_message(&msg).is_err() {
                return true;
            }
        } else {
            client.queue.push(msg);
        }
        client
            .pending
            .insert(id, std::mem::replace(&mut on_reply, Box::new(|_, _| {})));
        false
    });
    if failed {
        let message = started
            .err()
            .unwrap_or_else(|| "postMessage failed".to_string());
        on_reply(
            Response::Failed {
                error: WorkerError::Crashed { message },
            },
            None,
        );
    }
    id
}

/// The next message id (requests and cancels share the counter, so their answers never mix).
fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    })
}

/// Stops whatever the worker is doing and forgets pending requests (their callbacks are never
/// called). The worker is asked to stop; requests sent meanwhile wait until it has. A read stops
/// between two chunks and the worker goes on (its session keeps what it held before that read).
/// The worker is terminated and a fresh one, which holds no file or dataset, gets the requests
/// that waited when no answer comes within [`CANCEL_WAIT_MS`], or when a forgotten request ended
/// otherwise than failed before the answer (the worker may hold what the page forgot).
pub fn cancel() {
    let id = next_id();
    let asked = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else {
            return false;
        };
        let Client {
            pending, forgotten, ..
        } = client;
        forgotten.extend(pending.drain().map(|(id, _)| id));
        // Requests held for an earlier cancel were forgotten too.
        client.queue.clear();
        if !client.ready {
            return false;
        }
        let msg = crate::wire::pack_cancel(id, generation());
        if client.worker.post_message(&msg).is_err() {
            return false;
        }
        client.stopping = Some(id);
        true
    });
    if asked {
        // Forgotten, not dropped, so it is not freed while it runs; one small closure a cancel.
        gloo_timers::callback::Timeout::new(CANCEL_WAIT_MS, move || give_up_cancel(id)).forget();
    } else {
        replace_worker(Vec::new(), HashMap::new());
    }
}

/// The worker did not answer cancel `id` in time: it is replaced.
fn give_up_cancel(id: u64) {
    let stopping = CLIENT.with(|c| {
        c.borrow()
            .as_ref()
            .is_some_and(|client| client.stopping == Some(id))
    });
    if stopping {
        replace_current_worker();
    }
}

/// Terminates the worker and starts a fresh one, which gets the requests that waited.
fn replace_current_worker() {
    let waiting = CLIENT.with(|c| c.borrow_mut().take()).map(|old| {
        old.worker.terminate();
        (old.queue, old.pending)
    });
    let (queue, pending) = waiting.unwrap_or_default();
    replace_worker(queue, pending);
}

/// Terminates the worker if there is one and starts a fresh one, given `queue` to send once it is
/// ready and the callbacks of those requests. If no worker can be started, they fail at once.
fn replace_worker(queue: Vec<Object>, pending: HashMap<u64, Callback>) {
    CLIENT.with(|c| {
        if let Some(old) = c.borrow_mut().take() {
            old.worker.terminate();
        }
    });
    let started = start();
    let unsent = CLIENT.with(|c| match c.borrow_mut().as_mut() {
        Some(client) => {
            client.queue.extend(queue);
            client.pending.extend(pending);
            HashMap::new()
        }
        None => pending,
    });
    let message = started.err().unwrap_or_else(|| "no worker".to_string());
    for (_, mut cb) in unsent {
        let error = WorkerError::Crashed {
            message: message.clone(),
        };
        cb(Response::Failed { error }, None);
    }
}

/// The worker answered cancel `id`: the requests that waited go now (to a fresh worker when a
/// forgotten request ran to its end first). True when `id` was it.
fn cancel_answered(id: u64) -> bool {
    let answered = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut().filter(|client| client.stopping == Some(id))?;
        client.stopping = None;
        client.forgotten.clear();
        if std::mem::take(&mut client.forgotten_ran) {
            return Some(false);
        }
        for msg in client.queue.drain(..) {
            let _ = client.worker.post_message(&msg);
        }
        Some(true)
    });
    match answered {
        None => false,
        Some(true) => true,
        Some(false) => {
            replace_current_worker();
            true
        }
    }
}

/// Notes the final answer of a request a cancel forgot (see [`Client::forgotten_ran`]).
fn forgotten_answered(id: u64, response: &Response) {
    CLIENT.with(|c| {
        if let Some(client) = c.borrow_mut().as_mut() {
            if client.forgotten.remove(&id) && !matches!(response, Response::Failed { .. }) {
                client.forgotten_ran = true;
            }
        }
    });
}

fn on_message(event: MessageEvent) {
    let (json, blob) = crate::wire::unpack(&event.data());
    let envelope: Envelope<Response> = match json.as_deref().map(decode) {
        Some(Ok(e)) => e,
        Some(Err(e)) => return crash(e.to_string()),
        None => return crash("message without json".to_string()),
    };
    if let Response::Ready { protocol_version } = envelope.body {
        if protocol_version != PROTOCOL_VERSION {
            return crash(format!(
                "worker protocol {protocol_version}, page protocol {PROTOCOL_VERSION}: reload the page"
            ));
        }
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().as_mut() {
                client.ready = true;
                for msg in client.queue.drain(..) {
                    let _ = client.worker.post_message(&msg);
                }
            }
        });
        return;
    }
    if cancel_answered(envelope.id) {
        return;
    }
    let is_final = !matches!(envelope.body, Response::Progress { .. });
    if is_final {
        forgotten_answered(envelope.id, &envelope.body);
    }
    // Take the callback out while it runs: it may send new requests.
    let callback = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let client = c.as_mut()?;
        client.pending.remove(&envelope.id)
    });
    let stale = envelope.generation != generation();
    if let (Some(mut callback), false) = (callback, stale) {
        callback(envelope.body, blob);
        if !is_final {
            CLIENT.with(|c| {
                if let Some(client) = c.borrow_mut().as_mut() {
                    client.pending.insert(envelope.id, callback);
                }
            });
        }
    } else if let Response::Failed {
        error: WorkerError::Crashed { message },
    } = envelope.body
    {
        crash(message);
    }
}

/// The worker died: fail every pending request, restart, tell the page.
fn crash(message: String) {
    let (pending, was_ready): (Vec<Callback>, bool) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let old = c.take();
        old.map(|mut client| {
            client.worker.terminate();
            (
                client.pending.drain().map(|(_, cb)| cb).collect(),
                client.ready,
            )
        })
        .unwrap_or_default()
    });
    // A worker that dies before it is ready (missing or broken bundle) would die again: do not
    // respawn in a loop; the next request tries once more.
    if was_ready {
        let _ = start();
    }
    let error = WorkerError::Crashed {
        message: message.clone(),
    };
    for mut cb in pending {
        cb(
            Response::Failed {
                error: error.clone(),
            },
            None,
        );
    }
    ON_CRASH.with(|f| {
        if let Some(f) = f.borrow().as_ref() {
            f(message);
        }
    });
}
