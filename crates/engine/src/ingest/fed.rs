//! [`FedIngest`]: the ingest of a UTF-8 file given its bytes as they arrive (the browser's worker
//! reads the file with `Blob.stream()` and parses each piece while the browser reads the next),
//! instead of pulling them from a reader that blocks ([`super::ingest`]).
//!
//! The same reader and builder do the work, so the result is [`super::ingest`]'s byte for byte:
//! the record reader stops where its source has no bytes yet ([`std::io::ErrorKind::WouldBlock`])
//! and goes on from there at the next piece (a plain line is scanned again; a quoted record keeps
//! `csv_core`'s state). The differential tests below cut files at random places.

use std::collections::VecDeque;
use std::io::{self, Cursor, Read};

use super::parse::{
    check_roles, drop_utf8_marks, read_head, read_rows_until_blocked, start_rows, try_first_record,
    Builder, HEAD_BYTES,
};
use super::part::{NotJoined, PartPlan, PartRows, PartSource};
use super::records::RecordReader;
use super::{IngestError, IngestParams, QualityReport, TextEncoding};
use crate::Dataset;

/// The pieces fed so far and not yet read; "would block" when there are none and more are to
/// come, the end of the input once [`FedIngest::finish`] said so.
#[derive(Default)]
pub(super) struct Pieces {
    pub(super) queue: VecDeque<Vec<u8>>,
    /// Bytes of the front piece already read.
    at: usize,
    pub(super) ended: bool,
}

impl Read for Pieces {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while let Some(front) = self.queue.front() {
            let rest = front.get(self.at..).unwrap_or_default();
            if rest.is_empty() {
                self.queue.pop_front();
                self.at = 0;
                continue;
            }
            let n = rest.len().min(out.len());
            if let (Some(to), Some(from)) = (out.get_mut(..n), rest.get(..n)) {
                to.copy_from_slice(from);
            }
            self.at += n;
            return Ok(n);
        }
        if self.ended {
            Ok(0)
        } else {
            Err(io::ErrorKind::WouldBlock.into())
        }
    }
}

/// Where a fed ingest is.
enum Step {
    /// Gathering the first [`HEAD_BYTES`] (to check that the file is text and estimate its rows).
    Head(Vec<u8>),
    /// Reading the header (or the first data row without one).
    FirstRecord(RecordReader<Pieces>, usize),
    /// Reading rows into the builder.
    Rows(RecordReader<Pieces>, Box<Builder>),
    /// Every record read (the end of the input was reached).
    Done(Box<Builder>),
    /// An error was returned (and is returned again).
    Failed(IngestError),
}

/// [`super::ingest`] of a UTF-8 file fed in pieces, in order: [`FedIngest::feed`] each piece
/// as it arrives (each is parsed up to its last whole record), then [`FedIngest::finish`].
/// After an error, the ingest is over: later calls return the same error.
pub struct FedIngest {
    params: IngestParams,
    total_bytes: u64,
    step: Step,
    /// A later part's rows were joined ([`Self::join`]): nothing more may be fed.
    joined: bool,
}

impl std::fmt::Debug for FedIngest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FedIngest")
            .field("total_bytes", &self.total_bytes)
            .finish_non_exhaustive()
    }
}

impl FedIngest {
    /// An ingest of a file of `total_bytes` (for the row estimate, as [`super::ingest`]'s) with
    /// `params`; `None` unless the file is UTF-8 (a decoder's state would not survive a stop).
    pub fn new(total_bytes: u64, params: &IngestParams) -> Result<Option<Self>, IngestError> {
        check_roles(&params.mapping)?;
        if !matches!(params.encoding, TextEncoding::Utf8) {
            return Ok(None);
        }
        Ok(Some(Self {
            params: params.clone(),
            total_bytes,
            step: Step::Head(Vec::with_capacity(HEAD_BYTES)),
            joined: false,
        }))
    }

