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
/// binary magic number at the start, or (outside UTF-16) many control characters or NUL bytes.
pub(crate) fn check_binary(head: &[u8], encoding: TextEncoding) -> Result<(), IngestError> {
    if MAGIC.iter().any(|magic| head.starts_with(magic)) {
        return Err(IngestError::Binary { byte_offset: 0 });
    }
    if matches!(encoding, TextEncoding::Utf16Le | TextEncoding::Utf16Be) {
        return Ok(());
    }
    // Control characters other than tab, line feed, carriage return, form feed and the DOS
    // end-of-file marker, NUL included: a few are tolerated (a stray NUL in a cell is a bad
    // cell, not a binary file), many mean binary.
    let is_control = |b: u8| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x19 | 0x1B..=0x1F);
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    if controls > 8.max(head.len() / 1000) {
        let offset = head.iter().position(|&b| is_control(b)).unwrap_or(0);
        return Err(IngestError::Binary {
            byte_offset: offset as u64,
        });
    }
    Ok(())
}

/// Detects the encoding of `head`, scoring the candidates rather than switching on the first
/// invalid byte:
/// 1. a BOM (UTF-8, UTF-16 LE/BE) — but a UTF-16 BOM before text without the NUL bytes of UTF-16
///    is a stray BOM on a single-byte file, read on;
/// 2. UTF-16 without a BOM, by its NUL pattern (ASCII characters have a zero high byte);
/// 3. UTF-8, when the bytes are valid UTF-8 or the valid multi-byte characters outnumber the broken
///    sequences [`UTF8_VALID_PER_ERROR`] to one (one broken byte in a Chinese export must not turn
///    every id into mojibake); a character cut at the very end of the head does not count;
/// 4. Windows-1252, when most bytes above 127 stand alone between ASCII bytes (é in "José"),
///    where GBK pairs them;
/// 5. GB18030.
///
/// Fails with [`IngestError::Binary`] for binary data.
pub(crate) fn detect_encoding(head: &[u8]) -> Result<TextEncoding, IngestError> {
    let mut body = head;
    match bom(head) {
        Some((TextEncoding::Utf16Le | TextEncoding::Utf16Be, len)) if !has_utf16_nuls(head) => {
            body = head.get(len..).unwrap_or_default();
        }
        Some((encoding, _)) => {
            check_binary(head, encoding)?;
            return Ok(encoding);
        }
        None => {
            if let Some(encoding) = utf16_by_nuls(head) {
                check_binary(head, encoding)?;
                return Ok(encoding);
            }
        }
    }
    check_binary(body, TextEncoding::Utf8)?;
    let (multibyte, errors) = utf8_stats(body);
    if errors == 0 || multibyte >= UTF8_VALID_PER_ERROR * errors {
        return Ok(TextEncoding::Utf8);
    }
    if mostly_lone_high_bytes(body) {
        return Ok(TextEncoding::Windows1252);
    }
    Ok(TextEncoding::Gb18030)
}

/// Whether [`detect_encoding`]'s answer for `head` was a judgement call: no byte-order mark, and
/// the bytes are neither plain ASCII nor UTF-8 without a broken sequence (Windows-1252 against
/// GB18030, UTF-8 despite broken bytes, UTF-16 found by its NUL bytes).
pub(crate) fn encoding_is_doubtful(head: &[u8], encoding: TextEncoding) -> bool {
    if bom(head).is_some_and(|(e, _)| e == encoding) {
        return false;
    }
    match encoding {
        TextEncoding::Utf8 => utf8_stats(head).1 > 0,
        _ => true,
    }
}

/// Valid multi-byte UTF-8 characters needed per broken sequence for a head to be read as UTF-8.
const UTF8_VALID_PER_ERROR: usize = 8;

/// Bytes of the head the UTF-16 NUL pattern is counted over.
const UTF16_SNIFF_BYTES: usize = 4096;

