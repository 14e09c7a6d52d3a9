//! The text form of a team project: what its Git repository holds.
//!
//! Designed so that merging two people's work is a union of files:
//! - `verso-team.json` says which version of this form the repository uses;
//! - `documents/D/document.json` is a document's structure (passages and
//!   segments with their shared ids), written once by whoever shared it;
//! - `documents/D/revisions/W.jsonl` and `documents/D/comments/W.jsonl`
//!   hold the records writer `W` (one person on one machine) created, one
//!   JSON object per line, in the order they were made.
//!
//! Only one writer ever writes a file, so two clones never change the same
//! lines: Git merges every sync without a conflict, and a record, once
//! pushed, is never rewritten. The same project always gives the same
//! bytes, so an unchanged project makes no commit.
//!
//! Shared ids are `W-N`: the writer's id and its local row number, unique
//! across every clone without asking anyone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::document::PassageKind;

/// The version of the form this build writes; a repository with a higher
/// one is refused rather than half-read.
pub const FORMAT: u32 = 1;

pub const MARKER: &str = "verso-team.json";

#[derive(Debug, thiserror::Error)]
pub enum TeamFormError {
    #[error("this repository is not a Verso team project (it has no {MARKER})")]
    NotAProject,
    #[error(
        "this team project was written by a newer Verso (form {found}; this one reads up to {FORMAT}); update Verso"
    )]
    Newer { found: u32 },
    #[error("{path}, line {line}: {message}")]
    Record { path: String, line: usize, message: String },
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Marker {
    format: u32,
}

/// A shared document's structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDocument {
    pub id: String,
    pub title: String,
    pub source_lang: String,
    pub target_lang: String,
    pub origin: String,
    pub format: String,
    pub passages: Vec<SharedPassage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedPassage {
    pub kind: PassageKind,
    pub level: u8,
    pub segments: Vec<SharedSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSegment {
    pub id: String,
    pub source: String,
}

/// One revision of a segment: a translation, a status change, a review
/// decision. `merges` names the other heads a person chose between when
/// resolving a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedRevision {
    pub id: String,
    pub segment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<String>,
    pub text: String,
    pub status: String,
    pub author: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedComment {
    pub id: String,
    pub segment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    pub author: String,
    pub text: String,
    pub at: String,
}

/// Everything a team project shares, as records; the files are its
/// serialisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedProject {
    pub documents: Vec<SharedDocument>,
    /// By document id.
    pub revisions: BTreeMap<String, Vec<SharedRevision>>,
    pub comments: BTreeMap<String, Vec<SharedComment>>,
}

/// The writer part of a shared id (`W` of `W-N`).
pub fn writer_of(id: &str) -> &str {
    id.rsplit_once('-').map_or(id, |(writer, _)| writer)
}

/// The counter part of a shared id, for ordering one writer's records.
fn counter_of(id: &str) -> u64 {
    id.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).unwrap_or(0)
}

/// Repository path → file contents.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The files of `project` that `writer` writes: the documents it shared
/// and its own records. Other writers' files are never produced here, so a
/// sync can only add to what others pushed.
pub fn files_of(project: &SharedProject, writer: &str) -> Files {
    let mut files = Files::new();
    files.insert(MARKER.to_string(), json_line(&Marker { format: FORMAT }));
    for document in project.documents.iter().filter(|d| writer_of(&d.id) == writer) {
        let mut bytes = serde_json::to_vec_pretty(document).expect("a document serialises");
        bytes.push(b'\n');
        files.insert(format!("documents/{}/document.json", document.id), bytes);
    }
    let mut lines = |kind: &str, document: &str, records: Vec<(&str, Vec<u8>)>| {
        let mut mine: Vec<(&str, Vec<u8>)> = records.into_iter().filter(|(id, _)| writer_of(id) == writer).collect();
        if mine.is_empty() {
            return;
        }
        mine.sort_by_key(|(id, _)| counter_of(id));
        let bytes = mine.into_iter().flat_map(|(_, line)| line).collect();
        files.insert(format!("documents/{document}/{kind}/{writer}.jsonl"), bytes);
    };
    for (document, revisions) in &project.revisions {
        lines("revisions", document, revisions.iter().map(|r| (r.id.as_str(), json_line(r))).collect());
    }
    for (document, comments) in &project.comments {
        lines("comments", document, comments.iter().map(|c| (c.id.as_str(), json_line(c))).collect());
    }
    files
}

fn json_line<T: Serialize>(value: &T) -> Vec<u8> {
    let mut line = serde_json::to_vec(value).expect("a record serialises");
    line.push(b'\n');
    line
}

/// Reads a repository's files back into records, refusing a repository
/// that is not a team project or was written by a newer Verso.
pub fn read(files: &Files) -> Result<SharedProject, TeamFormError> {
    let marker = files.get(MARKER).ok_or(TeamFormError::NotAProject)?;
    let marker: Marker = serde_json::from_slice(marker)
        .map_err(|e| TeamFormError::File { path: MARKER.to_string(), message: e.to_string() })?;
    if marker.format > FORMAT {
        return Err(TeamFormError::Newer { found: marker.format });
    }
    let mut project = SharedProject::default();
    for (path, bytes) in files {
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["documents", _, "document.json"] => {
                let document: SharedDocument = serde_json::from_slice(bytes)
                    .map_err(|e| TeamFormError::File { path: path.clone(), message: e.to_string() })?;
                project.documents.push(document);
            }
            ["documents", document, "revisions", _] => {
                let records = records::<SharedRevision>(path, bytes)?;
                project.revisions.entry(document.to_string()).or_default().extend(records);
            }
            ["documents", document, "comments", _] => {
                let records = records::<SharedComment>(path, bytes)?;
                project.comments.entry(document.to_string()).or_default().extend(records);
            }
            // Files a newer Verso of the same form may add are left alone.
            _ => {}
        }
    }
    Ok(project)
}

