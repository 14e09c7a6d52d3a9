//! Team projects: share a project through a Git remote, join one, sync,
//! and resolve the segments two people changed at once.
//!
//! The `.verso` file stays each person's working copy; beside it, a bare
//! repository (`.NAME.verso.git`) holds the text form that travels. A sync
//! writes this clone's records, commits, fetches, merges, takes in the
//! others' records (one transaction) and pushes, retrying when someone
//! pushed first. Work done offline is committed locally and pushed at the
//! next sync that reaches the remote; nothing waits only in memory.
//!
//! Shared: documents, revisions (translations, statuses, review
//! decisions), comments, versions, summaries (sections, sentences, people's
//! link decisions, approvals), glossary terms and accepted QA warnings.
//! Memories imported from files stay in each clone (the project memory is
//! rebuilt from the shared revisions); splitting and joining segments are
//! refused in a team project.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{ProjectInfo, Session, SessionError};
use crate::diff::{self, DiffAlgorithm, TextDiff};
use crate::document::SegmentId;
use crate::formats::team::{self as form, Files, SharedProject, TeamFormError, writer_of};
use crate::revision::{RevisionId, Status};
use crate::store::{Incoming, Project};
use crate::team::{Committer, Pushed, Repo, TeamError};

/// One team operation at a time in this process (other processes are kept
/// out by the project's lock), so a lock file Git finds in a clone's
/// repository can only be a dead process's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How many times a sync fetches, merges and pushes again when others keep
/// pushing first, before saying so.
const PUSH_ATTEMPTS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum TeamUseError {
    #[error("this project is not a team project; share it first")]
    NotShared,
    #[error("this project is already a team project")]
    AlreadyShared,
    #[error("{path}: a file is already there; choose another name for the joined project")]
    Exists { path: PathBuf },
    #[error("others kept pushing first ({PUSH_ATTEMPTS} tries); your work is committed here, sync again")]
    Busy,
    #[error(
        "splitting and joining segments are not shared with the team yet; split or join before sharing the project"
    )]
    Structure,
    #[error("the token is empty")]
    EmptyToken,
    #[error("{0}")]
    Git(#[from] TeamError),
    #[error("{0}")]
    Form(#[from] TeamFormError),
}

/// Which text ends a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Mine,
    Theirs,
    Text(String),
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct SyncReport {
    /// Titles of documents another clone shared.
    pub new_documents: Vec<String>,
    /// Revisions taken in: (document, segment position, author).
    pub revisions: Vec<(String, u32, String)>,
    pub comments: u32,
    /// Summary sentences others added, took out or brought back.
    pub sentences: u32,
    /// Others' decisions on summary links.
    pub link_decisions: u32,
    /// Summaries others approved: (summary, approver).
    pub approvals: Vec<(String, String)>,
    /// Versions others named: (document, version).
    pub versions: Vec<(String, String)>,
    pub terms: u32,
    /// Words others added to the project dictionary.
    pub words: u32,
    pub accepted_warnings: u32,
    /// Changes others made to where a source was published.
    pub publications: u32,
    /// Reference memories others shared (their names).
    pub memories: Vec<String>,
    /// Shared reference memories others removed.
    pub memories_removed: u32,
    /// Segments in conflict after the sync (this clone's work reached the
    /// remote: a sync that cannot push is an error).
    pub conflicts: u32,
}

impl SyncReport {
    /// Nothing came in.
    pub fn is_quiet(&self) -> bool {
        self.new_documents.is_empty()
            && self.revisions.is_empty()
            && self.comments == 0
            && self.sentences == 0
            && self.link_decisions == 0
            && self.approvals.is_empty()
            && self.versions.is_empty()
            && self.terms == 0
            && self.words == 0
            && self.accepted_warnings == 0
            && self.publications == 0
            && self.memories.is_empty()
            && self.memories_removed == 0
    }
}

/// Where a team project stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct TeamStatus {
    pub remote: String,
    pub writer: String,
    /// Commits made here the remote has not received yet.
    pub unpushed: bool,
    pub conflicts: u32,
}

/// A team project just joined: the project, opened, and what came in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct Joined {
    pub project: ProjectInfo,
    pub report: SyncReport,
}

/// One conflicted segment as a person decides it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ConflictView {
    pub segment: SegmentId,
    pub document: String,
    pub position: u32,
    pub source: String,
    pub sides: Vec<ConflictSide>,
    /// From the oldest side's text to the newest's, word by word.
    pub diff: Option<TextDiff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ConflictSide {
    pub revision: RevisionId,
    pub text: String,
    pub status: Status,
    pub author: String,
    pub at: String,
    /// Made in this clone.
    pub mine: bool,
}

/// The repository beside a project: `.NAME.verso.git`.
pub fn repository_path(project: &Path) -> PathBuf {
    let name = project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    project.with_file_name(format!(".{name}.git"))
}