/// The head's (valid multi-byte UTF-8 characters, broken sequences); a sequence cut at the very
/// end is neither.
fn utf8_stats(head: &[u8]) -> (usize, usize) {
    let lead_bytes = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    let (mut multibyte, mut errors) = (0, 0);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => return (multibyte + lead_bytes(valid.as_bytes()), errors),
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                multibyte += lead_bytes(valid);
                let Some(length) = e.error_len() else {
                    return (multibyte, errors);
                };
                errors += 1;
                rest = after.get(length..).unwrap_or_default();
            }
        }
    }
}

/// Whether UTF-16's NUL bytes are there: at least a quarter of the first code units have one.
fn has_utf16_nuls(head: &[u8]) -> bool {
    let sample = head
        .get(..UTF16_SNIFF_BYTES.min(head.len()))
        .unwrap_or(head);
    sample.iter().filter(|&&b| b == 0).count() * 8 >= sample.len()
}

/// UTF-16 without a BOM: in text that is mostly ASCII (digits, delimiters, line ends), one byte
/// of each pair is 0 — the odd ones in little endian, the even ones in big endian — and the other
/// almost never is.
fn utf16_by_nuls(head: &[u8]) -> Option<TextEncoding> {
    let sample = head
        .get(..UTF16_SNIFF_BYTES.min(head.len()))
        .unwrap_or(head);
    let pairs = sample.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even, mut odd) = (0, 0);
    for pair in sample.chunks_exact(2) {
        if pair.first() == Some(&0) {
            even += 1;
        }
        if pair.get(1) == Some(&0) {
            odd += 1;
        }
    }
    if odd * 10 >= pairs * 4 && even * 50 <= pairs {
        Some(TextEncoding::Utf16Le)
    } else if even * 10 >= pairs * 4 && odd * 50 <= pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Whether most bytes above 127 stand alone, with ASCII on both sides: a single-byte code page
/// (Windows-1252: `José`, `Müller`). GBK writes its characters as pairs of such bytes.
fn mostly_lone_high_bytes(head: &[u8]) -> bool {
    let high = |b: Option<&u8>| b.is_some_and(|b| *b >= 0x80);
    let (mut total, mut lone) = (0usize, 0usize);
    for (i, b) in head.iter().enumerate() {
        if *b < 0x80 {
            continue;
        }
        total += 1;
        let before = i.checked_sub(1).and_then(|j| head.get(j));
        if !high(before) && !high(head.get(i + 1)) {
            lone += 1;
        }
    }
    total > 0 && lone * 2 > total
}

/// A whole file as text, its BOM removed; invalid sequences become U+FFFD (the attributes,
/// campaign and summary files, read whole).
pub(crate) fn decode_whole(bytes: &[u8], encoding: TextEncoding) -> Cow<'_, str> {
    encoding_rs_of(encoding).decode_with_bom_removal(bytes).0
}

/// Decodes `head` (BOM removed) into text. Invalid sequences become U+FFFD.
pub(crate) fn decode(head: &[u8], encoding: TextEncoding) -> Cow<'_, str> {
    let body = match bom(head) {
        Some((found, len)) if found == encoding => head.get(len..).unwrap_or_default(),
        _ => head,
    };
    let body = match (encoding, bom(body)) {
        // A stray UTF-16 BOM before UTF-8 text (see `detect_encoding`).
        (TextEncoding::Utf8, Some((TextEncoding::Utf16Le | TextEncoding::Utf16Be, len))) => {
            body.get(len..).unwrap_or_default()
        }
        _ => body,
    };
    match encoding {
        TextEncoding::Utf8 => String::from_utf8_lossy(body),
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(body).0,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(body).0,
        TextEncoding::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(body).0,
        TextEncoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
        }
    }
}

/// The `encoding_rs` encoding for a [`TextEncoding`].
pub(crate) fn encoding_rs_of(encoding: TextEncoding) -> &'static encoding_rs::Encoding {
    match encoding {
        TextEncoding::Utf8 => encoding_rs::UTF_8,
        TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
        TextEncoding::Gb18030 => encoding_rs::GB18030,
        TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
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
        // One NUL is a bad cell; many control bytes are binary.
        assert_eq!(detect_encoding(b"a,b\n1,\x002"), Ok(TextEncoding::Utf8));
        assert_eq!(
            detect_encoding(b"a,b\n1,\x00\x01\x02\x03\x04\x05\x06\x07\x08\x00\x012"),
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
