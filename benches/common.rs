//! Shared by the benchmarks: where the public test data lives, loudly.

use std::path::PathBuf;

pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("VERSO_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    assert!(dir.is_dir(), "test data not found at {}: set VERSO_TEST_DATA", dir.display());
    dir
}

/// The lines of a file under the data folder (`set/file`), loudly.
pub fn lines(relative: &str) -> Vec<String> {
    std::fs::read_to_string(data_dir().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .lines()
        .map(str::to_string)
        .collect()
}
