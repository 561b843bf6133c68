//! Column-role detection and the preview.

use serde::{Deserialize, Serialize};

use super::sniff;
use super::values::{
    date_order_hint, looks_like_date_text, parse_amount, parse_date, DateOrderHint, DateParse,
};
use super::{ColumnMapping, ColumnRole, DateOrder, IngestError, PreviewParams, TextEncoding};

/// What the head of the file looks like, with SegScope's guesses for the user to confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Detected (or forced) encoding.
    pub encoding: TextEncoding,
    /// Detected (or forced) delimiter.
    pub delimiter: u8,
    /// Whether the first row looks like (or was said to be) a header.
    pub has_header: bool,
    /// Column names: the header cells, or "column 1", "column 2"... without a header.
    pub columns: Vec<String>,
    /// Up to 20 first data rows (fewer for a file of more than 1,000 columns, at least 3), cells
    /// as text (truncated to 80 chars).
    pub rows: Vec<Vec<String>>,
    /// Suggested mapping (from header names in English/Chinese, then from values).
    pub mapping: ColumnMapping,
    /// Inferred date order for the suggested date column (Ymd when nothing else is possible).
    pub date_order: DateOrder,
    /// True when the sampled dates fit both D/M/Y and M/D/Y: the UI must ask.
    pub date_order_ambiguous: bool,
    /// Why a guess went against a header's words, for the page to show beside the mapping.
    pub notes: Vec<GuessNote>,
    /// True when the encoding was detected with doubt (no byte-order mark, and the bytes are not
    /// plain ASCII nor clean UTF-8): the page shows the encoding choice with the preview.
    #[serde(default)]
    pub encoding_doubtful: bool,
    /// When the header is a per-customer summary's (frequency, recency, T, monetary_value): its
    /// layout ([`crate::summary::detect`]); the page offers to read it as one.
    #[serde(default)]
    pub summary: Option<crate::summary::SummaryLayout>,
}

/// A guess the values made against a header's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuessNote {
    /// The column named like the amount holds small whole numbers (a quantity), and another
    /// column looks like money: that one was taken as the amount.
    AmountLooksLikeQuantity {
        /// The column named like the amount (now the quantity when that role was free).
        quantity_column: usize,
        /// The money-like column taken as the amount.
        amount_column: usize,
    },
    /// The column named like the customer id holds a placeholder (`0`, `guest`) for some
    /// customers, as web shops do for guest checkouts, and another column holds an email address
    /// on every line: the email was taken as the customer id.
    GuestIdsUseEmail {
        /// The id column with placeholders.
        id_column: usize,
        /// The email column taken as the customer id.
        email_column: usize,
    },
}

/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Cells a preview holds at most: a wide file gets fewer rows (at least [`PREVIEW_MIN_ROWS`]), so
/// the message the page decodes on its main thread stays small (20 rows of a 10,000-column file
/// were 200,000 strings).
const PREVIEW_CELLS: usize = 20_000;
/// Rows a preview keeps however wide the file.
const PREVIEW_MIN_ROWS: usize = 3;
/// Characters kept per preview cell.
const PREVIEW_CELL_CHARS: usize = 80;
/// Records sampled for detection (header, values, date order).
const SAMPLE_RECORDS: usize = 200;
/// A head at least this long is assumed to be cut from a longer file, so its last line (which
/// does not end in a newline) is dropped. A shorter head is taken to be the whole file.
pub const HEAD_CUT_MIN_BYTES: usize = 64 * 1024;

