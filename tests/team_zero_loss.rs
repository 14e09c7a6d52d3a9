//! No acknowledged change is ever lost in a team project, whatever the
//! timing: separate OS processes, each a person with their own clone, run
//! seeded random work (their own segments, shared "hot" segments,
//! approvals, comments, new documents, summary sentences and their moves
//! between sections, link decisions,
//! summary approvals, versions, glossary terms, accepted QA warnings) and
//! sync at random moments through
//! a bare repository on a path and through `git daemon` on 127.0.0.1,
//! while the test SIGKILLs one of them and stops and restarts the daemon.
//! Afterwards everyone syncs until nothing moves, and the clones are
//! compared with what the processes reported as saved (the reference).
//!
//! CI runs seeds 1–3 with 4 people and 40 steps each (about 30 s). Longer:
//! `VERSO_TEAM_SEEDS=1-50 VERSO_TEAM_STEPS=150 cargo test --release --test team_zero_loss -- --nocapture`.
//! A failure names its seed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "support/git_daemon.rs"]
mod git_daemon;
#[path = "support/rng.rs"]
mod rng;

use git_daemon::Daemon;
use rng::Rng;
use verso::revision::Decision;
use verso::session::{Session, repository_path};
use verso::summary::{LinkDecision, SentenceKind};
use verso::{DocumentId, Project, Status, TranslationEdit};

const CHILD_ENV: &str = "VERSO_TEAM_CHILD";
const PEOPLE: usize = 4;
/// Positions every person edits; the rest belong to one person each.
const HOT: usize = 2;
/// The sample's summary: joined clones take in translations first, so it
/// is the second document everywhere.
const SUMMARY: DocumentId = DocumentId(2);