    /// What a reader of the file's bytes from `start` on needs ([`super::PartIngest`]), once
    /// this read is reading rows (the header is read): `None` before.
    pub fn plan_part(&self, start: u64) -> Option<PartPlan> {
        let Step::Rows(_, builder) = &self.step else {
            return None;
        };
        let share = self.total_bytes.saturating_sub(start) as f64 / self.total_bytes.max(1) as f64;
        Some(PartPlan {
            params: self.params.clone(),
            columns: builder.columns().to_vec(),
            rows: (builder.reserved_rows() as f64 * share) as usize + 1024,
        })
    }

    /// Joins the rows another reader read from the rest of the file ([`super::PartIngest`],
    /// from the byte after the last one fed here): then [`Self::finish`] gives [`super::ingest`]'s
    /// result for the whole file, and nothing more may be fed. Refused when the bytes fed so far
    /// do not end at a record's end (the part began inside a quoted cell) or `part` is not a
    /// part's rows: feed the rest of the file instead. Nothing changes when refused.
    pub fn join(&mut self, part: &dyn PartSource) -> Result<(), NotJoined> {
        let Step::Rows(reader, builder) = &mut self.step else {
            return Err(NotJoined::NotAtRecordEnd);
        };
        if self.joined || !reader.at_clean_cut() {
            return Err(NotJoined::NotAtRecordEnd);
        }
        let rows = PartRows::from_source(part).map_err(NotJoined::BadPart)?;
        builder.append(rows, reader.line_feeds());
        self.joined = true;
        Ok(())
    }

    /// Parses `bytes`, the next piece of the file, as far as its last whole record (the rest
    /// waits for the next piece).
    pub fn feed(&mut self, bytes: Vec<u8>) -> Result<(), IngestError> {
        if bytes.is_empty() {
            return Ok(());
        }
        if self.joined {
            return Err(IngestError::Io {
                message: "bytes fed after the rest of the file was joined".to_string(),
            });
        }
        let rest = match &mut self.step {
            Step::Head(head) => {
                let taken = HEAD_BYTES.saturating_sub(head.len()).min(bytes.len());
                head.extend_from_slice(bytes.get(..taken).unwrap_or_default());
                if head.len() < HEAD_BYTES {
                    return Ok(());
                }
                bytes.get(taken..).unwrap_or_default().to_vec()
            }
            Step::FirstRecord(reader, _) | Step::Rows(reader, _) => {
                reader.source_mut().queue.push_back(bytes);
                Vec::new()
            }
            // Bytes after the end the reader found cannot be: it reads to the end of the input.
            Step::Done(_) | Step::Failed(_) => Vec::new(),
        };
        self.advance(rest, false)
    }

    /// The end of the file: reads what is left and returns [`super::ingest`]'s result.
    pub fn finish(mut self) -> Result<(Dataset, QualityReport), IngestError> {
        self.advance(Vec::new(), true)?;
        match self.step {
            Step::Done(builder) => {
                let (dataset, report, _) = builder.finish(0)?;
                Ok((dataset, report))
            }
            Step::Failed(e) => Err(e),
            // Not reached: with the input ended, the reader reads to its end.
            Step::Head(_) | Step::FirstRecord(..) | Step::Rows(..) => Err(IngestError::Io {
                message: "the file ended before it was read".to_string(),
            }),
        }
    }

    /// Goes as far as the pieces fed allow (`rest`: bytes after a full head; `ended`: the
    /// input has no more). After an error, the ingest is over: the same error at every call.
    fn advance(&mut self, rest: Vec<u8>, ended: bool) -> Result<(), IngestError> {
        let result = self.go_on(rest, ended);
        if let Err(e) = &result {
            self.step = Step::Failed(e.clone());
        }
        result
    }