/// Reads the head of a file (the first megabyte is plenty) and guesses its shape.
///
/// The head may end in the middle of a line: when it is at least [`HEAD_CUT_MIN_BYTES`] long and
/// does not end with a newline, its last line is dropped. Fails with [`IngestError::Empty`] (no
/// text), [`IngestError::Binary`], or [`IngestError::HeaderOnly`] (a header row and nothing else).
///
/// The first record (the header, or the first data row without one) sets the number of columns,
/// as in [`ingest`](super::ingest); each preview row has exactly that many cells (short rows are
/// padded with "", cells past the last column are left out).
pub fn preview(head: &[u8], params: &PreviewParams) -> Result<Preview, IngestError> {
    let encoding = match params.encoding {
        Some(forced) => {
            sniff::check_binary(head, forced)?;
            forced
        }
        None => sniff::detect_encoding(head)?,
    };
    let encoding_doubtful =
        params.encoding.is_none() && sniff::encoding_is_doubtful(head, encoding);
    let decoded = sniff::decode(head, encoding);
    let mut text: &str = &decoded;
    if head.len() >= HEAD_CUT_MIN_BYTES && !text.ends_with('\n') {
        if let Some(end) = text.rfind('\n') {
            text = text.get(..=end).unwrap_or(text);
        }
    }
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }

    let delimiter = params
        .delimiter
        .unwrap_or_else(|| sniff::sniff_delimiter(text));
    let mut records = sniff::records(text, delimiter, SAMPLE_RECORDS + 1);
    if records.is_empty() {
        return Err(IngestError::Empty);
    }
    let has_header = params
        .has_header
        .unwrap_or_else(|| sniff::detect_header(&records, is_role_name));
    let header = if has_header {
        Some(records.remove(0))
    } else {
        None
    };
    if has_header && records.is_empty() {
        return Err(IngestError::HeaderOnly);
    }
    // The first record (header or first data row) sets the width, as in `ingest`, so every
    // column offered here can be mapped there.
    let width = header.as_ref().or(records.first()).map_or(0, Vec::len);
    let columns = column_names(header.as_deref().unwrap_or_default(), width);

    let profiles: Vec<ColumnProfile> = (0..width).map(|c| ColumnProfile::of(&records, c)).collect();
    let mut mapping = mapping_from_names(&columns, header.is_some(), &profiles);
    let mut notes: Vec<GuessNote> = guest_ids_use_email(&mut mapping, &profiles)
        .into_iter()
        .collect();
    mapping_from_values(&mut mapping, &records, width, &columns);
    notes.extend(amount_against_quantity(&mut mapping, &profiles));
    let (date_order, date_order_ambiguous) =
        mapping.date.map_or((DateOrder::Ymd, false), |column| {
            infer_date_order(
                records
                    .iter()
                    .filter_map(|r| r.get(column).map(String::as_str)),
            )
        });

    let rows: Vec<Vec<String>> = records
        .iter()
        .take(PREVIEW_ROWS.min((PREVIEW_CELLS / width.max(1)).max(PREVIEW_MIN_ROWS)))
        .map(|record| {
            let mut row: Vec<String> = record
                .iter()
                .map(|c| truncate_chars(c, PREVIEW_CELL_CHARS))
                .collect();
            row.resize(width, String::new()); // pads short rows, cuts cells past the header
            row
        })
        .collect();

    let summary = if has_header {
        crate::summary::detect(&columns, &rows)
    } else {
        None
    };
    Ok(Preview {
        encoding,
        delimiter,
        has_header,
        columns,
        rows,
        mapping,
        date_order,
        date_order_ambiguous,
        notes,
        encoding_doubtful,
        summary,
    })
}

/// What the sampled values of one column look like (its non-empty cells).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct ColumnProfile {
    /// Rows looked at (empty cells included).
    rows: usize,
    cells: usize,
    /// Cells that hold an email address.
    emails: usize,
    /// Cells that are a guest placeholder (`0`, `-`, `guest`, `n/a`).
    placeholders: usize,
    /// Whole numbers that are multiples of 10 (SAP's item positions 10, 20, 30…).
    tens: usize,
    /// Cells that read as dates and are not plain numbers (`2024-03-05`, `5/3/2024 10:00`).
    text_dates: usize,
    /// Cells that read as dates in some order, plain numbers included (`20240305`, Excel serials).
    any_dates: usize,
    /// Cells that read as amounts.
    numbers: usize,
    /// Amounts with a fractional part, a currency sign or code.
    money_like: usize,
    /// Whole amounts of at most [`QUANTITY_MAX`] in size.
    small_whole: usize,
    /// The median size of the amounts.
    median_size: f64,
}

/// The largest whole number a quantity column holds (a line of 1,000 units is already rare).
const QUANTITY_MAX: f64 = 1_000.0;
/// The median a quantity column stays under.
const QUANTITY_MEDIAN_MAX: f64 = 20.0;