/// Run only as a child of the test below: `PROJECT\tPERSON\tSEED\tSTEPS`.
/// Prints one line per acknowledged change, after it is committed:
/// `rev\tTEXT\tSTATUS\tPARENT_TEXT\tPARENT_STATUS`, `comment\tTEXT`, `doc\tTITLE`,
/// `sentence\tTEXT`, `removed\tTEXT`, `moved\tTEXT\tSECTION`, `link\tSENTENCE\tSOURCE\tDECISION`,
/// `approval\tREASON`, `version\tNAME`, `term\tTARGET`, `accepted\tPOSITION\tCHECK\tDETAIL`,
/// `memory\tNAME\tUNITS`, `unmemory\tNAME`.
#[test]
#[ignore = "child process of the zero-loss test"]
fn person_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let parts: Vec<&str> = spec.split('\t').collect();
    let (path, person, seed, steps) = (
        PathBuf::from(parts[0]),
        parts[1].parse::<usize>().expect("person"),
        parts[2].parse::<u64>().expect("seed"),
        parts[3].parse::<usize>().expect("steps"),
    );
    let author = format!("p{person}");
    let mut session = Session::for_command(path.with_extension("config"), Some(author.clone()));
    session.open_project(&path).expect("open");
    let mut rng = Rng::new(seed * 1000 + person as u64);
    let mut out = std::io::stdout().lock();
    for step in 0..steps {
        let rows = session.segments(DocumentId(1)).expect("rows");
        match rng.below(17) {
            0..=3 => {
                // Own segments, or a hot one everyone edits.
                let mine: Vec<usize> = (HOT..rows.len()).filter(|p| (p - HOT) % PEOPLE == person).collect();
                let position = if rng.below(2) == 0 { rng.below(HOT) } else { mine[rng.below(mine.len())] };
                let row = &rows[position];
                let text = format!("{author} s{seed} step {step}");
                let status = if rng.below(2) == 0 { Status::Draft } else { Status::Translated };
                let edit =
                    TranslationEdit { segment: row.id, text: text.clone(), status, base: row.revision, origin: None };
                session.save_translation(&edit).expect("save");
                writeln!(
                    out,
                    "rev\t{text}\t{}\t{}\t{}",
                    status.as_str(),
                    row.translation.clone().unwrap_or_default(),
                    if row.translation.is_some() { row.status.as_str() } else { "" }
                )
                .expect("report");
            }
            4 => {
                let row = &rows[rng.below(rows.len())];
                if let Some(text) = row.translation.clone().filter(|_| row.status != Status::Approved) {
                    session.review(row.id, Decision::Approved, None, None).expect("approve");
                    writeln!(out, "rev\t{text}\tapproved\t{text}\t{}", row.status.as_str()).expect("report");
                }
            }
            5 => {
                let row = &rows[rng.below(rows.len())];
                let text = format!("{author} s{seed} note {step}");
                session.add_comment(row.id, &text).expect("comment");
                writeln!(out, "comment\t{text}").expect("report");
            }
            6 if step % 13 == 0 => {
                let title = format!("{author} s{seed} document {step}");
                let file = path.with_file_name(format!("{author}-{step}.txt"));
                std::fs::write(&file, format!("{title} opens here. It has a second sentence.")).expect("write");
                session.import(&file, "en", "es", Some(title.clone())).expect("import");
                writeln!(out, "doc\t{title}").expect("report");
            }
            7 if step % 7 == 0 => {
                // The seed is in the name: a restarted person counts steps from 0 again.
                let file = path.with_file_name(format!("{author}-s{seed}-{step}.tmx"));
                let units = 1 + rng.below(3);
                let tus: String = (0..units)
                    .map(|i| {
                        format!(
                            "<tu><tuv xml:lang=\"en\"><seg>Unit {i} of {author} {step}.</seg></tuv>\
                             <tuv xml:lang=\"es\"><seg>Unidad {i} de {author} {step}.</seg></tuv></tu>"
                        )
                    })
                    .collect();
                std::fs::write(&file, format!("<tmx version=\"1.4\"><header srclang=\"en\"/><body>{tus}</body></tmx>"))
                    .expect("tmx");
                let memory = session.import_memory(&file, None, &mut |_, _| true).expect("memory");
                writeln!(out, "memory\t{}\t{units}", memory.name).expect("report");
            }
            8 if step % 5 == 0 => {
                let memories: Vec<_> =
                    session.memories().expect("memories").into_iter().filter(|m| m.read_only).collect();
                if !memories.is_empty() {
                    let memory = &memories[rng.below(memories.len())];
                    session.remove_memory(memory.id).expect("remove memory");
                    writeln!(out, "unmemory\t{}", memory.name).expect("report");
                }
            }
            10 | 11 => {
                let text = format!("{author} s{seed} claim {step}.");
                session.add_summary_text(SUMMARY, rng.below(2) as u32, &text, SentenceKind::Claim).expect("sentence");
                writeln!(out, "sentence\t{text}").expect("report");
            }
            12 => {
                let view = session.summary(SUMMARY).expect("summary");
                let sentences: Vec<_> = view.sections.iter().flat_map(|s| &s.sentences).collect();
                let sentence = sentences[rng.below(sentences.len())];
                let choice = rng.below(8);
                if choice < 2 {
                    session.remove_summary_sentence(sentence.id).expect("remove");
                    writeln!(out, "removed\t{}", sentence.text).expect("report");
                } else if choice < 4 {
                    let section = rng.below(3) as u32;
                    let title = view.sections[section as usize].title.clone();
                    session.move_summary_sentence(sentence.id, section).expect("move");
                    writeln!(out, "moved\t{}\t{title}", sentence.text).expect("report");
                } else {
                    let source = &rows[rng.below(rows.len())];
                    let decision = if rng.below(2) == 0 { LinkDecision::Confirmed } else { LinkDecision::Rejected };
                    session.decide_link(sentence.id, source.id, decision).expect("link");
                    writeln!(out, "link\t{}\t{}\t{}", sentence.text, source.source, decision.as_str()).expect("report");
                }
            }
            13 => {
                let reason = format!("{author} s{seed} approves {step}");
                session.approve_summary(SUMMARY, Some(&reason)).expect("approve summary");
                writeln!(out, "approval\t{reason}").expect("report");
            }
            14 => {
                let name = format!("{author} s{seed} v{step}");
                session.create_version(DocumentId(1), &name).expect("version");
                writeln!(out, "version\t{name}").expect("report");
            }
            15 => {
                let target = format!("término {author} {seed} {step}");
                let file = path.with_file_name(format!("{author}-{step}.csv"));
                std::fs::write(&file, format!("en,es\nterm {author} {step},{target}\n")).expect("csv");
                session.import_glossary(&file, DocumentId(1)).expect("glossary");
                writeln!(out, "term\t{target}").expect("report");
            }
            16 => {
                let report = session.qa_report(DocumentId(1)).expect("qa");
                let open: Vec<_> = report.open().collect();
                if !open.is_empty() {
                    let w = open[rng.below(open.len())].clone();
                    session.accept_warning(w.segment, w.check, &w.detail, &format!("{author} {step}")).expect("accept");
                    writeln!(out, "accepted\t{}\t{}\t{}", w.position, w.check.as_str(), w.detail).expect("report");
                }
            }
            _ => {
                // Offline, a daemon restarting, others pushing: all fine, try later.
                let _ = session.sync_team();
            }
        }
        out.flush().expect("flush");
    }
    let _ = session.sync_team();
}

