//! What one desktop window does with projects: open, create, the sample,
//! the recent list, and the replies it sends back, errors included.
//!
//! It lives in the core so the Tauri shell stays a thin translation layer
//! and so this behaviour is tested without a window.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::align;
use crate::diff::{self, DiffAlgorithm, DocumentDiff, TextDiff};
use crate::document::{DocumentId, DocumentSummary, SegmentId};
use crate::formats::export::article::{self, ArticleError, SummaryFormat};
use crate::formats::export::{self, ReportContext};
use crate::formats::import::{self, ImportError, ImportRequest};
use crate::glossary::{Lexicon, Term, TermHit};
use crate::lang::{LangError, LangTag};
use crate::qa::{QaCheck, QaReport};
use crate::recent::{self, RecentError, RecentProject};
use crate::revision::{
    BulkOutcome, Comment, Decision, Revision, RevisionId, SegmentRow, Status, TranslationEdit, Version, VersionId,
};
use crate::store::{Pretranslated, Project, StoreError, Wait};
use crate::summary::{DEFAULT_SECTIONS, LinkDecision, NewSummary, SentenceKind, SummaryView};
use crate::tm::{ConcordanceHit, Memory, MemoryId, TmMatch};
use summary::{SourceIndex, SummaryError};

mod mt;
pub mod summary;
pub use mt::{DraftJob, MtJob, MtSuggestion, ProfileView, suggestions};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no project is open; open or create one first")]
    NoProject,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Lang(#[from] LangError),
    #[error(transparent)]
    Recent(#[from] RecentError),
    #[error("{path}: cannot write the file: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{source}")]
    Conflict { source: Box<StoreError>, diff: Box<TextDiff> },
    #[error(transparent)]
    Summary(SummaryError),
    #[error(transparent)]
    Article(#[from] ArticleError),
    #[error(transparent)]
    Xliff(#[from] crate::formats::xliff::XliffError),
    #[error(transparent)]
    Tm(#[from] crate::store::TmError),
    #[error(transparent)]
    Glossary(#[from] crate::formats::glossary::GlossaryError),
    #[error(transparent)]
    Mt(#[from] crate::mt::MtError),
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

impl From<SummaryError> for SessionError {
    fn from(error: SummaryError) -> SessionError {
        match error {
            SummaryError::Store(store) => SessionError::Store(store),
            other => SessionError::Summary(other),
        }
    }
}

/// An error as the UI receives it: a machine-readable kind, a sentence a
/// translator understands, and for conflicts the text that was kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ErrorReply {
    pub kind: ErrorKind,
    pub message: String,
    pub conflict: Option<ConflictReply>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub enum ErrorKind {
    NoProject,
    NotFound,
    /// The project is open in another process (named in the message).
    InUse,
    InvalidInput,
    Conflict,
    Storage,
    /// Refused until something is resolved (a summary's open flags).
    Blocked,
    /// A machine-translation service failed or refused (network, key, quota).
    Service,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ConflictReply {
    pub revision: Option<RevisionId>,
    pub text: Option<String>,
    /// From the stored text to the refused one.
    pub diff: Option<TextDiff>,
}

impl From<&SessionError> for ErrorReply {
    fn from(error: &SessionError) -> ErrorReply {
        let kind = match error {
            SessionError::NoProject => ErrorKind::NoProject,
            SessionError::Store(
                StoreError::NotFound { .. } | StoreError::NoSuchDocument(_) | StoreError::NoSuchSegment(_),
            ) => ErrorKind::NotFound,
            SessionError::Store(StoreError::Conflict { .. }) | SessionError::Conflict { .. } => ErrorKind::Conflict,
            SessionError::Store(StoreError::Lock(crate::store::lock::LockError::InUse { .. })) => ErrorKind::InUse,
            SessionError::Store(
                StoreError::AlreadyExists { .. }
                | StoreError::NotAProject { .. }
                | StoreError::NewerSchema { .. }
                | StoreError::SplitOutOfRange { .. }
                | StoreError::NothingToJoin(_)
                | StoreError::NothingToShift(_)
                | StoreError::NothingToReview(_)
                | StoreError::RejectNeedsComment(_)
                | StoreError::EmptyComment
                | StoreError::VersionExists(_)
                | StoreError::ForeignRevision { .. }
                | StoreError::NotASummary(_)
                | StoreError::NotASource(_)
                | StoreError::NoSuchSection(_)
                | StoreError::NoSources,
            )
            | SessionError::Import(_)
            | SessionError::Xliff(_)
            | SessionError::Tm(
                crate::store::TmError::Tmx(_)
                | crate::store::TmError::NoPairs { .. }
                | crate::store::TmError::ProjectMemory(_)
                | crate::store::TmError::Cancelled,
            )
            | SessionError::Mt(
                crate::mt::MtError::NoSuchProfile(_)
                | crate::mt::MtError::Disabled(_)
                | crate::mt::MtError::Invalid(_)
                | crate::mt::MtError::NoKey { .. }
                | crate::mt::MtError::Cancelled,
            )
            | SessionError::Glossary(
                crate::formats::glossary::GlossaryError::Read { .. }
                | crate::formats::glossary::GlossaryError::Empty { .. }
                | crate::formats::glossary::GlossaryError::Encoding { .. }
                | crate::formats::glossary::GlossaryError::Invalid { .. }
                | crate::formats::glossary::GlossaryError::NoTerms { .. },
            )
            | SessionError::Summary(SummaryError::Empty | SummaryError::NotASourcePassage(_))
            | SessionError::Lang(_) => ErrorKind::InvalidInput,
            SessionError::Summary(SummaryError::Blocked { .. })
            | SessionError::Article(ArticleError::NotApproved { .. }) => ErrorKind::Blocked,
            SessionError::Article(ArticleError::Template(_)) => ErrorKind::InvalidInput,
            SessionError::Store(_)
            | SessionError::Summary(SummaryError::Store(_))
            | SessionError::Article(ArticleError::Missing(_) | ArticleError::Docx(_))
            | SessionError::Recent(_)
            | SessionError::Tm(_)
            | SessionError::Glossary(_)
            | SessionError::Write { .. } => ErrorKind::Storage,
            SessionError::Mt(_) => ErrorKind::Service,
        };
        let conflict = match error {
            SessionError::Store(StoreError::Conflict { found, their_text, .. }) => {
                Some(ConflictReply { revision: *found, text: their_text.clone(), diff: None })
            }
            SessionError::Conflict { source, diff } => match source.as_ref() {
                StoreError::Conflict { found, their_text, .. } => Some(ConflictReply {
                    revision: *found,
                    text: their_text.clone(),
                    diff: Some(diff.as_ref().clone()),
                }),
                _ => None,
            },
            _ => None,
        };
        ErrorReply { kind, message: error.to_string(), conflict }
    }
}

/// How far a long piece of work is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Progress {
    pub done: f64,
    pub total: f64,
}

/// The project a window has open, as shown in its title bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ProjectInfo {
    pub path: String,
    pub name: String,
    pub author: String,
}

/// The name recorded on revisions when the project names no author: the
/// login name, the same for the desktop and the command line.
pub fn default_author() -> String {
    std::env::var("USER").ok().filter(|name| !name.trim().is_empty()).unwrap_or_else(|| "translator".into())
}

/// One window's state: where its settings live and which project is open.
pub struct Session {
    config_dir: PathBuf,
    project: Option<Project>,
    default_author: String,
    /// The open summary's sources, indexed once while they stay unchanged.
    source_index: Option<SourceIndex>,
    /// A name given for this session only (`verso … --author`), recorded
    /// instead of the project's author.
    author_override: Option<String>,
    /// Whether opened projects join the start screen's recent list (the
    /// desktop's sessions do, the command line's do not).
    remembers_recent: bool,
}

impl Session {
    pub fn new(config_dir: PathBuf, default_author: String) -> Session {
        Session {
            config_dir,
            project: None,
            default_author,
            source_index: None,
            author_override: None,
            remembers_recent: true,
        }
    }

    /// A session for one command of the command line: settings from
    /// `config_dir`, the recent list left alone, and `author` (when given)
    /// recorded on what it writes.
    pub fn for_command(config_dir: PathBuf, author: Option<String>) -> Session {
        let author_override = author.map(|a| a.trim().to_string()).filter(|a| !a.is_empty());
        Session { author_override, remembers_recent: false, ..Session::new(config_dir, default_author()) }
    }

    fn recent_list(&self) -> PathBuf {
        self.config_dir.join("recent.json")
    }

    pub fn recent_projects(&self) -> Vec<RecentProject> {
        recent::load(&self.recent_list())
    }

    /// Opens a project; refused with the other process named while one
    /// has it open.
    pub fn open_project(&mut self, path: &Path) -> Result<ProjectInfo, SessionError> {
        self.open_project_waiting(path, Wait::No)
    }

    /// [`Session::open_project`], waiting as told for another process to
    /// close the project.
    pub fn open_project_waiting(&mut self, path: &Path, wait: Wait) -> Result<ProjectInfo, SessionError> {
        let project = Project::open_waiting(path, wait)?;
        self.adopt(project)
    }

    pub fn create_project(&mut self, path: &Path) -> Result<ProjectInfo, SessionError> {
        let project = Project::create(path)?;
        self.adopt(project)
    }

    /// Opens the sample project, creating it in the settings folder the
    /// first time so a newcomer's own files are never touched.
    pub fn open_sample(&mut self) -> Result<ProjectInfo, SessionError> {
        let path = self.config_dir.join("Sample project.verso");
        if path.is_file() {
            return self.open_project(&path);
        }
        std::fs::create_dir_all(&self.config_dir)
            .map_err(|source| SessionError::Recent(RecentError::Write { path: self.config_dir.clone(), source }))?;
        let (project, _) = crate::sample::create_sample_project(&path)?;
        self.adopt(project)
    }

    fn adopt(&mut self, project: Project) -> Result<ProjectInfo, SessionError> {
        if self.remembers_recent {
            recent::remember(&self.recent_list(), project.path())?;
        }
        self.project = Some(project);
        self.source_index = None;
        self.info()
    }

    pub fn close_project(&mut self) {
        self.project = None;
        self.source_index = None;
    }

    pub fn info(&self) -> Result<ProjectInfo, SessionError> {
        let project = self.project()?;
        let path = project.path();
        Ok(ProjectInfo {
            path: path.display().to_string(),
            name: path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            author: match &self.author_override {
                Some(name) => name.clone(),
                None => project.author()?.unwrap_or_else(|| self.default_author.clone()),
            },
        })
    }

    fn project(&self) -> Result<&Project, SessionError> {
        self.project.as_ref().ok_or(SessionError::NoProject)
    }

    fn project_mut(&mut self) -> Result<&mut Project, SessionError> {
        self.project.as_mut().ok_or(SessionError::NoProject)
    }

    pub fn documents(&self) -> Result<Vec<DocumentSummary>, SessionError> {
        Ok(self.project()?.documents()?)
    }

    pub fn segments(&self, document: DocumentId) -> Result<Vec<SegmentRow>, SessionError> {
        Ok(self.project()?.segments(document)?)
    }

    pub fn import(
        &mut self,
        path: &Path,
        source_lang: &str,
        target_lang: &str,
        title: Option<String>,
    ) -> Result<DocumentSummary, SessionError> {
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
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.split_segment(segment, at, &author)?;
        Ok(project.segments(document)?)
    }

    /// Joins a segment with the next one and returns the document's rows.
    pub fn join_with_next(&mut self, segment: SegmentId) -> Result<Vec<SegmentRow>, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let document = project.segment(segment)?.document_id;
        project.join_with_next(segment, &author)?;
        Ok(project.segments(document)?)
    }

    pub fn set_author(&mut self, name: &str) -> Result<ProjectInfo, SessionError> {
        self.project_mut()?.set_author(name.trim())?;
        self.info()
    }

    /// Records a review decision and returns the segment's updated row.
    pub fn review(
        &mut self,
        segment: SegmentId,
        decision: Decision,
        comment: Option<&str>,
    ) -> Result<SegmentRow, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.review(segment, decision, comment, &author)?;
        Ok(project.segment(segment)?)
    }

    pub fn bulk_review(&mut self, segments: &[SegmentId], decision: Decision) -> Result<BulkOutcome, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.bulk_review(segments, decision, &author)?)
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

    /// The best memory matches for a segment (see [`crate::tm`]).
    pub fn matches(&self, segment: SegmentId, threshold: u8) -> Result<Vec<TmMatch>, SessionError> {
        Ok(self.project()?.segment_matches(segment, threshold, 5)?)
    }

    pub fn concordance(&self, query: &str) -> Result<Vec<ConcordanceHit>, SessionError> {
        Ok(self.project()?.concordance(query, 50)?)
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
        let project = self.project_mut()?;
        project.remove_memory(memory)?;
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

    pub fn qa_report(&self, document: DocumentId) -> Result<QaReport, SessionError> {
        qa_report(self.project()?, document)
    }

    /// Accepts a QA warning with a reason; returns the document's report.
    pub fn accept_warning(
        &mut self,
        segment: SegmentId,
        check: QaCheck,
        detail: &str,
        reason: &str,
    ) -> Result<QaReport, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        project.accept_warning(segment, check, detail, reason, &author)?;
        let document = project.segment(segment)?.document_id;
        qa_report(project, document)
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
}

/// Summaries: every change returns the whole summary, relinked.
impl Session {
    /// Creates a summary of `sources`, with the default article sections
    /// unless others are given.
    pub fn create_summary(
        &mut self,
        title: &str,
        lang: &str,
        sources: &[DocumentId],
        sections: Option<Vec<String>>,
    ) -> Result<DocumentSummary, SessionError> {
        let summary = NewSummary {
            title: title.trim().to_string(),
            lang: lang.parse()?,
            sources: sources.to_vec(),
            sections: sections
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect()),
            references: Vec::new(),
        };
        let project = self.project_mut()?;
        let id = project.create_summary(&summary)?;
        Ok(project.document(id)?)
    }

    /// The source index for `summary`, rebuilt only if its sources changed.
    fn index_for(&mut self, summary: DocumentId) -> Result<(), SessionError> {
        let project = self.project.as_ref().ok_or(SessionError::NoProject)?;
        let current = match &self.source_index {
            Some(index) => index.is_current(project, summary)?,
            None => false,
        };
        if !current {
            self.source_index = Some(SourceIndex::build(project, summary)?);
        }
        Ok(())
    }

    pub fn summary(&mut self, summary: DocumentId) -> Result<SummaryView, SessionError> {
        self.index_for(summary)?;
        let (Some(project), Some(index)) = (&self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        Ok(summary::view(project, summary, index)?)
    }

    /// Splits pasted or typed text into sentences and appends them to a section.
    pub fn add_summary_text(
        &mut self,
        summary: DocumentId,
        section: u32,
        text: &str,
        kind: SentenceKind,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let lang = project.languages(summary)?.0;
        let sentences: Vec<String> = crate::segment::split_text(text, &lang).map(str::to_string).collect();
        project.add_summary_sentences(summary, section, &sentences, kind, &author)?;
        self.summary(summary)
    }

    pub fn remove_summary_sentence(&mut self, sentence: SegmentId) -> Result<SummaryView, SessionError> {
        let project = self.project_mut()?;
        let summary = project.segment(sentence)?.document_id;
        project.remove_summary_sentence(sentence)?;
        self.summary(summary)
    }

    /// Undoes a removal: the sentence comes back at the end of its section.
    pub fn restore_summary_sentence(
        &mut self,
        summary: DocumentId,
        sentence: SegmentId,
    ) -> Result<SummaryView, SessionError> {
        self.project_mut()?.restore_summary_sentence(summary, sentence)?;
        self.summary(summary)
    }

    pub fn set_sentence_kind(&mut self, sentence: SegmentId, kind: SentenceKind) -> Result<SummaryView, SessionError> {
        let project = self.project_mut()?;
        let summary = project.segment(sentence)?.document_id;
        project.set_sentence_kind(sentence, kind)?;
        self.summary(summary)
    }

    pub fn decide_link(
        &mut self,
        sentence: SegmentId,
        source: SegmentId,
        decision: LinkDecision,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        let summary = self.project()?.segment(sentence)?.document_id;
        self.index_for(summary)?;
        let (Some(project), Some(index)) = (&mut self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        summary::decide(project, index, sentence, source, decision, &author)?;
        self.summary(summary)
    }

    /// The summary as it would export, in Markdown (or JSON), for a preview.
    pub fn preview_summary(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        draft: bool,
    ) -> Result<String, SessionError> {
        let view = self.summary(summary)?;
        let format = if format == SummaryFormat::Json { SummaryFormat::Json } else { SummaryFormat::Markdown };
        let bytes = summary_file(self.project()?, &view, format, draft)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Writes the summary to `path`; refused unless approved or `draft`.
    pub fn export_summary(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        path: &Path,
        draft: bool,
    ) -> Result<(), SessionError> {
        let view = self.summary(summary)?;
        let bytes = summary_file(self.project()?, &view, format, draft)?;
        export::write_atomically(path, &bytes)
            .map_err(|source| SessionError::Write { path: path.to_path_buf(), source })
    }

    /// Approves the summary; refused while claims carry flags, unless
    /// `override_reason` records why they may stand.
    pub fn approve_summary(
        &mut self,
        summary: DocumentId,
        override_reason: Option<&str>,
    ) -> Result<SummaryView, SessionError> {
        let author = self.info()?.author;
        self.index_for(summary)?;
        let (Some(project), Some(index)) = (&mut self.project, &self.source_index) else {
            return Err(SessionError::NoProject);
        };
        summary::approve(project, summary, index, override_reason, &author)?;
        self.summary(summary)
    }

    pub fn document(&self, document: DocumentId) -> Result<DocumentSummary, SessionError> {
        Ok(self.project()?.document(document)?)
    }

    pub fn segment(&self, segment: SegmentId) -> Result<SegmentRow, SessionError> {
        Ok(self.project()?.segment(segment)?)
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

    /// A document in any export format as bytes, with what they hold.
    pub fn document_bytes(
        &self,
        document: DocumentId,
        format: DocumentExport,
    ) -> Result<(Vec<u8>, ExportPreview), SessionError> {
        let (bytes, untranslated, units) = document_file(self.project()?, document, format)?;
        Ok((bytes, ExportPreview { text: String::new(), untranslated, units }))
    }

    /// An approved (or, with `draft`, any) summary as article bytes.
    pub fn summary_bytes(
        &mut self,
        summary: DocumentId,
        format: SummaryFormat,
        draft: bool,
    ) -> Result<Vec<u8>, SessionError> {
        let view = self.summary(summary)?;
        summary_file(self.project()?, &view, format, draft)
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

    /// Creates a summary of `sources` from text: `#` headings name
    /// sections, the rest are claim sentences.
    pub fn create_summary_from_text(
        &mut self,
        title: &str,
        lang: &str,
        sources: Vec<DocumentId>,
        text: &str,
    ) -> Result<DocumentSummary, SessionError> {
        let lang: LangTag = lang.parse()?;
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let id = summary::create_from_text(project, title, lang, sources, text, &author)?;
        Ok(project.document(id)?)
    }

    /// The project's article template, or `None` for Verso's default.
    pub fn summary_template(&self) -> Result<Option<String>, SessionError> {
        Ok(self.project()?.summary_template()?)
    }

    /// Sets the project's article template (checked first), or resets it.
    pub fn set_summary_template(&mut self, template: Option<&str>) -> Result<(), SessionError> {
        if let Some(template) = template {
            article::check_template(template)?;
        }
        Ok(self.project_mut()?.set_summary_template(template)?)
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

    /// Records a review decision and returns the revision it made.
    pub fn review_revision(
        &mut self,
        segment: SegmentId,
        decision: Decision,
        comment: Option<&str>,
    ) -> Result<Revision, SessionError> {
        let author = self.info()?.author;
        Ok(self.project_mut()?.review(segment, decision, comment, &author)?)
    }
}

fn write_atomically(path: &Path, content: &str) -> Result<(), SessionError> {
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

/// A checked summary as an article file: its sources and cited passages
/// looked up, rendered with the project's template (or the default);
/// refused when not approved unless `draft`.
pub fn summary_file(
    project: &Project,
    view: &SummaryView,
    format: SummaryFormat,
    draft: bool,
) -> Result<Vec<u8>, SessionError> {
    let mut cited = article::Cited::default();
    for source in &view.sources {
        cited.documents.insert(source.id, project.document(source.id)?);
    }
    for segment in article::Cited::passages_of(view) {
        if let std::collections::hash_map::Entry::Vacant(entry) = cited.passages.entry(segment) {
            entry.insert(project.segment(segment)?);
        }
    }
    let template = project.summary_template()?;
    Ok(article::export(view, &cited, template.as_deref(), format, draft)?)
}

/// Runs every QA check on a document, with the warnings reviewers
/// accepted marked as such.
pub fn qa_report(project: &Project, document: DocumentId) -> Result<QaReport, SessionError> {
    let summary = project.document(document)?;
    let (source, target) = project.languages(document)?;
    let rows = project.segments(document)?;
    let terms = project.glossary(&source, &target)?;
    let accepted = project.accepted_warnings(document)?;
    Ok(crate::qa::check_document(&summary.title, &rows, &source, &target, &terms, &accepted))
}

/// Reads a TBX or CSV/TSV glossary and adds its `source → target` term
/// pairs to the project, all or nothing. Returns (terms read, terms new).
pub fn import_glossary(
    project: &mut Project,
    path: &Path,
    source: &LangTag,
    target: &LangTag,
) -> Result<(usize, usize), SessionError> {
    let terms = crate::formats::glossary::read(path, source, target)?;
    let origin = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let added = project.add_glossary_terms(&terms, source, target, &origin)?;
    Ok((terms.len(), added))
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

/// One revision in a segment's history, with what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct HistoryEntry {
    pub revision: Revision,
    pub diff: TextDiff,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::Status;

    #[test]
    fn sample_opens_and_reopens_and_is_remembered() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut session = Session::new(dir.path().join("config"), "Ana".into());
        let info = session.open_sample().expect("sample");
        assert_eq!(info.author, "Ana");
        let docs = session.documents().expect("docs");
        let row = session.segments(docs[0].id).expect("rows").remove(5);
        session
            .save_translation(&TranslationEdit {
                segment: row.id,
                text: "Hola.".into(),
                status: Status::Translated,
                base: None,
                origin: None,
            })
            .expect("save");
        session.close_project();
        assert!(matches!(session.documents(), Err(SessionError::NoProject)));
        session.open_sample().expect("reopen");
        let again = session.segments(docs[0].id).expect("rows");
        assert_eq!(again[5].translation.as_deref(), Some("Hola."));
        assert_eq!(session.recent_projects().len(), 1);
    }

    #[test]
    fn exporting_the_sample_writes_markdown_and_counts_untranslated_segments() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut session = Session::new(dir.path().join("config"), "Ana".into());
        session.open_sample().expect("sample");
        let path = dir.path().join("out.md");
        let written = session.export_document(DocumentId(1), DocumentExport::Markdown, &path).expect("export");
        assert_eq!(written.untranslated, 6);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# El Ministerio del Agua anuncia"), "{text}");
        assert!(!dir.path().join("out.verso-tmp").exists());
    }

    #[test]
    fn errors_reach_the_ui_with_a_kind_and_the_kept_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut session = Session::new(dir.path().to_path_buf(), "Ana".into());
        let missing = session.open_project(&dir.path().join("gone.verso")).expect_err("missing");
        assert_eq!(ErrorReply::from(&missing).kind, ErrorKind::NotFound);
        session.open_sample().expect("sample");
        let row = session.segments(DocumentId(1)).expect("rows").remove(0);
        let stale =
            TranslationEdit { segment: row.id, text: "Otro".into(), status: Status::Draft, base: None, origin: None };
        let reply = ErrorReply::from(&session.save_translation(&stale).expect_err("conflict"));
        assert_eq!(reply.kind, ErrorKind::Conflict);
        let conflict = reply.conflict.expect("conflict details");
        assert_eq!(conflict.text.as_deref(), row.translation.as_deref());
        let spans = conflict.diff.expect("diff").spans;
        assert!(spans.iter().any(|s| s.kind == diff::SpanKind::Insert && s.text == "Otro"), "{spans:?}");
    }
}
