//! Project-wide find and replace on a real project file: hits in source,
//! translation or both, a replacement previewed, written as one change
//! and undone so that every segment is as it was; and the same through
//! the `verso` command line. Under a second.

use std::path::Path;
use std::process::Command;

use verso::search::{FindIn, FindOptions};
use verso::session::Session;
use verso::session::find::FindQuery;
use verso::{DocumentId, Status, TranslationEdit};

fn session(dir: &Path) -> (Session, DocumentId, DocumentId) {
    let mut session = Session::for_command(dir.join("config"), Some("Ana".into()));
    session.create_project(&dir.join("p.verso")).expect("create");
    let mut documents = Vec::new();
    for (name, text, translations) in [
        (
            "a.txt",
            "On 3 March the minister spoke.\n\nOn 4 March the ministry answered.\n\nThe border stayed open.\n",
            [
                "El 3 de marzo habló el ministro.",
                "El 4 de marzo respondió el ministerio.",
                "La frontera siguió abierta.",
            ],
        ),
        (
            "b.txt",
            "On 5 March the guard left.\n\nNothing else.\n",
            ["El 5 de marzo se fue la guardia.", "Nada más.", ""],
        ),
    ] {
        std::fs::write(dir.join(name), text).expect("source");
        let document = session.import(&dir.join(name), "en", "es", None).expect("import").id;
        for (row, text) in session.segments(document).expect("rows").into_iter().zip(translations) {
            if text.is_empty() {
                continue;
            }
            let status = if row.position == 0 { Status::Approved } else { Status::Translated };
            let edit = TranslationEdit { segment: row.id, text: text.into(), status, base: row.revision, origin: None };
            session.save_translation(&edit).expect("save");
        }
        documents.push(document);
    }
    (session, documents[0], documents[1])
}

fn query(text: &str, regex: bool, within: FindIn) -> FindQuery {
    FindQuery {
        options: FindOptions { text: text.into(), regex, ..Default::default() },
        within,
        document: None,
        status: None,
    }
}

fn state(session: &Session, documents: &[DocumentId]) -> Vec<(String, Option<String>, Status)> {
    documents
        .iter()
        .flat_map(|d| session.segments(*d).expect("rows"))
        .map(|r| (r.source, r.translation, r.status))
        .collect()
}

#[test]
fn a_regex_replacement_is_previewed_written_once_and_undone() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut session, a, b) = session(dir.path());
    let before = state(&session, &[a, b]);

    let found = session.find(&query(r"(\d+) de marzo", true, FindIn::Target), 100).expect("find");
    assert_eq!(found.hits.len(), 3);
    assert!(found.complete);
    assert_eq!((found.hits[0].target_spans[0].start, found.hits[0].target_spans[0].end), (3, 13));
    assert_eq!(found.hits[2].document_title, "b");
    let limited = session.find(&query(r"(\d+) de marzo", true, FindIn::Target), 2).expect("find");
    assert_eq!((limited.hits.len(), limited.complete), (2, false));
    let both = session.find(&query("March", false, FindIn::Both), 100).expect("find");
    assert_eq!(both.hits.len(), 3, "sources are searched with --in both");
    let mut only_a = query("marzo", false, FindIn::Target);
    only_a.document = Some(a);
    only_a.status = Some(Status::Translated);
    assert_eq!(session.find(&only_a, 100).expect("find").hits.len(), 1, "document and status filters");

    // Locked segments are shown in the preview and left alone.
    let second = session.segments(a).expect("rows")[1].id;
    session.set_locked(second, true).expect("lock");
    let replace = query(r"(\d+) de marzo", true, FindIn::Both);
    let preview = session.replace_preview(&replace, "marzo $1").expect("preview");
    assert_eq!(preview.len(), 3);
    assert_eq!(preview[0].after, "El marzo 3 habló el ministro.");
    assert!(preview[1].locked);
    assert!(preview[0].diff.spans.iter().any(|s| s.text.contains("marzo")), "a word diff");
    assert_eq!(state(&session, &[a, b]), before, "a preview writes nothing");

    let outcome = session.replace_all(&replace, "marzo $1").expect("replace");
    assert_eq!((outcome.changed, outcome.locked), (2, 1));
    let after = state(&session, &[a, b]);
    assert_eq!(after[0].1.as_deref(), Some("El marzo 3 habló el ministro."));
    assert_eq!(after[0].2, Status::Translated, "an approved translation that changed waits for review again");
    assert!(after.iter().zip(&before).all(|(x, y)| x.0 == y.0), "sources are never replaced in");
    let history = session.history(session.segments(a).expect("rows")[0].id).expect("history");
    assert!(
        history.iter().any(|h| h.revision.origin.as_deref() == Some(outcome.change.as_str())),
        "origin names the change"
    );

    let undone = session.undo_change(&outcome.change).expect("undo");
    assert_eq!((undone.restored, undone.left), (2, 0));
    session.set_locked(second, false).expect("unlock");
    assert_eq!(state(&session, &[a, b]), before, "undo leaves every segment as it was");
    assert!(session.replace_preview(&query("marzo", false, FindIn::Source), "x").is_err(), "never the source");
    let error = session.find(&query("(", true, FindIn::Target), 10).expect_err("bad pattern").to_string();
    assert!(error.starts_with("not a valid regular expression"), "{error}");
}

#[test]
fn undo_leaves_a_segment_someone_changed_since() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut session, a, _) = session(dir.path());
    let outcome = session.replace_all(&query("marzo", false, FindIn::Target), "March").expect("replace");
    assert_eq!(outcome.changed, 3);
    let row = session.segments(a).expect("rows").remove(0);
    let edit = TranslationEdit {
        segment: row.id,
        text: "Corregido a mano.".into(),
        status: Status::Translated,
        base: row.revision,
        origin: None,
    };
    session.save_translation(&edit).expect("edit");
    let undone = session.undo_change(&outcome.change).expect("undo");
    assert_eq!((undone.restored, undone.left), (2, 1));
    assert_eq!(session.segments(a).expect("rows")[0].translation.as_deref(), Some("Corregido a mano."));
}

#[test]
fn the_command_line_finds_previews_replaces_and_undoes() {
    let dir = tempfile::tempdir().expect("dir");
    let (session, a, b) = session(dir.path());
    let before = state(&session, &[a, b]);
    drop(session);
    let project = dir.path().join("p.verso");
    let verso = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_verso"))
            .args(args)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .expect("verso");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let p = project.to_str().expect("path");
    let found: serde_json::Value =
        serde_json::from_str(&verso(&["find", p, r"\d+ de", "--regex", "--in", "both", "--json"])).expect("json");
    assert_eq!(found["hits"].as_array().map(Vec::len), Some(3));
    let dry = verso(&["replace", p, "marzo", "March", "--dry-run"]);
    assert!(dry.contains("+ El 3 de March habló el ministro.") && dry.contains("3 translations would change"), "{dry}");
    let done = verso(&["replace", p, "marzo", "March", "--author", "Ana"]);
    let change = done.split_whitespace().find(|w| w.starts_with("replace:")).expect("change named");
    assert!(done.contains("3 translations changed"), "{done}");
    let undone = verso(&["undo", p, change, "--author", "Ana"]);
    assert!(undone.contains("3 translations restored"), "{undone}");
    let session = {
        let mut s = Session::for_command(dir.path().join("config"), None);
        s.open_project(&project).expect("open");
        s
    };
    assert_eq!(state(&session, &[a, b]), before);
}
