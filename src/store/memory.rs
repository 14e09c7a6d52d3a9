//! The translation memory's tables: recording confirmed segments, fuzzy
//! lookups through the FTS5 index (candidates by rarest words, scored by
//! [`crate::tm::score`]), concordance, TMX imports and exports in one
//! transaction, and pre-translation.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::{Project, StoreError, insert_revision_from, sqlite};
use crate::analysis::{Analyser, Analysis};
use crate::diff::{self, DiffAlgorithm};
use crate::document::{DocumentId, DocumentKind, SegmentId};
use crate::formats::tmx::TmxStats;
use crate::lang::LangTag;
use crate::revision::SegmentRow;
use crate::revision::{RevisionId, Status};
use crate::tm::{self, ConcordanceHit, Memory, MemoryId, PROJECT_MEMORY, Query, SearchIn, TmMatch};

/// What pre-translating a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Pretranslated {
    /// Segments that had no translation and were looked up.
    pub examined: u32,
    /// Of those, filled with a match as a draft.
    pub filled: u32,
    /// Filled with a 100% match.
    pub exact: u32,
    /// Stopped by the user: nothing was written.
    pub cancelled: bool,
    /// The drafts written, first and last, for undoing them together.
    pub first_revision: Option<RevisionId>,
    pub last_revision: Option<RevisionId>,
}

/// A segment without a translation and the sources of its neighbours,
/// what memory and machine translation are asked for.
#[derive(Debug, Clone)]
pub struct Untranslated {
    pub row: SegmentRow,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The page cache while a TMX file is imported (128 MB): index merges
/// touch many pages.
pub(super) const IMPORT_PAGE_CACHE_KIB: i64 = 131_072;

impl Project {
    /// Every segment of a document without a translation, with its
    /// neighbours taken from the same read of the document.
    pub fn untranslated(&self, document: DocumentId) -> Result<Vec<Untranslated>, StoreError> {
        let rows = self.segments(document)?;
        let source = |i: Option<usize>| i.and_then(|i| rows.get(i)).map(|r: &SegmentRow| r.source.clone());
        Ok(rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.translation.as_deref().is_none_or(|t| t.trim().is_empty()))
            .map(|(i, r)| Untranslated { row: r.clone(), before: source(i.checked_sub(1)), after: source(Some(i + 1)) })
            .collect())
    }

    pub fn memories(&self) -> Result<Vec<Memory>, StoreError> {
        memories(&self.conn).map_err(self.err())
    }

