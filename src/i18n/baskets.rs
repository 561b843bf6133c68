//! The baskets page: association rules, cross-sell recommendations, regional preferences, their
//! charts, warnings and errors.

use super::{fill, t, Lang, Text};
use crate::engine::baskets::{BasketError, BasketWarning, GroupBy, ItemLevel};
use crate::format::{grouped, percent};

catalog! {
    NAV_BASKETS = "Baskets", "购物篮";
    PROGRESS_MINING = "Building baskets and mining them", "正在构建购物篮并挖掘";
    BASKETS_TITLE = "What sells together", "关联分析：哪些商品一起卖";
    BASKETS_HELP = "A basket is one order (or a customer's lines on one day when the file has no order id). Rules read \"customers whose basket holds A also bought B\"; lift above 1 means more often than chance. p-values are Fisher's exact test, adjusted for the number of rules (Benjamini–Hochberg).", "一个购物篮即一笔订单（文件无订单号时，为同一客户同一天的所有明细）。规则的含义是“购物篮中有 A 的顾客也买了 B”；提升度大于 1 表示比随机更常同时出现。p 值为 Fisher 精确检验，并按规则数量做了 Benjamini–Hochberg 校正。";
    BASKETS_LEVEL = "Item", "商品层级";
    BASKETS_LEVEL_PRODUCT = "Product", "商品";
    BASKETS_LEVEL_CATEGORY = "Category", "品类";
    BASKETS_MIN_SUPPORT = "Min. support (%)", "最小支持度 (%)";
    BASKETS_MIN_CONFIDENCE = "Min. confidence (%)", "最小置信度 (%)";
    BASKETS_MIN_LIFT = "Min. lift", "最小提升度";
    BASKETS_MAX_LENGTH = "Max. items per set", "项集最多商品数";
    BASKETS_MAX_CONSEQUENT = "Max. items on the right", "规则右侧最多商品数";
    BASKETS_PRUNE = "Hide redundant rules", "隐藏冗余规则";
    BASKETS_RUN = "Find rules", "挖掘规则";
    BASKETS_RERUN = "Find rules again", "重新挖掘";
    BASKETS_KPI_BASKETS = "Baskets", "购物篮数";
    BASKETS_KPI_ITEMS = "Items", "商品数";
    BASKETS_KPI_MEAN_SIZE = "Mean basket size", "平均篮子大小";
    BASKETS_KPI_MEDIAN_SIZE = "Median basket size", "篮子大小中位数";
    BASKETS_KPI_SINGLE = "Single-item baskets", "单品篮子占比";
    BASKETS_KPI_RULES = "Rules", "规则数";
    BASKETS_KPI_SIGNIFICANT = "Significant rules (adj. p < 0.05)", "显著规则（校正 p < 0.05）";
    BASKETS_MINED = "{0} itemsets at support ≥ {1} ({2} baskets); {3} rules, {4} pruned as redundant. Worker: baskets {5} ms, mining {6} ms, rules {7} ms.", "支持度 ≥ {1}（{2} 个篮子）下共 {0} 个频繁项集；{3} 条规则，{4} 条作为冗余被隐藏。耗时：构建 {5} 毫秒，挖掘 {6} 毫秒，规则 {7} 毫秒。";
    BASKETS_WITHOUT_ITEM = "{0} purchase lines have an empty item cell and are left out of the baskets.", "{0} 条购买明细的商品为空，未计入购物篮。";
    BASKETS_TOP_BY_BASKETS = "Top items by baskets", "出现次数最多的商品";
    BASKETS_TOP_BY_REVENUE = "Top items by revenue", "销售额最高的商品";
    BASKETS_COL_ITEM = "Item", "商品";
    BASKETS_COL_BASKETS = "Baskets", "篮子数";
    BASKETS_COL_SUPPORT = "Support", "支持度";
    BASKETS_COL_REVENUE = "Revenue", "销售额";
    RULES_TITLE = "Rules", "关联规则";
    RULES_COL_IF = "If the basket holds", "如果篮子里有";
    RULES_COL_THEN = "it also holds", "那么也有";
    RULES_COL_COUNT = "Baskets", "篮子数";
    RULES_COL_SUPPORT = "Support", "支持度";
    RULES_COL_CONFIDENCE = "Confidence", "置信度";
    RULES_COL_LIFT = "Lift", "提升度";
    RULES_COL_LEVERAGE = "Leverage", "杠杆率";
    RULES_COL_CONVICTION = "Conviction", "确信度";
    RULES_COL_P = "Adj. p", "校正 p 值";
    RULES_COL_TARGET = "Target list", "目标名单";
    RULES_TARGET = "Bought {0}, not {1}", "买了{0}、没买{1}";
    BOUGHT_FILTER_CLEAR = "Clear the bought / not bought filter", "清除“买了/没买”筛选";
    RULES_TARGET_TITLE = "Open the customer table with the customers who bought the left side and not the right side: a cross-sell list", "打开客户表，筛选买了左侧商品但没买右侧商品的客户：交叉销售名单";
    RULES_FILTER_ITEM = "Only rules with", "只看包含此商品的规则";
    RULES_FILTER_ANY = "Any item", "任意商品";
    RULES_SEARCH = "Search items", "搜索商品";
    RULES_SIGNIFICANT_ONLY = "Significant only", "只看显著规则";
    RULES_SORT = "Sort by", "排序";
    RULES_SHOWING = "Rules {0}–{1} of {2}", "第 {0}–{1} 条，共 {2} 条";
    RULES_NONE = "No rule matches.", "没有符合条件的规则。";
    RULES_PREV = "Previous", "上一页";
    RULES_NEXT = "Next", "下一页";
    RULES_INFINITE = "∞", "∞";
    EXPORT_RULES = "Rules (CSV)", "规则 (CSV)";
    EXPORT_RULES_XLSX = "Rules (Excel)", "规则 (Excel)";
    RECS_TITLE = "Cross-sell: what to offer each customer next", "交叉销售：给每位客户推荐什么";
    RECS_HELP = "Item-to-item collaborative filtering: items bought by the same customers are neighbours (cosine similarity); a customer's recommendations are the neighbours of what they bought. The evaluation hides each repeat customer's last basket, recommends from the earlier ones and checks the hidden basket, beside a most-popular-items baseline.", "基于商品的协同过滤：被同一批客户购买的商品互为近邻（余弦相似度）；客户的推荐即其已购商品的近邻。评估方法：隐藏每位复购客户的最后一个购物篮，仅用之前的购买做推荐，再与被隐藏的篮子比对，并与“最热门商品”基线比较。";
    RECS_K = "Recommendations per customer", "每位客户推荐数";
    RECS_REPEAT = "Consumables: recommend items already bought", "消耗品：允许推荐已买过的商品";
    RECS_RUN = "Recommend", "生成推荐";
    RECS_EVALUATE = "Check them on each customer's last basket", "用每位客户的最后一个购物篮检验";
    RECS_CUSTOMERS = "{0} customers have recommendations ({1} each).", "已为 {0} 位客户生成推荐（每人 {1} 个）。";
    RECS_EVAL_TITLE = "Would the recommendations have been right?", "推荐是否命中？";
    RECS_EVAL_COUNTS = "{0} customers with two baskets or more; {1} scored; {2} skipped (their last basket held nothing new).", "{0} 位客户有两个及以上购物篮；评估 {1} 位；跳过 {2} 位（最后一个篮子没有新商品）。";
    RECS_COL_METHOD = "Method", "方法";
    RECS_METHOD_MODEL = "Collaborative filtering", "协同过滤";
    RECS_METHOD_POPULAR = "Most popular (baseline)", "最热门商品（基线）";
    RECS_COL_HIT = "Hit rate@{0}", "命中率@{0}";
    RECS_COL_PRECISION = "Precision@{0}", "精确率@{0}";
    RECS_COL_RECALL = "Recall@{0}", "召回率@{0}";
    RECS_COL_NDCG = "NDCG@{0}", "NDCG@{0}";
    RECS_COL_COVERAGE = "Catalogue coverage", "商品覆盖率";
    RECS_BEATS = "Collaborative filtering beats the most-popular baseline on hit rate and NDCG.", "协同过滤在命中率和 NDCG 上都优于最热门基线。";
    RECS_LOSES = "Collaborative filtering does not beat the most-popular baseline here: for this data, recommending the best sellers would have been as good or better.", "在这份数据上协同过滤没有胜过最热门基线：直接推荐畅销品的效果相当或更好。";
    RECS_TOGETHER_TITLE = "Frequently bought together", "经常一起购买";
    RECS_TOGETHER_ROW = "{0} ({1} customers)", "{0}（{1} 位客户）";
    RECS_REASON_TOGETHER = "bought together with {item} by {customers} customers", "与{item}一起被 {customers} 位客户购买";
    RECS_REASON_POPULAR = "popular with all customers", "全体客户中的热门商品";
    EXPORT_RECS = "Recommendations (CSV)", "推荐名单 (CSV)";
    EXPORT_RECS_XLSX = "Recommendations (Excel)", "推荐名单 (Excel)";
    REGIONS_TITLE = "What each region prefers", "区域偏好";
    REGIONS_HELP = "Index = share of the group's baskets holding the item ÷ share of all baskets × 100 (100 = average). Differences are tested with a χ² test, adjusted for the number of cells (Benjamini–Hochberg); a cell whose test table expects fewer than 5 baskets somewhere is never called significant.", "指数 = 该组购物篮中含此商品的比例 ÷ 全部购物篮中的比例 × 100（100 = 平均）。差异用 χ² 检验，并按格子数做 Benjamini–Hochberg 校正；检验表中任一期望频数小于 5 的格子不判为显著。";
    REGIONS_BY = "Compare", "比较维度";
    REGIONS_BY_REGION = "Regions", "区域";
    REGIONS_BY_CHANNEL = "Channels", "渠道";
    REGIONS_RUN = "Compare", "比较";
    REGIONS_SUMMARY = "{0} groups, {1} baskets; {2} of {3} group × item cells differ significantly.", "{0} 个分组，{1} 个购物篮；{3} 个分组 × 商品格子中有 {2} 个差异显著。";
    REGIONS_WITHOUT = "{0} baskets have no value in this column and are left out.", "{0} 个购物篮在此列为空，未计入。";
    REGIONS_OVER = "Over-indexes on", "偏好商品";
    REGIONS_NONE = "nothing significant", "无显著偏好";
    REGIONS_ITEM_INDEX = "{0} (index {1})", "{0}（指数 {1}）";
    EXPORT_REGIONS = "Indexes (CSV)", "指数 (CSV)";
    EXPORT_REGIONS_XLSX = "Indexes (Excel)", "指数 (Excel)";
    WARN_MANY_ITEMS = "{0} distinct items: only {1} reach the support. Rules about the rest need far more baskets.", "共 {0} 种商品，只有 {1} 种达到支持度；其余商品需要多得多的购物篮才能得出规则。";
    WARN_MANY_ITEMS_CATEGORY = "The category level groups them: try Item = Category.", "按品类汇总可以改善：试试“商品层级 = 品类”。";
    WARN_MOSTLY_SINGLE = "{0} of baskets hold a single item; only the rest can show what sells together.", "{0} 的购物篮只有一件商品，只有其余篮子能反映哪些商品一起卖。";
    WARN_NO_RULES = "No rule passes these thresholds. Lower the confidence or the support.", "没有规则达到这些阈值，请降低置信度或支持度。";
    ERR_BASKETS_SETTING = "The setting {0} is out of range: {1}.", "设置 {0} 超出范围：{1}。";
    ERR_BASKETS_NO_PRODUCT = "The file has no product column, so there is nothing to put in baskets. Map a column to Product (or Category) in the column mapping.", "文件没有商品列，无法组成购物篮。请在列映射中把某一列设为“商品”（或“品类”）。";
    ERR_BASKETS_NO_CATEGORY = "The file has no category column. Choose Item = Product, or map a column to Category.", "文件没有品类列。请选择“商品层级 = 商品”，或在列映射中设置“品类”列。";
    ERR_BASKETS_TOO_FEW = "Only {0} basket holds an item; rules need at least 2 baskets.", "只有 {0} 个购物篮含有商品；关联规则至少需要 2 个购物篮。";
    ERR_BASKETS_ALL_SINGLE = "Every one of the {0} baskets holds a single item, so nothing is bought together. Is the order id column right? Without one, a basket is a customer's day.", "全部 {0} 个购物篮都只有一件商品，没有一起购买的情况。订单号列是否正确？没有订单号时，一个篮子是同一客户同一天的购买。";
    ERR_BASKETS_EXPLODE = "Support {0} ({1} baskets) would give more than {2} itemsets (at least {3} found; the basket sizes allow up to {4}). Try a support of {5} or more, or fewer items per set.", "支持度 {0}（{1} 个篮子）会产生超过 {2} 个项集（已找到至少 {3} 个；按篮子大小最多可能 {4} 个）。请把支持度提高到 {5} 或以上，或减少每个项集的商品数。";
    ERR_BASKETS_EXPLODE_LENGTH = "Support {0} ({1} baskets) would give more than {2} itemsets (at least {3} found), and so would any support: the baskets hold too many items together. Lower the maximum items per set.", "支持度 {0}（{1} 个篮子）会产生超过 {2} 个项集（已找到至少 {3} 个），任何支持度都一样：篮子里的商品太多。请减少每个项集的最多商品数。";
    RECS_EVAL_UNAVAILABLE = "The recommendations could not be checked: no customer has a later basket with something new.", "无法评估推荐效果：没有客户在之后的购物篮中买了新商品。";
    RECS_HEAVY = "{0} customers with more than 2,000 distinct items were left out of the “bought together” counts (they still get recommendations).", "{0} 位购买超过 2,000 种商品的客户未计入“一起购买”统计（仍为其生成推荐）。";
    ERR_BASKETS_TOO_MANY_RULES = "More than {0} rules at confidence {1}. Raise the confidence, the lift or the support.", "置信度 {1} 下规则超过 {0} 条。请提高置信度、提升度或支持度。";
    ERR_BASKETS_NO_PAIRS = "No two items are bought together in {0} of baskets or more (the best pair: {1}). Lower the support.", "没有任何两件商品在 {0} 及以上的篮子中一起出现（最高的一对为 {1}）。请降低支持度。";
    ERR_BASKETS_NO_REGION = "The file has no region column to compare. Map one in the column mapping.", "文件没有区域列可供比较。请在列映射中设置。";
    ERR_BASKETS_NO_CHANNEL = "The file has no channel column to compare. Map one in the column mapping.", "文件没有渠道列可供比较。请在列映射中设置。";
    ERR_BASKETS_ONE_REGION = "Every basket is in the same region ({0}), so there is nothing to compare.", "所有购物篮都属于同一区域（{0}），没有可比较的对象。";
    ERR_BASKETS_ONE_CHANNEL = "Every basket came through the same channel ({0}), so there is nothing to compare.", "所有购物篮都来自同一渠道（{0}），没有可比较的对象。";
    ERR_BASKETS_TOO_MANY_CELLS = "{0} values in this column × {1} items is more than {2} cells to compare. Compare by category, or use a column with fewer values.", "此列 {0} 个取值 × {1} 种商品，超过 {2} 个可比较的格子。请按品类比较，或换一个取值更少的列。";
    ERR_BASKETS_NOTHING_TO_EVALUATE = "No customer has a second basket with something new, so the recommendations cannot be checked. Untick the evaluation or load more history.", "没有客户的第二个购物篮含有新商品，无法评估推荐效果。";
    // --- charts ---
    CHART_BASKETS_SCATTER = "Rules: support × confidence, coloured by lift", "规则：支持度 × 置信度（颜色表示提升度）";
    CHART_BASKETS_HEATMAP = "Lift between the 20 most frequent items", "最常见 20 种商品之间的提升度";
    CHART_BASKETS_ITEMS = "Item frequency: share of baskets", "商品出现频率：占购物篮比例";
    CHART_BASKETS_EVALUATION = "Recommendations against the baseline", "推荐效果与基线对比";
    CHART_BASKETS_REGIONS = "Preference index by group (100 = average)", "各组偏好指数（100 = 平均）";
    CHART_BASKETS_AXIS_SUPPORT = "Support (% of baskets)", "支持度（占购物篮 %）";
    CHART_BASKETS_AXIS_CONFIDENCE = "Confidence (%)", "置信度 (%)";
    CHART_BASKETS_AXIS_SHARE = "Share of baskets (%)", "占购物篮比例 (%)";
    CHART_BASKETS_AXIS_METRIC = "Metric", "指标";
    CHART_BASKETS_AXIS_VALUE = "Value (%)", "数值 (%)";
    CHART_BASKETS_LIFT_SCALE = "Lift {0} – {1}", "提升度 {0} – {1}";
    READOUT_BASKETS_RULE = "Rule {0}: support {1}, confidence {2}, lift {3}", "规则 {0}：支持度 {1}，置信度 {2}，提升度 {3}";
    READOUT_BASKETS_PAIR = "{0} & {1}: lift {2}, {3} baskets together", "{0} 与 {1}：提升度 {2}，共同出现 {3} 个篮子";
    READOUT_BASKETS_ITEM = "{0}: {1} of baskets ({2})", "{0}：占购物篮 {1}（{2} 个）";
    READOUT_BASKETS_METRIC = "{0}: model {1}, baseline {2}", "{0}：模型 {1}，基线 {2}";
    READOUT_BASKETS_REGION = "{0} × {1}: index {2}", "{0} × {1}：指数 {2}";
    CHART_BASKETS_INDEX_SCALE = "Index {0} – {1}", "指数 {0} – {1}";
}

