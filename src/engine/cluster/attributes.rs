//! The optional customer attributes file: parsed, typed per column, joined on the customer id.
//! SKELETON.

use super::{AttributeColumnInfo, AttributeJoin, ClusterError, FeatureValues};
use crate::engine::Interned;

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
}

impl AttributeTable {
    /// Parses a CSV (any encoding and delimiter the transactions accept). The id column is
    /// `id_column` when given, else the first column whose header looks like a customer id, else
    /// the first column.
    pub fn parse(bytes: &[u8], id_column: Option<&str>) -> Result<Self, ClusterError> {
        let _ = (bytes, id_column);
        todo!()
    }

    /// Column descriptions for the page.
    pub fn column_info(&self) -> Vec<AttributeColumnInfo> {
        todo!()
    }

    /// Row of each customer index (`None` = no row) and the join report.
    pub fn join(&self, customer_ids: &Interned) -> (Vec<Option<usize>>, AttributeJoin) {
        let _ = customer_ids;
        todo!()
    }
}
