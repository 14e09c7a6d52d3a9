//! A team project's Git repository: the exchange between clones.
//!
//! Each clone keeps a bare repository beside its project (`.NAME.verso.git`)
//! with one branch, `main`, holding the text form (`formats::team`). A sync
//! commits this clone's files onto `main`, fetches the remote's `main`,
//! merges, and pushes; a push the remote rejects because someone pushed
//! first is fetched, merged and pushed again. Merges are unions (every
//! file has one writer), so they never need a person; if Git ever reports
//! a conflict anyway, record files are joined line by line and anything
//! else stops the sync with the path named, before anything is written.
//!
//! libgit2 is compiled in (`git2`), so no `git` program is needed. Remotes
//! are local paths, `file://`, `git://`, `ssh://` (ssh-agent, or a key file)
//! and
//! `https://` (a token in `VERSO_GIT_TOKEN`, else one saved for the
//! server in the OS keyring, else the user's Git credential helper);
//! credentials are never stored in the project or the repository.

use std::path::{Path, PathBuf};

use git2::{
    Cred, CredentialType, ErrorClass, ErrorCode, FetchOptions, Index, IndexEntry, IndexTime, Oid, PushOptions,
    RemoteCallbacks, Repository, RepositoryInitOptions, Signature, TreeWalkMode, TreeWalkResult,
};

use crate::formats::team::{Files, union_lines};

const BRANCH: &str = "refs/heads/main";
const REMOTE_BRANCH: &str = "refs/remotes/origin/main";

#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error(
        "{remote}: authentication was refused or no login was found (check ssh-agent or your SSH key, or set \
         VERSO_SSH_KEY to its file; for HTTPS, \
         save a token with `verso team login` or the token field, or set VERSO_GIT_TOKEN)"
    )]
    Auth { remote: String },
    #[error("{remote}: a token is for http:// and https:// remotes (SSH logs in with your SSH key)")]
    NotHttp { remote: String },
    #[error("{0}; set the token in the VERSO_GIT_TOKEN variable instead")]
    Keyring(#[from] crate::keys::KeyringError),
    #[error(
        "{remote}: the server's SSH host key is not known here; connect once with ssh to check and accept it \
         (it goes into ~/.ssh/known_hosts), then sync again"
    )]
    UnknownHost { remote: String },
    #[error("{remote}: cannot reach the remote: {message}")]
    Unreachable { remote: String, message: String },
    #[error("{remote}: the remote has no Verso project yet (nothing on its main branch)")]
    EmptyRemote { remote: String },
    #[error("{remote}: the remote already holds a project; join it instead of sharing into it")]
    RemoteNotEmpty { remote: String },
    #[error("{path}: both sides changed this file and it cannot be merged line by line; nothing was changed")]
    Unmergeable { path: String },
    #[error("{path}: Git repository error: {message}")]
    Git { path: PathBuf, message: String },
}

/// Who commits: recorded on every commit, as on revisions.
#[derive(Debug, Clone)]
pub struct Committer {
    pub name: String,
    pub email: String,
}

/// A clone's repository.
pub struct Repo {
    repo: Repository,
    path: PathBuf,
}

/// What a push attempt came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Pushed {
    Done,
    /// Someone pushed first: fetch, merge and try again.
    Behind,
}

impl Repo {
    /// A new, empty repository at `path`, pointing at `remote`.
    pub fn init(path: &Path, remote: &str) -> Result<Repo, TeamError> {
        let mut options = RepositoryInitOptions::new();
        options.bare(true).initial_head("main");
        let repo = Repository::init_opts(path, &options).map_err(|e| git(path, e))?;
        repo.remote("origin", remote).map_err(|e| git(path, e))?;
        Ok(Repo { repo, path: path.to_path_buf() })
    }

    /// Opens a clone's repository. The caller owns the project (its lock)
    /// and runs one team operation at a time, so a `*.lock` file found here
    /// was left by a process killed mid-fetch or mid-commit: it is removed,
    /// or every later sync would fail on it.
    pub fn open(path: &Path) -> Result<Repo, TeamError> {
        remove_stale_locks(path);
        let repo = Repository::open_bare(path).map_err(|e| git(path, e))?;
        Ok(Repo { repo, path: path.to_path_buf() })
    }

    pub fn remote_url(&self) -> Result<String, TeamError> {
        let remote = self.repo.find_remote("origin").map_err(|e| self.git(e))?;
        Ok(remote.url().unwrap_or_default().to_string())
    }

