//! The lines an RFM run uses, its orders, and those lines grouped by customer: the one definition
//! shared by the run itself ([`crate::rfm`]), the customer page and tags ([`crate::customers`])
//! and the segment features and profiles ([`crate::cluster`]).
//!
//! A line takes part when it lies within the common length of the required columns (customer,
//! day, amount, and the order id hash when the file has order ids), is dated on or before the
//! as-of day, has a finite amount, and is not an exact duplicate when the run removes duplicates.
//! An order is the lines of one customer with the same key: the order id hash when the file has
//! order ids, else the day (so same-day lines of one customer without order id are one order).
//! An order is a purchase when [`is_purchase`] says so: a positive net, or a net of exactly 0
//! without a return line (free samples, 100 % coupons). The rest are returns.
//!
//! These are hot loops over 1M–10M lines: one pass per question, zipped columns (no per-line
//! bounds checks on four columns), a counting sort by customer into one index array, and no
//! allocation per customer.

use crate::{Dataset, Day};

/// Whether an order (or a customer's day) of net value `net` is a purchase: its net is positive,
/// or it is exactly 0 and none of its lines is negative (a free sample or a 100 % coupon is an
/// order worth 0; a sale and its return that cancel out are not an order). The one rule, used
/// by RFM, the customer page, tags and the purchase models' summary.
pub(crate) fn is_purchase(net: f64, has_return_line: bool) -> bool {
    let net = net_of(net);
    net > 0.0 || (net == 0.0 && !has_return_line)
}

/// A sum of amounts this close to 0 is 0: binary floating point leaves 0.10 + 0.20 − 0.30 at
/// 5.6e-17, and a sale with its return must net to nothing, not to a purchase (as the warehouse
/// SQL's exact decimals say). Half a millionth of the currency unit: far below any price, far
/// above the rounding error of sums up to 10⁹.
pub(crate) const NET_ZERO: f64 = 5e-7;

/// `sum` with float noise around 0 removed ([`NET_ZERO`]; `-0.0` made `0.0`).
pub(crate) fn net_of(sum: f64) -> f64 {
    if sum.abs() < NET_ZERO {
        0.0
    } else {
        sum + 0.0
    }
}

/// One order as [`RunLines::for_each_order`] hands it over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OrderTotal {
    /// The earliest line day.
    pub(crate) day: Day,
    /// The sum of the line amounts, in file order (`-0.0` made `0.0`).
    pub(crate) net: f64,
    /// Whether the order is a purchase ([`is_purchase`]).
    pub(crate) purchase: bool,
}

/// The lines of `dataset` an RFM run used and how it grouped them into orders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunLines<'a> {
    dataset: &'a Dataset,
    /// Lines to look at: the common length of the required columns.
    len: usize,
    as_of_day: Day,
    remove_duplicates: bool,
}

impl<'a> RunLines<'a> {
    /// The lines of `dataset` a run with this as-of day and duplicate handling uses.
    pub(crate) fn new(dataset: &'a Dataset, as_of_day: Day, remove_duplicates: bool) -> Self {
        Self {
            dataset,
            len: line_count(dataset),
            as_of_day,
            remove_duplicates,
        }
    }

    /// Lines looked at (`0..len()`; the lines taking part are among them).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Calls `f(line, customer, day, amount)` for every line taking part, in file order.
    pub(crate) fn for_each(&self, f: impl FnMut(usize, u32, Day, f64)) {
        self.scan(f);
    }

    /// [`Self::for_each`], returning how many lines were left out only because they are exact
    /// duplicates the run removed.
    fn scan(&self, mut f: impl FnMut(usize, u32, Day, f64)) -> u64 {
        let d = self.dataset;
        let duplicate = d
            .is_exact_duplicate
            .iter()
            .copied()
            .chain(std::iter::repeat(false));
        // Columns cut to `len` (not `take(len)`), so the zip knows its length.
        let (customer, day, amount) = (
            self.column(&d.customer),
            self.column(&d.day),
            self.column(&d.amount),
        );
        let lines = customer.iter().zip(day).zip(amount).zip(duplicate);
        let mut removed_duplicates = 0u64;
        for (line, (((c, day), amount), duplicate)) in lines.enumerate() {
            match self.part(*day, *amount, duplicate) {
                Part::Taken => f(line, *c, *day, *amount),
                Part::RemovedDuplicate => removed_duplicates += 1,
                Part::Left => {}
            }
        }
        removed_duplicates
    }

