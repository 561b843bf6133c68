//! Cross-sell recommendations by item-to-item collaborative filtering over customers' baskets,
//! and their evaluation on each customer's hidden last basket against a most-popular baseline.
//!
//! The definitions (mirrored by `tests/fixtures/baskets/reference_recommend.py`):
//! - `H(u)`: the items of customer `u`'s baskets; `n(i)`: customers with `i` in `H`; `co(i, j)`:
//!   customers with both; `cos(i, j) = co / √(n(i)·n(j))` (the product taken in integers).
//! - Neighbours of `i`: the `M` items `j ≠ i` with `co > 0` of highest cosine (ties by name).
//! - `score(u, j) = Σ_{i ∈ H(u)} cos(i, j)` over the neighbour lists, summed in name order of `i`,
//!   for `j ∉ H(u)` (unless repeat purchases are wanted); ranked by score, then `n(j)`, then
//!   name; lists shorter than `k` are filled from the most-popular ranking.
//! - The reason of a recommendation: the item of `H(u)` with the largest cosine to it, and the
//!   customers who bought both.
//! - Evaluation: customers with two baskets or more hide their last one (by day, then first line);
//!   the model is built from every other basket; the relevant items are the hidden basket's
//!   items not in `H(u)` (all of them with repeat purchases); customers with none are skipped.
//!   Hit rate, precision, recall and NDCG at `k` (binary relevance), and catalogue coverage.

use serde::{Deserialize, Serialize};

use super::{BasketError, RecommendParams, Transactions};

/// Customers with more distinct items than this are left out of the co-occurrence counts (they
/// still get recommendations and count in the popularity).
pub const MAX_HISTORY_FOR_PAIRS: usize = 2_000;

/// Items per customer, compressed rows over the dataset's customer indices.
#[derive(Debug, Clone, Default, PartialEq)]
struct Histories {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Histories {
    /// The distinct items of each customer's baskets, leaving out basket `b` when `skip(b)`.
    fn build(t: &Transactions, customers: usize, skip: impl Fn(usize) -> bool) -> Self {
        let mut start = vec![0u32; customers + 1];
        let mut items = Vec::with_capacity(t.item_occurrences());
        let mut b = 0;
        for c in 0..customers {
            let from = items.len();
            while b < t.len() && t.customer.get(b).is_some_and(|&x| x as usize == c) {
                if !skip(b) {
                    items.extend_from_slice(t.basket(b));
                }
                b += 1;
            }
            if let Some(tail) = items.get_mut(from..) {
                tail.sort_unstable();
            }
            let mut w = from;
            for r in from..items.len() {
                if r == from || items.get(r) != items.get(w - 1) {
                    items.swap(w, r);
                    w += 1;
                }
            }
            items.truncate(w);
            if let Some(s) = start.get_mut(c + 1) {
                *s = items.len() as u32;
            }
        }
        Self { start, items }
    }

