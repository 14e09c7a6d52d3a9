//! The SQL behind team projects: shared ids, the records a clone writes
//! out, taking in other clones' records, and conflicts.
//!
//! A conflict is a segment with *heads* that differ: revisions no other
//! revision continues (as parent) or resolved (in `revision_merges`), with
//! different texts or statuses. Two people who saved the same segment from
//! the same base leave two heads; both stay until a person picks or writes
//! the text, which is a revision whose parent is one head and whose merges
//! are the others. Two people who made the same change (both approved one
//! text) leave two heads that read alike: nothing to choose, no conflict.

mod memories;
mod summaries;

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Project, StoreError, memory, sqlite};
use crate::document::{DocumentId, SegmentId};
use crate::formats::team::{
    SharedAccepted, SharedComment, SharedDocument, SharedPassage, SharedProject, SharedPublication, SharedReference,
    SharedRevision, SharedSegment, SharedSummary, SharedTerm, SharedUnit, SharedVersion, SharedWord,
};
use crate::qa::QaCheck;
use crate::revision::{ErrorCategory, Revision, RevisionId, Status};

const WRITER_KEY: &str = "team.writer";

/// What a sync brought in from other clones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incoming {
    pub documents: Vec<String>,
    /// (document title, segment position, author) of each new revision.
    pub revisions: Vec<(String, u32, String)>,
    pub comments: u32,
    /// Summary sentences added, taken out, brought back or re-kinded.
    pub sentences: u32,
    pub link_decisions: u32,
    /// (summary title, approver) of each approval.
    pub approvals: Vec<(String, String)>,
    /// (document title, version name) of each new version.
    pub versions: Vec<(String, String)>,
    pub terms: u32,
    /// Words others added to the project dictionary.
    pub words: u32,
    pub accepted: u32,
    /// Changes to where a source was published.
    pub publications: u32,
    /// Names of the reference memories others shared.
    pub memories: Vec<String>,
    /// Shared memories others removed (and so removed here).
    pub memories_removed: u32,
}

impl Incoming {
    /// Adds what a later round of the same sync brought.
    pub fn absorb(&mut self, more: Incoming) {
        self.documents.extend(more.documents);
        self.revisions.extend(more.revisions);
        self.comments += more.comments;
        self.sentences += more.sentences;
        self.link_decisions += more.link_decisions;
        self.approvals.extend(more.approvals);
        self.versions.extend(more.versions);
        self.terms += more.terms;
        self.words += more.words;
        self.memories.extend(more.memories);
        self.memories_removed += more.memories_removed;
        self.accepted += more.accepted;
        self.publications += more.publications;
    }
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
    /// new records first (one transaction). Not shared: reference memories
    /// (large, and each person's own choice), split and join (refused in a
    /// team project), the summary template.
    pub fn shared_project(&mut self) -> Result<SharedProject, StoreError> {
        let writer = self.team_writer()?.ok_or_else(|| self.corrupt("not a team project".to_string()))?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        for (kind, rows) in SHARED_ROWS {
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

    /// The units of this clone's shared memory `memory`, to go into the
    /// repository beside its header.
    pub fn shared_memory_units(&self, memory: &str) -> Result<Vec<SharedUnit>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        memories::units(&tx, memory).map_err(self.err())
    }

    /// The memories of `shared` this clone has neither taken in nor
    /// removed: only their units need reading from the repository.
    pub fn lacking_memories(&self, shared: &SharedProject) -> Result<Vec<String>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        memories::lacking(&tx, shared).map_err(self.err())
    }

