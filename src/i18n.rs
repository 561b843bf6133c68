//! The one catalog of UI strings, English and 简体中文.
//!
//! Every string the page shows comes from here: plain [`Text`] constants, parameterised ones
//! through [`fill`] (`{0}`, `{1}` placeholders), and translations of typed engine values (errors,
//! drop reasons, segments, roles). The catalog is plain data, tested natively: every entry has both
//! languages and the same placeholders in each.

use crate::engine::{
    cluster::{BehaviourFeature, ClusterError, ClusterStage, ClusterWarning, NameTrait},
    clv::{Boundary, ClvError, ClvWarning},
    ingest::{ColumnRole, DateOrder, DropReason, IngestError},
    rfm::{RfmError, Segment},
    EngineError,
};
use crate::protocol::{Stage, WorkerError};

/// A UI language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 简体中文.
    Zh,
}

impl Lang {
    /// BCP 47 code for `<html lang>` and localStorage.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }
    /// Parses [`Lang::code`] (or any `zh*`).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            c if c.starts_with("zh") => Some(Self::Zh),
            c if c.starts_with("en") => Some(Self::En),
            _ => None,
        }
    }
    /// The other language.
    pub fn other(self) -> Self {
        match self {
            Self::En => Self::Zh,
            Self::Zh => Self::En,
        }
    }
}

/// One string in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// 简体中文.
    pub zh: &'static str,
}

