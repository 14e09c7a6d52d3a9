//! Ownership of a project file: one process at a time opens it.
//!
//! SQLite's own locks on Unix are POSIX `fcntl` locks. They belong to the
//! process and vanish when *any* descriptor of the file is closed in it, one
//! SQLite never opened included: a GTK file chooser that sniffs `P.verso`
//! to guess its type is enough. The next process to open the project then
//! believes it is the last connection, checkpoints and deletes the
//! write-ahead log while the owner is still writing to it, and every later
//! save of the owner is lost. So a process takes an `flock` on a sidecar
//! file (`.P.verso.lock`) before SQLite sees the project. `flock` belongs to
//! the open file description, so no unrelated `close()` releases it, and
//! the kernel drops it when the owner dies: a crashed owner never leaves
//! the project unopenable.
//!
//! Inside one process every `Project` on the same file shares one lock:
//! SQLite coordinates its own connections in memory, whatever happens to
//! the process's `fcntl` locks.
//!
//! This module must never touch the database itself; it only decides who
//! may open it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long to wait for another process to close the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Refuse at once, naming the process that has it open.
    #[default]
    No,
    /// Try again until the other process closes it or the time is up.
    Up(Duration),
    /// Wait for as long as it takes.
    Forever,
}

/// Who holds a project, as written in its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub program: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "{} (process {pid})", self.program),
            None => write!(f, "another program"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{path} is open in {holder}; close it there first")]
    InUse { path: PathBuf, holder: Holder },
    #[error("{path}: cannot take ownership of the project through {lock}: {source}")]
    Io { path: PathBuf, lock: PathBuf, source: std::io::Error },
}

/// The lock of one project, shared by every `Project` of this process that
/// has the file open and released (its file removed) when the last one
/// closes.
#[derive(Debug)]
pub struct Ownership {
    key: PathBuf,
    lock_path: PathBuf,
    /// Held open for its `flock`; closing it releases the project.
    _file: File,
}

impl Drop for Ownership {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        held.retain(|(key, weak)| *key != self.key || weak.strong_count() > 0);
        // Removed while still locked: a process waiting on this inode sees
        // it gone after it gets the lock and starts again on a fresh file.
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// How long a lock this process is releasing may take to go.
const RELEASE_GRACE: Duration = Duration::from_secs(2);

/// Locks held by this process, by canonical project path.
static HELD: Mutex<Vec<(PathBuf, Weak<Ownership>)>> = Mutex::new(Vec::new());

/// The lock file of `project`: hidden, beside it, so it is on the same file
/// system and file choosers do not list it.
pub fn lock_path(project: &Path) -> PathBuf {
    let name = project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    project.with_file_name(format!(".{name}.lock"))
}

/// Takes ownership of `project` for this process (or shares the ownership
/// this process already has). `project` need not exist yet.
pub fn acquire(project: &Path, wait: Wait) -> Result<Arc<Ownership>, LockError> {
    let key = canonical(project);
    let lock_path = lock_path(&key);
    let io = |source| LockError::Io { path: project.to_path_buf(), lock: lock_path.clone(), source };
    let started = Instant::now();
    loop {
        // Polled, never a blocking lock: a thread of this process must be
        // able to share an ownership another thread gets meanwhile.
        let mut held = HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(ownership) = held.iter().find(|(k, _)| *k == key).and_then(|(_, weak)| weak.upgrade()) {
            return Ok(ownership);
        }
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                // Another thread of ours is releasing it right now.
                let releasing_here = holder.pid == Some(std::process::id()) && started.elapsed() < RELEASE_GRACE;
                let patient = releasing_here
                    || match wait {
                        Wait::No => false,
                        Wait::Up(limit) => started.elapsed() < limit,
                        Wait::Forever => true,
                    };
                if !patient {
                    return Err(LockError::InUse { path: project.to_path_buf(), holder });
                }
                drop(held);
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            Err(TryLockError::Error(source)) => return Err(io(source)),
        }
        // The previous owner may have removed the file between our open and
        // our lock: then this lock guards nothing and we start again.
        let ours = file.metadata().map_err(io)?;
        match std::fs::metadata(&lock_path) {
            Ok(on_disk) if on_disk.dev() == ours.dev() && on_disk.ino() == ours.ino() => {}
            Ok(_) => continue,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(io(error)),
        }
        write_holder(&mut file).map_err(io)?;
        let ownership = Arc::new(Ownership { key: key.clone(), lock_path: lock_path.clone(), _file: file });
        held.retain(|(_, weak)| weak.strong_count() > 0);
        held.push((key, Arc::downgrade(&ownership)));
        return Ok(ownership);
    }
}

impl Ownership {
    /// The lock file, for tests and messages.
    pub fn lock_file(&self) -> &Path {
        &self.lock_path
    }
}

/// The same file however it is named (relative, through a link), so one
/// process never locks it twice and two processes agree on the lock file.
fn canonical(project: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(project) {
        return path;
    }
    // Not created yet: its folder is.
    let parent = project.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), project.file_name()) {
        (Ok(parent), Some(name)) => parent.join(name),
        _ => project.to_path_buf(),
    }
}

fn write_holder(file: &mut File) -> std::io::Result<()> {
    let program = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Verso".into());
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{} {}", std::process::id(), program)?;
    file.flush()
}

/// What the owner wrote; a half-written or foreign file names nobody.
fn read_holder(file: &mut File) -> Holder {
    let mut text = String::new();
    let _ = file.take(4096).read_to_string(&mut text);
    let line = text.lines().next().unwrap_or_default();
    let (pid, program) = line.split_once(' ').unwrap_or((line, ""));
    match pid.parse() {
        Ok(pid) if !program.is_empty() => Holder { pid: Some(pid), program: program.chars().take(80).collect() },
        _ => Holder { pid: None, program: String::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_process_shares_its_lock_and_removes_the_file_when_done() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("p.verso");
        let first = acquire(&project, Wait::No).expect("first");
        // Another name for the same file shares the same lock.
        let second = acquire(&dir.path().join(".").join("p.verso"), Wait::No).expect("second");
        assert!(Arc::ptr_eq(&first, &second));
        let lock = first.lock_file().to_path_buf();
        assert_eq!(lock.file_name().and_then(|n| n.to_str()), Some(".p.verso.lock"));
        let text = std::fs::read_to_string(&lock).expect("holder");
        assert!(text.starts_with(&format!("{} ", std::process::id())), "{text}");
        drop(first);
        assert!(lock.exists(), "still held by the second project");
        drop(second);
        assert!(!lock.exists(), "released with the last project");
    }

    #[test]
    fn closing_another_descriptor_of_the_lock_file_keeps_the_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("p.verso");
        let ownership = acquire(&project, Wait::No).expect("acquire");
        // What a file chooser does: open, read, close.
        drop(std::fs::read(ownership.lock_file()).expect("sniff"));
        // A second open file description (as another process would have)
        // still cannot lock it.
        let other = File::open(ownership.lock_file()).expect("open");
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
    }

    #[test]
    fn a_holder_line_is_read_back_and_junk_names_nobody() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lock");
        std::fs::write(&path, "4711 verso-desktop\n").expect("write");
        let mut file = File::open(&path).expect("open");
        assert_eq!(read_holder(&mut file).to_string(), "verso-desktop (process 4711)");
        std::fs::write(&path, "\u{0}\u{1}garbage").expect("write");
        let mut file = File::open(&path).expect("open");
        assert_eq!(read_holder(&mut file).to_string(), "another program");
    }
}
