//! Team projects over real Git remotes: a bare repository on a path and
//! `git daemon` on 127.0.0.1. Each person is a separate project file with
//! its own clone, as on separate machines; one test goes through Git's
//! HTTP protocol behind Basic authentication, with the token once in the
//! environment and once in a real desktop keyring; one through OpenSSH's
//! server with key files. (About 7 s.)

use std::path::Path;
use std::process::Command;

#[path = "support/git_daemon.rs"]
mod git_daemon;
#[path = "support/git_http.rs"]
mod git_http;
#[path = "support/secret_service.rs"]
mod secret_service;
#[path = "support/sshd.rs"]
mod sshd;

use git_daemon::Daemon;
use verso::document::Publication;
use verso::formats::team::Files;
use verso::revision::{Decision, ErrorCategory};
use verso::session::{Keep, Session, repository_path};
use verso::{DocumentId, Status, TranslationEdit};

fn bare_remote(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    git2::Repository::init_bare(&path).expect("bare remote");
    path.to_string_lossy().into_owned()
}

fn person(dir: &Path, project: &Path, author: &str) -> Session {
    let mut session = Session::for_command(dir.join(format!("config-{author}")), Some(author.to_string()));
    session.open_project(project).expect("open");
    session
}

fn save(session: &mut Session, position: usize, text: &str, status: Status) {
    let row = session.segments(DocumentId(1)).expect("rows")[position].clone();
    let edit = TranslationEdit { segment: row.id, text: text.to_string(), status, base: row.revision, origin: None };
    session.save_translation(&edit).expect("save");
}

fn texts(session: &Session) -> Vec<(String, Option<String>, Status)> {
    session.segments(DocumentId(1)).expect("rows").into_iter().map(|r| (r.source, r.translation, r.status)).collect()
}

fn repository_files(project: &Path) -> Files {
    verso::team::Repo::open(&repository_path(project)).expect("repo").files().expect("files")
}

