//! One process owns a project while it has it open: whatever else that
//! process does with the project's files (a file chooser sniffing them) and
//! whatever other processes do (the `verso` command), no save it
//! acknowledged is lost, and a crashed owner leaves the project openable.
//!
//! The owner runs as a child process (this test binary again, in a mode
//! chosen by an environment variable) so that it can be SIGKILLed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

use rusqlite::Connection;
use verso::session::{ErrorKind, ErrorReply, Session, SessionError};
use verso::store::Wait;
use verso::{Project, Status, TranslationEdit};

#[path = "support/rng.rs"]
mod rng;

const OWNER_ENV: &str = "VERSO_OWNER_PROJECT";
const SOAK_ENV: &str = "VERSO_SOAK_CHILD";

/// Run only as the child of the tests below. Opens the project through the
/// session, then obeys lines on stdin:
/// `sniff` opens, reads and closes the project file and its `-wal`/`-shm`
/// through `std::fs` (what GTK's file chooser does to files it cannot name),
/// `save N` stores a translation and reports `saved ID TEXT` once committed.
#[test]
#[ignore = "child process of the ownership tests"]
fn owner_child() {
    let Ok(path) = std::env::var(OWNER_ENV) else { return };
    let path = PathBuf::from(path);
    let mut session = Session::new(path.with_extension("config"), "owner".into());
    session.open_project(&path).expect("owner opens the project");
    let rows = session.segments(verso::DocumentId(1)).expect("rows");
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready {}", std::process::id()).expect("report");
    out.flush().expect("flush");
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("command");
        if line == "sniff" {
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                // Each read opens a new descriptor and closes it again.
                let _ = std::fs::read(&file);
            }
            writeln!(out, "sniffed").expect("report");
        } else if let Some(n) = line.strip_prefix("save ") {
            let n: usize = n.parse().expect("number");
            let row = &rows[n % rows.len()];
            let base = session.segments(verso::DocumentId(1)).expect("rows")[n % rows.len()].revision;
            let text = format!("owner save {n}");
            let edit =
                TranslationEdit { segment: row.id, text: text.clone(), status: Status::Draft, base, origin: None };
            let revision = session.save_translation(&edit).expect("save");
            writeln!(out, "saved {} {text}", revision.id.0).expect("report");
        }
        out.flush().expect("flush");
    }
}

struct Owner {
    child: Child,
    stdin: ChildStdin,
    lines: std::io::Lines<BufReader<ChildStdout>>,
    pid: u32,
}

impl Owner {
    fn start(project: &Path) -> Owner {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "owner_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env(OWNER_ENV, project)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn owner");
        let stdin = child.stdin.take().expect("stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let pid = loop {
            let line = lines.next().expect("owner ended early").expect("line");
            // libtest's "test owner_child ... " comes first on the line.
            if let Some((_, pid)) = line.rsplit_once("ready ") {
                break pid.parse().expect("pid");
            }
        };
        Owner { child, stdin, lines, pid }
    }

    /// Sends a command and returns the owner's answer.
    fn ask(&mut self, command: &str) -> String {
        writeln!(self.stdin, "{command}").expect("send");
        self.stdin.flush().expect("flush");
        loop {
            let line = self.lines.next().expect("owner ended early").expect("line");
            if line.starts_with("saved ") || line == "sniffed" {
                return line;
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("wait");
    }
}

/// The sample project in a fresh folder (kept while the first value lives).
fn sample_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("news.verso");
    verso::sample::create_sample_project(&project).expect("sample");
    (dir, project)
}