    /// Imports a TMX file as a new read-only reference memory, all or
    /// nothing (see [`import_tmx`]).
    pub fn import_tmx(
        &mut self,
        path: &Path,
        name: &str,
        priority: i64,
        langs: Option<(&LangTag, &LangTag)>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<(Memory, TmxStats), TmError> {
        let e = |source| TmError::Sqlite { path: path.to_path_buf(), source };
        // A larger page cache for the import's index writes, then back.
        self.set_page_cache(IMPORT_PAGE_CACHE_KIB)?;
        let imported = self.tx().map_err(TmError::from).and_then(|tx| {
            let imported = import_tmx(&tx, path, name, priority, langs, progress)?;
            tx.commit().map_err(e)?;
            Ok(imported)
        });
        self.set_page_cache(super::PAGE_CACHE_KIB)?;
        imported
    }

    pub fn export_memory(&self, memory: MemoryId, path: &Path) -> Result<u64, TmError> {
        export_tmx(&self.conn, memory, path)
    }

    /// Removes a reference memory and its units; the project memory stays.
    /// In a team project a shared memory's removal is recorded, so every
    /// clone removes it too.
    pub fn remove_memory(&mut self, memory: MemoryId, author: &str) -> Result<(), TmError> {
        let (name, read_only) = memory_named(&self.conn, memory)?;
        if !read_only {
            return Err(TmError::ProjectMemory(name));
        }
        let path = self.path.clone();
        let e = |source| TmError::Sqlite { path: path.clone(), source };
        let tx = self.tx()?;
        tx.execute(
            "INSERT OR IGNORE INTO memory_removals (memory, author)
             SELECT shared_id, ?2 FROM shared_ids WHERE kind = 'memory' AND local_id = ?1",
            params![memory.0, author],
        )
        .map_err(e)?;
        delete_memory(&tx, memory).map_err(e)?;
        tx.commit().map_err(e)
    }

    pub fn set_memory_priority(&mut self, memory: MemoryId, priority: i64) -> Result<(), TmError> {
        let path = self.path.clone();
        let changed = self
            .conn
            .execute("UPDATE memories SET priority = ?2 WHERE id = ?1", params![memory.0, priority])
            .map_err(|source| TmError::Sqlite { path, source })?;
        if changed == 0 { Err(TmError::NoSuchMemory(memory.0)) } else { Ok(()) }
    }

    /// The best matches for a segment of this project, with its neighbours
    /// as context.
    pub fn segment_matches(&self, segment: SegmentId, threshold: u8, limit: usize) -> Result<Vec<TmMatch>, StoreError> {
        let row = self.segment(segment)?;
        let (source_lang, target_lang) = self.languages(row.document_id)?;
        let (before, after) = neighbours(&self.conn, segment).map_err(self.err())?;
        let query = tm::Query {
            source: &row.source,
            source_lang: &source_lang,
            target_lang: &target_lang,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let mut matches = lookup(&self.conn, &query, threshold, limit + 1).map_err(self.err())?;
        // The segment's own unit is not a suggestion for itself.
        matches.retain(|m| !self.is_unit_of(m.unit, segment));
        matches.truncate(limit);
        Ok(matches)
    }

    fn is_unit_of(&self, unit: i64, segment: SegmentId) -> bool {
        self.conn
            .query_row("SELECT segment_id = ?2 FROM tm_units WHERE id = ?1", params![unit, segment.0], |r| r.get(0))
            .unwrap_or(false)
    }

    /// The sources of the segments before and after one.
    pub fn neighbours(&self, segment: SegmentId) -> Result<(Option<String>, Option<String>), StoreError> {
        neighbours(&self.conn, segment).map_err(self.err())
    }

    /// Matches for any sentence, outside a document.
    pub fn lookup(&self, query: &tm::Query<'_>, threshold: u8, limit: usize) -> Result<Vec<TmMatch>, StoreError> {
        lookup(&self.conn, query, threshold, limit).map_err(self.err())
    }

    pub fn concordance(&self, query: &str, within: SearchIn, limit: usize) -> Result<Vec<ConcordanceHit>, StoreError> {
        concordance(&self.conn, query, within, limit).map_err(self.err())
    }

    /// The analysis of `documents` (summaries are left out) against every
    /// memory of the project, as [`crate::analysis`] counts it. Only first
    /// occurrences are looked up, in parallel on read-only connections of
    /// their own (one per core, at most four): a 10,000-segment document
    /// against a million units is minutes on one. `progress` (segments
    /// looked up, of all) returning false cancels: `None`.
    pub fn analyse(
        &self,
        documents: &[DocumentId],
        scope: String,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<Option<Analysis>, StoreError> {
        let mut work = Vec::new();
        for &document in documents {
            if self.document(document)?.kind == DocumentKind::Translation {
                work.push((self.languages(document)?, self.segments(document)?));
            }
        }
        let analysed: HashSet<i64> = work.iter().flat_map(|(_, rows)| rows.iter().map(|r| r.id.0)).collect();
        // Each first occurrence with its neighbours; later ones repeat it.
        let mut seen = Analyser::default();
        let mut lookups = Vec::new();
        for ((source_lang, target_lang), rows) in &work {
            for (i, row) in rows.iter().enumerate() {
                if !seen.is_repetition(&row.source) {
                    seen.add(&row.source, None);
                    let before = i.checked_sub(1).map(|p| rows[p].source.as_str());
                    lookups.push((
                        row.source.as_str(),
                        before,
                        rows.get(i + 1).map(|n| n.source.as_str()),
                        source_lang,
                        target_lang,
                    ));
                }
            }
        }
        let total = lookups.len() as u32;
        if !progress(0, total) {
            return Ok(None);
        }
        let done = std::sync::atomic::AtomicU32::new(0);
        let cancelled = std::sync::atomic::AtomicBool::new(false);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let mut best: Vec<Option<(u8, bool)>> = vec![None; lookups.len()];
        let path = self.path.as_path();
        let found: rusqlite::Result<Vec<Vec<Found>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|worker| {
                    let (lookups, analysed, done, cancelled) = (&lookups, &analysed, &done, &cancelled);
                    scope.spawn(move || -> rusqlite::Result<Vec<Found>> {
                        let conn = Connection::open_with_flags(
                            path,
                            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                        )?;
                        conn.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768;")?;
                        let mut unit_segment = conn.prepare_cached("SELECT segment_id FROM tm_units WHERE id = ?1")?;
                        let mut found = Vec::new();
                        for (index, (source, before, after, source_lang, target_lang)) in
                            lookups.iter().enumerate().skip(worker).step_by(threads)
                        {
                            if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
                                break;
                            }
                            let query = tm::Query { source, source_lang, target_lang, before: *before, after: *after };
                            let mut best = None;
                            for candidate in lookup(&conn, &query, 50, 8)? {
                                let own: Option<i64> =
                                    unit_segment.query_row([candidate.unit], |r| r.get(0)).optional()?.flatten();
                                if !own.is_some_and(|segment| analysed.contains(&segment)) {
                                    best = Some((candidate.percent, candidate.in_context));
                                    break;
                                }
                            }
                            found.push((index, best));
                            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Ok(found)
                    })
                })
                .collect();
            // Progress is reported (and Cancel heard) here, on the caller's thread.
            while workers.iter().any(|w| !w.is_finished()) {
                if !progress(done.load(std::sync::atomic::Ordering::Relaxed), total) {
                    cancelled.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            workers.into_iter().map(|w| w.join().expect("an analysis worker panicked")).collect()
        });
        if cancelled.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(None);
        }
        for (index, found) in found.map_err(self.err())?.into_iter().flatten() {
            best[index] = found;
        }
        progress(total, total);
        let mut analyser = Analyser::default();
        let mut next = 0;
        for (_, rows) in &work {
            for row in rows {
                if analyser.is_repetition(&row.source) {
                    analyser.add(&row.source, None);
                } else {
                    analyser.add(&row.source, best[next]);
                    next += 1;
                }
            }
        }
        Ok(Some(analyser.finish(scope, work.len() as u32)))
    }

    /// Changes a unit's source and target, as a translator corrects a
    /// memory entry found in the concordance. Reference memories are
    /// read-only: they are what someone else delivered.
    pub fn edit_unit(&mut self, unit: i64, source: &str, target: &str, author: &str) -> Result<(), TmError> {
        let (source, target) = (source.trim(), target.trim());
        if source.is_empty() || target.is_empty() {
            return Err(TmError::EmptyUnit);
        }
        let path = self.path.clone();
        let e = |source| TmError::Sqlite { path: path.clone(), source };
        let tx = self.tx()?;
        let before = writable_unit(&tx, unit)?;
        let mut counts = HashMap::new();
        if before != source {
            tm::count_words(&mut counts, &before, -1);
            tm::count_words(&mut counts, source, 1);
        }
        tx.execute(
            "UPDATE tm_units SET source = ?2, target = ?3, author = ?4, origin = 'edited',
                    created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
              WHERE id = ?1",
            params![unit, source, target, author],
        )
        .map_err(e)?;
        apply_counts(&tx, &counts).map_err(e)?;
        tx.commit().map_err(e)
    }

    /// Deletes a unit of a memory that is not read-only.
    pub fn delete_unit(&mut self, unit: i64) -> Result<(), TmError> {
        let path = self.path.clone();
        let e = |source| TmError::Sqlite { path: path.clone(), source };
        let tx = self.tx()?;
        let before = writable_unit(&tx, unit)?;
        let mut counts = HashMap::new();
        tm::count_words(&mut counts, &before, -1);
        tx.execute("DELETE FROM tm_units WHERE id = ?1", [unit]).map_err(e)?;
        apply_counts(&tx, &counts).map_err(e)?;
        tx.commit().map_err(e)
    }

    /// Fills every untranslated segment of a document that has a match of
    /// at least `threshold` with it, as a draft whose origin is
    /// `tm:<percent>`. One transaction: `progress` (segments done, of all)
    /// returning false cancels and nothing is written.
    pub fn pretranslate(
        &mut self,
        document: DocumentId,
        threshold: u8,
        author: &str,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<Pretranslated, StoreError> {
        let rows = self.untranslated(document)?;
        let (source_lang, target_lang) = self.languages(document)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let total = rows.len() as u32;
        let mut outcome = Pretranslated {
            examined: total,
            filled: 0,
            exact: 0,
            cancelled: false,
            first_revision: None,
            last_revision: None,
        };
        for (done, Untranslated { row, before, after }) in rows.iter().enumerate() {
            if done % 16 == 0 && !progress(done as u32, total) {
                outcome.cancelled = true;
                return Ok(outcome);
            }
            let query = tm::Query {
                source: &row.source,
                source_lang: &source_lang,
                target_lang: &target_lang,
                before: before.as_deref(),
                after: after.as_deref(),
            };
            let best = lookup(&tx, &query, threshold, 1).map_err(e)?;
            let Some(best) = best.into_iter().next() else { continue };
            let origin = format!("tm:{}", best.percent);
            let parent: Option<RevisionId> = row.revision;
            let written = insert_revision_from(&tx, row.id, parent, &best.target, Status::Draft, author, Some(&origin))
                .map_err(e)?;
            outcome.first_revision.get_or_insert(written.id);
            outcome.last_revision = Some(written.id);
            outcome.filled += 1;
            outcome.exact += u32::from(best.percent == 100);
        }
        progress(total, total);
        tx.commit().map_err(e)?;
        Ok(outcome)
    }
}

impl Project {
    /// Writes machine translations as drafts with `origin`, in one
    /// transaction. A segment whose translation changed since `base` was
    /// read is left alone. Returns how many were written.
    pub fn fill_drafts(
        &mut self,
        drafts: &[(SegmentId, Option<RevisionId>, String)],
        origin: &str,
        author: &str,
    ) -> Result<u32, StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let mut written = 0;
        for (segment, base, text) in drafts {
            let head: Option<i64> = tx
                .query_row("SELECT max(id) FROM revisions WHERE segment_id = ?1", [segment.0], |r| r.get(0))
                .map_err(e)?;
            if head != base.map(|b| b.0) || text.trim().is_empty() {
                continue;
            }
            insert_revision_from(&tx, *segment, *base, text, Status::Draft, author, Some(origin)).map_err(e)?;
            written += 1;
        }
        tx.commit().map_err(e)?;
        Ok(written)
    }
}

/// Candidates scored exactly per lookup.
const CANDIDATES: usize = 400;

#[derive(Debug, thiserror::Error)]
pub enum TmError {
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error(transparent)]
    Tmx(#[from] crate::formats::tmx::TmxError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no translation memory with id {0}")]
    NoSuchMemory(i64),
    #[error("\"{0}\" is the project memory; it is filled by confirming segments and cannot be removed")]
    ProjectMemory(String),
    #[error("{path}: cannot write the file: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the import was cancelled; nothing was added")]
    Cancelled,
    #[error("no memory entry {0} (deleted already?)")]
    NoSuchUnit(i64),
    #[error("\"{0}\" is a reference memory and read-only; import a corrected TMX instead")]
    ReadOnly(String),
    #[error("a memory entry needs both a source and a translation")]
    EmptyUnit,
    #[error("{path}: no translation units for {source_lang} → {target_lang} in the file (it holds {found})")]
    NoPairs { path: PathBuf, source_lang: String, target_lang: String, found: String },
}

/// The sources of the visible segments before and after `segment`.
pub(crate) fn neighbours(conn: &Connection, segment: SegmentId) -> rusqlite::Result<(Option<String>, Option<String>)> {
    conn.prepare_cached(
        "SELECT (SELECT p.source FROM segments p WHERE p.document_id = s.document_id AND p.position < s.position
                   AND p.merged_into IS NULL ORDER BY p.position DESC LIMIT 1),
                (SELECT n.source FROM segments n WHERE n.document_id = s.document_id AND n.position > s.position
                   AND n.merged_into IS NULL ORDER BY n.position LIMIT 1)
         FROM segments s WHERE s.id = ?1",
    )?
    .query_row([segment.0], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
    .map(Option::unwrap_or_default)
}

/// A confirmed translation for the project memory.
pub(crate) struct Confirmed<'a> {
    pub segment: SegmentId,
    pub text: &'a str,
    pub status: Status,
    pub author: &'a str,
    pub origin: Option<&'a str>,
}

