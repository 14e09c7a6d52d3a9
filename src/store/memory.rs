//! The project's side of translation memory: transactions around the
//! lookups and imports in [`crate::tm`], and pre-translation.

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Project, StoreError, insert_revision_from, sqlite};
use crate::document::{DocumentId, SegmentId};
use crate::lang::LangTag;
use crate::revision::SegmentRow;
use crate::revision::{RevisionId, Status};
use crate::tm::{self, ConcordanceHit, Memory, MemoryId, TmError, TmMatch, tmx::TmxStats};

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
const IMPORT_PAGE_CACHE_KIB: i64 = 131_072;

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
        tm::memories(&self.conn).map_err(self.err())
    }

    /// Imports a TMX file as a new read-only reference memory, all or
    /// nothing (see [`tm::import_tmx`]).
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
            let imported = tm::import_tmx(&tx, path, name, priority, langs, progress)?;
            tx.commit().map_err(e)?;
            Ok(imported)
        });
        self.set_page_cache(super::PAGE_CACHE_KIB)?;
        imported
    }

    pub fn export_memory(&self, memory: MemoryId, path: &Path) -> Result<u64, TmError> {
        tm::export_tmx(&self.conn, memory, path)
    }

    /// Removes a reference memory and its units; the project memory stays.
    pub fn remove_memory(&mut self, memory: MemoryId) -> Result<(), TmError> {
        let (name, read_only) = tm::memory_named(&self.conn, memory)?;
        if !read_only {
            return Err(TmError::ProjectMemory(name));
        }
        let path = self.path.clone();
        let e = |source| TmError::Sqlite { path: path.clone(), source };
        let tx = self.tx()?;
        let mut counts = std::collections::HashMap::new();
        {
            let mut sources = tx.prepare("SELECT source FROM tm_units WHERE memory_id = ?1").map_err(e)?;
            let mut rows = sources.query([memory.0]).map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                tm::count_words(&mut counts, &row.get::<_, String>(0).map_err(e)?, -1);
            }
        }
        tm::apply_counts(&tx, &counts).map_err(e)?;
        tx.execute("DELETE FROM tm_units WHERE memory_id = ?1", [memory.0]).map_err(e)?;
        tx.execute("DELETE FROM memories WHERE id = ?1", [memory.0]).map_err(e)?;
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
        let (before, after) = tm::neighbours(&self.conn, segment).map_err(self.err())?;
        let query = tm::Query {
            source: &row.source,
            source_lang: &source_lang,
            target_lang: &target_lang,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let mut matches = tm::lookup(&self.conn, &query, threshold, limit + 1).map_err(self.err())?;
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
        tm::neighbours(&self.conn, segment).map_err(self.err())
    }

    /// Matches for any sentence, outside a document.
    pub fn lookup(&self, query: &tm::Query<'_>, threshold: u8, limit: usize) -> Result<Vec<TmMatch>, StoreError> {
        tm::lookup(&self.conn, query, threshold, limit).map_err(self.err())
    }

    pub fn concordance(&self, query: &str, limit: usize) -> Result<Vec<ConcordanceHit>, StoreError> {
        tm::concordance(&self.conn, query, limit).map_err(self.err())
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
        let mut outcome = Pretranslated { examined: total, filled: 0, exact: 0, cancelled: false };
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
            let best = tm::lookup(&tx, &query, threshold, 1).map_err(e)?;
            let Some(best) = best.into_iter().next() else { continue };
            let origin = format!("tm:{}", best.percent);
            let parent: Option<RevisionId> = row.revision;
            insert_revision_from(&tx, row.id, parent, &best.target, Status::Draft, author, Some(&origin)).map_err(e)?;
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
