//! A per-customer summary file → a [`Dataset`] with the same per-customer aggregates.
//!
//! The analyses read lines; a summary has none. So each row becomes a few synthetic lines, built
//! so that every aggregate an analysis takes from lines equals the row's (hand-written: this is
//! SegScope's own line model, no crate knows it):
//!
//! - day F = as-of − T: one order worth `revenue` (RFM's net revenue, exact: the other RFM
//!   orders are worth 0), and `orders − frequency − 1` more orders worth 0 (same-day orders);
//! - each repeat purchase j = 1..=frequency, on day F + round(j × recency / frequency) (the last
//!   on F + recency): one order worth 0, and one line worth `monetary_value` flagged as an exact
//!   duplicate. RFM, tags and segmentation leave duplicates out (a summary's run always does),
//!   so they see `orders` orders, `revenue`, the first and last order days and frequency + 1
//!   distinct purchase days; the purchase models keep duplicates (as `lifetimes` does), so they
//!   see purchase days F (worth `revenue`) and the repeats, each worth exactly `monetary_value`.
//!
//! Region and channel, when given, go on every line of the customer. Analyses that need real
//! lines (baskets, cohorts, repurchase, send timing, tiers, forecast, contact lists) refuse a
//! summary dataset ([`Dataset::is_summary`]).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use super::{SummaryColumns, SummaryError, SummaryLayout};
use crate::clv::TimeUnit;
use crate::ingest::{
    self, DateOrder, DropReason, DroppedRows, QualityReport, ReturnsSummary, MAX_PLAUSIBLE_AMOUNT,
};
use crate::{Dataset, Day, Interned};

/// What reading a summary found, beside the dropped rows: shown with the quality report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryFacts {
    /// Customers read.
    pub customers: u64,
    /// The as-of day (inclusive) T was counted to.
    pub as_of_day: Day,
    /// Unit of the file's `recency` and `T`.
    pub time_unit: TimeUnit,
    /// The file has no revenue column: revenue is `(frequency + 1) × monetary_value` (one-time
    /// buyers count 0, as `lifetimes` records no value for them).
    pub revenue_estimated: bool,
    /// The file has no orders column: orders are `frequency + 1`.
    pub orders_estimated: bool,
    /// Rows whose `recency` in days is smaller than `frequency` (two repeat purchases would
    /// share a day): their purchase-model frequency is lower than the file's.
    pub crowded_rows: u64,
    /// Rows whose `orders` is below `frequency + 1`: RFM counts `frequency + 1` orders.
    pub orders_raised: u64,
    /// Rows with a negative revenue (net refunds) and no day without purchase to put the refund
    /// on (T = recency = frequency days): counted as 0.
    pub negative_revenue: u64,
    /// Rows whose first_order + T is not the as-of day (from another as-of date or unit).
    pub off_as_of: u64,
}

/// The normalised header names of each field (lower case, no spaces, `-` or `_`).
const CUSTOMER: &[&str] = &[
    "customerid",
    "customer",
    "id",
    "userid",
    "memberid",
    "clientid",
    "客户id",
    "会员id",
    "会员号",
    "用户id",
];
const FREQUENCY: &[&str] = &["frequency", "x"];
const RECENCY: &[&str] = &["recency", "tx"];
const AGE: &[&str] = &["t", "age"];
const MONETARY: &[&str] = &["monetaryvalue", "monetary"];
const ORDERS: &[&str] = &["orders", "ordercount", "norders", "numorders"];
const REVENUE: &[&str] = &["revenue", "totalrevenue", "netrevenue", "totalspend"];
const FIRST: &[&str] = &[
    "firstorder",
    "firstorderdate",
    "firstpurchase",
    "firstpurchasedate",
];
const LAST: &[&str] = &[
    "lastorder",
    "lastorderdate",
    "lastpurchase",
    "lastpurchasedate",
];
const REGION: &[&str] = &["region", "province", "地区", "省份"];
const CHANNEL: &[&str] = &["channel", "渠道"];