/// Puts a confirmed segment into the project memory, or updates the unit it
/// already has there. Summaries have no translations and are skipped.
pub(crate) fn record(
    tx: &Transaction<'_>,
    segment: SegmentId,
    text: &str,
    status: Status,
    author: &str,
    origin: Option<&str>,
) -> rusqlite::Result<()> {
    record_all(tx, [Confirmed { segment, text, status, author, origin }].into_iter())
}

/// Records a segment's current translation, when it is a confirmed one:
/// after a figure warning is accepted, here or by a teammate, a
/// translation held out of the memory for it may go in.
pub(crate) fn record_head(tx: &Transaction<'_>, segment: SegmentId) -> rusqlite::Result<()> {
    let head = tx
        .prepare_cached(
            "SELECT text, status, author, origin FROM revisions WHERE segment_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([segment.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })
        .optional()?;
    let Some((text, status, author, origin)) = head else { return Ok(()) };
    match Status::parse(&status) {
        Some(status) if status.is_translated() && !text.trim().is_empty() => {
            record(tx, segment, &text, status, &author, origin.as_deref())
        }
        _ => Ok(()),
    }
}

/// [`record`] for many segments at once (a team project taking in others'
/// work): the word counts behind candidate ranking are written once, and
/// when the units outnumber a quarter of the memory the word index is
/// rebuilt once instead of updated unit by unit (measured on 100,000
/// units: 6.5 s row by row, 1.2 s rebuilt).
pub(crate) fn record_all<'a>(
    tx: &Transaction<'_>,
    confirmed: impl ExactSizeIterator<Item = Confirmed<'a>>,
) -> rusqlite::Result<()> {
    let mut counts = HashMap::new();
    in_bulk(tx, confirmed.len(), || {
        for unit in confirmed {
            record_unit(tx, &unit, &mut counts)?;
        }
        Ok(())
    })?;
    apply_counts(tx, &counts)
}

