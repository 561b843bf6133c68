//! A small table read whole (the attributes and summary files): its shape detected by
//! [`preview`] from its head, its text decoded at once, its header the first non-blank record.

use std::borrow::Cow;

use super::sniff::decode_whole;
use super::{preview, IngestError, Preview, PreviewParams};

/// A whole file with a header row, decoded.
pub(crate) struct WholeTable<'a> {
    /// Its encoding, delimiter and suggested mapping.
    pub(crate) shape: Preview,
    text: Cow<'a, str>,
}

impl<'a> WholeTable<'a> {
    /// Detects the shape of `bytes` from its first `sniff_bytes` bytes (a header row assumed) and
    /// decodes the whole file (BOM removed, invalid sequences as U+FFFD). Fails as [`preview`].
    pub(crate) fn read(bytes: &'a [u8], sniff_bytes: usize) -> Result<Self, IngestError> {
        let head = bytes.get(..sniff_bytes).unwrap_or(bytes);
        let shape = preview(
            head,
            &PreviewParams {
                has_header: Some(true),
                ..PreviewParams::default()
            },
        )?;
        let text = decode_whole(bytes, shape.encoding);
        Ok(Self { shape, text })
    }

    /// A reader of every record (the header too, see [`read_header`]), rows of any length.
    pub(crate) fn reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.shape.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes())
    }
}

/// Whether every field of `record` is empty or white space.
pub(crate) fn is_blank_record(record: &csv::StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

/// Reads records into `record` up to the first non-blank one, the header, and returns its fields
/// trimmed; `None` when the file has no such record.
pub(crate) fn read_header(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::StringRecord,
) -> Result<Option<Vec<String>>, csv::Error> {
    loop {
        if !reader.read_record(record)? {
            return Ok(None);
        }
        if !is_blank_record(record) {
            return Ok(Some(record.iter().map(|h| h.trim().to_string()).collect()));
        }
    }
}
