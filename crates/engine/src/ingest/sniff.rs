//! Encoding, delimiter and header detection.
//!
//! All of it looks at the head of the file only (the first megabyte is plenty); the results are
//! suggestions the user confirms on the preview, so each rule prefers the common case.

use std::borrow::Cow;

use super::values::{looks_like_date_text, parse_amount};
use super::{IngestError, TextEncoding};

/// Delimiters SegScope tries, in order of preference when several fit equally well.
pub(crate) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records the delimiter and header sniffers look at.
const SNIFF_RECORDS: usize = 50;

/// Leading bytes of file formats that are certainly not a text table.
const MAGIC: [&[u8]; 7] = [
    b"\x89PNG",          // PNG
    b"PK\x03\x04",       // ZIP, and so .xlsx / .ods
    b"\xD0\xCF\x11\xE0", // OLE2, so legacy .xls
    b"\xFF\xD8\xFF",     // JPEG
    b"GIF8",             // GIF
    b"%PDF",             // PDF
    b"\x1F\x8B",         // gzip
];

/// The byte order mark at the start of `bytes`: (encoding, BOM length).
pub(crate) fn bom(bytes: &[u8]) -> Option<(TextEncoding, usize)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Some((TextEncoding::Utf8, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((TextEncoding::Utf16Le, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((TextEncoding::Utf16Be, 2))
    } else {
        None
    }
}

/// Fails with [`IngestError::Binary`] when `head` is certainly not text in `encoding`: a known
/// binary magic number at the start, a NUL byte (outside UTF-16), or many control characters.
pub(crate) fn check_binary(head: &[u8], encoding: TextEncoding) -> Result<(), IngestError> {
    if MAGIC.iter().any(|magic| head.starts_with(magic)) {
        return Err(IngestError::Binary { byte_offset: 0 });
    }
    if matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
        return Ok(());
    }
    if let Some(offset) = head.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary {
            byte_offset: offset as u64,
        });
    }
    // Control characters other than tab, line feed, carriage return, form feed and the DOS
    // end-of-file marker: a few are tolerated (stray bytes happen), many mean binary.
    let is_control = |b: u8| matches!(b, 0x01..=0x08 | 0x0B | 0x0E..=0x19 | 0x1B..=0x1F);
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    if controls > 8.max(head.len() / 1000) {
        let offset = head.iter().position(|&b| is_control(b)).unwrap_or(0);
        return Err(IngestError::Binary {
            byte_offset: offset as u64,
        });
    }
    Ok(())
}

/// Detects the encoding of `head`: BOM first (UTF-8, UTF-16 LE/BE), else valid UTF-8 (a
/// multi-byte character cut at the very end of the head is tolerated), else GB18030.
/// Fails with [`IngestError::Binary`] for binary data.
pub(crate) fn detect_encoding(head: &[u8]) -> Result<TextEncoding, IngestError> {
    if let Some((encoding, _)) = bom(head) {
        check_binary(head, encoding)?;
        return Ok(encoding);
    }
    check_binary(head, TextEncoding::Utf8)?;
    match std::str::from_utf8(head) {
        Ok(_) => Ok(TextEncoding::Utf8),
        // `error_len() == None`: the input ends in the middle of a character.
        Err(e) if e.error_len().is_none() => Ok(TextEncoding::Utf8),
        Err(_) => Ok(TextEncoding::Gb18030),
    }
}

/// Decodes `head` (BOM removed) into text. Invalid sequences become U+FFFD.
pub(crate) fn decode(head: &[u8], encoding: TextEncoding) -> Cow<'_, str> {
    let body = match bom(head) {
        Some((found, len)) if found == encoding => head.get(len..).unwrap_or_default(),
        _ => head,
    };
    match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(body),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(body).0,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(body).0,
        TextEncoding::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(body).0,
    }
}

/// The `encoding_rs` encoding for a [`TextEncoding`].
pub(crate) fn encoding_rs_of(encoding: TextEncoding) -> &'static encoding_rs::Encoding {
    match encoding {
        TextEncoding::Utf8 => encoding_rs::UTF_8,
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        TextEncoding::Gb18030 => encoding_rs::GB18030,
    }
}

/// Reads up to `limit` non-blank records of `text` with `delimiter`, quote-aware (RFC 4180).
pub(crate) fn records(text: &str, delimiter: u8, limit: usize) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    while out.len() < limit {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                if is_blank(&record) {
                    continue;
                }
                out.push(
                    record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned())
                        .collect(),
                );
            }
            Ok(false) | Err(_) => break,
        }
    }
    out
}