    /// Whether a line (within `len()`) with this day, amount and duplicate flag takes part: the
    /// one place the rule of the module doc is written.
    #[inline]
    fn part(&self, day: Day, amount: f64, duplicate: bool) -> Part {
        if day > self.as_of_day || !amount.is_finite() {
            Part::Left
        } else if self.remove_duplicates && duplicate {
            Part::RemovedDuplicate
        } else {
            Part::Taken
        }
    }

    /// The first `len()` entries of a line column (all of it when shorter).
    fn column<'c, T>(&self, values: &'c [T]) -> &'c [T] {
        values.get(..self.len).unwrap_or(values)
    }

    /// The lines taking part of customer index `customer`, in file order (one pass over the
    /// customer column; for one customer at a time).
    pub(crate) fn lines_of(&self, customer: u32) -> Vec<u32> {
        let d = self.dataset;
        (0..self.len)
            .filter(|&i| d.customer.get(i) == Some(&customer) && self.takes_part(i))
            .filter_map(|i| u32::try_from(i).ok())
            .collect()
    }

    /// Whether line `i` takes part ([`Self::part`] of its day, amount and duplicate flag).
    fn takes_part(&self, i: usize) -> bool {
        let d = self.dataset;
        let (Some(&day), Some(&amount)) = (d.day.get(i), d.amount.get(i)) else {
            return false;
        };
        let duplicate = d.is_exact_duplicate.get(i).copied().unwrap_or(false);
        i < self.len && self.part(day, amount, duplicate) == Part::Taken
    }

    /// The lines taking part, grouped by customer index: group `c` holds the lines of customer
    /// `c`, for every customer index of the dataset (and any larger one a line names).
    pub(crate) fn by_customer(&self) -> CustomerLines {
        self.grouped(self.customer_groups(), |c| Some(c as usize))
    }

    /// Customer indexes to group by: every one of the dataset, and any larger one a line names.
    pub(crate) fn customer_groups(&self) -> usize {
        self.column(&self.dataset.customer)
            .iter()
            .max()
            .map_or(0, |max| *max as usize + 1)
            .max(self.dataset.customer_count())
    }

    /// The lines taking part, grouped into `groups` groups by `group_of(customer)` (lines whose
    /// customer has no group, or a group past the last, are left out): a counting sort, stable,
    /// so the lines of a group are in file order.
    pub(crate) fn grouped(
        &self,
        groups: usize,
        group_of: impl Fn(u32) -> Option<usize>,
    ) -> CustomerLines {
        // Pass 1 counts...
        let (start, removed_duplicates) = self.group_starts(groups, &group_of, |_| {});
        let running = start.last().copied().unwrap_or(0);
        // ... pass 2 scatters each line's index into its group's range. An index (4 bytes a line)
        // rather than a copy of the line's key, day and amount (24 bytes): this array is the RFM
        // run's largest allocation, made while the dataset is alive (measured: the 1M-row browser
        // worker heap went from 96 to 73 MiB, the 10M-row one from 907 to 684 MiB).
        let mut lines = vec![0u32; running];
        let mut cursor = start.clone();
        self.for_each(|line, c, _, _| {
            let Some(slot) = group_of(c).and_then(|g| cursor.get_mut(g)) else {
                return;
            };
            if let Some(entry) = lines.get_mut(*slot) {
                // A dataset is far below 2³² lines (it would not fit in a wasm32 heap).
                *entry = line as u32;
            }
            *slot += 1;
        });
        drop(cursor);
        CustomerLines {
            start,
            lines,
            removed_duplicates,
        }
    }

    /// The first pass of a counting sort into `groups` groups by `group_of(customer)`: where
    /// each group's lines start (`groups + 1` offsets, the last one the lines counted), calling
    /// `also(line)` for every line taking part; and the lines left out only as removed
    /// duplicates.
    fn group_starts(
        &self,
        groups: usize,
        group_of: &impl Fn(u32) -> Option<usize>,
        mut also: impl FnMut(usize),
    ) -> (Vec<usize>, u64) {
        let mut start = vec![0usize; groups + 1];
        let removed_duplicates = self.scan(|line, c, _, _| {
            if let Some(count) = group_of(c).and_then(|g| start.get_mut(g + 1)) {
                *count += 1;
            }
            also(line);
        });
        let mut running = 0;
        for s in &mut start {
            running += *s;
            *s = running;
        }
        (start, removed_duplicates)
    }

    /// The order key of `line`: its order id hash, else its day (only equality matters).
    fn order_key(&self, line: u32) -> u64 {
        let d = self.dataset;
        let i = line as usize;
        match d.order_hash.get(i) {
            Some(hash) if d.has_order_ids() => *hash,
            _ => u64::from(d.day.get(i).copied().unwrap_or_default() as u32),
        }
    }

    /// Groups one customer's `lines` into orders: sorts them by (order key, line) unless already
    /// sorted by key, and calls `each(order_lines, total)` for every order, with its lines in
    /// file order and its [`OrderTotal`] (the net amount is the sum of the line amounts in file
    /// order, so it is deterministic).
    pub(crate) fn for_each_order(
        &self,
        lines: &mut [u32],
        mut each: impl FnMut(&[u32], OrderTotal),
    ) {
        // Most customers: each line's key, day and amount read once (random reads into the
        // dataset, issued together so their cache misses overlap), beside the line, on the
        // stack; a sort by a key recomputed in every comparison read each line's key about n/2
        // times (measured on 1M lines: the RFM run's order grouping, one thread, 73–90 → 64–70
        // ms). A customer with more lines is sorted in place as before (no copy of its lines:
        // one customer may hold most of a file).
        let d = self.dataset;
        let mut small = [Keyed::default(); 32];
        if let Some(keyed) = small.get_mut(..lines.len()) {
            for (slot, &line) in keyed.iter_mut().zip(lines.iter()) {
                let i = line as usize;
                *slot = Keyed {
                    key: self.order_key(line),
                    line,
                    day_amount: d.day.get(i).copied().zip(d.amount.get(i).copied()),
                };
            }
            if !keyed.is_sorted_by_key(|k| k.key) {
                keyed.sort_unstable_by_key(|k| (k.key, k.line));
                for (line, k) in lines.iter_mut().zip(keyed.iter()) {
                    *line = k.line;
                }
            }
            let keyed = &*keyed;
            walk_orders(
                lines.len(),
                |j| keyed.get(j).map_or(0, |k| k.key),
                |j| keyed.get(j).and_then(|k| k.day_amount),
                |range, total| each(lines.get(range).unwrap_or_default(), total),
            );
            return;
        }
        if !lines.is_sorted_by_key(|&line| self.order_key(line)) {
            lines.sort_unstable_by_key(|&line| (self.order_key(line), line));
        }
        let lines = &*lines;
        walk_orders(
            lines.len(),
            |j| lines.get(j).map_or(0, |&line| self.order_key(line)),
            |j| {
                let i = *lines.get(j)? as usize;
                d.day.get(i).copied().zip(d.amount.get(i).copied())
            },
            |range, total| each(lines.get(range).unwrap_or_default(), total),
        );
    }

    /// Calls `each(customer, order)` for every order of every customer, customer by customer:
    /// the orders [`Self::for_each_order`] gives for each group of [`Self::by_customer`], in the
    /// same order, with the same sums. Returns the number of customer indexes (those groups) and
    /// how many lines were left out only as exact duplicates the run removed.
    ///
    /// Without the index of lines by customer, whose walk reads each line's key, day and amount
    /// at random: the lines of a range of customers are copied, in one pass over the columns
    /// (read in order), into one buffer in customer order, and each customer's lines are read
    /// from there. A range holds at most `gather_lines` lines (24 bytes each), or one customer;
    /// a bit a line says which lines take part, so each range's pass reads the customer column
    /// and the chosen lines only. Measured, the RFM run in wasm (V8 in node, medians of 3): 1M
    /// rows 81–87 → 67–74 ms; 10M 1.54 → 1.30–1.35 s (one range a 2²⁰ lines: 10 passes; with
    /// the columns read again in every pass instead of the bits, no faster than the index).
    pub(crate) fn for_each_customer_orders(
        &self,
        gather_lines: usize,
        mut each: impl FnMut(usize, OrderTotal),
    ) -> (usize, u64) {
        let d = self.dataset;
        let customers = self.customer_groups();
        // Which lines take part, a bit each: the passes below read no other column to know.
        let mut taken = vec![0u64; self.len.div_ceil(64)];
        let (start, removed_duplicates) =
            self.group_starts(customers, &|c| Some(c as usize), |line| {
                if let Some(word) = taken.get_mut(line / 64) {
                    *word |= 1 << (line % 64);
                }
            });
        let running = start.last().copied().unwrap_or(0);
        // The ranges of customers gathered at once: as many customers as fit, at least one.
        let mut ranges = Vec::new();
        // Lines of the widest range: its room is reserved once (growing from a smaller first
        // range doubled it: 2¹⁹ lines, 12.6 MB, for 2¹⁸ used at 1M rows).
        let mut widest = 0;
        let mut from = 0;
        while from < customers {
            let first_line = start.get(from).copied().unwrap_or(running);
            let mut to = from + 1;
            while to < customers
                && start
                    .get(to + 1)
                    .is_some_and(|&end| end - first_line <= gather_lines)
            {
                to += 1;
            }
            widest = widest.max(start.get(to).copied().unwrap_or(running) - first_line);
            ranges.push((from, to));
            from = to;
        }
        let mut gathered: Vec<Gathered> = Vec::with_capacity(widest);
        let mut cursor: Vec<usize> = Vec::new();
        let mut runs = Vec::with_capacity(MAX_RUNS);
        for (from, to) in ranges {
            let first_line = start.get(from).copied().unwrap_or(running);
            let last_line = start.get(to).copied().unwrap_or(running);
            gathered.clear();
            gathered.resize(last_line - first_line, Gathered::default());
            cursor.clear();
            cursor.extend(
                start
                    .get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .map(|s| s - first_line),
            );
            let (low, count) = (from as u32, (to - from) as u32);
            for (line, &c) in self.column(&d.customer).iter().enumerate() {
                // One compare for the range (below `low` wraps around).
                if c.wrapping_sub(low) >= count {
                    continue;
                }
                if taken
                    .get(line / 64)
                    .is_none_or(|word| word >> (line % 64) & 1 == 0)
                {
                    continue;
                }
                let Some(slot) = cursor.get_mut((c - low) as usize) else {
                    continue;
                };
                if let (Some(entry), Some(&day), Some(&amount)) =
                    (gathered.get_mut(*slot), d.day.get(line), d.amount.get(line))
                {
                    // A dataset is far below 2³² lines (it would not fit in a wasm32 heap).
                    let line = line as u32;
                    *entry = Gathered {
                        key: self.order_key(line),
                        amount,
                        day,
                        line,
                    };
                }
                *slot += 1;
            }
            for c in from..to {
                let (Some(&a), Some(&b)) = (start.get(c), start.get(c + 1)) else {
                    continue;
                };
                let Some(lines) = gathered.get_mut(a - first_line..b - first_line) else {
                    continue;
                };
                if walk_runs(lines, &mut runs, |total| each(c, total)) {
                    continue;
                }
                lines.sort_unstable_by_key(|g| (g.key, g.line));
                let lines = &*lines;
                walk_orders(
                    lines.len(),
                    |j| lines.get(j).map_or(0, |g| g.key),
                    |j| lines.get(j).map(|g| (g.day, g.amount)),
                    |_, total| each(c, total),
                );
            }
        }
        (customers, removed_duplicates)
    }
}

