//! Tells the purity test which target the native build is for.
fn main() {
    let host = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=SEGSCOPE_HOST_TARGET={host}");
}
