//! The SQL behind team projects: shared ids, the records a clone writes
//! out, taking in other clones' records, and conflicts.
//!
//! A conflict is a segment with more than one *head*: a revision no other
//! revision continues (as parent) or resolved (in `revision_merges`). Two
//! people who saved the same segment from the same base leave two heads;
//! both stay until a person picks or writes the text, which is a revision
//! whose parent is one head and whose merges are the others.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Project, StoreError, memory, sqlite};
use crate::document::{DocumentId, SegmentId};
use crate::formats::team::{
    SharedComment, SharedDocument, SharedPassage, SharedProject, SharedRevision, SharedSegment,
};
use crate::revision::{Revision, RevisionId, Status};

const WRITER_KEY: &str = "team.writer";

/// What a sync brought in from other clones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incoming {
    pub documents: Vec<String>,
    /// (document title, segment position, author) of each new revision.
    pub revisions: Vec<(String, u32, String)>,
    pub comments: u32,
}

/// A segment two people changed from the same base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentConflict {
    pub segment: SegmentId,
    pub document: DocumentId,
    pub document_title: String,
    pub position: u32,
    pub source: String,
    /// The competing revisions, oldest first.
    pub heads: Vec<Revision>,
}

impl Project {
    /// This clone's writer id when the project is a team project.
    pub fn team_writer(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [WRITER_KEY], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }

