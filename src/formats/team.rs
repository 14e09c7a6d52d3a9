//! The text form of a team project: what its Git repository holds.
//!
//! Designed so that merging two people's work is a union of files:
//! - `verso-team.json` says which version of this form the repository uses;
//! - `documents/D/document.json` is a document's structure (passages and
//!   segments with their shared ids), written once by whoever shared it;
//! - `documents/D/KIND/W.jsonl` hold the records of one kind writer `W`
//!   (one person on one machine) created for document `D`, one JSON object
//!   per line, in the order they were made: revisions, comments, versions,
//!   accepted QA warnings, where its source was published; for a summary also its sections, sentences,
//!   changes to sentences, people's link decisions and approvals;
//! - `glossary/W.jsonl` holds the glossary terms `W` added;
//! - `memories/M/memory.json` and `memories/M/units.jsonl` are a reference
//!   memory someone imported (read-only, so written once), and
//!   `memory-removals/W.jsonl` the shared memories `W` removed. Units are
//!   read only by a clone that does not have their memory yet: a large
//!   memory costs its size once, not at every sync.
//!
//! A summary's structure grows after it is shared (people add sections and
//! sentences), so its `document.json` holds only what never changes (its
//! sources and references) and the rest are records: every clone orders
//! them the same way (by time, then id), so they read alike.
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
/// Form 2 adds summaries, link decisions, approvals, versions, glossary
/// terms and accepted QA warnings; a form-1 Verso would read a summary as
/// a translation, so it is told to update instead.
pub const FORMAT: u32 = 2;

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
    /// Empty for a summary: its sections and sentences are records.
    pub passages: Vec<SharedPassage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<SharedSummary>,
}

/// What makes a document a summary: the documents it summarises (shared
/// ids) and the references its article cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSummary {
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<SharedReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedReference {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
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
    /// A rejection's error category (see `revision::ErrorCategory`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub at: String,
}

/// Where a document's source was published, as someone recorded it; the
/// newest (by time, then id) counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedPublication {
    pub id: String,
    pub outlet: String,
    pub url: String,
    pub date: String,
    pub author: String,
    pub at: String,
}

/// A section of a summary (its title), in the order sections were added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSection {
    pub id: String,
    pub title: String,
    pub at: String,
}

/// A sentence added to a summary: a segment whose words are revisions and
/// whose kind is its first change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSentence {
    pub id: String,
    pub section: String,
    pub at: String,
}

/// A sentence taken out, brought back or given another kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedSentenceChange {
    pub id: String,
    pub sentence: String,
    /// `removed`, `restored`, `claim`, `commentary`, or `moved:FROM:TO`
    /// (shared section ids).
    pub change: String,
    pub author: String,
    pub at: String,
}

/// A person's decision on the link between a summary sentence and a
/// source segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedLink {
    pub id: String,
    pub sentence: String,
    pub source: String,
    pub decision: String,
    /// The sentence as it read when decided.
    pub text: String,
    pub author: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedApproval {
    pub id: String,
    pub open_flags: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub author: String,
    pub at: String,
}

/// A named version: the revision each segment showed (none if untranslated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedVersion {
    pub id: String,
    pub name: String,
    pub author: String,
    pub at: String,
    pub revisions: BTreeMap<String, Option<String>>,
}

/// A QA warning a person accepted, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedAccepted {
    pub id: String,
    pub segment: String,
    pub check: String,
    pub detail: String,
    pub author: String,
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedTerm {
    pub id: String,
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forbidden: bool,
    pub origin: String,
    pub at: String,
}

/// A word of the project dictionary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedWord {
    pub id: String,
    pub lang: String,
    pub word: String,
    pub author: String,
    pub at: String,
}

/// A reference memory someone imported; its units are a file of their own
/// (`units_path`), read only where the memory is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedMemory {
    pub id: String,
    pub name: String,
    pub priority: i64,
    pub at: String,
}

