//! The Web Worker: panic hook, then serve requests. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    segscope::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the `worker` binary runs in the browser; build it with `trunk build` (see README)");
}