impl Text {
    /// The string in `lang`.
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// Replaces `{0}`, `{1}`, ... in `text` (in `lang`) with `args`.
pub fn fill(lang: Lang, text: Text, args: &[&str]) -> String {
    let mut out = text.get(lang).to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

macro_rules! catalog {
    ($($(#[$doc:meta])* $name:ident = $en:expr, $zh:expr;)*) => {
        $( $(#[$doc])* #[allow(missing_docs)] pub const $name: Text = Text { en: $en, zh: $zh }; )*
        /// Every catalog entry with its name, for tests and audits.
        pub const ALL: &[(&str, Text)] = &[$((stringify!($name), $name)),*];
    };
}

/// The catalog.
pub mod t {
    use super::Text;

    catalog! {
        APP_TAGLINE = "Private customer analytics: RFM segments, value tiers and target lists, computed in your browser.",
            "私有化客户分析：RFM 分层、价值分级与目标名单，全部在您的浏览器中计算。";
        PRIVACY_NOTE = "Your data stays on this device: the file is read and analysed inside this browser tab, and nothing is uploaded.",
            "您的数据只留在本机：文件在此浏览器标签页内读取和分析，不会上传任何内容。";
        LANG_SWITCH = "中文", "English";
        THEME_DARK = "Dark", "深色";
        THEME_LIGHT = "Light", "浅色";
        DROP_TITLE = "Drop a transactions CSV here", "将交易明细 CSV 拖到此处";
        DROP_OR = "or", "或";
        CHOOSE_FILE = "Choose a file", "选择文件";
        TRY_DEMO = "Try the demo data", "试用演示数据";
        DEMO_HINT = "2,000 generated customers of a fictional shop (about 16,000 order lines).",
            "虚构商店的 2,000 位生成客户（约 16,000 条订单明细）。";
        FORMAT_HINT = "One row per order line: customer id, date and amount are required; order id, product, quantity, region and channel are optional. CSV or TSV, UTF-8, UTF-16 or GBK, English or Chinese headers.",
            "每行一条订单明细：必需客户ID、日期和金额；订单号、商品、数量、地区和渠道可选。支持 CSV 或 TSV，UTF-8、UTF-16 或 GBK 编码，中英文表头均可。";
        READING_FILE = "Reading {0}…", "正在读取 {0}…";
        MAPPING_TITLE = "Check the columns", "确认列映射";
        MAPPING_HELP = "SegScope guessed what each column means. Correct anything wrong, then analyse.",
            "SegScope 已推测每列的含义。如有错误请更正，然后开始分析。";
        FILE_SIZE = "{0} · {1}", "{0} · {1}";
        ENCODING = "Encoding", "编码";
        DELIMITER = "Delimiter", "分隔符";
        DELIM_COMMA = "comma ,", "逗号 ,";
        DELIM_SEMICOLON = "semicolon ;", "分号 ;";
        DELIM_TAB = "tab", "制表符";
        DELIM_PIPE = "pipe |", "竖线 |";
        HAS_HEADER = "First row is a header", "首行为表头";
        DATE_ORDER = "Date order", "日期顺序";
        DATE_ORDER_AMBIGUOUS = "These dates could be day/month or month/day: please choose.",
            "这些日期既可能是日/月也可能是月/日，请选择。";
        ROLE_NONE = "— ignore —", "— 忽略 —";
        REQUIRED_LEGEND = "* required", "* 必需";
        REQUIRED_MISSING = "Map a column to: {0}", "请为以下角色指定列：{0}";
        ANALYSE = "Analyse", "开始分析";
        CHOOSE_ANOTHER = "Choose another file", "换一个文件";
        PROGRESS_READING = "Reading and cleaning the file", "正在读取并清洗文件";
        PROGRESS_SCORING = "Scoring customers", "正在为客户评分";
        PROGRESS_EXPORTING = "Writing the export", "正在生成导出文件";
        PROGRESS_STARTING = "Starting", "正在启动";
        CANCEL = "Cancel", "取消";
        CANCELLED = "Cancelled. Nothing you did was lost.", "已取消，您的操作均已保留。";
        ERROR_TITLE = "Something needs your attention", "需要您处理的问题";
        ERROR_BACK_TO_MAPPING = "Back to the column mapping", "返回列映射";
        DISMISS = "Dismiss", "关闭";
        CRASHED = "The analysis engine stopped unexpectedly ({0}). It has been restarted; your file and settings are kept.",
            "分析引擎意外停止（{0}），已重新启动；您的文件和设置均已保留。";
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
        SETTINGS_AS_OF = "As-of date", "基准日期";
        SETTINGS_AS_OF_HELP = "Recency is counted back from this day (default: the day after the last purchase).",
            "最近消费天数从该日期往回计算（默认：最后一笔交易的次日）。";
        KPI_CUSTOMERS = "Customers", "客户数";
        KPI_ORDERS = "Orders", "订单数";
        KPI_REVENUE = "Revenue", "销售额";
        KPI_AOV = "Average order value", "客单价";
        KPI_REPEAT = "Repeat-customer rate", "复购率";
        PARETO_SENTENCE = "{0} of customers bring 80% of revenue.", "{0} 的客户贡献了 80% 的销售额。";
        PARETO_TOP = "Top {0}% of customers: {1} of revenue", "前 {0}% 的客户：贡献 {1} 的销售额";
        PARETO_GINI = "Gini coefficient: {0}", "基尼系数：{0}";
        CHART_CLV_P_ALIVE = "Probability alive by frequency and recency", "按购买频次与最近购买时间的存活概率";
        CHART_CLV_EXPECTED = "Expected purchases by frequency and recency", "按购买频次与最近购买时间的预期购买次数";
        CHART_CLV_DISTRIBUTION = "Customer lifetime value distribution", "客户生命周期价值分布";
        CHART_CLV_CHURN = "Churn risk by segment", "各分层的流失风险";
        CHART_CLV_HOLDOUT_FREQUENCY = "Holdout purchases by calibration frequency: actual vs predicted", "按校准期复购次数的验证期购买：实际与预测";
        CHART_CLV_HOLDOUT_CUMULATIVE = "Cumulative repeat purchases: actual vs predicted", "累计复购次数：实际与预测";
        CHART_CLUSTER_ELBOW = "Choosing k: inertia and silhouette by number of segments", "选择 k：不同分群数下的惯性与轮廓系数";
        CHART_CLUSTER_PROJECTION = "Segments on the first two principal components", "前两个主成分上的客户分群";
        CHART_CLUSTER_PROFILE = "Segment profiles: standardised mean of each input column", "分群画像：各输入列的标准化均值";
        CHART_CLUSTER_SIZES = "Segment sizes: share of customers and of revenue", "分群规模：客户占比与销售额占比";
        CHART_CLUSTER_AXIS_K = "Number of segments (k)", "分群数 (k)";
        CHART_CLUSTER_AXIS_INERTIA = "Inertia (within-segment sum of squares)", "惯性（群内平方和）";
        CHART_CLUSTER_AXIS_SILHOUETTE = "Mean silhouette", "平均轮廓系数";
        CHART_CLUSTER_LEGEND_INERTIA = "Inertia", "惯性";
        CHART_CLUSTER_LEGEND_SILHOUETTE = "Silhouette", "轮廓系数";
        CHART_CLUSTER_LEGEND_CHOSEN = "Chosen k = {0}", "选定 k = {0}";
        CHART_CLUSTER_LEGEND_SUGGESTED = "Suggested k = {0}", "建议 k = {0}";
        CHART_CLUSTER_LEGEND_CHOSEN_SUGGESTED = "Chosen k = {0} (as suggested)", "选定 k = {0}（即建议值）";
        CHART_CLUSTER_SILHOUETTE_SAMPLE = "Silhouette on a sample of {0} customers", "轮廓系数基于 {0} 位客户的抽样计算";
        CHART_CLUSTER_AXIS_PC = "PC{0} ({1} of variance)", "主成分{0}（解释 {1} 的方差）";
        CHART_CLUSTER_AXIS_PC_PLAIN = "PC{0}", "主成分{0}";
        CHART_CLUSTER_SAMPLE_SHOWN = "{0} of {1} customers shown", "显示 {1} 位客户中的 {0} 位";
        CHART_CLUSTER_LEGEND_CENTRE = "Segment centre", "分群中心";
        CHART_CLUSTER_AXIS_COLUMN = "Input column", "输入列";
        CHART_CLUSTER_AXIS_STANDARDISED = "Standardised mean (0 = base average)", "标准化均值（0 = 全体平均）";
        CHART_CLUSTER_LEGEND_BASE = "Base average", "全体平均";
        CHART_CLUSTER_AXIS_SHARE = "Share (%)", "占比 (%)";
        CHART_CLUSTER_LEGEND_CUSTOMER_SHARE = "Share of customers", "客户占比";
        CHART_CLUSTER_LEGEND_REVENUE_SHARE = "Share of revenue", "销售额占比";
        CHART_CLUSTER_LEGEND_TINY = "! Tiny segment", "! 过小的分群";
        CHART_CLUSTER_SEGMENT_N = "Segment {0}", "分群 {0}";
        CHART_CLUSTER_READOUT_ELBOW = "k = {0}: inertia {1}, silhouette {2}", "k = {0}：惯性 {1}，轮廓系数 {2}";
        CHART_CLUSTER_READOUT_POINT = "{0} (PC1 {1}, PC2 {2})", "{0}（主成分1 {1}，主成分2 {2}）";
        CHART_CLUSTER_READOUT_PROFILE = "Column {0}: {1}", "列 {0}：{1}";
        CHART_CLUSTER_READOUT_SIZES = "{0}: {1} of customers, {2} of revenue", "{0}：客户占比 {1}，销售额占比 {2}";
        CHART_CLUSTER_READOUT_TINY = "tiny segment", "过小的分群";
        AXIS_CLV_FREQUENCY = "Repeat purchases (frequency)", "复购次数（频次）";
        AXIS_CLV_RECENCY = "Recency: {0} from first to last purchase", "最近购买：首购至末次购买的间隔（{0}）";
        CLV_UNIT_WEEKS = "weeks", "周";
        LEGEND_CLV_P_ALIVE = "Probability alive", "存活概率";
        LEGEND_CLV_EXPECTED = "Expected purchases in the next {0} days", "未来 {0} 天的预期购买次数";
        AXIS_CLV_VALUE = "Customer lifetime value (log scale)", "客户生命周期价值（对数刻度）";
        AXIS_CLV_VALUE_LINEAR = "Customer lifetime value", "客户生命周期价值";
        LEGEND_CLV_RISK_LOW = "Low risk", "低风险";
        LEGEND_CLV_RISK_MEDIUM = "Medium risk", "中风险";
        LEGEND_CLV_RISK_HIGH = "High risk", "高风险";
        AXIS_CLV_CALIBRATION_FREQUENCY = "Repeat purchases in the calibration period", "校准期内的复购次数";
        AXIS_CLV_HOLDOUT_MEAN = "Holdout purchases per customer", "验证期人均购买次数";
        AXIS_CLV_CUMULATIVE = "Cumulative repeat purchases", "累计复购次数";
        AXIS_CLV_DATE = "Date", "日期";
        LEGEND_CLV_ACTUAL = "Actual", "实际";
        LEGEND_CLV_CALIBRATION_END = "Calibration end", "校准截止";
        CHART_TREND = "Monthly revenue and orders", "月度销售额与订单数";
        CHART_SEGMENTS = "Customers and revenue by segment", "各分层的客户与销售额占比";
        CHART_HEATMAP = "Customers by recency (R) and frequency (F) score", "按最近消费 (R) 与频次 (F) 评分的客户分布";
        CHART_LORENZ = "Revenue concentration (Lorenz curve)", "销售额集中度（洛伦兹曲线）";
        CHART_RECENCY = "Recency distribution", "最近消费天数分布";
        CHART_FREQUENCY = "Frequency distribution", "购买频次分布";
        CHART_MONETARY = "Monetary distribution", "消费金额分布";
        AXIS_MONTH = "Month", "月份";
        AXIS_REVENUE = "Revenue", "销售额";
        AXIS_ORDERS = "Orders", "订单数";
        AXIS_SHARE = "Share (%)", "占比 (%)";
        AXIS_CUSTOMER_SHARE = "Customers, smallest spenders first (%)", "客户（按消费从低到高，%）";
        AXIS_REVENUE_SHARE = "Cumulative revenue (%)", "累计销售额 (%)";
        AXIS_F_SCORE = "F score (frequency)", "F 评分（频次）";
        AXIS_R_SCORE = "R score (recency)", "R 评分（最近消费）";
        AXIS_RECENCY_DAYS = "Days since last order", "距上次购买天数";
        AXIS_FREQUENCY = "Orders per customer", "每位客户订单数";
        AXIS_FREQUENCY_TAIL = "Orders per customer (the last bar counts 20 or more)", "每位客户订单数（最后一栏为 20 单及以上）";
        AXIS_MONETARY = "Revenue per customer (log scale)", "每位客户消费额（对数刻度）";
        AXIS_MONETARY_LINEAR = "Revenue per customer", "每位客户消费额";
        AXIS_CUSTOMERS = "Customers", "客户数";
        AXIS_CUSTOMERS_LOG = "Customers (log scale)", "客户数（对数刻度）";
        LEGEND_CUSTOMERS = "Customers", "客户";
        LEGEND_REVENUE = "Revenue", "销售额";
        NO_DATA = "No data", "暂无数据";
        DOWNLOAD_PNG = "PNG", "PNG";
        DOWNLOAD_PNG_TITLE = "Download this chart as PNG", "将此图表下载为 PNG";
        READOUT_MONTH = "{0}: revenue {1}, {2} orders, {3} customers", "{0}：销售额 {1}，订单 {2} 笔，客户 {3} 位";
        READOUT_LORENZ = "Bottom {0} of customers bring {1} of revenue", "消费最低的 {0} 客户贡献 {1} 的销售额";
        SEGMENTS_TITLE = "RFM segments", "RFM 客户分层";
        COL_SEGMENT = "Segment", "分层";
        COL_CUSTOMERS = "Customers", "客户数";
        COL_CUSTOMER_SHARE = "% customers", "客户占比";
        COL_REVENUE = "Revenue", "销售额";
        COL_REVENUE_SHARE = "% revenue", "销售额占比";
        COL_MEAN_RECENCY = "Mean recency (days)", "平均最近消费（天）";
        COL_MEAN_FREQUENCY = "Mean orders", "平均订单数";
        COL_MEAN_MONETARY = "Mean revenue", "人均消费";
        COL_ACTION = "Suggested action", "建议动作";
        GRID_TITLE = "Segment rules (R × F grid per M score)", "分层规则（每个 M 评分下的 R × F 网格）";
        GRID_HELP = "Each of the 125 (R, F, M) score combinations belongs to exactly one segment. Change a cell to reassign it.",
            "125 种 (R, F, M) 评分组合各自恰好属于一个分层。修改单元格即可重新分配。";
        GRID_M = "M score", "M 评分";
        GRID_ALL_M = "all five (edits all)", "全部五个（统一修改）";
        GRID_RESET = "Reset to the default rules", "恢复默认规则";
        CUSTOMERS_TITLE = "Customers", "客户列表";
        SEARCH_ID = "Search customer id", "搜索客户ID";
        FILTER_SEGMENT = "Segment", "分层";
        ALL_SEGMENTS = "All segments", "全部分层";
        COL_CUSTOMER_ID = "Customer id", "客户ID";
        COL_RECENCY = "Recency (days)", "最近消费（天）";
        COL_FREQUENCY = "Orders", "订单数";
        COL_MONETARY = "Revenue", "消费额";
        COL_AOV = "Avg order", "客单价";
        COL_RFM = "R F M", "R F M";
        COL_LAST_ORDER = "Last order", "最近下单";
        PAGE_OF = "{0}–{1} of {2}", "第 {0}–{1} 条，共 {2} 条";
        PREV = "Previous", "上一页";
        NEXT = "Next", "下一页";
        EXPORT = "Export target list (CSV)", "导出目标名单 (CSV)";
        EXPORTED = "Customers exported: {0}.", "已导出客户：{0} 位。";
        NO_MATCH = "No customer matches.", "没有符合条件的客户。";
        NEW_FILE = "New file", "新文件";
        NAV_LABEL = "Analyses of this file", "此文件的分析";
        NAV_OVERVIEW = "Overview", "概览";
        NAV_CUSTOMERS = "Customers", "客户";
        NAV_PREDICTIONS = "Predictions", "预测";
        NAV_SEGMENTS = "Segments", "分群";
        FOOTER = "SegScope runs entirely in your browser. No server, no upload, no tracking.",
            "SegScope 完全在您的浏览器中运行：无服务器、无上传、无追踪。";
        ERR_EMPTY = "The file is empty.", "文件为空。";
        ERR_HEADER_ONLY = "The file has a header row but no data rows.", "文件只有表头，没有数据行。";
        ERR_BINARY = "This is not a text table (binary data near byte {0}). Export the sheet as CSV first (in Excel: File › Save As › CSV UTF-8).",
            "这不是文本表格（第 {0} 字节附近为二进制数据）。请先将表格导出为 CSV（Excel：文件 › 另存为 › CSV UTF-8）。";
        ERR_MISSING_COLUMN = "No column is mapped to “{0}”, which is required.", "必需的“{0}”没有对应的列。";
        ERR_COLUMN_RANGE = "The column chosen for “{0}” (no. {1}) does not exist: the file has {2} columns.",
            "为“{0}”选择的第 {1} 列不存在：文件只有 {2} 列。";
        ERR_DUPLICATE_MAPPING = "Column {0} is used for both “{1}” and “{2}”.", "第 {0} 列同时被用作“{1}”和“{2}”。";
        ERR_MOST_ROWS_BAD = "{0} of {1} rows could not be used. Most common problem: {2} in column “{3}”, e.g. line {4}: “{5}”. Check the column mapping and the date order.",
            "{1} 行中有 {0} 行无法使用。最常见的问题：列“{3}”{2}，例如第 {4} 行：“{5}”。请检查列映射和日期顺序。";
        ERR_CSV = "The CSV could not be read at line {0}: {1}", "CSV 在第 {0} 行无法读取：{1}";
        ERR_IO = "The file could not be read: {0}", "无法读取文件：{0}";
        ERR_AS_OF = "The as-of date {0} is before the first purchase ({1}).", "基准日期 {0} 早于第一笔交易（{1}）。";
        ERR_GRID = "The segment rules are incomplete; reset them to the default.", "分层规则不完整，请恢复默认规则。";
        ERR_NO_CUSTOMERS = "No customer has a purchase left to score (all orders net to zero or less).",
            "没有可评分的客户（所有订单冲抵后金额均不大于零）。";
        ERR_CLV_SETTINGS = "Prediction settings: {0}", "预测设置有误：{0}";
        ERR_CLV_ITERATIONS = "the iteration limit must be at least 1", "迭代次数上限至少为 1";
        ERR_CLV_TOLERANCE = "the tolerance must be a positive number (got {0})", "收敛容差必须为正数（当前为 {0}）";
        ERR_CLV_INITIAL = "the starting value of {0} must be positive (got {1})", "参数 {0} 的初始值必须为正数（当前为 {1}）";
        ERR_CLV_HORIZON = "the horizon must be between 1 and {0} {1} (got {2})", "预测期必须在 1 到 {0} {1} 之间（当前为 {2}）";
        ERR_CLV_DISCOUNT = "the monthly discount rate must be between 0 % and 100 % (got {0})", "月贴现率必须在 0% 到 100% 之间（当前为 {0}）";
        ERR_CLV_CHURN = "the churn thresholds must satisfy 0 < high-risk ≤ low-risk ≤ 1 (got {0} and {1})", "流失阈值必须满足 0 < 高风险阈值 ≤ 低风险阈值 ≤ 1（当前为 {0} 和 {1}）";
        ERR_CLV_TOO_FEW = "The prediction models need at least 2 customers with a purchase before the calibration end; there are {0}.",
            "预测模型至少需要 2 位在校准截止日前有购买的客户，当前只有 {0} 位。";
        ERR_CLV_NO_REPEATS = "Nobody bought twice before the calibration end, so repeat buying cannot be predicted. Choose a later calibration end or a file with a longer history.",
            "校准截止日前没有客户重复购买，无法预测复购。请选择更晚的校准截止日，或使用时间跨度更长的文件。";
        ERR_CLV_ROW = "Customer summary row {0} is invalid (frequency {1}, recency {2}, T {3}): {4}.",
            "客户汇总第 {0} 行无效（频次 {1}，最近购买 {2}，T {3}）：{4}。";
        ERR_CLV_NON_FINITE = "The {0} model broke down numerically at {1}. The data may be too small or too regular for it.",
            "{0} 模型在 {1} 处出现数值异常，数据可能过少或过于规律。";
        ERR_CLV_PREDICTION = "A prediction was asked outside the model's range (frequency {0}, recency {1}, T {2}, horizon {3}): {4}.",
            "预测输入超出模型范围（频次 {0}，最近购买 {1}，T {2}，预测期 {3}）：{4}。";
        ERR_CLV_SPEND = "The spend model's mean order value is undefined (q = {0} is not above 1): spending varies too wildly between customers.",
            "消费金额模型的平均客单价无定义（q = {0} 不大于 1）：客户间消费差异过大。";
        ERR_CLV_CALIBRATION = "The calibration end {0} must lie after the first purchase ({1}) and not after {2}.",
            "校准截止日 {0} 必须晚于第一笔交易（{1}），且不晚于 {2}。";
        ERR_CLV_HOLDOUT = "The holdout end {0} must be after the calibration end {1}.", "验证期结束日 {0} 必须晚于校准截止日 {1}。";
        UNIT_DAYS = "days", "天";
        UNIT_MONTHS = "months", "个月";
        PROGRESS_FITTING = "Fitting the prediction models", "正在拟合预测模型";
        PREDICT_TITLE = "Predictions: who will buy again, and what they are worth", "预测：谁会再次购买，价值几何";
        PREDICT_HELP = "Probabilistic customer-base models (BG/NBD or Pareto/NBD for purchases, Gamma-Gamma for spend) fitted to this file by maximum likelihood. Purchases on the same day count as one.",
            "基于概率的客户行为模型（购买次数用 BG/NBD 或 Pareto/NBD，消费金额用 Gamma-Gamma），以最大似然法在此文件上拟合。同一天的多次购买计为一次。";
        PREDICT_RUN = "Run predictions", "运行预测";
        PREDICT_RERUN = "Update predictions", "更新预测";
        PREDICT_MODEL = "Purchase model", "购买模型";
        PREDICT_TIME_UNIT = "Time unit", "时间单位";
        UNIT_WEEKS = "weeks", "周";
        PREDICT_HORIZON = "Expected purchases over (days)", "预期购买的预测天数";
        PREDICT_CLV_MONTHS = "CLV horizon (months)", "CLV 期限（月）";
        PREDICT_DISCOUNT = "Monthly discount rate (%)", "月贴现率（%）";
        PREDICT_AS_OF = "Scores as of {0}", "评分基准日 {0}";
        PREDICT_ELAPSED = "Fitted and scored in {0} ms", "拟合与评分耗时 {0} 毫秒";
        COL_MODEL = "Model", "模型";
        COL_PARAMETERS = "Parameters", "参数";
        COL_LOG_LIKELIHOOD = "Log-likelihood", "对数似然";
        COL_FIT_TIME = "Fit time", "拟合耗时";
        COL_CONVERGED = "Converged", "是否收敛";
        COL_CUSTOMERS_FITTED = "Customers fitted", "拟合客户数";
        YES = "yes", "是";
        NO = "no", "否";
        SCORING_MODEL = "Scores come from {0}. The model with the higher log-likelihood fits this file better.", "评分来自 {0}。对数似然越高的模型与此文件拟合得越好。";
        KPI_EXPECTED_PURCHASES = "Expected purchases, next {0} days", "未来 {0} 天预期购买次数";
        KPI_MEAN_ALIVE = "Mean probability alive", "平均存活概率";
        KPI_TOTAL_CLV = "Total CLV, {0} months", "{0} 个月总 CLV";
        KPI_HIGH_RISK = "High churn risk", "高流失风险客户";
        KPI_HIGH_RISK_CLV = "{0} of CLV at stake", "涉及 CLV {0}";
        WARN_NOT_CONVERGED = "{0}: the optimiser stopped before reaching its tolerance; treat the estimates with care.", "{0}：优化器在达到收敛容差前停止，请谨慎看待估计值。";
        WARN_MODEL_FAILED = "{0} could not be fitted: {1}", "{0} 无法拟合：{1}";
        WARN_SCORED_WITH_FALLBACK = "{0} could not be fitted, so the scores come from {1}.", "{0} 无法拟合，因此评分来自 {1}。";
        WARN_UNSTABLE_MEAN_SPEND = "The spend model expects an average order of {0} from a customer without repeat purchases, far above the observed {1} (its q is close to 1): expected order values and CLV of customers with few purchases are unreliable.", "消费金额模型对无复购客户的预期平均订单金额为 {0}，远高于实际观测的 {1}（其 q 接近 1）：购买次数少的客户的预期订单金额和 CLV 不可靠。";
        WARN_AT_BOUNDARY = "{0}: {1} The fit is held at this limit, so the predictions are those of the simpler model.", "{0}：{1}拟合停在这一极限处，因此预测即为相应简化模型的预测。";
        BOUNDARY_NO_RATE_HETEROGENEITY = "customers' purchase rates hardly differ (r, α → ∞): one purchase rate (Poisson) for everyone.", "客户的购买频率几乎没有差异（r、α → ∞）：所有人使用同一个购买率（泊松）。";
        BOUNDARY_NO_DROPOUT = "almost nobody seems to drop out (dropout → 0): customers are treated as staying.", "几乎没有客户流失（流失率 → 0）：客户均视为持续活跃。";
        BOUNDARY_NO_DROPOUT_HETEROGENEITY = "the dropout chance hardly differs between customers: one dropout rate for everyone.", "客户之间的流失概率几乎没有差异：所有人使用同一个流失率。";
        BOUNDARY_NO_SPEND_HETEROGENEITY = "customers' typical order values hardly differ (q, v → ∞): one spend level for everyone.", "客户的典型订单金额几乎没有差异（q、v → ∞）：所有人使用同一消费水平。";
        BOUNDARY_PARAMETER = "the parameter {0} reached the limit of its range.", "参数 {0} 到达其取值范围的极限。";
        WARN_SPEND_FAILED = "No CLV: the spend model could not be used. {0}", "无法计算 CLV：消费金额模型不可用。{0}";
        WARN_SPEND_CORRELATED = "Purchase frequency and spend are correlated (ρ = {0}); the Gamma-Gamma model assumes they are independent, so CLV may be biased.", "购买频次与消费金额存在相关性（ρ = {0}）；Gamma-Gamma 模型假设二者独立，CLV 可能有偏差。";
        SPEND_CORRELATION = "Frequency–spend correlation among repeat customers: ρ = {0} (Gamma-Gamma assumes about 0).", "复购客户的频次与消费金额相关系数：ρ = {0}（Gamma-Gamma 模型假设接近 0）。";
        TOP_CLV_TITLE = "Top customers by CLV", "CLV 最高的客户";
        COL_P_ALIVE = "P(alive)", "存活概率";
        COL_EXPECTED = "Expected purchases", "预期购买次数";
        COL_CLV = "CLV", "客户终身价值";
        COL_CHURN = "Churn risk", "流失风险";
        COL_NEXT_PURCHASE = "Next purchase", "预计下次购买";
        CHURN_LOW = "low", "低";
        CHURN_MEDIUM = "medium", "中";
        CHURN_HIGH = "high", "高";
        FILTER_CHURN = "Churn risk", "流失风险";
        PRESET_AT_RISK_VALUE = "High value, probably churning", "高价值但可能流失";
        EXPORT_SCORES = "Export scores (CSV)", "导出预测评分（CSV）";
        VALIDATE_TITLE = "Check the models on a holdout period", "用验证期检验模型";
        VALIDATE_HELP = "Fit on the purchases up to the calibration end, predict the period after it, and compare with what happened.",
            "只用校准截止日之前的购买数据拟合模型，预测之后的时期，并与实际发生的情况比较。";
        VALIDATE_SPLIT = "Calibration end", "校准截止日";
        VALIDATE_HOLDOUT_END = "Holdout end", "验证期结束日";
        COL_CALIBRATION_FREQUENCY = "Repeat purchases in calibration", "校准期复购次数";
        COL_ACTUAL_MEAN = "Actual holdout purchases (mean)", "验证期实际购买（均值）";
        READOUT_CUMULATIVE = "{0}: actual {1}; {2}", "{0}：实际 {1}；{2}";
        VALIDATE_RUN = "Validate", "开始验证";
        VALIDATE_SUMMARY = "Holdout purchases of the {0} calibration customers: actual {1}; predicted {2}.", "{0} 位校准期客户在验证期的购买次数：实际 {1}；预测 {2}。";
        VALIDATE_ERRORS = "{0}: mean absolute error {1} per customer, {2} per frequency group.", "{0}：每位客户平均绝对误差 {1}，每个频次组平均绝对误差 {2}。";
        ERR_NOTHING_LOADED = "The analysis engine lost the data (it was restarted). Analyse the file again.",
            "分析引擎已重启，数据已丢失，请重新分析文件。";
        ERR_READ = "The browser could not read the file: {0}", "浏览器无法读取文件：{0}";
        ERR_BAD_MESSAGE = "Internal message error: {0}", "内部消息错误：{0}";
        ERR_NOT_FINITE = "A result held a number too large to show ({0}). Look for extreme amounts or dates in the file.",
            "结果中有一个过大而无法显示的数值（{0}）。请检查文件中是否有极端的金额或日期。";
        ERR_CANCELLED = "Stopped before it finished; nothing you had was changed.", "已在完成前停止；您已有的结果未被改动。";
        ERR_STALE = "This answer was about a file you have since closed, so it was set aside.", "这是关于您已关闭的文件的结果，已忽略。";
        ERR_WORKER_START = "The analysis engine could not start: {0}", "分析引擎无法启动：{0}";
        ERR_DEMO = "The demo data could not be loaded: {0}", "无法加载演示数据：{0}";
        DROP_MISSING_CUSTOMER = "empty customer id", "客户ID为空";
        DROP_MISSING_DATE = "empty date", "日期为空";
        DROP_BAD_DATE = "not a date", "不是有效日期";
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
        REQUIRED_MARK = "*", "*";
        ORDER_YMD = "year-month-day (2024-03-05)", "年-月-日（2024-03-05）";
        ORDER_DMY = "day/month/year (05/03/2024)", "日/月/年（05/03/2024）";
        ORDER_MDY = "month/day/year (03/05/2024)", "月/日/年（03/05/2024）";
        SEG_CHAMPIONS = "Champions", "重要价值客户";
        SEG_LOYAL = "Loyal Customers", "忠诚客户";
        SEG_POTENTIAL = "Potential Loyalists", "潜力客户";
        SEG_NEW = "New Customers", "新客户";
        SEG_PROMISING = "Promising", "有望客户";
        SEG_NEED_ATTENTION = "Need Attention", "需要关注";
        SEG_ABOUT_TO_SLEEP = "About to Sleep", "即将沉睡";
        SEG_AT_RISK = "At Risk", "流失风险";
        SEG_CANT_LOSE = "Can't Lose Them", "不能失去的客户";
        SEG_HIBERNATING = "Hibernating", "沉睡客户";
        SEG_LOST = "Lost", "已流失";
        ACT_CHAMPIONS = "Reward them; ask for reviews and referrals; early access to new products.",
            "给予奖励；邀请评价和推荐；新品优先体验。";
        ACT_LOYAL = "Upsell higher-value products; loyalty programme; ask for reviews.",
            "推荐更高价值商品；会员忠诚计划；邀请评价。";
        ACT_POTENTIAL = "Offer membership or a loyalty programme; recommend related products.",
            "邀请加入会员或忠诚计划；推荐相关商品。";
        ACT_NEW = "Onboard well: welcome series, first-repeat incentive.", "做好新客引导：欢迎邮件序列、首次复购激励。";
        ACT_PROMISING = "Build brand awareness; free trials; a small second-order offer.",
            "提升品牌认知；免费试用；小额二次购买优惠。";
        ACT_NEED_ATTENTION = "Limited-time offers based on past purchases; reactivate before they slip.",
            "基于历史购买的限时优惠；在流失前重新激活。";
        ACT_ABOUT_TO_SLEEP = "Share popular products and discounts; reconnect now.", "推送热门商品和折扣；立即重新建立联系。";
        ACT_AT_RISK = "Personalised win-back emails; renewals; helpful reminders.", "个性化召回邮件；续费提醒；贴心回访。";
        ACT_CANT_LOSE = "Win them back with your best offers; talk to them; don't lose them to a competitor.",
            "用最优惠的方案挽回；主动沟通；别让竞争对手抢走。";
        ACT_HIBERNATING = "Offer other relevant products and special discounts; recreate value.",
            "推荐其他相关商品和专属折扣；重建价值感。";
        ACT_LOST = "Revive interest with a reach-out campaign, or stop spending on them.",
            "通过触达活动重新唤起兴趣，否则停止投入。";
        CLUSTER_TITLE = "Segments found in the data", "数据驱动的客户分群";
        CLUSTER_HELP = "k-means on the behaviour you choose, plus any customer attributes you add. Skewed figures are logged and every figure is standardised first; the sweep over k = 2–10 suggests how many segments the data supports.",
            "基于您选择的消费行为（以及添加的客户属性）进行 k-means 聚类。偏态指标先取对数，所有指标先标准化；对 k = 2–10 的扫描给出数据支持的建议分群数。";
        CLUSTER_FEATURES = "Features", "特征";
        CLUSTER_ATTRIBUTES = "Customer attributes (optional)", "客户属性（可选）";
        CLUSTER_ATTRIBUTES_HINT = "A second CSV with one row per customer: the id, then any columns such as age, gender, city, income band or membership level. It is read in this browser too.",
            "第二个 CSV，每位客户一行：客户ID，以及年龄、性别、城市、收入段、会员等级等任意列。同样只在本浏览器内读取。";
        CLUSTER_ATTRIBUTES_CHOOSE = "Add an attributes file", "添加属性文件";
        CLUSTER_ATTRIBUTES_DEMO = "Use the demo attributes", "使用演示属性数据";
        CLUSTER_ATTRIBUTES_REMOVE = "Remove attributes", "移除属性";
        CLUSTER_ATTRIBUTES_ID = "Id column", "ID 列";
        CLUSTER_ATTRIBUTES_JOIN = "{0} of {1} rows matched a customer; {2} ids are not in the transactions; {3} customers have no attributes.",
            "{1} 行中有 {0} 行匹配到客户；{2} 个 ID 不在交易数据中；{3} 位客户没有属性。";
        CLUSTER_ATTRIBUTES_UNMATCHED = "Unmatched ids, e.g. {0}", "未匹配的 ID，例如 {0}";
        CLUSTER_ATTRIBUTES_DUPLICATES = "{0} repeated ids: the first row of each is used.", "{0} 个重复 ID：各取第一行。";
        CLUSTER_COLUMN_NUMERIC = "numeric", "数值";
        CLUSTER_COLUMN_CATEGORICAL = "categorical, {0} values", "类别，{0} 个取值";
        CLUSTER_COLUMN_MISSING = "{0} missing", "缺失 {0}";
        CLUSTER_K = "Segments (k)", "分群数 (k)";
        CLUSTER_K_AUTO = "Auto (suggested by the sweep)", "自动（按扫描结果建议）";
        CLUSTER_SEED = "Seed", "随机种子";
        CLUSTER_RUN = "Find segments", "开始分群";
        CLUSTER_RERUN = "Run again", "重新分群";
        CLUSTER_LOAD = "Apply a saved segmentation", "应用已保存的分群";
        CLUSTER_SAVE = "Save segmentation", "保存分群模型";
        CLUSTER_SAVE_HINT = "A small JSON file with the features, transforms, centroids and names (no customer rows), to score next month's file the same way.",
            "一个小型 JSON 文件，包含特征、变换、聚类中心和名称（不含任何客户数据），可用同样方式为下月数据分群。";
        CLUSTER_SUMMARY = "{0} segments of {1} customers · mean silhouette {2} (on {3} customers) · Calinski-Harabasz {4} · {5} ms",
            "{1} 位客户分为 {0} 群 · 平均轮廓系数 {2}（基于 {3} 位客户）· Calinski-Harabasz {4} · {5} 毫秒";
        CLUSTER_SUGGESTED = "Suggested k: {0} (highest mean silhouette).", "建议 k：{0}（平均轮廓系数最高）。";
        CLUSTER_STABILITY = "Stability: adjusted Rand index {0} between the segments and refits on {1} bootstrap resamples (1 = identical).",
            "稳定性：分群结果与 {1} 次自助重抽样重新聚类之间的调整兰德指数为 {0}（1 = 完全一致）。";
        CLUSTER_APPLIED = "Scored with a saved segmentation: each customer joins the nearest saved centroid.", "已用保存的分群模型评分：每位客户归入最近的已保存中心。";
        CLUSTER_RENAME = "Rename segment {0}", "重命名分群 {0}";
        FEAT_RECENCY = "Recency (days)", "最近消费（天）";
        FEAT_FREQUENCY = "Orders", "购买次数";
        FEAT_MONETARY = "Revenue", "消费金额";
        FEAT_AOV = "Average order value", "客单价";
        FEAT_TENURE = "Tenure (days)", "客龄（天）";
        FEAT_INTERVAL = "Days between orders", "购买间隔（天）";
        FEAT_CATEGORY = "Spend share by product", "各商品消费占比";
        FEAT_REGION = "Main region", "主要地区";
        FEAT_CHANNEL = "Main channel", "主要渠道";
        FEAT_CLV = "CLV", "客户终身价值";
        FEAT_P_ALIVE = "Probability alive", "存活概率";
        FEAT_NEEDS_PRODUCT = "needs a product column", "需要商品列";
        FEAT_NEEDS_REGION = "needs a region column", "需要地区列";
        FEAT_NEEDS_CHANNEL = "needs a channel column", "需要渠道列";
        FEAT_NEEDS_PREDICTIONS = "run predictions first", "请先运行预测";
        CLUSTER_COL_SEGMENT = "Segment", "分群";
        CLUSTER_COL_CUSTOMERS = "Customers", "客户数";
        CLUSTER_COL_SHARE = "Share", "客户占比";
        CLUSTER_COL_REVENUE_SHARE = "Revenue share", "销售额占比";
        CLUSTER_COL_SILHOUETTE = "Silhouette", "轮廓系数";
        CLUSTER_COL_STABILITY = "Stability", "稳定性";
        CLUSTER_COL_DIFFERS = "How it differs (index, 100 = average)", "与整体的差异（指数，100 = 平均）";
        CLUSTER_COL_TOP = "Top products, regions, channels", "主要商品、地区、渠道";
        CLUSTER_SHOW_CUSTOMERS = "Customers", "查看客户";
        CLUSTER_TINY = "tiny", "规模过小";
        CLUSTER_TRANSFORMS = "How each input was transformed", "各输入特征的变换方式";
        CLUSTER_COL_FEATURE = "Input", "输入";
        CLUSTER_COL_TRANSFORM = "Transform", "变换";
        CLUSTER_COL_SKEW = "Skewness", "偏度";
        CLUSTER_COL_MEAN = "Mean", "均值";
        CLUSTER_COL_MEDIAN = "Median", "中位数";
        CLUSTER_COL_IMPUTED = "Imputed", "填补数";
        TRANSFORM_STANDARDISE = "standardised", "标准化";
        TRANSFORM_LOG = "log, then standardised", "取对数后标准化";
        TRANSFORM_ONEHOT = "one-hot (0/1)", "独热编码 (0/1)";
        TRAIT_HIGH_VALUE = "High-value", "高价值";
        TRAIT_LOW_VALUE = "Low-value", "低价值";
        TRAIT_FREQUENT = "frequent", "高频";
        TRAIT_ONE_TIMERS = "one-timers", "一次性购买";
        TRAIT_RECENT = "recent", "近期活跃";
        TRAIT_LAPSED = "lapsed", "已沉睡";
        TRAIT_BIG_BASKETS = "big baskets", "大额客单";
        TRAIT_NEW = "new", "新客";
        TRAIT_LOYAL = "long-standing", "老客";
        TRAIT_AVERAGE = "Average", "普通";
        TRAIT_JOIN = ", ", "、";
        WARN_CLUSTER_TINY = "Segments {0} each hold less than {1} of the customers.", "分群 {0} 各自的客户占比低于 {1}。";
        WARN_CLUSTER_CONSTANT = "{0} is the same for every customer and was left out.", "{0} 对所有客户都相同，已排除。";
        WARN_CLUSTER_IMPUTED = "{0}: {1} missing values replaced by the median.", "{0}：{1} 个缺失值已用中位数填补。";
        WARN_CLUSTER_LEVELS = "{0}: the {1} most common values kept, {2} rare ones merged into “other”.", "{0}：保留最常见的 {1} 个取值，{2} 个少见取值合并为“其他”。";
        WARN_CLUSTER_NOT_CONVERGED = "k-means stopped after {0} iterations before fully converging.", "k-means 在 {0} 次迭代后停止，尚未完全收敛。";
        WARN_CLUSTER_UNMATCHED = "{0} attribute rows match no customer of the transactions.", "{0} 行属性数据未匹配到交易数据中的客户。";
        PROGRESS_CLUSTER_FEATURES = "Building features", "正在构建特征";
        PROGRESS_CLUSTER_SWEEP = "Trying each k", "正在逐个尝试 k";
        PROGRESS_CLUSTER_FIT = "Fitting k-means", "正在拟合 k-means";
        PROGRESS_CLUSTER_STABILITY = "Checking stability", "正在检验稳定性";
        PROGRESS_CLUSTER_PROFILES = "Profiling segments", "正在生成分群画像";
        ERR_CLUSTER_NO_FEATURES = "Choose at least one feature to segment on.", "请至少选择一个分群特征。";
        ERR_CLUSTER_K = "The number of segments must be between 2 and 20 (got {0}).", "分群数必须在 2 到 20 之间（当前为 {0}）。";
        ERR_CLUSTER_SWEEP = "The k sweep must run within 2–20 (got {0}–{1}).", "k 扫描范围必须在 2–20 之间（当前为 {0}–{1}）。";
        ERR_CLUSTER_SETTING = "Segmentation setting {0} is out of range: {1}.", "分群设置 {0} 超出范围：{1}。";
        ERR_CLUSTER_TOO_FEW = "{0} customers cannot form {1} segments: choose a smaller k or load more data.", "{0} 位客户无法分成 {1} 群：请选择更小的 k 或载入更多数据。";
        ERR_CLUSTER_TOO_FEW_DISTINCT = "Only {0} customers differ in the chosen features, too few for {1} segments: choose a smaller k or more features.", "所选特征上仅有 {0} 位客户互不相同，不足以分成 {1} 群：请选择更小的 k 或更多特征。";
        ERR_CLUSTER_CONSTANT = "Every chosen feature is the same for all customers ({0}): there is nothing to separate. Choose other features.", "所选特征对所有客户都相同（{0}），无法区分：请选择其他特征。";
        ERR_CLUSTER_UNAVAILABLE = "Feature {0} is not available: {1}.", "特征 {0} 不可用：{1}。";
        ERR_CLUSTER_NO_ATTRIBUTES = "add an attributes file first", "请先添加属性文件";
        ERR_CLUSTER_NO_SUCH_ATTRIBUTE = "the attributes file has no such column", "属性文件中没有该列";
        ERR_CLUSTER_NON_FINITE = "Feature {0} of customer {1} is not a finite number.", "客户 {1} 的特征 {0} 不是有限数值。";
        ERR_ATTR_EMPTY = "The attributes file has no rows.", "属性文件没有数据行。";
        ERR_ATTR_PARSE = "Attributes file, line {0}: {1}", "属性文件第 {0} 行：{1}";
        ERR_ATTR_NO_ID = "The attributes file has no column “{0}”.", "属性文件中没有“{0}”列。";
        ERR_ATTR_NONE_MATCHED = "None of the {0} rows of the attributes file matches a customer id of the transactions (e.g. “{1}”). Check the id column.", "属性文件的 {0} 行中没有任何一行与交易数据的客户ID匹配（例如“{1}”）。请检查 ID 列。";
        ERR_MODEL_INVALID = "This segmentation file cannot be read: {0}", "无法读取该分群模型文件：{0}";
        ERR_MODEL_VERSION = "This segmentation file has format version {0}; this SegScope reads version {1}.", "该分群模型文件的格式版本为 {0}，本版 SegScope 只能读取版本 {1}。";
        ERR_MODEL_FEATURE = "The saved segmentation uses {0}, which this data cannot provide: {1}.", "保存的分群模型使用了 {0}，但当前数据无法提供：{1}。";
        ERR_CLUSTER_NOT_RUN = "Run a segmentation first.", "请先运行分群。";
        TAGS_TITLE = "Filter by tags", "按标签筛选";
        TAGS_CLEAR = "Clear tag filters", "清除标签筛选";
        TAG_VALUE_TIER = "Value tier", "价值等级";
        TAG_RFM = "RFM segment", "RFM 分层";
        TAG_CLUSTER = "Cluster", "聚类分群";
        TAG_CHURN = "Churn risk", "流失风险";
        TAG_CATEGORY = "Preferred product", "偏好商品";
        TAG_REGION = "Region", "地区";
        TAG_CHANNEL = "Channel", "渠道";
        TAG_CYCLE = "Purchase cycle", "购买周期";
        TAG_COLUMN = "Tags", "标签";
        TIER_TOP = "Top 20%", "头部 20%";
        TIER_MIDDLE = "Middle 30%", "腰部 30%";
        TIER_LOW = "Bottom 50%", "尾部 50%";
        CYCLE_MONTHLY = "Monthly buyer", "月度购买";
        CYCLE_QUARTERLY = "Quarterly buyer", "季度购买";
        CYCLE_YEARLY = "Yearly buyer", "年度购买";
        CYCLE_RARE = "Rare buyer", "低频购买";
        CYCLE_ONE_TIME = "One order", "仅一单";
        PROFILE_TITLE = "Customer profile", "客户画像";
        PROFILE_HELP = "Type a customer id to see the tags, RFM figures, scores and every order.", "输入客户ID，查看标签、RFM 指标、预测评分和全部订单。";
        PROFILE_SEARCH = "Customer id", "客户ID";
        PROFILE_SHOW = "Show", "查看";
        PROFILE_NOT_FOUND = "No customer has the id “{0}”.", "没有客户ID为“{0}”的客户。";
        PROFILE_SUGGEST = "Similar ids:", "相近的 ID：";
        PROFILE_TIMELINE = "Purchase timeline", "购买时间线";
        PROFILE_TIMELINE_TRUNCATED = "The latest {0} of {1} orders are listed.", "列出最近 {0} 笔订单（共 {1} 笔）。";
        PROFILE_FAVOURITES = "Favourite products", "最常购买的商品";
        PROFILE_COL_DATE = "Date", "日期";
        PROFILE_COL_AMOUNT = "Amount", "金额";
        PROFILE_COL_LINES = "Lines", "明细数";
        PROFILE_COL_PRODUCTS = "Products", "商品";
        PROFILE_FIRST = "First order", "首次购买";
        PROFILE_LAST = "Last order", "最近购买";
        PROFILE_MEAN_INTERVAL = "Days between orders", "平均购买间隔（天）";
        PROFILE_OPEN = "Open the profile of {0}", "打开 {0} 的客户画像";
    }
}

/// The name of a segment.
pub fn segment_name(lang: Lang, s: Segment) -> &'static str {
    segment_text(s).0.get(lang)
}

/// The suggested action for a segment.
pub fn segment_action(lang: Lang, s: Segment) -> &'static str {
    segment_text(s).1.get(lang)
}

fn segment_text(s: Segment) -> (Text, Text) {
    match s {
        Segment::Champions => (t::SEG_CHAMPIONS, t::ACT_CHAMPIONS),
        Segment::LoyalCustomers => (t::SEG_LOYAL, t::ACT_LOYAL),
        Segment::PotentialLoyalists => (t::SEG_POTENTIAL, t::ACT_POTENTIAL),
        Segment::NewCustomers => (t::SEG_NEW, t::ACT_NEW),
        Segment::Promising => (t::SEG_PROMISING, t::ACT_PROMISING),
        Segment::NeedAttention => (t::SEG_NEED_ATTENTION, t::ACT_NEED_ATTENTION),
        Segment::AboutToSleep => (t::SEG_ABOUT_TO_SLEEP, t::ACT_ABOUT_TO_SLEEP),
        Segment::AtRisk => (t::SEG_AT_RISK, t::ACT_AT_RISK),
        Segment::CantLoseThem => (t::SEG_CANT_LOSE, t::ACT_CANT_LOSE),
        Segment::Hibernating => (t::SEG_HIBERNATING, t::ACT_HIBERNATING),
        Segment::Lost => (t::SEG_LOST, t::ACT_LOST),
    }
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
    }
    .get(lang)
}

/// A churn-risk band's name.
pub fn churn_name(lang: Lang, risk: crate::engine::clv::ChurnRisk) -> &'static str {
    use crate::engine::clv::ChurnRisk;
    match risk {
        ChurnRisk::Low => t::CHURN_LOW,
        ChurnRisk::Medium => t::CHURN_MEDIUM,
        ChurnRisk::High => t::CHURN_HIGH,
    }
    .get(lang)
}

/// The label of a progress stage.
pub fn stage_name(lang: Lang, stage: Stage) -> &'static str {
    match stage {
        Stage::Reading => t::PROGRESS_READING,
        Stage::Scoring => t::PROGRESS_SCORING,
        Stage::Exporting => t::PROGRESS_EXPORTING,
        Stage::Fitting => t::PROGRESS_FITTING,
        Stage::Clustering(step) => match step {
            ClusterStage::Features => t::PROGRESS_CLUSTER_FEATURES,
            ClusterStage::Sweep => t::PROGRESS_CLUSTER_SWEEP,
            ClusterStage::Fit => t::PROGRESS_CLUSTER_FIT,
            ClusterStage::Stability => t::PROGRESS_CLUSTER_STABILITY,
            ClusterStage::Profiles => t::PROGRESS_CLUSTER_PROFILES,
        },
    }
    .get(lang)
}

/// A behavioural feature's name.
pub fn feature_name(lang: Lang, feature: BehaviourFeature) -> &'static str {
    match feature {
        BehaviourFeature::RecencyDays => t::FEAT_RECENCY,
        BehaviourFeature::Frequency => t::FEAT_FREQUENCY,
        BehaviourFeature::Monetary => t::FEAT_MONETARY,
        BehaviourFeature::AverageOrderValue => t::FEAT_AOV,
        BehaviourFeature::TenureDays => t::FEAT_TENURE,
        BehaviourFeature::InterPurchaseDays => t::FEAT_INTERVAL,
        BehaviourFeature::CategoryShares => t::FEAT_CATEGORY,
        BehaviourFeature::MainRegion => t::FEAT_REGION,
        BehaviourFeature::MainChannel => t::FEAT_CHANNEL,
        BehaviourFeature::Clv => t::FEAT_CLV,
        BehaviourFeature::ProbabilityAlive => t::FEAT_P_ALIVE,
    }
    .get(lang)
}