    /// Takes in the records of `shared` this clone does not have yet, in
    /// one transaction: a failure leaves the project as it was, and the
    /// next sync tries again. Records already here are never touched.
    pub fn apply_shared(&mut self, shared: &SharedProject) -> Result<Incoming, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        // A join writes a whole project and its memory in one transaction:
        // the import's larger page cache keeps its index pages in memory.
        self.set_page_cache(memory::IMPORT_PAGE_CACHE_KIB)?;
        let applied = self.tx().and_then(|tx| {
            let incoming = apply(&tx, shared).map_err(e)?;
            tx.commit().map_err(e)?;
            Ok(incoming)
        });
        self.set_page_cache(super::PAGE_CACHE_KIB)?;
        applied
    }

    /// Every segment in conflict, by document and position.
    pub fn conflicts(&self) -> Result<Vec<SegmentConflict>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.id, s.document_id, d.title, s.position, s.source
                   FROM (SELECT r.segment_id AS id FROM revisions r JOIN segments s ON s.id = r.segment_id
                          WHERE {HEAD} GROUP BY r.segment_id
                         HAVING count(DISTINCT r.status || char(10) || r.text) > 1) c
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
        let readings: HashSet<(&str, Status)> = heads.iter().map(|r| (r.text.as_str(), r.status)).collect();
        if readings.len() < 2 {
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
                "INSERT OR IGNORE INTO revision_merges (revision_id, merged_id) VALUES (?1, ?2)",
                params![revision.id.0, other.0],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(revision)
    }
}

/// Each kind of shared record and the local rows that are shared; a row
/// that names a segment is shared when its segment is. Segments joined
/// into another before the project was shared stay local.
const SHARED_ROWS: &[(&str, &str)] = &[
    ("document", "SELECT id FROM documents"),
    (
        "segment",
        "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id
          WHERE s.merged_into IS NULL OR d.kind = 'summary'",
    ),
    (
        "revision",
        "SELECT id FROM revisions WHERE segment_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')",
    ),
    ("comment", "SELECT id FROM comments WHERE segment_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')"),
    ("section", "SELECT p.id FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.kind = 'summary'"),
    (
        "sentence_change",
        "SELECT id FROM sentence_changes WHERE segment_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')",
    ),
    (
        "link",
        "SELECT id FROM link_decisions
          WHERE sentence_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')
            AND source_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')",
    ),
    ("approval", "SELECT id FROM summary_approvals"),
    ("publication", "SELECT id FROM document_sources"),
    ("version", "SELECT id FROM versions"),
    ("term", "SELECT id FROM glossary_terms"),
    ("word", "SELECT id FROM project_words"),
    ("memory", "SELECT id FROM memories WHERE read_only = 1"),
    ("memory_removal", "SELECT id FROM memory_removals"),
    (
        "accepted",
        "SELECT rowid AS id FROM qa_accepted
          WHERE segment_id IN (SELECT local_id FROM shared_ids WHERE kind = 'segment')",
    ),
];

/// `r` (a revision of segment `s`) is a head.
const HEAD: &str = "r.segment_id = s.id
    AND NOT EXISTS (SELECT 1 FROM revisions c WHERE c.parent_id = r.id)
    AND NOT EXISTS (SELECT 1 FROM revision_merges m WHERE m.merged_id = r.id)";