/// A line of one customer with what grouping it into orders needs
/// ([`RunLines::for_each_order`]).
#[derive(Debug, Clone, Copy, Default)]
struct Keyed {
    key: u64,
    line: u32,
    /// The line's day and amount (`None` past the end of a column).
    day_amount: Option<(Day, f64)>,
}

/// One line taking part with what grouping it into orders needs
/// ([`RunLines::for_each_customer_orders`]).
#[derive(Debug, Clone, Copy, Default)]
struct Gathered {
    key: u64,
    amount: f64,
    day: Day,
    line: u32,
}

/// Runs of one order key at most, a customer's, that [`walk_runs`] orders.
const MAX_RUNS: usize = 32;

/// The orders of one customer's `lines` (in file order) when each order's lines are one run
/// (consecutive): calls `each(order)` for every order in ascending key order, the orders
/// [`walk_orders`] gives over the lines sorted by (key, line), with the same sums; false (and no
/// call) when a key comes back after another one, or with more than [`MAX_RUNS`] runs.
///
/// Hand-written: an export lists an order's lines together, so the runs [`walk_orders`] finds in
/// file order are the orders, and only the runs (about 5, one key each) need sorting, not the
/// lines (about 10 of 24 bytes each in the benchmark files). The walk of each customer's orders
/// in the wasm RFM run at 10M rows (V8 in node): 232 → 222 ms.
///
/// `runs` is scratch room, kept by the caller from one customer to the next (an array on the
/// stack, filled afresh for every customer, cost more than the walk: 202 → 184 ms with it kept).
fn walk_runs(
    lines: &[Gathered],
    runs: &mut Vec<(u64, OrderTotal)>,
    mut each: impl FnMut(OrderTotal),
) -> bool {
    runs.clear();
    let mut one_run_each = true;
    walk_orders(
        lines.len(),
        |j| lines.get(j).map_or(0, |g| g.key),
        |j| lines.get(j).map(|g| (g.day, g.amount)),
        |range, total| {
            let key = lines.get(range.start).map_or(0, |g| g.key);
            if runs.len() == MAX_RUNS || runs.iter().any(|(k, _)| *k == key) {
                one_run_each = false;
            } else if one_run_each {
                runs.push((key, total));
            }
        },
    );
    if !one_run_each {
        return false;
    }
    // Keys are distinct: any sort gives the one order.
    if !runs.is_sorted_by_key(|(k, _)| *k) {
        runs.sort_unstable_by_key(|(k, _)| *k);
    }
    for (_, total) in runs.iter() {
        each(*total);
    }
    true
}