/// Runs `insert`, which adds `units` units to the memories: when they
/// outnumber a quarter of what is there, the word index is rebuilt once
/// afterwards instead of updated unit by unit.
pub(crate) fn in_bulk<T>(
    tx: &Transaction<'_>,
    units: usize,
    insert: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let units = units as i64;
    // Counting the memory reads it all: only worth it for a bulk.
    let rebuild = units >= BULK_UNITS
        && units * 4 >= tx.query_row("SELECT count(*) FROM tm_units", [], |r| r.get::<_, i64>(0))?;
    if rebuild {
        tx.execute_batch("DROP TRIGGER tm_units_indexed")?;
    }
    let inserted = insert()?;
    if rebuild {
        tx.execute_batch(INDEX_TRIGGER)?;
        // Not FTS5's 'rebuild', which would read the units' raw text.
        tx.execute_batch(
            "INSERT INTO tm_index (tm_index) VALUES ('delete-all');
             INSERT INTO tm_index (rowid, source, target)
                 SELECT id, verso_index_text(source), verso_index_text(target) FROM tm_units;",
        )?;
    }
    Ok(inserted)
}

/// From this many units at once, rebuilding the word index can pay.
const BULK_UNITS: i64 = 1_000;

/// The trigger that keeps the word index up to date with each new unit (as
/// the schema creates it), put back after a bulk recording.
const INDEX_TRIGGER: &str = "CREATE TRIGGER tm_units_indexed AFTER INSERT ON tm_units BEGIN
    INSERT INTO tm_index (rowid, source, target) VALUES (new.id, verso_index_text(new.source), verso_index_text(new.target));
