//! One row per customer of a campaign: their group and outcomes, from a results file or from a
//! contact list joined with the loaded transactions.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::params::{MetricChoice, OutcomeSource, MAX_GROUPS, MAX_METRICS};
use super::stats::MetricKind;
use super::{ExperimentError, ExperimentParams};
use crate::cluster::{AttributeTable, FeatureValues};
use crate::ingest::{parse_date, DateOrder, DateParse};
use crate::rfm::Analysis;
use crate::{Dataset, Day};

/// One outcome, per customer.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricData {
    /// Its name (the header, or `converted` / `orders` / `revenue` for a contact list).
    pub name: String,
    /// Binomial or mean.
    pub kind: MetricKind,
    /// Per customer (NaN: missing).
    pub values: Vec<f64>,
    /// The CUPED covariate: its name, kind and values (NaN: missing).
    pub covariate: Option<(String, MetricKind, Vec<f64>)>,
}

/// How a contact list met the transactions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactSummary {
    /// Contacts (rows with a group).
    pub contacts: u64,
    /// Contacts whose id is a customer of the transactions.
    pub matched: u64,
    /// Contacts with no transaction at all (counted as non-converters with zero revenue).
    pub without_transactions: u64,
    /// The window's first day (the earliest when each contact has their own).
    pub start_day: Day,
    /// The window's length.
    pub window_days: u32,
    /// Whether each contact's own date started their window.
    pub per_contact_dates: bool,
    /// The last day of data (the run's as-of day).
    pub data_end_day: Day,
    /// Whether some window ends after the last day of data (outcomes then undercount).
    pub window_past_data: bool,
}

/// Something the analysis worked around; the page words it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DataWarning {
    /// Rows whose id repeats an earlier row's (the first was kept).
    DuplicateIds {
        /// Rows left out.
        rows: u64,
    },
    /// Rows with an empty group cell (left out).
    RowsWithoutGroup {
        /// Rows left out.
        rows: u64,
    },
    /// Customers without a value of a metric (left out of that metric).
    MissingValues {
        /// The metric.
        metric: String,
        /// Customers without a value.
        customers: u64,
    },
}

/// The campaign's customers, their groups and outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentData {
    /// The header of the group column.
    pub group_column: String,
    /// Group names, control first, then in sort order.
    pub groups: Vec<String>,
    /// Each customer's group (index into `groups`).
    pub group_of: Vec<u16>,
    /// Each customer's id.
    pub ids: Vec<String>,
    /// Each customer's index in the loaded transactions, if they are there.
    pub customer: Vec<Option<u32>>,
    /// The outcomes.
    pub metrics: Vec<MetricData>,
    /// A contact list's join.
    pub contacts: Option<ContactSummary>,
    /// What was worked around.
    pub warnings: Vec<DataWarning>,
}

impl ExperimentData {
    /// Customers.
    pub fn len(&self) -> usize {
        self.group_of.len()
    }

    /// Whether there is no customer.
    pub fn is_empty(&self) -> bool {
        self.group_of.is_empty()
    }

