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