impl ColumnProfile {
    pub(crate) fn of(rows: &[Vec<String>], column: usize) -> Self {
        let cells = column_cells(rows, column);
        let mut profile = ColumnProfile {
            rows: rows.len(),
            cells: cells.len(),
            ..ColumnProfile::default()
        };
        let mut sizes = Vec::new();
        for cell in &cells {
            if cell.contains('@') && cell.contains('.') && !cell.contains(' ') {
                profile.emails += 1;
            }
            if matches!(
                cell.to_ascii_lowercase().as_str(),
                "0" | "-" | "guest" | "n/a" | "na" | "none" | "null" | "游客" | "匿名"
            ) {
                profile.placeholders += 1;
            }
            // A date written as a date is a date in some order: only those cells are read twice.
            if [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy]
                .into_iter()
                .any(|order| matches!(parse_date(cell, order), DateParse::Day(_)))
            {
                profile.any_dates += 1;
                if looks_like_date_text(cell) {
                    profile.text_dates += 1;
                }
            }
            let Some(value) = parse_amount(cell) else {
                continue;
            };
            profile.numbers += 1;
            sizes.push(value.abs());
            let decorated = cell
                .bytes()
                .any(|b| !(b.is_ascii_digit() || matches!(b, b'-' | b'+' | b',' | b' ')));
            if value.fract() != 0.0 || decorated {
                profile.money_like += 1;
            } else if value.abs() <= QUANTITY_MAX {
                profile.small_whole += 1;
            }
            if value.fract() == 0.0 && value != 0.0 && value % 10.0 == 0.0 && !decorated {
                profile.tens += 1;
            }
        }
        sizes.sort_by(f64::total_cmp);
        profile.median_size = sizes.get(sizes.len() / 2).copied().unwrap_or(0.0);
        profile
    }

    /// At least 80 % of the cells are dates written as dates.
    fn is_date(&self) -> bool {
        self.cells > 0 && self.text_dates * 10 >= self.cells * 8
    }

    /// At least 90 % of the cells are numbers.
    fn is_numeric(&self) -> bool {
        self.cells > 0 && self.numbers * 10 >= self.cells * 9
    }

    /// Numbers, every one whole and small, most of them very small: units, not money.
    fn looks_like_quantity(&self) -> bool {
        self.is_numeric()
            && self.money_like == 0
            && self.small_whole == self.numbers
            && self.median_size <= QUANTITY_MEDIAN_MAX
    }

    /// Most cells are email addresses and none is missing.
    fn is_email(&self) -> bool {
        self.cells > 0 && self.cells == self.rows && self.emails * 10 >= self.cells * 9
    }

    /// Numbers, at least half of them with cents or a currency mark.
    fn looks_like_money(&self) -> bool {
        self.is_numeric() && self.money_like * 2 >= self.numbers
    }

    /// Whether the values allow `role`: they rule it out only when they clearly say something
    /// else (a column of bad dates named "date" stays the date, and the ingest names its bad
    /// lines). Numbers that are not dates are no date; dates are no amount, quantity or other
    /// role; money is no id. A column without values allows any role.
    fn fits(&self, role: ColumnRole) -> bool {
        if self.cells == 0 {
            // No values to go by: a column without a profile fits anything, but a column that
            // is empty on every sampled row holds nothing for any role.
            return self.rows == 0;
        }
        match role {
            // Item positions (10, 20, 30: every number a multiple of 10) are no product.
            ColumnRole::Product => {
                let item_positions = self.is_numeric() && self.tens == self.cells && self.cells > 1;
                !(self.is_date() || item_positions)
            }
            ColumnRole::Date => !(self.is_numeric() && self.any_dates * 2 < self.cells),
            ColumnRole::Amount | ColumnRole::Quantity => !self.is_date(),
            ColumnRole::CustomerId | ColumnRole::OrderId => {
                !self.is_date() && !self.looks_like_money()
            }
            _ => !self.is_date(),
        }
    }
}

/// When the column taken as the customer id holds guest placeholders (`0`…) and another column
/// holds an email on every line, the email becomes the customer id: guests are then told apart.
fn guest_ids_use_email(
    mapping: &mut ColumnMapping,
    profiles: &[ColumnProfile],
) -> Option<GuessNote> {
    let id_column = mapping.customer_id?;
    if profiles.get(id_column)?.placeholders == 0 {
        return None;
    }
    let email_column = profiles
        .iter()
        .enumerate()
        .find(|(c, p)| *c != id_column && p.is_email() && mapping.role_of(*c).is_none())?
        .0;
    mapping.customer_id = Some(email_column);
    Some(GuessNote::GuestIdsUseEmail {
        id_column,
        email_column,
    })
}