/// The name of an item level.
pub fn level_name(lang: Lang, level: ItemLevel) -> &'static str {
    match level {
        ItemLevel::Product => t::BASKETS_LEVEL_PRODUCT,
        ItemLevel::Category => t::BASKETS_LEVEL_CATEGORY,
    }
    .get(lang)
}

/// A basket warning in the user's language.
pub fn basket_warning_text(lang: Lang, w: &BasketWarning) -> String {
    match w {
        BasketWarning::ManyItems {
            items,
            frequent,
            has_categories,
        } => {
            let mut text = fill(
                lang,
                t::WARN_MANY_ITEMS,
                &[
                    &grouped(*items as f64, 0, ','),
                    &grouped(*frequent as f64, 0, ','),
                ],
            );
            if *has_categories {
                text.push(' ');
                text.push_str(t::WARN_MANY_ITEMS_CATEGORY.get(lang));
            }
            text
        }
        BasketWarning::MostlySingleItem { share } => {
            fill(lang, t::WARN_MOSTLY_SINGLE, &[&percent(*share)])
        }
        BasketWarning::NoRules => t::WARN_NO_RULES.get(lang).to_string(),
    }
}

/// A support share as a percentage with enough digits to be exact-looking (0.2 %, 0.013 %).
pub fn support_text(share: f64) -> String {
    let pct = share * 100.0;
    let digits = if pct >= 1.0 {
        1
    } else if pct >= 0.1 {
        2
    } else {
        3
    };
    format!("{} %", crate::format::plain(pct, digits))
}

