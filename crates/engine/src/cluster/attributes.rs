//! The optional customer attributes file: parsed, typed per column, joined on the customer id.
//!
//! Encoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), delimiter (`,` `;` tab
//! `|`) and the id column's name (客户ID, 会员号, customer_id...) are detected by the transactions'
//! own [`preview`](crate::ingest::preview); numbers are read by
//! [`parse_amount`](crate::ingest::parse_amount) (thousands separators, decimal commas,
//! currency signs), so a file the transactions accept is accepted here.

use rustc_hash::FxHashMap;

use super::{AttributeColumnInfo, AttributeJoin, ClusterError, FeatureValues};
use crate::ingest::{self, IngestError};
use crate::Interned;

/// Bytes of the head given to the encoding/delimiter/header detection.
const SNIFF_BYTES: usize = 1 << 20;
/// Unmatched ids kept as examples.
const UNMATCHED_EXAMPLES: usize = 20;
/// Distinct values counted per column at most (see [`AttributeColumnInfo::distinct`]).
const DISTINCT_CAP: usize = 1_000;

/// One attribute column.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeColumn {
    /// Header.
    pub name: String,
    /// Values per file row (numeric when every non-empty value is a number).
    pub values: FeatureValues,
}

/// A parsed attributes file.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeTable {
    /// Header of the id column.
    pub id_column: String,
    /// Id of each row (trimmed).
    pub ids: Vec<String>,
    /// The other columns.
    pub columns: Vec<AttributeColumn>,
    /// Data rows read (header and blank lines excluded), duplicates included.
    pub rows_read: u64,
    /// Rows left out because their id repeats an earlier row's (the first is kept).
    pub duplicate_ids: u64,
}

