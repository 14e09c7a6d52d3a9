//! Every use case of Verso, the one API the desktop shell and the command
//! line call: a `Session` is one window's (or one command's) open project.
//! This file holds opening, creating and the sample project, the recent
//! list, and the replies the UI receives, errors included; the use cases
//! are grouped in `session/`: `documents` (import, rows, edits, history),
//! `review` (decisions, versions, diffs, change reports), `exchange`
//! (exports, XLIFF and TMX), `memory` (memory, glossary, QA), `summary` and
//! `mt`.
//!
//! It lives in the core so the Tauri shell stays a thin translation layer
//! and so this behaviour is tested without a window.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diff::TextDiff;
use crate::formats::export::article::ArticleError;
use crate::formats::import::ImportError;
use crate::lang::LangError;
use crate::recent::{self, RecentError, RecentProject};
use crate::revision::RevisionId;
use crate::store::{Project, StoreError, Wait};
use summary::{SourceIndex, SummaryError};

mod documents;
mod exchange;
pub mod find;
mod memory;
mod mt;
mod overview;
mod review;
pub mod shortcuts;
pub mod spelling;
pub mod summary;
mod team;
mod undo;

pub use documents::{HistoryEntry, ImportPreview};
pub use exchange::{
    DocumentExport, ExchangeFormat, ExportPreview, exchange_file, import_xliff, translation_file, update_from_xliff,
};
pub use memory::{export_glossary, import_glossary, qa_report_at};
pub use mt::{DraftJob, MtJob, MtSuggestion, ProfileView, suggestions};
pub use overview::ReportFormat;
pub use review::compare;
pub use summary::{JudgeJob, JudgeOutcome, JudgeReport, LinkMtJob, run_judge, summary_file};
pub use team::{ConflictSide, ConflictView, Joined, Keep, SyncReport, TeamStatus, TeamUseError, repository_path};

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
    #[error(transparent)]
    Team(#[from] TeamUseError),
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
    #[error("{0}")]
    Term(String),
    #[error("{0}")]
    Publication(String),
    #[error(transparent)]
    Dictionary(#[from] crate::formats::hunspell::HunspellError),
    #[error("{0}")]
    Spelling(String),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error("{0}")]
    Shortcut(String),
}

impl From<crate::team::TeamError> for SessionError {
    fn from(error: crate::team::TeamError) -> SessionError {
        SessionError::Team(TeamUseError::Git(error))
    }
}

impl From<crate::formats::team::TeamFormError> for SessionError {
    fn from(error: crate::formats::team::TeamFormError) -> SessionError {
        SessionError::Team(TeamUseError::Form(error))
    }
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
            )
            | SessionError::Tm(crate::store::TmError::NoSuchUnit(_)) => ErrorKind::NotFound,
            SessionError::Store(StoreError::Conflict { .. }) | SessionError::Conflict { .. } => ErrorKind::Conflict,
            SessionError::Store(StoreError::Lock(crate::store::lock::LockError::InUse { .. })) => ErrorKind::InUse,
            SessionError::Store(
                StoreError::AlreadyExists { .. }
                | StoreError::NotAProject { .. }
                | StoreError::NewerSchema { .. }
                | StoreError::SplitOutOfRange { .. }
                | StoreError::NothingToJoin(_)
                | StoreError::NothingToUndo(_)
                | StoreError::NothingToShift(_)
                | StoreError::NothingToReview(_)
                | StoreError::RejectNeedsComment(_)
                | StoreError::EmptyComment
                | StoreError::VersionExists(_)
                | StoreError::ForeignRevision { .. }
                | StoreError::NotASummary(_)
                | StoreError::NotASource(_)
                | StoreError::NoSuchSection(_)
                | StoreError::NoSources
                | StoreError::NotInConflict(_)
                | StoreError::Locked(_)
                | StoreError::CategoryWithoutReject(_),
            )
            | SessionError::Team(
                TeamUseError::NotShared
                | TeamUseError::AlreadyShared
                | TeamUseError::Exists { .. }
                | TeamUseError::Structure
                | TeamUseError::EmptyToken
                | TeamUseError::Git(crate::team::TeamError::NotHttp { .. })
                | TeamUseError::Form(_),
            )
            | SessionError::Import(_)
            | SessionError::Term(_)
            | SessionError::Publication(_)
            | SessionError::Spelling(_)
            | SessionError::Search(_)
            | SessionError::Shortcut(_)
            | SessionError::Dictionary(_)
            | SessionError::Xliff(_)
            | SessionError::Tm(
                crate::store::TmError::Tmx(_)
                | crate::store::TmError::NoPairs { .. }
                | crate::store::TmError::ProjectMemory(_)
                | crate::store::TmError::ReadOnly(_)
                | crate::store::TmError::EmptyUnit
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
            SessionError::Mt(_) | SessionError::Team(TeamUseError::Busy | TeamUseError::Git(_)) => ErrorKind::Service,
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

    pub fn set_author(&mut self, name: &str) -> Result<ProjectInfo, SessionError> {
        self.project_mut()?.set_author(name.trim())?;
        self.info()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff;
    use crate::document::DocumentId;
    use crate::revision::{Status, TranslationEdit};

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
