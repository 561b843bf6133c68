//! Upload, column mapping, the data-quality report, drop reasons and ingest errors.

use super::{fill, t, Lang, Text};
use crate::engine::ingest::{ColumnRole, DateOrder, DropReason, GuessNote, IngestError};

catalog! {
    DROP_TITLE = "Drop a transactions file here (CSV or Excel)", "将交易明细文件拖到此处（CSV 或 Excel）";
    DROP_OR = "or", "或";
    CHOOSE_FILE = "Choose a file", "选择文件";
    TRY_DEMO = "Try the demo data", "试用演示数据";
    DEMO_HINT = "2,000 generated customers of a fictional shop (about 16,000 order lines).",
        "虚构商店的 2,000 位生成客户（约 16,000 条订单明细）。";
    FORMAT_HINT = "One row per order line: customer id, date and amount are required; order id, product, quantity, region and channel are optional. CSV or TSV (UTF-8, UTF-16, GBK or Windows-1252), Excel (.xlsx, .xls) or OpenDocument (.ods) workbooks, English or Chinese headers.",
        "每行一条订单明细：必需客户ID、日期和金额；订单号、商品、数量、地区和渠道可选。支持 CSV 或 TSV（UTF-8、UTF-16、GBK 或 Windows-1252 编码）、Excel（.xlsx、.xls）或 OpenDocument（.ods）工作簿，中英文表头均可。";
    READING_FILE = "Reading {0}…", "正在读取 {0}…";
    MAPPING_TITLE = "Check the columns", "确认列映射";
    MAPPING_HELP = "SegScope guessed what each column means. Correct anything wrong, then analyse.",
        "SegScope 已推测每列的含义。如有错误请更正，然后开始分析。";
    FILE_SIZE = "{0} · {1}", "{0} · {1}";
    ENCODING = "Encoding", "编码";
    SHEET = "Sheet", "工作表";
    WIDE_FILE = "This file has {0} columns; {1} are shown (the first ones and those with a role). Find any other column by name:",
        "该文件有 {0} 列，此处显示 {1} 列（前几列及已指定含义的列）。可按列名查找其他列：";
    FIND_COLUMN = "Find a column", "查找列";
    ENCODING_DOUBT = "The file was read as {0}, a guess. If names or headers below look garbled, choose another encoding.",
        "文件按 {0} 编码读取（系推测）。如下方名称或表头显示乱码，请选择其他编码。";
    READ_AS_ENCODING = "Read it as text in this encoding:", "按以下编码作为文本读取：";
    DELIMITER = "Delimiter", "分隔符";
    DELIM_COMMA = "comma ,", "逗号 ,";
    DELIM_SEMICOLON = "semicolon ;", "分号 ;";
    DELIM_TAB = "tab", "制表符";
    DELIM_PIPE = "pipe |", "竖线 |";
    HAS_HEADER = "First row is a header", "首行为表头";
    DATE_ORDER = "Date order", "日期顺序";
    DATE_ORDER_AMBIGUOUS = "These dates could be day/month or month/day: please choose.",
        "这些日期既可能是日/月也可能是月/日，请选择。";
    GUESS_GUEST_EMAIL = "“{0}” holds a placeholder such as 0 for some customers (guest checkouts), so “{1}”, which holds an email on every line, was taken as the customer id. Change it above if that is wrong.",
        "“{0}”中部分客户为占位值（如 0，即游客下单），因此改用每行都有邮箱的“{1}”作为客户ID。如有误请在上方更改。";
    GUESS_AMOUNT_QUANTITY = "“{0}” holds small whole numbers, which looks like a quantity, so “{1}”, which looks like money, was taken as the amount. Change it above if that is wrong.",
        "“{0}” 列是较小的整数，更像数量，因此把看起来像金额的 “{1}” 列作为金额。如有误，请在上方修改。";
    ROLE_NONE = "— ignore —", "— 忽略 —";
    REQUIRED_LEGEND = "* required", "* 必需";
    REQUIRED_MISSING = "Map a column to: {0}", "请为以下角色指定列：{0}";
    ANALYSE = "Analyse", "开始分析";
    CHOOSE_ANOTHER = "Choose another file", "换一个文件";
    ERROR_BACK_TO_MAPPING = "Back to the column mapping", "返回列映射";
    QUALITY_TITLE = "Data quality", "数据质量报告";
    Q_ROWS_READ = "Rows read", "读取行数";
    Q_ROWS_KEPT = "Rows kept", "保留行数";
    Q_ROWS_DROPPED = "Rows dropped", "丢弃行数";
    Q_DUPLICATES = "Exact duplicate rows", "完全重复行";
    Q_DUP_REMOVED = "removed (the file has order ids, so a repeated line is an export error)",
        "已移除（文件含订单号，重复行应为导出错误）";
    Q_DUP_KEPT = "kept (without order ids, two identical purchases on one day can be real)",
        "已保留（无订单号时，同日两笔相同购买可能真实存在）";
    Q_REMOVE_DUPLICATES = "Remove exact duplicates", "移除完全重复行";
    Q_RETURNS = "Return lines (negative amounts)", "退货行（负金额）";
    Q_RETURNS_DETAIL = "{0} lines, {1} in total, netted per order", "{0} 行，共 {1}，已按订单冲抵";
    Q_FULLY_RETURNED = "Orders fully returned (not counted as orders)", "整单退货（不计入订单数）";
    Q_NO_PURCHASE = "Customers with only returns (not scored)", "仅有退货的客户（未评分）";
    Q_DATE_RANGE = "Date range", "日期范围";
    Q_CUSTOMERS = "Customers", "客户数";
    Q_ORDERS = "Orders", "订单数";
    Q_PRODUCTS = "Products", "商品数";
    Q_MISSING = "Empty cells", "空值";
    Q_OUTLIERS = "Order-value outliers", "订单金额异常值";
    Q_OUTLIER_RULE = "orders above {1}: {0} (robust rule: above Q3 + 3×IQR of log order values)",
        "高于 {1} 的订单：{0} 笔（稳健规则：高于对数订单金额的 Q3 + 3×IQR）";
    Q_CAP_OUTLIERS = "Cap outliers at the fence", "将异常值截断至阈值";
    Q_DROP_REASONS = "Dropped rows by reason", "按原因统计的丢弃行";
    Q_QUOTE_REPAIR = "Line {0} opens a quote (\") that is never closed, which would have merged the lines after it into one cell: the {1} lines from there were read with quotes as plain text.",
        "第 {0} 行有一个未闭合的引号（\"），会把其后的行并入同一个单元格：从该行起的 {1} 行已按不含引号的文本读取。";
    Q_EXAMPLES = "e.g. line {0}: “{1}”", "例如第 {0} 行：“{1}”";
    Q_REPLACED = "Characters not valid in {0} were replaced: {1}", "{0} 编码中无效的字符已替换：{1} 个";
    Q_ENCODING_USED = "Read as {0}, delimiter {1}", "按 {0} 编码读取，分隔符 {1}";
    Q_TIMING = "Parsed and analysed in {0} ms", "解析与分析耗时 {0} 毫秒";
    ERR_EMPTY = "The file is empty.", "文件为空。";
    ERR_HEADER_ONLY = "The file has a header row but no data rows.", "文件只有表头，没有数据行。";
    ERR_BINARY = "This is neither a text table nor an Excel or OpenDocument workbook (binary data near byte {0}). If it is text in another encoding, choose the encoding below; otherwise save the data as CSV UTF-8 or .xlsx.",
        "这既不是文本表格，也不是 Excel 或 OpenDocument 工作簿（第 {0} 字节附近为二进制数据）。如果它是其他编码的文本，请在下方选择编码；否则请将数据另存为 CSV UTF-8 或 .xlsx。";
    ERR_MISSING_COLUMN = "No column is mapped to “{0}”, which is required.", "必需的“{0}”没有对应的列。";
    ERR_COLUMN_RANGE = "The column chosen for “{0}” (no. {1}) does not exist: the file has {2} columns.",
        "为“{0}”选择的第 {1} 列不存在：文件只有 {2} 列。";
    ERR_DUPLICATE_MAPPING = "Column {0} is used for both “{1}” and “{2}”.", "第 {0} 列同时被用作“{1}”和“{2}”。";
    ERR_MOST_ROWS_BAD = "{0} of {1} rows could not be used. Most common problem: {2} in column “{3}”, e.g. line {4}: “{5}”. Check the column mapping and the date order.",
        "{1} 行中有 {0} 行无法使用。最常见的问题：列“{3}”{2}，例如第 {4} 行：“{5}”。请检查列映射和日期顺序。";
    ERR_IO = "The file could not be read: {0}", "无法读取文件：{0}";
    ERR_WORKBOOK = "The workbook could not be opened ({0}). If it is password-protected, remove the password in Excel; or save the sheet as CSV UTF-8.",
        "无法打开该工作簿（{0}）。如设有密码，请先在 Excel 中取消密码；或将该工作表另存为 CSV UTF-8。";
    ERR_SHEET_NOT_FOUND = "The workbook has no sheet named “{0}”. Its sheets: {1}.", "工作簿中没有名为“{0}”的工作表。现有工作表：{1}。";
    DROP_MISSING_CUSTOMER = "empty customer id", "客户ID为空";
    DROP_MISSING_DATE = "empty date", "日期为空";
    DROP_BAD_DATE = "not a date", "不是有效日期";
    DROP_FAR_DATE = "a date far from the file's other dates (a typo or a placeholder)", "日期远离文件中的其他日期（疑似录入错误或占位值）";
    FAR_DATES_RANGE = "Dates from {0} to {1} are kept; {2} lines lie far outside.", "保留 {0} 至 {1} 之间的日期；有 {2} 行远在此范围之外。";
    FAR_DATES_KEEP = "Keep the lines with far dates", "保留日期偏远的行";
    DROP_IMPLAUSIBLE_DATE = "a date before 1900 or from 2200 on (a placeholder, not a sale)", "日期早于 1900 年或不早于 2200 年（占位值，不是真实交易）";
    DROP_IMPLAUSIBLE_AMOUNT = "an amount of 1e12 or more (not a plausible sale)", "金额达到或超过 1e12（不是合理的交易金额）";
    DROP_MISSING_AMOUNT = "empty amount", "金额为空";
    DROP_BAD_AMOUNT = "not a number", "不是有效数字";
    DROP_TOO_FEW_FIELDS = "too few fields", "字段数不足";
    ROLE_CUSTOMER_ID = "Customer id", "客户ID";
    ROLE_DATE = "Order date", "下单日期";
    ROLE_AMOUNT = "Amount", "金额";
    ROLE_ORDER_ID = "Order id", "订单号";
    ROLE_PRODUCT = "Product", "商品";
    ROLE_QUANTITY = "Quantity", "数量";
    ROLE_REGION = "Region", "地区";
    ROLE_CHANNEL = "Channel", "渠道";
    ROLE_CATEGORY = "Category", "品类";
    REQUIRED_MARK = "*", "*";
    ORDER_YMD = "year-month-day (2024-03-05)", "年-月-日（2024-03-05）";
    ORDER_DMY = "day/month/year (05/03/2024)", "日/月/年（05/03/2024）";
    ORDER_MDY = "month/day/year (03/05/2024)", "月/日/年（03/05/2024）";
}