END;";

fn record_unit(tx: &Transaction<'_>, unit: &Confirmed<'_>, counts: &mut HashMap<String, i64>) -> rusqlite::Result<()> {
    // The segment, its neighbours and its unit so far, in one statement.
    let found = tx
        .prepare_cached(
            "SELECT s.source, d.source_lang, d.target_lang, d.id,
                    (SELECT p.source FROM segments p WHERE p.document_id = s.document_id AND p.position < s.position
                       AND p.merged_into IS NULL ORDER BY p.position DESC LIMIT 1),
                    (SELECT n.source FROM segments n WHERE n.document_id = s.document_id AND n.position > s.position
                       AND n.merged_into IS NULL ORDER BY n.position LIMIT 1),
                    (SELECT u.source FROM tm_units u WHERE u.segment_id = s.id)
               FROM segments s JOIN documents d ON d.id = s.document_id
              WHERE s.id = ?1 AND d.kind = 'translation'",
        )?
        .query_row([unit.segment.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })
        .optional()?;
    // Summaries have no translations.
    let Some((source, source_lang, target_lang, document, before, after, stored)) = found else { return Ok(()) };
    // A translation whose figures differ from its source's stays out of the
    // memory until the warning is resolved or accepted: a memory repeats
    // what it holds into every later document. An earlier unit of the
    // segment goes too; it is no longer the segment's translation.
    if figures_held(tx, unit, &source, &source_lang, &target_lang)? {
        if let Some(stored) = &stored {
            tm::count_words(counts, stored, -1);
            tx.prepare_cached("DELETE FROM tm_units WHERE segment_id = ?1")?.execute([unit.segment.0])?;
        }
        return Ok(());
    }
    if stored.as_deref() != Some(source.as_str()) {
        if let Some(stored) = &stored {
            tm::count_words(counts, stored, -1);
        }
        tm::count_words(counts, &source, 1);
    }
    tx.prepare_cached(
        "INSERT INTO tm_units (memory_id, source_lang, target_lang, source, target, origin, status, document_id,
                               segment_id, context_before, context_after, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (segment_id) DO UPDATE SET
             source = excluded.source, target = excluded.target, origin = excluded.origin,
             status = excluded.status, context_before = excluded.context_before,
             context_after = excluded.context_after, author = excluded.author,
             created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
    )?
    .execute(params![
        PROJECT_MEMORY.0,
        source_lang,
        target_lang,
        source,
        unit.text,
        unit.origin.unwrap_or("translator"),
        unit.status.as_str(),
        document,
        unit.segment.0,
        tm::context_hash(before.as_deref()),
        tm::context_hash(after.as_deref()),
        unit.author
    ])?;
    Ok(())
}

/// Whether a confirmed translation has a figure warning nobody accepted.
fn figures_held(
    tx: &Transaction<'_>,
    unit: &Confirmed<'_>,
    source: &str,
    source_lang: &str,
    target_lang: &str,
) -> rusqlite::Result<bool> {
    let (Ok(from), Ok(to)) = (source_lang.parse::<LangTag>(), target_lang.parse::<LangTag>()) else { return Ok(false) };
    let apart = crate::qa::figures_apart(source, unit.text, &from, &to);
    if apart.is_empty() {
        return Ok(false);
    }
    let mut stmt =
        tx.prepare_cached("SELECT detail FROM qa_accepted WHERE segment_id = ?1 AND check_name = 'numbers'")?;
    let accepted: Vec<String> = stmt.query_map([unit.segment.0], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(apart.iter().any(|(value, _, _)| !accepted.contains(value)))
}

/// Writes counted word frequencies into `tm_terms`.
pub(crate) fn apply_counts(conn: &Connection, counts: &HashMap<String, i64>) -> rusqlite::Result<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO tm_terms (term, docs) VALUES (?1, ?2)
         ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs",
    )?;
    for (term, by) in counts.iter().filter(|(_, by)| **by != 0) {
        upsert.execute(params![term, by])?;
    }
    if counts.values().any(|by| *by < 0) {
        conn.execute("DELETE FROM tm_terms WHERE docs <= 0", [])?;
    }
    Ok(())
}