    /// Reads the groups and outcomes of a parsed campaign file. A contact list needs the loaded
    /// transactions (`run`: the dataset and its RFM run); a results file joins them when given
    /// (for the segment breakdown).
    pub fn build(
        table: &AttributeTable,
        params: &ExperimentParams,
        run: Option<(&Dataset, &Analysis)>,
    ) -> Result<Self, ExperimentError> {
        let group_index = group_column(table, params.group_column.as_deref())?;
        let group_col = table
            .columns
            .get(group_index)
            .ok_or(ExperimentError::NoGroupColumn)?;
        let labels = group_labels(&group_col.values, table.ids.len());
        // Rows with a group; the groups sorted with control first.
        let rows: Vec<usize> = (0..labels.len())
            .filter(|r| labels.get(*r).is_some_and(Option::is_some))
            .collect();
        let mut warnings = Vec::new();
        if table.duplicate_ids > 0 {
            warnings.push(DataWarning::DuplicateIds {
                rows: table.duplicate_ids,
            });
        }
        let without_group = (labels.len() - rows.len()) as u64;
        if without_group > 0 {
            warnings.push(DataWarning::RowsWithoutGroup {
                rows: without_group,
            });
        }
        let mut names: Vec<String> = rows
            .iter()
            .filter_map(|r| labels.get(*r).cloned().flatten())
            .collect();
        names.sort();
        names.dedup();
        if rows.is_empty() {
            return Err(ExperimentError::Empty);
        }
        if names.len() > MAX_GROUPS {
            return Err(ExperimentError::TooManyGroups {
                groups: names.len(),
                max: MAX_GROUPS,
            });
        }
        if let [only] = names.as_slice() {
            return Err(ExperimentError::OneGroup {
                group: only.clone(),
            });
        }
        let control = match params.control.as_deref().map(str::trim) {
            Some(name) => names
                .iter()
                .position(|g| g == name)
                .or_else(|| {
                    names
                        .iter()
                        .position(|g| g.to_lowercase() == name.to_lowercase())
                })
                .ok_or_else(|| ExperimentError::NoControl {
                    control: name.to_string(),
                    groups: names.iter().take(20).cloned().collect(),
                })?,
            None => guess_control(&names),
        };
        let control_name = names.remove(control);
        names.insert(0, control_name);
        let index: FxHashMap<&str, u16> = names
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i as u16))
            .collect();
        let group_of: Vec<u16> = rows
            .iter()
            .map(|r| {
                labels
                    .get(*r)
                    .and_then(|l| l.as_deref())
                    .and_then(|l| index.get(l).copied())
                    .unwrap_or(0)
            })
            .collect();
        let ids: Vec<String> = rows
            .iter()
            .map(|r| table.ids.get(*r).cloned().unwrap_or_default())
            .collect();
        let customer = match run {
            Some((dataset, _)) => {
                let by_id: FxHashMap<&str, u32> = dataset
                    .customer_ids
                    .iter()
                    .enumerate()
                    .map(|(c, id)| (id.trim(), c as u32))
                    .collect();
                ids.iter()
                    .map(|id| by_id.get(id.as_str()).copied())
                    .collect()
            }
            None => vec![None; ids.len()],
        };
        let mut data = Self {
            group_column: group_col.name.clone(),
            groups: names,
            group_of,
            ids,
            customer,
            metrics: Vec::new(),
            contacts: None,
            warnings,
        };
        match &params.source {
            OutcomeSource::Results { metrics } => {
                data.metrics = results_metrics(table, group_index, metrics, &rows)?;
            }
            OutcomeSource::Contacts {
                start_day,
                window_days,
                date_column,
            } => {
                let Some((dataset, analysis)) = run else {
                    return Err(ExperimentError::NoStart);
                };
                let starts = contact_starts(
                    table,
                    group_index,
                    *start_day,
                    date_column.as_deref(),
                    &rows,
                )?;
                data.contact_outcomes(
                    dataset,
                    analysis,
                    &starts,
                    *window_days,
                    start_day.is_none(),
                );
            }
        }
        for m in &data.metrics {
            let missing = m.values.iter().filter(|v| v.is_nan()).count() as u64;
            if missing > 0 {
                data.warnings.push(DataWarning::MissingValues {
                    metric: m.name.clone(),
                    customers: missing,
                });
            }
        }
        Ok(data)
    }

    /// Converted, orders and revenue in each contact's window, and the same over the window's
    /// length before it (the CUPED covariates).
    fn contact_outcomes(
        &mut self,
        dataset: &Dataset,
        analysis: &Analysis,
        starts: &[Day],
        window_days: u32,
        per_contact: bool,
    ) {
        let run = analysis.lines(dataset);
        let mut by_customer = run.by_customer();
        let window = i32::try_from(window_days).unwrap_or(i32::MAX);
        let n = self.len();
        let mut out = [(); 6].map(|()| vec![0.0; n]);
        let mut summary = ContactSummary {
            contacts: n as u64,
            start_day: starts.iter().copied().min().unwrap_or_default(),
            window_days,
            per_contact_dates: per_contact,
            data_end_day: analysis.report.as_of_day,
            ..ContactSummary::default()
        };
        for (u, start) in starts.iter().enumerate() {
            let end = start.saturating_add(window);
            summary.window_past_data |= end - 1 > analysis.report.as_of_day;
            let Some(c) = self.customer.get(u).copied().flatten() else {
                summary.without_transactions += 1;
                continue;
            };
            summary.matched += 1;
            let group = c as usize;
            if group >= by_customer.groups() || by_customer.of(group).is_empty() {
                summary.without_transactions += 1;
                continue;
            }
            let pre_start = start.saturating_sub(window);
            let (mut orders, mut revenue, mut orders_pre, mut revenue_pre) = (0.0, 0.0, 0.0, 0.0);
            run.for_each_order(by_customer.of_mut(group), |_, total| {
                if total.day >= *start && total.day < end {
                    revenue += total.net;
                    orders += f64::from(u8::from(total.purchase));
                } else if total.day >= pre_start && total.day < *start {
                    revenue_pre += total.net;
                    orders_pre += f64::from(u8::from(total.purchase));
                }
            });
            let cells = [
                f64::from(u8::from(orders > 0.0)),
                orders,
                revenue,
                f64::from(u8::from(orders_pre > 0.0)),
                orders_pre,
                revenue_pre,
            ];
            for (column, value) in out.iter_mut().zip(cells) {
                if let Some(slot) = column.get_mut(u) {
                    *slot = value;
                }
            }
        }
        let [converted, orders, revenue, converted_pre, orders_pre, revenue_pre] = out;
        let metric = |name: &str, kind, values, pre| MetricData {
            name: name.to_string(),
            kind,
            values,
            covariate: Some((format!("{name}_pre"), kind, pre)),
        };
        self.metrics = vec![
            metric("converted", MetricKind::Binomial, converted, converted_pre),
            metric("orders", MetricKind::Mean, orders, orders_pre),
            metric("revenue", MetricKind::Mean, revenue, revenue_pre),
        ];
        self.contacts = Some(summary);
    }
}

