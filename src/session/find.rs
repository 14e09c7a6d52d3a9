//! Find and replace across a document or the whole project: hits with
//! their places, a preview of every change as a word diff before anything
//! is written, the replacement as one transaction, and its undo.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Session, SessionError};
use crate::diff::{self, DiffAlgorithm, TextDiff};
use crate::document::{DocumentId, DocumentKind, SegmentId};
use crate::revision::{RevisionId, SegmentRow, Status};
use crate::search::{FindIn, FindOptions, Pattern, SearchError};
use crate::store::{Project, Replacement};
use crate::text::Span;

/// A search as the find bar or `verso find` states it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FindQuery {
    pub options: FindOptions,
    pub within: FindIn,
    /// One document, or every translation document of the project.
    pub document: Option<DocumentId>,
    /// Only segments with this status.
    pub status: Option<Status>,
}

/// A segment the search matched, with where it matched on each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FindHit {
    pub document: DocumentId,
    pub document_title: String,
    pub segment: SegmentId,
    pub position: u32,
    pub source: String,
    pub target: String,
    pub source_spans: Vec<Span>,
    pub target_spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct FindResult {
    pub hits: Vec<FindHit>,
    /// False when the search stopped at its limit with more to find.
    pub complete: bool,
}

/// One translation as a replacement would leave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ReplacePreview {
    pub document: DocumentId,
    pub segment: SegmentId,
    pub position: u32,
    pub revision: RevisionId,
    pub before: String,
    pub after: String,
    pub diff: TextDiff,
    pub locked: bool,
}

/// What a replacement wrote; `change` names it for [`Session::undo_change`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ReplaceOutcome {
    pub change: String,
    pub changed: u32,
    pub locked: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct UndoOutcome {
    pub restored: u32,
    /// Segments changed again since, left as they are.
    pub left: u32,
}

/// The documents a query reads, in the project's order.
fn documents(project: &Project, query: &FindQuery) -> Result<Vec<(DocumentId, String)>, SessionError> {
    Ok(project
        .documents()?
        .into_iter()
        .filter(|d| query.document.map_or(d.kind == DocumentKind::Translation, |id| id == d.id))
        .map(|d| (d.id, d.title))
        .collect())
}

fn wanted(query: &FindQuery, row: &SegmentRow) -> bool {
    query.status.is_none_or(|s| s == row.status)
}

/// One translation a replacement changes.
struct Replaced {
    document: DocumentId,
    row: SegmentRow,
    revision: RevisionId,
    before: String,
    after: String,
}

/// The translations `query` matches and what `replacement` makes of them
/// (the preview and the replacement read the same list).
fn replaced(project: &Project, query: &FindQuery, replacement: &str) -> Result<Vec<Replaced>, SessionError> {
    if query.within == FindIn::Source {
        return Err(SearchError::SourceNotReplaced.into());
    }
    let pattern = Pattern::new(&query.options)?;
    let mut out = Vec::new();
    for (document, _) in documents(project, query)? {
        for row in project.segments(document)?.into_iter().filter(|r| wanted(query, r)) {
            let (Some(before), Some(revision)) = (row.translation.clone(), row.revision) else { continue };
            let Some(after) = pattern.replace(&before, replacement) else { continue };
            out.push(Replaced { document, row, revision, before, after });
        }
    }
    Ok(out)
}

impl Session {
    /// The first `limit` segments `query` matches.
    pub fn find(&self, query: &FindQuery, limit: usize) -> Result<FindResult, SessionError> {
        let pattern = Pattern::new(&query.options)?;
        let project = self.project()?;
        let mut hits = Vec::new();
        for (document, title) in documents(project, query)? {
            for row in project.segments(document)?.into_iter().filter(|r| wanted(query, r)) {
                let target = row.translation.unwrap_or_default();
                let source_spans = if query.within.source() { pattern.find(&row.source) } else { Vec::new() };
                let target_spans = if query.within.target() { pattern.find(&target) } else { Vec::new() };
                if source_spans.is_empty() && target_spans.is_empty() {
                    continue;
                }
                if hits.len() == limit {
                    return Ok(FindResult { hits, complete: false });
                }
                hits.push(FindHit {
                    document,
                    document_title: title.clone(),
                    segment: row.id,
                    position: row.position,
                    source: row.source,
                    target,
                    source_spans,
                    target_spans,
                });
            }
        }
        Ok(FindResult { hits, complete: true })
    }

    /// Every translation `query` would change with `replacement`, as it
    /// stands and as it would be; nothing is written. The source is never
    /// replaced in.
    pub fn replace_preview(&self, query: &FindQuery, replacement: &str) -> Result<Vec<ReplacePreview>, SessionError> {
        let project = self.project()?;
        let mut granularity = HashMap::new();
        let mut out = Vec::new();
        for change in replaced(project, query, replacement)? {
            let granularity = match granularity.entry(change.document) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(slot) => *slot.insert(diff::granularity_for(&project.target_language(change.document)?)),
            };
            out.push(ReplacePreview {
                document: change.document,
                segment: change.row.id,
                position: change.row.position,
                revision: change.revision,
                diff: diff::diff_text(&change.before, &change.after, granularity, DiffAlgorithm::Auto),
                before: change.before,
                after: change.after,
                locked: change.row.locked,
            });
        }
        Ok(out)
    }

    /// Replaces in every translation `query` matches, in one transaction;
    /// each changed segment gets a new revision recorded as this change.
    pub fn replace_all(&mut self, query: &FindQuery, replacement: &str) -> Result<ReplaceOutcome, SessionError> {
        let (locked, open): (Vec<Replaced>, Vec<Replaced>) =
            replaced(self.project()?, query, replacement)?.into_iter().partition(|c| c.row.locked);
        let replacements: Vec<Replacement> =
            open.into_iter().map(|c| Replacement { segment: c.row.id, base: c.revision, text: c.after }).collect();
        let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros());
        let change = format!("replace:{stamp}");
        let author = self.info()?.author;
        let changed = self.project_mut()?.replace_translations(&replacements, &author, &change)?;
        Ok(ReplaceOutcome { change, changed: changed.len() as u32, locked: locked.len() as u32 })
    }

    /// Takes back a change this user made across segments (a replacement).
    pub fn undo_change(&mut self, change: &str) -> Result<UndoOutcome, SessionError> {
        if !change.starts_with("replace:") {
            return Err(SearchError::NotUndoable(change.to_string()).into());
        }
        let author = self.info()?.author;
        let (restored, left) = self.project_mut()?.undo_change(change, &author)?;
        Ok(UndoOutcome { restored: restored.len() as u32, left: left.len() as u32 })
    }
}