struct Candidate {
    unit: i64,
    memory: MemoryId,
    memory_name: String,
    priority: i64,
    source: String,
    target: String,
    author: String,
    created_at: String,
    context: (Option<i64>, Option<i64>),
}

/// Postings read per lookup in all, rarest words first.
const POSTING_BUDGET: i64 = 40_000;

/// Postings read for one word at most (newest first), for sentences made
/// only of common words.
const POSTINGS: i64 = 20_000;

/// Units sharing the sentence's rarest words, those sharing the most first.
///
/// Word frequencies come from `tm_terms`, kept as units come and go. The
/// rarest words, as many as [`POSTING_BUDGET`] allows and at least three,
/// are read from the index and counted per unit: the more of the sentence's
/// words are counted, the better the count tells the best unit from units
/// sharing only a part of it, and the cost stays bounded whatever the
/// memory's size.
fn candidates(conn: &Connection, query: &Query<'_>, words: &[String]) -> rusqlite::Result<Vec<Candidate>> {
    let mut frequency = conn.prepare_cached("SELECT docs FROM tm_terms WHERE term = ?1")?;
    let mut known = Vec::new();
    for word in words {
        let docs: Option<i64> = frequency.query_row([word], |r| r.get(0)).optional()?;
        if let Some(docs) = docs.filter(|&d| d > 0) {
            known.push((docs, format!("source : {}", tm::quoted(word))));
        }
    }
    known.sort();
    let mut budget = 0;
    let wanted = known
        .iter()
        .take_while(|(docs, _)| {
            budget += docs;
            budget <= POSTING_BUDGET
        })
        .count()
        .max(3);
    let mut postings =
        conn.prepare_cached("SELECT rowid FROM tm_index WHERE tm_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2")?;
    let mut shared: HashMap<i64, u32> = HashMap::new();
    for (_, expression) in known.iter().take(wanted) {
        let rows = postings.query_map(params![expression, POSTINGS], |r| r.get::<_, i64>(0))?;
        for unit in rows {
            *shared.entry(unit?).or_default() += 1;
        }
    }
    let mut ranked: Vec<(u32, i64)> = shared.into_iter().map(|(unit, n)| (n, unit)).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.memory_id, m.name, m.priority, u.source, u.target, u.author, u.created_at,
                u.context_before, u.context_after, u.source_lang, u.target_lang
         FROM tm_units u JOIN memories m ON m.id = u.memory_id WHERE u.id = ?1",
    )?;
    let (source_lang, target_lang) = (query.source_lang.primary(), query.target_lang.primary());
    let mut out = Vec::new();
    for (_, unit) in ranked.into_iter().take(CANDIDATES) {
        let (candidate, (s, t)) = stmt.query_row([unit], |r| {
            let langs: (String, String) = (r.get(10)?, r.get(11)?);
            Ok((
                Candidate {
                    unit: r.get(0)?,
                    memory: MemoryId(r.get(1)?),
                    memory_name: r.get(2)?,
                    priority: r.get(3)?,
                    source: r.get(4)?,
                    target: r.get(5)?,
                    author: r.get(6)?,
                    created_at: r.get(7)?,
                    context: (r.get(8)?, r.get(9)?),
                },
                langs,
            ))
        })?;
        if tm::primary(&s) == source_lang && tm::primary(&t) == target_lang {
            out.push(candidate);
        }
    }
    Ok(out)
}

/// The best matches for a sentence, at least `threshold` percent, best
/// first (then higher-priority memory, then newer), at most `limit`.
pub fn lookup(conn: &Connection, query: &Query<'_>, threshold: u8, limit: usize) -> rusqlite::Result<Vec<TmMatch>> {
    let current = crate::text::tokens(query.source);
    let words = tm::index_words(query.source);
    let context = (tm::context_hash(query.before), tm::context_hash(query.after));
    let mut scored: Vec<(u8, bool, Candidate)> = Vec::new();
    for candidate in candidates(conn, query, &words)? {
        let percent = if candidate.source == query.source {
            100
        } else {
            let stored = crate::text::tokens(&candidate.source);
            if tm::score::ceiling(&stored, &current) < threshold {
                continue;
            }
            tm::score::percent_of(&stored, &current)
        };
        if percent >= threshold {
            let in_context = percent == 100 && context.0.is_some() && candidate.context == context;
            scored.push((percent, in_context, candidate));
        }
    }
    scored.sort_by(|a, b| {
        (b.0, b.1, b.2.priority, &b.2.created_at, b.2.unit).cmp(&(a.0, a.1, a.2.priority, &a.2.created_at, a.2.unit))
    });
    // The same pair stored twice (two memories, two documents) shows once.
    let mut seen = HashSet::new();
    scored.retain(|(_, _, c)| seen.insert((c.source.clone(), c.target.clone())));
    let granularity = diff::granularity_for(query.source_lang);
    Ok(scored
        .into_iter()
        .take(limit)
        .map(|(percent, in_context, c)| TmMatch {
            source_diff: diff::diff_text(&c.source, query.source, granularity, DiffAlgorithm::Auto),
            unit: c.unit,
            memory: c.memory,
            memory_name: c.memory_name,
            percent,
            in_context,
            source: c.source,
            target: c.target,
            author: c.author,
            created_at: c.created_at,
        })
        .collect())
}