/// Words that name a group column, lowercase.
const GROUP_WORDS: [&str; 12] = [
    "group",
    "variant",
    "variation",
    "arm",
    "treatment",
    "cell",
    "bucket",
    "分组",
    "组别",
    "实验组",
    "版本",
    "组",
];
/// Words that name a control group, lowercase.
const CONTROL_WORDS: [&str; 10] = [
    "control", "ctrl", "holdout", "hold-out", "hold out", "baseline", "对照", "控制", "空白",
    "留存",
];

/// The index in `table.columns` of the column headed `name`: the exact header first, then
/// ignoring case.
fn column_index(table: &AttributeTable, name: &str) -> Result<usize, ExperimentError> {
    let name = name.trim();
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .or_else(|| {
            let lower = name.to_lowercase();
            table
                .columns
                .iter()
                .position(|c| c.name.to_lowercase() == lower)
        })
        .ok_or_else(|| ExperimentError::NoColumn {
            column: name.to_string(),
        })
}

/// The group column's index in `table.columns`.
fn group_column(table: &AttributeTable, named: Option<&str>) -> Result<usize, ExperimentError> {
    if let Some(name) = named {
        return column_index(table, name);
    }
    GROUP_WORDS
        .iter()
        .find_map(|word| {
            table.columns.iter().position(|c| {
                let header = c.name.to_lowercase();
                header == *word || header.contains(word)
            })
        })
        .ok_or(ExperimentError::NoGroupColumn)
}

/// Each row's group name (`None`: empty cell). Numbers are written plainly (`1`, not `1.0`).
fn group_labels(values: &FeatureValues, rows: usize) -> Vec<Option<String>> {
    match values {
        FeatureValues::Numeric(v) => v
            .iter()
            .map(|x| {
                if x.is_nan() {
                    None
                } else if x.fract() == 0.0 && x.abs() < 1e15 {
                    Some(format!("{}", *x as i64))
                } else {
                    Some(format!("{x}"))
                }
            })
            .collect(),
        FeatureValues::Categorical { levels, codes } => {
            let mut labels: Vec<Option<String>> = codes
                .iter()
                .map(|c| c.and_then(|c| levels.get(c as usize).cloned()))
                .collect();
            labels.resize(rows, None);
            labels
        }
    }
}

/// The control among sorted group names: one whose name says so, else the first.
fn guess_control(names: &[String]) -> usize {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    CONTROL_WORDS
        .iter()
        .find_map(|word| lower.iter().position(|n| n == word || n.contains(word)))
        .or_else(|| lower.iter().position(|n| n == "a" || n == "0"))
        .unwrap_or(0)
}

/// The outcome columns of a results file, for the rows with a group.
fn results_metrics(
    table: &AttributeTable,
    group_index: usize,
    chosen: &[MetricChoice],
    rows: &[usize],
) -> Result<Vec<MetricData>, ExperimentError> {
    let find = |name: &str| column_index(table, name);
    let choices: Vec<MetricChoice> = if chosen.is_empty() {
        auto_metrics(table, group_index)
    } else {
        chosen.to_vec()
    };
    if choices.is_empty() {
        return Err(ExperimentError::NoMetrics);
    }
    if choices.len() > MAX_METRICS {
        return Err(ExperimentError::TooManyMetrics {
            metrics: choices.len(),
            max: MAX_METRICS,
        });
    }
    let numbers = |index: usize| -> Result<Vec<f64>, ExperimentError> {
        let column = table.columns.get(index).ok_or(ExperimentError::NoMetrics)?;
        match &column.values {
            FeatureValues::Numeric(v) => Ok(rows
                .iter()
                .map(|r| v.get(*r).copied().unwrap_or(f64::NAN))
                .collect()),
            FeatureValues::Categorical { levels, codes } => {
                let (row, value) = codes
                    .iter()
                    .enumerate()
                    .find_map(|(r, c)| {
                        c.and_then(|c| levels.get(c as usize))
                            .filter(|l| crate::ingest::parse_amount(l).is_none())
                            .map(|l| (r, l.clone()))
                    })
                    .unwrap_or_default();
                Err(ExperimentError::MetricNotNumeric {
                    column: column.name.clone(),
                    row: row as u64 + 1,
                    value,
                })
            }
        }
    };
    choices
        .iter()
        .map(|choice| {
            let index = find(&choice.column)?;
            let values = numbers(index)?;
            let kind = choice.kind.unwrap_or_else(|| kind_of(&values));
            let covariate = match &choice.covariate {
                Some(name) => {
                    let i = find(name)?;
                    let pre = numbers(i)?;
                    let pre_kind = kind_of(&pre);
                    let header = table
                        .columns
                        .get(i)
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    Some((header, pre_kind, pre))
                }
                None => None,
            };
            let name = table
                .columns
                .get(index)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            Ok(MetricData {
                name,
                kind,
                values,
                covariate,
            })
        })
        .collect()
}