fn normalised(header: &str) -> String {
    header
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The layout of a summary file from its header, or `None` when the header lacks any of
/// `frequency`, `recency`, `T` and `monetary_value` (then it is a transactions file). `rows` (a
/// preview's first rows) guess the time unit: from first/last order dates when present, else
/// weeks when a recency or T is not whole.
pub fn detect(columns: &[String], rows: &[Vec<String>]) -> Option<SummaryLayout> {
    let names: Vec<String> = columns.iter().map(|c| normalised(c)).collect();
    // The header `T` is case-sensitive in lifetimes; "t" alone is accepted too.
    let find = |words: &[&str]| names.iter().position(|n| words.contains(&n.as_str()));
    let frequency = find(FREQUENCY)?;
    let recency = find(RECENCY)?;
    let age = find(AGE)?;
    let monetary_value = find(MONETARY)?;
    let taken = [frequency, recency, age, monetary_value];
    let optional = |words: &[&str]| find(words).filter(|i| !taken.contains(i));
    let (orders, revenue) = (optional(ORDERS), optional(REVENUE));
    let (first_order, last_order) = (optional(FIRST), optional(LAST));
    let (region, channel) = (optional(REGION), optional(CHANNEL));
    let used: Vec<usize> = taken
        .into_iter()
        .chain(
            [orders, revenue, first_order, last_order, region, channel]
                .into_iter()
                .flatten(),
        )
        .collect();
    // The id: a column named like one, else the first column no other field took (pandas
    // writes the index first, often with an empty header).
    let customer_id = find(CUSTOMER)
        .filter(|i| !used.contains(i))
        .or_else(|| (0..columns.len()).find(|i| !used.contains(i)))?;
    let columns = SummaryColumns {
        customer_id,
        frequency,
        recency,
        age,
        monetary_value,
        orders,
        revenue,
        first_order,
        last_order,
        region,
        channel,
    };
    let (time_unit, time_unit_guessed) = guess_time_unit(&columns, rows);
    Some(SummaryLayout {
        columns,
        time_unit,
        time_unit_guessed,
        as_of_day: None,
    })
}

/// Days when first/last dates say recency is in days, weeks when they say weeks (not guessed);
/// else weeks if a recency or T has a fraction, days otherwise (guessed).
fn guess_time_unit(columns: &SummaryColumns, rows: &[Vec<String>]) -> (TimeUnit, bool) {
    let number =
        |row: &Vec<String>, i: usize| row.get(i).and_then(|c| c.trim().parse::<f64>().ok());
    if let (Some(first), Some(last)) = (columns.first_order, columns.last_order) {
        for row in rows {
            let day = |i: usize| match row.get(i).map(|c| ingest::parse_date(c, DateOrder::Ymd)) {
                Some(ingest::DateParse::Day(day)) => Some(day),
                _ => None,
            };
            let (Some(first), Some(last), Some(recency)) =
                (day(first), day(last), number(row, columns.recency))
            else {
                continue;
            };
            let span = f64::from(last - first);
            if span > 0.0 && recency > 0.0 {
                let unit = if (span / recency - 7.0).abs() < 0.01 {
                    TimeUnit::Weeks
                } else {
                    TimeUnit::Days
                };
                return (unit, false);
            }
        }
    }
    let fractional = rows.iter().any(|row| {
        [columns.recency, columns.age]
            .iter()
            .filter_map(|i| number(row, *i))
            .any(|v| (v - v.round()).abs() > 1e-9)
    });
    let unit = if fractional {
        TimeUnit::Weeks
    } else {
        TimeUnit::Days
    };
    (unit, true)
}

/// One row's values, checked.
struct Row {
    id: String,
    frequency: u32,
    recency_days: i32,
    age_days: i32,
    monetary: f64,
    orders: Option<u32>,
    revenue: Option<f64>,
    first_order: Option<Day>,
    /// Index into the dataset's regions (0 without a region column).
    region: u32,
    /// Index into the dataset's channels.
    channel: u32,
}

/// Text values interned as they are read (regions, channels).
#[derive(Default)]
struct Names {
    index: FxHashMap<String, u32>,
    table: Interned,
}

impl Names {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(i) = self.index.get(text) {
            return *i;
        }
        let i = self.table.push(text);
        self.index.insert(text.to_string(), i);
        i
    }
}

/// A 64-bit hash of a customer id (the repeated-id check keeps hashes, not copies of the ids).
fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Drops by (reason, column), with up to 5 examples each.
#[derive(Default)]
struct Drops(Vec<DroppedRows>);

impl Drops {
    fn add(&mut self, reason: DropReason, column: &str, line: u64, value: &str) {
        let entry = match self
            .0
            .iter()
            .position(|d| d.reason == reason && d.column == column)
        {
            Some(i) => &mut self.0[i],
            None => {
                self.0.push(DroppedRows {
                    reason,
                    column: column.to_string(),
                    count: 0,
                    examples: Vec::new(),
                });
                let last = self.0.len() - 1;
                &mut self.0[last]
            }
        };
        entry.count += 1;
        if entry.examples.len() < 5 {
            entry
                .examples
                .push((line, value.chars().take(60).collect()));
        }
    }
}