fn shared_ids(tx: &Transaction<'_>, kind: &str) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = tx.prepare_cached("SELECT local_id, shared_id FROM shared_ids WHERE kind = ?1")?;
    stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Shared ids of every kind, local row → shared id.
struct Ids(HashMap<&'static str, HashMap<i64, String>>);

impl Ids {
    fn read(tx: &Transaction<'_>) -> rusqlite::Result<Ids> {
        Ids::read_kinds(tx, &SHARED_ROWS.iter().map(|(kind, _)| *kind).collect::<Vec<_>>())
    }

    fn read_kinds(tx: &Transaction<'_>, kinds: &[&'static str]) -> rusqlite::Result<Ids> {
        let mut ids = HashMap::new();
        for kind in kinds {
            ids.insert(*kind, shared_ids(tx, kind)?);
        }
        Ok(Ids(ids))
    }

    fn of(&self, kind: &str, local: i64) -> Option<&String> {
        self.0.get(kind).and_then(|ids| ids.get(&local))
    }
}

fn read_shared(tx: &Transaction<'_>) -> rusqlite::Result<SharedProject> {
    let ids = Ids::read(tx)?;
    let mut project = SharedProject::default();

    let mut stmt =
        tx.prepare("SELECT id, title, source_lang, target_lang, origin, format, kind FROM documents ORDER BY id")?;
    let documents = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get::<_, String>(6)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, String, String, String)>>>()?;
    for (id, title, source_lang, target_lang, origin, format, kind) in documents {
        let Some(shared) = ids.of("document", id) else { continue };
        let (passages, summary) = if kind == "summary" {
            (Vec::new(), Some(shared_summary(tx, &ids, id)?))
        } else {
            (passages(tx, &ids, id)?, None)
        };
        project.documents.push(SharedDocument {
            id: shared.clone(),
            title,
            source_lang,
            target_lang,
            origin,
            format,
            passages,
            summary,
        });
    }

    // Each shared segment's document, by shared id.
    let mut segment_document: HashMap<i64, String> = HashMap::new();
    let mut stmt = tx.prepare("SELECT id, document_id FROM segments")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (segment, document) = row?;
        if let (Some(_), Some(document)) = (ids.of("segment", segment), ids.of("document", document)) {
            segment_document.insert(segment, document.clone());
        }
    }

    let mut merges: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = tx.prepare("SELECT revision_id, merged_id FROM revision_merges ORDER BY revision_id, merged_id")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (revision, merged) = row?;
        if let Some(merged) = ids.of("revision", merged) {
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
            (ids.of("revision", id), segment_document.get(&segment), ids.of("segment", segment))
        else {
            continue;
        };
        project.revisions.entry(document.clone()).or_default().push(SharedRevision {
            id: shared.clone(),
            segment: segment.clone(),
            parent: parent.and_then(|p| ids.of("revision", p).cloned()),
            merges: merges.remove(&id).unwrap_or_default(),
            text,
            status,
            author,
            at,
            origin,
        });
    }
    let mut stmt =
        tx.prepare("SELECT id, segment_id, revision_id, author, text, created_at, category FROM comments ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    for row in rows {
        let (id, segment, revision, author, text, at, category) = row?;
        let (Some(shared), Some(document), Some(segment)) =
            (ids.of("comment", id), segment_document.get(&segment), ids.of("segment", segment))
        else {
            continue;
        };
        project.comments.entry(document.clone()).or_default().push(SharedComment {
            id: shared.clone(),
            segment: segment.clone(),
            revision: revision.and_then(|r| ids.of("revision", r).cloned()),
            author,
            text,
            category,
            at,
        });
    }
    summaries::read(tx, &ids, &segment_document, &mut project)?;
    read_versions(tx, &ids, &mut project)?;
    read_accepted(tx, &ids, &segment_document, &mut project)?;
    read_publications(tx, &ids, &mut project)?;
    read_terms(tx, &ids, &mut project)?;
    read_words(tx, &ids, &mut project)?;
    memories::read(tx, &ids, &mut project)?;
    Ok(project)
}

/// A translation document's passages and segments.
fn passages(tx: &Transaction<'_>, ids: &Ids, document: i64) -> rusqlite::Result<Vec<SharedPassage>> {
    let mut passages: Vec<SharedPassage> = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT p.id, p.kind, p.level, s.id, s.source FROM passages p
           LEFT JOIN segments s ON s.passage_id = p.id AND s.merged_into IS NULL
          WHERE p.document_id = ?1 ORDER BY p.position, s.position",
    )?;
    let rows = stmt
        .query_map([document], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, i64, Option<i64>, Option<String>)>>>()?;
    let mut last_passage = None;
    for (passage, kind, level, segment, source) in rows {
        if last_passage != Some(passage) {
            let kind = crate::document::PassageKind::parse(&kind).unwrap_or(crate::document::PassageKind::Paragraph);
            passages.push(SharedPassage { kind, level: level.clamp(0, 255) as u8, segments: Vec::new() });
            last_passage = Some(passage);
        }
        if let (Some(segment), Some(source)) = (segment, source)
            && let Some(shared_segment) = ids.of("segment", segment)
        {
            passages
                .last_mut()
                .expect("pushed above")
                .segments
                .push(SharedSegment { id: shared_segment.clone(), source });
        }
    }
    Ok(passages)
}

