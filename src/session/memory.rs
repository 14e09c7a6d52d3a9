//! The translator's helpers: memory matches and concordance, TMX memories,
//! pre-translation, the glossary (files in and out, terms in a source) and
//! the QA report with accepted warnings.

use std::path::Path;

use super::spelling::spell_check;
use super::{Session, SessionError};
use crate::document::{DocumentId, SegmentId};
use crate::glossary::{Term, TermHit};
use crate::lang::LangTag;
use crate::qa::{QaCheck, QaProfile, QaReport, QaStage};
use crate::store::{Pretranslated, Project};
use crate::tm::{ConcordanceHit, Memory, MemoryId, SearchIn, TmMatch};

impl Session {
    /// The best memory matches for a segment (see [`crate::tm`]).
    pub fn matches(&self, segment: SegmentId, threshold: u8) -> Result<Vec<TmMatch>, SessionError> {
        Ok(self.project()?.segment_matches(segment, threshold, 5)?)
    }

    /// The 50 newest units holding a word or phrase, on the sides asked.
    pub fn concordance(&self, query: &str, within: SearchIn) -> Result<Vec<ConcordanceHit>, SessionError> {
        Ok(self.project()?.concordance(query, within, 50)?)
    }

    /// Corrects a memory entry (not of a read-only reference memory).
    pub fn edit_memory_unit(&mut self, unit: i64, source: &str, target: &str) -> Result<(), SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.edit_unit(unit, source, target, &author)?)
    }

    pub fn delete_memory_unit(&mut self, unit: i64) -> Result<(), SessionError> {
        Ok(self.project_mut()?.delete_unit(unit)?)
    }

    pub fn memories(&self) -> Result<Vec<Memory>, SessionError> {
        Ok(self.project()?.memories()?)
    }

    /// Imports a TMX file as a reference memory named after the file, for
    /// the language pair of `document` (or every pair without one).
    pub fn import_memory(
        &mut self,
        path: &Path,
        document: Option<DocumentId>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Memory, SessionError> {
        Ok(self.import_memory_with_priority(path, document, 50, progress)?.0)
    }

    pub fn export_memory(&self, memory: MemoryId, path: &Path) -> Result<u64, SessionError> {
        Ok(self.project()?.export_memory(memory, path)?)
    }

    pub fn set_memory_priority(&mut self, memory: MemoryId, priority: i64) -> Result<Vec<Memory>, SessionError> {
        let project = self.project_mut()?;
        project.set_memory_priority(memory, priority)?;
        Ok(project.memories()?)
    }

    pub fn remove_memory(&mut self, memory: MemoryId) -> Result<Vec<Memory>, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.remove_memory(memory, &author)?;
        Ok(project.memories()?)
    }

    /// Fills untranslated segments from memory as drafts; see
    /// [`Project::pretranslate`].
    pub fn pretranslate(
        &mut self,
        document: DocumentId,
        threshold: u8,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<Pretranslated, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.pretranslate(document, threshold, &author, progress)?)
    }

    /// Imports a TBX or CSV/TSV glossary for a document's language pair.
    /// Returns (terms read, terms new).
    pub fn import_glossary(&mut self, path: &Path, document: DocumentId) -> Result<(usize, usize), SessionError> {
        let project = self.project_mut()?;
        let (source, target) = project.languages(document)?;
        import_glossary(project, path, &source, &target)
    }

    pub fn export_glossary(&self, document: DocumentId, path: &Path) -> Result<usize, SessionError> {
        let project = self.project()?;
        let (source, target) = project.languages(document)?;
        export_glossary(project, &source, &target, path)
    }

    pub fn glossary(&self, document: DocumentId) -> Result<Vec<Term>, SessionError> {
        let project = self.project()?;
        let (source, target) = project.languages(document)?;
        Ok(project.glossary(&source, &target)?)
    }

    pub fn term_hits(&self, segment: SegmentId) -> Result<Vec<TermHit>, SessionError> {
        Ok(self.project()?.term_hits(segment)?)
    }

    /// The final check: every warning, untranslated segments included.
    /// Which checks run, and when.
    pub fn qa_profile(&self) -> Result<QaProfile, SessionError> {
        Ok(self.project()?.qa_profile()?)
    }

    pub fn set_qa_profile(&mut self, profile: &QaProfile) -> Result<QaProfile, SessionError> {
        let project = self.project_mut()?;
        project.set_qa_profile(profile)?;
        Ok(project.qa_profile()?)
    }

    pub fn qa_report(&self, document: DocumentId) -> Result<QaReport, SessionError> {
        qa_report_at(self.project()?, &self.config_dir, document, QaStage::Final)
    }

    /// The checks as they stand at `stage` (while translating, untranslated
    /// segments are not warnings).
    pub fn qa_report_at(&self, document: DocumentId, stage: QaStage) -> Result<QaReport, SessionError> {
        qa_report_at(self.project()?, &self.config_dir, document, stage)
    }

    /// Accepts a QA warning with a reason; returns the document's final check.
    pub fn accept_warning(
        &mut self,
        segment: SegmentId,
        check: QaCheck,
        detail: &str,
        reason: &str,
    ) -> Result<QaReport, SessionError> {
        self.accept_warning_at(segment, check, detail, reason, QaStage::Final)
    }

    /// [`Session::accept_warning`], returning the report at `stage`.
    pub fn accept_warning_at(
        &mut self,
        segment: SegmentId,
        check: QaCheck,
        detail: &str,
        reason: &str,
        stage: QaStage,
    ) -> Result<QaReport, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.accept_warning(segment, check, detail, reason, &author)?;
        let document = project.segment(segment)?.document_id;
        qa_report_at(self.project()?, &self.config_dir, document, stage)
    }

    /// Adds one term pair to the glossary of a document's language pair,
    /// as a translator picks it in the editor; false when the pair was
    /// there already.
    pub fn add_term(&mut self, document: DocumentId, source: &str, target: &str) -> Result<bool, SessionError> {
        let (source, target) = (source.trim(), target.trim());
        if source.is_empty() || target.is_empty() {
            return Err(SessionError::Term("a glossary term needs a source text and its translation".into()));
        }
        let limit = crate::formats::glossary::MAX_TERM_CHARS;
        if source.chars().count() > limit || target.chars().count() > limit {
            return Err(SessionError::Term(format!("a glossary term is at most {limit} characters long")));
        }
        if source.chars().chain(target.chars()).any(char::is_control) {
            return Err(SessionError::Term("a glossary term is one line of text, without tabs".into()));
        }
        let project = self.project_mut()?;
        let (source_lang, target_lang) = project.languages(document)?;
        let term = crate::glossary::NewTerm {
            source: source.to_string(),
            target: target.to_string(),
            note: None,
            forbidden: false,
        };
        Ok(project.add_glossary_terms(&[term], &source_lang, &target_lang, "editor")? == 1)
    }

    /// Fuzzy matches for any sentence, between two languages.
    pub fn lookup(
        &self,
        query: &crate::tm::Query<'_>,
        threshold: u8,
        limit: usize,
    ) -> Result<Vec<TmMatch>, SessionError> {
        Ok(self.project()?.lookup(query, threshold, limit)?)
    }

    /// Imports a TMX file as a reference memory with `priority`, for the
    /// language pair of `document` (or every pair without one); returns the
    /// memory and what was skipped.
    pub fn import_memory_with_priority(
        &mut self,
        path: &Path,
        document: Option<DocumentId>,
        priority: i64,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<(Memory, crate::formats::tmx::TmxStats), SessionError> {
        let project = self.project_mut()?;
        let langs = document.map(|d| project.languages(d)).transpose()?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "Memory".into());
        Ok(project.import_tmx(path, &name, priority, langs.as_ref().map(|(s, t)| (s, t)), progress)?)
    }

    /// [`import_glossary`] for an explicit language pair.
    pub fn import_glossary_pair(
        &mut self,
        path: &Path,
        source: &LangTag,
        target: &LangTag,
    ) -> Result<(usize, usize), SessionError> {
        import_glossary(self.project_mut()?, path, source, target)
    }

    /// [`export_glossary`] for an explicit language pair.
    pub fn export_glossary_pair(&self, source: &LangTag, target: &LangTag, path: &Path) -> Result<usize, SessionError> {
        export_glossary(self.project()?, source, target, path)
    }

    pub fn glossary_pair(&self, source: &LangTag, target: &LangTag) -> Result<Vec<Term>, SessionError> {
        Ok(self.project()?.glossary(source, target)?)
    }
}