fn fsck(remote: &Path) {
    let output = Command::new("git").arg("-C").arg(remote).args(["fsck", "--strict"]).output().expect("git fsck");
    assert!(output.status.success(), "git fsck: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_team_of_three_shares_joins_and_syncs_and_everyone_sees_everyones_work() {
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let daemon = Daemon::start(dir.path(), 0, true);
    let (ana_path, bo_path, cy_path) =
        (dir.path().join("ana.verso"), dir.path().join("bo.verso"), dir.path().join("cy.verso"));
    verso::sample::create_sample_project(&ana_path).expect("sample");

    let mut ana = person(dir.path(), &ana_path, "Ana");
    let status = ana.share_team(&remote).expect("share");
    assert!(!status.unpushed);
    // Bo joins through the path, Cy through git:// on loopback.
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    let joined = bo.join_team(&remote, &bo_path).expect("Bo joins");
    assert_eq!(joined.report.new_documents, ["Coastal desalination plan (sample)", "News summary (sample)"]);
    let mut cy = Session::for_command(dir.path().join("config-cy"), Some("Cy".into()));
    cy.join_team(&daemon.url("team.git"), &cy_path).expect("Cy joins");
    assert_eq!(texts(&bo), texts(&ana));
    assert_eq!(texts(&cy), texts(&ana));

    // Bo translates, Cy comments, then Ana reviews what she received.
    save(&mut bo, 5, "Los embalses bajaron al 31% en agosto, el nivel más bajo desde 1962.", Status::Translated);
    let segment = cy.segments(DocumentId(1)).expect("rows")[5].id;
    cy.add_comment(segment, "Check the month against the source.").expect("comment");
    bo.sync_team().expect("Bo syncs");
    cy.sync_team().expect("Cy syncs");
    let report = ana.sync_team().expect("Ana syncs");
    assert_eq!(report.revisions.len(), 1, "{report:?}");
    assert_eq!(report.revisions[0].2, "Bo");
    assert_eq!(report.comments, 1);
    let row = ana.segments(DocumentId(1)).expect("rows")[5].clone();
    assert_eq!(
        row.translation.as_deref(),
        Some("Los embalses bajaron al 31% en agosto, el nivel más bajo desde 1962.")
    );
    assert_eq!(row.comments, 1);
    // Confirmed work from others feeds this clone's project memory too.
    let hits = ana.concordance("embalses bajaron", verso::tm::SearchIn::Both).expect("concordance");
    assert!(
        hits.iter().any(|h| h.target == "Los embalses bajaron al 31% en agosto, el nivel más bajo desde 1962."),
        "{hits:?}"
    );
    ana.review(row.id, Decision::Approved, None, None).expect("approve");
    ana.sync_team().expect("Ana syncs");
    bo.sync_team().expect("Bo syncs");
    cy.sync_team().expect("Cy syncs");

    for other in [&bo, &cy] {
        assert_eq!(texts(other), texts(&ana));
        assert_eq!(other.team_status().expect("status").expect("shared").conflicts, 0);
    }
    assert_eq!(texts(&cy)[5].2, Status::Approved);
    let files = repository_files(&ana_path);
    assert_eq!(repository_files(&bo_path), files);
    assert_eq!(repository_files(&cy_path), files);
    // One file per writer: Ana's and Bo's revisions of the statement (and
    // Ana's of the summary's sentences), Cy's comment.
    assert_eq!(files.keys().filter(|p| p.contains("/revisions/")).count(), 3, "{:?}", files.keys());
    assert_eq!(files.keys().filter(|p| p.contains("/comments/")).count(), 1, "{:?}", files.keys());
    // Nothing new: a sync makes no commit.
    let tip = git2::Repository::open_bare(&remote).expect("remote").refname_to_id("refs/heads/main").expect("tip");
    ana.sync_team().expect("quiet sync");
    let again = git2::Repository::open_bare(&remote).expect("remote").refname_to_id("refs/heads/main").expect("tip");
    assert_eq!(tip, again);
    fsck(Path::new(&remote));
}

#[test]
fn the_same_segment_changed_on_two_machines_keeps_both_and_the_choice_syncs_back() {
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let (ana_path, bo_path) = (dir.path().join("ana.verso"), dir.path().join("bo.verso"));
    verso::sample::create_sample_project(&ana_path).expect("sample");
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    bo.join_team(&remote, &bo_path).expect("join");

    save(&mut ana, 4, "El programa costará 1.200 millones.", Status::Translated);
    save(&mut bo, 4, "El programa costará 1200 millones de dólares.", Status::Translated);
    save(&mut bo, 6, "Bo's other work.", Status::Draft);
    ana.sync_team().expect("Ana first");
    let report = bo.sync_team().expect("Bo second");
    assert_eq!(report.conflicts, 1);
    assert_eq!(ana.sync_team().expect("Ana again").conflicts, 1);

    for (session, mine) in
        [(&mut ana, "El programa costará 1.200 millones."), (&mut bo, "El programa costará 1200 millones de dólares.")]
    {
        let conflicts = session.team_conflicts().expect("conflicts");
        assert_eq!(conflicts.len(), 1);
        let sides = &conflicts[0].sides;
        assert_eq!(sides.len(), 2, "both revisions are kept");
        assert_eq!(sides.iter().find(|s| s.mine).expect("mine").text, mine);
        let mut authors: Vec<&str> = sides.iter().map(|s| s.author.as_str()).collect();
        authors.sort();
        assert_eq!(authors, ["Ana", "Bo"]);
    }
    // The other segment Bo changed is not in conflict and arrived.
    assert_eq!(texts(&ana)[6].1.as_deref(), Some("Bo's other work."));

    let segment = ana.team_conflicts().expect("conflicts")[0].segment;
    let merged = "El programa costará 1.200 millones de dólares.";
    let chosen = ana.resolve_team_conflict(segment, Keep::Text(merged.into())).expect("resolve");
    assert_eq!(chosen.text, merged);
    assert!(ana.team_conflicts().expect("none").is_empty());
    assert!(matches!(
        ana.resolve_team_conflict(segment, Keep::Mine),
        Err(verso::session::SessionError::Store(verso::store::StoreError::NotInConflict(_)))
    ));
    ana.sync_team().expect("sync");
    assert_eq!(bo.sync_team().expect("sync").conflicts, 0);
    assert_eq!(texts(&bo)[4].1.as_deref(), Some(merged));
    assert_eq!(texts(&bo), texts(&ana));

    // A process killed mid-fetch leaves Git's lock files behind; the next
    // sync (the project's owner) clears them instead of failing for ever.
    let repository = repository_path(&bo_path);
    std::fs::write(repository.join("shallow.lock"), b"").expect("stale lock");
    std::fs::write(repository.join("refs/heads/main.lock"), b"").expect("stale lock");
    bo.sync_team().expect("a sync after a crash");

    // Keeping one's own side works the same way.
    save(&mut ana, 2, "Versión de Ana.", Status::Draft);
    save(&mut bo, 2, "Versión de Bo.", Status::Draft);
    ana.sync_team().expect("sync");
    bo.sync_team().expect("sync");
    let segment = bo.team_conflicts().expect("conflict")[0].segment;
    bo.resolve_team_conflict(segment, Keep::Theirs).expect("take Ana's");
    bo.sync_team().expect("sync");
    ana.sync_team().expect("sync");
    assert_eq!(texts(&ana)[2].1.as_deref(), Some("Versión de Ana."));
    assert_eq!(texts(&bo), texts(&ana));
    assert_eq!(ana.team_status().expect("status").expect("shared").conflicts, 0);
    fsck(Path::new(&remote));
}

#[test]
fn a_project_made_before_team_projects_is_upgraded_shared_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let old = dir.path().join("old.verso");
    let (_, document) = verso::sample::create_sample_project(&old).expect("sample");
    let before: Vec<Vec<(String, String, String)>> = {
        let project = verso::Project::open(&old).expect("open");
        project
            .segments(document)
            .expect("rows")
            .iter()
            .map(|row| {
                project
                    .revisions(row.id)
                    .expect("history")
                    .into_iter()
                    .map(|r| (r.text, r.status.as_str().to_string(), r.author))
                    .collect()
            })
            .collect()
    };
    // Take the file back to the schema before team projects (six
    // migrations: team projects, summaries and the rest shared, memories,
    // machine translations for linking, rejection categories and sources,
    // the project dictionary).
    {
        let conn = rusqlite::Connection::open(&old).expect("sqlite");
        conn.execute_batch(
            "DROP TABLE shared_ids; DROP TABLE revision_merges; DROP INDEX revisions_by_parent;
             DROP TABLE sentence_changes; ALTER TABLE passages DROP COLUMN created_at;
             DROP TABLE memory_removals; DROP INDEX glossary_terms_by_pair; DROP TABLE link_translations; DROP TABLE claim_checks; DROP TABLE segment_locks;
             DROP TABLE document_sources; ALTER TABLE comments DROP COLUMN category; DROP TABLE project_words;
             ALTER TABLE segment_edits DROP COLUMN revision_before; ALTER TABLE segment_edits DROP COLUMN undoes;",
        )
        .expect("drop");
        conn.execute_batch(&format!("PRAGMA user_version = {}", verso::Project::schema_version() - 6))
            .expect("version");
    }
    let mut ana = person(dir.path(), &old, "Ana");
    ana.share_team(&remote).expect("the upgraded project is shared");
    let joined = dir.path().join("joined.verso");
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    bo.join_team(&remote, &joined).expect("join");
    drop(bo);
    let project = verso::Project::open(&joined).expect("open");
    let after: Vec<Vec<(String, String, String)>> = project
        .segments(document)
        .expect("rows")
        .iter()
        .map(|row| {
            project
                .revisions(row.id)
                .expect("history")
                .into_iter()
                .map(|r| (r.text, r.status.as_str().to_string(), r.author))
                .collect()
        })
        .collect();
    assert_eq!(after, before, "every revision of every segment arrived, in order");
}

