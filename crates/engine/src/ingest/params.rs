//! Ingest parameters: what the user confirms on the preview.

use serde::{Deserialize, Serialize};

/// Text encodings SegScope reads. Detection (`sniff::detect_encoding`): a BOM; UTF-16 by its NUL
/// pattern; UTF-8 (a few broken bytes allowed); Windows-1252 when the other bytes above 127 stand
/// alone between ASCII; else GB18030 (a superset of GBK, what Excel in China writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// UTF-16 little endian (with a BOM, or detected by its NUL pattern).
    Utf16Le,
    /// UTF-16 big endian (with a BOM, or detected by its NUL pattern).
    Utf16Be,
    /// GB18030 / GBK.
    Gb18030,
    /// Windows-1252, the superset of Latin-1 (ISO-8859-1) that Western Excel and POS systems write.
    Windows1252,
}

impl TextEncoding {
    /// All encodings, for pickers.
    pub const ALL: [TextEncoding; 5] = [
        Self::Utf8,
        Self::Utf16Le,
        Self::Utf16Be,
        Self::Gb18030,
        Self::Windows1252,
    ];
    /// Short stable name ("utf-8", "utf-16le", "utf-16be", "gb18030", "windows-1252").
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Gb18030 => "gb18030",
            Self::Windows1252 => "windows-1252",
        }
    }
    /// Parses [`TextEncoding::name`] (also accepts "gbk", "utf8", "latin1", "cp1252",
    /// case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Self::Utf8),
            "utf-16le" | "utf16le" => Some(Self::Utf16Le),
            "utf-16be" | "utf16be" => Some(Self::Utf16Be),
            "gb18030" | "gbk" | "gb2312" => Some(Self::Gb18030),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                Some(Self::Windows1252)
            }
            _ => None,
        }
    }
}

/// The order of day, month and year in numeric dates such as `03/05/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateOrder {
    /// Year first: 2024-03-05, 2024/3/5, 2024年3月5日.
    Ymd,
    /// Day first: 05/03/2024 (Europe, most of the world).
    Dmy,
    /// Month first: 03/05/2024 (United States).
    Mdy,
}

/// What a column means. Required: customer id, date, amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ColumnRole {
    /// Customer / member id (客户ID, 会员号).
    CustomerId,
    /// Order date or timestamp (日期, 下单时间).
    Date,
    /// Line or order amount (金额, 实付金额); negative for returns.
    Amount,
    /// Order id (订单号).
    OrderId,
    /// Product or SKU (商品).
    Product,
    /// Quantity (数量).
    Quantity,
    /// Region or province (地区, 省份).
    Region,
    /// Sales channel (渠道).
    Channel,
    /// Product category or department (品类, 类目): the item of category shares, preferred
    /// categories and (when mapped) baskets, instead of the product.
    Category,
}

impl ColumnRole {
    /// All roles, required ones first.
    pub const ALL: [ColumnRole; 9] = [
        Self::CustomerId,
        Self::Date,
        Self::Amount,
        Self::OrderId,
        Self::Product,
        Self::Category,
        Self::Quantity,
        Self::Region,
        Self::Channel,
    ];
    /// Whether the role must be mapped.
    pub fn is_required(self) -> bool {
        matches!(self, Self::CustomerId | Self::Date | Self::Amount)
    }
    /// Stable snake_case name used by the CLI (`--column amount=实付金额`) and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::CustomerId => "customer_id",
            Self::Date => "date",
            Self::Amount => "amount",
            Self::OrderId => "order_id",
            Self::Product => "product",
            Self::Quantity => "quantity",
            Self::Region => "region",
            Self::Channel => "channel",
            Self::Category => "category",
        }
    }
    /// Parses [`ColumnRole::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name.trim())
    }
}

/// Role → zero-based column index. `None` = not mapped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Customer id column.
    pub customer_id: Option<usize>,
    /// Date column.
    pub date: Option<usize>,
    /// Amount column.
    pub amount: Option<usize>,
    /// Order id column.
    pub order_id: Option<usize>,
    /// Product column.
    pub product: Option<usize>,
    /// Quantity column.
    pub quantity: Option<usize>,
    /// Region column.
    pub region: Option<usize>,
    /// Channel column.
    pub channel: Option<usize>,
    /// Category column.
    #[serde(default)]
    pub category: Option<usize>,
}

impl ColumnMapping {
    /// The column mapped to `role`.
    pub fn get(&self, role: ColumnRole) -> Option<usize> {
        match role {
            ColumnRole::CustomerId => self.customer_id,
            ColumnRole::Date => self.date,
            ColumnRole::Amount => self.amount,
            ColumnRole::OrderId => self.order_id,
            ColumnRole::Product => self.product,
            ColumnRole::Quantity => self.quantity,
            ColumnRole::Region => self.region,
            ColumnRole::Channel => self.channel,
            ColumnRole::Category => self.category,
        }
    }
    /// Maps `role` to `column` (or unmaps it with `None`).
    pub fn set(&mut self, role: ColumnRole, column: Option<usize>) {
        let slot = match role {
            ColumnRole::CustomerId => &mut self.customer_id,
            ColumnRole::Date => &mut self.date,
            ColumnRole::Amount => &mut self.amount,
            ColumnRole::OrderId => &mut self.order_id,
            ColumnRole::Product => &mut self.product,
            ColumnRole::Quantity => &mut self.quantity,
            ColumnRole::Region => &mut self.region,
            ColumnRole::Channel => &mut self.channel,
            ColumnRole::Category => &mut self.category,
        };
        *slot = column;
    }
    /// The role of `column`, if any.
    pub fn role_of(&self, column: usize) -> Option<ColumnRole> {
        ColumnRole::ALL
            .into_iter()
            .find(|r| self.get(*r) == Some(column))
    }
}

/// Overrides for [`preview`](super::preview); `None` = detect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PreviewParams {
    /// Force an encoding.
    pub encoding: Option<TextEncoding>,
    /// Force a delimiter byte (`,` `;` `\t` `|`).
    pub delimiter: Option<u8>,
    /// Force whether the first row is a header.
    pub has_header: Option<bool>,
    /// For a workbook: the sheet to read (`None`: the first sheet with cells).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Everything [`ingest`](super::ingest) needs: normally the [`Preview`](super::Preview)'s
/// detections, as confirmed or corrected by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestParams {
    /// Text encoding of the file.
    pub encoding: TextEncoding,
    /// Field delimiter byte.
    pub delimiter: u8,
    /// Whether the first record is a header row.
    pub has_header: bool,
    /// Order of numeric dates. `Ymd` also covers ISO dates; all orders accept ISO and 年月日 dates.
    pub date_order: DateOrder,
    /// Which column plays which role.
    pub mapping: ColumnMapping,
    /// Keep lines dated far from the file's other dates ([`DropReason::FarFromOtherDates`](
    /// super::DropReason::FarFromOtherDates)) instead of dropping them; they are reported
    /// either way.
    #[serde(default)]
    pub keep_far_dates: bool,
}

impl IngestParams {
    /// The preview's detections as they stand (what the page offers before the user changes
    /// anything), far-dated lines dropped.
    pub fn from_preview(preview: &super::Preview) -> Self {
        Self {
            encoding: preview.encoding,
            delimiter: preview.delimiter,
            has_header: preview.has_header,
            date_order: preview.date_order,
            mapping: preview.mapping.clone(),
            keep_far_dates: false,
        }
    }
}
