//! The Campaigns page: the campaign file, the test's settings, the results table, the
//! sample-ratio banner, the segment breakdown, the ROI card, the calculator and the errors.

use super::{fill, t, Lang, Text};
use crate::engine::experiment::stats::Degenerate;
use crate::engine::experiment::{
    DataWarning, ExperimentError, PowerError, SegmentDimension, SegmentLabel,
};

catalog! {
    NAV_CAMPAIGNS = "Campaigns", "营销活动";
    PROGRESS_TESTING = "Testing the campaign", "正在检验活动效果";
    CAMP_TITLE = "Campaigns: did it work, for whom, and what did it earn", "营销活动：是否有效、对谁有效、赚了多少";
    CAMP_HELP = "Open a results file (one row per customer: id, group, outcome columns such as converted or revenue, optionally each outcome's pre-period value) or a contact list (id, group, optionally the contact date) whose outcomes are computed from the transactions already loaded. Each variant is compared with control as GrowthBook does: relative lift with a 95 % confidence interval (delta method, Welch degrees of freedom), a two-sided p-value, the Bayesian chance to win and risk. Nothing leaves this browser.", "打开结果文件（每位客户一行：ID、分组、转化或收入等结果列，可选每个结果的活动前取值）或联系名单（ID、分组、可选联系日期，结果由已载入的交易数据计算）。每个实验组都按 GrowthBook 的方法与对照组比较：相对提升及其 95% 置信区间（Delta 方法、Welch 自由度）、双侧 p 值、贝叶斯胜出概率和风险。数据不会离开本浏览器。";
    CAMP_OPEN_RESULTS = "Open a results file", "打开结果文件";
    CAMP_OPEN_CONTACTS = "Open a contact list", "打开联系名单";
    CAMP_DEMO = "Use the demo campaign", "使用示例活动";
    CAMP_FILE = "{0}: {1} rows; id column {2}.", "{0}：{1} 行；ID 列为 {2}。";
    CAMP_MODE_RESULTS = "Results file", "结果文件";
    CAMP_MODE_CONTACTS = "Contact list joined with the transactions", "联系名单关联交易数据";
    CAMP_GROUP = "Group column", "分组列";
    CAMP_GUESS = "(guess)", "（自动识别）";
    CAMP_CONTROL = "Control group", "对照组";
    CAMP_START = "Campaign start", "活动开始日";
    CAMP_START_HINT = "blank: each contact's own date", "留空：使用每位联系人的联系日期";
    CAMP_WINDOW = "Window (days)", "观察窗口（天）";
    CAMP_ALPHA = "Significance level α", "显著性水平 α";
    CAMP_DIFFERENCE = "Difference", "差异类型";
    CAMP_RELATIVE = "Relative lift", "相对提升";
    CAMP_ABSOLUTE = "Absolute difference", "绝对差值";
    CAMP_CORRECTION = "Several variants or metrics", "多个实验组或指标";
    CAMP_CORRECTION_NONE = "No correction", "不校正";
    CAMP_CORRECTION_HOLM = "Holm–Bonferroni", "Holm–Bonferroni 校正";
    CAMP_CORRECTION_BH = "Benjamini–Hochberg", "Benjamini–Hochberg 校正";
    CAMP_SEQUENTIAL = "Sequential testing (looking every day)", "序贯检验（每天查看结果）";
    CAMP_TUNING = "Tuning parameter", "调节参数";
    CAMP_CUPED = "CUPED (adjust for the pre-period)", "CUPED（按活动前数据调整）";
    CAMP_COST = "Cost per contact", "单次触达成本";
    CAMP_FIXED = "Fixed cost", "固定成本";
    CAMP_MARGIN = "Gross margin %", "毛利率 %";
    CAMP_RUN = "Analyse the campaign", "分析活动";
    CAMP_SRM = "Sample-ratio mismatch: the groups' sizes differ from the intended split (p = {0} < 0.001). Assignment or tracking went wrong somewhere; the results below are not trustworthy.", "样本比例不匹配：各组人数与计划分配比例不符（p = {0} < 0.001）。分组或数据采集出了问题，下面的结果不可信。";
    CAMP_SRM_OK = "Split as intended (sample-ratio check p = {0}).", "分组比例符合计划（样本比例检验 p = {0}）。";
    CAMP_CONTACTS = "{0} contacts, {1} found in the transactions; {2} have no transaction at all and count as non-converters with zero revenue. Window: {3} days from {4}.", "共 {0} 位联系人，{1} 位在交易数据中；{2} 位没有任何交易，按未转化、收入为 0 计入。观察窗口：自 {4} 起 {3} 天。";
    CAMP_WINDOW_PAST = "Some windows end after the last day of data ({0}): their outcomes undercount.", "部分观察窗口结束于数据最后一天（{0}）之后：这些结果会偏低。";
    CAMP_COL_GROUP = "Group", "分组";
    CAMP_COL_USERS = "Customers", "客户数";
    CAMP_COL_OBSERVED = "Share", "占比";
    CAMP_COL_INTENDED = "Intended", "计划占比";
    CAMP_COL_METRIC = "Metric", "指标";
    CAMP_COL_VARIANT = "Variant", "实验组";
    CAMP_COL_CONTROL_MEAN = "Control", "对照组";
    CAMP_COL_MEAN = "Variant", "实验组";
    CAMP_COL_LIFT = "Lift", "提升";
    CAMP_COL_CI = "95 % interval", "置信区间";
    CAMP_COL_P = "p-value", "p 值";
    CAMP_COL_WIN = "Chance to win", "胜出概率";
    CAMP_COL_RISK = "Risk", "风险";
    CAMP_COL_REDUCTION = "Variance cut", "方差降低";
    CAMP_COL_SEGMENT = "Segment", "细分";
    CAMP_SIGNIFICANT = "significant", "显著";
    CAMP_SMALL = "small", "样本少";
    CAMP_NO_TEST = "no test: {0}", "无法检验：{0}";
    CAMP_DEGENERATE_BASELINE = "control's mean is 0", "对照组均值为 0";
    CAMP_DEGENERATE_VARIANCE = "no variation in the values", "数值没有波动";
    CAMP_DEGENERATE_EMPTY = "a group is empty", "有分组没有客户";
    CAMP_RESULTS = "Results", "检验结果";
    CAMP_SEGMENTS = "Effect by segment ({0})", "分细分效果（{0}）";
    CAMP_SEGMENTS_HELP = "The first metric's lift per segment, each with its interval. Segments with fewer than 100 customers in a group are marked small: read them with care.", "第一个指标在各细分中的提升及其置信区间。某组客户少于 100 位的细分标为“样本少”，请谨慎解读。";
    CAMP_DIM_RFM = "RFM segments", "RFM 细分";
    CAMP_DIM_CLUSTER = "Segments found in the data", "数据聚类细分";
    CAMP_CLUSTER = "Segment {0}", "细分 {0}";
    CAMP_CHURN_BAND = "Churn risk {0}", "流失风险{0}";
    CAMP_NOT_IN_TRANSACTIONS = "Not in the transactions", "不在交易数据中";
    CAMP_FOREST = "Lift by segment", "各细分提升";
    CAMP_FOREST_HOVER = "{0}, {1}: {2} [{3}, {4}], {5} vs {6} customers", "{0}，{1}：{2} [{3}, {4}]，{5} 对 {6} 位客户";
    CAMP_FOREST_SMALL_ROW = "{0} ({1})", "{0}（{1}）";
    CAMP_GAIN = "Response model: lift and gain by decile", "响应模型：各十分位的提升度与累计增益";
    CAMP_GAIN_AXIS_X = "Customers by score, highest first", "按得分从高到低排列的客户";
    CAMP_GAIN_AXIS_LIFT = "Lift (× average)", "提升度（相对平均）";
    CAMP_GAIN_AXIS_GAIN = "Responders captured (%)", "累计捕获的响应者 (%)";
    CAMP_GAIN_BARS = "Lift of the decile", "十分位提升度";
    CAMP_GAIN_CUMULATIVE = "Cumulative gain", "累计增益";
    CAMP_CURVE_RANDOM = "Random targeting", "随机选择";
    CAMP_GAIN_HOVER = "Decile {0} ({1}–{2} of customers by score): response rate {3}, lift {4}, cumulative gain {5}", "第 {0} 个十分位（按得分排在 {1}–{2} 的客户）：响应率 {3}，提升度 {4}，累计增益 {5}";
    CAMP_QINI = "Uplift model: Qini curve", "增益模型：Qini 曲线";
    CAMP_QINI_AXIS_X = "Customers targeted, highest predicted uplift first", "按预测增益从高到低选择的客户";
    CAMP_QINI_AXIS_Y = "Incremental responders", "增量响应者";
    CAMP_QINI_CURVE = "Qini curve", "Qini 曲线";
    CAMP_QINI_COEFFICIENT = "Qini coefficient {0}", "Qini 系数 {0}";
    CAMP_UPLIFT_CURVE = "Uplift curve", "增益曲线";
    CAMP_QINI_HOVER = "Top {0} ({1} customers): {2} incremental responders (random targeting {3})", "前 {0}（{1} 位客户）：增量响应者 {2}（随机选择 {3}）";
    CAMP_QINI_HOVER_UPLIFT = "{0} · uplift curve {1}", "{0} · 增益曲线 {1}";
    CAMP_ROI = "Return on the campaign", "活动投资回报";
    CAMP_ROI_HELP = "Scaled to each variant's customers: incremental = (variant − control) × customers contacted, with 95 % intervals. Profit = incremental revenue × margin − cost; ROI = profit / cost.", "按各实验组的触达人数放大：增量 =（实验组 − 对照组）× 触达人数，附 95% 置信区间。利润 = 增量收入 × 毛利率 − 成本；ROI = 利润 / 成本。";
    CAMP_ROI_CONTACTED = "Contacted", "触达人数";
    CAMP_ROI_COST = "Cost", "成本";
    CAMP_ROI_CONVERSIONS = "Incremental conversions", "增量转化";
    CAMP_ROI_REVENUE = "Incremental revenue", "增量收入";
    CAMP_ROI_PROFIT = "Incremental profit", "增量利润";
    CAMP_ROI_ROI = "ROI", "投资回报率";
    CAMP_ROI_CPA = "Cost per conversion", "单次转化成本";
    CAMP_ROI_CPIC = "Cost per incremental conversion", "单次增量转化成本";
    CAMP_WARN_DUPLICATES = "{0} rows repeat an earlier customer id and were left out (the first row was kept).", "{0} 行的客户 ID 与前面重复，已忽略（保留第一行）。";
    CAMP_WARN_NO_GROUP = "{0} rows have no group and were left out.", "{0} 行没有分组，已忽略。";
    CAMP_WARN_MISSING = "{1} customers have no value of {0} and are left out of it.", "{1} 位客户没有 {0} 的取值，该指标不计入他们。";
    CAMP_SUMMARY = "{0} customers in {1} groups by {2}; analysed in {3} ms.", "按 {2} 分为 {1} 组，共 {0} 位客户；分析耗时 {3} 毫秒。";
    EXPORT_CAMP_RESULTS = "Results (CSV)", "检验结果 (CSV)";
    EXPORT_CAMP_RESULTS_XLSX = "Results (Excel)", "检验结果 (Excel)";
    EXPORT_CAMP_SEGMENTS = "Segments (CSV)", "细分效果 (CSV)";
    CAMP_MODELS = "Whom to target next", "下次该触达谁";
    CAMP_MODELS_HELP = "Each campaign customer found in the transactions gets features from their history before {0}: purchases, average order value, days since the last and the first purchase{1}. A regularised logistic regression learns who responded among the treated customers; two more (treated, control) estimate each customer's uplift. Both are judged on 30 % of the customers held out.", "交易数据中的每位活动客户都以 {0} 之前的历史作为特征：购买次数、平均订单金额、距最近一次和第一次购买的天数{1}。正则化逻辑回归学习实验组中谁有响应；另外两个模型（实验组、对照组）估计每位客户的增量效果。两者都在留出的 30% 客户上评估。";
    CAMP_MODELS_PREDICTIONS = ", P(alive) and expected purchases", "、存活概率和预期购买次数";
    CAMP_RESPONSE = "Response model ({0}): AUC {1} on {2} held-out customers", "响应模型（{0}）：在 {2} 位留出客户上 AUC 为 {1}";
    CAMP_UPLIFT = "Uplift model ({0}): Qini coefficient {1} on {2} held-out customers", "增量模型（{0}）：在 {2} 位留出客户上 Qini 系数为 {1}";
    CAMP_NOT_FITTED = "Not fitted: {0}", "未拟合：{0}";
    CAMP_NO_BINARY = "the campaign has no 0/1 outcome", "活动没有 0/1 结果指标";
    CAMP_TOO_FEW = "too few customers ({0}) or responders ({1}) in the transactions", "交易数据中的客户（{0}）或响应者（{1}）太少";
    CAMP_COL_DECILE = "Decile", "十分位";
    CAMP_COL_RESPONDERS = "Responders", "响应人数";
    CAMP_COL_RATE = "Response rate", "响应率";
    CAMP_COL_DECILE_LIFT = "Lift", "提升倍数";
    CAMP_COL_GAIN = "Cumulative gain", "累计覆盖率";
    CAMP_COL_SHARE = "Contact the top", "触达前";
    CAMP_COL_INCREMENTAL = "Incremental conversions (all treated)", "增量转化（按全部实验组放大）";
    CAMP_TOP_DECILES = "Deciles", "十分位数";
    CAMP_CALIBRATION = "Calibration on the held-out customers", "留出客户上的校准";
    CAMP_COL_BIN = "Bin", "分箱";
    CAMP_COL_PREDICTED = "Predicted", "预测响应率";
    CAMP_COL_OBSERVED_RATE = "Observed", "实际响应率";
    EXPORT_CAMP_TARGETS = "Target list (CSV)", "目标名单 (CSV)";
    CALC_TITLE = "Sample-size calculator", "样本量计算器";
    CALC_HELP = "Customers needed per group to detect an effect with a two-sided test (two proportions: Evan Miller's formula).", "用双侧检验发现某一效果时每组所需的客户数（两比例检验采用 Evan Miller 公式）。";
    CALC_KIND = "Metric", "指标类型";
    CALC_RATE = "Conversion rate", "转化率";
    CALC_MEAN = "Mean (revenue per customer …)", "均值（人均收入等）";
    CALC_BASELINE = "Baseline rate %", "基线转化率 %";
    CALC_BASELINE_MEAN = "Baseline mean", "基线均值";
    CALC_SD = "Standard deviation", "标准差";
    CALC_MDE = "Minimum detectable effect", "最小可检测效果";
    CALC_MDE_RELATIVE = "relative (%)", "相对（%）";
    CALC_MDE_ABSOLUTE = "absolute (points / units)", "绝对（百分点/单位）";
    CALC_POWER = "Power %", "检验功效 %";
    CALC_VARIATIONS = "Groups", "组数";
    CALC_RUN = "Calculate", "计算";
    CALC_RESULT = "{0} customers per group, {1} in all.", "每组 {0} 位客户，共 {1} 位。";
    ERR_CAMP_ALPHA = "The significance level must be between 0 and 0.5, not {0}.", "显著性水平须在 0 和 0.5 之间，不能是 {0}。";
    ERR_CAMP_TUNING = "The sequential tuning parameter must be at least 1, not {0}.", "序贯检验调节参数至少为 1，不能是 {0}。";
    ERR_CAMP_WEIGHT = "Intended weight {0} must be a non-negative number, and not all may be 0 (got {1}).", "计划权重 {0} 须为非负数，且不能全为 0（当前为 {1}）。";
    ERR_CAMP_WEIGHTS_COUNT = "{0} intended weights for {1} groups: give one per group.", "{1} 个分组却有 {0} 个计划权重：请每组给一个。";
    ERR_CAMP_WINDOW = "The window must be 1 to 3,660 days, not {0}.", "观察窗口须为 1 到 3660 天，不能是 {0}。";
    ERR_CAMP_TOO_MANY_METRICS = "At most {1} metrics, not {0}.", "最多 {1} 个指标，当前 {0} 个。";
    ERR_CAMP_ROI = "{0} is out of range: {1}.", "{0} 超出范围：{1}。";
    ERR_CAMP_EMPTY = "The campaign file has no data row.", "活动文件没有数据行。";
    ERR_CAMP_PARSE = "The campaign file cannot be read at line {0}: {1}", "活动文件第 {0} 行无法读取：{1}";
    ERR_CAMP_NO_COLUMN = "The campaign file has no column “{0}”.", "活动文件中没有“{0}”列。";
    ERR_CAMP_NO_GROUP = "No group column found: choose it (a column such as group, variant, 分组).", "找不到分组列：请选择（例如 group、variant、分组）。";
    ERR_CAMP_NOT_NUMERIC = "Metric column “{0}” is not numeric: data row {1} holds “{2}”.", "指标列“{0}”不是数字：第 {1} 个数据行为“{2}”。";
    ERR_CAMP_NO_METRICS = "The campaign file has no numeric outcome column (such as converted or revenue).", "活动文件没有数值型结果列（如 converted、revenue）。";
    ERR_CAMP_ONE_GROUP = "Only one group (“{0}”): a test needs a control and at least one variant.", "只有一个分组（“{0}”）：检验至少需要对照组和一个实验组。";
    ERR_CAMP_TOO_MANY_GROUPS = "{0} groups; at most {1}. Is the group column the right one?", "共 {0} 个分组，最多 {1} 个。分组列选对了吗？";
    ERR_CAMP_NO_CONTROL = "No group named “{0}”; the groups are: {1}.", "没有名为“{0}”的分组；现有分组：{1}。";
    ERR_CAMP_DATE = "Contact date “{1}” at data row {0} is not a date.", "第 {0} 个数据行的联系日期“{1}”不是日期。";
    ERR_CAMP_NO_START = "Choose the campaign start: the contact list has no dates.", "请选择活动开始日：联系名单中没有日期。";
    ERR_POWER_RATE = "The baseline rate must be between 0 % and 100 %.", "基线转化率须在 0% 到 100% 之间。";
    ERR_POWER_RANGE = "The baseline rate plus the effect must stay between 0 % and 100 %.", "基线转化率加上效果须在 0% 到 100% 之间。";
    ERR_POWER_EFFECT = "The minimum detectable effect must be a non-zero number.", "最小可检测效果须为非零数。";
    ERR_POWER_SD = "The standard deviation must be a positive number.", "标准差须为正数。";
    ERR_POWER_ALPHA = "The significance level must be between 0 and 0.5.", "显著性水平须在 0 和 0.5 之间。";
    ERR_POWER_POWER = "Power must be between 50 % and 100 %.", "检验功效须在 50% 到 100% 之间。";
    ERR_POWER_VARIATIONS = "2 to 20 groups.", "组数须为 2 到 20。";
}