#[test]
fn refusals_name_the_problem_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().expect("dir");
    // A repository that is not a Verso project.
    let foreign = dir.path().join("foreign.git");
    let repo = git2::Repository::init_bare(&foreign).expect("bare");
    let blob = repo.blob(b"hello\n").expect("blob");
    let mut tree = repo.treebuilder(None).expect("tree");
    tree.insert("README", blob, 0o100644).expect("insert");
    let tree = repo.find_tree(tree.write().expect("write")).expect("tree");
    let who = git2::Signature::now("x", "x@example.org").expect("signature");
    repo.commit(Some("refs/heads/main"), &who, &who, "readme", &tree, &[]).expect("commit");
    let target = dir.path().join("joined.verso");
    let mut session = Session::for_command(dir.path().join("config"), Some("Ana".into()));
    let error = session.join_team(&foreign.to_string_lossy(), &target).expect_err("not a project").to_string();
    assert!(error.contains("not a Verso team project"), "{error}");
    assert!(!target.exists() && !repository_path(&target).exists(), "nothing left behind");

    // A repository written by a newer Verso.
    let newer = format!(r#"{{"format":{}}}"#, verso::formats::team::FORMAT + 1);
    let blob = repo.blob(newer.as_bytes()).expect("blob");
    let mut builder = repo.treebuilder(None).expect("tree");
    builder.insert("verso-team.json", blob, 0o100644).expect("insert");
    let tree = repo.find_tree(builder.write().expect("write")).expect("tree");
    let parent = repo.find_commit(repo.refname_to_id("refs/heads/main").expect("tip")).expect("commit");
    repo.commit(Some("refs/heads/main"), &who, &who, "newer", &tree, &[&parent]).expect("commit");
    let error = session.join_team(&foreign.to_string_lossy(), &target).expect_err("newer").to_string();
    assert!(error.contains("newer Verso"), "{error}");
    assert!(!target.exists());

    // Sharing into a remote that already holds something.
    let mine = dir.path().join("mine.verso");
    verso::sample::create_sample_project(&mine).expect("sample");
    let mut ana = person(dir.path(), &mine, "Ana");
    let error = ana.share_team(&foreign.to_string_lossy()).expect_err("not empty").to_string();
    assert!(error.contains("already holds a project"), "{error}");
    assert_eq!(ana.team_status().expect("status"), None, "still a plain project");

    // An unreachable remote.
    let nowhere = dir.path().join("nowhere.git").to_string_lossy().into_owned();
    let error = ana.share_team(&nowhere).expect_err("unreachable").to_string();
    assert!(error.starts_with(&nowhere) && error.contains("cannot reach"), "{error}");

    // A daemon that refuses pushes: the work stays committed here.
    let served = dir.path().join("served");
    std::fs::create_dir(&served).expect("dir");
    let remote = bare_remote(&served, "team.git");
    ana.share_team(&remote).expect("share");
    let read_only = Daemon::start(&served, 0, false);
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    let bo_path = dir.path().join("bo.verso");
    bo.join_team(&read_only.url("team.git"), &bo_path).expect("joining only reads");
    save(&mut bo, 3, "Bo offline.", Status::Draft);
    let error = bo.sync_team().expect_err("push refused").to_string();
    assert!(error.contains("git://127.0.0.1"), "{error}");
    assert!(bo.team_status().expect("status").expect("shared").unpushed, "the work is committed, waiting");
    let files = repository_files(&bo_path);
    assert!(
        files.iter().any(|(path, bytes)| path.contains("/revisions/") && String::from_utf8_lossy(bytes).contains("Bo offline.")),
        "Bo's save is in his repository"
    );

    // Splitting in a team project is refused rather than silently not shared.
    let segment = ana.segments(DocumentId(1)).expect("rows")[0].id;
    let error = ana.split_segment(segment, 5).expect_err("refused").to_string();
    assert!(error.contains("not shared with the team yet"), "{error}");
}

/// The summary as a person reads it: (section, text, kind) in order.
fn summary_text(session: &mut Session, summary: DocumentId) -> Vec<(String, String, String)> {
    let view = session.summary(summary).expect("summary");
    view.sections
        .iter()
        .flat_map(|section| {
            section.sentences.iter().map(|s| (section.title.clone(), s.text.clone(), format!("{:?}", s.kind)))
        })
        .collect()
}

fn summary_of(session: &Session) -> DocumentId {
    session
        .documents()
        .expect("documents")
        .into_iter()
        .find(|d| d.kind == verso::DocumentKind::Summary)
        .expect("a summary")
        .id
}