/// Units whose source or target holds the words of `query` in a row,
/// newest first, at most `limit`.
/// A looked-up sentence's place in the analysis and its best match, if any
/// (percent, in context).
type Found = (usize, Option<(u8, bool)>);

/// A unit's source, when its memory may be changed.
fn writable_unit(tx: &Transaction<'_>, unit: i64) -> Result<String, TmError> {
    let found: Option<(String, String, bool)> = tx
        .query_row(
            "SELECT u.source, m.name, m.read_only FROM tm_units u JOIN memories m ON m.id = u.memory_id WHERE u.id = ?1",
            [unit],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|source| TmError::Sqlite { path: PathBuf::new(), source })?;
    match found {
        None => Err(TmError::NoSuchUnit(unit)),
        Some((_, name, true)) => Err(TmError::ReadOnly(name)),
        Some((source, _, false)) => Ok(source),
    }
}

pub fn concordance(
    conn: &Connection,
    query: &str,
    within: SearchIn,
    limit: usize,
) -> rusqlite::Result<Vec<ConcordanceHit>> {
    // As the index reads text: Chinese and Japanese as character pairs.
    let words: Vec<String> =
        crate::text::words_with_spans(&tm::index_text(query)).into_iter().map(|(w, _, _)| w).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let phrase = tm::quoted(&words.join(" "));
    // FTS5 column filters: `source : "…"` searches the source only.
    let phrase = match within {
        SearchIn::Both => phrase,
        SearchIn::Source => format!("source : {phrase}"),
        SearchIn::Target => format!("target : {phrase}"),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, m.name, u.source_lang, u.target_lang, u.source, u.target
         FROM (SELECT rowid AS id FROM tm_index WHERE tm_index MATCH ?1 ORDER BY rowid DESC LIMIT ?2) c
         JOIN tm_units u ON u.id = c.id JOIN memories m ON m.id = u.memory_id ORDER BY u.id DESC",
    )?;
    let rows = stmt.query_map(params![phrase, limit as i64], |r| {
        let (source, target): (String, String) = (r.get(4)?, r.get(5)?);
        Ok(ConcordanceHit {
            unit: r.get(0)?,
            memory_name: r.get(1)?,
            source_lang: r.get(2)?,
            target_lang: r.get(3)?,
            source_spans: tm::phrase_spans(&source, query),
            target_spans: tm::phrase_spans(&target, query),
            source,
            target,
        })
    })?;
    rows.collect()
}

/// A memory's name and whether it is read-only, without counting its units.
pub(crate) fn memory_named(conn: &Connection, memory: MemoryId) -> Result<(String, bool), TmError> {
    conn.query_row("SELECT name, read_only FROM memories WHERE id = ?1", [memory.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(|source| TmError::Sqlite { path: PathBuf::new(), source })?
        .ok_or(TmError::NoSuchMemory(memory.0))
}

/// Every memory of the project with its size.
pub fn memories(conn: &Connection) -> rusqlite::Result<Vec<Memory>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.name, m.priority, m.read_only, (SELECT count(*) FROM tm_units u WHERE u.memory_id = m.id)
         FROM memories m ORDER BY m.priority DESC, m.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Memory {
            id: MemoryId(r.get(0)?),
            name: r.get(1)?,
            priority: r.get(2)?,
            read_only: r.get(3)?,
            units: r.get::<_, i64>(4)? as u64,
        })
    })?;
    rows.collect()
}