fn verso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verso")).args(args).output().expect("run verso")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn sniffed_files_and_a_second_process_lose_no_acknowledged_save() {
    let (_dir, project) = sample_project();
    let path = project.to_str().expect("utf-8 path");

    let mut owner = Owner::start(&project);
    let mut acknowledged = vec![owner.ask("save 0"), owner.ask("save 1")];
    assert_eq!(owner.ask("sniff"), "sniffed");
    // Another process reads and writes the project meanwhile.
    let read = verso(&["docs", path]);
    let write = verso(&["set", path, "2", "written by the command line", "--status", "draft"]);
    for n in 2..40 {
        acknowledged.push(owner.ask(&format!("save {n}")));
    }
    assert_eq!(owner.ask("sniff"), "sniffed");
    let late = verso(&["docs", path]);
    acknowledged.push(owner.ask("save 40"));
    let pid = owner.pid;
    owner.kill();

    // Every save the owner acknowledged is in the file, and the file is sound.
    let reopened = Project::open(&project).expect("reopen after the owner was killed");
    reopened.integrity_check().expect("integrity_check");
    drop(reopened);
    let conn = Connection::open(&project).expect("raw");
    for line in &acknowledged {
        let (id, saved) = line.strip_prefix("saved ").and_then(|r| r.split_once(' ')).expect("saved ID TEXT");
        let stored: Option<String> = conn
            .query_row("SELECT text FROM revisions WHERE id = ?1", [id.parse::<i64>().expect("id")], |row| row.get(0))
            .ok();
        assert_eq!(stored.as_deref(), Some(saved), "revision {id} was acknowledged but is not in the project");
    }

    // The other process was told who has the project, and changed nothing.
    for output in [&read, &write, &late] {
        assert!(!output.status.success(), "a second process used the open project: {}", text(&output.stdout));
        let error = text(&output.stderr);
        assert!(error.contains("is open in") && error.contains(&format!("process {pid}")), "{error}");
        assert!(error.contains("--wait"), "{error}");
    }
    let from_cli: i64 = conn
        .query_row("SELECT count(*) FROM revisions WHERE text = 'written by the command line'", [], |row| row.get(0))
        .expect("count");
    assert_eq!(from_cli, 0);
}