#[test]
fn a_summary_written_on_two_machines_is_approved_on_a_third_with_links_versions_terms_and_accepted_warnings() {
    use verso::summary::{LinkDecision, SentenceKind};
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let (ana_path, bo_path, cy_path) =
        (dir.path().join("ana.verso"), dir.path().join("bo.verso"), dir.path().join("cy.verso"));
    verso::sample::create_sample_project(&ana_path).expect("sample");
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    bo.join_team(&remote, &bo_path).expect("Bo joins");
    let mut cy = Session::for_command(dir.path().join("config-cy"), Some("Cy".into()));
    cy.join_team(&remote, &cy_path).expect("Cy joins");
    let (summary, bo_summary, cy_summary) = (summary_of(&ana), summary_of(&bo), summary_of(&cy));
    assert_eq!(summary_text(&mut bo, bo_summary), summary_text(&mut ana, summary));

    // Bo and Cy write into the same section at the same time; Ana, the
    // editor, takes one sample sentence out and calls another commentary.
    let view =
        bo.add_summary_text(bo_summary, 0, "The first plant opens in 2027.", SentenceKind::Claim).expect("Bo writes");
    let bos = view.sections[0].sentences.last().expect("Bo's sentence").id;
    cy.add_summary_text(cy_summary, 0, "Officials expect 450,000 homes to be served.", SentenceKind::Claim)
        .expect("Cy writes");
    let view = ana.summary(summary).expect("view");
    let (removed, recast) = (view.sections[0].sentences[0].clone(), view.sections[0].sentences[1].clone());
    ana.remove_summary_sentence(removed.id).expect("remove");
    ana.set_sentence_kind(recast.id, SentenceKind::Commentary).expect("kind");

    // Bo confirms a link for his sentence, names a version of the
    // statement; Cy adds a glossary term and accepts a QA warning.
    let statement = bo.segments(DocumentId(1)).expect("rows");
    let opening = statement.iter().find(|r| r.source.contains("2027")).unwrap_or(&statement[0]).id;
    bo.decide_link(bos, opening, LinkDecision::Confirmed).expect("link");
    bo.create_version(DocumentId(1), "to the editor").expect("version");
    let csv = dir.path().join("terms.csv");
    std::fs::write(&csv, "en,es\ndesalination plant,planta desalinizadora\n").expect("csv");
    assert_eq!(cy.import_glossary(&csv, DocumentId(1)).expect("glossary"), (1, 1));
    let warning = cy.qa_report(DocumentId(1)).expect("qa").open().next().expect("a warning").clone();
    cy.accept_warning(warning.segment, warning.check, &warning.detail, "House style allows it.").expect("accept");

    for _ in 0..2 {
        for session in [&mut bo, &mut cy, &mut ana] {
            session.sync_team().expect("sync");
        }
    }
    // Everyone reads the same summary, in the same order.
    let text = summary_text(&mut ana, summary);
    assert_eq!(summary_text(&mut bo, bo_summary), text);
    assert_eq!(summary_text(&mut cy, cy_summary), text);
    assert!(!text.iter().any(|(_, t, _)| t == &removed.text), "taken out everywhere: {text:?}");
    assert!(text.iter().any(|(_, t, k)| t == &recast.text && k == "Commentary"), "{text:?}");
    let news: Vec<&str> = text.iter().filter(|(s, _, _)| s == "News Summary").map(|(_, t, _)| t.as_str()).collect();
    assert!(
        news.contains(&"The first plant opens in 2027.")
            && news.contains(&"Officials expect 450,000 homes to be served.")
    );

    // Ana sees Bo's confirmed link, his version and Cy's term and acceptance.
    let view = ana.summary(summary).expect("view");
    let sentence = view
        .sections
        .iter()
        .flat_map(|s| &s.sentences)
        .find(|s| s.text == "The first plant opens in 2027.")
        .expect("Bo's sentence");
    assert!(sentence.links.iter().any(|l| l.origin == verso::summary::LinkOrigin::Confirmed), "{:?}", sentence.links);
    let versions = ana.versions(DocumentId(1)).expect("versions");
    assert!(versions.iter().any(|v| v.name == "to the editor" && v.author == "Bo"), "{versions:?}");
    assert!(ana.glossary(DocumentId(1)).expect("glossary").iter().any(|t| t.target == "planta desalinizadora"));
    let report = ana.qa_report(DocumentId(1)).expect("qa");
    let accepted = report
        .issues
        .iter()
        .find(|i| i.position == warning.position && i.check == warning.check && i.detail == warning.detail)
        .expect("the warning");
    assert_eq!(accepted.accepted.as_ref().map(|a| a.author.as_str()), Some("Cy"));

    // The editor approves; the writer's next sync says so.
    ana.approve_summary(summary, Some("Checked against the statement by phone.")).expect("approve");
    ana.sync_team().expect("sync");
    let report = bo.sync_team().expect("sync");
    assert_eq!(report.approvals, [("News summary (sample)".to_string(), "Ana".to_string())]);
    let view = bo.summary(bo_summary).expect("view");
    assert_eq!(view.approval.as_ref().map(|a| a.author.as_str()), Some("Ana"));
    assert!(view.approved, "every sentence approved on Bo's machine too");
    cy.sync_team().expect("sync");
    let files = repository_files(&ana_path);
    assert_eq!(repository_files(&bo_path), files);
    assert_eq!(repository_files(&cy_path), files);
    fsck(Path::new(&remote));
}

