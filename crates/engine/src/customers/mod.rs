//! The customer table and everything built on its rows: paging, sorting, filtering and exporting
//! it, the per-customer tags and value tiers, and the customer page. It reads the results of the
//! other analyses ([`crate::rfm`] scores, [`crate::clv`] predictions, [`crate::cluster`] labels);
//! none of them reads it.
//!
//! - [`query`] pages/sorts/filters the table ([`CustomerQuery`] → [`CustomerPage`]) and
//!   [`export_csv`] writes the campaign target list; [`query_tagged`] / [`export_csv_tagged`] add
//!   the tags of a [`TagTable`] and filter on them.
//! - [`TagTable::build`] tags every scored customer (value tier, RFM segment, cluster, churn
//!   risk, preferred category, region, channel, purchase cycle) and lists the tag values.
//! - [`customer_profile`] is the customer page (profile and purchase timeline) and
//!   [`suggest_ids`] its search box.

pub mod cohorts;
mod columns;
pub mod predictions;
mod profile;
mod query;
pub mod repurchase;
pub mod sendtime;
mod tags;
pub mod tiers;

pub use columns::{BandFilter, Cell, CellInterval, Column, ColumnKind, CustomerColumns};
pub use predictions::Predictions;
pub use profile::{
    customer_profile, suggest_ids, CustomerProfile, ProductSpend, TimelineOrder,
    FAVOURITE_PRODUCTS_MAX, ORDER_PRODUCTS_MAX, TIMELINE_MAX_ORDERS,
};
pub use query::{
    export_csv, export_csv_tagged, export_table, for_each_row, query, query_tagged, BoughtFilter,
    CustomerPage, CustomerQuery, CustomerRow, SortKey, EXPORT_HEADER, TAG_EXPORT_HEADER,
};
pub use tags::{
    ClusterLabels, CustomerTags, PurchaseCycle, TagCounts, TagFilter, TagKind, TagTable,
    TagValueCount, TagValues, ValueTier, TAG_VALUES_MAX,
};