    /// [`Self::advance`], without the error kept.
    fn go_on(&mut self, rest: Vec<u8>, ended: bool) -> Result<(), IngestError> {
        match &mut self.step {
            Step::Head(head) => {
                // The head is complete (or the input ended before it was): checked, and the
                // record reader started over it and `rest`, as [`super::ingest`] does.
                let head = std::mem::take(head);
                let (mut head, estimated_rows) = read_head(
                    &mut Cursor::new(head),
                    self.total_bytes,
                    self.params.encoding,
                )?;
                drop_utf8_marks(&mut head);
                let mut pieces = Pieces {
                    ended,
                    ..Pieces::default()
                };
                pieces.queue.extend([head, rest]);
                let reader = RecordReader::new(pieces, self.params.delimiter);
                self.step = Step::FirstRecord(reader, estimated_rows);
            }
            Step::FirstRecord(reader, _) | Step::Rows(reader, _) => {
                reader.source_mut().ended |= ended;
            }
            Step::Done(_) => return Ok(()),
            Step::Failed(e) => return Err(e.clone()),
        }
        let step = std::mem::replace(&mut self.step, Step::Head(Vec::new()));
        self.step = self.read_from(step)?;
        Ok(())
    }

    /// Reads records from `step` until the pieces run out (or the input ends); the step it
    /// stops at.
    fn read_from(&self, step: Step) -> Result<Step, IngestError> {
        let (mut reader, mut builder) = match step {
            Step::FirstRecord(mut reader, estimated_rows) => {
                let Some(first) = try_first_record(&mut reader, &self.params)? else {
                    return Ok(Step::FirstRecord(reader, estimated_rows));
                };
                let builder = start_rows(&self.params, first, estimated_rows)?;
                (reader, Box::new(builder))
            }
            Step::Rows(reader, builder) => (reader, builder),
            other => return Ok(other),
        };
        Ok(
            if read_rows_until_blocked(&mut reader, &mut builder, self.params.delimiter)? {
                Step::Done(builder)
            } else {
                Step::Rows(reader, builder)
            },
        )
    }
}

