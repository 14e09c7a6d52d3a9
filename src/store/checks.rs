//! The glossary's and the QA checks' tables: term pairs added in one
//! transaction, the glossary of a language pair, and the warnings reviewers
//! accepted.

use std::collections::HashMap;

use rusqlite::params;

use super::{Project, StoreError};
use crate::document::{DocumentId, SegmentId};
use crate::glossary::{self, NewTerm, Term, TermHit};
use crate::lang::LangTag;
use crate::qa::{Acceptance, QaCheck};

impl Project {
    /// Adds term pairs read from `origin` (a file name) to the glossary, in
    /// one transaction; an identical pair is not stored twice. Returns how
    /// many were new.
    pub fn add_glossary_terms(
        &mut self,
        terms: &[NewTerm],
        source: &LangTag,
        target: &LangTag,
        origin: &str,
    ) -> Result<usize, StoreError> {
        let read = |sink: &mut dyn FnMut(&NewTerm) -> bool| {
            for term in terms {
                if !sink(term) {
                    break;
                }
            }
            Ok::<_, StoreError>(())
        };
        Ok(self.add_glossary_terms_as_read(source, target, origin, read)?.1)
    }

    /// Adds the pairs a reader hands over as it reads, in one transaction:
    /// `read` gets the sink to call for each pair (it returns false once a
    /// write failed) and the pairs are kept only if `read` succeeds, so an
    /// import holds one entry at a time and is still all or nothing.
    /// Returns what `read` returned and how many pairs were new.
    pub fn add_glossary_terms_as_read<T, E: From<StoreError>>(
        &mut self,
        source: &LangTag,
        target: &LangTag,
        origin: &str,
        read: impl FnOnce(&mut dyn FnMut(&NewTerm) -> bool) -> Result<T, E>,
    ) -> Result<(T, usize), E> {
        let path = self.path.clone();
        let e = |source| super::sqlite(&path, source);
        let tx = self.tx()?;
        let mut added = 0;
        let mut failure = None;
        let read = {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO glossary_terms (source_lang, target_lang, source, target, note, forbidden, origin)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS (SELECT 1 FROM glossary_terms
                         WHERE source_lang = ?1 AND target_lang = ?2 AND source = ?3 AND target = ?4 AND forbidden = ?6)",
                )
                .map_err(e)?;
            read(&mut |term: &NewTerm| {
                let inserted = insert.execute(params![
                    source.as_str(),
                    target.as_str(),
                    term.source,
                    term.target,
                    term.note,
                    term.forbidden,
                    origin
                ]);
                match inserted {
                    Ok(n) => added += n,
                    Err(error) => failure = Some(error),
                }
                failure.is_none()
            })
        };
        if let Some(error) = failure {
            return Err(e(error).into());
        }
        let read = read?;
        tx.commit().map_err(e)?;
        Ok((read, added))
    }

    /// The glossary of a language pair (primary subtags compared).
    pub fn glossary(&self, source: &LangTag, target: &LangTag) -> Result<Vec<Term>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, source_lang, target_lang, source, target, note, forbidden FROM glossary_terms
                 ORDER BY source, id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Term {
                    id: r.get(0)?,
                    source_lang: r.get(1)?,
                    target_lang: r.get(2)?,
                    source: r.get(3)?,
                    target: r.get(4)?,
                    note: r.get(5)?,
                    forbidden: r.get(6)?,
                })
            })
            .map_err(self.err())?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(self.err())?;
        Ok(all
            .into_iter()
            .filter(|term| {
                glossary::same_language(&term.source_lang, source) && glossary::same_language(&term.target_lang, target)
            })
            .collect())
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

    /// Glossary terms in a segment's source, with their translations.
    pub fn term_hits(&self, segment: SegmentId) -> Result<Vec<TermHit>, StoreError> {
        let row = self.segment(segment)?;
        let (source, target) = self.languages(row.document_id)?;
        let terms = self.glossary(&source, &target)?;
        Ok(glossary::Matcher::new(&terms, &source).hits(&row.source))
    }

    /// The QA warnings reviewers accepted in a document, by segment, check
    /// and detail.
    pub fn accepted_warnings(
        &self,
        document: DocumentId,
    ) -> Result<HashMap<(SegmentId, String, String), Acceptance>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT q.segment_id, q.check_name, q.detail, q.author, q.reason, q.created_at
                 FROM qa_accepted q JOIN segments s ON s.id = q.segment_id WHERE s.document_id = ?1",
            )
            .map_err(self.err())?;
        stmt.query_map([document.0], |r| {
            Ok((
                (SegmentId(r.get(0)?), r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                Acceptance { author: r.get(3)?, reason: r.get(4)?, created_at: r.get(5)? },
            ))
        })
        .map_err(self.err())?
        .collect::<Result<HashMap<_, _>, _>>()
        .map_err(self.err())
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
        let row = self.segment(segment)?;
        let path = self.path.clone();
        let e = |source| super::sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO qa_accepted (segment_id, check_name, detail, author, reason) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (segment_id, check_name, detail) DO UPDATE SET author = excluded.author,
                 reason = excluded.reason, created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![segment.0, check.as_str(), detail, author, reason.trim()],
        )
        .map_err(e)?;
        // A translation held out of the memory for its figures goes in once
        // its last figure warning is accepted.
        if check == QaCheck::Numbers {
            super::memory::record_head(&tx, row.id).map_err(e)?;
        }
        tx.commit().map_err(e)
    }
}