/// This clone's files for the repository: its records, and the units of a
/// memory it shared that the repository does not hold yet (a memory is
/// read-only, so its units are written once, never read back here).
fn outgoing(project: &mut Project, repo: &Repo, writer: &str) -> Result<Files, SessionError> {
    let shared = project.shared_project()?;
    let mut files = form::files_of(&shared, writer);
    for memory in shared.memories.iter().filter(|m| form::writer_of(&m.id) == writer) {
        let path = form::units_path(&memory.id);
        if !repo.has(&path)? {
            files.insert(path, form::units_file(&project.shared_memory_units(&memory.id)?));
        }
    }
    Ok(files)
}

/// `shared` with the units of the memories this clone lacks, read from the
/// repository; the others' units are not read at all.
fn with_memory_units(project: &Project, repo: &Repo, mut shared: SharedProject) -> Result<SharedProject, SessionError> {
    for memory in project.lacking_memories(&shared)? {
        let path = form::units_path(&memory);
        if let Some(bytes) = repo.file(&path)? {
            shared.memory_units.insert(memory, form::units(&path, &bytes)?);
        }
    }
    Ok(shared)
}

/// A writer id for a new clone: 48 random bits from the OS-seeded hasher,
/// so two clones never write the same file or hand out the same id.
fn new_writer() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// Who commits: the person's name, and the e-mail from their Git settings
/// when they have one.
fn committer(name: &str) -> Committer {
    let email = git2::Config::open_default()
        .and_then(|c| c.get_string("user.email"))
        .unwrap_or_else(|_| format!("{}@verso.invalid", name.split_whitespace().collect::<Vec<_>>().join(".")));
    Committer { name: name.to_string(), email }
}

impl Session {
    /// Saves a token for an HTTP remote's server in the OS keyring (never in
    /// the project or its repository); returns the server's name. Needs no
    /// open project: a person logs in before joining.
    pub fn save_git_token(&self, remote: &str, token: &str) -> Result<String, SessionError> {
        if token.trim().is_empty() {
            return Err(TeamUseError::EmptyToken.into());
        }
        Ok(crate::team::save_token(remote, token)?)
    }

    /// Forgets the token saved for an HTTP remote's server.
    pub fn forget_git_token(&self, remote: &str) -> Result<String, SessionError> {
        Ok(crate::team::forget_token(remote)?)
    }

    /// Makes the open project a team project and pushes it to `remote`,
    /// which must be empty.
    pub fn share_team(&mut self, remote: &str) -> Result<TeamStatus, SessionError> {
        let _one = one_at_a_time();
        let author = self.info()?.author;
        let project = self.project_mut()?;
        if project.team_writer()?.is_some() {
            return Err(TeamUseError::AlreadyShared.into());
        }
        let dir = repository_path(project.path());
        let _ = std::fs::remove_dir_all(&dir);
        let repo = Repo::init(&dir, remote)?;
        let fresh = match repo.fetch() {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(TeamError::RemoteNotEmpty { remote: remote.to_string() }),
            Err(error) => Err(error),
        };
        if let Err(error) = fresh {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(error.into());
        }
        let writer = new_writer();
        project.set_team_writer(&writer)?;
        let files = outgoing(project, &repo, &writer)?;
        repo.commit(&files, &committer(&author), "Share the project")?;
        // Offline right after the check: the commit is here, the next sync pushes it.
        let _ = repo.push()?;
        self.status()
    }

    /// Clones the team project at `remote` into a new project file at `path`
    /// and opens it.
    pub fn join_team(&mut self, remote: &str, path: &Path) -> Result<Joined, SessionError> {
        let _one = one_at_a_time();
        if path.exists() {
            return Err(TeamUseError::Exists { path: path.to_path_buf() }.into());
        }
        let dir = repository_path(path);
        let _ = std::fs::remove_dir_all(&dir);
        let joined = crate::team::clone(remote, &dir).map_err(SessionError::from).and_then(|repo| {
            // Read before the project file exists: a foreign or newer
            // repository leaves nothing behind.
            let shared = form::read(&repo.files_where(|p| !form::is_units(p))?)?;
            Ok((repo, shared))
        });
        let taken_in = joined.and_then(|(repo, shared)| {
            let mut project = Project::create(path)?;
            project.set_team_writer(&new_writer())?;
            let shared = with_memory_units(&project, &repo, shared)?;
            let incoming = project.apply_shared(&shared)?;
            Ok((project, incoming))
        });
        let (project, incoming) = match taken_in {
            Ok(taken_in) => taken_in,
            Err(error) => {
                // The half-made project (closed by now) goes with its repository.
                let _ = std::fs::remove_dir_all(&dir);
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                return Err(error);
            }
        };
        let info = self.adopt(project)?;
        let conflicts = self.project()?.conflicts()?.len() as u32;
        Ok(Joined { project: info, report: report(incoming, conflicts) })
    }