/// One unit of a shared reference memory, as it was imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedUnit {
    pub source_lang: String,
    pub target_lang: String,
    pub source: String,
    pub target: String,
    pub origin: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    pub at: String,
}

/// A shared reference memory someone removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedRemoval {
    pub id: String,
    pub memory: String,
    pub author: String,
    pub at: String,
}

/// Where a shared memory's units are.
pub fn units_path(memory: &str) -> String {
    format!("memories/{memory}/units.jsonl")
}

/// A memory's units as their file.
pub fn units_file(units: &[SharedUnit]) -> Vec<u8> {
    units.iter().flat_map(json_line).collect()
}

/// A memory's units read back from their file.
pub fn units(path: &str, bytes: &[u8]) -> Result<Vec<SharedUnit>, TeamFormError> {
    records(path, bytes)
}

/// Whether a file holds memory units, which `read` leaves to `units`.
pub fn is_units(path: &str) -> bool {
    path.starts_with("memories/") && path.ends_with("/units.jsonl")
}

/// Records of one kind, by document id.
pub type ByDocument<T> = BTreeMap<String, Vec<T>>;

/// Everything a team project shares, as records; the files are its
/// serialisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedProject {
    pub documents: Vec<SharedDocument>,
    pub revisions: ByDocument<SharedRevision>,
    pub comments: ByDocument<SharedComment>,
    pub sections: ByDocument<SharedSection>,
    pub sentences: ByDocument<SharedSentence>,
    pub sentence_changes: ByDocument<SharedSentenceChange>,
    pub links: ByDocument<SharedLink>,
    pub approvals: ByDocument<SharedApproval>,
    pub versions: ByDocument<SharedVersion>,
    pub accepted: ByDocument<SharedAccepted>,
    pub publications: ByDocument<SharedPublication>,
    pub glossary: Vec<SharedTerm>,
    pub memories: Vec<SharedMemory>,
    /// Units of the memories in `memories`, for those whose units were read.
    pub memory_units: BTreeMap<String, Vec<SharedUnit>>,
    pub memory_removals: Vec<SharedRemoval>,
    pub words: Vec<SharedWord>,
}

/// A record that travels: it has a shared id.
trait Record: Serialize {
    fn id(&self) -> &str;
}

macro_rules! records_with_ids {
    ($($record:ty),*) => {$(
        impl Record for $record {
            fn id(&self) -> &str {
                &self.id
            }
        }
    )*};
}
records_with_ids!(
    SharedRevision,
    SharedComment,
    SharedSection,
    SharedSentence,
    SharedSentenceChange,
    SharedLink,
    SharedApproval,
    SharedVersion,
    SharedAccepted,
    SharedPublication,
    SharedTerm,
    SharedRemoval,
    SharedWord
);

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
    by_document(&mut files, writer, "revisions", &project.revisions);
    by_document(&mut files, writer, "comments", &project.comments);
    by_document(&mut files, writer, "sections", &project.sections);
    by_document(&mut files, writer, "sentences", &project.sentences);
    by_document(&mut files, writer, "sentence_changes", &project.sentence_changes);
    by_document(&mut files, writer, "links", &project.links);
    by_document(&mut files, writer, "approvals", &project.approvals);
    by_document(&mut files, writer, "versions", &project.versions);
    by_document(&mut files, writer, "accepted", &project.accepted);
    by_document(&mut files, writer, "publications", &project.publications);
    write_lines(&mut files, writer, format!("glossary/{writer}.jsonl"), &project.glossary);
    for memory in project.memories.iter().filter(|m| writer_of(&m.id) == writer) {
        files.insert(format!("memories/{}/memory.json", memory.id), json_line(memory));
        if let Some(units) = project.memory_units.get(&memory.id) {
            files.insert(units_path(&memory.id), units_file(units));
        }
    }
    write_lines(&mut files, writer, format!("memory-removals/{writer}.jsonl"), &project.memory_removals);
    write_lines(&mut files, writer, format!("dictionary/{writer}.jsonl"), &project.words);
    files
}