/// A column label of the segmentation (`recency_days`, `category_share:P1`, `attr:age=30-39`)
/// in words: behavioural keys are translated, the rest (names from the user's files) kept.
pub fn feature_label(lang: Lang, label: &str) -> String {
    if let Some(f) = BehaviourFeature::from_key(label) {
        return feature_name(lang, f).to_string();
    }
    for (prefix, feature) in [
        ("category_share:", BehaviourFeature::CategoryShares),
        ("main_region=", BehaviourFeature::MainRegion),
        ("main_channel=", BehaviourFeature::MainChannel),
    ] {
        if let Some(rest) = label.strip_prefix(prefix) {
            return format!("{}: {rest}", feature_name(lang, feature));
        }
    }
    label.strip_prefix("attr:").unwrap_or(label).to_string()
}

/// An automatic segment name from its traits ("High-value, frequent").
pub fn trait_name(lang: Lang, traits: &[NameTrait]) -> String {
    let words: Vec<&str> = traits
        .iter()
        .map(|tr| {
            match tr {
                NameTrait::HighValue => t::TRAIT_HIGH_VALUE,
                NameTrait::LowValue => t::TRAIT_LOW_VALUE,
                NameTrait::Frequent => t::TRAIT_FREQUENT,
                NameTrait::OneTimers => t::TRAIT_ONE_TIMERS,
                NameTrait::Recent => t::TRAIT_RECENT,
                NameTrait::Lapsed => t::TRAIT_LAPSED,
                NameTrait::BigBaskets => t::TRAIT_BIG_BASKETS,
                NameTrait::New => t::TRAIT_NEW,
                NameTrait::Loyal => t::TRAIT_LOYAL,
                NameTrait::Average => t::TRAIT_AVERAGE,
            }
            .get(lang)
        })
        .collect();
    let mut name = words.join(t::TRAIT_JOIN.get(lang));
    // Capitalise the first letter (English traits after the first are lower case).
    if let Some(first) = name.chars().next() {
        name = first.to_uppercase().collect::<String>() + &name[first.len_utf8()..];
    }
    name
}