    fn of(&self, c: usize) -> &[u32] {
        match (self.start.get(c), self.start.get(c + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    fn customers(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Customers left out of the co-occurrence counts ([`MAX_HISTORY_FOR_PAIRS`]).
    fn heavy(&self) -> u64 {
        (0..self.customers())
            .filter(|&c| self.of(c).len() > MAX_HISTORY_FOR_PAIRS)
            .count() as u64
    }
}

/// The item-to-item model: each item's neighbours with their cosine and shared customers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemModel {
    /// Customers who bought each item (`n(i)`).
    pub customers_with: Vec<u32>,
    start: Vec<u32>,
    neighbour: Vec<u32>,
    cosine: Vec<f64>,
    together: Vec<u32>,
    /// Items by popularity: `n(i)` descending, then name; only items someone bought.
    popular: Vec<u32>,
}

impl ItemModel {
    fn build(h: &Histories, items: usize, m: usize) -> Self {
        let mut customers_with = vec![0u32; items];
        for &i in &h.items {
            if let Some(n) = customers_with.get_mut(i as usize) {
                *n += 1;
            }
        }
        // Item → customers (transpose).
        let mut by_item_start = vec![0u32; items + 1];
        for (i, n) in customers_with.iter().enumerate() {
            if let Some(s) = by_item_start.get(i).copied() {
                if let Some(next) = by_item_start.get_mut(i + 1) {
                    *next = s + n;
                }
            }
        }
        let mut cursor = by_item_start.clone();
        let mut by_item = vec![0u32; h.items.len()];
        for c in 0..h.customers() {
            for &i in h.of(c) {
                if let Some(slot) = cursor.get_mut(i as usize) {
                    if let Some(e) = by_item.get_mut(*slot as usize) {
                        *e = c as u32;
                    }
                    *slot += 1;
                }
            }
        }
        drop(cursor);
        let mut count = vec![0u32; items];
        let mut touched: Vec<u32> = Vec::new();
        let mut model = Self {
            start: Vec::with_capacity(items + 1),
            ..Self::default()
        };
        model.start.push(0);
        let mut row: Vec<(f64, u32, u32)> = Vec::new();
        for i in 0..items {
            let (a, b) = (
                by_item_start.get(i).copied().unwrap_or(0) as usize,
                by_item_start.get(i + 1).copied().unwrap_or(0) as usize,
            );
            for &c in by_item.get(a..b).unwrap_or_default() {
                let history = h.of(c as usize);
                // A customer with thousands of distinct items (a guest account, a wholesaler)
                // would cost the square of that and say little about what goes together.
                if history.len() > MAX_HISTORY_FOR_PAIRS {
                    continue;
                }
                for &j in history {
                    if j as usize == i {
                        continue;
                    }
                    if let Some(n) = count.get_mut(j as usize) {
                        if *n == 0 {
                            touched.push(j);
                        }
                        *n += 1;
                    }
                }
            }
            row.clear();
            let n_i = u64::from(customers_with.get(i).copied().unwrap_or(0));
            for &j in &touched {
                let co = count.get(j as usize).copied().unwrap_or(0);
                let n_j = u64::from(customers_with.get(j as usize).copied().unwrap_or(0));
                let cos = f64::from(co) / ((n_i * n_j) as f64).sqrt();
                row.push((cos, j, co));
                if let Some(n) = count.get_mut(j as usize) {
                    *n = 0;
                }
            }
            touched.clear();
            let best_first =
                |x: &(f64, u32, u32), y: &(f64, u32, u32)| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1));
            if row.len() > m && m > 0 {
                row.select_nth_unstable_by(m - 1, best_first);
                row.truncate(m);
            }
            row.sort_unstable_by(best_first);
            row.truncate(m);
            for &(cos, j, co) in &row {
                model.neighbour.push(j);
                model.cosine.push(cos);
                model.together.push(co);
            }
            model.start.push(model.neighbour.len() as u32);
        }
        let mut popular: Vec<u32> = (0..items as u32)
            .filter(|&i| customers_with.get(i as usize).is_some_and(|&n| n > 0))
            .collect();
        popular.sort_unstable_by_key(|&i| {
            (
                std::cmp::Reverse(customers_with.get(i as usize).copied().unwrap_or(0)),
                i,
            )
        });
        model.popular = popular;
        model.customers_with = customers_with;
        model
    }

    /// The neighbours of item `i`: (item, cosine, customers who bought both), best first.
    pub fn neighbours(&self, i: u32) -> impl Iterator<Item = (u32, f64, u32)> + '_ {
        let (a, b) = (
            self.start.get(i as usize).copied().unwrap_or(0) as usize,
            self.start.get(i as usize + 1).copied().unwrap_or(0) as usize,
        );
        (a..b).filter_map(|e| {
            Some((
                *self.neighbour.get(e)?,
                *self.cosine.get(e)?,
                *self.together.get(e)?,
            ))
        })
    }
}

/// One recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The item.
    pub item: u32,
    /// Its score (the summed cosine; 0 for a popular fill).
    pub score: f64,
    /// The bought item closest to it, and the customers who bought both; `None` for a popular
    /// fill.
    pub because: Option<(u32, u32)>,
}

