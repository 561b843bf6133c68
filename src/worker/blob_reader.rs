//! `std::io::Read` over a browser `Blob`, in chunks, with `FileReaderSync` (workers only).
//! The file is never held whole in memory: one chunk at a time crosses into wasm.

use std::io::{self, Read};

use wasm_bindgen::JsCast as _;
use web_sys::{Blob, FileReaderSync};

use crate::engine::session::{Source, SourceReader};

/// Bytes read from the Blob per chunk.
const CHUNK_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// A streaming reader over a Blob.
pub struct BlobReader {
    blob: Blob,
    size: f64,
    next_offset: f64,
    chunk: Vec<u8>,
    position: usize,
    error: Option<String>,
}

impl BlobReader {
    /// Reads `blob` from the start.
    pub fn new(blob: Blob) -> Self {
        let size = blob.size();
        Self {
            blob,
            size,
            next_offset: 0.0,
            chunk: Vec::new(),
            position: 0,
            error: None,
        }
    }

    /// The browser's error, if a chunk could not be read (the engine only sees an `io::Error`).
    pub fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }

    /// Reads bytes `[start, end)` of a Blob.
    pub fn read_range(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
        let text = |e: wasm_bindgen::JsValue| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "unknown error".to_string())
        };
        let slice = blob.slice_with_f64_and_f64(start, end).map_err(text)?;
        let reader = FileReaderSync::new().map_err(text)?;
        let buffer = reader.read_as_array_buffer(&slice).map_err(text)?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.position >= self.chunk.len() {
            if self.next_offset >= self.size {
                return Ok(0);
            }
            let end = (self.next_offset + CHUNK_BYTES).min(self.size);
            match Self::read_range(&self.blob, self.next_offset, end) {
                Ok(bytes) => {
                    self.chunk = bytes;
                    self.position = 0;
                    self.next_offset = end;
                }
                Err(message) => {
                    self.error = Some(message.clone());
                    return Err(io::Error::other(message));
                }
            }
        }
        let available = self.chunk.get(self.position..).unwrap_or_default();
        let n = available.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), available.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.position += n;
        Ok(n)
    }
}

impl SourceReader for BlobReader {
    fn take_error(&mut self) -> Option<String> {
        BlobReader::take_error(self)
    }
}

/// A `Blob` as the session's [`Source`]: read lazily, never held whole unless asked.
pub struct BlobSource(pub Blob);

impl Source for BlobSource {
    fn size_bytes(&self) -> u64 {
        self.0.size() as u64
    }

    fn read_range(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        BlobReader::read_range(&self.0, start as f64, end as f64)
    }

    fn reader(&self) -> Box<dyn SourceReader + '_> {
        Box::new(BlobReader::new(self.0.clone()))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}
