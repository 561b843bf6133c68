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
    Some((count(data, "id")?, count(data, "generation").unwrap_or(0)))
}

/// The first worker's request to its helper worker: read `blob`'s bytes `start..end` (a part of
/// the file the first worker reads the rest of) as `plan` says (JSON of
/// [`crate::engine::ingest::PartPlan`]): `{ part: id, plan, blob, start, end }`.
pub fn pack_part(id: u64, plan: String, blob: &Blob, start: u64, end: u64) -> Object {
    let msg = Object::new();
    // Setting plain properties on a fresh object cannot fail.
    let _ = Reflect::set(&msg, &"part".into(), &JsValue::from_f64(id as f64));
    let _ = Reflect::set(&msg, &"plan".into(), &plan.into());
    let _ = Reflect::set(&msg, &"blob".into(), blob);
    let _ = Reflect::set(&msg, &"start".into(), &JsValue::from_f64(start as f64));
    let _ = Reflect::set(&msg, &"end".into(), &JsValue::from_f64(end as f64));
    msg
}

/// A part request ([`pack_part`]).
pub struct PartRequest {
    /// The request's id (its answer echoes it).
    pub id: u64,
    /// JSON of the [`crate::engine::ingest::PartPlan`].
    pub plan: String,
    /// The whole file.
    pub blob: Blob,
    /// The part's first byte (after a line feed).
    pub start: u64,
    /// The byte after the part's last.
    pub end: u64,
}

/// A non-negative whole number property of `data`.
fn count(data: &JsValue, key: &str) -> Option<u64> {
    Reflect::get(data, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v as u64)
}

/// The part request in `data`, if it is one ([`pack_part`]).
pub fn unpack_part(data: &JsValue) -> Option<PartRequest> {
    Some(PartRequest {
        id: count(data, "part")?,
        plan: Reflect::get(data, &"plan".into()).ok()?.as_string()?,
        blob: Reflect::get(data, &"blob".into()).ok()?.dyn_into().ok()?,
        start: count(data, "start")?,
        end: count(data, "end")?,
    })
}

/// The helper's answer to part request `id`: the rows' bytes
/// ([`crate::engine::ingest::PartIngest::finish`]) or what went wrong:
/// `{ partRows: id, bytes? , error? }`.
pub fn pack_part_rows(id: u64, rows: Result<&js_sys::Uint8Array, &str>) -> Object {
    let msg = Object::new();
    // Setting plain properties on a fresh object cannot fail.
    let _ = Reflect::set(&msg, &"partRows".into(), &JsValue::from_f64(id as f64));
    let _ = match rows {
        Ok(bytes) => Reflect::set(&msg, &"bytes".into(), bytes),
        Err(message) => Reflect::set(&msg, &"error".into(), &message.into()),
    };
    msg
}

/// The id of the answer in `data`, if it is one ([`pack_part_rows`]), without copying its bytes.
pub fn part_rows_id(data: &JsValue) -> Option<u64> {
    count(data, "partRows")
}

/// The answer in `data`, if it is one ([`pack_part_rows`]): its id, and the array of the rows'
/// bytes (not copied) or the helper's error.
pub fn unpack_part_rows(data: &JsValue) -> Option<(u64, Result<js_sys::Uint8Array, String>)> {
    let id = part_rows_id(data)?;
    let bytes = Reflect::get(data, &"bytes".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok());
    let rows = match bytes {
        // Not copied here: the join reads them a piece at a time ([`JsBytes`]).
        Some(bytes) => Ok(bytes),
        None => Err(Reflect::get(data, &"error".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| "the helper answered without rows".to_string())),
    };
    Some((id, rows))
}

/// The bytes of a JavaScript array as a part's rows to join
/// ([`crate::engine::ingest::PartSource`]): copied into the worker's memory a piece at a time
/// as the columns are appended, never whole (a 1M-row file's second part is ≈ 20 MiB).
pub struct JsBytes(pub js_sys::Uint8Array);

impl crate::engine::ingest::PartSource for JsBytes {
    fn len(&self) -> usize {
        self.0.length() as usize
    }

    fn read_at(&self, at: usize, into: &mut [u8]) {
        let end = at.saturating_add(into.len());
        if end > self.len() {
            return;
        }
        // Within the array, so the subarray has `into`'s length (`copy_to` requires it).
        self.0.subarray(at as u32, end as u32).copy_to(into);
    }
}