#[derive(Default)]
struct Acknowledged {
    /// (author, text, status, parent text, parent status).
    revisions: Vec<(String, String, String, String, String)>,
    comments: Vec<(String, String)>,
    documents: Vec<String>,
    /// Everything else, as reported: (kind, fields).
    other: Vec<(String, Vec<String>)>,
}

fn run_child(project: &Path, person: usize, seed: u64, steps: usize) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "person_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{}\t{person}\t{seed}\t{steps}", project.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn person")
}

fn collect(child: &mut Child, person: usize, acked: &mut Acknowledged) {
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        // libtest may print "test person_child ... " before the first line.
        let line = line.rsplit_once("... ").map_or(line.as_str(), |(_, rest)| rest);
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["rev", text, status, parent, parent_status] => acked.revisions.push((
                format!("p{person}"),
                text.to_string(),
                status.to_string(),
                parent.to_string(),
                parent_status.to_string(),
            )),
            ["comment", text] => acked.comments.push((format!("p{person}"), text.to_string())),
            ["doc", title] => acked.documents.push(title.to_string()),
            [
                kind @ ("sentence" | "removed" | "moved" | "link" | "approval" | "version" | "term" | "accepted"
                | "memory" | "unmemory"),
                rest @ ..,
            ] => acked.other.push((kind.to_string(), rest.iter().map(|f| f.to_string()).collect())),
            _ => {}
        }
    }
}

/// One revision as every clone must agree on it: (segment position,
/// author, text, status, time).
type Node = (u32, String, String, String, String);
/// Each revision with its parent's (text, status); each segment's heads.
type History = (BTreeMap<Node, Option<(String, String)>>, BTreeMap<u32, BTreeSet<Node>>);

/// Every revision of `document` in a clone with its parent's (text,
/// status), and the heads of each segment.
fn history(project: &Project, document: DocumentId) -> History {
    let mut all = BTreeMap::new();
    let mut heads = BTreeMap::new();
    for row in project.segments(document).expect("rows") {
        let node = |r: &verso::Revision| {
            (row.position, r.author.clone(), r.text.clone(), r.status.as_str().to_string(), r.created_at.clone())
        };
        let revisions = project.revisions(row.id).expect("history");
        let by_id: HashMap<_, _> = revisions.iter().map(|r| (r.id, r)).collect();
        for r in &revisions {
            let parent = r.parent.and_then(|p| by_id.get(&p)).map(|p| (p.text.clone(), p.status.as_str().to_string()));
            all.insert(node(r), parent);
        }
        heads.insert(row.position, project.heads(row.id).expect("heads").iter().map(node).collect());
    }
    (all, heads)
}

