//! The chunks of a Blob's stream, each copied into a `Vec` for the engine.
//!
//! Read into one buffer of our own ("bring your own buffer") where the browser can, so no chunk
//! is left behind for the garbage collector; otherwise with the default reader, whose chunks
//! are new `Uint8Array`s. Measured on the 10M-row file: see docs/benchmarks.md, issue 15's sixth
//! pass.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ReadableStreamByobReader, ReadableStreamDefaultReader, ReadableStreamGetReaderOptions,
    ReadableStreamReadResult, ReadableStreamReaderMode,
};

/// Bytes of the buffer a "bring your own buffer" read fills (a read returns what has arrived,
/// up to this).
const BUFFER_BYTES: u32 = 1 << 20;

/// A reader of a Blob's bytes, in order.
pub enum Chunks {
    /// Into `buffer`, which each read hands back (transferred) for the next.
    Own {
        /// The stream's reader.
        reader: ReadableStreamByobReader,
        /// The buffer the next read fills.
        buffer: Uint8Array,
    },
    /// The stream's own chunks.
    Default(ReadableStreamDefaultReader),
}

impl Chunks {
    /// A reader of `blob`: into a buffer of our own where the browser can.
    pub fn of(blob: &Blob) -> Self {
        let stream = blob.stream();
        let options = ReadableStreamGetReaderOptions::new();
        options.set_mode(ReadableStreamReaderMode::Byob);
        // `getReader({ mode: "byob" })` throws where the stream is not a byte stream, and
        // web-sys's binding does not catch: called through `Function::call1`, which does.
        let byob = js_sys::Reflect::get(&stream, &"getReader".into())
            .and_then(|get| get.dyn_into::<js_sys::Function>())
            .and_then(|get| get.call1(&stream, &options))
            .and_then(|reader| reader.dyn_into::<ReadableStreamByobReader>());
        match byob {
            Ok(reader) => Self::Own {
                reader,
                buffer: Uint8Array::new_with_length(BUFFER_BYTES),
            },
            Err(_) => Self::Default(stream.get_reader().unchecked_into()),
        }
    }

    /// A reader of `blob` with the stream's own chunks (what [`Self::of`] falls back to).
    pub fn of_default(blob: &Blob) -> Self {
        Self::Default(blob.stream().get_reader().unchecked_into())
    }

    /// The next bytes, or `None` at the end of the Blob.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, JsValue> {
        let read: Promise = match self {
            Self::Own { reader, buffer } => reader.read_with_array_buffer_view(buffer),
            Self::Default(reader) => reader.read(),
        };
        let result: ReadableStreamReadResult = JsFuture::from(read).await?.unchecked_into();
        let value = result.get_value();
        if result.get_done().unwrap_or(true) {
            return Ok(None);
        }
        // A stream's chunk is a Uint8Array already: used as it is. (`Uint8Array::new` of one
        // copies it: 39 ms of the 1M-row read in a V8 profile of the worker.)
        let filled = value
            .dyn_into::<Uint8Array>()
            .unwrap_or_else(|other| Uint8Array::new(&other));
        let bytes = filled.to_vec();
        if let Self::Own { buffer, .. } = self {
            // The read transferred the buffer: the same memory, whole, for the next read.
            *buffer =
                Uint8Array::new_with_byte_offset_and_length(&filled.buffer(), 0, BUFFER_BYTES);
        }
        Ok(Some(bytes))
    }

    /// Stops the browser's read.
    pub fn cancel(&self) {
        let _ = match self {
            Self::Own { reader, .. } => reader.cancel(),
            Self::Default(reader) => reader.cancel(),
        };
    }
}