/// A dimension of the segment breakdown in words.
pub fn dimension_name(lang: Lang, d: SegmentDimension) -> &'static str {
    match d {
        SegmentDimension::Rfm => t::CAMP_DIM_RFM,
        SegmentDimension::Cluster => t::CAMP_DIM_CLUSTER,
        SegmentDimension::ValueTier => t::TAG_VALUE_TIER,
        SegmentDimension::ChurnRisk => t::TAG_CHURN,
        SegmentDimension::PurchaseCycle => t::TAG_CYCLE,
        SegmentDimension::Region => t::TAG_REGION,
        SegmentDimension::Channel => t::TAG_CHANNEL,
        SegmentDimension::Category => t::TAG_CATEGORY,
    }
    .get(lang)
}

/// A segment's name: the RFM segment's, "Segment {n}" (1-based) for a segment found in the
/// data, a tag's value in words, a region's (channel's, category's) name as the file writes it,
/// or "Not in the transactions".
pub fn campaign_segment_name(lang: Lang, label: &SegmentLabel) -> String {
    use crate::engine::customers::{PurchaseCycle, ValueTier};
    match label {
        SegmentLabel::Rfm(s) => super::segment_name(lang, *s).to_string(),
        SegmentLabel::Cluster(n) => {
            fill(lang, t::CAMP_CLUSTER, &[&(u64::from(*n) + 1).to_string()])
        }
        SegmentLabel::ValueTier(v) => match v {
            ValueTier::Top => t::TIER_TOP,
            ValueTier::Middle => t::TIER_MIDDLE,
            ValueTier::Low => t::TIER_LOW,
        }
        .get(lang)
        .to_string(),
        SegmentLabel::Churn(c) => fill(lang, t::CAMP_CHURN_BAND, &[super::churn_name(lang, *c)]),
        SegmentLabel::Cycle(c) => match c {
            PurchaseCycle::Monthly => t::CYCLE_MONTHLY,
            PurchaseCycle::Quarterly => t::CYCLE_QUARTERLY,
            PurchaseCycle::Yearly => t::CYCLE_YEARLY,
            PurchaseCycle::Rare => t::CYCLE_RARE,
            PurchaseCycle::OneTime => t::CYCLE_ONE_TIME,
        }
        .get(lang)
        .to_string(),
        SegmentLabel::Named(name) => name.clone(),
        SegmentLabel::NotInTransactions => t::CAMP_NOT_IN_TRANSACTIONS.get(lang).to_string(),
    }
}