/// Reads a summary file (any encoding and delimiter the transactions accept; the first row is
/// the header) with `layout`, into a dataset whose per-customer aggregates are the rows' (see
/// the module doc), its quality report (rows read, kept, dropped with where and why) and facts.
///
/// A row is left out, with its line, column and value, when its id is empty or repeats an earlier
/// row's, or a number is missing, not a number, negative, not whole where it must be (frequency,
/// orders) or inconsistent (recency above T; repeat purchases without recency). Fails when no
/// row is usable, when the as-of date is neither given nor derivable, or the file is unreadable.
pub fn read_summary(
    bytes: &[u8],
    layout: &SummaryLayout,
) -> Result<(Dataset, QualityReport, SummaryFacts), SummaryError> {
    let table = ingest::WholeTable::read(bytes, 64 * 1024).map_err(|e| SummaryError::Parse {
        line: 1,
        message: e.to_string(),
    })?;
    let mut reader = table.reader();
    let parse_error = |e: csv::Error| SummaryError::Parse {
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    };
    let mut record = csv::StringRecord::new();
    let header = ingest::read_header(&mut reader, &mut record)
        .map_err(parse_error)?
        .ok_or_else(|| SummaryError::Parse {
            line: 1,
            message: "the file is empty".to_string(),
        })?;
    let c = &layout.columns;
    let all = [
        c.customer_id,
        c.frequency,
        c.recency,
        c.age,
        c.monetary_value,
    ];
    if let Some(missing) = all.iter().find(|i| **i >= header.len()) {
        return Err(SummaryError::MissingColumn {
            column: format!("column {}", missing + 1),
            columns: header.join(", "),
        });
    }
    let name = |i: usize| header.get(i).map_or("", String::as_str);
    let days_per_unit = layout.time_unit.days_per_unit();

    let mut drops = Drops::default();
    // Row index by id hash: a hash seen before is a repeated id when the ids are equal (a true
    // collision of two ids, about 1 in 10¹³ for a million customers, keeps both rows).
    let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
    let mut rows: Vec<Row> = Vec::new();
    let (mut regions, mut channels) = (Names::default(), Names::default());
    let mut rows_read = 0u64;
    while reader.read_record(&mut record).map_err(parse_error)? {
        if ingest::is_blank_record(&record) {
            continue;
        }
        rows_read += 1;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        match read_row(&record, c, days_per_unit) {
            Err((reason, column)) => drops.add(reason, name(column), line, cell(column)),
            Ok(mut row) => {
                let hash = id_hash(&row.id);
                let repeated = seen
                    .get(&hash)
                    .and_then(|i| rows.get(*i as usize))
                    .is_some_and(|earlier| earlier.id == row.id);
                if repeated {
                    drops.add(
                        DropReason::RepeatedCustomerId,
                        name(c.customer_id),
                        line,
                        &row.id,
                    );
                } else {
                    seen.entry(hash).or_insert(rows.len() as u32);
                    row.region = c.region.map_or(0, |i| regions.intern(cell(i)));
                    row.channel = c.channel.map_or(0, |i| channels.intern(cell(i)));
                    rows.push(row);
                }
            }
        }
    }
    drop(seen);
    if rows.is_empty() {
        let first = drops.0.first();
        let example = first.and_then(|d| d.examples.first());
        return Err(SummaryError::NoUsableRow {
            dropped: drops.0.iter().map(|d| d.count).sum(),
            line: example.map_or(0, |e| e.0),
            column: first.map_or(String::new(), |d| d.column.clone()),
            value: example.map_or(String::new(), |e| e.1.clone()),
        });
    }

    // The as-of day: given, else first order + T (the latest, if rows disagree).
    let as_of_day = match layout.as_of_day {
        Some(day) => day,
        None => rows
            .iter()
            .filter_map(|r| Some(r.first_order? + r.age_days))
            .max()
            .ok_or(SummaryError::AsOfRequired)?,
    };
    let mut facts = SummaryFacts {
        customers: rows.len() as u64,
        as_of_day,
        time_unit: layout.time_unit,
        revenue_estimated: c.revenue.is_none(),
        orders_estimated: c.orders.is_none(),
        ..SummaryFacts::default()
    };
    let kept = rows.len() as u64;
    let orders: u64 = rows
        .iter()
        .map(|r| u64::from(r.orders.unwrap_or(r.frequency + 1).max(r.frequency + 1)))
        .sum();
    let dataset = synthesize(
        rows,
        regions.table,
        channels.table,
        as_of_day,
        c,
        &mut facts,
    );
    let mut dropped = drops.0;
    dropped.sort_by_key(|d| std::cmp::Reverse(d.count));
    let first_day = dataset.day.iter().copied().min();
    let quality = QualityReport {
        encoding: table.shape.encoding,
        delimiter: table.shape.delimiter,
        rows_read,
        rows_kept: kept,
        dropped,
        exact_duplicates: 0,
        duplicate_examples: Vec::new(),
        missing: Vec::new(),
        returns: ReturnsSummary::default(),
        date_range: first_day.map(|first| (first, as_of_day)),
        customers: kept,
        orders,
        products: 0,
        replaced_characters: 0,
        notes: Vec::new(),
        quote_repairs: Vec::new(),
        far_dates: None,
        summary: Some(facts.clone()),
    };
    Ok((dataset, quality, facts))
}

