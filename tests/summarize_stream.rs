//! The streamed `segscope summarize` (chunks, partitions, several files) against the in-memory
//! reference (the whole file read into one `Dataset`, then `summary::summarize`, behind the
//! hidden `--in-memory`): byte-identical CSV and the same JSON figures, with tiny chunks and
//! several partitions so every boundary is crossed.
#![cfg(not(target_arch = "wasm32"))] // runs a native binary
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory for one test, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "segscope-summarize-stream-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn segscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segscope"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .display()
        .to_string()
}

/// Runs `summarize` on `inputs` with `extra` flags and `--json`; returns (exit code, stdout,
/// stderr, the CSV written or "").
fn summarize(
    dir: &Path,
    name: &str,
    inputs: &[&str],
    extra: &[&str],
) -> (i32, String, String, String) {
    let out = dir.join(name).display().to_string();
    let mut args = vec!["summarize"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--out", &out, "--json"]);
    args.extend_from_slice(extra);
    let o = segscope(&args);
    let csv = std::fs::read_to_string(&out).unwrap_or_default();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        csv,
    )
}

/// The streamed path (tiny chunks, 7 partitions, and the defaults) gives the in-memory path's
/// exit code, JSON and CSV bytes for `file`.
#[track_caller]
fn assert_same_as_in_memory(file: &str, extra: &[&str]) {
    let dir = TempDir::new(&file.replace(['/', '.'], "_"));
    let path = fixture(file);
    let reference = summarize(
        &dir.0,
        "memory.csv",
        &[&path],
        &[&["--in-memory"], extra].concat(),
    );
    // Chunks of about one line on the small fixtures (thousands of chunks would only slow the
    // demo file down).
    let small = std::fs::metadata(&path).unwrap().len() < 50_000;
    let tiny: &[&str] = if small {
        &["--chunk-bytes", "64", "--partitions", "3"]
    } else {
        &["--chunk-bytes", "65536", "--partitions", "3"]
    };
    for flags in [
        &["--chunk-bytes", "4096", "--partitions", "7"][..],
        tiny,
        &[][..],
    ] {
        let streamed = summarize(&dir.0, "streamed.csv", &[&path], &[flags, extra].concat());
        assert_eq!(
            reference.0, streamed.0,
            "{file} {flags:?}: exit code\n{}\n{}",
            reference.2, streamed.2
        );
        assert_eq!(reference.1, streamed.1, "{file} {flags:?}: JSON");
        assert!(
            reference.3 == streamed.3,
            "{file} {flags:?}: the CSV differs"
        );
        if reference.0 != 0 {
            assert_eq!(reference.2, streamed.2, "{file} {flags:?}: the error");
        }
    }
}

#[test]
fn the_demo_file_streamed_is_the_in_memory_summary() {
    assert_same_as_in_memory("public/demo/transactions.csv", &[]);
    assert_same_as_in_memory(
        "public/demo/transactions.csv",
        &["--as-of", "2024-03-31", "--time-unit", "weeks"],
    );
    assert_same_as_in_memory("public/demo/transactions.csv", &["--keep-duplicates"]);
}

#[test]
fn fixtures_streamed_are_the_in_memory_summary() {
    for file in [
        // Quoted cells with line breaks and CRLF.
        "tests/fixtures/ingest/quoted_crlf.csv",
        // Returns and exact duplicates.
        "tests/fixtures/ingest/currency_returns_duplicates.csv",
        "tests/fixtures/ingest/zero_and_returns.csv",
        // Drops with reasons; most rows bad (the same refusal); a header only.
        "tests/fixtures/ingest/drops.csv",
        "tests/fixtures/ingest/most_rows_bad.csv",
        "tests/fixtures/ingest/header_only.csv",
        // Encodings.
        "tests/fixtures/ingest/gbk_chinese.csv",
        "tests/fixtures/ingest/basic_utf16le.csv",
        "tests/fixtures/ingest/basic_utf16be.csv",
        "tests/fixtures/ingest/basic_utf8_bom.csv",
        "tests/fixtures/ingest/latin1.csv",
        // Other shapes.
        "tests/fixtures/ingest/no_header.csv",
        "tests/fixtures/ingest/semicolon_dmy.csv",
        "tests/fixtures/ingest/tab.tsv",
        "tests/fixtures/clv/tx_sample.csv",
    ] {
        assert_same_as_in_memory(file, &[]);
    }
}