/// A summary's sources (by shared id) and references.
fn shared_summary(tx: &Transaction<'_>, ids: &Ids, summary: i64) -> rusqlite::Result<SharedSummary> {
    let mut stmt =
        tx.prepare_cached("SELECT document_id FROM summary_sources WHERE summary_id = ?1 ORDER BY position")?;
    let sources = stmt
        .query_map([summary], |r| r.get::<_, i64>(0))?
        .filter_map(|id| id.map(|id| ids.of("document", id).cloned()).transpose())
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let mut stmt = tx.prepare_cached("SELECT title, url FROM summary_references WHERE summary_id = ?1 ORDER BY id")?;
    let references = stmt
        .query_map([summary], |r| Ok(SharedReference { title: r.get(0)?, url: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SharedSummary { sources, references })
}

fn read_versions(tx: &Transaction<'_>, ids: &Ids, project: &mut SharedProject) -> rusqlite::Result<()> {
    let mut entries: HashMap<i64, BTreeMap<String, Option<String>>> = HashMap::new();
    let mut stmt = tx.prepare("SELECT version_id, segment_id, revision_id FROM version_revisions")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?)))? {
        let (version, segment, revision) = row?;
        if let Some(segment) = ids.of("segment", segment) {
            let revision = revision.and_then(|r| ids.of("revision", r).cloned());
            entries.entry(version).or_default().insert(segment.clone(), revision);
        }
    }
    let mut stmt = tx.prepare("SELECT id, document_id, name, author, created_at FROM versions ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get(4)?))
    })?;
    for row in rows {
        let (id, document, name, author, at) = row?;
        let (Some(shared), Some(document)) = (ids.of("version", id), ids.of("document", document)) else { continue };
        project.versions.entry(document.clone()).or_default().push(SharedVersion {
            id: shared.clone(),
            name,
            author,
            at,
            revisions: entries.remove(&id).unwrap_or_default(),
        });
    }
    Ok(())
}

fn read_accepted(
    tx: &Transaction<'_>,
    ids: &Ids,
    segment_document: &HashMap<i64, String>,
    project: &mut SharedProject,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "SELECT rowid, segment_id, check_name, detail, author, reason, created_at FROM qa_accepted ORDER BY rowid",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    for row in rows {
        let (id, segment, check, detail, author, reason, at) = row?;
        let (Some(shared), Some(document), Some(segment)) =
            (ids.of("accepted", id), segment_document.get(&segment), ids.of("segment", segment))
        else {
            continue;
        };
        project.accepted.entry(document.clone()).or_default().push(SharedAccepted {
            id: shared.clone(),
            segment: segment.clone(),
            check,
            detail,
            author,
            reason,
            at,
        });
    }
    Ok(())
}

fn read_terms(tx: &Transaction<'_>, ids: &Ids, project: &mut SharedProject) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "SELECT id, source_lang, target_lang, source, target, note, forbidden, origin, created_at
           FROM glossary_terms ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SharedTerm {
                id: String::new(),
                source_lang: r.get(1)?,
                target_lang: r.get(2)?,
                source: r.get(3)?,
                target: r.get(4)?,
                note: r.get(5)?,
                forbidden: r.get::<_, i64>(6)? != 0,
                origin: r.get(7)?,
                at: r.get(8)?,
            },
        ))
    })?;
    for row in rows {
        let (id, mut term) = row?;
        if let Some(shared) = ids.of("term", id) {
            term.id = shared.clone();
            project.glossary.push(term);
        }
    }
    Ok(())
}

fn read_words(tx: &Transaction<'_>, ids: &Ids, project: &mut SharedProject) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("SELECT id, lang, word, author, created_at FROM project_words ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SharedWord { id: String::new(), lang: r.get(1)?, word: r.get(2)?, author: r.get(3)?, at: r.get(4)? },
        ))
    })?;
    for row in rows {
        let (id, mut word) = row?;
        if let Some(shared) = ids.of("word", id) {
            word.id = shared.clone();
            project.words.push(word);
        }
    }
    Ok(())
}

/// Words others added; one added on two clones at once is kept once.
fn apply_words(tx: &Transaction<'_>, shared: &SharedProject, incoming: &mut Incoming) -> rusqlite::Result<()> {
    let known = map_ids(tx, "word")?;
    for word in shared.words.iter().filter(|w| !known.contains_key(&w.id)) {
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO project_words (lang, word, author, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![word.lang, word.word, word.author, word.at],
        )?;
        if inserted == 1 {
            remember(tx, "word", tx.last_insert_rowid(), &word.id)?;
            incoming.words += 1;
        }
    }
    Ok(())
}