/// When the column taken as the amount holds small whole numbers and another free column looks
/// like money, the money becomes the amount and the small numbers the quantity (when that role
/// is free); the note says why.
fn amount_against_quantity(
    mapping: &mut ColumnMapping,
    profiles: &[ColumnProfile],
) -> Option<GuessNote> {
    let current = mapping.amount?;
    if !profiles.get(current)?.looks_like_quantity() {
        return None;
    }
    let money = profiles
        .iter()
        .enumerate()
        .filter(|(c, p)| {
            *c != current
                && p.looks_like_money()
                && matches!(
                    mapping.role_of(*c),
                    None | Some(ColumnRole::Quantity | ColumnRole::Product)
                )
        })
        .max_by(|(a, p), (b, q)| {
            (p.money_like * q.cells)
                .cmp(&(q.money_like * p.cells))
                .then(b.cmp(a))
        })
        .map(|(c, _)| c)?;
    if let Some(role) = mapping.role_of(money) {
        mapping.set(role, None);
    }
    mapping.amount = Some(money);
    if mapping.quantity.is_none() {
        mapping.quantity = Some(current);
    }
    Some(GuessNote::AmountLooksLikeQuantity {
        quantity_column: current,
        amount_column: money,
    })
}

/// Header cells (trimmed) padded to `width` with "column N"; empty header cells are named the same way.
pub(crate) fn column_names(header: &[String], width: usize) -> Vec<String> {
    (0..width.max(header.len()))
        .map(|i| match header.get(i).map(|h| h.trim()) {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => format!("column {}", i + 1),
        })
        .collect()
}

/// The first `max` characters of `text`.
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text.get(..end).unwrap_or(text).to_string(),
        None => text.to_string(),
    }
}

/// Column names per role, written normalised (see [`normalize_name`]), best first.
const SYNONYMS: [(ColumnRole, &[&str]); 9] = [
    (
        ColumnRole::CustomerId,
        &[
            "customerid",
            "customer",
            "customerno",
            "customernumber",
            "customercode",
            "clientid",
            "client",
            "memberid",
            "member",
            "memberno",
            "userid",
            "user",
            "buyerid",
            "buyer",
            "accountid",
            "客户id",
            "客户编号",
            "客户号",
            "客户",
            "会员号",
            "会员id",
            "会员编号",
            "会员",
            "用户id",
            "用户",
            "买家id",
            "买家",
            "顾客id",
            "顾客",
            "email",
            "emailaddress",
            "customeremail",
            "billingemail",
            "buyeremail",
            "soldtoparty",
            "soldto",
            "kunde",
            "kundennummer",
            "debitor",
            "会员手机号",
            "客户手机号",
            "买家手机号",
            "手机号",
        ],
    ),
    (
        ColumnRole::Date,
        &[
            "orderdate",
            "date",
            "purchasedate",
            "invoicedate",
            "transactiondate",
            "timestamp",
            "orderdatetime",
            "ordertime",
            "datetime",
            "createdat",
            "time",
            "日期",
            "下单时间",
            "订单日期",
            "交易日期",
            "购买日期",
            "下单日期",
            "交易时间",
            "付款时间",
            "支付时间",
            "创建时间",
            "时间",
        ],
    ),
    (
        ColumnRole::Amount,
        &[
            "amount",
            "total",
            "revenue",
            "sales",
            "ordervalue",
            "spend",
            "totalamount",
            "linetotal",
            "itemtotal",
            "lineitemtotal",
            "subtotal",
            "netvalue",
            "betrag",
            "umsatz",
            "netamount",
            "value",
            "price",
            "金额",
            "商品实付金额",
            "实付金额",
            "订单实付金额",
            "订单总价",
            "商品总价",
            "总价",
            "小计",
            "成交金额",
            "订单金额",
            "销售额",
            "支付金额",
            "消费金额",
            "总金额",
            "实收金额",
            "付款金额",
            "单价",
        ],
    ),
    (
        ColumnRole::OrderId,
        &[
            "orderid",
            "order",
            "orderno",
            "ordernumber",
            "invoice",
            "invoiceno",
            "invoiceid",
            "invoicenumber",
            "transactionid",
            "transaction",
            "receiptid",
            "receipt",
            "receiptno",
            "receiptnumber",
            "basketid",
            "basket",
            "basketno",
            "salesdocument",
            "salesorder",
            "documentno",
            "documentnumber",
            "billingdocument",
            "belegnummer",
            "auftragsnummer",
            "ticketid",
            "ticketno",
            "小票号",
            "小票编号",
            "小票",
            "交易单号",
            "单据号",
            "订单号",
            "订单编号",
            "交易号",
            "订单id",
            "单号",
            "流水号",
        ],
    ),
    (
        ColumnRole::Product,
        &[
            "product",
            "item",
            "sku",
            "productname",
            "productid",
            "itemname",
            "stockcode",
            "description",
            "material",
            "materialdescription",
            "artikel",
            "bezeichnung",
            "商品",
            "商品名称",
            "产品",
            "商品名",
            "产品名称",
            "商品编码",
        ],
    ),
    (
        ColumnRole::Quantity,
        &[
            "quantity",
            "qty",
            "units",
            "count",
            "数量",
            "件数",
            "购买数量",
        ],
    ),
    (
        ColumnRole::Category,
        &[
            "category",
            "productcategory",
            "categoryname",
            "producttype",
            "department",
            "dept",
            "productgroup",
            "class",
            "品类",
            "类别",
            "类目",
            "分类",
            "商品类别",
            "商品分类",
            "商品类目",
            "一级类目",
            "产品类别",
            "大类",
        ],
    ),
    (
        ColumnRole::Region,
        &[
            "region",
            "province",
            "state",
            "billingstate",
            "shippingstate",
            "billingprovince",
            "shippingprovince",
            "city",
            "country",
            "area",
            "地区",
            "省份",
            "城市",
            "区域",
            "省",
            "国家",
            "收货省份",
            "收货人省份",
        ],
    ),
    (
        ColumnRole::Channel,
        &[
            "channel", "source", "store", "shop", "platform", "渠道", "来源", "门店", "平台",
            "店铺",
        ],
    ),
];

