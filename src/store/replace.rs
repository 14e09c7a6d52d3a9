//! Replacing text across many segments at once, and taking such a change
//! (or a pre-translation, or a review decision) back: each is one
//! transaction, and the taking back is new revisions,
//! so history stays append-only and a teammate who synced in between
//! sees an undo, not a rewrite.

use rusqlite::params;

use super::{Project, StoreError, current_revision, insert_revision_from, is_locked, sqlite};
use crate::document::SegmentId;
use crate::revision::{RevisionId, Status};

/// One segment's new translation, made from the revision `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub segment: SegmentId,
    pub base: RevisionId,
    pub text: String,
}

impl Project {
    /// Writes every replacement as a new revision with `origin`, all or
    /// nothing: a segment that moved on since its `base` refuses the whole
    /// change (the preview the user accepted is no longer what would be
    /// written), a locked one is left alone. An approved or reviewed
    /// translation that changes is translated again, waiting for review.
    /// Returns the segments changed.
    pub fn replace_translations(
        &mut self,
        replacements: &[Replacement],
        author: &str,
        origin: &str,
    ) -> Result<Vec<SegmentId>, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let mut changed = Vec::new();
        for replacement in replacements {
            if is_locked(&tx, replacement.segment).map_err(e)? {
                continue;
            }
            let head = current_revision(&tx, replacement.segment).map_err(e)?;
            let Some((head, text, status)) = head.clone().filter(|(id, _, _)| *id == replacement.base) else {
                return Err(moved_on(replacement.segment, replacement.base, head));
            };
            if text == replacement.text {
                continue;
            }
            let status = match Status::parse(&status) {
                Some(Status::Approved | Status::Reviewed) => Status::Translated,
                Some(other) => other,
                None => Status::Draft,
            };
            insert_revision_from(&tx, replacement.segment, Some(head), &replacement.text, status, author, Some(origin))
                .map_err(e)?;
            changed.push(replacement.segment);
        }
        tx.commit().map_err(e)?;
        Ok(changed)
    }

    /// Takes back the change recorded with `origin` by `author`: every
    /// segment whose newest revision is still that change gets its
    /// previous text and status again (origin `undo`). Returns the
    /// segments restored and those left because someone changed them since.
    pub fn undo_change(&mut self, origin: &str, author: &str) -> Result<(Vec<SegmentId>, Vec<SegmentId>), StoreError> {
        self.undo_selected(
            "SELECT id FROM revisions WHERE origin = ?1 AND author = ?2 ORDER BY id",
            params![origin, author],
            author,
        )
    }

    /// Takes back the revisions `author` made with ids `first..=last` whose
    /// origin starts with `prefix` (a pre-translation's drafts), as
    /// [`Project::undo_change`] does.
    pub fn undo_range(
        &mut self,
        first: RevisionId,
        last: RevisionId,
        prefix: &str,
        author: &str,
    ) -> Result<(Vec<SegmentId>, Vec<SegmentId>), StoreError> {
        self.undo_selected(
            "SELECT id FROM revisions WHERE id BETWEEN ?1 AND ?2 AND author = ?3 AND substr(origin, 1, length(?4)) = ?4
              ORDER BY id",
            params![first.0, last.0, author, prefix],
            author,
        )
    }

    /// [`undo_revisions`] for the revisions `select` names, in one transaction.
    fn undo_selected(
        &mut self,
        select: &str,
        args: impl rusqlite::Params,
        author: &str,
    ) -> Result<(Vec<SegmentId>, Vec<SegmentId>), StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let made: Vec<i64> = {
            let mut stmt = tx.prepare(select).map_err(e)?;
            stmt.query_map(args, |r| r.get(0)).and_then(|rows| rows.collect()).map_err(e)?
        };
        let undone = undo_revisions(&tx, &made, author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(undone)
    }

    /// Takes back one revision (a review decision) while it is still the
    /// segment's newest; otherwise the segment moved on and this is a conflict.
    pub fn undo_revision(&mut self, segment: SegmentId, revision: RevisionId, author: &str) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let head = current_revision(&tx, segment).map_err(e)?;
        if head.as_ref().map(|h| h.0) != Some(revision) {
            return Err(moved_on(segment, revision, head));
        }
        let (_, left) = undo_revisions(&tx, &[revision.0], author).map_err(e)?;
        if !left.is_empty() {
            return Err(StoreError::Locked(segment.0));
        }
        tx.commit().map_err(e)
    }
}

/// The conflict of a segment whose newest revision is no longer `expected`.
fn moved_on(segment: SegmentId, expected: RevisionId, head: Option<(RevisionId, String, String)>) -> StoreError {
    StoreError::Conflict {
        segment: segment.0,
        expected: Some(expected),
        found: head.as_ref().map(|h| h.0),
        their_text: head.map(|h| h.1),
    }
}

/// Each revision still its segment's newest (and the segment unlocked)
/// gets its parent's text and status again as a new revision, origin
/// `undo`; a first revision gives way to an empty, new segment.
fn undo_revisions(
    tx: &rusqlite::Transaction<'_>,
    revisions: &[i64],
    author: &str,
) -> rusqlite::Result<(Vec<SegmentId>, Vec<SegmentId>)> {
    let (mut restored, mut left) = (Vec::new(), Vec::new());
    for &revision in revisions {
        let (segment, parent): (i64, Option<i64>) =
            tx.query_row("SELECT segment_id, parent_id FROM revisions WHERE id = ?1", [revision], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let segment = SegmentId(segment);
        let head = current_revision(tx, segment)?;
        if head.as_ref().map(|h| h.0) != Some(RevisionId(revision)) || is_locked(tx, segment)? {
            left.push(segment);
            continue;
        }
        let (text, status) = match parent {
            Some(parent) => tx.query_row("SELECT text, status FROM revisions WHERE id = ?1", [parent], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?,
            None => (String::new(), Status::New.as_str().to_string()),
        };
        let status = Status::parse(&status).unwrap_or(Status::New);
        insert_revision_from(tx, segment, Some(RevisionId(revision)), &text, status, author, Some("undo"))?;
        restored.push(segment);
    }
    Ok((restored, left))
}
