//! Files out, and XLIFF in: a document exported in its own format or
//! another (text, Markdown, HTML, Word, the review table), XLIFF 2.1/1.2
//! and TMX for other tools, and an edited XLIFF taken back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Session, SessionError};
use crate::document::{DocumentId, DocumentSummary};
use crate::formats::export::{self};
use crate::formats::import::{self};
use crate::store::Project;

impl Session {
    /// The export dialog's preview of `format` (the first 200 KB of text).
    pub fn preview_document(
        &self,
        document: DocumentId,
        format: DocumentExport,
    ) -> Result<ExportPreview, SessionError> {
        // Word files are previewed as the Markdown they are built from.
        let shown = match format {
            DocumentExport::Docx => DocumentExport::Markdown,
            DocumentExport::ReviewDocx => DocumentExport::ReviewHtml,
            other => other,
        };
        let (bytes, untranslated, units) = document_file(self.project()?, document, shown)?;
        let mut preview = ExportPreview { text: String::from_utf8_lossy(&bytes).into_owned(), untranslated, units };
        if preview.text.len() > 200_000 {
            let mut cut = 200_000;
            while !preview.text.is_char_boundary(cut) {
                cut -= 1;
            }
            preview.text.truncate(cut);
            preview.text.push_str("\n…");
        }
        Ok(preview)
    }

    /// Writes the document in `format` to `path`; returns what was written.
    pub fn export_document(
        &self,
        document: DocumentId,
        format: DocumentExport,
        path: &Path,
    ) -> Result<ExportPreview, SessionError> {
        let (bytes, untranslated, units) = document_file(self.project()?, document, format)?;
        export::write_atomically(path, &bytes)
            .map_err(|source| SessionError::Write { path: path.to_path_buf(), source })?;
        Ok(ExportPreview { text: String::new(), untranslated, units })
    }

    /// Imports an XLIFF file (2.x or 1.2) as a new document, with its
    /// targets as translations in their states.
    pub fn import_xliff(
        &mut self,
        path: &Path,
        title: Option<String>,
        target_lang: Option<&str>,
    ) -> Result<DocumentSummary, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let id = import_xliff(project, path, title, target_lang, &author)?;
        Ok(project.document(id)?)
    }

    /// Takes back an XLIFF file exported from `document` and edited in
    /// another tool: changed targets and states become new revisions.
    pub fn update_from_xliff(&mut self, document: DocumentId, path: &Path) -> Result<u32, SessionError> {
        let author = self.info()?.author;
        update_from_xliff(self.project_mut()?, document, path, &author)
    }

    /// A document in any export format as bytes, with what they hold.
    pub fn document_bytes(
        &self,
        document: DocumentId,
        format: DocumentExport,
    ) -> Result<(Vec<u8>, ExportPreview), SessionError> {
        let (bytes, untranslated, units) = document_file(self.project()?, document, format)?;
        Ok((bytes, ExportPreview { text: String::new(), untranslated, units }))
    }
}

/// Everything a translation document can be exported as, for the export
/// dialog: the translation itself, the review table, or a file for other
/// translation tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum DocumentExport {
    Text,
    Markdown,
    Html,
    Docx,
    ReviewHtml,
    ReviewDocx,
    Xliff2,
    Xliff12,
    Tmx,
}

impl DocumentExport {
    fn target(self) -> Option<export::TargetFormat> {
        Some(match self {
            DocumentExport::Text => export::TargetFormat::Text,
            DocumentExport::Markdown => export::TargetFormat::Markdown,
            DocumentExport::Html => export::TargetFormat::Html,
            DocumentExport::Docx => export::TargetFormat::Docx,
            DocumentExport::ReviewHtml => export::TargetFormat::BilingualHtml,
            DocumentExport::ReviewDocx => export::TargetFormat::BilingualDocx,
            _ => return None,
        })
    }

    fn exchange(self) -> Option<ExchangeFormat> {
        Some(match self {
            DocumentExport::Xliff2 => ExchangeFormat::Xliff2,
            DocumentExport::Xliff12 => ExchangeFormat::Xliff12,
            DocumentExport::Tmx => ExchangeFormat::Tmx,
            _ => return None,
        })
    }
}

/// What the export dialog shows before writing: a text preview and what
/// the file will hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ExportPreview {
    /// The file's text, or for Word files the Markdown they are built from.
    pub text: String,
    pub untranslated: u32,
    pub units: u32,
}

/// Formats other translation tools read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeFormat {
    /// XLIFF 2.1, every segment with its state and comments.
    Xliff2,
    /// XLIFF 1.2, the same for older tools.
    Xliff12,
    /// TMX 1.4b with the approved pairs only.
    Tmx,
}

pub(super) fn write_atomically(path: &Path, content: &str) -> Result<(), SessionError> {
    export::write_atomically(path, content.as_bytes())
        .map_err(|source| SessionError::Write { path: path.to_path_buf(), source })
}

/// A document in any export format as file bytes, with how many segments
/// were untranslated and how many units the file holds.
fn document_file(
    project: &Project,
    document: DocumentId,
    format: DocumentExport,
) -> Result<(Vec<u8>, u32, u32), SessionError> {
    if let Some(exchange) = format.exchange() {
        let (text, units) = exchange_file(project, document, exchange)?;
        return Ok((text.into_bytes(), 0, units));
    }
    let target = format.target().unwrap_or(export::TargetFormat::Text);
    let (bytes, exported) = translation_file(project, document, target)?;
    Ok((bytes, exported.untranslated as u32, exported.segments as u32))
}

