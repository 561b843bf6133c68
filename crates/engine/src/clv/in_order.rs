//! Sums of per-row terms computed on two threads and added in row order, so the sums are the
//! same bits as a plain loop's (natively; the browser's worker has one thread).

use std::sync::Mutex;

/// Below this many rows an evaluation stays on one thread (a thread costs more than it saves).
#[cfg(not(target_arch = "wasm32"))]
const MIN_ROWS_PER_THREAD: usize = 10_000;

/// Calls `add(term(i))` for `i` in `0..rows`, in order. With `threads` ≥ 2 and enough rows
/// (natively), the second half's terms are computed on another thread into `scratch` (kept
/// across calls: a fresh buffer would be mapped and faulted in each time) while this thread
/// computes and adds the first half's; the second half's are then added in order. Each term and
/// each addition is the same, so the sums are the same bits with any number of threads.
pub(crate) fn add_in_order<T: Copy + Send>(
    rows: usize,
    threads: usize,
    scratch: &Mutex<Vec<T>>,
    term: impl Fn(usize) -> T + Sync,
    mut add: impl FnMut(T),
) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads >= 2 && rows >= 2 * MIN_ROWS_PER_THREAD {
        let middle = rows / 2;
        let mut buffer = scratch
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let buffer: &mut Vec<T> = &mut buffer;
        let term = &term;
        let ((), second) = crate::parallel::join(
            || (0..middle).for_each(|i| add(term(i))),
            move || {
                buffer.clear();
                buffer.extend((middle..rows).map(term));
                buffer
            },
        );
        second.iter().copied().for_each(&mut add);
        return;
    }
    let _ = (threads, scratch);
    (0..rows).for_each(|i| add(term(i)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Floating-point sums depend on their order: the two-thread sum must be the loop's, bit for
    /// bit, over terms whose sum rounds differently in another order.
    #[test]
    fn two_threads_add_in_the_same_order() {
        let term = |i: usize| 1.0 / (i as f64 + 1.0) * if i % 3 == 0 { 1e8 } else { 1e-3 };
        let rows = 50_001;
        let mut plain = 0.0_f64;
        (0..rows).for_each(|i| plain += term(i));
        let mut reversed = 0.0_f64;
        (0..rows).rev().for_each(|i| reversed += term(i));
        assert_ne!(
            plain.to_bits(),
            reversed.to_bits(),
            "the order must matter here"
        );
        let scratch = Mutex::default();
        for threads in [1, 2, 2] {
            let mut sum = 0.0_f64;
            let mut count = 0;
            add_in_order(rows, threads, &scratch, term, |t| {
                sum += t;
                count += 1;
            });
            assert_eq!((sum.to_bits(), count), (plain.to_bits(), rows));
        }
    }
}