#[test]
fn a_large_join_builds_its_memory_in_bulk_and_later_saves_are_still_found() {
    use verso::document::{NewDocument, NewPassage, PassageKind, SourceFormat};
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let (ana_path, bo_path) = (dir.path().join("ana.verso"), dir.path().join("bo.verso"));
    // Enough confirmed segments for the join to rebuild the word index at once.
    {
        let mut project = verso::Project::create(&ana_path).expect("create");
        let sentences: Vec<String> =
            (0..1_200).map(|i| format!("Report number {i} describes harbour works.")).collect();
        let document = project
            .add_document(&NewDocument {
                title: "Reports".into(),
                source_lang: "en".parse().expect("en"),
                target_lang: "es".parse().expect("es"),
                origin: "reports.txt".into(),
                format: SourceFormat::Text,
                passages: vec![NewPassage { kind: PassageKind::Paragraph, level: 0, sentences }],
            })
            .expect("document");
        for (i, row) in project.segments(document).expect("rows").iter().enumerate() {
            let text = format!("El informe número {i} describe obras portuarias.");
            let edit = TranslationEdit { segment: row.id, text, status: Status::Translated, base: None, origin: None };
            project.save_translation(&edit, "Ana").expect("save");
        }
    }
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    let mut bo = Session::for_command(dir.path().join("config-bo"), Some("Bo".into()));
    bo.join_team(&remote, &bo_path).expect("join");
    let hits = bo.concordance("número 1187", verso::tm::SearchIn::Both).expect("concordance");
    assert!(hits.iter().any(|h| h.target == "El informe número 1187 describe obras portuarias."), "{hits:?}");
    // The index keeps following single saves after the bulk: its trigger is back.
    let triggers: i64 = rusqlite::Connection::open(&bo_path)
        .expect("sqlite")
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'tm_units_indexed'", [], |r| {
            r.get(0)
        })
        .expect("triggers");
    assert_eq!(triggers, 1);
    let row = bo.segments(DocumentId(1)).expect("rows")[3].clone();
    let edit = TranslationEdit {
        segment: row.id,
        text: "Informe número 3, revisado por Bo.".into(),
        status: Status::Translated,
        base: row.revision,
        origin: None,
    };
    bo.save_translation(&edit).expect("save");
    let hits = bo.concordance("revisado por Bo", verso::tm::SearchIn::Both).expect("concordance");
    assert_eq!(hits.iter().filter(|h| h.target == "Informe número 3, revisado por Bo.").count(), 1, "{hits:?}");
}

/// A folder a server serves, holding `team.git` with Ana's sample project
/// shared into it: (the folder, the repository's path, Ana's project).
fn shared_by_ana(dir: &Path) -> (std::path::PathBuf, String, std::path::PathBuf) {
    let served = dir.join("served");
    std::fs::create_dir(&served).expect("dir");
    let remote = bare_remote(&served, "team.git");
    let ana_path = dir.join("ana.verso");
    verso::sample::create_sample_project(&ana_path).expect("sample");
    person(dir, &ana_path, "Ana").share_team(&remote).expect("share");
    (served, remote, ana_path)
}

/// The `verso` command with only the given token and no Git settings of
/// the machine's user (no credential helper).
fn verso(dir: &Path, args: &[&std::ffi::OsStr], token: Option<&str>) -> std::process::Output {
    let mut command = verso_command(dir, args);
    if let Some(token) = token {
        command.env("VERSO_GIT_TOKEN", token);
    }
    command.output().expect("run verso")
}

fn verso_command(dir: &Path, args: &[&std::ffi::OsStr]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verso"));
    command
        .args(args)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("VERSO_GIT_TOKEN")
        .env_remove("VERSO_SSH_KEY")
        .env_remove("SSH_AUTH_SOCK")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    command
}

