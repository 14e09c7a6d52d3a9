//! The list of recently opened projects shown on the start screen, kept in
//! a small JSON file in the user's configuration folder (never in a project).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const MAX_RECENT: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum RecentError {
    #[error("{path}: cannot save the recent-projects list: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct RecentProject {
    pub path: String,
    pub name: String,
    /// Whether the file is still there; missing ones are shown greyed out.
    pub exists: bool,
}

/// Reads the list; a missing or unreadable list is simply empty, since
/// losing it costs the user nothing they cannot redo.
pub fn load(list: &Path) -> Vec<RecentProject> {
    let paths: Vec<String> =
        std::fs::read(list).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    paths
        .into_iter()
        .map(|path| {
            let p = Path::new(&path);
            RecentProject {
                name: p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| path.clone()),
                exists: p.is_file(),
                path,
            }
        })
        .collect()
}

/// Moves `project` to the top of the list and writes it atomically.
pub fn remember(list: &Path, project: &Path) -> Result<Vec<RecentProject>, RecentError> {
    let project = std::fs::canonicalize(project).unwrap_or_else(|_| project.to_path_buf());
    let project = project.to_string_lossy().into_owned();
    let mut paths: Vec<String> = load(list).into_iter().map(|r| r.path).filter(|p| *p != project).collect();
    paths.insert(0, project);
    paths.truncate(MAX_RECENT);
    let error = |source| RecentError::Write { path: list.to_path_buf(), source };
    if let Some(parent) = list.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    let temporary = list.with_extension("json.tmp");
    let json = serde_json::to_vec_pretty(&paths).map_err(|e| error(std::io::Error::other(e)))?;
    std::fs::write(&temporary, json).map_err(error)?;
    std::fs::rename(&temporary, list).map_err(error)?;
    Ok(load(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_projects_come_first_without_duplicates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let list = dir.path().join("config/recent.json");
        let a = dir.path().join("a.verso");
        let b = dir.path().join("b.verso");
        std::fs::write(&a, b"").expect("a");
        remember(&list, &a).expect("a");
        remember(&list, &b).expect("b");
        let recent = remember(&list, &a).expect("a again");
        let names: Vec<_> = recent.iter().map(|r| (r.name.as_str(), r.exists)).collect();
        assert_eq!(names, vec![("a", true), ("b", false)]);
    }
}