fn map_ids(tx: &Transaction<'_>, kind: &str) -> rusqlite::Result<HashMap<String, i64>> {
    Ok(shared_ids(tx, kind)?.into_iter().map(|(local, shared)| (shared, local)).collect())
}

fn remember(tx: &Transaction<'_>, kind: &str, local: i64, shared: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO shared_ids (kind, local_id, shared_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, local, shared])?;
    Ok(())
}

/// Shared ids → local rows of the kinds records point at, kept up to date
/// while records are taken in.
struct Local {
    documents: HashMap<String, i64>,
    segments: HashMap<String, i64>,
    revisions: HashMap<String, i64>,
    /// Document titles by shared id, for the report.
    titles: HashMap<String, String>,
}

fn apply(tx: &Transaction<'_>, shared: &SharedProject) -> rusqlite::Result<Incoming> {
    let mut incoming = Incoming::default();
    let mut local = Local {
        documents: map_ids(tx, "document")?,
        segments: map_ids(tx, "segment")?,
        revisions: map_ids(tx, "revision")?,
        titles: shared.documents.iter().map(|d| (d.id.clone(), d.title.clone())).collect(),
    };
    let comments = map_ids(tx, "comment")?;
    let mut positions: HashMap<&str, u32> = HashMap::new();

    // Translations first: a summary names the documents it summarises.
    let mut documents: Vec<&SharedDocument> = shared.documents.iter().collect();
    documents.sort_by_key(|d| d.summary.is_some());
    for document in documents {
        for (position, segment) in document.passages.iter().flat_map(|p| &p.segments).enumerate() {
            positions.insert(&segment.id, position as u32);
        }
        if local.documents.contains_key(&document.id) {
            continue;
        }
        let kind = if document.summary.is_some() { "summary" } else { "translation" };
        tx.execute(
            "INSERT INTO documents (title, source_lang, target_lang, origin, format, kind)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![document.title, document.source_lang, document.target_lang, document.origin, document.format, kind],
        )?;
        let document_id = tx.last_insert_rowid();
        remember(tx, "document", document_id, &document.id)?;
        local.documents.insert(document.id.clone(), document_id);
        if let Some(summary) = &document.summary {
            for (position, source) in summary.sources.iter().enumerate() {
                if let Some(source) = local.documents.get(source) {
                    tx.execute(
                        "INSERT INTO summary_sources (summary_id, document_id, position) VALUES (?1, ?2, ?3)",
                        params![document_id, source, position as i64],
                    )?;
                }
            }
            for reference in &summary.references {
                tx.execute(
                    "INSERT INTO summary_references (summary_id, title, url) VALUES (?1, ?2, ?3)",
                    params![document_id, reference.title, reference.url],
                )?;
            }
        }
        let mut position = 0i64;
        for (index, passage) in document.passages.iter().enumerate() {
            tx.prepare_cached("INSERT INTO passages (document_id, position, kind, level) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![document_id, index as i64, passage.kind.as_str(), passage.level])?;
            let passage_id = tx.last_insert_rowid();
            for segment in &passage.segments {
                tx.prepare_cached(
                    "INSERT INTO segments (document_id, passage_id, position, source) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![document_id, passage_id, position, segment.source])?;
                let segment_id = tx.last_insert_rowid();
                remember(tx, "segment", segment_id, &segment.id)?;
                local.segments.insert(segment.id.clone(), segment_id);
                position += 1;
            }
        }
        incoming.documents.push(document.title.clone());
    }
    // A summary's sentences are segments: they come before their revisions.
    let touched = summaries::apply_structure(tx, shared, &mut local, &mut incoming)?;

    // Revisions whose parent is not here yet wait for it: one writer's file
    // may continue another writer's revision.
    let mut waiting: Vec<(&str, &SharedRevision)> = shared
        .revisions
        .iter()
        .flat_map(|(document, list)| list.iter().map(move |r| (document.as_str(), r)))
        .filter(|(_, r)| !local.revisions.contains_key(&r.id))
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
                Some(parent) => match local.revisions.get(parent) {
                    Some(local) => Some(*local),
                    None => {
                        still.push((document, revision));
                        continue;
                    }
                },
                None => None,
            };
            let Some(&segment) = local.segments.get(&revision.segment) else { continue };
            let Some(status) = Status::parse(&revision.status) else { continue };
            if status.is_translated() && !revision.text.trim().is_empty() {
                confirmed.insert(segment, (revision, status));
            }
            tx.prepare_cached(
                "INSERT INTO revisions (segment_id, parent_id, text, status, author, created_at, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                segment,
                parent,
                revision.text,
                revision.status,
                revision.author,
                revision.at,
                revision.origin
            ])?;
            let id = tx.last_insert_rowid();
            remember(tx, "revision", id, &revision.id)?;
            local.revisions.insert(revision.id.clone(), id);
            incoming.revisions.push((
                local.titles.get(document).cloned().unwrap_or_default(),
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
    memory::record_all(
        tx,
        confirmed.into_iter().map(|(segment, (revision, status))| memory::Confirmed {
            segment: SegmentId(segment),
            text: &revision.text,
            status,
            author: &revision.author,
            origin: revision.origin.as_deref(),
        }),
    )?;
    // Merges point at revisions that are all here now.
    for revision in shared.revisions.values().flatten().filter(|r| !r.merges.is_empty()) {
        let Some(&id) = local.revisions.get(&revision.id) else { continue };
        for merged in &revision.merges {
            if let Some(&merged) = local.revisions.get(merged) {
                tx.execute(
                    "INSERT OR IGNORE INTO revision_merges (revision_id, merged_id) VALUES (?1, ?2)",
                    params![id, merged],
                )?;
            }
        }
    }
    for comment in shared.comments.values().flatten().filter(|c| !comments.contains_key(&c.id)) {
        let Some(&segment) = local.segments.get(&comment.segment) else { continue };
        let revision = comment.revision.as_ref().and_then(|r| local.revisions.get(r)).copied();
        // A category this version does not know is left out, not refused.
        let category = comment.category.as_deref().and_then(ErrorCategory::parse).map(ErrorCategory::as_str);
        tx.execute(
            "INSERT INTO comments (segment_id, revision_id, author, text, created_at, category)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![segment, revision, comment.author, comment.text, comment.at, category],
        )?;
        remember(tx, "comment", tx.last_insert_rowid(), &comment.id)?;
        incoming.comments += 1;
    }
    summaries::apply_decisions(tx, shared, &local, &mut incoming)?;
    summaries::renumber(tx, &touched)?;
    apply_versions(tx, shared, &local, &mut incoming)?;
    apply_accepted(tx, shared, &local, &mut incoming)?;
    apply_publications(tx, shared, &local, &mut incoming)?;
    apply_terms(tx, shared, &mut incoming)?;
    apply_words(tx, shared, &mut incoming)?;
    memories::apply(tx, shared, &mut incoming)?;
    Ok(incoming)
}

/// Versions named by others. Two people may give two versions one name;
/// the one arriving is then told apart by its author's name.
fn apply_versions(
    tx: &Transaction<'_>,
    shared: &SharedProject,
    local: &Local,
    incoming: &mut Incoming,
) -> rusqlite::Result<()> {
    let known = map_ids(tx, "version")?;
    for (document, versions) in &shared.versions {
        let Some(&document_id) = local.documents.get(document) else { continue };
        for version in versions.iter().filter(|v| !known.contains_key(&v.id)) {
            let taken = |name: &str| -> rusqlite::Result<bool> {
                tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM versions WHERE document_id = ?1 AND name = ?2)",
                    params![document_id, name],
                    |r| r.get(0),
                )
            };
            let mut name = version.name.clone();
            let mut n = 1;
            while taken(&name)? {
                n += 1;
                name = if n == 2 {
                    format!("{} ({})", version.name, version.author)
                } else {
                    format!("{} ({} {n})", version.name, version.author)
                };
            }
            tx.execute(
                "INSERT INTO versions (document_id, name, author, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![document_id, name, version.author, version.at],
            )?;
            let id = tx.last_insert_rowid();
            remember(tx, "version", id, &version.id)?;
            for (segment, revision) in &version.revisions {
                let Some(&segment) = local.segments.get(segment) else { continue };
                let revision = revision.as_ref().and_then(|r| local.revisions.get(r)).copied();
                tx.execute(
                    "INSERT OR IGNORE INTO version_revisions (version_id, segment_id, revision_id) VALUES (?1, ?2, ?3)",
                    params![id, segment, revision],
                )?;
            }
            incoming.versions.push((local.titles.get(document).cloned().unwrap_or_default(), name));
        }
    }
    Ok(())
}