/// Lower case, full-width ASCII folded to ASCII, everything but letters and digits removed:
/// "Customer ID", "customer_id" and "CustomerID" all become "customerid"; "客户 ID" → "客户id".
pub(crate) fn normalize_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How well a (normalised) header names `role`: an exact synonym scores above any partial one;
/// earlier synonyms score higher; a partial match ("orderdateutc" contains "orderdate") needs a
/// synonym of at least 6 ASCII letters or 2 Chinese characters, and longer ones win.
fn role_score(normalized: &str, synonyms: &[&str]) -> Option<usize> {
    let mut best = None;
    for (rank, synonym) in synonyms.iter().enumerate() {
        let score = if normalized == *synonym {
            10_000 - rank
        } else {
            let long_enough = if synonym.is_ascii() {
                synonym.len() >= 6
            } else {
                synonym.chars().count() >= 2
            };
            if long_enough && normalized.contains(synonym) {
                1_000 + synonym.len()
            } else {
                continue;
            }
        };
        best = best.max(Some(score));
    }
    best
}

/// Whether `cell` is a known column name for some role.
pub(crate) fn is_role_name(cell: &str) -> bool {
    let normalized = normalize_name(cell);
    !normalized.is_empty()
        && SYNONYMS
            .iter()
            .any(|(_, synonyms)| role_score(&normalized, synonyms).is_some())
}