/// A record whose fields are all empty or whitespace (a blank line, or a line of delimiters).
pub(crate) fn is_blank(record: &csv::ByteRecord) -> bool {
    record
        .iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

/// Picks the delimiter whose field counts are most consistent over the first records, among
/// those giving at least two fields; ties go to more fields, then to the order of
/// [`DELIMITERS`]. Falls back to `,`.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    // (delimiter, per-mille of records with the usual field count, usual field count)
    let mut best: Option<(u8, usize, usize)> = None;
    for delimiter in DELIMITERS {
        let rows = records(text, delimiter, SNIFF_RECORDS);
        let Some(fields) = mode(rows.iter().map(Vec::len)) else {
            continue;
        };
        if fields < 2 {
            continue;
        }
        let consistent = rows.iter().filter(|r| r.len() == fields).count();
        let share = consistent * 1000 / rows.len().max(1);
        let better = best.is_none_or(|(_, best_share, best_fields)| {
            share > best_share || (share == best_share && fields > best_fields)
        });
        if better {
            best = Some((delimiter, share, fields));
        }
    }
    best.map_or(b',', |(delimiter, _, _)| delimiter)
}

/// The most frequent value (the largest on ties).
fn mode(values: impl Iterator<Item = usize>) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(value, _)| *value == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(value, n)| (n, value))
        .map(|(value, _)| value)
}

/// Whether a cell holds a number or a date (data, not a column name).
pub(crate) fn is_value_like(cell: &str) -> bool {
    let cell = cell.trim();
    !cell.is_empty() && (parse_amount(cell).is_some() || looks_like_date_text(cell))
}

/// Whether the first of `rows` is a header: yes when one of its cells is a known column name
/// (`is_role_name`); yes when a column is text in the first row but numbers or dates below it;
/// no when the first row itself holds a number or a date; otherwise yes (most exports have one).
pub(crate) fn detect_header(rows: &[Vec<String>], is_role_name: impl Fn(&str) -> bool) -> bool {
    let Some((first, rest)) = rows.split_first() else {
        return true;
    };
    if first.iter().any(|cell| is_role_name(cell)) {
        return true;
    }
    if !rest.is_empty() {
        for (column, head) in first.iter().enumerate() {
            if head.trim().is_empty() || is_value_like(head) {
                continue;
            }
            let cells: Vec<&str> = rest
                .iter()
                .filter_map(|r| r.get(column))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            let values = cells.iter().filter(|c| is_value_like(c)).count();
            if !cells.is_empty() && values * 10 >= cells.len() * 8 {
                return true;
            }
        }
    }
    !first.iter().any(|cell| is_value_like(cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_from_bom_and_content() {
        assert_eq!(
            detect_encoding(b"\xEF\xBB\xBFa,b\n"),
            Ok(TextEncoding::Utf8)
        );
        assert_eq!(
            detect_encoding(b"\xFF\xFEa\0,\0"),
            Ok(TextEncoding::Utf16Le)
        );
        assert_eq!(
            detect_encoding(b"\xFE\xFF\0a\0,"),
            Ok(TextEncoding::Utf16Be)
        );
        assert_eq!(
            detect_encoding("客户,金额\n".as_bytes()),
            Ok(TextEncoding::Utf8)
        );
        // A UTF-8 character cut at the end of the head is still UTF-8.
        let cut = "客户,金额".as_bytes();
        assert_eq!(
            detect_encoding(&cut[..cut.len() - 1]),
            Ok(TextEncoding::Utf8)
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode("客户,金额\n");
        assert_eq!(detect_encoding(&gbk), Ok(TextEncoding::Gb18030));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            detect_encoding(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(IngestError::Binary { byte_offset: 0 })
        );
        assert_eq!(
            detect_encoding(b"PK\x03\x04xl/"),
            Err(IngestError::Binary { byte_offset: 0 })
        );
        assert_eq!(
            detect_encoding(b"a,b\n1,\x002"),
            Err(IngestError::Binary { byte_offset: 6 })
        );
    }

    #[test]
    fn delimiters_are_sniffed_quote_aware() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5,25;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|x, y|3\n"), b'|');
        assert_eq!(sniff_delimiter("a,b\n\"x;y;z\",1\n\"p;q;r\",2\n"), b',');
        assert_eq!(sniff_delimiter("just one column\n"), b',');
    }

    #[test]
    fn header_rows_are_recognised() {
        let rows = |t: &str| records(t, b',', 50);
        let never = |_: &str| false;
        assert!(detect_header(
            &rows("name,when,total\nann,2024-03-05,12.5\n"),
            never
        ));
        assert!(!detect_header(
            &rows("ann,2024-03-05,12.5\nbob,2024-03-06,3\n"),
            never
        ));
        assert!(detect_header(&rows("a,b\nx,y\n"), |c| c == "a"));
    }
}
