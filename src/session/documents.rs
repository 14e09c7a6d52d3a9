//! Documents and their segments as a translator works on them: importing a
//! source (a Word or HTML original kept) or a source with its published
//! translation, the rows, saving, splitting, joining and shifting, the
//! history of a segment and its comments.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Session, SessionError};
use crate::align;
use crate::diff::{self, DiffAlgorithm, TextDiff};
use crate::document::{DocumentId, DocumentSummary, Publication, SegmentId};
use crate::formats::import::{self, ImportError, ImportRequest};
use crate::glossary::Lexicon;
use crate::revision::{Comment, Revision, RevisionId, SegmentRow, Status, TranslationEdit};
use crate::store::StoreError;

/// What the import dialog can say about a file before it is imported: the
/// language it reads as (when the guess is reliable) and the title it gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ImportPreview {
    pub lang: Option<String>,
    pub title: String,
}

/// Longest outlet name and web address taken, so a pasted page cannot
/// become a Source line.
const OUTLET_CHARS: usize = 200;
const URL_CHARS: usize = 2_000;

impl Session {
    /// Records where a document's source was published, trimmed: the
    /// address must be a web address and the date a calendar date written
    /// `YYYY-MM-DD`; empty fields are simply not known.
    pub fn set_publication(
        &mut self,
        document: DocumentId,
        publication: &Publication,
    ) -> Result<DocumentSummary, SessionError> {
        let publication = Publication {
            outlet: publication.outlet.trim().to_string(),
            url: publication.url.trim().to_string(),
            date: publication.date.trim().to_string(),
        };
        let refuse = |why: String| Err(SessionError::Publication(why));
        if publication.outlet.chars().count() > OUTLET_CHARS {
            return refuse(format!("the outlet's name is longer than {OUTLET_CHARS} characters"));
        }
        let url = &publication.url;
        let web = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        if !url.is_empty()
            && (web.is_none_or(str::is_empty)
                || url.chars().any(char::is_whitespace)
                || url.chars().count() > URL_CHARS)
        {
            return refuse(format!("“{}” is not a web address (http://… or https://…)", excerpt(url)));
        }
        if !publication.date.is_empty() && !is_calendar_date(&publication.date) {
            return refuse(format!("“{}” is not a date written YYYY-MM-DD", excerpt(&publication.date)));
        }
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.set_publication(document, &publication, &author)?;
        Ok(project.document(document)?)
    }

    /// Reads a file as an import would (nothing is stored) and says which
    /// language it reads as and the title it would get. XLIFF files name
    /// their own languages: no guess.
    pub fn preview_import(&self, path: &Path) -> Result<ImportPreview, SessionError> {
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if matches!(extension.as_str(), "xlf" | "xliff") {
            let title = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            return Ok(ImportPreview { lang: None, title });
        }
        // Read with any rules: only the text and the headings matter here.
        let document = import::read_document(&import_request(path, "en", "es", None)?)?;
        let mut sample = String::new();
        for sentence in document.passages.iter().flat_map(|p| &p.sentences) {
            if sample.len() > 8_000 {
                break;
            }
            sample.push_str(sentence);
            sample.push(' ');
        }
        Ok(ImportPreview { lang: crate::lang::detect(&sample).map(|t| t.to_string()), title: document.title })
    }

    pub fn documents(&self) -> Result<Vec<DocumentSummary>, SessionError> {
        Ok(self.project()?.documents()?)
    }

    pub fn segments(&self, document: DocumentId) -> Result<Vec<SegmentRow>, SessionError> {
        Ok(self.project()?.segments(document)?)
    }

    /// The first `limit` rows, so a long document shows at once.
    pub fn segments_head(&self, document: DocumentId, limit: u32) -> Result<Vec<SegmentRow>, SessionError> {
        Ok(self.project()?.segments_head(document, limit)?)
    }

    pub fn import(
        &mut self,
        path: &Path,
        source_lang: &str,
        target_lang: &str,
        title: Option<String>,
    ) -> Result<DocumentSummary, SessionError> {
        // A bilingual file brings its own languages and translations.
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if matches!(extension.as_str(), "xlf" | "xliff") {
            return self.import_xliff(path, title, Some(target_lang));
        }
        let document = import::read_document(&import_request(path, source_lang, target_lang, title)?)?;
        let original = match document.format {
            // Kept so the translation can be written back into the same file.
            crate::document::SourceFormat::Docx | crate::document::SourceFormat::Html => Some(
                std::fs::read(path).map_err(|source| ImportError::Unreadable { path: path.to_path_buf(), source })?,
            ),
            _ => None,
        };
        let project = self.project_mut()?;
        let id = match original {
            Some(bytes) => project.add_document_with_source(&document, &bytes)?,
            None => project.add_document(&document)?,
        };
        Ok(project.document(id)?)
    }

    /// Splits a segment at a character offset of its source and returns the
    /// document's rows as they now are.
    pub fn split_segment(&mut self, segment: SegmentId, at: usize) -> Result<Vec<SegmentRow>, SessionError> {
        self.refuse_structure_change_in_team()?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.split_segment(segment, at, &author)?;
        Ok(project.segments(document)?)
    }

    /// Joins a segment with the next one and returns the document's rows.
    pub fn join_with_next(&mut self, segment: SegmentId) -> Result<Vec<SegmentRow>, SessionError> {
        self.refuse_structure_change_in_team()?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.join_with_next(segment, &author)?;
        Ok(project.segments(document)?)
    }

    pub fn comments(&self, segment: SegmentId) -> Result<Vec<Comment>, SessionError> {
        Ok(self.project()?.comments(segment)?)
    }

