//! Undo of project actions, outside a text box (Ctrl+Z): a split or a
//! join, a pre-translation, a review decision. Each undo is recorded as
//! new revisions or an inverse edit, so history stays append-only and a
//! teammate who already synced sees an undo, not a rewrite.

use super::find::UndoOutcome;
use super::{Session, SessionError};
use crate::document::SegmentId;
use crate::revision::{RevisionId, SegmentRow};

impl Session {
    /// Undoes the last split or join of `segment` and returns its
    /// document's rows as they now are.
    pub fn undo_structure(&mut self, segment: SegmentId) -> Result<Vec<SegmentRow>, SessionError> {
        self.refuse_structure_change_in_team()?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.undo_structure(segment, &author)?;
        Ok(project.segments(document)?)
    }

    /// Takes back a pre-translation's drafts (the revision range it
    /// reported), leaving segments changed since.
    pub fn undo_pretranslation(&mut self, first: RevisionId, last: RevisionId) -> Result<UndoOutcome, SessionError> {
        let author = self.info()?.author;
        let (restored, left) = self.project_mut()?.undo_range(first, last, "tm:", &author)?;
        Ok(UndoOutcome { restored: restored.len() as u32, left: left.len() as u32 })
    }

    /// Takes back a review decision (the revision it made) and returns the
    /// segment's row.
    pub fn undo_review(&mut self, segment: SegmentId, revision: RevisionId) -> Result<SegmentRow, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.undo_revision(segment, revision, &author)?;
        Ok(project.segment(segment)?)
    }
}