/// QA warnings others accepted. An accepted warning is a fact about a
/// segment, a check and its detail: once accepted here (by anyone), a
/// second acceptance of the same warning adds nothing.
fn read_publications(tx: &Transaction<'_>, ids: &Ids, project: &mut SharedProject) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare(
        "SELECT id, document_id, outlet, url, published, author, created_at FROM document_sources ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    for row in rows {
        let (id, document, outlet, url, date, author, at) = row?;
        let (Some(shared), Some(document)) = (ids.of("publication", id), ids.of("document", document)) else {
            continue;
        };
        project.publications.entry(document.clone()).or_default().push(SharedPublication {
            id: shared.clone(),
            outlet,
            url,
            date,
            author,
            at,
        });
    }
    Ok(())
}

/// Others' records of where a source was published; the newest by time
/// counts everywhere (see `Project::documents`).
fn apply_publications(
    tx: &Transaction<'_>,
    shared: &SharedProject,
    local: &Local,
    incoming: &mut Incoming,
) -> rusqlite::Result<()> {
    let known = map_ids(tx, "publication")?;
    for (document, records) in &shared.publications {
        let Some(&document) = local.documents.get(document) else { continue };
        for record in records.iter().filter(|r| !known.contains_key(&r.id)) {
            tx.execute(
                "INSERT INTO document_sources (document_id, outlet, url, published, author, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![document, record.outlet, record.url, record.date, record.author, record.at],
            )?;
            remember(tx, "publication", tx.last_insert_rowid(), &record.id)?;
            incoming.publications += 1;
        }
    }
    Ok(())
}