/// Far dates are decided over the whole input (a histogram of every chunk's days), and a
/// runaway quote is repaired inside one chunk as in the whole file.
#[test]
fn far_dates_and_a_runaway_quote_streamed_are_the_in_memory_summary() {
    let dir = TempDir::new("far");
    let mut text = String::from("customer,date,amount,note\n");
    for i in 0..400 {
        text.push_str(&format!(
            "c{},2023-{:02}-{:02},{}.25,\"n, {i}\"\n",
            i % 37,
            i % 12 + 1,
            i % 28 + 1,
            i % 50 + 1
        ));
        if i == 100 {
            text.push_str("c5,2090-01-01,10,typo\nc99,1901-05-05,3,placeholder\n");
        }
        if i == 300 {
            // Exact duplicates far apart (different chunks).
            text.push_str("c7,2023-04-04,7.5,dup\n");
        }
    }
    text.push_str("c7,2023-04-04,7.5,dup\nc8,2023-05-05,1,\"never closed\nc9,2023-05-06,2,x\n");
    let path = dir.0.join("far.csv");
    std::fs::write(&path, &text).unwrap();
    let file = path.display().to_string();
    for keep in [&[][..], &["--keep-far-dates"][..]] {
        let reference = summarize(
            &dir.0,
            "m.csv",
            &[&file],
            &[&["--in-memory"], keep].concat(),
        );
        assert_eq!(reference.0, 0, "{}", reference.2);
        for chunk in ["64", "512", "4096"] {
            let streamed = summarize(
                &dir.0,
                "s.csv",
                &[&file],
                &[&["--chunk-bytes", chunk, "--partitions", "5"], keep].concat(),
            );
            assert_eq!(reference.1, streamed.1, "{keep:?} {chunk}: JSON");
            assert!(
                reference.3 == streamed.3,
                "{keep:?} {chunk}: the CSV differs"
            );
        }
    }
}

/// The demo file cut into three parts (a folder of monthly exports, one with its columns in
/// another order) gives the whole file's summary.
#[test]
fn three_parts_and_a_folder_are_the_whole_file() {
    let dir = TempDir::new("parts");
    let whole = std::fs::read_to_string(fixture("public/demo/transactions.csv")).unwrap();
    let mut lines = whole.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.collect();
    let third = body.len() / 3;
    let parts = [&body[..third], &body[third..2 * third], &body[2 * third..]];
    let folder = dir.0.join("exports");
    std::fs::create_dir_all(&folder).unwrap();
    let mut names = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let path = folder.join(format!("2024-0{}.csv", i + 1));
        let text = if i == 1 {
            // customer_id,order_id,date,amount,product,region,channel → reversed columns.
            let reversed = |line: &str| line.split(',').rev().collect::<Vec<_>>().join(",");
            let mut t = reversed(header) + "\n";
            for line in *part {
                t.push_str(&reversed(line));
                t.push('\n');
            }
            t
        } else {
            format!("{header}\n{}\n", part.join("\n"))
        };
        std::fs::write(&path, text).unwrap();
        names.push(path.display().to_string());
    }
    let reference = summarize(
        &dir.0,
        "m.csv",
        &[&fixture("public/demo/transactions.csv")],
        &["--in-memory"],
    );
    assert_eq!(reference.0, 0);
    let named: Vec<&str> = names.iter().map(String::as_str).collect();
    let streamed = summarize(
        &dir.0,
        "s.csv",
        &named,
        &["--chunk-bytes", "4096", "--partitions", "4"],
    );
    assert_eq!(reference.1, streamed.1, "three files: JSON\n{}", streamed.2);
    assert!(reference.3 == streamed.3, "three files: the CSV differs");
    let folder_arg = folder.display().to_string();
    let from_folder = summarize(&dir.0, "f.csv", &[&folder_arg], &[]);
    assert_eq!(reference.1, from_folder.1, "folder: JSON");
    assert!(reference.3 == from_folder.3, "folder: the CSV differs");
}

#[test]
fn a_file_without_the_first_files_columns_is_refused_by_name() {
    let dir = TempDir::new("refused");
    let a = dir.0.join("a.csv");
    let b = dir.0.join("b.csv");
    std::fs::write(
        &a,
        "customer_id,date,amount\nc1,2024-01-01,5\nc2,2024-01-02,6\n",
    )
    .unwrap();
    std::fs::write(&b, "client,date,amount\nc1,2024-02-01,5\n").unwrap();
    let (code, _, stderr, _) = summarize(
        &dir.0,
        "s.csv",
        &[&a.display().to_string(), &b.display().to_string()],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("b.csv") && stderr.contains("\"customer_id\""),
        "{stderr}"
    );
    // No temporary files left next to the output.
    let left: Vec<_> = std::fs::read_dir(&dir.0)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".segscope"))
        .collect();
    assert!(left.is_empty());
}