/// Suggests roles from header names (best matches first, each role and column used once). Header
/// words are evidence, not orders: a role the column's values rule out
/// ([`ColumnProfile::fits`]) is not given to it, so `transaction_dt` full of dates is no
/// transaction (order) id, and the date role stays open for it. `profiles` may be shorter than
/// `columns` (columns without a profile allow any role).
pub(crate) fn mapping_from_names(
    columns: &[String],
    has_header: bool,
    profiles: &[ColumnProfile],
) -> ColumnMapping {
    let mut mapping = ColumnMapping::default();
    if !has_header {
        return mapping;
    }
    let mut candidates: Vec<(usize, usize, ColumnRole)> = Vec::new(); // (score, column, role)
    for (column, name) in columns.iter().enumerate() {
        let normalized = normalize_name(name);
        if normalized.is_empty() {
            continue;
        }
        let profile = profiles.get(column).copied().unwrap_or_default();
        for (role, synonyms) in SYNONYMS {
            if !profile.fits(role) {
                continue;
            }
            if let Some(score) = role_score(&normalized, synonyms) {
                candidates.push((score, column, role));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, column, role) in candidates {
        if mapping.get(role).is_none() && mapping.role_of(column).is_none() {
            mapping.set(role, Some(column));
        }
    }
    mapping
}

/// Non-empty, trimmed cells of `column` in `rows`.
fn column_cells(rows: &[Vec<String>], column: usize) -> Vec<&str> {
    rows.iter()
        .filter_map(|r| r.get(column))
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Fills still-unmapped required roles from the values: a column of dates → date; a column of
/// numbers with decimals or currency signs → amount; an id-like column with repeated values →
/// customer id (the leftmost such column).
pub(crate) fn mapping_from_values(
    mapping: &mut ColumnMapping,
    rows: &[Vec<String>],
    width: usize,
    columns: &[String],
) {
    let free = |mapping: &ColumnMapping, column: usize| mapping.role_of(column).is_none();
    // Money that is not what the customer paid for the goods: never the amount by its values.
    let not_goods = |column: usize| {
        let name = columns
            .get(column)
            .map(|n| normalize_name(n))
            .unwrap_or_default();
        [
            "shipping",
            "freight",
            "delivery",
            "tax",
            "vat",
            "gst",
            "discount",
            "fee",
            "refund",
            "运费",
            "税",
            "优惠",
            "折扣",
            "退款",
            "手续费",
        ]
        .iter()
        .any(|w| name.contains(w))
    };
    if mapping.date.is_none() {
        let best = (0..width)
            .filter(|&c| free(mapping, c))
            .filter_map(|c| {
                let cells = column_cells(rows, c);
                let dates = cells.iter().filter(|v| looks_like_date_text(v)).count();
                (!cells.is_empty() && dates * 10 >= cells.len() * 8)
                    .then(|| (dates * 1000 / cells.len(), c))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, column)) = best {
            mapping.date = Some(column);
        }
    }
    if mapping.amount.is_none() {
        let best = (0..width)
            .filter(|&c| free(mapping, c) && !not_goods(c))
            .filter_map(|c| {
                let cells = column_cells(rows, c);
                let numbers = cells.iter().filter(|v| parse_amount(v).is_some()).count();
                let decorated = cells
                    .iter()
                    .filter(|v| v.bytes().any(|b| !b.is_ascii_digit() && b != b'-'))
                    .filter(|v| parse_amount(v).is_some())
                    .count();
                (!cells.is_empty() && numbers * 10 >= cells.len() * 9 && decorated > 0)
                    .then(|| (numbers * 1000 / cells.len(), c))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, column)) = best {
            mapping.amount = Some(column);
        }
    }
    // Order numbers written `#1001` (Shopify's order "Name", and many shops' order numbers).
    if mapping.order_id.is_none() {
        let column = (0..width).filter(|&c| free(mapping, c)).find(|&c| {
            let cells = column_cells(rows, c);
            !cells.is_empty()
                && cells.len() * 10 >= rows.len() * 9
                && cells.iter().all(|v| {
                    v.strip_prefix('#')
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                })
        });
        if let Some(column) = column {
            mapping.order_id = Some(column);
        }
    }
    if mapping.customer_id.is_none() {
        let id_like = |v: &str| {
            v.chars().count() <= 40
                && !looks_like_date_text(v)
                && v.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '#' | '@' | '.'))
                && !(v.contains('.') && parse_amount(v).is_some())
        };
        let column = (0..width).filter(|&c| free(mapping, c)).find(|&c| {
            let cells = column_cells(rows, c);
            let all = rows.iter().filter(|r| r.get(c).is_some()).count();
            let mut distinct = cells.clone();
            distinct.sort_unstable();
            distinct.dedup();
            !cells.is_empty()
                && cells.len() * 10 >= all * 9
                && cells.iter().all(|v| id_like(v))
                && distinct.len() < cells.len()
        });
        if let Some(column) = column {
            mapping.customer_id = Some(column);
        }
    }
}

/// Infers the date order from sample cells: a first number above 12 means D/M/Y, a second one
/// above 12 means M/D/Y (the majority wins if both occur); when every day/month date fits both,
/// D/M/Y is the guess and the result is flagged ambiguous; year-first dates (or none) give Ymd.
pub(crate) fn infer_date_order<'a>(cells: impl Iterator<Item = &'a str>) -> (DateOrder, bool) {
    let (mut day_first, mut month_first, mut either) = (0usize, 0usize, 0usize);
    for cell in cells {
        match date_order_hint(cell) {
            DateOrderHint::DayFirst => day_first += 1,
            DateOrderHint::MonthFirst => month_first += 1,
            DateOrderHint::Either => either += 1,
            DateOrderHint::YearFirst | DateOrderHint::NotADate => {}
        }
    }
    if day_first + month_first > 0 {
        if day_first >= month_first {
            (DateOrder::Dmy, false)
        } else {
            (DateOrder::Mdy, false)
        }
    } else if either > 0 {
        (DateOrder::Dmy, true)
    } else {
        (DateOrder::Ymd, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalize_name("Customer ID"), "customerid");
        assert_eq!(normalize_name("customer_id"), "customerid");
        assert_eq!(normalize_name("客户ＩＤ"), "客户id");
        assert_eq!(normalize_name(" Order-Date (UTC) "), "orderdateutc");
    }

    #[test]
    fn english_header_names_map_to_roles() {
        let m = mapping_from_names(
            &names(&[
                "Order Date (UTC)",
                "Client",
                "Total",
                "Invoice",
                "SKU",
                "Qty",
                "State",
                "Store",
            ]),
            true,
            &[],
        );
        assert_eq!(m.date, Some(0));
        assert_eq!(m.customer_id, Some(1));
        assert_eq!(m.amount, Some(2));
        assert_eq!(m.order_id, Some(3));
        assert_eq!(m.product, Some(4));
        assert_eq!(m.quantity, Some(5));
        assert_eq!(m.region, Some(6));
        assert_eq!(m.channel, Some(7));
    }

    #[test]
    fn chinese_header_names_map_to_roles() {
        let m = mapping_from_names(
            &names(&[
                "会员号",
                "订单编号",
                "下单时间",
                "实付金额",
                "商品名称",
                "数量",
                "省份",
                "渠道",
            ]),
            true,
            &[],
        );
        assert_eq!(
            m,
            ColumnMapping {
                customer_id: Some(0),
                order_id: Some(1),
                date: Some(2),
                amount: Some(3),
                product: Some(4),
                quantity: Some(5),
                region: Some(6),
                channel: Some(7),
                category: None,
            }
        );
    }

    #[test]
    fn category_headers_are_found_in_english_and_chinese() {
        let m = mapping_from_names(
            &names(&["客户ID", "下单时间", "实付金额", "商品名称", "商品类目"]),
            true,
            &[],
        );
        assert_eq!((m.product, m.category), (Some(3), Some(4)));
        let m = mapping_from_names(
            &names(&["Customer", "Date", "Total", "Department"]),
            true,
            &[],
        );
        assert_eq!(m.category, Some(3));
    }

    #[test]
    fn exact_names_beat_partial_ones() {
        // "price" and "total" both mean amount; the better synonym wins, the other stays free.
        let m = mapping_from_names(
            &names(&["price", "total", "customer name", "customer_id"]),
            true,
            &[],
        );
        assert_eq!(m.amount, Some(1));
        assert_eq!(m.customer_id, Some(3));
    }

    #[test]
    fn roles_from_values_without_header() {
        let rows: Vec<Vec<String>> = [
            ["C1", "05/03/2024", "12.50"],
            ["C2", "06/03/2024", "3.10"],
            ["C1", "07/03/2024", "8"],
        ]
        .iter()
        .map(|r| names(r))
        .collect();
        let mut m = ColumnMapping::default();
        mapping_from_values(&mut m, &rows, 3, &[]);
        assert_eq!(
            (m.customer_id, m.date, m.amount),
            (Some(0), Some(1), Some(2))
        );
    }

    #[test]
    fn date_order_inference() {
        let infer = |cells: &[&str]| infer_date_order(cells.iter().copied());
        assert_eq!(
            infer(&["2024-03-05", "2024-03-25"]),
            (DateOrder::Ymd, false)
        );
        assert_eq!(
            infer(&["05/03/2024", "25/03/2024"]),
            (DateOrder::Dmy, false)
        );
        assert_eq!(
            infer(&["03/05/2024", "03/25/2024"]),
            (DateOrder::Mdy, false)
        );
        assert_eq!(infer(&["03/05/2024", "04/06/2024"]), (DateOrder::Dmy, true));
        assert_eq!(infer(&[]), (DateOrder::Ymd, false));
    }
}