/// Checks one row; `Err((reason, column index))` names the first bad cell.
fn read_row(
    record: &csv::StringRecord,
    c: &SummaryColumns,
    days_per_unit: f64,
) -> Result<Row, (DropReason, usize)> {
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let bad = |i: usize| (DropReason::BadSummaryValue, i);
    let number = |i: usize| -> Result<f64, (DropReason, usize)> {
        let text = cell(i);
        let value = ingest::parse_amount(text).ok_or_else(|| bad(i))?;
        if (0.0..MAX_PLAUSIBLE_AMOUNT).contains(&value) {
            Ok(value + 0.0)
        } else {
            Err(bad(i))
        }
    };
    let whole = |i: usize| -> Result<u32, (DropReason, usize)> {
        let value = number(i)?;
        if (value - value.round()).abs() > 1e-9 || value > f64::from(u32::MAX / 2) {
            return Err(bad(i));
        }
        Ok(value.round() as u32)
    };
    let days = |value: f64| (value * days_per_unit).round();
    // Exports neutralise text that a spreadsheet would run as a formula with a leading `'`
    // (`'=cmd`): a summary SegScope wrote gets its ids back as they were.
    let written = cell(c.customer_id);
    let id = match written.strip_prefix('\'') {
        Some(rest) if crate::csv_out::neutralize_formula(rest) == written => rest,
        _ => written,
    };
    if id.is_empty() {
        return Err((DropReason::MissingCustomerId, c.customer_id));
    }
    let frequency = whole(c.frequency)?;
    let recency = days(number(c.recency)?);
    let age = days(number(c.age)?);
    if age > 1e5 {
        return Err(bad(c.age));
    }
    if recency > age || (frequency == 0 && recency > 0.0) || (frequency > 0 && recency == 0.0) {
        return Err(bad(c.recency));
    }
    let monetary = number(c.monetary_value)?;
    let orders = match c.orders {
        Some(i) if !cell(i).is_empty() => Some(whole(i)?),
        _ => None,
    };
    let revenue = match c.revenue {
        Some(i) if !cell(i).is_empty() => {
            let value = ingest::parse_amount(cell(i)).ok_or_else(|| bad(i))?;
            if !value.is_finite() || value.abs() >= MAX_PLAUSIBLE_AMOUNT {
                return Err(bad(i));
            }
            Some(value + 0.0)
        }
        _ => None,
    };
    let first_order = match c.first_order {
        Some(i) if !cell(i).is_empty() => match ingest::parse_date(cell(i), DateOrder::Ymd) {
            ingest::DateParse::Day(day) => Some(day),
            _ => return Err((DropReason::BadDate, i)),
        },
        _ => None,
    };
    Ok(Row {
        id: id.to_string(),
        frequency,
        recency_days: recency as i32,
        age_days: age as i32,
        monetary,
        orders,
        revenue,
        first_order,
        region: 0,
        channel: 0,
    })
}

/// A distinct order hash per (customer, order number).
fn order_hash(customer: u32, order: u32) -> u64 {
    let mut hasher = FxHasher::default();
    (customer, order).hash(&mut hasher);
    hasher.finish()
}