/// Calls `each(range, order)` for every run of consecutive lines of one order key among `len`
/// lines (an order when they are sorted by key; `key(j)` is the key of line `j`, `day_amount(j)`
/// its day and amount; `range` the run's lines), summing each run's day and net in one walk.
fn walk_orders(
    len: usize,
    key: impl Fn(usize) -> u64,
    day_amount: impl Fn(usize) -> Option<(Day, f64)>,
    mut each: impl FnMut(std::ops::Range<usize>, OrderTotal),
) {
    let mut start = 0;
    while start < len {
        let order_key = key(start);
        let (mut day, mut net, mut has_return_line) = (Day::MAX, 0.0, false);
        let mut end = start;
        while end < len {
            if end > start && key(end) != order_key {
                break;
            }
            if let Some((line_day, amount)) = day_amount(end) {
                day = day.min(line_day);
                net += amount;
                has_return_line |= amount < 0.0;
            }
            end += 1;
        }
        let net = net_of(net);
        let purchase = is_purchase(net, has_return_line);
        each(start..end, OrderTotal { day, net, purchase });
        start = end;
    }
}

/// Whether one line takes part ([`RunLines::part`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// It does.
    Taken,
    /// It would, but it repeats an earlier line exactly and the run removed duplicates.
    RemovedDuplicate,
    /// It does not (after the as-of day, or a non-finite amount).
    Left,
}