    /// The files on `main` as last committed or merged here.
    pub fn files(&self) -> Result<Files, TeamError> {
        self.files_where(|_| true)
    }

    /// The files on `main` whose path `wanted` accepts: large files nobody
    /// needs are not even read.
    pub fn files_where(&self, wanted: impl Fn(&str) -> bool) -> Result<Files, TeamError> {
        match self.tip(BRANCH)? {
            Some(commit) => self.files_at(commit, wanted),
            None => Ok(Files::new()),
        }
    }

    /// Whether `main` holds a file at `path` (without reading it).
    pub fn has(&self, path: &str) -> Result<bool, TeamError> {
        let Some(commit) = self.tip(BRANCH)? else { return Ok(false) };
        let tree = self.repo.find_commit(commit).and_then(|c| c.tree()).map_err(|e| self.git(e))?;
        Ok(tree.get_path(Path::new(path)).is_ok())
    }

    /// One file on `main`, if it is there.
    pub fn file(&self, path: &str) -> Result<Option<Vec<u8>>, TeamError> {
        let Some(commit) = self.tip(BRANCH)? else { return Ok(None) };
        let tree = self.repo.find_commit(commit).and_then(|c| c.tree()).map_err(|e| self.git(e))?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => {
                let blob = self.repo.find_blob(entry.id()).map_err(|e| self.git(e))?;
                Ok(Some(blob.content().to_vec()))
            }
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(self.git(e)),
        }
    }

    /// Commits `files` over what `main` holds (paths not in `files` are
    /// kept as they are, and not read): `None` when nothing changed.
    pub fn commit(&self, files: &Files, who: &Committer, message: &str) -> Result<Option<Oid>, TeamError> {
        let parent = self.tip(BRANCH)?;
        let mut index = Index::new().map_err(|e| self.git(e))?;
        if let Some(parent) = parent {
            let parent_tree = self.repo.find_commit(parent).and_then(|c| c.tree()).map_err(|e| self.git(e))?;
            index.read_tree(&parent_tree).map_err(|e| self.git(e))?;
        }
        for (path, bytes) in files {
            let blob = self.repo.blob(bytes).map_err(|e| self.git(e))?;
            index.add(&entry(path, blob, bytes.len())).map_err(|e| self.git(e))?;
        }
        let tree = index.write_tree_to(&self.repo).map_err(|e| self.git(e))?;
        if let Some(parent) = parent {
            let parent_tree = self.repo.find_commit(parent).and_then(|c| c.tree()).map_err(|e| self.git(e))?;
            if parent_tree.id() == tree {
                return Ok(None);
            }
        }
        let tree = self.repo.find_tree(tree).map_err(|e| self.git(e))?;
        let signature = Signature::now(&who.name, &who.email).map_err(|e| self.git(e))?;
        let parents: Vec<git2::Commit<'_>> =
            parent.map(|p| self.repo.find_commit(p)).transpose().map_err(|e| self.git(e))?.into_iter().collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let id = self
            .repo
            .commit(Some(BRANCH), &signature, &signature, message, &tree, &parents)
            .map_err(|e| self.git(e))?;
        Ok(Some(id))
    }

    /// Fetches the remote's `main`; `None` when the remote has none yet.
    pub fn fetch(&self) -> Result<Option<Oid>, TeamError> {
        let mut remote = self.repo.find_remote("origin").map_err(|e| self.git(e))?;
        let url = remote.url().unwrap_or_default().to_string();
        let mut options = FetchOptions::new();
        options.remote_callbacks(callbacks(&url));
        remote
            .fetch(&[format!("+{BRANCH}:{REMOTE_BRANCH}")], Some(&mut options), None)
            .map_err(|e| remote_error(&url, e))?;
        // A remote without `main` fetches nothing; an old tracking ref stays.
        self.tip(REMOTE_BRANCH)
    }

    /// Brings the fetched `theirs` into `main`: a fast-forward when this
    /// clone has nothing new, otherwise a merge commit whose tree is the
    /// union of both sides. Returns whether `main` changed.
    pub fn merge(&self, theirs: Oid, who: &Committer) -> Result<bool, TeamError> {
        let Some(ours) = self.tip(BRANCH)? else {
            self.repo.reference(BRANCH, theirs, true, "verso: first sync").map_err(|e| self.git(e))?;
            return Ok(true);
        };
        if ours == theirs || self.repo.graph_descendant_of(ours, theirs).map_err(|e| self.git(e))? {
            return Ok(false);
        }
        if self.repo.graph_descendant_of(theirs, ours).map_err(|e| self.git(e))? {
            self.repo.reference(BRANCH, theirs, true, "verso: fast-forward").map_err(|e| self.git(e))?;
            return Ok(true);
        }
        let (our_commit, their_commit) = (
            self.repo.find_commit(ours).map_err(|e| self.git(e))?,
            self.repo.find_commit(theirs).map_err(|e| self.git(e))?,
        );
        let mut index = self.repo.merge_commits(&our_commit, &their_commit, None).map_err(|e| self.git(e))?;
        if index.has_conflicts() {
            self.join_conflicts(&mut index)?;
        }
        let tree = index.write_tree_to(&self.repo).map_err(|e| self.git(e))?;
        let tree = self.repo.find_tree(tree).map_err(|e| self.git(e))?;
        let signature = Signature::now(&who.name, &who.email).map_err(|e| self.git(e))?;
        self.repo
            .commit(Some(BRANCH), &signature, &signature, "Merge the team's work", &tree, &[&our_commit, &their_commit])
            .map_err(|e| self.git(e))?;
        Ok(true)
    }

    /// Pushes `main`.
    pub fn push(&self) -> Result<Pushed, TeamError> {
        let mut remote = self.repo.find_remote("origin").map_err(|e| self.git(e))?;
        let url = remote.url().unwrap_or_default().to_string();
        let rejected = std::cell::Cell::new(false);
        let mut callbacks = callbacks(&url);
        callbacks.push_update_reference(|_, status| {
            if status.is_some() {
                rejected.set(true);
            }
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        match remote.push(&[format!("{BRANCH}:{BRANCH}")], Some(&mut options)) {
            Ok(()) if rejected.get() => Ok(Pushed::Behind),
            Ok(()) => Ok(Pushed::Done),
            Err(e) if e.code() == ErrorCode::NotFastForward || e.message().contains("fast-forward") => {
                Ok(Pushed::Behind)
            }
            Err(e) => Err(remote_error(&url, e)),
        }
    }

    /// Whether `main` holds commits the remote has not seen.
    pub fn unpushed(&self) -> Result<bool, TeamError> {
        match (self.tip(BRANCH)?, self.tip(REMOTE_BRANCH)?) {
            (Some(ours), Some(theirs)) => {
                Ok(ours != theirs && !self.repo.graph_descendant_of(theirs, ours).map_err(|e| self.git(e))?)
            }
            (Some(_), None) => Ok(true),
            _ => Ok(false),
        }
    }

    fn tip(&self, name: &str) -> Result<Option<Oid>, TeamError> {
        match self.repo.refname_to_id(name) {
            Ok(id) => Ok(Some(id)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(self.git(e)),
        }
    }

    fn files_at(&self, commit: Oid, wanted: impl Fn(&str) -> bool) -> Result<Files, TeamError> {
        let tree = self.repo.find_commit(commit).and_then(|c| c.tree()).map_err(|e| self.git(e))?;
        let mut files = Files::new();
        let mut failure = None;
        tree.walk(TreeWalkMode::PreOrder, |root, entry| {
            let path = format!("{root}{}", entry.name().unwrap_or_default());
            if entry.kind() == Some(git2::ObjectType::Blob) && wanted(&path) {
                match self.repo.find_blob(entry.id()) {
                    Ok(blob) => {
                        files.insert(path, blob.content().to_vec());
                    }
                    Err(e) => {
                        failure = Some(e);
                        return TreeWalkResult::Abort;
                    }
                }
            }
            TreeWalkResult::Ok
        })
        .map_err(|e| self.git(e))?;
        match failure {
            Some(e) => Err(self.git(e)),
            None => Ok(files),
        }
    }

    /// Joins conflicted record files line by line; any other conflict stops
    /// the merge.
    fn join_conflicts(&self, index: &mut Index) -> Result<(), TeamError> {
        let conflicts: Vec<git2::IndexConflict> =
            index.conflicts().map_err(|e| self.git(e))?.collect::<Result<_, _>>().map_err(|e| self.git(e))?;
        for conflict in conflicts {
            let side = |entry: &Option<IndexEntry>| -> Result<Vec<u8>, TeamError> {
                match entry {
                    Some(entry) => Ok(self.repo.find_blob(entry.id).map_err(|e| self.git(e))?.content().to_vec()),
                    None => Ok(Vec::new()),
                }
            };
            let some = conflict.our.as_ref().or(conflict.their.as_ref()).or(conflict.ancestor.as_ref());
            let path = some.map(|e| String::from_utf8_lossy(&e.path).into_owned()).unwrap_or_default();
            if !path.ends_with(".jsonl") {
                return Err(TeamError::Unmergeable { path });
            }
            let joined = union_lines(&side(&conflict.our)?, &side(&conflict.their)?);
            let blob = self.repo.blob(&joined).map_err(|e| self.git(e))?;
            index.remove_path(Path::new(&path)).map_err(|e| self.git(e))?;
            index.add(&entry(&path, blob, joined.len())).map_err(|e| self.git(e))?;
        }
        Ok(())
    }

    fn git(&self, error: git2::Error) -> TeamError {
        git(&self.path, error)
    }
}

/// Lock files outside `objects/` (where Git keeps none).
fn remove_stale_locks(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && entry.file_name() != "objects" => remove_stale_locks(&path),
            Ok(kind) if kind.is_file() && path.extension().is_some_and(|e| e == "lock") => {
                let _ = std::fs::remove_file(&path);
            }
            _ => {}
        }
    }
}