// Native only: proptest and the fixture files are not there on wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::ingest::parse::tests::{random_file_params, random_line, utf8_fixtures};
    use crate::ingest::{ingest, preview, ColumnMapping, DateOrder, PreviewParams};
    use proptest::prelude::*;

    /// [`FedIngest`] of `text` cut into pieces of the `sizes` in turn (the last size repeated).
    fn fed(
        text: &[u8],
        params: &IngestParams,
        sizes: &[usize],
    ) -> Result<(Dataset, QualityReport), IngestError> {
        let mut ingest = FedIngest::new(text.len() as u64, params)?.expect("UTF-8");
        let mut rest = text;
        let mut sizes = sizes
            .iter()
            .copied()
            .chain(std::iter::repeat(sizes.last().copied().unwrap_or(1)));
        while !rest.is_empty() {
            let n = sizes.next().unwrap_or(1).clamp(1, rest.len());
            let (piece, after) = rest.split_at(n);
            rest = after;
            ingest.feed(piece.to_vec())?;
        }
        ingest.finish()
    }

    /// The fed ingest's result (dataset, report or error) is [`ingest`]'s for every cut.
    fn fed_agrees(text: &[u8], params: &IngestParams, cuts: &[&[usize]]) {
        let whole = ingest(text, text.len() as u64, params, &mut |_| {});
        for sizes in cuts {
            let pieces = fed(text, params, sizes);
            assert_eq!(whole, pieces, "pieces of {sizes:?}");
        }
    }

    fn params_of(text: &[u8]) -> Option<IngestParams> {
        let shape = preview(text, &PreviewParams::default()).ok()?;
        if !matches!(shape.encoding, TextEncoding::Utf8) || shape.mapping.amount.is_none() {
            return None;
        }
        Some(IngestParams::from_preview(&shape))
    }

    #[test]
    fn fed_pieces_read_as_the_whole_file_over_the_fixtures() {
        let fixtures = utf8_fixtures(&["csv", "tsv", "txt"], 400_000);
        for (text, params) in &fixtures {
            fed_agrees(text, params, &[&[1], &[2, 3, 5], &[4096], &[65_535, 7]]);
        }
        assert!(fixtures.len() >= 30, "{} fixtures checked", fixtures.len());
    }

    /// A file longer than the head (6,000 lines, CRLF, a byte-order mark) with quoted cells
    /// across line breaks, escaped quotes and empty quoted cells.
    pub(in crate::ingest) fn quoted_line_breaks_file() -> String {
        let mut text = "\u{FEFF}customer,date,amount,note\r\n".to_string();
        for i in 0..6000 {
            let note = match i % 7 {
                0 => format!("\"line {i}\nnext, \"\"quoted\"\"\""),
                3 => "\"\"".to_string(),
                _ => format!("n{i}"),
            };
            text.push_str(&format!(
                "C{},2024-01-{:02},{}.5,{note}\r\n",
                i % 97,
                i % 28 + 1,
                i % 50
            ));
        }
        text
    }

    /// [`quoted_line_breaks_file`] fed in pieces that cut the head, lines, quotes and the CRLF
    /// pairs.
    #[test]
    fn a_file_longer_than_the_head_with_quoted_line_breaks() {
        let text = quoted_line_breaks_file();
        assert!(text.len() > 2 * HEAD_BYTES);
        let params = params_of(text.as_bytes()).expect("a transactions file");
        fed_agrees(
            text.as_bytes(),
            &params,
            &[
                &[1],
                &[HEAD_BYTES - 1, 3],
                &[HEAD_BYTES, 1],
                &[HEAD_BYTES + 1, 9999],
                &[1 << 20],
            ],
        );
    }

    #[test]
    fn other_encodings_are_not_fed_and_bad_mappings_are_refused_at_once() {
        let mut params = IngestParams {
            encoding: TextEncoding::Gb18030,
            delimiter: b',',
            has_header: true,
            date_order: DateOrder::Ymd,
            mapping: ColumnMapping {
                customer_id: Some(0),
                date: Some(1),
                amount: Some(2),
                ..Default::default()
            },
            keep_far_dates: false,
        };
        assert!(matches!(FedIngest::new(10, &params), Ok(None)));
        params.encoding = TextEncoding::Utf8;
        params.mapping.date = None;
        let fed = FedIngest::new(10, &params);
        let pulled = ingest(&b"a,b,c\n"[..], 6, &params, &mut |_| {});
        assert_eq!(fed.err(), pulled.err());
    }

    #[test]
    fn empty_text_and_header_only_files_fail_as_pulled() {
        let params = params_of(b"customer,date,amount\nC1,2024-01-01,5\n").expect("params");
        for text in [
            &b""[..],
            b"customer,date,amount\n",
            b"\n\n\n",
            b"customer,date,amount",
        ] {
            fed_agrees(text, &params, &[&[1], &[100]]);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn fed_pieces_read_as_the_whole_of_random_files(
            lines in proptest::collection::vec(random_line(), 1..30),
            sizes in proptest::collection::vec(1usize..40, 1..8),
            lead in 60_000usize..70_000,
            bom in any::<bool>(),
            long in any::<bool>(),
            semicolon in any::<bool>(),
            header in any::<bool>(),
        ) {
            let bom = if bom { "\u{FEFF}" } else { "" };
            // Long: the random lines come after the head, so they are read as pieces arrive
            // (a file within the head is read at the end).
            let padding: String = if long {
                (0..3600).map(|i| format!("P{i},2024-02-01,1,P1\n")).collect()
            } else {
                String::new()
            };
            let head = if header { "customer,date,amount,product\n" } else { "" };
            let mut text = format!("{bom}{head}{padding}{}", lines.concat());
            let delimiter = if semicolon {
                text = text.replace(',', ";");
                b';'
            } else {
                b','
            };
            let mut sizes = sizes;
            if long {
                sizes.insert(0, lead);
            }
            let params = random_file_params(delimiter, header);
            fed_agrees(text.as_bytes(), &params, &[&sizes, &[1]]);
        }
    }
}