/// A segmentation warning in the user's language (`tiny_share` is the run's tiny-segment share).
pub fn cluster_warning_text(lang: Lang, w: &ClusterWarning, tiny_share: f64) -> String {
    match w {
        ClusterWarning::TinySegments { segments } => {
            let list: Vec<String> = segments.iter().map(|s| (s + 1).to_string()).collect();
            fill(
                lang,
                t::WARN_CLUSTER_TINY,
                &[&list.join(", "), &crate::format::percent(tiny_share)],
            )
        }
        ClusterWarning::ConstantFeatureDropped { label } => fill(
            lang,
            t::WARN_CLUSTER_CONSTANT,
            &[&feature_label(lang, label)],
        ),
        ClusterWarning::Imputed { label, count } => fill(
            lang,
            t::WARN_CLUSTER_IMPUTED,
            &[
                &feature_label(lang, label),
                &crate::format::grouped(*count as f64, 0, ','),
            ],
        ),
        ClusterWarning::LevelsMerged {
            label,
            kept,
            merged,
        } => fill(
            lang,
            t::WARN_CLUSTER_LEVELS,
            &[
                &feature_label(lang, label),
                &kept.to_string(),
                &merged.to_string(),
            ],
        ),
        ClusterWarning::NotConverged { iterations } => fill(
            lang,
            t::WARN_CLUSTER_NOT_CONVERGED,
            &[&iterations.to_string()],
        ),
        ClusterWarning::AttributesUnmatched { rows } => fill(
            lang,
            t::WARN_CLUSTER_UNMATCHED,
            &[&crate::format::grouped(*rows as f64, 0, ',')],
        ),
    }
}