/// Runs the QA checks of `stage` on a document, with the warnings
/// reviewers accepted marked as such; spelling with the dictionaries
/// installed and the user's own in `config_dir`.
pub fn qa_report_at(
    project: &Project,
    config_dir: &Path,
    document: DocumentId,
    stage: QaStage,
) -> Result<QaReport, SessionError> {
    let summary = project.document(document)?;
    let (source, target) = project.languages(document)?;
    let rows = project.segments(document)?;
    let terms = project.glossary(&source, &target)?;
    let accepted = project.accepted_warnings(document)?;
    let profile = project.qa_profile()?;
    let runs = |check| profile.runs(check, stage);
    let spelling = if runs(QaCheck::Spelling) { spell_check(project, config_dir, document)? } else { None };
    // Names carried over from anywhere in the document's source are not misspelled.
    let names = match &spelling {
        Some(_) => rows.iter().flat_map(|r| crate::spelling::source_words(&r.source)).collect(),
        None => std::collections::HashSet::new(),
    };
    let misspelled = |_: &crate::revision::SegmentRow, target: &str| match &spelling {
        Some(check) => check.misspellings(target, &names).into_iter().map(|m| m.word).collect(),
        None => Vec::new(),
    };
    Ok(crate::qa::check_document(&summary.title, &rows, &source, &target, &terms, &accepted, &runs, &misspelled))
}

/// Reads a TBX or CSV/TSV glossary and adds its `source → target` term
/// pairs to the project, all or nothing. Returns (terms read, terms new).
pub fn import_glossary(
    project: &mut Project,
    path: &Path,
    source: &LangTag,
    target: &LangTag,
) -> Result<(usize, usize), SessionError> {
    let origin = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    project.add_glossary_terms_as_read(source, target, &origin, |sink| {
        crate::formats::glossary::read_each(path, source, target, sink).map_err(SessionError::from)
    })
}

/// Writes the glossary of a language pair as TBX; returns how many pairs.
pub fn export_glossary(
    project: &Project,
    source: &LangTag,
    target: &LangTag,
    path: &Path,
) -> Result<usize, SessionError> {
    let terms = project.glossary(source, target)?;
    crate::formats::glossary::write_tbx(path, &terms)?;
    Ok(terms.len())
}
