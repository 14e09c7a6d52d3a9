//! The SQL behind summaries: their sources, sections, sentence kinds,
//! people's link decisions and approvals. Sentences themselves are segments
//! with revisions, written by the functions in the parent module.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{HIDDEN_POSITION_BASE, Project, StoreError, insert_revision, review_in, shift_positions, sqlite};
use crate::document::{DocumentId, DocumentSummary, SegmentId};
use crate::revision::{Decision, Status};
use crate::summary::{
    Approval, ClaimChecker, LinkDecision, MachineLink, NewSummary, Reference, Section, SentenceKind, StoredDecision,
};

impl Project {
    /// Creates an empty summary of `summary.sources` with its sections.
    pub fn create_summary(&mut self, summary: &NewSummary) -> Result<DocumentId, StoreError> {
        if summary.sources.is_empty() {
            return Err(StoreError::NoSources);
        }
        for &source in &summary.sources {
            if self.document(source)?.kind != crate::document::DocumentKind::Translation {
                return Err(StoreError::NotASource(source));
            }
        }
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let lang = summary.lang.as_str();
        tx.execute(
            "INSERT INTO documents (title, source_lang, target_lang, origin, format, kind)
             VALUES (?1, ?2, ?2, 'summary', 'text', 'summary')",
            params![summary.title.trim(), lang],
        )
        .map_err(e)?;
        let id = tx.last_insert_rowid();
        for (position, title) in summary.sections.iter().enumerate() {
            tx.execute(
                "INSERT INTO passages (document_id, position, kind, level, title, created_at)
                 VALUES (?1, ?2, 'paragraph', 0, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                params![id, position as i64, title.trim()],
            )
            .map_err(e)?;
        }
        for (position, source) in summary.sources.iter().enumerate() {
            tx.execute(
                "INSERT INTO summary_sources (summary_id, document_id, position) VALUES (?1, ?2, ?3)",
                params![id, source.0, position as i64],
            )
            .map_err(e)?;
        }
        for reference in &summary.references {
            tx.execute(
                "INSERT INTO summary_references (summary_id, title, url) VALUES (?1, ?2, ?3)",
                params![id, reference.title.trim(), reference.url.as_deref()],
            )
            .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok(DocumentId(id))
    }

    /// The document row of a summary; refuses other documents.
    pub fn summary_document(&self, summary: DocumentId) -> Result<DocumentSummary, StoreError> {
        let document = self.document(summary)?;
        if document.kind != crate::document::DocumentKind::Summary {
            return Err(StoreError::NotASummary(summary));
        }
        Ok(document)
    }

    pub fn summary_sources(&self, summary: DocumentId) -> Result<Vec<DocumentId>, StoreError> {
        self.summary_document(summary)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT document_id FROM summary_sources WHERE summary_id = ?1 ORDER BY position")
            .map_err(self.err())?;
        let ids = stmt.query_map([summary.0], |r| r.get(0).map(DocumentId)).map_err(self.err())?;
        ids.collect::<Result<_, _>>().map_err(self.err())
    }

    pub fn summary_references(&self, summary: DocumentId) -> Result<Vec<Reference>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT title, url FROM summary_references WHERE summary_id = ?1 ORDER BY id")
            .map_err(self.err())?;
        let rows =
            stmt.query_map([summary.0], |r| Ok(Reference { title: r.get(0)?, url: r.get(1)? })).map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    pub fn summary_sections(&self, summary: DocumentId) -> Result<Vec<Section>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT position, coalesce(title, '') FROM passages WHERE document_id = ?1 ORDER BY position",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([summary.0], |r| Ok(Section { position: r.get::<_, i64>(0)? as u32, title: r.get(1)? }))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// What changes when source passages are added, joined or retranslated:
    /// visible segments, the newest segment and the newest revision.
    pub fn segments_stamp(&self, documents: &[DocumentId]) -> Result<(i64, i64, i64), StoreError> {
        let mut stamp = (0, 0, 0);
        for document in documents {
            let (count, segment, revision): (i64, i64, i64) = self
                .conn
                .query_row(
                    "SELECT count(*), coalesce(max(s.id), 0),
                            coalesce((SELECT max(r.id) FROM revisions r
                                       WHERE r.segment_id IN (SELECT id FROM segments WHERE document_id = ?1)), 0)
                       FROM segments s WHERE s.document_id = ?1 AND s.merged_into IS NULL",
                    [document.0],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(self.err())?;
            stamp = (stamp.0 + count, stamp.1.max(segment), stamp.2.max(revision));
        }
        Ok(stamp)
    }

    pub fn sentence_kinds(&self, summary: DocumentId) -> Result<HashMap<SegmentId, SentenceKind>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, sentence_kind FROM segments
                  WHERE document_id = ?1 AND merged_into IS NULL AND sentence_kind IS NOT NULL",
            )
            .map_err(self.err())?;
        let rows =
            stmt.query_map([summary.0], |r| Ok((SegmentId(r.get(0)?), r.get::<_, String>(1)?))).map_err(self.err())?;
        let mut kinds = HashMap::new();
        for row in rows {
            let (id, kind) = row.map_err(self.err())?;
            let kind =
                SentenceKind::parse(&kind).ok_or_else(|| self.corrupt(format!("unknown sentence kind {kind:?}")))?;
            kinds.insert(id, kind);
        }
        Ok(kinds)
    }

    /// Appends sentences to the end of a section, each a segment with one
    /// draft revision holding its text, in one transaction.
    pub fn add_summary_sentences(
        &mut self,
        summary: DocumentId,
        section: u32,
        sentences: &[String],
        kind: SentenceKind,
        author: &str,
    ) -> Result<Vec<SegmentId>, StoreError> {
        self.summary_document(summary)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let passage: i64 =
            section_passage(&tx, summary, section).map_err(e)?.ok_or(StoreError::NoSuchSection(section))?;
        let last: i64 = section_end(&tx, summary.0, i64::from(section)).map_err(e)?;
        let sentences: Vec<&str> = sentences.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        shift_positions(&tx, summary.0, last, sentences.len() as i64).map_err(e)?;
        let mut ids = Vec::new();
        for (offset, text) in sentences.iter().enumerate() {
            tx.execute(
                "INSERT INTO segments (document_id, passage_id, position, source, sentence_kind)
                 VALUES (?1, ?2, ?3, '', ?4)",
                params![summary.0, passage, last + 1 + offset as i64, kind.as_str()],
            )
            .map_err(e)?;
            let id = SegmentId(tx.last_insert_rowid());
            insert_revision(&tx, id, None, text, Status::Draft, author).map_err(e)?;
            record_change(&tx, id, kind.as_str(), author).map_err(e)?;
            ids.push(id);
        }
        tx.commit().map_err(e)?;
        Ok(ids)
    }

    /// Adds an empty section at the end of a summary; returns its position.
    pub fn add_summary_section(&mut self, summary: DocumentId, title: &str) -> Result<u32, StoreError> {
        self.summary_document(summary)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let position: i64 = tx
            .query_row(
                "INSERT INTO passages (document_id, position, kind, level, title, created_at)
                 SELECT ?1, coalesce(max(position), -1) + 1, 'paragraph', 0, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                   FROM passages WHERE document_id = ?1
                 RETURNING position",
                params![summary.0, title.trim()],
                |r| r.get(0),
            )
            .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(position as u32)
    }

    /// Takes a sentence out of its summary. Like a joined segment it is
    /// hidden, not deleted, so its revisions stay in the file.
    pub fn remove_summary_sentence(&mut self, sentence: SegmentId, author: &str) -> Result<(), StoreError> {
        let row = self.segment(sentence)?;
        self.summary_document(row.document_id)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute(
            "UPDATE segments SET merged_into = ?1, position = ?2 WHERE id = ?1",
            params![sentence.0, HIDDEN_POSITION_BASE - sentence.0],
        )
        .map_err(e)?;
        shift_positions(&tx, row.document_id.0, i64::from(row.position), -1).map_err(e)?;
        record_change(&tx, sentence, "removed", author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Brings back a removed sentence of `summary` at the end of its section.
    pub fn restore_summary_sentence(
        &mut self,
        summary: DocumentId,
        sentence: SegmentId,
        author: &str,
    ) -> Result<(), StoreError> {
        self.summary_document(summary)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let found: Option<(i64, i64)> = tx
            .query_row(
                "SELECT s.document_id, p.position FROM segments s JOIN passages p ON p.id = s.passage_id
                  WHERE s.id = ?1 AND s.merged_into = s.id AND s.document_id = ?2",
                params![sentence.0, summary.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(e)?;
        let (document, section) = found.ok_or(StoreError::NoSuchSegment(sentence.0))?;
        let last: i64 = section_end(&tx, document, section).map_err(e)?;
        shift_positions(&tx, document, last, 1).map_err(e)?;
        tx.execute(
            "UPDATE segments SET merged_into = NULL, position = ?1 WHERE id = ?2",
            params![last + 1, sentence.0],
        )
        .map_err(e)?;
        record_change(&tx, sentence, "restored", author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Moves a sentence to the end of another section of its summary. The
    /// change names both sections (`moved:FROM:TO`, passage ids) so a team
    /// clone can replay it and still tell where the sentence was written.
    pub fn move_summary_sentence(&mut self, sentence: SegmentId, section: u32, author: &str) -> Result<(), StoreError> {
        let row = self.segment(sentence)?;
        let summary = row.document_id;
        self.summary_document(summary)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        let to: i64 = section_passage(&tx, summary, section).map_err(e)?.ok_or(StoreError::NoSuchSection(section))?;
        let from: i64 = tx
            .query_row("SELECT passage_id FROM segments WHERE id = ?1 AND merged_into IS NULL", [sentence.0], |r| {
                r.get(0)
            })
            .optional()
            .map_err(e)?
            .ok_or(StoreError::NoSuchSegment(sentence.0))?;
        if from == to {
            return Ok(());
        }
        // Out of the order first, so no two sentences share a position.
        tx.execute(
            "UPDATE segments SET position = ?2 WHERE id = ?1",
            params![sentence.0, HIDDEN_POSITION_BASE - sentence.0],
        )
        .map_err(e)?;
        shift_positions(&tx, summary.0, i64::from(row.position), -1).map_err(e)?;
        let last: i64 = section_end(&tx, summary.0, i64::from(section)).map_err(e)?;
        shift_positions(&tx, summary.0, last, 1).map_err(e)?;
        tx.execute(
            "UPDATE segments SET passage_id = ?2, position = ?3 WHERE id = ?1",
            params![sentence.0, to, last + 1],
        )
        .map_err(e)?;
        record_change(&tx, sentence, &format!("moved:{from}:{to}"), author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    pub fn set_sentence_kind(
        &mut self,
        sentence: SegmentId,
        kind: SentenceKind,
        author: &str,
    ) -> Result<(), StoreError> {
        let row = self.segment(sentence)?;
        self.summary_document(row.document_id)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute("UPDATE segments SET sentence_kind = ?1 WHERE id = ?2", params![kind.as_str(), sentence.0])
            .map_err(e)?;
        record_change(&tx, sentence, kind.as_str(), author).map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// Records a decision on the link between a summary sentence and a
    /// source passage, with the sentence as it reads now.
    pub fn decide_link(
        &mut self,
        sentence: SegmentId,
        source: SegmentId,
        decision: LinkDecision,
        sentence_text: &str,
        author: &str,
    ) -> Result<(), StoreError> {
        let row = self.segment(sentence)?;
        self.summary_document(row.document_id)?;
        self.segment(source)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO link_decisions (sentence_id, source_id, decision, sentence_text, author)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sentence.0, source.0, decision.as_str(), sentence_text, author],
        )
        .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(())
    }

    /// The newest decision per (sentence, passage) pair, withdrawn ones left
    /// out. Newest by time, not row: in a team project another person's
    /// earlier decision can arrive after one's own.
    pub fn link_decisions(&self, summary: DocumentId) -> Result<Vec<StoredDecision>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.sentence_id, d.source_id, d.decision, d.sentence_text FROM link_decisions d
                  WHERE d.sentence_id IN (SELECT id FROM segments WHERE document_id = ?1)
                    AND d.id = (SELECT id FROM link_decisions
                                 WHERE sentence_id = d.sentence_id AND source_id = d.source_id
                                 ORDER BY created_at DESC, id DESC LIMIT 1)
                  ORDER BY d.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([summary.0], |r| {
                Ok((SegmentId(r.get(0)?), SegmentId(r.get(1)?), r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })
            .map_err(self.err())?;
        let mut decisions = Vec::new();
        for row in rows {
            let (sentence, source, decision, sentence_text) = row.map_err(self.err())?;
            let decision =
                LinkDecision::parse(&decision).ok_or_else(|| self.corrupt(format!("unknown decision {decision:?}")))?;
            if decision != LinkDecision::Cleared {
                decisions.push(StoredDecision { sentence, source, decision, sentence_text });
            }
        }
        Ok(decisions)
    }

    /// Approves the given sentences and records who approved the summary,
    /// how many flags were open and why they were overridden, atomically.
    pub fn approve_summary(
        &mut self,
        summary: DocumentId,
        sentences: &[SegmentId],
        open_flags: u32,
        override_reason: Option<&str>,
        author: &str,
    ) -> Result<Approval, StoreError> {
        self.summary_document(summary)?;
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        for &sentence in sentences {
            let current: Option<String> = tx
                .query_row(
                    "SELECT status FROM revisions WHERE segment_id = ?1 ORDER BY id DESC LIMIT 1",
                    [sentence.0],
                    |r| r.get(0),
                )
                .optional()
                .map_err(e)?;
            if current.as_deref() != Some(Status::Approved.as_str()) {
                review_in(&tx, sentence, Decision::Approved, None, None, author)?;
            }
        }
        let approval = tx
            .query_row(
                "INSERT INTO summary_approvals (summary_id, open_flags, override_reason, author)
                 VALUES (?1, ?2, ?3, ?4) RETURNING created_at",
                params![summary.0, open_flags, override_reason, author],
                |r| {
                    Ok(Approval {
                        author: author.to_string(),
                        created_at: r.get(0)?,
                        open_flags,
                        override_reason: override_reason.map(str::to_string),
                    })
                },
            )
            .map_err(e)?;
        tx.commit().map_err(e)?;
        Ok(approval)
    }

    /// The machine-translation profile summaries link through, if the
    /// user switched that on.
    pub fn link_mt_profile(&self) -> Result<Option<String>, StoreError> {
        self.setting("link_mt_profile")
    }

    /// Switches linking through machine translation on (with a profile) or off.
    pub fn set_link_mt_profile(&mut self, profile: Option<&str>) -> Result<(), StoreError> {
        self.set_setting("link_mt_profile", profile)
    }

    /// The machine translations made for linking with `via`, by passage,
    /// with the source text each was made from.
    pub fn link_translations(&self, via: &MachineLink) -> Result<HashMap<SegmentId, (String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT segment_id, source, text FROM link_translations
                  WHERE profile = ?1 AND model = ?2 AND target_lang = ?3",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map(params![via.profile, via.model, via.target_lang.as_str()], |r| {
                Ok((SegmentId(r.get(0)?), (r.get(1)?, r.get(2)?)))
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// Keeps machine translations made for linking, in one transaction:
    /// (passage, the source text sent, its translation).
    pub fn add_link_translations(
        &mut self,
        via: &MachineLink,
        translations: &[(SegmentId, String, String)],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO link_translations (segment_id, profile, model, target_lang, source, text)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(e)?;
            for (segment, source, text) in translations {
                insert
                    .execute(params![segment.0, via.profile, via.model, via.target_lang.as_str(), source, text])
                    .map_err(e)?;
            }
        }
        tx.commit().map_err(e)
    }

    /// Changes whenever a machine translation for linking is added or
    /// replaced, or linking through machine translation switched.
    pub fn link_translations_stamp(&self) -> Result<(i64, i64, Option<String>), StoreError> {
        let (count, last) = self
            .conn
            .query_row("SELECT count(*), coalesce(max(rowid), 0) FROM link_translations", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(self.err())?;
        Ok((count, last, self.link_mt_profile()?))
    }

    /// The profile whose model checks summary claims, if switched on.
    pub fn judge_profile(&self) -> Result<Option<String>, StoreError> {
        self.setting("judge_profile")
    }

    /// Switches the claim check on (with a profile) or off.
    pub fn set_judge_profile(&mut self, profile: Option<&str>) -> Result<(), StoreError> {
        self.set_setting("judge_profile", profile)
    }

    /// The verdict `checker` gave on `claim` with `evidence`, if asked.
    pub fn claim_verdict(
        &self,
        checker: &ClaimChecker,
        claim: &str,
        evidence: &str,
    ) -> Result<Option<bool>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT supported FROM claim_checks
                  WHERE profile = ?1 AND model = ?2 AND prompt_version = ?3 AND claim = ?4 AND evidence = ?5",
            )
            .and_then(|mut stmt| {
                stmt.query_row(params![checker.profile, checker.model, checker.prompt_version, claim, evidence], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()
            })
            .map(|found| found.map(|v| v == 1))
            .map_err(self.err())
    }

    /// Keeps verdicts, (claim, evidence, supported), in one transaction.
    pub fn add_claim_verdicts(
        &mut self,
        checker: &ClaimChecker,
        verdicts: &[(String, String, bool)],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let e = |source| sqlite(&path, source);
        let tx = self.tx()?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO claim_checks (profile, model, prompt_version, claim, evidence, supported)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(e)?;
            for (claim, evidence, supported) in verdicts {
                insert
                    .execute(params![
                        checker.profile,
                        checker.model,
                        checker.prompt_version,
                        claim,
                        evidence,
                        i64::from(*supported)
                    ])
                    .map_err(e)?;
            }
        }
        tx.commit().map_err(e)
    }

    /// The project's own article template for summary exports, if set.
    pub fn summary_template(&self) -> Result<Option<String>, StoreError> {
        self.setting("summary_template")
    }

    /// Stores the article template (`None` goes back to the default).
    pub fn set_summary_template(&mut self, template: Option<&str>) -> Result<(), StoreError> {
        self.set_setting("summary_template", template)
    }

    /// The newest approval of a summary, if it was ever approved.
    pub fn summary_approval(&self, summary: DocumentId) -> Result<Option<Approval>, StoreError> {
        self.conn
            .query_row(
                "SELECT author, created_at, open_flags, override_reason FROM summary_approvals
                  WHERE summary_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1",
                [summary.0],
                |r| {
                    Ok(Approval {
                        author: r.get(0)?,
                        created_at: r.get(1)?,
                        open_flags: r.get::<_, i64>(2)? as u32,
                        override_reason: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
    }
}

/// The passage that is section `section` of `summary`, if there is one.
fn section_passage(tx: &rusqlite::Transaction<'_>, summary: DocumentId, section: u32) -> rusqlite::Result<Option<i64>> {
    tx.query_row(
        "SELECT id FROM passages WHERE document_id = ?1 AND position = ?2",
        params![summary.0, i64::from(section)],
        |r| r.get(0),
    )
    .optional()
}

/// The position of the last shown sentence up to the end of section
/// `section` (-1 when none): a sentence added to the section goes after it.
fn section_end(tx: &rusqlite::Transaction<'_>, summary: i64, section: i64) -> rusqlite::Result<i64> {
    tx.query_row(
        "SELECT coalesce(max(s.position), -1) FROM segments s JOIN passages p ON p.id = s.passage_id
          WHERE s.document_id = ?1 AND p.position <= ?2 AND s.merged_into IS NULL",
        params![summary, section],
        |r| r.get(0),
    )
}

/// Logs a change to a sentence, for team clones to replay.
fn record_change(
    tx: &rusqlite::Transaction<'_>,
    sentence: SegmentId,
    change: &str,
    author: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sentence_changes (segment_id, change, author) VALUES (?1, ?2, ?3)",
        params![sentence.0, change, author],
    )?;
    Ok(())
}