/// The common length of the required columns: customer, day, amount, and the order id hash when
/// the file has order ids.
pub(crate) fn line_count(dataset: &Dataset) -> usize {
    let mut n = dataset
        .customer
        .len()
        .min(dataset.day.len())
        .min(dataset.amount.len());
    if dataset.has_order_ids() {
        n = n.min(dataset.order_hash.len());
    }
    n
}

/// A run of consecutive groups of a [`CustomerLines`] ([`CustomerLines::halves_mut`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct GroupsMut<'a> {
    /// `start[k]..start[k + 1]` (minus `offset`) are the lines of this part's group `k`.
    start: &'a [usize],
    offset: usize,
    lines: &'a mut [u32],
}

#[cfg(not(target_arch = "wasm32"))]
impl GroupsMut<'_> {
    /// Number of groups.
    pub(crate) fn groups(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Number of lines in this part's groups.
    pub(crate) fn lines(&self) -> usize {
        self.lines.len()
    }

    /// The line indices of this part's group `group`, to reorder in place.
    pub(crate) fn of_mut(&mut self, group: usize) -> &mut [u32] {
        match (self.start.get(group), self.start.get(group + 1)) {
            (Some(&from), Some(&to)) => self
                .lines
                .get_mut(from - self.offset..to - self.offset)
                .unwrap_or_default(),
            _ => &mut [],
        }
    }
}