    /// Sends this clone's work and takes in everyone else's.
    pub fn sync_team(&mut self) -> Result<SyncReport, SessionError> {
        let _one = one_at_a_time();
        let author = self.info()?.author;
        let project = self.project_mut()?;
        let writer = project.team_writer()?.ok_or(TeamUseError::NotShared)?;
        let repo = Repo::open(&repository_path(project.path()))?;
        let who = committer(&author);
        let mut incoming = Incoming::default();
        for _ in 0..PUSH_ATTEMPTS {
            let files = outgoing(project, &repo, &writer)?;
            repo.commit(&files, &who, &format!("Work by {author}"))?;
            if let Some(theirs) = repo.fetch()? {
                repo.merge(theirs, &who)?;
            }
            let shared = form::read(&repo.files_where(|p| !form::is_units(p))?)?;
            let shared = with_memory_units(project, &repo, shared)?;
            incoming.absorb(project.apply_shared(&shared)?);
            if repo.push()? == Pushed::Done {
                let conflicts = project.conflicts()?.len() as u32;
                return Ok(report(incoming, conflicts));
            }
        }
        Err(TeamUseError::Busy.into())
    }

    /// Where the open project stands with its team; `None` when it is not
    /// a team project.
    pub fn team_status(&self) -> Result<Option<TeamStatus>, SessionError> {
        let _one = one_at_a_time();
        match self.project()?.team_writer()? {
            Some(_) => Ok(Some(self.status()?)),
            None => Ok(None),
        }
    }

    fn status(&self) -> Result<TeamStatus, SessionError> {
        let project = self.project()?;
        let writer = project.team_writer()?.ok_or(TeamUseError::NotShared)?;
        let repo = Repo::open(&repository_path(project.path()))?;
        Ok(TeamStatus {
            remote: repo.remote_url()?,
            writer,
            unpushed: repo.unpushed()?,
            conflicts: project.conflicts()?.len() as u32,
        })
    }

    pub fn team_conflicts(&self) -> Result<Vec<ConflictView>, SessionError> {
        let project = self.project()?;
        let writer = project.team_writer()?.ok_or(TeamUseError::NotShared)?;
        let conflicts = project.conflicts()?;
        let mut views = Vec::new();
        for c in conflicts {
            let granularity = diff::granularity_for(&project.target_language(c.document)?);
            let diff = match (c.heads.first(), c.heads.last()) {
                (Some(old), Some(new)) => Some(diff::diff_text(&old.text, &new.text, granularity, DiffAlgorithm::Auto)),
                _ => None,
            };
            views.push(ConflictView {
                diff,
                segment: c.segment,
                document: c.document_title,
                position: c.position,
                source: c.source,
                sides: c
                    .heads
                    .into_iter()
                    .map(|r| ConflictSide {
                        mine: is_mine(project, r.id, &writer),
                        revision: r.id,
                        text: r.text,
                        status: r.status,
                        author: r.author,
                        at: r.created_at,
                    })
                    .collect(),
            });
        }
        Ok(views)
    }

    /// Ends a conflict: keep this clone's text, take the other's, or write
    /// a merged one. The choice is a revision like any other and syncs.
    pub fn resolve_team_conflict(&mut self, segment: SegmentId, keep: Keep) -> Result<ConflictSide, SessionError> {
        let author = self.info()?.author;
        let view = self
            .team_conflicts()?
            .into_iter()
            .find(|c| c.segment == segment)
            .ok_or(crate::store::StoreError::NotInConflict(segment.0))?;
        let newest = |mine: bool| view.sides.iter().rev().find(|s| s.mine == mine);
        let (text, status) = match &keep {
            Keep::Mine | Keep::Theirs => {
                let side = newest(keep == Keep::Mine).or_else(|| view.sides.last()).expect("a conflict has sides");
                (side.text.clone(), side.status)
            }
            Keep::Text(text) => (text.trim().to_string(), Status::Translated),
        };
        let seen: Vec<RevisionId> = view.sides.iter().map(|s| s.revision).collect();
        let revision = self.project_mut()?.resolve_conflict(segment, &seen, &text, status, &author)?;
        Ok(ConflictSide {
            revision: revision.id,
            text: revision.text,
            status: revision.status,
            author: revision.author,
            at: revision.created_at,
            mine: true,
        })
    }

    /// Refuses what a team project cannot share yet.
    pub(super) fn refuse_structure_change_in_team(&self) -> Result<(), SessionError> {
        match self.project()?.team_writer()? {
            Some(_) => Err(TeamUseError::Structure.into()),
            None => Ok(()),
        }
    }
}

/// Made in this clone: shared under this clone's writer id, or not shared
/// yet (only this clone's own revisions wait for an id).
fn is_mine(project: &Project, revision: RevisionId, writer: &str) -> bool {
    match project.shared_id_of_revision(revision) {
        Ok(Some(id)) => writer_of(&id) == writer,
        Ok(None) => true,
        Err(_) => false,
    }
}

fn report(incoming: Incoming, conflicts: u32) -> SyncReport {
    SyncReport {
        new_documents: incoming.documents,
        revisions: incoming.revisions,
        comments: incoming.comments,
        sentences: incoming.sentences,
        link_decisions: incoming.link_decisions,
        approvals: incoming.approvals,
        versions: incoming.versions,
        terms: incoming.terms,
        words: incoming.words,
        accepted_warnings: incoming.accepted,
        publications: incoming.publications,
        memories: incoming.memories,
        memories_removed: incoming.memories_removed,
        conflicts,
    }
}
