//! An editor's review: decisions on segments, versions, word-level diffs
//! between versions and the change reports made from them.

use std::path::Path;

use super::exchange::write_atomically;
use super::{Session, SessionError};
use crate::diff::{self, DiffAlgorithm, DocumentDiff};
use crate::document::{DocumentId, SegmentId};
use crate::formats::export::{self, ReportContext};
use crate::revision::{BulkOutcome, CategoryCount, Decision, ErrorCategory, Revision, SegmentRow, Version, VersionId};
use crate::store::Project;

impl Session {
    /// Records a review decision and returns the segment's updated row.
    pub fn review(
        &mut self,
        segment: SegmentId,
        decision: Decision,
        comment: Option<&str>,
        category: Option<ErrorCategory>,
    ) -> Result<SegmentRow, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.review(segment, decision, comment, category, &author)?;
        Ok(project.segment(segment)?)
    }

    /// The document's rejections by error category.
    pub fn rejections(&self, document: DocumentId) -> Result<Vec<CategoryCount>, SessionError> {
        Ok(self.project()?.rejections(document)?)
    }

    pub fn bulk_review(&mut self, segments: &[SegmentId], decision: Decision) -> Result<BulkOutcome, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.bulk_review(segments, decision, &author)?)
    }

    pub fn versions(&self, document: DocumentId) -> Result<Vec<Version>, SessionError> {
        Ok(self.project()?.versions(document)?)
    }

    pub fn create_version(&mut self, document: DocumentId, name: &str) -> Result<Vec<Version>, SessionError> {
        let author = self.info()?.author;
        let name = name.trim();
        let project = self.project_mut()?;
        project.create_version(document, name, &author)?;
        Ok(project.versions(document)?)
    }

    /// Compares two states of a document; `None` means "now".
    pub fn diff_document(
        &self,
        document: DocumentId,
        from: Option<VersionId>,
        to: Option<VersionId>,
        by_character: bool,
    ) -> Result<DocumentDiff, SessionError> {
        compare(self.project()?, document, from, to, by_character)
    }

    /// Writes the change report between two states to `path` (HTML or
    /// Markdown by the file's extension).
    pub fn write_change_report(
        &self,
        document: DocumentId,
        from: Option<VersionId>,
        to: Option<VersionId>,
        path: &Path,
    ) -> Result<(), SessionError> {
        let is_markdown = path.extension().is_some_and(|e| e == "md" || e == "markdown");
        write_atomically(path, &self.change_report(document, from, to, false, is_markdown)?)
    }

    /// A version of `document` by name or id.
    pub fn find_version(&self, document: DocumentId, name_or_id: &str) -> Result<Version, SessionError> {
        Ok(self.project()?.find_version(document, name_or_id)?)
    }

    /// The change report between two states as HTML, or as Markdown.
    pub fn change_report(
        &self,
        document: DocumentId,
        from: Option<VersionId>,
        to: Option<VersionId>,
        by_character: bool,
        markdown: bool,
    ) -> Result<String, SessionError> {
        let project = self.project()?;
        let summary = project.document(document)?;
        let result = compare(project, document, from, to, by_character)?;
        let context = ReportContext {
            document_title: &summary.title,
            source_lang: summary.source_lang.as_str(),
            target_lang: summary.target_lang.as_str(),
        };
        Ok(if markdown {
            export::change_report_markdown(&result, &context)
        } else {
            export::change_report_html(&result, &context)
        })
    }

    /// Records a review decision and returns the revision it made.
    pub fn review_revision(
        &mut self,
        segment: SegmentId,
        decision: Decision,
        comment: Option<&str>,
        category: Option<ErrorCategory>,
    ) -> Result<Revision, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.review(segment, decision, comment, category, &author)?)
    }
}

/// Compares two states of a document (`None` = now) with the diff
/// granularity its target language calls for, or by character throughout.
pub fn compare(
    project: &Project,
    document: DocumentId,
    from: Option<VersionId>,
    to: Option<VersionId>,
    by_character: bool,
) -> Result<DocumentDiff, SessionError> {
    let target = project.target_language(document)?;
    let label = |version: Option<VersionId>| -> Result<String, SessionError> {
        Ok(match version {
            None => "now".to_string(),
            Some(id) => project.find_version(document, &id.0.to_string())?.name,
        })
    };
    let (old, new) = project.snapshots(document, from, to)?;
    Ok(diff::diff_documents(
        &label(from)?,
        &old,
        &label(to)?,
        &new,
        if by_character { diff::Granularity::Character } else { diff::granularity_for(&target) },
        DiffAlgorithm::Auto,
    ))
}