/// A document's translation (or review table) as file bytes, with the
/// count of untranslated segments.
pub fn translation_file(
    project: &Project,
    document: DocumentId,
    format: export::TargetFormat,
) -> Result<(Vec<u8>, export::Export), SessionError> {
    let summary = project.document(document)?;
    let rows = project.segments(document)?;
    // A Word or web page source gets its translation written back into the
    // original file, markup and formatting kept.
    let same_family = matches!(
        (format, summary.format),
        (export::TargetFormat::Docx, crate::document::SourceFormat::Docx)
            | (export::TargetFormat::Html, crate::document::SourceFormat::Html)
    );
    if same_family && let Some(original) = project.source_file(document)? {
        let mut untranslated = 0;
        let languages = (&summary.source_lang, &summary.target_lang);
        let translations: Vec<String> = rows
            .chunk_by(|a, b| a.passage == b.passage)
            .map(|passage| export::passage_text(passage, languages, &mut untranslated))
            .collect();
        let origin = PathBuf::from(&summary.origin);
        if let Some(bytes) = import::translate_original(summary.format, &origin, &original, &translations)? {
            return Ok((bytes, export::Export { content: String::new(), segments: rows.len(), untranslated }));
        }
    }
    // Only the review table shows comment threads; read them only for it.
    let mut comments = std::collections::HashMap::new();
    let review = matches!(format, export::TargetFormat::BilingualHtml | export::TargetFormat::BilingualDocx);
    for row in rows.iter().filter(|r| review && r.comments > 0) {
        let thread = project.comments(row.id)?.into_iter().map(|c| format!("{}: {}", c.author, c.text)).collect();
        comments.insert(row.id, thread);
    }
    export::target_file(&summary.title, (&summary.source_lang, &summary.target_lang), &rows, &comments, format).map_err(
        |e| SessionError::Write { path: PathBuf::from(&summary.title), source: std::io::Error::other(e.to_string()) },
    )
}

/// Imports an XLIFF file (2.x or 1.2) as a new document, in one transaction.
pub fn import_xliff(
    project: &mut Project,
    path: &Path,
    title: Option<String>,
    target_lang: Option<&str>,
    author: &str,
) -> Result<DocumentId, SessionError> {
    let bitext = crate::formats::xliff::read(path)?;
    let imported = crate::formats::xliff::to_document(path, &bitext, title, target_lang)?;
    let family = if bitext.version == crate::formats::xliff::Version::V12 { '1' } else { '2' };
    drop(bitext);
    Ok(project.add_translated_document(&imported, family, author, "xliff")?)
}

/// Applies an XLIFF file exported from `document` and edited elsewhere;
/// all or nothing. Returns how many segments changed.
pub fn update_from_xliff(
    project: &mut Project,
    document: DocumentId,
    path: &Path,
    author: &str,
) -> Result<u32, SessionError> {
    let bitext = crate::formats::xliff::read(path)?;
    let rows = project.segments(document)?;
    let updates = crate::formats::xliff::updates_for(path, &bitext, &rows)?;
    Ok(project.apply_translations(document, &updates, author, "xliff")?)
}

/// A document as XLIFF 2.1, XLIFF 1.2 or TMX (approved pairs), with the
/// number of units written.
pub fn exchange_file(
    project: &Project,
    document: DocumentId,
    format: ExchangeFormat,
) -> Result<(String, u32), SessionError> {
    let summary = project.document(document)?;
    let rows = project.segments(document)?;
    let (source, target) = (summary.source_lang.as_str(), summary.target_lang.as_str());
    if format == ExchangeFormat::Tmx {
        let pairs: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r.status == crate::revision::Status::Approved)
            .filter_map(|r| r.translation.clone().map(|t| (r.source.clone(), t)))
            .collect();
        let count = pairs.len() as u32;
        return Ok((crate::formats::tmx::pairs_document(pairs.into_iter(), source, target), count));
    }
    let mut comments = Vec::with_capacity(rows.len());
    for row in &rows {
        comments.push(if row.comments > 0 {
            project.comments(row.id)?.into_iter().map(|c| format!("{}: {}", c.author, c.text)).collect()
        } else {
            Vec::new()
        });
    }
    let mut codes = project.inline_codes(document, if format == ExchangeFormat::Xliff12 { '1' } else { '2' })?;
    let segments: Vec<crate::formats::xliff::ExportSegment<'_>> = rows
        .iter()
        .zip(comments)
        .map(|(row, comments)| crate::formats::xliff::ExportSegment {
            codes: codes.remove(&row.id).unwrap_or_default(),
            id: row.id.0,
            source: &row.source,
            target: row.translation.as_deref().filter(|t| !t.trim().is_empty()),
            status: row.status,
            comments,
        })
        .collect();
    let version = if format == ExchangeFormat::Xliff12 {
        crate::formats::xliff::Version::V12
    } else {
        crate::formats::xliff::Version::V2 { minor: 1 }
    };
    Ok((crate::formats::xliff::write(version, &summary.title, source, target, &segments), rows.len() as u32))
}