fn records<T: for<'de> Deserialize<'de>>(path: &str, bytes: &[u8]) -> Result<Vec<T>, TeamFormError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| TeamFormError::File { path: path.to_string(), message: format!("not UTF-8: {e}") })?;
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let record = serde_json::from_str(line).map_err(|e| TeamFormError::Record {
            path: path.to_string(),
            line: index + 1,
            message: e.to_string(),
        })?;
        out.push(record);
    }
    Ok(out)
}

/// Both sides of a record file two histories changed, as one: every line
/// of either, once, in the writer's order. Only needed if one writer's file
/// changed on two branches (a clone restored from a backup); the result
/// still drops nothing.
pub fn union_lines(ours: &[u8], theirs: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = Vec::new();
    for line in ours.split(|b| *b == b'\n').chain(theirs.split(|b| *b == b'\n')) {
        if !line.is_empty() && !lines.contains(&line) {
            lines.push(line);
        }
    }
    let id = |line: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(counter_of))
            .unwrap_or(u64::MAX)
    };
    lines.sort_by_key(|line| id(line));
    lines.into_iter().flat_map(|line| line.iter().copied().chain([b'\n'])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision(id: &str, segment: &str, parent: Option<&str>, text: &str) -> SharedRevision {
        SharedRevision {
            id: id.to_string(),
            segment: segment.to_string(),
            parent: parent.map(str::to_string),
            merges: Vec::new(),
            text: text.to_string(),
            status: "translated".to_string(),
            author: "Ana".to_string(),
            at: "2026-12-02T10:00:00.000Z".to_string(),
            origin: None,
        }
    }

    fn project() -> SharedProject {
        let document = SharedDocument {
            id: "aa-1".into(),
            title: "Statement".into(),
            source_lang: "en".into(),
            target_lang: "es".into(),
            origin: "statement.txt".into(),
            format: "text".into(),
            passages: vec![SharedPassage {
                kind: PassageKind::Paragraph,
                level: 0,
                segments: vec![
                    SharedSegment { id: "aa-1".into(), source: "One.".into() },
                    SharedSegment { id: "aa-2".into(), source: "Two \"quoted\"\n.".into() },
                ],
            }],
        };
        let mut project = SharedProject { documents: vec![document], ..SharedProject::default() };
        project.revisions.insert(
            "aa-1".into(),
            vec![
                revision("aa-10", "aa-1", None, "Uno."),
                revision("aa-9", "aa-2", None, "Dos."),
                revision("bb-3", "aa-1", Some("aa-10"), "Uno, revisado."),
            ],
        );
        project
    }

    #[test]
    fn writers_write_only_their_own_files_and_reading_them_back_gives_the_records() {
        let project = project();
        let mut files = files_of(&project, "aa");
        assert!(files.contains_key("documents/aa-1/document.json"));
        assert!(!files.keys().any(|k| k.contains("bb")), "{:?}", files.keys());
        let theirs = files_of(&project, "bb");
        assert!(!theirs.contains_key("documents/aa-1/document.json"));
        files.extend(theirs);
        let back = read(&files).expect("read");
        assert_eq!(back.documents, project.documents);
        let ids: Vec<&str> = back.revisions["aa-1"].iter().map(|r| r.id.as_str()).collect();
        // One writer's records in the order it made them (9 before 10).
        assert_eq!(ids, ["aa-9", "aa-10", "bb-3"]);
        assert_eq!(files_of(&project, "aa"), files_of(&project, "aa"), "the same project gives the same bytes");
    }

    #[test]
    fn foreign_newer_and_broken_repositories_are_refused_with_the_place() {
        assert!(matches!(read(&Files::new()), Err(TeamFormError::NotAProject)));
        let mut files = Files::new();
        files.insert(MARKER.into(), br#"{"format": 99}"#.to_vec());
        assert!(matches!(read(&files), Err(TeamFormError::Newer { found: 99 })));
        files.insert(MARKER.into(), br#"{"format": 1}"#.to_vec());
        files.insert("documents/aa-1/revisions/aa.jsonl".into(), b"{\"id\":\"aa-1\"}\n".to_vec());
        let error = read(&files).expect_err("a record without its fields").to_string();
        assert!(error.starts_with("documents/aa-1/revisions/aa.jsonl, line 1: missing field"), "{error}");
    }

    #[test]
    fn a_union_keeps_every_line_once_in_the_writers_order() {
        let ours = b"{\"id\":\"aa-1\"}\n{\"id\":\"aa-2\"}\n";
        let theirs = b"{\"id\":\"aa-1\"}\n{\"id\":\"aa-3\"}\n";
        assert_eq!(union_lines(ours, theirs), b"{\"id\":\"aa-1\"}\n{\"id\":\"aa-2\"}\n{\"id\":\"aa-3\"}\n".to_vec());
    }
}