fn entry(path: &str, id: Oid, size: usize) -> IndexEntry {
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: size as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// Clones `remote`'s repository into `path` (bare).
pub fn clone(remote: &str, path: &Path) -> Result<Repo, TeamError> {
    if Path::new(remote).is_dir() {
        return clone_local(remote, path);
    }
    let repo = Repo::init(path, remote)?;
    match repo.fetch()? {
        Some(tip) => {
            repo.repo.reference(BRANCH, tip, true, "verso: join").map_err(|e| repo.git(e))?;
            Ok(repo)
        }
        None => Err(TeamError::EmptyRemote { remote: remote.to_string() }),
    }
}

/// A clone of a repository on a path (a shared drive): its objects are
/// copied as they are, packs and all, instead of being packed again for a
/// transfer, which for a large project is most of a join.
fn clone_local(remote: &str, path: &Path) -> Result<Repo, TeamError> {
    let unreachable = |e: git2::Error| remote_error(remote, e);
    let tip = Repository::open_bare(remote)
        .map_err(unreachable)?
        .refname_to_id(BRANCH)
        .map_err(|_| TeamError::EmptyRemote { remote: remote.to_string() })?;
    let repo = git2::build::RepoBuilder::new()
        .bare(true)
        .branch("main")
        .clone_local(git2::build::CloneLocal::NoLinks)
        .clone(remote, path)
        .map_err(unreachable)?;
    let repo = Repo { repo, path: path.to_path_buf() };
    repo.repo.reference(REMOTE_BRANCH, tip, true, "verso: join").map_err(|e| repo.git(e))?;
    repo.repo.reference(BRANCH, tip, true, "verso: join").map_err(|e| repo.git(e))?;
    repo.repo.set_head(BRANCH).map_err(|e| repo.git(e))?;
    Ok(repo)
}

const TOKEN_SERVICE: &str = "org.verso.workbench.git";

/// Where a remote's token is kept in the keyring: its server (host and
/// port), so one token serves every repository there, as a forge's access
/// token does. Only HTTP remotes take tokens.
pub fn token_server(remote: &str) -> Option<String> {
    let rest = remote.strip_prefix("https://").or_else(|| remote.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let server = authority.rsplit('@').next().unwrap_or_default().to_lowercase();
    (!server.is_empty()).then_some(server)
}

/// Saves a token for the remote's server in the OS keyring; returns the
/// server's name for the confirmation.
pub fn save_token(remote: &str, token: &str) -> Result<String, TeamError> {
    let server = token_server(remote).ok_or_else(|| TeamError::NotHttp { remote: remote.to_string() })?;
    crate::keys::set(TOKEN_SERVICE, &server, token.trim())?;
    Ok(server)
}

/// Forgets the token saved for the remote's server.
pub fn forget_token(remote: &str) -> Result<String, TeamError> {
    let server = token_server(remote).ok_or_else(|| TeamError::NotHttp { remote: remote.to_string() })?;
    crate::keys::remove(TOKEN_SERVICE, &server);
    Ok(server)
}

/// The token for an HTTP remote: the environment's first (it is set for
/// one run on purpose), then the one saved for the server.
fn token(url: &str) -> Option<String> {
    if let Ok(token) = std::env::var("VERSO_GIT_TOKEN")
        && !token.trim().is_empty()
    {
        return Some(token.trim().to_string());
    }
    crate::keys::get(TOKEN_SERVICE, &token_server(url)?)
}

/// Credentials on demand, never stored: ssh-agent for SSH; for HTTP a
/// token (see `token`), else the user's Git credential helper.
/// libgit2 asks again after a refusal, so the third request gives up.
fn callbacks(url: &str) -> RemoteCallbacks<'static> {
    let mut callbacks = RemoteCallbacks::new();
    let url = url.to_string();
    let mut asked = 0;
    let mut ssh_ways = ssh_ways().into_iter();
    callbacks.credentials(move |_, username, allowed| {
        asked += 1;
        if allowed.contains(CredentialType::SSH_KEY) {
            // libgit2 asks again after each refusal: the next way, until none is left.
            let user = username.unwrap_or("git");
            return match ssh_ways.next() {
                Some(SshWay::Agent) => Cred::ssh_key_from_agent(user),
                Some(SshWay::KeyFile(key)) => Cred::ssh_key(user, None, &key, None),
                None => Err(git2::Error::new(ErrorCode::Auth, ErrorClass::Net, "authentication refused")),
            };
        }
        if asked > 2 {
            return Err(git2::Error::new(ErrorCode::Auth, ErrorClass::Net, "authentication refused"));
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            if let Some(token) = token(&url) {
                return Cred::userpass_plaintext(username.unwrap_or("verso"), &token);
            }
            // No helper, or a helper without a login for this remote: that
            // is an authentication problem, not an unreachable remote.
            let config = git2::Config::open_default()?;
            return Cred::credential_helper(&config, &url, username)
                .map_err(|_| git2::Error::new(ErrorCode::Auth, ErrorClass::Net, "no login for this remote"));
        }
        Cred::default()
    });
    callbacks
}

/// One way to log in over SSH.
enum SshWay {
    Agent,
    KeyFile(PathBuf),
}

/// The ways to try over SSH, in order: ssh-agent when one is running, then
/// the key file in `VERSO_SSH_KEY`, else the user's usual key files
/// (`~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`) that exist. A key file with a
/// passphrase needs ssh-agent.
fn ssh_ways() -> Vec<SshWay> {
    let mut ways = Vec::new();
    if std::env::var_os("SSH_AUTH_SOCK").is_some() {
        ways.push(SshWay::Agent);
    }
    match std::env::var_os("VERSO_SSH_KEY") {
        Some(key) => ways.push(SshWay::KeyFile(PathBuf::from(key))),
        None => {
            let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
            for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                let key = home.join(".ssh").join(name);
                if key.is_file() {
                    ways.push(SshWay::KeyFile(key));
                }
            }
        }
    }
    ways
}