fn apply_accepted(
    tx: &Transaction<'_>,
    shared: &SharedProject,
    local: &Local,
    incoming: &mut Incoming,
) -> rusqlite::Result<()> {
    let known = map_ids(tx, "accepted")?;
    for accepted in shared.accepted.values().flatten().filter(|a| !known.contains_key(&a.id)) {
        let Some(&segment) = local.segments.get(&accepted.segment) else { continue };
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO qa_accepted (segment_id, check_name, detail, author, reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![segment, accepted.check, accepted.detail, accepted.author, accepted.reason, accepted.at],
        )?;
        if inserted == 1 {
            remember(tx, "accepted", tx.last_insert_rowid(), &accepted.id)?;
            incoming.accepted += 1;
            if accepted.check == QaCheck::Numbers.as_str() {
                memory::record_head(tx, SegmentId(segment))?;
            }
        }
    }
    Ok(())
}

/// Glossary terms others added; a pair already here (two people imported
/// one glossary) is not stored twice, as in an import.
fn apply_terms(tx: &Transaction<'_>, shared: &SharedProject, incoming: &mut Incoming) -> rusqlite::Result<()> {
    let known = map_ids(tx, "term")?;
    for term in shared.glossary.iter().filter(|t| !known.contains_key(&t.id)) {
        let inserted = tx.execute(
            "INSERT INTO glossary_terms (source_lang, target_lang, source, target, note, forbidden, origin, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE NOT EXISTS (SELECT 1 FROM glossary_terms
                 WHERE source_lang = ?1 AND target_lang = ?2 AND source = ?3 AND target = ?4 AND forbidden = ?6)",
            params![
                term.source_lang,
                term.target_lang,
                term.source,
                term.target,
                term.note,
                i64::from(term.forbidden),
                term.origin,
                term.at
            ],
        )?;
        if inserted == 1 {
            remember(tx, "term", tx.last_insert_rowid(), &term.id)?;
            incoming.terms += 1;
        }
    }
    Ok(())
}