/// Why a comparison could not be made, in words.
pub fn degenerate_text(lang: Lang, d: Degenerate) -> String {
    let why = match d {
        Degenerate::BaselineZero => t::CAMP_DEGENERATE_BASELINE,
        Degenerate::ZeroVariance => t::CAMP_DEGENERATE_VARIANCE,
        Degenerate::Empty => t::CAMP_DEGENERATE_EMPTY,
    };
    fill(lang, t::CAMP_NO_TEST, &[why.get(lang)])
}

/// A data warning in words.
pub fn campaign_warning_text(lang: Lang, w: &DataWarning) -> String {
    let n = |v: u64| crate::format::grouped(v as f64, 0, ',');
    match w {
        DataWarning::DuplicateIds { rows } => fill(lang, t::CAMP_WARN_DUPLICATES, &[&n(*rows)]),
        DataWarning::RowsWithoutGroup { rows } => fill(lang, t::CAMP_WARN_NO_GROUP, &[&n(*rows)]),
        DataWarning::MissingValues { metric, customers } => {
            fill(lang, t::CAMP_WARN_MISSING, &[metric, &n(*customers)])
        }
    }
}

/// A campaign error in the user's language.
pub fn describe_experiment_error(lang: Lang, e: &ExperimentError) -> String {
    let number = |v: f64| crate::format::plain(v, 4);
    let n = |v: usize| v.to_string();
    match e {
        ExperimentError::InvalidAlpha { alpha } => {
            fill(lang, t::ERR_CAMP_ALPHA, &[&number(*alpha)])
        }
        ExperimentError::InvalidTuning { tuning } => {
            fill(lang, t::ERR_CAMP_TUNING, &[&number(*tuning)])
        }
        ExperimentError::InvalidWeight { position, value } => {
            fill(lang, t::ERR_CAMP_WEIGHT, &[&n(*position), &number(*value)])
        }
        ExperimentError::WeightsCount { weights, groups } => fill(
            lang,
            t::ERR_CAMP_WEIGHTS_COUNT,
            &[&n(*weights), &n(*groups)],
        ),
        ExperimentError::InvalidWindow { days } => {
            fill(lang, t::ERR_CAMP_WINDOW, &[&days.to_string()])
        }
        ExperimentError::TooManyMetrics { metrics, max } => fill(
            lang,
            t::ERR_CAMP_TOO_MANY_METRICS,
            &[&n(*metrics), &n(*max)],
        ),
        ExperimentError::InvalidRoi { field, value } => {
            let name = match field.as_str() {
                "cost_per_contact" => t::CAMP_COST,
                "fixed_cost" => t::CAMP_FIXED,
                _ => t::CAMP_MARGIN,
            };
            fill(lang, t::ERR_CAMP_ROI, &[name.get(lang), &number(*value)])
        }
        ExperimentError::Empty => t::ERR_CAMP_EMPTY.get(lang).to_string(),
        ExperimentError::Parse { line, message } => {
            fill(lang, t::ERR_CAMP_PARSE, &[&line.to_string(), message])
        }
        ExperimentError::NoColumn { column } => fill(lang, t::ERR_CAMP_NO_COLUMN, &[column]),
        ExperimentError::NoGroupColumn => t::ERR_CAMP_NO_GROUP.get(lang).to_string(),
        ExperimentError::MetricNotNumeric { column, row, value } => fill(
            lang,
            t::ERR_CAMP_NOT_NUMERIC,
            &[column, &row.to_string(), value],
        ),
        ExperimentError::NoMetrics => t::ERR_CAMP_NO_METRICS.get(lang).to_string(),
        ExperimentError::OneGroup { group } => fill(lang, t::ERR_CAMP_ONE_GROUP, &[group]),
        ExperimentError::TooManyGroups { groups, max } => {
            fill(lang, t::ERR_CAMP_TOO_MANY_GROUPS, &[&n(*groups), &n(*max)])
        }
        ExperimentError::NoControl { control, groups } => {
            fill(lang, t::ERR_CAMP_NO_CONTROL, &[control, &groups.join(", ")])
        }
        ExperimentError::InvalidContactDate { row, value } => {
            fill(lang, t::ERR_CAMP_DATE, &[&row.to_string(), value])
        }
        ExperimentError::NoStart => t::ERR_CAMP_NO_START.get(lang).to_string(),
        ExperimentError::Power(p) => describe_power_error(lang, *p),
    }
}

