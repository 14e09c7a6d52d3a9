//! The project's side of the glossary and QA checks: imports in one
//! transaction, and the warnings reviewers accepted.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::params;

use super::{Project, StoreError};
use crate::document::{DocumentId, SegmentId};
use crate::glossary::{self, GlossaryError, Term, TermHit};
use crate::lang::LangTag;
use crate::qa::{self, Acceptance, QaCheck, QaReport};

impl Project {
    /// Reads a TBX or CSV/TSV glossary and adds its `source → target`
    /// terms, all or nothing. Returns (terms read, terms new).
    pub fn import_glossary(
        &mut self,
        path: &Path,
        source: &LangTag,
        target: &LangTag,
    ) -> Result<(usize, usize), GlossaryError> {
        let terms = glossary::read(path, source, target)?;
        let e = |source| GlossaryError::Sqlite { path: path.to_path_buf(), source };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(e)?;
        let origin = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let added = glossary::add(&tx, &terms, source, target, &origin).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok((terms.len(), added))
    }

    pub fn glossary(&self, source: &LangTag, target: &LangTag) -> Result<Vec<Term>, StoreError> {
        glossary::terms(&self.conn, source, target).map_err(self.err())
    }

    /// Changes whenever glossary terms or reference-memory units are added
    /// or removed: what a summary's lexicon is built from, as far as people
    /// import it. The project memory grows with every confirmed segment;
    /// what it adds reaches the lexicon when the index is next rebuilt.
    pub fn dictionary_stamp(&self) -> Result<(i64, i64), StoreError> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) * 1000003 + coalesce(max(id), 0) FROM glossary_terms),
                        (SELECT count(*) * 1000003 + coalesce(max(id), 0) FROM tm_units WHERE memory_id <> ?1)",
                [crate::tm::PROJECT_MEMORY.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(self.err())
    }

    pub fn export_glossary(&self, source: &LangTag, target: &LangTag, path: &Path) -> Result<usize, GlossaryError> {
        glossary::export(&self.conn, source, target, path)
    }

    /// Glossary terms in a segment's source, with their translations.
    pub fn term_hits(&self, segment: SegmentId) -> Result<Vec<TermHit>, StoreError> {
        let row = self.segment(segment)?;
        let (source, target) = self.languages(row.document_id)?;
        let terms = self.glossary(&source, &target)?;
        Ok(glossary::Matcher::new(&terms, &source).hits(&row.source))
    }

    /// Runs every QA check on a document.
    pub fn qa_report(&self, document: DocumentId) -> Result<QaReport, StoreError> {
        let summary = self.document(document)?;
        let (source, target) = self.languages(document)?;
        let rows = self.segments(document)?;
        let terms = self.glossary(&source, &target)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT q.segment_id, q.check_name, q.detail, q.author, q.reason, q.created_at
                 FROM qa_accepted q JOIN segments s ON s.id = q.segment_id WHERE s.document_id = ?1",
            )
            .map_err(self.err())?;
        let accepted = stmt
            .query_map([document.0], |r| {
                Ok((
                    (SegmentId(r.get(0)?), r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                    Acceptance { author: r.get(3)?, reason: r.get(4)?, created_at: r.get(5)? },
                ))
            })
            .map_err(self.err())?
            .collect::<Result<HashMap<_, _>, _>>()
            .map_err(self.err())?;
        Ok(qa::check_document(&summary.title, &rows, &source, &target, &terms, &accepted))
    }

    /// Marks a warning as accepted by `author`, for `reason`.
    pub fn accept_warning(
        &mut self,
        segment: SegmentId,
        check: QaCheck,
        detail: &str,
        reason: &str,
        author: &str,
    ) -> Result<(), StoreError> {
        self.segment(segment)?;
        self.conn
            .execute(
                "INSERT INTO qa_accepted (segment_id, check_name, detail, author, reason) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (segment_id, check_name, detail) DO UPDATE SET author = excluded.author,
                     reason = excluded.reason, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![segment.0, check.as_str(), detail, author, reason.trim()],
            )
            .map_err(self.err())?;
        Ok(())
    }
}