fn files_under(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("dir").map_while(Result::ok) {
            files_under(&entry.path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

#[test]
fn over_http_a_wrong_or_missing_token_is_refused_in_words_and_the_token_is_never_stored() {
    let dir = tempfile::tempdir().expect("dir");
    let served = dir.path().join("served");
    std::fs::create_dir(&served).expect("dir");
    let remote = bare_remote(&served, "team.git");
    let ana_path = dir.path().join("ana.verso");
    verso::sample::create_sample_project(&ana_path).expect("sample");
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    const TOKEN: &str = "s3cret-team-token";
    let server = git_http::GitHttp::start(&served, "verso", TOKEN);
    let url = server.url("team.git");
    let bo = dir.path().join("bo.verso");
    let clone = ["team".as_ref(), "clone".as_ref(), url.as_ref(), bo.as_os_str(), "--author".as_ref(), "Bo".as_ref()];
    for token in [None, Some("a-wrong-token")] {
        let out = verso(dir.path(), &clone, token);
        let error = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && error.contains("authentication was refused"), "{token:?}: {error}");
        assert!(!bo.exists() && !repository_path(&bo).exists(), "nothing left behind");
    }
    let out = verso(dir.path(), &clone, Some(TOKEN));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Bo's work goes back over HTTP with the token, and reaches Ana.
    let set = ["set".as_ref(), bo.as_os_str(), "1".as_ref(), "Texto de Bo.".as_ref(), "--status".as_ref()];
    let out =
        verso(dir.path(), &[&set[..], &["translated".as_ref(), "--author".as_ref(), "Bo".as_ref()]].concat(), None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sync = ["team".as_ref(), "sync".as_ref(), bo.as_os_str(), "--author".as_ref(), "Bo".as_ref()];
    let out = verso(dir.path(), &sync, None);
    assert!(!out.status.success(), "a push without the token is refused");
    let out = verso(dir.path(), &sync, Some(TOKEN));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    ana.sync_team().expect("Ana syncs");
    assert_eq!(texts(&ana)[0].1.as_deref(), Some("Texto de Bo."));
    // The token is in neither Bo's project nor his repository.
    let mut files = Vec::new();
    files_under(&repository_path(&bo), &mut files);
    files.push(bo.clone());
    assert!(files.len() > 5, "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "{} holds the token", file.display());
    }
}

#[test]
fn a_token_saved_in_the_desktop_keyring_logs_in_over_http_until_it_is_forgotten() {
    let dir = tempfile::tempdir().expect("dir");
    let (served, remote, ana_path) = shared_by_ana(dir.path());
    const TOKEN: &str = "k3yring-team-token";
    let server = git_http::GitHttp::start(&served, "verso", TOKEN);
    let url = server.url("team.git");
    let keyring = secret_service::SecretService::start(dir.path());
    let run = |args: &[&str], stdin: &str| {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let mut command = verso_command(dir.path(), &args);
        command.envs(keyring.env()).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
        let mut child = command.stderr(std::process::Stdio::piped()).spawn().expect("verso");
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("stdin");
        let out = child.wait_with_output().expect("verso");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let bo = dir.path().join("bo.verso").to_string_lossy().into_owned();
    let clone = ["team", "clone", &url, &bo, "--author", "Bo"];

    let (ok, said) = run(&["team", "login", &remote], "x\n");
    assert!(!ok && said.contains("a token is for http:// and https:// remotes"), "{said}");
    let (ok, said) = run(&["team", "login", &url], "a-wrong-token\n");
    assert!(ok, "{said}");
    let (ok, said) = run(&clone, "");
    assert!(!ok && said.contains("authentication was refused"), "a wrong saved token: {said}");

    let (ok, said) = run(&["team", "login", &url], &format!("{TOKEN}\n"));
    assert!(ok && said.contains(&format!("saved the token for 127.0.0.1:{}", server.port)), "{said}");
    let (ok, said) = run(&clone, "");
    assert!(ok, "the saved token logs in: {said}");
    let (ok, said) = run(&["set", &bo, "1", "Texto de Bo.", "--status", "translated", "--author", "Bo"], "");
    assert!(ok, "{said}");
    let (ok, said) = run(&["team", "sync", &bo, "--author", "Bo"], "");
    assert!(ok, "{said}");

    let (ok, said) = run(&["team", "logout", &url], "");
    assert!(ok, "{said}");
    let (ok, said) = run(&["team", "sync", &bo, "--author", "Bo"], "");
    assert!(!ok && said.contains("authentication was refused"), "forgotten: {said}");

    // Bo's work reached the remote; the token is in no file on disk, not
    // even the keyring's own (it is encrypted there).
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.sync_team().expect("Ana syncs");
    assert_eq!(texts(&ana)[0].1.as_deref(), Some("Texto de Bo."));
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.iter().any(|f| f.to_string_lossy().contains("keyrings")), "the keyring kept a file: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "{} holds the token", file.display());
    }
}

const AGENCY_TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>
<body>
<tu><tuv xml:lang="en"><seg>The minister spoke to the press on Tuesday.</seg></tuv><tuv xml:lang="es"><seg>El ministro habló con la prensa el martes.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Exports rose by four percent.</seg></tuv><tuv xml:lang="es"><seg>Las exportaciones subieron un cuatro por ciento.</seg></tuv></tu>
</body></tmx>"#;

fn memory_names(session: &Session) -> Vec<(String, u64)> {
    session.memories().expect("memories").into_iter().filter(|m| m.read_only).map(|m| (m.name, m.units)).collect()
}

#[test]
fn a_reference_memory_imported_on_one_machine_reaches_everyone_and_so_does_its_removal() {
    let dir = tempfile::tempdir().expect("dir");
    let remote = bare_remote(dir.path(), "team.git");
    let ana_path = dir.path().join("ana.verso");
    verso::sample::create_sample_project(&ana_path).expect("sample");
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    let mut bo = Session::for_command(dir.path().join("config-Bo"), Some("Bo".into()));
    bo.join_team(&remote, &dir.path().join("bo.verso")).expect("Bo joins");

    let tmx = dir.path().join("agency.tmx");
    std::fs::write(&tmx, AGENCY_TMX).expect("tmx");
    ana.import_memory(&tmx, None, &mut |_, _| true).expect("import");
    let quiet = ana.sync_team().expect("Ana syncs");
    assert!(quiet.is_quiet(), "{quiet:?}");
    let units = repository_files(&ana_path).into_iter().filter(|(p, _)| p.ends_with("units.jsonl")).count();
    assert_eq!(units, 1, "the memory's units are one file");

    let report = bo.sync_team().expect("Bo syncs");
    assert_eq!(report.memories, ["agency.tmx"], "{report:?}");
    assert_eq!(memory_names(&bo), [("agency.tmx".to_string(), 2)]);
    let hits = bo.concordance("exportaciones", verso::tm::SearchIn::Both).expect("concordance");
    assert!(hits.iter().any(|h| h.target == "Las exportaciones subieron un cuatro por ciento."), "{hits:?}");
    assert!(bo.sync_team().expect("again").is_quiet(), "taken in once");

    // Someone joining later gets it with the project.
    let mut cy = Session::for_command(dir.path().join("config-Cy"), Some("Cy".into()));
    let joined = cy.join_team(&remote, &dir.path().join("cy.verso")).expect("Cy joins");
    assert_eq!(joined.report.memories, ["agency.tmx"]);
    assert_eq!(memory_names(&cy), [("agency.tmx".to_string(), 2)]);

    // Bo removes it: it goes everywhere, and never comes back.
    let id = bo.memories().expect("memories").into_iter().find(|m| m.read_only).expect("agency").id;
    bo.remove_memory(id).expect("remove");
    bo.sync_team().expect("Bo syncs");
    for (name, session) in [("Ana", &mut ana), ("Cy", &mut cy)] {
        let report = session.sync_team().expect("sync");
        assert_eq!(report.memories_removed, 1, "{name}: {report:?}");
        assert!(memory_names(session).is_empty(), "{name}");
        assert!(session.sync_team().expect("again").is_quiet(), "{name}");
        assert!(memory_names(session).is_empty(), "{name}: not taken in again");
    }
    let mut dee = Session::for_command(dir.path().join("config-Dee"), Some("Dee".into()));
    dee.join_team(&remote, &dir.path().join("dee.verso")).expect("Dee joins");
    assert!(memory_names(&dee).is_empty(), "a removed memory is not taken in at a join");
    assert!(dee.concordance("exportaciones", verso::tm::SearchIn::Both).expect("concordance").is_empty());
}

#[test]
fn over_ssh_a_key_file_logs_in_an_unknown_host_or_a_wrong_key_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("dir");
    let (served, _, ana_path) = shared_by_ana(dir.path());
    let server = sshd::Sshd::start(dir.path());
    let url = server.url(&served.join("team.git"));
    // Bo's home: no key and no known host yet.
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).expect("home");
    let run = |args: &[&str], key: Option<&Path>| {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
        let mut command = verso_command(dir.path(), &args);
        command.env("HOME", &home);
        if let Some(key) = key {
            command.env("VERSO_SSH_KEY", key);
        }
        let out = command.output().expect("verso");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let bo = dir.path().join("bo.verso").to_string_lossy().into_owned();
    let clone = ["team", "clone", &url, &bo, "--author", "Bo"];

    let (ok, said) = run(&clone, Some(&server.key));
    assert!(!ok && said.contains("SSH host key is not known here"), "an unknown host: {said}");
    std::fs::write(home.join(".ssh/known_hosts"), format!("{}\n", server.known_host)).expect("known host");
    let (ok, said) = run(&clone, None);
    assert!(!ok && said.contains("authentication was refused"), "no key: {said}");
    assert!(!Path::new(&bo).exists(), "nothing left behind");
    // The usual key file is found by itself.
    std::fs::copy(&server.key, home.join(".ssh/id_ed25519")).expect("key");
    let (ok, said) = run(&clone, None);
    assert!(ok, "~/.ssh/id_ed25519 logs in: {said}");
    let (ok, said) = run(&["set", &bo, "1", "Texto de Bo por SSH.", "--status", "translated", "--author", "Bo"], None);
    assert!(ok, "{said}");
    let wrong = dir.path().join("ssh_host");
    let (ok, said) = run(&["team", "sync", &bo, "--author", "Bo"], Some(&wrong));
    assert!(!ok && said.contains("authentication was refused"), "a key the server does not know: {said}");
    let (ok, said) = run(&["team", "sync", &bo, "--author", "Bo"], Some(&server.key));
    assert!(ok, "VERSO_SSH_KEY logs in: {said}");
    let mut ana = person(dir.path(), &ana_path, "Ana");
    ana.sync_team().expect("Ana syncs");
    assert_eq!(texts(&ana)[0].1.as_deref(), Some("Texto de Bo por SSH."));
}

/// A translation with a wrong figure stays out of every clone's memory, and
/// goes into every clone's once someone accepts the warning.
#[test]
fn a_figure_warning_accepted_on_one_machine_lets_the_translation_into_every_memory() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut ana, mut bo) = sample_shared_by_ana_and_bo(dir.path());
    // "31%" carried over as "13%".
    save(&mut ana, 5, "Los embalses bajaron al 13% en agosto, el nivel más bajo desde 1962.", Status::Translated);
    ana.sync_team().expect("Ana syncs");
    bo.sync_team().expect("Bo syncs");
    let found = |session: &Session| {
        session.concordance("embalses bajaron", verso::tm::SearchIn::Both).expect("concordance").len()
    };
    assert_eq!((found(&ana), found(&bo)), (0, 0), "held out on both machines");
    let warnings: Vec<_> = ana
        .qa_report(DocumentId(1))
        .expect("qa")
        .open()
        .filter(|i| i.position == 5 && i.check == verso::qa::QaCheck::Numbers)
        .cloned()
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    for warning in &warnings {
        ana.accept_warning(warning.segment, warning.check, &warning.detail, "The ministry corrected it.")
            .expect("accept");
    }
    assert_eq!(found(&ana), 1);
    ana.sync_team().expect("Ana syncs");
    bo.sync_team().expect("Bo syncs");
    assert_eq!(found(&bo), 1, "the acceptance let it into Bo's memory too");
}