fn remote_error(remote: &str, error: git2::Error) -> TeamError {
    let remote = remote.to_string();
    if error.code() == ErrorCode::Auth || error.class() == ErrorClass::Ssh && error.message().contains("auth") {
        return TeamError::Auth { remote };
    }
    if error.class() == ErrorClass::Ssh && error.message().contains("hostkey") {
        return TeamError::UnknownHost { remote };
    }
    TeamError::Unreachable { remote, message: error.message().to_string() }
}

fn git(path: &Path, error: git2::Error) -> TeamError {
    TeamError::Git { path: path.to_path_buf(), message: error.message().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(name: &str) -> Committer {
        Committer { name: name.to_string(), email: format!("{name}@example.org") }
    }

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs.iter().map(|(p, b)| (p.to_string(), b.as_bytes().to_vec())).collect()
    }

    #[test]
    fn two_clones_exchange_files_and_a_late_push_is_merged_not_lost() {
        let dir = tempfile::tempdir().expect("dir");
        let remote = dir.path().join("remote.git");
        Repository::init_bare(&remote).expect("bare remote");
        let url = remote.to_string_lossy().into_owned();

        let a = Repo::init(&dir.path().join("a.git"), &url).expect("a");
        assert!(a.commit(&files(&[("x/a.jsonl", "1\n")]), &who("ana"), "a1").expect("commit").is_some());
        assert_eq!(a.commit(&files(&[("x/a.jsonl", "1\n")]), &who("ana"), "again").expect("commit"), None);
        assert_eq!(a.push().expect("push"), Pushed::Done);

        let b = clone(&url, &dir.path().join("b.git")).expect("b joins");
        assert_eq!(b.files().expect("files")["x/a.jsonl"], b"1\n");
        b.commit(&files(&[("x/b.jsonl", "2\n")]), &who("bo"), "b1").expect("commit");
        assert_eq!(b.push().expect("push"), Pushed::Done);

        // a commits without having fetched: its push is behind.
        a.commit(&files(&[("x/a.jsonl", "1\n3\n")]), &who("ana"), "a2").expect("commit");
        assert_eq!(a.push().expect("push"), Pushed::Behind);
        let theirs = a.fetch().expect("fetch").expect("a tip");
        assert!(a.merge(theirs, &who("ana")).expect("merge"));
        assert_eq!(a.push().expect("push"), Pushed::Done);
        assert!(!a.unpushed().expect("state"));

        let theirs = b.fetch().expect("fetch").expect("tip");
        b.merge(theirs, &who("bo")).expect("fast-forward");
        assert_eq!(b.files().expect("files"), files(&[("x/a.jsonl", "1\n3\n"), ("x/b.jsonl", "2\n")]));
    }

    #[test]
    fn one_record_file_changed_on_both_sides_is_joined_line_by_line() {
        let dir = tempfile::tempdir().expect("dir");
        let remote = dir.path().join("remote.git");
        Repository::init_bare(&remote).expect("bare remote");
        let url = remote.to_string_lossy().into_owned();
        let a = Repo::init(&dir.path().join("a.git"), &url).expect("a");
        a.commit(&files(&[("r/w.jsonl", "{\"id\":\"w-1\"}\n")]), &who("ana"), "1").expect("commit");
        a.push().expect("push");
        let b = clone(&url, &dir.path().join("b.git")).expect("b");
        a.commit(&files(&[("r/w.jsonl", "{\"id\":\"w-1\"}\n{\"id\":\"w-2\"}\n")]), &who("ana"), "2").expect("a2");
        a.push().expect("push");
        b.commit(&files(&[("r/w.jsonl", "{\"id\":\"w-1\"}\n{\"id\":\"w-3\"}\n")]), &who("ana"), "3").expect("b3");
        let theirs = b.fetch().expect("fetch").expect("tip");
        b.merge(theirs, &who("ana")).expect("merge");
        assert_eq!(b.files().expect("files")["r/w.jsonl"], b"{\"id\":\"w-1\"}\n{\"id\":\"w-2\"}\n{\"id\":\"w-3\"}\n");

        // Anything else both sides changed stops the merge, naming the file.
        a.commit(&files(&[("doc.json", "a")]), &who("ana"), "4").expect("a4");
        a.push().expect("push");
        b.commit(&files(&[("doc.json", "b")]), &who("ana"), "5").expect("b5");
        let theirs = b.fetch().expect("fetch").expect("tip");
        let error = b.merge(theirs, &who("ana")).expect_err("not mergeable");
        assert!(matches!(&error, TeamError::Unmergeable { path } if path == "doc.json"), "{error}");
    }

    #[test]
    fn an_unreachable_or_empty_remote_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("nowhere.git").to_string_lossy().into_owned();
        let error = clone(&missing, &dir.path().join("c.git")).err().expect("refused");
        assert!(matches!(error, TeamError::Unreachable { .. }), "{error}");
        assert!(error.to_string().starts_with(&missing), "{error}");
        let empty = dir.path().join("empty.git");
        Repository::init_bare(&empty).expect("bare");
        let error = clone(&empty.to_string_lossy(), &dir.path().join("d.git")).err().expect("refused");
        assert!(matches!(error, TeamError::EmptyRemote { .. }), "{error}");
    }

    #[test]
    fn a_token_belongs_to_the_server_of_an_http_remote() {
        assert_eq!(token_server("https://git.example.org/team/news.git").as_deref(), Some("git.example.org"));
        assert_eq!(token_server("http://ana@127.0.0.1:8080/news.git").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(token_server("https://Git.Example.org?x").as_deref(), Some("git.example.org"));
        assert_eq!(token_server("ssh://git@example.org/news.git"), None);
        assert_eq!(token_server("/srv/team/news.git"), None);
        assert!(matches!(save_token("/srv/news.git", "t"), Err(TeamError::NotHttp { .. })));
    }
}