/// Scratch space of one scoring pass, reused across customers.
struct Scratch {
    score: Vec<f64>,
    best: Vec<(f64, u32, u32)>,
    owned: Vec<bool>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(items: usize) -> Self {
        Self {
            score: vec![0.0; items],
            best: vec![(f64::NEG_INFINITY, 0, 0); items],
            owned: vec![false; items],
            touched: Vec::new(),
        }
    }
}

/// The top `k` for a customer who bought `history` (ascending), by the model, else by popularity.
fn recommend(
    model: &ItemModel,
    history: &[u32],
    k: usize,
    repeat: bool,
    popular_only: bool,
    s: &mut Scratch,
    out: &mut Vec<Recommendation>,
) {
    out.clear();
    for &i in history {
        if let Some(o) = s.owned.get_mut(i as usize) {
            *o = true;
        }
    }
    if !popular_only {
        for &i in history {
            for (j, cos, co) in model.neighbours(i) {
                let ju = j as usize;
                if !repeat && s.owned.get(ju).copied().unwrap_or(false) {
                    continue;
                }
                if let (Some(score), Some(best)) = (s.score.get_mut(ju), s.best.get_mut(ju)) {
                    if *score == 0.0 && best.0 == f64::NEG_INFINITY {
                        s.touched.push(j);
                    }
                    *score += cos;
                    if cos > best.0 {
                        *best = (cos, i, co);
                    }
                }
            }
        }
        let mut ranked: Vec<(f64, u32, u32)> = s
            .touched
            .iter()
            .filter_map(|&j| {
                let score = *s.score.get(j as usize)?;
                (score > 0.0).then(|| {
                    (
                        score,
                        model.customers_with.get(j as usize).copied().unwrap_or(0),
                        j,
                    )
                })
            })
            .collect();
        ranked.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
        for &(score, _, j) in ranked.iter().take(k) {
            let best = s.best.get(j as usize).copied();
            out.push(Recommendation {
                item: j,
                score,
                because: best.map(|(_, i, co)| (i, co)),
            });
        }
        for &j in &s.touched {
            if let (Some(score), Some(best)) =
                (s.score.get_mut(j as usize), s.best.get_mut(j as usize))
            {
                *score = 0.0;
                *best = (f64::NEG_INFINITY, 0, 0);
            }
        }
        s.touched.clear();
    }
    for &j in &model.popular {
        if out.len() >= k {
            break;
        }
        let owned = s.owned.get(j as usize).copied().unwrap_or(false);
        if (!repeat && owned) || out.iter().any(|r| r.item == j) {
            continue;
        }
        out.push(Recommendation {
            item: j,
            score: 0.0,
            because: None,
        });
    }
    for &i in history {
        if let Some(o) = s.owned.get_mut(i as usize) {
            *o = false;
        }
    }
}

/// The scores of one method at `k`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MethodScores {
    /// Share of evaluated customers with a hidden item among the `k`.
    pub hit_rate: f64,
    /// Mean share of the `k` that were hidden items.
    pub precision: f64,
    /// Mean share of the hidden items among the `k`.
    pub recall: f64,
    /// Mean normalised discounted cumulative gain.
    pub ndcg: f64,
    /// Distinct items recommended / items bought by someone.
    pub coverage: f64,
}

/// The evaluation on hidden last baskets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Recommendations per customer scored.
    pub k: usize,
    /// Customers with two baskets or more (their last one hidden).
    pub held_out: u64,
    /// Held-out customers whose hidden basket had a new item (scored).
    pub evaluated: u64,
    /// Held-out customers whose hidden basket held only items they had bought before.
    pub skipped_nothing_new: u64,
    /// Item-to-item collaborative filtering.
    pub model: MethodScores,
    /// Most popular items the customer has not bought.
    pub popular: MethodScores,
}