fn run_seed(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().expect("dir");
    let remote = dir.path().join("team.git");
    git2::Repository::init_bare(&remote).expect("bare remote");
    let port = TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let mut daemon = Some(Daemon::start(dir.path(), port, true));

    let projects: Vec<PathBuf> = (0..PEOPLE).map(|p| dir.path().join(format!("p{p}.verso"))).collect();
    verso::sample::create_sample_project(&projects[0]).expect("sample");
    {
        let mut first = Session::for_command(dir.path().join("config"), Some("p0".into()));
        first.open_project(&projects[0]).expect("open");
        first.share_team(&remote.to_string_lossy()).expect("share");
    }
    for (person, project) in projects.iter().enumerate().skip(1) {
        // Half the team works through the daemon, half through the path.
        let url = if person % 2 == 1 {
            daemon.as_ref().expect("the daemon runs").url("team.git")
        } else {
            remote.to_string_lossy().into_owned()
        };
        let mut session = Session::for_command(dir.path().join("config"), Some(format!("p{person}")));
        session.join_team(&url, project).expect("join");
    }

    let mut acked: Vec<Acknowledged> = (0..PEOPLE).map(|_| Acknowledged::default()).collect();
    let mut children: Vec<Child> =
        projects.iter().enumerate().map(|(p, path)| run_child(path, p, seed, steps)).collect();
    let mut rng = Rng::new(seed);
    // Faults while they work: the daemon goes away and comes back, and
    // one person's process is killed mid-step and started again.
    std::thread::sleep(Duration::from_millis(100 + rng.below(400) as u64));
    drop(daemon.take());
    std::thread::sleep(Duration::from_millis(100 + rng.below(400) as u64));
    let victim = rng.below(PEOPLE);
    let _ = children[victim].kill();
    let _ = children[victim].wait();
    collect(&mut children[victim], victim, &mut acked[victim]);
    children[victim] = run_child(&projects[victim], victim, seed + 7919, steps / 2);
    daemon = daemon.or_else(|| Some(Daemon::start(dir.path(), port, true)));
    for (person, child) in children.iter_mut().enumerate() {
        collect(child, person, &mut acked[person]);
        let status = child.wait().expect("wait");
        assert!(
            status.success(),
            "seed {seed}: person {person}'s process failed (rerun person_child with {CHILD_ENV} to see why)"
        );
    }

    // Everyone syncs until a whole round brings nothing new.
    let mut sessions: Vec<Session> = projects
        .iter()
        .enumerate()
        .map(|(p, path)| {
            let mut s = Session::for_command(dir.path().join("config"), Some(format!("p{p}")));
            s.open_project(path).expect("open");
            s
        })
        .collect();
    for round in 0.. {
        assert!(round < 10, "seed {seed}: the team did not settle in 10 rounds");
        let mut moved = false;
        for session in &mut sessions {
            let report = session.sync_team().unwrap_or_else(|e| panic!("seed {seed}: final sync: {e}"));
            moved |= !report.is_quiet();
        }
        if !moved && round > 0 {
            break;
        }
    }
    drop(sessions);
    drop(daemon);

    let operations: usize =
        acked.iter().map(|a| a.revisions.len() + a.comments.len() + a.documents.len() + a.other.len()).sum();
    let moves = acked.iter().flat_map(|a| &a.other).filter(|(kind, _)| kind == "moved").count();
    let mut reference = None;
    let mut conflicts = 0;
    for project in &projects {
        let project = Project::open(project).expect("open");
        let (all, heads) = history(&project, DocumentId(1));
        // Every acknowledged revision is there exactly once, on the parent it was made on.
        for (person, a) in acked.iter().enumerate() {
            for (author, text, status, parent, parent_status) in &a.revisions {
                let found: Vec<_> =
                    all.iter().filter(|((_, au, t, s, _), _)| au == author && t == text && s == status).collect();
                assert_eq!(
                    found.len(),
                    1,
                    "seed {seed}: person {person}'s {status} {text:?} found {} times",
                    found.len()
                );
                let expected = (!parent.is_empty()).then(|| (parent.clone(), parent_status.clone()));
                assert_eq!(found[0].1, &expected, "seed {seed}: {text:?} is on another parent");
            }
            for (author, text) in &a.comments {
                let count: usize = project
                    .segments(DocumentId(1))
                    .expect("rows")
                    .iter()
                    .map(|row| {
                        project
                            .comments(row.id)
                            .expect("comments")
                            .iter()
                            .filter(|c| &c.author == author && &c.text == text)
                            .count()
                    })
                    .sum();
                assert_eq!(count, 1, "seed {seed}: comment {text:?} found {count} times");
            }
            for title in &a.documents {
                let count = project.documents().expect("docs").iter().filter(|d| &d.title == title).count();
                assert_eq!(count, 1, "seed {seed}: document {title:?} found {count} times");
            }
        }
        // Two different changes made on one base both stay, as a conflict.
        let mut children_of: HashMap<(u32, String, String), BTreeSet<(String, String)>> = HashMap::new();
        for ((position, _, text, status, _), parent) in &all {
            if let Some((parent_text, parent_status)) = parent {
                children_of
                    .entry((*position, parent_text.clone(), parent_status.clone()))
                    .or_default()
                    .insert((text.clone(), status.clone()));
            }
        }
        // Heads that read alike (two people approved one text) are no conflict.
        let readings = |h: &BTreeSet<Node>| h.iter().map(|n| (n.2.clone(), n.3.clone())).collect::<BTreeSet<_>>().len();
        let conflicted: BTreeSet<u32> = heads.iter().filter(|(_, h)| readings(h) > 1).map(|(p, _)| *p).collect();
        let listed: BTreeSet<u32> = project
            .conflicts()
            .expect("conflicts")
            .into_iter()
            .filter(|c| c.document == DocumentId(1))
            .map(|c| c.position)
            .collect();
        assert_eq!(conflicted, listed, "seed {seed}: the conflicts listed are the segments with two heads");
        conflicts = listed.len();
        for ((position, text, _), children) in &children_of {
            if children.len() > 1 {
                assert!(
                    conflicted.contains(position),
                    "seed {seed}: two changes of {text:?} but segment {position} is not in conflict"
                );
            }
        }
        let path = project.path().to_path_buf();
        drop(project);
        check_other_records(seed, &path, &acked);
        let project = Project::open(&path).expect("open");
        // The summary reads the same everywhere, in the same sections and order.
        let summary: Vec<(u32, u32, Option<String>, String)> = project
            .segments(SUMMARY)
            .expect("summary rows")
            .into_iter()
            .map(|r| (r.position, r.passage, r.translation, r.status.as_str().to_string()))
            .collect();
        let shared_documents: BTreeSet<String> = project
            .documents()
            .expect("docs")
            .into_iter()
            .filter(|d| d.kind == verso::DocumentKind::Translation)
            .map(|d| d.title)
            .collect();
        let state = (all, heads, shared_documents, summary);
        match &reference {
            None => reference = Some(state),
            Some(first) => assert!(first == &state, "seed {seed}: two clones hold different projects"),
        }
    }
    // Every clone's repository holds the same files, and the remote is sound.
    let files: Vec<_> = projects
        .iter()
        .map(|p| verso::team::Repo::open(&repository_path(p)).expect("repo").files().expect("files"))
        .collect();
    assert!(files.windows(2).all(|w| w[0] == w[1]), "seed {seed}: the clones' repositories differ");
    let fsck = Command::new("git").arg("-C").arg(&remote).args(["fsck", "--strict"]).output().expect("fsck");
    assert!(fsck.status.success(), "seed {seed}: git fsck: {}", String::from_utf8_lossy(&fsck.stderr));
    println!(
        "seed {seed}: {operations} acknowledged operations ({moves} sentence moves) by {PEOPLE} people, \
         person {victim} killed once, {conflicts} segments left in conflict"
    );
}