#[test]
fn a_command_waits_for_the_owner_and_a_killed_owner_leaves_the_project_openable() {
    let (dir, project) = sample_project();
    let path = project.to_str().expect("utf-8 path");

    let mut owner = Owner::start(&project);
    let saved = owner.ask("save 3");
    // A bounded wait gives up with the owner still there.
    let gave_up = verso(&["docs", path, "--wait=1"]);
    assert!(!gave_up.status.success());
    assert!(text(&gave_up.stderr).contains(&format!("process {}", owner.pid)), "{}", text(&gave_up.stderr));
    // A second window is refused the same way, with a kind the UI can show.
    let mut window = Session::new(dir.path().join("config"), "second".into());
    let refused = window.open_project(&project).expect_err("a second window opened the project");
    let reply = verso::session::ErrorReply::from(&refused);
    assert_eq!(reply.kind, verso::session::ErrorKind::InUse);
    assert!(reply.message.contains("news.verso is open in"), "{}", reply.message);

    let waiting = Command::new(env!("CARGO_BIN_EXE_verso"))
        .args(["set", path, "4", "after the owner", "--wait", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn waiting command");
    std::thread::sleep(Duration::from_millis(500));
    // Killed, not closed: the kernel drops its lock, and the waiting
    // command takes the project over.
    let owner_pid = owner.pid;
    owner.kill();
    let done = waiting.wait_with_output().expect("waiting command");
    assert!(done.status.success(), "{}", text(&done.stderr));
    let said = text(&done.stderr);
    assert!(said.starts_with("Waiting for ") && said.contains(&format!("(process {}) to close ", owner_pid)), "{said}");

    let reopened = Project::open(&project).expect("reopen");
    reopened.integrity_check().expect("integrity_check");
    let rows = reopened.segments(verso::DocumentId(1)).expect("rows");
    let id = saved.split(' ').nth(1).expect("id");
    assert!(reopened.revisions(rows[3].id).expect("history").iter().any(|r| r.id.0.to_string() == id), "{saved}");
    assert!(rows.iter().any(|r| r.translation.as_deref() == Some("after the owner")));
}

#[test]
fn one_process_may_open_a_project_twice_and_another_is_refused_until_it_closes() {
    let (_dir, project) = sample_project();
    let first = Project::open(&project).expect("first");
    let second = Project::open(&project).expect("same process, second handle");
    let refused = verso(&["docs", project.to_str().expect("utf-8")]);
    assert!(text(&refused.stderr).contains(&format!("process {}", std::process::id())), "{}", text(&refused.stderr));
    drop((first, second));
    let lock = verso::store::lock::lock_path(&std::fs::canonicalize(&project).expect("canonical"));
    assert!(!lock.exists(), "{} left behind", lock.display());
    let listed = verso(&["docs", project.to_str().expect("utf-8")]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
}

/// Run only as a child of the soak test: `VERSO_SOAK_CHILD=K MILLIS PATH`.
/// Saves as a translator in another process would, for MILLIS: reads a
/// segment (its own one, or the one every saver shares) in one opening of
/// the project, saves it from that revision in a later one, and reports
/// each acknowledged save, conflict and wait on stdout.
#[test]
#[ignore = "child process of the soak test"]
fn soak_saver_child() {
    let Ok(spec) = std::env::var(SOAK_ENV) else { return };
    let mut parts = spec.splitn(3, ' ');
    let k: usize = parts.next().and_then(|p| p.parse().ok()).expect("saver number");
    let millis: u64 = parts.next().and_then(|p| p.parse().ok()).expect("duration");
    let path = PathBuf::from(parts.next().expect("project"));
    let mut session = Session::new(path.with_extension(format!("saver{k}")), format!("saver {k}"));
    let mut rng = rng::Rng::new(k as u64 + 1);
    let mut out = std::io::stdout().lock();
    let deadline = std::time::Instant::now() + Duration::from_millis(millis);
    let mut n = 0;
    while std::time::Instant::now() < deadline {
        n += 1;
        session.open_project_waiting(&path, Wait::Forever).expect("open to read");
        let rows = session.segments(verso::DocumentId(1)).expect("rows");
        let index = if rng.below(2) == 0 { rows.len() - 1 } else { k };
        let (segment, mut base) = (rows[index].id, rows[index].revision);
        session.close_project();

        let text = format!("saver {k} save {n}");
        let started = std::time::Instant::now();
        let waited = match session.open_project(&path) {
            Ok(_) => false,
            Err(error) if ErrorReply::from(&error).kind == ErrorKind::InUse => {
                session.open_project_waiting(&path, Wait::Forever).expect("open after waiting");
                true
            }
            Err(error) => panic!("open: {error}"),
        };
        let revision = loop {
            let edit = TranslationEdit { segment, text: text.clone(), status: Status::Draft, base, origin: None };
            match session.save_translation(&edit) {
                Ok(revision) => break revision,
                // Someone saved the shared segment since it was read: the
                // translator sees their text and saves again over it.
                Err(SessionError::Conflict { .. }) => {
                    writeln!(out, "conflict").expect("report");
                    base = session.segment(segment).expect("row").revision;
                }
                Err(error) => panic!("save {n} of saver {k} failed: {error}"),
            }
        };
        let micros = started.elapsed().as_micros();
        session.close_project();
        writeln!(out, "saved {index} {} {micros} {} {text}", revision.id.0, u8::from(waited)).expect("report");
        out.flush().expect("flush");
    }
}

/// Three processes save (their own segment and one they share), one
/// imports 3,000-sentence documents and one exports, all through `--wait` or
/// its session equivalent, for `VERSO_SOAK_SECONDS` (12 s by default; this
/// test takes about 15 s). Nothing may fail for being busy: every
/// acknowledged save is in the history, each segment ends with its last
/// acknowledged text, and the file passes `integrity_check`. Prints the
/// figures for `docs/benchmarks.md`.
#[test]
fn concurrent_savers_an_importer_and_an_exporter_lose_nothing_and_never_fail_for_being_busy() {
    let seconds: u64 = std::env::var("VERSO_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(12);
    let millis = seconds * 1000;
    let (dir, project) = sample_project();
    let documents_before = Project::open(&project).expect("open").documents().expect("documents").len();
    let path = project.to_str().expect("utf-8 path").to_string();
    let source = dir.path().join("statement.txt");
    let sentences: Vec<String> = (0..3000)
        .map(|i| format!("Paragraph {i} says the ministry spent {} million euros on {} schools.", i * 3 + 7, i + 40))
        .collect();
    std::fs::write(&source, sentences.join(" ")).expect("write source");

    let savers: Vec<Child> = (0..3)
        .map(|k| {
            Command::new(std::env::current_exe().expect("test binary"))
                .args(["--exact", "soak_saver_child", "--ignored", "--nocapture", "--test-threads=1"])
                .env(SOAK_ENV, format!("{k} {millis} {path}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn saver")
        })
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_millis(millis);
    let looping = |args: Vec<String>| {
        std::thread::spawn(move || {
            let (mut runs, mut waited) = (0, 0);
            while std::time::Instant::now() < deadline {
                let done = verso(&args.iter().map(String::as_str).collect::<Vec<_>>());
                let said = text(&done.stderr);
                assert!(done.status.success(), "verso {}: {said}", args[0]);
                runs += 1;
                waited += usize::from(said.starts_with("Waiting for "));
            }
            (runs, waited)
        })
    };
    let source_arg = source.to_str().expect("utf-8").to_string();
    let importer =
        looping(["import", &path, &source_arg, "--from", "en", "--to", "es", "--wait"].map(String::from).to_vec());
    let export_to = dir.path().join("export.txt").to_str().expect("utf-8").to_string();
    let exporter = looping(["export", &path, "1", "-o", &export_to, "--wait"].map(String::from).to_vec());

    let mut acknowledged: Vec<(usize, i64, String)> = Vec::new();
    let (mut conflicts, mut waits, mut latencies) = (0, 0, Vec::new());
    for saver in savers {
        let done = saver.wait_with_output().expect("saver");
        assert!(done.status.success(), "a saver failed: {}{}", text(&done.stdout), text(&done.stderr));
        for line in text(&done.stdout).lines() {
            // libtest may print its own words before the first report.
            if line.ends_with("conflict") {
                conflicts += 1;
            } else if let Some((_, report)) = line.split_once("saved ") {
                let fields: Vec<&str> = report.splitn(5, ' ').collect();
                acknowledged.push((
                    fields[0].parse().expect("index"),
                    fields[1].parse().expect("id"),
                    fields[4].into(),
                ));
                latencies.push(fields[2].parse::<u64>().expect("micros"));
                waits += usize::from(fields[3] == "1");
            }
        }
    }
    let (imports, import_waits) = importer.join().expect("importer");
    let (exports, export_waits) = exporter.join().expect("exporter");

    let reopened = Project::open(&project).expect("reopen");
    reopened.integrity_check().expect("integrity_check");
    let rows = reopened.segments(verso::DocumentId(1)).expect("rows");
    for (index, id, saved) in &acknowledged {
        let history = reopened.revisions(rows[*index].id).expect("history");
        assert!(history.iter().any(|r| r.id.0 == *id && r.text == *saved), "acknowledged save {id} {saved:?} lost");
    }
    for index in [0, 1, 2, rows.len() - 1] {
        let last = acknowledged.iter().filter(|(i, _, _)| *i == index).max_by_key(|(_, id, _)| *id);
        assert_eq!(rows[index].translation.as_deref(), last.map(|(_, _, t)| t.as_str()), "segment {index}");
    }
    assert_eq!(
        reopened.documents().expect("documents").len(),
        documents_before + imports,
        "every import is a document"
    );
    assert!(acknowledged.len() >= 3 && imports >= 1 && exports >= 1, "everyone got a turn");

    latencies.sort_unstable();
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0;
    println!(
        "soak {seconds} s: {} saves ({conflicts} conflicts, {waits} waited for the project), {imports} imports \
         ({import_waits} waited), {exports} exports ({export_waits} waited); save latency p50 {:.0} ms, p99 {:.0} ms, \
         max {:.0} ms; no failure",
        acknowledged.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
