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
    /// A second streaming reader from byte `start` to the end that another thread may use, so
    /// the ingest can read two halves of a file at once; `None` (the default) where there is one
    /// thread (the browser's worker: wasm threads need cross-origin isolation headers that static
    /// hosts do not send) or the source chose to be read by one.
    fn reader_from(&self, _start: u64) -> Option<Box<dyn SourceReader + Send + '_>> {
        None
    }
    /// The source as its own type, for an adapter that reads its own sources in its own way
    /// (the browser's worker streams its `Blob` into a [`super::Begun::Fed`] read); `None` by
    /// default.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
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

/// A file on disk (the CLI): read in ranges and streamed, never held whole.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug)]
pub struct FileSource {
    path: std::path::PathBuf,
    size_bytes: u64,
    /// Threads the ingest may use (1: one reader; 2: two halves at once).
    threads: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileSource {
    /// Opens `path` (to learn its size; every read opens it again).
    pub fn open(path: &std::path::Path) -> io::Result<Self> {
        let size_bytes = std::fs::metadata(path)?.len();
        // Fail now on a file that cannot be opened (permissions), not at the first read.
        std::fs::File::open(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            size_bytes,
            threads: 2,
        })
    }

    /// Sets the threads the ingest may use: 1 reads the file in one go, 2 or more (the default)
    /// in two halves at once. The ingest's result is the same either way.
    #[must_use]
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Source for FileSource {
    fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    fn read_range(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        use std::io::{Seek as _, SeekFrom};
        let mut file = std::fs::File::open(&self.path).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(start))
            .map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        file.take(end.saturating_sub(start))
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        Ok(bytes)
    }

    fn reader(&self) -> Box<dyn SourceReader + '_> {
        match std::fs::File::open(&self.path) {
            Ok(file) => Box::new(FileReader {
                inner: Some(io::BufReader::with_capacity(1 << 16, file)),
                error: None,
            }),
            Err(e) => Box::new(FileReader {
                inner: None,
                error: Some(e.to_string()),
            }),
        }
    }

    fn reader_from(&self, start: u64) -> Option<Box<dyn SourceReader + Send + '_>> {
        use std::io::{Seek as _, SeekFrom};
        if self.threads < 2 {
            return None;
        }
        let mut file = std::fs::File::open(&self.path).ok()?;
        file.seek(SeekFrom::Start(start)).ok()?;
        Some(Box::new(FileReader {
            inner: Some(io::BufReader::with_capacity(1 << 16, file)),
            error: None,
        }))
    }
}

/// A buffered file reader that keeps the error that stopped it.
#[cfg(not(target_arch = "wasm32"))]
struct FileReader {
    inner: Option<io::BufReader<std::fs::File>>,
    error: Option<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Read for FileReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.inner.as_mut() {
            Some(inner) => inner
                .read(out)
                .inspect_err(|e| self.error = Some(e.to_string())),
            None => Err(io::Error::other(
                self.error.clone().unwrap_or_else(|| "cannot open".into()),
            )),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl SourceReader for FileReader {
    fn take_error(&mut self) -> Option<String> {
        self.error.take()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_file_source_reads_ranges_and_streams_the_whole_file() {
        let path = std::env::temp_dir().join(format!("segscope-source-{}.csv", std::process::id()));
        std::fs::write(&path, b"customer_id,date,amount\nc1,2024-01-01,9.5\n").unwrap();
        let source = FileSource::open(&path).unwrap();
        assert_eq!(source.size_bytes(), 42);
        assert_eq!(source.read_range(24, 26).unwrap(), b"c1");
        // A range past the end is cut at the end, as a Blob slice is.
        assert_eq!(source.read_range(40, 99).unwrap(), b"5\n");
        let mut all = Vec::new();
        source.reader().read_to_end(&mut all).unwrap();
        assert_eq!(all, source.read_all().unwrap());
        std::fs::remove_file(&path).unwrap();
        assert!(FileSource::open(&path).is_err());
    }
}