/// A basket error in the user's language, naming the problem.
pub fn describe_basket_error(lang: Lang, e: &BasketError) -> String {
    let n = |v: u64| grouped(v as f64, 0, ',');
    match e {
        BasketError::InvalidSetting { name, value } => {
            fill(lang, t::ERR_BASKETS_SETTING, &[name, value])
        }
        BasketError::NoItemColumn { level } => match level {
            ItemLevel::Product => t::ERR_BASKETS_NO_PRODUCT,
            ItemLevel::Category => t::ERR_BASKETS_NO_CATEGORY,
        }
        .get(lang)
        .to_string(),
        BasketError::TooFewBaskets { baskets } => {
            fill(lang, t::ERR_BASKETS_TOO_FEW, &[&n(*baskets)])
        }
        BasketError::AllSingleItem { baskets } => {
            fill(lang, t::ERR_BASKETS_ALL_SINGLE, &[&n(*baskets)])
        }
        BasketError::TooManyItemsets {
            min_support,
            min_count,
            found,
            limit,
            estimate,
            suggested_support,
        } => match suggested_support {
            Some(suggested) => fill(
                lang,
                t::ERR_BASKETS_EXPLODE,
                &[
                    &support_text(*min_support),
                    &n(u64::from(*min_count)),
                    &n(*limit),
                    &n(*found),
                    &crate::format::compact(*estimate),
                    &support_text(*suggested),
                ],
            ),
            None => fill(
                lang,
                t::ERR_BASKETS_EXPLODE_LENGTH,
                &[
                    &support_text(*min_support),
                    &n(u64::from(*min_count)),
                    &n(*limit),
                    &n(*found),
                ],
            ),
        },
        BasketError::TooManyRules {
            limit,
            min_confidence,
        } => fill(
            lang,
            t::ERR_BASKETS_TOO_MANY_RULES,
            &[&n(*limit), &percent(*min_confidence)],
        ),
        BasketError::NoFrequentPairs {
            min_support,
            best_pair_support,
        } => fill(
            lang,
            t::ERR_BASKETS_NO_PAIRS,
            &[
                &support_text(*min_support),
                &support_text(*best_pair_support),
            ],
        ),
        BasketError::NoGroupColumn { by } => match by {
            GroupBy::Region => t::ERR_BASKETS_NO_REGION,
            GroupBy::Channel => t::ERR_BASKETS_NO_CHANNEL,
        }
        .get(lang)
        .to_string(),
        BasketError::OneGroup { by, value } => match by {
            GroupBy::Region => fill(lang, t::ERR_BASKETS_ONE_REGION, &[value]),
            GroupBy::Channel => fill(lang, t::ERR_BASKETS_ONE_CHANNEL, &[value]),
        },
        BasketError::TooManyCells {
            groups,
            items,
            limit,
            ..
        } => fill(
            lang,
            t::ERR_BASKETS_TOO_MANY_CELLS,
            &[&n(*groups), &n(*items), &n(*limit)],
        ),
        BasketError::NothingToEvaluate => t::ERR_BASKETS_NOTHING_TO_EVALUATE.get(lang).to_string(),
    }
}