/// A limit of a model's parameter space, in the user's language.
pub fn boundary_text(lang: Lang, boundary: &Boundary) -> String {
    match boundary {
        Boundary::NoRateHeterogeneity => t::BOUNDARY_NO_RATE_HETEROGENEITY.get(lang).to_string(),
        Boundary::NoDropout => t::BOUNDARY_NO_DROPOUT.get(lang).to_string(),
        Boundary::NoDropoutHeterogeneity => {
            t::BOUNDARY_NO_DROPOUT_HETEROGENEITY.get(lang).to_string()
        }
        Boundary::NoSpendHeterogeneity => t::BOUNDARY_NO_SPEND_HETEROGENEITY.get(lang).to_string(),
        Boundary::ParameterAtBound { parameter } => fill(lang, t::BOUNDARY_PARAMETER, &[parameter]),
    }
}

/// A prediction warning in the user's language.
pub fn clv_warning_text(lang: Lang, warning: &ClvWarning) -> String {
    match warning {
        ClvWarning::NotConverged { model } => fill(lang, t::WARN_NOT_CONVERGED, &[model]),
        ClvWarning::ScoredWithFallback { requested, used } => fill(
            lang,
            t::WARN_SCORED_WITH_FALLBACK,
            &[requested.name(), used.name()],
        ),
        ClvWarning::UnstableMeanSpend {
            population_mean,
            observed_mean,
        } => fill(
            lang,
            t::WARN_UNSTABLE_MEAN_SPEND,
            &[
                &crate::format::plain(*population_mean, 2),
                &crate::format::plain(*observed_mean, 2),
            ],
        ),
        ClvWarning::AtBoundary { model, boundary } => fill(
            lang,
            t::WARN_AT_BOUNDARY,
            &[model, &boundary_text(lang, boundary)],
        ),
        ClvWarning::ModelFailed { model, error } => fill(
            lang,
            t::WARN_MODEL_FAILED,
            &[model, &describe_clv_error(lang, error)],
        ),
        ClvWarning::SpendModelFailed { error } => fill(
            lang,
            t::WARN_SPEND_FAILED,
            &[&describe_clv_error(lang, error)],
        ),
        ClvWarning::SpendCorrelated { correlation } => fill(
            lang,
            t::WARN_SPEND_CORRELATED,
            &[&crate::format::plain(*correlation, 2)],
        ),
    }
}