/// Reads a TMX file into a new read-only memory in one transaction: on an
/// error or a cancel nothing is added. Only pairs of the project's language
/// pair are kept when `langs` is given. `progress` gets (bytes read, bytes
/// in all) and returns false to cancel.
pub fn import_tmx(
    tx: &Transaction<'_>,
    path: &Path,
    name: &str,
    priority: i64,
    langs: Option<(&LangTag, &LangTag)>,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<(Memory, crate::formats::tmx::TmxStats), TmError> {
    let e = |source| TmError::Sqlite { path: path.to_path_buf(), source };
    tx.execute("INSERT INTO memories (name, priority, read_only) VALUES (?1, ?2, 1)", params![name, priority])
        .map_err(e)?;
    let memory = MemoryId(tx.last_insert_rowid());
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO tm_units (memory_id, source_lang, target_lang, source, target, origin, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
        )
        .map_err(e)?;
    let origin = format!("tmx:{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
    let mut failure: Option<rusqlite::Error> = None;
    let mut cancelled = false;
    let mut kept = 0u64;
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut found: Vec<String> = Vec::new();
    let stats = crate::formats::tmx::read(
        path,
        |unit| {
            if let Some((s, t)) = langs
                && !(tm::primary(&unit.source_lang) == s.primary() && tm::primary(&unit.target_lang) == t.primary())
            {
                let pair = format!("{} → {}", unit.source_lang, unit.target_lang);
                if found.len() < 5 && !found.contains(&pair) {
                    found.push(pair);
                }
                return crate::formats::tmx::Flow::Continue;
            }
            let result = insert.execute(params![
                memory.0,
                unit.source_lang,
                unit.target_lang,
                unit.source,
                unit.target,
                origin,
                unit.author.as_deref().unwrap_or(""),
                unit.date
            ]);
            match result {
                Ok(_) => {
                    kept += 1;
                    tm::count_words(&mut counts, &unit.source, 1);
                    crate::formats::tmx::Flow::Continue
                }
                Err(error) => {
                    failure = Some(error);
                    crate::formats::tmx::Flow::Stop
                }
            }
        },
        |done, total| {
            if progress(done, total) {
                crate::formats::tmx::Flow::Continue
            } else {
                cancelled = true;
                crate::formats::tmx::Flow::Stop
            }
        },
    )?;
    if let Some(error) = failure {
        return Err(e(error));
    }
    if cancelled {
        return Err(TmError::Cancelled);
    }
    drop(insert);
    apply_counts(tx, &counts).map_err(e)?;
    if kept == 0
        && let Some((s, t)) = langs
    {
        return Err(TmError::NoPairs {
            path: path.to_path_buf(),
            source_lang: s.to_string(),
            target_lang: t.to_string(),
            found: if found.is_empty() { "no units".into() } else { found.join(", ") },
        });
    }
    let memory = Memory { id: memory, name: name.to_string(), priority, read_only: true, units: kept };
    Ok((memory, stats))
}

/// Deletes a reference memory and its units, keeping the word counts.
pub(crate) fn delete_memory(tx: &Transaction<'_>, memory: MemoryId) -> rusqlite::Result<()> {
    let mut counts = HashMap::new();
    {
        let mut sources = tx.prepare("SELECT source FROM tm_units WHERE memory_id = ?1")?;
        let mut rows = sources.query([memory.0])?;
        while let Some(row) = rows.next()? {
            tm::count_words(&mut counts, &row.get::<_, String>(0)?, -1);
        }
    }
    apply_counts(tx, &counts)?;
    tx.execute("DELETE FROM tm_units WHERE memory_id = ?1", [memory.0])?;
    tx.execute("DELETE FROM memories WHERE id = ?1", [memory.0])?;
    Ok(())
}

/// Writes every unit of a memory as TMX 1.4b, atomically.
pub fn export_tmx(conn: &Connection, memory: MemoryId, path: &Path) -> Result<u64, TmError> {
    let e = |source| TmError::Sqlite { path: path.to_path_buf(), source };
    let w = |source| TmError::Write { path: path.to_path_buf(), source };
    memory_named(conn, memory)?;
    // The header names the first unit's source language; `*all*` when empty.
    let source_lang: Option<String> = conn
        .query_row("SELECT source_lang FROM tm_units WHERE memory_id = ?1 ORDER BY id LIMIT 1", [memory.0], |r| {
            r.get(0)
        })
        .optional()
        .map_err(e)?;
    let mut stmt = conn
        .prepare("SELECT source_lang, target_lang, source, target, author, created_at FROM tm_units WHERE memory_id = ?1 ORDER BY id")
        .map_err(e)?;
    let mut rows = stmt.query([memory.0]).map_err(e)?;
    let partial = path.with_extension("tmx.partial");
    let file = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(w)?);
    let mut writer =
        crate::formats::tmx::TmxWriter::start(file, source_lang.as_deref().unwrap_or("*all*")).map_err(w)?;
    let mut count = 0;
    while let Some(row) = rows.next().map_err(e)? {
        let author: String = row.get(4).map_err(e)?;
        let unit = crate::formats::tmx::TmxUnit {
            source_lang: row.get(0).map_err(e)?,
            target_lang: row.get(1).map_err(e)?,
            source: row.get(2).map_err(e)?,
            target: row.get(3).map_err(e)?,
            author: Some(author).filter(|a| !a.is_empty()),
            date: row.get(5).map_err(e)?,
        };
        writer.unit(&unit).map_err(w)?;
        count += 1;
    }
    let mut file = writer.finish().map_err(w)?;
    std::io::Write::flush(&mut file).map_err(w)?;
    drop(file);
    std::fs::rename(&partial, path).map_err(w)?;
    Ok(count)
}
