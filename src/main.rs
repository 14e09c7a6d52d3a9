//! The `verso` command line: parses the arguments, runs the command
//! (`cli`), and turns an error into one line on stderr and exit code 1.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use verso::StoreError;
use verso::session::SessionError;
use verso::store::lock::LockError;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = error.to_string();
            // Many errors already quote their cause ("{path}: {source}").
            for cause in error.chain().skip(1).map(ToString::to_string) {
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            eprintln!("verso: {message}");
            if is_in_use(&error) {
                eprintln!("verso: or run the command again with --wait to wait until it is closed");
            }
            ExitCode::FAILURE
        }
    }
}

/// The project is open in another process: `--wait` would help.
fn is_in_use(error: &anyhow::Error) -> bool {
    let in_use = |store: &StoreError| matches!(store, StoreError::Lock(LockError::InUse { .. }));
    error.chain().any(|cause| {
        cause.downcast_ref::<StoreError>().is_some_and(in_use)
            || matches!(cause.downcast_ref::<SessionError>(), Some(SessionError::Store(store)) if in_use(store))
    })
}

/// `verso show … | head` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
