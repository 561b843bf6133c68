//! The JS shape of a message between the page and the worker: `{ json: string, blob?: Blob }`.
//! One place for both sides (wasm32 only); the JSON part is [`crate::protocol`].

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast as _, JsValue};
use web_sys::Blob;

/// Builds the wire object.
pub fn pack(json: String, blob: Option<&Blob>) -> Object {
    let msg = Object::new();
    // Setting plain properties on a fresh object cannot fail.
    let _ = Reflect::set(&msg, &"json".into(), &json.into());
    if let Some(b) = blob {
        let _ = Reflect::set(&msg, &"blob".into(), b);
    }
    msg
}

/// Reads the wire object: its JSON text and its Blob, each if present.
pub fn unpack(data: &JsValue) -> (Option<String>, Option<Blob>) {
    let json = Reflect::get(data, &"json".into())
        .ok()
        .and_then(|v| v.as_string());
    let blob = Reflect::get(data, &"blob".into())
        .ok()
        .and_then(|v| v.dyn_into::<Blob>().ok());
    (json, blob)
}

/// The page's cancel of whatever the worker is reading: `{ cancel: true, id, generation }`. The
/// worker answers it (by `id`, echoing `generation`) once the read has stopped, or at once when
/// nothing is being read.
pub fn pack_cancel(id: u64, generation: u64) -> Object {
    let msg = Object::new();
    // Setting plain properties on a fresh object cannot fail.
    let _ = Reflect::set(&msg, &"cancel".into(), &JsValue::TRUE);
    let _ = Reflect::set(&msg, &"id".into(), &JsValue::from_f64(id as f64));
    let _ = Reflect::set(
        &msg,
        &"generation".into(),
        &JsValue::from_f64(generation as f64),
    );
    msg
}

/// The `(id, generation)` of a cancel message ([`pack_cancel`]); `None` for any other message.
pub fn unpack_cancel(data: &JsValue) -> Option<(u64, u64)> {
    let is_cancel = Reflect::get(data, &"cancel".into()).ok()?.as_bool()?;
    if !is_cancel {
        return None;
    }
    let number = |key: &str| {
        Reflect::get(data, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v as u64)
    };
    Some((number("id")?, number("generation").unwrap_or(0)))
}