impl Evaluation {
    /// Whether the model beats the baseline on hit rate and NDCG.
    pub fn beats_baseline(&self) -> bool {
        self.model.hit_rate > self.popular.hit_rate && self.model.ndcg > self.popular.ndcg
    }
}

/// The recommendation model over every basket, with its evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommender {
    /// Settings used.
    pub params: RecommendParams,
    histories: Histories,
    /// The model over every basket.
    pub model: ItemModel,
    /// The evaluation, when asked for and possible.
    pub evaluation: Option<Evaluation>,
    /// The evaluation was asked for, but no customer has a later basket with a new item.
    pub evaluation_unavailable: bool,
    /// Customers left out of the co-occurrence counts ([`MAX_HISTORY_FOR_PAIRS`]).
    pub heavy_customers: u64,
}

impl Recommender {
    /// Builds the model from every basket of `t` (`customers` = the dataset's customer count),
    /// and evaluates it when `params.evaluate`.
    pub fn fit(
        t: &Transactions,
        customers: usize,
        params: &RecommendParams,
    ) -> Result<Self, BasketError> {
        params.check()?;
        if t.len() < 2 {
            return Err(BasketError::TooFewBaskets {
                baskets: t.len() as u64,
            });
        }
        let (evaluation, evaluation_unavailable) = if params.evaluate {
            match evaluate(t, customers, params) {
                Ok(e) => (Some(e), false),
                // The recommendations stand without their check; the report says why.
                Err(BasketError::NothingToEvaluate) => (None, true),
                Err(e) => return Err(e),
            }
        } else {
            (None, false)
        };
        let histories = Histories::build(t, customers, |_| false);
        let model = ItemModel::build(&histories, t.items.len(), params.neighbours);
        Ok(Self {
            params: params.clone(),
            heavy_customers: histories.heavy(),
            histories,
            model,
            evaluation,
            evaluation_unavailable,
        })
    }

    /// Calls `each(customer, recommendations)` for every customer who bought something, in
    /// customer index order.
    pub fn for_each(&self, each: impl FnMut(u32, &[Recommendation])) {
        self.for_customers(0..self.histories.customers() as u32, each);
    }

    /// [`Self::for_each`] over `customers`, in their order (customers without a basket skipped).
    pub fn for_customers(
        &self,
        customers: impl IntoIterator<Item = u32>,
        mut each: impl FnMut(u32, &[Recommendation]),
    ) {
        let mut scratch = Scratch::new(self.model.customers_with.len());
        let mut out = Vec::with_capacity(self.params.k);
        for c in customers {
            let c = c as usize;
            let history = self.histories.of(c);
            if history.is_empty() {
                continue;
            }
            recommend(
                &self.model,
                history,
                self.params.k,
                self.params.repeat_purchases,
                false,
                &mut scratch,
                &mut out,
            );
            each(c as u32, &out);
        }
    }

    /// Customers with recommendations.
    pub fn customers(&self) -> u64 {
        (0..self.histories.customers())
            .filter(|&c| !self.histories.of(c).is_empty())
            .count() as u64
    }
}

