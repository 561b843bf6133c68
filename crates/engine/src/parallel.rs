//! Two pieces of work at once, natively (the browser's worker has one thread: wasm32's `std`
//! cannot spawn). The engine splits a few long loops in two this way (the customer summary,
//! scoring, the likelihoods' terms, the ingest's duplicate search) and keeps their results
//! bit for bit those of one thread.

/// Runs `first` on this thread and `second` on a scoped thread at the same time, and returns
/// both results. A panic in either is raised again here, as it would be on one thread (the
/// shape of `rayon::join`, without a thread pool: each call spawns one thread, about 20–50 µs,
/// so callers split only work much longer than that).
#[cfg(not(target_arch = "wasm32"))]
pub fn join<A, B>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B)
where
    B: Send,
{
    std::thread::scope(|scope| {
        let other = scope.spawn(second);
        let first = first();
        let second = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_come_back_in_place() {
        let data: Vec<u64> = (1..=1000).collect();
        let (low, high) = data.split_at(500);
        let (a, b) = join(|| low.iter().sum::<u64>(), || high.iter().sum::<u64>());
        assert_eq!((a, b), (125_250, 375_250));
    }

    #[test]
    fn a_panic_on_the_other_thread_is_raised_here() {
        let caught = std::panic::catch_unwind(|| join(|| 1, || -> u8 { panic!("second half") }));
        let message = caught.unwrap_err();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"second half"));
    }
}
