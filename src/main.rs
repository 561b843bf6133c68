//! The page: panic hook, then mount the Leptos app. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    segscope::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the `app` binary is the web page; build it with `trunk build` (see README)");
}