/// The sample project, shared by Ana through a bare remote in `dir` and
/// joined by Bo.
fn sample_shared_by_ana_and_bo(dir: &Path) -> (Session, Session) {
    let remote = bare_remote(dir, "team.git");
    let (ana_path, bo_path) = (dir.join("ana.verso"), dir.join("bo.verso"));
    verso::sample::create_sample_project(&ana_path).expect("sample");
    let mut ana = person(dir, &ana_path, "Ana");
    ana.share_team(&remote).expect("share");
    let mut bo = Session::for_command(dir.join("config-bo"), Some("Bo".into()));
    bo.join_team(&remote, &bo_path).expect("Bo joins");
    (ana, bo)
}

#[test]
fn a_rejections_error_category_reaches_the_translator() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ana, mut bo) = sample_shared_by_ana_and_bo(dir.path());
    let row = ana.segments(DocumentId(1)).expect("rows")[2].clone();
    ana.review(row.id, Decision::Rejected, Some("450.000 hogares, not 45.000"), Some(ErrorCategory::Numbers))
        .expect("reject");
    ana.sync_team().expect("Ana syncs");
    bo.sync_team().expect("Bo syncs");
    let on_bo = bo.segments(DocumentId(1)).expect("rows")[2].id;
    let comment = bo.comments(on_bo).expect("comments").pop().expect("the rejection's comment");
    assert_eq!(
        (comment.text.as_str(), comment.category),
        ("450.000 hogares, not 45.000", Some(ErrorCategory::Numbers))
    );
    let numbers =
        bo.rejections(DocumentId(1)).expect("counts").into_iter().find(|c| c.category == ErrorCategory::Numbers);
    assert_eq!(numbers.map(|c| c.count), Some(1));
}