/// The value of the last of `x` repeat days worth `m` each, so that the purchase models' mean of
/// the repeat days (summed in day order, then divided by `x`) is exactly `m`: `x` copies of `m`
/// summed in floating point can miss `x × m` by an ulp, and a mean of 43.484999… prints 43.48
/// where the transactions gave 43.49. Tries the sums nearest `x` copies' (a few ulps away).
fn last_repeat_value(m: f64, x: u32) -> f64 {
    if x < 2 {
        return m;
    }
    let before: f64 = (1..x).map(|_| m).sum();
    let divisor = f64::from(x);
    if (before + m) / divisor == m {
        return m;
    }
    // Totals around x × m (one rounding): `total - before` is exact (Sterbenz: they are within
    // a factor 2), so the running sum lands on `total` itself.
    let mut up = m * divisor;
    let mut down = up;
    for step in 0..64 {
        for total in [up, down] {
            let last = total - before;
            if last >= 0.0 && (before + last) / divisor == m {
                return last;
            }
        }
        // Neighbouring doubles of a positive total (`f64::next_up` needs Rust 1.86; MSRV 1.85).
        if step % 2 == 0 {
            up = f64::from_bits(up.to_bits() + 1);
        } else if down > 0.0 {
            down = f64::from_bits(down.to_bits() - 1);
        }
    }
    m
}

/// The synthetic lines of the module doc.
fn synthesize(
    rows: Vec<Row>,
    regions: Interned,
    channels: Interned,
    as_of_day: Day,
    c: &SummaryColumns,
    facts: &mut SummaryFacts,
) -> Dataset {
    let lines: usize = rows
        .iter()
        .map(|r| {
            2 * r.frequency as usize + r.orders.unwrap_or(0).max(r.frequency + 1) as usize
                - r.frequency as usize
        })
        .sum();
    let mut d = Dataset {
        summary_as_of: Some(as_of_day),
        regions,
        channels,
        ..Dataset::default()
    };
    d.customer_ids
        .reserve_exact(rows.len(), rows.iter().map(|r| r.id.len()).sum());
    d.customer.reserve_exact(lines);
    d.day.reserve_exact(lines);
    d.amount.reserve_exact(lines);
    d.order_hash.reserve_exact(lines);
    d.is_exact_duplicate.reserve_exact(lines);
    if c.region.is_some() {
        d.region.reserve_exact(lines);
    }
    if c.channel.is_some() {
        d.channel.reserve_exact(lines);
    }
    for row in rows {
        let customer = d.customer_ids.push(&row.id);
        let region = c.region.map(|_| row.region);
        let channel = c.channel.map(|_| row.channel);
        if row
            .first_order
            .is_some_and(|first| first + row.age_days != as_of_day)
        {
            facts.off_as_of += 1;
        }
        let first_day = as_of_day - row.age_days;
        let x = row.frequency;
        let revenue = row.revenue.unwrap_or(f64::from(x + 1) * row.monetary);
        let orders = row.orders.unwrap_or(x + 1);
        if orders < x + 1 {
            facts.orders_raised += 1;
        }
        if row.recency_days < x as i32 {
            facts.crowded_rows += 1;
        }
        let mut order = 0u32;
        let mut push = |d: &mut Dataset, day: Day, amount: f64, duplicate: bool| {
            d.customer.push(customer);
            d.day.push(day);
            d.amount.push(amount);
            d.order_hash.push(order_hash(customer, order));
            d.is_exact_duplicate.push(duplicate);
            if let Some(region) = region {
                d.region.push(region);
            }
            if let Some(channel) = channel {
                d.channel.push(channel);
            }
            order += 1;
        };
        push(&mut d, first_day, revenue.max(0.0), false);
        for _ in (x + 1)..orders {
            push(&mut d, first_day, 0.0, false);
        }
        let last_value = last_repeat_value(row.monetary, x);
        let mut repeat_days = Vec::with_capacity(x as usize);
        for j in 1..=x {
            let offset = (f64::from(j) * f64::from(row.recency_days) / f64::from(x)).round();
            let day = first_day + offset as Day;
            repeat_days.push(day);
            push(&mut d, day, 0.0, false);
            let value = if j == x { last_value } else { row.monetary };
            push(&mut d, day, value, true);
        }
        if revenue < 0.0 {
            // A net refund (a return of an order from before the data): a return-only order on
            // a day without purchase, so RFM's revenue is the row's while the purchase days and
            // orders stay as they are.
            // Repeat days are sorted: the first day after F that is not one.
            let mut taken = repeat_days.iter().peekable();
            let free = (first_day + 1..=as_of_day).find(|day| {
                while taken.next_if(|t| **t < *day).is_some() {}
                taken.peek() != Some(&day)
            });
            match free {
                Some(day) => push(&mut d, day, revenue, false),
                None => facts.negative_revenue += 1,
            }
        }
    }
    d
}