/// A segmentation error in the user's language.
pub fn describe_cluster_error(lang: Lang, e: &ClusterError) -> String {
    let reason = |code: &str| match code {
        "no_product_column" => t::FEAT_NEEDS_PRODUCT.get(lang).to_string(),
        "no_region_column" => t::FEAT_NEEDS_REGION.get(lang).to_string(),
        "no_channel_column" => t::FEAT_NEEDS_CHANNEL.get(lang).to_string(),
        "no_predictions" => t::FEAT_NEEDS_PREDICTIONS.get(lang).to_string(),
        "no_attributes" => t::ERR_CLUSTER_NO_ATTRIBUTES.get(lang).to_string(),
        "no_such_attribute" => t::ERR_CLUSTER_NO_SUCH_ATTRIBUTE.get(lang).to_string(),
        other => other.to_string(),
    };
    let feature = |name: &str| feature_label(lang, name);
    match e {
        ClusterError::NoFeatures => t::ERR_CLUSTER_NO_FEATURES.get(lang).to_string(),
        ClusterError::InvalidK { k } => fill(lang, t::ERR_CLUSTER_K, &[&k.to_string()]),
        ClusterError::InvalidSweep { k_min, k_max } => fill(
            lang,
            t::ERR_CLUSTER_SWEEP,
            &[&k_min.to_string(), &k_max.to_string()],
        ),
        ClusterError::InvalidSetting { name, value } => {
            fill(lang, t::ERR_CLUSTER_SETTING, &[name, value])
        }
        ClusterError::TooFewCustomers { customers, k } => fill(
            lang,
            t::ERR_CLUSTER_TOO_FEW,
            &[&customers.to_string(), &k.to_string()],
        ),
        ClusterError::TooFewDistinct { distinct, k } => fill(
            lang,
            t::ERR_CLUSTER_TOO_FEW_DISTINCT,
            &[&distinct.to_string(), &k.to_string()],
        ),
        ClusterError::AllFeaturesConstant { names } => {
            let names: Vec<String> = names.split(", ").map(feature).collect();
            fill(lang, t::ERR_CLUSTER_CONSTANT, &[&names.join(", ")])
        }
        ClusterError::FeatureUnavailable {
            feature: f,
            reason: r,
        } => fill(lang, t::ERR_CLUSTER_UNAVAILABLE, &[&feature(f), &reason(r)]),
        ClusterError::NonFiniteFeature {
            feature: f,
            customer_id,
        } => fill(lang, t::ERR_CLUSTER_NON_FINITE, &[&feature(f), customer_id]),
        ClusterError::AttributesEmpty => t::ERR_ATTR_EMPTY.get(lang).to_string(),
        ClusterError::AttributesParse { line, message } => {
            fill(lang, t::ERR_ATTR_PARSE, &[&line.to_string(), message])
        }
        ClusterError::AttributesNoIdColumn { column } => fill(lang, t::ERR_ATTR_NO_ID, &[column]),
        ClusterError::AttributesNoneMatched { rows, example } => fill(
            lang,
            t::ERR_ATTR_NONE_MATCHED,
            &[&rows.to_string(), example],
        ),
        ClusterError::ModelInvalid { message } => fill(lang, t::ERR_MODEL_INVALID, &[message]),
        ClusterError::ModelVersion { found, expected } => fill(
            lang,
            t::ERR_MODEL_VERSION,
            &[&found.to_string(), &expected.to_string()],
        ),
        ClusterError::ModelFeatureUnavailable {
            feature: f,
            reason: r,
        } => fill(lang, t::ERR_MODEL_FEATURE, &[&feature(f), &reason(r)]),
        ClusterError::NotRun => t::ERR_CLUSTER_NOT_RUN.get(lang).to_string(),
    }
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

/// A user-facing message for any failure the worker reports: names the problem and where.
pub fn describe_error(lang: Lang, error: &WorkerError) -> String {
    match error {
        WorkerError::Engine(EngineError::Ingest(e)) => describe_ingest_error(lang, e),
        WorkerError::Engine(EngineError::Rfm(e)) => match e {
            RfmError::AsOfBeforeData { as_of, first } => fill(lang, t::ERR_AS_OF, &[as_of, first]),
            RfmError::IncompleteGrid => t::ERR_GRID.get(lang).to_string(),
            RfmError::NoCustomers => t::ERR_NO_CUSTOMERS.get(lang).to_string(),
        },
        WorkerError::Engine(EngineError::Clv(e)) => describe_clv_error(lang, e),
        WorkerError::Engine(EngineError::Cluster(e)) => describe_cluster_error(lang, e),
        WorkerError::NothingLoaded { .. } => t::ERR_NOTHING_LOADED.get(lang).to_string(),
        WorkerError::Read { message } => fill(lang, t::ERR_READ, &[message]),
        WorkerError::BadMessage { message } => fill(lang, t::ERR_BAD_MESSAGE, &[message]),
        WorkerError::NotFinite { message } => fill(lang, t::ERR_NOT_FINITE, &[message]),
        WorkerError::Cancelled => t::ERR_CANCELLED.get(lang).to_string(),
        WorkerError::Stale { .. } => t::ERR_STALE.get(lang).to_string(),
        WorkerError::Crashed { message } => fill(lang, t::CRASHED, &[message]),
    }
}

/// A CLV error in the user's language.
pub fn describe_clv_error(lang: Lang, e: &ClvError) -> String {
    let n = |v: f64| crate::format::plain(v, 4);
    let settings = |detail: String| fill(lang, t::ERR_CLV_SETTINGS, &[&detail]);
    match e {
        ClvError::ZeroIterations => settings(t::ERR_CLV_ITERATIONS.get(lang).to_string()),
        ClvError::InvalidTolerance { value } => {
            settings(fill(lang, t::ERR_CLV_TOLERANCE, &[&n(*value)]))
        }
        ClvError::InvalidInitialParameter { name, value } => {
            settings(fill(lang, t::ERR_CLV_INITIAL, &[name, &n(*value)]))
        }
        ClvError::InvalidHorizon { value, unit, max } => {
            let unit = if unit == "months" {
                t::UNIT_MONTHS
            } else {
                t::UNIT_DAYS
            };
            settings(fill(
                lang,
                t::ERR_CLV_HORIZON,
                &[&max.to_string(), unit.get(lang), &value.to_string()],
            ))
        }
        ClvError::InvalidDiscountRate { value } => settings(fill(
            lang,
            t::ERR_CLV_DISCOUNT,
            &[&format!("{} %", crate::format::plain(value * 100.0, 2))],
        )),
        ClvError::InvalidChurnThresholds { high, low } => {
            settings(fill(lang, t::ERR_CLV_CHURN, &[&n(*high), &n(*low)]))
        }
        ClvError::TooFewCustomers { count } => {
            fill(lang, t::ERR_CLV_TOO_FEW, &[&count.to_string()])
        }
        ClvError::NoRepeatCustomers => t::ERR_CLV_NO_REPEATS.get(lang).to_string(),
        ClvError::InvalidSummaryRow {
            row,
            frequency,
            recency,
            age,
            reason,
            ..
        } => fill(
            lang,
            t::ERR_CLV_ROW,
            &[
                &(row + 1).to_string(),
                &n(*frequency),
                &n(*recency),
                &n(*age),
                reason,
            ],
        ),
        ClvError::NonFiniteLikelihood { model, parameters } => {
            fill(lang, t::ERR_CLV_NON_FINITE, &[model, parameters])
        }
        ClvError::InvalidPredictionInput {
            frequency,
            recency,
            age,
            horizon,
            reason,
        } => fill(
            lang,
            t::ERR_CLV_PREDICTION,
            &[&n(*frequency), &n(*recency), &n(*age), &n(*horizon), reason],
        ),
        ClvError::UndefinedMeanSpend { q } => fill(lang, t::ERR_CLV_SPEND, &[&n(*q)]),
        ClvError::CalibrationEndOutsideData {
            calibration_end_day,
            first_day,
            last_day,
        } => fill(
            lang,
            t::ERR_CLV_CALIBRATION,
            &[
                &crate::engine::calendar::iso_day(*calibration_end_day),
                &crate::engine::calendar::iso_day(*first_day),
                &crate::engine::calendar::iso_day(*last_day),
            ],
        ),
        ClvError::HoldoutEndBeforeCalibrationEnd {
            holdout_end_day,
            calibration_end_day,
        } => fill(
            lang,
            t::ERR_CLV_HOLDOUT,
            &[
                &crate::engine::calendar::iso_day(*holdout_end_day),
                &crate::engine::calendar::iso_day(*calibration_end_day),
            ],
        ),
    }
}

fn describe_ingest_error(lang: Lang, e: &IngestError) -> String {
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
        IngestError::Csv { line, message } => fill(lang, t::ERR_CSV, &[&line.to_string(), message]),
        IngestError::Io { message } => fill(lang, t::ERR_IO, &[message]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<usize> {
        let mut v: Vec<usize> = (0..10)
            .filter(|i| s.contains(&format!("{{{i}}}")))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_entry_has_both_languages_with_the_same_placeholders() {
        assert!(t::ALL.len() > 100);
        for (name, text) in t::ALL {
            assert!(!text.en.trim().is_empty(), "{name}: empty English");
            assert!(!text.zh.trim().is_empty(), "{name}: empty Chinese");
            assert_eq!(
                placeholders(text.en),
                placeholders(text.zh),
                "{name}: placeholders differ"
            );
        }
    }

    #[test]
    fn chinese_entries_are_translated() {
        // Entries that are legitimately identical in both languages.
        let same = [
            "FILE_SIZE",
            "DOWNLOAD_PNG",
            "COL_RFM",
            "LANG_SWITCH",
            "REQUIRED_MARK",
            "TRAIT_JOIN",
        ]; // LANG_SWITCH names the other language
        for (name, text) in t::ALL {
            if same.contains(name) {
                continue;
            }
            assert!(
                text.zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{name}: the Chinese text has no Chinese characters: {}",
                text.zh
            );
        }
    }

    #[test]
    fn errors_name_the_problem_and_where() {
        let e = WorkerError::Engine(EngineError::Ingest(IngestError::MostRowsBad {
            read: 10,
            dropped: 8,
            reason: DropReason::BadDate,
            column: "日期".into(),
            example_line: 3,
            example_value: "31/31/2024".into(),
        }));
        let en = describe_error(Lang::En, &e);
        assert!(
            en.contains("8 of 10") && en.contains("line 3") && en.contains("31/31/2024"),
            "{en}"
        );
        assert!(en.contains("日期") && en.contains("not a date"), "{en}");
        let zh = describe_error(Lang::Zh, &e);
        assert!(
            zh.contains("第 3 行") && zh.contains("不是有效日期"),
            "{zh}"
        );
    }

    #[test]
    fn every_clv_error_reads_in_both_languages_with_its_values() {
        let errors = [
            ClvError::ZeroIterations,
            ClvError::InvalidTolerance { value: -1.0 },
            ClvError::InvalidInitialParameter {
                name: "alpha".into(),
                value: 0.0,
            },
            ClvError::InvalidHorizon {
                value: 0,
                unit: "months".into(),
                max: 120,
            },
            ClvError::InvalidDiscountRate { value: -0.05 },
            ClvError::InvalidChurnThresholds {
                high: 0.8,
                low: 0.5,
            },
            ClvError::TooFewCustomers { count: 1 },
            ClvError::NoRepeatCustomers,
            ClvError::InvalidSummaryRow {
                row: 4,
                frequency: 2.0,
                recency: 9.0,
                age: 5.0,
                monetary: 1.0,
                reason: "recency must lie between 0 and T".into(),
            },
            ClvError::NonFiniteLikelihood {
                model: "BG/NBD".into(),
                parameters: "r=1".into(),
            },
            ClvError::InvalidPredictionInput {
                frequency: 1.0,
                recency: 2.0,
                age: 3.0,
                horizon: -1.0,
                reason: "horizon must be ≥ 0".into(),
            },
            ClvError::UndefinedMeanSpend { q: 0.9 },
            ClvError::CalibrationEndOutsideData {
                calibration_end_day: 20000,
                first_day: 19000,
                last_day: 19500,
            },
            ClvError::HoldoutEndBeforeCalibrationEnd {
                holdout_end_day: 19000,
                calibration_end_day: 19500,
            },
        ];
        for e in &errors {
            for lang in [Lang::En, Lang::Zh] {
                let text = describe_error(lang, &WorkerError::Engine(EngineError::Clv(e.clone())));
                assert!(!text.contains('{'), "{text}");
            }
        }
        let zh = describe_clv_error(Lang::Zh, &errors[12]);
        assert!(
            zh.contains("2024-10-04") && zh.contains("校准截止日"),
            "{zh}"
        );
        let en = describe_clv_error(Lang::En, &errors[4]);
        assert!(en.contains("-5 %"), "{en}");
        let en = describe_clv_error(Lang::En, &errors[8]);
        assert!(
            en.contains("row 5") && en.contains("recency must lie"),
            "{en}"
        );
    }

    #[test]
    fn every_segment_has_a_name_and_an_action_in_both_languages() {
        for s in Segment::ALL {
            for lang in [Lang::En, Lang::Zh] {
                assert!(!segment_name(lang, s).is_empty());
                assert!(!segment_action(lang, s).is_empty());
            }
        }
        assert_eq!(
            segment_name(Lang::En, Segment::CantLoseThem),
            "Can't Lose Them"
        );
    }

    #[test]
    fn language_codes_round_trip() {
        for l in [Lang::En, Lang::Zh] {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
