//! Undoing a split or a join. The undo is itself an edit of the other
//! kind in the log, naming the edit it takes back (a split undone is a
//! join, a join undone a split that brings the hidden segment back with
//! its history), and translations are restored as new revisions: nothing
//! already recorded is rewritten. Undoing again takes back the edit
//! before, as an undo stack does.

use rusqlite::{OptionalExtension, params};

use super::{
    HIDDEN_POSITION_BASE, Project, StoreError, current_revision, insert_revision_from, joined_translations,
    shift_positions, sqlite,
};
use crate::document::SegmentId;
use crate::revision::Status;

struct Edit {
    id: i64,
    kind: String,
    segment: i64,
    other: i64,
    source_before: String,
    revision_before: Option<i64>,
}

impl Project {
    /// Undoes the last split or join of `segment` (the first of the two
    /// parts): only while neither segment was split or joined again since.
    pub fn undo_structure(&mut self, segment: SegmentId, author: &str) -> Result<(), StoreError> {
        let row = self.segment(segment)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let Some(edit) = pending_edit(&tx, segment.0).map_err(e)? else {
            return Err(StoreError::NothingToUndo(segment.0));
        };
        // The edit must be this segment's (the first part) and the other
        // part's newest too.
        if edit.segment != segment.0 || pending_edit(&tx, edit.other).map_err(e)?.map(|o| o.id) != Some(edit.id) {
            return Err(StoreError::NothingToUndo(segment.0));
        }
        let other = SegmentId(edit.other);
        let head = current_revision(&tx, segment).map_err(e)?;
        // The translation before the edit comes back if the segment still
        // shows what the edit left there (a split copies it; a join adds
        // the next segment's), however many undos came between.
        let before: Option<(String, String)> = match edit.revision_before {
            Some(before) => Some(
                tx.query_row("SELECT text, status FROM revisions WHERE id = ?1", [before], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(e)?,
            ),
            None => None,
        };
        let current = head.as_ref().map(|h| h.1.clone());
        let joiner = joiner(&tx, row.document_id.0).map_err(e)?;
        let left_by_edit = {
            let first = before.as_ref().map(|b| b.0.as_str()).unwrap_or_default();
            if edit.kind == "join" {
                let other_text = current_revision(&tx, other).map_err(e)?.map(|h| h.1).unwrap_or_default();
                joined_translations(first, &other_text, &joiner)
            } else {
                first.to_string()
            }
        };
        let before = match current {
            Some(text) if text == left_by_edit => {
                Some(before.unwrap_or_else(|| (String::new(), Status::New.as_str().to_string())))
            }
            _ => None,
        };
        let restore = |text: &str, status: &str| {
            let status = Status::parse(status).unwrap_or(Status::Draft);
            insert_revision_from(&tx, segment, head.as_ref().map(|h| h.0), text, status, author, Some("undo")).map(drop)
        };
        if edit.kind == "split" {
            // The part must still be right after the segment, and shown.
            let part: Option<(i64, String)> = tx
                .query_row(
                    "SELECT position, source FROM segments WHERE id = ?1 AND merged_into IS NULL AND document_id = ?2",
                    params![other.0, row.document_id.0],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(e)?;
            let Some((position, part_source)) = part.filter(|(p, _)| *p == i64::from(row.position) + 1) else {
                return Err(StoreError::NothingToUndo(segment.0));
            };
            let part_head = current_revision(&tx, other).map_err(e)?;
            tx.execute(
                "UPDATE segments SET merged_into = ?1, position = ?2 WHERE id = ?3",
                params![segment.0, HIDDEN_POSITION_BASE - other.0, other.0],
            )
            .map_err(e)?;
            tx.execute("UPDATE segments SET source = ?1 WHERE id = ?2", params![edit.source_before, segment.0])
                .map_err(e)?;
            shift_positions(&tx, row.document_id.0, position, -1).map_err(e)?;
            match (before, part_head.filter(|(_, text, _)| !text.is_empty())) {
                (Some((text, status)), None) => restore(&text, &status).map_err(e)?,
                // The part was translated since: both translations, as a draft.
                (_, Some((_, part_text, _))) => {
                    let first = head.as_ref().map(|h| h.1.as_str()).unwrap_or_default();
                    restore(&joined_translations(first, &part_text, &joiner), "draft").map_err(e)?;
                }
                (None, None) => {}
            }
            tx.execute(
                "INSERT INTO segment_edits
                    (kind, segment_id, other_id, source_before, other_source_before, author, revision_before, undoes)
                 VALUES ('join', ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![segment.0, other.0, row.source, part_source, author, head.as_ref().map(|h| h.0.0), edit.id],
            )
            .map_err(e)?;
        } else {
            let hidden: bool = tx
                .query_row("SELECT merged_into = ?2 FROM segments WHERE id = ?1", params![other.0, segment.0], |r| {
                    r.get::<_, Option<bool>>(0)
                })
                .map_err(e)?
                .unwrap_or(false);
            if !hidden {
                return Err(StoreError::NothingToUndo(segment.0));
            }
            let position = i64::from(row.position);
            shift_positions(&tx, row.document_id.0, position, 1).map_err(e)?;
            tx.execute(
                "UPDATE segments SET merged_into = NULL, position = ?1 WHERE id = ?2",
                params![position + 1, other.0],
            )
            .map_err(e)?;
            tx.execute("UPDATE segments SET source = ?1 WHERE id = ?2", params![edit.source_before, segment.0])
                .map_err(e)?;
            if let Some((text, status)) = before {
                restore(&text, &status).map_err(e)?;
            }
            tx.execute(
                "INSERT INTO segment_edits (kind, segment_id, other_id, source_before, author, revision_before, undoes)
                 VALUES ('split', ?1, ?2, ?3, ?4, ?5, ?6)",
                params![segment.0, other.0, row.source, author, head.as_ref().map(|h| h.0.0), edit.id],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)
    }
}

/// The newest edit touching `segment` that has not been undone: an undo
/// cancels the edit it names, and both are passed over.
fn pending_edit(tx: &rusqlite::Transaction<'_>, segment: i64) -> rusqlite::Result<Option<Edit>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id, kind, segment_id, other_id, source_before, revision_before, undoes FROM segment_edits
          WHERE segment_id = ?1 OR other_id = ?1 ORDER BY id DESC",
    )?;
    let mut rows = stmt.query([segment])?;
    let mut undone = std::collections::HashSet::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if let Some(undoes) = r.get::<_, Option<i64>>(6)? {
            undone.insert(undoes);
            continue;
        }
        if undone.contains(&id) {
            continue;
        }
        return Ok(Some(Edit {
            id,
            kind: r.get(1)?,
            segment: r.get(2)?,
            other: r.get(3)?,
            source_before: r.get(4)?,
            revision_before: r.get(5)?,
        }));
    }
    Ok(None)
}

/// What a join puts between two translations (the source language's
/// sentence joiner, as [`Project::join_with_next`] does).
fn joiner(tx: &rusqlite::Transaction<'_>, document: i64) -> rusqlite::Result<String> {
    let lang: String = tx.query_row("SELECT source_lang FROM documents WHERE id = ?1", [document], |r| r.get(0))?;
    Ok(lang.parse::<crate::lang::LangTag>().map(|l| l.facts().sentence_joiner.to_string()).unwrap_or(" ".into()))
}