/// Every acknowledged summary sentence, removal, link decision, approval,
/// version, term, acceptance and reference memory is in the clone at
/// `path`, once; every memory someone removed is gone.
fn check_other_records(seed: u64, path: &Path, acked: &[Acknowledged]) {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    let count = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> i64 {
        conn.query_row(sql, params, |r| r.get(0)).unwrap_or_else(|e| panic!("seed {seed}: {sql}: {e}"))
    };
    let mut links: HashMap<(String, Vec<String>), i64> = HashMap::new();
    // A sentence someone moved sits in a section someone moved it to.
    let mut moved_to: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for (kind, fields) in acked.iter().flat_map(|a| &a.other) {
        if kind == "moved" {
            moved_to.entry(fields[0].as_str()).or_default().insert(fields[1].as_str());
        }
    }
    for (text, targets) in &moved_to {
        let mut stmt = conn
            .prepare(
                "SELECT p.title FROM segments s JOIN passages p ON p.id = s.passage_id
                  WHERE s.document_id = ?1 AND s.merged_into IS NULL
                    AND s.id IN (SELECT segment_id FROM revisions WHERE text = ?2)",
            )
            .expect("query");
        let sections: Vec<String> = stmt
            .query_map(rusqlite::params![SUMMARY.0, text], |r| r.get(0))
            .expect("rows")
            .map(|r| r.expect("row"))
            .collect();
        for section in sections {
            assert!(
                targets.contains(section.as_str()),
                "seed {seed}: {text:?} sits in {section:?}, moved to {targets:?}"
            );
        }
    }
    let removed: BTreeSet<&str> =
        acked.iter().flat_map(|a| &a.other).filter(|(k, _)| k == "unmemory").map(|(_, f)| f[0].as_str()).collect();
    for (person, a) in acked.iter().enumerate() {
        let author = format!("p{person}");
        for (kind, fields) in &a.other {
            let f = |i: usize| fields[i].as_str();
            match kind.as_str() {
                "sentence" => {
                    let n = count(
                        "SELECT count(DISTINCT s.id) FROM segments s JOIN revisions r ON r.segment_id = s.id
                          WHERE s.document_id = ?1 AND r.text = ?2",
                        &[&SUMMARY.0, &f(0)],
                    );
                    assert_eq!(n, 1, "seed {seed}: sentence {:?} found {n} times", f(0));
                }
                "removed" => {
                    let shown = count(
                        "SELECT count(*) FROM segments s WHERE s.document_id = ?1 AND s.merged_into IS NULL
                            AND s.id IN (SELECT segment_id FROM revisions WHERE text = ?2)",
                        &[&SUMMARY.0, &f(0)],
                    );
                    assert_eq!(shown, 0, "seed {seed}: {author} took {:?} out but it is shown", f(0));
                }
                "link" => *links.entry((author.clone(), fields.clone())).or_default() += 1,
                "approval" => {
                    let n = count("SELECT count(*) FROM summary_approvals WHERE override_reason = ?1", &[&f(0)]);
                    assert_eq!(n, 1, "seed {seed}: approval {:?} found {n} times", f(0));
                }
                "version" => {
                    let n = count("SELECT count(*) FROM versions WHERE name = ?1", &[&f(0)]);
                    assert_eq!(n, 1, "seed {seed}: version {:?} found {n} times", f(0));
                }
                "term" => {
                    let n = count("SELECT count(*) FROM glossary_terms WHERE target = ?1", &[&f(0)]);
                    assert_eq!(n, 1, "seed {seed}: term {:?} found {n} times", f(0));
                }
                "accepted" => {
                    let position: i64 = f(0).parse().expect("position");
                    let n = count(
                        "SELECT count(*) FROM qa_accepted q JOIN segments s ON s.id = q.segment_id
                          WHERE s.document_id = 1 AND s.position = ?1 AND q.check_name = ?2 AND q.detail = ?3",
                        &[&position, &f(1), &f(2)],
                    );
                    assert_eq!(n, 1, "seed {seed}: accepted warning {fields:?} found {n} times");
                }
                "memory" => {
                    let n = count("SELECT count(*) FROM memories WHERE name = ?1", &[&f(0)]);
                    let units = count(
                        "SELECT count(*) FROM tm_units u JOIN memories m ON m.id = u.memory_id WHERE m.name = ?1",
                        &[&f(0)],
                    );
                    if removed.contains(f(0)) {
                        assert_eq!((n, units), (0, 0), "seed {seed}: memory {:?} was removed but is here", f(0));
                    } else {
                        let expected: i64 = f(1).parse().expect("units");
                        assert_eq!((n, units), (1, expected), "seed {seed}: memory {:?} (memories, units)", f(0));
                    }
                }
                "unmemory" | "moved" => {}
                _ => unreachable!("collected kinds only"),
            }
        }
    }
    for ((author, fields), times) in links {
        let n = count(
            "SELECT count(*) FROM link_decisions d JOIN segments s ON s.id = d.source_id
              WHERE d.author = ?1 AND d.sentence_text = ?2 AND s.source = ?3 AND d.decision = ?4",
            &[&author, &fields[0], &fields[1], &fields[2]],
        );
        assert_eq!(n, times, "seed {seed}: link decision {fields:?} by {author} found {n} times, made {times}");
    }
}

fn seeds() -> Vec<u64> {
    let spec = std::env::var("VERSO_TEAM_SEEDS").unwrap_or_else(|_| "1-3".into());
    match spec.split_once('-') {
        Some((a, b)) => (a.parse().expect("seed")..=b.parse().expect("seed")).collect(),
        None => spec.split(',').map(|s| s.parse().expect("seed")).collect(),
    }
}

#[test]
fn no_acknowledged_change_is_lost_and_every_clone_ends_the_same() {
    let steps = std::env::var("VERSO_TEAM_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    for seed in seeds() {
        run_seed(seed, steps);
    }
}
