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
    Blob, ReadableStreamByobReader, ReadableStreamDefaultReader, ReadableStreamReadResult,
};

/// Bytes of the buffer a "bring your own buffer" read fills (a read returns what has arrived,
/// up to this).
const BUFFER_BYTES: u32 = 1 << 20;

/// A reader of a Blob's bytes, in order.
pub struct Chunks {
    way: Way,
    /// The end or an error was met: nothing more is read.
    ended: bool,
}

/// How [`Chunks`] reads.
enum Way {
    /// Into `buffer`, which each read hands back (transferred) for the next.
    Own {
        reader: ReadableStreamByobReader,
        buffer: Uint8Array,
    },
    /// The stream's own chunks.
    Default(ReadableStreamDefaultReader),
}

impl Chunks {
    /// A reader of `blob`: into a buffer of our own where the browser can (the stream is a byte
    /// stream), else with the stream's own chunks.
    pub fn of(blob: &Blob) -> Self {
        let stream = blob.stream();
        // The constructor throws (caught: `Err`) where the stream is not a byte stream, and
        // then leaves the stream unlocked for the default reader.
        let way = match ReadableStreamByobReader::new(&stream) {
            Ok(reader) => Way::Own {
                reader,
                buffer: Uint8Array::new_with_length(BUFFER_BYTES),
            },
            Err(_) => Way::Default(stream.get_reader().unchecked_into()),
        };
        Self { way, ended: false }
    }

    /// A reader of `blob` with the stream's own chunks (what [`Self::of`] falls back to).
    pub fn of_default(blob: &Blob) -> Self {
        let way = Way::Default(blob.stream().get_reader().unchecked_into());
        Self { way, ended: false }
    }

    /// Whether this reader fills a buffer of its own.
    pub fn own_buffer(&self) -> bool {
        matches!(self.way, Way::Own { .. })
    }

    /// The next bytes, or `None` at the end of the Blob (and after an error: `None` for ever).
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, JsValue> {
        if self.ended {
            return Ok(None);
        }
        self.ended = true;
        let read: Promise = match &self.way {
            Way::Own { reader, buffer } => reader.read_with_array_buffer_view(buffer),
            Way::Default(reader) => reader.read(),
        };
        let result: ReadableStreamReadResult = JsFuture::from(read).await?.unchecked_into();
        if result.get_done().unwrap_or(true) {
            return Ok(None);
        }
        // A stream's chunk is a Uint8Array already: used as it is. (`Uint8Array::new` of one
        // copies it: 39 ms of the 1M-row read in a V8 profile of the worker.)
        let filled = result
            .get_value()
            .dyn_into::<Uint8Array>()
            .map_err(|_| JsValue::from_str("a read gave something else than bytes"))?;
        let bytes = filled.to_vec();
        if let Way::Own { buffer, .. } = &mut self.way {
            // The read transferred the buffer: the same memory, whole, for the next read.
            *buffer = Uint8Array::new(&filled.buffer());
        }
        self.ended = false;
        Ok(Some(bytes))
    }

    /// Stops the browser's read.
    pub fn cancel(&self) {
        let _ = match &self.way {
            Way::Own { reader, .. } => reader.cancel(),
            Way::Default(reader) => reader.cancel(),
        };
    }
}
