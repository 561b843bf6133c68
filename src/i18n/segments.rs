//! The segments page: attributes, features, k-means results, profiles, traits, and their warnings and errors.

use super::{fill, t, Lang, Text};
use crate::engine::cluster::{
    BehaviourFeature, ClusterError, ClusterWarning, NameTrait, Unavailable,
};

catalog! {
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
    ERR_MODEL_MISSING_COLUMN = "this file has no such column", "当前文件中没有该列";
    ERR_MODEL_COLUMN_TYPE = "the column holds numbers in one file and categories in the other", "该列在一个文件中为数值、在另一个文件中为类别";
    ERR_CLUSTER_NON_FINITE = "Feature {0} of customer {1} is not a finite number.", "客户 {1} 的特征 {0} 不是有限数值。";
    ERR_ATTR_EMPTY = "The attributes file has no rows.", "属性文件没有数据行。";
    ERR_ATTR_PARSE = "Attributes file, line {0}: {1}", "属性文件第 {0} 行：{1}";
    ERR_ATTR_NO_ID = "The attributes file has no column “{0}”.", "属性文件中没有“{0}”列。";
    ERR_ATTR_NONE_MATCHED = "None of the {0} rows of the attributes file matches a customer id of the transactions (e.g. “{1}”). Check the id column.", "属性文件的 {0} 行中没有任何一行与交易数据的客户ID匹配（例如“{1}”）。请检查 ID 列。";
    ERR_MODEL_INVALID = "This segmentation file cannot be read: {0}", "无法读取该分群模型文件：{0}";
    ERR_MODEL_VERSION = "This segmentation file has format version {0}; this SegScope reads version {1}.", "该分群模型文件的格式版本为 {0}，本版 SegScope 只能读取版本 {1}。";
    ERR_MODEL_FEATURE = "The saved segmentation uses {0}, which this data cannot provide: {1}.", "保存的分群模型使用了 {0}，但当前数据无法提供：{1}。";
    ERR_CLUSTER_NOT_RUN = "Run a segmentation first.", "请先运行分群。";
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

/// [`trait_name`] with the segment's number when its automatic name is shared ("低价值 2").
pub fn numbered_trait_name(lang: Lang, traits: &[NameTrait], ordinal: u32) -> String {
    let name = trait_name(lang, traits);
    if ordinal > 0 {
        format!("{name} {ordinal}")
    } else {
        name
    }
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

/// A segmentation error in the user's language.
pub fn describe_cluster_error(lang: Lang, e: &ClusterError) -> String {
    let reason = |why: &Unavailable| {
        match why {
            Unavailable::NoProductColumn => t::FEAT_NEEDS_PRODUCT,
            Unavailable::NoRegionColumn => t::FEAT_NEEDS_REGION,
            Unavailable::NoChannelColumn => t::FEAT_NEEDS_CHANNEL,
            Unavailable::NoPredictions => t::FEAT_NEEDS_PREDICTIONS,
            Unavailable::NoAttributes => t::ERR_CLUSTER_NO_ATTRIBUTES,
            Unavailable::NoSuchAttribute => t::ERR_CLUSTER_NO_SUCH_ATTRIBUTE,
            Unavailable::MissingColumn => t::ERR_MODEL_MISSING_COLUMN,
            Unavailable::ColumnTypeChanged => t::ERR_MODEL_COLUMN_TYPE,
        }
        .get(lang)
        .to_string()
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