    pub fn add_comment(&mut self, segment: SegmentId, text: &str) -> Result<Vec<Comment>, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.add_comment(segment, text, &author)?;
        Ok(project.comments(segment)?)
    }

    /// Every revision of a segment, newest first, each with its diff
    /// against the revision before it.
    pub fn history(&self, segment: SegmentId) -> Result<Vec<HistoryEntry>, SessionError> {
        let project = self.project()?;
        let document = project.segment(segment)?.document_id;
        let granularity = diff::granularity_for(&project.target_language(document)?);
        let revisions = project.revisions(segment)?;
        let mut entries = Vec::with_capacity(revisions.len());
        let mut previous = "";
        for revision in &revisions {
            let change = diff::diff_text(previous, &revision.text, granularity, DiffAlgorithm::Auto);
            entries.push(HistoryEntry { revision: revision.clone(), diff: change });
            previous = &revision.text;
        }
        entries.reverse();
        Ok(entries)
    }

    pub fn restore(&mut self, segment: SegmentId, revision: RevisionId) -> Result<SegmentRow, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.restore_revision(segment, revision, &author)?;
        Ok(project.segment(segment)?)
    }

    /// Moves a translated sentence between a segment and the next one.
    pub fn shift_translation(&mut self, segment: SegmentId, down: bool) -> Result<Vec<SegmentRow>, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.shift_translation(segment, down, &author)?;
        Ok(project.segments(document)?)
    }

    pub fn save_translation(&mut self, edit: &TranslationEdit) -> Result<Revision, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        match project.save_translation(edit, &author) {
            Err(StoreError::Conflict { segment, expected, found, their_text }) => {
                let document = project.segment(edit.segment)?.document_id;
                let granularity = diff::granularity_for(&project.target_language(document)?);
                let change =
                    diff::diff_text(their_text.as_deref().unwrap_or(""), &edit.text, granularity, DiffAlgorithm::Auto);
                Err(SessionError::Conflict {
                    source: Box::new(StoreError::Conflict { segment, expected, found, their_text }),
                    diff: Box::new(change),
                })
            }
            other => Ok(other?),
        }
    }

    /// Locks a segment against new translations, or unlocks it.
    pub fn set_locked(&mut self, segment: SegmentId, locked: bool) -> Result<SegmentRow, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.set_locked(segment, locked, &author)?)
    }

    /// Fills the untranslated repetitions of a confirmed segment with its
    /// translation (auto-propagation); returns the rows filled.
    pub fn fill_repetitions(&mut self, segment: SegmentId) -> Result<Vec<SegmentRow>, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let filled = project.fill_repetitions(segment, &author)?;
        Ok(filled.into_iter().map(|id| project.segment(id)).collect::<Result<_, _>>()?)
    }

    pub fn document(&self, document: DocumentId) -> Result<DocumentSummary, SessionError> {
        Ok(self.project()?.document(document)?)
    }

    pub fn segment(&self, segment: SegmentId) -> Result<SegmentRow, SessionError> {
        Ok(self.project()?.segment(segment)?)
    }

    /// Stores a translation of `segment` on top of its current revision.
    pub fn set_translation(
        &mut self,
        segment: SegmentId,
        text: String,
        status: Status,
    ) -> Result<Revision, SessionError> {
        let row = self.segment(segment)?;
        self.save_translation(&TranslationEdit { segment: row.id, text, status, base: row.revision, origin: None })
    }

    /// Saves a translation; a conflict carries the diff from the stored
    /// text to the refused one, so the user sees what differs.
    /// Imports a source together with its published translation, aligned
    /// sentence by sentence; the pairs arrive as drafts to be reviewed.
    pub fn import_with_translation(
        &mut self,
        path: &Path,
        translation: &Path,
        source_lang: &str,
        target_lang: &str,
        title: Option<String>,
    ) -> Result<DocumentSummary, SessionError> {
        let request = import_request(path, source_lang, target_lang, title)?;
        let project = self.project()?;
        let memory = project.translation_pairs(&request.source_lang, &request.target_lang, 5_000)?;
        let terms = project.glossary(&request.source_lang, &request.target_lang)?;
        let lexicon = Lexicon::from_terms(&terms, Vec::new(), &request.source_lang, &request.target_lang);
        let known = align::Known { examples: &memory, lexicon: (!lexicon.is_empty()).then_some(&lexicon) };
        let aligned = import::read_with_translation(&request, translation, &known)?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let id = project.add_aligned_document(&aligned.document, &aligned.pairs, &author)?;
        Ok(project.document(id)?)
    }

    /// Confirms every aligned pair of a document and adds them to the
    /// translation memory; returns how many pairs were added.
    pub fn confirm_alignment(&mut self, document: DocumentId) -> Result<u32, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.confirm_alignment(document, &author)?)
    }
}

/// Parses what the user asked to import: language tags are checked here.
fn import_request(
    path: &Path,
    source_lang: &str,
    target_lang: &str,
    title: Option<String>,
) -> Result<ImportRequest, SessionError> {
    Ok(ImportRequest {
        path: path.to_path_buf(),
        source_lang: source_lang.parse()?,
        target_lang: target_lang.parse()?,
        title,
    })
}

/// One revision in a segment's history, with what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct HistoryEntry {
    pub revision: Revision,
    pub diff: TextDiff,
}

/// The start of a refused value, for a message of readable length.
fn excerpt(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// Whether `text` is a date of the Gregorian calendar written `YYYY-MM-DD`.
fn is_calendar_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts[..] else { return false };
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (year.parse::<u32>(), month.parse::<u32>(), day.parse::<u32>()) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::is_calendar_date;

    #[test]
    fn calendar_dates_are_checked_day_by_day() {
        for good in ["2025-09-03", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2025-02-29",
            "1900-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-04-31",
            "3 Sept 2025",
            "2025-9-3",
            "+025-09-03",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }
}