fn by_document<R: Record>(files: &mut Files, writer: &str, kind: &str, records: &ByDocument<R>) {
    for (document, records) in records {
        write_lines(files, writer, format!("documents/{document}/{kind}/{writer}.jsonl"), records);
    }
}

/// `writer`'s records of `records` as one file at `path`, in the order it
/// made them; no file when it made none.
fn write_lines<R: Record>(files: &mut Files, writer: &str, path: String, records: &[R]) {
    let mut mine: Vec<&R> = records.iter().filter(|r| writer_of(r.id()) == writer).collect();
    if mine.is_empty() {
        return;
    }
    mine.sort_by_key(|r| counter_of(r.id()));
    files.insert(path, mine.into_iter().flat_map(json_line).collect());
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
            ["documents", document, kind, _] => {
                let document = document.to_string();
                match *kind {
                    "revisions" => extend(&mut project.revisions, document, path, bytes)?,
                    "comments" => extend(&mut project.comments, document, path, bytes)?,
                    "sections" => extend(&mut project.sections, document, path, bytes)?,
                    "sentences" => extend(&mut project.sentences, document, path, bytes)?,
                    "sentence_changes" => extend(&mut project.sentence_changes, document, path, bytes)?,
                    "links" => extend(&mut project.links, document, path, bytes)?,
                    "approvals" => extend(&mut project.approvals, document, path, bytes)?,
                    "versions" => extend(&mut project.versions, document, path, bytes)?,
                    "accepted" => extend(&mut project.accepted, document, path, bytes)?,
                    "publications" => extend(&mut project.publications, document, path, bytes)?,
                    _ => {}
                }
            }
            ["glossary", _] => project.glossary.extend(records(path, bytes)?),
            ["memories", _, "memory.json"] => project.memories.extend(records::<SharedMemory>(path, bytes)?),
            ["memory-removals", _] => project.memory_removals.extend(records(path, bytes)?),
            ["dictionary", _] => project.words.extend(records(path, bytes)?),
            // Files a newer Verso of the same form may add are left alone.
            _ => {}
        }
    }
    Ok(project)
}

fn extend<T: for<'de> Deserialize<'de>>(
    into: &mut ByDocument<T>,
    document: String,
    path: &str,
    bytes: &[u8],
) -> Result<(), TeamFormError> {
    into.entry(document).or_default().extend(records(path, bytes)?);
    Ok(())
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
            summary: None,
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
    fn a_memory_travels_once_with_its_units_apart_and_its_removal_as_a_record() {
        let mut project = project();
        let at = "2026-12-03T07:00:00.000Z".to_string();
        project.memories.push(SharedMemory { id: "aa-2".into(), name: "Agency".into(), priority: 60, at: at.clone() });
        let unit = SharedUnit {
            source_lang: "en".into(),
            target_lang: "es".into(),
            source: "The minister said.".into(),
            target: "Dijo el ministro.".into(),
            origin: "tmx:agency.tmx".into(),
            author: String::new(),
            at: at.clone(),
        };
        project.memory_units.insert("aa-2".into(), vec![unit.clone()]);
        project.memory_removals.push(SharedRemoval {
            id: "bb-1".into(),
            memory: "cc-4".into(),
            author: "Bo".into(),
            at,
        });
        let mut files = files_of(&project, "aa");
        assert!(files.contains_key("memories/aa-2/memory.json") && files.contains_key(&units_path("aa-2")));
        assert!(!files.keys().any(|k| k.starts_with("memory-removals/")), "Bo's removal is Bo's file");
        files.extend(files_of(&project, "bb"));
        assert!(files.contains_key("memory-removals/bb.jsonl"));
        let back = read(&files).expect("read");
        assert_eq!(back.memories, project.memories);
        assert_eq!(back.memory_removals, project.memory_removals);
        assert!(back.memory_units.is_empty(), "units are read only on demand");
        let path = units_path("aa-2");
        assert!(is_units(&path) && !is_units("memories/aa-2/memory.json"));
        assert_eq!(units(&path, &files[&path]).expect("units"), vec![unit]);
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