/// Why a model was not fitted, in words.
pub fn model_problem_text(lang: Lang, p: &crate::engine::experiment::ModelProblem) -> String {
    use crate::engine::experiment::ModelProblem;
    let why = match p {
        ModelProblem::NoBinaryMetric => t::CAMP_NO_BINARY.get(lang).to_string(),
        ModelProblem::TooFew {
            customers,
            responders,
        } => fill(
            lang,
            t::CAMP_TOO_FEW,
            &[&customers.to_string(), &responders.to_string()],
        ),
        ModelProblem::Fit(e) => e.to_string(),
    };
    fill(lang, t::CAMP_NOT_FITTED, &[&why])
}

/// A calculator error in the user's language.
pub fn describe_power_error(lang: Lang, e: PowerError) -> String {
    match e {
        PowerError::BaselineRate => t::ERR_POWER_RATE,
        PowerError::EffectOutOfRange => t::ERR_POWER_RANGE,
        PowerError::Effect => t::ERR_POWER_EFFECT,
        PowerError::StdDev => t::ERR_POWER_SD,
        PowerError::Alpha => t::ERR_POWER_ALPHA,
        PowerError::Power => t::ERR_POWER_POWER,
        PowerError::Variations => t::ERR_POWER_VARIATIONS,
    }
    .get(lang)
    .to_string()
}
