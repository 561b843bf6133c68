//! The engine's purity is enforced by its dependency tree, not by a comment: no web crate may
//! appear in `cargo tree -p segscope-engine`, for any target.

use std::process::Command;

/// Crates that tie code to a browser or a page.
const WEB_CRATES: [&str; 8] = [
    "leptos",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "gloo",
    "plotters-canvas",
    "console_error_panic_hook",
    "wasm-bindgen-futures",
];

#[test]
fn engine_dependency_tree_holds_no_web_crate() {
    for target in ["wasm32-unknown-unknown", env!("SEGSCOPE_HOST_TARGET")] {
        let out = Command::new(env!("CARGO"))
            .args([
                "tree",
                "--offline",
                "-p",
                "segscope-engine",
                "-e",
                "normal,build",
            ])
            .args(["--prefix", "none", "--target", target])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tree = String::from_utf8_lossy(&out.stdout);
        assert!(tree.contains("segscope-engine"), "{tree}");
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or_default();
            assert!(
                !WEB_CRATES
                    .iter()
                    .any(|w| name == *w || name.starts_with("gloo")),
                "web crate {name} in the engine's tree:\n{tree}"
            );
        }
    }
}