    /// Makes this file a team clone writing as `writer`.
    pub fn set_team_writer(&mut self, writer: &str) -> Result<(), StoreError> {
        self.conn
            .execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![WRITER_KEY, writer])
            .map_err(self.err())?;
        Ok(())
    }

    /// The shared id of a revision, once it has been shared.
    pub fn shared_id_of_revision(&self, revision: RevisionId) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT shared_id FROM shared_ids WHERE kind = 'revision' AND local_id = ?1",
                [revision.0],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())
    }

    /// Everything the team shares, with shared ids given to this clone's
    /// new records first (one transaction). Summaries are not shared yet.
    pub fn shared_project(&mut self) -> Result<SharedProject, StoreError> {
        let writer = self.team_writer()?.ok_or_else(|| self.corrupt("not a team project".to_string()))?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        for (kind, rows) in [
            ("document", "SELECT id FROM documents WHERE kind = 'translation'"),
            (
                "segment",
                "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id
                  WHERE d.kind = 'translation' AND s.merged_into IS NULL",
            ),
            (
                "revision",
                "SELECT r.id FROM revisions r JOIN segments s ON s.id = r.segment_id
                   JOIN documents d ON d.id = s.document_id WHERE d.kind = 'translation' AND s.merged_into IS NULL",
            ),
            (
                "comment",
                "SELECT c.id FROM comments c JOIN segments s ON s.id = c.segment_id
                   JOIN documents d ON d.id = s.document_id WHERE d.kind = 'translation' AND s.merged_into IS NULL",
            ),
        ] {
            // `kind` and `rows` are the constants above.
            tx.execute(
                &format!(
                    "INSERT INTO shared_ids (kind, local_id, shared_id)
                     SELECT '{kind}', id, ?1 || '-' || id FROM ({rows})
                      WHERE id NOT IN (SELECT local_id FROM shared_ids WHERE kind = '{kind}')"
                ),
                [&writer],
            )
            .map_err(e)?;
        }
        let project = read_shared(&tx).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(project)
    }

    /// Takes in the records of `shared` this clone does not have yet, in
    /// one transaction: a failure leaves the project as it was, and the
    /// next sync tries again. Records already here are never touched.
    pub fn apply_shared(&mut self, shared: &SharedProject) -> Result<Incoming, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let incoming = apply(&tx, shared).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(incoming)
    }

    /// Every segment in conflict, by document and position.
    pub fn conflicts(&self) -> Result<Vec<SegmentConflict>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.id, s.document_id, d.title, s.position, s.source
                   FROM (SELECT r.segment_id AS id FROM revisions r JOIN segments s ON s.id = r.segment_id
                          WHERE {HEAD} GROUP BY r.segment_id HAVING count(*) > 1) c
                   JOIN segments s ON s.id = c.id
                   JOIN documents d ON d.id = s.document_id
                  WHERE s.merged_into IS NULL
                  ORDER BY s.document_id, s.position"
            ))
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get::<_, i64>(3)?, r.get(4)?))
            })
            .map_err(self.err())?
            .collect::<Result<Vec<(i64, i64, String, i64, String)>, _>>()
            .map_err(self.err())?;
        let mut out = Vec::new();
        for (segment, document, document_title, position, source) in rows {
            let heads = self.heads(SegmentId(segment))?;
            out.push(SegmentConflict {
                segment: SegmentId(segment),
                document: DocumentId(document),
                document_title,
                position: position as u32,
                source,
                heads,
            });
        }
        Ok(out)
    }

    /// A segment's heads, oldest first: one normally, two or more in conflict.
    pub fn heads(&self, segment: SegmentId) -> Result<Vec<Revision>, StoreError> {
        let heads: HashSet<i64> = {
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT r.id FROM revisions r JOIN segments s ON s.id = r.segment_id WHERE s.id = ?1 AND {HEAD}"
                ))
                .map_err(self.err())?;
            stmt.query_map([segment.0], |r| r.get(0))
                .map_err(self.err())?
                .collect::<Result<_, _>>()
                .map_err(self.err())?
        };
        Ok(self.revisions(segment)?.into_iter().filter(|r| heads.contains(&r.id.0)).collect())
    }

    /// Ends a conflict with `text`: a new revision continuing the newest
    /// head and merging the others. Refused when the heads changed since
    /// the person looked (`seen`), as an ordinary save is.
    pub fn resolve_conflict(
        &mut self,
        segment: SegmentId,
        seen: &[RevisionId],
        text: &str,
        status: Status,
        author: &str,
    ) -> Result<Revision, StoreError> {
        let heads = self.heads(segment)?;
        let ids: Vec<RevisionId> = heads.iter().map(|r| r.id).collect();
        if ids.len() < 2 {
            return Err(StoreError::NotInConflict(segment.0));
        }
        let mut wanted = seen.to_vec();
        wanted.sort_by_key(|r| r.0);
        if wanted != ids {
            return Err(StoreError::Conflict {
                segment: segment.0,
                expected: seen.last().copied(),
                found: ids.last().copied(),
                their_text: heads.last().map(|r| r.text.clone()),
            });
        }
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        // The newest revision of the segment, so an ordinary save after this
        // one continues it.
        let newest = ids.iter().copied().max_by_key(|r| r.0).expect("two heads");
        let revision = super::insert_revision_from(&tx, segment, Some(newest), text, status, author, Some("resolved"))
            .map_err(e)?;
        for other in ids.iter().filter(|id| **id != newest) {
            tx.execute(
                "INSERT INTO revision_merges (revision_id, merged_id) VALUES (?1, ?2)",
                params![revision.id.0, other.0],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(revision)
    }
}

/// `r` (a revision of segment `s`) is a head.
const HEAD: &str = "r.segment_id = s.id
    AND NOT EXISTS (SELECT 1 FROM revisions c WHERE c.parent_id = r.id)
    AND NOT EXISTS (SELECT 1 FROM revision_merges m WHERE m.merged_id = r.id)";

fn shared_ids(tx: &Transaction<'_>, kind: &str) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = tx.prepare_cached("SELECT local_id, shared_id FROM shared_ids WHERE kind = ?1")?;
    stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

fn read_shared(tx: &Transaction<'_>) -> rusqlite::Result<SharedProject> {
    let documents_ids = shared_ids(tx, "document")?;
    let segment_ids = shared_ids(tx, "segment")?;
    let revision_ids = shared_ids(tx, "revision")?;
    let comment_ids = shared_ids(tx, "comment")?;
    let mut project = SharedProject::default();

    let mut stmt = tx.prepare(
        "SELECT id, title, source_lang, target_lang, origin, format FROM documents
          WHERE kind = 'translation' ORDER BY id",
    )?;
    let documents = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, String, String)>>>()?;
    let mut segment_document: HashMap<i64, String> = HashMap::new();
    for (id, title, source_lang, target_lang, origin, format) in documents {
        let Some(shared) = documents_ids.get(&id) else { continue };
        let mut passages: Vec<SharedPassage> = Vec::new();
        let mut stmt = tx.prepare_cached(
            "SELECT p.id, p.kind, p.level, s.id, s.source FROM passages p
               LEFT JOIN segments s ON s.passage_id = p.id AND s.merged_into IS NULL
              WHERE p.document_id = ?1 ORDER BY p.position, s.position",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, i64, Option<i64>, Option<String>)>>>()?;
        let mut last_passage = None;
        for (passage, kind, level, segment, source) in rows {
            if last_passage != Some(passage) {
                let kind =
                    crate::document::PassageKind::parse(&kind).unwrap_or(crate::document::PassageKind::Paragraph);
                passages.push(SharedPassage { kind, level: level.clamp(0, 255) as u8, segments: Vec::new() });
                last_passage = Some(passage);
            }
            if let (Some(segment), Some(source)) = (segment, source)
                && let Some(shared_segment) = segment_ids.get(&segment)
            {
                segment_document.insert(segment, shared.clone());
                passages
                    .last_mut()
                    .expect("pushed above")
                    .segments
                    .push(SharedSegment { id: shared_segment.clone(), source });
            }
        }
        project.documents.push(SharedDocument {
            id: shared.clone(),
            title,
            source_lang,
            target_lang,
            origin,
            format,
            passages,
        });
    }

    let mut merges: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = tx.prepare("SELECT revision_id, merged_id FROM revision_merges ORDER BY revision_id, merged_id")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (revision, merged) = row?;
        if let Some(merged) = revision_ids.get(&merged) {
            merges.entry(revision).or_default().push(merged.clone());
        }
    }
    let mut stmt = tx.prepare(
        "SELECT id, segment_id, parent_id, text, status, author, created_at, origin FROM revisions ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    for row in rows {
        let (id, segment, parent, text, status, author, at, origin) = row?;
        let (Some(shared), Some(document), Some(segment)) =
            (revision_ids.get(&id), segment_document.get(&segment), segment_ids.get(&segment))
        else {
            continue;
        };
        project.revisions.entry(document.clone()).or_default().push(SharedRevision {
            id: shared.clone(),
            segment: segment.clone(),
            parent: parent.and_then(|p| revision_ids.get(&p).cloned()),
            merges: merges.remove(&id).unwrap_or_default(),
            text,
            status,
            author,
            at,
            origin,
        });
    }
    let mut stmt =
        tx.prepare("SELECT id, segment_id, revision_id, author, text, created_at FROM comments ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (id, segment, revision, author, text, at) = row?;
        let (Some(shared), Some(document), Some(segment)) =
            (comment_ids.get(&id), segment_document.get(&segment), segment_ids.get(&segment))
        else {
            continue;
        };
        project.comments.entry(document.clone()).or_default().push(SharedComment {
            id: shared.clone(),
            segment: segment.clone(),
            revision: revision.and_then(|r| revision_ids.get(&r).cloned()),
            author,
            text,
            at,
        });
    }
    Ok(project)
}

fn map_ids(tx: &Transaction<'_>, kind: &str) -> rusqlite::Result<HashMap<String, i64>> {
    Ok(shared_ids(tx, kind)?.into_iter().map(|(local, shared)| (shared, local)).collect())
}

fn remember(tx: &Transaction<'_>, kind: &str, local: i64, shared: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO shared_ids (kind, local_id, shared_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, local, shared])?;
    Ok(())
}

fn apply(tx: &Transaction<'_>, shared: &SharedProject) -> rusqlite::Result<Incoming> {
    let mut incoming = Incoming::default();
    let documents = map_ids(tx, "document")?;
    let mut segments = map_ids(tx, "segment")?;
    let mut revisions = map_ids(tx, "revision")?;
    let comments = map_ids(tx, "comment")?;
    let mut titles: HashMap<&str, &str> = HashMap::new();
    let mut positions: HashMap<&str, u32> = HashMap::new();

    for document in &shared.documents {
        titles.insert(&document.id, &document.title);
        for (position, segment) in document.passages.iter().flat_map(|p| &p.segments).enumerate() {
            positions.insert(&segment.id, position as u32);
        }
        if documents.contains_key(&document.id) {
            continue;
        }
        tx.execute(
            "INSERT INTO documents (title, source_lang, target_lang, origin, format) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![document.title, document.source_lang, document.target_lang, document.origin, document.format],
        )?;
        let document_id = tx.last_insert_rowid();
        remember(tx, "document", document_id, &document.id)?;
        let mut position = 0i64;
        for (index, passage) in document.passages.iter().enumerate() {
            tx.execute(
                "INSERT INTO passages (document_id, position, kind, level) VALUES (?1, ?2, ?3, ?4)",
                params![document_id, index as i64, passage.kind.as_str(), passage.level],
            )?;
            let passage_id = tx.last_insert_rowid();
            for segment in &passage.segments {
                tx.execute(
                    "INSERT INTO segments (document_id, passage_id, position, source) VALUES (?1, ?2, ?3, ?4)",
                    params![document_id, passage_id, position, segment.source],
                )?;
                let segment_id = tx.last_insert_rowid();
                remember(tx, "segment", segment_id, &segment.id)?;
                segments.insert(segment.id.clone(), segment_id);
                position += 1;
            }
        }
        incoming.documents.push(document.title.clone());
    }

    // Revisions whose parent is not here yet wait for it: one writer's file
    // may continue another writer's revision.
    let mut waiting: Vec<(&str, &SharedRevision)> = shared
        .revisions
        .iter()
        .flat_map(|(document, list)| list.iter().map(move |r| (document.as_str(), r)))
        .filter(|(_, r)| !revisions.contains_key(&r.id))
        .collect();
    waiting.sort_by(|a, b| a.1.at.cmp(&b.1.at).then_with(|| a.1.id.cmp(&b.1.id)));
    // The project memory keeps one unit per segment, the newest confirmed
    // text: recorded once per segment, not once per revision.
    let mut confirmed: HashMap<i64, (&SharedRevision, Status)> = HashMap::new();
    loop {
        let before = waiting.len();
        let mut still = Vec::new();
        for (document, revision) in waiting {
            let parent = match &revision.parent {
                Some(parent) => match revisions.get(parent) {
                    Some(local) => Some(*local),
                    None => {
                        still.push((document, revision));
                        continue;
                    }
                },
                None => None,
            };
            let Some(&segment) = segments.get(&revision.segment) else { continue };
            let Some(status) = Status::parse(&revision.status) else { continue };
            if status.is_translated() && !revision.text.trim().is_empty() {
                confirmed.insert(segment, (revision, status));
            }
            tx.execute(
                "INSERT INTO revisions (segment_id, parent_id, text, status, author, created_at, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![segment, parent, revision.text, revision.status, revision.author, revision.at, revision.origin],
            )?;
            let local = tx.last_insert_rowid();
            remember(tx, "revision", local, &revision.id)?;
            revisions.insert(revision.id.clone(), local);
            incoming.revisions.push((
                titles.get(document).copied().unwrap_or_default().to_string(),
                positions.get(revision.segment.as_str()).copied().unwrap_or_default(),
                revision.author.clone(),
            ));
        }
        if still.is_empty() || still.len() == before {
            break;
        }
        waiting = still;
    }
    let mut confirmed: Vec<(i64, (&SharedRevision, Status))> = confirmed.into_iter().collect();
    confirmed.sort_by_key(|(segment, _)| *segment);
    for (segment, (revision, status)) in confirmed {
        memory::record(tx, SegmentId(segment), &revision.text, status, &revision.author, revision.origin.as_deref())?;
    }
    // Merges point at revisions that are all here now.
    for revision in shared.revisions.values().flatten().filter(|r| !r.merges.is_empty()) {
        let Some(&local) = revisions.get(&revision.id) else { continue };
        for merged in &revision.merges {
            if let Some(&merged) = revisions.get(merged) {
                tx.execute(
                    "INSERT OR IGNORE INTO revision_merges (revision_id, merged_id) VALUES (?1, ?2)",
                    params![local, merged],
                )?;
            }
        }
    }
    for comment in shared.comments.values().flatten().filter(|c| !comments.contains_key(&c.id)) {
        let Some(&segment) = segments.get(&comment.segment) else { continue };
        let revision = comment.revision.as_ref().and_then(|r| revisions.get(r)).copied();
        tx.execute(
            "INSERT INTO comments (segment_id, revision_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![segment, revision, comment.author, comment.text, comment.at],
        )?;
        remember(tx, "comment", tx.last_insert_rowid(), &comment.id)?;
        incoming.comments += 1;
    }
    Ok(incoming)
}
