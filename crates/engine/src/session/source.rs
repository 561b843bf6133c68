//! Where a session's files come from: a browser `Blob` in the worker, a file or bytes natively.
//! The session never holds a whole file in memory unless the source does.

use std::io::{self, Read};

/// A file the session may read more than once (the transactions file, an attributes file, a
/// saved segmentation).
pub trait Source {
    /// Size in bytes.
    fn size_bytes(&self) -> u64;
    /// Bytes `[start, end)`; `Err` carries the platform's message.
    fn read_range(&self, start: u64, end: u64) -> Result<Vec<u8>, String>;
    /// A streaming reader over the whole source.
    fn reader(&self) -> Box<dyn SourceReader + '_>;
    /// The whole source.
    fn read_all(&self) -> Result<Vec<u8>, String> {
        self.read_range(0, self.size_bytes())
    }
}

/// A streaming reader that can say why it stopped (the engine only sees an `io::Error`).
pub trait SourceReader: Read {
    /// The platform's read error, if a chunk could not be read.
    fn take_error(&mut self) -> Option<String> {
        None
    }
}

/// An in-memory source (the CLI, tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BytesSource(pub Vec<u8>);

impl From<&str> for BytesSource {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl From<Vec<u8>> for BytesSource {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Source for BytesSource {
    fn size_bytes(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_range(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let start = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(self.0.len());
        let end = usize::try_from(end)
            .unwrap_or(usize::MAX)
            .clamp(start, self.0.len());
        Ok(self.0.get(start..end).unwrap_or_default().to_vec())
    }

    fn reader(&self) -> Box<dyn SourceReader + '_> {
        Box::new(SliceReader(&self.0))
    }
}

struct SliceReader<'a>(&'a [u8]);

impl Read for SliceReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.read(out)
    }
}

impl SourceReader for SliceReader<'_> {}