/// The name of a column role.
pub fn role_name(lang: Lang, role: ColumnRole) -> &'static str {
    match role {
        ColumnRole::CustomerId => t::ROLE_CUSTOMER_ID,
        ColumnRole::Date => t::ROLE_DATE,
        ColumnRole::Amount => t::ROLE_AMOUNT,
        ColumnRole::OrderId => t::ROLE_ORDER_ID,
        ColumnRole::Product => t::ROLE_PRODUCT,
        ColumnRole::Quantity => t::ROLE_QUANTITY,
        ColumnRole::Region => t::ROLE_REGION,
        ColumnRole::Channel => t::ROLE_CHANNEL,
        ColumnRole::Category => t::ROLE_CATEGORY,
    }
    .get(lang)
}

/// The name of a date order.
pub fn date_order_name(lang: Lang, order: DateOrder) -> &'static str {
    match order {
        DateOrder::Ymd => t::ORDER_YMD,
        DateOrder::Dmy => t::ORDER_DMY,
        DateOrder::Mdy => t::ORDER_MDY,
    }
    .get(lang)
}

/// Why a row was dropped, as a phrase.
pub fn drop_reason(lang: Lang, reason: DropReason) -> &'static str {
    match reason {
        DropReason::MissingCustomerId => t::DROP_MISSING_CUSTOMER,
        DropReason::MissingDate => t::DROP_MISSING_DATE,
        DropReason::BadDate => t::DROP_BAD_DATE,
        DropReason::MissingAmount => t::DROP_MISSING_AMOUNT,
        DropReason::BadAmount => t::DROP_BAD_AMOUNT,
        DropReason::TooFewFields => t::DROP_TOO_FEW_FIELDS,
        DropReason::ImplausibleDate => t::DROP_IMPLAUSIBLE_DATE,
        DropReason::ImplausibleAmount => t::DROP_IMPLAUSIBLE_AMOUNT,
        DropReason::FarFromOtherDates => t::DROP_FAR_DATE,
        DropReason::BadSummaryValue => t::DROP_BAD_SUMMARY_VALUE,
        DropReason::RepeatedCustomerId => t::DROP_REPEATED_CUSTOMER,
    }
    .get(lang)
}