/// Lines grouped by customer (or by table row): the lines of group `g` are
/// `lines[start[g]..start[g + 1]]`, in file order until a caller sorts them.
#[derive(Debug, Default)]
pub(crate) struct CustomerLines {
    start: Vec<usize>,
    lines: Vec<u32>,
    /// Read by the RFM run's two-thread grouping (natively) and the tests.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    removed_duplicates: u64,
}

impl CustomerLines {
    /// Number of groups.
    pub(crate) fn groups(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// The line indices of group `group` (empty past the last).
    pub(crate) fn of(&self, group: usize) -> &[u32] {
        match (self.start.get(group), self.start.get(group + 1)) {
            (Some(&from), Some(&to)) => self.lines.get(from..to).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The line indices of group `group`, to reorder in place (empty past the last).
    pub(crate) fn of_mut(&mut self, group: usize) -> &mut [u32] {
        match (self.start.get(group), self.start.get(group + 1)) {
            (Some(&from), Some(&to)) => self.lines.get_mut(from..to).unwrap_or_default(),
            _ => &mut [],
        }
    }

    /// The groups cut in two at group `middle`: each part's `start` offsets (absolute: one
    /// past its last group's end is included) and its lines, to reorder in place on two threads.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn halves_mut(&mut self, middle: usize) -> [GroupsMut<'_>; 2] {
        let middle = middle.min(self.groups());
        let len = self.lines.len();
        let cut = self.start.get(middle).copied().unwrap_or(len).min(len);
        let (low, high) = self.lines.split_at_mut(cut);
        let (first, second) = (
            self.start.get(..=middle).unwrap_or_default(),
            self.start.get(middle..).unwrap_or_default(),
        );
        [
            GroupsMut {
                start: first,
                offset: 0,
                lines: low,
            },
            GroupsMut {
                start: second,
                offset: cut,
                lines: high,
            },
        ]
    }

    /// Lines left out only because they repeat an earlier line exactly and the run removed
    /// duplicates (whatever their group).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn removed_duplicates(&self) -> u64 {
        self.removed_duplicates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Interned;

    /// Lines of customers 1, 0, 1, 0, 1 on days 1, 2, 1, 9, 3; line 2 repeats line 0, line 3 is
    /// after the as-of day 5, line 4 has a NaN amount. Orders 7, 8, 7, 8, 9.
    fn dataset(order_ids: bool) -> Dataset {
        Dataset {
            customer_ids: Interned::from(vec!["a", "b"]),
            customer: vec![1, 0, 1, 0, 1, 0],
            day: vec![1, 2, 1, 9, 3, 2],
            amount: vec![10.0, 5.0, 10.0, 1.0, f64::NAN, 2.5],
            order_hash: if order_ids {
                vec![7, 8, 7, 8, 9, 6]
            } else {
                Vec::new()
            },
            is_exact_duplicate: vec![false, false, true, false, false, false],
            ..Dataset::default()
        }
    }

    /// Orders of one customer with `n` lines against a plain grouping (a map from order key to
    /// its lines in file order, amounts summed in file order): the stack path (≤ 32 lines) and
    /// the in-place one (more), lines given in file order or reversed.
    #[test]
    fn orders_are_the_plain_grouping_on_both_paths() {
        for n in [1usize, 5, 32, 33, 200] {
            for reversed in [false, true] {
                // Order ids cycle through 7 values in a scrambled order; amounts not exactly
                // representable, so the summing order would show.
                let d = Dataset {
                    customer_ids: Interned::from(vec!["a"]),
                    customer: vec![0; n],
                    day: (0..n).map(|i| (i % 11) as Day).collect(),
                    amount: (0..n).map(|i| 0.1 * (i as f64 + 1.0)).collect(),
                    order_hash: (0..n).map(|i| ((i * 5) % 7) as u64 * 1_000_003).collect(),
                    is_exact_duplicate: vec![false; n],
                    ..Dataset::default()
                };
                let run = RunLines::new(&d, 100, false);
                let mut lines: Vec<u32> = (0..n as u32).collect();
                if reversed {
                    lines.reverse();
                }
                let mut expected: std::collections::BTreeMap<u64, Vec<u32>> = Default::default();
                for &line in &lines {
                    expected
                        .entry(d.order_hash[line as usize])
                        .or_default()
                        .push(line);
                }
                let mut got = Vec::new();
                run.for_each_order(&mut lines, |order, total| {
                    got.push((order.to_vec(), total));
                });
                let orders: Vec<Vec<u32>> = got.iter().map(|(o, _)| o.clone()).collect();
                let mut want: Vec<Vec<u32>> = expected.into_values().collect();
                if !reversed || n == 1 {
                    assert_eq!(orders, want, "{n} lines");
                } else {
                    // Not sorted by key: sorted by (key, line), so each order's lines ascend.
                    for order in &mut want {
                        order.sort_unstable();
                    }
                    assert_eq!(orders, want, "{n} lines, reversed");
                }
                for (order, total) in &got {
                    let net: f64 = order.iter().map(|&l| d.amount[l as usize]).sum();
                    let day = order.iter().map(|&l| d.day[l as usize]).min().unwrap();
                    assert_eq!(total.net.to_bits(), net_of(net).to_bits(), "{n}");
                    assert_eq!(total.day, day);
                }
            }
        }
    }

    // Native only: proptest is not there on wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Gathering a range of customers' lines into one buffer gives the orders of the index
        /// by customer, customer by customer, in the same order with the same sums, whatever
        /// the range's size: orders that come back later in the file, lines after the as-of
        /// day, non-finite amounts, removed duplicates, customers without lines.
        #[test]
        fn gathered_orders_are_the_indexed_ones(
            lines in proptest::collection::vec(
                (0u32..9, -3i32..12, -50i32..400, 0u64..6, proptest::bool::weighted(0.1), 0u8..40),
                0..300,
            ),
            order_ids: bool,
            remove_duplicates: bool,
            gather_lines in 1usize..64,
        ) {
            let amount = |cents: i32, odd: u8| match odd {
                0 => f64::NAN,
                1 => f64::INFINITY,
                _ => f64::from(cents) / 100.0 + 0.001 * f64::from(odd),
            };
            let d = Dataset {
                customer_ids: (0..12).map(|i| i.to_string()).collect(),
                customer: lines.iter().map(|l| l.0).collect(),
                day: lines.iter().map(|l| l.1).collect(),
                amount: lines.iter().map(|l| amount(l.2, l.5)).collect(),
                order_hash: if order_ids {
                    lines.iter().map(|l| l.3.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect()
                } else {
                    Vec::new()
                },
                is_exact_duplicate: lines.iter().map(|l| l.4).collect(),
                ..Dataset::default()
            };
            let run = RunLines::new(&d, 9, remove_duplicates);
            let mut by_customer = run.by_customer();
            let mut expected = Vec::new();
            for c in 0..by_customer.groups() {
                run.for_each_order(by_customer.of_mut(c), |_, t| {
                    expected.push((c, t.day, t.net.to_bits(), t.purchase));
                });
            }
            let mut got = Vec::new();
            let (customers, removed) = run.for_each_customer_orders(gather_lines, |c, t| {
                got.push((c, t.day, t.net.to_bits(), t.purchase));
            });
            proptest::prop_assert_eq!(got, expected);
            proptest::prop_assert_eq!(customers, by_customer.groups());
            proptest::prop_assert_eq!(removed, by_customer.removed_duplicates());
        }
    }

    #[test]
    fn lines_after_the_as_of_day_non_finite_and_removed_duplicates_do_not_take_part() {
        let d = dataset(false);
        let kept = RunLines::new(&d, 5, true).by_customer();
        assert_eq!(kept.groups(), 2);
        assert_eq!(kept.of(0), &[1, 5]);
        assert_eq!(kept.of(1), &[0]);
        assert_eq!(kept.removed_duplicates(), 1);
        let with_duplicates = RunLines::new(&d, 5, false).by_customer();
        assert_eq!(with_duplicates.of(1), &[0, 2]);
        assert_eq!(with_duplicates.removed_duplicates(), 0);
        assert_eq!(RunLines::new(&d, 5, true).lines_of(1), vec![0]);
    }

    #[test]
    fn a_shorter_order_id_column_shortens_the_lines_looked_at() {
        let mut d = dataset(true);
        d.order_hash.truncate(5);
        let run = RunLines::new(&d, 10, false);
        assert_eq!(run.len(), 5);
        assert_eq!(run.by_customer().of(0), &[1, 3]);
    }

    #[test]
    fn grouped_leaves_out_customers_without_a_group() {
        let d = dataset(false);
        let rows = RunLines::new(&d, 10, false).grouped(1, |c| (c == 1).then_some(0));
        assert_eq!(rows.groups(), 1);
        assert_eq!(rows.of(0), &[0, 2]);
        assert_eq!(rows.of(1), &[] as &[u32]);
    }

    #[test]
    fn an_order_worth_zero_is_a_purchase_unless_a_return_cancels_it() {
        assert!(is_purchase(0.01, true));
        assert!(is_purchase(0.0, false));
        assert!(!is_purchase(0.0, true));
        assert!(!is_purchase(-5.0, true));
        assert!(!is_purchase(f64::NAN, false));
        // 0.10 + 0.20 − 0.30 is 5.6e-17 in binary floating point: a sale and its return.
        assert!(!is_purchase(0.1 + 0.2 - 0.3, true));
        assert_eq!(net_of(0.1 + 0.2 - 0.3), 0.0);
        assert_eq!(net_of(-1e-12), 0.0);
        assert_eq!(net_of(0.01), 0.01);
    }

    #[test]
    fn orders_group_by_order_id_else_by_day_in_file_order() {
        let d = dataset(true);
        let run = RunLines::new(&d, 10, false);
        let mut lines = vec![3, 5, 1];
        let mut orders = Vec::new();
        run.for_each_order(&mut lines, |order, o| {
            orders.push((order.to_vec(), (o.day, o.net)));
        });
        assert_eq!(orders, vec![(vec![5], (2, 2.5)), (vec![1, 3], (2, 6.0))]);
        let d = dataset(false);
        let run = RunLines::new(&d, 10, false);
        let mut lines = vec![3, 5, 1];
        let mut orders = Vec::new();
        run.for_each_order(&mut lines, |order, _| orders.push(order.to_vec()));
        assert_eq!(orders, vec![vec![1, 5], vec![3]]);
    }
}