/// Binomial when every present value is 0 or 1.
fn kind_of(values: &[f64]) -> MetricKind {
    if values
        .iter()
        .filter(|v| !v.is_nan())
        .all(|v| *v == 0.0 || *v == 1.0)
    {
        MetricKind::Binomial
    } else {
        MetricKind::Mean
    }
}

/// Every numeric column but the group's and the covariates', each with its covariate (`x_pre`,
/// `pre_x`, `x_before`) when the file has one.
fn auto_metrics(table: &AttributeTable, group_index: usize) -> Vec<MetricChoice> {
    let numeric: Vec<&str> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != group_index && matches!(c.values, FeatureValues::Numeric(_)))
        .map(|(_, c)| c.name.as_str())
        .collect();
    let covariate_of = |name: &str| -> Option<String> {
        let lower = name.to_lowercase();
        let candidates = [
            format!("{lower}_pre"),
            format!("pre_{lower}"),
            format!("{lower}_before"),
            format!("{lower}前"),
        ];
        numeric
            .iter()
            .find(|c| candidates.iter().any(|k| c.to_lowercase() == *k))
            .map(|c| (*c).to_string())
    };
    let covariates: Vec<String> = numeric.iter().filter_map(|n| covariate_of(n)).collect();
    numeric
        .iter()
        .filter(|n| !covariates.iter().any(|c| c == *n))
        .filter(|n| !looks_like_date(n))
        .take(MAX_METRICS)
        .map(|n| MetricChoice {
            column: (*n).to_string(),
            kind: None,
            covariate: covariate_of(n),
        })
        .collect()
}

fn looks_like_date(header: &str) -> bool {
    let lower = header.to_lowercase();
    ["date", "day", "time", "日期", "时间"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Each contact's window start: the given day, or their own contact date.
fn contact_starts(
    table: &AttributeTable,
    group_index: usize,
    start_day: Option<Day>,
    date_column: Option<&str>,
    rows: &[usize],
) -> Result<Vec<Day>, ExperimentError> {
    if let Some(day) = start_day {
        return Ok(vec![day; rows.len()]);
    }
    let index = match date_column {
        Some(name) => Some(column_index(table, name)?),
        None => table
            .columns
            .iter()
            .enumerate()
            .position(|(i, c)| i != group_index && looks_like_date(&c.name)),
    };
    let Some(column) = index.and_then(|i| table.columns.get(i)) else {
        return Err(ExperimentError::NoStart);
    };
    let cell = |r: usize| -> String {
        match &column.values {
            FeatureValues::Numeric(v) => v
                .get(r)
                .filter(|x| !x.is_nan())
                .map(|x| format!("{x}"))
                .unwrap_or_default(),
            FeatureValues::Categorical { levels, codes } => codes
                .get(r)
                .copied()
                .flatten()
                .and_then(|c| levels.get(c as usize).cloned())
                .unwrap_or_default(),
        }
    };
    rows.iter()
        .map(|r| {
            let text = cell(*r);
            match parse_date(&text, DateOrder::Ymd) {
                DateParse::Day(day) => Ok(day),
                DateParse::Empty | DateParse::Invalid => Err(ExperimentError::InvalidContactDate {
                    row: *r as u64 + 1,
                    value: text,
                }),
            }
        })
        .collect()
}

/// When the file's guessed id column looks like a group column (short files fool the guess), a
/// better one: the first other header that names a customer id, else the first other column.
pub fn better_id_column(table: &AttributeTable) -> Option<String> {
    let is_group = |h: &str| {
        let lower = h.to_lowercase();
        GROUP_WORDS.iter().any(|w| lower == *w || lower.contains(w))
    };
    if !is_group(&table.id_column) {
        return None;
    }
    const ID_WORDS: [&str; 8] = [
        "customer", "client", "member", "user", "id", "客户", "会员", "用户",
    ];
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    ID_WORDS
        .iter()
        .find_map(|w| {
            names
                .iter()
                .find(|n| !is_group(n) && n.to_lowercase().contains(w))
        })
        .or_else(|| names.iter().find(|n| !is_group(n)))
        .map(|n| (*n).to_string())
}