/// The sample summary's sections as (title, sentence texts), in order.
fn summary_sections(session: &mut Session) -> Vec<(String, Vec<String>)> {
    let view = session.summary(DocumentId(2)).expect("summary");
    view.sections.into_iter().map(|s| (s.title, s.sentences.into_iter().map(|t| t.text).collect())).collect()
}

#[test]
fn a_sentence_moved_to_another_section_moves_on_every_clone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ana, mut bo) = sample_shared_by_ana_and_bo(dir.path());
    let reservoirs = ana.summary(DocumentId(2)).expect("summary").sections[0].sentences[2].clone();
    assert!(reservoirs.text.starts_with("Reservoirs fell"), "{}", reservoirs.text);
    let view = ana.move_summary_sentence(reservoirs.id, 1).expect("move");
    assert_eq!(view.sections[0].sentences.len(), 3);
    assert_eq!(view.sections[1].sentences.iter().map(|s| s.id).collect::<Vec<_>>(), [reservoirs.id]);
    ana.sync_team().expect("Ana syncs");
    bo.sync_team().expect("Bo syncs");
    assert_eq!(summary_sections(&mut bo), summary_sections(&mut ana));

    // Bo moves it on, after the commentary already in Expert Analysis.
    let on_bo = bo.summary(DocumentId(2)).expect("summary").sections[1].sentences[0].id;
    bo.move_summary_sentence(on_bo, 2).expect("move again");
    bo.sync_team().expect("Bo syncs");
    ana.sync_team().expect("Ana syncs");
    let sections = summary_sections(&mut ana);
    assert_eq!(sections, summary_sections(&mut bo));
    assert!(sections[1].1.is_empty(), "{sections:?}");
    assert_eq!(sections[2].1.len(), 2);
    assert!(sections[2].1[0].starts_with("Desalination eases") && sections[2].1[1].starts_with("Reservoirs fell"));
    // Nothing left to exchange: both clones write the same records.
    assert_eq!(repository_files(&dir.path().join("ana.verso")), repository_files(&dir.path().join("bo.verso")));
    let tip = git2::Repository::open_bare(dir.path().join("team.git"))
        .expect("remote")
        .refname_to_id("refs/heads/main")
        .expect("tip");
    ana.sync_team().expect("quiet sync");
    bo.sync_team().expect("quiet sync");
    let again = git2::Repository::open_bare(dir.path().join("team.git"))
        .expect("remote")
        .refname_to_id("refs/heads/main")
        .expect("tip");
    assert_eq!(tip, again, "a sync after the move commits nothing new");
}

#[test]
fn where_a_source_was_published_reaches_every_clone_and_the_newest_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ana, mut bo) = sample_shared_by_ana_and_bo(dir.path());
    let first = Publication { outlet: "Ministry of Water".into(), url: String::new(), date: "2025-09-03".into() };
    ana.set_publication(DocumentId(1), &first).expect("Ana records it");
    ana.sync_team().expect("Ana syncs");
    let report = bo.sync_team().expect("Bo syncs");
    assert_eq!(report.publications, 1);
    assert_eq!(bo.document(DocumentId(1)).expect("doc").publication, first);
    // Bo adds the address; Ana takes it in, and Bo's article names it.
    let second = Publication { url: "https://water.example.gov/plan".into(), ..first };
    bo.set_publication(DocumentId(1), &second).expect("Bo corrects it");
    bo.sync_team().expect("Bo syncs");
    ana.sync_team().expect("Ana syncs");
    assert_eq!(ana.document(DocumentId(1)).expect("doc").publication, second);
    let article = bo
        .preview_summary(DocumentId(2), verso::formats::export::article::SummaryFormat::Markdown, true)
        .expect("preview");
    assert!(
        article.contains(
            "**Source:** Ministry of Water — Coastal desalination plan (sample), 2025-09-03 (<https://water.example.gov/plan>)"
        ),
        "{article}"
    );
    assert_eq!(repository_files(&dir.path().join("ana.verso")), repository_files(&dir.path().join("bo.verso")));
}

#[test]
fn the_project_dictionary_travels_with_the_team() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut ana, mut bo) = sample_shared_by_ana_and_bo(dir.path());
    let spanish = verso::LangTag::spanish();
    // The sample's own words came with the join.
    assert!(bo.project_words(&spanish).expect("words").contains(&"desalinización".to_string()));
    save(&mut bo, 5, "Según García Harfuch, los embalses bajaron al 31% en agosto.", Status::Translated);
    let flagged = |session: &Session| -> Vec<String> {
        let report = session.qa_report_at(DocumentId(1), verso::qa::QaStage::Working).expect("qa");
        report.open().filter(|i| i.check == verso::qa::QaCheck::Spelling).map(|i| i.detail.clone()).collect()
    };
    assert_eq!(flagged(&bo), ["Harfuch"]);
    // Both add the name at once; each clone keeps it once.
    assert!(ana.add_project_word(DocumentId(1), "Harfuch").expect("Ana adds"));
    assert!(bo.add_project_word(DocumentId(1), "Harfuch").expect("Bo adds"));
    assert!(ana.add_project_word(DocumentId(1), "Sheinbaum").expect("Ana adds"));
    ana.sync_team().expect("Ana syncs");
    let report = bo.sync_team().expect("Bo syncs");
    assert_eq!(report.words, 1, "Sheinbaum is new to Bo; Harfuch he had");
    ana.sync_team().expect("Ana syncs again");
    for session in [&ana, &bo] {
        let words = session.project_words(&spanish).expect("words");
        assert_eq!(words.iter().filter(|w| *w == "Harfuch").count(), 1);
        assert!(words.contains(&"Sheinbaum".to_string()));
    }
    ana.sync_team().expect("Ana syncs");
    assert_eq!(flagged(&ana), Vec::<String>::new(), "Bo's translation reached Ana and its name is known");
}
