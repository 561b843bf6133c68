//! The native CLI: the browser app's engine over a file on disk, for batch use and benchmarks.
//! The subcommands live in `segscope::cli` (one file each); this is parse, dispatch, exit code.
//! Exit codes: 0 success, 1 the file or the analysis failed, 2 bad command line.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use segscope::cli::{self, Invocation};

    let result = cli::parse(std::env::args_os()).and_then(|invocation| match invocation {
        Invocation::Print(text) => cli::print(&text),
        Invocation::Run(command) => command.run(),
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            error.exit_code()
        }
    }
}

/// The CLI (and clap) is native only; on wasm32 this target builds to nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