impl AttributeTable {
    /// Parses a CSV (any encoding and delimiter the transactions accept). The id column is
    /// `id_column` when given, else the first column whose header looks like a customer id, else
    /// the first column. The first row is always the header.
    ///
    /// Fails with [`ClusterError::AttributesEmpty`] (no data row),
    /// [`ClusterError::AttributesNoIdColumn`] (`id_column` is not a header; exact match first,
    /// then ignoring case) and [`ClusterError::AttributesParse`] (binary data, a CSV error, or a
    /// row with more non-empty fields than the header, with its one-based line). Rows with fewer
    /// fields have the rest missing.
    pub fn parse(bytes: &[u8], id_column: Option<&str>) -> Result<Self, ClusterError> {
        let table = ingest::WholeTable::read(bytes, SNIFF_BYTES).map_err(|e| match e {
            IngestError::Empty | IngestError::HeaderOnly => ClusterError::AttributesEmpty,
            other => ClusterError::AttributesParse {
                line: 1,
                message: other.to_string(),
            },
        })?;
        let shape = &table.shape;
        let mut reader = table.reader();
        let mut record = csv::StringRecord::new();
        let parse_error = |e: csv::Error| ClusterError::AttributesParse {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        };

        // The header: the first non-blank record.
        let header: Vec<String> = ingest::read_header(&mut reader, &mut record)
            .map_err(parse_error)?
            .ok_or(ClusterError::AttributesEmpty)?
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                if h.is_empty() {
                    format!("column {}", i + 1)
                } else {
                    h
                }
            })
            .collect();
        let id_index = match id_column {
            Some(name) => header
                .iter()
                .position(|h| h == name.trim())
                .or_else(|| {
                    let lower = name.trim().to_lowercase();
                    header.iter().position(|h| h.to_lowercase() == lower)
                })
                .ok_or_else(|| ClusterError::AttributesNoIdColumn {
                    column: name.to_string(),
                })?,
            None => shape
                .mapping
                .customer_id
                .filter(|i| *i < header.len())
                .unwrap_or(0),
        };

        // Cells, column-major; rows with a repeated id are left out.
        let mut ids: Vec<String> = Vec::new();
        let mut seen: FxHashMap<String, ()> = FxHashMap::default();
        let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
        let (mut rows_read, mut duplicate_ids) = (0u64, 0u64);
        while reader.read_record(&mut record).map_err(parse_error)? {
            if ingest::is_blank_record(&record) {
                continue;
            }
            rows_read += 1;
            // A stray delimiter shifts every later cell: refuse rather than misread the row.
            let extra = record
                .iter()
                .skip(header.len())
                .any(|f| !f.trim().is_empty());
            if extra {
                return Err(ClusterError::AttributesParse {
                    line: record.position().map_or(0, csv::Position::line),
                    message: format!("{} fields, the header has {}", record.len(), header.len()),
                });
            }
            let id = record.get(id_index).unwrap_or("").trim();
            if seen.contains_key(id) {
                duplicate_ids += 1;
                continue;
            }
            seen.insert(id.to_string(), ());
            ids.push(id.to_string());
            for (column, values) in cells.iter_mut().enumerate() {
                values.push(record.get(column).unwrap_or("").trim().to_string());
            }
        }
        if ids.is_empty() {
            return Err(ClusterError::AttributesEmpty);
        }
        let id_name = header.get(id_index).cloned().unwrap_or_default();
        let columns = header
            .into_iter()
            .zip(cells)
            .enumerate()
            .filter(|(i, _)| *i != id_index)
            .map(|(_, (name, values))| AttributeColumn {
                name,
                values: typed(values),
            })
            .collect();
        Ok(Self {
            id_column: id_name,
            ids,
            columns,
            rows_read,
            duplicate_ids,
        })
    }

    /// Column descriptions for the page, in file order.
    pub fn column_info(&self) -> Vec<AttributeColumnInfo> {
        self.columns
            .iter()
            .map(|column| match &column.values {
                FeatureValues::Numeric(values) => {
                    let mut distinct: FxHashMap<u64, ()> = FxHashMap::default();
                    for v in values.iter().filter(|v| !v.is_nan()) {
                        if distinct.len() >= DISTINCT_CAP {
                            break;
                        }
                        distinct.insert((v + 0.0).to_bits(), ());
                    }
                    AttributeColumnInfo {
                        name: column.name.clone(),
                        numeric: true,
                        distinct: distinct.len() as u64,
                        missing: values.iter().filter(|v| v.is_nan()).count() as u64,
                    }
                }
                FeatureValues::Categorical { levels, codes } => AttributeColumnInfo {
                    name: column.name.clone(),
                    numeric: false,
                    distinct: levels.len().min(DISTINCT_CAP) as u64,
                    missing: codes.iter().filter(|c| c.is_none()).count() as u64,
                },
            })
            .collect()
    }

    /// Row of each customer index (`None` = no row) and the join report.
    pub fn join(&self, customer_ids: &Interned) -> (Vec<Option<usize>>, AttributeJoin) {
        let index: FxHashMap<&str, usize> = customer_ids
            .iter()
            .enumerate()
            .map(|(c, id)| (id.trim(), c))
            .collect();
        let mut rows = vec![None; customer_ids.len()];
        let mut join = AttributeJoin {
            rows: self.rows_read.max(self.ids.len() as u64),
            matched: 0,
            unmatched: 0,
            unmatched_examples: Vec::new(),
            customers_without_row: 0,
            duplicate_ids: self.duplicate_ids,
        };
        for (row, id) in self.ids.iter().enumerate() {
            match index.get(id.as_str()).and_then(|c| rows.get_mut(*c)) {
                Some(slot) => {
                    *slot = Some(row);
                    join.matched += 1;
                }
                None => {
                    join.unmatched += 1;
                    if join.unmatched_examples.len() < UNMATCHED_EXAMPLES {
                        join.unmatched_examples.push(id.clone());
                    }
                }
            }
        }
        join.customers_without_row = rows.iter().filter(|r| r.is_none()).count() as u64;
        (rows, join)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&AttributeColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Numeric when at least one value is non-empty and every non-empty value is a number; else
/// categorical with levels in first-seen order.
fn typed(values: Vec<String>) -> FeatureValues {
    let mut any = false;
    let numeric = values.iter().filter(|v| !v.is_empty()).all(|v| {
        any = true;
        ingest::parse_amount(v).is_some()
    });
    if numeric && any {
        return FeatureValues::Numeric(
            values
                .iter()
                .map(|v| ingest::parse_amount(v).unwrap_or(f64::NAN))
                .collect(),
        );
    }
    let mut levels: Vec<String> = Vec::new();
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let codes = values
        .into_iter()
        .map(|v| {
            if v.is_empty() {
                return None;
            }
            if let Some(code) = index.get(&v) {
                return Some(*code);
            }
            let code = levels.len() as u32;
            index.insert(v.clone(), code);
            levels.push(v);
            Some(code)
        })
        .collect();
    FeatureValues::Categorical { levels, codes }
}
