//! Warehouse SQL errors: what is wrong with the names or settings, and which one.

use serde::{Deserialize, Serialize};

/// Why no query could be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum WarehouseError {
    /// A name (the table, or the column of a role) is empty.
    #[error("the {what} name is empty")]
    EmptyName {
        /// `table`, or the role whose column it is (`customer_id column`, …).
        what: String,
    },
    /// The table name has an empty part (`sales..orders`, `.orders`).
    #[error("the table name '{table}' has an empty part {part} (parts are separated by '.')")]
    EmptyTablePart {
        /// The table name as given.
        table: String,
        /// The 1-based number of the empty part.
        part: usize,
    },
    /// A name holds a control character (a line break, a tab, NUL): it could end a comment or
    /// the query, so it is refused rather than written.
    #[error(
        "the {what} name '{name}' holds a control character (U+{code:04X}) at character {position}"
    )]
    ControlCharacter {
        /// `table`, or the role whose column it is.
        what: String,
        /// The name, with the character shown as `\u{…}`.
        name: String,
        /// The character's code point.
        code: u32,
        /// Its 1-based position in the name.
        position: usize,
    },
    /// Two roles name the same column.
    #[error("the column '{header}' is mapped to both {first} and {second}")]
    SameColumn {
        /// The column name.
        header: String,
        /// The first role naming it.
        first: String,
        /// The second role naming it.
        second: String,
    },
}