/// A delimiter byte as a phrase.
pub fn delimiter_name(lang: Lang, delimiter: u8) -> String {
    match delimiter {
        b',' => t::DELIM_COMMA.get(lang).to_string(),
        b';' => t::DELIM_SEMICOLON.get(lang).to_string(),
        b'\t' => t::DELIM_TAB.get(lang).to_string(),
        b'|' => t::DELIM_PIPE.get(lang).to_string(),
        other => format!("{:?}", char::from(other)),
    }
}

pub(super) fn describe_ingest_error(lang: Lang, e: &IngestError) -> String {
    match e {
        IngestError::Empty => t::ERR_EMPTY.get(lang).to_string(),
        IngestError::HeaderOnly => t::ERR_HEADER_ONLY.get(lang).to_string(),
        IngestError::Binary { byte_offset } => {
            fill(lang, t::ERR_BINARY, &[&byte_offset.to_string()])
        }
        IngestError::MissingColumn { role } => {
            fill(lang, t::ERR_MISSING_COLUMN, &[role_name(lang, *role)])
        }
        IngestError::ColumnOutOfRange {
            role,
            column,
            columns,
        } => fill(
            lang,
            t::ERR_COLUMN_RANGE,
            &[
                role_name(lang, *role),
                &(column + 1).to_string(),
                &columns.to_string(),
            ],
        ),
        IngestError::DuplicateMapping {
            column,
            first,
            second,
        } => fill(
            lang,
            t::ERR_DUPLICATE_MAPPING,
            &[
                &(column + 1).to_string(),
                role_name(lang, *first),
                role_name(lang, *second),
            ],
        ),
        IngestError::MostRowsBad {
            read,
            dropped,
            reason,
            column,
            example_line,
            example_value,
        } => fill(
            lang,
            t::ERR_MOST_ROWS_BAD,
            &[
                &dropped.to_string(),
                &read.to_string(),
                drop_reason(lang, *reason),
                column,
                &example_line.to_string(),
                example_value,
            ],
        ),
        IngestError::Io { message } => fill(lang, t::ERR_IO, &[message]),
        IngestError::Workbook { message } => fill(lang, t::ERR_WORKBOOK, &[message]),
        IngestError::SheetNotFound { sheet, sheets } => {
            fill(lang, t::ERR_SHEET_NOT_FOUND, &[sheet, &sheets.join(", ")])
        }
    }
}

/// A guess the values made against a header's words, in words (`columns`: the preview's names).
pub fn guess_note_text(lang: Lang, note: &GuessNote, columns: &[String]) -> String {
    let name = |c: usize| columns.get(c).map_or("?", String::as_str);
    match note {
        GuessNote::AmountLooksLikeQuantity {
            quantity_column,
            amount_column,
        } => fill(
            lang,
            t::GUESS_AMOUNT_QUANTITY,
            &[name(*quantity_column), name(*amount_column)],
        ),
        GuessNote::GuestIdsUseEmail {
            id_column,
            email_column,
        } => fill(
            lang,
            t::GUESS_GUEST_EMAIL,
            &[name(*id_column), name(*email_column)],
        ),
    }
}