/// Hides each repeat customer's last basket, fits on the rest and scores both methods.
fn evaluate(
    t: &Transactions,
    customers: usize,
    params: &RecommendParams,
) -> Result<Evaluation, BasketError> {
    // The last basket of each customer with two or more.
    let mut hidden = vec![u32::MAX; customers];
    let mut baskets_of = vec![0u32; customers];
    for (b, &c) in t.customer.iter().enumerate() {
        if let (Some(h), Some(n)) = (hidden.get_mut(c as usize), baskets_of.get_mut(c as usize)) {
            *h = b as u32;
            *n += 1;
        }
    }
    for (h, &n) in hidden.iter_mut().zip(&baskets_of) {
        if n < 2 {
            *h = u32::MAX;
        }
    }
    let is_hidden = |b: usize| {
        t.customer
            .get(b)
            .and_then(|&c| hidden.get(c as usize))
            .is_some_and(|&h| h as usize == b)
    };
    let training = Histories::build(t, customers, is_hidden);
    let model = ItemModel::build(&training, t.items.len(), params.neighbours);
    let k = params.k;
    let catalogue = model.popular.len().max(1) as f64;
    let mut scratch = Scratch::new(t.items.len());
    let mut out = Vec::with_capacity(k);
    let (mut held_out, mut evaluated, mut skipped) = (0u64, 0u64, 0u64);
    let mut sums = [[0.0f64; 4]; 2];
    let mut covered = [vec![false; t.items.len()], vec![false; t.items.len()]];
    let mut relevant = Vec::new();
    for (c, &h) in hidden.iter().enumerate() {
        if h == u32::MAX {
            continue;
        }
        held_out += 1;
        let history = training.of(c);
        relevant.clear();
        relevant.extend(
            t.basket(h as usize)
                .iter()
                .copied()
                .filter(|i| params.repeat_purchases || history.binary_search(i).is_err()),
        );
        if relevant.is_empty() {
            skipped += 1;
            continue;
        }
        evaluated += 1;
        for (m, popular_only) in [(0usize, false), (1, true)] {
            recommend(
                &model,
                history,
                k,
                params.repeat_purchases,
                popular_only,
                &mut scratch,
                &mut out,
            );
            let (mut hits, mut dcg) = (0usize, 0.0f64);
            for (rank, r) in out.iter().enumerate() {
                if let Some(seen) = covered.get_mut(m).and_then(|v| v.get_mut(r.item as usize)) {
                    *seen = true;
                }
                if relevant.binary_search(&r.item).is_ok() {
                    hits += 1;
                    dcg += 1.0 / ((rank + 2) as f64).log2();
                }
            }
            let ideal: f64 = (0..k.min(relevant.len()))
                .map(|rank| 1.0 / ((rank + 2) as f64).log2())
                .sum();
            if let Some(s) = sums.get_mut(m) {
                s[0] += f64::from(u8::from(hits > 0));
                s[1] += hits as f64 / k as f64;
                s[2] += hits as f64 / relevant.len() as f64;
                s[3] += dcg / ideal;
            }
        }
    }
    if evaluated == 0 {
        return Err(BasketError::NothingToEvaluate);
    }
    let scores = |m: usize| {
        let s = sums.get(m).copied().unwrap_or_default();
        let e = evaluated as f64;
        MethodScores {
            hit_rate: s[0] / e,
            precision: s[1] / e,
            recall: s[2] / e,
            ndcg: s[3] / e,
            coverage: covered
                .get(m)
                .map_or(0, |v| v.iter().filter(|&&x| x).count()) as f64
                / catalogue,
        }
    };
    Ok(Evaluation {
        k,
        held_out,
        evaluated,
        skipped_nothing_new: skipped,
        model: scores(0),
        popular: scores(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baskets::itemsets::tests_support::transactions;

    #[test]
    fn a_customer_gets_the_neighbours_of_what_they_bought_with_a_reason() {
        // Customers 0..4 (one basket each): a and b go together thrice; c is popular alone.
        let t = transactions(&[&[0, 1], &[0, 1], &[0, 1, 2], &[2, 3], &[0]]);
        let mut p = RecommendParams::new();
        p.k = 2;
        p.evaluate = false;
        let r = Recommender::fit(&t, 5, &p).unwrap();
        let mut got = Vec::new();
        r.for_each(|c, recs| got.push((c, recs.to_vec())));
        // Customer 4 bought a: b first (cos 3/√(4·3)), then c (1/√(4·3)).
        let (_, recs) = &got[4];
        assert_eq!(recs[0].item, 1);
        assert_eq!(recs[0].because, Some((0, 3)));
        assert!((recs[0].score - 3.0 / 12f64.sqrt()).abs() < 1e-12);
        assert_eq!(recs[1].item, 2);
        assert_eq!(r.customers(), 5);
    }
}
