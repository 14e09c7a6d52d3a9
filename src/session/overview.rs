//! The project at a glance and the analysis it is quoted on, and the
//! report that sends both on (HTML with its charts, or CSV).

use std::collections::HashMap;
use std::path::Path;

use super::exchange::write_atomically;
use super::memory::qa_report_at;
use super::{Session, SessionError};
use crate::analysis::Analysis;
use crate::document::{DocumentId, DocumentKind};
use crate::formats::export::report;
use crate::overview::{CheckCount, DocumentProgress, Overview, SummaryProgress};
use crate::qa::{QaCheck, QaStage};
use crate::revision::{CategoryCount, ErrorCategory};

/// The two forms of the project report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum ReportFormat {
    Html,
    Csv,
}

impl Session {
    /// Every figure of the overview; summaries are relinked if they changed.
    pub fn overview(&mut self) -> Result<Overview, SessionError> {
        let name = self.info()?.name;
        let project = self.project()?;
        let documents = project.documents()?;
        let statuses = project.status_counts()?;
        let mut conflicts: HashMap<DocumentId, u32> = HashMap::new();
        for conflict in project.conflicts()? {
            *conflicts.entry(conflict.document).or_default() += 1;
        }
        let mut qa: HashMap<QaCheck, u32> = HashMap::new();
        let mut rejections: HashMap<ErrorCategory, u32> = HashMap::new();
        let mut progress = Vec::new();
        for document in documents.iter().filter(|d| d.kind == DocumentKind::Translation) {
            for issue in qa_report_at(project, &self.config_dir, document.id, QaStage::Working)?.open() {
                *qa.entry(issue.check).or_default() += 1;
            }
            for count in project.rejections(document.id)? {
                *rejections.entry(count.category).or_default() += count.count;
            }
            progress.push(DocumentProgress {
                document: document.id,
                title: document.title.clone(),
                segments: document.segments as u32,
                statuses: statuses.get(&document.id).cloned().unwrap_or_default(),
                conflicts: conflicts.get(&document.id).copied().unwrap_or(0),
            });
        }
        let activity = project.review_activity()?;
        let people = crate::overview::people(&project.revision_facts()?);
        let mut summaries = Vec::new();
        for document in documents.iter().filter(|d| d.kind == DocumentKind::Summary) {
            let view = self.summary(document.id)?;
            summaries.push(SummaryProgress {
                summary: document.id,
                title: document.title.clone(),
                claims: view.coverage.claims,
                supported: view.coverage.supported,
                passages: view.coverage.passages,
                cited: view.coverage.cited,
                open_flags: view.blocking,
                approved: view.approved,
            });
        }
        Ok(Overview {
            project: name,
            documents: progress,
            activity,
            people,
            qa: QaCheck::ALL
                .into_iter()
                .map(|check| CheckCount { check, count: qa.get(&check).copied().unwrap_or(0) })
                .collect(),
            rejections: ErrorCategory::ALL
                .into_iter()
                .map(|category| CategoryCount { category, count: rejections.get(&category).copied().unwrap_or(0) })
                .collect(),
            summaries,
        })
    }

    /// The analysis of one document, or of every translation in the
    /// project; `progress` returning false cancels (`None`).
    pub fn analyse(
        &self,
        document: Option<DocumentId>,
        progress: &mut dyn FnMut(u32, u32) -> bool,
    ) -> Result<Option<Analysis>, SessionError> {
        let project = self.project()?;
        let (documents, scope) = match document {
            Some(id) => (vec![id], project.document(id)?.title),
            None => (project.documents()?.into_iter().map(|d| d.id).collect(), self.info()?.name),
        };
        Ok(project.analyse(&documents, scope, progress)?)
    }

    /// Writes the overview (with the analysis, when one was made) as a
    /// self-contained HTML page with its charts, or as CSV.
    pub fn write_report(
        &mut self,
        path: &Path,
        format: ReportFormat,
        analysis: Option<&Analysis>,
    ) -> Result<(), SessionError> {
        let overview = self.overview()?;
        let content = match format {
            ReportFormat::Html => report::overview_html(&overview, analysis),
            ReportFormat::Csv => report::overview_csv(&overview, analysis),
        };
        write_atomically(path, &content)
    }
}
